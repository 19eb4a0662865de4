"""Notebook 03: how far each unit is from each target, what pace the plan needs, how likely it is.

Each figure has a data function returning exactly the numbers it draws (tested in
``tests/test_charts_targets.py``) and a figure function ``f(lang="en", ...)`` registered with
:func:`camlo.charts.style.figure` under a ``03_`` name. Figures that depend on the observed reviews
read ``data/raw/observed_reviews.csv`` when ``observed`` is ``None``, so a row added to it
changes them with no code change. Figures of the projection take the projection's
parameters and seed; :func:`save_figures` saves every ``03_`` figure with the notebook's
parameters in both languages.

Time runs along review steps (0 = start of 2022, the baseline; 4 = end of 2025, the target).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from camlo.targets import projection as proj
from camlo.targets import plan as targets
from camlo.clean.context import poverty_pace
from camlo.charts.style import PALETTE, REGISTRY, figure, save_figure, wrap
from camlo.labels import LANGS, format_number, indicator_label, label, unit_label
from camlo.clean.observed import DISTRICT, START, STEPS, review_at_step
from camlo.paths import FIGURES

#: The grid of the sensitivity heatmap: CSGN exit probability × newly poor households a year.
CSGN_EXIT_GRID = (0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55)
NEWLY_POOR_GRID = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0)
#: Paths per cell of the sensitivity analyses (P to within about ±0.7 points at 95%).
SENSITIVITY_PATHS = 20_000
#: Parameters in the tornado, each halved and doubled (probabilities capped at 1). Household
#: growth is left out: it moves the poverty rate, not the count the target is set in.
TORNADO_PARAMETERS = ("csgn_exit", "btxh_exit", "newly_poor", "repoor")

#: The figures of notebook 03, in the order the notebook shows them.
NAMES = ("03_target_gaps", "03_target_baselines", "03_plan_paths", "03_allocation",
         "03_projection_fan", "03_sensitivity_heatmap", "03_sensitivity_tornado", "03_context_pace")

COLOURS = {"plan": PALETTE["district"], "band": "#95a5a6", "observed": "#000000", "target": PALETTE["poor"],
           "fan": PALETTE["csgn"], "unit": "#7f8c8d"}


# --- Numbers -----------------------------------------------------------------------------------------


def gap_chart_data() -> pd.DataFrame:
    """:func:`camlo.target_gaps` with ``shortfall_pp``: points below the target (0 where met).

    Examples:
        >>> data = gap_chart_data().set_index(["target", "commune"])
        >>> data.loc[("T07", "Cam Tuyên"), ["gap_households", "shortfall_pp"]].round(2).tolist()
        [54.0, 48.81]
    """
    gaps = targets.target_gaps()
    gaps["shortfall_pp"] = (gaps["target_pct"] - gaps["baseline_pct"]).clip(lower=0)
    return gaps


def gap_matrix(value: str = "gap_households") -> pd.DataFrame:
    """``value`` of :func:`gap_chart_data` as targets × units (printed order, then district)."""
    data = gap_chart_data()
    columns = list(dict.fromkeys(data["commune"]))
    return data.pivot(index="target", columns="commune", values=value)[columns]


def worst_units() -> pd.DataFrame:
    """Per target: the district's gap and the unit farthest below the target.

    Returns:
        One row per target: ``target``, ``indicator``, ``target_pct``, ``district_pct``,
        ``district_gap``, ``worst_unit``, ``worst_pct`` (its share not deprived) and
        ``worst_gap``; ties go to the unit printed first.

    Examples:
        >>> worst_units().query("target == 'T06'")[["district_gap", "worst_unit", "worst_gap"]].to_dict("records")
        [{'district_gap': 0, 'worst_unit': 'Cam Thủy', 'worst_gap': 9}]
    """
    data = gap_chart_data()
    rows = []
    for target, group in data.groupby("target", sort=True):
        district = group[group["commune"] == DISTRICT].iloc[0]
        units = group[group["commune"] != DISTRICT]
        worst = units.loc[units["baseline_pct"].idxmin()]
        rows.append({"target": target, "indicator": int(district["indicator"]),
                     "target_pct": district["target_pct"], "district_pct": district["baseline_pct"],
                     "district_gap": int(district["gap_households"]), "worst_unit": worst["commune"],
                     "worst_pct": worst["baseline_pct"], "worst_gap": int(worst["gap_households"])})
    return pd.DataFrame(rows)


def paths_chart_data(observed: pd.DataFrame | None = None, household_growth: float = 0.0) -> pd.DataFrame:
    """The plan's path, the band's range and the observed district count, per review step.

    Returns:
        One row per step: ``step``, ``plan_poor``, ``band_poor_low``, ``band_poor_high``
        (:func:`camlo.targets.plan.band_paths`) and ``observed_poor`` (missing where no review).

    Examples:
        >>> paths_chart_data()[["step", "plan_poor", "observed_poor"]].iloc[[0, -1]].values.tolist()
        [[0.0, 453.0, 453.0], [4.0, 345.0, nan]]
    """
    path = targets.plan_path()[["step", "plan_poor"]]
    band = targets.band_paths(household_growth)[["step", "poor_low", "poor_high"]]
    band = band.rename(columns={"poor_low": "band_poor_low", "poor_high": "band_poor_high"})
    status = targets.poverty_target_status(observed)[["step", "poor"]].rename(columns={"poor": "observed_poor"})
    data = path.merge(band, on="step").merge(status, on="step", how="left")
    return data.astype({"observed_poor": "float64"})


@lru_cache(maxsize=8)  # a few parameter sets, each reused by both languages and the tables
def _projection(params: proj.ProjectionParameters, seed: int, n_paths: int) -> proj.Projection:
    return proj.project_poverty(params, seed=seed, n_paths=n_paths)


def projection(params: proj.ProjectionParameters | None = None, seed: int = proj.DEFAULT_SEED,
               n_paths: int = proj.DEFAULT_PATHS) -> proj.Projection:
    """:func:`camlo.project_poverty`, computed once per parameters, seed and number of paths."""
    return _projection(params or proj.ProjectionParameters(), seed, n_paths)


def fan_chart_data(params: proj.ProjectionParameters | None = None, seed: int = proj.DEFAULT_SEED,
                   n_paths: int = proj.DEFAULT_PATHS, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Quantiles of the projection per step, with the plan's path and the observed count.

    Returns:
        :meth:`camlo.targets.projection.Projection.quantiles` plus ``plan_poor`` and ``observed_poor``.
    """
    quantiles = projection(params, seed, n_paths).quantiles()
    extra = paths_chart_data(observed)[["step", "plan_poor", "observed_poor"]]
    return quantiles.merge(extra, on="step", how="left")


