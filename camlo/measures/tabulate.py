"""The plan's annex tables, made from household records.

:func:`annex_tables` counts, per unit, what Phụ lục 1 and Phụ lục 2 print, from classified
household records, and returns them in exactly the shape of :func:`camlo.load_households` and
:func:`camlo.load_deprivations` (same columns, types and unit order; each printed-rate column
holds the rate computed from the counts, rounded half-up to two decimals as a table prints it),
with the total rows, section I's figures and the near-poor households per unit, which the
plan printed for the district only. :func:`write_annex` writes the two annexes in their printed
layout, so that the loaders and the audit read them like the plan's own.

What is counted is the review's decision: ``status_recorded`` where the records carry it
(that is what an office prints; a blank is neither poor nor near-poor), otherwise the status
computed by :func:`camlo.classify`. A poor household with ``btxh`` = 1 is counted BTXH, any
other poor household CSGN.

For millions of records, :func:`unit_counts` of each batch add up (``sum`` the frames) and
:func:`annex_from_counts` turns the sum into the tables.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from camlo.clean.annexes import (
    COLUMNS_PHU_LUC_1,
    COLUMNS_PHU_LUC_2,
    LABELS_PHU_LUC_1,
    LABELS_PHU_LUC_2,
    N_INDICATORS,
    TOTAL_PHU_LUC_1,
    TOTAL_PHU_LUC_2,
)
from camlo.clean.plan_tables import PlanTables
from camlo.clean.reconcile import reconcile_poor_split
from camlo.clean.schemas import DEPRIVATIONS, HOUSEHOLDS, validate
from camlo.errors import DataError
from camlo.text.numbers import pct, round_pct

#: The unit key column of the cleaned annex tables, as the loaders name it.
UNIT = COLUMNS_PHU_LUC_1[0].name
INDICATOR_COLUMNS = [f"d{j}" for j in range(1, N_INDICATORS + 1)]
#: Counts per unit from which every annex figure follows (additive over batches of records).
COUNT_COLUMNS = ["households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn", "near_poor",
                 *(f"deprived_{j}" for j in range(1, N_INDICATORS + 1))]


@dataclass(frozen=True)
class AnnexTables:
    """Tables made from records; unpacks as ``households, deprivations``.

    Attributes:
        households: Phụ lục 1, in the shape of ``load_households()``.
        deprivations: Phụ lục 2, in the shape of ``load_deprivations()``.
        household_totals: Phụ lục 1's total row, as ``load_household_totals()``.
        deprivation_totals: Phụ lục 2's total row, as ``load_deprivation_totals()``.
        near_poor: One row per unit: households, near-poor households and their rate (%).
        headline: Section I's figures, in the shape of ``load_headline()``.
    """

    households: pd.DataFrame
    deprivations: pd.DataFrame
    household_totals: pd.DataFrame
    deprivation_totals: pd.DataFrame
    near_poor: pd.DataFrame
    headline: pd.DataFrame

    def __iter__(self):
        yield self.households
        yield self.deprivations

    def plan_tables(self, base: PlanTables) -> PlanTables:
        """These tables as a :class:`~camlo.clean.plan_tables.PlanTables`, for every later step.

        Args:
            base: Where the tables records do not make (section II's targets, the observed
                reviews, the indicators, the unit register) come from (:func:`camlo.load_plan_tables`).
        """
        return base.replace(households=self.households, household_totals=self.household_totals,
                            deprivations=self.deprivations, deprivation_totals=self.deprivation_totals,
                            headline=self.headline)


def _status_column(records: pd.DataFrame) -> pd.Series:
    """The column an office prints: ``status_recorded`` where the records carry it, else ``status``."""
    if "status_recorded" in records:
        return records["status_recorded"]
    if "status" not in records:
        raise DataError("household records need the column 'status_recorded' or 'status' (classify them "
                        "first: camlo.classify(records, standard))", row="header", column="status")
    return records["status"]


def _is(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a boolean array (missing: False), fast for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
        if value not in categories:
            return np.zeros(len(column), dtype=bool)
        return column.cat.codes.to_numpy() == categories.index(value)
    return (column == value).to_numpy(dtype=bool, na_value=False)


def _unit_codes(records: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    units = records["unit"]
    if isinstance(units.dtype, pd.CategoricalDtype):
        return units.cat.codes.to_numpy(), list(units.cat.categories)
    codes, names = pd.factorize(units, sort=False)
    return codes, list(names)


def unit_counts(records: pd.DataFrame) -> pd.DataFrame:
    """Per unit: every count the annexes need (``COUNT_COLUMNS``), int64, indexed by unit.

    Units are in the records' category order (the printed order for loaded records); a unit
    with no household has a row of zeros. Frames of several batches add up with ``+``.

    Examples:
        >>> frame = pd.DataFrame({"unit": ["A", "A", "B"], "ethnic_minority": [1, 0, 0],
        ...     "btxh": [1, 0, 0], "status_recorded": ["poor", "near_poor", None],
        ...     **{f"d{j}": [1, 0, 1] for j in range(1, 13)}})
        >>> unit_counts(frame)[["households", "poor", "btxh", "near_poor", "deprived_1"]].values.tolist()
        [[2, 1, 1, 1, 1], [1, 0, 0, 0, 0]]
    """
    codes, names = _unit_codes(records)
    status = _status_column(records)
    poor = _is(status, "poor")
    dtts = records["ethnic_minority"].to_numpy() == 1
    btxh = records["btxh"].to_numpy() == 1

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        chosen = codes if mask is None else codes[mask]
        return np.bincount(chosen, minlength=len(names)).astype("int64")

    poor_codes = codes[poor]
    counts = {
        "households": count(), "dtts_households": count(dtts), "poor": count(poor),
        "dtts_poor": count(poor & dtts), "btxh": count(poor & btxh), "csgn": count(poor & ~btxh),
        "near_poor": count(_is(status, "near_poor")),
    }
    for j, column in enumerate(INDICATOR_COLUMNS, start=1):
        flags = records[column].to_numpy()[poor]
        counts[f"deprived_{j}"] = np.bincount(poor_codes, weights=flags, minlength=len(names)).astype("int64")
    return pd.DataFrame(counts, index=pd.Index(names, name=UNIT))[COUNT_COLUMNS]


def _rate(count: int, households: int) -> float:
    return round_pct(pct(int(count), int(households)))


def _phu_luc_1(counts: pd.DataFrame) -> pd.DataFrame:
    """Rows of Phụ lục 1 from counts (one per row of ``counts``), columns as the loader's."""
    table = {}
    for column in COLUMNS_PHU_LUC_1:
        if column.kind == "unit":
            table[column.name] = pd.Series(list(counts.index), dtype="str")
        elif column.kind == "count":
            table[column.name] = counts[column.name].to_numpy(dtype="int64")
        else:
            part = column.name.removesuffix("_published_pct")
            table[column.name] = np.array([_rate(c, n) for c, n in zip(counts[part], counts["households"])],
                                          dtype="float64")
    return pd.DataFrame(table)


