"""Household records: the loader reads every format, drops personal data, and fails precisely."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import camlo
from camlo import DataError
from camlo.clean.records import (
    SYNTHETIC_RECORDS,
    DroppedColumnsWarning,
    iter_records,
    record_dictionary,
)
from shipped_tables import STANDARD

VIETNAMESE = dict(zip(record_dictionary()["name"], record_dictionary()["header_vi"]))
#: Optional columns the shipped records do not carry (review scores, the quick identification).
SCORE_COLUMNS = ("income_score", "deprivation_score", "excluded")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The first 40 synthetic records as text, as a user's file would hold them."""
    return pd.read_csv(SYNTHETIC_RECORDS, dtype=str, keep_default_na=False, nrows=40)


@pytest.fixture
def write(tmp_path):
    """Write a frame of text cells as a UTF-8 CSV (or other format) and return the path."""

    def write(frame: pd.DataFrame, name: str = "records.csv") -> object:
        path = tmp_path / name
        if name.endswith(".csv"):
            frame.to_csv(path, index=False, lineterminator="\n")
        elif name.endswith(".xlsx"):
            frame.to_excel(path, index=False, sheet_name="records")
        else:
            frame.to_parquet(path, index=False)
        return path

    return write


def fails(path, *, row=None, column=None, says: str) -> DataError:
    """Assert that load_records(path) raises a DataError naming file, row and column."""
    with pytest.raises(DataError) as caught:
        camlo.load_records(path)
    err, text = caught.value, str(caught.value)
    assert err.file == path.name and path.name in text, text
    if row is not None:
        assert err.row == row, text
    if column is not None:
        assert err.column == column and column in text, text
    assert says in text, text
    return err


# --- reading -----------------------------------------------------------------------------------

def test_shipped_synthetic_records_load_with_their_types():
    records = camlo.load_records()
    assert len(records) == 14905 and records["household_id"].is_unique
    assert list(records.columns) == [n for n in record_dictionary()["name"] if n not in SCORE_COLUMNS]
    assert records["unit"].cat.categories.tolist() == camlo.load_units().iloc[:, 0].tolist()
    assert (records["unit"] == "Cam Tuyên").sum() == 1481  # written "Cam Tuyền", loaded as printed
    assert records["area"].astype(str).eq("urban").sum() == 2095
    assert records["members"].dtype == "int64" and records["income_per_person"].dtype == "float64"
    assert {records[f"d{j}"].dtype for j in range(1, 13)} == {pd.Series([0], dtype="int8").dtype}
    assert records["status_recorded"].value_counts().to_dict() == {"near_poor": 634, "poor": 453}


def test_vietnamese_headers_in_any_order_give_the_same_records(sample, write):
    english = camlo.load_records(write(sample))
    shuffled = sample[sample.columns[::-1]].rename(columns=VIETNAMESE)
    shuffled = shuffled.rename(columns={"Đơn vị": " ĐƠN VỊ "})  # case and spaces do not matter
    pd.testing.assert_frame_equal(camlo.load_records(write(shuffled, "vi.csv")), english)


def test_xlsx_and_parquet_give_the_same_records(sample, write):
    expected = camlo.load_records(write(sample))
    numbers = sample.astype({"members": "int64", "income_per_person": "int64",
                             **{f"d{j}": "int64" for j in range(1, 13)}})
    pd.testing.assert_frame_equal(camlo.load_records(write(numbers, "records.xlsx")), expected)
    pd.testing.assert_frame_equal(camlo.load_records(write(numbers, "records.parquet")), expected)


def test_vietnamese_values_and_optional_columns(sample, write):
    frame = sample.copy()
    frame["status_recorded"] = frame["status_recorded"].map({"poor": "Hộ nghèo", "near_poor": "hộ cận nghèo",
                                                             "": ""})
    frame["area"] = frame["area"].map({"rural": "nông thôn", "urban": "Thành thị"})
    records = camlo.load_records(write(frame))
    assert records["status_recorded"].equals(camlo.load_records(write(sample, "en.csv"))["status_recorded"])
    assert set(records["area"].astype(str)) == {"rural"}
    without = camlo.load_records(write(sample.drop(columns=["area", "status_recorded"]), "bare.csv"))
    assert "status_recorded" not in without and set(without["area"].astype(str)) == {"rural"}


