"""Household records of a poverty review: read, keep only the format's columns, validate.

A review (rà soát hộ nghèo, hộ cận nghèo) holds one record per household. The format is
documented in ``data/reference/record_dictionary.csv`` (one row per column: name, Vietnamese
header, type, whether required, rule, meaning) and in the README. :func:`load_records` reads
CSV (UTF-8), XLSX (sheet ``records`` or ``Danh sách hộ``) and Parquet, with English or
Vietnamese headers in any order.

Personal data. Review lists carry names, ID-card numbers, addresses and phone numbers
(Decree 13/2023/NĐ-CP). The loader keeps only the format's columns and warns, naming the
dropped columns by position (and by header only for the usual headers of a review list,
:data:`SAFE_DROPPED_HEADERS`), never their values. Error messages name a household by its line
only, never by its ``household_id`` (offices use ID-card numbers as household codes), and never
repeat a cell's content, except a short number (four characters at most, e.g. a flag of ``2``):
a misplaced name or phone number in a format column therefore never reaches a message.

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
import json
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from camlo.clean.parsing import NUL_MESSAGE, check_delimiter, check_file, check_not_binary, read_rows
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
#: The sheet an XLSX workbook must hold its records in (either name).
SHEETS = ("records", "Danh sách hộ")
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
    """The loader dropped columns that are not part of the record format (named, never shown)."""


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
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise DataError(f"a cell longer than {csv.field_size_limit():,} characters: this is not a "
                                "records file", file=path, row=f"line {line}") from None
            raise DataError(f"not a readable CSV row ({exc})", file=path, row=f"line {line}") from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield start, cells


def _open_csv(path: Path) -> RecordFile:
    check_file(path, max_bytes=MAX_RECORDS_CSV_BYTES)
    try:
        with path.open("rb") as handle:
            check_not_binary(handle.read(8), path)
        handle = path.open("r", encoding="utf-8-sig", newline="")  # newline="": \n, \r\n and old Mac \r
    except OSError as exc:
        raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None
    rows = _csv_rows(csv.reader(_text_lines(handle, path)), path)
    try:
        first = next(rows, None)
        if first is None:
            raise DataError("the file is empty; expected a header row and one row per household", file=path)
        check_delimiter([cell.strip() for cell in first[1]], path)
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


def _pick_sheet(book, path: Path):
    """The sheet that holds the records: one of :data:`SHEETS`, never two, never a hidden one."""
    names = {_key(name): name for name in book.sheetnames}
    found = [names[_key(s)] for s in SHEETS if _key(s) in names]
    if not found:
        raise DataError(f"no sheet named {' or '.join(map(repr, SHEETS))}; found "
                        f"{len(book.sheetnames)} other sheet(s)", file=path, row="sheet")
    if len(found) > 1:
        raise DataError(f"two sheets may hold the records ({' and '.join(map(repr, found))}); keep the one "
                        "that does and rename or delete the other", file=path, row="sheet")
    sheet = book[found[0]]
    if getattr(sheet, "sheet_state", "visible") != "visible":
        raise DataError(f"the sheet {found[0]!r} is hidden: unhide it if it holds the records (a hidden sheet "
                        "is never read unseen)", file=path, row="sheet")
    return sheet


def _open_xlsx(path: Path) -> RecordFile:
    import openpyxl

    check_file(path, max_bytes=MAX_RECORDS_XLSX_BYTES)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=path) from None
    try:
        sheet = _pick_sheet(book, path)
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

        first = next(((n, filled(n, r)) for n, r in rows if any(c is not None and c != "" for c in r)), None)
        if first is None:
            raise DataError(f"sheet {sheet.title!r} is empty; expected a header row", file=path, row="header")
        header = ["" if h is None else str(h) for h in first[1]]
        width = len(header)
    except BaseException:
        book.close()
        raise

    def body() -> Iterator[tuple[int, list]]:
        try:
            for number, row in rows:
                cells = filled(number, row)
                if any(cell is not None and cell != "" for cell in cells):
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


def _open_parquet(path: Path) -> RecordFile:
    check_file(path, max_bytes=None)
    source = _parquet_file(path)
    header = list(source.schema_arrow.names)
    keep, _ = _match_header(header, path, warn=False)

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


def open_record_file(path: Path) -> RecordFile:
    """Open a records file: its header now, its rows chunk by chunk (see :class:`RecordFile`).

    Raises:
        DataError: for a missing or empty file, a folder, a pipe or a device, text that is not
            UTF-8, a file too large (:data:`MAX_RECORDS_CSV_BYTES`, :data:`MAX_RECORDS_XLSX_BYTES`),
            an XLSX without one visible records sheet, or with a formula whose value was never
            saved, or a file type other than ``.csv``, ``.xlsx`` and ``.parquet``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path)
    if suffix == ".xlsx":
        return _open_xlsx(path)
    if suffix in (".parquet", ".pq"):
        return _open_parquet(path)
    check_file(path, max_bytes=None)
    raise DataError(f"unknown file type {suffix or '(none)'!r}; expected .csv (UTF-8), .xlsx or .parquet",
                    file=path)


