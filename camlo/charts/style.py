"""Figures that serve two languages, saved byte-reproducibly.

A figure is made by one function ``f(lang="en") -> matplotlib.figure.Figure`` that takes every
visible label from :mod:`camlo.labels`. Registering it with :func:`figure` lets
:func:`save_all` write it as PNG and SVG under ``figures/en/`` and ``figures/vi/``.

A registered function runs, and every figure is saved, inside :func:`theme`, so the files do
not depend on the style of the session that calls them.

Reproducible files: the font is pinned to DejaVu Sans (it carries every Vietnamese glyph and
ships with matplotlib), SVG text is drawn as paths with a fixed ``svg.hashsalt``, and neither
format records a date or a software version.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure

from camlo.labels import LANGS
from camlo.paths import FIGURES

DPI = 150
FigureFunction = Callable[..., Figure]
REGISTRY: dict[str, FigureFunction] = {}

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "svg.hashsalt": "camlo",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "axes.titleweight": "bold",
}

#: Colours, fixed so a status means the same colour in every chart.
PALETTE = {
    "poor": "#c0392b",
    "near_poor": "#e67e22",
    "other_households": "#bdc3c7",
    "btxh": "#7f8c8d",
    "csgn": "#2980b9",
    "reconciled": "#8e44ad",
    "district": "#2c3e50",
}


def set_theme() -> None:
    """Apply the project's seaborn theme with the pinned font and reproducible output.

    Examples:
        >>> with theme():
        ...     set_theme()
        ...     plt.rcParams["font.sans-serif"], plt.rcParams["svg.hashsalt"]
        (['DejaVu Sans'], 'camlo')
    """
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update(RC)


@contextmanager
def theme() -> Iterator[None]:
    """Apply :func:`set_theme` for the ``with`` block only, then restore the caller's rcParams.

    Registered figure functions run inside it, and figures are saved inside it, so a figure
    file does not depend on whatever style the calling session happens to have set.

    Examples:
        >>> plt.rcParams["svg.hashsalt"] = None
        >>> with theme():
        ...     plt.rcParams["svg.hashsalt"]
        'camlo'
        >>> plt.rcParams["svg.hashsalt"] is None
        True
    """
    saved = plt.rcParams.copy()
    try:
        set_theme()
        yield
    finally:
        # Restore the caller's style but not "interactive": pyplot may switch it on while the
        # block runs (the first figure of a fresh kernel), and turning it off again would stop
        # later figures from showing inline.
        interactive = plt.rcParams["interactive"]
        dict.update(plt.rcParams, saved)
        dict.__setitem__(plt.rcParams, "interactive", interactive)


def wrap(text: str, width: int = 28) -> str:
    """Break a label into lines of at most ``width`` characters, never inside a word.

    Examples:
        >>> print(wrap("Phương tiện phục vụ tiếp cận thông tin", 20))
        Phương tiện phục vụ
        tiếp cận thông tin
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=False))


def figure(name: str) -> Callable[[FigureFunction], FigureFunction]:
    """Register a figure function under the file name it is saved as.

    Examples:
        >>> @figure("99_example")
        ... def example(lang="en"):
        ...     return plt.figure()
        >>> "99_example" in REGISTRY
        True
        >>> del REGISTRY["99_example"]
    """

    def register(function: FigureFunction) -> FigureFunction:
        known = REGISTRY.get(name)
        if known is not None and getattr(known, "__wrapped__", known) is not function:
            raise ValueError(f"figure {name!r} registered twice")

        @functools.wraps(function)
        def themed(*args, **kwargs) -> Figure:
            with theme():  # the same style whatever the caller's session has set
                return function(*args, **kwargs)

        REGISTRY[name] = themed
        return themed

    return register


def save_figure(fig: Figure, name: str, lang: str, directory: Path = FIGURES) -> list[Path]:
    """Save ``fig`` as ``directory/lang/name.png`` and ``.svg``, with no dates or versions.

    Returns:
        The two paths written.
    """
    out = Path(directory) / lang
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    with theme():
        fig.savefig(png, dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
        fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return [png, svg]


def save_all(names: list[str] | None = None, directory: Path = FIGURES,
             langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Make and save every registered figure (or those in ``names``) in each language."""
    _load_figure_modules()
    written = []
    for name in sorted(names or REGISTRY):
        for lang in langs:
            with theme():
                fig = REGISTRY[name](lang=lang)
                written += save_figure(fig, name, lang, directory)
            plt.close(fig)
    return written


def _load_figure_modules() -> None:
    """Import the modules whose figure functions register themselves."""
    import importlib

    for module in FIGURE_MODULES:
        importlib.import_module(module)


#: Modules that define registered figures; each notebook's figures live in one.
FIGURE_MODULES: list[str] = ["camlo.charts.fig02_deprivation", "camlo.charts.fig03_targets", "camlo.charts.fig01_baseline"]
