"""The audit finds every inconsistency in the published tables, and nothing else."""

from __future__ import annotations

import re

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


# --- Severity, and the texts in both languages ---------------------------------------------------


def test_a_misprint_that_halves_a_units_rate_is_major(findings):
    """Cam Tuyên prints 3.76% for 109/1481 = 7.36%: off by about half its value, so major; Cam
    Thành's 1.49% for 33/2223 = 1.48% is a last-decimal slip, minor; a truncated rate is rounding."""
    rates = findings[findings["check"].isin(["rate", "headline_rate"])]
    by_place = {(r.unit, r.column): r.severity for r in rates.itertuples()}
    assert abs(3.76 - 100 * 109 / 1481) / (100 * 109 / 1481) > 0.10  # the rule's threshold, worked out here
    assert by_place[("Cam Tuyên", "poor_published_pct")] == "major"
    assert by_place[("Cam Tuyên", "dtts_poor_published_pct")] == "major"  # 0.28% for 42/1481 = 2.84%
    assert by_place[("Cam Thành", "btxh_published_pct")] == "minor"
    assert by_place[("district", "dtts_households")] == "rounding"


@pytest.mark.parametrize(("printed", "recomputed", "severity"), [
    (3.76, 7.36, "major"), (6.60, 7.36, "major"), (6.70, 7.36, "minor"), (7.37, 7.36, "minor"), (0.5, 0.0, "major")])
def test_the_severity_rule_at_its_threshold(printed, recomputed, severity):
    from camlo.consistency.checks import MAJOR_RATE_ERROR, rate_severity

    assert MAJOR_RATE_ERROR == 0.10  # 6.60 is 10.3% off 7.36, 6.70 is 9.0% off
    assert rate_severity(printed, recomputed, None) == severity


def test_every_finding_is_written_in_both_languages(everything):
    """Each finding and resolution is a catalog sentence: its English is the table's, its
    Vietnamese another text, with the numbers as Vietnamese writes them."""
    for row in everything.itertuples():
        en, vi = row.message_text.text("en"), row.message_text.text("vi")
        assert vi and vi != en
        if "csgn_reconciled" not in row.message:
            assert en == row.message
        if row.resolution:
            assert row.resolution_text.text("vi") not in ("", row.resolution)
        else:
            assert row.resolution_text is None
    tuyen = find(everything, check="rate", unit="Cam Tuyên", column="poor_published_pct").iloc[0]
    assert tuyen["message_text"].text("vi").startswith("số in 3,76%, tính lại từ số hộ: 109/1.481 = 7,36%")
    split = find(everything, check="split", unit="Cam Tuyên").iloc[0]
    assert "csgn_reconciled" in split["resolution"]  # the command line names the column ...
    assert "csgn_reconciled" not in split["resolution_text"].text("en")  # ... a report says what it is
    assert "xã Cam Tuyền: CSGN 48 → 56" in split["resolution_text"].text("vi")


def test_the_workbook_audit_sheet_writes_each_finding_in_both_languages():
    """Issue 20 item 7: the audit sheet's headers are bilingual, so are its findings; the English is
    the audit's own message, the Vietnamese its catalog rendering (no English words of it left)."""
    from camlo.answers import baseline
    from camlo.report.workbook import audit_sheet

    answer = baseline.run()
    sheet = audit_sheet(answer)
    findings = answer.tables["audit"]
    assert sheet.frame["message_en"].tolist() == findings["message"].tolist()
    assert len(sheet.frame) == len(findings) > 0
    for vi, en in zip(sheet.frame["message_vi"], sheet.frame["message_en"]):
        assert vi and vi != en
        assert not re.search(r"\b(units|add up|printed|total row|households)\b", vi), vi
    assert [pair[1] for pair in sheet.header_pairs()[-4:]] == [
        "Message (Vietnamese)", "Message (English)", "Resolution (Vietnamese)", "Resolution (English)"]
