"""Target gaps exact from the tables; the plan's 108, its path, band and allocation; the status.

Every step takes its tables: the last tests run the chain, figures' data included, on a
modified copy of the tables and see the change everywhere (tests/test_tables_in.py checks that
no step opens a data file).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from camlo import load_deprivation_totals, load_households, load_observed, load_poverty_rates, load_targets
from camlo.answers import targets as answer03
from camlo.charts import fig03_targets
from camlo.clean.observed import OBSERVED, OBSERVED_DTTS
from camlo.clean.plan_tables import PlanTables, load_plan_tables
from camlo.clean.standard import load_standards
from camlo.consistency.checks import audit
from camlo.targets.projection import ProjectionParameters
from camlo.constants import DISTRICT
from camlo.targets.gaps import (
    gap_matrix,
    gap_readings,
    hidden_gaps,
    households_to_target,
    target_gaps,
    untracked_targets,
    worst_units,
)
from camlo.targets.plan import (
    allocate_reduction,
    allocation_comparison,
    area_baselines,
    area_goals,
    area_paths,
    area_reviews,
    band_paths,
    band_readings,
    district_reviews,
    path_comparison,
    plan_goal,
    plan_path,
    poverty_target_status,
)

SHIPPED = load_plan_tables()
GOAL = plan_goal(SHIPPED.headline, SHIPPED.targets)
UNITS = SHIPPED.households["unit"].tolist()
TABLES = (SHIPPED.households, SHIPPED.register)


def gaps_of(tables: PlanTables = SHIPPED):
    return target_gaps(tables.deprivations, tables.targets)


def status_of(observed=SHIPPED.observed, **by):
    """:func:`poverty_target_status` of ``observed`` against the shipped tables' goal."""
    return poverty_target_status(observed, *TABLES, GOAL, **by)


# --- gaps ----------------------------------------------------------------------------------------------


def test_gaps_cover_every_mapped_target_and_unit():
    gaps = gaps_of()
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
    row = gaps_of().set_index(["target", "unit"]).loc[(target, unit)]
    assert (row["poor"], row["deprived"], row["gap_households"], row["met"]) == (poor, deprived, gap, gap == 0)


def test_every_gap_is_the_smallest_that_meets_the_target():
    for row in gaps_of().itertuples():
        target = Fraction(str(row.target_pct))
        covered = row.poor - row.deprived
        assert (covered + row.gap_households) * 100 >= target * row.poor
        if row.gap_households > 0:
            assert (covered + row.gap_households - 1) * 100 < target * row.poor
        assert row.gap_households <= row.deprived
        assert row.baseline_pct == pytest.approx(100 * covered / row.poor)


def test_district_row_is_the_sum_of_units_and_matches_the_printed_total():
    gaps = gaps_of()
    totals = load_deprivation_totals().set_index("indicator")["deprived"]
    for (target, indicator), group in gaps.groupby(["target", "indicator"]):
        units = group[group["unit"] != "district"]
        district = group[group["unit"] == "district"].iloc[0]
        assert district["deprived"] == units["deprived"].sum() == totals[indicator]
        assert district["poor"] == units["poor"].sum() == 453


def test_two_readings_of_a_district_target():
    """On the district's totals, or the sum of the units' own gaps: never less, here more."""
    readings = gap_readings(gaps_of()).set_index("target")
    assert readings.loc["T07", ["district_gap", "sum_of_unit_gaps", "difference"]].tolist() == [108, 114, 6]
    assert readings.loc["T06", ["district_gap", "sum_of_unit_gaps", "units_short"]].tolist() == [0, 11, 2]
    assert (readings["sum_of_unit_gaps"] >= readings["district_gap"]).all()
    gaps = gaps_of()
    units = gaps[gaps["unit"] != DISTRICT]
    assert readings["sum_of_unit_gaps"].to_dict() == units.groupby("target")["gap_households"].sum().to_dict()
    assert readings["district_gap"].to_dict() == gaps[gaps["unit"] == DISTRICT].set_index("target")[
        "gap_households"].to_dict()


