"""Section II's access targets against the 2022 baseline: how far each unit is from each.

:func:`target_gaps` gives, per target that an indicator of Phụ lục 2 measures and per unit
(and the district), the share of poor households not deprived and the whole number of
households still to reach; :func:`gap_matrix` lays one of its columns out as targets × units,
:func:`worst_units` names the unit farthest from each target, :func:`hidden_gaps` the units
that miss a target the district as a whole meets, and :func:`gap_readings` sets the district's
gap on its totals beside the sum of the units' own gaps. Targets with no baseline in
the tables are in :func:`untracked_targets`, each with the reason.

Every function takes the tables it reads (``deprivations`` as returned by
:func:`camlo.load_deprivations`, ``targets`` as by :func:`camlo.load_targets`) or the gaps
computed from them, then its parameters; it reads no file.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from camlo.constants import DISTRICT


def households_to_target(poor: int, deprived: int, target_pct: float) -> int:
    """The fewest poor households that must stop being deprived for a unit to meet a target.

    The smallest whole ``g >= 0`` with ``(poor - deprived + g) / poor >= target_pct / 100``,
    computed in exact fractions (``target_pct`` is read as the decimal it is printed as).

    Examples:
        >>> households_to_target(109, 75, 80)  # Cam Tuyên, hygienic latrine: 88 needed, 34 have one
        54
        >>> households_to_target(453, 35, 90)  # the district, water: 418 >= 407.7 already
        0
        >>> households_to_target(57, 14, 90)   # Cam Thủy, water: ceil(51.3) = 52, 43 have it
        9
    """
    if poor == 0:
        return 0
    needed = math.ceil(Fraction(str(float(target_pct))) * poor / 100)
    return max(0, needed - (poor - deprived))


def target_gaps(deprivations: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """How far each unit, and the district, is from each target an indicator measures.

    For every section II target mapped to a Phụ lục 2 indicator (see
    :func:`camlo.load_targets`) and every unit in printed order, then ``district`` (the sums
    of the unit rows), the baseline is the share of the unit's poor households **not**
    deprived in the indicator.

    Caveats carried from the mapping: T02 and T04 cover near-poor households too, the tables
    count poor ones only; T05 (support to build or repair housing) is measured by housing
    quality (indicator 7).

    Args:
        deprivations: Phụ lục 2's unit rows, long (:func:`camlo.load_deprivations`).
        targets: Section II's targets (:func:`camlo.load_targets`).

    Returns:
        Columns ``target``, ``indicator``, ``unit``, ``poor``, ``deprived``, ``target_pct``,
        ``baseline_pct`` (missing for a unit with no poor households), ``gap_households``
        (:func:`households_to_target`; 0 where met), ``met`` and ``shortfall_pp`` (points
        below the target, 0 where met).

    Examples:
        >>> gaps = target_gaps(tables.deprivations, tables.targets)
        >>> gaps.query("target == 'T07' and unit in ['Cam Tuyên', 'district']")[
        ...     ["unit", "poor", "deprived", "gap_households", "met"]].values.tolist()
        [['Cam Tuyên', 109, 75, 54, False], ['district', 453, 198, 108, False]]
        >>> gaps.query("target == 'T06' and not met")["unit"].tolist()  # the district meets it
        ['TT Cam Lộ', 'Cam Thủy']
        >>> round(float(gaps.set_index(["target", "unit"]).loc[("T07", "Cam Tuyên"), "shortfall_pp"]), 2)
        48.81
    """
    targets = targets.dropna(subset=["indicator"])
    district = (deprivations.groupby("indicator", as_index=False, sort=True)[["deprived", "poor"]].sum()
                .assign(unit=DISTRICT))
    counts = pd.concat([deprivations, district], ignore_index=True)
    rows = []
    for target in targets.itertuples():
        of_indicator = counts[counts["indicator"] == target.indicator]
        for unit in of_indicator.itertuples():
            gap = households_to_target(unit.poor, unit.deprived, target.threshold_pct)
            rows.append({
                "target": target.target, "indicator": int(target.indicator), "unit": unit.unit,
                "poor": int(unit.poor), "deprived": int(unit.deprived), "target_pct": target.threshold_pct,
                "baseline_pct": 100 * (unit.poor - unit.deprived) / unit.poor if unit.poor else float("nan"),
                "gap_households": gap, "met": gap == 0,
            })
    gaps = pd.DataFrame(rows).astype({"indicator": "int64", "poor": "int64", "deprived": "int64",
                                      "gap_households": "int64", "met": "bool"})
    gaps["shortfall_pp"] = (gaps["target_pct"] - gaps["baseline_pct"]).clip(lower=0)
    return gaps


def gap_matrix(gaps: pd.DataFrame, *, value: str = "gap_households", target_pct: bool = False) -> pd.DataFrame:
    """One column of :func:`target_gaps` laid out as targets (rows) × units (columns).

    Args:
        gaps: The gaps, as :func:`target_gaps` returns them.
        value: The column to lay out (``gap_households``, ``baseline_pct``, ``shortfall_pp``…).
        target_pct: Put each target's level first, as a column ``target_pct``.

    Returns:
        One row per target in printed order; one column per unit in printed order, then
        ``district``.

    Examples:
        >>> matrix = gap_matrix(target_gaps(tables.deprivations, tables.targets))
        >>> int(matrix.loc["T07", "Cam Tuyên"]), int(matrix.loc["T07", "district"]), matrix.columns[-1]
        (54, 108, 'district')
        >>> gap_matrix(target_gaps(tables.deprivations, tables.targets), value="baseline_pct",
        ...            target_pct=True).loc["T06"].iloc[:2].round(1).tolist()
        [90.0, 94.3]
    """
    units = list(dict.fromkeys(gaps["unit"]))
    order = list(dict.fromkeys(gaps["target"]))
    matrix = gaps.pivot(index="target", columns="unit", values=value).loc[order, units]
    matrix.columns.name = None
    if target_pct:
        matrix.insert(0, "target_pct", gaps.drop_duplicates("target").set_index("target")["target_pct"])
    return matrix


def worst_units(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per target: the district's gap and the unit farthest below the target.

    Args:
        gaps: The gaps, as :func:`target_gaps` returns them.

    Returns:
        One row per target: ``target``, ``indicator``, ``target_pct``, ``district_pct``,
        ``district_gap``, ``worst_unit``, ``worst_pct`` (its share not deprived) and
        ``worst_gap`` (0 where even the farthest unit meets the target); ties go to the unit
        printed first.

    Examples:
        >>> worst_units(target_gaps(tables.deprivations, tables.targets)).query("target == 'T06'")[["district_gap", "worst_unit", "worst_gap"]].to_dict("records")
        [{'district_gap': 0, 'worst_unit': 'Cam Thủy', 'worst_gap': 9}]
    """
    rows = []
    for target, group in gaps.groupby("target", sort=True):
        district = group[group["unit"] == DISTRICT].iloc[0]
        units = group[group["unit"] != DISTRICT]
        worst = units.loc[units["baseline_pct"].idxmin()]
        rows.append({"target": target, "indicator": int(district["indicator"]),
                     "target_pct": district["target_pct"], "district_pct": district["baseline_pct"],
                     "district_gap": int(district["gap_households"]), "worst_unit": worst["unit"],
                     "worst_pct": worst["baseline_pct"], "worst_gap": int(worst["gap_households"])})
    return pd.DataFrame(rows)


