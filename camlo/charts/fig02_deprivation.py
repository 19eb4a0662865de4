"""Notebook 02: which deprivations drive poverty where, and who must act.

Each figure has a data function that returns exactly the numbers it draws (tested in
``tests/test_charts_deprivation.py``) and a figure function ``f(lang="en")`` registered with
:func:`camlo.charts.style.figure` under a ``02_`` name. The tables the notebook shows (targeting,
workload per office, unit profiles) are built here too, so that the notebook only displays.

Rows are the 8 units in printed order, then the district, keyed by printed name
(``"district"`` for the district); indicators by number, dimensions by English name.
"""

from __future__ import annotations

from functools import cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform

from camlo.measures import af
from camlo.charts.style import PALETTE, figure, wrap
from camlo.labels import LANGS, dimension_label, format_number, indicator_label, label, unit_label

DISTRICT = af.DISTRICT

#: One colour per indicator: a light and a dark shade per dimension (ColorBrewer "Paired",
#: with the pale yellow darkened so that it shows on white).
INDICATOR_COLOURS = {
    1: "#a6cee3", 2: "#1f78b4", 3: "#b2df8a", 4: "#33a02c", 5: "#fb9a99", 6: "#e31a1c",
    7: "#fdbf6f", 8: "#ff7f00", 9: "#cab2d6", 10: "#6a3d9a", 11: "#e8c930", 12: "#b15928",
}
#: One colour per unit (ColorBrewer "Dark2"), in printed order.
UNIT_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
#: Decree 07's cutoff: poor households are deprived in at least 3 of the 12 indicators.
DECREE_CUTOFF = 3


# --- Numbers -----------------------------------------------------------------------------------------


@cache
def _measures() -> pd.DataFrame:
    return af.af_measures()


def measures() -> pd.DataFrame:
    """:func:`camlo.measures.af.af_measures` with the default equal weights (a copy, computed once)."""
    return _measures().copy()


@cache
def _indicator_table() -> pd.DataFrame:
    from camlo.clean.annexes import indicators

    return indicators()


def _indicators() -> pd.DataFrame:
    return _indicator_table().copy()


@cache
def _unit_counts() -> pd.DataFrame:
    return af.unit_counts()


def _counts() -> pd.DataFrame:
    """:func:`camlo.measures.af.unit_counts` for the plan (a copy, computed once)."""
    return _unit_counts().copy()


def units() -> list[str]:
    """The 8 units' printed names, in printed order (without the district)."""
    return [u for u in _counts().index if u != DISTRICT]


def deprivation_rate_matrix() -> pd.DataFrame:
    """Share of poor households deprived in each indicator: units (then district) x 1–12.

    Examples:
        >>> float(deprivation_rate_matrix().loc["Cam Tuyên", 10]) == 75 / 109
        True
    """
    return af.measure_table(measures(), "dep_rate")


def dimension_rate_matrix() -> pd.DataFrame:
    """Mean deprivation rate of each dimension's indicators among poor households.

    The equal-weighted mean of the dimension's indicator rates (``dep_rate_dim``). The share
    deprived in *any* indicator of a dimension is not determined by the counts: it lies
    between the largest of its indicator rates and their sum (capped at 1).

    Examples:
        >>> round(float(dimension_rate_matrix().loc["Cam Tuyên", "Water and sanitation"]), 12) == round((8 + 75) / 2 / 109, 12)
        True
    """
    return af.measure_table(measures(), "dep_rate_dim")


def af_summary() -> pd.DataFrame:
    """H, A and M0 per unit and for the district (columns ``H``, ``A``, ``M0``).

    Examples:
        >>> float(af_summary().loc["district", "H"]) == 453 / 14905
        True
    """
    m = measures()
    return pd.DataFrame({k: af.measure_table(m, k) for k in ("H", "A", "M0")})


def indicator_contribution_matrix() -> pd.DataFrame:
    """Percentage contribution (``pctb``, a share) of each indicator to each unit's M0."""
    return af.measure_table(measures(), "pctb")


def dimension_contribution_matrix() -> pd.DataFrame:
    """Percentage contribution (a share) of each dimension to each unit's M0."""
    return af.measure_table(measures(), "pctb_dim")


