"""Notebook 04's figures: what household records show that the printed counts cannot.

Each figure draws exactly the data it is given: the figure's entry in notebook 04's answer
(:func:`camlo.answers.records.answer`, ``answer.figures[name]``), computed there from the
records the notebook was given (:mod:`camlo.measures` tests the numbers). It is registered
with :func:`camlo.charts.style.figure` under a ``04_`` name (:data:`NAMES`). A figure's data is
a dict of tables, with the order its parts are drawn in where a chart needs it:

==========================  ==========================================================================
figure                      data
==========================  ==========================================================================
``04_score_distribution``   ``table`` (:func:`~camlo.measures.scores.score_distribution`), ``statuses``
``04_measures_by_k``        ``H``, ``A``, ``M0`` (:func:`~camlo.measures.af_records.measure_by_k`), ``official``
``04_rank_by_k``            ``ranks`` (:func:`~camlo.measures.af_records.rank_by_k`), ``official``
``04_co_deprivation``       ``both``, ``r0`` (:func:`~camlo.measures.scores.pair_matrix`)
``04_decomposition``        one table per group column (``groups``), each a ``group_summary``
``04_transitions``          ``table`` (:func:`~camlo.measures.transitions.transitions`), ``before``,
                            ``after``, ``steps`` (only when a second review was given)
``04_projection_measured``  :func:`~camlo.targets.projection.measured_projection` (likewise)
==========================  ==========================================================================

Every data dict carries ``synthetic``: when true, each figure's source line says that the
records are made up, so that what it shows (the score distribution, the overlaps, the
transitions) is the generator's assumptions, not findings about Cam Lộ.
"""

from __future__ import annotations

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from camlo.charts.style import PALETTE, PATH_COLOURS, UNIT_COLOURS, figure, path_target_observed, wrap
from camlo.constants import DISTRICT
from camlo.text.labels import indicator_label, label, unit_label
from camlo.text.sentences import ProbabilityRange
from camlo.text.numbers import format_number, format_probability

#: The figures of notebook 04, in the order the notebook shows them.
NAMES = ("04_score_distribution", "04_measures_by_k", "04_rank_by_k", "04_co_deprivation", "04_decomposition",
         "04_transitions", "04_projection_measured")

STATUS_COLOURS = {"poor": PALETTE["poor"], "not_listed": "#6c3483", "near_poor": PALETTE["near_poor"],
                  "middle": "#95a5a6", "above_middle": "#d5dbdb", "above_poor_line": "#b2babb"}


# --- Drawing helpers -----------------------------------------------------------------------------------


def _new_figure(width: float, height: float, **subplots) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(**subplots)


def _source(fig: Figure, synthetic: bool, lang: str, notes: tuple[str, ...] = ()) -> None:
    """The source line at the foot of the figure: the synthetic caveat when the records are made up."""
    text = label("r04_source_synthetic" if synthetic else "r04_source_records", lang)
    lines = [*notes, *wrap(text, int(fig.get_figwidth() * 17)).split("\n")]
    bottom = (0.16 * len(lines) + 0.12) / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.005, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize="x-small", color="dimgray")


def _number(value: float, lang: str, digits: int = 0) -> str:
    text = format_number(value, lang, digits)
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def _ticks(axis, lang: str, digits: int | None = None) -> None:
    """Tick labels in ``lang``'s number format (shortest exact form unless ``digits``)."""
    def tick(value: float, _position: int) -> str:
        if digits is not None:
            return _number(value, lang, digits)
        text = f"{round(value, 9):g}"
        return text.replace(".", ",") if lang == "vi" else text

    axis.set_major_formatter(FuncFormatter(tick))


def _k_label(k, official: str, lang: str) -> str:
    return label("r04_official", lang) if k == official else str(k)


def _group_label(by: str, value, lang: str) -> str:
    if value == DISTRICT:
        return label("district", lang)
    if by == "unit":
        return unit_label(value, lang)
    if by == "area":
        return label(f"r04_area_{value}", lang)
    return label("r04_dtts_yes" if int(value) == 1 else "r04_dtts_no", lang)


