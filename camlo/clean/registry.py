"""Every file camlo reads, and the loader that reads it.

One entry per loader: the shipped file, the public loader (a name in :mod:`camlo`, called
with a path), and the file's layout (how many header rows, which column names a row). The
registry is what ``python -m camlo record`` uses to validate a file before it records a new
checksum, and what the hostile-input tests (``tests/test_hostile_input.py``) apply their
mutations to: a new loader is one more entry here.

Examples:
    >>> [t.loader for t in tables_for("observed_reviews.csv")]
    ['load_observed']
    >>> [t.loader for t in tables_for("phu_luc_1.csv")]  # one file may have two loaders
    ['load_households', 'load_household_totals']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camlo.errors import DataError
from camlo.paths import DATA, DATA_RAW, DATA_REFERENCE


@dataclass(frozen=True)
class Table:
    """A file camlo reads, the loader that reads it, and its layout.

    Attributes:
        path: The shipped file.
        loader: The loader's public name in :mod:`camlo`; ``loader(path)`` reads a file of
            the same layout.
        header_rows: Rows of header before the first record (the annexes print two).
        key_column: The column whose cell names each row in a message (the unit, the figure).
        formats: The file formats the loader reads (by suffix); others it refuses, saying how
            to export the table as one it reads.
        dropped: Columns (by header) the loader reads and checks but does not return, such as
            personal data in household records.
        others: Other shipped files of the same layout, read by the same loader.
    """

    path: Path
    loader: str
    header_rows: int = 1
    key_column: int = 0
    formats: tuple[str, ...] = ("csv",)
    dropped: tuple[str, ...] = ()
    others: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        """``loader(file)``, for test ids and messages."""
        return f"{self.loader}({self.path.name})"

    def load(self, path: str | Path | None = None) -> Any:
        """Read ``path`` (the shipped file when ``None``) with the loader."""
        return loader(self.loader)(self.path if path is None else Path(path))


#: The modules of the loaders, in which :func:`loader` finds each by its name.
LOADER_MODULES = ("annexes", "observed", "units", "context", "records", "standard")


def loader(name: str):
    """The loader ``name`` of :mod:`camlo.clean` (``"load_households"``), by its public name.

    Examples:
        >>> loader("load_observed").__module__
        'camlo.clean.observed'
    """
    import importlib

    for module in LOADER_MODULES:
        found = getattr(importlib.import_module(f"camlo.clean.{module}"), name, None)
        if callable(found):
            return found
    raise KeyError(f"no loader {name!r} in camlo.clean")


TABLES: tuple[Table, ...] = (
    Table(DATA_RAW / "phu_luc_1.csv", "load_households", header_rows=2),
    Table(DATA_RAW / "phu_luc_1.csv", "load_household_totals", header_rows=2),
    Table(DATA_RAW / "phu_luc_2.csv", "load_deprivations", header_rows=2, key_column=1),
    Table(DATA_RAW / "phu_luc_2.csv", "load_deprivation_totals", header_rows=2, key_column=1),
    Table(DATA_RAW / "phu_luc_2_ghi_chu.csv", "load_indicator_legend"),
    Table(DATA_RAW / "section_1_headline.csv", "load_headline"),
    Table(DATA_RAW / "section_2_targets.csv", "load_targets"),
    Table(DATA_RAW / "observed_reviews.csv", "load_observed", key_column=2),
    Table(DATA_RAW / "observed_reviews_dtts.csv", "load_observed_dtts", key_column=2),
    Table(DATA_REFERENCE / "units.csv", "units"),
    Table(DATA_REFERENCE / "indicators.csv", "indicators"),
    Table(DATA_REFERENCE / "target_indicators.csv", "load_target_readings"),
    Table(DATA_REFERENCE / "poverty_rates.csv", "load_poverty_rates", others=(DATA_REFERENCE / "district_rates.csv",)),
    Table(DATA_REFERENCE / "record_dictionary.csv", "record_dictionary"),
    Table(DATA_REFERENCE / "standards" / "decree_07_2021.toml", "load_standard", formats=("toml",),
          others=(DATA_REFERENCE / "standards" / "decree_351_2025.toml",)),
    Table(DATA / "synthetic" / "records_2022.csv", "load_records", formats=("csv", "xlsx", "parquet"),
          others=(DATA / "synthetic" / "records_2023.csv",)),
)


def tables_for(path: str | Path) -> list[Table]:
    """The registered tables whose shipped file (or another of its layout) has the name of ``path``."""
    name = Path(path).name
    return [table for table in TABLES if name in {table.path.name, *(p.name for p in table.others)}]


def validate_file(path: str | Path) -> None:
    """Read ``path`` with every loader of a file of its name; raise what the first refuses.

    A file read together with another (:data:`READ_TOGETHER`) is then read with the one beside
    it, so that an ethnic-minority count for a review the reviews file lacks is refused too.

    Raises:
        DataError: from the loader, naming file, row and column; or saying that no loader
            reads a file of this name.
    """
    tables = tables_for(path)
    if not tables:
        known = sorted({table.path.name for table in TABLES})
        raise DataError(f"no loader reads a file of this name; camlo reads {', '.join(known)}", file=path)
    for table in tables:
        table.load(path)
    _validate_together(Path(path))


#: Files read together: the ethnic-minority counts complete rows of the reviews file beside them
#: (``load_observed(reviews, dtts=counts)``), so each is validated with the other.
READ_TOGETHER = ("observed_reviews.csv", "observed_reviews_dtts.csv")


def _validate_together(path: Path) -> None:
    """Read ``path`` with the file it is read together with, where that file is beside it."""
    if path.name not in READ_TOGETHER:
        return
    from camlo.clean.observed import load_observed

    main, dtts = (path.with_name(name) for name in READ_TOGETHER)
    if main.exists() and dtts.exists():
        load_observed(main, dtts=dtts)
