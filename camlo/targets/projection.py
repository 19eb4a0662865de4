"""A Monte Carlo projection of the district's poor households to the end of 2025.

The plan gives a target (108 fewer poor households, 453 → 345) but no transition data: no
exit, re-poor or newly-poor rates. This module makes those rates explicit parameters
(:class:`ProjectionParameters`), simulates many possible four-year histories with them, and
reports how often the target is met. Its defaults are **assumptions, not estimates from the
plan**; the notebook shows how the answer moves with them.

The model, per path and per annual review step (four steps: the end-of-year reviews of 2022
to 2025, see :mod:`camlo.clean.observed`), starting from section I's 108 CSGN and 345 BTXH
households and 14,905 households:

1. each CSGN household (able to escape) escapes with probability ``csgn_exit``;
2. each BTXH household (on social protection) leaves poverty with probability ``btxh_exit``;
3. each household that escaped from the CSGN group during the plan falls back (tái nghèo)
   with probability ``repoor``, rejoining the CSGN group;
4. a Poisson number of newly poor households (nghèo phát sinh), mean ``newly_poor`` a year,
   join the CSGN group;
5. households grow by ``household_growth`` a year (the poverty rate's denominator; the
   count target does not depend on it).

Draws are binomial and Poisson, vectorised over paths with ``numpy.random.default_rng(seed)``:
the same seed and parameters give identical paths. 100,000 paths take well under a second
(``benchmarks/bench_projection.py`` prints the timings; the README records them).

The start (section I's counts) and the target come from a :class:`~camlo.targets.plan.PlanGoal`,
the first argument: ``plan_goal(tables.headline, tables.targets)`` of the tables to project from. How the
answer moves with the assumptions is in :mod:`camlo.targets.sensitivity`.

Conditioned on what has been observed. Once a review after the baseline is observed, the
paths start from it (``start=observed_start(status)``): "how likely" then means "given what
has been observed", and only the steps left to the end of 2025 are simulated. A review counts
poor households, not their split into CSGN and BTXH, nor how many escaped during the plan; the
split is an assumption stated in :func:`split_start`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from camlo.constants import review_at_step
from camlo.targets.plan import (
    PathComparison,
    PlanGoal,
    path_comparison,  # noqa: F401 (the doctests use it)
    plan_goal,
    poverty_target_status,
)

if TYPE_CHECKING:
    from camlo.measures.transitions import Transitions

#: The default seed: the plan's date, 18 Feb 2022.
DEFAULT_SEED = 20220218
DEFAULT_PATHS = 100_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: The interval stated for every estimate: 90%, from the 5th to the 95th percentile.
INTERVAL = (0.05, 0.95)


@dataclass(frozen=True)
class ProjectionParameters:
    """Annual transition rates of the projection: assumptions, stated and justified.

    Attributes:
        csgn_exit: Probability that a CSGN household (able to escape) escapes poverty in a
            year. Default 0.35: about four in five of them (1 − 0.65⁴ = 82%) escape within
            the four years, short of the plan's 100%. Quảng Trị's poverty rate fell by 16%
            in 2023 across all its poor households, those unable to work included (see
            ``poverty_pace``), so a rate twice that for the households judged able to
            escape is plausible, not proven.
        btxh_exit: Probability that a BTXH household (elderly, disabled or ill, on social
            protection) leaves poverty in a year. Default 0.03: the plan expects none to
            escape; they leave mostly by death, by joining another household or by
            reclassification.
        newly_poor: Expected newly poor households a year in the district (Poisson mean).
            Default 6: about 1% of the 634 near-poor households falling into poverty each
            year, through illness, disaster or job loss (the risks section VI.1 names).
        repoor: Probability a year that a household which escaped during the plan falls
            back into poverty. Default 0.05; the plan aims to limit re-poverty ("hạn chế hộ
            tái nghèo") and gives no rate.
        household_growth: Growth of households a year, as a fraction. Default 0.01; it moves
            the poverty rate, not the count of poor households.

    Raises:
        ValueError: for a probability outside [0, 1], a negative or non-finite rate, or a
            household growth of −100% or less.

    Examples:
        >>> ProjectionParameters(csgn_exit=1.2)
        Traceback (most recent call last):
        ...
        ValueError: csgn_exit must be a probability in [0, 1], got 1.2
    """

    csgn_exit: float = 0.35
    btxh_exit: float = 0.03
    newly_poor: float = 6.0
    repoor: float = 0.05
    household_growth: float = 0.01

    _PROBABILITIES = ("csgn_exit", "btxh_exit", "repoor")

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{item.name} must be a finite number, got {value!r}")
        for name in self._PROBABILITIES:
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be a probability in [0, 1], got {getattr(self, name)}")
        if self.newly_poor < 0:
            raise ValueError(f"newly_poor must be 0 or more households a year, got {self.newly_poor}")
        if self.household_growth <= -1:
            raise ValueError(f"household_growth must be above -1 (-100%), got {self.household_growth}")

    def as_dict(self) -> dict[str, float]:
        """The parameters as a plain dict (for tables and papermill)."""
        return asdict(self)

    @classmethod
    def from_transitions(cls, transitions, base: ProjectionParameters | None = None) -> ProjectionParameters:
        """Parameters measured from two reviews (:func:`camlo.transitions`), the rest from ``base``.

        Every annual rate the reviews measure replaces ``base``'s (default: the documented
        assumptions); a rate they cannot measure (``repoor`` without an earlier review)
        keeps ``base``'s value.

        Examples:
            >>> from camlo.measures.transitions import _example, transitions
            >>> ProjectionParameters.from_transitions(transitions(_example("before"), _example("after")))
            ProjectionParameters(csgn_exit=0.5, btxh_exit=0.0, newly_poor=1.0, repoor=0.05, household_growth=0.0)
        """
        return replace(base or cls(), **transitions.annual_rates())


#: The households :attr:`ProjectionParameters.newly_poor`'s default is set for: the district's at the
#: baseline (section I), of which a user's tables for a few units hold a share.
NEWLY_POOR_HOUSEHOLDS = 14_905


@dataclass(frozen=True)
class ObservedStart:
    """An observed district count the projection's paths start from.

    Attributes:
        step: The review step (1–4: the end-of-year reviews of 2022–2025).
        poor: Poor households counted by that review.
        households: Households counted by it; ``None`` where the source prints none.
    """

    step: int
    poor: int
    households: int | None = None


def observed_start(status: pd.DataFrame, goal: PlanGoal) -> ObservedStart | None:
    """The latest observed district review within the plan after the baseline, or ``None``.

    Args:
        status: The district's status (:func:`camlo.poverty_target_status`, ``by="district"``).
        goal: The plan's goal (its number of steps; :func:`~camlo.targets.plan.plan_goal`).

    Examples:
        >>> status = poverty_target_status(tables.observed, tables.households, tables.register, goal)
        >>> observed_start(status, goal)  # the end-of-2023 review, as the shipped observed file has it
        ObservedStart(step=2, poor=311, households=None)
    """
    within = status[(status["step"] > 0) & (status["step"] <= goal.steps)]
    if within.empty:
        return None
    latest = within.loc[within["step"].idxmax()]
    households = None if pd.isna(latest["households"]) else int(latest["households"])
    return ObservedStart(step=int(latest["step"]), poor=int(latest["poor"]), households=households)


def split_start(start: ObservedStart, goal: PlanGoal, params: ProjectionParameters) -> tuple[int, int, int]:
    """The assumed ``(csgn, btxh, escaped)`` households at an observed start.

    A review counts poor households only. The BTXH group is taken as the model's own
    expectation, ``btxh × (1 − btxh_exit) ** step`` rounded, and never more than the poor
    households counted; the rest are CSGN. Households that escaped from the CSGN group during
    the plan (who may fall back) are the baseline's CSGN households less those still poor,
    at least 0. A count below the expected BTXH group means BTXH households left poverty faster
    than ``btxh_exit`` says; the cap then starts every path with no CSGN household left.

    Examples:
        >>> split_start(ObservedStart(step=2, poor=311), goal, ProjectionParameters())
        (0, 311, 108)
        >>> split_start(ObservedStart(step=1, poor=420), goal, ProjectionParameters())
        (85, 335, 23)
    """
    btxh = min(start.poor, round(goal.btxh * (1 - params.btxh_exit) ** start.step))
    csgn = start.poor - btxh
    return csgn, btxh, max(0, goal.csgn - csgn)


@dataclass(frozen=True, eq=False)
class Projection:
    """Simulated paths of poor households and what they say about the target.

    Attributes:
        params: The parameters simulated.
        seed: The seed of ``numpy.random.default_rng``.
        goal: The plan's baseline and target.
        poor: Poor households, shape ``(n_paths, steps − first_step + 1)``; column 0 is the
            start (the baseline, or the observed review the paths start from).
        csgn: The CSGN part of ``poor``, same shape.
        households: Households at each step simulated, shape ``(steps − first_step + 1,)``.
        start: The observed review the paths start from; ``None`` for the baseline.
    """

    params: ProjectionParameters
    seed: int
    goal: PlanGoal
    poor: np.ndarray = field(repr=False)
    csgn: np.ndarray = field(repr=False)
    households: np.ndarray = field(repr=False)
    start: ObservedStart | None = None

    @property
    def first_step(self) -> int:
        """The review step of column 0: 0 for the baseline, else the observed start's step."""
        return 0 if self.start is None else self.start.step

    @property
    def n_paths(self) -> int:
        """Number of simulated paths."""
        return self.poor.shape[0]

    @property
    def target_met(self) -> np.ndarray:
        """Per path: poor households at the end of 2025 at or below the target (345)."""
        return self.poor[:, -1] <= self.goal.target_poor

    @property
    def probability_target_met(self) -> float:
        """Share of paths that meet the target."""
        return float(self.target_met.mean())

    def quantiles(self, q: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
        """Quantiles of poor households per step.

        Returns:
            One row per step: ``step``, ``year``, ``reference_point``, ``households``,
            ``mean`` and one column per quantile named ``p05``, ``p25``, ``p50``…
        """
        values = np.quantile(self.poor, q, axis=0)
        frame = pd.DataFrame({"step": self.first_step + np.arange(self.poor.shape[1])})
        frame["year"] = [review_at_step(s)[0] for s in frame["step"]]
        frame["reference_point"] = [review_at_step(s)[1] for s in frame["step"]]
        frame["households"] = self.households
        frame["mean"] = self.poor.mean(axis=0)
        for level, row in zip(q, values):
            frame[f"p{round(100 * level):02d}"] = row
        return frame

    def summary(self) -> dict[str, float]:
        """The headline numbers: mean and 90% interval of 2025's poor households, P(target met)."""
        final = self.poor[:, -1]
        low, median, high = np.quantile(final, (0.05, 0.5, 0.95))
        return {"poor_2025_mean": float(final.mean()), "poor_2025_p05": float(low),
                "poor_2025_p50": float(median), "poor_2025_p95": float(high),
                "probability_target_met": self.probability_target_met}


def project_poverty(
    goal: PlanGoal,
    *,
    params: ProjectionParameters | None = None,
    seed: int = DEFAULT_SEED,
    n_paths: int = DEFAULT_PATHS,
    start: ObservedStart | None = None,
) -> Projection:
    """Simulate ``n_paths`` histories of the district's poor households to the end of 2025.

    Args:
        goal: Baseline and target (:func:`camlo.targets.plan.plan_goal` of the tables to
            project from).
        params: Transition rates; ``None`` uses the documented defaults.
        seed: Seed of ``numpy.random.default_rng``; the same seed gives identical paths.
        n_paths: Number of paths.
        start: An observed review to start from (:func:`observed_start`), split into CSGN and
            BTXH households by :func:`split_start`; ``None`` starts from the baseline.

    Returns:
        A :class:`Projection`: the paths, their quantiles and P(target met).

    Raises:
        ValueError: for ``n_paths`` below 1.

    Examples:
        >>> run = project_poverty(goal, seed=1, n_paths=1_000)
        >>> run.poor.shape, int(run.poor[0, 0])
        ((1000, 5), 453)
        >>> again = project_poverty(goal, seed=1, n_paths=1_000)
        >>> bool((run.poor == again.poor).all())
        True
        >>> given = project_poverty(goal, seed=1, n_paths=1_000, start=ObservedStart(step=2, poor=311))
        >>> given.poor.shape, int(given.poor[0, 0]), given.quantiles()["step"].tolist()
        ((1000, 3), 311, [2, 3, 4])
    """
    params = params or ProjectionParameters()
    if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise ValueError(f"n_paths must be a whole number of 1 or more, got {n_paths!r}")
    first = 0 if start is None else start.step
    if not 0 <= first <= goal.steps:
        raise ValueError(f"the start's step must be between 0 and {goal.steps}, got {first}")
    rng = np.random.default_rng(seed)
    steps = goal.steps - first
    csgn = np.empty((n_paths, steps + 1), dtype=np.int64)
    btxh = np.empty((n_paths, steps + 1), dtype=np.int64)
    escaped = np.zeros(n_paths, dtype=np.int64)  # escaped from CSGN during the plan, not fallen back
    if start is None:
        csgn[:, 0], btxh[:, 0] = goal.csgn, goal.btxh
        households_start = goal.households
    else:
        csgn[:, 0], btxh[:, 0], escaped[:] = split_start(start, goal, params)
        households_start = (goal.households * (1 + params.household_growth) ** first if start.households is None
                            else start.households)
    for step in range(1, steps + 1):
        c, b = csgn[:, step - 1], btxh[:, step - 1]
        exits_c = rng.binomial(c, params.csgn_exit)
        exits_b = rng.binomial(b, params.btxh_exit)
        fallen_back = rng.binomial(escaped, params.repoor)
        newly = rng.poisson(params.newly_poor, size=n_paths)
        csgn[:, step] = c - exits_c + fallen_back + newly
        btxh[:, step] = b - exits_b
        escaped += exits_c - fallen_back
    households = households_start * (1 + params.household_growth) ** np.arange(steps + 1)
    poor = csgn + btxh
    for array in (poor, csgn, households):
        array.flags.writeable = False  # a result, shared safely between callers
    return Projection(params=params, seed=seed, goal=goal, poor=poor, csgn=csgn, households=households,
                      start=start)


@dataclass(frozen=True, eq=False)
class ProjectionFan:
    """What the fan chart draws: a projection's quantiles beside the plan's path, and its answer.

    Attributes:
        goal: The plan's goal the projection started from.
        table: One row per step of the plan's path (and any observed review after it):
            ``step``, ``plan_poor``, ``observed_poor``, then :meth:`Projection.quantiles`
            (missing before the projection's start).
        probability_target_met: The projection's P(target met).
        n_paths: Paths simulated.
        seed: The projection's seed.
        start: The observed review the paths start from; ``None`` for the baseline.
        probability_range: ``(low, central, high)`` of the probability over plausible rates, when
            known (the chart then writes the range, never a bare probability).
    """

    goal: PlanGoal
    table: pd.DataFrame
    probability_target_met: float
    n_paths: int
    seed: int
    start: ObservedStart | None = None
    probability_range: tuple[float, float, float] | None = None


def projection_fan(run: Projection, paths: PathComparison) -> ProjectionFan:
    """A projection's quantiles per step with the plan's path and the observed district count.

    Args:
        run: A projection (:func:`project_poverty`).
        paths: The plan's path and the observed reviews (:func:`camlo.targets.plan.path_comparison`).

    Examples:
        >>> paths = path_comparison(tables.observed, tables.households, tables.register, goal)
        >>> fan = projection_fan(project_poverty(goal, seed=1, n_paths=1_000), paths)
        >>> fan.table[["step", "p50", "plan_poor", "observed_poor"]].iloc[0].tolist(), fan.n_paths
        ([0.0, 453.0, 453.0, 453.0], 1000)
        >>> given = projection_fan(project_poverty(goal, seed=1, n_paths=1_000, start=latest_start(tables)), paths)
        >>> given.table[["step", "p50", "observed_poor"]].iloc[:3].values.tolist()
        [[0.0, nan, 453.0], [1.0, nan, nan], [2.0, 311.0, 311.0]]
    """
    quantiles = run.quantiles().astype({"step": "float64"})
    table = paths.table[["step", "plan_poor", "observed_poor"]].merge(quantiles, on="step", how="left")
    return ProjectionFan(goal=run.goal, table=table, probability_target_met=run.probability_target_met,
                         n_paths=run.n_paths, seed=run.seed, start=run.start)


def latest_start(tables, goal: PlanGoal | None = None) -> ObservedStart | None:
    """:func:`observed_start` of a set of tables (:class:`camlo.PlanTables`): the latest district
    review within the plan that the paths start from.

    Examples:
        >>> latest_start(tables)
        ObservedStart(step=2, poor=311, households=None)
    """
    goal = goal or plan_goal(tables.headline, tables.targets)
    return observed_start(poverty_target_status(tables.observed, tables.households, tables.register, goal), goal)


def measured_projection(moves: Transitions, goal, paths, synthetic: bool, *, seed: int = DEFAULT_SEED,
                        n_paths: int = DEFAULT_PATHS, base: ProjectionParameters | None = None,
                        start: ObservedStart | None = None) -> dict:
    """The projection on assumed and on measured rates (what notebook 04's last figure draws).

    The measured rates come from counts of households, so they are uncertain too: ``measured_range``
    is the 5th, 50th and 95th percentile of P(target met) over rates drawn from those counts
    (:func:`camlo.targets.estimate.measured_rate_draws`), each draw continued from ``start``.

    Args:
        moves: :func:`camlo.transitions` of two reviews, the first of them the baseline.
        goal: The plan's goal (:func:`camlo.targets.plan.plan_goal`).
        paths: The plan's path and observed reviews (:func:`camlo.targets.plan.path_comparison`).
        synthetic: Whether the reviews are synthetic.
        seed, n_paths: The projection's seed and paths (both projections use the same).
        base: The assumed rates (``None``: the documented defaults); the measured ones
            replace those the reviews measure.
        start: The review both projections start from (the second review, as notebook 04
            gives it); ``None``: the plan's baseline.
    """
    base = base or ProjectionParameters()
    measured = ProjectionParameters.from_transitions(moves, base)
    fans = {name: projection_fan(project_poverty(goal, params=params, seed=seed, n_paths=n_paths, start=start), paths)
            for name, params in (("assumed", base), ("measured", measured))}
    second = int(moves.table[["poor_csgn", "poor_btxh"]].to_numpy().sum())
    measured_range = None
    if start is not None:
        draws = measured_rate_draws(moves.rates, moves.steps, MEASURED_DRAWS, np.random.default_rng(seed))
        if draws:
            per_draw = probability_over_rates(goal, start, measured, draws, seed=seed)
            low, median, high = np.quantile(per_draw, (INTERVAL[0], 0.5, INTERVAL[1]))
            measured_range = (float(low), float(median), float(high))
            fans["measured"] = replace(fans["measured"], probability_range=measured_range)
    return {**fans, "assumed_params": base, "measured_params": measured, "second_review": (moves.steps, second),
            "synthetic": synthetic, "measured_range": measured_range}


def _step(rng, csgn, btxh, escaped, csgn_exit, btxh_exit, params: ProjectionParameters):
    """One annual review step of the plan's model (as in :func:`~camlo.targets.projection.project_poverty`),
    with exit probabilities per path or one for all."""
    exits_c = rng.binomial(csgn, csgn_exit)
    exits_b = rng.binomial(btxh, btxh_exit)
    fallen_back = rng.binomial(escaped, params.repoor)
    newly = rng.poisson(params.newly_poor, size=csgn.shape[0])
    return csgn - exits_c + fallen_back + newly, btxh - exits_b, escaped + exits_c - fallen_back


#: Draws of measured rates, and paths continued from each, behind a records projection's range.
MEASURED_DRAWS = 400
MEASURED_CONTINUATIONS = 100


def measured_rate_draws(rates: pd.DataFrame, steps: int, draws: int, rng) -> dict[str, np.ndarray]:
    """Annual rates drawn from what two reviews measure: each exit share from its beta posterior
    (``numerator`` of ``denominator`` households left, uniform prior), newly poor households from
    the gamma posterior of a Poisson count (flat prior), each put in its annual form as the reviews'
    rates are.

    Args:
        rates: :attr:`camlo.measures.transitions.Transitions.rates`.
        steps: Annual review steps between the reviews.
        draws: Draws of each rate.
        rng: A ``numpy.random.Generator``.

    Returns:
        ``{rate: array}`` for each of ``csgn_exit``, ``btxh_exit`` and ``newly_poor`` the reviews measure.
    """
    table = rates.set_index("rate")
    out = {}
    for name in ("csgn_exit", "btxh_exit"):
        if name in table.index and bool(table.loc[name, "measured"]):
            left, of = int(table.loc[name, "numerator"]), int(table.loc[name, "denominator"])
            share = rng.beta(left + 1, of - left + 1, draws)
            out[name] = 1 - (1 - share) ** (1 / steps)
    if "newly_poor" in table.index and bool(table.loc["newly_poor", "measured"]):
        out["newly_poor"] = rng.gamma(int(table.loc["newly_poor", "numerator"]) + 1, 1.0, draws) / steps
    return out


def probability_over_rates(goal: PlanGoal, start: ObservedStart, params: ProjectionParameters,
                           rates: dict[str, np.ndarray], *, seed: int = DEFAULT_SEED,
                           continuations: int = MEASURED_CONTINUATIONS) -> np.ndarray:
    """P(target met) per draw of rates, from an observed review split as
    :func:`~camlo.targets.projection.split_start` splits it (at ``params``), ``continuations`` paths each.

    Args:
        goal, start: The plan's goal and the review the paths start from.
        params: The rates not drawn (and the split's).
        rates: ``{rate: array}`` of equal lengths (:func:`measured_rate_draws`); ``csgn_exit``,
            ``btxh_exit`` and ``newly_poor`` may be drawn.
        seed, continuations: Of the paths.

    Examples:
        >>> draws = {"csgn_exit": np.array([0.0, 1.0]), "btxh_exit": np.array([0.0, 0.0])}
        >>> probability_over_rates(goal, ObservedStart(step=2, poor=360), replace(ProjectionParameters(),
        ...     newly_poor=0.0, repoor=0.0), draws, continuations=20).tolist()
        [0.0, 1.0]
    """
    n = len(next(iter(rates.values())))
    rows = np.repeat(np.arange(n), continuations)
    csgn0, btxh0, escaped0 = split_start(start, goal, params)
    csgn = np.full(rows.size, csgn0, dtype=np.int64)
    btxh = np.full(rows.size, btxh0, dtype=np.int64)
    escaped = np.full(rows.size, escaped0, dtype=np.int64)
    exit_c = rates["csgn_exit"][rows] if "csgn_exit" in rates else params.csgn_exit
    exit_b = rates["btxh_exit"][rows] if "btxh_exit" in rates else params.btxh_exit
    newly = rates["newly_poor"][rows] if "newly_poor" in rates else None
    rng = np.random.default_rng(seed)
    for _ in range(goal.steps - start.step):
        if newly is None:
            csgn, btxh, escaped = _step(rng, csgn, btxh, escaped, exit_c, exit_b, params)
        else:
            exits_c = rng.binomial(csgn, exit_c)
            exits_b = rng.binomial(btxh, exit_b)
            fallen_back = rng.binomial(escaped, params.repoor)
            csgn, btxh, escaped = (csgn - exits_c + fallen_back + rng.poisson(newly), btxh - exits_b,
                                   escaped + exits_c - fallen_back)
    met = (csgn + btxh <= goal.target_poor).reshape(n, continuations)
    return met.mean(axis=1)
