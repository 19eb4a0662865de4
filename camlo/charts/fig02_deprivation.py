"""Notebook 02's figures: which deprivations drive poverty where, and who must act.

Each figure draws exactly the data it is given (a part of notebook 02's answer,
:mod:`camlo.answers.deprivation`, computed by :mod:`camlo.measures`: the profiles, offices and
bounds of the Alkire–Foster measures; tested there and in ``tests/test_charts_deprivation.py``),
takes every visible word from :mod:`camlo.text.labels` and is registered with
:func:`camlo.charts.style.figure` under a ``02_`` name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from scipy.cluster import hierarchy

from camlo.charts.style import PALETTE, UNIT_COLOURS, figure, finish_heatmap, new_figure, wrap
from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, N_INDICATORS
from camlo.text.labels import dimension_label, indicator_label, label, unit_label
from camlo.text.numbers import format_number

#: One colour per indicator: a light and a dark shade per dimension (ColorBrewer "Paired",
#: with the pale yellow darkened so that it shows on white).
INDICATOR_COLOURS = {
    1: "#a6cee3", 2: "#1f78b4", 3: "#b2df8a", 4: "#33a02c", 5: "#fb9a99", 6: "#e31a1c",
    7: "#fdbf6f", 8: "#ff7f00", 9: "#cab2d6", 10: "#6a3d9a", 11: "#e8c930", 12: "#b15928",
}
#: One colour per unit (ColorBrewer "Dark2"), in printed order.


# --- Figures -----------------------------------------------------------------------------------------


def _number(value: float, lang: str, digits: int = 0) -> str:
    """A number as ``lang`` prints it (:func:`camlo.text.numbers.format_number`), never as ``-0``."""
    text = format_number(value, lang, digits)
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def _formatter(lang: str) -> FuncFormatter:
    """Axis ticks in the shortest exact form (``0.008``, ``25``), with the language's decimal mark."""

    def tick(value: float, _position: int) -> str:
        text = f"{round(value, 9):g}"
        return text.replace(".", ",") if lang == "vi" else text

    return FuncFormatter(tick)


def _row_labels(index, lang: str) -> list[str]:
    return [unit_label(u, lang) for u in index]


def _rate_heatmap(matrix: pd.DataFrame, columns: list[str], title: str, lang: str, width: float) -> Figure:
    fig, ax = new_figure(width, 5.2)
    values = 100 * matrix.to_numpy(dtype="float64")
    annot = np.vectorize(lambda v: _number(v, lang))(values)
    sns.heatmap(values, ax=ax, cmap="Reds", vmin=0, vmax=100, annot=annot, fmt="", linewidths=0.5,
                linecolor="white", cbar_kws={"label": label("dep_rate_pct", lang)},
                xticklabels=columns, yticklabels=_row_labels(matrix.index, lang))
    ax.axhline(len(matrix) - 1, color=PALETTE["district"], linewidth=2)
    finish_heatmap(fig, ax, wrap(title, 70))
    return fig


@figure("02_deprivation_rates")
def deprivation_rates(matrix: pd.DataFrame, lang: str = "en") -> Figure:
    """Heatmap: share of poor households deprived in each indicator, per unit and district."""
    columns = [wrap(indicator_label(j, lang, numbered=True), 24) for j in matrix.columns]
    return _rate_heatmap(matrix, columns, label("dep_rates_title", lang), lang, 11)


@figure("02_dimension_rates")
def dimension_rates(matrix: pd.DataFrame, lang: str = "en") -> Figure:
    """Heatmap: mean deprivation rate of each dimension among poor households."""
    columns = [wrap(dimension_label(d, lang), 16) for d in matrix.columns]
    return _rate_heatmap(matrix, columns, label("dim_rates_title", lang), lang, 8)


def _bar_colours(index) -> list[str]:
    return [PALETTE["district"] if u == DISTRICT else PALETTE["poor"] for u in index]


