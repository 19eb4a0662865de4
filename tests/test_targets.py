"""Target gaps exact from the tables; the plan's 108, its path, band and allocation; the status.

Every step takes its tables: the last tests run the chain, figures' data included, on a
modified copy of the tables and see the change everywhere, with no shipped file read.
"""

from __future__ import annotations

import math
import shutil
from fractions import Fraction

import pandas as pd
import pytest

from camlo import load_deprivation_totals, load_households, load_observed, load_targets
from camlo.charts import fig03_targets
from camlo.charts.style import REGISTRY
from camlo.clean.observed import OBSERVED
from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.constants import DISTRICT
from camlo.targets import gaps as gaps_module
from camlo.targets import plan as plan_module
from camlo.targets.gaps import (
    gap_matrix,
    hidden_gaps,
    households_to_target,
    target_gaps,
    untracked_targets,
    worst_units,
)
from camlo.targets.plan import (
    allocate_reduction,
    allocation_comparison,
    band_paths,
    band_readings,
    district_reviews,
    path_comparison,
    plan_goal,
    plan_path,
    poverty_target_status,
)

UNITS = load_households()["unit"].tolist()


# --- gaps ----------------------------------------------------------------------------------------------


def test_gaps_cover_every_mapped_target_and_unit():
    gaps = target_gaps()
    mapped = load_targets().dropna(subset=["indicator"])["target"].tolist()
    assert mapped == ["T02", "T04", "T05", "T06", "T07", "T08", "T09"]
    assert len(gaps) == len(mapped) * (len(UNITS) + 1)
    assert gaps["target"].unique().tolist() == mapped
    for _, group in gaps.groupby("target"):
        assert group["unit"].tolist() == [*UNITS, "district"]


@pytest.mark.parametrize(
    ("target", "unit", "poor", "deprived", "gap"),
    [
        ("T07", "Cam Tuyên", 109, 75, 54),   # 34 have a latrine, ceil(0.8 x 109) = 88 needed
        ("T07", "Cam Nghĩa", 46, 43, 34),    # 3 have one, ceil(36.8) = 37 needed
        ("T07", "district", 453, 198, 108),  # 255 have one, ceil(362.4) = 363 needed
        ("T07", "Thanh An", 106, 18, 0),     # 88 >= 84.8
        ("T06", "district", 453, 35, 0),     # 418 >= 407.7: the district meets the water target
        ("T06", "Cam Thủy", 57, 14, 9),      # 43 have it, ceil(51.3) = 52 needed
        ("T06", "TT Cam Lộ", 36, 5, 2),      # 31 have it, ceil(32.4) = 33 needed
        ("T02", "district", 453, 290, 290),  # 100%: every deprived household
        ("T02", "TT Cam Lộ", 36, 36, 36),
        ("T08", "Cam Chính", 18, 18, 18),
        ("T04", "district", 453, 8, 8),
    ],
)
def test_known_gaps(target, unit, poor, deprived, gap):
    row = target_gaps().set_index(["target", "unit"]).loc[(target, unit)]
    assert (row["poor"], row["deprived"], row["gap_households"], row["met"]) == (poor, deprived, gap, gap == 0)


def test_every_gap_is_the_smallest_that_meets_the_target():
    for row in target_gaps().itertuples():
        target = Fraction(str(row.target_pct))
        covered = row.poor - row.deprived
        assert (covered + row.gap_households) * 100 >= target * row.poor
        if row.gap_households > 0:
            assert (covered + row.gap_households - 1) * 100 < target * row.poor
        assert row.gap_households <= row.deprived
        assert row.baseline_pct == pytest.approx(100 * covered / row.poor)


