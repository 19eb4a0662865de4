"""How every figure looks, and the registry of figures by the name of their files.

A figure is a function ``draw(data, lang="en") -> matplotlib.figure.Figure`` that only draws:
it receives the numbers (computed by a stage above and kept in a notebook's answer,
:mod:`camlo.answers`, under the figure's name) and takes every visible label from
:mod:`camlo.text.labels`. Registering it with :func:`figure` names the file it is saved as, so
that :mod:`camlo.report.figures` can save every figure of an answer in both languages.

Each chart builds its own :class:`~matplotlib.figure.Figure` (no pyplot state) and draws
inside :func:`theme`, a :func:`matplotlib.rc_context`: importing or calling camlo never changes
the matplotlib settings of the caller's session.

Reproducible files: the font is pinned to DejaVu Sans (it carries every Vietnamese glyph and
ships with matplotlib), SVG text is drawn as paths with a fixed ``svg.hashsalt``.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib.figure import Figure

from camlo.constants import STEPS
from camlo.text.labels import label, review_label
from camlo.text.numbers import format_number

DPI = 150
DrawFunction = Callable[..., Figure]

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "svg.hashsalt": "camlo",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    # what every saved file looks like, whatever the caller's session has set
    "savefig.facecolor": "auto",
    "savefig.edgecolor": "auto",
    "savefig.transparent": False,
    "image.origin": "upper",
    # a figure's layout is the one its draw function chose (none means none)
    "figure.autolayout": False,
    "figure.constrained_layout.use": False,
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
#: One colour per unit, in the plan's order (charts that draw a line or bar per unit).
UNIT_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
#: The colours of the plan's path, its band, the observed reviews, the target and a projection's fan.
PATH_COLOURS = {"plan": PALETTE["district"], "band": "#95a5a6", "observed": "#000000", "target": PALETTE["poor"],
                "fan": PALETTE["csgn"], "unit": "#7f8c8d"}


def theme_rc() -> dict[str, Any]:
    """The rcParams of the project's style: seaborn's "whitegrid" and "notebook", pinned font.

    Examples:
        >>> rc = theme_rc()
        >>> rc["font.sans-serif"], rc["svg.hashsalt"], rc["axes.grid"]
        (['DejaVu Sans'], 'camlo', True)
    """
    return {
        **sns.axes_style("whitegrid"),
        **sns.plotting_context("notebook"),
        "axes.prop_cycle": cycler(color=sns.color_palette("deep")),
        **RC,
    }


@contextmanager
def theme() -> Iterator[None]:
    """Draw (or save) in the project's style for the ``with`` block only.

    Examples:
        >>> before = mpl.rcParams["svg.hashsalt"]
        >>> with theme():
        ...     mpl.rcParams["svg.hashsalt"]
        'camlo'
        >>> mpl.rcParams["svg.hashsalt"] == before
        True
    """
    with mpl.rc_context(theme_rc()):
        yield


def wrap(text: str, width: int = 28) -> str:
    """Break a label into lines of at most ``width`` characters, never inside a word.

    Examples:
        >>> print(wrap("Phương tiện phục vụ tiếp cận thông tin", 20))
        Phương tiện phục vụ
        tiếp cận thông tin
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=False))


@dataclass(frozen=True)
class Drawn:
    """Where a figure drawn by a registered function came from: its name, language and data.

    Set on the figure as ``fig.camlo_drawn`` when it was drawn as ``draw(data, lang)``, so that
    the report build's kernels can save the very figure a notebook showed
    (:mod:`camlo.report.kernel`).
    """

    name: str
    lang: str
    data: Any


@dataclass(frozen=True)
class Registered:
    """A registered figure: its file name and what draws it."""

    name: str
    draw: DrawFunction


#: Every registered figure, by file name (``NN_name``: NN is the notebook that shows it).
REGISTRY: dict[str, Registered] = {}


def figure(name: str) -> Callable[[DrawFunction], DrawFunction]:
    """Register ``draw(data, lang="en")`` as figure ``name``.

    The registered function draws inside :func:`theme`.

    Examples:
        >>> @figure("99_example")
        ... def example(values, lang="en"):
        ...     fig = Figure()
        ...     fig.subplots().plot(values)
        ...     return fig
        >>> REGISTRY["99_example"].name, type(example([1, 2])).__name__
        ('99_example', 'Figure')
        >>> del REGISTRY["99_example"]
    """

    def register(function: DrawFunction) -> DrawFunction:
        known = REGISTRY.get(name)
        if known is not None and getattr(known.draw, "__wrapped__", known.draw) is not function:
            raise ValueError(f"figure {name!r} registered twice")

        @functools.wraps(function)
        def themed(*args, **kwargs) -> Figure:
            with theme():  # the same style whatever the caller's session has set
                fig = function(*args, **kwargs)
            if args and len(args) <= 2 and set(kwargs) <= {"lang"}:
                fig.camlo_drawn = Drawn(name, args[1] if len(args) > 1 else kwargs.get("lang", "en"), args[0])
            return fig

        REGISTRY[name] = Registered(name, themed)
        return themed

    return register


