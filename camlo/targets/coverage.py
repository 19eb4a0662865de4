"""What a file of household records covers, and the plan's printed figures over the same ground.

A review's file may hold the whole district, one commune, a few units, or a handful of
households; a review dated from 1 July 2025 names its households' commune as one of the two
communes formed that day (xã Cam Lộ, xã Hiếu Giang). :func:`coverage` says which areas the
records name, and of which kind; :func:`printed_over` regroups and restricts the plan's
printed Phụ lục 1 and 2 to those areas (a new commune's figures are the sums of its former
units', as notebook 03 regroups the observed reviews, :func:`camlo.targets.plan.area_reviews`),
so that every comparison of records with the plan is over the ground both cover; and
:func:`covered_goal` is the plan's baseline and target over that ground
(:func:`camlo.targets.plan.area_goals`).

The printed totals (the district's row, section I) are compared only when the records cover
the whole district; over part of it the total row is the sum of the areas covered, and no
printed rate stands beside a regrouped count (the plan prints none).

Examples:
    >>> import camlo
    >>> tables = camlo.load_plan_tables()
    >>> records = camlo.load_records().query("unit in ('Cam Thành', 'Cam Hiếu')")
    >>> cover = coverage(records, tables.register)
    >>> cover.areas, cover.complete
    (('Cam Thành', 'Cam Hiếu'), False)
    >>> printed_over(tables, cover).household_totals[["households", "poor"]].values.tolist()
    [[4014, 81]]
    >>> covered_goal(tables, cover).baseline_poor
    81
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from camlo.clean.plan_tables import PlanTables
from camlo.targets.plan import PlanGoal, area_goals, plan_goal

#: Phụ lục 1's counts, which regroup by summing (its printed rates do not).
_COUNTS = ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn", "btxh_reconciled",
           "csgn_reconciled")


@dataclass(frozen=True)
class Coverage:
    """The areas a review's records name.

    Attributes:
        by: ``"unit"`` (the plan's 8 units) or ``"successor"`` (the communes formed on 1 July 2025).
        areas: The areas the records name, in the register's order.
        every: Every area of that kind, in the register's order.
        plan_units: The plan's units the areas hold (a new commune's former units).
    """

    by: str
    areas: tuple[str, ...]
    every: tuple[str, ...]
    plan_units: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether the records cover the whole district."""
        return self.areas == self.every


def coverage(records: pd.DataFrame, register: pd.DataFrame) -> Coverage:
    """The areas ``records`` name (their ``unit``), of which kind, and the plan's units they hold."""
    rows = register.set_index("unit")
    successors = tuple(register.loc[register["role"] == "successor", "unit"])
    plan = tuple(register.loc[register["role"] == "plan unit"].sort_values("plan_order")["unit"])
    named = set(records["unit"].astype(str))
    by, every = ("successor", successors) if named <= set(successors) else ("unit", plan)
    areas = tuple(area for area in every if area in named)
    held = [unit for unit in plan if (rows.loc[unit, "successor"] if by == "successor" else unit) in areas]
    return Coverage(by, areas, every, tuple(held))


def _area_of(units: pd.Series, cover: Coverage, register: pd.DataFrame) -> pd.Series:
    return units.map(register.set_index("unit")["successor"]) if cover.by == "successor" else units


def printed_over(tables: PlanTables, cover: Coverage) -> PlanTables:
    """The plan's printed Phụ lục 1 and 2 over the areas ``cover`` names (regrouped by new
    commune when the records name them), with the district's printed totals and section I
    when the records cover the whole district, else the sums of the areas and no section I."""
    households = tables.households[tables.households["unit"].isin(cover.plan_units)]
    deprivations = tables.deprivations[tables.deprivations["unit"].isin(cover.plan_units)]
    if cover.by == "successor":
        households = households.assign(unit=_area_of(households["unit"], cover, tables.register))
        summed = households.groupby("unit", sort=False)[list(_COUNTS)].sum().reindex(list(cover.areas))
        households = summed.reset_index().assign(**{c: np.nan for c in tables.households.columns
                                                    if c.endswith("_published_pct")}, split_reconciled=False)
        households = households[[c for c in tables.households.columns]]
        deprivations = deprivations.assign(unit=_area_of(deprivations["unit"], cover, tables.register))
        deprivations = deprivations.groupby(["unit", "indicator"], sort=False, as_index=False)[
            ["deprived", "poor"]].sum()
        deprivations = deprivations.set_index("unit").loc[list(cover.areas)].reset_index()
    if cover.complete:
        return tables.replace(households=households.reset_index(drop=True),
                              deprivations=deprivations.reset_index(drop=True))
    totals = households[list(_COUNTS[:6])].sum().to_frame().T.astype("int64")
    totals.insert(0, "unit", tables.household_totals["unit"].iloc[0])
    totals = totals.assign(**{c: np.nan for c in tables.household_totals.columns if c.endswith("_published_pct")})
    deprivation_totals = deprivations.groupby("indicator", as_index=False)[["deprived", "poor"]].sum()
    deprivation_totals.insert(0, "unit", tables.deprivation_totals["unit"].iloc[0])
    return tables.replace(households=households.reset_index(drop=True),
                          household_totals=totals[list(tables.household_totals.columns)],
                          deprivations=deprivations.reset_index(drop=True),
                          deprivation_totals=deprivation_totals[list(tables.deprivation_totals.columns)],
                          headline=tables.headline.iloc[0:0])


def covered_goal(tables: PlanTables, cover: Coverage) -> PlanGoal:
    """The plan's baseline and target over the areas covered: the district's goal for the whole
    district, else the sum of the areas' goals (:func:`camlo.targets.plan.area_goals`, each
    unit's share of the reduction its CSGN households' share)."""
    goal = plan_goal(tables.headline, tables.targets)
    if cover.complete:
        return goal
    goals = area_goals(tables.households, tables.register, goal, by=cover.by)
    parts = [goals[area] for area in cover.areas]
    return dataclasses.replace(
        goal, baseline_poor=sum(g.baseline_poor for g in parts), households=sum(g.households for g in parts),
        csgn=sum(g.csgn for g in parts), btxh=sum(g.btxh for g in parts), reduction=sum(g.reduction for g in parts))
