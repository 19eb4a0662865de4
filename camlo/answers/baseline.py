"""Notebook 01's answer: the district at the start of 2022, and whether the printed figures agree.

Examples:
    >>> import camlo
    >>> result = answer(camlo.load_plan_tables(reviews=False))
    >>> print(result.finding.text("en"))  # doctest: +NORMALIZE_WHITESPACE
    At the start of 2022 Cam Lộ district had 14,905 households, 453 of them poor (3.04%) and 634
    near-poor. Of the 199 numbers the plan prints, 6 disagree with what the other printed numbers imply.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from camlo.answers import Answer, declared
from camlo.clean.plan_tables import PlanTables, load_plan_tables, plan_files
from camlo.clean.reconcile import reconciliation_notes
from camlo.consistency import published
from camlo.consistency.checks import audit
from camlo.constants import DISTRICT
from camlo.measures import status
from camlo.text.numbers import LANGS
from camlo.text.sentences import Listing, Unit, paragraphs, prose, say

QUESTION = "01"


def inputs(params: Mapping[str, Any]) -> dict[str, Path]:
    """The data files notebook 01 reads: the plan's tables and the reference tables (no reviews)."""
    return declared(plan_files(params.get("tables_path"), reviews=False), "tables_path")


def run(params: Mapping[str, Any] | None = None) -> Answer:
    """Notebook 01's answer on the tables its parameters name (the shipped ones by default)."""
    return answer(load_plan_tables((params or {}).get("tables_path"), reviews=False))


def _printed(table, source: str, unit: str, figure: str):
    """One row of the published-vs-recomputed table."""
    return table.query("source == @source and unit == @unit and figure == @figure").iloc[0]


def district_text(facts: dict):
    """The district's households, poor and near-poor, the BTXH/CSGN split and the DTTS figures."""
    return paragraphs(
        say("b01_district", **{k: facts[k] for k in (
            "households", "poor", "poor_pct", "near_poor", "near_poor_pct", "poor_and_near_poor",
            "poor_and_near_poor_pct")}),
        say("b01_split", btxh=facts["btxh"], btxh_pct=facts["btxh_of_poor_pct"], csgn=facts["csgn"],
            csgn_pct=facts["csgn_of_poor_pct"]),
        say("b01_dtts", dtts_households=facts["dtts_households"], dtts_units=Listing(map(Unit, facts["dtts_units"])),
            dtts_poor=facts["dtts_poor"], dtts_poverty_pct=facts["dtts_poverty_pct"], poor_pct=facts["poor_pct"],
            dtts_of_poor_pct=facts["dtts_of_poor_pct"]))


def highest_rate_text(facts: dict, rates, table):
    """The unit with the highest rate against the district's, with the printed rate where it differs."""
    top = facts["highest_rate_unit"]
    district_rate = rates.loc[DISTRICT, "rate_pct"]
    printed = _printed(table, "phu_luc_1", top, "poor_pct")
    return prose(
        say("b01_highest_rate", unit=Unit(top), poor=int(rates.loc[top, "poor"]),
            households=int(rates.loc[top, "households"]), rate=facts["highest_rate_pct"],
            times=facts["highest_rate_pct"] / district_rate, district_rate=district_rate),
        say("b01_highest_printed", printed=str(printed["printed"]), finding=printed["finding"])
        if printed["status"] == "mismatch" else None,
        say("b01_above", above=facts["units_above_district"], units=len(rates) - 1,
            lowest=Unit(facts["lowest_rate_unit"]), lowest_rate=facts["lowest_rate_pct"]))


def reconciled_split_text(split, rates, table):
    """For each unit whose BTXH + CSGN do not add up: what is printed, which part is wrong, the fix."""
    total = _printed(table, "phu_luc_1", DISTRICT, "csgn")
    parts = []
    for unit in split.index[split["split_reconciled"]]:
        row, cell = split.loc[unit], _printed(table, "phu_luc_1", unit, "csgn")
        rate = _printed(table, "phu_luc_1", unit, "csgn_pct")
        parts += [
            say("b01_split_misprint", unit=Unit(unit), btxh=int(row["btxh"]), csgn=str(cell["printed"]),
                poor=int(row["poor"]), finding=cell["finding"], resolution=cell["resolution"]),
            say("b01_split_kept", total=str(total["printed"]), rate=str(rate["printed"]),
                recomputed_from=rate["recomputed_from"],
                reconciled_rate=100 * row["csgn_reconciled"] / rates.loc[unit, "households"]),
        ]
    return paragraphs(*parts)


def answer(tables: PlanTables) -> Answer:
    """Everything notebook 01 shows, from the plan's tables.

    Args:
        tables: The plan's tables (observed reviews are not needed).
    """
    facts = status.district_summary(tables.households, tables.headline)
    table = published.published_vs_recomputed(tables)  # one row per printed number
    household_status = status.household_status(tables.households, tables.headline)
    rate_table = status.poverty_rate_by_unit(tables.households)
    split_table = status.poor_split(tables.households)
    rates, split = rate_table.set_index("unit"), split_table.set_index("unit")
    cover = published.coverage(table)
    total = cover.loc["total"]
    counts = {k: int(total[k]) for k in ("printed", "match", "mismatch", "primary")}
    return Answer(
        question=QUESTION,
        text={
            "district": district_text(facts),
            "highest_rate": highest_rate_text(facts, rates, table),
            "reconciled_split": reconciled_split_text(split, rates, table),
            "coverage": say("b01_coverage", **counts),
        },
        tables={
            "households": tables.households,
            "audit": audit(tables),
            "published": table,
            "coverage": cover,
            "mismatches": published.mismatch_view(table),
            "group_findings": published.group_findings_view(published.group_findings(tables, table)),
            "section_1": published.comparison_view(table, "section_1").drop(columns="unit"),
            "phu_luc_1": published.annex_grid(table, "phu_luc_1"),
            "phu_luc_2": published.annex_grid(table, "phu_luc_2"),
        },
        figures={"01_households_by_status": household_status, "01_poverty_rate_by_unit": rate_table,
                 "01_poor_split_by_unit": {"split": split_table,
                                           "notes": {lang: reconciliation_notes(split_table, lang) for lang in LANGS}}},
        finding=say("b01_finding", households=facts["households"], poor=facts["poor"], poor_pct=facts["poor_pct"],
                    near_poor=facts["near_poor"], printed=counts["printed"], mismatch=counts["mismatch"]),
    )
