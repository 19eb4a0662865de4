"""Alkire–Foster measures from household records, at every cutoff and as officially identified.

Notebook 02 computes the measures that the plan's printed counts fix and bounds what they
leave open. Household records settle the rest: with each household's deprivations known,
identification can use any cutoff ``k`` and every measure is exact, uncensored headcounts and
dimension headcounts included. Two identifications are computed side by side:

- **by deprivation score alone** (the Alkire–Foster dual cutoff with no income test), for
  each cutoff ``k`` = 1 … 12: a household is poor when its weighted deprivation score is at
  least ``k/12``, i.e. ``k`` indicators' worth of weight (with the equal weights of Decree 07,
  deprived in ``k`` or more indicators). A score equal to the cutoff up to floating-point
  rounding (1e-9) reaches it: the sum of seven weights of 1/12 is 0.58333333333333326, below
  the float 7/12, and must still count as seven;
- **officially** (``k = "official"``): the review's decision, as an office tabulates it:
  the recorded status where the records carry ``status_recorded`` (a blank is neither poor
  nor near-poor), else the status Decree 07 gives (income at or below the threshold and at
  least 3 of the 12 indicators); see :func:`camlo.measures.patterns.official_status`. This is what the plan printed, so on
  records that reproduce the plan's counts these measures equal :func:`camlo.af_measures`
  exactly, including Thanh An's and Cam Chính's recorded-poor households with fewer than 3
  deprivations, which no score cutoff identifies.

Per group and cutoff (the formulas of OPHI's ``mpitb``, households as the unit of
identification, as the plan counts them):

- ``H`` = poor households / households; ``A`` = mean weighted score of the poor households;
  ``M0`` = H × A; ``pop_share`` = the group's share of the district's households;
  ``M0_share`` = pop_share × M0 / the district's M0 (the shares add up to 1);
- per indicator: ``hd`` (uncensored headcount ratio: households deprived / households),
  ``hdk`` (censored: households poor *and* deprived / households), ``actb`` = w_j × hdk
  (absolute contribution; they add up to M0), ``pctb`` = actb / M0 (a share);
- per dimension: ``hd_dim`` and ``hdk_dim`` (households deprived in at least one of the
  dimension's indicators, all of them and the poor ones: what the counts could only bound),
  ``actb_dim`` and ``pctb_dim`` (the sums of its indicators' contributions).

**Over which households.** A household the review's quick identification excluded (status
``excluded``) counts among households and is never poor: ``H``, ``M0`` and the censored measures
are over all households. It has no deprivations to count: the uncensored rates ``hd`` and
``hd_dim`` are over the households surveyed. Each row's ``over`` column says which (:data:`OVER`).

**A census, not a sample.** The review records every household of the district, so these
are the population's values, exact, with no sampling error: no standard errors or confidence
intervals are given (``mpitb`` reports them for every estimate; for a census they would be
meaningless). A sample survey such as the VHLSS would need them, with its design (strata,
clusters, weights).

Speed: one pass over the records builds the table of households by group, status and
deprivation pattern (:func:`camlo.measures.patterns.pattern_counts`); the 13
identifications are computed from that table. ``benchmarks/bench_af_records.py`` times a
million records.

Examples:
    >>> import pandas as pd
    >>> records = pd.DataFrame({
    ...     "unit": ["Thanh An"] * 4,
    ...     "status": ["poor", "poor", "near_poor", "middle"],
    ...     **{f"d{j}": [1, int(j <= 2), int(j == 5), 0] for j in range(1, 13)}})
    >>> m = af_from_records(records, tables.indicators, k=[2, "official"])
    >>> district = m[(m["unit"] == "district") & (m["measure"] == "H")]
    >>> district[["k", "value"]].values.tolist()
    [[2, 0.5], ['official', 0.5]]
    >>> row = (m["unit"] == "district") & (m["k"] == 2) & (m["measure"] == "A")
    >>> round(float(m.loc[row, "value"].iloc[0]), 4)   # (12 + 2) / 2 households / 12 indicators
    0.5833
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from camlo.measures.af import DISTRICT, WeightsArg, _ratio, indicator_weights
from camlo.measures.patterns import EXCLUDED, OFFICIAL_STATUSES, pattern_bits, pattern_counts

#: The official identification's mark in the ``k`` column.
OFFICIAL = "official"
#: A weighted score this close below a cutoff reaches it (floating-point rounding).
SCORE_TOLERANCE = 1e-9

#: Measures with one value per group and cutoff.
GROUP_MEASURES = ("H", "A", "M0", "pop_share", "M0_share")
#: Measures with one value per group, cutoff and indicator.
INDICATOR_MEASURES = ("hd", "hdk", "actb", "pctb")
#: Measures with one value per group, cutoff and dimension.
DIMENSION_MEASURES = ("hd_dim", "hdk_dim", "actb_dim", "pctb_dim")

#: What each measure is, for readers of the long table.
MEASURE_DEFINITIONS = {
    "H": "headcount ratio: poor households / households",
    "A": "intensity: mean weighted deprivation score of the poor households",
    "M0": "adjusted headcount ratio: H x A",
    "pop_share": "the group's share of the district's households",
    "M0_share": "the group's share of the district's M0: pop_share x M0 / district M0",
    "hd": "uncensored headcount ratio: households deprived in the indicator / households surveyed",
    "hdk": "censored headcount ratio: households poor and deprived in the indicator / households",
    "actb": "absolute contribution to M0: w_j x hdk_j",
    "pctb": "percentage contribution to M0 (a share): actb_j / M0",
    "hd_dim": "households deprived in at least one of the dimension's indicators / households surveyed",
    "hdk_dim": "households poor and deprived in at least one of the dimension's indicators / households",
    "actb_dim": "absolute contribution of the dimension: sum of its actb",
    "pctb_dim": "percentage contribution of the dimension (a share): sum of its actb / M0",
}

#: Over which households each measure is computed (its ``over`` column): ``households``, all of
#: them, those the quick identification excluded included (never poor); ``surveyed``, those the
#: review surveyed (an excluded household has no deprivations to count); ``poor``, the poor ones.
#: The censored measures stay over all households, so that their contributions add up to M0.
OVER = {**{m: "households" for m in (*GROUP_MEASURES, *INDICATOR_MEASURES, *DIMENSION_MEASURES)},
        "A": "poor", "hd": "surveyed", "hd_dim": "surveyed"}

KArg = None | int | str | Sequence[int | str]


def cutoffs(k: KArg, m: int = 12) -> list[int | str]:
    """The identifications asked for: cutoffs 1 … m and/or ``"official"``.

    Args:
        k: ``None`` (every cutoff, then the official identification), an int, ``"official"``,
            or a list of them.
        m: The number of indicators.

    Raises:
        ValueError: for anything else.

    Examples:
        >>> cutoffs(None, 3)
        [1, 2, 3, 'official']
        >>> cutoffs([3, "official", 3])
        [3, 'official']
        >>> cutoffs(13)
        Traceback (most recent call last):
        ...
        ValueError: k must be a whole number of indicators from 1 to 12 or 'official'; got 13
    """
    if k is None:
        return [*range(1, m + 1), OFFICIAL]
    items = list(k) if isinstance(k, (list, tuple, range, np.ndarray, pd.Index)) else [k]
    if not items:
        raise ValueError("k must name at least one cutoff")
    out: list[int | str] = []
    for item in items:
        if isinstance(item, str) and item == OFFICIAL:
            value: int | str = OFFICIAL
        elif isinstance(item, numbers.Integral) and not isinstance(item, bool) and 1 <= item <= m:
            value = int(item)
        else:
            raise ValueError(f"k must be a whole number of indicators from 1 to {m} or {OFFICIAL!r}; "
                             f"got {item!r}")
        if value not in out:
            out.append(value)
    return out


def score_levels(weights: np.ndarray, m: int) -> np.ndarray:
    """For each deprivation pattern, the highest cutoff ``k`` (0 … m) its weighted score reaches.

    Examples:
        >>> score_levels(np.full(12, 1 / 12), 12)[[0, 0b1111111, 2 ** 12 - 1]].tolist()
        [0, 7, 12]
    """
    score = pattern_bits(m).astype(np.float64) @ weights
    return np.clip(np.floor((score + SCORE_TOLERANCE) * m), 0, m).astype(np.int64)


def _measure_template(numbers_: list[int], dimension_of: dict[int, str], dimensions: list[str]
                      ) -> tuple[list[str], list, list]:
    """The measure, indicator and dimension of each value in one group's row of measures."""
    measure = list(GROUP_MEASURES)
    indicator: list = [None] * len(GROUP_MEASURES)
    dimension: list = [None] * len(GROUP_MEASURES)
    for name in INDICATOR_MEASURES:
        measure += [name] * len(numbers_)
        indicator += numbers_
        dimension += [dimension_of[j] for j in numbers_]
    for name in DIMENSION_MEASURES:
        measure += [name] * len(dimensions)
        indicator += [None] * len(dimensions)
        dimension += dimensions
    return measure, indicator, dimension


