"""Hostile input: every mutation of every shipped table is read correctly or refused with a DataError.

Table-driven. The registry (:data:`camlo.clean.registry.TABLES`) lists every loader with the
file it ships with; each mutation below is applied to a copy of each shipped file and the
loader is run on it. The outcome must be one of:

- read, and equal to the shipped file's table (``SAME``: a byte-order mark, CRLF or old-Mac
  line endings, decomposed Unicode, a delimiter at the end of every line, …; ``SAME_IF_READ``:
  the table exported as an Excel workbook, for a loader that reads workbooks);
- refused with :class:`camlo.DataError` naming the file, and for a bad cell its row and its
  column (``REFUSED``), with the phrase that says what is wrong;
- for a junk cell, either refused naming that row and column, or read with the junk kept
  verbatim as text (a free-text column): never coerced into a number;
- for random edits (Hypothesis), read or refused with a DataError.

Any other exception (``ValueError``, ``KeyError``, ``csv.Error``, ``OverflowError``, a pandas
error, ...) fails the test with its traceback. A new loader gets every mutation by adding one
entry to the registry.
"""

from __future__ import annotations

import csv
import io
import os
import random
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camlo import DataError
from camlo.clean.records import DroppedColumnsWarning
from camlo.clean.registry import TABLES, Table
from camlo.paths import DATA_RAW

SAME, REFUSED, EITHER, SAME_IF_READ = "same", "refused", "either", "same if read"


# --- the shipped files, as bytes, text and rows --------------------------------------------------


def is_csv(table: Table) -> bool:
    return table.path.suffix == ".csv"



#: A CSV file is mutated as its header and first rows: large files (household records) load
#: in milliseconds, and every row kind of the plan's tables is kept (none has more rows).
MAX_BODY_ROWS = 60


@cache
def raw(table: Table) -> bytes:
    """The shipped file's bytes; for a long CSV, its header and first ``MAX_BODY_ROWS`` rows."""
    data = table.path.read_bytes()
    if not is_csv(table):
        return data
    table_rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if len(table_rows) <= table.header_rows + MAX_BODY_ROWS:
        return data
    return to_csv(table_rows[: table.header_rows + MAX_BODY_ROWS]).encode("utf-8")


def text(table: Table) -> str:
    return raw(table).decode("utf-8")


def rows(table: Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(table), newline="")))


def to_csv(table_rows: list[list[str]], **options: Any) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", **options).writerows(table_rows)
    return out.getvalue()


@cache
def shipped(table: Table) -> Any:
    """What the loader returns for the shipped file (as :func:`raw` gives it)."""
    if raw(table) == table.path.read_bytes():
        return table.load()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / table.path.name
        path.write_bytes(raw(table))
        return table.load(path)


def assert_same(got: Any, expected: Any) -> None:
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected)
    else:
        assert got == expected


def holds(result: Any, value: str) -> bool:
    """Whether ``value`` appears verbatim as a cell of the loader's result."""
    if isinstance(result, pd.DataFrame):
        return any((result[c].astype("string") == value).any() for c in result.columns)
    if isinstance(result, dict):
        return value in result.values() or value in map(str, result)
    return value in str(result)


def run(table: Table, path: Path) -> tuple[Any, DataError | None]:
    """Run the loader; return (result, None) or (None, the DataError). Anything else propagates."""
    try:
        return table.load(path), None
    except DataError as err:
        return None, err


def assert_names_the_file(err: DataError, path: Path) -> None:
    """The message names the file and says what is wrong in words, not in Python or pandas terms."""
    assert err.file == path.name, err
    assert str(err).startswith(path.name), err
    assert err.reason, err
    for internal in ("np.", "dtype(", "Traceback", "Series(", "nan", "<lambda>"):
        assert internal not in err.reason, err


# --- whole-file mutations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """A change to a shipped file: its name, the outcome it must have, and what a refusal says.

    ``write(table, path)`` writes the mutated copy to ``path`` and returns the path the
    loader is given, or ``None`` where the mutation does not apply to that file.
    """

    name: str
    expect: str | Callable[[Table], str]
    write: Callable[[Table, Path], Path | None]
    says: str = ""

    def outcome(self, table: Table) -> str:
        return self.expect(table) if callable(self.expect) else self.expect


def writes_text(change: Callable[[Table], str | None]) -> Callable[[Table, Path], Path | None]:
    """A mutation of a CSV file's text (it does not apply to a shipped workbook or Parquet file)."""
    def write(table: Table, path: Path) -> Path | None:
        content = change(table) if is_csv(table) else None
        if content is None:
            return None
        path.write_text(content, encoding="utf-8", newline="")
        return path
    return write


