"""Building blocks of synthetic household records: each takes a numpy Generator and parameters.

They are small on purpose, so that a generator for another review (a later year, another
district) is assembled from the same pieces: apportion a total over units, choose row sums
for a 0/1 deprivation matrix with given column totals, fill that matrix, draw incomes within
a band, household sizes, and the deprivations of households that are not poor.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np


def apportion(total: int, weights: list[int] | np.ndarray, caps: list[int] | np.ndarray | None = None
              ) -> np.ndarray:
    """Split ``total`` over units in proportion to ``weights`` (largest remainder, exact).

    Each unit gets the whole part of its exact share; the households left over go one each to
    the units with the largest remainders, ties to the earlier unit. ``caps`` bound each unit.

    Examples:
        >>> apportion(634, [106, 36, 37, 57, 46, 109, 18, 44]).tolist()
        [148, 50, 52, 80, 64, 153, 25, 62]
        >>> int(apportion(10, [1, 1, 1]).sum())
        10
    """
    weights = [int(w) for w in weights]
    if total < 0 or sum(weights) <= 0:
        raise ValueError("expected a total of 0 or more and positive weights")
    shares = [Fraction(total * w, sum(weights)) for w in weights]
    result = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - result[i]), i))
    for i in order[: total - sum(result)]:
        result[i] += 1
    result = np.array(result, dtype="int64")
    if caps is not None and (result > np.asarray(caps)).any():
        raise ValueError("an apportioned share exceeds its unit's cap")
    return result


def gale_ryser_feasible(row_sums: np.ndarray, column_sums: np.ndarray) -> bool:
    """Whether a 0/1 matrix with these row and column sums exists (Gale–Ryser theorem).

    Examples:
        >>> gale_ryser_feasible(np.array([3, 0]), np.array([2, 1, 0]))
        False
        >>> gale_ryser_feasible(np.array([2, 1]), np.array([2, 1, 0]))
        True
    """
    rows, columns = np.asarray(row_sums), np.sort(np.asarray(column_sums))[::-1]
    if rows.sum() != columns.sum() or (rows > len(columns)).any() or (rows < 0).any():
        return False
    return all(columns[:k].sum() <= np.minimum(rows, k).sum() for k in range(1, len(columns) + 1))


def _most_even(total: int, lows: np.ndarray, highs: np.ndarray) -> np.ndarray | None:
    """The most even integer vector with ``lows <= v <= highs`` summing to ``total``, or None."""
    if lows.sum() > total or highs.sum() < total:
        return None
    values = lows.copy()
    for _ in range(total - int(lows.sum())):
        open_ = np.flatnonzero(values < highs)
        values[open_[np.argmin(values[open_])]] += 1
    return values


def deprivation_row_sums(rng: np.random.Generator, column_sums: np.ndarray, households: int, cutoff: int,
                         shuffles: int) -> np.ndarray:
    """Deprivation counts for ``households`` poor households, given each indicator's total.

    As many households as the totals allow (with a 0/1 matrix existing) get at least
    ``cutoff`` deprivations; the others get fewer, as evenly as possible. From the most even
    such vector, ``shuffles`` random moves of one deprivation from a household to another
    spread the counts, each move kept only if the bounds and feasibility still hold.

    Args:
        rng: The random generator.
        column_sums: Poor households deprived in each indicator.
        households: Poor households.
        cutoff: The standard's deprivation cutoff.
        shuffles: Random moves tried.

    Returns:
        One count per household, sorted with the households below the cutoff last.
    """
    column_sums = np.asarray(column_sums, dtype="int64")
    total, width = int(column_sums.sum()), len(column_sums)
    for above in range(min(households, total // cutoff), -1, -1):
        lows = np.array([cutoff] * above + [0] * (households - above))
        highs = np.array([width] * above + [cutoff - 1] * (households - above))
        rows = _most_even(total, lows, highs)
        if rows is not None and gale_ryser_feasible(rows, column_sums):
            break
    else:
        raise ValueError("no 0/1 matrix has these indicator totals")
    for _ in range(shuffles):
        giver, taker = rng.integers(0, households, size=2)
        if giver == taker or rows[giver] - 1 < lows[giver] or rows[taker] + 1 > highs[taker]:
            continue
        rows[giver] -= 1
        rows[taker] += 1
        if not gale_ryser_feasible(rows, column_sums):
            rows[giver] += 1
            rows[taker] -= 1
    return rows


def fill_matrix(rng: np.random.Generator, row_sums: np.ndarray, column_sums: np.ndarray) -> np.ndarray:
    """A random 0/1 matrix with exactly these row and column sums (Ryser's construction).

    Columns are filled largest first, each into the rows with the most deprivations still to
    place, ties broken at random.

    Raises:
        ValueError: if no such matrix exists.

    Examples:
        >>> m = fill_matrix(np.random.default_rng(0), np.array([3, 2, 1]), np.array([3, 2, 1]))
        >>> m.sum(axis=1).tolist(), m.sum(axis=0).tolist()
        ([3, 2, 1], [3, 2, 1])
    """
    row_sums, column_sums = np.asarray(row_sums, dtype="int64"), np.asarray(column_sums, dtype="int64")
    if not gale_ryser_feasible(row_sums, column_sums):
        raise ValueError("no 0/1 matrix has these row and column sums")
    matrix = np.zeros((len(row_sums), len(column_sums)), dtype="int8")
    remaining = row_sums.copy()
    for column in sorted(range(len(column_sums)), key=lambda j: (-column_sums[j], j)):
        tie = rng.random(len(row_sums))
        chosen = np.lexsort((tie, -remaining))[: column_sums[column]]
        matrix[chosen, column] = 1
        remaining[chosen] -= 1
    if (matrix.sum(axis=1) != row_sums).any() or (matrix.sum(axis=0) != column_sums).any():
        raise ValueError("construction failed")  # cannot happen when Gale–Ryser holds
    return matrix


def choose(rng: np.random.Generator, households: int, count: int) -> np.ndarray:
    """A 0/1 flag for ``households`` households, exactly ``count`` of them 1, at random.

    Examples:
        >>> int(choose(np.random.default_rng(1), 10, 4).sum())
        4
    """
    flags = np.zeros(households, dtype="int8")
    flags[rng.choice(households, size=count, replace=False)] = 1
    return flags


def draw_incomes(rng: np.random.Generator, households: int, low: int, high: int, step: int = 1_000
                 ) -> np.ndarray:
    """Incomes uniform on the multiples of ``step`` from ``low`` to ``high``, both included.

    Examples:
        >>> x = draw_incomes(np.random.default_rng(2), 1000, 600_000, 1_500_000)
        >>> bool(x.min() >= 600_000 and x.max() <= 1_500_000 and (x % 1000 == 0).all())
        True
    """
    first, last = -(-low // step), high // step
    return rng.integers(first, last + 1, size=households).astype("int64") * step


def draw_incomes_above(rng: np.random.Generator, households: int, floor: int, sigma: float,
                       step: int = 1_000) -> np.ndarray:
    """Incomes above ``floor``: ``floor × (1 + X)`` with X log-normal (median 1), rounded up to ``step``.

    Every value is strictly above ``floor``.
    """
    raw = floor * (1 + rng.lognormal(0.0, sigma, size=households))
    return np.maximum(np.ceil(raw / step).astype("int64") * step, floor + step)


def draw_members(rng: np.random.Generator, households: int, mean_extra: float, largest: int = 12
                 ) -> np.ndarray:
    """Household sizes: 1 + Poisson(``mean_extra``), at most ``largest``.

    Examples:
        >>> int(draw_members(np.random.default_rng(3), 500, 2.5).min())
        1
    """
    return np.minimum(1 + rng.poisson(mean_extra, size=households), largest).astype("int64")


def draw_few_deprivations(rng: np.random.Generator, households: int, count_probabilities: list[float],
                          weights: np.ndarray) -> np.ndarray:
    """Deprivation flags for households with few deprivations (near-poor: below the cutoff).

    Each household's count is drawn from ``count_probabilities`` (index = count); which
    indicators, without replacement, in proportion to ``weights``.
    """
    weights = np.asarray(weights, dtype="float64")
    p = weights / weights.sum()
    counts = rng.choice(len(count_probabilities), size=households, p=count_probabilities)
    flags = np.zeros((households, len(weights)), dtype="int8")
    for row, count in enumerate(counts):
        flags[row, rng.choice(len(weights), size=count, replace=False, p=p)] = 1
    return flags


def draw_independent_deprivations(rng: np.random.Generator, households: int, rates: np.ndarray) -> np.ndarray:
    """Deprivation flags drawn independently per indicator with the given rates."""
    return (rng.random((households, len(rates))) < np.asarray(rates)).astype("int8")


# --- blocks for a follow-up review of the same households ---------------------------------------


def apportion_capped(total: int, weights: list[float] | np.ndarray, caps: list[int] | np.ndarray) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` (largest remainder), no part above its cap.

    A part that would exceed its cap is held at the cap and the rest is split again over the
    others, until every part fits.

    Raises:
        ValueError: if ``total`` exceeds the sum of the caps.

    Examples:
        >>> apportion_capped(27, [4 * 18, 24], [18, 24]).tolist()   # the first part is capped
        [18, 9]
        >>> apportion_capped(10, [1, 1], [10, 10]).tolist()
        [5, 5]
    """
    weights = np.asarray(weights, dtype="float64")
    caps = np.asarray(caps, dtype="int64")
    if total < 0 or total > caps.sum():
        raise ValueError(f"cannot place {total} within caps that sum to {int(caps.sum())}")
    result = np.zeros(len(caps), dtype="int64")
    open_ = caps > 0
    while total > int(result.sum()):
        left = total - int(result.sum())
        share = np.where(open_, weights, 0.0)
        if share.sum() <= 0:  # only zero-weight parts have room: fill them in order
            share = open_.astype("float64")
        exact = left * share / share.sum()
        part = np.floor(exact).astype("int64")
        order = sorted(np.flatnonzero(open_), key=lambda i: (-(exact[i] - part[i]), i))
        for i in order[: left - int(part.sum())]:
            part[i] += 1
        over = result + part > caps
        if not over.any():
            return result + part
        result[over] = caps[over]
        open_ &= ~over
    return result


def choose_among(rng: np.random.Generator, candidates: np.ndarray, count: int) -> np.ndarray:
    """``count`` of ``candidates`` (row positions), at random, returned in ascending order.

    Raises:
        ValueError: if there are fewer candidates than ``count``.

    Examples:
        >>> choose_among(np.random.default_rng(0), np.arange(10, 20), 3).size
        3
    """
    candidates = np.asarray(candidates, dtype="int64")
    if count < 0 or count > len(candidates):
        raise ValueError(f"cannot choose {count} of {len(candidates)} households")
    return np.sort(rng.choice(candidates, size=count, replace=False))


def keep_deprivations(rng: np.random.Generator, flags: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each row keeps ``counts[i]`` of its deprivations (all of them if it has fewer), at random.

    Examples:
        >>> kept = keep_deprivations(np.random.default_rng(0), np.array([[1, 1, 1, 0], [0, 1, 0, 0]]),
        ...                          np.array([2, 2]))
        >>> kept.sum(axis=1).tolist(), bool((kept <= [[1, 1, 1, 0], [0, 1, 0, 0]]).all())
        ([2, 1], True)
    """
    flags = np.asarray(flags, dtype="int8")
    out = np.zeros_like(flags)
    for row in range(len(flags)):
        present = np.flatnonzero(flags[row])
        keep = min(int(counts[row]), len(present))
        out[row, rng.choice(present, size=keep, replace=False)] = 1
    return out


def add_deprivations(rng: np.random.Generator, flags: np.ndarray, counts: np.ndarray, weights: np.ndarray
                     ) -> np.ndarray:
    """Each row gains deprivations until it has ``counts[i]`` (rows with as many keep theirs).

    The new ones are chosen without replacement among the indicators the row is not yet
    deprived in, in proportion to ``weights``.

    Examples:
        >>> more = add_deprivations(np.random.default_rng(0), np.array([[1, 0, 0, 0], [1, 1, 1, 0]]),
        ...                         np.array([3, 2]), np.ones(4))
        >>> more.sum(axis=1).tolist(), more[:, 0].tolist()
        ([3, 3], [1, 1])
    """
    flags = np.asarray(flags, dtype="int8").copy()
    weights = np.asarray(weights, dtype="float64")
    for row in range(len(flags)):
        missing = int(counts[row]) - int(flags[row].sum())
        if missing <= 0:
            continue
        absent = np.flatnonzero(flags[row] == 0)
        p = weights[absent] / weights[absent].sum()
        flags[row, rng.choice(absent, size=min(missing, len(absent)), replace=False, p=p)] = 1
    return flags


def resolve_deprivations(rng: np.random.Generator, flags: np.ndarray, share: float) -> np.ndarray:
    """Each deprivation is resolved (set to 0) with probability ``share``, independently.

    Examples:
        >>> resolve_deprivations(np.random.default_rng(0), np.ones((2, 3), dtype="int8"), 1.0).tolist()
        [[0, 0, 0], [0, 0, 0]]
    """
    flags = np.asarray(flags, dtype="int8")
    return (flags * (rng.random(flags.shape) >= share)).astype("int8")
