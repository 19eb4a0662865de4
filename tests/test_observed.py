"""load_observed: the shipped baseline, and a DataError naming file, row and column for bad input."""

from __future__ import annotations

import pytest

from camlo import DataError, load_headline, load_households
from camlo.clean.observed import OBSERVED, STEPS, load_observed, review_at_step, review_step

HEADER = "year,reference_point,commune,poor,near_poor,households\n"
BASE = "2022,start-of-year review,district,453,634,14905\n"


@pytest.fixture
def observed_file(write_table):
    """Write an observed file with the shipped header and the given body lines."""
    return lambda body, header=HEADER: write_table("observed.csv", header + body)


def test_shipped_file_is_the_plans_baseline():
    obs = load_observed()
    assert obs["step"].eq(0).all() and obs["year"].eq(2022).all()
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
    with pytest.raises(ValueError):
        review_at_step(5)


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
         "whole number"),
        ("2026,end-of-year review,district,400,,\n", "2026 end-of-year review / district", "year", "2022 to 2025"),
        ("2021,end-of-year review,district,400,,\n", "2021 end-of-year review / district", "year", "2022 to 2025"),
        ("2023,mid-year review,district,400,,\n", "2023 mid-year review / district", "reference_point",
         "expected one of"),
        ("2024,start-of-year review,district,400,,\n", "2024 start-of-year review / district",
         "reference_point", "end-of-year review of 2023"),
        ("2023,end-of-year review,district,400,300,600\n", "2023 end-of-year review / district", "households",
         "exceed households"),
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
                                               "near_poor", "households"]


def test_shipped_path_is_in_data_raw():
    assert OBSERVED.parent.name == "raw" and OBSERVED.name == "observed_reviews.csv"
