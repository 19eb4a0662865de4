"""Household records as offices keep them: a form's title rows above the header, a workbook's
one sheet whatever its name, flags ticked with a mark, incomes grouped with dots, an export's own
headers mapped to the format's columns; and messages that name columns as the file spells them
and a misspelt unit by its name.

Each case is read as the plain file is, or refused with a DataError naming the file, the place
and the keyword that would read it, never a household's code or a personal value.
"""

from __future__ import annotations

import warnings

import openpyxl
import pandas as pd
import pytest

import camlo
from records_helpers import check_refusal
from camlo import DataError
from camlo.clean.records import SYNTHETIC_RECORDS, record_dictionary

VIETNAMESE = dict(zip(record_dictionary()["name"], record_dictionary()["header_vi"]))
FLAGS = [*(f"d{j}" for j in range(1, 13)), "ethnic_minority", "btxh"]
#: Personal values an office's list carries; none may reach a message.
PERSONAL = {"Họ và tên chủ hộ": "Nguyễn Văn Bình", "Số CCCD": "045198001234", "Số điện thoại": "0912345678"}
#: The title rows of an official form (national motto, title, unit), above the header.
TITLES = [["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["Độc lập - Tự do - Hạnh phúc"],
          ["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2022"], ["Đơn vị: huyện Cam Lộ"]]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The first 12 synthetic records as text."""
    return pd.read_csv(SYNTHETIC_RECORDS, dtype=str, keep_default_na=False, nrows=12)


@pytest.fixture(scope="module")
def expected(sample, tmp_path_factory) -> pd.DataFrame:
    """The records the plain file gives."""
    path = tmp_path_factory.mktemp("plain") / "plain.csv"
    sample.to_csv(path, index=False)
    return camlo.load_records(path)


def office(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with Vietnamese headers and an office's personal columns first."""
    personal = pd.DataFrame({header: [value] * len(frame) for header, value in PERSONAL.items()})
    return pd.concat([personal, frame.rename(columns=VIETNAMESE)], axis=1)


def to_xlsx(frame: pd.DataFrame, path, *, titles=(), sheet: str = "Sheet1", others=()) -> object:
    """Write ``frame`` below ``titles`` (the first merged across the header's width) in one sheet,
    with empty sheets named ``others`` before it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in others:
        book.create_sheet(name).append(["ghi chú"])
    ws = book.create_sheet(sheet)
    for row in titles:
        ws.append(row)
    if titles:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(frame.columns))
        ws.append([])
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([int(v) if isinstance(v, str) and v.isdigit() and len(v) < 9 else v for v in row])
    book.save(path)
    return path


def to_csv(frame: pd.DataFrame, path, *, titles=()) -> object:
    width = len(frame.columns)
    lines = [",".join([row[0], *[""] * (width - 1)]) for row in titles] + [""] * bool(titles)
    path.write_text("\n".join(lines) + "\n" * bool(titles) + frame.to_csv(index=False, lineterminator="\n"),
                    encoding="utf-8")
    return path


def load(path, **keywords) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", camlo.clean.records.DroppedColumnsWarning)
        return camlo.load_records(path, **keywords)


def refused(path, frame: pd.DataFrame | None = None, *, row=None, column=None, says: str, **keywords) -> DataError:
    """Assert a DataError naming the file (and row, column) that says ``says`` and repeats no
    household code or personal value of ``frame``."""
    with pytest.raises(DataError) as caught:
        load(path, **keywords)
    err = caught.value
    text = check_refusal(err, path, row=row, column=column, says=says)
    for secret in PERSONAL.values():
        assert secret not in text, text
    if frame is not None:
        ids = frame[next(c for c in ("household_id", VIETNAMESE["household_id"], EXPORT["household_id"]) if c in frame)]
        assert not any(code in text for code in ids), text
    return err


# --- (a) a header below title rows ---------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_a_header_below_a_forms_title_rows_is_found(sample, expected, tmp_path, suffix):
    frame = office(sample)
    write = to_xlsx if suffix == "xlsx" else to_csv
    path = write(frame, tmp_path / f"form.{suffix}", titles=TITLES)
    pd.testing.assert_frame_equal(load(path), expected)
    broken = frame.copy()
    broken.loc[2, VIETNAMESE["members"]] = "0"
    word = "row" if suffix == "xlsx" else "line"  # 4 titles, a blank row, the header: the 3rd household is 9th
    refused(write(broken, tmp_path / f"broken.{suffix}", titles=TITLES), broken, row=f"{word} 9",
            column="Số nhân khẩu", says="of at least 1")


def test_a_header_below_title_rows_that_lacks_columns_is_pointed_at(sample, tmp_path):
    frame = office(sample).rename(columns={"Số nhân khẩu": "Số thành viên"})
    path = to_xlsx(frame, tmp_path / "form.xlsx", titles=TITLES)
    refused(path, frame, row="header", column="members",
            says="missing required column(s): members (Số nhân khẩu); the header seems to be on row 6 "
                 "(it names 19 of the format's columns, row 1 0): load_records(..., header_row=6) reads it there, "
                 "and column_map= maps headers the format does not know")
    assert len(load(path, header_row=6, column_map={"Số thành viên": "members"})) == len(sample)


def test_header_row_points_the_loader_at_the_header(sample, expected, tmp_path):
    """A row above the header that itself names the format's columns is skipped only when told."""
    frame = office(sample)
    path = to_csv(frame, tmp_path / "form.csv")
    decoy = [*frame.columns[:-1], "Ghi chú"]  # an earlier draft's header, above the header
    path.write_text(",".join(decoy) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    refused(path, frame, row="line 2", column="Đơn vị", says="unknown unit")  # the header read as a household
    pd.testing.assert_frame_equal(load(path, header_row=2), expected)
    titled = to_csv(frame, tmp_path / "titled.csv", titles=TITLES)  # 4 titles, a blank line, the header
    pd.testing.assert_frame_equal(load(titled, header_row=6), expected)
    refused(titled, frame, row="line 5", says="header_row=5: line 5 is blank", header_row=5)
    refused(titled, frame, row="line 99", says="beyond the file's last row", header_row=99)
    refused(titled, frame, row="keywords", column="header_row", says="header_row=: expected the number",
            header_row=0)


# --- (b) a workbook's sheet, whatever its name ----------------------------------------------------

def test_a_workbook_of_one_sheet_is_read_whatever_its_name(sample, expected, tmp_path):
    path = to_xlsx(office(sample), tmp_path / "export.xlsx", sheet="Sheet1")
    pd.testing.assert_frame_equal(load(path), expected)


def test_a_workbook_of_several_sheets_lists_them_and_reads_the_one_named(sample, expected, tmp_path):
    path = to_xlsx(office(sample), tmp_path / "book.xlsx", sheet="Cam Tuyền", others=["Bìa", "Hướng dẫn"])
    refused(path, row="sheet", says="3 sheets ('Bìa', 'Hướng dẫn', 'Cam Tuyền') and none named 'records' or "
                                    "'Danh sách hộ': say which holds the records with sheet='…'")
    pd.testing.assert_frame_equal(load(path, sheet="cam tuyền"), expected)
    refused(path, row="sheet", says="sheet='Tờ 2': the workbook has no such sheet; its sheets: 'Bìa', "
                                    "'Hướng dẫn', 'Cam Tuyền'", sheet="Tờ 2")


# --- (c) ticked marks and thousands separators, when the caller says so ---------------------------

def ticked(frame: pd.DataFrame, mark: str = "x") -> pd.DataFrame:
    out = frame.copy()
    for column in FLAGS:
        out[column] = out[column].map({"1": mark, "0": ""})
    return out


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_ticked_flags_are_read_with_marks(sample, expected, tmp_path, suffix):
    frame = ticked(sample, "X")
    path = tmp_path / f"ticked.{suffix}"
    to_csv(frame, path) if suffix == "csv" else to_xlsx(frame, path)
    pd.testing.assert_frame_equal(load(path, marks="x"), expected)
    refused(path, row="line 2" if suffix == "csv" else "row 2", column="d1",
            says="expected 0 or 1, got a blank cell; a file that ticks its flags (a mark such as x for 1, a blank "
                 "for 0) is read with load_records(..., marks='x')")
    other = frame.copy()
    other.loc[3, "d5"] = "v"
    refused(to_csv(other, tmp_path / "other.csv"), other, row="line 5", column="d5",
            says="expected the mark 'x' (marks='x'), 0, 1 or a blank, got text (not shown)", marks="x")
    refused(path, row="keywords", column="marks", says="marks=: expected the mark", marks="")


def test_grouped_incomes_are_read_with_thousands(sample, expected, tmp_path):
    income = sample["income_per_person"].astype(int)
    dotted = sample.assign(income_per_person=[f"{v:,}".replace(",", ".") for v in income])
    commas = sample.assign(income_per_person=[f"{v:,}" for v in income])
    assert any("." in cell for cell in dotted["income_per_person"])
    path, comma_path = to_csv(dotted, tmp_path / "dots.csv"), to_csv(commas, tmp_path / "commas.csv")
    pd.testing.assert_frame_equal(load(path, thousands="."), expected)
    pd.testing.assert_frame_equal(load(comma_path, thousands=","), expected)
    row = f"line {next(i for i, cell in enumerate(dotted['income_per_person']) if '.' in cell) + 2}"
    refused(path, dotted, row=row, column="income_per_person", says="load_records(..., thousands='.')")
    refused(comma_path, commas, row=row, column="income_per_person", says="load_records(..., thousands=',')")
    odd = dotted.copy()
    odd.loc[4, "income_per_person"] = "1.5"
    refused(to_csv(odd, tmp_path / "odd.csv"), odd, row="line 6", column="income_per_person",
            says="expected a number with '.' for thousands (thousands='.'), e.g. 1.500.000, got '1.5'",
            thousands=".")
    refused(path, row="keywords", column="thousands", says="thousands=: expected '.' or ','", thousands=" ")


# --- (d) a column map ----------------------------------------------------------------------------

#: Headers an export from review software might use (none of the format's).
EXPORT = {"household_id": "Mã hộ gia đình", "unit": "Tên xã", "members": "Số thành viên",
          "income_per_person": "TN bình quân", **{f"d{j}": f"CS{j}" for j in range(1, 13)},
          "ethnic_minority": "DTTS", "btxh": "BTXH"}


def test_a_column_map_reads_an_export_without_renaming(sample, expected, tmp_path):
    frame = sample.rename(columns=EXPORT)
    path = to_csv(frame, tmp_path / "export.csv")
    mapping = {header: name for name, header in EXPORT.items()}
    refused(path, says="column_map= maps headers the format does not know")
    pd.testing.assert_frame_equal(load(path, column_map=mapping), expected)
    table = tmp_path / "map.csv"
    table.write_text("header,column\n" + "".join(f"{h},{VIETNAMESE[n] if n == 'members' else n}\n"
                                                 for h, n in mapping.items()), encoding="utf-8")
    pd.testing.assert_frame_equal(load(path, column_map=table), expected)
    pd.testing.assert_frame_equal(load(path, column_map=str(table)), expected)


def test_a_bad_column_map_is_refused_naming_where(sample, tmp_path):
    frame = sample.rename(columns=EXPORT)
    path = to_csv(frame, tmp_path / "export.csv")
    mapping = {header: name for name, header in EXPORT.items()}
    table = tmp_path / "map.csv"
    table.write_text("header,column\nSố thành viên,membres\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, column_map=table)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("map.csv", "line 2", "column")
    assert "'Số thành viên' is mapped to 'membres', which is not a column of the format" in str(caught.value)
    typo = {**mapping, "So thanh vien": "members"}
    del typo["Số thành viên"]
    refused(path, frame, row="header", column="members",
            says="the column map's 'So thanh vien' (for members) matches no header of the file", column_map=typo)
    refused(path, row="keywords", column="column_map", says="column_map=: expected a dict", column_map=["x"])


# --- (e) columns named as the file spells them ----------------------------------------------------

def test_messages_name_a_column_as_the_file_spells_it(sample, tmp_path):
    frame = office(sample)
    frame.loc[3, "Chỉ số 4"] = "2"
    refused(to_xlsx(frame, tmp_path / "vi.xlsx"), frame, row="row 5", column="Chỉ số 4",
            says="column 'Chỉ số 4' (d4): expected 0 or 1, got '2'")
    export = sample.rename(columns=EXPORT)
    export.loc[1, "TN bình quân"] = "-5000"
    refused(to_csv(export, tmp_path / "export.csv"), export, row="line 3", column="TN bình quân",
            says="column 'TN bình quân' (income_per_person): expected a number",
            column_map={h: n for n, h in EXPORT.items()})
    twice = export.assign(**{"Mã hộ": export["Mã hộ gia đình"]})
    refused(to_csv(twice, tmp_path / "twice.csv"), twice, row="header", column="Mã hộ",
            says="column 'Mã hộ' (household_id): column 'household_id' given twice (also as 'Mã hộ gia đình', "
                 "column 1)", column_map={h: n for n, h in EXPORT.items()})
    excluded = office(sample).assign(**{"Loại khi nhận diện nhanh": "0"})
    excluded.loc[0, "Loại khi nhận diện nhanh"] = "1"
    refused(to_csv(excluded, tmp_path / "excluded.csv"), excluded, row="line 2",
            says="excluded ('Loại khi nhận diện nhanh' (excluded) = 1)")
    thousandfold = office(sample)
    thousandfold["Thu nhập bình quân đầu người/tháng"] = [str(int(v) // 1000) for v in sample["income_per_person"]]
    refused(to_csv(thousandfold, tmp_path / "k.csv"), thousandfold,
            column="Thu nhập bình quân đầu người/tháng", says="(income_per_person): incomes implausible")


# --- (f) a unit that is not recognised ------------------------------------------------------------

@pytest.mark.parametrize(("written", "shown"), [
    ("Cam Tuyen", True),                    # typed without diacritics
    ("xa Cam Thuy", True),
    ("Nguyen Van Binh", False),             # a person's name in the wrong column
    ("Thôn Tân Hiếu, xã Cam Hiếu", False),  # an address
    ("S22-9-00001", False),                 # a household's code
])
def test_a_unit_not_recognised_is_shown_with_the_closest_names(sample, tmp_path, written, shown):
    frame = office(sample)
    frame.loc[5, "Đơn vị"] = written
    err = refused(to_csv(frame, tmp_path / "units.csv"), frame, row="line 7", column="Đơn vị",
                  says="closest known names: " if not written[0].isdigit() and not written.startswith("S") else
                  "unknown unit")
    assert (repr(written) in str(err)) is shown, str(err)
    assert shown or "[not shown]" in str(err), str(err)
    if written == "Cam Tuyen":
        assert "column 'Đơn vị' (unit): expected the name or code of one of the plan's 8 units; unknown unit " \
               "'Cam Tuyen'; closest known names: Cam Tuyên" in str(err)
