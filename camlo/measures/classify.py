"""Each household's status under a poverty standard, and where the review recorded otherwise.

:func:`classify` applies a standard (:func:`camlo.load_standard`, Decree 07/2021 as shipped;
see :mod:`camlo.clean.standard`) to household records: the number of indicators a household is
deprived in, and its status. Under Decree 07/2021, Article 3, with inclusive lines
("trở xuống"):

==================  ===========================================================================
``poor``            income per person at or below the area's poor line, and deprived in at
                    least the cutoff (3) of the indicators
``near_poor``       the same income, deprived in fewer than the cutoff
``middle``          income above the poor line, at or below the middle-income line
``above_middle``    income above the middle-income line
==================  ===========================================================================

:func:`audit_records` lists the households whose recorded status (``status_recorded``)
differs from the standard's: the household-level view of an aggregate finding such as
"poor households deprived in fewer than 3 indicators".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from camlo.clean.standard import STATUSES, Standard
from camlo.errors import DataError

AUDIT_COLUMNS = ["household_id", "unit", "area", "income_per_person", "deprivations", "status_recorded",
                 "status", "finding"]


def deprivation_counts(records: pd.DataFrame, standard: Standard) -> np.ndarray:
    """How many of the standard's indicators each household is deprived in (int8).

    Examples:
        >>> from camlo import load_standard
        >>> std = load_standard()
        >>> frame = pd.DataFrame({f"d{j}": [1, 0] for j in range(1, 13)})
        >>> deprivation_counts(frame, std).tolist()
        [12, 0]
    """
    missing = [c for c in standard.indicator_columns if c not in records]
    if missing:
        raise DataError(f"records lack the column(s) {', '.join(missing)} that standard {standard.id} counts",
                        row="header", column=missing[0])
    total = np.zeros(len(records), dtype="int8")
    for column in standard.indicator_columns:
        total += records[column].to_numpy(dtype="int8")
    return total


def _lines(records: pd.DataFrame, standard: Standard) -> tuple[np.ndarray, np.ndarray]:
    """Each household's poor line and middle-income line, from its area."""
    area = records["area"]
    codes, names = pd.factorize(area, sort=False)
    unknown = [n for n in names if n not in standard.areas.index]
    if unknown or (codes < 0).any():
        raise DataError(f"standard {standard.id} has income lines for {', '.join(standard.areas.index)} only",
                        row="area", column="area")
    lines = standard.areas.loc[list(names)]
    return (lines["poor_line"].to_numpy(dtype="float64")[codes],
            lines["middle_line"].to_numpy(dtype="float64")[codes])


def status_codes(income: np.ndarray, deprivations: np.ndarray, poor_line: np.ndarray,
                 middle_line: np.ndarray, cutoff: int) -> np.ndarray:
    """Index into ``STATUSES`` (0 poor, 1 near-poor, 2 middle, 3 above middle) for each household.

    Examples:
        >>> status_codes(np.array([1.5e6, 1.5e6, 1.5e6 + 1, 2.25e6, 2.25e6 + 1]), np.array([3, 2, 9, 9, 9]),
        ...              np.full(5, 1.5e6), np.full(5, 2.25e6), 3).tolist()
        [0, 1, 2, 2, 3]
    """
    income_poor = income <= poor_line
    codes = np.where(income <= middle_line, 2, 3).astype("int8")
    codes[income_poor] = np.where(deprivations[income_poor] >= cutoff, 0, 1)
    return codes


def classify(records: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Add ``deprivations`` (0 to the number of indicators) and ``status`` to household records.

    Args:
        records: As :func:`camlo.load_records` returns them (``area``, ``income_per_person``
            and the standard's indicator columns are used).
        standard: A poverty standard (:func:`camlo.load_standard`: Decree 07/2021).

    Returns:
        A copy of ``records`` with ``deprivations`` (int8) and ``status`` (categorical, in
        the order poor, near_poor, middle, above_middle). ``status_recorded``, if present,
        is kept beside it.

    Examples:
        >>> frame = pd.DataFrame({"area": ["rural", "urban", "urban"],
        ...                       "income_per_person": [1_500_000.0, 2_000_000.0, 2_000_001.0],
        ...                       **{f"d{j}": [1, 0, 1] for j in range(1, 13)}})
        >>> from camlo import load_standard
        >>> classify(frame, load_standard())[["deprivations", "status"]].values.tolist()
        [[12, 'poor'], [0, 'near_poor'], [12, 'middle']]
    """
    deprivations = deprivation_counts(records, standard)
    poor_line, middle_line = _lines(records, standard)
    income = records["income_per_person"].to_numpy(dtype="float64")
    codes = status_codes(income, deprivations, poor_line, middle_line, standard.deprivation_cutoff)
    return records.assign(deprivations=deprivations,
                          status=pd.Categorical.from_codes(codes, categories=list(STATUSES)))


def recorded_as_status(records: pd.DataFrame) -> pd.Series:
    """What the standard's status means in the review's terms: poor, near_poor or missing.

    Examples:
        >>> s = pd.Series(pd.Categorical(["poor", "middle", "above_middle"], categories=STATUSES))
        >>> recorded_as_status(pd.DataFrame({"status": s})).tolist()
        ['poor', nan, nan]
    """
    return records["status"].astype(object).where(records["status"].isin(["poor", "near_poor"]))


def audit_records(records: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Households whose recorded status differs from the standard's.

    Args:
        records: Household records with ``status_recorded``; classified with ``standard``
            first if they have no ``status`` yet.
        standard: As for :func:`classify`.

    Returns:
        One row per such household, in the records' order: ``household_id``, ``unit``,
        ``area``, ``income_per_person``, ``deprivations``, ``status_recorded`` (missing: neither
        poor nor near-poor), ``status`` (the standard's) and ``finding`` (a sentence). Empty
        when the records carry no recorded status.

    Examples:
        >>> frame = pd.DataFrame({"household_id": ["A", "B"], "unit": ["Thanh An"] * 2,
        ...     "area": ["rural"] * 2, "income_per_person": [900_000.0, 900_000.0],
        ...     "status_recorded": ["poor", "poor"], **{f"d{j}": [1, int(j < 3)] for j in range(1, 13)}})
        >>> from camlo import load_standard
        >>> audit_records(frame, load_standard())[["household_id", "deprivations", "status"]].values.tolist()
        [['B', 2, 'near_poor']]
    """
    if "status" not in records or "deprivations" not in records:
        records = classify(records, standard)
    if "status_recorded" not in records:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    cutoff = standard.deprivation_cutoff
    computed = recorded_as_status(records)
    recorded = records["status_recorded"].astype(object).where(records["status_recorded"].notna())
    differs = (computed.fillna("") != recorded.fillna("")).to_numpy()
    found = records.loc[differs, AUDIT_COLUMNS[:-1]].copy()

    def finding(row) -> str:
        said = "not poor or near-poor" if pd.isna(row.status_recorded) else str(row.status_recorded).replace("_", "-")
        if row.status_recorded == "poor" and row.status == "near_poor":
            why = f"deprived in {row.deprivations} indicator(s), fewer than the standard's {cutoff}"
        elif row.status in ("middle", "above_middle"):
            why = "income above the poor line"
        elif row.status == "poor":
            why = f"income at or below the poor line and {row.deprivations} deprivations"
        else:
            why = f"income at or below the poor line and {row.deprivations} deprivation(s)"
        return f"recorded {said}; the standard gives {str(row.status).replace('_', '-')}: {why}"

    found["finding"] = [finding(row) for row in found.itertuples()]
    return found.reset_index(drop=True)