def test_district_row_is_the_sum_of_units_and_matches_the_printed_total():
    gaps = target_gaps()
    totals = load_deprivation_totals().set_index("indicator")["deprived"]
    for (target, indicator), group in gaps.groupby(["target", "indicator"]):
        units = group[group["unit"] != "district"]
        district = group[group["unit"] == "district"].iloc[0]
        assert district["deprived"] == units["deprived"].sum() == totals[indicator]
        assert district["poor"] == units["poor"].sum() == 453


def test_district_meeting_a_target_can_hide_units_that_do_not():
    gaps = target_gaps()
    water = gaps[gaps["target"] == "T06"].set_index("unit")
    assert water.loc["district", "met"]
    assert water.loc[~water["met"]].index.tolist() == ["TT Cam Lộ", "Cam Thủy"]
    hidden = hidden_gaps(gaps)
    assert hidden[["target", "unit"]].values.tolist() == [["T06", "TT Cam Lộ"], ["T06", "Cam Thủy"]]
    assert not hidden["met"].any()


def test_households_to_target_is_exact_where_floats_are_not():
    # 55% of 100 is 55, but 55 / 100 * 100 == 55.00000000000001 in floats and its ceiling is 56
    assert math.ceil(55 / 100 * 100) == 56
    assert households_to_target(100, 45, 55) == 0
    assert households_to_target(100, 46, 55) == 1
    assert households_to_target(450, 207, 54) == 0  # 243 covered; 54 / 100 * 450 == 243.00000000000003
    assert households_to_target(3, 2, 33.3) == 0  # 1 of 3 covered, 0.999 needed
    assert households_to_target(0, 0, 100) == 0


def test_gap_matrix_lays_out_targets_by_units():
    gaps = target_gaps()
    matrix = gap_matrix(gaps)
    assert matrix.index.tolist() == gaps["target"].unique().tolist()
    assert matrix.columns.tolist() == [*UNITS, "district"]
    assert matrix.loc["T07", "Cam Tuyên"] == 54 and matrix.loc["T07", "district"] == 108
    baseline = gap_matrix(gaps, "baseline_pct", target_pct=True)
    assert baseline.columns[0] == "target_pct" and baseline.loc["T06", "target_pct"] == 90
    assert baseline.loc["T06", "Cam Thủy"] == pytest.approx(100 * 43 / 57)


def test_shortfall_is_zero_where_met():
    gaps = target_gaps()
    assert (gaps.loc[gaps["met"], "shortfall_pp"] == 0).all()
    assert (gaps.loc[~gaps["met"], "shortfall_pp"] > 0).all()
    assert gaps["shortfall_pp"].equals((gaps["target_pct"] - gaps["baseline_pct"]).clip(lower=0))


def test_worst_units():
    worst = worst_units().set_index("target")
    assert worst.loc["T07", "worst_unit"] == "Cam Nghĩa"  # 3 of 46 poor households have a latrine
    assert worst.loc["T07", "district_gap"] == 108
    assert worst.loc["T02", "worst_unit"] == "TT Cam Lộ"
    assert worst.loc["T06", ["district_gap", "worst_unit", "worst_gap"]].tolist() == [0, "Cam Thủy", 9]


def test_untracked_targets_say_why():
    untracked = untracked_targets()
    assert untracked["target"].tolist() == ["T01", "T03", "T10", "T11", "T12", "T13", "T14", "T15"]
    assert untracked["reason"].str.len().gt(10).all()
    assert set(untracked["target"]).isdisjoint(target_gaps()["target"])


# --- the plan's 108 ------------------------------------------------------------------------------------


def test_plan_goal_is_read_from_the_printed_sentence():
    goal = plan_goal()
    assert (goal.baseline_poor, goal.households, goal.reduction, goal.target_poor) == (453, 14905, 108, 345)
    assert (goal.band_low_pct, goal.band_high_pct) == (0.15, 0.22)
    assert goal.steps == 4 and goal.per_step == 27


def test_the_108_are_the_csgn_households():
    goal = plan_goal()
    assert goal.reduction == goal.csgn == load_households()["csgn_reconciled"].sum() == 108
    assert goal.csgn + goal.btxh == goal.baseline_poor