def _measure_rows(n: np.ndarray, q: np.ndarray, d: np.ndarray, u: np.ndarray, d_any: np.ndarray,
                  u_any: np.ndarray, wv: np.ndarray, members: list[list[int]], n_surveyed: np.ndarray) -> np.ndarray:
    """Every measure per group from its counts, in the order of :func:`_measure_template`.

    ``n`` households, ``q`` poor ones, ``d`` poor and deprived per indicator, ``u`` deprived
    per indicator, ``d_any`` / ``u_any`` the same for "at least one of the dimension's
    indicators", ``n_surveyed`` the households the review surveyed (the uncensored rates'
    denominator); the last row is the district. The arithmetic is that of
    :func:`camlo.af_measures`, operation for operation, so that equal counts give equal values.
    """
    n = n.astype(np.float64)
    q = q.astype(np.float64)
    d = d.astype(np.float64)
    weighted = d * wv
    m0 = _ratio(weighted.sum(axis=1), n)
    h = _ratio(q, n)
    a = _ratio(weighted.sum(axis=1), q)
    pop_share = n / n[-1]
    m0_share = _ratio(pop_share * m0, np.full_like(m0, m0[-1]))
    n_surveyed = n_surveyed.astype(np.float64)
    hd = _ratio(u.astype(np.float64), n_surveyed[:, None])
    hdk = _ratio(d, n[:, None])
    actb = hdk * wv
    pctb = _ratio(actb, m0[:, None])
    actb_dim = np.column_stack([actb[:, cols].sum(axis=1) for cols in members])
    blocks = [h[:, None], a[:, None], m0[:, None], pop_share[:, None], m0_share[:, None],
              hd, hdk, actb, pctb,
              _ratio(u_any.astype(np.float64), n_surveyed[:, None]), _ratio(d_any.astype(np.float64), n[:, None]),
              actb_dim, _ratio(actb_dim, m0[:, None])]
    return np.hstack(blocks)


