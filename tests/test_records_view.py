"""What notebook 04 shows from household records: checked against the shipped synthetic records and by hand.

The official measures of the shipped synthetic records equal the measures of the printed
counts; the annex comparison finds exactly the audit's inconsistencies and any household
changed; group summaries, ranks by k and their robustness equal plain recomputations.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.consistency.records import annex_comparison, explain_differences, phu_luc_1_side_by_side
from camlo.constants import DISTRICT
from camlo.errors import DataError
from camlo.measures.af_records import OFFICIAL, group_summary, measure_by_k, rank_by_k, rank_robustness
from shipped_tables import SHIPPED, STANDARD
from camlo.text.tables import ReaderTable


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return camlo.classify(camlo.load_records(), STANDARD)


@pytest.fixture(scope="module")
def measures(records) -> pd.DataFrame:
    return camlo.af_from_records(records, SHIPPED.indicators)


@pytest.mark.parametrize("weights", [None, "dimension"])
def test_official_measures_of_the_shipped_records_equal_the_printed_counts_exactly(records, weights):
    got = camlo.af_from_records(records, SHIPPED.indicators, k=OFFICIAL, weights=weights)
    want = camlo.af_measures(SHIPPED.households, SHIPPED.deprivations, SHIPPED.indicators, weights=weights)
    key = ["unit", "measure", "indicator", "dimension"]
    want = want[~want["measure"].isin(["dep_rate", "dep_rate_dim"])]  # shares of the poor: no records measure
    merged = want.merge(got, on=key, how="left", suffixes=("_printed", "_records"))
    assert len(merged) == 9 * (5 + 3 * 12 + 2 * 6) and merged["value_records"].notna().all()
    assert (merged["value_records"] == merged["value_printed"]).all()


# --- annex comparison ---------------------------------------------------------------------------


def test_the_shipped_records_differ_from_the_printed_annexes_only_where_the_audit_does(records):
    comparison = annex_comparison(camlo.annex_tables(records), SHIPPED)
    differences = explain_differences(comparison, camlo.audit())
    assert sorted(zip(differences["unit"], differences["column"], differences["check"])) == [
        ("Cam Thành", "btxh_published_pct", "rate"),
        ("Cam Tuyên", "csgn", "split"),
        ("Cam Tuyên", "csgn_published_pct", "split"),
        ("Cam Tuyên", "dtts_poor_published_pct", "rate"),
        ("Cam Tuyên", "poor_published_pct", "rate"),
        ("district", "dtts_households_published_pct", "headline_rate"),
    ]
    # every count of Phụ lục 2, and the reconciled split, is reproduced
    assert comparison.loc[comparison["table"] == "Phụ lục 2", "match"].all()
    side = phu_luc_1_side_by_side(comparison)
    assert (side.xs("printed", axis=1, level=1)["csgn_reconciled"]
            == side.xs("from_records", axis=1, level=1)["csgn_reconciled"]).all()
    assert side.loc[DISTRICT, ("households", "from_records")] == 14905


def test_a_changed_household_shows_as_an_unexplained_difference(records):
    changed = records.copy()
    poor = changed.index[(changed["status_recorded"] == "poor") & (changed["unit"] == "Cam Hiếu")
                         & (changed["d1"] == 0)][0]
    changed.loc[poor, "d1"] = 1
    differences = explain_differences(annex_comparison(camlo.annex_tables(changed), SHIPPED), camlo.audit())
    new = differences[differences["check"].isna()]
    assert sorted(zip(new["table"], new["unit"], new["column"], new["difference"])) == [
        ("Phụ lục 2", "Cam Hiếu", "D1", 1.0), ("Phụ lục 2", "district", "D1", 1.0)]


# --- group summaries, ranks -----------------------------------------------------------------------


@pytest.mark.parametrize("by", ["unit", "area", "ethnic_minority"])
def test_group_summary_is_the_group_rows_of_the_measures(records, by):
    long = camlo.af_from_records(records, SHIPPED.indicators, k=OFFICIAL, by=by)
    table = group_summary(long, by)
    assert list(table.columns) == ["H", "A", "M0", "pop_share", "M0_share"]
    assert table.index[-1] == DISTRICT
    for group, row in table.iterrows():
        for measure, value in row.items():
            want = long.loc[(long[by] == group) & (long["measure"] == measure), "value"]
            assert value == want.iloc[0]
    groups = table.drop(index=DISTRICT)
    assert (groups["pop_share"] * groups["M0"]).sum() == pytest.approx(table.loc[DISTRICT, "M0"], abs=1e-15)
    # plain recomputation of H from the records
    status = pd.Series(camlo.measures.patterns.official_status(records), index=records.index) == 0
    h = status.groupby(records[by].astype(object)).mean()
    for group in groups.index:
        assert groups.loc[group, "H"] == pytest.approx(h[group], abs=1e-15)


def test_group_summary_refuses_an_identification_not_computed(measures):
    with pytest.raises(ValueError, match="no measures"):
        group_summary(camlo.af_from_records(camlo.classify(camlo.load_records(), STANDARD), SHIPPED.indicators, k=[1]), "unit")


def test_ranks_follow_m0_at_each_cutoff_where_every_unit_has_poor(measures):
    ranks = rank_by_k(measures)
    m0 = measure_by_k(measures, "M0").drop(index=DISTRICT)
    every = [k for k in m0.columns if (m0[k] > 0).all()]
    assert list(ranks.columns) == every
    for k in every:
        for unit in m0.index:
            assert ranks.loc[unit, k] == 1 + int((m0[k] > m0.loc[unit, k]).sum())


def test_rank_robustness_counts_pairs_that_never_swap(measures):
    ranks = rank_by_k(measures)
    table, share = rank_robustness(ranks)
    robust = total = 0
    for a, b in itertools.combinations(ranks.index, 2):
        total += 1
        signs = {int(np.sign(ranks.loc[a, k] - ranks.loc[b, k])) for k in ranks.columns}
        robust += len(signs) == 1
    assert share == robust / total
    assert (table["changes"] == (ranks.min(axis=1) != ranks.max(axis=1))).all()
    assert (table["reference"] == ranks[OFFICIAL]).all()


# --- where records come from ------------------------------------------------------------------------


def test_records_source_reads_the_sidecar(tmp_path):
    assert camlo.records_source().synthetic is True
    plain = tmp_path / "review.csv"
    plain.write_text("x\n", encoding="utf-8")
    assert camlo.records_source(plain) == camlo.records_source(plain).__class__("review.csv", False, "")
    sidecar = tmp_path / "review.csv.provenance.json"
    sidecar.write_text(json.dumps({"synthetic": True, "title": "made up"}), encoding="utf-8")
    assert camlo.records_source(plain).synthetic is True
    sidecar.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(DataError, match="review.csv.provenance.json"):
        camlo.records_source(plain)


# --- the answer: what it compares, what it says of synthetic data, what it never holds ---------------

from camlo.answers import records as answer04  # noqa: E402
from camlo.clean.records import SYNTHETIC_FOLLOW_UP, SYNTHETIC_RECORDS  # noqa: E402


@pytest.fixture(scope="module")
def shipped_answer():
    return answer04.run({"n_paths": 2_000})


@pytest.fixture(scope="module")
def own_answer(tmp_path_factory):
    """A user's records (the shipped households in a file without a sidecar) and no second review."""
    path = tmp_path_factory.mktemp("own") / "review.csv"
    path.write_bytes(SYNTHETIC_RECORDS.read_bytes())
    return answer04.run({"records_path": str(path), "n_paths": 2_000}), path


