"""Poverty standards as data: income lines and review scores by area, the cutoff, the indicators.

A standard lives in ``data/reference/standards/<id>.toml`` (see ``decree_07_2021.toml``), the
source of each of its facts in the file's sidecar (``<id>.toml.provenance.json``, ``facts``):
its document, the years it identifies households for, the deprivation cutoff, per area the poor
line, the middle-income line (inclusive, "trở xuống") and the review form's income score, the
points per deprivation, and its indicators with the record column that flags each.
:func:`load_standard` reads and checks one; a new standard is a new file, not new code.

Which standard a review applies. A review identifies households for a year
(:func:`identifies_for`): the start-of-year review of 2022 (the plan's baseline) for 2022, an
end-of-year review for the year after it. Decree 07/2021/NĐ-CP kept the old standard for 2021
and the review at the end of 2021 identified households for 2022 under the new one (the plan's
baseline, "đầu kỳ"); read the same way, the review at the end of 2026 identifies households for
2027 under Decree 351/2025/NĐ-CP. No source at hand says so for 2026 explicitly: it is the
default reading (:data:`DEFAULT_READING`), and a review can state its standard where it is wrong
(see :mod:`camlo.clean.observed`).

A standard whose indicator list is not confirmed (``indicators_confirmed = false``: Decree
351/2025's, whose list was not at hand) carries no indicators, and classifying under it is
refused (:meth:`Standard.require_indicators`) unless the caller passes an indicator set
explicitly (:meth:`Standard.with_indicators`), which every output then names
(:attr:`Standard.label`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from camlo.clean.parsing import read_text
from camlo.constants import END, START
from camlo.errors import DataError
from camlo.paths import DATA_REFERENCE

STANDARDS = DATA_REFERENCE / "standards"
DEFAULT_STANDARD = STANDARDS / "decree_07_2021.toml"
STATUSES = ("poor", "near_poor", "middle", "above_middle")
#: A household above the poor line whose band the standard cannot place: scored on the review
#: form (which sets no middle-income score), or under a standard with no middle-income line.
ABOVE_POOR_LINE = "above_poor_line"
#: A household the review's quick identification excluded: no income, no deprivations.
EXCLUDED = "excluded"
#: Why the end-of-year review of a standard's last year is read under the next standard.
DEFAULT_READING = ("by the default reading: a review identifies households for the year after it is held, as the "
                   "end-2021 review identified households for 2022 under Decree 07/2021/NĐ-CP (the plan's "
                   "baseline); no source at hand says so for the end-2026 review explicitly")
_INDICATOR_KEYS = ("indicator", "column", "name_vi", "name_en", "dimension_vi", "dimension_en")
_AREA_KEYS = ("poor_line",)
_OPTIONAL_AREA_KEYS = ("middle_line", "poor_score")


def identifies_for(year: int, reference_point: str) -> int:
    """The year whose households a review identifies: its own for a start-of-year review (the
    2022 baseline), the next for an end-of-year review.

    Examples:
        >>> identifies_for(2022, "start-of-year review"), identifies_for(2025, "end-of-year review")
        (2022, 2026)
        >>> identifies_for(2026, "end-of-year review")  # under Decree 351/2025/NĐ-CP
        2027
    """
    if reference_point == START:
        return year
    if reference_point == END:
        return year + 1
    raise ValueError(f"reference_point must be {START!r} or {END!r}, got {reference_point!r}")


@dataclass(frozen=True)
class Standard:
    """One poverty standard, as read from its file.

    Attributes:
        id: The file's name without suffix, e.g. ``decree_07_2021``.
        document: The legal document and article that sets it.
        first_year, last_year: The years it identifies households for (inclusive).
        deprivation_cutoff: Deprived in at least this many indicators makes an income-poor
            household poor (otherwise near-poor).
        areas: One row per area (``rural``, ``urban``): ``poor_line`` (int64) and
            ``middle_line`` in VND per person per month, both inclusive, and ``poor_score``,
            the review form's income score at the poor line (``Int64``: missing where the
            file has none).
        indicators: One row per indicator: ``indicator`` (number), ``column`` (the record
            column), names and dimension in Vietnamese and English. Empty when not confirmed.
        indicators_confirmed: False when the standard's own indicator list is not at hand.
        points_per_deprivation: The review form's points per deprived indicator; ``None``
            when the file carries no scores.
        scoring_document: The document that sets the scores (``""`` without scores).
        stand_in: The id of the standard whose indicators stand in for this one's
            (:meth:`with_indicators`), or ``None``.
        indicators_known: What is known of an unconfirmed list, as text (never classified by).
    """

    id: str
    title_en: str
    document: str
    first_year: int
    last_year: int
    deprivation_cutoff: int
    areas: pd.DataFrame
    indicators: pd.DataFrame
    indicators_confirmed: bool = True
    points_per_deprivation: int | None = None
    scoring_document: str = ""
    stand_in: str | None = None
    indicators_known: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The standard as outputs name it, with the stand-in indicator set where there is one.

        Examples:
            >>> load_standard().label
            'decree_07_2021'
            >>> load_standard(STANDARDS / "decree_351_2025.toml").with_indicators(load_standard()).label
            "decree_351_2025 with decree_07_2021's indicators as a stand-in"
        """
        return self.id if self.stand_in is None else f"{self.id} with {self.stand_in}'s indicators as a stand-in"

    @property
    def has_middle_line(self) -> bool:
        """Whether every area has a middle-income line (else above the poor line is one band)."""
        return bool(self.areas["middle_line"].notna().all())

    @property
    def has_scores(self) -> bool:
        """Whether the file carries review scores (points per deprivation and each area's score)."""
        return self.points_per_deprivation is not None and bool(self.areas["poor_score"].notna().all())

    def require_indicators(self) -> None:
        """Refuse to classify under a standard whose indicator list is not confirmed.

        Raises:
            DataError: naming the file and why, and how to pass a stand-in.
        """
        if self.indicators_confirmed or self.stand_in is not None:
            return
        raise DataError(
            f"the indicator list of {self.document} is not confirmed (its text was not at hand: the file "
            f"records what is known, not the list), so households cannot be classified under it; pass an "
            f"indicator set explicitly, e.g. classify(records, standard, stand_in=load_standard()) for "
            f"Decree 07/2021's twelve as a stand-in, which every output then names",
            file=f"{self.id}.toml", row="standard", column="indicators_confirmed")

    @property
    def indicator_columns(self) -> list[str]:
        """The record columns this standard counts, in indicator order (refused if not confirmed)."""
        self.require_indicators()
        return self.indicators["column"].tolist()

    def with_indicators(self, other: "Standard | pd.DataFrame", name: str | None = None) -> "Standard":
        """This standard with another's indicator set standing in (lines, cutoff and years its own).

        Args:
            other: A standard (its indicators are taken) or an indicator table of the same layout.
            name: What to call the stand-in; by default the other standard's id.
        """
        if isinstance(other, Standard):
            other.require_indicators()
            table, name = other.indicators, name or other.id
        else:
            table, name = other, name or "an indicator set given by the caller"
        missing = [key for key in ("indicator", "column") if key not in table]
        if missing or table.empty:
            raise DataError("an indicator set needs rows with 'indicator' and 'column'", row="indicators",
                            column=missing[0] if missing else "indicator")
        return dataclasses.replace(self, indicators=table.reset_index(drop=True), stand_in=name)

    def applies_to(self, year: int) -> bool:
        """Whether this standard identifies households for ``year`` (see :func:`identifies_for`)."""
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


