"""Read raw CSV files as text and parse their cells column by column.

The plan prints numbers Vietnamese style and not consistently: counts use a dot for
thousands (``2.693``), annex rates a decimal point (``3.94``) and prose rates a decimal comma
(``3,04``). A cell is therefore parsed by what its column holds, never guessed from the text.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import unicodedata
from enum import Enum
from collections.abc import Iterator
from pathlib import Path

from camlo.errors import DataError

_COUNT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+|\d+")  # 2.693 or 106; never 0.220
_DECIMAL = re.compile(r"\d+[.,]\d+")
_RATE = re.compile(r"\d+(?:[.,]\d+)?")
_YEAR = re.compile(r"\d{4}")

#: The largest count of households read: more than all of Vietnam's households (about 27
#: million), so a larger number is a typing or export error, not a count.
MAX_COUNT = 100_000_000


class Blank(Enum):
    """What an empty cell means in a column."""

    REQUIRED = "required"  # a blank is an error
    ZERO = "zero"  # a blank means none (0 households)
    ABSENT = "absent"  # a blank means not printed (kept as missing)


def nfc(text: str) -> str:
    """Return ``text`` stripped and normalised to Unicode NFC.

    Examples:
        >>> nfc(" Cam Thu\u0309y ") == "Cam Thủy"
        True
    """
    return unicodedata.normalize("NFC", text.strip())


#: The largest table file read whole (bytes). The tables camlo reads hold a row per unit,
#: figure or review: 2 MB is room for every commune of Vietnam (about 10,500) many times over,
#: and anything larger is refused before a byte of it is parsed.
MAX_TABLE_BYTES = 2_000_000

#: The first bytes of files that are not CSV text, and what to say about them.
_NOT_CSV = (
    (b"PK\x03\x04", "this is an Excel workbook (.xlsx, a zip file), not CSV text: open it in Excel "
                     "and export it as CSV UTF-8 (File > Save As > 'CSV UTF-8 (Comma delimited)')"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this is an Excel 97-2003 workbook (.xls), not CSV text: open "
                                         "it in Excel and export it as CSV UTF-8"),
    (b"PAR1", "this is a Parquet file, not CSV text: export the table as CSV UTF-8"),
    (b"%PDF", "this is a PDF document, not CSV text: transcribe the table into a CSV UTF-8 file"),
    (b"\xff\xfe", "not UTF-8 text: the file is UTF-16 (Excel's 'Unicode Text'); save the table as "
                  "CSV UTF-8"),
    (b"\xfe\xff", "not UTF-8 text: the file is UTF-16 (big-endian); save the table as CSV UTF-8"),
)


class Row(list):
    """One row of cells, which remembers the line of the file it starts on.

    A plain ``list`` of ``str`` for every other purpose.

    Examples:
        >>> row = Row(["Thanh An", "2.693"], line=3)
        >>> row, row.line
        (['Thanh An', '2.693'], 3)
    """

    def __init__(self, cells=(), line: int = 0) -> None:
        super().__init__(cells)
        self.line = line


def check_file(path: str | Path, *, max_bytes: int | None = MAX_TABLE_BYTES) -> Path:
    """The path of a readable file no larger than ``max_bytes``, or a DataError saying why not.

    Missing (naming the folder), a folder, a path through a file, something other than a
    regular file (a named pipe would block the reader, a link to ``/dev/zero`` would never
    end and reports a size of 0), larger than ``max_bytes`` (``None``: any size), refused
    before a byte is read.
    """
    path = Path(path)
    if not path.exists():
        folder = path.parent
        if folder.is_file():
            raise DataError(f"file not found: {str(folder)!r} is a file, not a folder", file=path)
        if not folder.is_dir():
            raise DataError(f"file not found: the folder {str(folder)!r} does not exist", file=path)
        raise DataError(f"file not found in the folder {str(folder)!r}", file=path)
    if path.is_dir():
        raise DataError(f"{str(path)!r} is a folder, not a file: give the path of the file in it", file=path)
    try:
        status = path.stat()
    except OSError as exc:
        raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None
    if not stat.S_ISREG(status.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(status.st_mode) else
                "a device" if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode) else
                "a socket" if stat.S_ISSOCK(status.st_mode) else "not a regular file")
        raise DataError(f"{str(path)!r} is {kind}, not a regular file: give the path of a saved table",
                        file=path)
    size = status.st_size
    if max_bytes is not None and size > max_bytes:
        raise DataError(f"the file is {size:,} bytes; a table of this layout is at most {max_bytes:,} "
                        "bytes (is it the right file?)", file=path)
    return path


def _read_bytes(path: Path, max_bytes: int | None) -> bytes:
    """The file's bytes, or a DataError saying why there are none to read."""
    check_file(path, max_bytes=max_bytes)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"the file cannot be read ({exc.strerror or exc})", file=path) from None