def test_district_meeting_a_target_can_hide_units_that_do_not():
    gaps = gaps_of()
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
    gaps = gaps_of()
    matrix = gap_matrix(gaps)
    assert matrix.index.tolist() == gaps["target"].unique().tolist()
    assert matrix.columns.tolist() == [*UNITS, "district"]
    assert matrix.loc["T07", "Cam Tuyên"] == 54 and matrix.loc["T07", "district"] == 108
    baseline = gap_matrix(gaps, value="baseline_pct", target_pct=True)
    assert baseline.columns[0] == "target_pct" and baseline.loc["T06", "target_pct"] == 90
    assert baseline.loc["T06", "Cam Thủy"] == pytest.approx(100 * 43 / 57)


def test_shortfall_is_zero_where_met():
    gaps = gaps_of()
    assert (gaps.loc[gaps["met"], "shortfall_pp"] == 0).all()
    assert (gaps.loc[~gaps["met"], "shortfall_pp"] > 0).all()
    assert gaps["shortfall_pp"].equals((gaps["target_pct"] - gaps["baseline_pct"]).clip(lower=0))


def test_worst_units():
    worst = worst_units(gaps_of()).set_index("target")
    assert worst.loc["T07", "worst_unit"] == "Cam Nghĩa"  # 3 of 46 poor households have a latrine
    assert worst.loc["T07", "district_gap"] == 108
    assert worst.loc["T02", "worst_unit"] == "TT Cam Lộ"
    assert worst.loc["T06", ["district_gap", "worst_unit", "worst_gap"]].tolist() == [0, "Cam Thủy", 9]


def test_untracked_targets_say_why():
    untracked = untracked_targets(SHIPPED.targets)
    assert untracked["target"].tolist() == ["T01", "T03", "T10", "T11", "T12", "T13", "T14", "T15"]
    assert untracked["reason"].str.len().gt(10).all()
    assert set(untracked["target"]).isdisjoint(gaps_of()["target"])


# --- the plan's 108 ------------------------------------------------------------------------------------


def test_plan_goal_is_read_from_the_printed_sentence():
    goal = GOAL
    assert (goal.baseline_poor, goal.households, goal.reduction, goal.target_poor) == (453, 14905, 108, 345)
    assert (goal.band_low_pct, goal.band_high_pct) == (0.15, 0.22)
    assert goal.steps == 4 and goal.per_step == 27


def test_the_108_are_the_csgn_households():
    goal = GOAL
    assert goal.reduction == goal.csgn == load_households()["csgn_reconciled"].sum() == 108
    assert goal.csgn + goal.btxh == goal.baseline_poor