def _area_table(areas: object, path: Path, has_scoring: bool) -> pd.DataFrame:
    if not isinstance(areas, dict) or not areas:
        raise DataError("expected [areas.<name>] tables with poor_line (and middle_line, poor_score)", file=path,
                        row="areas", column="areas")
    area_rows = {}
    for name, table in areas.items():
        row = f"areas.{name}"
        if not isinstance(table, dict):
            raise DataError("expected a table", file=path, row=row, column=name)
        lines = {key: _require(table, key, int, path, row) for key in _AREA_KEYS}
        lines.update({key: _require(table, key, int, path, row) if key in table else None
                      for key in _OPTIONAL_AREA_KEYS})
        if lines["poor_line"] <= 0:
            raise DataError("expected a poor_line above 0", file=path, row=row, column="poor_line")
        if lines["middle_line"] is not None and lines["middle_line"] <= lines["poor_line"]:
            raise DataError("expected 0 < poor_line < middle_line", file=path, row=row, column="middle_line")
        if lines["poor_score"] is not None and lines["poor_score"] <= 0:
            raise DataError("expected a poor_score above 0", file=path, row=row, column="poor_score")
        if lines["poor_score"] is not None and not has_scoring:
            raise DataError("a poor_score needs a [scoring] table (its document, points_per_deprivation)",
                            file=path, row=row, column="poor_score")
        area_rows[name] = lines
    if len({lines["middle_line"] is None for lines in area_rows.values()}) > 1:
        raise DataError("middle_line given for some areas only; give it for every area or none", file=path,
                        row="areas", column="middle_line")
    if has_scoring and any(lines["poor_score"] is None for lines in area_rows.values()):
        name = next(n for n, lines in area_rows.items() if lines["poor_score"] is None)
        raise DataError("a [scoring] table needs a poor_score in every area", file=path, row=f"areas.{name}",
                        column="poor_score")
    frame = pd.DataFrame.from_dict(area_rows, orient="index")
    frame = frame.astype({"poor_line": "int64", "middle_line": "Int64", "poor_score": "Int64"})
    frame.index.name = "area"
    return frame


