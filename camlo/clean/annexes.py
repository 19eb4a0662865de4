"""Load and clean the plan's tables from ``data/raw/`` (and the project's reference tables).

Every loader takes ``path=None`` for the shipped file, or the path of another file of the
same layout (a later year's review, say). Each checks the printed headers, parses each cell
by its column (see :mod:`camlo.clean.parsing`), validates the result (see :mod:`camlo.clean.schemas`) and
raises :class:`camlo.DataError` naming file, unit and column for anything it cannot read.

What a blank cell means is decided per column, here, and said in ``COLUMNS_PHU_LUC_1``:
- ``Hộ DTTS`` and ``DTTS`` (ethnic-minority households, and poor among them): a blank is
  none, 0. Evidence: the only printed values (Cam Tuyên: 101 and 42) equal the total row and
  section I, so the other units hold no such households.
- every rate (``Tỷ lệ %``): a blank is "not printed" and stays missing.
- every other count: a blank is an error.

A unit may be named by any spelling or code of the unit register (see
:func:`camlo.resolve_unit`, resolved as of the plan's date); the tables keep the plan's
printed name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from camlo.clean import schemas
from camlo.clean.parsing import Blank, Row, parse_count, parse_rate, parse_year, read_rows
from camlo.clean.reconcile import reconcile_poor_split
from camlo.clean.schemas import DEPRIVATIONS, HOUSEHOLD_TOTALS, HOUSEHOLDS, validate
from camlo.clean.units import plan_units, resolve_unit, units
from camlo.constants import INDICATORS, N_INDICATORS, PLAN_DATE
from camlo.errors import DataError
from camlo.paths import DATA_RAW, DATA_REFERENCE, INDICATORS_FILE

PHU_LUC_1 = DATA_RAW / "phu_luc_1.csv"
PHU_LUC_2 = DATA_RAW / "phu_luc_2.csv"
PHU_LUC_2_LEGEND = DATA_RAW / "phu_luc_2_ghi_chu.csv"
HEADLINE = DATA_RAW / "section_1_headline.csv"
TARGETS = DATA_RAW / "section_2_targets.csv"

TARGET_READINGS = DATA_REFERENCE / "target_indicators.csv"

#: How target T01's sentence reads: the reduction in poor households and the band it is worth.
T01_SENTENCE = re.compile(r"giảm (?P<count>\d+) hộ nghèo \(tương đương giảm từ (?P<low>[\d,]+) – (?P<high>[\d,]+)%\)")

TOTAL_PHU_LUC_1 = "Tổng"
TOTAL_PHU_LUC_2 = "Tổng cộng"


@dataclass(frozen=True)
class Column:
    """One printed column: its two header cells, cleaned name, kind and blank rule."""

    top: str
    sub: str
    name: str
    kind: str  # "unit", "count", "rate" or "index"
    blank: Blank = Blank.REQUIRED
    printed_as: str = ""

    @property
    def label(self) -> str:
        """The column's printed name for messages: ``CSGN``, ``Tỷ lệ % (CSGN)``, ``1``."""
        return self.printed_as or self.sub or self.top


COLUMNS_PHU_LUC_1 = (
    Column("Đơn vị", "", "unit", "unit"),
    Column("Dân cư (Hộ)", "", "households", "count"),
    Column("Hộ DTTS", "", "dtts_households", "count", Blank.ZERO),
    Column("Hộ nghèo", "", "poor", "count"),
    Column("Tỷ lệ %", "", "poor_published_pct", "rate", Blank.ABSENT, "Tỷ lệ % (Hộ nghèo)"),
    Column("Trong đó", "DTTS", "dtts_poor", "count", Blank.ZERO),
    Column("", "Tỷ lệ %", "dtts_poor_published_pct", "rate", Blank.ABSENT, "Tỷ lệ % (DTTS)"),
    Column("", "Hộ BTXH", "btxh", "count"),
    Column("", "Tỷ lệ %", "btxh_published_pct", "rate", Blank.ABSENT, "Tỷ lệ % (Hộ BTXH)"),
    Column("", "CSGN", "csgn", "count"),
    Column("", "Tỷ lệ %", "csgn_published_pct", "rate", Blank.ABSENT, "Tỷ lệ % (CSGN)"),
)

