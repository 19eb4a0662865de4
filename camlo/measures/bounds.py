"""What the plan's counts bound but cannot fix: overlaps of deprivations and score distributions.

The counts fix every censored Alkire–Foster aggregate (:mod:`camlo.measures.af`), but not
anything that depends on which deprivations fall on the same household: the overlap of two
deprivations, the union of several, the distribution of deprivation scores. This module gives
the sharp bounds the counts imply (:func:`pair_overlap_bounds`, :func:`union_bounds`,
:func:`score_count_bounds`), each attained by some arrangement of deprivations among the poor
households consistent with the published counts, and the tables notebook 02 shows of them.
Household records (:mod:`camlo.measures.af_records`) settle what is only bounded here.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from camlo.constants import DEPRIVATION_CUTOFF, DISTRICT, INDICATORS
from camlo.measures.af import unit_counts


def _check_counts(counts: Iterable[int], q: int) -> list[int]:
    counts = [int(c) for c in counts]
    if q < 0:
        raise ValueError(f"the number of poor households must not be negative; got {q}")
    bad = [c for c in counts if c < 0 or c > q]
    if bad:
        raise ValueError(f"each deprivation count must be between 0 and q = {q}; got {bad}")
    return counts


def pair_overlap_bounds(d_j: int, d_k: int, q: int) -> tuple[int, int]:
    """Fewest and most of ``q`` poor households deprived in both of two indicators.

    With ``d_j`` and ``d_k`` of them deprived in each, at least ``d_j + d_k - q`` must be
    deprived in both (there are only ``q`` households), and at most ``min(d_j, d_k)``. Both
    bounds are attained by some arrangement, so nothing sharper follows from the counts.

    Examples:
        District, health insurance (290) and telecom services (294) among 453 poor households:

        >>> pair_overlap_bounds(290, 294, 453)
        (131, 290)
        >>> pair_overlap_bounds(5, 4, 36)
        (0, 4)
    """
    d_j, d_k = _check_counts((d_j, d_k), q)
    return max(0, d_j + d_k - q), min(d_j, d_k)


def union_bounds(counts: Iterable[int], q: int) -> tuple[int, int]:
    """Fewest and most of ``q`` poor households deprived in at least one of some indicators.

    At least the largest count (the other deprivations may fall on the same households), at
    most the sum of the counts or ``q``. Both are attained.

    Examples:
        Cam Tuyên's housing and water indicators (7–10: 8, 39, 8, 75 of 109 poor households):

        >>> union_bounds([8, 39, 8, 75], 109)
        (75, 109)
        >>> union_bounds([], 10)
        (0, 0)
    """
    counts = _check_counts(counts, q)
    if not counts:
        return 0, 0
    return max(counts), min(q, sum(counts))


def mean_score(counts: Iterable[int], q: int) -> float:
    """Mean number of deprivations per poor household: ``sum(counts) / q``, exact.

    Examples:
        Thanh An: 313 deprivations among 106 poor households, fewer than 3 on average.

        >>> round(mean_score([24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31], 106), 3)
        2.953
    """
    counts = _check_counts(counts, q)
    if q == 0:
        raise ValueError("no poor households: the mean score is undefined")
    return sum(counts) / q


def _fits(counts_desc: list[int], caps: list[tuple[int, int]]) -> bool:
    """Whether deprivations can be spread over households with at most ``cap`` each.

    ``caps`` lists ``(households, cap)`` groups. A 0/1 household-by-indicator matrix with
    the given column sums and row sums at most the caps exists iff, for every t, the t
    largest column sums add up to at most ``sum(households * min(cap, t))`` (max-flow
    min-cut on the bipartite network; the Gale–Ryser condition with row upper bounds).
    """
    running = 0
    for t, count in enumerate(counts_desc, start=1):
        running += count
        if running > sum(size * min(cap, t) for size, cap in caps):
            return False
    return True


def score_count_bounds(counts: Iterable[int], q: int, k: int) -> tuple[int, int]:
    """Fewest and most of ``q`` poor households with at least ``k`` of the deprivations.

    ``counts`` holds, for each indicator, how many of the ``q`` households are deprived in
    it. Any arrangement of those deprivations among the households is consistent with the
    counts; the bounds are the smallest and largest number of households with ``k`` or
    more deprivations over all of them, and both are attained (the test suite checks this
    against every arrangement for small cases).

    The minimum is the least ``x`` for which the other ``q - x`` households can hold at
    most ``k - 1`` deprivations each; the maximum the largest ``x`` for which ``x``
    households can each hold at least ``k`` (equivalently, at most ``m - k`` of the
    complementary non-deprivations). Feasibility is the Gale–Ryser-type condition in
    ``_fits``.

    Args:
        counts: Deprivation counts, one per indicator (``m`` indicators), each in 0..q.
        q: Poor households.
        k: Deprivation cutoff (a count of indicators, equal weights).

    Returns:
        ``(fewest, most)`` households with at least ``k`` deprivations.

    Examples:
        Thanh An (106 poor households, 313 deprivations): at most 104 can have 3 or more,
        so at least 2 poor households have fewer than Decree 07's 3; and at least 22 have 3
        or more, however the deprivations are arranged.

        >>> score_count_bounds([24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31], 106, 3)
        (22, 104)
        >>> score_count_bounds([2, 2], 2, 2)   # both households deprived in both
        (2, 2)
        >>> score_count_bounds([1, 1], 2, 2)   # the two deprivations together, or apart
        (0, 1)
    """
    counts = _check_counts(counts, q)
    m = len(counts)
    if k <= 0:
        return q, q
    if k > m:
        return 0, 0
    desc = sorted(counts, reverse=True)
    fewest = next(x for x in range(q + 1) if _fits(desc, [(q - x, k - 1), (x, m)]))
    complement = sorted((q - c for c in counts), reverse=True)
    most = next(x for x in range(q, -1, -1) if _fits(complement, [(x, m - k), (q - x, m)]))
    return fewest, most


def _units_and_indicators(counts: pd.DataFrame) -> tuple[pd.DataFrame, list, list]:
    """The counts, their units (no district row) and indicator columns."""
    units = [u for u in counts.index if u != DISTRICT]
    return counts, units, [c for c in counts.columns if c not in ("n", "q")]


def overlap_bounds(counts: pd.DataFrame) -> pd.DataFrame:
    """Bounds on the poor households deprived in both of each pair of indicators.

    Args:
        counts: As from :func:`unit_counts`.

    Returns:
        Columns ``unit``, ``indicator_j``, ``indicator_k`` (j < k), ``both_min``, ``both_max``.
        The district's bounds are the sums of its units' (the units' households are
        disjoint), which is sharper than bounding from the district's column sums.

    Examples:
        >>> b = overlap_bounds(unit_counts(tables.households, tables.deprivations))
        >>> b.query("unit == 'district' and indicator_j == 4 and indicator_k == 11")[
        ...     ["both_min", "both_max"]].values.tolist()
        [[131, 256]]
    """
    counts, units, numbers_ = _units_and_indicators(counts)
    rows = []
    for unit in units:
        q = int(counts.loc[unit, "q"])
        for a, j in enumerate(numbers_):
            for k in numbers_[a + 1:]:
                lo, hi = pair_overlap_bounds(int(counts.loc[unit, j]), int(counts.loc[unit, k]), q)
                rows.append((unit, j, k, lo, hi))
    out = pd.DataFrame(rows, columns=["unit", "indicator_j", "indicator_k", "both_min", "both_max"])
    district = out.groupby(["indicator_j", "indicator_k"], as_index=False)[["both_min", "both_max"]].sum()
    district.insert(0, "unit", DISTRICT)
    out = pd.concat([out, district], ignore_index=True)
    return out.astype({"indicator_j": "int64", "indicator_k": "int64", "both_min": "int64", "both_max": "int64"})


def score_bounds(counts: pd.DataFrame, *, ks: Iterable[int] = INDICATORS) -> pd.DataFrame:
    """Bounds on the poor households with at least ``k`` deprivations, per unit and district.

    Args:
        counts: As from :func:`unit_counts`.
        ks: Cutoffs (counts of indicators).

    Returns:
        Columns ``unit``, ``k``, ``q`` (poor households), ``fewest``, ``most``; the
        district's are the sums of its units'.

    Examples:
        >>> b = score_bounds(unit_counts(tables.households, tables.deprivations), ks=[3])
        >>> b.loc[b["most"] < b["q"], ["unit", "q", "most"]].values.tolist()
        [['Thanh An', 106, 104], ['Cam Chính', 18, 16], ['district', 453, 449]]
    """
    counts, units, numbers_ = _units_and_indicators(counts)
    rows = []
    for unit in units:
        q = int(counts.loc[unit, "q"])
        d = [int(counts.loc[unit, j]) for j in numbers_]
        for k in ks:
            rows.append((unit, int(k), q, *score_count_bounds(d, q, int(k))))
    out = pd.DataFrame(rows, columns=["unit", "k", "q", "fewest", "most"])
    district = out.groupby("k", as_index=False, sort=False)[["q", "fewest", "most"]].sum()
    district.insert(0, "unit", DISTRICT)
    return pd.concat([out, district], ignore_index=True).astype(
        {"k": "int64", "q": "int64", "fewest": "int64", "most": "int64"})


def overlap_minimum_matrix(counts: pd.DataFrame) -> pd.DataFrame:
    """Poor households certainly deprived in both of two indicators, district (12 x 12).

    Off the diagonal: the sum over units of ``max(0, D_j + D_k - q)`` (see
    :func:`overlap_bounds`); on it, ``D_j`` itself.

    Examples:
        >>> int(overlap_minimum_matrix(unit_counts(tables.households, tables.deprivations)).loc[4, 11])
        131
    """
    bounds = overlap_bounds(counts)
    district = bounds[bounds["unit"] == DISTRICT]
    numbers = [c for c in counts.columns if c not in ("n", "q")]
    matrix = pd.DataFrame(0, index=numbers, columns=numbers, dtype="int64")
    for row in district.itertuples():
        matrix.loc[row.indicator_j, row.indicator_k] = row.both_min
        matrix.loc[row.indicator_k, row.indicator_j] = row.both_min
    totals = counts.loc[DISTRICT]
    for j in numbers:
        matrix.loc[j, j] = int(totals[j])
    matrix.index.name = matrix.columns.name = "indicator"
    return matrix


def cutoff_share_bounds(counts: pd.DataFrame, *, k: int = DEPRIVATION_CUTOFF) -> pd.DataFrame:
    """Share of poor households with at least ``k`` deprivations: the range the counts allow.

    Columns ``q``, ``fewest``, ``most`` (households) and ``share_min``, ``share_max``
    (shares of poor households), per unit and for the district.

    Examples:
        >>> cutoff_share_bounds(unit_counts(tables.households, tables.deprivations)).loc["Cam Chính", ["q", "fewest", "most"]].tolist()
        [18, 3, 16]
    """
    bounds = score_bounds(counts, ks=[k]).set_index("unit")[["q", "fewest", "most"]]
    bounds["share_min"] = bounds["fewest"] / bounds["q"]
    bounds["share_max"] = bounds["most"] / bounds["q"]
    return bounds


def score_bounds_table(counts: pd.DataFrame, *, ks: Iterable[int] = range(1, 7)) -> pd.DataFrame:
    """Poor households with at least ``k`` deprivations, as ``"fewest–most"``, per unit and k.

    Index: units in printed order, then the district; columns ``poor`` and one per ``k``.

    Examples:
        >>> score_bounds_table(unit_counts(tables.households, tables.deprivations), ks=[3]).loc["Thanh An", 3]
        '22–104'
    """
    bounds = score_bounds(counts, ks=ks)
    table = pd.DataFrame({"poor": counts["q"]})
    for k in ks:
        rows = bounds[bounds["k"] == k].set_index("unit")
        table[int(k)] = [f"{rows.loc[u, 'fewest']}–{rows.loc[u, 'most']}" for u in table.index]
    table.columns.name = "k"
    return table


# --- Under the standard's rule: every poor household has at least the cutoff -------------------------


def _score_model(counts: list[int], q: int, floor: int, short: int):
    """The linear constraints on a score distribution ``n_0 .. n_m`` (households with each score).

    A 0/1 household-by-indicator matrix (a household is deprived in each indicator at most once)
    with the given column sums and row sums ``r`` exists iff the row sums add up to the column
    sums and, for every t, the t largest column sums add up to at most ``sum_i min(r_i, t)``
    (Gale–Ryser). Both are linear in the counts ``n_s`` of households with score ``s``, so the
    distributions the counts allow are the integer points of a polytope; at most ``short``
    households have a score below ``floor``.
    """
    from scipy.optimize import Bounds, LinearConstraint

    m = len(counts)
    scores = range(m + 1)
    desc = sorted(counts, reverse=True)
    rows = [[1] * (m + 1), list(scores)]
    low, high = [q, sum(counts)], [q, sum(counts)]
    for t in range(1, m + 1):
        rows.append([min(s, t) for s in scores])
        low.append(sum(desc[:t]))
        high.append(float("inf"))
    rows.append([1 if s < floor else 0 for s in scores])
    low.append(0)
    high.append(short)
    return LinearConstraint(rows, low, high), Bounds([0] * (m + 1), [q] * (m + 1))


def score_range(counts: Iterable[int], q: int, scores: Iterable[int], *, floor: int = 0,
                short: int = 0) -> tuple[int, int] | None:
    """Fewest and most of ``q`` poor households whose deprivation score is one of ``scores``.

    Over every arrangement of the deprivations consistent with the counts in which at most
    ``short`` households have fewer than ``floor`` deprivations (``floor = 3, short = 0``:
    Decree 07's rule that a poor household is deprived in 3 or more indicators; ``floor = 0``:
    every arrangement). Exact: an integer programme over the score distribution, whose feasible
    set is the Gale–Ryser condition (see ``_score_model``).

    Returns:
        ``(fewest, most)``, or ``None`` when no arrangement keeps to ``floor`` and ``short``.

    Examples:
        Cam Tuyên: 109 poor households, 386 deprivations, 59 more than 3 each. Under the rule
        each extra deprivation lifts at most one household above 3, so at least 109 - 59 = 50
        have exactly 3; the counts allow that spread.

        >>> score_range([37, 24, 5, 65, 32, 2, 8, 39, 8, 75, 60, 31], 109, [3], floor=3)
        (50, 101)
        >>> score_range([24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31], 106, [3], floor=3) is None  # Thanh An
        True
        >>> score_range([1, 1], 2, [2])   # the two deprivations together, or apart
        (0, 1)
    """
    from scipy.optimize import milp

    counts = _check_counts(counts, q)
    constraints, box = _score_model(counts, q, floor, short)
    target = [1 if s in set(scores) else 0 for s in range(len(counts) + 1)]
    found = []
    for sign in (1, -1):
        result = milp([sign * v for v in target], constraints=constraints, bounds=box,
                      integrality=[1] * len(target))
        if result.status == 2:  # infeasible
            return None
        if not result.success:
            raise ValueError(f"the score programme did not solve: {result.message}")
        found.append(round(sign * result.fun))
    return found[0], found[1]


def _unit_rule(d: list[int], q: int, cutoff: int, m: int) -> tuple:
    """One unit's row of :func:`rule_bounds`."""
    holds = score_range(d, q, [cutoff], floor=cutoff) is not None
    floor = cutoff if holds else 0
    exactly = score_range(d, q, [cutoff], floor=floor)
    more = score_range(d, q, range(cutoff + 1, m + 1), floor=floor)
    fewer = score_range(d, q, range(cutoff), floor=floor)
    nearest = exactly if holds else score_range(d, q, [cutoff], floor=cutoff, short=fewer[0])
    return (q, sum(d), sum(d) - cutoff * q, holds, *exactly, *more, *fewer, *nearest)


