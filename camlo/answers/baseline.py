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

import pandas as pd

from camlo.answers import Answer, declared
from camlo.answers.scope import finding_with_scope, with_scope
from camlo.clean.plan_tables import PlanTables, load_plan_tables, plan_files
from camlo.clean.reconcile import reconciliation_notes
from camlo.consistency import published
from camlo.consistency.checks import Figure, audit
from camlo.constants import DISTRICT
from camlo.measures import status
from camlo.text.numbers import LANGS
from camlo.text.labels import UNIT_KINDS, unit_in_text, unit_label
from camlo.text.sentences import Label, Listing, Named, Unit, paragraphs, prose, say
from camlo.text.tables import Column, ReaderTable

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


def spelling_text(units):
    """The units whose name the plan prints otherwise than officially, noted once (``None`` if none).

    Examples:
        >>> spelling_text(["Cam Tuyên", "Cam Thành"]).text("vi")
        'Kế hoạch ghi tên xã Cam Tuyền là “Cam Tuyên”; các biểu giữ nguyên cách ghi của Kế hoạch, phần lời văn dùng tên chính thức.'
        >>> spelling_text(["Cam Thành", "TT Cam Lộ"]) is None
        True
    """
    odd = [u for u in units if u in UNIT_KINDS and u != DISTRICT
           and not unit_label(u, "vi").endswith(UNIT_KINDS[u]["name"])]
    if not odd:
        return None
    return say("b01_spelling", items=Listing(
        say("b01_spelling_item", official=Named(UNIT_KINDS[u]["name"], unit_in_text(u, "vi")),
            printed=unit_label(u, "vi")) for u in odd))


def district_text(facts: dict, units=()):
    """The district's households, poor and near-poor, the BTXH/CSGN split and the DTTS figures, and
    the plan's spelling of a unit where it is not the official one."""
    return paragraphs(
        say("b01_district", **{k: facts[k] for k in (
            "households", "poor", "poor_pct", "near_poor", "near_poor_pct", "poor_and_near_poor",
            "poor_and_near_poor_pct")}),
        say("b01_split", btxh=facts["btxh"], btxh_pct=facts["btxh_of_poor_pct"], csgn=facts["csgn"],
            csgn_pct=facts["csgn_of_poor_pct"]),
        say("own_b01_no_dtts") if not facts["dtts_households"] else
        say("b01_dtts", dtts_households=facts["dtts_households"], dtts_units=Listing(map(Unit, facts["dtts_units"])),
            dtts_poor=facts["dtts_poor"], dtts_poverty_pct=facts["dtts_poverty_pct"], poor_pct=facts["poor_pct"],
            dtts_of_poor_pct=facts["dtts_of_poor_pct"]),
        spelling_text(units))


def highest_rate_text(facts: dict, rates, table):
    """The unit with the highest rate against the district's, with the printed rate where it differs."""
    top = facts["highest_rate_unit"]
    district_rate = rates.loc[DISTRICT, "rate_pct"]
    if len(rates) == 2:  # one unit and its total: a few units' tables
        return say("own_b01_one_rate", unit=Unit(top), poor=int(rates.loc[top, "poor"]),
                   households=int(rates.loc[top, "households"]), rate=facts["highest_rate_pct"])
    printed = _printed(table, "phu_luc_1", top, "poor_pct")
    return prose(
        say("b01_highest_rate", unit=Unit(top), poor=int(rates.loc[top, "poor"]),
            households=int(rates.loc[top, "households"]), rate=facts["highest_rate_pct"],
            times=facts["highest_rate_pct"] / district_rate, district_rate=district_rate),
        say("b01_highest_printed", printed=Figure(printed["published"]), finding=printed["finding_text"])
        if printed["status"] == "mismatch" else None,
        say("b01_above", above=facts["units_above_district"], units=len(rates) - 1,
            lowest=Unit(facts["lowest_rate_unit"]), lowest_rate=facts["lowest_rate_pct"]))


def reconciled_split_text(split, rates, table):
    """For each unit whose BTXH + CSGN do not add up: what is printed, which part is wrong, the fix."""
    parts = []
    for unit in split.index[split["split_reconciled"]]:
        total = _printed(table, "phu_luc_1", DISTRICT, "csgn")
        row, cell = split.loc[unit], _printed(table, "phu_luc_1", unit, "csgn")
        rate = _printed(table, "phu_luc_1", unit, "csgn_pct")
        parts += [
            say("b01_split_misprint", unit=Unit(unit), btxh=int(row["btxh"]), csgn=int(cell["published"]),
                poor=int(row["poor"]), finding=cell["finding_text"], resolution=cell["resolution_text"]),
            say("b01_split_kept", total=int(total["published"]), rate=Figure(rate["published"]),
                recomputed_from=rate["recomputed_from_text"],
                reconciled_rate=100 * row["csgn_reconciled"] / rates.loc[unit, "households"]),
        ]
    return paragraphs(*parts) if parts else say("own_b01_split_adds_up")


