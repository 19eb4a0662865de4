"""load_observed: the shipped baseline, and a DataError naming file, row and column for bad input."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from camlo import DataError, load_headline, load_households
from camlo.clean.observed import (
    OBSERVED,
    OBSERVED_DTTS,
    OUTPUT_COLUMNS,
    STEPS,
    load_observed,
    last_step,
    review_step,
)
from camlo.constants import review_at_step
from camlo.text.labels import review_label

HEADER = "year,reference_point,commune,poor,near_poor,households\n"
BASE = "2022,start-of-year review,district,453,634,14905\n"


@pytest.fixture
def observed_file(write_table):
    """Write an observed file with the shipped header and the given body lines."""
    return lambda body, header=HEADER: write_table("observed.csv", header + body)


def test_shipped_file_is_the_plans_baseline_and_the_public_end_2023_result():
    every = load_observed()
    obs = every[every["step"] == 0]
    assert obs["year"].eq(2022).all()
    units = obs[obs["unit"] != "district"].reset_index(drop=True)
    households = load_households()
    assert units["unit"].tolist() == households["unit"].tolist()
    assert units["poor"].tolist() == households["poor"].tolist()
    assert units["households"].astype("int64").tolist() == households["households"].tolist()
    assert units["near_poor"].isna().all()  # the plan prints near-poor for the district only
    district = obs[obs["unit"] == "district"].iloc[0]
    headline = load_headline().set_index("key")["count"]
    assert (district["poor"], district["near_poor"], district["households"]) == (
        headline["poor"], headline["near_poor"], headline["households"])
    assert (district["poor_dtts"], pd.isna(district["near_poor_dtts"])) == (headline["dtts_poor"], True)
    # VietnamNet, October 2024, recorded as the end-of-2023 review (its sidecar says why)
    later = every[every["step"] > 0]
    assert later[["year", "reference_point", "step", "unit", "poor", "near_poor", "poor_dtts",
                  "near_poor_dtts"]].values.tolist() == [
        [2023, "end-of-year review", 2, "district", 311, 429, 13, 39]]
    assert pd.isna(later["households"].iloc[0])  # the article prints rates, not households
    assert headline["poor"] - 311 == 142 and headline["near_poor"] - 429 == 205  # as the article says


def test_dtypes_and_order(observed_file):
    path = observed_file("2023,end-of-year review,district,400,,\n" + BASE
                         + "2023,end-of-year review,Cam Tuyên,90,50,1.500\n")
    obs = load_observed(path)
    assert obs[["year", "step", "unit"]].values.tolist() == [
        [2022, 0, "district"], [2023, 2, "Cam Tuyên"], [2023, 2, "district"]]
    assert str(obs["near_poor"].dtype) == "Int64" and str(obs["households"].dtype) == "Int64"
    assert obs["households"].iloc[1] == 1500  # a dot for thousands, as the plan prints counts
    assert obs["households"].isna().iloc[2]


def test_review_steps():
    assert [review_at_step(s) for s in range(STEPS + 1)] == [
        (2022, "start-of-year review"), (2022, "end-of-year review"), (2023, "end-of-year review"),
        (2024, "end-of-year review"), (2025, "end-of-year review")]
    assert all(review_step(*review_at_step(s)) == s for s in range(STEPS + 1))
    with pytest.raises(ValueError):
        review_step(2023, "mid-year review")
    assert review_at_step(5) == (2026, "end-of-year review")  # monitoring after the plan
    assert review_at_step(last_step()) == (2025, "end-of-year review")  # the last the plan's standard reads by default
    with pytest.raises(ValueError):
        review_at_step(-1)


@pytest.mark.parametrize(
    ("body", "row", "column", "message"),
    [
        ("2023,end-of-year review,district,abc,,\n", "2023 end-of-year review / district", "poor",
         "whole number"),
        ("2023,end-of-year review,district,-5,,\n", "2023 end-of-year review / district", "poor", "negative"),
        ("2023,end-of-year review,district,12.5,,\n", "2023 end-of-year review / district", "poor",
         "whole number"),
        ("2023,end-of-year review,district,,,\n", "2023 end-of-year review / district", "poor", "blank"),
        ("2023,end-of-year review,district,400,x,\n", "2023 end-of-year review / district", "near_poor",
         "whole number"),
        ("2023,end-of-year review,Cam Lo,40,,\n", "2023 end-of-year review / Cam Lo", "commune", "unknown unit"),
        ("2023,end-of-year review,,40,,\n", "line 3", "commune", "blank unit"),
        ("20x3,end-of-year review,district,400,,\n", "20x3 end-of-year review / district", "year",
         "expected a year"),
        ("2023.0,end-of-year review,district,400,,\n", "2023.0 end-of-year review / district", "year",
         "expected a year"),
        ("2.023,end-of-year review,district,400,,\n", "2.023 end-of-year review / district", "year",
         "expected a year"),
        ("2030,end-of-year review,district,400,,\n", "2030 end-of-year review / district", "year",
         "households for 2031, which no standard"),
        ("2021,end-of-year review,district,400,,\n", "2021 end-of-year review / district", "year",
         "from 2022 \\(the plan's baseline\\) to 2029"),
        ("2024,end-of-year review,xã Hiếu Giang,300,,\n", "2024 end-of-year review / xã Hiếu Giang", "commune",
         "did not exist on 2024-12-31"),
        ("2023,end-of-year review,district,400,300,\n2023,end-of-year review,district,400,300,\n",
         "2023 end-of-year review / district", "commune", "listed twice"),
        ("2023,end-of-year review,19600,90,,\n2023,end-of-year review,Cam Tuyền,90,,\n",
         "2023 end-of-year review / Cam Tuyên", "commune", "listed twice"),
        ("2023,mid-year review,district,400,,\n", "2023 mid-year review / district", "reference_point",
         "expected one of"),
        ("2024,start-of-year review,district,400,,\n", "2024 start-of-year review / district",
         "reference_point", "end-of-year review of 2023"),
        ("2023,end-of-year review,district,400,300,600\n", "2023 end-of-year review / district", "households",
         "exceed households"),
        ("2023,end-of-year review,district,0,,0\n", "2023 end-of-year review / district", "households",
         "0 households"),
        ("2022,start-of-year review,district,450,,\n", "2022 start-of-year review / district", "commune",
         "listed twice"),
        ("2023,end-of-year review,district,400,\n", "line 3", "households", "expected 6 cells"),
    ],
)
def test_bad_cells_name_file_row_and_column(observed_file, body, row, column, message):
    path = observed_file(BASE + body)
    with pytest.raises(DataError, match=message) as caught:
        load_observed(path)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("observed.csv", row, column)


def test_missing_column(observed_file):
    path = observed_file("2022,start-of-year review,district,453,14905\n",
                         header="year,reference_point,commune,poor,households\n")
    with pytest.raises(DataError, match="column missing") as caught:
        load_observed(path)
    assert (caught.value.row, caught.value.column) == ("header", "near_poor")


def test_extra_column(observed_file):
    path = observed_file(BASE.strip() + ",x\n", header=HEADER.strip() + ",source\n")
    with pytest.raises(DataError, match="unexpected column") as caught:
        load_observed(path)
    assert caught.value.column == "source"


def test_not_utf8(write_table):
    path = write_table("observed.csv", (HEADER + "2022,start-of-year review,Cam Chính,18,,1466\n").encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8") as caught:
        load_observed(path)
    assert caught.value.file == "observed.csv" and caught.value.row == "line 2"


def test_empty_file(write_table):
    with pytest.raises(DataError, match="empty") as caught:
        load_observed(write_table("observed.csv", ""))
    assert caught.value.file == "observed.csv"


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_observed(tmp_path / "nowhere.csv")


def test_header_only_gives_an_empty_table(observed_file):
    obs = load_observed(observed_file(""))
    assert obs.empty and list(obs.columns) == ["year", "reference_point", "step", "unit", "poor",
                                               "near_poor", "households", "poor_dtts", "near_poor_dtts",
                                               "identifies_for", "standard", "stated"]
    assert tuple(obs.columns) == OUTPUT_COLUMNS


def test_shipped_path_is_in_data_raw():
    assert OBSERVED.parent.name == "raw" and OBSERVED.name == "observed_reviews.csv"


# --- across the 2025 reorganisation, and after the plan ------------------------------------------------

def test_the_end_2025_review_by_new_commune(observed_file):
    body = BASE + ("2025,end-of-year review,xã Hiếu Giang,210,300,7600\n"
                   "2025,end-of-year review,19597,120,,\n"                # xã Cam Lộ by its code, on that date
                   "2025,end-of-year review,district,330,,\n")
    obs = load_observed(observed_file(body))
    assert obs.query("step == 4")[["unit", "poor"]].values.tolist() == [
        ["xã Cam Lộ", 120], ["xã Hiếu Giang", 210], ["district", 330]]


def test_a_former_unit_may_still_be_reported_after_the_reorganisation(observed_file):
    obs = load_observed(observed_file(BASE + "2025,end-of-year review,Cam Tuyền,40,,\n"
                                             "2025,end-of-year review,xã Cam Lộ,120,,\n"))
    assert obs.query("step == 4")["unit"].tolist() == ["Cam Tuyên", "xã Cam Lộ"]


@pytest.mark.parametrize("part", ["Cam Tuyên", "xã Cam Tuyền", "19600"])
def test_a_new_commune_and_one_of_its_former_units_in_one_review_is_refused(observed_file, part):
    body = BASE + f"2025,end-of-year review,xã Hiếu Giang,210,,\n2025,end-of-year review,{part},40,,\n"
    with pytest.raises(DataError, match="counted twice") as caught:
        load_observed(observed_file(body))
    err = caught.value
    assert (err.file, err.row, err.column) == ("observed.csv", "2025 end-of-year review / Cam Tuyên", "commune")
    assert "'xã Hiếu Giang' (line 3)" in str(err) and "'Cam Tuyên' (line 4)" in str(err)


def test_a_new_commune_and_its_former_units_in_different_reviews_are_fine(observed_file):
    body = BASE + "2024,end-of-year review,Cam Tuyên,60,,\n2025,end-of-year review,xã Hiếu Giang,210,,\n"
    assert load_observed(observed_file(body))["unit"].tolist() == ["district", "Cam Tuyên", "xã Hiếu Giang"]


def test_each_review_is_read_under_the_standard_of_the_year_it_identifies_households_for(observed_file):
    obs = load_observed(observed_file(BASE + "2025,end-of-year review,district,330,,\n"
                                      "2026,end-of-year review,district,300,,\n2027,end-of-year review,district,280,,\n"))
    assert obs[["year", "identifies_for", "standard", "stated"]].values.tolist() == [
        [2022, 2022, "decree_07_2021", False], [2025, 2026, "decree_07_2021", False],
        [2026, 2027, "decree_351_2025", False], [2027, 2028, "decree_351_2025", False]]
    assert obs["step"].tolist() == [0, STEPS, STEPS + 1, STEPS + 2]


def test_a_review_states_its_standard_where_the_default_reading_is_wrong(observed_file):
    header = HEADER.strip() + ",standard\n"
    body = (BASE.strip() + ",\n" + "2026,end-of-year review,district,300,,,decree_07_2021\n"
            "2026,end-of-year review,Thanh An,50,,,decree_07_2021\n")
    obs = load_observed(observed_file(body, header=header))
    assert obs[["standard", "stated"]].values.tolist() == [
        ["decree_07_2021", False], ["decree_07_2021", True], ["decree_07_2021", True]]


@pytest.mark.parametrize("rows, message", [
    ("2026,end-of-year review,district,300,,,decree_351\n", "expected a standard's id"),
    ("2026,end-of-year review,district,300,,,decree_07_2021\n2026,end-of-year review,Thanh An,50,,,\n",
     "one review, two standards"),
])
def test_a_bad_stated_standard_is_refused(observed_file, rows, message):
    with pytest.raises(DataError, match=message) as caught:
        load_observed(observed_file(BASE.strip() + ",\n" + rows, header=HEADER.strip() + ",standard\n"))
    assert caught.value.column == "standard" and caught.value.row.startswith("2026 end-of-year review")


# --- ethnic-minority households ------------------------------------------------------------------------

DTTS_HEADER = "year,reference_point,commune,poor_dtts,near_poor_dtts\n"


def test_dtts_columns_in_the_file_itself(observed_file):
    header = HEADER.strip() + ",near_poor_dtts,poor_dtts\n"  # any order
    obs = load_observed(observed_file(BASE.strip() + ",,42\n2023,end-of-year review,district,311,429,,39,13\n",
                                      header=header))
    assert obs[["poor_dtts", "near_poor_dtts"]].astype("float").fillna(-1).values.tolist() == [[42, -1], [13, 39]]
    assert str(obs["poor_dtts"].dtype) == "Int64"


def test_a_file_without_dtts_columns_and_no_dtts_file_has_them_missing(observed_file):
    obs = load_observed(observed_file(BASE))
    assert obs["poor_dtts"].isna().all() and obs["near_poor_dtts"].isna().all()


def test_the_dtts_file_completes_the_rows_it_names(observed_file, write_table):
    main = observed_file(BASE + "2023,end-of-year review,district,311,429,\n")
    dtts = write_table("dtts.csv", DTTS_HEADER + "2023,end-of-year review,huyện Cam Lộ,13,39\n")
    obs = load_observed(main, dtts)
    assert obs.set_index("step").loc[2, ["poor_dtts", "near_poor_dtts"]].tolist() == [13, 39]
    assert pd.isna(obs.set_index("step").loc[0, "poor_dtts"])


def test_the_shipped_dtts_file_is_read_with_the_shipped_file_only(observed_file):
    assert OBSERVED_DTTS.parent == OBSERVED.parent
    assert load_observed()["poor_dtts"].notna().sum() == 2
    assert load_observed(OBSERVED)["poor_dtts"].isna().all()  # a path given: its own columns only


@pytest.mark.parametrize(("main", "dtts", "file", "column", "says"), [
    ("", "2023,end-of-year review,district,13,39\n", "dtts.csv", "commune", "no row for this review and unit"),
    ("2023,end-of-year review,district,311,429,\n", "2023,end-of-year review,district,320,\n", "dtts.csv",
     "poor_dtts", "more ethnic-minority poor households (320) than poor households (311)"),
    ("2023,end-of-year review,district,311,429,\n", "2023,end-of-year review,district,,430\n", "dtts.csv",
     "near_poor_dtts", "than near-poor households (429)"),
    ("2023,end-of-year review,district,311,429,\n",
     "2023,end-of-year review,district,13,\n2023,end-of-year review,district,13,\n", "dtts.csv", "commune",
     "listed twice"),
    ("2023,end-of-year review,district,311,429,\n", "2023,end-of-year review,district,x,\n", "dtts.csv",
     "poor_dtts", "whole number"),
])
def test_bad_dtts_counts(observed_file, write_table, main, dtts, file, column, says):
    with pytest.raises(DataError, match=re.escape(says)) as caught:
        load_observed(observed_file(BASE + main), write_table("dtts.csv", DTTS_HEADER + dtts))
    assert (caught.value.file, caught.value.column) == (file, column)


def test_dtts_counts_given_twice_are_refused(observed_file, write_table):
    main = observed_file(BASE.strip() + ",\n2023,end-of-year review,district,311,429,,13\n",
                         header=HEADER.strip() + ",poor_dtts\n")
    with pytest.raises(DataError, match="given in both observed.csv") as caught:
        load_observed(main, write_table("dtts.csv", DTTS_HEADER + "2023,end-of-year review,district,13,\n"))
    assert caught.value.column == "poor_dtts"


def test_review_labels():
    assert [review_label(s) for s in range(5)] == [
        "Start 2022", "End 2022", "End 2023", "End 2024", "End 2025"]
    assert review_label(0, "vi") == "Đầu năm 2022"
