"""Notebook 03: how far each unit is from each target, what pace the plan needs, how likely it is.

Each figure is a function ``draw(data, lang="en")`` that only draws the data it is given (a part
of notebook 03's answer, :mod:`camlo.answers.targets`, under the figure's name), registered with
:func:`camlo.charts.style.figure` under a ``03_`` name (:data:`NAMES`):

=========================  ============================================================  =========================
figure                     data (computed in the answer)                                 draw
=========================  ============================================================  =========================
``03_target_gaps``         ``counts``, ``shortfall`` (:func:`camlo.targets.gaps.gap_matrix`)  :func:`target_gaps_chart`
                           and ``rows`` (each target's indicator and percentage)
``03_target_baselines``    ``gaps`` (:func:`camlo.targets.gaps.target_gaps`) and ``worst``   :func:`target_baselines_chart`
                           (:func:`camlo.targets.gaps.worst_units`)
``03_plan_paths``          :func:`camlo.targets.plan.path_comparison`                    :func:`plan_paths_chart`
``03_successor_paths``     :func:`camlo.targets.plan.area_paths`                         :func:`successor_paths_chart`
``03_allocation``          :func:`camlo.targets.plan.allocation_comparison`              :func:`allocation_chart`
``03_projection_fan``      :func:`camlo.targets.projection.projection_fan`               :func:`projection_fan_chart`
``03_sensitivity_heatmap`` :func:`camlo.targets.sensitivity.sensitivity_matrix`          :func:`sensitivity_heatmap_chart`
``03_sensitivity_tornado`` :func:`camlo.targets.sensitivity.tornado_table`               :func:`sensitivity_tornado_chart`
``03_context_pace``        :func:`camlo.targets.pace.pace_comparison`                    :func:`context_pace_chart`
=========================  ============================================================  =========================

The projection's figures draw the very projection the answer ran, with its parameters, its
paths starting from the latest observed review.

Time runs along review steps (0 = start of 2022, the baseline; 4 = end of 2025, the target;
5 = end of 2026, when an observed review reaches it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from camlo.charts.style import (
    PALETTE,
    PATH_COLOURS,
    figure,
    finish_heatmap,
    new_figure,
    path_target_observed,
    wrap,
)
from camlo.constants import DISTRICT
from camlo.text.labels import indicator_label, label, review_label, unit_label
from camlo.text.sentences import ProbabilityRange
from camlo.text.numbers import format_number, format_probability

#: The figures of notebook 03, in the order the notebook shows them.
NAMES = ("03_target_gaps", "03_target_baselines", "03_plan_paths", "03_successor_paths", "03_allocation",
         "03_projection_fan", "03_sensitivity_heatmap", "03_sensitivity_tornado", "03_context_pace")


# --- Drawing helpers -----------------------------------------------------------------------------------


def _target_label(target: str, indicator: int, pct: float, lang: str) -> str:
    return label("t03_target_row", lang).format(
        target=target, indicator=indicator_label(indicator, lang), pct=format_number(pct, lang))


# --- Figures -------------------------------------------------------------------------------------------


@figure("03_target_gaps")
def target_gaps_chart(data: dict, lang: str = "en") -> Figure:
    """Heatmap: poor households still to reach each target, per unit and district.

    Args:
        data: ``counts``, the poor households short of each target (targets × units, the
            district last: its gap on its totals, see :func:`camlo.targets.gaps.gap_readings`,
            labelled so), shown in the cells; ``shortfall``, the shortfall in percentage points
            (same shape), the colour; ``rows``, each target's ``indicator`` and ``target_pct``.

    Examples:
        >>> from camlo.answers import targets
        >>> data = targets.run({"n_paths": 500, "sensitivity_paths": 50}).figures["03_target_gaps"]
        >>> fig = target_gaps_chart(data, "vi")
        >>> " ".join(fig.axes[0].get_xticklabels()[-1].get_text().split())
        'Huyện Cam Lộ (theo tổng số)'
    """
    counts, shortfall, rows = data["counts"], data["shortfall"], data["rows"]
    fig, ax = new_figure(11, 5.2)
    annot = np.vectorize(lambda v: format_number(v, lang))(counts.to_numpy())
    sns.heatmap(shortfall.to_numpy(), ax=ax, cmap="Reds", vmin=0, vmax=100, annot=annot, fmt="",
                linewidths=0.5, linecolor="white", cbar_kws={"label": label("t03_gap_colorbar", lang)},
                xticklabels=[wrap(label("t03_district_totals", lang) if c == DISTRICT else unit_label(c, lang), 7)
                             for c in counts.columns],
                yticklabels=[_target_label(t, rows.loc[t, "indicator"], rows.loc[t, "target_pct"], lang)
                             for t in counts.index])
    ax.axvline(len(counts.columns) - 1, color=PALETTE["district"], linewidth=2)
    finish_heatmap(fig, ax, wrap(label("t03_gap_title", lang), 80), x_rotation=0, hide_grid=False)
    return fig


@figure("03_target_baselines")
def target_baselines_chart(data: dict, lang: str = "en") -> Figure:
    """Dot plot: each unit's share of poor households not deprived, the district's, the target.

    Args:
        data: ``gaps`` (:func:`camlo.targets.gaps.target_gaps`) and ``worst``, the unit
            farthest from each target (:func:`camlo.targets.gaps.worst_units`), named where it
            does not meet it.
    """
    gaps = data["gaps"]
    order = list(dict.fromkeys(gaps["target"]))
    fig, ax = new_figure(10, 5.5)
    y = {target: k for k, target in enumerate(order)}
    units = gaps[gaps["unit"] != DISTRICT]
    district = gaps[gaps["unit"] == DISTRICT]
    ax.scatter(units["baseline_pct"], units["target"].map(y), color=PATH_COLOURS["unit"], s=30, alpha=0.8,
               label=label("t03_unit_marker", lang), zorder=3)
    ax.scatter(district["baseline_pct"], district["target"].map(y), marker="D", color=PALETTE["district"],
               s=60, label=unit_label(DISTRICT, lang), zorder=4)
    ax.scatter(district["target_pct"], district["target"].map(y), marker="|", color=PATH_COLOURS["target"], s=400,
               linewidths=3, label=label("t03_target_marker", lang), zorder=4)
    for worst in data["worst"].itertuples():
        if worst.worst_gap:
            ax.annotate(unit_label(worst.worst_unit, lang), (worst.worst_pct, y[worst.target]),
                        textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8)
    ax.set_yticks(range(len(order)),
                  [_target_label(t, gaps.loc[gaps["target"] == t, "indicator"].iloc[0],
                                 gaps.loc[gaps["target"] == t, "target_pct"].iloc[0], lang) for t in order])
    ax.invert_yaxis()
    ax.set_xlim(-3, 103)
    ax.set_xlabel(label("t03_baseline_axis", lang))
    return _legend_below(fig, ax, wrap(label("t03_baseline_title", lang), 60), ncols=3, below=0.12)


@figure("03_plan_paths")
def plan_paths_chart(paths: Any, lang: str = "en") -> Figure:
    """Line chart: the plan's even path, the range the band implies, the target, observed reviews.

    Args:
        paths: :func:`camlo.targets.plan.path_comparison`.
    """
    goal, data, fig, ax = _path_figure(paths)
    band = label("t03_band", lang).format(low=format_number(goal.band_low_pct, lang, 2),
                                         high=format_number(goal.band_high_pct, lang, 2))
    ax.fill_between(data["step"], data["band_poor_high"], data["band_poor_low"], color=PATH_COLOURS["band"],
                    alpha=0.3, label=band)
    path_target_observed(ax, data, goal, lang, "-s")
    return _finish_paths(fig, ax, label("t03_paths_title", lang))


def _legend_below(fig: Figure, ax: Any, title: str, *, ncols: int, below: float) -> Figure:
    """How a chart with its legend under the axes ends: title, legend, a tight layout."""
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -below), ncols=ncols, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def _path_figure(paths: Any) -> tuple[Any, pd.DataFrame, Figure, Any]:
    """The goal and table of a chart of paths (the plan's, or a projection's), and its figure."""
    fig, ax = new_figure(9, 5)
    return paths.goal, paths.table, fig, ax


def _finish_paths(fig: Figure, ax: Any, title: str) -> Figure:
    """How a chart of paths ends: its title, the legend at the top right, a tight layout."""
    ax.set_title(wrap(title, 70))
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


@figure("03_successor_paths")
def successor_paths_chart(paths: Any, lang: str = "en") -> Figure:
    """One panel per commune formed on 1 July 2025: its even path to its own target, observed counts.

    Args:
        paths: :func:`camlo.targets.plan.area_paths` (``by="successor"``).
    """
    fig, axes = new_figure(11, 4.8, ncols=len(paths.goals), sharey=False)
    for ax, (key, goal) in zip(np.atleast_1d(axes), paths.goals.items()):
        data = paths.table[paths.table["unit"] == key]
        path_target_observed(ax, data, goal, lang, "-s", tick_width=9)
        ax.set_title(wrap(label("t03_successor_panel", lang).format(
            unit=unit_label(key, lang), baseline=format_number(goal.baseline_poor, lang),
            households=format_number(goal.households, lang)), 45), fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
    fig.suptitle(wrap(label("t03_successor_title", lang), 90), fontweight="bold")
    fig.tight_layout()
    return fig


@figure("03_allocation")
def allocation_chart(allocation: pd.DataFrame, lang: str = "en") -> Figure:
    """Grouped bars: each unit's share of the planned reduction under three bases; hatched where above its CSGN.

    Args:
        allocation: :func:`camlo.targets.plan.allocation_comparison`.
    """
    data = allocation
    bases = [("by_csgn", PALETTE["csgn"]), ("by_poor", PALETTE["poor"]), ("by_households", "#95a5a6")]
    fig, ax = new_figure(10, 5.5)
    y = np.arange(len(data))
    height = 0.26
    handles = []
    for k, (column, colour) in enumerate(bases):
        bars = ax.barh(y + (k - 1) * height, data[column], height=height, color=colour)
        handles.append(Patch(facecolor=colour, label=label(f"t03_{column}", lang)))
        for bar, value, above in zip(bars, data[column], data[column] > data["csgn"]):
            if above:
                bar.set_hatch("///")
                bar.set_edgecolor("white")
            ax.annotate(format_number(value, lang), (value, bar.get_y() + height / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [unit_label(c, lang) for c in data["unit"]])
    ax.invert_yaxis()
    ax.set_xlabel(label("t03_alloc_axis", lang))
    handles.append(Patch(facecolor="#999999", hatch="///", edgecolor="white",
                         label=label("t03_exceeds_csgn", lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    ax.set_title(wrap(label("t03_alloc_title", lang), 70))
    fig.tight_layout()
    return fig


@figure("03_projection_fan")
def projection_fan_chart(fan: Any, lang: str = "en") -> Figure:
    """Fan chart: 90% and 50% ranges and median of the projection, plan path, target, observed.

    Args:
        fan: :func:`camlo.targets.projection.projection_fan`.
    """
    goal, data, fig, ax = _path_figure(fan)
    ax.fill_between(data["step"], data["p05"], data["p95"], color=PATH_COLOURS["fan"], alpha=0.18,
                    label=label("t03_fan_90", lang))
    ax.fill_between(data["step"], data["p25"], data["p75"], color=PATH_COLOURS["fan"], alpha=0.35,
                    label=label("t03_fan_50", lang))
    ax.plot(data["step"], data["p50"], color=PATH_COLOURS["fan"], linewidth=2, label=label("t03_fan_median", lang))
    path_target_observed(ax, data, goal, lang, "--s", markersize=4)
    low, _, high = fan.probability_range or (fan.probability_target_met,) * 3
    note = label("t03_probability_range_note", lang).format(
        p=format_probability(fan.probability_target_met, lang), range=ProbabilityRange(low, high).text(lang),
        seed=fan.seed)
    if fan.start is not None:
        note = label("t03_fan_start", lang).format(
            review=review_label(fan.start.step, lang), poor=format_number(fan.start.poor, lang)) + "\n" + note
    note = "\n".join(wrap(part, 50) for part in note.split("\n"))
    ax.text(0.01, 0.02, note, transform=ax.transAxes, fontsize=9, va="bottom")
    return _finish_paths(fig, ax, label("t03_fan_title", lang))


def _above(lang: str) -> str:
    return format_probability(1.0, lang).split(" ")[0]


def _below(lang: str) -> str:
    return format_probability(0.0, lang).split(" ")[0]


@figure("03_sensitivity_heatmap")
def sensitivity_heatmap_chart(sensitivity: Any, lang: str = "en") -> Figure:
    """Heatmap: P(target met) over CSGN exit probability × newly poor households a year.

    Args:
        sensitivity: :func:`camlo.targets.sensitivity.sensitivity_matrix`; the cell of its
            parameters is boxed when on the grid.
    """
    params, matrix = sensitivity.params, sensitivity.table
    fig, ax = new_figure(9, 6.5)
    # a cell's probability as the sentences write it: never 100 or 0, as if certain ("> 99", "< 1")
    annot = np.vectorize(lambda v: "" if np.isnan(v) else format_probability(v / 100, lang).replace("%", "")
                         .replace(_above(lang), ">").replace(_below(lang), "<"))(matrix.to_numpy())
    sns.heatmap(matrix.to_numpy(), ax=ax, cmap="RdYlGn", vmin=0, vmax=100, annot=annot, fmt="",
                linewidths=0.5, linecolor="white", cbar_kws={"label": label("t03_probability_axis", lang)},
                xticklabels=[format_number(v, lang) for v in matrix.columns],
                yticklabels=[format_number(v, lang, 2) for v in matrix.index])
    rows, columns = list(matrix.index), list(matrix.columns)
    if params.csgn_exit in rows and params.newly_poor in columns:
        ax.add_patch(Rectangle((columns.index(params.newly_poor), rows.index(params.csgn_exit)), 1, 1,
                               fill=False, edgecolor="black", linewidth=2.5))
    ax.set_xlabel(label("t03_newly_poor", lang))
    ax.set_ylabel(label("t03_csgn_exit", lang))
    ax.tick_params(axis="y", rotation=0)
    title = label("t03_heatmap_title", lang)
    if getattr(sensitivity, "uncertain_split", False):
        title += "\n" + label("t03_heatmap_split", lang)
    if sensitivity.start is not None:
        title += "\n" + label("t03_fan_start", lang).format(
            review=review_label(sensitivity.start.step, lang), poor=format_number(sensitivity.start.poor, lang))
    ax.set_title("\n".join(wrap(part, 70) for part in title.split("\n")))
    fig.tight_layout()
    return fig


@figure("03_sensitivity_tornado")
def sensitivity_tornado_chart(tornado: pd.DataFrame, lang: str = "en") -> Figure:
    """Tornado: P(target met) with each parameter at the low and high ends of its plausible values.

    Args:
        tornado: :func:`camlo.targets.sensitivity.tornado_table`.
    """
    data = tornado
    base = 100 * data["probability_base"].iloc[0]
    fig, ax = new_figure(9, 4.5)
    y = np.arange(len(data))
    for end, colour in (("low", "#7fb3d5"), ("high", "#1f618d")):
        values = 100 * data[f"probability_{end}"]
        ax.barh(y, values - base, left=base, color=colour, height=0.6,
                label=label(f"t03_tornado_{end}", lang))
        # each end marked too, so that a rate that moves nothing still shows where it leaves the probability
        ax.plot(values, y, "D", color=colour, markersize=6, markeredgecolor="white", zorder=4)
    names = []
    for row in data.itertuples():
        places = 0 if row.parameter == "newly_poor" else 2
        names.append(label("t03_tornado_row", lang).format(
            name=label(f"t03_{row.parameter}", lang), low=format_number(row.low, lang, places),
            high=format_number(row.high, lang, places)))
    ax.set_yticks(y, [wrap(n, 38) for n in names])
    ax.invert_yaxis()
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlim(0, 102)
    ax.set_xlabel(label("t03_probability_axis", lang))
    return _legend_below(fig, ax, wrap(label("t03_tornado_title", lang), 50), ncols=2, below=0.2)


@figure("03_context_pace")
def context_pace_chart(pace: Any, lang: str = "en") -> Figure:
    """Bars: annual fall in the poor rate (points, and % of the rate) in reviews and in the plan.

    Args:
        pace: :func:`camlo.targets.pace.pace_comparison`; the plan's band is drawn on its bar.
    """
    goal, data = pace.goal, pace.table
    names = [label(f"t03_area_{row.key}", lang).format(start=row.from_year, end=row.to_year)
             for row in data.itertuples()]
    colours = [PALETTE["csgn"] if key == "plan" else PALETTE["poor"] if key == "cam_lo" else "#95a5a6"
               for key in data["key"]]
    fig, axes = new_figure(11, 4.5, ncols=2, sharey=True)
    for ax, column, places, axis_key in ((axes[0], "fall_pp", 2, "t03_fall_pp_axis"),
                                         (axes[1], "relative_fall_pct", 1, "t03_fall_rel_axis")):
        bars = ax.barh(range(len(data)), data[column], color=colours)
        for bar, value, key in zip(bars, data[column], data["key"]):
            # the plan's value is written past the band's error bar, which the left panel draws on it
            at = max(value, goal.band_high_pct) if key == "plan" and column == "fall_pp" else value
            ax.annotate(format_number(value, lang, places), (at, bar.get_y() + bar.get_height() / 2),
                        xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
        ax.set_xlabel(wrap(label(axis_key, lang), 40))
        ax.set_xlim(0, data[column].max() * 1.25)
    plan_row = len(data) - 1
    axes[0].errorbar([(goal.band_low_pct + goal.band_high_pct) / 2], [plan_row],
                     xerr=[[(goal.band_high_pct - goal.band_low_pct) / 2]], fmt="none", ecolor="black",
                     capsize=4, label=label("t03_plan_band", lang).format(
                         low=format_number(goal.band_low_pct, lang, 2),
                         high=format_number(goal.band_high_pct, lang, 2)))
    axes[0].legend(loc="lower right", fontsize=9)
    axes[0].set_yticks(range(len(data)), [wrap(n, 26) for n in names])
    axes[0].invert_yaxis()
    fig.suptitle(wrap(label("t03_context_title", lang), 90), fontweight="bold")
    fig.tight_layout()
    return fig
