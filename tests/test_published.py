"""camlo.consistency.published: every printed number beside its recomputation."""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

import camlo
from camlo.consistency import published as baseline
from camlo.paths import DATA_RAW
from shipped_tables import SHIPPED, PUBLISHED


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return baseline.published_vs_recomputed(SHIPPED)


def raw_numbers() -> list[tuple[str, str, str]]:
    """(source, row name, text) of every non-blank number cell, read with the csv module only.

    Section I: the ``count`` and ``rate_pct`` columns. Phụ lục 1: every column after the unit
    name. Phụ lục 2: every column after ``Stt`` and the unit name. Two header rows each.
    """
    def rows(name: str) -> list[list[str]]:
        with (DATA_RAW / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    cells = []
    for row in csv.DictReader((DATA_RAW / "section_1_headline.csv").open(encoding="utf-8", newline="")):
        cells += [("section_1", row["key"], row[c]) for c in ("count", "rate_pct") if row[c]]
    for row in rows("phu_luc_1.csv")[2:]:
        cells += [("phu_luc_1", row[0], cell) for cell in row[1:] if cell]
    for row in rows("phu_luc_2.csv")[2:]:
        cells += [("phu_luc_2", row[1], cell) for cell in row[2:] if cell]
    return cells


# --- Coverage -----------------------------------------------------------------------------------


def test_every_printed_number_has_exactly_one_row(table):
    raw = raw_numbers()
    assert len(raw) == 199
    assert len(table) == len(raw)
    assert table.groupby("source").size().to_dict() == dict(Counter(s for s, _, _ in raw))
    assert Counter(zip(table["source"], table["printed"])) == Counter((s, t) for s, _, t in raw)


def test_rows_follow_the_printed_cells_unit_by_unit(table):
    totals = {"Tổng": "district", "Tổng cộng": "district"}
    raw = [(s, "district" if s == "section_1" else totals.get(name, name), text) for s, name, text in raw_numbers()]
    assert list(zip(table["source"], table["unit"], table["printed"])) == raw


def test_no_row_is_listed_twice(table):
    assert not table.duplicated(["source", "unit", "figure"]).any()


def test_published_values_are_the_loaders_values(table):
    units = camlo.load_households().set_index("unit")
    totals = camlo.load_household_totals().iloc[0]
    deprivations = camlo.load_deprivations().set_index(["unit", "indicator"])["deprived"]
    deprivation_totals = camlo.load_deprivation_totals().set_index("indicator")["deprived"]
    headline = camlo.load_headline().set_index("key")
    for row in table.itertuples():
        column = row.figure.replace("_pct", "_published_pct") if row.figure.endswith("_pct") else row.figure
        if row.source == "section_1":
            key = row.figure.removesuffix("_pct")
            expected = headline.loc[key, "published_pct" if row.figure.endswith("_pct") else "count"]
        elif row.source == "phu_luc_1":
            expected = (totals if row.unit == "district" else units.loc[row.unit])[column]
        elif row.figure == "poor":
            expected = (camlo.load_deprivation_totals() if row.unit == "district"
                        else camlo.load_deprivations().query("unit == @row.unit"))["poor"].iloc[0]
        else:
            j = int(row.figure.removeprefix("deprived_"))
            expected = deprivation_totals[j] if row.unit == "district" else deprivations[(row.unit, j)]
        assert row.published == pytest.approx(float(expected)), (row.source, row.unit, row.figure)
        assert isinstance(row.published, float if row.figure.endswith("_pct") else int)


def test_coverage_counts():
    counts = baseline.coverage(PUBLISHED)
    assert counts.loc["total"].to_dict() == {"match": 78, "mismatch": 6, "primary": 115, "printed": 199}
    assert counts.loc["section_1"].to_dict() == {"match": 12, "mismatch": 1, "primary": 1, "printed": 14}
    assert counts.loc["phu_luc_1", "printed"] == 68 and counts.loc["phu_luc_2", "printed"] == 117
    assert (counts[["match", "mismatch", "primary"]].sum(axis=1) == counts["printed"]).all()


# --- Statuses and their audit findings ---------------------------------------------------------


def test_statuses_are_consistent_with_the_values(table):
    assert set(table["status"]) <= set(baseline.STATUSES)
    compared = table[table["status"] != "primary"]
    for row in compared.itertuples():
        same = row.published == pytest.approx(row.recomputed, abs=1e-9)
        assert same == (row.status == "match"), (row.unit, row.figure)
    primary = table[table["status"] == "primary"]
    assert primary["recomputed"].isna().all()
    assert primary["recomputed_from"].str.startswith("Primary").all()


def test_the_six_mismatches(table):
    found = {(r.source, r.unit, r.figure, r.published, r.recomputed)
             for r in table[table["status"] == "mismatch"].itertuples()}
    assert found == {
        ("section_1", "district", "dtts_households_pct", 0.67, 0.68),   # truncated, not rounded
        ("phu_luc_1", "Cam Thành", "btxh_pct", 1.49, 1.48),
        ("phu_luc_1", "Cam Tuyên", "poor_pct", 3.76, 7.36),             # digits transposed
        ("phu_luc_1", "Cam Tuyên", "dtts_poor_pct", 0.28, 2.84),        # district denominator
        ("phu_luc_1", "Cam Tuyên", "csgn", 48, 56),                      # poor 109 - BTXH 53
        ("phu_luc_1", "district", "csgn", 108, 100),                     # units add up to 100
    }


def test_mismatches_carry_the_audit_finding_and_resolution(table):
    comparisons = camlo.audit(include_passing=True)
    for row in table[table["status"] == "mismatch"].itertuples():
        finding = comparisons.iloc[row.audit_row]
        assert finding["status"] == "mismatch"
        assert row.finding == finding["message"] and row.finding
        assert row.resolution == finding["resolution"] and row.resolution
    csgn = table.query("unit == 'Cam Tuyên' and figure == 'csgn'").iloc[0]
    assert "csgn_reconciled" in csgn["resolution"] and "48 -> 56" in csgn["resolution"]
    assert table.loc[table["status"] != "mismatch", ["finding", "resolution"]].eq("").all().all()


def test_every_row_points_to_its_audit_comparison(table):
    comparisons = camlo.audit(include_passing=True)
    for row in table.itertuples():
        comparison = comparisons.iloc[row.audit_row]
        assert comparison["check"] == row.check
        if row.status != "primary":
            assert (comparison["status"] == "ok") == (row.status == "match")


def test_every_audit_mismatch_is_on_a_printed_number_or_a_group_finding(table):
    comparisons = camlo.audit(include_passing=True)
    mismatches = set(comparisons.index[comparisons["status"] == "mismatch"])
    on_cells = set(table.loc[table["status"] == "mismatch", "audit_row"])
    groups = baseline.group_findings(SHIPPED)
    assert on_cells | set(groups["audit_row"]) == mismatches
    assert not on_cells & set(groups["audit_row"])
    assert groups[["check", "unit"]].values.tolist() == [["deprivation_sum", "Thanh An"],
                                                            ["deprivation_sum", "Cam Chính"]]


@pytest.mark.parametrize(("source", "unit", "figure", "recomputed", "how"), [
    ("section_1", "district", "poor_and_near_poor", 1087, "section I: poor 453 + near-poor 634"),
    ("section_1", "district", "near_poor_pct", 4.25, "section I: 634 / 14,905 households"),
    ("section_1", "district", "households", 14905, "Phụ lục 1's total row: 14,905"),
    ("phu_luc_1", "Thanh An", "poor", 106, "Phụ lục 2 prints 106"),
    ("phu_luc_1", "Cam Tuyên", "csgn", 56, "poor 109 − BTXH 53"),
    ("phu_luc_1", "district", "poor_pct", 3.04, "453 / 14,905 households"),
    ("phu_luc_2", "Cam Tuyên", "poor", 109, "Phụ lục 1 prints 109"),
    ("phu_luc_2", "district", "deprived_10", 198, "sum of the 8 units: 198"),
])
def test_recomputed_values_and_how(table, source, unit, figure, recomputed, how):
    row = table.query("source == @source and unit == @unit and figure == @figure").iloc[0]
    assert row["recomputed"] == recomputed
    assert row["recomputed_from"] == how


@pytest.mark.parametrize(("source", "unit", "figure"), [
    ("section_1", "district", "near_poor"),
    ("phu_luc_1", "Thanh An", "households"),
    ("phu_luc_1", "Cam Tuyên", "dtts_households"),
    ("phu_luc_1", "Cam Tuyên", "dtts_poor"),
    ("phu_luc_1", "Cam Tuyên", "btxh"),
    ("phu_luc_2", "Cam Chính", "deprived_4"),
])
def test_primary_figures(table, source, unit, figure):
    row = table.query("source == @source and unit == @unit and figure == @figure").iloc[0]
    assert row["status"] == "primary"
    assert row["recomputed"] is None


def test_primary_figures_by_kind(table):
    primary = table[table["status"] == "primary"]
    assert Counter(zip(primary["source"], primary["figure"].str.replace(r"_\d+$", "", regex=True))) == {
        ("section_1", "near_poor"): 1,
        ("phu_luc_1", "households"): 8, ("phu_luc_1", "btxh"): 8,
        ("phu_luc_1", "dtts_households"): 1, ("phu_luc_1", "dtts_poor"): 1,
        ("phu_luc_2", "deprived"): 96,
    }


# --- Display helpers ----------------------------------------------------------------------------


def test_annex_grids_mirror_the_printed_tables():
    grid1, grid2 = baseline.annex_grid(PUBLISHED, "phu_luc_1"), baseline.annex_grid(PUBLISHED, "phu_luc_2")
    assert grid1.shape == (9, 10) and grid2.shape == (9, 13)
    assert grid1.index.tolist()[-1] == grid2.index.tolist()[-1] == "district"
    assert grid1.loc["Thanh An", "dtts_households"] == ""  # blank as printed
    assert grid1.loc["Cam Thành", "btxh_pct"] == "1.49 ≠ 1.48"
    assert grid1.loc["Thanh An", "households"] == "2,693"  # primary: the printed value, unmarked ...
    vi = baseline.annex_grid(PUBLISHED, "phu_luc_1", "vi")  # ... as each language writes numbers
    assert (vi.loc["Thanh An", "households"], vi.loc["Cam Thành", "btxh_pct"]) == ("2.693", "1,49 ≠ 1,48")
    assert grid2.loc["district", "deprived_10"] == "198 ✓"
    with pytest.raises(ValueError, match="phu_luc_1"):
        baseline.annex_grid(PUBLISHED, "section_1")


def test_comparison_view_speaks_both_languages():
    en, vi = baseline.comparison_view(PUBLISHED, "section_1", lang="en"), baseline.comparison_view(PUBLISHED, "section_1", lang="vi")
    assert len(en) == len(vi) == 14
    assert en["figure"].iloc[12] == "Near-poor households" and vi["figure"].iloc[12] == "Hộ cận nghèo"
    assert en["recomputed"].iloc[12] == "—"


def test_figure_label():
    assert baseline.figure_label("dtts_poor_pct", "vi") == "Hộ nghèo dân tộc thiểu số (DTTS), tỷ lệ (%)"
    assert baseline.figure_label("deprived_1") == "1. Employment"