COLUMNS_PHU_LUC_2 = (
    Column("Stt", "", "stt", "index", Blank.ABSENT),
    Column("Đơn vị", "", "unit", "unit"),
    Column("Tổng số hộ nghèo", "", "poor", "count"),
    Column("Chỉ số thiếu hụt DVXH cơ bản HỘ NGHÈO", "1", "1", "count"),
    *(Column("", str(j), str(j), "count") for j in range(2, N_INDICATORS + 1)),
)

#: Printed column names by cleaned name, for messages.
LABELS_PHU_LUC_1 = {c.name: c.label for c in COLUMNS_PHU_LUC_1}
LABELS_PHU_LUC_2 = {"unit": "Đơn vị", "poor": "Tổng số hộ nghèo", "deprived": "Chỉ số thiếu hụt"}


def _check_header(rows: list[list[str]], columns: tuple[Column, ...], file: Path) -> None:
    """Require the two printed header rows, cell for cell (before the body is read)."""
    for level, attr in enumerate(("top", "sub")):
        found = rows[level] if level < len(rows) else []
        for position, column in enumerate(columns):
            expected = getattr(column, attr)
            cell = found[position] if position < len(found) else None
            if cell is None:
                raise DataError(
                    f"column missing from header row {level + 1}: expected {len(columns)} columns, "
                    f"found {len(found)}", file=file, row="header", column=column.label)
            if cell != expected:
                raise DataError(
                    f"header row {level + 1}, position {position + 1}: expected {expected!r}, "
                    f"found {cell!r} (renamed or moved column?)",
                    file=file, row="header", column=column.label)
        if len(found) > len(columns):
            raise DataError(f"unexpected extra column {found[len(columns)]!r} in header row {level + 1}",
                            file=file, row="header", column=found[len(columns)])


def _parse_row(row: list[str], columns: tuple[Column, ...], name: str, file: Path) -> dict:
    """Parse one body row into cleaned values, column by column."""
    if len(row) != len(columns):
        missing = columns[len(row)].label if len(row) < len(columns) else "(extra cell)"
        raise DataError(f"expected {len(columns)} cells, found {len(row)}",
                        file=file, row=name, column=missing)
    record: dict = {}
    for cell, column in zip(row, columns):
        where = dict(file=file, row=name, column=column.label)
        if column.kind == "unit":
            record[column.name] = cell
        elif column.kind == "rate":
            value = parse_rate(cell, blank=column.blank, **where)
            record[column.name] = float("nan") if value is None else value
        else:
            record[column.name] = parse_count(cell, blank=column.blank, **where)
    return record


def _read_units_and_total(
    path: Path, columns: tuple[Column, ...], total_name: str
) -> tuple[list[dict], dict]:
    """Parse a printed annex: one record per unit in printed order, and the total row.

    The rows may be the plan's 8 units or any of them (a user's tables for a few units); the
    total row then is optional, and is the sum over the given units when absent
    (:func:`_summed_total`). The plan's full set of units must end with its total row.
    """
    rows = read_rows(path, header_rows=2, check_header=lambda header: _check_header(header, columns, path))
    name_at = [c.kind for c in columns].index("unit")
    label = columns[name_at].label
    register = units()
    known = plan_units(register)["unit"].tolist()
    records: list[dict] = []
    total = None
    body = rows[2:]
    for position, row in enumerate(body):
        name = row[name_at] if name_at < len(row) else ""
        if total is not None:
            raise DataError(f"row after the total row {total_name!r}", file=path, row=name or f"line {row.line}",
                            column=label)
        if not name:
            raise DataError("blank unit name", file=path, row=f"line {row.line}", column=label)
        if name == total_name:
            total = _parse_row(row, columns, name, path)
            continue
        try:
            key = _plan_unit(name, register, known, file=path, column=label)
        except DataError:
            if position == len(body) - 1 and len(records) == len(known):
                raise DataError(f"the last row must be the total row, called {total_name!r} as printed; "
                                f"found {name!r}", file=path, row=name, column=label) from None
            if position == len(body) - 1 and records:
                raise DataError(f"the last row must be a unit of the plan or the total row, called "
                                f"{total_name!r} as printed; found {name!r}", file=path, row=name,
                                column=label) from None
            raise
        if any(r["unit"] == key for r in records):
            raise DataError("unit listed twice", file=path, row=name, column=label)
        records.append(_parse_row(row, columns, name, path) | {"unit": key})
    if not records:
        raise DataError(f"no unit row: expected one or more of the plan's units ({', '.join(known)})",
                        file=path, row="line 3", column=label)
    if total is None:
        if len(records) == len(known):
            raise DataError(f"no total row {total_name!r} after the units", file=path, row=total_name,
                            column=label)
        total = _summed_total(records, columns, total_name)
    return records, total


