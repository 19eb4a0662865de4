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
``above_poor_line`` above the poor line where the band cannot be told: a household scored on
                    the review form (which sets no middle-income score), or a standard with no
                    middle-income line (Decree 351/2025 as known)
``excluded``        excluded by the review's quick identification (``excluded`` = 1): no
                    income, no deprivations; counted among households, never poor
==================  ===========================================================================

Income or income score. A household's income test uses its income per person where the
records give it, else its income score (points on the review form, Circular 07/2021/TT-BLĐTBXH
as amended by Circular 02/2022/TT-BLĐTBXH) against the area's ``poor_score`` of the standard's
file; the deprivations are the flags, or the deprivation score divided by the standard's points
per deprivation where the records carry no flags, and a deprivation score given beside the flags
must equal the flags' count times those points. Where the records carry ``income_score`` or
``excluded``, :func:`classify` adds ``basis`` (``income``, ``income_score`` or ``excluded``): which
test classified each household. The last two statuses are categories only where they can occur.

A standard whose indicator list is not confirmed (Decree 351/2025/NĐ-CP) is refused unless an
indicator set is passed (``stand_in=``): the output's ``attrs["standard"]`` then names it
(:attr:`camlo.clean.standard.Standard.label`), as it names the standard always.

:func:`audit_records` lists the households whose recorded status (``status_recorded``)
differs from the standard's: the household-level view of an aggregate finding such as
"poor households deprived in fewer than 3 indicators".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from camlo.clean.standard import ABOVE_POOR_LINE, EXCLUDED, STATUSES, Standard
from camlo.errors import DataError

BASES = ("income", "income_score", "excluded")
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


def _area_codes(records: pd.DataFrame, standard: Standard) -> tuple[np.ndarray, list[str]]:
    codes, names = pd.factorize(records["area"], sort=False)
    unknown = [n for n in names if n not in standard.areas.index]
    if unknown or (codes < 0).any():
        raise DataError(f"standard {standard.id} has income lines for {', '.join(standard.areas.index)} only",
                        row="area", column="area")
    return codes, list(names)


def _lines(records: pd.DataFrame, standard: Standard) -> tuple[np.ndarray, np.ndarray]:
    """Each household's poor line and middle-income line (NaN where the standard has none), from its area."""
    codes, names = _area_codes(records, standard)
    lines = standard.areas.loc[names]
    return (lines["poor_line"].to_numpy(dtype="float64")[codes],
            lines["middle_line"].to_numpy(dtype="float64", na_value=np.nan)[codes])


def _poor_scores(records: pd.DataFrame, standard: Standard) -> np.ndarray:
    """Each household's income score at the poor line (140 rural, 175 urban under Circular 07/2021)."""
    codes, names = _area_codes(records, standard)
    return standard.areas.loc[names, "poor_score"].to_numpy(dtype="float64", na_value=np.nan)[codes]


def status_codes(income: np.ndarray, deprivations: np.ndarray, poor_line: np.ndarray,
                 middle_line: np.ndarray, cutoff: int) -> np.ndarray:
    """Index into ``STATUSES`` (0 poor, 1 near-poor, 2 middle, 3 above middle, 4 above the poor
    line where ``middle_line`` is NaN) for each household.

    Examples:
        >>> status_codes(np.array([1.5e6, 1.5e6, 1.5e6 + 1, 2.25e6, 2.25e6 + 1]), np.array([3, 2, 9, 9, 9]),
        ...              np.full(5, 1.5e6), np.full(5, 2.25e6), 3).tolist()
        [0, 1, 2, 2, 3]
        >>> status_codes(np.array([140.0, 141.0]), np.array([3, 3]), np.full(2, 140.0), np.full(2, np.nan), 3).tolist()
        [0, 4]
    """
    income_poor = income <= poor_line
    codes = np.where(np.isnan(middle_line), 4, np.where(income <= middle_line, 2, 3)).astype("int8")
    codes[income_poor] = np.where(deprivations[income_poor] >= cutoff, 0, 1)
    return codes


def _excluded(records: pd.DataFrame) -> np.ndarray:
    if "excluded" not in records:
        return np.zeros(len(records), dtype=bool)
    return records["excluded"].to_numpy(dtype="int8") == 1


def _first(bad: np.ndarray) -> str:
    return f"record {int(np.argmax(bad)) + 1}"


