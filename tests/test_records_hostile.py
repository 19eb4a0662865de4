"""Household records as offices produce them: workbooks with merged cells, formulas, hidden sheets
and wrong dimensions; incomes in another unit; implausible members; totals rows; junk, pipes and
devices; and personal data, the household's code included, that must never reach a message.

Each case is read correctly or refused with a DataError naming the file, the place (a line, a
sheet row or a cell, never a household's code) and what is wrong.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import openpyxl
import pandas as pd
import pytest

import camlo
from records_helpers import check_refusal, write_frame
from camlo import DataError
from camlo.clean.records import (
    FIRST_CHUNK_ROWS,
    MAX_MEMBERS,
    MAX_RECORDS_XLSX_BYTES,
    SYNTHETIC_RECORDS,
    DroppedColumnsWarning,
)
from camlo.measures.patterns import deprivation_flags, official_status
from camlo.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The first 12 synthetic records as text."""
    return pd.read_csv(SYNTHETIC_RECORDS, dtype=str, keep_default_na=False, nrows=12)


def refused(path, *, row=None, column=None, says: str) -> DataError:
    with pytest.raises(DataError) as caught:
        camlo.load_records(path)
    check_refusal(caught.value, path, row=row, column=column, says=says)
    return caught.value


def numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its numeric columns as numbers, as a workbook stores them."""
    return frame.astype({"members": "int64", "income_per_person": "int64", **{f"d{j}": "int64" for j in range(1, 13)},
                         "ethnic_minority": "int64", "btxh": "int64"})


def workbook(frame: pd.DataFrame, path, sheet: str = "records") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        book.active.append(list(row))
    return book


# --- workbooks -------------------------------------------------------------------------------------


def test_merged_status_cells_are_read_as_the_merged_value(sample, tmp_path):
    frame = numbers(sample)
    frame["status_recorded"] = ["poor"] * 4 + [""] * 8
    expected = camlo.load_records(_saved(workbook(frame, None), tmp_path / "plain.xlsx"))
    book = workbook(frame, None)
    column = list(frame.columns).index("status_recorded") + 1
    for row in range(3, 6):  # Excel keeps the value of a merged range in its first cell only
        book.active.cell(row=row, column=column).value = None
    book.active.merge_cells(start_row=2, start_column=column, end_row=5, end_column=column)
    records = camlo.load_records(_saved(book, tmp_path / "merged.xlsx"))
    assert (records["status_recorded"] == "poor").sum() == 4
    pd.testing.assert_frame_equal(records, expected)


def test_a_formula_without_a_saved_value_is_refused_naming_its_cell(sample, tmp_path):
    book = workbook(numbers(sample), None)
    column = list(sample.columns).index("d4") + 1
    book.active.cell(row=6, column=column).value = "=1-0"  # written by a program: no cached value
    letter = openpyxl.utils.get_column_letter(column)
    refused(_saved(book, tmp_path / "formulas.xlsx"), row=f"cell {letter}6", says="formula whose value")


def test_an_xlsx_whose_stored_dimension_is_too_small_is_read_whole(sample, tmp_path):
    path = _saved(workbook(numbers(sample), None), tmp_path / "dimension.xlsx")
    def smaller(xml: bytes) -> bytes:
        assert b'<dimension ref="A1:T13" />' in xml
        return xml.replace(b'<dimension ref="A1:T13" />', b'<dimension ref="A1:T5" />')

    _rewrite_sheet(path, smaller)
    assert len(camlo.load_records(path)) == len(sample) == 12


def test_a_hidden_records_sheet_is_never_read_unseen(sample, tmp_path):
    book = workbook(numbers(sample), None, sheet="records")
    book.active.sheet_state = "hidden"
    visible = book.create_sheet("Sheet1")
    visible.append(["notes"])
    refused(_saved(book, tmp_path / "hidden.xlsx"), row="sheet", says="is hidden")
    book = workbook(numbers(sample), None, sheet="records")
    other = book.create_sheet("Danh sách hộ")
    other.append(list(sample.columns))
    refused(_saved(book, tmp_path / "two.xlsx"), row="sheet", says="two sheets may hold the records")


def test_a_workbook_over_the_size_limit_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(MAX_RECORDS_XLSX_BYTES + 1)  # sparse: written in no time
    refused(path, says=f"at most {MAX_RECORDS_XLSX_BYTES:,} bytes")


def test_junk_rows_in_a_workbook_are_refused_from_the_first_rows(sample, tmp_path, monkeypatch):
    frame = numbers(pd.concat([sample] * 300, ignore_index=True))
    frame["household_id"] = [f"H{i:05d}" for i in range(len(frame))]
    book = workbook(frame, None)
    book.active.cell(row=3, column=5).value = "junk"
    path = _saved(book, tmp_path / "junk.xlsx")
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    read = []
    rows = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in rows(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    refused(path, row="row 3", says="expected")
    assert len(read) <= FIRST_CHUNK_ROWS + 2 < len(frame)


def _saved(book: openpyxl.Workbook, path):
    book.save(path)
    return path


def _rewrite_sheet(path, change) -> None:
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


# --- plausibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "says"), [
    ("912345678", f"expected at most {MAX_MEMBERS}"),    # a phone number
    (str(MAX_MEMBERS + 1), f"expected at most {MAX_MEMBERS}"),
])
def test_implausible_members_are_refused(sample, tmp_path, value, says):
    frame = sample.copy()
    frame.loc[3, "members"] = value
    frame.to_csv(tmp_path / "r.csv", index=False)
    err = refused(tmp_path / "r.csv", row="line 5", column="members", says=says)
    assert value not in str(err)


def test_a_phone_number_as_an_income_is_refused(sample, tmp_path):
    frame = sample.copy()
    frame.loc[3, "income_per_person"] = "912345678"
    frame.to_csv(tmp_path / "r.csv", index=False)
    err = refused(tmp_path / "r.csv", row="line 5", column="income_per_person", says="VND per person per month")
    assert "912345678" not in str(err) and "912,345,678" not in str(err)


@pytest.mark.parametrize(("divisor", "unit"), [(1_000, "thousands of VND"), (1_000_000, "millions of VND")])
def test_incomes_in_another_unit_are_refused_naming_the_unit(sample, tmp_path, divisor, unit):
    frame = sample.copy()
    # as an office types them: 1850 (thousands), 1.85 (millions, two decimals)
    frame["income_per_person"] = (sample["income_per_person"].astype(float) / divisor).map(lambda v: f"{v:.2f}")
    frame.to_csv(tmp_path / "r.csv", index=False)
    refused(tmp_path / "r.csv", column="income_per_person", says=f"seem to be in {unit}")


def test_an_income_in_the_plans_dotted_style_is_refused(sample, tmp_path):
    frame = sample.copy()
    frame.loc[2, "income_per_person"] = "988.000"
    frame.to_csv(tmp_path / "r.csv", index=False)
    refused(tmp_path / "r.csv", row="line 4", column="income_per_person", says="dots for thousands")


@pytest.mark.parametrize("label", ["Tổng cộng", "Tổng", "TOTAL", "Cộng:"])
@pytest.mark.parametrize("column", ["household_id", "unit"])
def test_a_totals_row_is_called_what_it_is(sample, tmp_path, label, column):
    frame = sample.copy()
    total = {name: "" for name in frame.columns}
    total.update(members=str(sample["members"].astype(int).sum()), **{column: label})
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame.to_csv(tmp_path / "r.csv", index=False)
    refused(tmp_path / "r.csv", row=f"line {len(frame) + 1}", column=column, says="a totals row")


# --- CSV -------------------------------------------------------------------------------------------


def test_line_numbers_count_a_quoted_cell_that_spans_lines(sample, tmp_path):
    frame = sample.copy()
    frame.insert(0, "Ghi chú", "")
    frame.loc[1, "Ghi chú"] = "two\nlines"
    frame.loc[5, "d3"] = "7"
    frame.to_csv(tmp_path / "r.csv", index=False, lineterminator="\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedColumnsWarning)
        refused(tmp_path / "r.csv", row="line 8", column="d3", says="expected 0 or 1")  # record 6, line 8


# The peak memory of the process is its VmHWM (ru_maxrss would keep the peak of the forked
# test process, which exec does not reset).
JUNK_RUN = """
import re, sys, time
import camlo
start = time.monotonic()
try:
    camlo.load_records(sys.argv[1])
