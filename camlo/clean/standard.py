"""Poverty standards as data: income lines by area, the deprivation cutoff and the indicators.

A standard lives in ``data/reference/standards/<id>.toml`` (see ``decree_07_2021.toml``): its
document, the years of the reviews it classifies, the deprivation cutoff, the poor line and
the middle-income line of each area (inclusive, "trở xuống"), and its indicators with the
record column that flags each. :func:`load_standard` reads and checks one; a new standard
(Decree 351/2025/NĐ-CP from 2027, once its text is at hand) is a new file, not new code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from camlo.clean.parsing import read_text
from camlo.errors import DataError
from camlo.paths import DATA_REFERENCE

STANDARDS = DATA_REFERENCE / "standards"
DEFAULT_STANDARD = STANDARDS / "decree_07_2021.toml"
STATUSES = ("poor", "near_poor", "middle", "above_middle")
_INDICATOR_KEYS = ("indicator", "column", "name_vi", "name_en", "dimension_vi", "dimension_en")
_AREA_KEYS = ("poor_line", "middle_line")


@dataclass(frozen=True)
class Standard:
    """One poverty standard, as read from its file.

    Attributes:
        id: The file's name without suffix, e.g. ``decree_07_2021``.
        document: The legal document and article that sets it.
        first_year, last_year: The years of the reviews it classifies (inclusive).
        deprivation_cutoff: Deprived in at least this many indicators makes an income-poor
            household poor (otherwise near-poor).
        areas: One row per area (``rural``, ``urban``): ``poor_line`` and ``middle_line`` in
            VND per person per month, both inclusive.
        indicators: One row per indicator: ``indicator`` (number), ``column`` (the record
            column), names and dimension in Vietnamese and English.
    """

    id: str
    title_en: str
    document: str
    first_year: int
    last_year: int
    deprivation_cutoff: int
    areas: pd.DataFrame
    indicators: pd.DataFrame

    @property
    def indicator_columns(self) -> list[str]:
        """The record columns this standard counts, in indicator order."""
        return self.indicators["column"].tolist()

    def applies_to(self, year: int) -> bool:
        """Whether a review held in ``year`` is classified by this standard."""
        return self.first_year <= year <= self.last_year


def _require(table: dict, key: str, kind: type, file: Path, row: str) -> object:
    if key not in table:
        raise DataError(f"missing key {key!r}", file=file, row=row, column=key)
    value = table[key]
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise DataError(f"expected a whole number, got {value!r}", file=file, row=row, column=key)
    if kind is str and not isinstance(value, str):
        raise DataError(f"expected text, got {value!r}", file=file, row=row, column=key)
    return value


def load_standard(path: str | Path | None = None) -> Standard:
    """Read a poverty standard from its TOML file and check it.

    Args:
        path: A standard's file; ``None`` reads Decree 07/2021's.

    Raises:
        DataError: naming the file, the part (``areas.urban``, ``indicator 3``) and the key,
            for a missing or ill-typed value, lines out of order, or indicators that are not
            numbered 1, 2, … with distinct columns.

    Examples:
        >>> std = load_standard()
        >>> std.deprivation_cutoff, len(std.indicators), std.applies_to(2022), std.applies_to(2027)
        (3, 12, True, False)
        >>> std.areas.loc["urban", "poor_line"], std.areas.loc["rural", "middle_line"]
        (np.int64(2000000), np.int64(2250000))
    """
    path = Path(path) if path is not None else DEFAULT_STANDARD
    text = read_text(path)  # refuses a folder, a missing file, a workbook, binary or non-UTF-8 bytes
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"not a readable TOML file ({exc})", file=path) from None
    head = {key: _require(data, key, kind, path, "standard") for key, kind in (
        ("id", str), ("title_en", str), ("document", str), ("first_year", int), ("last_year", int),
        ("deprivation_cutoff", int))}
    if head["id"] != path.stem:
        raise DataError(f"id {head['id']!r} differs from the file name {path.stem!r}", file=path,
                        row="standard", column="id")
    if head["first_year"] > head["last_year"]:
        raise DataError("first_year after last_year", file=path, row="standard", column="first_year")

    areas = data.get("areas")
    if not isinstance(areas, dict) or not areas:
        raise DataError("expected [areas.<name>] tables with poor_line and middle_line", file=path,
                        row="areas", column="areas")
    area_rows = {}
    for name, table in areas.items():
        row = f"areas.{name}"
        lines = {key: _require(table, key, int, path, row) for key in _AREA_KEYS}
        if not 0 < lines["poor_line"] < lines["middle_line"]:
            raise DataError("expected 0 < poor_line < middle_line", file=path, row=row, column="middle_line")
        area_rows[name] = lines
    area_frame = pd.DataFrame.from_dict(area_rows, orient="index").astype("int64")
    area_frame.index.name = "area"

    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise DataError("expected [[indicators]] tables", file=path, row="indicators", column="indicators")
    rows = []
    for position, table in enumerate(indicators, start=1):
        where = f"indicator {position}"
        row = {key: _require(table, key, int if key == "indicator" else str, path, where)
               for key in _INDICATOR_KEYS}
        if row["indicator"] != position:
            raise DataError(f"expected indicator number {position}, got {row['indicator']}", file=path,
                            row=where, column="indicator")
        rows.append(row)
    indicator_frame = pd.DataFrame(rows).astype({"indicator": "int64"})
    if indicator_frame["column"].duplicated().any():
        column = indicator_frame.loc[indicator_frame["column"].duplicated(), "column"].iloc[0]
        raise DataError(f"record column {column!r} flags two indicators", file=path, row="indicators",
                        column="column")
    if not 0 < head["deprivation_cutoff"] <= len(indicator_frame):
        raise DataError(f"expected a cutoff from 1 to {len(indicator_frame)}", file=path, row="standard",
                        column="deprivation_cutoff")
    return Standard(areas=area_frame, indicators=indicator_frame, **head)


def standard_for(year: int, folder: str | Path | None = None) -> Standard:
    """The shipped standard that classifies a review held in ``year``.

    Raises:
        DataError: if no standard in the folder covers the year, or two do.

    Examples:
        >>> standard_for(2026).id
        'decree_07_2021'
    """
    folder = Path(folder) if folder is not None else STANDARDS
    matches = [s for s in map(load_standard, sorted(folder.glob("*.toml"))) if s.applies_to(year)]
    if len(matches) != 1:
        found = ", ".join(s.id for s in matches) or "none"
        raise DataError(f"expected one standard for reviews held in {year}, found {found}", file=folder,
                        row=str(year), column="first_year")
    return matches[0]