def _summed_total(records: list[dict], columns: tuple[Column, ...], total_name: str) -> dict:
    """The total row of a table for a few units that prints none: each count summed over the
    units, each rate missing (not printed), no row number.

    Examples:
        >>> rows = [{"unit": "Thanh An", "households": 2693, "poor_published_pct": 3.94},
        ...         {"unit": "Cam Hiếu", "households": 1791, "poor_published_pct": 2.46}]
        >>> columns = tuple(c for c in COLUMNS_PHU_LUC_1 if c.name in ("unit", "households", "poor_published_pct"))
        >>> _summed_total(rows, columns, "Tổng")
        {'unit': 'Tổng', 'households': 4484, 'poor_published_pct': nan}
    """
    total: dict = {}
    for column in columns:
        if column.kind == "unit":
            total[column.name] = total_name
        elif column.kind == "rate":
            total[column.name] = float("nan")
        elif column.kind == "index":
            total[column.name] = None
        else:
            total[column.name] = sum(r[column.name] for r in records)
    return total


def _plan_unit(name: str, register: pd.DataFrame, known: list[str], *, file: Path, column: str) -> str:
    """The plan's printed name of the unit an annex row names (any spelling or code, see
    :func:`camlo.resolve_unit`), as of the plan's date."""
    try:
        key = resolve_unit(name, PLAN_DATE, register=register)
    except DataError as exc:
        raise DataError(exc.reason, file=file, row=name, column=column) from None
    if key not in known:
        raise DataError(f"{key!r} is not one of the plan's units ({', '.join(known)})",
                        file=file, row=name, column=column)
    return key


def annex_unit(name: str, *, file: Path, column: str) -> str:
    """The plan's printed name of the unit an annex row names, by any spelling or code.

    Examples:
        >>> annex_unit("xã Cam Tuyền", file=PHU_LUC_1, column="Đơn vị")
        'Cam Tuyên'
    """
    register = units()
    return _plan_unit(name, register, plan_units(register)["unit"].tolist(), file=file, column=column)