def csv_bytes(change: Callable[[Table], bytes | None]) -> Callable[[Table, Path], Path | None]:
    """A mutation of a CSV file's bytes (it does not apply to a shipped workbook or Parquet file)."""
    return writes_bytes(lambda t: change(t) if is_csv(t) else None)


def writes_bytes(change: Callable[[Table], bytes | None]) -> Callable[[Table, Path], Path | None]:
    def write(table: Table, path: Path) -> Path | None:
        content = change(table)
        if content is None:
            return None
        path.write_bytes(content)
        return path
    return write


def xlsx(table: Table) -> bytes | None:
    if not is_csv(table):
        return None
    book = openpyxl.Workbook()
    for row in rows(table):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fifty_megabytes(table: Table, path: Path) -> Path:
    """A 50 MB file (sparse: written in no time): refused from its size, before a byte is parsed."""
    path.write_bytes(raw(table))
    with path.open("r+b") as handle:
        handle.truncate(50_000_000)
    return path


def one_huge_cell(table: Table) -> str:
    table_rows = rows(table)
    table_rows[table.header_rows][-1] = "x" * 200_000
    return to_csv(table_rows)


def with_column_twice(table: Table) -> str:
    return to_csv([row + row[-1:] for row in rows(table)])


def header_again(table: Table) -> str:
    table_rows = rows(table)
    middle = table.header_rows + 1
    return to_csv(table_rows[:middle] + [table_rows[0]] + table_rows[middle:])


def swapped(table: Table) -> str:
    return to_csv([[row[1], row[0], *row[2:]] for row in rows(table)])


def body_row(table: Table, change: Callable[[list, list], list]) -> str:
    table_rows = rows(table)
    return to_csv(change(table_rows[: table.header_rows], table_rows[table.header_rows:]))


def in_folder(name: str) -> Callable[[Table, Path], Path]:
    def write(table: Table, path: Path) -> Path:
        return path.parent / name / table.path.name
    return write


def a_named_pipe(table: Table, path: Path) -> Path:
    """A FIFO under the file's name: opening it to read would wait for a writer for ever."""
    os.mkfifo(path)
    return path


def a_link_to_dev_zero(table: Table, path: Path) -> Path | None:
    """A link to /dev/zero: its size reads as 0 and reading it never ends (MemoryError)."""
    if not Path("/dev/zero").exists():
        return None
    path.symlink_to("/dev/zero")
    return path


def a_folder(table: Table, path: Path) -> Path:
    folder = path.parent / "a_folder.csv"
    folder.mkdir()
    return folder