def check_not_binary(first: bytes, path: Path) -> None:
    """Refuse a file whose first bytes say it is a workbook, a Parquet or PDF file, or UTF-16."""
    for magic, message in _NOT_CSV:
        if first.startswith(magic):
            raise DataError(message, file=path, row="line 1")


#: What a file holding NUL bytes is told.
NUL_MESSAGE = ("not CSV text: the file holds NUL bytes (binary data, or UTF-16 without a byte order mark); "
               "save the table as CSV UTF-8")


def _decode(raw: bytes, path: Path) -> str:
    """The file's text, or a DataError saying what kind of file it is instead."""
    check_not_binary(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 text (byte {exc.start}, line {line}); save the table as UTF-8",
            file=path, row=f"line {line}",
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise DataError(NUL_MESSAGE, file=path, row=f"line {line}")
    return text


def read_text(path: str | Path, *, max_bytes: int | None = MAX_TABLE_BYTES) -> str:
    """A text file's content, or a DataError saying why it cannot be read as CSV UTF-8 text.

    The checks every table file gets before it is parsed (used by :func:`read_rows`, and by
    a loader that parses text itself): missing (naming the folder), a folder, unreadable,
    larger than ``max_bytes`` (refused before it is read), an Excel workbook, a Parquet or PDF
    file, UTF-16, not UTF-8, NUL bytes. A UTF-8 byte-order mark is dropped.

    Raises:
        DataError: naming the file, and the line where there is one.
    """
    path = Path(path)
    return _decode(_read_bytes(path, max_bytes), path)


def csv_rows(reader, path: Path, what: str = "table camlo reads") -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` of each row ``reader`` gives, blank rows too: a quoted cell may span
    lines, so a row's first line is counted from the reader, not from the rows before it.

    Raises:
        DataError: for a row the CSV reader cannot read, or a cell beyond its field limit
            (this is not a ``what``), naming the line.
    """
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise DataError(f"a cell longer than {csv.field_size_limit():,} characters: this is not a {what}",
                                file=path, row=f"line {line}") from None
            raise DataError(f"not a readable CSV row ({exc})", file=path, row=f"line {line}") from None
        start, line = line, reader.line_num + 1
        yield start, cells


def _rows(text: str, path: Path):
    """Parse CSV text into Rows of NFC cells, each with its first line; skip blank rows."""
    reader = csv.reader(io.StringIO(text, newline=""))  # newline="": \n, \r\n and old Mac \r
    for line, cells in csv_rows(reader, path):
        row = Row((nfc(cell) for cell in cells), line=line)
        if any(row):
            yield row


def check_delimiter(header: list[str], path: Path) -> None:
    """Refuse a header read as one cell holding semicolons or tabs: Excel's CSV of another locale."""
    if len(header) == 1 and (delimiter := _delimiter_of(header[0])):
        raise DataError(f"the file is {delimiter}-delimited (as Excel saves CSV in a Vietnamese or European "
                        "locale); camlo reads comma-delimited CSV: save it as 'CSV UTF-8 (Comma delimited)'",
                        file=path, row="header")


def _delimiter_of(line: str) -> str | None:
    """The delimiter Excel used, when a header line holds no comma but semicolons or tabs."""
    for delimiter, name in ((";", "semicolon"), ("\t", "tab")):
        if delimiter in line:
            return name
    return None


def read_rows(
    path: str | Path,
    *,
    header_rows: int = 1,
    check_header=None,
    max_bytes: int = MAX_TABLE_BYTES,
) -> list[Row]:
    """Read a UTF-8 CSV file into rows of NFC-normalised cells (blank rows left out).

    The file is refused, with a :class:`DataError` naming it and saying what to do, when it is
    missing (naming the folder), a folder, unreadable, larger than ``max_bytes``, an Excel
    workbook or another binary file, not UTF-8, not comma-delimited (Excel's semicolon or tab
    CSV), empty, or when its header row comes back later in the file (two files pasted
    together) or, for a one-row header, names a column twice. A delimiter at the end of every
    line (an empty last column with no name) is dropped: it holds nothing.

    Args:
        path: The CSV file.
        header_rows: How many rows the header has (the annexes print two).
        check_header: Called with the header rows before the body is parsed, so that a file
            of another layout is refused from its first lines.
        max_bytes: The largest file read (see ``MAX_TABLE_BYTES``).

    Returns:
        The rows, header first; each row's ``line`` is the line of the file it starts on.

    Raises:
        DataError: naming the file and, where there is one, the line or column.

    Examples:
        >>> import tempfile
        >>> scratch = tempfile.TemporaryDirectory()
        >>> folder = Path(scratch.name)
        >>> _ = (folder / "t.csv").write_bytes(b"unit,poor\\rThanh An,106\\r")  # old Mac line ends
        >>> read_rows(folder / "t.csv")
        [['unit', 'poor'], ['Thanh An', '106']]
        >>> _ = (folder / "t.csv").write_text("unit;poor\\nThanh An;106\\n", encoding="utf-8")
        >>> read_rows(folder / "t.csv")
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: t.csv, row 'header': the file is semicolon-delimited (as Excel saves CSV in a Vietnamese or European locale); camlo reads comma-delimited CSV: save it as 'CSV UTF-8 (Comma delimited)'
        >>> scratch.cleanup()
    """
    path = Path(path)
    rows = _rows(read_text(path, max_bytes=max_bytes), path)
    header = [row for _, row in zip(range(header_rows), rows)]
    if not header:
        raise DataError("the file is empty; expected a header and one row per unit", file=path)
    check_delimiter(header[0], path)
    unnamed = _unnamed_last_columns(header)
    if header_rows == 1:
        names = [name for name in header[0] if name]
        twice = next((name for name in names if names.count(name) > 1), None)
        if twice is not None:
            raise DataError("column named twice in the header", file=path, row="header", column=twice)
    if check_header is not None:
        check_header(header)
    width = len(header[0])
    body = []
    for row in rows:
        if row[:width] == header[0]:
            raise DataError(f"the header row comes again at line {row.line} (two files pasted together?)",
                            file=path, row=f"line {row.line}")
        for _ in range(unnamed):
            if len(row) > width:
                if row[-1] != "" and len(row) == width + unnamed:
                    raise DataError(f"a value {row[-1]!r} in a column with no name in the header",
                                    file=path, row=f"line {row.line}", column=f"column {len(row)}")
                if row[-1] == "":
                    del row[-1]
        body.append(row)
    return header + body


def _unnamed_last_columns(header: list[Row]) -> int:
    """Drop, in place, last header columns with no name in any header row; return how many.

    Excel writes such a column for a delimiter at the end of every line; it holds nothing.
    """
    dropped = 0
    while all(len(row) == len(header[0]) > 1 and row[-1] == "" for row in header):
        for row in header:
            del row[-1]
        dropped += 1
    return dropped


def parse_count(
    text: str, *, blank: Blank, file: Path, row: str, column: str
) -> int | None:
    """Parse a household count printed with dots for thousands.

    Args:
        text: The cell as printed, e.g. ``"2.693"`` or ``"106"``.
        blank: What an empty cell means in this column.
        file, row, column: Where the cell is, for the error message.

    Returns:
        The count, ``0`` for a blank under ``Blank.ZERO``, ``None`` under ``Blank.ABSENT``.

    Raises:
        DataError: for text, a negative number, a decimal, or a blank that is not allowed.

    Examples:
        >>> parse_count("2.693", blank=Blank.REQUIRED, file="t.csv", row="Thanh An", column="c")
        2693
        >>> parse_count("", blank=Blank.ZERO, file="t.csv", row="Thanh An", column="c")
        0
        >>> parse_count("-3", blank=Blank.ZERO, file="t.csv", row="Thanh An", column="c")
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: t.csv, row 'Thanh An', column 'c': expected a count of households (0 or more), got a negative number '-3'
    """
    if text == "":
        if blank is Blank.ZERO:
            return 0
        if blank is Blank.ABSENT:
            return None
        raise DataError("expected a count of households, got a blank cell",
                        file=file, row=row, column=column)
    if _COUNT.fullmatch(text):
        value = int(text.replace(".", ""))
        if value > MAX_COUNT:
            raise DataError(f"{text!r} is too large for a count of households (at most {MAX_COUNT:,}, more "
                            "than all of Vietnam's households)", file=file, row=row, column=column)
        return value
    if re.fullmatch(r"-\s*[\d.]+", text):
        raise DataError(f"expected a count of households (0 or more), got a negative number {text!r}",
                        file=file, row=row, column=column)
    if _DECIMAL.fullmatch(text) and text.startswith("0"):
        raise DataError(f"expected a whole number of households, got {text!r}, which reads as a rate or a "
                        "decimal (a count printed with a dot for thousands never starts with '0.')",
                        file=file, row=row, column=column)
    raise DataError(
        f"expected a whole number of households printed like '2.693' or '106', got {text!r}",
        file=file, row=row, column=column,
    )


def parse_year(text: str, *, file: Path, row: str, column: str) -> int:
    """Parse a year printed as four digits (``2025``); a blank is an error.

    Examples:
        >>> parse_year("2025", file="t.csv", row="T01", column="deadline")
        2025
        >>> parse_year("2025.5", file="t.csv", row="T01", column="deadline")
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: t.csv, row 'T01', column 'deadline': expected a year printed as four digits, such as 2025, got '2025.5'
    """
    if _YEAR.fullmatch(text):
        return int(text)
    if text == "":
        raise DataError("expected a year, got a blank cell", file=file, row=row, column=column)
    raise DataError(f"expected a year printed as four digits, such as 2025, got {text!r}",
                    file=file, row=row, column=column)


def parse_rate(
    text: str, *, blank: Blank, file: Path, row: str, column: str
) -> float | None:
    """Parse a printed percentage, with a decimal point (``3.94``) or comma (``3,04``).

    Examples:
        >>> parse_rate("3,04", blank=Blank.ABSENT, file="t.csv", row="district", column="r")
        3.04
        >>> parse_rate("", blank=Blank.ABSENT, file="t.csv", row="district", column="r") is None
        True
        >>> parse_rate("304", blank=Blank.ABSENT, file="t.csv", row="poor", column="r")
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: t.csv, row 'poor', column 'r': expected a rate in % from 0 to 100, got '304' (a decimal comma lost, as in '3,04'?)
    """
    if text == "":
        if blank is Blank.REQUIRED:
            raise DataError("expected a rate in %, got a blank cell", file=file, row=row, column=column)
        return None
    if _RATE.fullmatch(text):
        value = float(text.replace(",", "."))
        if value > 100:
            raise DataError(f"expected a rate in % from 0 to 100, got {text!r} (a decimal comma lost, as in "
                            f"'{text[:1]},{text[1:]}'?)", file=file, row=row, column=column)
        return value
    if text.endswith("%") and _RATE.fullmatch(text[:-1].strip()):
        raise DataError(f"expected a rate in % without the % sign, such as '3.94' or '3,04', got {text!r}",
                        file=file, row=row, column=column)
    raise DataError(f"expected a rate in % such as '3.94' or '3,04', got {text!r}",
                    file=file, row=row, column=column)