def _indicator_table(indicators: object, path: Path, confirmed: bool) -> pd.DataFrame:
    if not confirmed:
        if indicators is not None:
            raise DataError("indicators_confirmed = false, yet [[indicators]] are given: set it to true once "
                            "the list is the standard's own", file=path, row="standard",
                            column="indicators_confirmed")
        return pd.DataFrame({key: pd.Series(dtype="int64" if key == "indicator" else "str")
                             for key in _INDICATOR_KEYS})
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
    frame = pd.DataFrame(rows).astype({"indicator": "int64"})
    if frame["column"].duplicated().any():
        column = frame.loc[frame["column"].duplicated(), "column"].iloc[0]
        raise DataError(f"record column {column!r} flags two indicators", file=path, row="indicators",
                        column="column")
    return frame


def load_standard(path: str | Path | None = None) -> Standard:
    """Read a poverty standard from its TOML file and check it.

    Args:
        path: A standard's file; ``None`` reads Decree 07/2021's.

    Raises:
        DataError: naming the file, the part (``areas.urban``, ``indicator 3``) and the key,
            for a missing or ill-typed value, lines out of order, a middle-income line or a
            score for some areas only, indicators that are not numbered 1, 2, … with distinct
            columns, or indicators given while ``indicators_confirmed`` is false.

    Examples:
        >>> std = load_standard()
        >>> std.deprivation_cutoff, len(std.indicators), std.applies_to(2022), std.applies_to(2027)
        (3, 12, True, False)
        >>> std.areas.loc["urban", "poor_line"], int(std.areas.loc["rural", "middle_line"])
        (np.int64(2000000), 2250000)
        >>> int(std.areas.loc["rural", "poor_score"]), std.points_per_deprivation
        (140, 10)
        >>> later = load_standard(STANDARDS / "decree_351_2025.toml")
        >>> later.indicators_confirmed, later.applies_to(2027), int(later.areas.loc["urban", "poor_line"])
        (False, True, 2800000)
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
    confirmed = data.get("indicators_confirmed", True)
    if not isinstance(confirmed, bool):
        raise DataError(f"expected true or false, got {confirmed!r}", file=path, row="standard",
                        column="indicators_confirmed")
    scoring = data.get("scoring")
    if scoring is not None and not isinstance(scoring, dict):
        raise DataError("expected a [scoring] table", file=path, row="scoring", column="scoring")
    points, scoring_document = None, ""
    if scoring is not None:
        points = _require(scoring, "points_per_deprivation", int, path, "scoring")
        scoring_document = _require(scoring, "document", str, path, "scoring")
        if points <= 0:
            raise DataError("expected points_per_deprivation above 0", file=path, row="scoring",
                            column="points_per_deprivation")
    area_frame = _area_table(data.get("areas"), path, scoring is not None)
    indicator_frame = _indicator_table(data.get("indicators"), path, confirmed)
    most = len(indicator_frame) if confirmed else head["deprivation_cutoff"]
    if not 0 < head["deprivation_cutoff"] <= most:
        raise DataError(f"expected a cutoff from 1 to {most}", file=path, row="standard",
                        column="deprivation_cutoff")
    known = data.get("indicators_known", {})
    if not isinstance(known, dict) or not all(isinstance(v, str) for v in known.values()):
        raise DataError("expected a table of text", file=path, row="indicators_known", column="indicators_known")
    return Standard(areas=area_frame, indicators=indicator_frame, indicators_confirmed=confirmed,
                    points_per_deprivation=points, scoring_document=scoring_document, indicators_known=known,
                    **head)


def standard_files(folder: str | Path | None = None) -> tuple[Path, ...]:
    """Every standard's file in ``folder`` (the shipped ``standards/`` by default), in name order.

    Examples:
        >>> [p.name for p in standard_files()]
        ['decree_07_2021.toml', 'decree_351_2025.toml']
    """
    return tuple(sorted(Path(folder if folder is not None else STANDARDS).glob("*.toml")))


def load_standards(folder: str | Path | None = None) -> tuple[Standard, ...]:
    """Every standard of ``folder`` (the shipped ``standards/`` by default), in name order.

    Examples:
        >>> [(s.id, s.first_year, s.last_year) for s in load_standards()]
        [('decree_07_2021', 2022, 2026), ('decree_351_2025', 2027, 2030)]
    """
    return tuple(map(load_standard, standard_files(folder)))


def standard_for(year: int, folder: str | Path | None = None) -> Standard:
    """The shipped standard that identifies households for ``year`` (see :func:`identifies_for`).

    Raises:
        DataError: if no standard in the folder covers the year, or two do.

    Examples:
        >>> standard_for(2026).id, standard_for(2027).id
        ('decree_07_2021', 'decree_351_2025')
    """
    folder = Path(folder) if folder is not None else STANDARDS
    matches = [s for s in load_standards(folder) if s.applies_to(year)]
    if len(matches) != 1:
        found = ", ".join(s.id for s in matches) or "none"
        raise DataError(f"expected one standard for households identified for {year}, found {found}", file=folder,
                        row=str(year), column="first_year")
    return matches[0]
