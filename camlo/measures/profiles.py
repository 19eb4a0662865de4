"""What the Alkire–Foster measures say about each unit: rates, contributions, profiles.

Views of the long table of :func:`camlo.af_measures` that notebook 02 shows and its figures
draw. Each takes that table (``measures``) and returns a new one. Rows are the 8 units in printed order, then the
district (``"district"``); indicators by number, dimensions by English name.

The examples use the measures of the shipped tables with equal weights, ``measures =
camlo.af_measures(tables.households, tables.deprivations, tables.indicators)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform

from camlo.constants import DISTRICT
from camlo.measures.af import measure_table


def deprivation_rate_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Share of poor households deprived in each indicator: units (then district) x 1–12.

    Examples:
        >>> float(deprivation_rate_matrix(measures).loc["Cam Tuyên", 10]) == 75 / 109
        True
    """
    return measure_table(measures, "dep_rate")


def dimension_rate_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Mean deprivation rate of each dimension's indicators among poor households.

    The equal-weighted mean of the dimension's indicator rates (``dep_rate_dim``). The share
    deprived in *any* indicator of a dimension is not determined by the counts: it lies
    between the largest of its indicator rates and their sum (capped at 1).

    Examples:
        >>> round(float(dimension_rate_matrix(measures).loc["Cam Tuyên", "Water and sanitation"]), 12) == round((8 + 75) / 2 / 109, 12)
        True
    """
    return measure_table(measures, "dep_rate_dim")


def af_summary(measures: pd.DataFrame) -> pd.DataFrame:
    """H, A and M0 per unit and for the district (columns ``H``, ``A``, ``M0``).

    Examples:
        >>> float(af_summary(measures).loc["district", "H"]) == 453 / 14905
        True
    """
    m = measures
    return pd.DataFrame({k: measure_table(m, k) for k in ("H", "A", "M0")})


def indicator_contribution_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Percentage contribution (``pctb``, a share) of each indicator to each unit's M0."""
    return measure_table(measures, "pctb")


def dimension_contribution_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Percentage contribution (a share) of each dimension to each unit's M0."""
    return measure_table(measures, "pctb_dim")


def m0_share_table(measures: pd.DataFrame) -> pd.DataFrame:
    """Each unit's share of the district M0 (``M0_share``) and of its households (``pop_share``).

    Examples:
        >>> round(float(m0_share_table(measures)["M0_share"].sum()), 12)
        1.0
    """
    m = measures
    table = pd.DataFrame({k: measure_table(m, k) for k in ("M0_share", "pop_share")})
    return table.drop(index=DISTRICT)


def district_contributions(measures: pd.DataFrame, *, top: int | None = None) -> pd.Series:
    """Indicators' percentage contributions to the district M0, largest first (ties by number)."""
    series = indicator_contribution_matrix(measures).loc[DISTRICT]
    order = sorted(series.index, key=lambda j: (-series[j], j))
    series = series.loc[order]
    return series if top is None else series.iloc[:top]


def leading_indicators(measures: pd.DataFrame) -> pd.DataFrame:
    """The indicator contributing most to each unit's M0 (and the district's).

    Columns ``unit``, ``indicator`` and ``pctb`` (its share of M0; ties go to the lower
    indicator).

    Examples:
        >>> leading_indicators(measures).set_index("unit").loc["Cam Nghĩa", "indicator"]
        np.int64(10)
    """
    matrix = indicator_contribution_matrix(measures)
    rows = []
    for unit in matrix.index:
        values = matrix.loc[unit]
        j = min(values.index, key=lambda k: (-values[k], k))
        rows.append((unit, int(j), values[j]))
    return pd.DataFrame(rows, columns=["unit", "indicator", "pctb"])