def hidden_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """The units that miss a target the district as a whole meets: what a district figure hides.

    Args:
        gaps: The gaps, as :func:`target_gaps` returns them.

    Returns:
        The rows of ``gaps`` for those units and targets, in their order.

    Examples:
        >>> hidden_gaps(target_gaps(tables.deprivations, tables.targets))[["target", "unit", "gap_households"]].values.tolist()
        [['T06', 'TT Cam Lộ', 2], ['T06', 'Cam Thủy', 9]]
    """
    met_by_district = gaps.loc[(gaps["unit"] == DISTRICT) & gaps["met"], "target"]
    return gaps[gaps["target"].isin(met_by_district) & ~gaps["met"]]


def gap_readings(gaps: pd.DataFrame) -> pd.DataFrame:
    """Two readings of a target set for the district: on its totals, or unit by unit.

    Section II sets each target for the district's poor households as a whole ("90% hộ nghèo
    được tiếp cận nguồn nước sinh hoạt hợp vệ sinh"): its gap is computed on the district's
    totals (the ``district`` row of :func:`target_gaps`), where a unit above the target makes
    up for one below it. If every unit had to reach the same share itself (section VI asks
    each commune to register its own targets), the gap is the sum of the units' own gaps,
    which is never smaller: no unit's surplus counts for another.

    Args:
        gaps: The gaps, as :func:`target_gaps` returns them.

    Returns:
        One row per target in printed order: ``target``, ``indicator``, ``target_pct``,
        ``district_gap`` (on the district's totals), ``sum_of_unit_gaps``, ``difference``
        (how much more the unit reading asks) and ``units_short`` (how many units miss it).

    Examples:
        >>> readings = gap_readings(target_gaps(tables.deprivations, tables.targets)).set_index("target")
        >>> readings.loc[["T06", "T07"], ["district_gap", "sum_of_unit_gaps", "units_short"]].values.tolist()
        [[0, 11, 2], [108, 114, 7]]
    """
    district = gaps[gaps["unit"] == DISTRICT].set_index("target")
    units = gaps[gaps["unit"] != DISTRICT]
    order = list(dict.fromkeys(gaps["target"]))
    frame = pd.DataFrame({
        "target": order,
        "indicator": district.loc[order, "indicator"].to_numpy(),
        "target_pct": district.loc[order, "target_pct"].to_numpy(),
        "district_gap": district.loc[order, "gap_households"].to_numpy(),
        "sum_of_unit_gaps": units.groupby("target")["gap_households"].sum().loc[order].to_numpy(),
        "units_short": (~units["met"]).groupby(units["target"]).sum().loc[order].to_numpy(),
    })
    frame["difference"] = frame["sum_of_unit_gaps"] - frame["district_gap"]
    return frame[["target", "indicator", "target_pct", "district_gap", "sum_of_unit_gaps", "difference",
                  "units_short"]].astype({"district_gap": "int64", "sum_of_unit_gaps": "int64",
                                          "difference": "int64", "units_short": "int64"})


def untracked_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Section II targets with no baseline in the tables, and why.

    Args:
        targets: Section II's targets (:func:`camlo.load_targets`).

    Returns:
        Columns ``target``, ``threshold_pct``, ``population_en`` and ``reason`` (the
        project's reading in ``data/reference/target_indicators.csv``).

    Examples:
        >>> untracked_targets(tables.targets)["target"].tolist()
        ['T01', 'T03', 'T10', 'T11', 'T12', 'T13', 'T14', 'T15']
    """
    untracked = targets[targets["indicator"].isna()]
    return (untracked[["target", "threshold_pct", "population_en", "reading"]]
            .rename(columns={"reading": "reason"}).reset_index(drop=True))