def m0_share_table() -> pd.DataFrame:
    """Each unit's share of the district M0 (``M0_share``) and of its households (``pop_share``).

    Examples:
        >>> round(float(m0_share_table()["M0_share"].sum()), 12)
        1.0
    """
    m = measures()
    table = pd.DataFrame({k: af.measure_table(m, k) for k in ("M0_share", "pop_share")})
    return table.drop(index=DISTRICT)


def district_contributions(top: int | None = None) -> pd.Series:
    """Indicators' percentage contributions to the district M0, largest first (ties by number)."""
    series = indicator_contribution_matrix().loc[DISTRICT]
    order = sorted(series.index, key=lambda j: (-series[j], j))
    series = series.loc[order]
    return series if top is None else series.iloc[:top]


def leading_indicators() -> pd.DataFrame:
    """The indicator contributing most to each unit's M0 (and the district's).

    Columns ``unit``, ``indicator`` and ``pctb`` (its share of M0; ties go to the lower
    indicator).

    Examples:
        >>> leading_indicators().set_index("unit").loc["Cam Nghĩa", "indicator"]
        np.int64(10)
    """
    matrix = indicator_contribution_matrix()
    rows = []
    for unit in matrix.index:
        values = matrix.loc[unit]
        j = min(values.index, key=lambda k: (-values[k], k))
        rows.append((unit, int(j), values[j]))
    return pd.DataFrame(rows, columns=["unit", "indicator", "pctb"])


# --- Unit profiles -----------------------------------------------------------------------------------


def profile_deviation_matrix() -> pd.DataFrame:
    """Each unit's deprivation rate minus the district's, in percentage points (units x 1–12).

    Examples:
        >>> round(float(profile_deviation_matrix().loc["Cam Tuyên", 10]), 1)
        25.1
    """
    rates = deprivation_rate_matrix()
    return 100 * (rates.drop(index=DISTRICT) - rates.loc[DISTRICT])


def largest_deviations() -> pd.DataFrame:
    """Where each unit differs most from the district: one row per unit.

    Columns ``unit``, ``indicator``, ``unit_rate``, ``district_rate`` (shares of poor
    households) and ``difference_pp`` (percentage points; ties go to the lower indicator).
    """
    deviation = profile_deviation_matrix()
    rates = deprivation_rate_matrix()
    rows = []
    for unit in deviation.index:
        values = deviation.loc[unit]
        j = min(values.index, key=lambda k: (-abs(values[k]), k))
        rows.append((unit, int(j), rates.loc[unit, j], rates.loc[DISTRICT, j], values[j]))
    return pd.DataFrame(rows, columns=["unit", "indicator", "unit_rate", "district_rate", "difference_pp"])


def unit_distances() -> pd.DataFrame:
    """Euclidean distance between units' deprivation-rate profiles, in percentage points.

    Examples:
        >>> d = unit_distances()
        >>> bool((d.values == d.values.T).all()) and bool((np.diag(d.values) == 0).all())
        True
    """
    rates = 100 * deprivation_rate_matrix().drop(index=DISTRICT)
    distances = squareform(pdist(rates.to_numpy(dtype="float64"), metric="euclidean"))
    return pd.DataFrame(distances, index=rates.index, columns=rates.index)


def profile_linkage() -> np.ndarray:
    """Average-linkage (UPGMA) clustering of :func:`unit_distances`, as a scipy linkage matrix.

    :func:`scipy.cluster.hierarchy.linkage` with ``method="average"`` on the condensed
    distance matrix; leaves ``0 .. 7`` are the units in printed order, merged clusters are
    numbered ``8, 9, ...`` in the order they form. Each row is ``(left, right, height in pp,
    size)``.

    Examples:
        >>> z = profile_linkage()
        >>> z.shape, int(z[-1, 3])
        ((7, 4), 8)
    """
    distances = unit_distances().to_numpy(dtype="float64")
    return hierarchy.linkage(squareform(distances, checks=True), method="average")