def _all_text(result, lang):
    return "\n".join([result.finding.text(lang), *(part.text(lang) for part in result.text.values())])


def test_a_users_records_are_never_paired_with_the_shipped_follow_up(own_answer):
    result, path = own_answer
    assert answer04.second_review_path(str(path), None) is None
    assert not any("records_2023" in name for name in answer04.inputs({"records_path": str(path)}))
    assert result.text["transitions"].key == "r04_no_second_review"
    assert "transitions" not in result.tables and "04_transitions" not in result.figures
    assert "04_projection_measured" not in result.figures and "probability_measured" not in result.values
    assert "no second review" in result.text["answers"].text("en")
    # the same households: everything else is as on the shipped records
    assert result.values["match"] == 225 and result.values["listed"] == 4


def test_a_second_review_given_is_compared(own_answer):
    _, path = own_answer
    result = answer04.run({"records_path": str(path), "compare_path": str(SYNTHETIC_FOLLOW_UP), "n_paths": 2_000})
    assert int(result.tables["transitions"].loc[["poor_csgn", "poor_btxh"], ["poor_csgn", "poor_btxh"]]
               .to_numpy().sum()) == 279
    assert result.values["pair_synthetic"] is True and result.synthetic is False
    assert result.text["transitions"].text("en").count("SYNTHETIC") == 2  # both paragraphs quote the follow-up


def test_the_synthetic_label_appears_exactly_when_the_records_are_synthetic(shipped_answer, own_answer):
    own, _ = own_answer
    assert shipped_answer.synthetic is True and own.synthetic is False
    label_vi = "không phải số liệu thật"  # the Vietnamese label: "dữ liệu mô phỏng (không phải số liệu thật)"
    assert "SYNTHETIC" not in _all_text(own, "en") and label_vi not in _all_text(own, "vi")
    for name, part in shipped_answer.text.items():  # every part quotes the synthetic records' numbers
        assert "SYNTHETIC" in part.text("en"), name
        assert label_vi in part.text("vi"), name
    assert "SYNTHETIC" in shipped_answer.finding.text("en")


def test_no_table_of_the_answer_holds_a_household_code(shipped_answer, records):
    codes = set(records["household_id"].astype(str))
    for name, table in shipped_answer.tables.items():
        frame = table.frame_for("en") if isinstance(table, ReaderTable) else table.reset_index()
        assert "household_id" not in frame.columns, name
        cells = {str(v) for column in frame.columns for v in frame[column].tolist()}
        assert not cells & codes, name


def test_a_flagged_household_is_named_by_its_place_in_the_file(shipped_answer, records):
    listed = shipped_answer.tables["listed"]
    assert listed.index.name == "record" and len(listed) == 4
    for record, row in listed.iterrows():
        household = records.iloc[record - 1]  # record 1 is the file's first household
        assert household["status_recorded"] == "poor" and household["deprivations"] == row["deprivations"]
    assert (records.loc[listed.index - 1, "deprivations"] < 3).all()
