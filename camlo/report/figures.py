"""The one save path for every figure: PNG and SVG, English and Vietnamese, byte-reproducible.

``save_figures(answer.figures, folder)`` draws each registered figure (see
:mod:`camlo.charts.style`) once per language from the data of a notebook's answer
(:mod:`camlo.answers`), and writes ``folder/<lang>/<name>.png`` and ``.svg`` with no dates or
software versions in the files. Nothing is saved unless a caller names the folder: the report
build saves into its output, ``python -m camlo figures`` refreshes the project's ``figures/``.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import sys
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.transforms import Bbox

from camlo.charts.style import DPI, load_figure_modules, theme
from camlo.text.numbers import LANGS


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


#: The box each figure was cropped to when it was last drawn (:func:`render`).
_CROPS: weakref.WeakKeyDictionary[Figure, Bbox] = weakref.WeakKeyDictionary()


def crop_pixels(pixels: np.ndarray, box: Bbox, dpi: float, background: np.ndarray) -> np.ndarray:
    """The part of a canvas's ``pixels`` (rows from the top) inside ``box`` (inches from the
    bottom left), where the box reaches past the canvas filled with ``background``.

    The crop has the size savefig gives a box (its size in pixels, less any fraction).

    Examples:
        >>> canvas = np.zeros((2, 3, 4), dtype=np.uint8)  # 3 x 2 pixels at 1 dpi
        >>> crop_pixels(canvas, Bbox.from_extents(-1, 0, 2, 2), 1, np.full(4, 255, np.uint8))[..., 0]
        array([[255,   0,   0],
               [255,   0,   0]], dtype=uint8)
    """
    def whole(value: float) -> int:  # as matplotlib sizes a canvas: a hair below a whole number is it
        return math.floor(value + 1e-8)

    height, width = pixels.shape[:2]
    x0, y0 = whole(box.x0 * dpi), whole(box.y0 * dpi)
    x1, y1 = x0 + whole(box.width * dpi), y0 + whole(box.height * dpi)
    top, bottom = height - y1, height - y0  # rows, counted from the top
    out = np.empty((y1 - y0, x1 - x0, pixels.shape[2]), dtype=pixels.dtype)
    out[...] = background
    rows, cols = slice(max(top, 0), min(bottom, height)), slice(max(x0, 0), min(x1, width))
    out[rows.start - top:rows.stop - top, cols.start - x0:cols.stop - x0] = pixels[rows, cols]
    return out


def _background(fig: Figure) -> np.ndarray:
    """The pixel the figure's face paints (a transparent face: transparent white, as Agg clears)."""
    rgba = np.asarray(to_rgba(fig.get_facecolor()))
    if rgba[3] == 0:
        rgba = np.array([1.0, 1.0, 1.0, 0.0])
    return (rgba * 255).round().astype(np.uint8)


def render(fig: Figure) -> tuple[bytes, Bbox]:
    """``fig`` laid out and drawn once at the PNG's resolution: its PNG, cropped, and the crop box.

    The box is everything drawn, padded by ``savefig.pad_inches``, in inches (as
    ``bbox_inches="tight"`` crops). Saving with ``bbox_inches="tight"`` lays a figure out and
    draws it twice (once without output, to find the box), and again for every format: here
    the one drawing gives both the box and the pixels, which are cropped. A figure that draws
    past its canvas is drawn again on a canvas the size of the box. The box is kept for the
    figure's other formats (:func:`laid_out`).

    Examples:
        >>> fig = Figure(figsize=(4, 3), layout="constrained")
        >>> _ = fig.subplots().set_title("A title")
        >>> png, box = render(fig)
        >>> [round(float(v), 2) for v in box.bounds]  # x0, y0, width, height, in inches
        [-0.06, -0.06, 4.12, 3.12]
        >>> import struct
        >>> struct.unpack(">II", png[16:24])  # the PNG's width and height, in pixels (150 dpi)
        (617, 467)
    """
    with theme():
        canvas, dpi = fig.canvas, fig.dpi
        agg = FigureCanvasAgg(fig)
        fig.dpi = DPI
        try:
            agg.draw()
            drawn = fig.get_tightbbox(agg.get_renderer())
            box = drawn.padded(mpl.rcParams["savefig.pad_inches"])
            width, height = fig.get_size_inches()
            inside = drawn.x0 >= 0 and drawn.y0 >= 0 and drawn.x1 <= width and drawn.y1 <= height
            if inside:
                pixels = crop_pixels(np.asarray(agg.buffer_rgba()), box, DPI, _background(fig))
        finally:
            fig.dpi = dpi
            fig.set_canvas(canvas)
        fig.stale = False  # as drawn: a change from here on marks it stale, and it is drawn again
        _CROPS[fig] = box
        metadata = {"Software": None, "Title": figure_title(fig)}
        buffer = io.BytesIO()
        if inside:
            imsave(buffer, pixels, format="png", origin="upper", dpi=DPI, metadata=metadata)
        else:
            with laid_out(fig) as kept:
                fig.savefig(buffer, format="png", dpi=DPI, metadata=metadata, bbox_inches=kept)
    return buffer.getvalue(), box


