"""Helpers the records tests share: writing a frame as a records file, checking a refusal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from camlo import DataError


def write_frame(table: pd.DataFrame, path: Path) -> Path:
    """``table`` written as the records file ``path`` (CSV, XLSX with a ``records`` sheet, Parquet)."""
    if path.suffix == ".csv":
        table.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        table.to_excel(path, index=False, sheet_name="records")
    else:
        table.to_parquet(path, index=False)
    return path


def check_refusal(err: DataError, path: Path, *, row=None, column=None, says: str) -> str:
    """That ``err`` names ``path`` (and ``row``, ``column``) and says ``says``; its text."""
    text = str(err)
    assert err.file == path.name and text.startswith(path.name), text
    if row is not None:
        assert err.row == row, text
    if column is not None:
        assert err.column == column, text
    assert says in text, text
    return text