# --- Figures -------------------------------------------------------------------------------------------


@figure("04_score_distribution")
def score_distribution_chart(data: dict, lang: str = "en") -> Figure:
    """Bars: the district's households by number of deprivations and status; heatmap: poor households per unit."""
    table = data["table"]
    district = table[table["unit"] == DISTRICT].pivot(index="deprivations", columns="status", values="households")
    statuses = [s for s in data["statuses"] if s in district.columns]
    fig, (left, right) = _new_figure(13, 5.4, ncols=2, gridspec_kw={"width_ratios": [1, 1.25]})
    shown = district.loc[district.index >= 1]
    bottom = np.zeros(len(shown))
    for status in statuses:
        values = shown[status].to_numpy(dtype="float64")
        left.bar(shown.index, values, bottom=bottom, color=STATUS_COLOURS[status], label=label(f"r04_status_{status}", lang),
                 edgecolor="white", linewidth=0.5)
        bottom += values
    for x, total in zip(shown.index, bottom):
        if total:
            left.text(x, total, _number(total, lang), ha="center", va="bottom", fontsize=7)
    left.set_xticks(shown.index)
    left.set_xlabel(label("r04_deprivations_axis", lang))
    left.set_ylabel(label("households", lang))
    _ticks(left.yaxis, lang, 0)
    left.set_title(wrap(label("r04_score_left", lang), 60), fontsize=10)
    left.legend(fontsize=8, loc="upper right")
    left.grid(axis="x", visible=False)

    poor = table[table["status"] == "poor"]
    units = list(dict.fromkeys(poor["unit"]))
    matrix = poor.pivot(index="unit", columns="deprivations", values="households").loc[units]
    values = matrix.to_numpy(dtype="float64")
    annot = np.vectorize(lambda v: _number(v, lang) if v else "")(values)
    sns.heatmap(values, ax=right, cmap="Reds", vmin=0, annot=annot, fmt="", linewidths=0.5, linecolor="white",
                cbar_kws={"label": label("poor", lang)}, xticklabels=list(matrix.columns),
                yticklabels=[unit_label(u, lang) for u in units], annot_kws={"fontsize": 8})
    right.axhline(len(units) - 1, color=PALETTE["district"], linewidth=2)
    right.set_xlabel(label("r04_deprivations_axis", lang))
    right.set_ylabel("")
    right.tick_params(axis="y", rotation=0)
    right.set_title(wrap(label("r04_score_right", lang), 60), fontsize=10)
    fig.suptitle(label("r04_score_title", lang), fontweight="bold")
    none = int(district.loc[0].sum())
    _source(fig, data["synthetic"], lang, (label("r04_no_deprivation_note", lang).format(n=_number(none, lang)),))
    return fig


@figure("04_measures_by_k")
def measures_by_k_chart(data: dict, lang: str = "en") -> Figure:
    """Lines: H, A and M0 per unit against the cutoff k, the official identification beside them."""
    fig, axes = _new_figure(14, 4.8, ncols=3)
    specs = (("H", 100, "r04_H_pct"), ("A", 1, "r04_A"), ("M0", 1, "r04_M0"))
    for ax, (measure, scale, key) in zip(axes, specs):
        wide = data[measure]
        official = data["official"]
        ks = [k for k in wide.columns if k != official]
        x_official = max(ks) + 2.5
        for i, unit in enumerate(wide.index):
            is_district = unit == DISTRICT
            colour = PALETTE["district"] if is_district else UNIT_COLOURS[i % len(UNIT_COLOURS)]
            style = {"linewidth": 2.6 if is_district else 1.3, "color": colour, "zorder": 3 if is_district else 2}
            ax.plot(ks, scale * wide.loc[unit, ks].to_numpy(dtype="float64"), marker="o", markersize=3,
                    label=_group_label("unit", unit, lang), **style)
            if official in wide.columns:
                ax.plot([x_official], [scale * wide.loc[unit, official]], marker="D", markersize=6, color=colour,
                        linestyle="none", zorder=4)
        ax.axvline(max(ks) + 1.1, color="black", linewidth=0.8)
        ax.set_xticks([*ks, x_official], [*map(str, ks), _k_label(official, official, lang)])
        ax.set_title(wrap(label(key, lang), 40), fontsize=10)
        ax.set_ylim(bottom=0)
        _ticks(ax.yaxis, lang)
    axes[1].set_xlabel(label("r04_k_axis", lang))
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    fig.suptitle(wrap(label("r04_by_k_title", lang), 110), fontweight="bold")
    _source(fig, data["synthetic"], lang)
    return fig