def test_plan_path_is_even_and_ends_at_the_target():
    path = plan_path()
    assert path["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    assert path["plan_reduction"].diff().dropna().eq(27).all()
    assert path[["year", "reference_point"]].iloc[0].tolist() == [2022, "start-of-year review"]
    assert path[["year", "reference_point"]].iloc[-1].tolist() == [2025, "end-of-year review"]


def test_band_reads_as_an_annual_fall_in_the_rate():
    readings = band_readings().set_index("reading")
    assert readings.loc["total_pp", "value"] == pytest.approx(100 * 108 / 14905)  # 0.7246
    assert readings.loc["annual_pp_4", "value"] == pytest.approx(100 * 27 / 14905)  # 0.1811
    assert readings.loc["annual_pp_4", "in_band"] and not readings.loc["total_pp", "in_band"]
    assert not readings.loc["annual_pp_3", "in_band"]  # 0.2415: three steps would be too fast
    grown = band_readings(0.01).set_index("reading").loc["annual_pp_4_growth", "value"]
    assert grown == pytest.approx((100 * 453 / 14905 - 100 * 345 / (14905 * 1.01 ** 4)) / 4)
    assert 0.15 <= grown <= 0.22
    with pytest.raises(ValueError):
        band_readings(-0.01)


def test_band_paths_bracket_the_target():
    paths = band_paths()
    last = paths.iloc[-1]
    assert last["poor_high"] < 345 < last["poor_low"]
    assert last["poor_low"] == pytest.approx((100 * 453 / 14905 - 4 * 0.15) * 14905 / 100)
    assert paths["poor_low"].iloc[0] == paths["poor_high"].iloc[0] == pytest.approx(453)


# --- allocation ----------------------------------------------------------------------------------------


def test_allocation_by_csgn_is_each_units_csgn_households():
    alloc = allocate_reduction()
    households = load_households()
    assert alloc["allocation"].tolist() == households["csgn_reconciled"].tolist()
    assert alloc.set_index("unit").loc["Cam Tuyên", "allocation"] == 56  # 109 - 53, not the printed 48
    assert not alloc["exceeds_csgn"].any()
    assert (alloc["target_poor"] == households["btxh_reconciled"]).all()


def test_allocation_by_poor_uses_largest_remainders():
    alloc = allocate_reduction("poor")
    # quotas 108 x poor / 453: 25.27, 8.58, 8.82, 13.59, 10.97, 25.99, 4.29, 10.49
    assert alloc["allocation"].tolist() == [25, 9, 9, 14, 11, 26, 4, 10]
    assert alloc["allocation"].sum() == 108
    assert alloc.set_index("unit").loc["Cam Chính", "exceeds_csgn"]  # 0 CSGN households


@pytest.mark.parametrize("basis", ["csgn", "poor", "households"])
def test_every_allocation_adds_up(basis):
    for total in (0, 1, 108, 200):
        alloc = allocate_reduction(basis, total)
        assert alloc["allocation"].sum() == total
        quotas = total * alloc["basis_count"] / alloc["basis_count"].sum()
        assert ((alloc["allocation"] - quotas).abs() < 1).all()


def test_allocation_comparison_and_bad_basis():
    table = allocation_comparison()
    assert table[["by_csgn", "by_poor", "by_households"]].sum().tolist() == [108, 108, 108]
    with pytest.raises(ValueError, match="basis"):
        allocate_reduction("btxh")
    with pytest.raises(ValueError, match="total"):
        allocate_reduction("csgn", -1)


# --- status --------------------------------------------------------------------------------------------


@pytest.fixture
def observed_copy(tmp_path):
    """A copy of the shipped observed file that a test can add rows to."""
    path = tmp_path / "observed_reviews.csv"
    shutil.copy(OBSERVED, path)

    def add(*lines: str):
        with path.open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)
        return path

    return add