def af_from_records(records: pd.DataFrame, indicators: pd.DataFrame, *, k: KArg = None,
                    weights: WeightsArg = None, by: str | Sequence[str] = "unit") -> pd.DataFrame:
    """Alkire–Foster measures from household records, per group and identification, long format.

    Exact population values of a census: no standard errors (see the module docstring).

    Args:
        records: Household records, one row per household: ``d1`` … ``d12`` (0/1), the
            ``by`` column(s) and, for the official identification, ``status`` (from
            ``camlo.classify``) and optionally ``status_recorded``.
        indicators: The indicator table (:func:`camlo.indicators`).
        k: Cutoffs: ``None`` for 1 … 12 and ``"official"`` (the default), an int, or a list.
        weights: Indicator weights, as in :func:`camlo.af_measures` (default 1/12 each).
        by: ``"unit"`` (the default), ``"area"``, ``"ethnic_minority"``, any column, or a list
            of them (their combinations).

    Returns:
        Columns: the ``by`` column(s) (each group present, units in printed order, then
        ``"district"`` for the whole file), ``k`` (1 … 12 or ``"official"``), ``measure``
        (see ``MEASURE_DEFINITIONS``), ``indicator`` (Int64; for indicator measures),
        ``dimension`` (English name; for indicator and dimension measures), ``value`` and
        ``over`` (over which households, :data:`OVER`). ``attrs["over"]`` counts the file's
        ``households``, those ``surveyed`` and those ``excluded`` by the quick identification.
        Ratios with a zero denominator (no poor households: ``A``, ``pctb``) are NaN.

    Raises:
        ValueError: for a ``k``, ``weights`` or ``by`` not understood.
        DataError: for records without a needed column, or a flag or status not as expected.

    Examples:
        >>> import pandas as pd
        >>> records = pd.DataFrame({"unit": ["Thanh An", "Cam Hiếu"], "status": ["poor", "middle"],
        ...                         **{f"d{j}": [1, int(j == 1)] for j in range(1, 13)}})
        >>> m = af_from_records(records, tables.indicators, k=1)
        >>> m.query("measure == 'M0'")[["unit", "value"]].values.tolist()
        [['Thanh An', 1.0], ['Cam Hiếu', 0.08333333333333333], ['district', 0.5416666666666666]]
    """
    table = indicators
    w = indicator_weights(table, weights=weights)
    wv = w.to_numpy()
    numbers_ = [int(j) for j in w.index]
    m = len(numbers_)
    ks = cutoffs(k, m)
    dimension_of = dict(zip(table["indicator"].astype(int), table["dimension_en"]))
    dimensions = list(dict.fromkeys(table["dimension_en"]))
    members = [[i for i, j in enumerate(numbers_) if dimension_of[j] == dim] for dim in dimensions]

    split = OFFICIAL in ks or "status" in records.columns
    columns, keys, counts = pattern_counts(records, table, by=by, status=split)
    bits = pattern_bits(m)
    any_of = np.column_stack([bits[:, cols].any(axis=1) for cols in members]).astype(np.int64)
    levels = score_levels(wv, m)

    def with_district(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values, values.sum(axis=0, keepdims=True)])

    everyone = counts.sum(axis=1)  # (groups, patterns)
    n = with_district(everyone.sum(axis=1))
    excluded = counts[:, OFFICIAL_STATUSES.index(EXCLUDED), :].sum(axis=1) if split else np.zeros(len(keys), int)
    n_surveyed = n - with_district(excluded)
    u = with_district(everyone @ bits)
    u_any = with_district(everyone @ any_of)
    template = _measure_template(numbers_, dimension_of, dimensions)
    width = len(template[0])

    values = []
    for cutoff in ks:
        poor = counts[:, 0, :] if cutoff == OFFICIAL else everyone * (levels >= cutoff)
        values.append(_measure_rows(n, with_district(poor.sum(axis=1)), with_district(poor @ bits),
                                    u, with_district(poor @ any_of), u_any, wv, members, n_surveyed))
    groups = pd.concat([keys, pd.DataFrame({c: [DISTRICT] for c in columns})], ignore_index=True)
    # rows: cutoff, then group, then the template's measures
    out = groups.loc[np.tile(np.repeat(groups.index, width), len(ks))].reset_index(drop=True)
    out["k"] = np.repeat(np.array(ks, dtype=object), len(groups) * width)
    out["measure"] = np.tile(np.array(template[0], dtype=object), len(groups) * len(ks))
    out["indicator"] = pd.array(template[1] * (len(groups) * len(ks)), dtype="Int64")
    out["dimension"] = np.tile(np.array(template[2], dtype=object), len(groups) * len(ks))
    out["value"] = np.concatenate(values).ravel()
    out["over"] = out["measure"].map(OVER)
    out.attrs["over"] = {"households": int(n[-1]), "surveyed": int(n_surveyed[-1]),
                         "excluded": int(n[-1] - n_surveyed[-1])}
    return out