@figure("04_rank_by_k")
def rank_by_k_chart(data: dict, lang: str = "en") -> Figure:
    """Bump chart: each unit's rank by M0 at each cutoff k and officially (1 = highest M0)."""
    ranks = data["ranks"]
    fig, ax = _new_figure(9, 5.2)
    x = np.arange(ranks.shape[1])
    for i, unit in enumerate(ranks.index):
        colour = UNIT_COLOURS[i % len(UNIT_COLOURS)]
        values = ranks.loc[unit].to_numpy()
        ax.plot(x, values, marker="o", color=colour, linewidth=2)
        ax.text(x[-1] + 0.12, values[-1], _group_label("unit", unit, lang), va="center", fontsize=9, color=colour)
    ax.set_xticks(x, [_k_label(k, data["official"], lang) for k in ranks.columns])
    ax.set_xlim(-0.3, x[-1] + 1.6)
    ax.set_yticks(range(1, len(ranks) + 1))
    ax.invert_yaxis()
    ax.set_xlabel(label("r04_k_axis", lang))
    ax.set_ylabel(label("r04_rank_axis", lang))
    ax.grid(axis="x", visible=False)
    ax.set_title(wrap(label("r04_rank_title", lang), 70))
    _source(fig, data["synthetic"], lang)
    return fig


@figure("04_co_deprivation")
def co_deprivation_chart(data: dict, lang: str = "en") -> Figure:
    """Heatmap: poor households deprived in both of two indicators (numbers), redundancy R0 (colour)."""
    both, r0 = data["both"], data["r0"]
    values = r0.to_numpy(dtype="float64").copy()
    mask = np.triu(np.ones_like(values, dtype=bool), k=0)
    counts = both.to_numpy()
    annot = np.vectorize(lambda v: _number(v, lang))(counts)
    names = [wrap(indicator_label(j, lang, numbered=True), 24) for j in both.index]
    fig, ax = _new_figure(11, 9.4)
    sns.heatmap(values, ax=ax, mask=mask, cmap="Purples", vmin=0, vmax=1, annot=annot, fmt="", linewidths=0.5,
                linecolor="white", cbar_kws={"label": wrap(label("r04_r0_axis", lang), 50)},
                xticklabels=names, yticklabels=names, annot_kws={"fontsize": 8})
    for j in range(len(counts)):  # the diagonal: households deprived in the indicator
        ax.text(j + 0.5, j + 0.5, _number(counts[j, j], lang), ha="center", va="center", fontsize=8,
                fontweight="bold", color=PALETTE["district"])
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)
    ax.set_title(wrap(label("r04_co_title", lang), 80))
    _source(fig, data["synthetic"], lang, (label("r04_co_note", lang),))
    return fig


