"""How the projection's answer, P(target met), moves with its assumptions.

:func:`sensitivity_grid` varies two parameters over a grid and :func:`sensitivity_oneway` one
at a time; :func:`sensitivity_matrix` is the grid notebook 03 shows (CSGN exit probability ×
newly poor households a year) and :func:`tornado_table` each rate halved and doubled.

Every run starts from a :class:`~camlo.targets.plan.PlanGoal` (``goal``, the first argument),
or from an observed review (``start``), and uses the same seed, so that
neighbouring cells differ by their parameters rather than by a fresh draw of noise (common
random numbers, as far as numpy's samplers allow). Nothing is cached: a caller that needs a result twice keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from camlo.targets.plan import PlanGoal
from camlo.targets.projection import (
    DEFAULT_SEED,
    ObservedStart,
    ProjectionParameters,
    project_poverty,
)

#: The grid of :func:`sensitivity_matrix`: CSGN exit probability × newly poor households a year.
CSGN_EXIT_GRID = (0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55)
NEWLY_POOR_GRID = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0)
#: Paths per cell of the sensitivity analyses (P to within about ±0.7 points at 95%).
SENSITIVITY_PATHS = 20_000
#: Parameters of :func:`tornado_table`, each halved and doubled (probabilities capped at 1).
#: Household growth is left out: it moves the poverty rate, not the count the target is set in.
TORNADO_PARAMETERS = ("csgn_exit", "btxh_exit", "newly_poor", "repoor")


def sensitivity_grid(
    goal: PlanGoal,
    csgn_exit: tuple[float, ...] | np.ndarray,
    newly_poor: tuple[float, ...] | np.ndarray,
    *,
    params: ProjectionParameters | None = None,
    seed: int = DEFAULT_SEED,
    n_paths: int = SENSITIVITY_PATHS,
    start: ObservedStart | None = None,
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
            run = project_poverty(goal, params=cell, seed=seed, n_paths=n_paths, start=start)
            rows.append({"csgn_exit": float(exit_), "newly_poor": float(inflow),
                         "probability": run.probability_target_met})
    return pd.DataFrame(rows)


def sensitivity_oneway(
    goal: PlanGoal,
    ranges: dict[str, tuple[float, float]],
    *,
    params: ProjectionParameters | None = None,
    seed: int = DEFAULT_SEED,
    n_paths: int = SENSITIVITY_PATHS,
    start: ObservedStart | None = None,
) -> pd.DataFrame:
    """P(target met) with one parameter at a time set low and high, the others at ``params``.

    Args:
        goal: Baseline and target (:func:`camlo.plan_goal`).
        ranges: ``{parameter: (low, high)}``, e.g. ``{"csgn_exit": (0.25, 0.45)}``.
        params: The parameters held fixed; ``None`` uses the documented defaults.
        seed, n_paths: Of every :func:`~camlo.targets.projection.project_poverty`.
        start: An observed review the paths start from (see
            :func:`~camlo.targets.projection.observed_start`); ``None``: the baseline.

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
    base = project_poverty(goal, params=params, seed=seed, n_paths=n_paths, start=start).probability_target_met
    rows = []
    for name, (low, high) in ranges.items():
        if name not in names:
            raise ValueError(f"unknown parameter {name!r}; expected one of {sorted(names)}")
        probability = {
            end: project_poverty(goal, params=replace(params, **{name: value}), seed=seed, n_paths=n_paths,
                                 start=start).probability_target_met
            for end, value in (("low", low), ("high", high))
        }
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
    """

    params: ProjectionParameters
    table: pd.DataFrame
    start: ObservedStart | None = None


def sensitivity_matrix(goal: PlanGoal, *, params: ProjectionParameters | None = None, seed: int = DEFAULT_SEED,
                       n_paths: int = SENSITIVITY_PATHS, start: ObservedStart | None = None,
                       csgn_exit: tuple[float, ...] = CSGN_EXIT_GRID,
                       newly_poor: tuple[float, ...] = NEWLY_POOR_GRID) -> SensitivityMatrix:
    """:func:`sensitivity_grid` as a matrix in %, CSGN exit (rows, descending) × newly poor a year.

    Examples:
        >>> matrix = sensitivity_matrix(goal, n_paths=500, csgn_exit=(0.2, 0.5), newly_poor=(0.0, 6.0))
        >>> matrix.table.index.tolist(), matrix.table.columns.tolist()
        ([0.5, 0.2], [0.0, 6.0])
    """
    params = params or ProjectionParameters()
    grid = sensitivity_grid(goal, csgn_exit, newly_poor, params=params, seed=seed, n_paths=n_paths, start=start)
    table = grid.pivot(index="csgn_exit", columns="newly_poor", values="probability") * 100
    return SensitivityMatrix(params=params, table=table.sort_index(ascending=False), start=start)


def tornado_ranges(params: ProjectionParameters | None = None) -> dict[str, tuple[float, float]]:
    """Each tornado parameter halved and doubled around ``params`` (probabilities capped at 1).

    Examples:
        >>> tornado_ranges()["newly_poor"]
        (3.0, 12.0)
    """
    params = params or ProjectionParameters()
    ranges = {}
    for name in TORNADO_PARAMETERS:
        value = getattr(params, name)
        high = 2 * value if name == "newly_poor" else min(1.0, 2 * value)
        ranges[name] = (value / 2, high)
    return ranges


def tornado_table(goal: PlanGoal, *, params: ProjectionParameters | None = None, seed: int = DEFAULT_SEED,
                  n_paths: int = SENSITIVITY_PATHS, start: ObservedStart | None = None) -> pd.DataFrame:
    """:func:`sensitivity_oneway` over :func:`tornado_ranges`: each rate halved and doubled.

    Examples:
        >>> tornado_table(goal, n_paths=500)["parameter"].tolist()
        ['csgn_exit', 'btxh_exit', 'newly_poor', 'repoor']
    """
    params = params or ProjectionParameters()
    return sensitivity_oneway(goal, tornado_ranges(params), params=params, seed=seed, n_paths=n_paths, start=start)
