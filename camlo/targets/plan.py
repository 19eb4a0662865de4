"""Target T01, "giảm 108 hộ nghèo": what it means, the path to it, its shares, and its status.

The access targets of section II (how far each unit is from each) are in
:mod:`camlo.targets.gaps`; this module answers two questions about the reduction target:

- What does the plan's own number mean? :func:`plan_goal` reads target T01 ("giảm 108 hộ
  nghèo", "0,15 – 0,22%") from the printed sentence. 108 is exactly the district's CSGN
  households (section I: "hộ nghèo có khả năng thoát nghèo 108 hộ"), so the target is that
  every poor household judged able to escape poverty has escaped by the end of 2025, while the
  345 BTXH households remain. :func:`plan_path` spreads the 108 evenly over the four annual
  review steps (27 a year), :func:`band_readings` tests readings of the band against the data,
  and :func:`allocate_reduction` shares the 108 out between units.
- Is the district on course? :func:`poverty_target_status` compares each observed review (see
  :mod:`camlo.clean.observed`) with the plan's path and the 2025 target.

Time runs in review steps, as in :mod:`camlo.constants`: step 0 is the baseline (start of 2022),
steps 1–4 the end-of-year reviews of 2022–2025.

Every function takes the tables it reads (``headline``, ``targets``, ``households``,
``observed``, ``register``, as the loaders of :mod:`camlo.clean` return them, or the fields of a
:class:`camlo.PlanTables`) and the :class:`PlanGoal` read from them, then its parameters; it
reads no file.

Examples:
    >>> from camlo import load_plan_tables
    >>> tables = load_plan_tables()
    >>> goal = plan_goal(tables.headline, tables.targets)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from camlo.clean.annexes import read_t01
from camlo.constants import review_at_step
from camlo.constants import DISTRICT, STEPS
from camlo.targets.series import plan_series

#: Bases on which :func:`allocate_reduction` can share the 108 out, by column of load_households().
ALLOCATION_BASES = {"csgn": "csgn_reconciled", "poor": "poor", "households": "households"}


@dataclass(frozen=True)
class PlanGoal:
    """Target T01 and the baseline it starts from, as printed.

    Attributes:
        baseline_poor: Poor households at the baseline (section I: 453).
        households: Households at the baseline (section I: 14,905).
        csgn: Poor households able to escape poverty (section I: 108).
        btxh: Poor households on social protection, unable to escape (section I: 345).
        reduction: Fewer poor households by 2025 (T01: 108).
        band_low_pct, band_high_pct: The band printed beside it ("0,15 – 0,22%").
        steps: Annual review steps from the baseline to the target (4).
    """

    baseline_poor: int
    households: int
    csgn: int
    btxh: int
    reduction: int
    band_low_pct: float
    band_high_pct: float
    steps: int = STEPS

    @property
    def target_poor(self) -> int:
        """Poor households at the end of 2025 if the target is met exactly (453 − 108 = 345)."""
        return self.baseline_poor - self.reduction

    @property
    def baseline_rate_pct(self) -> float:
        """The baseline poverty rate, poor households over households, in % (3.039…)."""
        return 100 * self.baseline_poor / self.households

    @property
    def per_step(self) -> Fraction:
        """The reduction the even path asks for in each review step (108 / 4 = 27)."""
        return Fraction(self.reduction, self.steps)


def plan_goal(headline: pd.DataFrame, targets: pd.DataFrame) -> PlanGoal:
    """Target T01 read from its printed sentence, with section I's baseline.

    Args:
        headline: Section I's figures (:func:`camlo.load_headline`).
        targets: Section II's targets (:func:`camlo.load_targets`).

    Raises:
        DataError: naming ``section_2_targets.csv``, row T01 and column ``sentence`` if T01's
            sentence does not read "giảm N hộ nghèo (tương đương giảm từ a – b%)"
            (:func:`camlo.clean.annexes.read_t01`).

    Examples:
        >>> goal = plan_goal(tables.headline, tables.targets)
        >>> goal.reduction, goal.target_poor, goal.per_step, (goal.band_low_pct, goal.band_high_pct)
        (108, 345, Fraction(27, 1), (0.15, 0.22))
        >>> goal.reduction == goal.csgn  # the target: every CSGN household escapes
        True
        >>> round(100 * goal.reduction / goal.households, 4)  # percentage points over the plan
        0.7246
    """
    targets = targets.set_index("target")
    reduction, band_low, band_high = read_t01(targets.loc["T01", "sentence"])
    headline = headline.set_index("key")["count"]
    return PlanGoal(
        baseline_poor=int(headline["poor"]), households=int(headline["households"]),
        csgn=int(headline["csgn"]), btxh=int(headline["btxh"]), reduction=reduction,
        band_low_pct=band_low, band_high_pct=band_high,
    )


def plan_path(goal: PlanGoal) -> pd.DataFrame:
    """The plan's path: an even reduction from the baseline to the target, per review step.

    The plan states only the end point (108 fewer by 2025); an even pace is the simplest path
    to it and the one against which the annual reviews are judged here. The reduction it
    requires by a step is rounded up to whole households.

    Returns:
        One row per step 0–4: ``step``, ``year``, ``reference_point``, ``plan_reduction``
        (households fewer than at the baseline) and ``plan_poor``.

    Examples:
        >>> plan_path(goal)[["step", "year", "plan_reduction", "plan_poor"]].values.tolist()
        [[0, 2022, 0, 453], [1, 2022, 27, 426], [2, 2023, 54, 399], [3, 2024, 81, 372], [4, 2025, 108, 345]]
    """
    rows = []
    for step in range(goal.steps + 1):
        year, reference_point = review_at_step(step)
        required = math.ceil(goal.per_step * step)
        rows.append({"step": step, "year": year, "reference_point": reference_point,
                     "plan_reduction": required, "plan_poor": goal.baseline_poor - required})
    return pd.DataFrame(rows)


def band_readings(goal: PlanGoal, *, household_growth: float = 0.0) -> pd.DataFrame:
    """Readings of the band "0,15 – 0,22%" printed beside the 108, tested against the data.

    The plan does not say what the band measures. Each row computes one candidate quantity
    from the baseline and the 108 and says whether it falls in the band:

    - ``total_pp``: the fall in the poverty rate over the whole plan, households constant;
    - ``annual_pp_4``: that fall per annual review step (4 steps, the reading used here);
    - ``annual_pp_4_growth``: the same, with households growing at ``household_growth`` a
      year, so that the 2025 rate is 345 over a larger denominator;
    - ``annual_pp_3`` and ``annual_pp_5``: the fall per year over 3 steps (counting from the
      end of 2022) or 5 (the 2021–2025 term of the Party congress resolution the plan cites);
    - ``relative_pct_4``: the relative fall in poor households a year (compound, 4 steps).

    Args:
        goal: The plan's goal (:func:`plan_goal`).
        household_growth: Annual growth of households, as a fraction (0.01 = 1% a year; a
            small negative value where the reviews show households falling).

    Returns:
        Columns ``reading``, ``steps``, ``household_growth_pct``, ``value``, ``unit``
        (``pp`` or ``%``) and ``in_band`` (value, rounded to 2 decimals as the band is printed,
        within it).

    Examples:
        >>> band_readings(goal).set_index("reading")["value"].round(3).to_dict()
        {'total_pp': 0.725, 'annual_pp_4': 0.181, 'annual_pp_4_growth': 0.181, 'annual_pp_3': 0.242, 'annual_pp_5': 0.145, 'relative_pct_4': 6.582}
        >>> band_readings(goal).query("in_band")["reading"].tolist()
        ['annual_pp_4', 'annual_pp_4_growth']
    """
    if household_growth <= -1:
        raise ValueError(f"household_growth must be above -1 (-100%), got {household_growth}")
    total = 100 * goal.reduction / goal.households
    final_households = goal.households * (1 + household_growth) ** goal.steps
    grown = (goal.baseline_rate_pct - 100 * goal.target_poor / final_households) / goal.steps
    relative = 100 * (1 - (goal.target_poor / goal.baseline_poor) ** (1 / goal.steps))
    rows = [
        ("total_pp", goal.steps, 0.0, total, "pp"),
        ("annual_pp_4", goal.steps, 0.0, total / goal.steps, "pp"),
        ("annual_pp_4_growth", goal.steps, 100 * household_growth, grown, "pp"),
        ("annual_pp_3", goal.steps - 1, 0.0, total / (goal.steps - 1), "pp"),
        ("annual_pp_5", goal.steps + 1, 0.0, total / (goal.steps + 1), "pp"),
        ("relative_pct_4", goal.steps, 0.0, relative, "%"),
    ]
    frame = pd.DataFrame(rows, columns=["reading", "steps", "household_growth_pct", "value", "unit"])
    rounded = frame["value"].round(2)
    frame["in_band"] = (frame["unit"] == "pp") & rounded.between(goal.band_low_pct, goal.band_high_pct)
    return frame


def band_paths(goal: PlanGoal, *, household_growth: float = 0.0) -> pd.DataFrame:
    """Poor households per step if the rate fell by the band's low or high end each year.

    Reading the band as an annual fall in the poverty rate (percentage points), the rate at
    step k is ``baseline rate − k × band``; times the households at step k (growing at
    ``household_growth``) it gives poor households.

    Returns:
        One row per step: ``step``, ``households``, ``rate_low_pct``, ``rate_high_pct`` (the
        rate after falling by the low and the high end) and ``poor_low``, ``poor_high`` (the
        implied poor households; ``poor_low`` comes from the smaller fall, so it is the larger
        count).

    Examples:
        >>> band_paths(goal).iloc[-1][["poor_low", "poor_high"]].round(1).tolist()
        [363.6, 321.8]
    """
    rows = []
    for step in range(goal.steps + 1):
        households = goal.households * (1 + household_growth) ** step
        low = goal.baseline_rate_pct - goal.band_low_pct * step
        high = goal.baseline_rate_pct - goal.band_high_pct * step
        rows.append({"step": step, "households": households, "rate_low_pct": low, "rate_high_pct": high,
                     "poor_low": low * households / 100, "poor_high": high * households / 100})
    return pd.DataFrame(rows)


#: What :func:`poverty_target_status` can judge: the plan's district, each commune formed on
#: 1 July 2025, each of the plan's units.
BY = ("district", "successor", "unit")
_COUNTS = ("poor", "near_poor", "households", "poor_dtts", "near_poor_dtts")


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(map(repr, BY))}, got {by!r}")


def area_goals(households: pd.DataFrame, register: pd.DataFrame, goal: PlanGoal, *,
               by: str = "successor") -> dict[str, PlanGoal]:
    """The baseline and target of each area ``by`` names: the district, each new commune, each unit.

    An area's baseline regroups Phụ lục 1 (households, poor households, CSGN and BTXH as
    reconciled); its target is its baseline less its share of the plan's reduction, shared by
    CSGN households as :func:`allocate_reduction` does (each unit's share is its own CSGN
    households). A new commune's share is the sum of its former units' shares.

    Args:
        households: Phụ lục 1's unit rows (:func:`camlo.load_households`).
        register: The unit register (:func:`camlo.units`).
        goal: The plan's goal (:func:`plan_goal`; its band and steps carry over).
        by: ``"district"``, ``"successor"`` (xã Cam Lộ and xã Hiếu Giang, from 1 July 2025) or
            ``"unit"`` (the plan's 8 units).

    Returns:
        ``{area key: PlanGoal}`` in the register's order; for ``"district"`` the plan's goal.

    Examples:
        >>> goals = area_goals(tables.households, tables.register, goal, by="successor")
        >>> {k: (g.households, g.baseline_poor, g.csgn, g.reduction, g.target_poor) for k, g in goals.items()}
        {'xã Cam Lộ': (7451, 137, 25, 25, 112), 'xã Hiếu Giang': (7454, 316, 83, 83, 233)}
        >>> area_goals(tables.households, tables.register, goal, by="unit")["Cam Tuyên"].target_poor  # 109 poor, 56 CSGN (reconciled)
        53
    """
    _check_by(by)
    if by == "district":
        return {DISTRICT: goal}
    allocation = allocate_reduction(households, goal, basis="csgn").set_index("unit")["allocation"]
    rows = households.set_index("unit").assign(allocation=allocation)
    if by == "successor":
        rows["area"] = rows.index.map(register.set_index("unit")["successor"])
        held = set(rows["area"])  # a user's tables for a few units may reach one new commune only
        order = [area for area in register.loc[register["role"] == "successor", "unit"] if area in held]
    else:
        rows["area"] = rows.index
        order = households["unit"].tolist()
    sums = rows.groupby("area")[["households", "poor", "csgn_reconciled", "btxh_reconciled", "allocation"]].sum()
    return {area: dataclasses.replace(
        goal, baseline_poor=int(sums.loc[area, "poor"]), households=int(sums.loc[area, "households"]),
        csgn=int(sums.loc[area, "csgn_reconciled"]), btxh=int(sums.loc[area, "btxh_reconciled"]),
        reduction=int(sums.loc[area, "allocation"])) for area in order}


def area_baselines(households: pd.DataFrame, register: pd.DataFrame, goal: PlanGoal, *,
                   by: str = "successor") -> pd.DataFrame:
    """:func:`area_goals` as a table, with each area's former units and its ethnic-minority poor.

    Returns:
        One row per area: ``unit`` (the area's key), ``predecessors`` (the plan's units it
        regroups, ``;``-separated), ``households``, ``poor``, ``poor_pct``, ``csgn``, ``btxh``,
        ``dtts_poor`` (Phụ lục 1), ``reduction``, ``target_poor`` and ``target_pct`` (the
        target over the baseline's households).

    Examples:
        >>> area_baselines(tables.households, tables.register, goal)[["unit", "households", "poor", "csgn", "dtts_poor", "target_poor"]].values.tolist()
        [['xã Cam Lộ', 7451, 137, 25, 0, 112], ['xã Hiếu Giang', 7454, 316, 83, 42, 233]]
    """
    goals = area_goals(households, register, goal, by=by)
    if by == "successor":
        members = {area: [u for u in households["unit"] if register.set_index("unit").loc[u, "successor"] == area]
                   for area in goals}
    elif by == "unit":
        members = {area: [area] for area in goals}
    else:
        members = {DISTRICT: households["unit"].tolist()}
    dtts = households.set_index("unit")["dtts_poor"].fillna(0)
    rows = [{"unit": area, "predecessors": ";".join(members[area]), "households": g.households,
             "poor": g.baseline_poor, "poor_pct": 100 * g.baseline_poor / g.households, "csgn": g.csgn,
             "btxh": g.btxh, "dtts_poor": int(dtts[members[area]].sum()), "reduction": g.reduction,
             "target_poor": g.target_poor, "target_pct": 100 * g.target_poor / g.households}
            for area, g in goals.items()]
    return pd.DataFrame(rows)


def _coverage(review: pd.DataFrame, plan_units: list[str], register: pd.DataFrame) -> list[str]:
    """The plan's units a review's rows cover, one entry per row's unit (new communes expanded)."""
    merged = register.set_index("unit")["predecessors"]
    covered: list[str] = []
    for unit in review["unit"]:
        if unit in plan_units:
            covered.append(unit)
        elif unit in merged.index and merged[unit]:
            covered += merged[unit].split(";")
    return covered


def _summed(parts: pd.DataFrame) -> dict:
    return {c: pd.NA if parts[c].isna().any() else int(parts[c].sum()) for c in _COUNTS}


def area_reviews(observed: pd.DataFrame, households: pd.DataFrame, register: pd.DataFrame, *,
                 by: str = "district") -> pd.DataFrame:
    """The count of each area ``by`` names in each observed review, never counting a household twice.

    - ``"district"``: the review's ``district`` row; else the sum of rows that cover each of
      the plan's units exactly once (the 8 units, the two new communes, or a mix).
    - ``"successor"``: the new commune's row (reviews from 1 July 2025); else the sum of its
      former units' rows when the review reports every one of them (the baseline, say).
    - ``"unit"``: the unit's own row, where a review reports it.

    Only the plan's series is read (:func:`camlo.targets.series.plan_series`): a review under
    another standard (Decree 351/2025/NĐ-CP, by default the end-of-2026 review) starts its own
    series and is never set against the plan's baseline, path or target.

    A district row and parts that disagree are both kept as published, never added together:
    the district count is the district row, and :func:`camlo.consistency.observed.observed_findings`
    reports the disagreement. An area with no such rows in a review is left out for it.

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        households: Phụ lục 1's unit rows (which units make the district).
        register: The unit register (:func:`camlo.units`).
        by: ``"district"``, ``"successor"`` or ``"unit"``.

    Returns:
        One row per review and area, by step then area: ``year``, ``reference_point``,
        ``step``, ``unit`` (the area's key), ``source`` (``"district row"``, ``"sum of
        units"``, ``"commune row"``, ``"sum of former units"``, ``"unit row"``), ``poor``,
        ``near_poor``, ``households``, ``poor_dtts``, ``near_poor_dtts`` (missing unless every
        summed row gives one).

    Examples:
        >>> area_reviews(tables.observed, tables.households, tables.register, by="successor")[["year", "unit", "source", "poor", "households"]].values.tolist()
        [[2022, 'xã Cam Lộ', 'sum of former units', 137, 7451], [2022, 'xã Hiếu Giang', 'sum of former units', 316, 7454]]
    """
    _check_by(by)
    observed = plan_series(observed)
    plan_units = households["unit"].tolist()
    merged = register.set_index("unit")["predecessors"]
    rows = []
    for (year, reference_point, step), review in observed.groupby(["year", "reference_point", "step"], sort=False):
        found: list[tuple[str, str, dict]] = []
        if by == "district":
            district = review[review["unit"] == DISTRICT]
            parts = review[review["unit"] != DISTRICT]
            covered = _coverage(parts, plan_units, register)
            if len(district):
                found.append((DISTRICT, "district row", district.iloc[0][list(_COUNTS)].to_dict()))
            elif sorted(covered) == sorted(plan_units):
                found.append((DISTRICT, "sum of units", _summed(parts)))
        elif by == "successor":
            for area in register.loc[register["role"] == "successor", "unit"]:
                own = review[review["unit"] == area]
                former = review[review["unit"].isin(merged[area].split(";"))]
                if len(own):
                    found.append((area, "commune row", own.iloc[0][list(_COUNTS)].to_dict()))
                elif len(former) == len(merged[area].split(";")):
                    found.append((area, "sum of former units", _summed(former)))
        else:
            for area in plan_units:
                own = review[review["unit"] == area]
                if len(own):
                    found.append((area, "unit row", own.iloc[0][list(_COUNTS)].to_dict()))
        rows += [{"year": year, "reference_point": reference_point, "step": step, "unit": area, "source": source,
                  **counts} for area, source, counts in found]
    columns = ["year", "reference_point", "step", "unit", "source", *_COUNTS]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"year": "int64", "step": "int64", "poor": "int64",
                          **{c: "Int64" for c in _COUNTS if c != "poor"}})
    return frame.sort_values("step", kind="stable").reset_index(drop=True)


