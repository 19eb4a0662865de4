"""Data in, data out: every step computes from the tables it is given, never from the shipped files.

The whole chain runs on a modified copy of the plan's tables (Thanh An with 20 more poor
households, all CSGN and deprived in employment, in both annexes) and every output must differ from the shipped tables'
where Thanh An's poor households enter it, and only follow from the copy: a step that quietly
re-read the shipped files, or kept a result in a module-level cache, would give the old value.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.answers import baseline, deprivation
from camlo.consistency import published
from camlo.constants import DISTRICT
from camlo.measures import bounds, offices, profiles, status
from camlo.report import workbook
from camlo.report.figures import save_figures

UNIT, EXTRA = "Thanh An", 20


@pytest.fixture(scope="module")
def shipped() -> camlo.PlanTables:
    return camlo.load_plan_tables()


@pytest.fixture(scope="module")
def changed(shipped) -> camlo.PlanTables:
    """Thanh An with ``EXTRA`` more poor households, all CSGN and deprived in employment, in both annexes."""
    hh = shipped.households.copy()
    row = hh["unit"] == UNIT
    for column in ("poor", "csgn", "csgn_reconciled"):
        hh.loc[row, column] += EXTRA
    dep = shipped.deprivations.copy()
    dep.loc[dep["unit"] == UNIT, "poor"] += EXTRA
    dep.loc[(dep["unit"] == UNIT) & (dep["indicator"] == 1), "deprived"] += EXTRA  # all lack employment
    headline = shipped.headline.copy()
    headline.loc[headline["key"].isin(["poor", "csgn", "poor_and_near_poor"]), "count"] += EXTRA
    observed = shipped.observed.copy()
    observed.loc[(observed["step"] == 0) & observed["unit"].isin([UNIT, DISTRICT]), "poor"] += EXTRA
    return shipped.replace(households=hh, deprivations=dep, headline=headline, observed=observed)


def differs(a, b) -> bool:
    """Whether two results differ (frames, series, dicts and dataclasses of them, numbers)."""
    if dataclasses.is_dataclass(a):
        fields = [f.name for f in dataclasses.fields(a)]
        return differs({f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields})
    if isinstance(a, dict):
        return a.keys() != b.keys() or any(differs(a[k], b[k]) for k in a)
    if isinstance(a, (pd.DataFrame, pd.Series)):
        return not a.equals(b)
    if isinstance(a, np.ndarray):
        return a.shape != b.shape or not np.array_equal(a, b)
    return a != b


def test_the_copy_is_a_copy(shipped, changed):
    assert int(shipped.households["poor"].sum()) == 453
    assert int(changed.households["poor"].sum()) == 453 + EXTRA
    assert changed.source is None and shipped.source is not None


def test_the_audit_reads_the_tables_it_is_given(shipped, changed):
    before = camlo.audit(shipped)
    after = camlo.audit(changed)
    new = after[~after["message"].isin(before["message"])]
    # the printed totals no longer add up: poor and CSGN in Phụ lục 1, poor and employment in Phụ lục 2
    assert {(r.table, r.column) for r in new.itertuples() if r.check == "total_row"} == {
        ("phu_luc_1", "poor"), ("phu_luc_1", "csgn"), ("phu_luc_2", "poor"), ("phu_luc_2", "1")}
    assert ((new["unit"] == UNIT) & (new["check"] == "rate")).any()  # its printed rate is now wrong


def test_published_vs_recomputed_follows_the_tables(shipped, changed):
    table = published.published_vs_recomputed(changed).set_index(["source", "unit", "figure"])
    assert table.loc[("phu_luc_1", UNIT, "poor"), "published"] == 106 + EXTRA
    assert table.loc[("phu_luc_1", DISTRICT, "poor"), "status"] == "mismatch"
    assert published.coverage(published.published_vs_recomputed(shipped)).loc["total", "mismatch"] == 6
    assert published.coverage(published.published_vs_recomputed(changed)).loc["total", "mismatch"] > 6


def test_measures_follow_the_tables(shipped, changed):
    for step in (
        lambda t: status.household_status(t.households, t.headline),
        lambda t: status.poverty_rate_by_unit(t.households),
        lambda t: status.poor_split(t.households),
        lambda t: status.district_summary(t.households, t.headline),
        lambda t: camlo.af_measures(t.households, t.deprivations, t.indicators),
        lambda t: camlo.unit_counts(t.households, t.deprivations),
        lambda t: bounds.overlap_minimum_matrix(camlo.unit_counts(t.households, t.deprivations)),
        lambda t: bounds.cutoff_share_bounds(camlo.unit_counts(t.households, t.deprivations)),
        lambda t: offices.office_workload(camlo.unit_counts(t.households, t.deprivations), t.indicators),
        lambda t: profiles.af_summary(camlo.af_measures(t.households, t.deprivations, t.indicators)),
    ):
        assert differs(step(shipped), step(changed))
    summary = profiles.af_summary(camlo.af_measures(changed.households, changed.deprivations, changed.indicators))
    assert summary.loc[UNIT, "H"] == pytest.approx((106 + EXTRA) / 2693)


#: The answers computed from the plan's tables alone (notebook 04's answer reads household records).
FROM_TABLES = {"01": baseline.answer, "02": deprivation.answer}


@pytest.fixture(scope="module")
def answers(shipped, changed):
    return {number: (answer(shipped), answer(changed)) for number, answer in FROM_TABLES.items()}


def test_every_figure_draws_from_the_tables_it_is_given(answers):
    """Every figure's data in the answers of the changed tables differs from the shipped ones'."""
    unchanged = [name for before, after in answers.values() for name in before.figures
                 if not differs(before.figures[name], after.figures[name])]
    assert unchanged == []


def test_every_sentence_and_table_follows_the_tables(answers):
    for number, (before, after) in answers.items():
        assert before.finding.text("en") != after.finding.text("en"), number
        assert any(before.text[k].text("vi") != after.text[k].text("vi") for k in before.text), number
        assert any(differs(before.tables[k], after.tables[k]) for k in before.tables), number


def test_saved_figures_follow_the_tables(answers, tmp_path):
    def digests(answer, folder):
        names = ("01_poverty_rate_by_unit", "02_af_measures")
        paths = save_figures({n: answer[n[:2]].figures[n] for n in names}, tmp_path / folder)
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]

    before = digests({n: pair[0] for n, pair in answers.items()}, "a")
    after = digests({n: pair[1] for n, pair in answers.items()}, "b")
    assert all(x != y for x, y in zip(before, after))


def test_workbook_sheets_follow_the_tables(answers):
    for number, (before, after) in answers.items():
        for old, new in zip(workbook.sheets_for(before), workbook.sheets_for(after)):
            assert differs(old.frame, new.frame) or old.name.startswith("2 "), (number, old.name)  # the audit's


def test_the_command_line_audits_a_folder_of_tables(tmp_path, capsys):
    """``python -m camlo audit --tables FOLDER`` audits the user's files, not the shipped ones."""
    from camlo.__main__ import main
    from camlo.paths import DATA_RAW

    for path in DATA_RAW.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    p1 = tmp_path / "phu_luc_1.csv"
    p1.write_text(p1.read_text(encoding="utf-8").replace("Thanh An,2.693,", "Thanh An,2.700,"), encoding="utf-8")
    assert main(["audit", "--tables", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "households: published 14905, expected 14912" in shown
    assert main(["audit"]) == 0
    assert "expected 14912" not in capsys.readouterr().out