def _both(view) -> list[dict]:
    """Rows of a view computed in each language, as cells that give their text per language."""
    frames = {lang: view(lang) for lang in LANGS}
    return [{column: {lang: frames[lang].iloc[i][column] for lang in LANGS} for column in frames["en"].columns}
            for i in range(len(frames["en"]))]


def _both_frame(view) -> pd.DataFrame:
    """:func:`_both` as a frame, with the view's columns even when it has no row."""
    return pd.DataFrame(_both(view), columns=list(view("en").columns))


def coverage_table(cover) -> ReaderTable:
    """How many numbers each part of the plan prints, and how many agree."""
    frame = cover.reset_index().rename(columns={"source": "part"})
    frame["part"] = [f"wb_value_{part}" if part != "total" else "tbl_total" for part in frame["part"]]
    return ReaderTable(frame, (Column("part", "tbl_part", "label"), Column("printed", "tbl_printed", "count"),
                               Column("match", "tbl_match", "count"), Column("mismatch", "tbl_mismatch", "count"),
                               Column("primary", "tbl_primary", "count")))


def mismatch_table(table) -> ReaderTable:
    """The printed numbers that disagree with their recomputation, with the audit's finding."""
    frame = _both_frame(lambda lang: published.mismatch_view(table, lang=lang))
    frame["source"] = [f"wb_value_{cell['en']}" for cell in frame["source"]]
    return ReaderTable(frame, (Column("source", "tbl_part", "label"), Column("unit", "commune"),
                               Column("figure", "tbl_figure"), Column("printed", "tbl_printed_value"),
                               Column("recomputed", "tbl_recomputed"), Column("finding", "tbl_finding"),
                               Column("resolution", "tbl_resolution")))


def group_findings_table(tables: PlanTables, table) -> ReaderTable:
    """Findings on sums of several printed numbers (the standard's minimum of deprivations)."""
    frame = _both_frame(lambda lang: published.group_findings_view(
        published.group_findings(tables, table), lang=lang))
    return ReaderTable(frame, (Column("unit", "commune"), Column("finding", "tbl_finding"),
                               Column("resolution", "tbl_resolution")))


def section_1_table(table) -> ReaderTable:
    """Section I's numbers, each beside its recomputation."""
    frame = _both_frame(lambda lang: published.comparison_view(table, "section_1", lang=lang))
    frame["status"] = [f"tbl_status_{cell['en']}" for cell in frame["status"]]
    return ReaderTable(frame, (Column("figure", "tbl_figure"), Column("printed", "tbl_printed_value"),
                               Column("recomputed", "tbl_recomputed"), Column("status", "tbl_status", "label")))


def annex_table(table, source: str) -> ReaderTable:
    """An annex laid out as printed, each number marked against its recomputation."""
    grids = {lang: published.annex_grid(table, source, lang) for lang in LANGS}
    grid = pd.DataFrame({name: [{lang: grids[lang].at[row, name] for lang in LANGS} for row in grids["en"].index]
                         for name in grids["en"].columns}, index=grids["en"].index)
    shown = [Column("unit", "commune", "unit")] + [
        Column(name, {lang: published.figure_label(name, lang) for lang in LANGS}) for name in grid.columns]
    return ReaderTable(grid.reset_index(names="unit"), tuple(shown), note=Label("tbl_numbers_note"), max_columns=7)


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
            "district": with_scope(tables, district_text(facts, list(tables.households["unit"]))),
            "highest_rate": highest_rate_text(facts, rates, table),
            "reconciled_split": reconciled_split_text(split, rates, table),
            "coverage": say("b01_coverage", **counts),
        },
        tables={
            "households": tables.households,
            "household_totals": tables.household_totals,
            "audit": audit(tables),
            "published": table,
            "coverage": coverage_table(cover),
            "mismatches": mismatch_table(table),
            "group_findings": group_findings_table(tables, table),
            "section_1": section_1_table(table),
            "phu_luc_1": annex_table(table, "phu_luc_1"),
            "phu_luc_2": annex_table(table, "phu_luc_2"),
        },
        figures={"01_households_by_status": household_status, "01_poverty_rate_by_unit": rate_table,
                 "01_poor_split_by_unit": {"split": split_table,
                                           "notes": {lang: reconciliation_notes(split_table, lang) for lang in LANGS}}},
        finding=finding_with_scope(tables, say(
            "b01_finding", households=facts["households"], poor=facts["poor"], poor_pct=facts["poor_pct"],
            near_poor=facts["near_poor"], printed=counts["printed"], mismatch=counts["mismatch"])),
    )