def test_area_defaults_from_the_unit(sample, write):
    frame = sample.head(3).copy()
    frame["unit"] = ["TT Cam Lộ", "Thanh An", "cam tuyền"]
    frame["area"] = ["", "", "urban"]
    records = camlo.load_records(write(frame))
    assert records["area"].astype(str).tolist() == ["urban", "rural", "urban"]
    assert records["unit"].astype(str).tolist() == ["TT Cam Lộ", "Thanh An", "Cam Tuyên"]


def test_parquet_in_batches_equals_the_whole_file(write):
    records = pd.read_csv(SYNTHETIC_RECORDS, dtype={"household_id": str, "status_recorded": str})
    path = write(records, "all.parquet")
    batches = list(iter_records(path, batch_rows=4000))
    assert [len(b) for b in batches] == [4000, 4000, 4000, 2905]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), camlo.load_records(path))


def test_parquet_batches_check_household_ids_across_the_file(sample, write):
    frame = sample.copy()
    frame.loc[35, "household_id"] = frame.loc[2, "household_id"]
    path = write(frame, "dup.parquet")
    with pytest.raises(DataError, match="given twice, first at record 3") as caught:
        list(iter_records(path, batch_rows=10))
    assert caught.value.row == "record 36"  # by its place in the file, never by its code


def test_equal_hashes_of_different_ids_are_not_repeats(sample, write, monkeypatch):
    path = write(sample, "collide.parquet")
    constant = lambda ids, index=False: pd.Series(0, index=ids.index, dtype="uint64")  # noqa: E731
    monkeypatch.setattr(pd.util, "hash_pandas_object", constant)  # every identifier collides
    assert sum(len(batch) for batch in iter_records(path, batch_rows=7)) == len(sample)


# --- personal data -----------------------------------------------------------------------------

PERSONAL = {
    "Họ và tên chủ hộ": ["Nguyễn Văn Bình", "Trần Thị Hoa"],
    "Số CCCD": ["045198001234", "045199005678"],
    "Địa chỉ": ["Thôn Tân Hiếu, xã Cam Hiếu", "Khu phố 3, TT Cam Lộ"],
    "Số điện thoại": ["0912345678", "0987654321"],
}
SECRETS = [value for values in PERSONAL.values() for value in values]


def with_personal_columns(sample: pd.DataFrame) -> pd.DataFrame:
    frame = sample.head(2).copy()
    for position, (column, values) in enumerate(PERSONAL.items()):
        frame.insert(2 * position, column, values)
    return frame


def test_personal_columns_are_dropped_and_named_never_shown(sample, write):
    path = write(with_personal_columns(sample))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = camlo.load_records(path)
    messages = [str(w.message) for w in caught if issubclass(w.category, DroppedColumnsWarning)]
    assert len(messages) == 1
    assert all(column in messages[0] for column in PERSONAL)
    assert not any(secret in messages[0] for secret in SECRETS)
    assert list(records.columns) == [n for n in record_dictionary()["name"] if n not in SCORE_COLUMNS]


def test_personal_values_appear_in_no_output(sample, write, tmp_path):
    frame = pd.concat([with_personal_columns(sample), sample.iloc[2:]], ignore_index=True).fillna("")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = camlo.load_records(write(frame))
        classified = camlo.classify(records, STANDARD)
        tables = camlo.annex_tables(classified)
        audit = camlo.audit_records(classified, STANDARD)
        camlo.write_annex(classified, tmp_path / "annex")
    texts = [str(w.message) for w in caught]
    texts += [t.to_csv() for t in (records, classified, audit, tables.households, tables.deprivations,
                                   tables.near_poor, tables.headline)]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / "annex").iterdir()]
    for text in texts:
        assert not any(secret in text for secret in SECRETS)


@pytest.mark.filterwarnings("ignore::camlo.clean.records.DroppedColumnsWarning")
@pytest.mark.parametrize("column, value", [
    ("income_per_person", "+84 912 345 678"),   # a phone number in the wrong column
    ("unit", "Thôn Tân Hiếu, xã Cam Hiếu"),    # an address
    ("area", "Nguyễn Văn Bình"),               # a name
    ("d4", "045198001234"),                    # an ID-card number
    ("status_recorded", "Trần Thị Hoa"),
])
def test_errors_never_repeat_a_cell(sample, write, column, value):
    frame = with_personal_columns(sample)
    frame.loc[1, column] = value
    err = fails(write(frame), column=column, says="expected")
    assert not any(secret in str(err) for secret in [*SECRETS, value])
    assert err.row == "line 3"
    assert frame.loc[1, "household_id"] not in str(err)