except camlo.DataError as err:
    with open("/proc/self/status") as status:
        peak = re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)
    print(time.monotonic() - start, peak, err.row, sep="\\n")
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to measure memory")
def test_a_large_junk_csv_is_refused_in_seconds_with_bounded_memory(sample, tmp_path):
    path = tmp_path / "junk.csv"
    header = ",".join(sample.columns) + "\n"
    junk = ("x" * 60 + "," * (len(sample.columns) - 1) + "\n").encode()
    with path.open("wb") as handle:
        handle.write(header.encode())
        block = junk * 100_000
        while handle.tell() < 150_000_000:
            handle.write(block)
    done = subprocess.run([sys.executable, "-c", JUNK_RUN, str(path)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=300)
    seconds, peak_kib, row = done.stdout.split("\n")[:3]
    assert row == "line 2", done.stdout
    assert float(seconds) < 5, seconds
    assert int(peak_kib) < 600_000, peak_kib  # well below the file's size in memory (150 MB of text)


# --- personal data: the household's code included --------------------------------------------------

#: A distinctive value in every column of a records file; each must stay out of every message.
DISTINCT = {
    "household_id": "HH-045198001234-Lê-Thị-Mận",
    "members": "7", "income_per_person": "1234567",
    "Họ và tên chủ hộ": "Lê Thị Mận", "Số CCCD": "045198009876", "Số điện thoại": "0912777333",
    "Ghi chú: bà Mận nợ 3 triệu": "nợ ngân hàng",  # a note typed into a header
}
SECRETS = ["045198001234", "Lê-Thị-Mận", "Lê Thị Mận", "045198009876", "0912777333", "1234567", "Mận",
           "nợ ngân hàng"]


def personal_records(sample: pd.DataFrame) -> pd.DataFrame:
    frame = sample.copy()
    frame["household_id"] = [f"{DISTINCT['household_id']}-{i}" for i in range(len(frame))]
    frame.loc[0, ["members", "income_per_person"]] = [DISTINCT["members"], DISTINCT["income_per_person"]]
    for column in ("Họ và tên chủ hộ", "Số CCCD", "Số điện thoại", "Ghi chú: bà Mận nợ 3 triệu"):
        frame.insert(0, column, DISTINCT[column])
    return frame


BREAKS = [("members", "99"), ("members", "0"), ("income_per_person", "-1"), ("d2", "x"), ("unit", "nowhere"),
          ("area", "moon"), ("status_recorded", "rich"), ("btxh", "")]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_no_personal_value_reaches_a_message_or_warning(sample, tmp_path, suffix):
    frame = personal_records(sample)

    def write(table: pd.DataFrame, name: str):
        return write_frame(table, tmp_path / f"{name}.{suffix}")

    texts = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = camlo.load_records(write(frame, "ok"))
        classified = camlo.classify(records, camlo.load_standard())
        camlo.annex_tables(classified)
        camlo.audit_records(classified, camlo.load_standard())
        camlo.write_annex(classified, tmp_path / f"annex_{suffix}")
        duplicated = frame.copy()
        duplicated.loc[4, "household_id"] = duplicated.loc[1, "household_id"]
        for column, value in [*BREAKS, ("household_id", duplicated.loc[1, "household_id"])]:
            broken = frame.copy()
            broken.loc[2, column] = value
            if column == "household_id":
                broken = duplicated
            with pytest.raises(DataError) as err:
                camlo.load_records(write(broken, f"broken_{column}"))
            texts.append(str(err.value))
        steps = {"d3": lambda r: deprivation_flags(r, ["d3"]), "status": official_status,
                 "household_id": lambda r: camlo.transitions(r, classified),
                 "btxh": lambda r: camlo.transitions(r, classified)}
        for column, step in steps.items():  # the steps after the loader name a household by its place
            broken = classified.copy()
            broken[column] = broken[column].astype(object)
            broken.loc[2, column] = broken.loc[5, "household_id"] if column != "household_id" else None
            with pytest.raises(DataError) as err:
                step(broken)
            assert err.value.row == "record 3", err.value
            texts.append(str(err.value))
    texts += [str(w.message) for w in caught]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / f"annex_{suffix}").iterdir()]
    assert any("dropped 4 column(s)" in text for text in texts)
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, (secret, text)