def test_status_at_the_baseline():
    status = poverty_target_status()
    assert len(status) == 1
    row = status.iloc[0]
    assert (row["poor"], row["reduction"], row["plan_reduction"], row["target_poor"]) == (453, 0, 0, 345)
    assert row["source"] == "district row" and bool(row["on_track"]) and not row["target_met"]
    assert row["poor_pct"] == pytest.approx(100 * 453 / 14905)
    assert status["target_met"].dtype == bool


def test_a_new_observed_row_changes_the_status(observed_copy):
    path = observed_copy("2022,end-of-year review,district,430,600,15000",
                         "2023,end-of-year review,district,395,,")
    status = poverty_target_status(load_observed(path)).set_index("step")
    assert status.index.tolist() == [0, 1, 2]
    assert status.loc[1, ["reduction", "plan_reduction", "on_track"]].tolist() == [23, 27, False]
    assert status.loc[2, ["reduction", "plan_reduction", "on_track"]].tolist() == [58, 54, True]
    assert pd.isna(status.loc[2, "poor_pct"])
    assert not status["target_met"].any()
    met = poverty_target_status(load_observed(observed_copy("2025,end-of-year review,district,340,,")))
    assert met.iloc[-1]["target_met"] and met.iloc[-1]["step"] == 4


def test_the_default_file_is_read_at_call_time(observed_copy, monkeypatch):
    import camlo.clean.observed

    monkeypatch.setattr(camlo.clean.observed, "OBSERVED", observed_copy("2023,end-of-year review,district,380,,"))
    assert poverty_target_status()["poor"].tolist() == [453, 380]


def test_units_summed_when_the_district_row_is_missing(observed_copy):
    counts = load_households().set_index("unit")["poor"] - 3
    rows = [f"2023,end-of-year review,{unit},{counts[unit]},," for unit in UNITS]
    reviews = district_reviews(load_observed(observed_copy(*rows)))
    last = reviews.iloc[-1]
    assert (last["source"], last["poor"]) == ("sum of units", 453 - 24)
    assert pd.isna(last["households"])


def test_a_review_of_some_units_only_gives_no_district_count(observed_copy):
    reviews = district_reviews(load_observed(observed_copy("2023,end-of-year review,Cam Tuyên,90,,")))
    assert reviews["step"].tolist() == [0]