def test_plan_path_is_even_and_ends_at_the_target():
    path = plan_path(GOAL)
    assert path["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    assert path["plan_reduction"].diff().dropna().eq(27).all()
    assert path[["year", "reference_point"]].iloc[0].tolist() == [2022, "start-of-year review"]
    assert path[["year", "reference_point"]].iloc[-1].tolist() == [2025, "end-of-year review"]


def test_band_reads_as_an_annual_fall_in_the_rate():
    readings = band_readings(GOAL).set_index("reading")
    assert readings.loc["total_pp", "value"] == pytest.approx(100 * 108 / 14905)  # 0.7246
    assert readings.loc["annual_pp_4", "value"] == pytest.approx(100 * 27 / 14905)  # 0.1811
    assert readings.loc["annual_pp_4", "in_band"] and not readings.loc["total_pp", "in_band"]
    assert not readings.loc["annual_pp_3", "in_band"]  # 0.2415: three steps would be too fast
    grown = band_readings(GOAL, household_growth=0.01).set_index("reading").loc["annual_pp_4_growth", "value"]
    assert grown == pytest.approx((100 * 453 / 14905 - 100 * 345 / (14905 * 1.01 ** 4)) / 4)
    assert 0.15 <= grown <= 0.22
    with pytest.raises(ValueError):
        band_readings(GOAL, household_growth=-1.0)


def test_band_paths_bracket_the_target():
    paths = band_paths(GOAL)
    last = paths.iloc[-1]
    assert last["poor_high"] < 345 < last["poor_low"]
    assert last["poor_low"] == pytest.approx((100 * 453 / 14905 - 4 * 0.15) * 14905 / 100)
    assert paths["poor_low"].iloc[0] == paths["poor_high"].iloc[0] == pytest.approx(453)


# --- allocation ----------------------------------------------------------------------------------------


def test_allocation_by_csgn_is_each_units_csgn_households():
    alloc = allocate_reduction(SHIPPED.households, GOAL)
    households = load_households()
    assert alloc["allocation"].tolist() == households["csgn_reconciled"].tolist()
    assert alloc.set_index("unit").loc["Cam Tuyên", "allocation"] == 56  # 109 - 53, not the printed 48
    assert not alloc["exceeds_csgn"].any()
    assert (alloc["target_poor"] == households["btxh_reconciled"]).all()


def test_allocation_by_poor_uses_largest_remainders():
    alloc = allocate_reduction(SHIPPED.households, GOAL, basis="poor")
    # quotas 108 x poor / 453: 25.27, 8.58, 8.82, 13.59, 10.97, 25.99, 4.29, 10.49
    assert alloc["allocation"].tolist() == [25, 9, 9, 14, 11, 26, 4, 10]
    assert alloc["allocation"].sum() == 108
    assert alloc.set_index("unit").loc["Cam Chính", "exceeds_csgn"]  # 0 CSGN households


@pytest.mark.parametrize("basis", ["csgn", "poor", "households"])
def test_every_allocation_adds_up(basis):
    for total in (0, 1, 108, 200):
        alloc = allocate_reduction(SHIPPED.households, GOAL, basis=basis, total=total)
        assert alloc["allocation"].sum() == total
        quotas = total * alloc["basis_count"] / alloc["basis_count"].sum()
        assert ((alloc["allocation"] - quotas).abs() < 1).all()


def test_allocation_comparison_and_bad_basis():
    table = allocation_comparison(SHIPPED.households, GOAL)
    assert table[["by_csgn", "by_poor", "by_households"]].sum().tolist() == [108, 108, 108]
    with pytest.raises(ValueError, match="basis"):
        allocate_reduction(SHIPPED.households, GOAL, basis="btxh")
    with pytest.raises(ValueError, match="total"):
        allocate_reduction(SHIPPED.households, GOAL, total=-1)


# --- status --------------------------------------------------------------------------------------------


def baseline_only(path, target):
    """Copy the header and the start-of-2022 rows of ``path`` to ``target``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:1] + [line for line in lines[1:] if line.startswith("2022,start")]),
                      encoding="utf-8")
    return target


@pytest.fixture
def observed_copy(tmp_path):
    """A copy of the shipped observed file's baseline rows that a test can add rows to."""
    path = baseline_only(OBSERVED, tmp_path / "observed_reviews.csv")

    def add(*lines: str):
        with path.open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)
        return path

    return add


def test_status_of_the_shipped_reviews():
    status = status_of()
    assert status["step"].tolist() == [0, 2]
    row = status.iloc[0]
    assert (row["poor"], row["reduction"], row["plan_reduction"], row["target_poor"]) == (453, 0, 0, 345)
    assert row["source"] == "district row" and bool(row["on_track"]) and not row["target_met"]
    assert row["poor_pct"] == pytest.approx(100 * 453 / 14905)
    assert status["target_met"].dtype == bool
    # the public end-of-2023 result: 311 poor households, below the 2025 target already
    end_2023 = status.iloc[1]
    assert (end_2023["year"], end_2023["poor"], end_2023["reduction"], end_2023["plan_reduction"]) == (
        2023, 311, 142, 54)
    assert end_2023["on_track"] and end_2023["target_met"] and not end_2023["after_plan"]
    assert pd.isna(end_2023["poor_pct"])  # the source prints no households


def test_a_new_observed_row_changes_the_status(observed_copy):
    path = observed_copy("2022,end-of-year review,district,430,600,15000",
                         "2023,end-of-year review,district,395,,")
    status = status_of(load_observed(path)).set_index("step")
    assert status.index.tolist() == [0, 1, 2]
    assert status.loc[1, ["reduction", "plan_reduction", "on_track"]].tolist() == [23, 27, False]
    assert status.loc[2, ["reduction", "plan_reduction", "on_track"]].tolist() == [58, 54, True]
    assert pd.isna(status.loc[2, "poor_pct"])
    assert not status["target_met"].any()
    met = status_of(load_observed(observed_copy("2025,end-of-year review,district,340,,")))
    assert met.iloc[-1]["target_met"] and met.iloc[-1]["step"] == 4