# --- headers ---------------------------------------------------------------------------------

def _match_header(header: list[str], file: Path, *, warn: bool) -> tuple[dict[str, str], list[str]]:
    """Map the file's headers to the format's names; warn about (and return) the dropped ones.

    The warning names each dropped column by its position, and by its header only when that is
    one of :data:`SAFE_DROPPED_HEADERS`: a header is free text typed by a person and may carry
    a note about a household, so any other header is never repeated.

    Returns:
        ``{header as found: format name}`` for the kept columns, and the dropped headers.

    Raises:
        DataError: for a required column that is missing or a column given twice.
    """
    fields = record_dictionary()
    aliases = {_key(name): name for name in fields["name"]}
    aliases.update({_key(vi): name for vi, name in zip(fields["header_vi"], fields["name"])})
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
            raise DataError(f"column {name!r} given twice", file=file, row="header", column=str(found))
        else:
            keep[found] = name
    missing = [n for n, required in zip(fields["name"], fields["required"]) if required and n not in keep.values()]
    if not any(n in keep.values() for n in INCOME_COLUMNS):
        missing.insert(0, INCOME_COLUMNS[0])
    if missing:
        headers = dict(zip(fields["name"], fields["header_vi"]))
        either = (f" (or {INCOME_COLUMNS[1]}, {headers[INCOME_COLUMNS[1]]}: one of the two is required)"
                  if missing[0] == INCOME_COLUMNS[0] and not any(n in keep.values() for n in INCOME_COLUMNS) else "")
        raise DataError("missing required column(s): " + ", ".join(f"{n} ({headers[n]})" for n in missing) + either,
                        file=file, row="header", column=missing[0])
    if dropped and warn:
        warnings.warn(f"{file.name}: dropped {len(dropped)} column(s) that are not part of the record "
                      f"format (personal data is never kept): {', '.join(dropped)}",
                      DroppedColumnsWarning, stacklevel=4)
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
    """

    def __init__(self, file: Path, word: str, index: pd.Index):
        self.file, self.word, self.index = file, word, index

    def fail(self, position: int, column: str, message: str) -> DataError:
        return DataError(message, file=self.file, row=f"{self.word} {int(self.index[position])}", column=column)

    def check(self, ok: np.ndarray, column: str, describe) -> None:
        """Raise for the first ``False`` in ``ok``, with ``describe(position)``."""
        if not ok.all():
            position = int(np.argmin(ok))
            raise self.fail(position, column, describe(position))


def _flags(values: pd.Series, column: str, place: _Place, blank_ok: np.ndarray | None = None) -> np.ndarray:
    """0/1 cells as int8; a blank reads 0 where ``blank_ok`` (an excluded household), else is refused."""
    blank_ok = np.zeros(len(values), dtype=bool) if blank_ok is None else blank_ok
    if pd.api.types.is_numeric_dtype(values.dtype):
        data = values.to_numpy(dtype="float64", na_value=np.nan)
        data = np.where(np.isnan(data) & blank_ok, 0.0, data)
        place.check((data == 0) | (data == 1), column, lambda p: "expected 0 or 1, got " + (
            "a blank cell" if np.isnan(data[p]) else _shown(_cell_text(data[p]))))
        return data.astype("int8")
    text = _as_text(values)
    one = (text == "1").to_numpy(dtype=bool)
    zero = (text == "0").to_numpy(dtype=bool) | ((text == "").to_numpy(dtype=bool) & blank_ok)
    place.check(one | zero, column, lambda p: f"expected 0 or 1, got {_shown(text.iloc[p])}")
    return one.astype("int8")


def _numbers(values: pd.Series, column: str, place: _Place, *, whole: bool, minimum: int, maximum: int,
             most: str, blank_ok: np.ndarray | None = None, blank: str = "") -> np.ndarray:
    """Parse a numeric column: no text, whole if asked, from ``minimum`` to ``maximum`` (``most``
    says what the maximum is); a blank cell is refused (``blank`` says why) except where
    ``blank_ok``, where it reads NaN."""
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
        negative = text.str.fullmatch("-" + _NUMBER).to_numpy(dtype=bool)
        place.check(~negative, column, lambda p: f"expected {kind} of at least {minimum}, got a negative number")
        if not whole:
            dotted = text.str.fullmatch(_DOTTED_THOUSANDS).to_numpy(dtype=bool)
            place.check(~dotted, column, lambda p: f"expected {kind}, got a number with dots for thousands (as "
                        "the plan prints 988.000 for 988,000 VND, or a decimal in another unit): write VND "
                        "with digits only, e.g. 988000")
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


def _unit_problem(text: str, date, register: pd.DataFrame, plan: tuple[str, ...]) -> int | str:
    """The position in ``plan`` (the plan's units, then the new communes) of the unit ``text``
    names on ``date``, or why there is none (worded without repeating the text)."""
    expected = f"the name or code of one of the plan's {len(plan) - len(_successors(register))} units"
    try:
        key = resolve_unit(text, date, register=register)
    except UnresolvedUnit as exc:
        later = _resolved_later(text, register)
        return f"expected {expected}; {exc.reworded('[not shown]')}" + (
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


def check_income_unit(incomes: np.ndarray, file: Path) -> None:
    """Refuse incomes that are implausible as VND per person per month, saying which unit they seem in.

    The test is on the median of the incomes above 0 (:data:`MIN_MEDIAN_INCOME`); no income of
    a household is shown.

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
                    column="income_per_person")