# --- bad input: each fails with a DataError naming file, household and column ------------------

def test_missing_required_column(sample, write):
    fails(write(sample.drop(columns=["members"])), row="header", column="members",
          says="missing required column(s): members (Số nhân khẩu)")


@pytest.mark.parametrize("value, says", [("2", "got '2'"), ("x", "got text (not shown)"),
                                         ("", "got a blank cell"), ("1.5", "got '1.5'"), ("-1", "got '-1'")])
def test_flag_not_0_or_1(sample, write, value, says):
    frame = sample.copy()
    frame.loc[4, "d3"] = value
    fails(write(frame), row="line 6", column="d3",
          says=f"expected 0 or 1, {says}")


def test_flag_not_0_or_1_in_a_typed_file(sample, write):
    frame = sample.astype({"btxh": "int64"})
    frame.loc[7, "btxh"] = 2
    fails(write(frame, "typed.parquet"), row="record 8",
          column="btxh", says="expected 0 or 1, got '2'")


@pytest.mark.parametrize("value, says", [("-5000", "got a negative number"), ("abc", "got text (not shown)"),
                                         ("1.500.000", "no thousands separators"), ("", "got a blank cell")])
def test_income_negative_or_not_a_number(sample, write, value, says):
    frame = sample.copy()
    frame.loc[0, "income_per_person"] = value
    fails(write(frame), row="line 2", column="income_per_person",
          says=says)


@pytest.mark.parametrize("value, says", [("0", "of at least 1, got '0'"), ("2.5", "whole number"),
                                         ("-2", "negative")])
def test_members_below_one_or_not_whole(sample, write, value, says):
    frame = sample.copy()
    frame.loc[9, "members"] = value
    fails(write(frame), row="line 11", column="members", says=says)


def test_duplicated_household_id(sample, write):
    frame = sample.copy()
    frame.loc[20, "household_id"] = frame.loc[3, "household_id"]
    fails(write(frame), row="line 22", column="household_id",
          says="given twice, first at line 5")


def test_blank_household_id(sample, write):
    frame = sample.copy()
    frame.loc[6, "household_id"] = ""
    fails(write(frame), row="line 8", column="household_id", says="blank")


def test_unit_that_does_not_resolve(sample, write):
    """A unit's name is no personal data: shown, with the closest names (a name or address is not)."""
    frame = sample.copy()
    frame.loc[11, "unit"] = "Cam An"
    fails(write(frame), row="line 13", column="unit",
          says="one of the plan's 8 units; unknown unit 'Cam An'; closest known names: ")


@pytest.mark.parametrize("written", ["Cam Tuyền", "xã Cam Tuyền", "CAM TUYÊN", "19600", "019600"])
def test_every_spelling_and_code_of_a_unit_resolves(sample, write, written):
    frame = sample.head(2).copy()
    frame["unit"] = ["TT Cam Lộ", written]
    assert camlo.load_records(write(frame))["unit"].astype(str).tolist() == ["TT Cam Lộ", "Cam Tuyên"]


def test_a_reused_code_is_read_by_the_review_date(sample, write):
    """19603 is Thanh An until 30 June 2025, then xã Hiếu Giang (a commune formed that day)."""
    frame = sample.head(2).copy()
    frame["unit"] = ["19603", "19597"]
    path = write(frame)
    assert camlo.load_records(path)["unit"].astype(str).tolist() == ["Thanh An", "TT Cam Lộ"]
    assert camlo.load_records(path, date="2024-12-31")["unit"].astype(str).tolist() == ["Thanh An", "TT Cam Lộ"]
    later = camlo.load_records(path, date="2025-12-31")
    assert later["unit"].astype(str).tolist() == ["xã Hiếu Giang", "xã Cam Lộ"]
    assert later["unit"].cat.categories.tolist() == ["xã Cam Lộ", "xã Hiếu Giang"]


def test_a_file_names_the_plan_units_or_the_new_communes_not_both(sample, write):
    frame = sample.head(3).copy()
    frame["unit"] = ["xã Hiếu Giang", "xã Hiếu Giang", "Cam Thành"]
    with pytest.raises(DataError) as caught:
        camlo.load_records(write(frame), date="2025-12-31")
    assert (caught.value.row, caught.value.column) == ("line 4", "unit")
    assert "not both" in str(caught.value) and "'xã Hiếu Giang'" in str(caught.value)