def _phu_luc_2(counts: pd.DataFrame) -> pd.DataFrame:
    """Phụ lục 2, long, from counts: unit, indicator, deprived, poor."""
    return pd.DataFrame.from_records([
        {UNIT: unit, "indicator": j, "deprived": int(row[f"deprived_{j}"]), "poor": int(row["poor"])}
        for unit, row in counts.iterrows() for j in range(1, N_INDICATORS + 1)
    ]).astype({UNIT: "str", "indicator": "int64", "deprived": "int64", "poor": "int64"})


def _headline(total: pd.Series) -> pd.DataFrame:
    """Section I's figures, computed, in the shape of ``load_headline()``."""
    n = int(total["households"])
    figures = [("households", n, None), ("dtts_households", total["dtts_households"], True),
               ("poor_and_near_poor", total["poor"] + total["near_poor"], None),
               ("poor", total["poor"], True), ("dtts_poor", total["dtts_poor"], True),
               ("btxh", total["btxh"], True), ("csgn", total["csgn"], True),
               ("near_poor", total["near_poor"], True)]
    return pd.DataFrame({
        "key": pd.Series([key for key, _, _ in figures], dtype="str"),
        "count": np.array([int(c) for _, c, _ in figures], dtype="int64"),
        "published_pct": np.array([_rate(c, n) if rated else np.nan for _, c, rated in figures], dtype="float64"),
        "phrase": pd.Series(["computed from household records"] * len(figures), dtype="str"),
    })