def measure_by_k(measures: pd.DataFrame, measure: str = "M0", by: str = "unit") -> pd.DataFrame:
    """One group-level measure from :func:`af_from_records`, wide: groups as rows, cutoffs as columns.

    Examples:
        >>> import pandas as pd
        >>> records = pd.DataFrame({"unit": ["Thanh An", "Cam Hiếu"], "status": ["poor", "middle"],
        ...                         **{f"d{j}": [1, int(j == 1)] for j in range(1, 13)}})
        >>> measure_by_k(af_from_records(records, tables.indicators, k=[1, 2]), "H").values.tolist()
        [[1.0, 1.0], [1.0, 0.0], [1.0, 0.5]]
    """
    if measure not in GROUP_MEASURES:
        raise ValueError(f"measure must be one of {GROUP_MEASURES}, got {measure!r}")
    rows = measures[measures["measure"] == measure]
    groups = list(dict.fromkeys(rows[by]))
    ks = list(dict.fromkeys(rows["k"]))
    wide = rows.pivot(index=by, columns="k", values="value")
    wide = wide.loc[groups, ks]
    wide.columns.name = "k"
    return wide


def group_summary(measures: pd.DataFrame, by: str | Sequence[str] = "unit", k: int | str = OFFICIAL
                  ) -> pd.DataFrame:
    """The group-level measures of one identification, wide: one row per group and the district.

    Args:
        measures: :func:`af_from_records` (grouped by ``by``).
        by: Its group column(s).
        k: The identification (a cutoff or ``"official"``).

    Returns:
        Index: the groups, then ``"district"`` (a MultiIndex for several columns); columns
        ``H``, ``A``, ``M0``, ``pop_share``, ``M0_share``.

    Examples:
        >>> import pandas as pd
        >>> records = pd.DataFrame({"area": ["rural", "urban"], "status": ["poor", "middle"],
        ...                         **{f"d{j}": [1, 0] for j in range(1, 13)}})
        >>> group_summary(af_from_records(records, tables.indicators, by="area"), "area")["M0_share"].tolist()
        [1.0, 0.0, 1.0]
    """
    columns = [by] if isinstance(by, str) else list(by)
    rows = measures[(measures["k"].map(lambda v: v == k and type(v) is type(k)))
                    & measures["measure"].isin(GROUP_MEASURES)]
    if rows.empty:
        raise ValueError(f"no measures for k = {k!r}")
    order = list(dict.fromkeys(map(tuple, rows[columns].to_numpy())))
    wide = rows.pivot_table(index=columns, columns="measure", values="value", sort=False)
    wide = wide.loc[[o[0] for o in order] if len(columns) == 1 else order, list(GROUP_MEASURES)]
    wide.columns.name = None
    return wide