@lru_cache(maxsize=8)  # a few parameter sets, each reused by both languages and the tables
def _grid(params: proj.ProjectionParameters, seed: int, n_paths: int) -> pd.DataFrame:
    return proj.sensitivity_grid(CSGN_EXIT_GRID, NEWLY_POOR_GRID, params, seed=seed, n_paths=n_paths)


def sensitivity_matrix(params: proj.ProjectionParameters | None = None, seed: int = proj.DEFAULT_SEED,
                       n_paths: int = SENSITIVITY_PATHS) -> pd.DataFrame:
    """P(target met) in %, CSGN exit probability (rows, descending) × newly poor a year (columns)."""
    grid = _grid(params or proj.ProjectionParameters(), seed, n_paths)
    matrix = grid.pivot(index="csgn_exit", columns="newly_poor", values="probability") * 100
    return matrix.sort_index(ascending=False)


def tornado_ranges(params: proj.ProjectionParameters | None = None) -> dict[str, tuple[float, float]]:
    """Each tornado parameter halved and doubled around ``params`` (probabilities capped at 1).

    Examples:
        >>> tornado_ranges()["newly_poor"]
        (3.0, 12.0)
    """
    params = params or proj.ProjectionParameters()
    ranges = {}
    for name in TORNADO_PARAMETERS:
        value = getattr(params, name)
        high = 2 * value if name == "newly_poor" else min(1.0, 2 * value)
        ranges[name] = (value / 2, high)
    return ranges


@lru_cache(maxsize=8)  # a few parameter sets, each reused by both languages and the tables
def _tornado(params: proj.ProjectionParameters, seed: int, n_paths: int) -> pd.DataFrame:
    return proj.sensitivity_oneway(tornado_ranges(params), params, seed=seed, n_paths=n_paths)


def tornado_data(params: proj.ProjectionParameters | None = None, seed: int = proj.DEFAULT_SEED,
                 n_paths: int = SENSITIVITY_PATHS) -> pd.DataFrame:
    """:func:`camlo.targets.projection.sensitivity_oneway` over :func:`tornado_ranges` (a copy)."""
    return _tornado(params or proj.ProjectionParameters(), seed, n_paths).copy()