def profile_clusters(n_groups: int = 4) -> dict:
    """The clustering of unit profiles, summarised for the notebook's sentence.

    Args:
        n_groups: Into how many groups to cut the tree (a reading aid, not a finding).

    Returns:
        ``order`` (units in dendrogram order), ``closest`` (the first pair merged, in printed
        order) and its ``closest_distance`` (pp), ``groups`` (the tree cut into ``n_groups``,
        each group in printed order, larger groups first), ``most_distinct`` (the unit with
        the largest mean distance to the others) with that ``mean_distance``, and ``linkage``
        (see :func:`profile_linkage`).
    """
    distances = unit_distances()
    names = list(distances.index)
    if not 1 <= n_groups <= len(names):
        raise ValueError(f"n_groups must be between 1 and {len(names)}; got {n_groups}")
    z = profile_linkage()
    order = [names[i] for i in hierarchy.leaves_list(z)]
    labels = hierarchy.cut_tree(z, n_clusters=n_groups).ravel()
    groups = [[u for u, g in zip(names, labels) if g == k] for k in dict.fromkeys(labels)]
    groups.sort(key=lambda g: (-len(g), names.index(g[0])))
    mean_distance = distances.sum(axis=1) / (len(names) - 1)
    distinct = min(names, key=lambda u: (-mean_distance[u], names.index(u)))
    return {
        "order": order,
        "closest": tuple(names[int(i)] for i in sorted(z[0, :2])),
        "closest_distance": float(z[0, 2]),
        "groups": groups,
        "most_distinct": distinct,
        "mean_distance": float(mean_distance[distinct]),
        "linkage": z,
    }


# --- Who must act ------------------------------------------------------------------------------------


def offices() -> pd.DataFrame:
    """Section VII's offices and the indicators each leads on, one row per office and indicator.

    ``indicators()`` names one or two offices per indicator (separated by ``"; "``); an
    indicator with two (employment) is listed under both.

    Columns ``office_en``, ``office_vi``, ``indicator``, ``shared`` (True when the indicator
    has more than one office). Offices appear in the order they are first named.

    Examples:
        >>> o = offices()
        >>> o.loc[o["indicator"] == 1, "office_en"].tolist()
        ['Labour, Invalids and Social Affairs', 'Agriculture and Rural Development']
    """
    rows = []
    for row in _indicators().itertuples():
        names_en = row.office_en.split("; ")
        names_vi = row.office_vi.split("; ")
        if len(names_en) != len(names_vi):
            raise ValueError(f"indicator {row.indicator}: office_en names {len(names_en)} offices, "
                             f"office_vi {len(names_vi)}")
        for en, vi in zip(names_en, names_vi):
            rows.append((en, vi, int(row.indicator), len(names_en) > 1))
    return pd.DataFrame(rows, columns=["office_en", "office_vi", "indicator", "shared"])