def rank_by_k(measures: pd.DataFrame, measure: str = "M0", by: str = "unit", *, every_group: bool = True
              ) -> pd.DataFrame:
    """Each group's rank by ``measure`` at every identification (1 = highest; ties share the best rank).

    Args:
        measures: :func:`af_from_records` by one group column.
        measure: A group-level measure (``M0``, ``H`` or ``A``).
        by: The group column.
        every_group: Keep only the identifications at which every group has a poor
            household (a rank among groups with none says nothing about them); if false,
            leave out only those at which no group has one.

    Returns:
        Groups as rows (the district left out), identifications as columns, ranks as
        integers.

    Examples:
        >>> import pandas as pd
        >>> records = pd.DataFrame({"unit": ["Thanh An", "Cam Hiếu", "Cam Chính"],
        ...                         "status": ["poor", "poor", "middle"],
        ...                         **{f"d{j}": [1, int(j <= 3), int(j == 1)] for j in range(1, 13)}})
        >>> measures = af_from_records(records, tables.indicators, k=[1, 3, 4])
        >>> rank_by_k(measures).values.tolist()
        [[1], [3], [2]]
        >>> rank_by_k(measures, every_group=False).values.tolist()
        [[1, 1, 1], [3, 3, 2], [2, 2, 2]]
    """
    wide = measure_by_k(measures, measure, by).drop(index=DISTRICT)
    positive = wide.fillna(0).gt(0)
    wide = wide.loc[:, positive.all(axis=0) if every_group else positive.any(axis=0)]
    return wide.fillna(0).rank(axis=0, ascending=False, method="min").astype("int64")


def rank_robustness(ranks: pd.DataFrame, reference: int | str = OFFICIAL) -> tuple[pd.DataFrame, float]:
    """How each group's rank moves across identifications, and the share of pairs that never swap.

    Args:
        ranks: :func:`rank_by_k`.
        reference: The identification the other ranks are compared with.

    Returns:
        ``(table, robust_share)``: per group its rank at ``reference``, its best and worst
        rank and ``changes`` (True when some identification ranks it otherwise); and the
        share of pairs of groups ordered the same way (strictly, or tied) at every
        identification, OPHI's pairwise robustness of a ranking to the cutoff.

    Examples:
        >>> ranks = pd.DataFrame({1: [1, 2, 3], 2: [2, 1, 3], "official": [1, 2, 3]}, index=["a", "b", "c"])
        >>> table, share = rank_robustness(ranks)
        >>> table["changes"].tolist(), round(share, 3)
        ([True, True, False], 0.667)
    """
    table = pd.DataFrame({"reference": ranks[reference], "best": ranks.min(axis=1), "worst": ranks.max(axis=1)})
    table["changes"] = table["best"] != table["worst"]
    values = ranks.to_numpy()
    signs = np.sign(values[:, None, :] - values[None, :, :])  # (group, group, identification)
    upper = np.triu_indices(len(ranks), k=1)
    pairs = signs[upper]
    robust = (pairs == pairs[:, :1]).all(axis=1)
    return table, float(robust.mean()) if len(robust) else float("nan")