def profile_deviation_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Each unit's deprivation rate minus the district's, in percentage points (units x 1–12).

    Examples:
        >>> round(float(profile_deviation_matrix(measures).loc["Cam Tuyên", 10]), 1)
        25.1
    """
    rates = deprivation_rate_matrix(measures)
    return 100 * (rates.drop(index=DISTRICT) - rates.loc[DISTRICT])


def largest_deviations(measures: pd.DataFrame) -> pd.DataFrame:
    """Where each unit differs most from the district: one row per unit.

    Columns ``unit``, ``indicator``, ``unit_rate``, ``district_rate`` (shares of poor
    households) and ``difference_pp`` (percentage points; ties go to the lower indicator).
    """
    deviation = profile_deviation_matrix(measures)
    rates = deprivation_rate_matrix(measures)
    rows = []
    for unit in deviation.index:
        values = deviation.loc[unit]
        j = min(values.index, key=lambda k: (-abs(values[k]), k))
        rows.append((unit, int(j), rates.loc[unit, j], rates.loc[DISTRICT, j], values[j]))
    return pd.DataFrame(rows, columns=["unit", "indicator", "unit_rate", "district_rate", "difference_pp"])


def unit_distances(measures: pd.DataFrame) -> pd.DataFrame:
    """Euclidean distance between units' deprivation-rate profiles, in percentage points.

    Examples:
        >>> d = unit_distances(measures)
        >>> bool((d.values == d.values.T).all()) and bool((np.diag(d.values) == 0).all())
        True
    """
    rates = 100 * deprivation_rate_matrix(measures).drop(index=DISTRICT)
    distances = squareform(pdist(rates.to_numpy(dtype="float64"), metric="euclidean"))
    return pd.DataFrame(distances, index=rates.index, columns=rates.index)


def profile_linkage(measures: pd.DataFrame) -> np.ndarray:
    """Average-linkage (UPGMA) clustering of :func:`unit_distances`, as a scipy linkage matrix.

    :func:`scipy.cluster.hierarchy.linkage` with ``method="average"`` on the condensed
    distance matrix; leaves ``0 .. 7`` are the units in printed order, merged clusters are
    numbered ``8, 9, ...`` in the order they form. Each row is ``(left, right, height in pp,
    size)``.

    Examples:
        >>> z = profile_linkage(measures)
        >>> z.shape, int(z[-1, 3])
        ((7, 4), 8)
    """
    distances = unit_distances(measures).to_numpy(dtype="float64")
    return hierarchy.linkage(squareform(distances, checks=True), method="average")


def profile_clusters(measures: pd.DataFrame, *, n_groups: int = 4) -> dict:
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
    distances = unit_distances(measures)
    names = list(distances.index)
    if not 1 <= n_groups <= len(names):
        raise ValueError(f"n_groups must be between 1 and {len(names)}; got {n_groups}")
    z = profile_linkage(measures)
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


def deviations_both_ways(measures: pd.DataFrame) -> pd.DataFrame:
    """Where each unit's poor households are most and least deprived against the district's.

    One row per unit: ``excess_indicator`` and ``excess_pp`` (the largest positive deviation,
    in percentage points), ``shortfall_indicator`` and ``shortfall_pp`` (the most negative);
    ties go to the lower indicator. A unit more deprived than the district in no indicator
    (or less in none) has no indicator on that side (``<NA>``).

    Examples:
        >>> d = deviations_both_ways(measures).set_index("unit")
        >>> int(d.loc["Cam Chính", "excess_indicator"]), int(d.loc["Cam Chính", "shortfall_indicator"])
        (11, 4)
    """
    deviation = profile_deviation_matrix(measures)
    rows = []
    for unit in deviation.index:
        values = deviation.loc[unit]
        up = min(values.index, key=lambda k: (-values[k], k))
        down = min(values.index, key=lambda k: (values[k], k))
        rows.append((unit, int(up) if values[up] > 0 else pd.NA, values[up] if values[up] > 0 else np.nan,
                     int(down) if values[down] < 0 else pd.NA, values[down] if values[down] < 0 else np.nan))
    out = pd.DataFrame(rows, columns=["unit", "excess_indicator", "excess_pp", "shortfall_indicator", "shortfall_pp"])
    return out.astype({"excess_indicator": "Int64", "shortfall_indicator": "Int64"})


def unit_share_matrix(counts: pd.DataFrame) -> pd.DataFrame:
    """Each unit's share of the district's poor households deprived in each indicator, ``D_cj / D_j``.

    Args:
        counts: As from :func:`camlo.unit_counts`.

    Returns:
        Units (rows, printed order, no district) x indicators (columns); each column sums to 1
        (NaN where no poor household of the district is deprived in the indicator).

    Examples:
        >>> from camlo import unit_counts
        >>> s = unit_share_matrix(unit_counts(tables.households, tables.deprivations))
        >>> round(float(s.loc["Cam Tuyên", 5]), 3)  # 32 of 46
        0.696
    """
    indicators = [c for c in counts.columns if c not in ("n", "q")]
    totals = counts.loc[DISTRICT, indicators].astype("float64").replace(0, np.nan)
    shares = counts.drop(index=DISTRICT)[indicators].astype("float64") / totals
    shares.columns.name = "indicator"
    return shares
