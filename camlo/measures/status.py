"""Households by status: the district's and each unit's, as notebook 01 shows them.

Every rate is recomputed from the counts; a printed rate is never used. Each function takes
Phụ lục 1 (``households``, as :func:`camlo.load_households` returns it) and, where it needs
near-poor households, section I (``headline``); it reads no file.
"""

from __future__ import annotations

import pandas as pd

from camlo.constants import DISTRICT


def household_status(households: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """The district's households by status: poor, near-poor and other (the opening chart).

    Section I prints near-poor households only for the district, so this is district-level.
    Households and poor households are the sums of Phụ lục 1's units; near-poor households
    are section I's; other households are the rest. Shares are recomputed from the counts.

    Returns:
        One row per status (``poor``, ``near_poor``, ``other_households``) with
        ``households``, ``share_pct`` and ``source`` (where the count comes from).

    Examples:
        >>> status = household_status(tables.households, tables.headline).set_index("status")
        >>> status["households"].to_dict()
        {'poor': 453, 'near_poor': 634, 'other_households': 13818}
        >>> round(float(status.loc["near_poor", "share_pct"]), 2)
        4.25
    """
    units = households
    near_poor = int(headline.set_index("key").loc["near_poor", "count"])
    households, poor = int(units["households"].sum()), int(units["poor"].sum())
    counts = {"poor": poor, "near_poor": near_poor, "other_households": households - poor - near_poor}
    return pd.DataFrame({
        "status": list(counts),
        "households": pd.Series(list(counts.values()), dtype="int64"),
        "share_pct": [100 * n / households for n in counts.values()],
        "source": ["Phụ lục 1, sum of the units", "section I",
                   "Phụ lục 1's households − poor − near-poor"],
    })


def poverty_rate_by_unit(households: pd.DataFrame) -> pd.DataFrame:
    """Poor households as a share of all households, per unit and for the district.

    Recomputed from Phụ lục 1's counts (a printed rate is never used): Cam Tuyên's printed
    3.76% is 109 / 1,481 = 7.36%.

    Returns:
        The 8 units in printed order, then ``"district"`` (their sums), with
        ``households``, ``poor`` and ``rate_pct`` (exact, not rounded).

    Examples:
        >>> rates = poverty_rate_by_unit(tables.households).set_index("unit")["rate_pct"].round(2)
        >>> float(rates["Cam Tuyên"]), float(rates["district"])
        (7.36, 3.04)
    """
    units = households[["unit", "households", "poor"]]
    district = pd.DataFrame({"unit": [DISTRICT], "households": [units["households"].sum()],
                             "poor": [units["poor"].sum()]})
    frame = pd.concat([units, district], ignore_index=True).astype({"households": "int64", "poor": "int64"})
    return frame.assign(rate_pct=100 * frame["poor"] / frame["households"])


def poor_split(households: pd.DataFrame) -> pd.DataFrame:
    """Each unit's poor households split into BTXH and CSGN, as published and as reconciled.

    Returns:
        The 8 units in printed order with ``poor``, ``btxh``, ``csgn`` (published),
        ``btxh_reconciled``, ``csgn_reconciled`` and ``split_reconciled`` (True where a
        reconciled value differs from the published one; see :mod:`camlo.clean.reconcile`).

    Examples:
        >>> split = poor_split(tables.households).set_index("unit")
        >>> split.loc["Cam Tuyên", ["poor", "btxh", "csgn", "csgn_reconciled"]].tolist()
        [109, 53, 48, 56]
        >>> int(split["csgn"].sum()), int(split["csgn_reconciled"].sum())
        (100, 108)
    """
    columns = ["unit", "poor", "btxh", "csgn", "btxh_reconciled", "csgn_reconciled", "split_reconciled"]
    return households[columns].copy()


def _pct(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``; NaN when there is no whole (a few units' tables
    may hold no ethnic-minority or no poor household).

    Examples:
        >>> _pct(42, 101), _pct(0, 0)
        (41.584158415841586, nan)
    """
    return 100 * part / whole if whole else float("nan")


def district_summary(households: pd.DataFrame, headline: pd.DataFrame) -> dict[str, int | float | str | tuple[str, ...]]:
    """The district figures notebook 01's prose quotes, every one computed from counts.

    Counts come from Phụ lục 1's units (BTXH and CSGN as reconciled) and section I (near-poor
    households); ``*_pct`` values are exact percentages of all households unless named
    otherwise (``*_of_poor_pct``: of poor households; ``dtts_poverty_pct``: of ethnic-minority
    households). ``highest_rate_unit`` and ``lowest_rate_unit`` are printed unit names, and
    ``dtts_units`` the units with any ethnic-minority households (a blank cell reads as none).

    Examples:
        >>> facts = district_summary(tables.households, tables.headline)
        >>> facts["households"], facts["poor"], facts["near_poor"], facts["poor_and_near_poor"]
        (14905, 453, 634, 1087)
        >>> round(facts["dtts_poverty_pct"], 1), round(facts["btxh_of_poor_pct"], 1)
        (41.6, 76.2)
    """
    units = households
    status = household_status(units, headline).set_index("status")["households"]
    households = int(units["households"].sum())
    poor, near_poor = int(status["poor"]), int(status["near_poor"])
    btxh, csgn = int(units["btxh_reconciled"].sum()), int(units["csgn_reconciled"].sum())
    dtts_households, dtts_poor = int(units["dtts_households"].sum()), int(units["dtts_poor"].sum())
    rates = poverty_rate_by_unit(units).set_index("unit")
    unit_rates = rates.drop(index=DISTRICT)["rate_pct"]
    return {
        "households": households,
        "poor": poor,
        "poor_pct": 100 * poor / households,
        "near_poor": near_poor,
        "near_poor_pct": 100 * near_poor / households,
        "poor_and_near_poor": poor + near_poor,
        "poor_and_near_poor_pct": 100 * (poor + near_poor) / households,
        "dtts_households": dtts_households,
        "dtts_households_pct": 100 * dtts_households / households,
        "dtts_units": tuple(units.loc[units["dtts_households"] > 0, "unit"]),
        "dtts_poor": dtts_poor,
        "dtts_poverty_pct": _pct(dtts_poor, dtts_households),
        "dtts_of_poor_pct": _pct(dtts_poor, poor),
        "btxh": btxh,
        "btxh_of_poor_pct": _pct(btxh, poor),
        "csgn": csgn,
        "csgn_of_poor_pct": _pct(csgn, poor),
        "units_above_district": int((unit_rates > rates.loc[DISTRICT, "rate_pct"]).sum()),
        "highest_rate_unit": str(unit_rates.idxmax()),
        "highest_rate_pct": float(unit_rates.max()),
        "lowest_rate_unit": str(unit_rates.idxmin()),
        "lowest_rate_pct": float(unit_rates.min()),
    }
