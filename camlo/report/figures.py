"""The one save path for every figure: PNG and SVG, English and Vietnamese, byte-reproducible.

``save_figures`` draws each registered figure (see :mod:`camlo.charts.style`) once per
language from data computed once, and writes ``figures/<lang>/<name>.png`` and ``.svg`` with
no dates or software versions in the files. A notebook passes the data it has already
computed and shown; anything not passed is computed from ``tables`` (the shipped tables by
default).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from camlo.charts.style import DPI, load_figure_modules, theme
from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.labels import LANGS
from camlo.paths import FIGURES
from camlo.report.build import SAVE_WORKERS


def figure_title(fig: Figure) -> str:
    """The figure's title as a reader sees it: its suptitle, else its first axes title, on one line.

    Examples:
        >>> fig = Figure()
        >>> fig.subplots().set_title("Poor households\\nby unit", loc="left")
        Text(0.0, 1.0, 'Poor households\\nby unit')
        >>> figure_title(fig)
        'Poor households by unit'
    """
    texts = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    texts += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return " ".join(next((t for t in texts if t.strip()), "").split())


def png_bytes(fig: Figure) -> bytes:
    """``fig`` as the PNG file :func:`save_figure` writes (dpi, crop, theme and metadata)."""
    buffer = io.BytesIO()
    with theme():
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None, "Title": figure_title(fig)},
                    bbox_inches="tight")
    return buffer.getvalue()


def save_figure(fig: Figure, name: str, lang: str, directory: Path | None = None, *,
                png: bytes | None = None) -> list[Path]:
    """Save ``fig`` as ``directory/lang/name.png`` and ``.svg``, with no dates or versions.

    Each file carries the figure's title (:func:`figure_title`) as its ``Title``, which the
    reports' index shows as the caption.

    Args:
        png: The PNG already rendered by :func:`png_bytes` for this figure (as the report
            build's kernels do when a notebook shows it), written instead of rendering again.

    Returns:
        The two paths written.
    """
    out = Path(directory or FIGURES) / lang
    out.mkdir(parents=True, exist_ok=True)
    png_path, svg_path = out / f"{name}.png", out / f"{name}.svg"
    png_path.write_bytes(png if png is not None else png_bytes(fig))
    with theme():
        fig.savefig(svg_path, metadata={"Date": None, "Creator": None, "Title": figure_title(fig)},
                    bbox_inches="tight")
    return [png_path, svg_path]


def shown(name: str, lang: str, data: Any) -> tuple[Figure | None, bytes | None]:
    """The figure a notebook showed for ``name`` in ``lang`` from this very ``data``, with its PNG.

    Only in the report build's kernels (:mod:`camlo.report.kernel`), which keep what was shown;
    elsewhere, and for a figure not shown, ``(None, None)``: the figure is drawn anew.
    """
    kernel = sys.modules.get("camlo.report.kernel")
    return kernel.take_shown(name, lang, data) if kernel is not None else (None, None)


def draw(name: str, tables: PlanTables | None = None, lang: str = "en") -> Figure:
    """Draw registered figure ``name`` for ``tables`` (``None``: the shipped ones) in ``lang``.

    Examples:
        >>> fig = draw("01_households_by_status", lang="vi")
        >>> fig.axes[0].get_title(loc="left")
        'Hộ gia đình theo tình trạng nghèo, huyện Cam Lộ, đầu năm 2022'
    """
    registered = load_figure_modules()[name]
    return registered.draw(registered.data(load_plan_tables() if tables is None else tables), lang=lang)


def save_figures(figures: Iterable[str] | Mapping[str, Any], tables: PlanTables | None = None,
                 directory: Path | None = None, langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Draw and save registered figures in every language.

    Args:
        figures: Figure names, or a mapping of figure name to the data it draws (what the
            notebook computed); a name without data has it computed from ``tables``.
        tables: The tables to compute missing data from; ``None`` loads the shipped ones.
        directory: Where ``en/`` and ``vi/`` go; ``None`` is ``figures/`` (or ``CAMLO_FIGURES``).
        langs: The languages to draw.

    Figures are saved one after another, or by ``CAMLO_SAVE_WORKERS`` forked processes side by
    side (the report build's kernels: the last notebook to finish then uses every core). The
    files are the same either way.

    Returns:
        The paths written, in name then language order.
    """
    registry = load_figure_modules()
    given = dict(figures) if isinstance(figures, Mapping) else dict.fromkeys(figures, None)
    unknown = sorted(set(given) - set(registry))
    if unknown:
        raise KeyError(f"no registered figure {', '.join(map(repr, unknown))}")
    jobs = []
    for name in sorted(given):
        data = given[name]
        if data is None:
            tables = tables if tables is not None else load_plan_tables()
            data = registry[name].data(tables)
        for lang in langs:
            jobs.append((name, lang, data, *shown(name, lang, data), directory))
    workers = min(len(jobs), int(os.environ.get(SAVE_WORKERS, "1") or 1))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # forked workers inherit the jobs (data and figures) from this process: nothing is pickled
        _JOBS[:] = jobs
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return [path for paths in pool.map(_save_job, range(len(jobs)), chunksize=1) for path in paths]
        finally:
            _JOBS.clear()
    return [path for job in jobs for path in _save(*job)]


_JOBS: list[tuple] = []


def _save(name: str, lang: str, data: Any, fig: Figure | None, png: bytes | None, directory: Path | None) -> list[Path]:
    if fig is None:
        fig = load_figure_modules()[name].draw(data, lang=lang)
    return save_figure(fig, name, lang, directory, png=png)


def _save_job(index: int) -> list[Path]:
    return _save(*_JOBS[index])
