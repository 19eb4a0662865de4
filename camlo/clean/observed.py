"""Observed review results: poor households counted at the baseline and at each annual review.

``data/raw/observed_reviews.csv`` ships with the baseline, the review made at the start of
2022 that Plan 23/KH-UBND rests on (Phụ lục 1 per unit, section I for the district). After
each annual review a user adds rows to the file; everything downstream
(:func:`camlo.poverty_target_status`, the charts of notebook 03) reads it through
:func:`load_observed`, so a new row needs no code change.

The plan's timeline, in review steps (step 0 the baseline at the start of 2022, step 4 the
target at the end of 2025), is set out in :mod:`camlo.constants`.

The column ``reference_point`` exists because the baseline and the first annual review both
fall in 2022: the baseline was taken at the start of 2022 ("đầu năm 2022", section I) and the
annual review of 2022 at its end, as national and provincial reviews are reported (see
``data/reference/poverty_rates.csv``). Four annual steps therefore separate the baseline from
the 2025 target, the plan's period "từ năm 2022 đến hết năm 2025" (section III.3).

Only the baseline may be a start-of-year review; later reviews are end-of-year reviews of
2022 to 2025. Years after 2025 are refused: the 2022–2025 standard (Decree 07/2021/NĐ-CP)
ends with 2025, so later counts are not comparable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from camlo.clean.parsing import Blank, parse_count, read_rows
from camlo.clean.units import plan_units, resolve_unit, units
from camlo.constants import (
    BASELINE_YEAR,
    DISTRICT,
    END,
    REFERENCE_POINTS,
    START,
    STEPS,
    TARGET_YEAR,
)
from camlo.errors import DataError
from camlo.paths import DATA_RAW

OBSERVED = DATA_RAW / "observed_reviews.csv"
COLUMNS = ("year", "reference_point", "commune", "poor", "near_poor", "households")


def review_step(year: int, reference_point: str) -> int:
    """The number of annual review steps from the baseline to a review.

    Args:
        year: The review's year.
        reference_point: ``"start-of-year review"`` (only the 2022 baseline) or
            ``"end-of-year review"``.

    Returns:
        0 for the baseline (start of 2022), 1 for the end of 2022, …, 4 for the end of 2025.

    Examples:
        >>> review_step(2022, "start-of-year review"), review_step(2022, "end-of-year review")
        (0, 1)
        >>> review_step(2025, "end-of-year review") == STEPS
        True
    """
    if reference_point == START:
        return year - BASELINE_YEAR
    if reference_point == END:
        return year - BASELINE_YEAR + 1
    raise ValueError(f"reference_point must be one of {REFERENCE_POINTS}, got {reference_point!r}")


def review_at_step(step: int) -> tuple[int, str]:
    """The ``(year, reference_point)`` of review step ``step`` (inverse of :func:`review_step`).

    Examples:
        >>> review_at_step(0), review_at_step(4)
        ((2022, 'start-of-year review'), (2025, 'end-of-year review'))
    """
    if not 0 <= step <= STEPS:
        raise ValueError(f"step must be between 0 and {STEPS}, got {step}")
    return (BASELINE_YEAR, START) if step == 0 else (BASELINE_YEAR + step - 1, END)


def review_date(year: int, reference_point: str) -> dt.date:
    """The date a review refers to, by which its units' names and codes are resolved.

    A start-of-year review refers to the first day of its year, an end-of-year review to the
    last: the end-of-2025 review falls after the reorganisation of 1 July 2025.

    Examples:
        >>> review_date(2022, "start-of-year review"), review_date(2025, "end-of-year review")
        (datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))
    """
    review_step(year, reference_point)  # checks reference_point
    return dt.date(year, 1, 1) if reference_point == START else dt.date(year, 12, 31)


def _known_units(register: pd.DataFrame) -> list[str]:
    return plan_units(register)["unit"].tolist()


def load_observed(path: str | Path | None = None) -> pd.DataFrame:
    """Observed review results, one row per review and unit (or ``district``).

    Columns: ``year``, ``reference_point`` (see the module docstring), ``step`` (review steps
    since the baseline, 0–4), ``unit`` (a unit's printed name or ``district``), ``poor``,
    ``near_poor`` and ``households`` (both may be empty: missing, not zero). Rows are sorted by
    step, then in the printed order of the units with the district last.

    Counts may be printed plain (``2693``) or with a dot for thousands (``2.693``). A row may
    name its unit by any spelling or code that :func:`camlo.resolve_unit` resolves on the
    review's date (:func:`review_date`): ``xã Cam Tuyền`` and ``19600`` are both kept as the
    plan's printed name ``Cam Tuyên``.

    Args:
        path: A CSV file of the same layout; ``None`` reads ``data/raw/observed_reviews.csv``.

    Raises:
        DataError: naming the file, the row (``year reference_point / unit``) and the column,
            for a missing or renamed column, an unknown unit (naming the closest known names), a count that is not a whole
            number of households 0 or more, a year outside 2022–2025, a start-of-year review
            other than the 2022 baseline, a review and unit listed twice, more poor (plus
            near-poor) households than households, an empty file or one that is not UTF-8.

    Examples:
        >>> obs = load_observed()
        >>> obs.query("unit == 'district'")[["year", "step", "poor", "near_poor", "households"]]
           year  step  poor  near_poor  households
        8  2022     0   453        634       14905
        >>> obs["near_poor"].isna().sum()  # the plan prints near-poor for the district only
        np.int64(8)
    """
    path = Path(path) if path is not None else OBSERVED
    rows = read_rows(path)
    header = rows[0]
    for name in COLUMNS:
        if name not in header:
            raise DataError(f"column missing from the header; expected {', '.join(COLUMNS)}",
                            file=path, row="header", column=name)
    extra = [name for name in header if name not in COLUMNS]
    if extra:
        raise DataError(f"unexpected column; expected {', '.join(COLUMNS)}", file=path, row="header",
                        column=extra[0])
    register = units()
    known = _known_units(register)
    records = []
    seen: dict[tuple[int, str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(f"expected {len(header)} cells, found {len(row)}", file=path,
                            row=f"line {line}", column=header[min(len(row), len(header) - 1)])
        cells = dict(zip(header, row))
        record = _parse_record(cells, line, path, register, known)
        key = (record["year"], record["reference_point"], record["commune"])
        if key in seen:
            raise DataError(f"review and unit listed twice (lines {seen[key]} and {line})", file=path,
                            row=_where(record), column="commune")
        seen[key] = line
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, "step"])
    frame = frame.astype({"year": "int64", "step": "int64", "poor": "int64",
                          "near_poor": "Int64", "households": "Int64"})
    order = {name: i for i, name in enumerate([*known, DISTRICT])}
    frame = (frame.assign(_order=frame["commune"].map(order))
             .sort_values(["step", "_order"], kind="stable").drop(columns="_order"))
    columns = ["year", "reference_point", "step", "commune", "poor", "near_poor", "households"]
    # the file's column "commune" is the unit key, named ``unit`` like every other table's
    return frame[columns].rename(columns={"commune": "unit"}).reset_index(drop=True)


def _where(record: dict) -> str:
    return f"{record['year']} {record['reference_point']} / {record['commune']}"


def _resolve(commune: str, date: dt.date, register: pd.DataFrame, known: list[str], *, file: Path,
             row: str) -> str:
    """The key of the unit a row names (any spelling or code, resolved on the review's date)."""
    try:
        key = resolve_unit(commune, date, register=register)
    except DataError as exc:
        raise DataError(exc.reason, file=file, row=row, column="commune") from None
    if key not in known and key != DISTRICT:
        raise DataError(f"{key!r} is not one of the plan's units; expected one of {', '.join(known)} "
                        f"or {DISTRICT!r}", file=file, row=row, column="commune")
    return key


def _parse_record(cells: dict[str, str], line: int, path: Path, register: pd.DataFrame,
                  known: list[str]) -> dict:
    """Parse and check one row of the observed file."""
    commune = cells["commune"]
    if not commune:
        raise DataError("blank unit name", file=path, row=f"line {line}", column="commune")
    where = f"{cells['year'] or '?'} {cells['reference_point'] or '?'} / {commune}"
    year = parse_count(cells["year"], blank=Blank.REQUIRED, file=path, row=where, column="year")
    if not BASELINE_YEAR <= year <= TARGET_YEAR:
        raise DataError(f"expected a year from {BASELINE_YEAR} to {TARGET_YEAR} (the 2022–2025 "
                        f"standard's period), got {year}", file=path, row=where, column="year")
    reference_point = cells["reference_point"]
    if reference_point not in REFERENCE_POINTS:
        raise DataError(f"expected one of {', '.join(map(repr, REFERENCE_POINTS))}, got {reference_point!r}",
                        file=path, row=where, column="reference_point")
    if reference_point == START and year != BASELINE_YEAR:
        raise DataError(f"only the {BASELINE_YEAR} baseline is a start-of-year review; record the review "
                        f"made at the start of {year} as the end-of-year review of {year - 1}",
                        file=path, row=where, column="reference_point")
    commune = _resolve(commune, review_date(year, reference_point), register, known, file=path, row=where)
    record = {"year": year, "reference_point": reference_point, "commune": commune,
              "step": review_step(year, reference_point)}
    where = _where(record)
    record["poor"] = parse_count(cells["poor"], blank=Blank.REQUIRED, file=path, row=where, column="poor")
    for column in ("near_poor", "households"):
        value = parse_count(cells[column], blank=Blank.ABSENT, file=path, row=where, column=column)
        record[column] = pd.NA if value is None else value
    households = record["households"]
    if households is not pd.NA:
        counted = record["poor"] + (0 if record["near_poor"] is pd.NA else record["near_poor"])
        if counted > households:
            raise DataError(f"poor and near-poor households ({counted}) exceed households ({households})",
                            file=path, row=where, column="households")
    return record