@contextmanager
def laid_out(fig: Figure) -> Iterator[Bbox]:
    """Within: ``fig`` keeps the layout of its last :func:`render`, and yields its crop box.

    A format saved within draws the figure once, without laying it out again. A figure not
    rendered yet, or changed since (matplotlib marks it stale), is rendered first. The layout
    engine is back on afterwards.
    """
    box = _CROPS.get(fig)
    if box is None or fig.stale:
        _, box = render(fig)
    with theme():  # no layout engine means none (not the one the caller's rcParams would choose)
        engine = fig.get_layout_engine()
        fig.set_layout_engine(None)
        try:
            yield box
        finally:
            fig.set_layout_engine(engine)


def png_bytes(fig: Figure) -> bytes:
    """``fig`` as the PNG file :func:`save_figure` writes (dpi, crop, theme and metadata)."""
    return render(fig)[0]


def save_figure(fig: Figure, name: str, lang: str, directory: Path, *, png: bytes | None = None) -> list[Path]:
    """Save ``fig`` as ``directory/lang/name.png`` and ``.svg``, with no dates or versions.

    Each file carries the figure's title (:func:`figure_title`) as its ``Title``, which the
    reports' index shows as the caption.

    Args:
        png: The PNG already rendered by :func:`png_bytes` for this figure (as the report
            build's kernels do when a notebook shows it), written instead of rendering again.

    Returns:
        The two paths written.
    """
    out = Path(directory) / lang
    out.mkdir(parents=True, exist_ok=True)
    png_path, svg_path = out / f"{name}.png", out / f"{name}.svg"
    if png is None or fig.stale:  # not shown, or changed since: drawn as it is now
        png = png_bytes(fig)
    png_path.write_bytes(png)
    with laid_out(fig) as box:
        with theme():
            fig.savefig(svg_path, metadata={"Date": None, "Creator": None, "Title": figure_title(fig)},
                        bbox_inches=box)
    return [png_path, svg_path]


def shown(name: str, lang: str, data: Any) -> tuple[Figure | None, bytes | None]:
    """The figure a notebook showed for ``name`` in ``lang`` from this very ``data``, with its PNG.

    Only in the report build's kernels (:mod:`camlo.report.kernel`), which keep what was shown;
    elsewhere, and for a figure not shown, ``(None, None)``: the figure is drawn anew.
    """
    kernel = sys.modules.get("camlo.report.kernel")
    return kernel.take_shown(name, lang, data) if kernel is not None else (None, None)


def draw(name: str, data: Any, lang: str = "en") -> Figure:
    """Draw registered figure ``name`` from ``data`` (the answer's ``figures[name]``) in ``lang``."""
    return load_figure_modules()[name].draw(data, lang=lang)


def save_figures(figures: Mapping[str, Any], directory: str | Path, langs: tuple[str, ...] = LANGS, *,
                 workers: int = 1) -> list[Path]:
    """Draw and save registered figures in every language.

    Args:
        figures: Figure name -> the data it draws (an answer's ``figures``).
        directory: Where ``en/`` and ``vi/`` go.
        langs: The languages to draw.
        workers: Processes that save side by side (forked; the report build gives each kernel
            the cores the other notebooks leave it). The files are the same either way.

    Returns:
        The paths written, in name then language order.

    Raises:
        KeyError: naming a figure that is not registered.
    """
    registry = load_figure_modules()
    unknown = sorted(set(figures) - set(registry))
    if unknown:
        raise KeyError(f"no registered figure {', '.join(map(repr, unknown))}")
    jobs = [(name, lang, figures[name], *shown(name, lang, figures[name]), Path(directory))
            for name in sorted(figures) for lang in langs]
    workers = min(len(jobs), workers)
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


def _save(name: str, lang: str, data: Any, fig: Figure | None, png: bytes | None, directory: Path) -> list[Path]:
    if fig is None:
        fig = load_figure_modules()[name].draw(data, lang=lang)
    return save_figure(fig, name, lang, directory, png=png)


def _save_job(index: int) -> list[Path]:
    return _save(*_JOBS[index])


def refresh_figures(folder: Path) -> list[Path]:
    """Write every notebook's figures, from its answer on the shipped data, as ``folder/en|vi``.

    The project's ``figures/`` are refreshed this way only (``python -m camlo figures``): the
    new set is written beside the old one and swapped in per language, so that a figure no
    notebook draws any more disappears and an interrupted run leaves the old set.
    """
    import shutil

    from camlo.report.notebooks import answer_module, notebook_parameters, numbered_notebooks, read_notebook

    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    written = []
    for path in numbered_notebooks():
        nb = read_notebook(path)
        module = answer_module(nb)
        if module is not None:
            written += save_figures(module.run(notebook_parameters(nb)).figures, staging)
    folder.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        new, old, target = staging / lang, folder / f".{lang}-old", folder / lang
        new.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return [folder / p.relative_to(staging) for p in written]
