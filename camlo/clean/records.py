"""Household records of a poverty review: read, keep only the format's columns, validate.

A review (rà soát hộ nghèo, hộ cận nghèo) holds one record per household. The format is
documented in ``data/reference/record_dictionary.csv`` (one row per column: name, Vietnamese
header, type, whether required, rule, meaning) and in the README. :func:`load_records` reads
CSV (UTF-8), XLSX (its one visible sheet, or the sheet ``records`` or ``Danh sách hộ``) and
Parquet, with English or Vietnamese headers in any order. Records as offices keep them are read
with its keywords: a header below a form's title rows (found, or ``header_row=``), a sheet by
name (``sheet=``), an export's own headers (``column_map=``), flags ticked with a mark
(``marks="x"``), incomes grouped with dots (``thousands="."``). Messages name each column as the
file spells it, the format's name beside it.

Personal data. Review lists carry names, ID-card numbers, addresses and phone numbers
(Decree 13/2023/NĐ-CP). The loader keeps only the format's columns and warns, naming the
dropped columns by position (and by header only for the usual headers of a review list,
:data:`SAFE_DROPPED_HEADERS`), never their values. Error messages name a household by its line
only, never by its ``household_id`` (offices use ID-card numbers as household codes), and never
repeat a cell's content, except a short number (four characters at most, e.g. a flag of ``2``)
and a unit cell that reads as a unit's name (a unit is no personal data; a person's name or an
address in that column does not read as one): a misplaced name or phone number in a format
column therefore never reaches a message.

Plausibility. A household has 1 to :data:`MAX_MEMBERS` persons and an income per person per
month from 0 to :data:`MAX_INCOME` VND, and a file's incomes must read as VND (not thousands
or millions, :func:`check_income_unit`); a totals row is refused as such.

Units. A record names its household's unit by any spelling or code that
:func:`camlo.resolve_unit` resolves (the plan's printed name, the official name, the statistics
office's code; ``Cam Tuyền`` is kept as the plan's ``Cam Tuyên``), and always one of the plan's
8 units (the household's commune before 1 July 2025) or, in a review dated from 1 July 2025,
always one of the two communes formed that day (xã Cam Lộ, xã Hiếu Giang): a file names
either kind, not both, and its ``unit`` column's categories are the plan's 8 units or the 2
communes accordingly. Records carry no date, so names and codes are resolved as of ``date``,
by default the plan's date (the 2022 review it rests on, which the shipped synthetic records
reproduce); a later review's records are read with that review's date, so that a code the 2025
reorganisation reused (19597, 19603) is read as the unit that held it then. A new commune's
households are rural unless ``area`` says otherwise (both are communes, *xã*). A record naming
a new commune in a review dated before 1 July 2025, or the district, is refused.

Line numbers: for CSV the file's line (the header is line 1), for XLSX the sheet's row, for
Parquet the record's position (1 for the first).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import json
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from camlo.clean.parsing import NUL_MESSAGE, check_delimiter, check_file, check_not_binary, csv_rows, read_rows
from camlo.clean.schemas import records_schema
from camlo.clean.units import UnresolvedUnit, plan_units, resolve_unit, units
from camlo.constants import PLAN_DATE
from camlo.errors import DataError
from camlo.paths import DATA_REFERENCE, DATA_SYNTHETIC

DICTIONARY = DATA_REFERENCE / "record_dictionary.csv"
#: The largest records CSV read whole: a province's households (a few hundred thousand rows of
#: about 70 bytes) many times over; a larger review goes in Parquet, read in batches by
#: :func:`iter_records`. A larger file is refused before a byte of it is read.
MAX_RECORDS_CSV_BYTES = 500_000_000
#: The largest records XLSX read: a province's households in a workbook (a few hundred thousand
#: rows) take 15–25 MB; a larger review goes in Parquet. Refused before the workbook is opened.
MAX_RECORDS_XLSX_BYTES = 50_000_000
#: Rows read and validated first, before the rest of the file is read: junk is refused from them.
FIRST_CHUNK_ROWS = 1_000
#: Rows read and validated at a time after the first chunk (bounded memory for the raw cells).
CHUNK_ROWS = 100_000
#: The most persons a household of a review may have. Vietnam's households average under four
#: persons and the census counts very few above fifteen; 50 leaves room for any real household
#: while a phone number, an ID-card number or a commune's population typed into ``members`` is
#: refused.
MAX_MEMBERS = 50
#: The highest income per person per month read (VND): 100 million, about twelve times Vietnam's
#: GDP per person per year a month, more than fifty times the near-poor line. A higher figure is
#: a phone number, an ID-card number, a yearly or a household total typed into the column.
MAX_INCOME = 100_000_000
#: The lowest median of a file's incomes (those above 0) plausible as VND per person per month:
#: 100,000 VND is under a tenth of the lowest poverty line. A lower median means the incomes are
#: in thousands (a median of about 1,000–10,000) or millions (about 1–10) of VND.
MIN_MEDIAN_INCOME = 100_000
#: The highest income score or deprivation score read (points on the review form). A plausibility
#: bound, not a threshold of the form (the form's scores are far below it: 140 and 175 at the
#: poor lines, 10 points per deprivation): a phone number or an income in VND typed into a score
#: column is refused. The thresholds live in the standard's file.
MAX_SCORE = 1_000
#: Columns that give a household's income test: a file needs one of them (or both).
INCOME_COLUMNS = ("income_per_person", "income_score")
SYNTHETIC_RECORDS = DATA_SYNTHETIC / "records_2022.csv"
#: The SYNTHETIC end-2023 follow-up review of the same households.
SYNTHETIC_FOLLOW_UP = DATA_SYNTHETIC / "records_2023.csv"
#: The sheet names that say a workbook's sheet holds the records (either name), in a workbook of
#: several sheets; a workbook of one visible sheet is read whatever its name.
SHEETS = ("records", "Danh sách hộ")
#: The rows searched for the header when the first row is not one: an official form prints its
#: title rows (national motto, form number, title, unit, date) above the header, a dozen at most.
MAX_TITLE_ROWS = 20
#: What ``thousands=`` may be: a dot (Vietnamese style, ``1.500.000``) or a comma (``1,500,000``).
THOUSANDS = (".", ",")
AREAS = ("rural", "urban")
STATUSES_RECORDED = ("poor", "near_poor")
_AREA_WORDS = {"rural": "rural", "urban": "urban", "nông thôn": "rural", "thành thị": "urban"}
_STATUS_WORDS = {"poor": "poor", "near_poor": "near_poor", "hộ nghèo": "poor", "hộ cận nghèo": "near_poor"}
_NUMBER = r"\d+(?:\.\d+)?"
_SHOWN = re.compile(r"-?\d[\d.]{0,3}")
_DOTTED_THOUSANDS = r"\d{1,3}(?:\.\d{3})+"  # 988.000 or 1.250.000: the plan's style, dots for thousands
#: A cell that says its row is a sum, not a household ("Tổng", "Tổng cộng", "Cộng", "Total").
_TOTALS = r"(?:tổng|cộng|total|sum)(?:\W.*)?"
#: Headers of columns that review lists carry and the loader drops, safe to repeat in its
#: warning (they name a kind of column, never a person). Any other header is shown by its
#: position only: a header is free text, and a note typed into it ("Ghi chú: bà … nợ …") would
#: otherwise leave the loader.
SAFE_DROPPED_HEADERS = ("STT", "TT", "Họ và tên", "Họ và tên chủ hộ", "Chủ hộ", "Tên chủ hộ", "Số CCCD", "CCCD",
                        "Số CMND", "CMND", "Số CCCD/CMND", "Ngày sinh", "Năm sinh", "Giới tính", "Dân tộc",
                        "Địa chỉ", "Thôn", "Xóm", "Thôn/Xóm", "Số điện thoại", "Điện thoại", "Ghi chú",
                        "name", "head of household", "ID card number", "date of birth", "address", "village",
                        "phone", "phone number", "notes", "no.")


class DroppedColumnsWarning(UserWarning):
    """The loader dropped columns that are not part of the record format (named, never shown).

    Attributes:
        columns: The dropped columns' headers, as the file writes them.
    """

    def __init__(self, message: str, columns: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.columns = tuple(columns)


_DICTIONARY_COLUMNS = ["name", "header_vi", "type", "required", "rule", "meaning"]


def record_dictionary(path: str | Path | None = None) -> pd.DataFrame:
    """The record format: one row per column (``name``, ``header_vi``, ``type``, ``required``, …).

    Args:
        path: A file of ``data/reference/record_dictionary.csv``'s layout; ``None`` reads that one.

    Raises:
        DataError: naming file, row and column for a missing column, a blank name or type, a
            name listed twice, or ``required`` other than ``yes`` or ``no``.

    Examples:
        >>> d = record_dictionary()
        >>> d.set_index("name").loc["members", ["header_vi", "type"]].tolist()
        ['Số nhân khẩu', 'integer']
        >>> int((d["type"] == "flag").sum())
        15
    """
    path = Path(path) if path is not None else DICTIONARY

    def check_header(header):
        if header[0] != _DICTIONARY_COLUMNS:
            differs = next((c for c, f in zip(_DICTIONARY_COLUMNS, [*header[0], *[""] * 6]) if c != f), None)
            raise DataError(f"expected columns {_DICTIONARY_COLUMNS}, found {list(header[0])}", file=path,
                            row="header", column=differs if differs is not None else header[0][6])

    rows = read_rows(path, check_header=check_header)[1:]
    names: set[str] = set()
    for row in rows:
        where = dict(file=path, row=row[0] or f"line {row.line}")
        if len(row) != len(_DICTIONARY_COLUMNS):
            raise DataError(f"expected {len(_DICTIONARY_COLUMNS)} cells, found {len(row)}", **where,
                            column=_DICTIONARY_COLUMNS[min(len(row), 5)])
        for position in (0, 2):
            if not row[position]:
                raise DataError("blank cell; expected text", **where, column=_DICTIONARY_COLUMNS[position])
        if row[0] in names:
            raise DataError("column listed twice", **where, column="name")
        names.add(row[0])
        if row[3] not in ("yes", "no"):
            raise DataError(f"expected 'yes' or 'no', got {row[3]!r}", **where, column="required")
    table = pd.DataFrame(rows, columns=_DICTIONARY_COLUMNS)
    table["required"] = table["required"].map({"yes": True, "no": False}).astype(bool)
    return table


def _key(text: object) -> str:
    """A header or name compared loosely: NFC, single spaces, case-folded."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


