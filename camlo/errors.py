"""The one exception camlo raises for bad input."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A table that camlo cannot read as it must be.

    The message names the file, the row (a unit's name, or the header) and the column,
    and says what was expected, so that a user can open the file and fix the cell.

    Args:
        message: What is wrong and what was expected.
        file: The file read.
        row: The unit's name, ``"header"``, or a line number where no name is known.
        column: The column's printed name, as the file spells it.
        field: The format's name for that column, shown beside it when the file spells it
            otherwise (``column 'Chỉ số 4' (d4)``).

    Examples:
        >>> err = DataError("expected a whole number, got 'abc'",
        ...                 file="phu_luc_1.csv", row="Thanh An", column="Hộ nghèo")
        >>> print(err)
        phu_luc_1.csv, row 'Thanh An', column 'Hộ nghèo': expected a whole number, got 'abc'
        >>> isinstance(err, ValueError)
        True
        >>> print(DataError("expected 0 or 1", file="ra_soat.csv", row="line 6", column="Chỉ số 4", field="d4"))
        ra_soat.csv, row 'line 6', column 'Chỉ số 4' (d4): expected 0 or 1
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: str | int | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = None if file is None else Path(file).name
        self.row = row
        self.column = column
        self.field = field if field is not None else column
        self.reason = message
        where = [part for part in (
            self.file,
            None if row is None else f"row {row!r}",
            None if column is None else f"column {column!r}" + (f" ({field})" if field not in (None, column) else ""),
        ) if part]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