def rule_bounds(counts: pd.DataFrame, *, cutoff: int = DEPRIVATION_CUTOFF) -> pd.DataFrame:
    """Poor households with exactly ``cutoff`` deprivations, and with more, under the standard's rule.

    In each unit where the counts allow every poor household ``cutoff`` or more deprivations, the
    bounds are taken over the arrangements that do (the rule holds); where they do not
    (``rule_holds`` False), over every arrangement, and the unit's households with fewer than
    ``cutoff`` are bounded too. ``nearest_min``, ``nearest_max`` bound the households with exactly
    ``cutoff`` where the rule fails as nearly as the counts allow (no more households below the
    cutoff than the fewest possible); elsewhere they repeat ``exactly_min``, ``exactly_max``.
    The district's bounds are the sums of its units'.

    Columns (index ``unit``): ``q``, ``deprivations`` (the sum of the counts), ``excess``
    (deprivations beyond ``cutoff`` each, ``D - cutoff * q``), ``rule_holds``, ``exactly_min``,
    ``exactly_max`` (households with exactly ``cutoff``), ``more_min``, ``more_max`` (more than
    ``cutoff``), ``fewer_min``, ``fewer_max`` (fewer than ``cutoff``), ``nearest_min``,
    ``nearest_max``.

    Examples:
        >>> r = rule_bounds(unit_counts(tables.households, tables.deprivations))
        >>> r.loc["Cam Tuyên", ["excess", "exactly_min", "more_max"]].tolist()
        [59, 50, 59]
        >>> r.loc[~r["rule_holds"]].index.tolist()
        ['Thanh An', 'Cam Chính', 'district']
    """
    counts, units, numbers_ = _units_and_indicators(counts)
    rows = [(unit, *_unit_rule([int(counts.loc[unit, j]) for j in numbers_], int(counts.loc[unit, "q"]),
                               cutoff, len(numbers_))) for unit in units]
    out = pd.DataFrame(rows, columns=["unit", "q", "deprivations", "excess", "rule_holds", "exactly_min",
                                      "exactly_max", "more_min", "more_max", "fewer_min", "fewer_max",
                                      "nearest_min", "nearest_max"]).set_index("unit")
    district = out.drop(columns="rule_holds").sum().to_dict()
    out.loc[DISTRICT] = {**district, "rule_holds": bool(out["rule_holds"].all())}
    numeric = [c for c in out.columns if c != "rule_holds"]
    return out.astype({**{c: "int64" for c in numeric}, "rule_holds": bool})