def test_the_default_files_are_read_at_call_time(observed_copy, monkeypatch, tmp_path):
    import camlo.clean.observed

    monkeypatch.setattr(camlo.clean.observed, "OBSERVED", observed_copy("2023,end-of-year review,district,380,,"))
    monkeypatch.setattr(camlo.clean.observed, "OBSERVED_DTTS", baseline_only(OBSERVED_DTTS, tmp_path / "dtts.csv"))
    assert status_of(load_plan_tables().observed)["poor"].tolist() == [453, 380]


def test_units_summed_when_the_district_row_is_missing(observed_copy):
    counts = load_households().set_index("unit")["poor"] - 3
    rows = [f"2023,end-of-year review,{unit},{counts[unit]},," for unit in UNITS]
    reviews = district_reviews(load_observed(observed_copy(*rows)), *TABLES)
    last = reviews.iloc[-1]
    assert (last["source"], last["poor"]) == ("sum of units", 453 - 24)
    assert pd.isna(last["households"])


def test_a_review_of_some_units_only_gives_no_district_count(observed_copy):
    reviews = district_reviews(load_observed(observed_copy("2023,end-of-year review,Cam Tuyên,90,,")), *TABLES)
    assert reviews["step"].tolist() == [0]


def test_path_comparison_puts_the_observed_count_beside_the_path(observed_copy):
    paths = path_comparison(SHIPPED.observed, *TABLES, GOAL)
    assert paths.goal == GOAL
    assert paths.table["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    observed = paths.table.set_index("step")["observed_poor"]
    assert (observed[0], observed[2], observed.isna().sum()) == (453, 311, 3)  # the baseline, the end of 2023
    later = path_comparison(load_observed(observed_copy("2023,end-of-year review,district,390,,")), *TABLES, GOAL)
    assert later.table.set_index("step").loc[2, "observed_poor"] == 390


# --- the communes formed on 1 July 2025, and the plan's units -------------------------------------------

def test_each_new_commune_has_its_own_baseline_and_target():
    goals = area_goals(*TABLES, GOAL, by="successor")
    assert list(goals) == ["xã Cam Lộ", "xã Hiếu Giang"]
    assert [(g.households, g.baseline_poor, g.csgn, g.btxh) for g in goals.values()] == [
        (7451, 137, 25, 112), (7454, 316, 83, 233)]
    # the 108 shared by CSGN households, as allocate_reduction shares it: 25 + 83
    assert [g.reduction for g in goals.values()] == [25, 83] and sum(g.reduction for g in goals.values()) == 108
    assert [g.target_poor for g in goals.values()] == [112, 233]
    assert sum(g.target_poor for g in goals.values()) == GOAL.target_poor
    assert area_goals(*TABLES, GOAL, by="district") == {DISTRICT: GOAL}
    units = area_goals(*TABLES, GOAL, by="unit")
    assert list(units) == UNITS and sum(g.reduction for g in units.values()) == 108
    table = area_baselines(*TABLES, GOAL)
    assert table["predecessors"].tolist() == ["TT Cam Lộ;Cam Thành;Cam Nghĩa;Cam Chính",
                                              "Thanh An;Cam Thủy;Cam Tuyên;Cam Hiếu"]
    assert table["dtts_poor"].tolist() == [0, 42]


END_2025 = ("2025,end-of-year review,xã Cam Lộ,110,,", "2025,end-of-year review,xã Hiếu Giang,240,,")


def test_the_end_2025_review_by_new_commune_gives_the_district_and_each_commune(observed_copy):
    observed = load_observed(observed_copy(*END_2025))
    district = status_of(observed).set_index("step")
    assert district.loc[4, ["source", "poor", "reduction", "target_poor", "target_met"]].tolist() == [
        "sum of units", 350, 103, 345, False]
    communes = status_of(observed, by="successor").set_index(["step", "unit"])
    assert communes.loc[(0, "xã Cam Lộ"), ["source", "poor"]].tolist() == ["sum of former units", 137]
    assert communes.loc[(4, "xã Cam Lộ"), ["source", "poor", "reduction", "plan_reduction", "target_poor",
                                          "target_met"]].tolist() == ["commune row", 110, 27, 25, 112, True]
    assert communes.loc[(4, "xã Hiếu Giang"), ["poor", "reduction", "target_poor", "target_met"]].tolist() == [
        240, 76, 233, False]
    # by unit: only the reviews that report a unit (here the baseline)
    assert status_of(observed, by="unit")["step"].unique().tolist() == [0]


def test_a_mix_of_new_communes_and_former_units_covers_the_district(observed_copy):
    rows = ["2025,end-of-year review,xã Cam Lộ,110,,"] + [
        f"2025,end-of-year review,{unit},{n},," for unit, n in
        (("Thanh An", 80), ("Cam Thủy", 40), ("Cam Tuyên", 70), ("Cam Hiếu", 30))]
    observed = load_observed(observed_copy(*rows))
    assert district_reviews(observed, *TABLES).iloc[-1][["source", "poor"]].tolist() == ["sum of units", 330]
    communes = status_of(observed, by="successor").query("step == 4").set_index("unit")
    assert communes.loc["xã Hiếu Giang", ["source", "poor"]].tolist() == ["sum of former units", 220]
    units = status_of(observed, by="unit").query("step == 4")
    assert units["unit"].tolist() == ["Thanh An", "Cam Thủy", "Cam Tuyên", "Cam Hiếu"]
    assert units.set_index("unit").loc["Cam Tuyên", "target_poor"] == 109 - 56


def observed_findings(observed, include_passing=False):
    """The audit's comparisons of observed reviews (check ``observed_sum``)."""
    found = audit(SHIPPED.replace(observed=observed), include_passing=include_passing, observed_sums=True)
    return found[found["check"] == "observed_sum"].reset_index(drop=True)


def test_a_district_row_and_parts_that_disagree_are_a_finding_never_a_sum(observed_copy):
    observed = load_observed(observed_copy(*END_2025, "2025,end-of-year review,district,345,,"))
    status = status_of(observed).set_index("step")
    assert status.loc[4, ["source", "poor", "target_met"]].tolist() == ["district row", 345, True]
    communes = status_of(observed, by="successor").query("step == 4")
    assert communes["poor"].tolist() == [110, 240]  # each commune judged on its own row
    findings = observed_findings(observed)
    assert findings[["check", "unit", "column", "published", "expected", "difference", "status"]].values.tolist() == [
        ["observed_sum", "district", "poor", 345, 350, -5, "mismatch"]]
    assert "its parts (xã Cam Lộ, xã Hiếu Giang) add up to 350" in findings["message"].iloc[0]
    assert findings["resolution"].iloc[0]
    agreeing = observed[observed["step"] < 4]  # the baseline: 8 units beside the district row
    assert observed_findings(agreeing).empty
    assert observed_findings(agreeing, include_passing=True)["status"].eq("ok").all()


def test_parts_of_a_review_that_exceed_its_district_row_are_a_finding(observed_copy):
    observed = load_observed(observed_copy("2024,end-of-year review,district,300,,",
                                           "2024,end-of-year review,Cam Tuyên,200,,",
                                           "2024,end-of-year review,Thanh An,150,,"))
    findings = observed_findings(observed)
    assert findings[["published", "expected", "status"]].values.tolist() == [[300, 350, "mismatch"]]
    assert "cover only part of the district" in findings["message"].iloc[0]
    fewer = observed[~((observed["step"] == 3) & (observed["unit"] == "Thanh An"))]  # 200 ≤ 300: nothing to say
    assert observed_findings(fewer, include_passing=True)["message"].str.startswith("2022").all()


def test_the_command_line_audit_lists_observed_findings(observed_copy, tmp_path, capsys):
    from camlo.__main__ import main
    from camlo.paths import DATA_RAW

    folder = tmp_path / "tables"
    folder.mkdir()
    for path in DATA_RAW.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "observed_reviews_dtts.csv").unlink()
    (folder / "observed_reviews.csv").write_bytes(
        observed_copy(*END_2025, "2025,end-of-year review,district,345,,").read_bytes())
    assert main(["audit", "--tables", str(folder)]) == 0
    assert "observed_sum | observed_reviews | district | poor: published 345, expected 350" in (
        capsys.readouterr().out)


