"""A user's tables in the plan's layout for a few of the plan's units: read, audited and answered.

The loaders read any of the plan's units (their total row printed, or summed when absent), the
audit compares only what the user's tables hold, and notebooks 01–03's answers say which units
the tables cover instead of failing, in both languages, with no empty part in any sentence.
Every number is worked out here from the tables the test writes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import camlo
from camlo import DataError
from camlo.answers import baseline, deprivation, targets
from camlo.text.numbers import LANGS
from records_helpers import check_refusal
from test_own_review_reports import T01, TABLE_UNITS, write_tables

#: A sentence's empty or unfilled part.
JUNK = re.compile(r"\{|\}|\bnan\b|\bNaN\b|\bNone\b|:\s*\.|\(\s*\)|\s,|^\s*$")
#: Parts that end on a colon because a table or list follows them in the notebook.
INTRODUCES = {"contributions"}
PATHS = {"n_paths": 300, "sensitivity_paths": 40}


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("tables") / "two")


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    """Cam Hiếu's tables alone: Phụ lục 1 without a total row, Phụ lục 2 with the plan's row number 8."""
    folder = write_tables(tmp_path_factory.mktemp("tables") / "one")
    for name in ("phu_luc_1.csv", "phu_luc_2.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines[2:] if "Cam Hiếu" in line]
        (folder / name).write_text("\n".join(lines[:2] + [k.replace("2,xã Cam Hiếu", "8,xã Cam Hiếu") for k in kept])
                                   + "\n", encoding="utf-8")
    n, poor, btxh, csgn, _ = TABLE_UNITS["Cam Hiếu"]
    headline = {"households": n, "dtts_households": 0, "poor_and_near_poor": poor + 60, "poor": poor,
                "dtts_poor": 0, "btxh": btxh, "csgn": csgn, "near_poor": 60}
    (folder / "section_1_headline.csv").write_text("key,phrase,count,rate_pct\n" + "".join(
        f'{key},"{count} hộ",{count},\n' for key, count in headline.items()), encoding="utf-8")
    targets_file = folder / "section_2_targets.csv"
    targets_file.write_text(targets_file.read_text(encoding="utf-8").replace(f"giảm {T01} hộ", f"giảm {csgn} hộ"),
                            encoding="utf-8")
    return folder


def sentences(answer) -> dict[str, str]:
    """Every part and the finding, in both languages, checked for an empty or unfilled part."""
    parts = {**answer.text, "finding": answer.finding}
    written = {}
    for name, part in parts.items():
        if part is None:  # a part that does not apply shows nothing (``show(None)``)
            continue
        for lang in LANGS:
            text = part.text(lang)
            assert not JUNK.search(text), (name, lang, text)
            assert name in INTRODUCES or not text.rstrip().endswith(":"), (name, lang, text)
            written[f"{name}/{lang}"] = text
    return written


def test_the_loaders_read_a_few_units_and_sum_a_missing_total_row(two, one):
    households = camlo.load_households(two / "phu_luc_1.csv")
    assert households["unit"].tolist() == ["Cam Thành", "Cam Hiếu"]  # "xã Cam Hiếu" read as the plan's unit
    deprived = camlo.load_deprivation_totals(two / "phu_luc_2.csv").set_index("indicator")["deprived"]
    assert deprived.tolist() == [a + b for a, b in zip(TABLE_UNITS["Cam Thành"][4], TABLE_UNITS["Cam Hiếu"][4])]
    total = camlo.load_household_totals(one / "phu_luc_1.csv").iloc[0]
    assert (total["households"], total["poor"]) == TABLE_UNITS["Cam Hiếu"][:2]


def test_the_plans_eight_units_still_need_their_total_row(tmp_path):
    from camlo.paths import DATA_RAW

    lines = (DATA_RAW / "phu_luc_1.csv").read_text(encoding="utf-8").splitlines()[:-1]
    path = tmp_path / "phu_luc_1.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        camlo.load_households(path)
    check_refusal(err.value, path, row="Tổng", says="no total row")


def test_a_few_units_row_numbers_are_theirs_or_the_plans(two, tmp_path):
    text = (two / "phu_luc_2.csv").read_text(encoding="utf-8").replace("\n2,xã Cam Hiếu", "\n5,xã Cam Hiếu")
    path = tmp_path / "phu_luc_2.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        camlo.load_deprivations(path)
    check_refusal(err.value, path, row="Cam Hiếu", column="Stt", says="expected row number 2 or 8, found 5")


def test_the_audit_compares_only_what_the_users_tables_hold(two, tmp_path):
    import shutil

    assert camlo.audit(camlo.load_plan_tables(two, reviews=False)).empty  # the tables agree with themselves
    copy = tmp_path / "edited"
    shutil.copytree(two, copy)
    path = copy / "phu_luc_1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Tổng,4.100,", "Tổng,4.000,"), encoding="utf-8")
    findings = camlo.audit(camlo.load_plan_tables(copy, reviews=False))
    row = findings.query("check == 'total_row' and column == 'households'").iloc[0]
    assert (row["unit"], row["published"], row["expected"]) == ("district", 4000, 2300 + 1800)
    assert set(findings["unit"]) <= {"district", "Cam Thành", "Cam Hiếu"}


def test_notebooks_01_to_03_on_two_units(two):
    n, poor = (sum(v[i] for v in TABLE_UNITS.values()) for i in range(2))
    first = sentences(baseline.run({"tables_path": str(two)}))
    covers = "These tables cover 2 of the plan's 8 units (Cam Thành and Cam Hiếu): every figure below is over those 2"
    assert first["district/en"].startswith(covers) and first["finding/en"].startswith(covers)
    assert first["district/vi"].startswith("Các bảng này gồm 2 trên 8 đơn vị của kế hoạch")
    assert "These tables hold no ethnic-minority (DTTS) household" in first["district/en"]
    assert first["reconciled_split/en"].startswith("In every unit the BTXH and CSGN households add up")
    assert f"{poor} of them poor ({100 * poor / n:.2f}%)" in first["finding/en"]
    second = sentences(deprivation.run({"tables_path": str(two)}))
    assert "With two units there is nothing to group" in second["clusters/en"]
    assert f"H = {poor / n:.4f}" in second["af/en"]
    third_answer = targets.run({"tables_path": str(two), **PATHS})
    third = sentences(third_answer)
    assert third_answer.values["goal"].baseline_poor == poor and third_answer.values["goal"].reduction == T01
    assert "These tables hold only part of Hiếu Giang commune (Cam Hiếu, not Thanh An, Cam Thủy and Cam Tuyên)" \
        in third["communes/en"]
    assert third_answer.tables["observed"] is not None


def test_notebook_03_on_two_units_with_the_reviews_given(two):
    """Given the reviews as a file, the tables' units are judged on the rows that count them."""
    from camlo.paths import DATA_RAW

    third = sentences(targets.run({"tables_path": str(two), "observed_path": str(DATA_RAW / "observed_reviews.csv"),
                                   **PATHS}))
    assert "are left out (1)" in third["status/en"]
    assert "No observed review was given" not in third["status/en"]


