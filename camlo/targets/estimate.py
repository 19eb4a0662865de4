"""The rates an observed fall implies, with their uncertainty, and the projection that carries it.

The plan publishes no transition rates, and a review counts poor households only: one observed
count (311 poor households after the baseline's 453) cannot tell how many CSGN and how many
BTXH households left, nor how many became poor meanwhile. This module estimates what the count
does say, and carries what it leaves open into the projection instead of fixing it:

- :func:`implied_fall`: the net annual fall in poor households that the count implies, in
  closed form, ``1 − (observed / baseline) ** (1 / steps)``, with a 90% interval from a
  binomial likelihood (each baseline household still poor after ``steps`` reviews or not) and a
  uniform prior: the share still poor is Beta(observed + 1, baseline − observed + 1).
- :func:`fit_rates`: approximate Bayesian computation by rejection. Each draw takes the exit
  probabilities being estimated from a uniform prior on [0, 1] (the others, and the newly poor
  and re-poor assumptions, as given), simulates the plan's model from the baseline to the
  observed review, and is kept only when it reaches the observed count exactly. The kept draws
  are the rates consistent with the observation, each with its own split of the count into CSGN
  and BTXH households (so at least the known minimum of BTXH households have left).
- :func:`continue_paths`: each kept draw continued to the end of 2025, on its own rates (the
  observed pace persisting; :func:`estimated_projection` does both steps) or on rates given (the
  split still the draw's). The probability of meeting the target is then a distribution over
  plausible rates and splits: :meth:`EstimatedProjection.probability_range` gives its median
  and 90% interval, :attr:`EstimatedProjection.probability` the share of all continued paths.
- :func:`measured_rate_draws` and :func:`probability_over_rates`: the same for rates measured
  from two reviews' records, each drawn from the counts it is measured from.

The review's date is uncertain (the source says "to date"): :data:`DATE_SCENARIOS` reads it as
the end-of-2023 review, as recorded, or as the end-of-2024 review, one step later.

Every draw comes from ``numpy.random.default_rng(seed)``: the same seed gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.stats import beta

from camlo.targets.plan import PlanGoal
from camlo.targets.projection import (  # noqa: F401 (INTERVAL and the measured rates' draws are used from here too)
    DEFAULT_SEED,
    INTERVAL,
    MEASURED_CONTINUATIONS,
    MEASURED_DRAWS,
    ObservedStart,
    Projection,
    ProjectionParameters,
    _step,
    measured_rate_draws,
    probability_over_rates,
)

#: The exit probabilities the observed count is used to estimate, each from a uniform prior on [0, 1].
ESTIMATED = ("csgn_exit", "btxh_exit")
#: Draws tried by the rejection step (each a rate per estimated probability and a path to the review).
DRAWS = 400_000
#: Paths continued to the end of 2025 from each kept draw.
CONTINUATIONS = 40
#: The review's possible dates, as steps after the baseline: the end of 2023 (as recorded) and of 2024.
DATE_SCENARIOS = (2, 3)


@dataclass(frozen=True)
class ImpliedFall:
    """The net annual fall in poor households an observed count implies, with its 90% interval.

    Attributes:
        baseline: Poor households at the baseline.
        observed: Poor households at the observed review.
        steps: Annual review steps between them.
        central: The closed-form rate, ``1 − (observed / baseline) ** (1 / steps)``.
        low, high: The 90% interval's ends.
    """

    baseline: int
    observed: int
    steps: int
    central: float
    low: float
    high: float


def implied_fall(baseline: int, observed: int, steps: int, interval: tuple[float, float] = INTERVAL) -> ImpliedFall:
    """The net annual fall in poor households from ``baseline`` to ``observed`` over ``steps``.

    Each of the baseline's households is still poor after ``steps`` reviews with probability
    ``p = (1 − r) ** steps``; with a uniform prior the share ``p`` is
    Beta(observed + 1, baseline − observed + 1), and the interval of ``r`` is that of ``p``
    transformed. Net: households that became poor meanwhile are netted out.

    Examples:
        >>> fall = implied_fall(453, 311, 2)
        >>> round(fall.central, 4), round(fall.low, 3), round(fall.high, 3)
        (0.1714, 0.151, 0.194)
        >>> round(implied_fall(453, 311, 3).central, 4)
        0.1178
    """
    if not 0 <= observed <= baseline or baseline < 1 or steps < 1:
        raise ValueError(f"need 0 <= observed <= baseline, baseline >= 1 and steps >= 1, got "
                         f"{observed}, {baseline}, {steps}")
    share_high, share_low = beta.ppf([interval[1], interval[0]], observed + 1, baseline - observed + 1)
    return ImpliedFall(baseline=baseline, observed=observed, steps=steps,
                       central=1 - (observed / baseline) ** (1 / steps),
                       low=float(1 - share_high ** (1 / steps)), high=float(1 - share_low ** (1 / steps)))


def implied_households(poor: int, poor_rate_pct: float) -> float:
    """Households a review counted, from its poor households and its printed poverty rate.

    Examples:
        >>> round(implied_households(311, 2.09))
        14880
    """
    return poor / (poor_rate_pct / 100)


def implied_growth(baseline_households: int, households: float, steps: int) -> float:
    """The annual growth of households from the baseline to a later count, compounded.

    Examples:
        >>> round(100 * implied_growth(14905, 14880.4, 2), 3)
        -0.083
    """
    return (households / baseline_households) ** (1 / steps) - 1


@dataclass(frozen=True, eq=False)
class RateFit:
    """The draws of rates that reach an observed count, each with its split of the count.

    Attributes:
        goal: The plan's goal the paths started from.
        start: The observed review reached.
        params: The assumptions held fixed (and the exit probabilities not estimated).
        draws: One row per kept draw: ``csgn_exit``, ``btxh_exit`` (estimated or fixed), and the
            draw's ``csgn``, ``btxh`` and ``escaped`` households at the review.
        estimated: The rates estimated.
        tried: Draws tried.
        seed: The seed of ``numpy.random.default_rng``.
    """

    goal: PlanGoal
    start: ObservedStart
    params: ProjectionParameters
    draws: pd.DataFrame = field(repr=False)
    estimated: tuple[str, ...]
    tried: int
    seed: int

    @property
    def kept(self) -> int:
        """Draws that reached the observed count."""
        return len(self.draws)

    def interval(self, column: str, interval: tuple[float, float] = INTERVAL) -> tuple[float, float, float]:
        """``(low, median, high)`` of a column of ``draws`` (a rate, or the split at the review)."""
        low, median, high = np.quantile(self.draws[column], (interval[0], 0.5, interval[1]))
        return float(low), float(median), float(high)


@dataclass(frozen=True, eq=False)
class EstimatedProjection:
    """Paths continued from every kept draw to the end of 2025, and what they say about the target.

    Attributes:
        fit: The kept draws the paths continue from.
        run: Every continued path pooled, as a :class:`~camlo.targets.projection.Projection`
            from the observed review (its ``params``: the rates the paths continued with, or
            the fixed assumptions when each draw continued on its own rates).
        probabilities: Per kept draw, the share of its continued paths that meet the target.
        own_rates: Each draw continued on its own rates (else on ``run.params``).
        continuations: Paths continued from each kept draw.
    """

    fit: RateFit
    run: Projection
    probabilities: np.ndarray = field(repr=False)
    own_rates: bool
    continuations: int

    @property
    def probability(self) -> float:
        """Share of all continued paths that meet the target (the draws' probabilities averaged)."""
        return self.run.probability_target_met

    def probability_range(self, interval: tuple[float, float] = INTERVAL) -> tuple[float, float, float]:
        """``(low, median, high)`` of the probability over the kept draws (plausible rates and splits)."""
        low, median, high = np.quantile(self.probabilities, (interval[0], 0.5, interval[1]))
        return float(low), float(median), float(high)


def fit_rates(goal: PlanGoal, start: ObservedStart, params: ProjectionParameters | None = None, *,
              estimated: tuple[str, ...] = ESTIMATED, seed: int = DEFAULT_SEED, draws: int = DRAWS) -> RateFit | None:
    """The exit probabilities (and splits) that reach an observed count, by rejection.

    Args:
        goal: Baseline and target (:func:`camlo.targets.plan.plan_goal`).
        start: The observed review (its ``step`` is the date read; see :data:`DATE_SCENARIOS`).
        params: The assumptions kept fixed (``newly_poor``, ``repoor`` and any exit probability
            not in ``estimated``); ``None``: the documented defaults.
        estimated: The exit probabilities drawn from a uniform prior on [0, 1].
        seed: Seed of ``numpy.random.default_rng``.
        draws: Draws tried.

    Returns:
        A :class:`RateFit`, or ``None`` when no draw reaches the count.

    Examples:
        >>> fit = fit_rates(goal, ObservedStart(step=2, poor=311), draws=50_000)
        >>> bool(((fit.draws["csgn"] + fit.draws["btxh"]) == 311).all()), bool((fit.draws["btxh"] <= 311).all())
        (True, True)
    """
    params = params or ProjectionParameters()
    unknown = set(estimated) - set(ESTIMATED)
    if unknown:
        raise ValueError(f"only {', '.join(ESTIMATED)} can be estimated, got {sorted(unknown)}")
    if not 1 <= start.step <= goal.steps:
        raise ValueError(f"the observed review must be 1 to {goal.steps} steps after the baseline, got {start.step}")
    rng = np.random.default_rng(seed)
    rates = {name: (rng.uniform(0.0, 1.0, draws) if name in estimated else np.full(draws, getattr(params, name)))
             for name in ESTIMATED}
    csgn = np.full(draws, goal.csgn, dtype=np.int64)
    btxh = np.full(draws, goal.btxh, dtype=np.int64)
    escaped = np.zeros(draws, dtype=np.int64)
    for _ in range(start.step):
        csgn, btxh, escaped = _step(rng, csgn, btxh, escaped, rates["csgn_exit"], rates["btxh_exit"], params)
    kept = np.flatnonzero(csgn + btxh == start.poor)
    if kept.size == 0:
        return None
    table = pd.DataFrame({**{name: rates[name][kept] for name in ESTIMATED}, "csgn": csgn[kept], "btxh": btxh[kept],
                          "escaped": escaped[kept]})
    return RateFit(goal=goal, start=start, params=params, draws=table, estimated=tuple(estimated), tried=draws,
                   seed=seed)


def continue_paths(fit: RateFit, params: ProjectionParameters | None = None, *, seed: int = DEFAULT_SEED,
                   continuations: int = CONTINUATIONS) -> EstimatedProjection:
    """Every kept draw continued ``continuations`` times from the review to the end of 2025.

    Args:
        fit: The kept draws (:func:`fit_rates`).
        params: The rates to continue with, the same for every draw (the split at the review
            stays each draw's own); ``None``: each draw continues on its own rates, the fixed
            assumptions of the fit for the rest.
        seed: Seed of ``numpy.random.default_rng``.
        continuations: Paths per kept draw.

    Examples:
        >>> fit = fit_rates(goal, ObservedStart(step=2, poor=311), draws=50_000)
        >>> run = continue_paths(fit, continuations=5)
        >>> run.run.poor.shape == (5 * fit.kept, 3), run.own_rates
        (True, True)
    """
    goal, start = fit.goal, fit.start
    own = params is None
    params = fit.params if own else params
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(fit.kept), continuations)
    draws = fit.draws
    rates = ((draws["csgn_exit"].to_numpy()[rows], draws["btxh_exit"].to_numpy()[rows]) if own
             else (params.csgn_exit, params.btxh_exit))
    left = goal.steps - start.step
    csgn = np.empty((rows.size, left + 1), dtype=np.int64)
    btxh = np.empty((rows.size, left + 1), dtype=np.int64)
    csgn[:, 0], btxh[:, 0] = draws["csgn"].to_numpy()[rows], draws["btxh"].to_numpy()[rows]
    escaped = draws["escaped"].to_numpy()[rows]
    for step in range(1, left + 1):
        csgn[:, step], btxh[:, step], escaped = _step(rng, csgn[:, step - 1], btxh[:, step - 1], escaped, *rates,
                                                      params)
    poor = csgn + btxh
    met = (poor[:, -1] <= goal.target_poor).reshape(fit.kept, continuations)
    households_start = (goal.households * (1 + params.household_growth) ** start.step if start.households is None
                        else start.households)
    households = households_start * (1 + params.household_growth) ** np.arange(left + 1)
    for array in (poor, csgn, households):
        array.flags.writeable = False
    run = Projection(params=params, seed=seed, goal=goal, poor=poor, csgn=csgn, households=households, start=start)
    return EstimatedProjection(fit=fit, run=run, probabilities=met.mean(axis=1), own_rates=own,
                               continuations=continuations)


