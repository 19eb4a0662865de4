"""Annex tables from household records: the published counts come back, in the loaders' shape."""

from __future__ import annotations

import pandas as pd
import pytest

import camlo
from camlo.clean import annexes
from camlo.consistency import checks
from camlo.measures.tabulate import UNIT, annex_from_counts, unit_counts
from camlo.text.numbers import pct, round_pct
from shipped_tables import SHIPPED, STANDARD

COUNTS = ["households", "dtts_households", "poor", "dtts_poor", "btxh"]


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return camlo.classify(camlo.load_records(), STANDARD)


@pytest.fixture(scope="module")
def tables(records):
    return camlo.annex_tables(records)


def test_every_published_count_of_phu_luc_1_comes_back(tables):
    printed = camlo.load_households()
    made = tables.households
    pd.testing.assert_frame_equal(made[[UNIT, *COUNTS]], printed[[UNIT, *COUNTS]])
    # CSGN as reconciled (Cam Tuyên 56, printed 48): the records' split adds up by construction
    assert made["csgn"].tolist() == printed["csgn_reconciled"].tolist()
    assert made["csgn_reconciled"].tolist() == printed["csgn_reconciled"].tolist()
    assert not made["split_reconciled"].any()
    totals = camlo.load_household_totals()
    assert tables.household_totals[["households", "dtts_households", "poor", "dtts_poor", "btxh", "csgn"]
                                   ].values.tolist() == totals[["households", "dtts_households", "poor",
                                                                "dtts_poor", "btxh", "csgn"]].values.tolist()


def test_every_published_count_of_phu_luc_2_comes_back(tables):
    pd.testing.assert_frame_equal(tables.deprivations, camlo.load_deprivations())
    pd.testing.assert_frame_equal(tables.deprivation_totals, camlo.load_deprivation_totals())


def test_section_i_comes_back(tables):
    printed = camlo.load_headline().set_index("key")["count"]
    made = tables.headline.set_index("key")["count"]
    assert made.to_dict() == printed.loc[made.index].to_dict()
    assert int(tables.near_poor["near_poor"].sum()) == 634
    assert tables.near_poor[UNIT].tolist() == camlo.load_households()[UNIT].tolist()


def test_same_shape_as_the_loaders(tables):
    printed = camlo.load_households()
    assert list(tables.households.columns) == list(printed.columns)
    pd.testing.assert_series_equal(tables.households.dtypes, printed.dtypes)
    households, deprivations = tables  # unpacks as the two annexes
    assert households is tables.households and deprivations is tables.deprivations


def test_rate_columns_hold_rates_computed_from_the_counts(tables):
    made = tables.households.set_index(UNIT)
    # Cam Tuyên prints 3.76 for 109/1481 (digits transposed); the records give 7.36
    assert made.loc["Cam Tuyên", "poor_published_pct"] == 7.36
    assert made.loc["Cam Tuyên", "csgn_published_pct"] == round_pct(pct(56, 1481))
    assert made.loc["Thanh An", "dtts_poor_published_pct"] == 0.0
    assert made["btxh_published_pct"].notna().all()


def test_recorded_status_is_what_gets_tabulated(records):
    recorded = camlo.annex_tables(records).households.set_index(UNIT)["poor"]
    computed = camlo.annex_tables(records.drop(columns="status_recorded")).households.set_index(UNIT)["poor"]
    assert recorded["Thanh An"] == 106 and computed["Thanh An"] == 104
    assert recorded["Cam Chính"] == 18 and computed["Cam Chính"] == 16
    assert (recorded - computed).drop(["Thanh An", "Cam Chính"]).eq(0).all()


def test_unclassified_records_tabulate_the_same(records):
    raw = camlo.load_records()
    pd.testing.assert_frame_equal(camlo.annex_tables(raw).households, camlo.annex_tables(records).households)


def test_counts_of_batches_add_up(records):
    whole = unit_counts(records)
    parts = sum(unit_counts(records.iloc[start:start + 5000]) for start in range(0, len(records), 5000))
    pd.testing.assert_frame_equal(parts, whole)
    pd.testing.assert_frame_equal(annex_from_counts(parts).households, camlo.annex_tables(records).households)


def test_round_trip_through_the_printed_layout(records, tables, tmp_path):
    first, second = camlo.write_annex(records, tmp_path)
    assert [first.name, second.name] == ["phu_luc_1.csv", "phu_luc_2.csv"]
    pd.testing.assert_frame_equal(camlo.load_households(first), tables.households)
    pd.testing.assert_frame_equal(camlo.load_household_totals(first), tables.household_totals)
    pd.testing.assert_frame_equal(camlo.load_deprivations(second), tables.deprivations)
    pd.testing.assert_frame_equal(camlo.load_deprivation_totals(second), tables.deprivation_totals)


def test_printed_layout_matches_the_plans(records, tmp_path):
    first, second = camlo.write_annex(records, tmp_path)
    for written, raw in ((first, "phu_luc_1.csv"), (second, "phu_luc_2.csv")):
        ours = written.read_text(encoding="utf-8").splitlines()
        plans = (annexes.DATA_RAW / raw).read_text(encoding="utf-8").splitlines()
        assert ours[:2] == plans[:2] and len(ours) == len(plans)
        assert ours[-1].split(",")[:3] == plans[-1].split(",")[:3] or raw == "phu_luc_1.csv"
    assert first.read_text(encoding="utf-8").splitlines()[-1].startswith("Tổng,14.905,101,453,3.04,42,0.28,")


def test_the_audit_of_written_annexes_finds_only_what_the_records_imply(records, tables, tmp_path):
    first, second = camlo.write_annex(records, tmp_path)
    findings = checks.audit(SHIPPED.replace(
        households=annexes.load_households(first), household_totals=annexes.load_household_totals(first),
        deprivations=annexes.load_deprivations(second), deprivation_totals=annexes.load_deprivation_totals(second),
        headline=tables.headline))
    assert findings[["check", UNIT]].values.tolist() == [["deprivation_sum", "Thanh An"],
                                                               ["deprivation_sum", "Cam Chính"]]
    # the same audit on the tables in memory, and through PlanTables
    in_memory = checks.audit(tables.plan_tables(SHIPPED))
    assert in_memory[["check", UNIT]].values.tolist() == findings[["check", UNIT]].values.tolist()
    plan = tables.plan_tables(SHIPPED)
    assert plan.source is None and plan.households.equals(tables.households)
    assert camlo.af_measures(plan.households, plan.deprivations, plan.indicators).equals(
        camlo.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators))
    # the household-level view of the same finding
    listed = camlo.audit_records(records, STANDARD)
    assert sorted(set(listed["unit"])) == ["Cam Chính", "Thanh An"]