def _income_and_scores(frame: pd.DataFrame, place: _Place, excluded: np.ndarray) -> dict[str, np.ndarray]:
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
                          blank=" (a blank only for a household with an income score or an excluded one)"
                          if has["income_score"] or "excluded" in frame else "")
    else:
        income = np.full(n, np.nan)
        place.check(~np.isnan(scores) | excluded, "income_score", lambda p: (
            "expected a number (points), got a blank cell (a blank only for an excluded household)"))
    out = {"income_per_person": income}
    if scores is not None:
        place.check(np.isnan(scores) | ~excluded, "income_score", lambda p: (
            "an income score for a household the quick identification excluded (excluded = 1): an excluded "
            "household has none; set excluded to 0 if it was surveyed"))
        out["income_score"] = scores
    place.check(np.isnan(income) | ~excluded, "income_per_person", lambda p: (
        "an income for a household the quick identification excluded (excluded = 1): an excluded household "
        "has none; set excluded to 0 if it was surveyed"))
    if has["deprivation_score"]:
        points = _numbers(frame["deprivation_score"], "deprivation_score", place, whole=True, minimum=0,
                          maximum=MAX_SCORE, most="points of the review form", blank_ok=excluded.copy(),
                          blank=" (a blank only for an excluded household)")
        place.check(np.isnan(points) | ~excluded, "deprivation_score", lambda p: (
            "a deprivation score for a household the quick identification excluded (excluded = 1): an excluded "
            "household has none; set excluded to 0 if it was surveyed"))
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

