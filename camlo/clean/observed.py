"""Observed review results: poor households counted at the baseline and at each annual review.

``data/raw/observed_reviews.csv`` ships with the baseline, the review made at the start of
2022 that Plan 23/KH-UBND rests on (Phụ lục 1 per unit, section I for the district), and the
reviews published since. After each annual review a user adds rows to the file; everything
downstream (:func:`camlo.poverty_target_status`, the charts of notebook 03) reads it through
:func:`load_observed`, so a new row needs no code change.

The plan's timeline, in review steps (step 0 the baseline at the start of 2022, step 4 the
target at the end of 2025), is set out in :mod:`camlo.constants`.

The column ``reference_point`` exists because the baseline and the first annual review both
fall in 2022: the baseline was taken at the start of 2022 ("đầu năm 2022", section I) and the
annual review of 2022 at its end, as national and provincial reviews are reported (see
``data/reference/poverty_rates.csv``). Four annual steps therefore separate the baseline from
the 2025 target, the plan's period "từ năm 2022 đến hết năm 2025" (section III.3).

Only the baseline may be a start-of-year review; later reviews are end-of-year reviews.

Each review under its own standard. A review is read under the standard of the year it
identifies households for (:func:`camlo.clean.standard.identifies_for`: the 2022 baseline for
2022, an end-of-year review for the next year), as the files of ``data/reference/standards/``
give it: Decree 07/2021/NĐ-CP for 2022–2026, Decree 351/2025/NĐ-CP for 2027–2030. The review
made at the end of 2026 therefore identifies households for 2027 under Decree 351/2025: this is
the default reading (:data:`camlo.clean.standard.DEFAULT_READING`: the end-2021 review did the
same for 2022; no source at hand says so for 2026 explicitly). Where it is wrong, a review states
its standard in the optional column ``standard`` (a standard's id, e.g. ``decree_07_2021``; blank:
the default reading), and every row of one review must state the same. The output's
``standard`` column names each row's standard and ``stated`` says whether the file stated it. A
review under another standard than the plan's starts a new series, with its own baseline, and is
never compared with the 2022 baseline as if the measure were the same:
:func:`camlo.targets.series.review_series` separates the series, and the plan's targets read the
plan's series only (:func:`camlo.targets.series.plan_series`). A review for a year no shipped
standard covers (from the end of 2030) is refused.

Units across the 2025 reorganisation. A row names its unit by any spelling or code that
:func:`camlo.resolve_unit` resolves on the review's date (:func:`review_date`): one of the
plan's 8 units (by any name or code, before or after 1 July 2025, when a source reports by
former commune), one of the two communes that replaced them on 1 July 2025 (``xã Cam Lộ``,
``xã Hiếu Giang``: reviews after that day, the end-of-2025 review first), or ``district``, the
plan's whole area. One review may report the district beside its parts, but never an area
twice: a review that reports a new commune and one of its former units is refused, since any
total over them would count those households twice. Whether the district row agrees with the
sum of its parts is a question for the audit (:func:`camlo.consistency.observed.observed_findings`),
as published figures are transcribed as printed.

Ethnic-minority households. Two optional columns, ``poor_dtts`` and ``near_poor_dtts``, hold
the poor and near-poor households of ethnic minorities (hộ DTTS) where a review reports them.
The shipped file's header predates them and the file is only ever appended to (adding a
column would rewrite every line, an edit its checksum rightly refuses), so the shipped counts
live in a second appendable file, ``data/raw/observed_reviews_dtts.csv`` (``year``,
``reference_point``, ``commune``, ``poor_dtts``, ``near_poor_dtts``), whose rows complete
rows of the first. A user's own file may carry the two columns directly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from camlo.clean.parsing import Blank, parse_count, parse_year, read_rows
from camlo.clean.provenance import read_sidecar, sidecar_path
from camlo.clean.standard import DEFAULT_READING, identifies_for, load_standard, standard_files, standard_for
from camlo.clean.units import plan_units, resolve_unit, units
from camlo.constants import (
    BASELINE_YEAR,
    DISTRICT,
    END,
    REFERENCE_POINTS,
    START,
    STEPS,  # noqa: F401 (the doctests use it)
    review_date,
    review_step,
)
from camlo.errors import DataError
from camlo.paths import DATA_RAW

OBSERVED = DATA_RAW / "observed_reviews.csv"
OBSERVED_DTTS = DATA_RAW / "observed_reviews_dtts.csv"
COLUMNS = ("year", "reference_point", "commune", "poor", "near_poor", "households")
#: Optional columns: poor and near-poor households of ethnic minorities (hộ DTTS).
DTTS_COLUMNS = ("poor_dtts", "near_poor_dtts")
#: The layout of the separate file of ethnic-minority counts.
DTTS_FILE_COLUMNS = ("year", "reference_point", "commune", *DTTS_COLUMNS)
#: Optional column: the standard a review states it applies, where the default reading is wrong.
STANDARD_COLUMN = "standard"
#: The columns :func:`load_observed` returns.
OUTPUT_COLUMNS = ("year", "reference_point", "step", "unit", "poor", "near_poor", "households", *DTTS_COLUMNS,
                  "identifies_for", "standard", "stated")


def last_comparable_year() -> int:
    """The last year whose end-of-year review the plan's standard (Decree 07/2021/NĐ-CP) reads
    by default: the year before the last it identifies households for.

    Read from the standard's file (``last_year`` = 2026, the year Decree 351/2025/NĐ-CP keeps it
    in force): the end-of-2025 review identifies households for 2026; the end-of-2026 review, by
    the default reading, for 2027 under Decree 351/2025.

    Examples:
        >>> last_comparable_year()
        2025
    """
    return load_standard().last_year - 1


def last_step() -> int:
    """The last review step the plan's standard reads by default: the end of :func:`last_comparable_year`.

    Examples:
        >>> last_step() == STEPS  # the end-of-2025 review, the target's
        True
    """
    return review_step(last_comparable_year(), END)


def load_observed(path: str | Path | None = None, dtts: str | Path | None = None) -> pd.DataFrame:
    """Observed review results, one row per review and area (a unit, a new commune, the district).

    Columns: ``year``, ``reference_point`` (see the module docstring), ``step`` (review steps
    since the baseline: 0–4 within the plan, 5 for the end of 2026), ``unit`` (the key of
    :func:`camlo.resolve_unit`: a unit's printed name, ``xã Cam Lộ`` or ``xã Hiếu Giang``, or
    ``district``), ``poor``, ``near_poor``, ``households``, ``poor_dtts`` and
    ``near_poor_dtts`` (all but ``poor`` may be empty: missing, not zero), ``identifies_for``
    (the year the review identifies households for), ``standard`` (the id of the standard it is
    read under) and ``stated`` (whether the file stated it; else the default reading, see the
    module's notes). Rows are sorted by
    step, then the plan's units in printed order, the new communes, the district last.

    Counts may be printed plain (``2693``) or with a dot for thousands (``2.693``). A row may
    name its unit by any spelling or code that :func:`camlo.resolve_unit` resolves on the
    review's date (:func:`review_date`): ``xã Cam Tuyền`` and ``19600`` are both kept as the
    plan's printed name ``Cam Tuyên``; ``19603`` is Thanh An in 2024 and xã Hiếu Giang at the
    end of 2025.

    Args:
        path: A CSV file of the same layout (the optional columns ``poor_dtts`` and
            ``near_poor_dtts`` allowed); ``None`` reads ``data/raw/observed_reviews.csv``.
        dtts: A CSV file of ethnic-minority counts (:data:`DTTS_FILE_COLUMNS`) completing rows
            of ``path``; ``None`` reads ``data/raw/observed_reviews_dtts.csv`` when ``path``
            is ``None`` too, and none otherwise.

    Raises:
        DataError: naming the file, the row (``year reference_point / unit``) and the column,
            for a missing or unknown column, a unit that does not resolve on the review's date
            (naming the closest known names), a count that is not a whole number of households
            0 or more, a year before 2022 or one whose households no shipped standard covers, a
            ``standard`` that is no standard's id or differs between rows of one review, a
            start-of-year review other than the 2022 baseline, a review and
            unit listed twice (under any spelling), a new commune and one of its former units in
            the same review, more poor (plus near-poor) households than households, more
            ethnic-minority poor (near-poor) than poor (near-poor) households, ethnic-minority
            counts for a row the first file does not have or given in both files, an empty file
            or one that is not UTF-8.

    Examples:
        >>> obs = load_observed()
        >>> obs.query("unit == 'district'")[["year", "step", "poor", "near_poor", "poor_dtts", "near_poor_dtts"]]
           year  step  poor  near_poor  poor_dtts  near_poor_dtts
        8  2022     0   453        634         42            <NA>
        9  2023     2   311        429         13              39
        >>> int(obs["near_poor"].isna().sum())  # the plan prints near-poor for the district only
        8
    """
    shipped = path is None
    path = Path(path) if path is not None else OBSERVED
    if dtts is None and shipped:
        dtts = OBSERVED_DTTS
    register = units()
    known = plan_units(register)["unit"].tolist()
    last_year = last_review_year()
    records = _read_reviews(path, register, last_year)
    if dtts is not None:
        _add_dtts(records, Path(dtts), path, register, last_year)
    _check_no_area_twice(records, register, path)
    _assign_standards(records, path)
    frame = pd.DataFrame.from_records([r["values"] for r in records],
                                      columns=[*COLUMNS, *DTTS_COLUMNS, "step", "identifies_for", "standard", "stated"])
    frame = frame.astype({"year": "int64", "step": "int64", "poor": "int64", "near_poor": "Int64",
                          "households": "Int64", "poor_dtts": "Int64", "near_poor_dtts": "Int64",
                          "identifies_for": "int64", "standard": "str", "stated": "bool"})
    successors = register.loc[register["role"] == "successor", "unit"].tolist()
    order = {name: i for i, name in enumerate([*known, *successors, DISTRICT])}
    frame = (frame.assign(_order=frame["commune"].map(order))
             .sort_values(["step", "_order"], kind="stable").drop(columns="_order"))
    # the file's column "commune" is the unit key, named ``unit`` like every other table's
    frame = frame.rename(columns={"commune": "unit"})
    frame = frame[list(OUTPUT_COLUMNS)].reset_index(drop=True)
    return frame


def last_review_year() -> int:
    """The last year whose end-of-year review a shipped standard reads: the year before the last
    any standard of ``data/reference/standards/`` identifies households for.

    Examples:
        >>> last_review_year()  # the end-2029 review identifies households for 2030 (Decree 351/2025)
        2029
    """
    return max(load_standard(path).last_year for path in standard_files()) - 1


def _assign_standards(records: list[dict], path: Path) -> None:
    """Each row's standard: the one the review states, else the default reading's (by the year it
    identifies households for); every row of one review the same."""
    known = {p.stem for p in standard_files()}
    stated_by_review: dict[tuple[int, str], tuple[str, int]] = {}
    for record in records:
        values = record["values"]
        review = (values["year"], values["reference_point"])
        cell = record.get("standard", "")
        where = _where(values)
        if cell and cell not in known:
            raise DataError(f"expected a standard's id ({', '.join(sorted(known))}) or a blank cell (the default "
                            f"reading: {DEFAULT_READING}), got text that is none of these (not shown)", file=path,
                            row=where, column=STANDARD_COLUMN)
        if review in stated_by_review and stated_by_review[review][0] != cell:
            raise DataError(f"one review, two standards: line {stated_by_review[review][1]} states "
                            f"{stated_by_review[review][0] or 'none (the default reading)'}; every row of a review "
                            f"states the same standard or none", file=path, row=where, column=STANDARD_COLUMN)
        stated_by_review.setdefault(review, (cell, record["line"]))
        year = identifies_for(*review)
        if cell:
            standard = cell
        else:
            try:
                standard = standard_for(year).id
            except DataError:
                raise DataError(f"no standard of data/reference/standards identifies households for {year}, the "
                                f"year this review identifies them for; add the standard's file", file=path,
                                row=where, column="year") from None
        values.update(identifies_for=year, standard=standard, stated=bool(cell))


def _check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...], path: Path) -> None:
    """Require the ``required`` columns, in any order, allow the ``optional`` ones, and no other
    (read before the body)."""
    for name in required:
        if name not in header:
            raise DataError(f"column missing from the header; expected {', '.join(required)}"
                            + (f" (optionally {', '.join(optional)})" if optional else ""),
                            file=path, row="header", column=name)
    extra = [name for name in header if name not in (*required, *optional)]
    if extra:
        raise DataError(f"unexpected column; expected {', '.join(required)}"
                        + (f" and optionally {', '.join(optional)}" if optional else ""),
                        file=path, row="header", column=extra[0])


def _cells(rows: list, path: Path):
    """Each data row as ``(line, {column: cell})``, checking its width."""
    header = rows[0]
    for row in rows[1:]:
        line = row.line
        if len(row) != len(header):
            raise DataError(f"expected {len(header)} cells, found {len(row)}", file=path,
                            row=f"line {line}", column=header[min(len(row), len(header) - 1)])
        yield line, dict(zip(header, row))


def _read_reviews(path: Path, register: pd.DataFrame, last_year: int) -> list[dict]:
    """The rows of the main file, parsed and checked, with their line and file."""
    rows = read_rows(path, check_header=lambda header: _check_header(header[0], COLUMNS,
                                                                     (*DTTS_COLUMNS, STANDARD_COLUMN), path))
    records: list[dict] = []
    seen: dict[tuple[int, str, str], int] = {}
    for line, cells in _cells(rows, path):
        values = _parse_review(cells, line, path, register, last_year)
        for column in DTTS_COLUMNS:
            values[column] = _count(cells.get(column, ""), path, _where(values), column)
        _check_dtts(values, path)
        key = (values["year"], values["reference_point"], values["commune"])
        if key in seen:
            raise DataError(f"review and unit listed twice (lines {seen[key]} and {line})", file=path,
                            row=_where(values), column="commune")
        seen[key] = line
        records.append({"values": values, "line": line, "written": cells["commune"],
                        "standard": cells.get(STANDARD_COLUMN, "").strip()})
    return records


def _read_dtts(path: Path, register: pd.DataFrame, last_year: int) -> list[dict]:
    """The rows of a file of ethnic-minority counts, parsed and checked, with their line."""
    rows = read_rows(path, check_header=lambda header: _check_header(header[0], DTTS_FILE_COLUMNS, (), path))
    records: list[dict] = []
    seen: dict[tuple[int, str, str], int] = {}
    for line, cells in _cells(rows, path):
        values = _parse_review(cells, line, path, register, last_year)
        key = (values["year"], values["reference_point"], values["commune"])
        where = _where(values)
        if key in seen:
            raise DataError(f"review and unit listed twice (lines {seen[key]} and {line})", file=path,
                            row=where, column="commune")
        seen[key] = line
        for column in DTTS_COLUMNS:
            values[column] = _count(cells[column], path, where, column)
        records.append({"values": values, "line": line})
    return records


def review_files(path: str | Path | None = None) -> tuple[Path, ...]:
    """The files :func:`load_observed` reads for ``path`` (the units register aside), with the
    observed file's provenance sidecar where it has one (:func:`review_sources` reads it).

    Every standard's file is among them: each review is read under the standard of the year it
    identifies households for (:func:`camlo.clean.standard.standard_for`).

    Examples:
        >>> [p.name for p in review_files()]  # doctest: +NORMALIZE_WHITESPACE
        ['observed_reviews.csv', 'observed_reviews_dtts.csv', 'decree_07_2021.toml', 'decree_351_2025.toml',
         'observed_reviews.csv.provenance.json']
        >>> [p.name for p in review_files("mine.csv")]
        ['mine.csv', 'decree_07_2021.toml', 'decree_351_2025.toml']
    """
    files = [OBSERVED, OBSERVED_DTTS] if path is None else [Path(path)]
    side = sidecar_path(files[0])
    return (*files, *standard_files(), *([side] if side.is_file() else []))


def review_sources(path: str | Path | None = None) -> list[str]:
    """The source of each addition to an observed file after its first version, as its sidecar
    records them (``python -m camlo record``); none for a file without a sidecar.

    Args:
        path: An observed-reviews file; ``None``: the shipped one.

    Examples:
        >>> [source.split(",")[0] for source in review_sources()]
        ['VietnamNet (vietnamnet.vn)']
        >>> review_sources("no_such_file.csv")
        []
    """
    path = Path(path) if path is not None else OBSERVED
    if not sidecar_path(path).is_file():
        return []
    return [amendment["source"] for amendment in read_sidecar(path).get("amendments", [])]


def load_observed_dtts(path: str | Path | None = None) -> pd.DataFrame:
    """The file of ethnic-minority counts alone, each row parsed and checked (see :func:`load_observed`,
    which matches each row to a review's row and checks it against the poor and near-poor counts).

    Args:
        path: A CSV file of :data:`DTTS_FILE_COLUMNS`; ``None`` reads
            ``data/raw/observed_reviews_dtts.csv``.

    Returns:
        One row per review and unit, as in the file: ``year``, ``reference_point``, ``step``,
        ``unit`` (the key of :func:`camlo.resolve_unit`), ``poor_dtts``, ``near_poor_dtts``.

    Examples:
        >>> load_observed_dtts()[["year", "unit", "poor_dtts", "near_poor_dtts"]].values.tolist()
        [[2022, 'district', 42, <NA>], [2023, 'district', 13, 39]]
    """
    path = Path(path) if path is not None else OBSERVED_DTTS
    records = _read_dtts(path, units(), last_review_year())
    frame = pd.DataFrame.from_records([r["values"] for r in records],
                                      columns=["year", "reference_point", "step", "commune", *DTTS_COLUMNS])
    frame = frame.astype({"year": "int64", "step": "int64", "poor_dtts": "Int64", "near_poor_dtts": "Int64"})
    return frame.rename(columns={"commune": "unit"})


def _add_dtts(records: list[dict], path: Path, main: Path, register: pd.DataFrame, last_year: int) -> None:
    """Complete the rows of ``records`` with the ethnic-minority counts of the file ``path``."""
    by_key = {(r["values"]["year"], r["values"]["reference_point"], r["values"]["commune"]): r for r in records}
    for extra in _read_dtts(path, register, last_year):
        given = extra["values"]
        key = (given["year"], given["reference_point"], given["commune"])
        where = _where(given)
        if key not in by_key:
            raise DataError(f"no row for this review and unit in {main.name}; ethnic-minority counts "
                            f"complete a review's row there", file=path, row=where, column="commune")
        values = by_key[key]["values"]
        for column in DTTS_COLUMNS:
            if given[column] is pd.NA:
                continue
            if values[column] is not pd.NA:
                raise DataError(f"given in both {main.name} (line {by_key[key]['line']}) and this file",
                                file=path, row=where, column=column)
            values[column] = given[column]
        _check_dtts(values, path)


def _check_no_area_twice(records: list[dict], register: pd.DataFrame, path: Path) -> None:
    """Refuse a review that reports a new commune and one of its former units: a double count."""
    merged = register.set_index("unit")["predecessors"]
    lines: dict[tuple[int, str, str], int] = {}
    for record in records:
        values = record["values"]
        lines[(values["year"], values["reference_point"], values["commune"])] = record["line"]
    for record in records:
        values = record["values"]
        key = values["commune"]
        if key not in merged.index or not merged[key]:
            continue
        for part in merged[key].split(";"):
            other = lines.get((values["year"], values["reference_point"], part))
            if other is not None:
                raise DataError(
                    f"this review reports {key!r} (line {record['line']}) and {part!r} (line {other}), which "
                    f"merged into it on 1 July 2025: its households would be counted twice; report an area "
                    f"once, as the new commune or as its former units", file=path,
                    row=f"{values['year']} {values['reference_point']} / {part}", column="commune")


def _where(record: dict) -> str:
    return f"{record['year']} {record['reference_point']} / {record['commune']}"


def _count(cell: str, path: Path, where: str, column: str):
    value = parse_count(cell, blank=Blank.ABSENT, file=path, row=where, column=column)
    return pd.NA if value is None else value


def _resolve(commune: str, date: dt.date, register: pd.DataFrame, *, file: Path, row: str) -> str:
    """The key of the unit a row names (any spelling or code, resolved on the review's date)."""
    try:
        return resolve_unit(commune, date, register=register)
    except DataError as exc:
        raise DataError(exc.reason, file=file, row=row, column="commune") from None


def _parse_review(cells: dict[str, str], line: int, path: Path, register: pd.DataFrame, last_year: int) -> dict:
    """Parse a row's review (year, reference point) and unit; with ``poor`` and the other counts
    when the row has them."""
    commune = cells["commune"]
    if not commune:
        raise DataError("blank unit name", file=path, row=f"line {line}", column="commune")
    where = f"{cells['year'] or '?'} {cells['reference_point'] or '?'} / {commune}"
    year = parse_year(cells["year"], file=path, row=where, column="year")
    if year < BASELINE_YEAR:
        raise DataError(f"expected a year from {BASELINE_YEAR} (the plan's baseline) to {last_year}, got {year}",
                        file=path, row=where, column="year")
    if year > last_year:
        raise DataError(f"expected a year from {BASELINE_YEAR} to {last_year}: the end-of-{year} review identifies "
                        f"households for {year + 1}, which no standard of data/reference/standards covers (Decree "
                        f"351/2025/NĐ-CP's runs to 2030); add the next standard's file, got {year}",
                        file=path, row=where, column="year")
    reference_point = cells["reference_point"]
    if reference_point not in REFERENCE_POINTS:
        raise DataError(f"expected one of {', '.join(map(repr, REFERENCE_POINTS))}, got {reference_point!r}",
                        file=path, row=where, column="reference_point")
    if reference_point == START and year != BASELINE_YEAR:
        raise DataError(f"only the {BASELINE_YEAR} baseline is a start-of-year review; record the review "
                        f"made at the start of {year} as the end-of-year review of {year - 1}",
                        file=path, row=where, column="reference_point")
    commune = _resolve(commune, review_date(year, reference_point), register, file=path, row=where)
    record = {"year": year, "reference_point": reference_point, "commune": commune,
              "step": review_step(year, reference_point)}
    if "poor" not in cells:
        return record
    where = _where(record)
    record["poor"] = parse_count(cells["poor"], blank=Blank.REQUIRED, file=path, row=where, column="poor")
    for column in ("near_poor", "households"):
        record[column] = _count(cells[column], path, where, column)
    households = record["households"]
    if households is not pd.NA:
        if households == 0:
            raise DataError("0 households: a unit with none is not a unit of the review (leave the cell "
                            "blank if the review does not say)", file=path, row=where, column="households")
        counted = record["poor"] + (0 if record["near_poor"] is pd.NA else record["near_poor"])
        if counted > households:
            raise DataError(f"poor and near-poor households ({counted}) exceed households ({households})",
                            file=path, row=where, column="households")
    return record


def _check_dtts(values: dict, path: Path) -> None:
    """Ethnic-minority poor (near-poor) households are part of the poor (near-poor) households."""
    for part, whole in (("poor_dtts", "poor"), ("near_poor_dtts", "near_poor")):
        if values[part] is not pd.NA and values[whole] is not pd.NA and values[part] > values[whole]:
            raise DataError(f"more ethnic-minority {whole.replace('_', '-')} households ({values[part]}) than "
                            f"{whole.replace('_', '-')} households ({values[whole]})", file=path,
                            row=_where(values), column=part)