@figure("04_decomposition")
def decomposition_chart(data: dict, lang: str = "en") -> Figure:
    """Paired bars: each group's share of the district's M0 against its share of households."""
    sizes = [len(data[by]) - 1 for by in data["groups"]]
    fig, axes = _new_figure(13, 5, ncols=3, gridspec_kw={"width_ratios": [max(s, 2) for s in sizes]})
    height = 0.38
    for ax, by in zip(axes, data["groups"]):
        table = data[by].drop(index=DISTRICT)
        x = np.arange(len(table))
        m0, pop = 100 * table["M0_share"].to_numpy(), 100 * table["pop_share"].to_numpy()
        ax.bar(x - height / 2, m0, height, color=PALETTE["poor"], label=label("m0_share_pct", lang))
        ax.bar(x + height / 2, pop, height, color=PALETTE["other_households"], label=label("household_share_pct", lang))
        for xi, a, b in zip(x, m0, pop):
            ax.text(xi - height / 2, a, _number(a, lang, 1), ha="center", va="bottom", fontsize=7)
            ax.text(xi + height / 2, b, _number(b, lang, 1), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, [wrap(_group_label(by, v, lang), 12) for v in table.index], fontsize=8)
        ax.set_title(label(f"r04_by_{by}", lang), fontsize=10)
        ax.set_ylim(0, max(m0.max(), pop.max()) * 1.15)
        _ticks(ax.yaxis, lang)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel(label("share_pct", lang))
    axes[0].legend(fontsize=8, loc="upper left")
    fig.suptitle(label("r04_decomposition_title", lang), fontweight="bold")
    _source(fig, data["synthetic"], lang)
    return fig


@figure("04_transitions")
def transitions_chart(data: dict, lang: str = "en") -> Figure:
    """Heatmap: households by status in the first review (rows) and the second (columns)."""
    table = data["table"].loc[list(data["before"]), list(data["after"])]
    counts = table.to_numpy(dtype="float64")
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    annot = np.vectorize(lambda v: _number(v, lang))(counts)
    fig, ax = _new_figure(9, 5.4)
    sns.heatmap(100 * shares, ax=ax, cmap="Blues", vmin=0, vmax=100, annot=annot, fmt="", linewidths=0.5,
                linecolor="white", cbar_kws={"label": wrap(label("r04_row_share_axis", lang), 40)},
                xticklabels=[wrap(label(f"r04_state_{s}", lang), 14) for s in table.columns],
                yticklabels=[wrap(label(f"r04_state_{s}", lang), 22) for s in table.index])
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.set_xlabel(label("r04_second_review", lang))
    ax.set_ylabel(label("r04_first_review", lang))
    ax.grid(False)
    ax.set_title(wrap(label("r04_transitions_title", lang).format(steps=data["steps"]), 70))
    _source(fig, data["synthetic"], lang)
    return fig


@figure("04_projection_measured")
def projection_measured_chart(data: dict, lang: str = "en") -> Figure:
    """Two fans: the projection on the assumed rates and on the rates measured from two reviews."""
    fig, ax = _new_figure(10, 5.6)
    colours = {"assumed": PATH_COLOURS["fan"], "measured": PALETTE["poor"]}
    for name in ("assumed", "measured"):
        table = data[name].table
        ax.fill_between(table["step"], table["p05"], table["p95"], color=colours[name], alpha=0.18)
        # a probability never written as certain; the measured one with its range over the counts' rates
        p = format_probability(data[name].probability_target_met, lang, 1)
        span = data[name].probability_range
        text = label(f"r04_fan_{name}", lang).format(p=p)
        if name == "measured" and span is not None:
            text += " " + label("t03_fan_measured_range", lang).format(
                range=ProbabilityRange(span[0], span[2]).text(lang))
        ax.plot(table["step"], table["p50"], color=colours[name], linewidth=2, label=text)
    goal = data["assumed"].goal
    path_target_observed(ax, data["assumed"].table, goal, lang, "--s", markersize=4)
    step, poor = data["second_review"]
    ax.plot([step], [poor], marker="*", markersize=14, color=PALETTE["near_poor"], linestyle="none", zorder=6,
            label=label("r04_second_review_poor", lang).format(n=format_number(poor, lang)))
    ax.yaxis.set_major_locator(MaxNLocator(6))
    ax.set_title(wrap(label("r04_projection_title", lang), 80))
    ax.legend(loc="lower left", fontsize=8)
    note = label("r04_fan_note", lang).format(n=format_number(data["assumed"].n_paths, lang), seed=data["assumed"].seed)
    _source(fig, data["synthetic"], lang, (note,))
    return fig
