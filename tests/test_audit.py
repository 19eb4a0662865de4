"""The audit finds every inconsistency in the published tables, and nothing else."""

from __future__ import annotations

import pandas as pd
import pytest

import camlo
from camlo.__main__ import main


@pytest.fixture(scope="module")
def findings() -> pd.DataFrame:
    return camlo.audit()


@pytest.fixture(scope="module")
def everything() -> pd.DataFrame:
    return camlo.audit(include_passing=True)


def find(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def test_exactly_the_known_findings(findings):
    got = sorted(zip(findings["check"], findings["unit"], findings["column"]))
    assert got == sorted([
        ("total_row", "district", "csgn"),
        ("rate", "Cam Thành", "btxh_published_pct"),
        ("rate", "Cam Tuyên", "poor_published_pct"),
        ("rate", "Cam Tuyên", "dtts_poor_published_pct"),
        ("split", "Cam Tuyên", "btxh + csgn"),
        ("headline_rate", "district", "dtts_households"),
        ("deprivation_sum", "Thanh An", "1–12"),
        ("deprivation_sum", "Cam Chính", "1–12"),
    ])
    assert (findings["status"] == "mismatch").all()


def test_csgn_total_and_split(findings):
    total = find(findings, check="total_row", column="csgn").iloc[0]
    assert (total["published"], total["expected"]) == (108, 100)
    split = find(findings, check="split", unit="Cam Tuyên").iloc[0]
    assert (split["published"], split["expected"]) == (101, 109)
    assert "csgn_reconciled" in split["resolution"] and "48 -> 56" in split["resolution"]


def test_rate_findings_explain_themselves(findings):
    poor = find(findings, check="rate", unit="Cam Tuyên", column="poor_published_pct").iloc[0]
    assert (poor["published"], poor["expected"]) == (3.76, 7.36)
    assert "transposed" in poor["message"]
    dtts = find(findings, check="rate", column="dtts_poor_published_pct").iloc[0]
    assert "district's households" in dtts["message"]
    head = find(findings, check="headline_rate").iloc[0]
    assert head["severity"] == "rounding" and "truncated" in head["message"]


def test_deprivation_lower_bounds(findings):
    rows = find(findings, check="deprivation_sum").set_index("unit")
    assert rows.loc["Thanh An", ["published", "expected"]].tolist() == [313, 318]
    assert rows.loc["Cam Chính", ["published", "expected"]].tolist() == [51, 54]


def test_every_finding_has_a_resolution(findings):
    assert findings["resolution"].str.len().min() > 20


def test_passing_comparisons_cover_every_check(everything):
    assert set(everything["check"]) == {"total_row", "rate", "split", "cross_table", "headline",
                                        "headline_rate", "deprivation_cap", "deprivation_sum"}
    assert (everything["status"] == "mismatch").sum() == 8
    assert len(find(everything, check="deprivation_cap")) == 96
    assert len(find(everything, check="total_row", table="phu_luc_2")) == 13
    cross = find(everything, check="cross_table")
    assert (cross["status"] == "ok").all() and len(cross) == 10


def test_audit_detects_a_changed_total():
    """The checks can fail: a total row that disagrees is reported."""
    tables = camlo.load_plan_tables()
    broken = tables.deprivation_totals.copy()
    broken.loc[broken["indicator"] == 10, "deprived"] = 199
    rows = find(camlo.audit(tables.replace(deprivation_totals=broken)), check="total_row", table="phu_luc_2")
    assert rows["column"].tolist() == ["10"] and rows["published"].tolist() == [199]


def test_cli_prints_findings(capsys):
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "8 finding(s)" in out and "Cam Tuyên" in out and "Resolution:" in out
