"""How firmly the units' ranking on M0 rests on the equal weights.

The plan's measures weight every indicator alike (1/12; for Decree 07's six dimensions of two
indicators each, the nested weights, 1/6 per dimension split evenly, are the same). Other
weightings are as defensible. Here weights are drawn uniformly over the simplex (a flat
Dirichlet distribution, seeded so that the result repeats), each unit's M0 is recomputed under
every draw from the plan's counts, ``M0_c(w) = sum_j w_j D_cj / n_c``, and the units ranked
(1: the highest M0). Reported per unit: its rank under the equal and the nested weights, the
share of draws in which it keeps its equal-weight rank, and the range of its ranks; and for two
units the share of draws in which their order is the reverse of the equal-weight order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from camlo.constants import DISTRICT
from camlo.measures.af import indicator_weights

#: Random weightings drawn, and the seed of their generator.
RANK_DRAWS = 10_000
RANK_SEED = 20220218


def _per_household(counts: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``D_cj / n_c`` per unit (rows, no district) and indicator (columns, the table's order)."""
    numbers_ = [int(j) for j in indicators["indicator"]]
    units = counts.drop(index=DISTRICT)
    return units[numbers_].div(units["n"], axis=0)


def _ranks(m0: np.ndarray) -> np.ndarray:
    """Ranks (1 = highest) along the last axis; ties go to the unit listed first."""
    order = np.argsort(-m0, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, m0.shape[-1] + 1), axis=-1)
    return ranks


def draw_weights(n_indicators: int, *, draws: int = RANK_DRAWS, seed: int = RANK_SEED) -> np.ndarray:
    """``draws`` weightings of ``n_indicators`` indicators, uniform over the simplex (rows sum to 1).

    Examples:
        >>> w = draw_weights(12, draws=5)
        >>> w.shape, bool(np.allclose(w.sum(axis=1), 1)), bool((w >= 0).all())
        ((5, 12), True, True)
    """
    return np.random.default_rng(seed).dirichlet(np.ones(n_indicators), size=draws)


def weight_ranks(counts: pd.DataFrame, indicators: pd.DataFrame, *, draws: int = RANK_DRAWS,
                 seed: int = RANK_SEED) -> pd.DataFrame:
    """Each unit's rank on M0 under every random weighting: draws (rows) x units (columns)."""
    rates = _per_household(counts, indicators)
    m0 = draw_weights(rates.shape[1], draws=draws, seed=seed) @ rates.to_numpy(dtype="float64").T
    return pd.DataFrame(_ranks(m0), columns=rates.index)


def rank_stability(counts: pd.DataFrame, indicators: pd.DataFrame, *, draws: int = RANK_DRAWS,
                   seed: int = RANK_SEED) -> pd.DataFrame:
    """Per unit: its M0 rank under equal and nested weights and how it fares under random ones.

    Columns (index ``unit``, printed order): ``rank_equal``, ``rank_dimension``, ``keeps``
    (share of draws with the equal-weight rank), ``rank_min``, ``rank_max``, ``rank_median``.

    Examples:
        >>> from camlo import unit_counts
        >>> s = rank_stability(unit_counts(tables.households, tables.deprivations), tables.indicators)
        >>> s.loc["Cam Tuyên", ["rank_equal", "rank_min"]].tolist()
        [1, 1]
    """
    rates = _per_household(counts, indicators)
    fixed = {name: _ranks(indicator_weights(indicators, weights=name).to_numpy() @ rates.to_numpy(dtype="float64").T)
             for name in ("equal", "dimension")}
    ranks = weight_ranks(counts, indicators, draws=draws, seed=seed)
    out = pd.DataFrame({
        "rank_equal": fixed["equal"], "rank_dimension": fixed["dimension"],
        "keeps": (ranks.to_numpy() == fixed["equal"]).mean(axis=0),
        "rank_min": ranks.min().to_numpy(), "rank_max": ranks.max().to_numpy(),
        "rank_median": ranks.median().to_numpy()}, index=rates.index)
    out.index.name = "unit"
    return out


def swap_share(counts: pd.DataFrame, indicators: pd.DataFrame, first: str, second: str, *,
               draws: int = RANK_DRAWS, seed: int = RANK_SEED) -> float:
    """Share of random weightings under which two units' M0 order is the reverse of the equal weights'.

    Examples:
        >>> from camlo import unit_counts
        >>> c = unit_counts(tables.households, tables.deprivations)
        >>> 0.3 < swap_share(c, tables.indicators, "Thanh An", "Cam Thủy") < 0.7
        True
    """
    ranks = weight_ranks(counts, indicators, draws=draws, seed=seed)
    equal = rank_stability(counts, indicators, draws=1, seed=seed)["rank_equal"]
    before = equal[first] < equal[second]
    return float(((ranks[first] < ranks[second]) != before).mean())


def closest_pair(counts: pd.DataFrame) -> tuple[str, str]:
    """The two units whose M0 under equal weights are closest (printed order within the pair).

    Examples:
        >>> from camlo import unit_counts
        >>> closest_pair(unit_counts(tables.households, tables.deprivations))
        ('Thanh An', 'Cam Thủy')
    """
    units = counts.drop(index=DISTRICT)
    m0 = units.drop(columns=["n", "q"]).sum(axis=1) / units["n"]
    names = list(m0.index)
    pairs = ((abs(m0[a] - m0[b]), i, k) for i, a in enumerate(names) for k, b in enumerate(names) if i < k)
    _, i, k = min(pairs)
    return names[i], names[k]