def _deprivations(records: pd.DataFrame, standard: Standard, excluded: np.ndarray) -> np.ndarray:
    """Deprivations from the flags, or from the deprivation score; the two checked where both are given."""
    columns = standard.indicator_columns
    has_flags = all(c in records for c in columns)
    points = standard.points_per_deprivation
    score = (records["deprivation_score"].to_numpy(dtype="float64", na_value=np.nan)
             if "deprivation_score" in records else None)
    if has_flags:
        counts = deprivation_counts(records, standard)
        if score is not None and points is not None:
            given = ~np.isnan(score) & ~excluded
            bad = given & (score != counts * points)
            if bad.any():
                raise DataError(f"the deprivation score differs from the flags: expected {points} points per "
                                f"deprived indicator of {standard.id} ({int(counts[np.argmax(bad)])} flagged, "
                                f"{int(counts[np.argmax(bad)]) * points} points)", row=_first(bad),
                                column="deprivation_score")
        return counts
    if score is None:
        deprivation_counts(records, standard)  # raises, naming the missing flag columns
    if points is None:
        raise DataError(f"records carry deprivation scores but no flags, and standard {standard.id} sets no "
                        "points per deprivation: give the flags", row="header", column="deprivation_score")
    missing = np.isnan(score) & ~excluded
    if missing.any():
        raise DataError("expected a deprivation score (the records carry no flags)", row=_first(missing),
                        column="deprivation_score")
    filled = np.where(excluded, 0, np.nan_to_num(score))
    odd = (filled % points != 0) | (filled / points > len(columns))
    if odd.any():
        raise DataError(f"expected a multiple of {points} points up to {points * len(columns)} "
                        f"({len(columns)} indicators)", row=_first(odd), column="deprivation_score")
    return (filled // points).astype("int8")


def classify(records: pd.DataFrame, standard: Standard, *, stand_in: Standard | pd.DataFrame | None = None
             ) -> pd.DataFrame:
    """Add ``deprivations`` (0 to the number of indicators) and ``status`` to household records.

    Args:
        records: As :func:`camlo.load_records` returns them (``area``, ``income_per_person``
            or ``income_score``, the standard's indicator columns or ``deprivation_score``,
            and ``excluded`` where the file has it).
        standard: A poverty standard (:func:`camlo.load_standard`: Decree 07/2021).
        stand_in: An indicator set standing in for the standard's (a standard, e.g. Decree
            07/2021's, or an indicator table); required when the standard's list is not
            confirmed (Decree 351/2025/NĐ-CP), and named in ``attrs["standard"]``.

    Returns:
        A copy of ``records`` with ``deprivations`` (int8) and ``status`` (categorical: poor,
        near_poor, middle, above_middle, and ``above_poor_line`` / ``excluded`` where they can
        occur, see the module's notes), and ``basis`` where the records carry ``income_score``
        or ``excluded``. ``status_recorded``, if present, is kept beside it. ``attrs["standard"]``
        names the standard (with its stand-in indicators).

    Raises:
        DataError: for a standard whose indicator list is not confirmed and no ``stand_in``;
            income scores under a standard without scores; a deprivation score that differs
            from the flags; records lacking the columns the standard counts.

    Examples:
        >>> frame = pd.DataFrame({"area": ["rural", "urban", "urban"],
        ...                       "income_per_person": [1_500_000.0, 2_000_000.0, 2_000_001.0],
        ...                       **{f"d{j}": [1, 0, 1] for j in range(1, 13)}})
        >>> from camlo import load_standard
        >>> classify(frame, load_standard())[["deprivations", "status"]].values.tolist()
        [[12, 'poor'], [0, 'near_poor'], [12, 'middle']]
        >>> scored = pd.DataFrame({"area": ["rural", "urban"], "income_score": [140.0, 176.0],
        ...                        "deprivation_score": [30.0, 40.0]})
        >>> out = classify(scored, load_standard())
        >>> out[["deprivations", "status", "basis"]].values.tolist()
        [[3, 'poor', 'income_score'], [4, 'above_poor_line', 'income_score']]
    """
    if stand_in is not None:
        standard = standard.with_indicators(stand_in)
    standard.require_indicators()
    excluded = _excluded(records)
    deprivations = _deprivations(records, standard, excluded)
    deprivations = np.where(excluded, 0, deprivations).astype("int8")
    n = len(records)
    income = (records["income_per_person"].to_numpy(dtype="float64", na_value=np.nan)
              if "income_per_person" in records else np.full(n, np.nan))
    scores = (records["income_score"].to_numpy(dtype="float64", na_value=np.nan)
              if "income_score" in records else np.full(n, np.nan))
    by_income = ~np.isnan(income) & ~excluded
    by_score = ~by_income & ~np.isnan(scores) & ~excluded
    neither = ~by_income & ~by_score & ~excluded
    if neither.any():
        raise DataError("expected an income per person or an income score", row=_first(neither),
                        column="income_per_person" if "income_score" not in records else "income_score")
    poor_line, middle_line = _lines(records, standard)
    codes = np.full(n, 5, dtype="int8")
    codes[by_income] = status_codes(income, deprivations, poor_line, middle_line,
                                    standard.deprivation_cutoff)[by_income]
    if by_score.any():
        if not standard.has_scores:
            raise DataError(f"records carry income scores, and standard {standard.label} sets none (no [scoring] "
                            "table or poor_score): give incomes per person", row=_first(by_score),
                            column="income_score")
        poor_score = _poor_scores(records, standard)
        codes[by_score] = status_codes(scores, deprivations, poor_score, np.full(n, np.nan),
                                       standard.deprivation_cutoff)[by_score]
    categories = list(STATUSES)
    if not standard.has_middle_line or "income_score" in records:
        categories.append(ABOVE_POOR_LINE)
    if "excluded" in records:
        categories.append(EXCLUDED)
    names = np.array([*STATUSES, ABOVE_POOR_LINE, EXCLUDED], dtype=object)[codes]
    out = records.assign(deprivations=deprivations, status=pd.Categorical(names, categories=categories))
    if "income_score" in records or "excluded" in records:
        basis = np.where(excluded, 2, np.where(by_score, 1, 0))
        out["basis"] = pd.Categorical.from_codes(basis, categories=list(BASES))
    out.attrs["standard"] = standard.label
    return out


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
