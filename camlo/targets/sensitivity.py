"""How the projection's answer, P(target met), moves with its assumptions.

:func:`sensitivity_grid` varies two parameters over a grid and :func:`sensitivity_oneway` one
at a time; :func:`sensitivity_matrix` is the grid notebook 03 shows (CSGN exit probability ×
newly poor households a year) and :func:`tornado_table` each rate at the ends of its plausible values.

Every run starts from a :class:`~camlo.targets.plan.PlanGoal` (``goal``, the first argument),
or from an observed review (``start``), or from the draws that reach an observed review
(``fit``, :func:`camlo.targets.estimate.fit_rates`: the review's split into CSGN and BTXH
households uncertain, each path starting from one draw's split; the rates varied apply from the
review on), and uses the same seed, so that
neighbouring cells differ by their parameters rather than by a fresh draw of noise (common
random numbers, as far as numpy's samplers allow). Nothing is cached: a caller that needs a result twice keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from camlo.targets.estimate import RateFit, continue_paths
from camlo.targets.plan import PlanGoal
from camlo.targets.projection import (
    DEFAULT_SEED,
    ObservedStart,
    ProjectionParameters,
    project_poverty,
)

#: The grid of :func:`sensitivity_matrix`: CSGN exit probability × newly poor households a year, over
#: plausible values (from almost no CSGN exits to nearly all; from no newly poor household to several
#: dozen a year, some 10% of the 634 near-poor households).
CSGN_EXIT_GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
NEWLY_POOR_GRID = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0)
#: Paths per cell of the sensitivity analyses (P to within about ±0.7 points at 95%).
SENSITIVITY_PATHS = 20_000
#: Parameters of :func:`tornado_table`, each from the low to the high end of its plausible values
#: (the BTXH exit's high end near the top of what the observed fall implies; re-poverty up to one
#: escaped household in five a year). Household growth is left out: it moves the poverty rate,
#: not the count the target is set in.
TORNADO_RANGES = {"csgn_exit": (0.1, 0.9), "btxh_exit": (0.0, 0.25), "newly_poor": (0.0, 40.0),
                  "repoor": (0.0, 0.2)}
TORNADO_PARAMETERS = tuple(TORNADO_RANGES)


def _probability(goal: PlanGoal, params: ProjectionParameters, seed: int, n_paths: int,
                 start: ObservedStart | None, fit: RateFit | None) -> float:
    """P(target met) of one run: from ``start`` (or the baseline), or from ``fit``'s draws."""
    if fit is None:
        return project_poverty(goal, params=params, seed=seed, n_paths=n_paths, start=start).probability_target_met
    return continue_paths(fit, params, seed=seed, continuations=max(1, -(-n_paths // fit.kept))).probability


def sensitivity_grid(
    goal: PlanGoal,
    csgn_exit: tuple[float, ...] | np.ndarray,
    newly_poor: tuple[float, ...] | np.ndarray,
    *,
    params: ProjectionParameters | None = None,
    seed: int = DEFAULT_SEED,
    n_paths: int = SENSITIVITY_PATHS,
    start: ObservedStart | None = None,
    fit: RateFit | None = None,
) -> pd.DataFrame:
    """P(target met) over a grid of CSGN exit probability × newly poor households a year.

    Every cell is simulated with the same seed; the other parameters stay at ``params``.

    Args:
        goal: Baseline and target (:func:`camlo.plan_goal`).
        csgn_exit, newly_poor: The values of the grid's two parameters.
        params: The other parameters; ``None`` uses the documented defaults.
        seed, n_paths: Of every cell's :func:`~camlo.targets.projection.project_poverty`.
        start: An observed review the paths start from (see
            :func:`~camlo.targets.projection.observed_start`); ``None``: the baseline.
        fit: The draws that reach an observed review (:func:`camlo.targets.estimate.fit_rates`);
            given, every cell's paths start from the draws' splits and ``start`` is not read.

    Returns:
        Long table: ``csgn_exit``, ``newly_poor``, ``probability``.

    Examples:
        >>> grid = sensitivity_grid(goal, (0.2, 0.6), (0.0, 20.0), n_paths=2_000)
        >>> grid.sort_values("probability")[["csgn_exit", "newly_poor"]].iloc[[0, -1]].values.tolist()
        [[0.2, 20.0], [0.6, 0.0]]
    """
    params = params or ProjectionParameters()
    rows = []
    for exit_ in csgn_exit:
        for inflow in newly_poor:
            cell = replace(params, csgn_exit=float(exit_), newly_poor=float(inflow))
            rows.append({"csgn_exit": float(exit_), "newly_poor": float(inflow),
                         "probability": _probability(goal, cell, seed, n_paths, start, fit)})
    return pd.DataFrame(rows)


def sensitivity_oneway(
    goal: PlanGoal,
    ranges: dict[str, tuple[float, float]],
    *,
    params: ProjectionParameters | None = None,
    seed: int = DEFAULT_SEED,
    n_paths: int = SENSITIVITY_PATHS,
    start: ObservedStart | None = None,
    fit: RateFit | None = None,
) -> pd.DataFrame:
    """P(target met) with one parameter at a time set low and high, the others at ``params``.

    Args:
        goal: Baseline and target (:func:`camlo.plan_goal`).
        ranges: ``{parameter: (low, high)}``, e.g. ``{"csgn_exit": (0.25, 0.45)}``.
        params: The parameters held fixed; ``None`` uses the documented defaults.
        seed, n_paths: Of every :func:`~camlo.targets.projection.project_poverty`.
        start: An observed review the paths start from (see
            :func:`~camlo.targets.projection.observed_start`); ``None``: the baseline.
        fit: The draws that reach an observed review (see :func:`sensitivity_grid`).

    Returns:
        One row per parameter, widest swing first: ``parameter``, ``low``, ``high``,
        ``base`` (its value in ``params``), ``probability_low``, ``probability_high``,
        ``probability_base`` and ``swing`` (|high − low| of the probabilities).

    Examples:
        >>> table = sensitivity_oneway(goal, {"csgn_exit": (0.2, 0.5), "repoor": (0.0, 0.1)}, n_paths=2_000)
        >>> table["parameter"].tolist()
        ['csgn_exit', 'repoor']
    """
    params = params or ProjectionParameters()
    names = {item.name for item in fields(params)}
    base = _probability(goal, params, seed, n_paths, start, fit)
    rows = []
    for name, (low, high) in ranges.items():
        if name not in names:
            raise ValueError(f"unknown parameter {name!r}; expected one of {sorted(names)}")
        probability = {end: _probability(goal, replace(params, **{name: value}), seed, n_paths, start, fit)
                       for end, value in (("low", low), ("high", high))}
        rows.append({"parameter": name, "low": low, "high": high, "base": getattr(params, name),
                     "probability_low": probability["low"], "probability_high": probability["high"],
                     "probability_base": base,
                     "swing": abs(probability["high"] - probability["low"])})
    return (pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable")
            .reset_index(drop=True))


@dataclass(frozen=True, eq=False)
class SensitivityMatrix:
    """P(target met) over the grid, and the parameters whose cell the chart marks.

    Attributes:
        params: The parameters the grid varies two of (their own cell is marked when on the grid).
        table: P(target met) in %, CSGN exit probability (rows, descending) × newly poor
            households a year (columns).
        start: The observed review every cell's paths start from; ``None`` for the baseline.
        uncertain_split: Every cell's paths start from the draws that reach the review (the
            split into CSGN and BTXH households uncertain).
    """

    params: ProjectionParameters
    table: pd.DataFrame
    start: ObservedStart | None = None
    uncertain_split: bool = False


def sensitivity_matrix(goal: PlanGoal, *, params: ProjectionParameters | None = None, seed: int = DEFAULT_SEED,
                       n_paths: int = SENSITIVITY_PATHS, start: ObservedStart | None = None,
                       fit: RateFit | None = None, csgn_exit: tuple[float, ...] = CSGN_EXIT_GRID,
                       newly_poor: tuple[float, ...] = NEWLY_POOR_GRID) -> SensitivityMatrix:
    """:func:`sensitivity_grid` as a matrix in %, CSGN exit (rows, descending) × newly poor a year.

    Examples:
        >>> matrix = sensitivity_matrix(goal, n_paths=500, csgn_exit=(0.2, 0.5), newly_poor=(0.0, 6.0))
        >>> matrix.table.index.tolist(), matrix.table.columns.tolist()
        ([0.5, 0.2], [0.0, 6.0])
    """
    params = params or ProjectionParameters()
    grid = sensitivity_grid(goal, csgn_exit, newly_poor, params=params, seed=seed, n_paths=n_paths, start=start,
                            fit=fit)
    table = grid.pivot(index="csgn_exit", columns="newly_poor", values="probability") * 100
    return SensitivityMatrix(params=params, table=table.sort_index(ascending=False),
                             start=fit.start if fit is not None else start, uncertain_split=fit is not None)


def tornado_ranges(params: ProjectionParameters | None = None) -> dict[str, tuple[float, float]]:
    """Each tornado parameter's plausible low and high values (:data:`TORNADO_RANGES`).

    ``params`` is accepted for the callers that passed it; the ranges do not depend on it.

    Examples:
        >>> tornado_ranges()["newly_poor"]
        (0.0, 40.0)
    """
    return dict(TORNADO_RANGES)


def tornado_table(goal: PlanGoal, *, params: ProjectionParameters | None = None, seed: int = DEFAULT_SEED,
                  n_paths: int = SENSITIVITY_PATHS, start: ObservedStart | None = None,
                  fit: RateFit | None = None) -> pd.DataFrame:
    """:func:`sensitivity_oneway` over :func:`tornado_ranges`: each rate at its plausible low and high.

    Examples:
        >>> tornado_table(goal, n_paths=500)["parameter"].tolist()
        ['csgn_exit', 'btxh_exit', 'newly_poor', 'repoor']
    """
    params = params or ProjectionParameters()
    return sensitivity_oneway(goal, tornado_ranges(params), params=params, seed=seed, n_paths=n_paths, start=start,
                              fit=fit)
