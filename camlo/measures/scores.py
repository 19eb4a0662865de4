"""What only household records show: the distribution of deprivation scores, and co-deprivation.

The printed counts give, per unit, how many poor households are deprived in each indicator,
but not how those deprivations fall on households: notebook 02 could only bound the number
of poor households with ``k`` or more deprivations (:func:`camlo.score_count_bounds`) and
the number deprived in two indicators at once (:func:`camlo.overlap_bounds`). With records
both are counted exactly. Statuses are the official ones (the recorded status where there is
one, else the standard's; see :func:`camlo.measures.patterns.official_status`).

Both are over the households the review surveyed: a household its quick identification excluded
(status ``excluded``) has no deprivations, and is left out of both (``attrs["over"]`` counts the
households, those surveyed and those excluded).

The records are a census: the counts are the population's, with no sampling error.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from camlo.measures.af import DISTRICT
from camlo.measures.patterns import EXCLUDED, OFFICIAL_STATUSES, STATUSES, pattern_bits, pattern_counts


def score_distribution(records: pd.DataFrame, indicators: pd.DataFrame, *,
                       by: str | Sequence[str] = "unit") -> pd.DataFrame:
    """Households by number of deprivations (0–12) and official status, per group and district.

    Args:
        records: Classified household records (``d1`` … ``d12``, ``status``, optionally
            ``status_recorded``, and the ``by`` column(s)).
        indicators: The indicator table (:func:`camlo.indicators`).
        by: Group column(s), as in :func:`camlo.af_from_records`.

    Returns:
        Columns: the ``by`` column(s) (groups in order, then ``"district"``),
        ``deprivations`` (0 … 12), ``status`` (``poor``, ``near_poor``, ``middle``,
        ``above_middle``, and ``not_listed`` or ``above_poor_line`` when the file has such
        households: see :func:`camlo.measures.patterns.official_status`), ``households``
        (int64) and ``share`` (of the group's households surveyed). Every combination is
        listed, zeros included. Households the quick identification excluded are left out
        (they have no deprivations); ``attrs["over"]`` counts ``households``, ``surveyed``
        and ``excluded``.

    Examples:
        >>> records = pd.DataFrame({"unit": ["Thanh An"] * 3, "status": ["poor", "poor", "middle"],
        ...                         **{f"d{j}": [int(j <= 3), int(j <= 4), 0] for j in range(1, 13)}})
        >>> table = score_distribution(records, tables.indicators)
        >>> table.query("unit == 'district' and households > 0")[["deprivations", "status", "households"]
        ...     ].values.tolist()
        [[0, 'middle', 1], [3, 'poor', 1], [4, 'poor', 1]]
    """
    table = indicators
    columns, keys, counts = pattern_counts(records, table, by=by)
    m = len(table)
    scores = pattern_bits(m).sum(axis=1)
    one_hot = (scores[:, None] == np.arange(m + 1)).astype(np.int64)
    by_score = counts @ one_hot  # (groups, statuses, scores)
    by_score = np.concatenate([by_score, by_score.sum(axis=0, keepdims=True)])
    over = _over(int(by_score[-1].sum()), int(by_score[-1, OFFICIAL_STATUSES.index(EXCLUDED)].sum()))
    shown = [i for i, name in enumerate(OFFICIAL_STATUSES)
             if name != EXCLUDED and (name in STATUSES or by_score[:, i].any())]
    by_score = by_score[:, shown, :]
    groups = pd.concat([keys, pd.DataFrame({c: [DISTRICT] for c in columns})], ignore_index=True)
    per_group = (m + 1) * len(shown)
    out = groups.loc[groups.index.repeat(per_group)].reset_index(drop=True)
    out["deprivations"] = np.tile(np.repeat(np.arange(m + 1), len(shown)), len(groups))
    out["status"] = np.tile(np.array([OFFICIAL_STATUSES[i] for i in shown], dtype=object), (m + 1) * len(groups))
    households = by_score.transpose(0, 2, 1).reshape(-1)
    out["households"] = households.astype(np.int64)
    totals = np.repeat(by_score.sum(axis=(1, 2)), per_group)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = households / totals
    out.attrs["over"] = over
    return out


def _over(households: int, excluded: int) -> dict[str, int]:
    """What ``attrs["over"]`` says: the households, those surveyed and those excluded."""
    return {"households": households, "surveyed": households - excluded, "excluded": excluded}


def _status_codes(status: str | Sequence[str] | None) -> list[int]:
    surveyed = [s for s in OFFICIAL_STATUSES if s != EXCLUDED]
    if status is None:
        return [OFFICIAL_STATUSES.index(s) for s in surveyed]
    names = [status] if isinstance(status, str) else list(status)
    unknown = [s for s in names if s not in surveyed]
    if unknown or not names:
        raise ValueError(f"status must be None (every household surveyed), one of {tuple(surveyed)} or a list of "
                         f"them (an excluded household has no deprivations); got {status!r}")
    return [OFFICIAL_STATUSES.index(s) for s in dict.fromkeys(names)]


def co_deprivation(records: pd.DataFrame, indicators: pd.DataFrame, *, status: str | Sequence[str] | None = "poor",
                   by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """For every pair of indicators, the households deprived in both, and their redundancy.

    The redundancy of two indicators is OPHI's ``R0``: the households deprived in both over
    the smaller of the two marginal counts. It is 1 when every household deprived in the
    rarer indicator is deprived in the other too (one indicator adds nothing to the other
    in identifying these households), and 0 when no household is deprived in both. Beside it,
    ``expected_both`` is the count if the two deprivations fell on households independently.

    Args:
        records: Classified household records.
        indicators: The indicator table (:func:`camlo.indicators`).
        status: Whose deprivations: an official status (default ``"poor"``, the households
            the plan's Phụ lục 2 counts), a list of them, or ``None`` for every household
            surveyed (the quick identification's excluded households have no deprivations).
        by: ``None`` (default) for the district only; else group column(s), each group then
            the district.

    Returns:
        One row per group (when ``by`` is given) and pair ``indicator_j`` < ``indicator_k``:
        ``households`` (of the status, in the group), ``deprived_j``, ``deprived_k``, ``both``
        (int64), ``expected_both`` = deprived_j × deprived_k / households and ``r0`` (NaN
        when either indicator has no deprived household). ``attrs["over"]`` counts the file's
        ``households``, those ``surveyed`` and those ``excluded``.

    Examples:
        >>> records = pd.DataFrame({"unit": ["Thanh An"] * 4, "status": ["poor"] * 3 + ["middle"],
        ...                         "d1": [1, 1, 0, 1], "d2": [1, 0, 0, 1],
        ...                         **{f"d{j}": [1, 1, 1, 0] for j in range(3, 13)}})
        >>> pairs = co_deprivation(records, tables.indicators)
        >>> pairs.query("indicator_j == 1 and indicator_k == 2")[
        ...     ["households", "deprived_j", "deprived_k", "both", "r0"]].values.tolist()
        [[3.0, 2.0, 1.0, 1.0, 1.0]]
    """
    table = indicators
    numbers_ = [int(j) for j in table["indicator"]]
    m = len(numbers_)
    columns, keys, counts = pattern_counts(records, table, by=by)
    chosen = counts[:, _status_codes(status), :].sum(axis=1)  # (groups, patterns)
    if by is not None:
        chosen = np.concatenate([chosen, chosen.sum(axis=0, keepdims=True)])
        keys = pd.concat([keys, pd.DataFrame({c: [DISTRICT] for c in columns})], ignore_index=True)
    bits = pattern_bits(m)
    joint = np.einsum("gp,pj,pk->gjk", chosen, bits, bits)  # (groups, m, m); diagonal: marginals
    j_index, k_index = np.triu_indices(m, k=1)
    pairs = len(j_index)
    out = keys.loc[keys.index.repeat(pairs)].reset_index(drop=True) if columns else pd.DataFrame(
        index=range(pairs))
    marginal = np.diagonal(joint, axis1=1, axis2=2)  # (groups, m)
    deprived_j = marginal[:, j_index].reshape(-1)
    deprived_k = marginal[:, k_index].reshape(-1)
    both = joint[:, j_index, k_index].reshape(-1)
    households = np.repeat(chosen.sum(axis=1), pairs)
    out["indicator_j"] = np.tile(np.array(numbers_)[j_index], len(keys) if columns else 1)
    out["indicator_k"] = np.tile(np.array(numbers_)[k_index], len(keys) if columns else 1)
    out["households"] = households.astype(np.int64)
    out["deprived_j"] = deprived_j.astype(np.int64)
    out["deprived_k"] = deprived_k.astype(np.int64)
    out["both"] = both.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["expected_both"] = np.where(households > 0, deprived_j * deprived_k / np.maximum(households, 1),
                                        np.nan)
        smaller = np.minimum(deprived_j, deprived_k)
        out["r0"] = np.where(smaller > 0, both / np.maximum(smaller, 1), np.nan)
    out.attrs["over"] = _over(int(counts.sum()), int(counts[:, OFFICIAL_STATUSES.index(EXCLUDED), :].sum()))
    return out


def pair_matrix(pairs: pd.DataFrame, value: str = "r0") -> pd.DataFrame:
    """One column of :func:`co_deprivation` as a symmetric indicator × indicator matrix.

    The diagonal holds the indicator's marginal count for ``both`` and ``expected_both``
    (a household deprived in j is deprived in j and j), and for ``r0`` 1 where the indicator
    has deprived households (an indicator is fully redundant with itself). Pass the rows of
    one group.

    Examples:
        >>> records = pd.DataFrame({"status": ["poor"] * 2, "d1": [1, 1], "d2": [1, 0],
        ...                         **{f"d{j}": [0, 0] for j in range(3, 13)}})
        >>> pair_matrix(co_deprivation(records, tables.indicators), "both").iloc[:2, :2].values.tolist()
        [[2, 1], [1, 1]]
    """
    if value not in ("both", "r0", "expected_both"):
        raise ValueError(f"value must be 'both', 'r0' or 'expected_both', got {value!r}")
    numbers_ = sorted(set(pairs["indicator_j"]) | set(pairs["indicator_k"]))
    if len(pairs) != len(numbers_) * (len(numbers_) - 1) // 2:
        raise ValueError("pass the pairs of one group only (filter co_deprivation's rows first)")
    matrix = pd.DataFrame(np.nan, index=pd.Index(numbers_, name="indicator"),
                          columns=pd.Index(numbers_, name="indicator"))
    for row in pairs.itertuples():
        matrix.loc[row.indicator_j, row.indicator_k] = getattr(row, value)
        matrix.loc[row.indicator_k, row.indicator_j] = getattr(row, value)
    marginal = {**dict(zip(pairs["indicator_j"], pairs["deprived_j"])),
                **dict(zip(pairs["indicator_k"], pairs["deprived_k"]))}
    for j in numbers_:
        if value == "r0":
            matrix.loc[j, j] = 1.0 if marginal[j] > 0 else np.nan
        else:
            matrix.loc[j, j] = marginal[j]
    return matrix.astype("int64") if value == "both" else matrix
