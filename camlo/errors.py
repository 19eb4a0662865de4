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
        column: The column's printed name.

    Examples:
        >>> err = DataError("expected a whole number, got 'abc'",
        ...                 file="phu_luc_1.csv", row="Thanh An", column="Hộ nghèo")
        >>> print(err)
        phu_luc_1.csv, row 'Thanh An', column 'Hộ nghèo': expected a whole number, got 'abc'
        >>> isinstance(err, ValueError)
        True
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: str | int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = None if file is None else Path(file).name
        self.row = row
        self.column = column
        self.reason = message
        where = [part for part in (
            self.file,
            None if row is None else f"row {row!r}",
            None if column is None else f"column {column!r}",
        ) if part]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
