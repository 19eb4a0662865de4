"""The annex tables tabulated from household records, figure by figure beside the printed ones.

:func:`camlo.annex_tables` counts, from household records, what the plan's Phụ lục 1, Phụ lục 2
and section I print. :func:`annex_comparison` puts every such figure beside the printed one:
counts, and rates, which the records give as computed from their counts (rounded half-up to
two decimals as a table prints them) and the plan as printed. Where the plan's own figures
disagree with each other (``camlo.audit``), records can match only one of them: a printed
rate that does not follow from the printed counts differs from the records' rate, and where
a column is reconciled (CSGN in Cam Tuyên) the records' count is compared with the
reconciled value as well as the printed one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from camlo.clean.plan_tables import PlanTables
from camlo.constants import DISTRICT

#: Phụ lục 1's columns compared, counts then printed rates.
PHU_LUC_1_COUNTS = ("households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn", "btxh_reconciled",
                    "csgn_reconciled")
PHU_LUC_1_RATES = ("poor_published_pct", "dtts_poor_published_pct", "btxh_published_pct", "csgn_published_pct")
COLUMNS = ["table", "unit", "column", "printed", "from_records", "difference", "match"]


def _long(frame: pd.DataFrame, columns, table: str, unit: str = "unit") -> pd.DataFrame:
    rows = frame.melt(id_vars=[unit], value_vars=list(columns), var_name="column", value_name="value")
    rows.insert(0, "table", table)
    return rows.rename(columns={unit: "unit"})


def annex_comparison(annex, tables: PlanTables) -> pd.DataFrame:
    """Every figure of the annexes and section I, printed and tabulated from records.

    Args:
        annex: :func:`camlo.annex_tables` of the records (an ``AnnexTables``).
        tables: The printed tables (:func:`camlo.load_plan_tables`).

    Returns:
        One row per figure: ``table`` (``Phụ lục 1``, ``Phụ lục 2`` or ``section I``),
        ``unit`` (the district's rows as ``"district"``), ``column`` (a Phụ lục 1 column, an
        indicator as ``D1`` … ``D12`` and ``poor`` for Phụ lục 2, a section I key, its rate
        as ``<key>_published_pct``), ``printed``, ``from_records``, ``difference``
        (records − printed) and ``match``. A figure printed blank (no rate) is left out.

    Examples:
        >>> import camlo
        >>> table = annex_comparison(camlo.annex_tables(camlo.load_records()), tables)
        >>> row = table.query("unit == 'Cam Tuyên' and column in ('csgn', 'csgn_reconciled')")
        >>> row[["column", "printed", "from_records"]].values.tolist()
        [['csgn', 48.0, 56.0], ['csgn_reconciled', 56.0, 56.0]]
    """
    parts = []
    for source, frame in (("printed", tables), ("from_records", annex)):
        households = pd.concat([frame.households, frame.household_totals.assign(unit=DISTRICT)], ignore_index=True)
        if "btxh_reconciled" not in households or households["btxh_reconciled"].isna().any():
            households["btxh_reconciled"] = households["btxh_reconciled"].fillna(households["btxh"])
            households["csgn_reconciled"] = households["csgn_reconciled"].fillna(households["csgn"])
        deprivations = pd.concat([frame.deprivations, frame.deprivation_totals.assign(unit=DISTRICT)],
                                 ignore_index=True)
        wide = deprivations.pivot_table(index="unit", columns="indicator", values="deprived", sort=False)
        wide.columns = [f"D{j}" for j in wide.columns]
        wide["poor"] = deprivations.groupby("unit", sort=False)["poor"].first()
        headline = frame.headline.set_index("key")
        section = pd.concat([headline["count"].rename(lambda k: k),
                             headline["published_pct"].dropna().rename(lambda k: f"{k}_published_pct")])
        long = pd.concat([
            _long(households, [*PHU_LUC_1_COUNTS, *PHU_LUC_1_RATES], "Phụ lục 1"),
            _long(wide.reset_index(), list(wide.columns), "Phụ lục 2"),
            pd.DataFrame({"table": "section I", "unit": DISTRICT, "column": section.index, "value": section.values}),
        ], ignore_index=True)
        parts.append(long.rename(columns={"value": source}))
    out = parts[0].merge(parts[1], on=["table", "unit", "column"], how="left", validate="one_to_one")
    out = out.dropna(subset=["printed"]).reset_index(drop=True)
    out["printed"] = out["printed"].astype("float64")
    out["from_records"] = out["from_records"].astype("float64")
    out["difference"] = out["from_records"] - out["printed"]
    out["match"] = np.isclose(out["from_records"], out["printed"], rtol=0, atol=1e-9)
    return out[COLUMNS]


def phu_luc_1_side_by_side(comparison: pd.DataFrame, columns=("households", "poor", "dtts_poor", "btxh", "csgn",
                                                                "csgn_reconciled")) -> pd.DataFrame:
    """Phụ lục 1's counts, printed beside tabulated from records: one row per unit and the district.

    Args:
        comparison: :func:`annex_comparison`.
        columns: The Phụ lục 1 columns to show.

    Returns:
        Columns ``(column, "printed")`` and ``(column, "from_records")`` for each column.
    """
    rows = comparison[(comparison["table"] == "Phụ lục 1") & comparison["column"].isin(columns)]
    wide = rows.pivot(index="unit", columns="column", values=["printed", "from_records"])
    wide = wide.swaplevel(axis=1)[[(c, s) for c in columns for s in ("printed", "from_records")]]
    return wide.loc[list(dict.fromkeys(rows["unit"]))].astype("int64")


def explain_differences(comparison: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """The figures records do not reproduce, each with the audit finding that explains it, if any.

    A difference is explained by a finding of ``camlo.audit`` on the same unit and column
    (section I's rates by the finding on the same key); a CSGN count or rate by the unit's
    BTXH + CSGN ``split`` finding, whose reconciled value the records reproduce.

    Args:
        comparison: :func:`annex_comparison`.
        findings: ``camlo.audit(tables)`` of the printed tables.

    Returns:
        The rows of ``comparison`` that do not match, with ``check`` (the finding's check,
        or missing when no finding explains the difference).

    Examples:
        >>> import camlo
        >>> table = annex_comparison(camlo.annex_tables(camlo.load_records()), tables)
        >>> explained = explain_differences(table, camlo.audit(tables))
        >>> bool(explained["check"].notna().all()), len(explained)
        (True, 6)
    """
    found = findings[findings["status"] == "mismatch"] if "status" in findings else findings
    by_place = {(row.unit, row.column): row.check for row in found.itertuples()}
    splits = {row.unit for row in found.itertuples() if row.check == "split"}
    checks = []
    for row in comparison[~comparison["match"]].itertuples():
        column = row.column.removesuffix("_published_pct") if row.table == "section I" else row.column
        check = by_place.get((row.unit, column))
        if check is None and row.column in ("csgn", "csgn_published_pct") and row.unit in splits:
            check = "split"
        checks.append(check)
    out = comparison[~comparison["match"]].copy()
    out["check"] = pd.Series(checks, index=out.index, dtype="object")
    return out.reset_index(drop=True)
