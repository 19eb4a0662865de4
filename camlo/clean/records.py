"""Household records of a poverty review: read, keep only the format's columns, validate.

A review (rà soát hộ nghèo, hộ cận nghèo) holds one record per household. The format is
documented in ``data/reference/record_dictionary.csv`` (one row per column: name, Vietnamese
header, type, whether required, rule, meaning) and in the README. :func:`load_records` reads
CSV (UTF-8), XLSX (sheet ``records`` or ``Danh sách hộ``) and Parquet, with English or
Vietnamese headers in any order.

Personal data. Review lists carry names, ID-card numbers, addresses and phone numbers
(Decree 13/2023/NĐ-CP). The loader keeps only the format's columns and warns, naming the
dropped columns (never their values). Error messages name a household by its
``household_id`` and its line only, and never repeat a cell's content, except a short number
(four characters at most, e.g. a flag of ``2``): a misplaced name or phone number in a
format column therefore never reaches a message.

Units. A record names its household's unit by any spelling or code that
:func:`camlo.resolve_unit` resolves (the plan's printed name, the official name, the statistics
office's code; ``Cam Tuyền`` is kept as the plan's ``Cam Tuyên``), and always one of the plan's
8 units: the household's commune before 1 July 2025. Records carry no date, so names and codes
are resolved as of ``date``, by default the plan's date (the 2022 review it rests on, which the
shipped synthetic records reproduce); a later review's records are read with that review's date,
so that a code the 2025 reorganisation reused (19597, 19603) is read as the unit that held it
then. A record naming a commune formed on 1 July 2025, or the district, is refused: its
households cannot be placed in one of the plan's units.

Line numbers: for CSV the file's line (the header is line 1), for XLSX the sheet's row, for
Parquet the record's position (1 for the first).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from camlo.clean.parsing import check_delimiter, check_file, read_rows, read_text
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
        14
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

def _read_csv(path: Path) -> pd.DataFrame:
    text = read_text(path, max_bytes=MAX_RECORDS_CSV_BYTES)  # refuses workbooks, UTF-16, binary, …
    if not text.strip(" \t\r\n,"):
        raise DataError("the file is empty; expected a header row and one row per household", file=path)
    try:
        header = next(csv.reader(io.StringIO(text, newline="")))  # newline="": \n, \r\n and old Mac \r
    except csv.Error as exc:
        raise DataError(f"the header row is not a readable CSV row ({exc})", file=path, row="header") from None
    check_delimiter([cell.strip() for cell in header], path)
    try:
        body = pd.read_csv(io.StringIO(text), header=None, skiprows=1, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, names=range(len(header)))
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        where = f"line {found.group(1)}" if found else None
        raise DataError(f"expected {len(header)} cells like the header" +
                        (f", found {found.group(2)}" if found else ""), file=path, row=where) from None
    body.index = pd.RangeIndex(2, len(body) + 2)
    body = body.loc[(body != "").any(axis=1)]
    body.columns = header
    return body


def _read_xlsx(path: Path) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=path) from None
    try:
        names = {_key(name): name for name in book.sheetnames}
        sheet = next((names[_key(s)] for s in SHEETS if _key(s) in names), None)
        if sheet is None:
            raise DataError(f"no sheet named {' or '.join(map(repr, SHEETS))}; found "
                            f"{len(book.sheetnames)} other sheet(s)", file=path, row="sheet")
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(cell is None for cell in header):
            raise DataError(f"sheet {sheet!r} is empty; expected a header row", file=path, row="header")
        width = len(header)
        lines, cells = [], []
        for number, row in enumerate(rows, start=2):
            if any(cell is not None and cell != "" for cell in row):
                lines.append(number)
                cells.append(list(row[:width]) + [None] * (width - len(row)))
    finally:
        book.close()
    body = pd.DataFrame(cells, index=pd.Index(lines, dtype="int64"), columns=range(width), dtype=object)
    body.columns = ["" if h is None else str(h) for h in header]
    return body


def _parquet_file(path: Path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, … for a damaged file
        raise DataError(f"not a readable Parquet file ({type(exc).__name__})", file=path) from None


def _read_parquet(path: Path) -> pd.DataFrame:
    source = _parquet_file(path)
    keep, _ = _match_header(source.schema_arrow.names, path, warn=True)
    body = source.read(columns=list(keep)).to_pandas()
    body.index = pd.RangeIndex(1, len(body) + 1)
    return body


def read_record_file(path: Path) -> tuple[pd.DataFrame, str]:
    """Read a records file as it is: header names kept, one row per non-blank line.

    Returns:
        The frame (indexed by line, sheet row or record number) and the word for that number
        (``line``, ``row`` or ``record``).

    Raises:
        DataError: for a missing or empty file, text that is not UTF-8, an XLSX without the
            expected sheet, or a file type other than ``.csv``, ``.xlsx`` and ``.parquet``.
    """
    check_file(path, max_bytes=None)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path), "line"
    if suffix == ".xlsx":
        return _read_xlsx(path), "row"
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path), "record"
    raise DataError(f"unknown file type {suffix or '(none)'!r}; expected .csv (UTF-8), .xlsx or .parquet",
                    file=path)


# --- headers ---------------------------------------------------------------------------------

def _match_header(header: list[str], file: Path, *, warn: bool) -> tuple[dict[str, str], list[str]]:
    """Map the file's headers to the format's names; warn about (and return) the dropped ones.

    Returns:
        ``{header as found: format name}`` for the kept columns, and the dropped headers.

    Raises:
        DataError: for a required column that is missing or a column given twice.
    """
    fields = record_dictionary()
    aliases = {_key(name): name for name in fields["name"]}
    aliases.update({_key(vi): name for vi, name in zip(fields["header_vi"], fields["name"])})
    keep: dict[str, str] = {}
    dropped: list[str] = []
    for position, found in enumerate(header, start=1):
        name = aliases.get(_key(found))
        if name is None:
            dropped.append(str(found) if str(found).strip() else f"(blank header, column {position})")
        elif name in keep.values():
            raise DataError(f"column {name!r} given twice", file=file, row="header", column=str(found))
        else:
            keep[found] = name
    missing = [n for n, required in zip(fields["name"], fields["required"]) if required and n not in keep.values()]
    if missing:
        headers = dict(zip(fields["name"], fields["header_vi"]))
        raise DataError("missing required column(s): " + ", ".join(f"{n} ({headers[n]})" for n in missing),
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
    """Names a household in messages: its household_id and its line."""

    def __init__(self, file: Path, word: str, index: pd.Index, ids: pd.Series | None):
        self.file, self.word, self.index, self.ids = file, word, index, ids

    def fail(self, position: int, column: str, message: str) -> DataError:
        line = int(self.index[position])
        household = self.ids.iloc[position] if self.ids is not None else ""
        row = f"household {household} ({self.word} {line})" if household else f"{self.word} {line}"
        return DataError(message, file=self.file, row=row, column=column)

    def check(self, ok: np.ndarray, column: str, describe) -> None:
        """Raise for the first ``False`` in ``ok``, with ``describe(position)``."""
        if not ok.all():
            position = int(np.argmin(ok))
            raise self.fail(position, column, describe(position))


def _flags(values: pd.Series, column: str, place: _Place) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values.dtype):
        data = values.to_numpy(dtype="float64", na_value=np.nan)
        place.check((data == 0) | (data == 1), column, lambda p: "expected 0 or 1, got " + (
            "a blank cell" if np.isnan(data[p]) else _shown(_cell_text(data[p]))))
        return data.astype("int8")
    text = _as_text(values)
    one = (text == "1").to_numpy(dtype=bool)
    place.check(one | (text == "0").to_numpy(dtype=bool), column,
                lambda p: f"expected 0 or 1, got {_shown(text.iloc[p])}")
    return one.astype("int8")


def _numbers(values: pd.Series, column: str, place: _Place, *, whole: bool, minimum: int) -> np.ndarray:
    """Parse a numeric column: no blanks, no text, whole if asked, at least ``minimum``."""
    kind = "a whole number" if whole else "a number (digits, optional decimal point, no thousands separators)"
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        data = values.to_numpy(dtype="float64", na_value=np.nan)
        place.check(~np.isnan(data), column, lambda p: f"expected {kind}, got a blank cell")
    else:
        text = _as_text(values)
        negative = text.str.fullmatch("-" + _NUMBER).to_numpy(dtype=bool)
        place.check(~negative, column, lambda p: f"expected {kind} of at least {minimum}, got a negative number")
        pattern = r"\d+" if whole else _NUMBER
        place.check(text.str.fullmatch(pattern).to_numpy(dtype=bool), column,
                    lambda p: f"expected {kind}, got {_shown(text.iloc[p])}")
        data = text.astype("float64").to_numpy()
    # a digit string too long for a float reads as infinity: refuse it, never cast it
    place.check(np.isfinite(data) & (data < 2.0 ** 53), column, lambda p: f"expected {kind}, got a number too large")
    if whole:
        place.check(data == np.floor(data), column, lambda p: f"expected {kind}, got a decimal")
    place.check(data >= minimum, column, lambda p: f"expected {kind} of at least {minimum}, got " +
                (_shown(_cell_text(data[p])) if data[p] >= 0 else "a negative number"))
    return data


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
    """The position in ``plan`` of the unit ``text`` names on ``date``, or why there is none
    (worded without repeating the text)."""
    expected = f"the name or code of one of the plan's {len(plan)} units"
    try:
        key = resolve_unit(text, date, register=register)
    except UnresolvedUnit as exc:
        return f"expected {expected}; {exc.reworded('[not shown]')}"
    if key in plan:
        return plan.index(key)
    row = register.set_index("unit").loc[key]
    if row["role"] == "successor":
        merged = row["predecessors"].split(";")
        return (f"expected {expected} (the household's commune before 1 July 2025), got the commune "
                f"{key!r} that merged {len(merged)} of them ({', '.join(merged)}) on {row['valid_from'].date()}; "
                f"its households cannot be placed in one of the plan's units")
    return f"expected {expected}, got the whole district"


def _units(values: pd.Series, place: _Place, register: pd.DataFrame, date) -> pd.Categorical:
    """Resolve each distinct cell once (:func:`camlo.resolve_unit` on ``date``) to a plan unit."""
    plan = tuple(plan_units(register)["unit"])
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    texts = [_cell_text(value) for value in uniques]
    found = [-1 if text == "" else _unit_problem(text, date, register, plan) for text in texts]
    mapped = np.array([f if isinstance(f, int) else -2 for f in found] + [-1], dtype="int64")
    result = mapped[codes]
    place.check(result != -2, "unit", lambda p: found[codes[p]])
    place.check(result != -1, "unit", lambda p: "expected the household's unit, got a blank cell")
    return pd.Categorical.from_codes(result, categories=list(plan))


def _duplicates(ids: pd.Series, place: _Place) -> None:
    repeated = ids.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = int(np.argmax(repeated))
        again = int(np.argmax(repeated & (ids.to_numpy() == ids.iloc[first]) & (np.arange(len(ids)) > first)))
        raise place.fail(again, "household_id", f"household_id given twice, first at {place.word} "
                         f"{int(place.index[first])}; expected one record per household")


# --- the loader ------------------------------------------------------------------------------

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
    keep, _ = _match_header(list(raw.columns), file, warn=warn)
    frame = raw.loc[:, list(keep)].set_axis(list(keep.values()), axis=1)
    if frame.empty:
        raise DataError("no households: the file has a header but no records", file=file, row="header")
    register = units() if register is None else register
    fields = record_dictionary()
    ids = _as_text(frame["household_id"])
    place = _Place(file, word, frame.index, None)
    place.check((ids != "").to_numpy(), "household_id", lambda p: "expected a household code, got a blank cell")
    place = _Place(file, word, frame.index, ids)

    out: dict[str, object] = {"household_id": ids}
    out["unit"] = _units(frame["unit"], place, register, date)
    unit_area = plan_units(register).set_index("unit")["area"].reindex(list(out["unit"].categories)).map(AREAS.index)
    area_codes = unit_area.to_numpy(dtype="int64")[out["unit"].codes]
    if "area" in frame:
        given = _choice(frame["area"], "area", place, _AREA_WORDS, AREAS,
                        "urban or rural (thành thị, nông thôn)").codes
        area_codes = np.where(given >= 0, given, area_codes)
    out["area"] = pd.Categorical.from_codes(area_codes, categories=list(AREAS))
    out["members"] = _numbers(frame["members"], "members", place, whole=True, minimum=1).astype("int64")
    out["income_per_person"] = _numbers(frame["income_per_person"], "income_per_person", place, whole=False,
                                        minimum=0)
    for name in fields.loc[fields["type"] == "flag", "name"]:
        out[name] = _flags(frame[name], name, place)
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
    return records.reset_index(drop=True)


def load_records(path: str | Path | None = None, *, date=PLAN_DATE) -> pd.DataFrame:
    """Household records of a review, validated; personal data dropped.

    Args:
        path: A ``.csv`` (UTF-8), ``.xlsx`` (sheet ``records`` or ``Danh sách hộ``) or
            ``.parquet`` file in the record format; ``None`` reads the shipped SYNTHETIC
            records of the 2022 review (``data/synthetic/records_2022.csv``).
        date: The date of the review the records come from, by which a unit's name or code
            is resolved (:func:`camlo.resolve_unit`); the plan's date by default.

    Returns:
        One row per household (see :func:`clean_records` for the columns and types).

    Raises:
        DataError: naming the file, the household (``household_id`` and line) and the column,
            for a missing required column, a flag other than 0 or 1, a negative or non-numeric
            income, ``members`` below 1, a repeated ``household_id``, a unit that does not
            resolve, an ``area`` other than urban or rural, an empty file, a CSV not in UTF-8,
            an XLSX without the expected sheet.

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
    raw, word = read_record_file(path)
    return clean_records(raw, file=path, word=word, date=date)


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
    _duplicates(repeated, _Place(path, "record", repeated.index, repeated))


def iter_records(path: str | Path, batch_rows: int = 1_000_000, *, date=PLAN_DATE) -> Iterator[pd.DataFrame]:
    """Read a large Parquet file of records in batches, each validated like :func:`load_records`.

    Only the format's columns are read from disk. ``household_id`` is checked unique across
    the whole file before the first batch is returned (a first pass over that column alone).

    Args:
        path: A ``.parquet`` file in the record format.
        batch_rows: Records per batch.
        date: The review's date, by which units are resolved (as for :func:`load_records`).

    Yields:
        Validated records, one frame per batch.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", file=path)
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
        yield clean_records(raw, file=path, word="record", register=register, date=date, warn=False,
                            unique_ids=False)


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
