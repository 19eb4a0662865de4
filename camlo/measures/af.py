"""Alkire–Foster measures from the plan's published counts, and what those counts bound.

Multidimensional-poverty tools (Stata ``mpitb``, R ``mpitbR`` and ``mpindex``, PyPI
``mpitb``) start from household microdata. The plan publishes counts only: per unit ``c``
its households ``n_c`` (Phụ lục 1), its poor households ``q_c`` and, for each indicator
``j``, the poor households deprived in it, ``D_cj`` (Phụ lục 2). Poverty status is taken
as published (the review identified the poor, income test included), so these counts fix
every *censored* aggregate exactly:

- headcount ratio ``H_c = q_c / n_c``;
- censored headcount ratio ``hdk_cj = D_cj / n_c``;
- adjusted headcount ratio ``M0_c = sum_j w_j hdk_cj``;
- intensity ``A_c = M0_c / H_c = sum_j w_j D_cj / q_c``;
- absolute contribution ``actb_cj = w_j hdk_cj`` and percentage contribution
  ``pctb_cj = actb_cj / M0_c`` (a share: it sums to 1 over indicators); a dimension's
  contribution is the sum over its indicators.

The district is computed from the column sums, which is the same as the household-weighted
mean of the units: ``M0 = sum_c (n_c / N) M0_c``.

The counts do **not** fix anything that depends on which deprivations fall on the same
household: uncensored headcounts (non-poor households' deprivations are not published), the
distribution of deprivation scores, the overlap of two deprivations. For those this module
gives the sharp bounds the counts imply (:func:`pair_overlap_bounds`, :func:`union_bounds`,
:func:`score_count_bounds`), each attained by some arrangement of deprivations among the
poor households consistent with the published counts.

Examples:
    >>> m = af_measures(tables.households, tables.deprivations, tables.indicators)
    >>> district = m[(m["unit"] == "district") & m["indicator"].isna() & m["dimension"].isna()]
    >>> district.set_index("measure")["value"].round(4).to_dict()
    {'H': 0.0304, 'A': 0.2706, 'M0': 0.0082, 'M0_share': 1.0, 'pop_share': 1.0}
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from camlo.constants import DISTRICT
from camlo.errors import DataError

#: Measures with one value per unit (``indicator`` and ``dimension`` empty).
UNIT_MEASURES = ("H", "A", "M0", "M0_share", "pop_share")
#: Measures with one value per unit and indicator (``dimension`` is the indicator's).
INDICATOR_MEASURES = ("dep_rate", "hdk", "actb", "pctb")
#: Measures with one value per unit and dimension (``indicator`` empty).
DIMENSION_MEASURES = ("dep_rate_dim", "actb_dim", "pctb_dim")

#: What each measure is, for readers of the long table.
MEASURE_DEFINITIONS = {
    "H": "headcount ratio: poor households / households",
    "A": "intensity: mean weighted deprivation score of poor households",
    "M0": "adjusted headcount ratio: H x A",
    "M0_share": "unit's share of the district M0: (n_c / N) M0_c / M0",
    "pop_share": "unit's share of the district's households: n_c / N",
    "dep_rate": "share of poor households deprived in the indicator: D_j / q",
    "hdk": "censored headcount ratio: D_j / n",
    "actb": "absolute contribution to M0: w_j hdk_j",
    "pctb": "percentage contribution to M0 (a share): w_j hdk_j / M0",
    "dep_rate_dim": ("weighted mean of the dimension's dep_rate (not the share deprived in any of "
                     "its indicators, which the counts do not determine)"),
    "actb_dim": "absolute contribution of the dimension: sum of its actb",
    "pctb_dim": "percentage contribution of the dimension (a share): sum of its pctb",
}

WeightsArg = None | str | Mapping | Sequence | np.ndarray


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def indicator_weights(table: pd.DataFrame, *, weights: WeightsArg = None) -> pd.Series:
    """Validate a weighting scheme and return one weight per indicator.

    Args:
        table: The indicator table (:func:`camlo.indicators`): each indicator's dimension.
        weights: One of
            - ``None`` or ``"equal"``: 1/12 for each indicator;
            - ``"dimension"``: 1/6 for each dimension, split evenly among its indicators
              (for Decree 07's 6 x 2 indicators this equals ``"equal"``);
            - a mapping ``{indicator number: weight}`` naming every indicator;
            - a mapping ``{English dimension name: weight}`` naming every dimension (as in
              ``indicators()["dimension_en"]``), each split evenly among its indicators;
            - a sequence of 12 weights, indicator 1 first.
            Weights must be finite, non-negative and sum to 1 (to within 1e-9).

    Returns:
        Weights indexed by indicator number, in the table's order, named ``weight``.

    Raises:
        ValueError: for anything else, saying what was expected.

    Examples:
        >>> indicator_weights(tables.indicators).iloc[:2].tolist() == [1 / 12, 1 / 12]
        True
        >>> w = indicator_weights(tables.indicators, weights={"Employment": 0.5, "Health": 0.1, "Education": 0.1,
        ...                       "Housing": 0.1, "Water and sanitation": 0.1, "Information": 0.1})
        >>> w.loc[[1, 2, 3]].tolist()
        [0.25, 0.25, 0.05]
        >>> indicator_weights(tables.indicators, weights={1: 1.0})
        Traceback (most recent call last):
        ...
        ValueError: weights per indicator must name every indicator; missing: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    """
    numbers_ = [int(j) for j in table["indicator"]]
    dimension_of = dict(zip(numbers_, table["dimension_en"]))
    dimensions = list(dict.fromkeys(table["dimension_en"]))
    size = {d: sum(1 for j in numbers_ if dimension_of[j] == d) for d in dimensions}

    def per_dimension(by_dimension: Mapping[str, float]) -> dict[int, float]:
        return {j: by_dimension[dimension_of[j]] / size[dimension_of[j]] for j in numbers_}

    if weights is None or (isinstance(weights, str) and weights == "equal"):
        raw: dict[int, float] = {j: 1 / len(numbers_) for j in numbers_}
    elif isinstance(weights, str):
        if weights != "dimension":
            raise ValueError(f"weights must be None, 'equal', 'dimension', a mapping or a sequence of "
                             f"{len(numbers_)} numbers; got the string {weights!r}")
        raw = per_dimension({d: 1 / len(dimensions) for d in dimensions})
    elif isinstance(weights, (Mapping, pd.Series)):
        items = dict(weights.items())
        keys = list(items)
        if not keys:
            raise ValueError("weights mapping is empty")
        if all(isinstance(k, str) for k in keys):
            unknown = [k for k in keys if k not in size]
            if unknown:
                raise ValueError(f"unknown dimension(s) {', '.join(map(repr, unknown))} in weights; "
                                 f"expected the English names {', '.join(map(repr, dimensions))}")
            missing = [d for d in dimensions if d not in items]
            if missing:
                raise ValueError(f"weights per dimension must name every dimension; missing: "
                                 f"{', '.join(map(repr, missing))}")
            _check_values(items, "dimension")
            raw = per_dimension(items)
        elif all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
            unknown = [int(k) for k in keys if int(k) not in dimension_of]
            if unknown:
                raise ValueError(f"unknown indicator(s) {', '.join(map(str, unknown))} in weights; "
                                 f"expected {numbers_[0]} to {numbers_[-1]}")
            items = {int(k): v for k, v in items.items()}
            missing = [j for j in numbers_ if j not in items]
            if missing:
                raise ValueError(f"weights per indicator must name every indicator; missing: "
                                 f"{', '.join(map(str, missing))}")
            _check_values(items, "indicator")
            raw = {j: items[j] for j in numbers_}
        else:
            raise ValueError("weights mapping keys must all be indicator numbers (int) or all English "
                             f"dimension names (str); got {keys!r}")
    elif isinstance(weights, (Sequence, np.ndarray)):
        values = list(weights)
        if len(values) != len(numbers_):
            raise ValueError(f"a sequence of weights must have one weight per indicator "
                             f"({len(numbers_)}); got {len(values)}")
        raw = dict(zip(numbers_, values))
        _check_values(raw, "indicator")
    else:
        raise ValueError(f"weights must be None, 'equal', 'dimension', a mapping or a sequence of "
                         f"{len(numbers_)} numbers; got {type(weights).__name__}")
    _check_values(raw, "indicator")
    total = math.fsum(float(v) for v in raw.values())
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise ValueError(f"weights must sum to 1; they sum to {total!r}")
    out = pd.Series({j: float(raw[j]) for j in numbers_}, name="weight", dtype="float64")
    out.index = out.index.astype("int64")
    out.index.name = "indicator"
    return out


def _check_values(items: Mapping, kind: str) -> None:
    for key, value in items.items():
        if not _is_number(value) or not math.isfinite(float(value)):
            raise ValueError(f"weight for {kind} {key!r} must be a finite number; got {value!r}")
        if value < 0:
            raise ValueError(f"weight for {kind} {key!r} must not be negative; got {value!r}")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Elementwise numerator / denominator, NaN (without a warning) where the denominator is 0."""
    numerator, denominator = np.broadcast_arrays(np.asarray(numerator, dtype="float64"),
                                                 np.asarray(denominator, dtype="float64"))
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def unit_counts(households: pd.DataFrame, deprivations: pd.DataFrame) -> pd.DataFrame:
    """The counts the measures are computed from: one row per unit, then the district.

    Args:
        households: Phụ lục 1 as from ``camlo.load_households()``; only ``unit``,
            ``households`` and ``poor`` are used.
        deprivations: Phụ lục 2 as from ``camlo.load_deprivations()``.

    Returns:
        Index ``unit`` (printed names in Phụ lục 1's order, then ``"district"``), columns
        ``n`` (households), ``q`` (poor households, as in Phụ lục 2) and one column per
        indicator number holding ``D_j``. The district row is the sum of the units.

    Raises:
        DataError: if the two annexes do not list the same units, or print different
            numbers of poor households for a unit.

    Examples:
        >>> c = unit_counts(tables.households, tables.deprivations)
        >>> c.loc["Cam Tuyên", ["n", "q", 10]].tolist()
        [1481, 109, 75]
        >>> c.loc["district", ["n", "q"]].tolist()
        [14905, 453]
    """
    units = list(households["unit"])
    listed = list(dict.fromkeys(deprivations["unit"]))
    if set(units) != set(listed):
        only_1 = sorted(set(units) - set(listed))
        only_2 = sorted(set(listed) - set(units))
        raise DataError(f"Phụ lục 1 and Phụ lục 2 list different units (only in Phụ lục 1: {only_1}; "
                        f"only in Phụ lục 2: {only_2})", row=(only_1 or only_2)[0], column="unit")
    wide = deprivations.pivot(index="unit", columns="indicator", values="deprived").loc[units]
    poor_2 = deprivations.groupby("unit", sort=False)["poor"].first().loc[units]
    poor_1 = households.set_index("unit")["poor"].loc[units]
    for unit in units:
        if int(poor_1[unit]) != int(poor_2[unit]):
            raise DataError(f"Phụ lục 1 prints {int(poor_1[unit])} poor households, Phụ lục 2 prints "
                            f"{int(poor_2[unit])}; the measures need one number", row=unit, column="poor")
    frame = pd.DataFrame({"n": households.set_index("unit")["households"].loc[units].astype("int64"),
                          "q": poor_2.astype("int64")})
    frame = pd.concat([frame, wide.astype("int64")], axis=1)
    frame.loc[DISTRICT] = frame.sum()
    frame.index.name = "unit"
    frame.columns.name = None
    return frame.astype("int64")


def af_measures(households: pd.DataFrame, deprivations: pd.DataFrame, indicators: pd.DataFrame, *,
                weights: WeightsArg = None) -> pd.DataFrame:
    """Alkire–Foster measures per unit and for the district, long format (as mpitb's results).

    Args:
        households: Phụ lục 1 (:func:`camlo.load_households`).
        deprivations: Phụ lục 2 (:func:`camlo.load_deprivations`).
        indicators: The indicators' dimensions (:func:`camlo.indicators`).
        weights: Indicator weights; see :func:`indicator_weights` (default: 1/12 each).

    Returns:
        Columns ``unit`` (each unit's printed name, then ``"district"``), ``measure`` (see
        ``MEASURE_DEFINITIONS``), ``indicator`` (1–12; missing for unit- and dimension-level
        measures), ``dimension`` (English name; missing for unit-level measures) and
        ``value``. Rows: per unit ``UNIT_MEASURES``, then ``INDICATOR_MEASURES`` for each
        indicator, then ``DIMENSION_MEASURES`` for each dimension. Ratios with a zero
        denominator (a unit with no poor households) are NaN.

    Raises:
        ValueError: for weights that :func:`indicator_weights` refuses.
        DataError: if the annexes disagree (see :func:`unit_counts`).

    Examples:
        >>> m = af_measures(tables.households, tables.deprivations, tables.indicators)
        >>> row = (m["unit"] == "Cam Tuyên") & (m["measure"] == "dep_rate") & (m["indicator"] == 10)
        >>> float(m.loc[row, "value"].iloc[0]) == 75 / 109
        True
        >>> float(m.query("unit == 'Thanh An' and measure == 'pctb'")["value"].sum())
        1.0
    """
    table = indicators
    w = indicator_weights(table, weights=weights)
    counts = unit_counts(households, deprivations)
    numbers_ = list(w.index)
    dimension_of = dict(zip(table["indicator"].astype(int), table["dimension_en"]))
    dimensions = list(dict.fromkeys(table["dimension_en"]))

    n = counts["n"].to_numpy(dtype="float64")
    q = counts["q"].to_numpy(dtype="float64")
    d = counts[numbers_].to_numpy(dtype="float64")
    wv = w.to_numpy()
    weighted = d * wv  # w_j D_cj
    m0 = _ratio(weighted.sum(axis=1), n)
    h = _ratio(q, n)
    a = _ratio(weighted.sum(axis=1), q)
    hdk = _ratio(d, n[:, None])
    actb = hdk * wv
    pctb = _ratio(actb, m0[:, None])
    dep_rate = _ratio(d, q[:, None])
    total_n = n[-1]
    pop_share = n / total_n
    m0_share = _ratio(pop_share * m0, np.full_like(m0, m0[-1]))

    members = {dim: [i for i, j in enumerate(numbers_) if dimension_of[j] == dim] for dim in dimensions}
    rows: list[tuple] = []
    for u, unit in enumerate(counts.index):
        for name, values in (("H", h), ("A", a), ("M0", m0), ("M0_share", m0_share), ("pop_share", pop_share)):
            rows.append((unit, name, None, None, values[u]))
        for name, values in (("dep_rate", dep_rate), ("hdk", hdk), ("actb", actb), ("pctb", pctb)):
            for i, j in enumerate(numbers_):
                rows.append((unit, name, j, dimension_of[j], values[u, i]))
        for dim in dimensions:
            cols = members[dim]
            dim_weight = wv[cols].sum()
            mean_rate = (_ratio(weighted[u, cols].sum(), q[u] * dim_weight)).item()
            dim_actb = actb[u, cols].sum()
            rows.append((unit, "dep_rate_dim", None, dim, mean_rate))
            rows.append((unit, "actb_dim", None, dim, dim_actb))
            rows.append((unit, "pctb_dim", None, dim, _ratio(dim_actb, m0[u]).item()))
    out = pd.DataFrame(rows, columns=["unit", "measure", "indicator", "dimension", "value"])
    out["indicator"] = pd.array(out["indicator"].tolist(), dtype="Int64")
    out["value"] = out["value"].astype("float64")
    return out


def measure_table(measures: pd.DataFrame, measure: str) -> pd.DataFrame | pd.Series:
    """One measure from :func:`af_measures`'s long table, wide: units as rows.

    Unit-level measures give a Series indexed by unit; indicator measures a frame with one
    column per indicator; dimension measures one column per dimension (in table order).

    Examples:
        >>> measure_table(af_measures(tables.households, tables.deprivations, tables.indicators), "H").round(4).loc[["Thanh An", "district"]].tolist()
        [0.0394, 0.0304]
        >>> measure_table(af_measures(tables.households, tables.deprivations, tables.indicators), "pctb").shape
        (9, 12)
    """
    rows = measures[measures["measure"] == measure]
    if rows.empty:
        raise ValueError(f"no measure {measure!r}; expected one of {sorted(measures['measure'].unique())}")
    units = list(dict.fromkeys(rows["unit"]))
    if measure in INDICATOR_MEASURES:
        wide = rows.pivot(index="unit", columns="indicator", values="value")
        wide.columns = wide.columns.astype("int64")
    elif measure in DIMENSION_MEASURES:
        wide = rows.pivot(index="unit", columns="dimension", values="value")
        wide = wide[list(dict.fromkeys(rows["dimension"]))]
    else:
        return rows.set_index("unit")["value"].loc[units].rename(measure)
    wide = wide.loc[units]
    wide.columns.name = "indicator" if measure in INDICATOR_MEASURES else "dimension"
    return wide