# --- how a file departs from the format (the caller's keywords) -------------------------------

@dataclass(frozen=True)
class Layout:
    """How a records file departs from the format, as the caller says (see :func:`load_records`).

    Attributes:
        header_row: The line (CSV) or sheet row (XLSX) of the header; ``None``: found.
        sheet: The XLSX sheet that holds the records; ``None``: found.
        column_map: ``{header as the file writes it: the format's column}``.
        marks: The mark that ticks a flag (``"x"``): a cell with it reads 1, a blank 0.
        thousands: The thousands separator of ``income_per_person`` (``"."`` or ``","``).
    """

    header_row: int | None = None
    sheet: str | None = None
    column_map: Mapping[str, str] | None = None
    marks: str | None = None
    thousands: str | None = None


def _format_name(text: object, fields: pd.DataFrame) -> str | None:
    """The format's column that ``text`` names (its name or its Vietnamese header), or ``None``."""
    key = _key(text)
    for name, vi in zip(fields["name"], fields["header_vi"]):
        if key in (_key(name), _key(vi)):
            return name
    return None


def _check_map(pairs: list[tuple[object, object, dict]], fields: pd.DataFrame) -> dict[str, str]:
    """``{header: format name}`` from ``(header, column, where)`` pairs, each checked."""
    found: dict[str, str] = {}
    for header, column, where in pairs:
        if not isinstance(header, str) or not header.strip():
            raise DataError("column_map: expected a header (text) for each entry, got "
                            f"{'a blank' if isinstance(header, str) else type(header).__name__}", **where)
        name = _format_name(column, fields) if isinstance(column, str) else None
        if name is None:
            raise DataError(f"column_map: {header.strip()!r} is mapped to {column!r}, which is not a column of "
                            f"the format (one of {', '.join(fields['name'])})", **where)
        if _key(header) in {_key(h) for h in found}:
            raise DataError(f"column_map: the header {header.strip()!r} is mapped twice", **where)
        found[header.strip()] = name
    return found


def read_column_map(path: str | Path) -> dict[str, str]:
    """A column map from a CSV of two columns, ``header`` (as the records file writes it) and
    ``column`` (the format's name or Vietnamese header), one row per mapped column.

    Raises:
        DataError: naming the map's file, line and column, for another header, a blank header,
            a column the format does not have, or a header mapped twice.

    Examples:
        >>> import tempfile
        >>> scratch = tempfile.TemporaryDirectory()
        >>> path = Path(scratch.name) / "map.csv"
        >>> _ = path.write_text("header,column\\nSố thành viên,members\\nCS4,Chỉ số 4\\n", encoding="utf-8")
        >>> read_column_map(path)
        {'Số thành viên': 'members', 'CS4': 'd4'}
        >>> scratch.cleanup()
    """
    path = Path(path)

    def check_header(header):
        if [_key(cell) for cell in header[0]] != ["header", "column"]:
            raise DataError(f"expected the columns header,column (the file's header, the format's column), found "
                            f"{len(header[0])} other column(s)", file=path, row="header")

    rows = read_rows(path, check_header=check_header)[1:]
    for row in rows:
        if len(row) != 2:
            raise DataError(f"expected 2 cells, found {len(row)}", file=path, row=f"line {row.line}")
    return _check_map([(row[0], row[1], dict(file=path, row=f"line {row.line}", column="header" if not row[0]
                                              else "column")) for row in rows], record_dictionary())


def _keyword_error(path: Path, keyword: str, message: str) -> DataError:
    return DataError(f"{keyword}=: {message}", file=path, row="keywords", column=keyword)


def layout_of(path: Path, *, header_row=None, sheet=None, column_map=None, marks=None, thousands=None) -> Layout:
    """The caller's keywords checked, as a :class:`Layout` (a :class:`DataError` names a bad one)."""
    suffix = path.suffix.lower()
    if header_row is not None:
        if isinstance(header_row, bool) or not isinstance(header_row, (int, np.integer)) or header_row < 1:
            raise _keyword_error(path, "header_row", "expected the number of the header's line (CSV) or row "
                                 "(XLSX), 1 for the first")
        if suffix not in (".csv", ".xlsx"):
            raise _keyword_error(path, "header_row", "applies to CSV and XLSX files only")
    if sheet is not None:
        if not isinstance(sheet, str) or not sheet.strip():
            raise _keyword_error(path, "sheet", "expected a sheet's name")
        if suffix != ".xlsx":
            raise _keyword_error(path, "sheet", "applies to XLSX workbooks only")
    if marks is not None and (not isinstance(marks, str) or not marks.strip() or len(marks.strip()) > 3
                              or marks.strip() in ("0", "1")):
        raise _keyword_error(path, "marks", "expected the mark that ticks a flag, such as 'x' (three "
                             "characters at most, neither 0 nor 1)")
    if thousands is not None and thousands not in THOUSANDS:
        raise _keyword_error(path, "thousands", f"expected {' or '.join(map(repr, THOUSANDS))}")
    if column_map is not None:
        if isinstance(column_map, (str, Path)):
            column_map = read_column_map(column_map)
        elif isinstance(column_map, Mapping):
            column_map = _check_map([(h, c, dict(file=path, row="keywords", column="column_map"))
                                     for h, c in column_map.items()], record_dictionary())
        else:
            raise _keyword_error(path, "column_map", "expected a dict {header: column} or the path of a CSV "
                                 "with the columns header,column")
    return Layout(int(header_row) if header_row is not None else None, sheet.strip() if sheet else None,
                  column_map or None, marks.strip() if marks else None, thousands)


# --- reading files ---------------------------------------------------------------------------
#
# A records file is read in chunks of rows, and each chunk is validated before the next is read:
# a file of junk is refused from its first rows, in bounded memory, whatever its size.


@dataclass
class RecordFile:
    """A records file opened for reading: its header as found and its rows, chunk by chunk.

    Attributes:
        header: The header cells as written.
        chunks: Frames of raw cells (columns: the header; index: the line, sheet row or record
            number), read one at a time.
        word: What the index counts (``line``, ``row`` or ``record``).
        close: Closes the file (when the rows were not all read).
    """

    header: list[str]
    chunks: Iterator[pd.DataFrame]
    word: str
    close: Callable[[], None] = lambda: None


def _chunk_sizes() -> Iterator[int]:
    """A small first chunk (junk is refused from its first rows), then :data:`CHUNK_ROWS`."""
    yield FIRST_CHUNK_ROWS
    while True:
        yield CHUNK_ROWS