def test_path_comparison_puts_the_observed_count_beside_the_path(observed_copy):
    paths = path_comparison()
    assert paths.goal == plan_goal()
    assert paths.table["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    assert paths.table["observed_poor"].tolist()[0] == 453 and paths.table["observed_poor"].isna().sum() == 4
    later = path_comparison(observed=load_observed(observed_copy("2023,end-of-year review,district,390,,")))
    assert later.table.set_index("step").loc[2, "observed_poor"] == 390


# --- every step takes its tables -----------------------------------------------------------------------

MODIFIED_UNIT = "Cam Hiếu"
MORE = 10  # poor households added to the unit, all of them CSGN (able to escape)


def with_more_poor(tables: PlanTables, unit: str = MODIFIED_UNIT, more: int = MORE) -> PlanTables:
    """A copy of ``tables`` in which ``unit`` has ``more`` poor CSGN households, in every table."""
    households = tables.households.copy()
    households.loc[households["unit"] == unit, ["poor", "csgn", "csgn_reconciled"]] += more
    deprivations = tables.deprivations.copy()
    deprivations.loc[deprivations["unit"] == unit, "poor"] += more
    headline = tables.headline.copy()
    headline.loc[headline["key"].isin(["poor", "csgn", "poor_and_near_poor"]), "count"] += more
    observed = tables.observed.copy()
    observed.loc[observed["unit"].isin([unit, DISTRICT]), "poor"] += more
    return tables.replace(households=households, deprivations=deprivations, headline=headline, observed=observed)


@pytest.fixture(scope="module")
def shipped() -> PlanTables:
    return load_plan_tables()


@pytest.fixture(scope="module")
def modified(shipped) -> PlanTables:
    return with_more_poor(shipped)


@pytest.fixture
def no_file_reads(monkeypatch):
    """Make every loader the targets stage could fall back on fail, to prove it reads none."""
    def refuse(*args, **kwargs):
        raise AssertionError("a step re-read a shipped table although it was given one")

    for module, names in ((gaps_module, ["load_deprivations", "load_targets"]),
                          (plan_module, ["load_headline", "load_households", "load_targets", "load_observed"])):
        for name in names:
            monkeypatch.setattr(module, name, refuse)


def frames(data) -> list[pd.DataFrame]:
    """The tables a step or a figure's data holds (a frame, or the frames of a result object)."""
    if isinstance(data, pd.DataFrame):
        return [data]
    found = [value for value in vars(data).values() if isinstance(value, pd.DataFrame)]
    assert found, f"no table in {type(data).__name__}"
    return found


def differs(a, b) -> bool:
    return any(not x.equals(y) for x, y in zip(frames(a), frames(b), strict=True))


def test_given_the_shipped_tables_every_step_matches_its_default(shipped):
    goal = plan_goal(shipped.headline, shipped.targets)
    assert goal == plan_goal()
    assert target_gaps(shipped.deprivations, shipped.targets).equals(target_gaps())
    assert untracked_targets(shipped.targets).equals(untracked_targets())
    assert allocate_reduction("poor", households=shipped.households, goal=goal).equals(allocate_reduction("poor"))
    assert poverty_target_status(shipped.observed, goal, shipped.households).equals(poverty_target_status())
    assert path_comparison(goal, shipped.observed, shipped.households).table.equals(path_comparison().table)


def test_a_modified_copy_of_the_tables_changes_every_step(shipped, modified, no_file_reads):
    goal, new_goal = plan_goal(shipped.headline, shipped.targets), plan_goal(modified.headline, modified.targets)
    assert (new_goal.baseline_poor, new_goal.csgn, new_goal.reduction) == (453 + MORE, 108 + MORE, 108)
    assert new_goal.target_poor == goal.target_poor + MORE

    gaps = target_gaps(modified.deprivations, modified.targets)
    changed = gaps.set_index(["target", "unit"]).loc[("T07", MODIFIED_UNIT)]
    assert changed["poor"] == 44 + MORE
    assert differs(gaps, target_gaps(shipped.deprivations, shipped.targets))
    district = gaps[gaps["unit"] == DISTRICT]
    assert (district["poor"] == 453 + MORE).all()

    allocation = allocate_reduction(households=modified.households, goal=new_goal)
    assert allocation["basis_count"].sum() == 108 + MORE and allocation["allocation"].sum() == 108
    assert differs(allocation, allocate_reduction(households=shipped.households, goal=goal))

    status = poverty_target_status(modified.observed, new_goal, modified.households)
    assert status[["poor", "reduction", "target_poor"]].iloc[0].tolist() == [453 + MORE, 0, 345 + MORE]
    assert differs(status, poverty_target_status(shipped.observed, goal, shipped.households))

    # the shipped tables themselves are untouched
    assert int(shipped.households["poor"].sum()) == 453 and int(shipped.observed["poor"].iloc[-1]) == 453


def test_a_modified_copy_of_the_tables_changes_every_figures_data(shipped, modified, no_file_reads):
    for name in fig03_targets.NAMES:
        data = REGISTRY[name].data
        assert differs(data(shipped), data(modified)), name


def test_the_workbooks_target_sheets_follow_the_tables(shipped, modified, no_file_reads):
    from camlo.report import workbook

    for make in (workbook.target_gaps_sheet, workbook.projection_sheet):
        assert differs(make(shipped).frame, make(modified).frame), make.__name__