MUTATIONS = [
    # read exactly as the shipped file
    Mutation("rewritten by the csv module", SAME, writes_text(lambda t: to_csv(rows(t)))),
    Mutation("UTF-8 byte-order mark", SAME, csv_bytes(lambda t: b"\xef\xbb\xbf" + raw(t))),
    Mutation("CRLF line endings", SAME, writes_text(lambda t: text(t).replace("\n", "\r\n"))),
    Mutation("old Mac CR line endings", SAME, writes_text(lambda t: text(t).replace("\n", "\r"))),
    Mutation("decomposed Unicode (NFD)", SAME, writes_text(lambda t: unicodedata.normalize("NFD", text(t)))),
    Mutation("a delimiter at the end of every line", SAME,
             writes_text(lambda t: "".join(line + ",\n" for line in text(t).splitlines()))),
    Mutation("two delimiters at the end of every line", SAME,
             writes_text(lambda t: "".join(line + ",,\n" for line in text(t).splitlines()))),
    Mutation("blank lines between rows", SAME, writes_text(lambda t: text(t).replace("\n", "\n\n"))),
    Mutation("spaces around every cell", SAME,
             writes_text(lambda t: to_csv([[f"  {c} " for c in row] for row in rows(t)]))),
    Mutation("every cell quoted", SAME, writes_text(lambda t: to_csv(rows(t), quoting=csv.QUOTE_ALL))),
    Mutation("no newline at the end", SAME, writes_text(lambda t: text(t).rstrip("\n"))),
    # refused, the file named and what is wrong said
    Mutation("empty file", REFUSED, writes_text(lambda t: ""), "empty"),
    Mutation("blank lines only", REFUSED, writes_text(lambda t: "\n \n,,\n"), "empty"),
    Mutation("UTF-16 (Excel's Unicode Text)", REFUSED, csv_bytes(lambda t: text(t).encode("utf-16")),
             "UTF-16"),
    Mutation("UTF-16 without a byte-order mark", REFUSED, csv_bytes(lambda t: text(t).encode("utf-16-le"))),
    Mutation("Windows-1258 (Vietnamese legacy encoding)", REFUSED,
             csv_bytes(lambda t: None if text(t).isascii() else text(t).encode("cp1258", errors="replace")),
             "not UTF-8"),
    Mutation("an Excel workbook named .csv", REFUSED, writes_bytes(xlsx), "export it as CSV UTF-8"),
    Mutation("an Excel workbook (.xlsx)", lambda t: SAME_IF_READ if "xlsx" in t.formats else REFUSED,
             lambda t, path: writes_bytes(xlsx)(t, path.with_suffix(".xlsx")), "export it as CSV UTF-8"),
    Mutation("an Excel 97 workbook (.xls)", REFUSED,
             writes_bytes(lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), "Excel 97"),
    Mutation("random binary bytes", REFUSED, writes_bytes(lambda t: random.Random(t.name).randbytes(4096))),
    Mutation("50 MB file", REFUSED, fifty_megabytes),
    Mutation("a cell of 200,000 characters", REFUSED, writes_text(one_huge_cell)),
    Mutation("semicolon-delimited (Excel, Vietnamese locale)", REFUSED,
             writes_text(lambda t: to_csv(rows(t), delimiter=";")), "semicolon-delimited"),
    Mutation("tab-delimited", REFUSED, writes_text(lambda t: to_csv(rows(t), delimiter="\t")), "tab-delimited"),
    Mutation("Excel's 'sep=,' line first", REFUSED, writes_text(lambda t: "sep=,\n" + text(t))),
    Mutation("header repeated in the middle", REFUSED, writes_text(header_again)),
    Mutation("last column twice", REFUSED, writes_text(with_column_twice)),
    Mutation("last column dropped", EITHER, writes_text(lambda t: to_csv([row[:-1] for row in rows(t)]))),
    Mutation("first body row twice", REFUSED,
             writes_text(lambda t: body_row(t, lambda head, body: head + body[:1] + body))),
    Mutation("a folder where the file should be", REFUSED, a_folder, "is a folder"),
    Mutation("a missing folder", REFUSED, in_folder("no_such_folder"), "no_such_folder"),
    Mutation("a named pipe (FIFO)", REFUSED, a_named_pipe, "is a named pipe (FIFO), not a regular file"),
    Mutation("a link to /dev/zero", REFUSED, a_link_to_dev_zero, "is a device, not a regular file"),
    # read or refused, never another exception
    Mutation("first two columns swapped", EITHER, writes_text(swapped)),
    Mutation("first body row dropped", EITHER, writes_text(lambda t: body_row(t, lambda head, body: head + body[1:]))),
    Mutation("last body row dropped", EITHER, writes_text(lambda t: body_row(t, lambda head, body: head + body[:-1]))),
    Mutation("header only", EITHER, writes_text(lambda t: to_csv(rows(t)[: t.header_rows]))),
    Mutation("cut in the middle of a line", EITHER, writes_bytes(lambda t: raw(t)[: len(raw(t)) // 2])),
    Mutation("rows in reverse order", EITHER,
             writes_text(lambda t: body_row(t, lambda head, body: head + body[::-1]))),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_mutated_file_is_read_the_same_or_refused(table, mutation, tmp_path):
    path = mutation.write(table, tmp_path / table.path.name)
    if path is None:
        pytest.skip(f"{mutation.name} does not apply to {table.path.name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result, err = run(table, path)
    for warning in caught:  # the one warning a loader gives: columns outside its format, dropped and named
        assert issubclass(warning.category, DroppedColumnsWarning), warning
        assert str(warning.message).startswith(f"{path.name}: dropped"), warning
    expect = mutation.outcome(table)
    if expect == SAME:
        assert err is None, err
        assert_same(result, shipped(table))
    elif expect == REFUSED:
        assert err is not None, f"{mutation.name}: read without complaint"
        assert_names_the_file(err, path)
        assert mutation.says in str(err), err
    elif err is not None:
        assert_names_the_file(err, path)
    elif expect == SAME_IF_READ:
        assert_same(result, shipped(table))


# --- junk in each cell -------------------------------------------------------------------------------

#: Never a valid count, rate, year or unit; a free-text column may keep it as written.
JUNK = ["abc", "-5", "1e3", "#N/A", "=SUM(B3:B9)", "99999999999999999999", "3,94%", "2.5.1", "NaN"]


def cells(table: Table) -> list[tuple[int, int]]:
    """(body row, column) for every column of the file: one row per column, rotating through the rows."""
    table_rows = rows(table)
    body = len(table_rows) - table.header_rows
    width = max(len(row) for row in table_rows)
    return [(column % body, column) for column in range(width)]


CELL_CASES = [
    pytest.param(table, row, column, junk, id=f"{table.name}-col{column}-row{row}-{junk}")
    for table in TABLES if is_csv(table) for row, column in cells(table) for junk in [*JUNK, ""]
]


def header_names(table: Table, column: int) -> set[str]:
    return {row[column] for row in rows(table)[: table.header_rows] if column < len(row) and row[column]}


@pytest.mark.parametrize(("table", "row", "column", "junk"), CELL_CASES)
def test_junk_in_a_cell_is_refused_naming_row_and_column_or_kept_as_text(table, row, column, junk, tmp_path):
    table_rows = rows(table)
    target = table_rows[table.header_rows + row]
    key = target[table.key_column]
    target[column] = junk
    path = tmp_path / table.path.name
    path.write_text(to_csv(table_rows), encoding="utf-8")
    result, err = run(table, path)
    if err is None:
        kept = junk == "" or holds(result, junk) or bool(header_names(table, column) & set(table.dropped))
        assert kept, f"{junk!r} read without complaint, but not kept as written"
        return
    assert_names_the_file(err, path)
    line = table.header_rows + row + 1
    assert err.row is not None and (str(err.row) == f"line {line}" or (key and key in str(err.row))
                                    or column == table.key_column), err
    names = header_names(table, column)
    assert err.column in names or any(str(err.column).startswith(f"{n} (") for n in names), (names, err)


# --- random edits (Hypothesis) ------------------------------------------------------------------------


@st.composite
def edits(draw, data: bytes) -> bytes:
    """A few random byte edits of ``data``: insert, delete or replace a short run."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        run_ = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
            [b",", b'"', b"\n", b"\r", b";", b"\t", b".", b"0", b"-", b"\xc3", b"\x00", "ộ".encode()]))
        if kind == "insert":
            data[at:at] = run_
        elif kind == "delete":
            del data[at: at + len(run_)]
        else:
            data[at: at + len(run_)] = run_
    return bytes(data)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_random_edits_are_read_or_refused(table, tmp_path):
    path = tmp_path / table.path.name

    @settings(max_examples=int(os.environ.get("CAMLO_FUZZ_EXAMPLES", 40)), derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(edits(raw(table)))
    def check(content: bytes) -> None:
        path.write_bytes(content)
        _, err = run(table, path)
        if err is not None:
            assert_names_the_file(err, path)

    check()


# --- the registry covers every file ------------------------------------------------------------------


def test_every_shipped_table_has_a_loader_in_the_registry():
    """Every data file the project ships (raw, reference, synthetic) is read by a registered loader."""
    from camlo.paths import DATA

    plan_text = DATA_RAW / "ke_hoach_23_kh_ubnd.txt"  # the source document: tables are transcribed from it
    shipped_files = {p for folder in ("raw", "reference", "synthetic") for p in (DATA / folder).rglob("*")
                     if p.is_file() and not p.name.endswith(".provenance.json") and not p.name.startswith(".")}
    assert shipped_files - {plan_text} == {p for t in TABLES for p in (t.path, *t.others)}
    for table in TABLES:
        for path in (table.path, *table.others):
            assert table.load(path) is not None, (table.name, path.name)


def test_a_file_with_no_loader_is_refused(tmp_path):
    from camlo.clean.registry import validate_file

    path = tmp_path / "notes.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no loader reads a file of this name") as caught:
        validate_file(path)
    assert caught.value.file == "notes.csv"
