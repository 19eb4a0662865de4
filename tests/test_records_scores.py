"""Records with review scores and households the quick identification excluded: load and classify."""

from __future__ import annotations

import pandas as pd
import pytest

import camlo
from records_helpers import write_frame
from camlo import DataError
from shipped_tables import STANDARD

FLAGS = [f"d{j}" for j in range(1, 13)]


def frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"household_id": [f"H{i}" for i in range(n)], "unit": ["Thanh An"] * (n - 1) + ["TT Cam Lộ"],
            "members": [3] * n, **{f: [0] * n for f in FLAGS}, "ethnic_minority": [0] * n, "btxh": [0] * n}
    return pd.DataFrame({**base, **columns})


def write(table: pd.DataFrame, path, suffix: str):
    return write_frame(table, path / f"records.{suffix}")


SUFFIXES = ["csv", "xlsx", "parquet"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_records_with_scores_only(tmp_path, suffix):
    table = frame(income_score=[140.0, 141.0, 175.0], deprivation_score=[30, 30, 20])
    table.loc[0, ["d1", "d2", "d3"]] = 1
    table.loc[1, ["d1", "d2", "d3"]] = 1
    table.loc[2, ["d1", "d2"]] = 1
    records = camlo.load_records(write(table, tmp_path, suffix))
    assert records["income_per_person"].isna().all() and records["income_score"].tolist() == [140, 141, 175]
    assert str(records["deprivation_score"].dtype) == "Int64"
    result = camlo.classify(records, STANDARD)
    assert result["status"].tolist() == ["poor", "above_poor_line", "near_poor"]  # the last is urban: 175
    assert result["basis"].tolist() == ["income_score"] * 3


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_excluded_households_load_blank(tmp_path, suffix):
    table = frame(income_per_person=[1_000_000.0, None, 1_200_000.0], excluded=[0, 1, 0])
    table[FLAGS] = table[FLAGS].astype(object)
    table.loc[1, FLAGS] = None
    records = camlo.load_records(write(table, tmp_path, suffix))
    assert records["excluded"].tolist() == [0, 1, 0] and records.loc[1, FLAGS].sum() == 0
    assert pd.isna(records.loc[1, "income_per_person"])
    assert camlo.classify(records, STANDARD)["status"].tolist() == ["near_poor", "excluded", "near_poor"]


def test_a_file_without_incomes_or_scores_is_refused_at_its_header(tmp_path):
    with pytest.raises(DataError, match="income_score") as caught:
        camlo.load_records(write(frame(members=[1, 2]), tmp_path, "csv"))
    assert (caught.value.row, caught.value.column) == ("header", "income_per_person")


BAD = [
    (dict(income_score=[140.0, None], income_per_person=[None, None]), "income_per_person", "line 3"),
    (dict(income_score=[140.0, 5_000_000.0]), "income_score", "line 3"),
    (dict(income_score=[140.0, 100.0], deprivation_score=["30", "35.5"]), "deprivation_score", "line 3"),
    (dict(income_per_person=[1e6, 1e6], excluded=[0, 1]), "income_per_person", "line 3"),
    (dict(income_score=[140.0, 120.0], excluded=[0, 1]), "income_score", "line 3"),
    (dict(income_per_person=[1e6, 1e6], excluded=[0, 2]), "excluded", "line 3"),
    (dict(income_per_person=[1e6, 1e6], deprivation_score=[0, None]), "deprivation_score", "line 3"),
]


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("columns, column, row", BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_bad_score_and_exclusion_cells_name_line_and_column(tmp_path, suffix, columns, column, row):
    table = frame(**columns)
    with pytest.raises(DataError) as caught:
        camlo.load_records(write(table, tmp_path, suffix))
    word = {"csv": "line", "xlsx": "row", "parquet": "record"}[suffix]
    expected = row.replace("line", word) if suffix != "parquet" else f"record {int(row.split()[1]) - 1}"
    assert (caught.value.row, caught.value.column) == (expected, column)
    assert "5000000" not in str(caught.value)


def test_an_excluded_household_with_a_deprivation_is_refused(tmp_path):
    table = frame(income_per_person=[1e6, None], excluded=[0, 1])
    table.loc[1, "d4"] = 1
    with pytest.raises(DataError, match="excluded") as caught:
        camlo.load_records(write(table, tmp_path, "csv"))
    assert (caught.value.row, caught.value.column) == ("line 3", "d4")


def test_an_ethnic_minority_flag_is_never_blank_even_for_an_excluded_household(tmp_path):
    table = frame(income_per_person=[1e6, None], excluded=[0, 1]).astype({"ethnic_minority": object})
    table.loc[1, "ethnic_minority"] = None
    with pytest.raises(DataError) as caught:
        camlo.load_records(write(table, tmp_path, "csv"))
    assert caught.value.column == "ethnic_minority"


def test_vietnamese_headers_for_the_new_columns(tmp_path):
    table = frame(income_score=[130.0, 170.0], deprivation_score=[30, 0], excluded=[0, 0]).rename(
        columns={"income_score": "Điểm thu nhập", "deprivation_score": "Điểm thiếu hụt",
                 "excluded": "Loại khi nhận diện nhanh"})
    table.loc[0, ["d1", "d2", "d3"]] = 1
    records = camlo.load_records(write(table, tmp_path, "csv"))
    assert camlo.classify(records, STANDARD)["status"].tolist() == ["poor", "near_poor"]