def _tables_poor(folder) -> tuple[int, int]:
    """The households and poor households of Phụ lục 1's unit rows, read from the CSV the test wrote."""
    with (folder / "phu_luc_1.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle)][2:]
    units = [row for row in rows if row[0] != "Tổng"]
    return sum(int(row[1].replace(".", "")) for row in units), sum(int(row[3]) for row in units)


#: The shipped observed reviews, by the names their files have.
REVIEW_FILES = ("observed_reviews.csv", "observed_reviews_dtts.csv", "observed_reviews.csv.provenance.json",
                "district_rates.csv")


def test_notebook_03_on_a_users_tables_without_reviews_reads_none(two):
    from test_tables_in import opened_files

    households, poor = _tables_poor(two)
    params = {"tables_path": str(two), **PATHS}
    with opened_files() as opened:
        result = targets.run(params)
    assert opened and not [name for name in opened if Path(name).name in REVIEW_FILES], opened
    declared = {path.resolve() for path in targets.inputs(params).values()}
    assert not [path for path in declared if path.name in REVIEW_FILES]
    assert {(Path(camlo.paths.DATA).resolve().parent / name) for name in opened} <= declared
    third = sentences(result)
    # the status, the projection and the context start from the tables' baseline, not the district's reviews
    assert result.tables["status"].frame[["step", "poor"]].values.tolist() == [[0, poor]]
    projection = result.tables["projection"].set_index("step")
    assert projection.loc[0, ["p05", "p50", "p95"]].tolist() == [poor] * 3 and result.values["start"] is None
    assert third["status/en"].startswith(
        "No observed review was given with these tables: the projection starts from the tables' baseline "
        f"(start of 2022: {poor} poor households, {poor - T01} to reach by the end of 2025)")
    assert third["status/vi"].startswith("Không có kết quả rà soát thực tế nào được cung cấp kèm các bảng này: "
                                         f"dự báo bắt đầu từ số liệu đầu kỳ của các bảng (đầu năm 2022: {poor} hộ nghèo")
    assert "Cam Lộ's own reviews" not in third["context/en"] and "no review after the baseline" in third["context/en"]
    assert not any("311" in text for text in third.values())  # the district's end-2023 count
    # the newly poor a year are the district's: said so, with the same rate over the tables' households
    district = int(next(line for line in (camlo.paths.DATA_RAW / "section_1_headline.csv").read_text(
        encoding="utf-8").splitlines() if line.startswith("households,")).rsplit(",", 2)[1].replace(".", ""))
    share = households / district
    assert (f"The assumed 6.0 newly poor households a year are the district's (for its {district:,} households at the "
            f"baseline), not these units': over these tables' {households:,} households ({100 * share:.0f}% of the "
            f"district's) the same rate would be about {6 * share:.1f} a year") in third["projection/en"]
    assert "hộ nghèo phát sinh mỗi năm là của toàn huyện" in third["projection/vi"]


def test_notebook_03s_own_cells_read_the_shipped_reviews_as_none_for_a_users_tables(two):
    """The notebook loads the reviews itself (``review_inputs(tables_path, observed_path)``): the shipped
    ones, for a user's tables, are the district's and are not read."""
    from camlo.clean.standard import load_standards

    _, poor = _tables_poor(two)
    observed, sources, district_rates = targets.review_inputs(str(two), None)
    result = targets.answer(camlo.load_plan_tables(two, reviews=False), observed, camlo.load_poverty_rates(),
                            sources, district_rates=district_rates, standards=load_standards(), **PATHS)
    assert sentences(result)["status/en"].startswith("No observed review was given with these tables")
    assert result.tables["status"].frame["poor"].tolist() == [poor]


def test_notebooks_01_to_03_on_one_unit(one):
    n, poor, btxh, csgn, _ = TABLE_UNITS["Cam Hiếu"]
    first = sentences(baseline.run({"tables_path": str(one)}))
    assert first["district/en"].startswith("These tables cover 1 of the plan's 8 units (Cam Hiếu)")
    assert first["highest_rate/en"] == f"Cam Hiếu's poverty rate is **{100 * poor / n:.2f}%**: {poor} poor households of {n:,}."
    second = sentences(deprivation.run({"tables_path": str(one)}))
    assert second["clusters/en"].startswith("With one unit there is no profile to compare")
    assert second["m0_share/en"].startswith("With one unit")
    third_answer = targets.run({"tables_path": str(one), **PATHS})
    third = sentences(third_answer)
    assert third_answer.values["goal"].target_poor == poor - csgn == btxh
    assert "The two targets add up" not in third["communes/en"]
    assert "Where the two readings differ" not in third["readings/en"] or "- **T" in third["readings/en"]