@figure("02_af_measures")
def af_measures_chart(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Bars: H, A and M0 per unit and for the district; A against Decree 07's 3 of 12."""
    fig, axes = new_figure(12, 4.8, ncols=3, sharey=True)
    y = np.arange(len(table))
    # H in % of households; A as a share of the 12 indicators; M0 as a ratio
    specs = (("H", 100, 1, "af_H_pct"), ("A", 1, 3, "af_A"), ("M0", 1, 4, "af_M0"))
    for ax, (measure, scale, digits, key) in zip(axes, specs):
        values = table[measure].to_numpy() * scale
        ax.barh(y, values, color=_bar_colours(table.index))
        for yi, v in zip(y, values):
            ax.text(v, yi, " " + _number(v, lang, digits), va="center", fontsize=8)
        ax.set_title(wrap(label(key, lang), 34), fontsize=10)
        ax.set_xlim(0, values.max() * 1.3)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(_formatter(lang))
    axes[1].axvline(DEPRIVATION_CUTOFF / N_INDICATORS, color="black", linestyle="--", linewidth=1,
                    label=label("af_A_cutoff", lang))
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9, frameon=False)
    axes[0].set_yticks(y, _row_labels(table.index, lang))
    axes[0].invert_yaxis()
    fig.suptitle(label("af_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig


def _finish_stacked(fig: Figure, ax, lang: str, *, xmax: float, xlabel: str, title: str) -> None:
    """Rows top to bottom, the value axis from 0, the legend outside on the right."""
    ax.invert_yaxis()
    ax.set_xlim(0, xmax)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()


def _stacked(matrix: pd.DataFrame, colours: list[str], names: list[str], title: str, lang: str) -> Figure:
    fig, ax = new_figure(11, 5.2)
    y = np.arange(len(matrix))
    left = np.zeros(len(matrix))
    for column, colour, name in zip(matrix.columns, colours, names):
        values = 100 * matrix[column].to_numpy(dtype="float64")
        ax.barh(y, values, left=left, color=colour, label=name, edgecolor="white", linewidth=0.5)
        left += values
    ax.set_yticks(y, _row_labels(matrix.index, lang))
    _finish_stacked(fig, ax, lang, xmax=100, xlabel=label("contribution_pct", lang), title=title)
    return fig


@figure("02_indicator_contributions")
def indicator_contributions(matrix: pd.DataFrame, lang: str = "en") -> Figure:
    """Stacked bars: each indicator's percentage contribution to M0, per unit and district."""
    names = [indicator_label(j, lang, numbered=True) for j in matrix.columns]
    return _stacked(matrix, [INDICATOR_COLOURS[j] for j in matrix.columns], names,
                    label("indicator_contrib_title", lang), lang)


@figure("02_dimension_contributions")
def dimension_contributions(data: dict, lang: str = "en") -> Figure:
    """Stacked bars: each dimension's percentage contribution to M0, per unit and district."""
    matrix, ind = data["matrix"], data["indicators"]
    # each dimension takes the dark shade of its indicators' pair
    colours = [INDICATOR_COLOURS[int(ind.loc[ind["dimension_en"] == d, "indicator"].max())] for d in matrix.columns]
    names = [dimension_label(d, lang) for d in matrix.columns]
    return _stacked(matrix, colours, names, label("dimension_contrib_title", lang), lang)


@figure("02_m0_share")
def m0_share(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Paired bars: each unit's share of the district M0 against its share of households."""
    fig, ax = new_figure(8, 5)
    y = np.arange(len(table))
    height = 0.38
    ax.barh(y - height / 2, 100 * table["M0_share"], height, color=PALETTE["poor"], label=label("m0_share_pct", lang))
    ax.barh(y + height / 2, 100 * table["pop_share"], height, color=PALETTE["other_households"],
            label=label("household_share_pct", lang))
    for yi, (a, b) in zip(y, zip(table["M0_share"], table["pop_share"])):
        ax.text(100 * a, yi - height / 2, " " + _number(100 * a, lang, 1), va="center", fontsize=8)
        ax.text(100 * b, yi + height / 2, " " + _number(100 * b, lang, 1), va="center", fontsize=8)
    ax.set_yticks(y, _row_labels(table.index, lang))
    ax.invert_yaxis()
    ax.set_xlim(0, 100 * table.to_numpy().max() * 1.2)
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.set_xlabel(label("share_pct", lang))
    ax.set_title(wrap(label("m0_share_title", lang), 50))
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def _dendrogram(ax, z: np.ndarray) -> None:
    """Draw the clustering tree sideways (root on the left), first leaf at the top.

    :func:`scipy.cluster.hierarchy.dendrogram` puts the leaves at y = 5, 15, ...; the y axis
    is flipped to match the heatmap's rows.
    """
    hierarchy.dendrogram(z, ax=ax, orientation="left", no_labels=True, color_threshold=0,
                         above_threshold_color=PALETTE["district"])
    for lines in ax.collections:
        lines.set_linewidth(1.2)
    ax.set_ylim(10 * len(z) + 10, 0)
    ax.grid(False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


@figure("02_unit_profiles")
def unit_profiles(data: dict, lang: str = "en") -> Figure:
    """Clustered heatmap: units' deprivation rates minus the district's (pp), with the tree."""
    clusters = data["clusters"]
    matrix = data["deviations"].loc[clusters["order"]]
    fig, (tree, ax) = new_figure(13, 5.2, ncols=2, gridspec_kw={"width_ratios": [1.3, 8]})
    if clusters["linkage"] is not None:
        _dendrogram(tree, clusters["linkage"])
    else:  # one unit: no tree to draw
        tree.set_yticks([])
    tree.set_xlabel(wrap(label("profile_distance_pp", lang), 18), fontsize=9)
    tree.xaxis.set_major_formatter(_formatter(lang))
    values = matrix.to_numpy(dtype="float64")
    limit = max(10.0, float(np.ceil(np.abs(values).max() / 10) * 10))
    annot = np.vectorize(lambda v: _number(v, lang))(values)
    sns.heatmap(values, ax=ax, cmap="RdBu_r", vmin=-limit, vmax=limit, annot=annot, fmt="",
                linewidths=0.5, linecolor="white", cbar_kws={"label": wrap(label("deviation_pp", lang), 32)},
                xticklabels=[wrap(indicator_label(j, lang, numbered=True), 24) for j in matrix.columns],
                yticklabels=_row_labels(matrix.index, lang))
    ax.grid(False)
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.suptitle(wrap(label("profiles_title", lang), 90), fontweight="bold")
    fig.tight_layout()
    return fig


@figure("02_office_workload")
def office_workload_chart(data: dict, lang: str = "en") -> Figure:
    """Stacked bars: household-deprivations each office must address, by unit."""
    matrix, names = data["matrix"], data["offices"].drop_duplicates("office_en").set_index("office_en")["office_vi"]
    fig, ax = new_figure(11, 4.8)
    y = np.arange(len(matrix))
    left = np.zeros(len(matrix))
    for unit, colour in zip(matrix.columns, UNIT_COLOURS):
        values = matrix[unit].to_numpy(dtype="float64")
        ax.barh(y, values, left=left, color=colour, label=unit_label(unit, lang), edgecolor="white", linewidth=0.5)
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, " " + _number(total, lang), va="center", fontsize=9)
    ax.set_yticks(y, [wrap(o if lang == "en" else names[o], 36) for o in matrix.index])
    _finish_stacked(fig, ax, lang, xmax=left.max() * 1.12, xlabel=wrap(label("household_deprivations", lang), 80),
                    title=label("workload_title", lang))
    return fig


@figure("02_overlap_bounds")
def overlap_bounds_chart(matrix: pd.DataFrame, lang: str = "en") -> Figure:
    """Heatmap: poor households certainly deprived in both of two indicators (district)."""
    values = matrix.to_numpy(dtype="float64")
    mask = np.triu(np.ones_like(values, dtype=bool), k=1)
    annot = np.vectorize(lambda v: _number(v, lang))(values)
    names = [wrap(indicator_label(j, lang, numbered=True), 24) for j in matrix.index]
    fig, ax = new_figure(10, 8.5)
    sns.heatmap(values, ax=ax, mask=mask, cmap="Purples", vmin=0, annot=annot, fmt="", linewidths=0.5,
                linecolor="white", cbar_kws={"label": label("households_both", lang)},
                xticklabels=names, yticklabels=names)
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", rotation=0)
    ax.set_title(wrap(label("overlap_title", lang), 70))
    ax.grid(False)
    fig.tight_layout()
    return fig


@figure("02_score_bounds")
def score_bounds_chart(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Ranges: share of poor households with 3 or more deprivations that the counts allow."""
    fig, ax = new_figure(8, 5)
    y = np.arange(len(table))
    lo, hi = 100 * table["share_min"].to_numpy(), 100 * table["share_max"].to_numpy()
    colours = _bar_colours(table.index)
    ax.hlines(y, lo, hi, colors=colours, linewidth=6, alpha=0.55)
    ax.scatter(lo, y, color=colours, marker="|", s=200, zorder=3, label=None)
    ax.scatter(hi, y, color=colours, marker="|", s=200, zorder=3)
    for yi, a, b in zip(y, lo, hi):
        ax.text(a, yi - 0.3, _number(a, lang), ha="center", va="bottom", fontsize=8)
        ax.text(b, yi - 0.3, _number(b, lang), ha="center", va="bottom", fontsize=8)
    ax.axvline(100, color="black", linestyle="--", linewidth=1, label=label("all_poor", lang))
    ax.set_yticks(y, _row_labels(table.index, lang))
    ax.invert_yaxis()
    ax.set_xlim(0, 108)
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.set_xlabel(label("share_of_poor_pct", lang))
    ax.set_title(wrap(label("score_bounds_title", lang), 60))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


#: The figures of notebook 02, in the order the notebook shows them.
NAMES = (
    "02_deprivation_rates", "02_dimension_rates", "02_af_measures", "02_indicator_contributions",
    "02_dimension_contributions", "02_m0_share", "02_unit_profiles", "02_office_workload",
    "02_overlap_bounds", "02_score_bounds",
)
