"""The plan's pace of poverty reduction beside the national and provincial reviews'.

:func:`poverty_pace` turns consecutive end-of-year reviews of one area (the context rates of
:func:`camlo.load_poverty_rates`) into an annual fall; :func:`pace_comparison` sets Vietnam's
and Quảng Trị's beside the pace Cam Lộ's plan requires.

The comparison is of paces only: Vietnam and Quảng Trị start from other levels (Quảng Trị
9.14% at the end of 2022, Cam Lộ 3.04% at the start of 2022), and a low rate made mostly of
households unable to work (BTXH, 345 of Cam Lộ's 453) falls more slowly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from camlo.constants import review_at_step, review_step
from camlo.targets.plan import PlanGoal, band_readings

#: The areas set beside the plan, by their ``level`` in the context rates, and their keys.
AREAS = {"national": "vietnam", "province": "quang_tri"}


def poverty_pace(rates: pd.DataFrame) -> pd.DataFrame:
    """The annual fall in the poor rate between consecutive reviews of the same area.

    Args:
        rates: Context poverty rates (:func:`camlo.load_poverty_rates`).

    Returns:
        One row per area and pair of consecutive years: ``area``, ``level``, ``from_year``,
        ``to_year``, ``from_pct``, ``to_pct``, ``fall_pp`` (percentage points a year) and
        ``relative_fall_pct`` (the fall as % of the earlier rate).

    Examples:
        >>> from camlo import load_poverty_rates
        >>> pace = poverty_pace(load_poverty_rates())
        >>> pace[["area", "from_year", "to_year", "fall_pp"]].round(2).values.tolist()
        [['Vietnam', 2022, 2023, 1.1], ['Vietnam', 2023, 2024, 1.0], ['Quảng Trị', 2022, 2023, 1.43]]
    """
    rows = []
    for (area, level), group in rates.groupby(["area", "level"], sort=False):
        group = group.sort_values("year")
        for earlier, later in zip(group.itertuples(), group.iloc[1:].itertuples()):
            if later.year != earlier.year + 1:
                continue
            fall = earlier.poor_rate_pct - later.poor_rate_pct
            rows.append({"area": area, "level": level, "from_year": earlier.year, "to_year": later.year,
                         "from_pct": earlier.poor_rate_pct, "to_pct": later.poor_rate_pct,
                         "fall_pp": fall, "relative_fall_pct": 100 * fall / earlier.poor_rate_pct})
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class PaceComparison:
    """Annual falls in the poor rate, reviews and the plan, and the goal whose band they meet.

    Attributes:
        goal: The plan's goal (its band is drawn on the plan's bar).
        table: One row per bar: ``key`` (``vietnam``, ``quang_tri``, ``cam_lo`` for the
            district's observed pace when its rates are given, or ``plan``), ``from_year``,
            ``to_year``, ``steps`` (review steps between them), ``from_pct`` and ``to_pct``
            (the rates at each end; the plan's baseline is of the start of its year, the
            reviews' rates of the end), ``fall_pp`` and ``relative_fall_pct`` a year.
    """

    goal: PlanGoal
    table: pd.DataFrame


def district_pace(district: pd.DataFrame, goal: PlanGoal) -> dict | None:
    """The district's observed pace: from the baseline's printed rate to the latest printed rate within the plan.

    Examples:
        >>> from camlo.clean.context import load_district_rates
        >>> pace = district_pace(load_district_rates(), goal)
        >>> pace["steps"], round(pace["fall_pp"], 3), round(pace["relative_fall_pct"], 2), pace["to_pct"]
        (2, 0.475, 17.07, 2.09)
    """
    steps = [review_step(int(r.year), r.reference_point) for r in district.itertuples()]
    within = [(step, r) for step, r in zip(steps, district.itertuples()) if 0 < step <= goal.steps]
    if not within:
        return None
    step, row = max(within, key=lambda item: item[0])
    fall = (goal.baseline_rate_pct - row.poor_rate_pct) / step
    relative = 100 * (1 - (row.poor_rate_pct / goal.baseline_rate_pct) ** (1 / step))
    return {"key": "cam_lo", "from_year": review_at_step(0)[0], "to_year": int(row.year), "fall_pp": fall,
            "relative_fall_pct": relative, "steps": step, "from_pct": goal.baseline_rate_pct,
            "to_pct": float(row.poor_rate_pct),
            "poor": None if pd.isna(row.poor_households) else int(row.poor_households)}


def pace_comparison(rates: pd.DataFrame, goal: PlanGoal, district: pd.DataFrame | None = None) -> PaceComparison:
    """Annual fall in the poor rate: national and provincial reviews, then the plan's.

    The plan's row is the even path over its steps with households constant
    (:func:`camlo.band_readings`' ``annual_pp_4`` and ``relative_pct_4``: 0.18 points, 6.58%
    a year compounded). Given the district's own printed rates after the baseline
    (:func:`camlo.clean.context.load_district_rates`), the latest within the plan adds the
    district's observed pace (``cam_lo``): from the baseline's rate to that review's, per
    review step, the relative fall compounded (3.04% to 2.09% over two steps: 0.48 points,
    17.1% a year).

    Args:
        rates: Context poverty rates (:func:`camlo.load_poverty_rates`).
        goal: The plan's goal (:func:`camlo.plan_goal`).
        district: The district's printed rates after the baseline; ``None``: no observed row.

    Examples:
        >>> from camlo import load_poverty_rates
        >>> pace_comparison(load_poverty_rates(), goal).table[["key", "fall_pp"]].round(3).values.tolist()
        [['vietnam', 1.1], ['vietnam', 1.0], ['quang_tri', 1.43], ['plan', 0.181]]
    """
    pace = poverty_pace(rates)
    pace = pace[pace["level"].isin(AREAS)]
    table = pd.DataFrame({
        "key": pace["level"].map(AREAS),
        "from_year": pace["from_year"], "to_year": pace["to_year"], "steps": 1,
        "from_pct": pace["from_pct"], "to_pct": pace["to_pct"],
        "fall_pp": pace["fall_pp"], "relative_fall_pct": pace["relative_fall_pct"],
    })
    readings = band_readings(goal).set_index("reading")["value"]
    plan = {"key": "plan", "from_year": review_at_step(0)[0], "to_year": review_at_step(goal.steps)[0],
            "steps": goal.steps, "from_pct": goal.baseline_rate_pct,
            "to_pct": 100 * goal.target_poor / goal.households,
            "fall_pp": readings["annual_pp_4"], "relative_fall_pct": readings["relative_pct_4"]}
    observed = None if district is None else district_pace(district, goal)
    extra = [plan] if observed is None else [{k: observed[k] for k in plan}, plan]
    return PaceComparison(goal=goal, table=pd.concat([table, pd.DataFrame(extra)], ignore_index=True))