def pace_chart_data(goal: targets.PlanGoal | None = None) -> pd.DataFrame:
    """Annual fall in the poor rate: national and provincial reviews, then the plan's.

    Returns:
        One row per bar: ``key`` (``vietnam``, ``quang_tri`` or ``plan``), ``from_year``,
        ``to_year``, ``fall_pp`` and ``relative_fall_pct`` a year. The plan's row is the even
        path over 4 steps with households constant (0.18 points, 6.58% a year compounded).

    Examples:
        >>> pace_chart_data()[["key", "fall_pp"]].round(3).values.tolist()
        [['vietnam', 1.1], ['vietnam', 1.0], ['quang_tri', 1.43], ['plan', 0.181]]
    """
    goal = goal or targets.plan_goal()
    pace = poverty_pace()
    pace = pace[pace["level"].isin(["national", "province"])]
    data = pd.DataFrame({
        "key": pace["level"].map({"national": "vietnam", "province": "quang_tri"}),
        "from_year": pace["from_year"], "to_year": pace["to_year"],
        "fall_pp": pace["fall_pp"], "relative_fall_pct": pace["relative_fall_pct"],
    })
    readings = targets.band_readings(goal=goal).set_index("reading")["value"]
    plan = {"key": "plan", "from_year": review_at_step(0)[0], "to_year": review_at_step(STEPS)[0],
            "fall_pp": readings["annual_pp_4"], "relative_fall_pct": readings["relative_pct_4"]}
    return pd.concat([data, pd.DataFrame([plan])], ignore_index=True)


# --- Drawing helpers -----------------------------------------------------------------------------------


def review_label(step: int, lang: str = "en") -> str:
    """A review step as a tick label, e.g. ``"Start 2022"`` or ``"Cuối năm 2023"``.

    Examples:
        >>> review_label(0), review_label(2, "vi")
        ('Start 2022', 'Cuối năm 2023')
    """
    year, reference_point = review_at_step(step)
    key = "t03_review_start" if reference_point == START else "t03_review_end"
    return label(key, lang).format(year=year)


def _review_axis(ax, lang: str) -> None:
    ax.set_xticks(range(STEPS + 1), [review_label(s, lang) for s in range(STEPS + 1)])
    ax.set_xlabel(label("t03_review_axis", lang))
    ax.set_xlim(-0.3, STEPS + 0.3)


def _target_label(target: str, indicator: int, pct: float, lang: str) -> str:
    return label("t03_target_row", lang).format(
        target=target, indicator=indicator_label(indicator, lang), pct=format_number(pct, lang))


def _observed_points(ax, data: pd.DataFrame, column: str, lang: str) -> None:
    seen = data.dropna(subset=[column])
    if len(seen):
        ax.plot(seen["step"], seen[column], "o", color=COLOURS["observed"], markersize=7, zorder=5,
                label=label("t03_observed", lang))


# --- Figures -------------------------------------------------------------------------------------------


@figure("03_target_gaps")
def target_gaps_chart(lang: str = "en") -> Figure:
    """Heatmap: poor households still to reach each target, per unit and district.

    Cells show :func:`gap_matrix` (households); colour is the shortfall in percentage points.
    """
    counts, shortfall = gap_matrix("gap_households"), gap_matrix("shortfall_pp")
    rows = gap_chart_data().drop_duplicates("target").set_index("target")
    fig, ax = plt.subplots(figsize=(11, 5.2))
    annot = np.vectorize(lambda v: format_number(v, lang))(counts.to_numpy())
    sns.heatmap(shortfall.to_numpy(), ax=ax, cmap="Reds", vmin=0, vmax=100, annot=annot, fmt="",
                linewidths=0.5, linecolor="white", cbar_kws={"label": label("t03_gap_colorbar", lang)},
                xticklabels=[wrap(unit_label(c, lang), 7) for c in counts.columns],
                yticklabels=[_target_label(t, rows.loc[t, "indicator"], rows.loc[t, "target_pct"], lang)
                             for t in counts.index])
    ax.axvline(len(counts.columns) - 1, color=PALETTE["district"], linewidth=2)
    ax.set_title(wrap(label("t03_gap_title", lang), 80))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


