"""Context: the national and provincial pace of poverty reduction beside the plan's.

``data/reference/poverty_rates.csv`` is a copy of the project's shared context file: poor and
near-poor rates from end-of-year reviews under the 2022–2025 standard, each row with its
source (see its provenance sidecar). :func:`poverty_pace` turns consecutive years of one area
into an annual fall, to set beside the pace Cam Lộ's plan requires.

The comparison is of paces only: Vietnam and Quảng Trị start from other levels (Quảng Trị
9.14% at the end of 2022, Cam Lộ 3.04% at the start of 2022), and a low rate made mostly of
households unable to work (BTXH, 345 of Cam Lộ's 453) falls more slowly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from camlo.errors import DataError
from camlo.clean.parsing import Blank, parse_count, parse_rate, read_rows
from camlo.paths import DATA_REFERENCE

POVERTY_RATES = DATA_REFERENCE / "poverty_rates.csv"
_COLUMNS = ("area", "level", "year", "reference_point", "poor_households", "poor_rate_pct",
            "near_poor_households", "near_poor_rate_pct", "poor_and_near_poor_rate_pct",
            "source_title", "source_url", "note")
_COUNTS = {"year": Blank.REQUIRED, "poor_households": Blank.ABSENT, "near_poor_households": Blank.ABSENT}
_RATES = {"poor_rate_pct": Blank.REQUIRED, "near_poor_rate_pct": Blank.ABSENT,
          "poor_and_near_poor_rate_pct": Blank.ABSENT}


def load_poverty_rates(path: str | Path | None = None) -> pd.DataFrame:
    """Sourced national, regional and provincial poverty rates (end-of-year reviews).

    Args:
        path: A CSV of the same layout; ``None`` reads ``data/reference/poverty_rates.csv``.

    Returns:
        The file's columns, counts as ``Int64`` and rates as ``float64`` (missing where the
        source states none).

    Raises:
        DataError: naming file, row (``area year``) and column for a missing column or a cell
            that is not a count or a rate.

    Examples:
        >>> rates = load_poverty_rates()
        >>> rates.query("area == 'Vietnam'")[["year", "poor_rate_pct"]].values.tolist()
        [[2022.0, 4.03], [2023.0, 2.93], [2024.0, 1.93]]
    """
    path = Path(path) if path is not None else POVERTY_RATES
    rows = read_rows(path)
    header = rows[0]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise DataError(f"column missing; expected {', '.join(_COLUMNS)}", file=path, row="header",
                        column=missing[0])
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(f"expected {len(header)} cells, found {len(row)}", file=path, row=f"line {line}")
        cells = dict(zip(header, row))
        where = f"{cells['area']} {cells['year']}"
        record = dict(cells)
        for column, blank in _COUNTS.items():
            value = parse_count(cells[column], blank=blank, file=path, row=where, column=column)
            record[column] = pd.NA if value is None else value
        for column, blank in _RATES.items():
            value = parse_rate(cells[column], blank=blank, file=path, row=where, column=column)
            record[column] = float("nan") if value is None else value
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(header))
    return frame.astype({"year": "int64", "poor_households": "Int64", "near_poor_households": "Int64",
                         **{c: "float64" for c in _RATES}})


def poverty_pace(rates: pd.DataFrame | None = None) -> pd.DataFrame:
    """The annual fall in the poor rate between consecutive reviews of the same area.

    Returns:
        One row per area and pair of consecutive years: ``area``, ``level``, ``from_year``,
        ``to_year``, ``from_pct``, ``to_pct``, ``fall_pp`` (percentage points a year) and
        ``relative_fall_pct`` (the fall as % of the earlier rate).

    Examples:
        >>> pace = poverty_pace()
        >>> pace[["area", "from_year", "to_year", "fall_pp"]].round(2).values.tolist()
        [['Vietnam', 2022, 2023, 1.1], ['Vietnam', 2023, 2024, 1.0], ['Quảng Trị', 2022, 2023, 1.43]]
    """
    rates = load_poverty_rates() if rates is None else rates
    rows = []
    for (area, level), group in rates.groupby(["area", "level"], sort=False):
        group = group.sort_values("year")
        for earlier, later in zip(group.itertuples(), group.iloc[1:].itertuples()):
            if later.year != earlier.year + 1:
                continue
            fall = earlier.poor_rate_pct - later.poor_rate_pct
            rows.append({"area": area, "level": level, "from_year": earlier.year, "to_year": later.year,
                         "from_pct": earlier.poor_rate_pct, "to_pct": later.poor_rate_pct,
                         "fall_pp": fall, "relative_fall_pct": 100 * fall / earlier.poor_rate_pct})
    return pd.DataFrame(rows)