def estimated_projection(goal: PlanGoal, start: ObservedStart, params: ProjectionParameters | None = None, *,
                         seed: int = DEFAULT_SEED, draws: int = DRAWS,
                         continuations: int = CONTINUATIONS) -> EstimatedProjection | None:
    """:func:`fit_rates` then :func:`continue_paths` on each draw's own rates: the observed pace, persisting.

    Examples:
        >>> fit = estimated_projection(goal, ObservedStart(step=2, poor=311), draws=50_000, continuations=10)
        >>> fit.run.poor.shape[1], int(fit.run.poor[0, 0])
        (3, 311)
    """
    fit = fit_rates(goal, start, params, seed=seed, draws=draws)
    return None if fit is None else continue_paths(fit, seed=seed, continuations=continuations)


def with_rates(params: ProjectionParameters, fit: RateFit) -> ProjectionParameters:
    """``params`` with each estimated rate at its median over the kept draws (for a table or a chart).

    Examples:
        >>> fit = fit_rates(goal, ObservedStart(step=2, poor=311), draws=20_000)
        >>> with_rates(ProjectionParameters(), fit).newly_poor
        6.0
    """
    return replace(params, **{name: float(fit.draws[name].median()) for name in fit.estimated})


def baseline_reach(prior: Projection, start: ObservedStart) -> dict[str, int]:
    """How many paths from the baseline reach as low as an observed count at its review, and the lowest.

    Examples:
        >>> from camlo.targets.projection import project_poverty
        >>> reach = baseline_reach(project_poverty(goal, n_paths=10_000), ObservedStart(step=2, poor=311))
        >>> reach["reaching"], reach["paths"], reach["lowest"] > 311
        (0, 10000, True)
    """
    at_review = prior.poor[:, start.step]
    return {"reaching": int((at_review <= start.poor).sum()), "paths": prior.n_paths, "lowest": int(at_review.min())}