def office_label(office_en: str, lang: str = "en") -> str:
    """An office's name in ``lang``, from the indicator table's office columns (see :func:`offices`).

    Examples:
        >>> office_label("Education and Training", "vi")
        'Phòng Giáo dục và Đào tạo'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    table = offices()
    match = table[table["office_en"] == office_en]
    if match.empty:
        raise KeyError(f"no office {office_en!r}")
    return office_en if lang == "en" else match["office_vi"].iloc[0]


def targeting_table(top: int = 10) -> pd.DataFrame:
    """The unit x indicator cells with the most deprived poor households, and who acts.

    Columns ``unit``, ``indicator``, ``indicator_en``, ``deprived`` (poor households),
    ``poor``, ``dep_rate`` (their share), ``office_en`` and ``office_vi`` (section VII's
    office(s), as in ``indicators()``). Sorted by ``deprived`` (descending), then printed
    order, then indicator.

    Examples:
        >>> targeting_table(3)[["unit", "indicator", "deprived"]].values.tolist()
        [['Thanh An', 11, 82], ['Cam Tuyên', 10, 75], ['Thanh An', 4, 70]]
    """
    counts = _counts().drop(index=DISTRICT)
    ind = _indicators().set_index("indicator")
    names = list(counts.index)
    rows = []
    for unit in names:
        for j in ind.index:
            rows.append((unit, int(j), ind.loc[j, "name_en"], int(counts.loc[unit, j]), int(counts.loc[unit, "q"]),
                         counts.loc[unit, j] / counts.loc[unit, "q"], ind.loc[j, "office_en"],
                         ind.loc[j, "office_vi"]))
    table = pd.DataFrame(rows, columns=["unit", "indicator", "indicator_en", "deprived", "poor", "dep_rate",
                                        "office_en", "office_vi"])
    table["_order"] = table["unit"].map(names.index)
    table = table.sort_values(["deprived", "_order", "indicator"], ascending=[False, True, True], kind="stable")
    return table.drop(columns="_order").head(top).reset_index(drop=True)


def office_workload() -> pd.DataFrame:
    """Households each office must reach, per unit and for the district.

    For each office and unit: ``deprivations``, the sum over the office's indicators of poor
    households deprived (household-deprivations: a household deprived in two of the office's
    indicators counts twice, so this is an upper bound on distinct households), and the
    bounds on distinct households, ``distinct_min`` (the largest of those counts) and
    ``distinct_max`` (their sum, capped at the unit's poor households); see
    :func:`camlo.measures.af.union_bounds`. The district's rows are sums over units.

    Examples:
        >>> w = office_workload()
        >>> w.query("office_en == 'Economy and Infrastructure' and unit == 'Cam Tuyên'")[
        ...     ["deprivations", "distinct_min", "distinct_max"]].values.tolist()
        [[130, 75, 109]]
    """
    counts = _counts()
    table = offices()
    office_names = list(dict.fromkeys(table["office_en"]))
    rows = []
    for office in office_names:
        js = table.loc[table["office_en"] == office, "indicator"].tolist()
        vi = table.loc[table["office_en"] == office, "office_vi"].iloc[0]
        for unit in units():
            d = [int(counts.loc[unit, j]) for j in js]
            lo, hi = af.union_bounds(d, int(counts.loc[unit, "q"]))
            rows.append((office, vi, ", ".join(map(str, js)), unit, sum(d), lo, hi))
    out = pd.DataFrame(rows, columns=["office_en", "office_vi", "indicators", "unit", "deprivations",
                                      "distinct_min", "distinct_max"])
    district = out.groupby(["office_en", "office_vi", "indicators"], as_index=False, sort=False)[
        ["deprivations", "distinct_min", "distinct_max"]].sum()
    district.insert(3, "unit", DISTRICT)
    return pd.concat([out, district], ignore_index=True)


def office_workload_matrix() -> pd.DataFrame:
    """Household-deprivations per office (rows, section VII order) and unit (columns)."""
    w = office_workload()
    w = w[w["unit"] != DISTRICT]
    matrix = w.pivot(index="office_en", columns="unit", values="deprivations")
    return matrix.loc[list(dict.fromkeys(w["office_en"])), units()]


# --- What the counts bound ---------------------------------------------------------------------------


def overlap_minimum_matrix() -> pd.DataFrame:
    """Poor households certainly deprived in both of two indicators, district (12 x 12).

    Off the diagonal: the sum over units of ``max(0, D_j + D_k - q)`` (see
    :func:`camlo.measures.af.overlap_bounds`); on it, ``D_j`` itself.

    Examples:
        >>> int(overlap_minimum_matrix().loc[4, 11])
        131
    """
    bounds = af.overlap_bounds(_counts())
    district = bounds[bounds["unit"] == DISTRICT]
    numbers = list(_indicators()["indicator"])
    matrix = pd.DataFrame(0, index=numbers, columns=numbers, dtype="int64")
    for row in district.itertuples():
        matrix.loc[row.indicator_j, row.indicator_k] = row.both_min
        matrix.loc[row.indicator_k, row.indicator_j] = row.both_min
    totals = _counts().loc[DISTRICT]
    for j in numbers:
        matrix.loc[j, j] = int(totals[j])
    matrix.index.name = matrix.columns.name = "indicator"
    return matrix


def cutoff_share_bounds(k: int = DECREE_CUTOFF) -> pd.DataFrame:
    """Share of poor households with at least ``k`` deprivations: the range the counts allow.

    Columns ``q``, ``fewest``, ``most`` (households) and ``share_min``, ``share_max``
    (shares of poor households), per unit and for the district.

    Examples:
        >>> cutoff_share_bounds().loc["Cam Chính", ["q", "fewest", "most"]].tolist()
        [18, 3, 16]
    """
    bounds = af.score_bounds([k], _counts()).set_index("unit")[["q", "fewest", "most"]]
    bounds["share_min"] = bounds["fewest"] / bounds["q"]
    bounds["share_max"] = bounds["most"] / bounds["q"]
    return bounds


def score_bounds_table(ks=range(1, 7)) -> pd.DataFrame:
    """Poor households with at least ``k`` deprivations, as ``"fewest–most"``, per unit and k.

    Index: units in printed order, then the district; columns ``poor`` and one per ``k``.

    Examples:
        >>> score_bounds_table([3]).loc["Thanh An", 3]
        '22–104'
    """
    counts = _counts()
    bounds = af.score_bounds(ks, counts)
    table = pd.DataFrame({"poor": counts["q"]})
    for k in ks:
        rows = bounds[bounds["k"] == k].set_index("unit")
        table[int(k)] = [f"{rows.loc[u, 'fewest']}–{rows.loc[u, 'most']}" for u in table.index]
    table.columns.name = "k"
    return table


# --- Figures -----------------------------------------------------------------------------------------


def _number(value: float, lang: str, digits: int = 0) -> str:
    """A number as ``lang`` prints it (:func:`camlo.labels.format_number`), never as ``-0``."""
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
    fig, ax = plt.subplots(figsize=(width, 5.2))
    values = 100 * matrix.to_numpy(dtype="float64")
    annot = np.vectorize(lambda v: _number(v, lang))(values)
    sns.heatmap(values, ax=ax, cmap="Reds", vmin=0, vmax=100, annot=annot, fmt="", linewidths=0.5,
                linecolor="white", cbar_kws={"label": label("dep_rate_pct", lang)},
                xticklabels=columns, yticklabels=_row_labels(matrix.index, lang))
    ax.axhline(len(matrix) - 1, color=PALETTE["district"], linewidth=2)
    ax.grid(False)
    ax.set_title(wrap(title, 70))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


@figure("02_deprivation_rates")
def deprivation_rates(lang: str = "en") -> Figure:
    """Heatmap: share of poor households deprived in each indicator, per unit and district."""
    matrix = deprivation_rate_matrix()
    columns = [wrap(indicator_label(j, lang, numbered=True), 24) for j in matrix.columns]
    return _rate_heatmap(matrix, columns, label("dep_rates_title", lang), lang, 11)


@figure("02_dimension_rates")
def dimension_rates(lang: str = "en") -> Figure:
    """Heatmap: mean deprivation rate of each dimension among poor households."""
    matrix = dimension_rate_matrix()
    columns = [wrap(dimension_label(d, lang), 16) for d in matrix.columns]
    return _rate_heatmap(matrix, columns, label("dim_rates_title", lang), lang, 8)


def _bar_colours(index) -> list[str]:
    return [PALETTE["district"] if u == DISTRICT else PALETTE["poor"] for u in index]


@figure("02_af_measures")
def af_measures_chart(lang: str = "en") -> Figure:
    """Bars: H, A and M0 per unit and for the district; A against Decree 07's 3 of 12."""
    table = af_summary()
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.8), sharey=True)
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
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        ax.xaxis.set_major_formatter(_formatter(lang))
    axes[1].axvline(DECREE_CUTOFF / 12, color="black", linestyle="--", linewidth=1,
                    label=label("af_A_cutoff", lang))
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9, frameon=False)
    axes[0].set_yticks(y, _row_labels(table.index, lang))
    axes[0].invert_yaxis()
    fig.suptitle(label("af_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig


def _stacked(matrix: pd.DataFrame, colours: list[str], names: list[str], title: str, lang: str) -> Figure:
    fig, ax = plt.subplots(figsize=(11, 5.2))
    y = np.arange(len(matrix))
    left = np.zeros(len(matrix))
    for column, colour, name in zip(matrix.columns, colours, names):
        values = 100 * matrix[column].to_numpy(dtype="float64")
        ax.barh(y, values, left=left, color=colour, label=name, edgecolor="white", linewidth=0.5)
        left += values
    ax.set_yticks(y, _row_labels(matrix.index, lang))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("contribution_pct", lang))
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


@figure("02_indicator_contributions")
def indicator_contributions(lang: str = "en") -> Figure:
    """Stacked bars: each indicator's percentage contribution to M0, per unit and district."""
    matrix = indicator_contribution_matrix()
    names = [indicator_label(j, lang, numbered=True) for j in matrix.columns]
    return _stacked(matrix, [INDICATOR_COLOURS[j] for j in matrix.columns], names,
                    label("indicator_contrib_title", lang), lang)


@figure("02_dimension_contributions")
def dimension_contributions(lang: str = "en") -> Figure:
    """Stacked bars: each dimension's percentage contribution to M0, per unit and district."""
    matrix = dimension_contribution_matrix()
    ind = _indicators()
    # each dimension takes the dark shade of its indicators' pair
    colours = [INDICATOR_COLOURS[int(ind.loc[ind["dimension_en"] == d, "indicator"].max())] for d in matrix.columns]
    names = [dimension_label(d, lang) for d in matrix.columns]
    return _stacked(matrix, colours, names, label("dimension_contrib_title", lang), lang)


@figure("02_m0_share")
def m0_share(lang: str = "en") -> Figure:
    """Paired bars: each unit's share of the district M0 against its share of households."""
    table = m0_share_table()
    fig, ax = plt.subplots(figsize=(8, 5))
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
def unit_profiles(lang: str = "en") -> Figure:
    """Clustered heatmap: units' deprivation rates minus the district's (pp), with the tree."""
    clusters = profile_clusters()
    matrix = profile_deviation_matrix().loc[clusters["order"]]
    fig, (tree, ax) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1.3, 8]})
    _dendrogram(tree, clusters["linkage"])
    tree.set_xlabel(label("profile_distance_pp", lang), fontsize=9)
    tree.xaxis.set_major_formatter(_formatter(lang))
    values = matrix.to_numpy(dtype="float64")
    limit = float(np.ceil(np.abs(values).max() / 10) * 10)
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
def office_workload_chart(lang: str = "en") -> Figure:
    """Stacked bars: household-deprivations each office must address, by unit."""
    matrix = office_workload_matrix()
    fig, ax = plt.subplots(figsize=(11, 4.8))
    y = np.arange(len(matrix))
    left = np.zeros(len(matrix))
    for unit, colour in zip(matrix.columns, UNIT_COLOURS):
        values = matrix[unit].to_numpy(dtype="float64")
        ax.barh(y, values, left=left, color=colour, label=unit_label(unit, lang), edgecolor="white", linewidth=0.5)
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, " " + _number(total, lang), va="center", fontsize=9)
    ax.set_yticks(y, [wrap(office_label(o, lang), 36) for o in matrix.index])
    ax.invert_yaxis()
    ax.set_xlim(0, left.max() * 1.12)
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.set_xlabel(wrap(label("household_deprivations", lang), 80))
    ax.set_title(label("workload_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


@figure("02_overlap_bounds")
def overlap_bounds_chart(lang: str = "en") -> Figure:
    """Heatmap: poor households certainly deprived in both of two indicators (district)."""
    matrix = overlap_minimum_matrix()
    values = matrix.to_numpy(dtype="float64")
    mask = np.triu(np.ones_like(values, dtype=bool), k=1)
    annot = np.vectorize(lambda v: _number(v, lang))(values)
    names = [wrap(indicator_label(j, lang, numbered=True), 24) for j in matrix.index]
    fig, ax = plt.subplots(figsize=(10, 8.5))
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
def score_bounds_chart(lang: str = "en") -> Figure:
    """Ranges: share of poor households with 3 or more deprivations that the counts allow."""
    table = cutoff_share_bounds()
    fig, ax = plt.subplots(figsize=(8, 5))
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
FIGURES = [
    "02_deprivation_rates", "02_dimension_rates", "02_af_measures", "02_indicator_contributions",
    "02_dimension_contributions", "02_m0_share", "02_unit_profiles", "02_office_workload",
    "02_overlap_bounds", "02_score_bounds",
]