def test_monitoring_after_the_plan(observed_copy):
    path = observed_copy()  # the end-2026 review states the plan's standard (the default reading is Decree 351's)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",standard", *(line + "," for line in lines[1:]),
                               "2026,end-of-year review,district,330,,,decree_07_2021"]) + "\n", encoding="utf-8")
    observed = load_observed(path)
    status = status_of(observed).set_index("step")
    assert status.loc[5, ["after_plan", "plan_reduction", "target_poor", "target_met"]].tolist() == [
        True, 108, 345, True]
    assert not status.loc[0, "after_plan"]
    paths = path_comparison(observed, *TABLES, GOAL).table.set_index("step")
    assert paths.index.tolist() == [0, 1, 2, 3, 4, 5]
    assert pd.isna(paths.loc[5, "plan_poor"]) and paths.loc[5, "observed_poor"] == 330


def test_area_paths_give_each_commune_its_path_and_observed_counts(observed_copy):
    paths = area_paths(load_observed(observed_copy(*END_2025)), *TABLES, GOAL)
    table = paths.table.set_index(["unit", "step"])
    assert table.loc["xã Cam Lộ", "plan_poor"].tolist() == [137, 130, 124, 118, 112]  # 25 at 6.25 a step, rounded up
    assert table.loc["xã Hiếu Giang", "observed_poor"].fillna(-1).tolist() == [316, -1, -1, -1, 240]
    assert table.loc[("xã Hiếu Giang", 4), "source"] == "commune row"