def new_figure(width: float, height: float, **subplots) -> tuple[Figure, Any]:
    """A figure of its own (no pyplot), with ``fig.subplots(**subplots)``.

    Examples:
        >>> fig, (left, right) = new_figure(6, 3, ncols=2)
        >>> fig.get_size_inches().tolist(), len(fig.axes)
        ([6.0, 3.0], 2)
    """
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(**subplots)


def finish_heatmap(fig: Figure, ax: Any, title: str, *, x_rotation: int = 90, hide_grid: bool = True) -> None:
    """How a heatmap ends: its title, no axis names, upright row labels, a tight layout."""
    if hide_grid:
        ax.grid(False)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=x_rotation)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()


def review_axis(ax, lang: str, last: int = STEPS, width: int | None = None) -> None:
    """Review steps 0 to ``last`` (the target's, or a later observed review's) on the x axis,
    each label wrapped to ``width`` characters when given (narrow panels)."""
    names = [review_label(s, lang) for s in range(last + 1)]
    ax.set_xticks(range(last + 1), [wrap(n, width) if width else n for n in names])
    ax.set_xlabel(label("t03_review_axis", lang))
    ax.set_xlim(-0.3, last + 0.3)


def per_step_text(goal, lang: str) -> str:
    """The even path's reduction a step, whole where it is whole (27), else to two decimals (6.25).

    Examples:
        >>> from types import SimpleNamespace
        >>> per_step_text(SimpleNamespace(per_step=27), "en"), per_step_text(SimpleNamespace(per_step=6.25), "vi")
        ('27', '6,25')
    """
    per_step = float(goal.per_step)
    return format_number(per_step, lang, 0 if per_step.is_integer() else 2)


def path_target_observed(ax, data, goal, lang: str, fmt: str, tick_width: int | None = None, **style) -> None:
    """The plan's path (``fmt``), the target line and the observed counts (each labelled with its
    value), on review steps.

    Args:
        data: One row per review step: ``step``, ``plan_poor``, ``observed_poor`` (missing where
            not planned or not observed).
        goal: The plan's goal (its ``per_step`` and ``target_poor``).
    """
    planned = data.dropna(subset=["plan_poor"])
    ax.plot(planned["step"], planned["plan_poor"], fmt, color=PATH_COLOURS["plan"], **style,
            label=label("t03_plan_path", lang).format(per_step=per_step_text(goal, lang)))
    ax.axhline(goal.target_poor, color=PATH_COLOURS["target"], linestyle=":",
               label=label("t03_target_line", lang).format(target=format_number(goal.target_poor, lang)))
    seen = data.dropna(subset=["observed_poor"])
    if len(seen):
        ax.plot(seen["step"], seen["observed_poor"], "o", color=PATH_COLOURS["observed"], markersize=7, zorder=5,
                label=label("t03_observed", lang))
        for step, value in zip(seen["step"], seen["observed_poor"]):
            ax.annotate(format_number(value, lang), (step, value), textcoords="offset points", xytext=(8, -4),
                        fontsize=9, color=PATH_COLOURS["observed"])
    review_axis(ax, lang, int(data["step"].max()), tick_width)
    ax.set_ylabel(label("poor", lang))


def draw_given(figures, name: str, lang: str = "en") -> Figure | None:
    """Figure ``name`` drawn from ``figures[name]`` (an answer's figures), or ``None`` when the
    answer has no such figure (its data could not support it: the answer's text says why).

    Examples:
        >>> draw_given({}, "04_transitions") is None
        True
    """
    return REGISTRY[name].draw(figures[name], lang=lang) if name in figures else None


#: Modules that define registered figures, one per notebook.
FIGURE_MODULES: tuple[str, ...] = (
    "camlo.charts.fig01_baseline", "camlo.charts.fig02_deprivation", "camlo.charts.fig03_targets",
    "camlo.charts.fig04_records",
)


def load_figure_modules() -> dict[str, Registered]:
    """Import every figure module (each registers its figures) and return the registry."""
    import importlib

    for module in FIGURE_MODULES:
        importlib.import_module(module)
    return REGISTRY
