"""Read raw CSV files as text and parse their cells column by column.

The plan prints numbers Vietnamese style and not consistently: counts use a dot for
thousands (``2.693``), annex rates a decimal point (``3.94``) and prose rates a decimal comma
(``3,04``). A cell is therefore parsed by what its column holds, never guessed from the text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from enum import Enum
from pathlib import Path

from camlo.errors import DataError

_COUNT = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
_RATE = re.compile(r"\d+(?:[.,]\d+)?")


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


def read_rows(path: Path) -> list[list[str]]:
    """Read a UTF-8 CSV file into rows of NFC-normalised cells.

    Raises:
        DataError: if the file is missing, empty, or not UTF-8.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 text (byte {exc.start}, line {line}); save the table as UTF-8",
            file=path, row=f"line {line}",
        ) from None
    rows = [[nfc(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise DataError("the file is empty; expected a header and one row per unit", file=path)
    return rows


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
        return int(text.replace(".", ""))
    if re.fullmatch(r"-\s*[\d.]+", text):
        raise DataError(f"expected a count of households (0 or more), got a negative number {text!r}",
                        file=file, row=row, column=column)
    raise DataError(
        f"expected a whole number of households printed like '2.693' or '106', got {text!r}",
        file=file, row=row, column=column,
    )


def parse_rate(
    text: str, *, blank: Blank, file: Path, row: str, column: str
) -> float | None:
    """Parse a printed percentage, with a decimal point (``3.94``) or comma (``3,04``).

    Examples:
        >>> parse_rate("3,04", blank=Blank.ABSENT, file="t.csv", row="district", column="r")
        3.04
        >>> parse_rate("", blank=Blank.ABSENT, file="t.csv", row="district", column="r") is None
        True
    """
    if text == "":
        if blank is Blank.REQUIRED:
            raise DataError("expected a rate in %, got a blank cell", file=file, row=row, column=column)
        return None
    if _RATE.fullmatch(text):
        return float(text.replace(",", "."))
    raise DataError(f"expected a rate in % such as '3.94' or '3,04', got {text!r}",
                    file=file, row=row, column=column)