def _frames(rows: Iterator[tuple[int, list]], width: int, header: list[str]) -> Iterator[pd.DataFrame]:
    """Group ``(number, cells)`` rows into frames of :func:`_chunk_sizes` rows each."""
    sizes = _chunk_sizes()
    lines: list[int] = []
    cells: list[list] = []
    size, total = next(sizes), 0
    for number, row in rows:
        total += 1
        lines.append(number)
        cells.append(row)
        if len(cells) == size:
            yield _frame(lines, cells, width, header)
            lines, cells, size = [], [], next(sizes)
    if cells or total == 0:
        yield _frame(lines, cells, width, header)


def _frame(lines: list[int], cells: list[list], width: int, header: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(cells, index=pd.Index(lines, dtype="int64"), columns=range(width), dtype=object)
    frame.columns = header
    return frame


def _first_line_not_utf8(path: Path) -> int:
    """The line of the first byte of ``path`` that is not UTF-8 (read again, in blocks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return line + block[: max(exc.start, 0)].count(b"\n")
            line += block.count(b"\n")
    return line


def _text_lines(handle, path: Path) -> Iterator[str]:
    """The lines of a text file, refusing NUL bytes and text that is not UTF-8 (naming the line)."""
    number = 0
    while True:
        try:
            line = handle.readline()
        except UnicodeDecodeError:
            bad = _first_line_not_utf8(path)
            raise DataError(f"not UTF-8 text (line {bad}); save the table as UTF-8", file=path,
                            row=f"line {bad}") from None
        if not line:
            return
        number += line.count("\n") or 1
        if "\0" in line:
            raise DataError(NUL_MESSAGE, file=path, row=f"line {number}")
        yield line


def _csv_rows(reader, path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` for each CSV row that is not blank: a quoted cell may span lines."""
    for start, cells in csv_rows(reader, path, "records file"):
        if any(cell.strip() for cell in cells):
            yield start, cells


def _open_csv(path: Path, layout: Layout) -> RecordFile:
    check_file(path, max_bytes=MAX_RECORDS_CSV_BYTES)
    try:
        with path.open("rb") as handle:
            check_not_binary(handle.read(8), path)
        handle = path.open("r", encoding="utf-8-sig", newline="")  # newline="": \n, \r\n and old Mac \r
    except OSError as exc:
        raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None
    rows = _csv_rows(csv.reader(_text_lines(handle, path)), path)

    def no_sep_line(rows):
        """Refuse Excel's ``sep=`` line (a delimiter hint, not a title row: camlo reads CSV as saved)."""
        for line, cells in rows:
            if line == 1 and len(cells) <= 2 and re.fullmatch(r"sep=.?", ",".join(cells).strip(), re.I):
                raise DataError("the first line is Excel's 'sep=' delimiter line, not part of the table: save "
                                "the table as 'CSV UTF-8 (Comma delimited)' or delete the line", file=path,
                                row="line 1")
            yield line, cells

    rows = no_sep_line(rows)
    try:
        first = _find_header(rows, path, "line", layout,
                             check=lambda cells: check_delimiter([cell.strip() for cell in cells], path))
    except BaseException:
        handle.close()
        raise
    width = len(first[1])

    def body() -> Iterator[tuple[int, list[str]]]:
        with handle:
            for line, cells in rows:
                if len(cells) > width:
                    raise DataError(f"expected {width} cells like the header, found {len(cells)}", file=path,
                                    row=f"line {line}")
                yield line, cells + [""] * (width - len(cells))

    return RecordFile(first[1], _frames(body(), width, first[1]), "line", handle.close)


_SHEET_XML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: The most cells a workbook's merged ranges may cover (beyond it the sheet is not a list of households).
MAX_MERGED_CELLS = 1_000_000


def _sheet_facts(book, sheet, path: Path) -> dict[tuple[int, int], tuple[int, int]]:
    """One pass over the sheet's XML: refuse a formula whose value the workbook never saved
    (naming its cell), and map every cell of a merged range to the range's first cell."""
    from openpyxl.utils.cell import range_boundaries

    from xml.etree.ElementTree import ParseError, iterparse

    merged: dict[tuple[int, int], tuple[int, int]] = {}
    try:
        with book._archive.open(sheet._worksheet_path) as source:
            for _, element in iterparse(source):
                tag = element.tag
                if tag == _SHEET_XML + "c":
                    formula = element.find(_SHEET_XML + "f")
                    value = element.find(_SHEET_XML + "v")
                    if formula is not None and (value is None or (not value.text and element.get("t") != "str")):
                        raise DataError("a formula whose value the workbook never saved (it was written by a "
                                        "program, not calculated in Excel): open the file in Excel and save it, "
                                        "or paste the values", file=path, row=f"cell {element.get('r', '?')}")
                    element.clear()
                elif tag == _SHEET_XML + "row":
                    element.clear()
                elif tag == _SHEET_XML + "mergeCell":
                    low_col, low_row, high_col, high_row = range_boundaries(element.get("ref", ""))
                    if len(merged) + (high_col - low_col + 1) * (high_row - low_row + 1) > MAX_MERGED_CELLS:
                        raise DataError(f"merged cells cover more than {MAX_MERGED_CELLS:,} cells: this is not "
                                        "a list of households", file=path, row="sheet")
                    for row in range(low_row, high_row + 1):
                        for col in range(low_col, high_col + 1):
                            merged[(row, col)] = (low_row, low_col)
    except (ParseError, KeyError, ValueError, TypeError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(f"not a readable XLSX sheet ({type(exc).__name__})", file=path, row="sheet") from None
    return merged


def _pick_sheet(book, path: Path, chosen: str | None = None):
    """The sheet that holds the records: ``chosen`` (by name), else the workbook's one visible
    sheet, else the one of :data:`SHEETS`; never two, never a hidden one unless chosen."""
    names = {_key(name): name for name in book.sheetnames}
    listed = ", ".join(map(repr, book.sheetnames))
    if chosen is not None:
        if _key(chosen) not in names:
            raise DataError(f"sheet={chosen!r}: the workbook has no such sheet; its sheets: {listed}", file=path,
                            row="sheet")
        return book[names[_key(chosen)]]
    visible = [name for name in book.sheetnames if getattr(book[name], "sheet_state", "visible") == "visible"]
    found = [names[_key(s)] for s in SHEETS if _key(s) in names]
    if not found and len(visible) == 1:
        return book[visible[0]]
    if not found:
        raise DataError(f"{len(book.sheetnames)} sheets ({listed}) and none named "
                        f"{' or '.join(map(repr, SHEETS))}: say which holds the records with "
                        f"sheet='…' (e.g. sheet={book.sheetnames[0]!r})", file=path, row="sheet")
    if len(found) > 1:
        raise DataError(f"two sheets may hold the records ({' and '.join(map(repr, found))}); keep the one "
                        "that does and rename or delete the other", file=path, row="sheet")
    sheet = book[found[0]]
    if getattr(sheet, "sheet_state", "visible") != "visible":
        raise DataError(f"the sheet {found[0]!r} is hidden: unhide it if it holds the records, or name it with "
                        f"sheet={found[0]!r} (a hidden sheet is never read unseen); the workbook's sheets: {listed}",
                        file=path, row="sheet")
    return sheet


def _open_xlsx(path: Path, layout: Layout) -> RecordFile:
    import openpyxl

    check_file(path, max_bytes=MAX_RECORDS_XLSX_BYTES)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=path) from None
    try:
        sheet = _pick_sheet(book, path, layout.sheet)
        merged = _sheet_facts(book, sheet, path)
        sheet.reset_dimensions()  # the stored dimension may be smaller than the data: never trust it
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        anchors: dict[tuple[int, int], object] = {}
        extent: dict[int, int] = {}
        for row_number, col in merged:
            extent[row_number] = max(extent.get(row_number, 0), col)

        def filled(number: int, row: tuple) -> list:
            """The row with each merged cell holding its range's value (Excel shows it so)."""
            cells = list(row)
            if number in extent:
                cells += [None] * (extent[number] - len(cells))
                for col in range(1, len(cells) + 1):
                    anchor = merged.get((number, col))
                    if anchor == (number, col):
                        anchors[anchor] = cells[col - 1]
                    elif anchor is not None:
                        cells[col - 1] = anchors.get(anchor)
            return cells

        def nonblank() -> Iterator[tuple[int, list]]:
            for number, row in rows:
                cells = filled(number, row)
                if any(cell is not None and cell != "" for cell in cells):
                    yield number, cells

        lines = nonblank()
        header = _find_header(((n, ["" if c is None else str(c) for c in cells]) for n, cells in lines), path,
                              "row", layout, empty=f"sheet {sheet.title!r} is empty; expected a header row")[1]
        width = len(header)
    except BaseException:
        book.close()
        raise

    def body() -> Iterator[tuple[int, list]]:
        try:
            for number, cells in lines:
                yield number, cells[:width] + [None] * (width - len(cells))
        except DataError:
            raise
        except Exception as exc:  # a damaged sheet, read lazily
            raise DataError(f"not a readable XLSX sheet ({type(exc).__name__})", file=path,
                            row="sheet") from None
        finally:
            book.close()

    return RecordFile(header, _frames(body(), width, header), "row", book.close)


def _parquet_file(path: Path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, … for a damaged file
        raise DataError(f"not a readable Parquet file ({type(exc).__name__})", file=path) from None


def _open_parquet(path: Path, layout: Layout) -> RecordFile:
    check_file(path, max_bytes=None)
    source = _parquet_file(path)
    header = list(source.schema_arrow.names)
    keep, _ = _match_header(header, path, warn=False, column_map=layout.column_map)

    def chunks() -> Iterator[pd.DataFrame]:
        start = 1
        for batch in source.iter_batches(batch_size=CHUNK_ROWS, columns=list(keep)):
            raw = batch.to_pandas()
            raw.index = pd.RangeIndex(start, start + len(raw))
            start += len(raw)
            yield raw
        if start == 1:
            yield pd.DataFrame(columns=list(keep))

    return RecordFile(header, chunks(), "record")


def open_record_file(path: Path, layout: Layout = Layout()) -> RecordFile:
    """Open a records file: its header now, its rows chunk by chunk (see :class:`RecordFile`).

    The header is the first row that is not blank or, when that row does not name the format's
    required columns, the first of the next rows (up to :data:`MAX_TITLE_ROWS`) that does: the
    rows above it are a form's titles. ``layout.header_row`` names the header's line or row.

    Raises:
        DataError: for a missing or empty file, a folder, a pipe or a device, text that is not
            UTF-8, a file too large (:data:`MAX_RECORDS_CSV_BYTES`, :data:`MAX_RECORDS_XLSX_BYTES`),
            an XLSX of several sheets without one named as the records' sheet (listing them), or
            with a formula whose value was never saved, Excel's ``sep=`` line, a header not found
            (saying on which row it seems to be), or a file type other than ``.csv``, ``.xlsx``
            and ``.parquet``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path, layout)
    if suffix == ".xlsx":
        return _open_xlsx(path, layout)
    if suffix in (".parquet", ".pq"):
        return _open_parquet(path, layout)
    check_file(path, max_bytes=None)
    raise DataError(f"unknown file type {suffix or '(none)'!r}; expected .csv (UTF-8), .xlsx or .parquet",
                    file=path)


# --- headers ---------------------------------------------------------------------------------

def _aliases(column_map: Mapping[str, str] | None) -> dict[str, str]:
    """``{loose header: format name}``: the format's names, its Vietnamese headers, then the map's."""
    fields = record_dictionary()
    aliases = {_key(name): name for name in fields["name"]}
    aliases.update({_key(vi): name for vi, name in zip(fields["header_vi"], fields["name"])})
    aliases.update({_key(header): name for header, name in (column_map or {}).items()})
    return aliases


def _header_fit(cells: list[str], aliases: dict[str, str], required: list[str]) -> tuple[int, bool]:
    """How many of the format's columns a row names, and whether it names every required one."""
    named = {aliases[k] for k in map(_key, cells) if k in aliases}
    return len(named), all(n in named for n in required) and any(n in named for n in INCOME_COLUMNS)


def _find_header(rows: Iterator[tuple[int, list[str]]], path: Path, word: str, layout: Layout, *,
                 check: Callable[[list[str]], None] | None = None,
                 empty: str = "the file is empty; expected a header row and one row per household",
                 ) -> tuple[int, list[str]]:
    """The header's ``(number, cells)``; ``rows`` is left at the row after it.

    With ``layout.header_row``, the row of that number. Otherwise the first row, if it names
    the format's required columns, else the first of the next rows that does (the rows above are
    title rows, dropped unread); if none does within :data:`MAX_TITLE_ROWS` rows, ``check`` is
    called on the first row (a CSV of another delimiter), then the row naming the most of the
    format's columns is refused as the header, the message saying where the header seems to be.
    """
    if layout.header_row is not None:
        for number, cells in rows:
            if number == layout.header_row:
                return number, cells
            if number > layout.header_row:
                break
        raise DataError(f"header_row={layout.header_row}: {word} {layout.header_row} is blank or beyond the "
                        "file's last row", file=path, row=f"{word} {layout.header_row}")
    fields = record_dictionary()
    aliases = _aliases(layout.column_map)
    required = list(fields.loc[fields["required"], "name"])
    seen: list[tuple[int, list[str], int]] = []
    for number, cells in rows:
        count, fits = _header_fit(cells, aliases, required)
        if fits:
            return number, cells
        seen.append((number, cells, count))
        if len(seen) == MAX_TITLE_ROWS:
            break
    if not seen:
        raise DataError(empty, file=path)
    if check is not None:
        check(seen[0][1])
    best = max(seen, key=lambda row: row[2])  # the first of the rows that name the most columns
    if best[2] > seen[0][2]:
        hint = (f"; the header seems to be on {word} {best[0]} (it names {best[2]} of the format's columns, "
                f"{word} {seen[0][0]} {seen[0][2]}): load_records(..., header_row={best[0]}) reads it there, and "
                "column_map= maps headers the format does not know")
        _match_header(best[1], path, warn=False, column_map=layout.column_map, hint=hint)
    _match_header(seen[0][1], path, warn=False, column_map=layout.column_map,
                  hint="; column_map= maps headers the format does not know (e.g. {'Mã hộ gia đình': "
                       "'household_id'}), header_row= says on which row a header below title rows is")
    raise AssertionError("unreachable: a row that names every required column fits")


def _match_header(header: list[str], file: Path, *, warn: bool, column_map: Mapping[str, str] | None = None,
                  hint: str = "", number: str = "header") -> tuple[dict[str, str], list[str]]:
    """Map the file's headers to the format's names; warn about (and return) the dropped ones.

    The warning names each dropped column by its position, and by its header only when that is
    one of :data:`SAFE_DROPPED_HEADERS`: a header is free text typed by a person and may carry
    a note about a household, so any other header is never repeated.

    Args:
        header: The header's cells.
        file: The file, for messages.
        warn: Warn about the dropped columns.
        column_map: ``{header as the file writes it: format name}`` (see :func:`load_records`).
        hint: Added to the message for missing columns.
        number: The header's place, for messages (``header``, or ``row 5`` for a candidate).

    Returns:
        ``{header as found: format name}`` for the kept columns, and the dropped headers.

    Raises:
        DataError: for a required column that is missing or a column given twice.
    """
    fields = record_dictionary()
    aliases = _aliases(column_map)
    safe = {_key(h) for h in SAFE_DROPPED_HEADERS}
    keep: dict[str, str] = {}
    dropped: list[str] = []
    for position, found in enumerate(header, start=1):
        name = aliases.get(_key(found))
        if name is None:
            text = str(found)
            dropped.append(f"column {position} ({text.strip()})" if _key(text) in safe else
                           f"column {position} (blank header)" if not text.strip() else
                           f"column {position} (header not shown)")
        elif name in keep.values():
            first = next(h for h, n in keep.items() if n == name)
            raise DataError(f"column {name!r} given twice (also as {str(first).strip()!r}, column "
                            f"{list(header).index(first) + 1})", file=file, row=number, column=str(found).strip(),
                            field=name)
        else:
            keep[found] = name
    missing = [n for n, required in zip(fields["name"], fields["required"]) if required and n not in keep.values()]
    if not any(n in keep.values() for n in INCOME_COLUMNS):
        missing.insert(0, INCOME_COLUMNS[0])
    if missing:
        headers = dict(zip(fields["name"], fields["header_vi"]))
        either = (f" (or {INCOME_COLUMNS[1]}, {headers[INCOME_COLUMNS[1]]}: one of the two is required)"
                  if missing[0] == INCOME_COLUMNS[0] and not any(n in keep.values() for n in INCOME_COLUMNS) else "")
        unmatched = [f"{h!r} (for {n})" for h, n in (column_map or {}).items() if n in missing]
        mapped = (f"; the column map's {', '.join(unmatched)} matches no header of the file" if unmatched else "")
        raise DataError("missing required column(s): " + ", ".join(f"{n} ({headers[n]})" for n in missing) + either
                        + mapped + hint, file=file, row=number, column=missing[0])
    if dropped and warn:
        warnings.warn(DroppedColumnsWarning(f"{file.name}: dropped {len(dropped)} column(s) that are not part of "
                                            f"the record format (personal data is never kept): {', '.join(dropped)}",
                                            tuple(dropped)), stacklevel=4)
    return keep, dropped


# --- cells -----------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped NFC text ("" for blank), whatever the file stored."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pc.utf8_normalize(pc.utf8_trim_whitespace(pc.fill_null(pa.array(values.array), "")), "NFC")
        return pd.Series(text, index=values.index, dtype="str")
    return pd.Series([_cell_text(v) for v in values], index=values.index, dtype="str")


def _shown(text: str) -> str:
    """How a bad cell is described: a short number as itself, anything else by its kind only."""
    if text == "":
        return "a blank cell"
    if _SHOWN.fullmatch(text):
        return repr(text)
    return "text (not shown)" if re.search(r"[^\d\s.,+-]", text) else "a long number (not shown)"


class _Place:
    """Names a household in messages by its line in the file, never by its code.

    A household's code is personal data (offices use ID-card numbers as codes): a message
    says ``line 6`` (or ``row 6``, ``record 6``), which the user finds in the file.

    Columns are named as the file spells them, the format's name beside (``headers``).
    """

    def __init__(self, file: Path, word: str, index: pd.Index, headers: Mapping[str, str] | None = None):
        self.file, self.word, self.index = file, word, index
        self.headers = dict(headers or {})

    def header(self, column: str) -> str:
        """The format's ``column`` as the file spells it."""
        return self.headers.get(column, column)

    def named(self, column: str) -> str:
        """``column`` for a message's text: ``'Loại khi nhận diện nhanh' (excluded)`` or ``excluded``."""
        header = self.header(column)
        return column if header == column else f"{header!r} ({column})"

    def fail(self, position: int, column: str, message: str) -> DataError:
        return DataError(message, file=self.file, row=f"{self.word} {int(self.index[position])}",
                         column=self.header(column), field=column)

    def check(self, ok: np.ndarray, column: str, describe) -> None:
        """Raise for the first ``False`` in ``ok``, with ``describe(position)``."""
        if not ok.all():
            position = int(np.argmin(ok))
            raise self.fail(position, column, describe(position))


#: Said of a flag cell that is blank or a short mark, in a file read without ``marks=``.
_MARKS_HINT = ("; a file that ticks its flags (a mark such as x for 1, a blank for 0) is read with "
               "load_records(..., marks='x'), or the mark it uses")


def _flag_refusal(text: str, marks: str | None) -> str:
    """Why a flag cell is refused, never repeating it (a short number aside)."""
    if marks is not None:
        return f"expected the mark {marks!r} (marks={marks!r}), 0, 1 or a blank, got {_shown(text)}"
    mark_like = text == "" or (len(text) <= 3 and not re.search(r"[\d.,+-]", text))
    return f"expected 0 or 1, got {_shown(text)}" + (_MARKS_HINT if mark_like else "")


def _flags(values: pd.Series, column: str, place: _Place, blank_ok: np.ndarray | None = None,
           marks: str | None = None) -> np.ndarray:
    """0/1 cells as int8; a blank reads 0 where ``blank_ok`` (an excluded household), else is refused.

    With ``marks``, a cell holding the mark (any case) reads 1 and every blank 0 (0 and 1 read
    as themselves).
    """
    blank_ok = np.zeros(len(values), dtype=bool) if blank_ok is None else blank_ok
    if marks is not None:
        blank_ok = np.ones(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(values.dtype):
        data = values.to_numpy(dtype="float64", na_value=np.nan)
        data = np.where(np.isnan(data) & blank_ok, 0.0, data)
        place.check((data == 0) | (data == 1), column, lambda p: _flag_refusal(
            "" if np.isnan(data[p]) else _cell_text(data[p]), marks))
        return data.astype("int8")
    text = _as_text(values)
    one = (text == "1").to_numpy(dtype=bool)
    if marks is not None:
        one = one | (text.str.casefold() == marks.casefold()).to_numpy(dtype=bool)
    zero = (text == "0").to_numpy(dtype=bool) | ((text == "").to_numpy(dtype=bool) & blank_ok)
    place.check(one | zero, column, lambda p: _flag_refusal(text.iloc[p], marks))
    return one.astype("int8")


def _numbers(values: pd.Series, column: str, place: _Place, *, whole: bool, minimum: int, maximum: int,
             most: str, blank_ok: np.ndarray | None = None, blank: str = "", thousands: str | None = None,
             ) -> np.ndarray:
    """Parse a numeric column: no text, whole if asked, from ``minimum`` to ``maximum`` (``most``
    says what the maximum is); a blank cell is refused (``blank`` says why) except where
    ``blank_ok``, where it reads NaN. With ``thousands`` (``.`` or ``,``), text cells may group
    their digits in threes with it (``1.500.000``), the other sign marking decimals."""
    kind = "a whole number" if whole else "a number (digits, optional decimal point, no thousands separators)"
    blank_ok = np.zeros(len(values), dtype=bool) if blank_ok is None else blank_ok
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        data = values.to_numpy(dtype="float64", na_value=np.nan)
        place.check(~np.isnan(data) | blank_ok, column, lambda p: f"expected {kind}, got a blank cell{blank}")
        given = ~np.isnan(data)
    else:
        text = _as_text(values)
        empty = (text == "").to_numpy(dtype=bool)
        place.check(~empty | blank_ok, column, lambda p: f"expected {kind}, got a blank cell{blank}")
        given = ~empty
        text = text.where(given, "0")
        negative = text.str.fullmatch(r"-\d[\d.,]*").to_numpy(dtype=bool)
        place.check(~negative, column, lambda p: f"expected {kind} of at least {minimum}, got a negative number")
        if thousands is not None:
            decimal = "," if thousands == "." else "."
            grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
            plain = rf"\d+(?:{re.escape(decimal)}\d+)?"
            ok = (text.str.fullmatch(grouped) | text.str.fullmatch(plain)).to_numpy(dtype=bool)
            example = "1.500.000" if thousands == "." else "1,500,000"
            place.check(ok, column, lambda p: f"expected a number with {thousands!r} for thousands "
                        f"(thousands={thousands!r}), e.g. {example}, got {_shown(text.iloc[p])}")
            text = text.str.replace(thousands, "", regex=False).str.replace(decimal, ".", regex=False)
        elif not whole:
            dotted = text.str.fullmatch(_DOTTED_THOUSANDS).to_numpy(dtype=bool)
            place.check(~dotted, column, lambda p: f"expected {kind}, got a number with dots for thousands (as "
                        "the plan prints 988.000 for 988,000 VND, or a decimal in another unit): write VND "
                        "with digits only, e.g. 988000, or read a file that writes every income so with "
                        "load_records(..., thousands='.')")
            commas = text.str.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?").to_numpy(dtype=bool)
            place.check(~commas, column, lambda p: f"expected {kind}, got a number with commas for thousands: "
                        "write VND with digits only, e.g. 1500000, or read a file that writes every income "
                        "so with load_records(..., thousands=',')")
        pattern = r"\d+" if whole else _NUMBER
        place.check(text.str.fullmatch(pattern).to_numpy(dtype=bool), column,
                    lambda p: f"expected {kind}, got {_shown(text.iloc[p])}")
        data = text.astype("float64").to_numpy()
    data = np.where(given, data, 0.0)
    # a digit string too long for a float reads as infinity: refuse it, never cast it
    place.check(np.isfinite(data) & (data < 2.0 ** 53), column, lambda p: f"expected {kind}, got a number too large")
    if whole:
        place.check(data == np.floor(data), column, lambda p: f"expected {kind}, got a decimal")
    place.check(data >= minimum, column, lambda p: f"expected {kind} of at least {minimum}, got " +
                (_shown(_cell_text(data[p])) if data[p] >= 0 else "a negative number"))
    place.check(data <= maximum, column, lambda p: f"expected at most {maximum:,} ({most}), got a larger number "
                "(not shown: a phone or ID-card number in the wrong column?)")
    return np.where(given, data, np.nan)


def _choice(values: pd.Series, column: str, place: _Place, words: dict[str, str], categories: tuple,
            expected: str) -> pd.Categorical:
    """Map text cells through ``words`` (loosely compared); a blank becomes missing."""
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    lookup = {_key(word): categories.index(value) for word, value in words.items()}
    keys = [_key(_cell_text(value)) for value in uniques]
    # a code of -1 (a missing cell) picks the last entry: blank
    mapped = np.array([lookup.get(key, -1 if key == "" else -2) for key in keys] + [-1], dtype="int64")
    result = mapped[codes]
    place.check(result != -2, column, lambda p: f"expected {expected}, got text that is none of these (not shown)")
    return pd.Categorical.from_codes(result, categories=list(categories))


#: The kinds a unit's name may start with (folded, without diacritics).
_UNIT_KINDS = ("xa", "thi tran", "tt", "phuong", "thi xa", "huyen")
#: How close (difflib's ratio, diacritics and case aside) a cell must be to a known unit's name
#: to be shown in a message as a misspelt unit name.
UNIT_LIKENESS = 0.8


def _plain(text: str) -> str:
    """Folded for likeness: no diacritics (đ as d), case-folded, single spaces."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split()).casefold()


def _bare(plain: str) -> str:
    for kind in _UNIT_KINDS:
        if plain.startswith(kind + " "):
            return plain[len(kind) + 1:]
    return plain


def _reads_as_unit(text: str, register: pd.DataFrame) -> bool:
    """Whether a cell that names no unit may be shown: a unit's name misspelt (within
    :data:`UNIT_LIKENESS` of a known one, diacritics and case aside) or a name of a kind of unit
    (``xã …``, ``phường …``) of three words at most. Anything else (a person's name, an
    address, a code) is never repeated: it may be personal data typed into the wrong column.

    Examples:
        >>> _reads_as_unit("Cam Tuyen", units()), _reads_as_unit("xa Cam An", units())
        (True, True)
        >>> _reads_as_unit("Nguyễn Văn Bình", units()), _reads_as_unit("Thôn Tân Hiếu, xã Cam Hiếu", units())
        (False, False)
    """
    plain = _plain(text)
    if not re.fullmatch(r"[a-z]+(?: [a-z]+){0,5}", plain):
        return False
    bare = _bare(plain)
    if bare != plain and len(bare.split()) <= 3:
        return True
    names = {_bare(_plain(name)) for column in ("unit", "printed_name", "official_name")
             for name in register[column] if isinstance(name, str) and name}
    return bool(difflib.get_close_matches(bare, sorted(names), n=1, cutoff=UNIT_LIKENESS))


def _unit_problem(text: str, date, register: pd.DataFrame, plan: tuple[str, ...]) -> int | str:
    """The position in ``plan`` (the plan's units, then the new communes) of the unit ``text``
    names on ``date``, or why there is none (repeating the text only where it reads as a unit's name,
    :func:`_reads_as_unit`)."""
    expected = f"the name or code of one of the plan's {len(plan) - len(_successors(register))} units"
    try:
        key = resolve_unit(text, date, register=register)
    except UnresolvedUnit as exc:
        later = _resolved_later(text, register)
        shown = repr(text) if _reads_as_unit(text, register) else "[not shown]"
        return f"expected {expected}; {exc.reworded(shown)}" + (
            f"; a review dated from {later} is read with its date (load_records(..., date=...); notebook 04's "
            f"records_date)" if later else "")
    if key in plan:
        return plan.index(key)
    return f"expected {expected} (or, from 1 July 2025, a commune formed that day), got the whole district"


def _resolved_later(text: str, register: pd.DataFrame) -> str | None:
    """The day the communes formed on 1 July 2025 began, when ``text`` names one of them then."""
    begun = register.loc[register["role"] == "successor", "valid_from"].min()
    try:
        key = resolve_unit(text, begun, register=register)
    except UnresolvedUnit:
        return None
    return begun.date().isoformat() if key in _successors(register) else None


def _successors(register: pd.DataFrame) -> list[str]:
    return register.loc[register["role"] == "successor", "unit"].tolist()


def _units(values: pd.Series, place: _Place, register: pd.DataFrame, date) -> pd.Categorical:
    """Resolve each distinct cell once (:func:`camlo.resolve_unit` on ``date``) to a plan unit, or
    to a commune formed on 1 July 2025 when every cell names one."""
    plan_names, successors = list(plan_units(register)["unit"]), _successors(register)
    plan = tuple(plan_names + successors)
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    texts = [_cell_text(value) for value in uniques]
    found = [-1 if text == "" else _unit_problem(text, date, register, plan) for text in texts]
    mapped = np.array([f if isinstance(f, int) else -2 for f in found] + [-1], dtype="int64")
    result = mapped[codes]
    place.check(result != -2, "unit", lambda p: found[codes[p]])
    place.check(result != -1, "unit", lambda p: "expected the household's unit, got a blank cell")
    new = result >= len(plan_names)
    if new.any():
        first = successors[int(result[int(np.argmax(new))]) - len(plan_names)]
        place.check(new, "unit", lambda p: (
            f"expected a commune formed on 1 July 2025, as other rows of the file name ({first!r}), got one of "
            f"the plan's units: a file names either the plan's 8 units or the new communes, not both"))
        return pd.Categorical.from_codes(result - len(plan_names), categories=successors)
    return pd.Categorical.from_codes(result, categories=plan_names)


def _check_no_totals_row(frame: pd.DataFrame, place: _Place) -> None:
    """Refuse a row whose code or unit says it sums the rows above (``Tổng cộng``, ``Total``)."""
    for column in ("household_id", "unit"):
        text = _as_text(frame[column]).str.casefold()
        place.check(~text.str.fullmatch(_TOTALS).to_numpy(dtype=bool), column, lambda p: (
            "a totals row (Tổng cộng, Total), not a household: a records file holds one row per household "
            "and camlo computes the totals; delete the row"))


def check_income_unit(incomes: np.ndarray, file: Path, header: str = "income_per_person") -> None:
    """Refuse incomes that are implausible as VND per person per month, saying which unit they seem in.

    The test is on the median of the incomes above 0 (:data:`MIN_MEDIAN_INCOME`); no income of
    a household is shown. ``header`` is the column as the file spells it.

    Examples:
        >>> check_income_unit(np.array([1_250_000.0, 2_400_000.0, 0.0]), Path("r.csv"))
        >>> check_income_unit(np.array([1_250.0, 2_400.0]), Path("r.csv"))
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: r.csv, column 'income_per_person': incomes implausible as VND per person per month (half of them below 100,000 VND): they seem to be in thousands of VND; write them in VND (1,250 thousand is 1250000)
    """
    positive = incomes[incomes > 0]
    if len(positive) == 0:
        return
    median = float(np.median(positive))
    if median >= MIN_MEDIAN_INCOME:
        return
    unit, example = ("millions of VND", "1.25 million is 1250000") if median < 100 else \
        ("thousands of VND", "1,250 thousand is 1250000")
    raise DataError(f"incomes implausible as VND per person per month (half of them below {MIN_MEDIAN_INCOME:,} "
                    f"VND): they seem to be in {unit}; write them in VND ({example})", file=file,
                    column=header, field="income_per_person")


def _income_and_scores(frame: pd.DataFrame, place: _Place, excluded: np.ndarray, thousands: str | None = None,
                       ) -> dict[str, np.ndarray]:
    """``income_per_person`` (always; NaN where blank), and ``income_score`` and
    ``deprivation_score`` where the file has them: each surveyed household with an income per
    person or an income score, an excluded household with neither and no deprivation score."""
    n = len(frame)
    has = {name: name in frame for name in ("income_per_person", "income_score", "deprivation_score")}
    scores = None
    if has["income_score"]:
        scores = _numbers(frame["income_score"], "income_score", place, whole=False, minimum=0, maximum=MAX_SCORE,
                          most="points of the review form", blank_ok=np.ones(n, dtype=bool))
    income_blank_ok = excluded | (~np.isnan(scores) if scores is not None else np.zeros(n, dtype=bool))
    if has["income_per_person"]:
        income = _numbers(frame["income_per_person"], "income_per_person", place, whole=False, minimum=0,
                          maximum=MAX_INCOME, most="VND per person per month", blank_ok=income_blank_ok,
                          thousands=thousands,
                          blank=" (a blank only for a household with an income score or an excluded one)"
                          if has["income_score"] or "excluded" in frame else "")
    else:
        income = np.full(n, np.nan)
        place.check(~np.isnan(scores) | excluded, "income_score", lambda p: (
            "expected a number (points), got a blank cell (a blank only for an excluded household)"))
    out = {"income_per_person": income}
    if scores is not None:
        place.check(np.isnan(scores) | ~excluded, "income_score", lambda p: (
            f"an income score for a household the quick identification "
            f"excluded ({place.named('excluded')} = 1): an excluded "
            f"household has none; set {place.named('excluded')} to 0 if it was surveyed"))
        out["income_score"] = scores
    place.check(np.isnan(income) | ~excluded, "income_per_person", lambda p: (
        f"an income for a household the quick identification "
        f"excluded ({place.named('excluded')} = 1): an excluded household "
        f"has none; set {place.named('excluded')} to 0 if it was surveyed"))
    if has["deprivation_score"]:
        points = _numbers(frame["deprivation_score"], "deprivation_score", place, whole=True, minimum=0,
                          maximum=MAX_SCORE, most="points of the review form", blank_ok=excluded.copy(),
                          blank=" (a blank only for an excluded household)")
        place.check(np.isnan(points) | ~excluded, "deprivation_score", lambda p: (
            f"a deprivation score for a household the quick identification "
            f"excluded ({place.named('excluded')} = 1): an excluded "
            f"household has none; set {place.named('excluded')} to 0 if it was surveyed"))
        out["deprivation_score"] = pd.array(np.where(np.isnan(points), 0, points).astype("int64"), dtype="Int64")
        out["deprivation_score"][np.isnan(points)] = pd.NA
    return out


def _duplicates(ids: pd.Series, place: _Place) -> None:
    repeated = ids.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = int(np.argmax(repeated))
        again = int(np.argmax(repeated & (ids.to_numpy() == ids.iloc[first]) & (np.arange(len(ids)) > first)))
        raise place.fail(again, "household_id", f"household_id given twice, first at {place.word} "
                         f"{int(place.index[first])}; expected one record per household")


# --- the loader ------------------------------------------------------------------------------

def _headers(keep: Mapping[str, str]) -> dict[str, str]:
    """``{format name: header as the file spells it}`` for messages."""
    return {name: str(found).strip() for found, name in keep.items()}


def _clean(raw: pd.DataFrame, *, file: Path, word: str, register: pd.DataFrame, date, fields: pd.DataFrame,
           unique_ids: bool, layout: Layout = Layout()) -> pd.DataFrame:
    """Validate one frame of raw rows; the records keep the frame's index (lines)."""
    keep, _ = _match_header(list(raw.columns), file, warn=False, column_map=layout.column_map)
    frame = raw.loc[:, list(keep)].set_axis(list(keep.values()), axis=1)
    if frame.empty:
        raise DataError("no households: the file has a header but no records", file=file, row="header")
    place = _Place(file, word, frame.index, _headers(keep))
    _check_no_totals_row(frame, place)
    ids = _as_text(frame["household_id"])
    place.check((ids != "").to_numpy(), "household_id", lambda p: "expected a household code, got a blank cell")

    out: dict[str, object] = {"household_id": ids}
    out["unit"] = _units(frame["unit"], place, register, date)
    # a new commune (xã) is rural unless its records say otherwise
    unit_area = register.set_index("unit")["area"].replace("", "rural").reindex(
        list(out["unit"].categories)).map(AREAS.index)
    area_codes = unit_area.to_numpy(dtype="int64")[out["unit"].codes]
    if "area" in frame:
        given = _choice(frame["area"], "area", place, _AREA_WORDS, AREAS,
                        "urban or rural (thành thị, nông thôn)").codes
        area_codes = np.where(given >= 0, given, area_codes)
    out["area"] = pd.Categorical.from_codes(area_codes, categories=list(AREAS))
    out["members"] = _numbers(frame["members"], "members", place, whole=True, minimum=1, maximum=MAX_MEMBERS,
                              most="persons in a household").astype("int64")
    excluded = (_flags(frame["excluded"], "excluded", place, np.ones(len(frame), dtype=bool), layout.marks)
                if "excluded" in frame else np.zeros(len(frame), dtype="int8"))
    out.update(_income_and_scores(frame, place, excluded == 1, layout.thousands))
    for name in fields.loc[fields["type"] == "flag", "name"]:
        if name == "excluded":
            continue
        indicator = name.startswith("d") and name[1:].isdigit()
        out[name] = _flags(frame[name], name, place, (excluded == 1) if indicator else None, layout.marks)
        if indicator:
            place.check(~((excluded == 1) & (out[name] == 1)), name, lambda p: (
                f"a deprivation flagged for a household the quick identification excluded "
                f"({place.named('excluded')} = 1): an excluded household has no deprivations; "
                f"set {place.named('excluded')} to 0 if it was surveyed"))
    if "excluded" in frame:
        out["excluded"] = excluded
    if "status_recorded" in frame:
        out["status_recorded"] = _choice(frame["status_recorded"], "status_recorded", place, _STATUS_WORDS,
                                         STATUSES_RECORDED, "poor, near_poor (hộ nghèo, hộ cận nghèo) or blank")
    if unique_ids:
        _duplicates(ids, place)
    records = pd.DataFrame(out, index=frame.index)
    records = records[[n for n in fields["name"] if n in records]]
    try:
        records = records_schema(tuple(out["unit"].categories), unique_ids=unique_ids).validate(records, lazy=True)
    except pa.errors.SchemaErrors as exc:  # the parsing above should leave nothing for this
        case = exc.failure_cases.iloc[0]
        position = records.index.get_loc(case["index"]) if case["index"] in records.index else 0
        raise place.fail(position, str(case["column"]), f"failed check {case['check']!s}") from None
    return records


def clean_records(raw: pd.DataFrame, *, file: Path, word: str = "line",
                  register: pd.DataFrame | None = None, date=PLAN_DATE, warn: bool = True,
                  unique_ids: bool = True, column_map: Mapping[str, str] | str | Path | None = None,
                  marks: str | None = None, thousands: str | None = None) -> pd.DataFrame:
    """Turn a file's rows (headers as found) into validated records.

    Args:
        raw: The rows as read, indexed by line (or sheet row, or record) number.
        file: The file, for messages.
        word: What the index counts: ``line``, ``row`` or ``record``.
        register: The unit register (:func:`camlo.units`); ``None`` for the shipped one.
        date: The review's date, by which units are resolved (see the module's notes).
        warn: Warn about dropped columns (off for the later chunks of one file).
        unique_ids: Check that ``household_id`` is unique (off for the batches of a file
            whose identifiers were checked as a whole, see :func:`iter_records`).
        column_map, marks, thousands: As for :func:`load_records`.

    Returns:
        One row per household: the format's columns in the dictionary's order, ``unit`` as
        printed in the plan (categorical, printed order), ``area`` categorical, ``members``
        int64, ``income_per_person`` float64, the flags int8, and ``status_recorded``
        (categorical ``poor``/``near_poor``, missing for neither) only if the file has it.
    """
    file = Path(file)
    layout = layout_of(file, column_map=column_map, marks=marks, thousands=thousands)
    _match_header(list(raw.columns), file, warn=warn, column_map=layout.column_map)
    records = _clean(raw, file=file, word=word, register=units() if register is None else register, date=date,
                     fields=record_dictionary(), unique_ids=unique_ids, layout=layout)
    return records.reset_index(drop=True)


def load_records(path: str | Path | None = None, *, date=PLAN_DATE, header_row: int | None = None,
                 sheet: str | None = None, column_map: Mapping[str, str] | str | Path | None = None,
                 marks: str | None = None, thousands: str | None = None) -> pd.DataFrame:
    """Household records of a review, validated; personal data dropped.

    The header is checked before any row is read, then the rows are read and validated in
    chunks (:data:`FIRST_CHUNK_ROWS`, then :data:`CHUNK_ROWS`), so that a file of junk is
    refused from its first rows. Messages name each column as the file spells it, the format's
    name beside it (``column 'Chỉ số 4' (d4)``).

    Records as offices keep them: the header may sit below a form's title rows (found when it
    names every required column within the first :data:`MAX_TITLE_ROWS` rows, else the
    message says on which row it seems to be); a workbook of one visible sheet is read whatever
    the sheet's name; the keywords below say the rest.

    Args:
        path: A ``.csv`` (UTF-8), ``.xlsx`` or ``.parquet`` file in the record format; ``None``
            reads the shipped SYNTHETIC records of the 2022 review
            (``data/synthetic/records_2022.csv``).
        date: The date of the review the records come from, by which a unit's name or code
            is resolved (:func:`camlo.resolve_unit`); the plan's date by default.
        header_row: The line (CSV) or sheet row (XLSX) of the header, 1 for the first; the
            rows above it are skipped unread. ``None``: the header is found (see above).
        sheet: The XLSX sheet that holds the records, by name (any case; a hidden sheet too).
            ``None``: the workbook's one visible sheet, else its sheet ``records`` or
            ``Danh sách hộ``; a workbook of several sheets without one is refused, listing them.
        column_map: ``{header as the file writes it: the format's column}`` (its name, such as
            ``members``, or its Vietnamese header), or the path of a CSV with the columns
            ``header,column`` holding the same pairs: an export from the review software read
            without renaming its columns. A mapped header is read before the format's own.
        marks: The mark that ticks a flag (``"x"``, any case): a cell holding it reads 1 and a
            blank cell 0, in every flag column (``d1`` … ``d12``, ``ethnic_minority``,
            ``btxh``, ``excluded``); 0 and 1 still read as themselves. ``None``: flags are 0 or 1,
            a blank only for an excluded household.
        thousands: ``"."`` when ``income_per_person`` is written with dots for thousands
            (``1.500.000``, a comma then marking decimals), ``","`` for commas (``1,500,000``).
            ``None``: digits with an optional decimal point, and a grouped number is refused.

    Returns:
        One row per household (see :func:`clean_records` for the columns and types).

    Raises:
        DataError: naming the file, the household (by its line, never its code) and the
            column, for a missing required column, a flag other than 0 or 1, a negative,
            non-numeric or implausible income (above :data:`MAX_INCOME`, written with dots for
            thousands, or a file whose incomes seem to be in thousands or millions of VND),
            ``members`` below 1 or above :data:`MAX_MEMBERS`, a repeated ``household_id``, a
            totals row, a unit that does not resolve (shown, with the closest names, where it
            reads as a unit's name; never a code, a person's name or an address), an ``area``
            other than urban or rural, an empty file, a CSV not in UTF-8, a pipe or a device, an
            XLSX of several sheets without one of the records' names or with a formula whose
            value was never saved, or a keyword of the wrong kind (naming it). A ticked flag or a
            grouped income read without ``marks=`` or ``thousands=`` is refused, the message
            naming the keyword.

    Warns:
        DroppedColumnsWarning: naming (never showing) the columns dropped as not part of the
            format, such as names, ID-card numbers, addresses and phone numbers.

    Examples:
        >>> records = load_records()
        >>> len(records), records["unit"].iloc[0]
        (14905, 'Thanh An')
        >>> records["d1"].dtype, records["unit"].cat.categories[5]
        (dtype('int8'), 'Cam Tuyên')
    """
    path = Path(path) if path is not None else SYNTHETIC_RECORDS
    layout = layout_of(path, header_row=header_row, sheet=sheet, column_map=column_map, marks=marks,
                       thousands=thousands)
    opened = open_record_file(path, layout)
    try:
        # a file of another layout: refused at its header
        keep, _ = _match_header(opened.header, path, warn=True, column_map=layout.column_map)
        register, fields = units(), record_dictionary()
        parts = [_clean(raw, file=path, word=opened.word, register=register, date=date, fields=fields,
                        unique_ids=False, layout=layout) for raw in opened.chunks]
    finally:
        opened.chunks.close()
        opened.close()
    records = pd.concat(parts) if len(parts) > 1 else parts[0]
    if not isinstance(records["unit"].dtype, pd.CategoricalDtype):  # chunks of both kinds of unit
        raise DataError("a file names either the plan's 8 units or the communes formed on 1 July 2025, not both",
                        file=path, column="unit")
    headers = _headers(keep)
    _duplicates(records["household_id"], _Place(path, opened.word, records.index, headers))
    check_income_unit(records["income_per_person"].to_numpy(), path, headers.get("income_per_person",
                                                                                 "income_per_person"))
    return records.reset_index(drop=True)


def _check_unique_ids(source, column: str, path: Path, batch_rows: int, headers: Mapping[str, str]) -> None:
    """Check ``household_id`` unique across a whole Parquet file, in bounded memory.

    Each identifier (as text, stripped, NFC) is hashed to 64 bits, batch by batch; equal
    hashes are then compared as text, so that a hash collision is never taken for a repeat.
    """
    def ids_of(batches) -> Iterator[pd.Series]:
        for batch in batches:
            yield _as_text(batch.column(0).to_pandas())

    def batches():
        return source.iter_batches(batch_size=batch_rows, columns=[column])

    hashes = np.concatenate([pd.util.hash_pandas_object(ids, index=False).to_numpy() for ids in ids_of(batches())])
    order = np.argsort(hashes, kind="stable")
    same = hashes[order[1:]] == hashes[order[:-1]]
    if not same.any():
        return
    candidates = np.union1d(order[1:][same], order[:-1][same])
    found, start = [], 0
    for ids in ids_of(batches()):
        inside = candidates[(candidates >= start) & (candidates < start + len(ids))]
        found.append(pd.Series(ids.iloc[inside - start].to_numpy(), index=inside + 1, dtype="str"))
        start += len(ids)
    repeated = pd.concat(found)
    _duplicates(repeated, _Place(path, "record", repeated.index, headers))


def iter_records(path: str | Path, batch_rows: int = 1_000_000, *, date=PLAN_DATE,
                 column_map: Mapping[str, str] | str | Path | None = None, marks: str | None = None,
                 thousands: str | None = None) -> Iterator[pd.DataFrame]:
    """Read a large Parquet file of records in batches, each validated like :func:`load_records`.

    Only the format's columns are read from disk. ``household_id`` is checked unique across
    the whole file before the first batch is returned (a first pass over that column alone);
    each batch's incomes are checked plausible as VND (:func:`check_income_unit`).

    Args:
        path: A ``.parquet`` file in the record format.
        batch_rows: Records per batch.
        date: The review's date, by which units are resolved (as for :func:`load_records`).
        column_map, marks, thousands: As for :func:`load_records`.

    Yields:
        Validated records, one frame per batch.
    """
    path = check_file(path, max_bytes=None)
    layout = layout_of(path, column_map=column_map, marks=marks, thousands=thousands)
    source = _parquet_file(path)
    keep, _ = _match_header(source.schema_arrow.names, path, warn=True, column_map=layout.column_map)
    if source.metadata.num_rows == 0:
        raise DataError("no households: the file has no records", file=path, row="header")
    headers = _headers(keep)
    _check_unique_ids(source, next(found for found, name in keep.items() if name == "household_id"), path,
                      batch_rows, headers)
    register = units()
    start = 1
    for batch in source.iter_batches(batch_size=batch_rows, columns=list(keep)):
        raw = batch.to_pandas()
        raw.index = pd.RangeIndex(start, start + len(raw))
        start += len(raw)
        records = _clean(raw, file=path, word="record", register=register, date=date,
                         fields=record_dictionary(), unique_ids=False, layout=layout).reset_index(drop=True)
        check_income_unit(records["income_per_person"].to_numpy(), path, headers.get("income_per_person",
                                                                                     "income_per_person"))
        yield records


@dataclass(frozen=True)
class RecordsSource:
    """What a records file is, as its sidecar (``<file>.provenance.json``) says.

    Attributes:
        name: The file's name (never its folder: a path can name a person or a machine).
        synthetic: True when the sidecar says the records are made up (``"synthetic": true``).
        title: The sidecar's title, or ``""`` without a sidecar.
    """

    name: str
    synthetic: bool
    title: str


def records_source(path: str | Path | None = None) -> RecordsSource:
    """Whether a records file is SYNTHETIC, from its sidecar; a file without one is taken as real.

    Args:
        path: A records file; ``None``: the shipped synthetic 2022 records.

    Raises:
        DataError: for a sidecar that is not a JSON object.

    Examples:
        >>> records_source().synthetic, records_source(SYNTHETIC_FOLLOW_UP).name
        (True, 'records_2023.csv')
    """
    path = SYNTHETIC_RECORDS if path is None else Path(path)
    sidecar = path.with_name(path.name + ".provenance.json")
    if not sidecar.exists():
        return RecordsSource(path.name, False, "")
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not a readable JSON sidecar ({type(exc).__name__})", file=sidecar) from None
    if not isinstance(record, dict):
        raise DataError("expected a JSON object", file=sidecar)
    return RecordsSource(path.name, record.get("synthetic") is True, str(record.get("title", "")))