def annex_from_counts(counts: pd.DataFrame, source: str | Path = "household records") -> AnnexTables:
    """The annex tables from per-unit counts (:func:`unit_counts`, possibly summed over batches).

    Units with no household are left out; the others keep the counts' order.
    """
    counts = counts.loc[counts["households"] > 0]
    units = validate(HOUSEHOLDS, _phu_luc_1(counts), file=Path(source), labels=LABELS_PHU_LUC_1)
    total = counts.sum().to_frame(TOTAL_PHU_LUC_1).T
    totals = _phu_luc_1(total).astype(units.dtypes.to_dict())
    households = reconcile_poor_split(units, totals.iloc[0])
    deprivations = validate(DEPRIVATIONS, _phu_luc_2(counts), file=Path(source), labels=LABELS_PHU_LUC_2)
    deprivation_totals = _phu_luc_2(counts.sum().to_frame(TOTAL_PHU_LUC_2).T)
    near_poor = pd.DataFrame({
        UNIT: pd.Series(list(counts.index), dtype="str"),
        "households": counts["households"].to_numpy(dtype="int64"),
        "near_poor": counts["near_poor"].to_numpy(dtype="int64"),
        "near_poor_pct": [_rate(c, n) for c, n in zip(counts["near_poor"], counts["households"])],
    })
    return AnnexTables(households, deprivations, totals, deprivation_totals, near_poor,
                       _headline(counts.sum()))


def annex_tables(records: pd.DataFrame) -> AnnexTables:
    """Phụ lục 1 and 2 (and section I's figures) tabulated from household records.

    Args:
        records: Household records (:func:`camlo.load_records`) carrying the review's
            ``status_recorded``, or classified (:func:`camlo.classify`).

    Returns:
        :class:`AnnexTables`; ``households, deprivations = annex_tables(records)`` gives the
        two annexes in the loaders' shape.

    Examples:
        >>> import camlo
        >>> households, deprivations = annex_tables(camlo.load_records())
        >>> int(households["poor"].sum()), deprivations.shape
        (453, (96, 4))
    """
    return annex_from_counts(unit_counts(records))


def _printed_count(value: int) -> str:
    """A count printed Vietnamese style, dot for thousands.

    Examples:
        >>> _printed_count(14905), _printed_count(36)
        ('14.905', '36')
    """
    return f"{int(value):,}".replace(",", ".")


def _printed_rows(frame: pd.DataFrame, columns) -> list[list[str]]:
    rows = []
    for record in frame.to_dict("records"):
        row = []
        for column in columns:
            value = record.get(column.name, "")
            if column.kind == "unit":
                row.append(str(value))
            elif column.kind == "rate":
                row.append(f"{value:.2f}")
            elif column.kind == "index":
                row.append("" if value == "" else str(value))
            else:
                row.append(_printed_count(value))
        rows.append(row)
    return rows


def _write(path: Path, columns, body: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([c.top for c in columns])
        writer.writerow([c.sub for c in columns])
        writer.writerows(body)


def write_annex(records: pd.DataFrame, folder: str | Path) -> tuple[Path, Path]:
    """Write Phụ lục 1 and 2 from household records in the plan's printed layout.

    Vietnamese headers (both header rows), counts with a dot for thousands, rates with a
    decimal point and two decimals, the total rows ``Tổng`` and ``Tổng cộng``. The files read
    back with ``load_households(path=…)`` and ``load_deprivations(path=…)`` equal to
    :func:`annex_tables`.

    Args:
        records: Household records, as for :func:`annex_tables`.
        folder: Where to write ``phu_luc_1.csv`` and ``phu_luc_2.csv`` (created if needed).

    Returns:
        The two paths written.
    """
    tables = annex_tables(records)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "phu_luc_1.csv", folder / "phu_luc_2.csv"
    _write(first, COLUMNS_PHU_LUC_1, _printed_rows(pd.concat([tables.households, tables.household_totals]),
                                                  COLUMNS_PHU_LUC_1))
    wide = []
    for frame, numbered in ((tables.deprivations, True), (tables.deprivation_totals, False)):
        for stt, (unit, block) in enumerate(frame.groupby(UNIT, sort=False), start=1):
            row = {"stt": stt if numbered else "", UNIT: unit, "poor": int(block["poor"].iloc[0]),
                   **{str(j): int(d) for j, d in zip(block["indicator"], block["deprived"])}}
            wide.append(row)
    _write(second, COLUMNS_PHU_LUC_2, _printed_rows(pd.DataFrame(wide), COLUMNS_PHU_LUC_2))
    return first, second