def exactly_and_deprived_min(rule: pd.DataFrame, counts: pd.DataFrame, indicator: int, *,
                             column: str = "exactly_min") -> pd.Series:
    """Poor households certainly with exactly the cutoff's deprivations, one of them ``indicator``.

    Per unit ``max(0, X + D_j - q)``, ``X`` the unit's ``column`` of :func:`rule_bounds` (the
    fewest households with exactly the cutoff; ``nearest_min`` for the nearest reading): at
    least ``X`` households have exactly the cutoff and ``D_j`` are deprived in ``indicator``,
    among ``q`` (see :func:`pair_overlap_bounds`); the district's is the sum of its units'.
    Resolving that one deprivation alone leaves each of them below the cutoff. A lower bound,
    not claimed sharp.

    Examples:
        >>> c = unit_counts(tables.households, tables.deprivations)
        >>> int(exactly_and_deprived_min(rule_bounds(c), c, 4).loc["TT Cam Lộ"])
        23
    """
    units = [u for u in rule.index if u != DISTRICT]
    values = pd.Series({u: max(0, int(rule.loc[u, column]) + int(counts.loc[u, indicator])
                            - int(counts.loc[u, "q"])) for u in units}, dtype="int64")
    values.loc[DISTRICT] = int(values.sum())
    values.index.name = "unit"
    return values.rename(indicator)