@figure("03_target_baselines")
def target_baselines_chart(lang: str = "en") -> Figure:
    """Dot plot: each unit's share of poor households not deprived, the district's, the target."""
    data = gap_chart_data()
    order = list(dict.fromkeys(data["target"]))
    fig, ax = plt.subplots(figsize=(10, 5.5))
    y = {target: k for k, target in enumerate(order)}
    units = data[data["commune"] != DISTRICT]
    district = data[data["commune"] == DISTRICT]
    ax.scatter(units["baseline_pct"], units["target"].map(y), color=COLOURS["unit"], s=30, alpha=0.8,
               label=label("t03_unit_marker", lang), zorder=3)
    ax.scatter(district["baseline_pct"], district["target"].map(y), marker="D", color=PALETTE["district"],
               s=60, label=unit_label(DISTRICT, lang), zorder=4)
    ax.scatter(district["target_pct"], district["target"].map(y), marker="|", color=COLOURS["target"], s=400,
               linewidths=3, label=label("t03_target_marker", lang), zorder=4)
    for target, group in units.groupby("target", sort=False):
        worst = group.loc[group["baseline_pct"].idxmin()]
        if not worst["met"]:
            ax.annotate(unit_label(worst["commune"], lang), (worst["baseline_pct"], y[target]),
                        textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8)
    ax.set_yticks(range(len(order)),
                  [_target_label(t, data.loc[data["target"] == t, "indicator"].iloc[0],
                                 data.loc[data["target"] == t, "target_pct"].iloc[0], lang) for t in order])
    ax.invert_yaxis()
    ax.set_xlim(-3, 103)
    ax.set_xlabel(label("t03_baseline_axis", lang))
    ax.set_title(wrap(label("t03_baseline_title", lang), 80))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


@figure("03_plan_paths")
def plan_paths_chart(lang: str = "en", *, observed: pd.DataFrame | None = None) -> Figure:
    """Line chart: the plan's even path, the range the band implies, the target, observed reviews."""
    goal = targets.plan_goal()
    data = paths_chart_data(observed)
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.fill_between(data["step"], data["band_poor_high"], data["band_poor_low"], color=COLOURS["band"],
                    alpha=0.3, label=label("t03_band", lang).format(
                        low=format_number(goal.band_low_pct, lang, 2),
                        high=format_number(goal.band_high_pct, lang, 2)))
    ax.plot(data["step"], data["plan_poor"], "-s", color=COLOURS["plan"],
            label=label("t03_plan_path", lang).format(per_step=format_number(float(goal.per_step), lang)))
    ax.axhline(goal.target_poor, color=COLOURS["target"], linestyle=":",
               label=label("t03_target_line", lang).format(target=format_number(goal.target_poor, lang)))
    _observed_points(ax, data, "observed_poor", lang)
    _review_axis(ax, lang)
    ax.set_ylabel(label("poor", lang))
    ax.set_title(wrap(label("t03_paths_title", lang), 70))
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