def test_area_reviews_and_status_refuse_an_unknown_reading():
    with pytest.raises(ValueError, match="by must be one of"):
        area_goals(*TABLES, GOAL, by="province")
    with pytest.raises(ValueError, match="by must be one of"):
        area_reviews(SHIPPED.observed, *TABLES, by="province")
    with pytest.raises(ValueError, match="by must be one of"):
        status_of(by="commune")


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


def frames(data) -> list[pd.DataFrame]:
    """The tables a step or a figure's data holds (a frame, or the frames of a dict or a result object)."""
    if isinstance(data, pd.DataFrame):
        return [data]
    values = data.values() if isinstance(data, dict) else vars(data).values()
    found = [value for value in values if isinstance(value, pd.DataFrame)]
    assert found, f"no table in {type(data).__name__}"
    return found


def differs(a, b) -> bool:
    return any(not x.equals(y) for x, y in zip(frames(a), frames(b), strict=True))


def test_a_modified_copy_of_the_tables_changes_every_step(shipped, modified):
    goal, new_goal = plan_goal(shipped.headline, shipped.targets), plan_goal(modified.headline, modified.targets)
    assert (new_goal.baseline_poor, new_goal.csgn, new_goal.reduction) == (453 + MORE, 108 + MORE, 108)
    assert new_goal.target_poor == goal.target_poor + MORE

    gaps = target_gaps(modified.deprivations, modified.targets)
    changed = gaps.set_index(["target", "unit"]).loc[("T07", MODIFIED_UNIT)]
    assert changed["poor"] == 44 + MORE
    assert differs(gaps, target_gaps(shipped.deprivations, shipped.targets))
    district = gaps[gaps["unit"] == DISTRICT]
    assert (district["poor"] == 453 + MORE).all()

    allocation = allocate_reduction(modified.households, new_goal)
    assert allocation["basis_count"].sum() == 108 + MORE and allocation["allocation"].sum() == 108
    assert differs(allocation, allocate_reduction(shipped.households, goal))

    status = poverty_target_status(modified.observed, modified.households, modified.register, new_goal)
    assert status[["poor", "reduction", "target_poor"]].iloc[0].tolist() == [453 + MORE, 0, 345 + MORE]
    assert differs(status, poverty_target_status(shipped.observed, shipped.households, shipped.register, goal))

    # the shipped tables themselves are untouched
    district = shipped.observed[shipped.observed["unit"] == DISTRICT]
    assert int(shipped.households["poor"].sum()) == 453 and district["poor"].tolist() == [453, 311]


def notebook_03(tables: PlanTables, **params):
    """Notebook 03's answer on ``tables`` (their observed reviews, no recorded sources), few paths."""
    return answer03.answer(tables, tables.observed, load_poverty_rates(), [],
                           params=ProjectionParameters(**params), n_paths=2_000, sensitivity_paths=200,
                           standards=load_standards())


@pytest.fixture(scope="module")
def answers(shipped, modified):
    # with many newly poor a year the probabilities are not all 1, so that the tornado can differ
    return notebook_03(shipped, newly_poor=30.0), notebook_03(modified, newly_poor=30.0)