def district_reviews(observed: pd.DataFrame, households: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """District counts per observed review: the district row, else the sum of parts that cover it.

    A review with neither a district row nor rows covering every unit exactly once (the 8
    units, the two communes formed on 1 July 2025, or a mix) cannot give a district count and
    is left out (its rows still appear in :func:`camlo.load_observed`).

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        households: Phụ lục 1's unit rows (:func:`camlo.load_households`), which say which
            units make the district.
        register: The unit register (:func:`camlo.units`).

    Returns:
        One row per review, sorted by step: ``year``, ``reference_point``, ``step``,
        ``source`` (``"district row"`` or ``"sum of units"``), ``poor``, ``near_poor`` and
        ``households`` (missing unless every summed row gives one).
    """
    reviews = area_reviews(observed, households, register, by="district")
    return reviews[["year", "reference_point", "step", "source", "poor", "near_poor", "households"]]


def poverty_target_status(observed: pd.DataFrame, households: pd.DataFrame, register: pd.DataFrame,
                          goal: PlanGoal, *, by: str = "district") -> pd.DataFrame:
    """Where each observed review leaves the district, each new commune or each unit against T01.

    ``by="district"``: the district's count (:func:`district_reviews`) against the plan's
    baseline (453, section I), its even path (:func:`plan_path`) and its target (345).
    ``by="successor"``: each commune formed on 1 July 2025 against its own baseline and target
    (:func:`area_goals`: xã Cam Lộ 137 → 112, xã Hiếu Giang 316 → 233), counted from its own
    row or its former units' (:func:`area_reviews`), so that the end-of-2025 review, reported by
    commune, is judged where it is reported. ``by="unit"``: each of the plan's units where a
    review reports it. A review after 2025 under the plan's standard (the end of 2026 where it
    states Decree 07/2021; by default it is read under Decree 351/2025 and left out, see
    :func:`camlo.targets.series.plan_series`) is monitoring after the plan: the path is held at
    the target.

    Args:
        observed: A table as returned by :func:`camlo.load_observed`, so a row added to its
            file shows here with no code change.
        households: Phụ lục 1's unit rows, for the units, the areas' baselines and their shares
            of the reduction.
        register: The unit register (:func:`camlo.units`).
        goal: The plan's baseline and target (:func:`plan_goal`).
        by: ``"district"``, ``"successor"`` or ``"unit"``.

    Returns:
        One row per observed review (and area), by step: ``year``, ``reference_point``,
        ``step``, (``unit``, the area's key, unless ``by="district"``), ``source``, ``poor``,
        ``households``, ``poor_pct`` (missing where households are), ``reduction`` (since the
        baseline), ``plan_reduction`` (what the even path requires by then), ``on_track``
        (reduction ≥ plan_reduction), ``target_poor``, ``target_met`` (poor households at or
        below the 2025 target) and ``after_plan`` (a review after the end of 2025).

    Examples:
        >>> poverty_target_status(tables.observed, tables.households, tables.register, goal)[["year", "step", "poor", "reduction", "plan_reduction",
        ...                          "target_poor", "target_met"]].values.tolist()
        [[2022, 0, 453, 0, 0, 345, False], [2023, 2, 311, 142, 54, 345, True]]
        >>> poverty_target_status(tables.observed, tables.households, tables.register, goal,
        ...                       by="successor")[["unit", "poor", "target_poor"]].values.tolist()
        [['xã Cam Lộ', 137, 112], ['xã Hiếu Giang', 316, 233]]
    """
    _check_by(by)
    goals = area_goals(households, register, goal, by=by)
    reviews = area_reviews(observed, households, register, by=by)
    status = reviews.drop(columns=["near_poor", "poor_dtts", "near_poor_dtts"])
    area = status["unit"].map(goals)
    baseline = area.map(lambda g: g.baseline_poor)
    path = {key: plan_path(g).set_index("step")["plan_reduction"] for key, g in goals.items()}
    status["poor_pct"] = (100 * status["poor"] / status["households"]).astype("float64")
    status["reduction"] = (baseline - status["poor"]).astype("int64")
    status["plan_reduction"] = [int(path[key].get(step, goals[key].reduction))
                                for key, step in zip(status["unit"], status["step"])]
    status["plan_reduction"] = status["plan_reduction"].astype("int64")
    status["on_track"] = status["reduction"] >= status["plan_reduction"]
    status["target_poor"] = area.map(lambda g: g.target_poor).astype("int64")
    status["target_met"] = status["poor"] <= status["target_poor"]
    status["after_plan"] = status["step"] > goal.steps
    if by == "district":
        status = status.drop(columns="unit")
    return status.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class PathComparison:
    """The plan's path beside the band's range and the observed reviews, and the goal they share.

    Attributes:
        goal: The plan's goal (its band, even pace and target label the chart).
        table: One row per review step: ``step``, ``plan_poor`` (:func:`plan_path`),
            ``band_poor_low``, ``band_poor_high`` (:func:`band_paths`) and ``observed_poor``
            (the district count of :func:`poverty_target_status`, missing where no review).
    """

    goal: PlanGoal
    table: pd.DataFrame


def path_comparison(observed: pd.DataFrame, households: pd.DataFrame, register: pd.DataFrame, goal: PlanGoal, *,
                    household_growth: float = 0.0) -> PathComparison:
    """The plan's even path, the range its band implies, and the observed district counts, per step.

    Steps run from the baseline to the target, and on to the last observed review when one
    falls after 2025 (monitoring; no path or band there).

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        households, register: Phụ lục 1's unit rows and the unit register, for
            :func:`district_reviews`.
        goal: The plan's goal (:func:`plan_goal`).
        household_growth: Annual growth of households for :func:`band_paths` (0: constant).

    Examples:
        >>> path_comparison(tables.observed, tables.households, tables.register, goal).table[["step", "plan_poor", "observed_poor"]].values.tolist()
        [[0.0, 453.0, 453.0], [1.0, 426.0, nan], [2.0, 399.0, 311.0], [3.0, 372.0, nan], [4.0, 345.0, nan]]
    """
    path = plan_path(goal)[["step", "plan_poor"]]
    band = band_paths(goal, household_growth=household_growth)[["step", "poor_low", "poor_high"]]
    band = band.rename(columns={"poor_low": "band_poor_low", "poor_high": "band_poor_high"})
    status = poverty_target_status(observed, households, register, goal)[["step", "poor"]]
    status = status.rename(columns={"poor": "observed_poor"})
    steps = pd.DataFrame({"step": range(max(goal.steps, int(status["step"].max()) if len(status) else 0) + 1)})
    table = (steps.merge(path, on="step", how="left").merge(band, on="step", how="left")
             .merge(status, on="step", how="left").astype("float64"))
    return PathComparison(goal=goal, table=table)


@dataclass(frozen=True, eq=False)
class AreaPaths:
    """Each area's even path to its own target, and its observed counts.

    Attributes:
        goals: ``{area key: PlanGoal}`` (:func:`area_goals`).
        table: One row per area and review step: ``unit``, ``step``, ``plan_poor`` (missing
            after the target), ``target_poor``, ``observed_poor`` (missing where no review
            counts the area) and ``source`` (how the observed count was made).
    """

    goals: dict
    table: pd.DataFrame


def area_paths(observed: pd.DataFrame, households: pd.DataFrame, register: pd.DataFrame, goal: PlanGoal, *,
               by: str = "successor") -> AreaPaths:
    """Per area (each commune formed on 1 July 2025, by default): path, target, observed counts.

    Args:
        observed: Observed reviews (:func:`camlo.load_observed`).
        households, register, goal, by: As for :func:`area_goals`.

    Examples:
        >>> paths = area_paths(tables.observed, tables.households, tables.register, goal)
        >>> paths.table.query("step in [0, 4]")[["unit", "step", "plan_poor", "observed_poor"]].values.tolist()
        [['xã Cam Lộ', 0, 137.0, 137.0], ['xã Cam Lộ', 4, 112.0, nan], ['xã Hiếu Giang', 0, 316.0, 316.0], ['xã Hiếu Giang', 4, 233.0, nan]]
    """
    goals = area_goals(households, register, goal, by=by)
    reviews = area_reviews(observed, households, register, by=by)
    last = max([next(iter(goals.values())).steps, *reviews["step"]])
    frames = []
    for key, area_goal in goals.items():
        frame = pd.DataFrame({"unit": key, "step": range(last + 1)})
        frame = frame.merge(plan_path(area_goal)[["step", "plan_poor"]], on="step", how="left")
        frame["target_poor"] = area_goal.target_poor
        seen = reviews.loc[reviews["unit"] == key, ["step", "poor", "source"]].rename(columns={"poor": "observed_poor"})
        frames.append(frame.merge(seen, on="step", how="left"))
    table = pd.concat(frames, ignore_index=True).astype({"plan_poor": "float64", "observed_poor": "float64"})
    return AreaPaths(goals=goals, table=table)


def allocate_reduction(households: pd.DataFrame, goal: PlanGoal, *, basis: str = "csgn",
                       total: int | None = None) -> pd.DataFrame:
    """Share the plan's reduction (108) out between the units, in whole households.

    Shares are proportional to ``basis`` and rounded by largest remainders (Hamilton's
    method, exact fractions, ties to the unit printed first), so they add up to ``total``.

    - ``"csgn"`` (default): CSGN households, reconciled (Cam Tuyên 56, not the printed 48; see
      :mod:`camlo.clean.reconcile`). Because the 108 *is* the district's CSGN count, each unit's
      share is exactly its own CSGN households: every household judged able to escape poverty
      escapes. This is the reading of the plan's own target.
    - ``"poor"``: poor households. It asks units with few CSGN households to lift BTXH
      households (elderly, disabled, on social protection) out of poverty; ``exceeds_csgn``
      flags where the share is larger than the unit's CSGN households.
    - ``"households"``: all households, the same fall in every unit's rate as a share of its
      population; blind to where the poor live.

    Args:
        households: Phụ lục 1's unit rows (:func:`camlo.load_households`).
        goal: The plan's goal (:func:`plan_goal`).
        basis: ``"csgn"``, ``"poor"`` or ``"households"``.
        total: Households to share out; ``None`` is the plan's reduction (``goal.reduction``).

    Returns:
        One row per unit, printed order: ``unit``, ``basis_count``, ``share`` (of the total
        basis), ``allocation``, ``poor``, ``csgn`` (reconciled), ``target_poor`` (poor −
        allocation), ``per_step`` (allocation / 4) and ``exceeds_csgn``.

    Examples:
        >>> alloc = allocate_reduction(tables.households, goal)
        >>> dict(zip(alloc["unit"], alloc["allocation"]))
        {'Thanh An': 6, 'TT Cam Lộ': 11, 'Cam Thành': 4, 'Cam Thủy': 7, 'Cam Nghĩa': 10, 'Cam Tuyên': 56, 'Cam Chính': 0, 'Cam Hiếu': 14}
        >>> by_poor = allocate_reduction(tables.households, goal, basis="poor")
        >>> int(by_poor["allocation"].sum()), by_poor.query("exceeds_csgn")["unit"].tolist()
        (108, ['Thanh An', 'Cam Thành', 'Cam Thủy', 'Cam Nghĩa', 'Cam Chính'])
    """
    if basis not in ALLOCATION_BASES:
        raise ValueError(f"basis must be one of {sorted(ALLOCATION_BASES)}, got {basis!r}")
    total = goal.reduction if total is None else total
    if total < 0:
        raise ValueError(f"total must be 0 or more, got {total}")
    weights = [int(w) for w in households[ALLOCATION_BASES[basis]]]
    quotas = [Fraction(total * w, sum(weights)) for w in weights]
    floors = [math.floor(q) for q in quotas]
    left = total - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    allocation = [f + (1 if i in order[:left] else 0) for i, f in enumerate(floors)]
    frame = pd.DataFrame({
        "unit": households["unit"],
        "basis_count": weights,
        "share": [w / sum(weights) for w in weights],
        "allocation": allocation,
        "poor": households["poor"].astype("int64"),
        "csgn": households["csgn_reconciled"].astype("int64"),
    })
    frame["target_poor"] = frame["poor"] - frame["allocation"]
    frame["per_step"] = frame["allocation"] / goal.steps
    frame["exceeds_csgn"] = frame["allocation"] > frame["csgn"]
    return frame


def allocation_comparison(households: pd.DataFrame, goal: PlanGoal, *, total: int | None = None) -> pd.DataFrame:
    """The units' shares of the 108 under each basis of :func:`allocate_reduction`, side by side.

    Args:
        households, goal, total: As for :func:`allocate_reduction`.

    Returns:
        One row per unit: ``unit``, ``poor``, ``csgn`` and one column per basis
        (``by_csgn``, ``by_poor``, ``by_households``).

    Examples:
        >>> allocation_comparison(tables.households, goal)[["by_csgn", "by_poor", "by_households"]].sum().tolist()
        [108, 108, 108]
    """
    frame = allocate_reduction(households, goal, total=total)[["unit", "poor", "csgn"]]
    for basis in ALLOCATION_BASES:
        frame[f"by_{basis}"] = allocate_reduction(households, goal, basis=basis, total=total)["allocation"].to_numpy()
    return frame
