"""Poverty standards as data, and the status of each household under one (every boundary)."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

import camlo
from camlo import DataError
from camlo.clean.standard import STANDARDS, load_standard, standard_for
from shipped_tables import STANDARD

# A second standard, for tests only: it proves that the thresholds, the cutoff and the
# indicator set come from the file. It is NOT Decree 351/2025's (whose list is not at hand).
TEST_STANDARD = textwrap.dedent("""\
    id = "test_standard"
    title_en = "A made-up standard for tests"
    document = "none: test only"
    first_year = 2027
    last_year = 2030
    deprivation_cutoff = 2
    [areas.rural]
    poor_line = 2200000
    middle_line = 3300000
    [areas.urban]
    poor_line = 2800000
    middle_line = 4200000
""") + "".join(textwrap.dedent(f"""\
    [[indicators]]
    indicator = {j}
    column = "d{j}"
    name_vi = "Chỉ số {j}"
    name_en = "Indicator {j}"
    dimension_vi = "Chiều {(j + 1) // 2}"
    dimension_en = "Dimension {(j + 1) // 2}"
    """) for j in range(1, 5))


@pytest.fixture
def test_standard(tmp_path):
    path = tmp_path / "test_standard.toml"
    path.write_text(TEST_STANDARD, encoding="utf-8")
    return load_standard(path)


def households(area: str, incomes: list[float], deprived: list[int]) -> pd.DataFrame:
    """Records with given incomes, each deprived in the first ``deprived[i]`` indicators."""
    return pd.DataFrame({
        "household_id": [f"H{i}" for i in range(len(incomes))],
        "unit": ["Thanh An"] * len(incomes),
        "area": [area] * len(incomes),
        "income_per_person": [float(x) for x in incomes],
        **{f"d{j}": [int(j <= k) for k in deprived] for j in range(1, 13)},
    })


# --- the standard ----------------------------------------------------------------------------

def test_decree_07_as_shipped():
    std = load_standard()
    assert std.id == "decree_07_2021" and std.deprivation_cutoff == 3
    assert std.areas.to_dict("index") == {
        "rural": {"poor_line": 1_500_000, "middle_line": 2_250_000, "poor_score": 140},
        "urban": {"poor_line": 2_000_000, "middle_line": 3_000_000, "poor_score": 175}}
    assert std.points_per_deprivation == 10 and "02/2022/TT-BLĐTBXH" in std.scoring_document
    # the years it identifies households for: 2022 (the end-2021 review) to 2026 (the end-2025 review)
    assert [std.applies_to(y) for y in (2021, 2022, 2025, 2026, 2027)] == [False, True, True, True, False]


def test_decree_07_indicators_match_the_project_register():
    std, register = load_standard(), camlo.indicators()
    columns = ["indicator", "name_vi", "name_en", "dimension_vi", "dimension_en"]
    pd.testing.assert_frame_equal(std.indicators[columns], register[columns])
    assert std.indicator_columns == [f"d{j}" for j in range(1, 13)]


def test_cutoff_agrees_with_the_audit_constant():
    from camlo.consistency.checks import MIN_DEPRIVATIONS

    assert load_standard().deprivation_cutoff == MIN_DEPRIVATIONS


def test_standard_for_a_year():
    assert standard_for(2022).id == "decree_07_2021"
    assert standard_for(2027).id == standard_for(2030).id == "decree_351_2025"
    with pytest.raises(DataError, match="expected one standard for households identified for 2031, found none"):
        standard_for(2031)


def test_standard_for_picks_a_second_standard_by_year(tmp_path):
    (tmp_path / "test_standard.toml").write_text(TEST_STANDARD, encoding="utf-8")
    (tmp_path / "decree_07_2021.toml").write_bytes((STANDARDS / "decree_07_2021.toml").read_bytes())
    assert standard_for(2029, tmp_path).id == "test_standard"
    assert standard_for(2023, tmp_path).id == "decree_07_2021"


@pytest.mark.parametrize("old, new, column", [
    ("deprivation_cutoff = 2", "deprivation_cutoff = 9", "deprivation_cutoff"),
    ("poor_line = 2200000", "poor_line = 3400000", "middle_line"),
    ("poor_line = 2200000", 'poor_line = "2,2 triệu"', "poor_line"),
    ("indicator = 3", "indicator = 4", "indicator"),
    ('column = "d4"', 'column = "d3"', "column"),
    ('id = "test_standard"', 'id = "other"', "id"),
    ("first_year = 2027", "", "first_year"),
])
def test_bad_standard_file(tmp_path, old, new, column):
    path = tmp_path / "test_standard.toml"
    path.write_text(TEST_STANDARD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_standard(path)
    assert caught.value.column == column and caught.value.file == path.name


# --- classify: every boundary, both areas ------------------------------------------------------

@pytest.mark.parametrize("area, poor_line, middle_line", [("rural", 1_500_000, 2_250_000),
                                                          ("urban", 2_000_000, 3_000_000)])
def test_income_lines_are_inclusive(area, poor_line, middle_line):
    incomes = [0, poor_line - 1, poor_line, poor_line + 1, poor_line + 0.5 - 0.4,
               middle_line - 1, middle_line, middle_line + 1, middle_line + 0.01]
    result = camlo.classify(households(area, incomes, [3] * len(incomes)), STANDARD)
    assert result["status"].tolist() == ["poor", "poor", "poor", "middle", "middle",
                                         "middle", "middle", "above_middle", "above_middle"]


@pytest.mark.parametrize("area, poor_line", [("rural", 1_500_000), ("urban", 2_000_000)])
def test_deprivation_cutoff_is_inclusive(area, poor_line):
    deprived = list(range(13))
    result = camlo.classify(households(area, [poor_line] * 13, deprived), STANDARD)
    assert result["deprivations"].tolist() == deprived
    assert result["status"].tolist() == ["near_poor"] * 3 + ["poor"] * 10
    above = camlo.classify(households(area, [poor_line + 1] * 13, deprived), STANDARD)
    assert set(above["status"]) == {"middle"}  # deprivations only matter at or below the poor line


def test_urban_lines_apply_to_urban_households_only():
    result = camlo.classify(pd.concat([households("rural", [1_800_000], [5]), households("urban", [1_800_000], [5])]), STANDARD)
    assert result["status"].tolist() == ["middle", "poor"]


def test_classify_keeps_the_records_and_adds_two_columns():
    records = camlo.load_records()
    result = camlo.classify(records, STANDARD)
    assert list(result.columns) == [*records.columns, "deprivations", "status"]
    assert "status" not in records  # the caller's frame is not changed
    assert result["status"].cat.categories.tolist() == ["poor", "near_poor", "middle", "above_middle"]


def test_a_second_standard_changes_lines_cutoff_and_indicators(test_standard):
    # income 2,000,000 rural: above Decree 07's line, under the test standard's 2,200,000
    frame = households("rural", [2_000_000, 2_000_000, 2_200_001], [2, 12, 2])
    assert camlo.classify(frame, STANDARD)["status"].tolist() == ["middle", "middle", "middle"]
    result = camlo.classify(frame, test_standard)
    assert result["deprivations"].tolist() == [2, 4, 2]  # only d1–d4 count
    assert result["status"].tolist() == ["poor", "poor", "middle"]
    urban = camlo.classify(households("urban", [2_800_000, 2_800_000], [1, 2]), test_standard)
    assert urban["status"].tolist() == ["near_poor", "poor"]


def test_an_area_the_standard_lacks(test_standard):
    with pytest.raises(DataError, match="income lines for rural, urban only"):
        camlo.classify(households("mountain", [1], [3]), STANDARD)


def test_records_without_the_standards_columns(test_standard):
    with pytest.raises(DataError, match="lack the column"):
        camlo.classify(households("rural", [1], [3]).drop(columns=["d2"]), test_standard)


# --- audit_records ---------------------------------------------------------------------------

def test_audit_records_lists_each_disagreement_with_its_reason():
    frame = households("rural", [1_000_000, 1_000_000, 1_000_000, 1_600_000, 1_400_000, 1_400_000],
                       [3, 2, 1, 5, 4, 0])
    frame["status_recorded"] = ["poor", "poor", "near_poor", "poor", None, "near_poor"]
    found = camlo.audit_records(frame, STANDARD)
    assert found["household_id"].tolist() == ["H1", "H3", "H4"]
    assert found["status"].tolist() == ["near_poor", "middle", "poor"]
    assert found["deprivations"].tolist() == [2, 5, 4]
    assert "fewer than the standard's 3" in found["finding"].iloc[0]
    assert "income above the poor line" in found["finding"].iloc[1]
    assert found["finding"].iloc[2].startswith("recorded not poor or near-poor")


def test_audit_records_without_a_recorded_status_is_empty():
    found = camlo.audit_records(households("rural", [1], [3]), STANDARD)
    assert found.empty and "finding" in found


# --- review scores (Circular 07/2021/TT-BLĐTBXH) -----------------------------------------------

def scored(area: str, scores: list[float], deprivation_scores: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"household_id": [f"H{i}" for i in range(len(scores))], "unit": ["Thanh An"] * len(scores),
                         "area": [area] * len(scores), "income_score": [float(s) for s in scores],
                         "deprivation_score": [float(b) for b in deprivation_scores]})


@pytest.mark.parametrize("area, poor_score", [("rural", 140), ("urban", 175)])
def test_income_score_at_each_threshold(area, poor_score):
    result = camlo.classify(scored(area, [0, poor_score - 1, poor_score, poor_score, poor_score + 1],
                                   [120, 30, 30, 20, 120]), STANDARD)
    assert result["status"].tolist() == ["poor", "poor", "poor", "near_poor", "above_poor_line"]
    assert result["deprivations"].tolist() == [12, 3, 3, 2, 12]
    assert set(result["basis"]) == {"income_score"} and result.attrs["standard"] == "decree_07_2021"


def test_the_rural_score_is_not_the_urban_one():
    result = camlo.classify(pd.concat([scored("rural", [150], [40]), scored("urban", [150], [40])]), STANDARD)
    assert result["status"].tolist() == ["above_poor_line", "poor"]


def test_flags_and_scores_together_are_checked():
    frame = households("rural", [1_000_000, 1_000_000], [3, 2]).assign(deprivation_score=[30.0, 20.0])
    assert camlo.classify(frame, STANDARD)["status"].tolist() == ["poor", "near_poor"]
    with pytest.raises(DataError, match="differs from the flags") as caught:
        camlo.classify(frame.assign(deprivation_score=[30.0, 30.0]), STANDARD)
    assert (caught.value.row, caught.value.column) == ("record 2", "deprivation_score")


def test_incomes_and_scores_in_one_file_each_household_by_what_it_has():
    frame = households("urban", [2_000_000, 0], [3, 3]).assign(income_score=[None, 176.0])
    frame.loc[1, "income_per_person"] = float("nan")
    result = camlo.classify(frame, STANDARD)
    assert result[["status", "basis"]].values.tolist() == [["poor", "income"], ["above_poor_line", "income_score"]]


def test_a_deprivation_score_that_is_no_whole_number_of_indicators_is_refused():
    with pytest.raises(DataError, match="multiple of 10") as caught:
        camlo.classify(scored("rural", [100], [35]), STANDARD)
    assert caught.value.column == "deprivation_score"


def test_excluded_households_are_counted_never_poor():
    frame = households("rural", [1_000_000, 0, 0], [3, 0, 0]).assign(excluded=[0, 1, 1])
    frame.loc[1:, "income_per_person"] = float("nan")
    result = camlo.classify(frame, STANDARD)
    assert result[["status", "basis", "deprivations"]].values.tolist() == [
        ["poor", "income", 3], ["excluded", "excluded", 0], ["excluded", "excluded", 0]]


# --- Decree 351/2025/NĐ-CP: what is known ------------------------------------------------------

DECREE_351 = STANDARDS / "decree_351_2025.toml"


def test_decree_351_confirmed_parts():
    std = load_standard(DECREE_351)
    assert (std.first_year, std.last_year, std.deprivation_cutoff) == (2027, 2030, 3)
    assert std.areas["poor_line"].to_dict() == {"rural": 2_200_000, "urban": 2_800_000}
    assert not std.indicators_confirmed and std.indicators.empty and not std.has_scores
    assert "internet" in std.indicators_known["added"]


def test_decree_351_refuses_to_classify_without_an_indicator_set():
    with pytest.raises(DataError, match="not confirmed") as caught:
        camlo.classify(households("rural", [2_000_000], [3]), load_standard(DECREE_351))
    assert "stand-in" in str(caught.value) and caught.value.file == "decree_351_2025.toml"


@pytest.mark.parametrize("area, line", [("rural", 2_200_000), ("urban", 2_800_000)])
def test_decree_351_with_a_stand_in_indicator_set(area, line):
    result = camlo.classify(households(area, [line, line, line + 1, 1_000_000], [3, 2, 12, 0]),
                            load_standard(DECREE_351), stand_in=STANDARD)
    assert result["status"].tolist() == ["poor", "near_poor", "above_poor_line", "near_poor"]
    assert result.attrs["standard"] == "decree_351_2025 with decree_07_2021's indicators as a stand-in"


def test_decree_351_is_one_edit_away_from_complete(tmp_path):
    text = DECREE_351.read_text(encoding="utf-8").replace("indicators_confirmed = false", "indicators_confirmed = true")
    path = tmp_path / "decree_351_2025.toml"
    path.write_text(text + "".join(TEST_STANDARD.partition("[[indicators]]")[1:]), encoding="utf-8")
    std = load_standard(path)
    assert std.indicators_confirmed and len(std.indicators) == 4
    assert camlo.classify(households("rural", [2_200_000], [3]), std)["status"].tolist() == ["poor"]


def test_an_unconfirmed_list_with_indicators_is_refused(tmp_path):
    path = tmp_path / "decree_351_2025.toml"
    path.write_text(DECREE_351.read_text(encoding="utf-8") + "".join(TEST_STANDARD.partition("[[indicators]]")[1:]),
                    encoding="utf-8")
    with pytest.raises(DataError, match="indicators_confirmed = false") as caught:
        load_standard(path)
    assert caught.value.column == "indicators_confirmed"


@pytest.mark.parametrize("path", sorted(STANDARDS.glob("*.toml")), ids=lambda p: p.name)
def test_every_standard_has_a_sidecar_with_its_sources(path):
    from camlo.clean.provenance import REQUIRED_KEYS, read_sidecar, sha256

    record = read_sidecar(path)
    assert all(record[key] for key in REQUIRED_KEYS) and record["sha256"] == sha256(path)
    assert record["facts"] and all(fact["fact"] and fact["source"] for fact in record["facts"])