def test_a_new_commune_before_it_existed_says_how_to_give_the_date(sample, write):
    frame = sample.head(2).copy()
    frame["unit"] = "xã Cam Lộ"
    frame["area"] = ""
    with pytest.raises(DataError) as caught:
        camlo.load_records(write(frame))
    assert "records_date" in str(caught.value) and "date=" in str(caught.value)
    assert camlo.load_records(write(frame), date="2025-12-31")["area"].astype(str).tolist() == ["rural", "rural"]


@pytest.mark.parametrize(("written", "says"), [
    ("xã Hiếu Giang", ("'xã Hiếu Giang' is xã Hiếu Giang ('xã Hiếu Giang', code 19603, from 2025-07-01), which did "
                       "not exist on 2022-02-18")),
    ("huyện Cam Lộ", "got the whole district"),
    ("Cam Lộ", "'Cam Lộ' names more than one unit on 2022-02-18"),
    ("45", "[not shown] is a province's code"),
    ("98765", "unknown unit code [not shown]"),
])
def test_a_record_naming_no_plan_unit_is_refused_without_repeating_the_cell(sample, write, written, says):
    frame = sample.head(3).copy()
    frame.loc[2, "unit"] = written
    err = fails(write(frame), row="line 4", column="unit", says=says)
    if written.isdigit():  # a name is in the register anyway; a code written in the cell is not repeated
        assert written not in str(err)


def test_area_other_than_urban_or_rural(sample, write):
    frame = sample.copy()
    frame.loc[12, "area"] = "suburban"
    fails(write(frame), row="line 14", column="area",
          says="expected urban or rural")


def test_status_other_than_poor_or_near_poor(sample, write):
    frame = sample.copy()
    frame.loc[13, "status_recorded"] = "middle"
    fails(write(frame), column="status_recorded", says="expected poor, near_poor")


@pytest.mark.parametrize("content", [b"", b"\n\n", "household_id,unit\n".encode()])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    fails(path, says="empty" if content.strip() == b"" else "missing required column")


def test_header_without_records(sample, write):
    fails(write(sample.head(0)), row="header", says="no households")


def test_csv_not_in_utf8(sample, tmp_path):  # e.g. saved as "CSV" (Windows-1252) by a spreadsheet
    path = tmp_path / "ansi.csv"
    path.write_bytes(sample.to_csv(index=False, lineterminator="\n").encode("utf-8")
                     + "S22-9-00001,Cam Chính,rural".encode("cp1252"))
    fails(path, row=f"line {len(sample) + 2}", says="not UTF-8")


def test_xlsx_without_the_expected_sheet(sample, tmp_path):
    """A workbook of several sheets, none named as the records' sheet, is refused, listing them."""
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        sample.to_excel(writer, index=False, sheet_name="Sheet1")
        sample.head(2).to_excel(writer, index=False, sheet_name="Sheet2")
    fails(path, row="sheet", says="2 sheets ('Sheet1', 'Sheet2') and none named 'records' or 'Danh sách hộ'")


def test_xlsx_sheet_named_in_vietnamese(sample, tmp_path):
    path = tmp_path / "book.xlsx"
    sample.to_excel(path, index=False, sheet_name="Danh sách hộ")
    assert len(camlo.load_records(path)) == len(sample)


def test_ragged_csv_row(sample, tmp_path):
    path = tmp_path / "ragged.csv"
    text = sample.to_csv(index=False, lineterminator="\n").splitlines()
    text[5] += ",extra"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    fails(path, row="line 6", says="cells like the header")


def test_column_given_twice(sample, write):
    frame = sample.assign(**{"Đơn vị": sample["unit"]})
    fails(write(frame), row="header", column="Đơn vị", says="given twice")


def test_unknown_file_type_and_missing_file(tmp_path):
    path = tmp_path / "records.txt"
    path.write_text("x", encoding="utf-8")
    fails(path, says="unknown file type '.txt'")
    fails(tmp_path / "none.csv", says="file not found")


def test_damaged_parquet(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    fails(path, says="not a readable Parquet file")


def test_a_member_count_too_large_for_a_number_is_refused_not_cast(tmp_path):
    """400 nines read as infinity; the loader must refuse them, not cast them to a garbage integer."""
    lines = SYNTHETIC_RECORDS.read_text(encoding="utf-8").splitlines()
    header, cells = lines[0].split(","), lines[1].split(",")
    cells[header.index("members")] = "9" * 400
    path = tmp_path / "records.csv"
    path.write_text("\n".join([lines[0], ",".join(cells)]) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(DataError, match="members.*too large"):
            camlo.load_records(path)
