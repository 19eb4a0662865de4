"""Context: national, regional and provincial poverty rates, loaded and validated.

``data/reference/poverty_rates.csv`` is a copy of the project's shared context file: poor and
near-poor rates from end-of-year reviews under the 2022–2025 standard, each row with its
source (see its provenance sidecar). :mod:`camlo.targets.pace` turns them into annual paces
to set beside the plan's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from camlo.clean.parsing import Blank, parse_count, parse_rate, parse_year, read_rows
from camlo.clean.schemas import POVERTY_RATES as SCHEMA
from camlo.clean.schemas import validate
from camlo.errors import DataError
from camlo.paths import DATA_REFERENCE

POVERTY_RATES = DATA_REFERENCE / "poverty_rates.csv"
#: Cam Lộ's own printed rates after the baseline (same layout; see its provenance sidecar).
DISTRICT_RATES = DATA_REFERENCE / "district_rates.csv"
_COLUMNS = ("area", "level", "year", "reference_point", "poor_households", "poor_rate_pct",
            "near_poor_households", "near_poor_rate_pct", "poor_and_near_poor_rate_pct",
            "source_title", "source_url", "note")
_COUNTS = {"poor_households": Blank.ABSENT, "near_poor_households": Blank.ABSENT}
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
    rows = read_rows(path, check_header=lambda header: _check_header(header[0], path))
    header = rows[0]
    records = []
    for row in rows[1:]:
        if len(row) != len(header):
            column = header[len(row)] if len(row) < len(header) else "(extra cell)"
            raise DataError(f"expected {len(header)} cells, found {len(row)}", file=path,
                            row=f"line {row.line}", column=column)
        cells = dict(zip(header, row))
        where = f"{cells['area'] or f'line {row.line}'} {cells['year']}".strip()
        record = dict(cells)
        record["year"] = parse_year(cells["year"], file=path, row=where, column="year")
        for column, blank in _COUNTS.items():
            value = parse_count(cells[column], blank=blank, file=path, row=where, column=column)
            record[column] = pd.NA if value is None else value
        for column, blank in _RATES.items():
            value = parse_rate(cells[column], blank=blank, file=path, row=where, column=column)
            record[column] = float("nan") if value is None else value
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(header))
    numeric = {"year": "int64", "poor_households": "Int64", "near_poor_households": "Int64",
               **{c: "float64" for c in _RATES}}
    frame = frame.astype({**{c: "str" for c in frame.columns if c not in numeric}, **numeric})
    frame = validate(SCHEMA, frame.assign(_row=frame["area"] + " " + frame["year"].astype(str)), file=path,
                     labels={}, row_key="_row")
    return frame.drop(columns="_row")


def load_district_rates(path: str | Path | None = None) -> pd.DataFrame:
    """Cam Lộ's printed poverty rates at reviews after the baseline, as :func:`load_poverty_rates` reads them.

    Args:
        path: A CSV in the layout of ``poverty_rates.csv``; ``None`` reads
            ``data/reference/district_rates.csv``.

    Examples:
        >>> load_district_rates()[["area", "year", "poor_households", "poor_rate_pct"]].values.tolist()
        [['Cam Lộ', 2023, 311, 2.09]]
    """
    return load_poverty_rates(DISTRICT_RATES if path is None else path)


def _check_header(header: list[str], path: Path) -> None:
    """Require the file's columns (others may follow; read before the body)."""
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise DataError(f"column missing; expected {', '.join(_COLUMNS)}", file=path, row="header",
                        column=missing[0])