def _households_frame(path: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    path = Path(path) if path is not None else PHU_LUC_1
    records, total = _read_units_and_total(path, COLUMNS_PHU_LUC_1, TOTAL_PHU_LUC_1)
    units = validate(HOUSEHOLDS, pd.DataFrame.from_records(records), file=path, labels=LABELS_PHU_LUC_1)
    totals = pd.DataFrame.from_records([total]).astype(units.dtypes.to_dict())
    totals = validate(HOUSEHOLD_TOTALS, totals, file=path, labels=LABELS_PHU_LUC_1)
    return units, totals, path


def load_households(path: str | Path | None = None) -> pd.DataFrame:
    """Phụ lục 1: households, poor households and their split, one row per unit.

    Columns: ``unit`` (printed name, NFC), ``households``, ``dtts_households``, ``poor``,
    ``dtts_poor``, ``btxh`` (poor on social protection, unable to escape poverty), ``csgn``
    (poor able to escape, targeted by poverty-reduction policy), each printed rate as
    ``*_published_pct``, and the reconciled split (``btxh_reconciled``,
    ``csgn_reconciled``, flagged by ``split_reconciled``; see :mod:`camlo.clean.reconcile`).
    The printed total row is not included: see :func:`load_household_totals`.

    Args:
        path: A CSV file of Phụ lục 1's layout; ``None`` reads the shipped one.

    Raises:
        DataError: naming file, unit and column, for anything that does not parse.

    Examples:
        >>> hh = load_households()
        >>> hh.loc[hh["unit"] == "Thanh An", ["households", "poor", "poor_published_pct"]].values.tolist()
        [[2693.0, 106.0, 3.94]]
        >>> len(hh)
        8
    """
    units, totals, _ = _households_frame(path)
    return reconcile_poor_split(units, totals.iloc[0])


def load_household_totals(path: str | Path | None = None) -> pd.DataFrame:
    """Phụ lục 1's printed total row (``Tổng``), in the layout of :func:`load_households`.

    Examples:
        >>> load_household_totals()[["households", "poor", "btxh", "csgn"]].values.tolist()
        [[14905, 453, 345, 108]]
    """
    return _households_frame(path)[1]


def _deprivations_frames(path: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    path = Path(path) if path is not None else PHU_LUC_2
    records, total = _read_units_and_total(path, COLUMNS_PHU_LUC_2, TOTAL_PHU_LUC_2)
    plan_order = {unit: i for i, unit in enumerate(plan_units()["unit"], start=1)}
    for position, record in enumerate(records, start=1):
        # a table for a few units numbers its rows 1, 2, … or keeps the plan's numbers
        allowed = {position} | ({plan_order[record["unit"]]} if len(records) < len(plan_order) else set())
        if record["stt"] not in allowed:
            found = "a blank cell" if record["stt"] is None else record["stt"]
            expected = " or ".join(map(str, sorted(allowed)))
            raise DataError(f"expected row number {expected}, found {found}",
                            file=path, row=record["unit"], column="Stt")

    def long(recs: list[dict]) -> pd.DataFrame:
        return pd.DataFrame.from_records([
            {"unit": r["unit"], "indicator": j, "deprived": r[str(j)], "poor": r["poor"]}
            for r in recs for j in INDICATORS
        ]).astype({"indicator": "int64", "deprived": "int64", "poor": "int64"})

    frames = []
    for frame in (long(records), long([total])):
        for row in frame.itertuples():
            if row.deprived > row.poor:
                raise DataError(
                    f"{row.deprived} poor households deprived in indicator {row.indicator}, "
                    f"more than the unit's {row.poor} poor households",
                    file=path, row=row.unit, column=str(row.indicator))
        frames.append(validate(DEPRIVATIONS, frame, file=path, labels=LABELS_PHU_LUC_2))
    return frames[0], frames[1], path


def load_deprivations(path: str | Path | None = None) -> pd.DataFrame:
    """Phụ lục 2 in long format: poor households deprived in each indicator, per unit.

    Columns: ``unit``, ``indicator`` (1–12, numbered as printed), ``deprived`` (poor
    households deprived in that indicator) and ``poor`` (the unit's poor households as
    printed in Phụ lục 2). The total row is in :func:`load_deprivation_totals`.

    Examples:
        >>> dep = load_deprivations()
        >>> dep.shape
        (96, 4)
        >>> int(dep.query("unit == 'Cam Tuyên' and indicator == 10")["deprived"].iloc[0])
        75
    """
    return _deprivations_frames(path)[0]


def load_deprivation_totals(path: str | Path | None = None) -> pd.DataFrame:
    """Phụ lục 2's printed total row (``Tổng cộng``), in the layout of :func:`load_deprivations`.

    Examples:
        >>> load_deprivation_totals()["deprived"].tolist()[:4]
        [134, 231, 19, 290]
    """
    return _deprivations_frames(path)[1]


def _read_flat_table(path: Path, expected: list[str]) -> list[Row]:
    """Read a one-header-row table; require its columns and a full row for each record.

    The header is checked before the body is parsed, so a file of another layout is refused
    from its first line.

    Returns:
        The body rows (the header checked and dropped).
    """
    def check_header(header: list[Row]) -> None:
        found = header[0]
        if found != expected:
            padded = found + [""] * len(expected)
            differs = next((c for c, f in zip(expected, padded) if c != f), None)
            raise DataError(f"expected columns {expected}, found {list(found)}", file=path, row="header",
                            column=differs if differs is not None else found[len(expected)])

    rows = read_rows(path, check_header=check_header)
    for row in rows[1:]:
        if len(row) != len(expected):
            missing = expected[len(row)] if len(row) < len(expected) else "(extra cell)"
            raise DataError(f"expected {len(expected)} cells, found {len(row)}", file=path, row=row[0] or
                            f"line {row.line}", column=missing)
    return rows[1:]


def load_units(path: str | Path | None = None) -> pd.DataFrame:
    """The 8 units in printed order, with English names and urban/rural kind.

    The plan's units of the register (:func:`camlo.units`, which also holds official names,
    codes and the communes that replaced them on 1 July 2025).

    Args:
        path: A CSV file of ``data/reference/units.csv``'s layout; ``None`` reads the shipped one.

    Examples:
        >>> load_units()["area"].value_counts().to_dict()
        {'rural': 7, 'urban': 1}
    """
    return plan_units(units(path))[["unit", "name_en", "kind_vi", "kind_en", "area"]].reset_index(drop=True)


INDICATOR_COLUMNS = ["indicator", "name_vi", "name_en", "dimension_vi", "dimension_en", "target", "office_vi",
                     "office_en", "mapping_note"]


def load_indicator_legend(path: str | Path | None = None) -> dict[int, str]:
    """The legend printed under Phụ lục 2: each indicator's number and Vietnamese name.

    Examples:
        >>> load_indicator_legend()[10]
        'Nhà tiêu hợp vệ sinh'
    """
    path = Path(path) if path is not None else PHU_LUC_2_LEGEND
    legend: dict[int, str] = {}
    for row in _read_flat_table(path, ["Chỉ số", "Ghi chú"]):
        number = parse_count(row[0], blank=Blank.REQUIRED, file=path, row=f"line {row.line}", column="Chỉ số")
        if not 1 <= number <= N_INDICATORS or number in legend:
            raise DataError(f"expected each indicator 1 to {N_INDICATORS} once, got {number}", file=path,
                            row=row[0], column="Chỉ số")
        if not row[1]:
            raise DataError("blank cell; expected the indicator's name", file=path, row=row[0], column="Ghi chú")
        legend[number] = row[1]
    if sorted(legend) != list(range(1, N_INDICATORS + 1)):
        missing = next(j for j in range(1, N_INDICATORS + 1) if j not in legend)
        raise DataError(f"no row for indicator {missing}; the legend lists indicators 1 to {N_INDICATORS}",
                        file=path, row=str(missing), column="Chỉ số")
    return legend


def indicators(path: str | Path | None = None, *, legend: str | Path | None = None) -> pd.DataFrame:
    """The 12 indicators of Decree 07/2021: names, dimensions, target and office.

    ``name_vi`` is checked against the legend printed under Phụ lục 2; the target (section II)
    and the responsible office (section VII) are the project's reading, explained per row in
    ``mapping_note``.

    Args:
        path: A CSV file of ``data/reference/indicators.csv``'s layout; ``None`` reads the shipped one.
        legend: The printed legend to check names against (:func:`load_indicator_legend`).

    Examples:
        >>> ind = indicators()
        >>> ind.loc[ind["indicator"] == 10, ["name_en", "dimension_en", "target"]].values.tolist()
        [['Hygienic latrine', 'Water and sanitation', 'T07']]
        >>> ind["dimension_en"].nunique()
        6
    """
    path = Path(path) if path is not None else INDICATORS_FILE
    rows = _read_flat_table(path, INDICATOR_COLUMNS)
    printed = load_indicator_legend(legend)
    numbers = []
    for row in rows:
        where = dict(file=path, row=row[0] or f"line {row.line}")
        number = parse_count(row[0], blank=Blank.REQUIRED, column="indicator", **where)
        if number not in printed or number in numbers:
            raise DataError(f"expected each indicator 1 to {N_INDICATORS} once, got {number}", column="indicator",
                            **where)
        numbers.append(number)
        for position, column in enumerate(INDICATOR_COLUMNS):
            if column != "target" and row[position] == "":
                raise DataError("blank cell; expected text", column=column, **where)
        if row[1] != printed[number]:
            raise DataError(f"name {row[1]!r} differs from the printed legend {printed[number]!r}",
                            column="name_vi", **where)
        if row[5] and not re.fullmatch(r"T\d{2}", row[5]):
            raise DataError(f"expected a target of section II such as 'T07', or a blank, got {row[5]!r}",
                            column="target", **where)
    if len(numbers) != N_INDICATORS:
        missing = next(j for j in printed if j not in numbers)
        raise DataError(f"no row for indicator {missing}", file=path, row=str(missing), column="indicator")
    table = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    table["indicator"] = pd.Series(numbers, dtype="int64")
    table["target"] = table["target"].replace("", pd.NA)
    return table


def load_headline(path: str | Path | None = None) -> pd.DataFrame:
    """Section I's headline figures: one row per figure, count and printed rate.

    Columns: ``key`` (e.g. ``poor``, ``btxh``), ``count``, ``published_pct`` (missing where
    the text prints no rate) and ``phrase`` (the words as printed). Every figure of
    :data:`camlo.clean.schemas.HEADLINE_KEYS` must have its row, once; a figure that is part of
    another (the poor of the poor and near-poor, BTXH of the poor, …) may not exceed it.

    Examples:
        >>> row = load_headline().set_index("key").loc["near_poor"]
        >>> int(row["count"]), float(row["published_pct"])
        (634, 4.25)
    """
    path = Path(path) if path is not None else HEADLINE
    records = []
    for key, phrase, count, rate in _read_flat_table(path, ["key", "phrase", "count", "rate_pct"]):
        if key not in schemas.HEADLINE_KEYS:
            raise DataError(f"unknown figure; expected one of {', '.join(schemas.HEADLINE_KEYS)}", file=path,
                            row=key, column="key")
        if any(r["key"] == key for r in records):
            raise DataError("figure listed twice", file=path, row=key, column="key")
        records.append({
            "key": key,
            "count": parse_count(count, blank=Blank.REQUIRED, file=path, row=key, column="count"),
            "published_pct": parse_rate(rate, blank=Blank.ABSENT, file=path, row=key, column="rate_pct"),
            "phrase": phrase,
        })
    counts = {r["key"]: r["count"] for r in records}
    for key, meaning in schemas.HEADLINE_KEYS.items():
        if key not in counts:
            raise DataError(f"no row for {key!r} ({meaning}); section I prints all of "
                            f"{', '.join(schemas.HEADLINE_KEYS)}", file=path, row=key, column="key")
    for part, whole in schemas.HEADLINE_PARTS.items():
        if counts[part] > counts[whole]:
            raise DataError(f"{counts[part]} {schemas.HEADLINE_KEYS[part]}, more than the "
                            f"{counts[whole]} {schemas.HEADLINE_KEYS[whole]} they are part of", file=path,
                            row=part, column="count")
    frame = pd.DataFrame.from_records(records).astype({"count": "int64", "published_pct": "float64"})
    return validate(schemas.HEADLINE, frame, file=path, labels={}, row_key="key")


def load_targets(path: str | Path | None = None, *, readings: str | Path | None = None) -> pd.DataFrame:
    """Section II's targets, as printed, with the project's reading of each.

    Args:
        path: A CSV file of ``section_2_targets.csv``'s layout; ``None`` reads the shipped one.
        readings: The project's reading of each target (population, indicator, why), a file
            of ``data/reference/target_indicators.csv``'s layout; ``None`` reads that one.

    Columns: ``target`` (T01…), ``sentence`` (as printed), ``threshold_pct`` (missing for the
    household-count target T01), ``deadline``, ``population_en``, ``indicator`` (the Phụ lục
    2 indicator it is measured by, missing where none is) and ``reading`` (why).

    Raises:
        DataError: naming file, target and column for a cell that is not a share in % (0 to
            100) or a year from 2022 on, a target listed twice, a table without T01 (the
            reduction in poor households the plan is judged by) or whose T01 sentence does not
            read as :func:`read_t01` reads it, or a target without a reading.

    Examples:
        >>> t = load_targets()
        >>> t.dropna(subset=["indicator"])["target"].tolist()
        ['T02', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09']
    """
    path = Path(path) if path is not None else TARGETS
    columns = ["target", "sentence", "threshold_pct", "deadline"]
    rows = _read_flat_table(path, columns)
    records = []
    for target, sentence, threshold, deadline in rows:
        where = dict(file=path, row=target)
        if any(r["target"] == target for r in records):
            raise DataError("target listed twice", column="target", **where)
        records.append({
            "target": target,
            "sentence": sentence,
            "threshold_pct": parse_rate(threshold, blank=Blank.ABSENT, column="threshold_pct", **where),
            "deadline": parse_year(deadline, column="deadline", **where),
        })
    printed = pd.DataFrame.from_records(records, columns=columns).astype(
        {"target": "str", "sentence": "str", "threshold_pct": "float64", "deadline": "int64"})
    printed = validate(schemas.TARGETS, printed, file=path, labels={}, row_key="target")
    if "T01" not in set(printed["target"]):
        raise DataError("no row for T01, the reduction in poor households by 2025 that the plan is judged by",
                        file=path, row="T01", column="target")
    read_t01(printed.loc[printed["target"] == "T01", "sentence"].iloc[0], file=path)
    reading = load_target_readings(readings)
    unread = printed.loc[~printed["target"].isin(reading["target"]), "target"]
    if len(unread):
        raise DataError(f"no reading of this target in {TARGET_READINGS.name if readings is None else Path(readings).name}",
                        file=path, row=unread.iloc[0], column="target")
    return printed.merge(reading, on="target", how="left", validate="one_to_one")


def read_t01(sentence: str, *, file: str | Path = TARGETS) -> tuple[int, float, float]:
    """Target T01's reduction in poor households and its band (% of households), from its sentence.

    Args:
        sentence: T01's sentence as printed.
        file: The file it was read from, named in the error (for a table not read from a
            file, the name of the file whose layout it has).

    Raises:
        DataError: naming the file, row T01 and column ``sentence`` when the sentence does not
            read "giảm N hộ nghèo (tương đương giảm từ a – b%)", or a bound is not a rate.

    Examples:
        >>> read_t01("Phấn đấu giảm 108 hộ nghèo (tương đương giảm từ 0,15 – 0,22%) mỗi năm")
        (108, 0.15, 0.22)
        >>> read_t01("Giảm tỷ lệ hộ nghèo")
        Traceback (most recent call last):
        ...
        camlo.errors.DataError: section_2_targets.csv, row 'T01', column 'sentence': expected the sentence to read 'giảm N hộ nghèo (tương đương giảm từ a – b%)' (the plan's goal), got 'Giảm tỷ lệ hộ nghèo'
    """
    match = T01_SENTENCE.search(sentence) if isinstance(sentence, str) else None
    if match is None:
        raise DataError("expected the sentence to read 'giảm N hộ nghèo (tương đương giảm từ a – b%)' (the plan's "
                        f"goal), got {sentence!r}", file=file, row="T01", column="sentence")
    low, high = (parse_rate(match[k], blank=Blank.REQUIRED, file=file, row="T01", column="sentence")
                 for k in ("low", "high"))
    return int(match["count"]), low, high


def load_target_readings(path: str | Path | None = None) -> pd.DataFrame:
    """The project's reading of each section II target: population, indicator, and why.

    Columns: ``target``, ``population_en``, ``indicator`` (1–12, missing where no indicator
    measures the target) and ``reading``.

    Examples:
        >>> load_target_readings().set_index("target").loc["T07", "indicator"]
        np.int64(10)
    """
    path = Path(path) if path is not None else TARGET_READINGS
    columns = ["target", "population_en", "indicator", "reading"]
    rows = _read_flat_table(path, columns)
    seen: set[str] = set()
    numbers = []
    for row in rows:
        where = dict(file=path, row=row[0] or f"line {row.line}")
        if not re.fullmatch(r"T\d{2}", row[0]):
            raise DataError(f"expected a target of section II such as 'T07', got {row[0]!r}", column="target",
                            **where)
        if row[0] in seen:
            raise DataError("target listed twice", column="target", **where)
        seen.add(row[0])
        for position in (1, 3):
            if not row[position]:
                raise DataError("blank cell; expected text", column=columns[position], **where)
        number = parse_count(row[2], blank=Blank.ABSENT, column="indicator", **where)
        if number is not None and not 1 <= number <= N_INDICATORS:
            raise DataError(f"expected an indicator 1 to {N_INDICATORS}, or a blank, got {number}",
                            column="indicator", **where)
        numbers.append(number)
    table = pd.DataFrame(rows, columns=columns)
    table["indicator"] = pd.array(numbers, dtype="Int64")
    return table