@figure("03_allocation")
def allocation_chart(lang: str = "en") -> Figure:
    """Grouped bars: each unit's share of the planned reduction under three bases; hatched where above its CSGN."""
    data = targets.allocation_comparison()
    bases = [("by_csgn", PALETTE["csgn"]), ("by_poor", PALETTE["poor"]), ("by_households", "#95a5a6")]
    fig, ax = plt.subplots(figsize=(10, 5.5))
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
    ax.set_yticks(y, [unit_label(c, lang) for c in data["commune"]])
    ax.invert_yaxis()
    ax.set_xlabel(label("t03_alloc_axis", lang))
    handles.append(Patch(facecolor="#999999", hatch="///", edgecolor="white",
                         label=label("t03_exceeds_csgn", lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    ax.set_title(wrap(label("t03_alloc_title", lang), 70))
    fig.tight_layout()
    return fig


@figure("03_projection_fan")
def projection_fan_chart(lang: str = "en", *, params: proj.ProjectionParameters | None = None,
                         seed: int = proj.DEFAULT_SEED, n_paths: int = proj.DEFAULT_PATHS,
                         observed: pd.DataFrame | None = None) -> Figure:
    """Fan chart: 90% and 50% ranges and median of the projection, plan path, target, observed."""
    goal = targets.plan_goal()
    data = fan_chart_data(params, seed, n_paths, observed)
    run = projection(params, seed, n_paths)
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.fill_between(data["step"], data["p05"], data["p95"], color=COLOURS["fan"], alpha=0.18,
                    label=label("t03_fan_90", lang))
    ax.fill_between(data["step"], data["p25"], data["p75"], color=COLOURS["fan"], alpha=0.35,
                    label=label("t03_fan_50", lang))
    ax.plot(data["step"], data["p50"], color=COLOURS["fan"], linewidth=2, label=label("t03_fan_median", lang))
    ax.plot(data["step"], data["plan_poor"], "--s", color=COLOURS["plan"], markersize=4,
            label=label("t03_plan_path", lang).format(per_step=format_number(float(goal.per_step), lang)))
    ax.axhline(goal.target_poor, color=COLOURS["target"], linestyle=":",
               label=label("t03_target_line", lang).format(target=format_number(goal.target_poor, lang)))
    _observed_points(ax, data, "observed_poor", lang)
    _review_axis(ax, lang)
    ax.set_ylabel(label("poor", lang))
    ax.set_title(wrap(label("t03_fan_title", lang), 70))
    note = label("t03_probability_note", lang).format(
        p=format_number(100 * run.probability_target_met, lang), n=format_number(run.n_paths, lang), seed=seed)
    ax.text(0.01, 0.02, note, transform=ax.transAxes, fontsize=9, va="bottom")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


@figure("03_sensitivity_heatmap")
def sensitivity_heatmap_chart(lang: str = "en", *, params: proj.ProjectionParameters | None = None,
                              seed: int = proj.DEFAULT_SEED, n_paths: int = SENSITIVITY_PATHS) -> Figure:
    """Heatmap: P(target met) over CSGN exit probability × newly poor households a year."""
    params = params or proj.ProjectionParameters()
    matrix = sensitivity_matrix(params, seed, n_paths)
    fig, ax = plt.subplots(figsize=(9, 6.5))
    annot = np.vectorize(lambda v: format_number(v, lang))(matrix.to_numpy())
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
    ax.set_title(wrap(label("t03_heatmap_title", lang), 70))
    fig.tight_layout()
    return fig


@figure("03_sensitivity_tornado")
def sensitivity_tornado_chart(lang: str = "en", *, params: proj.ProjectionParameters | None = None,
                              seed: int = proj.DEFAULT_SEED, n_paths: int = SENSITIVITY_PATHS) -> Figure:
    """Tornado: P(target met) with each parameter halved and doubled, the others at their values."""
    data = tornado_data(params, seed, n_paths)
    base = 100 * data["probability_base"].iloc[0]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    y = np.arange(len(data))
    for end, colour in (("low", "#7fb3d5"), ("high", "#1f618d")):
        values = 100 * data[f"probability_{end}"]
        ax.barh(y, values - base, left=base, color=colour, height=0.6,
                label=label(f"t03_tornado_{end}", lang))
    names = []
    for row in data.itertuples():
        places = 0 if row.parameter == "newly_poor" else 3
        names.append(label("t03_tornado_row", lang).format(
            name=label(f"t03_{row.parameter}", lang), low=format_number(row.low, lang, places),
            high=format_number(row.high, lang, places)))
    ax.set_yticks(y, [wrap(n, 38) for n in names])
    ax.invert_yaxis()
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("t03_probability_axis", lang))
    ax.set_title(wrap(label("t03_tornado_title", lang), 70))
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


@figure("03_context_pace")
def context_pace_chart(lang: str = "en") -> Figure:
    """Bars: annual fall in the poor rate (points, and % of the rate) in reviews and in the plan."""
    goal = targets.plan_goal()
    data = pace_chart_data(goal)
    names = [label(f"t03_area_{row.key}", lang).format(start=row.from_year, end=row.to_year)
             for row in data.itertuples()]
    colours = [PALETTE["csgn"] if key == "plan" else "#95a5a6" for key in data["key"]]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
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


# --- Saving --------------------------------------------------------------------------------------------


def save_figures(params: proj.ProjectionParameters | None = None, *, seed: int = proj.DEFAULT_SEED,
                 n_paths: int = proj.DEFAULT_PATHS, sensitivity_paths: int = SENSITIVITY_PATHS,
                 observed: pd.DataFrame | None = None, directory: Path = FIGURES,
                 langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Save every ``03_`` figure in each language, the projection's with ``params`` and ``seed``.

    :func:`camlo.charts.style.save_all` draws each figure with its defaults; this passes the
    notebook's parameters through, so that a papermill run with other assumptions saves the
    figures it shows.

    Returns:
        The paths written (PNG and SVG per figure and language).
    """
    options = {
        "03_plan_paths": {"observed": observed},
        "03_projection_fan": {"params": params, "seed": seed, "n_paths": n_paths, "observed": observed},
        "03_sensitivity_heatmap": {"params": params, "seed": seed, "n_paths": sensitivity_paths},
        "03_sensitivity_tornado": {"params": params, "seed": seed, "n_paths": sensitivity_paths},
    }
    written = []
    for name in NAMES:
        for lang in langs:
            fig = REGISTRY[name](lang=lang, **options.get(name, {}))
            written += save_figure(fig, name, lang, directory)
            plt.close(fig)
    return written