def test_a_modified_copy_of_the_tables_changes_every_figures_data(answers):
    before, after = answers
    assert sorted(before.figures) == sorted(fig03_targets.NAMES)
    for name in fig03_targets.NAMES:
        assert differs(before.figures[name], after.figures[name]), name


def test_the_workbooks_target_sheets_follow_the_tables(answers):
    from camlo.report import workbook

    before, after = answers
    for make in workbook.SHEETS["03"]:
        assert differs(make(before).frame, make(after).frame), make.__name__


def test_the_projection_sheet_finding_and_fan_state_the_one_projection(shipped):
    """Workbook, index finding and fan read the answer's projection, run with its parameters."""
    from camlo.report import workbook
    from camlo.text.numbers import format_probability
    from camlo.text.sentences import ProbabilityRange

    result = notebook_03(shipped, newly_poor=30.0, csgn_exit=0.2)
    probability = result.values["probability_target_met"]
    low, _, high = result.values["probability_range"]
    assert result.figures["03_projection_fan"].probability_target_met == probability
    assert result.figures["03_projection_fan"].probability_range == result.values["probability_range"]
    sheet = workbook.projection_sheet(result)
    assert f"{format_probability(probability, 'en')} of paths ({ProbabilityRange(low, high).text('en')} " \
           f"over plausible rates)" in sheet.note
    assert "newly_poor = 30.0" in sheet.note and "n_paths = 2000" in sheet.note
    assert sheet.frame["p50"].tolist() == result.tables["projection"]["p50"].tolist()
    # with many newly poor a year, the assumed rates from the review on can use up the observed margin
    assumed = result.values["probability_assumed_rates"]
    assert 0 < assumed["probability"] < 1
    assert f"and in {format_probability(assumed['probability'], 'en')} (" in result.finding.text("en")
    assert f"target is met in {format_probability(probability, 'en')} of simulated paths" in result.finding.text("en")
    assert "end of 2023: 311 poor households" in result.finding.text("en")
    assert result.params["newly_poor"] == 30.0 and result.params["seed"] == 20220218


def test_the_answer_reads_the_reviews_it_is_given(tmp_path):
    """``observed_path`` alone names the reviews: a copy with a later review moves the projection's start."""
    copy = tmp_path / "observed_reviews.csv"
    copy.write_text(OBSERVED.read_text(encoding="utf-8") + "2024,end-of-year review,district,330,,\n", encoding="utf-8")
    params = {"observed_path": str(copy), "n_paths": 2_000, "sensitivity_paths": 200}
    declared = answer03.inputs(params)
    assert "observed_path:observed_reviews.csv" in declared
    assert not any(name.startswith("data/raw/observed") for name in declared)
    assert "data/reference/poverty_rates.csv" in declared and "data/raw/phu_luc_1.csv" in declared
    result = answer03.run(params)
    assert result.values["start"].step == 3 and result.values["start"].poor == 330
    assert "end of 2024: 330 poor households" in result.finding.text("en")
    assert result.text["sources"].text("en") == "The observed file records no source for the rows added after the baseline."
    shipped = answer03.inputs({})
    assert {"data/raw/observed_reviews.csv", "data/raw/observed_reviews_dtts.csv",
            "data/raw/observed_reviews.csv.provenance.json"} <= set(shipped)


def test_a_review_under_decree_351_starts_a_new_series(observed_copy):
    from camlo.targets.series import plan_series, review_series

    observed = load_observed(observed_copy("2023,end-of-year review,district,311,429,",
                                           "2026,end-of-year review,district,520,610,"))
    series = review_series(observed)
    assert series[["year", "standard", "plan_series", "series_step", "series_baseline"]].values.tolist() == [
        [2022, "decree_07_2021", True, 0, "2022 start-of-year review"],
        [2023, "decree_07_2021", True, 1, "2022 start-of-year review"],
        [2026, "decree_351_2025", False, 0, "2026 end-of-year review"]]
    assert "351/2025/NĐ-CP" in series["document"].iloc[-1]
    assert 2026 not in plan_series(observed)["year"].tolist()
    status = status_of(observed)  # never set against the 2022 baseline, the path or the target
    assert status["step"].tolist() == [0, 2]
    paths = path_comparison(observed, *TABLES, GOAL).table
    assert 5 not in paths["step"].tolist()