def _clean(raw: pd.DataFrame, *, file: Path, word: str, register: pd.DataFrame, date, fields: pd.DataFrame,
           unique_ids: bool) -> pd.DataFrame:
    """Validate one frame of raw rows; the records keep the frame's index (lines)."""
    keep, _ = _match_header(list(raw.columns), file, warn=False)
    frame = raw.loc[:, list(keep)].set_axis(list(keep.values()), axis=1)
    if frame.empty:
        raise DataError("no households: the file has a header but no records", file=file, row="header")
    place = _Place(file, word, frame.index)
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
    excluded = (_flags(frame["excluded"], "excluded", place, np.ones(len(frame), dtype=bool))
                if "excluded" in frame else np.zeros(len(frame), dtype="int8"))
    out.update(_income_and_scores(frame, place, excluded == 1))
    for name in fields.loc[fields["type"] == "flag", "name"]:
        if name == "excluded":
            continue
        indicator = name.startswith("d") and name[1:].isdigit()
        out[name] = _flags(frame[name], name, place, (excluded == 1) if indicator else None)
        if indicator:
            place.check(~((excluded == 1) & (out[name] == 1)), name, lambda p: (
                "a deprivation flagged for a household the quick identification excluded (excluded = 1): "
                "an excluded household has no deprivations; set excluded to 0 if it was surveyed"))
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
                  unique_ids: bool = True) -> pd.DataFrame:
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

    Returns:
        One row per household: the format's columns in the dictionary's order, ``unit`` as
        printed in the plan (categorical, printed order), ``area`` categorical, ``members``
        int64, ``income_per_person`` float64, the flags int8, and ``status_recorded``
        (categorical ``poor``/``near_poor``, missing for neither) only if the file has it.
    """
    _match_header(list(raw.columns), file, warn=warn)
    records = _clean(raw, file=file, word=word, register=units() if register is None else register, date=date,
                     fields=record_dictionary(), unique_ids=unique_ids)
    return records.reset_index(drop=True)


def load_records(path: str | Path | None = None, *, date=PLAN_DATE) -> pd.DataFrame:
    """Household records of a review, validated; personal data dropped.

    The header is checked before any row is read, then the rows are read and validated in
    chunks (:data:`FIRST_CHUNK_ROWS`, then :data:`CHUNK_ROWS`), so that a file of junk is
    refused from its first rows.

    Args:
        path: A ``.csv`` (UTF-8), ``.xlsx`` (sheet ``records`` or ``Danh sách hộ``) or
            ``.parquet`` file in the record format; ``None`` reads the shipped SYNTHETIC
            records of the 2022 review (``data/synthetic/records_2022.csv``).
        date: The date of the review the records come from, by which a unit's name or code
            is resolved (:func:`camlo.resolve_unit`); the plan's date by default.

    Returns:
        One row per household (see :func:`clean_records` for the columns and types).

    Raises:
        DataError: naming the file, the household (by its line, never its code) and the
            column, for a missing required column, a flag other than 0 or 1, a negative,
            non-numeric or implausible income (above :data:`MAX_INCOME`, written with dots for
            thousands, or a file whose incomes seem to be in thousands or millions of VND),
            ``members`` below 1 or above :data:`MAX_MEMBERS`, a repeated ``household_id``, a
            totals row, a unit that does not resolve, an ``area`` other than urban or rural,
            an empty file, a CSV not in UTF-8, a pipe or a device, an XLSX without one visible
            records sheet or with a formula whose value was never saved.

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
    opened = open_record_file(path)
    try:
        _match_header(opened.header, path, warn=True)  # a file of another layout: refused at its header
        register, fields = units(), record_dictionary()
        parts = [_clean(raw, file=path, word=opened.word, register=register, date=date, fields=fields,
                        unique_ids=False) for raw in opened.chunks]
    finally:
        opened.chunks.close()
        opened.close()
    records = pd.concat(parts) if len(parts) > 1 else parts[0]
    if not isinstance(records["unit"].dtype, pd.CategoricalDtype):  # chunks of both kinds of unit
        raise DataError("a file names either the plan's 8 units or the communes formed on 1 July 2025, not both",
                        file=path, column="unit")
    _duplicates(records["household_id"], _Place(path, opened.word, records.index))
    check_income_unit(records["income_per_person"].to_numpy(), path)
    return records.reset_index(drop=True)


def _check_unique_ids(source, column: str, path: Path, batch_rows: int) -> None:
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
    _duplicates(repeated, _Place(path, "record", repeated.index))


def iter_records(path: str | Path, batch_rows: int = 1_000_000, *, date=PLAN_DATE) -> Iterator[pd.DataFrame]:
    """Read a large Parquet file of records in batches, each validated like :func:`load_records`.

    Only the format's columns are read from disk. ``household_id`` is checked unique across
    the whole file before the first batch is returned (a first pass over that column alone);
    each batch's incomes are checked plausible as VND (:func:`check_income_unit`).

    Args:
        path: A ``.parquet`` file in the record format.
        batch_rows: Records per batch.
        date: The review's date, by which units are resolved (as for :func:`load_records`).

    Yields:
        Validated records, one frame per batch.
    """
    path = check_file(path, max_bytes=None)
    source = _parquet_file(path)
    keep, _ = _match_header(source.schema_arrow.names, path, warn=True)
    if source.metadata.num_rows == 0:
        raise DataError("no households: the file has no records", file=path, row="header")
    _check_unique_ids(source, next(found for found, name in keep.items() if name == "household_id"), path,
                      batch_rows)
    register = units()
    start = 1
    for batch in source.iter_batches(batch_size=batch_rows, columns=list(keep)):
        raw = batch.to_pandas()
        raw.index = pd.RangeIndex(start, start + len(raw))
        start += len(raw)
        records = clean_records(raw, file=path, word="record", register=register, date=date, warn=False,
                                unique_ids=False)
        check_income_unit(records["income_per_person"].to_numpy(), path)
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
