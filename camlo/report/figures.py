"""The one save path for every figure: PNG and SVG, English and Vietnamese, byte-reproducible.

``save_figures`` draws each registered figure (see :mod:`camlo.charts.style`) once per
language from data computed once, and writes ``figures/<lang>/<name>.png`` and ``.svg`` with
no dates or software versions in the files. A notebook passes the data it has already
computed and shown; anything not passed is computed from ``tables`` (the shipped tables by
default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from camlo.charts.style import DPI, load_figure_modules, theme
from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.labels import LANGS
from camlo.paths import FIGURES


def save_figure(fig: Figure, name: str, lang: str, directory: Path | None = None) -> list[Path]:
    """Save ``fig`` as ``directory/lang/name.png`` and ``.svg``, with no dates or versions.

    Returns:
        The two paths written.
    """
    out = Path(directory or FIGURES) / lang
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    with theme():
        fig.savefig(png, dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
        fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return [png, svg]


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

    Returns:
        The paths written, in name then language order.
    """
    registry = load_figure_modules()
    given = dict(figures) if isinstance(figures, Mapping) else dict.fromkeys(figures, None)
    unknown = sorted(set(given) - set(registry))
    if unknown:
        raise KeyError(f"no registered figure {', '.join(map(repr, unknown))}")
    written = []
    for name in sorted(given):
        data = given[name]
        if data is None:
            tables = tables if tables is not None else load_plan_tables()
            data = registry[name].data(tables)
        for lang in langs:
            written += save_figure(registry[name].draw(data, lang=lang), name, lang, directory)
    return written
