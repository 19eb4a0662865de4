"""A commune's own review, whatever its shape: notebook 04's answer, a papermill run and a build on it.

Each shape is written as a small records file (the record format's columns, no sidecar: real
records as far as the package can tell), its answer computed, and its numbers checked against
counts worked out here from the rows written; every sentence is rendered in both languages and
checked for a synthetic label, an unfilled or empty part, and the sentence that says what the
records cover.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from camlo.answers import records as nb04
from camlo.paths import DATA_RAW, NOTEBOOKS, PROJECT_ROOT
from camlo.text.numbers import LANGS

PLAN_UNITS = ["Thanh An", "TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Chính", "Cam Hiếu"]
DEPRIVATIONS = [f"d{j}" for j in range(1, 13)]
#: Decree 07/2021's poor line per person per month, rural and urban (2022–2025).
POOR_LINE = {"rural": 1_500_000, "urban": 2_000_000}
#: The synthetic label in either language (a real file's sentences may say that no file is marked synthetic).
SYNTHETIC_WORDS = ("SYNTHETIC", "made up", "MÔ PHỎNG", "không phải số liệu thật")
PATHS = 300


def printed_phu_luc_1() -> pd.DataFrame:
    """Phụ lục 1 as the raw file prints it (two header rows, dots for thousands): unit, households, poor."""
    raw = pd.read_csv(DATA_RAW / "phu_luc_1.csv", skiprows=2, header=None, thousands=".", dtype={0: str})
    return pd.DataFrame({"unit": raw[0], "households": raw[1], "poor": raw[3]})


def households(units, per_unit: int, *, seed: int = 1, poor_units=None, status: bool = True) -> pd.DataFrame:
    """``per_unit`` households in each unit: every third poor (deprived in d1–d3 at least, low income),
    the next near-poor (low income), the rest above the lines; none poor outside ``poor_units``."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit in units:
        for i in range(per_unit):
            poor = (poor_units is None or unit in poor_units) and i % 3 == 0
            near = not poor and i % 3 == 1
            flags = rng.random(12) < (0.5 if poor else 0.1)
            flags[:3] |= poor
            rows.append({"household_id": f"H{len(rows) + 1:05d}", "unit": unit, "members": 3,
                         "income_per_person": 1_200_000 if poor or near else 4_000_000,
                         **dict(zip(DEPRIVATIONS, flags.astype(int))), "ethnic_minority": int(i % 4 == 0),
                         "btxh": int(poor and i % 2 == 0),
                         **({"status_recorded": "poor" if poor else "near_poor" if near else ""} if status else {})})
    return pd.DataFrame(rows)


def standard_poor(frame: pd.DataFrame) -> pd.Series:
    """Poor by the standard, worked out here: income at or below the rural line, 3 or more deprivations."""
    return (frame["income_per_person"] <= POOR_LINE["rural"]) & (frame[DEPRIVATIONS].sum(axis=1) >= 3)


def later_review(frame: pd.DataFrame) -> pd.DataFrame:
    """The same households a review later: every other poor household no longer poor (income up)."""
    later = frame.copy()
    poor = later.index[later["status_recorded"] == "poor"]
    left = poor[::2]
    later.loc[left, "status_recorded"] = ""
    later.loc[left, "income_per_person"] = 4_000_000
    return later


SHAPES = {
    "one unit": ({}, lambda: households(["Cam Thành"], 12)),
    "two units": ({}, lambda: households(["Cam Thành", "Cam Hiếu"], 9)),
    "units without a poor household": ({}, lambda: households(PLAN_UNITS, 6, poor_units={"Thanh An", "Cam Hiếu"})),
    "a handful of households": ({}, lambda: households(["Cam Nghĩa"], 5)),
    "no status_recorded": ({}, lambda: households(["Cam Thành", "Cam Hiếu"], 9, status=False)),
    "a successor commune's review": ({"records_date": "2025-12-31"}, lambda: households(["xã Hiếu Giang"], 12)),
    "both successor communes": ({"records_date": "2025-12-31"},
                                lambda: households(["xã Cam Lộ", "xã Hiếu Giang"], 9)),
    "the whole district, no poor household": ({}, lambda: households(PLAN_UNITS, 4, poor_units=set())),
}


def texts(answer) -> dict[str, str]:
    """Every sentence of the answer, and its finding, in both languages."""
    out = {f"{name}/{lang}": part.text(lang) for name, part in answer.text.items() for lang in LANGS}
    return out | {f"finding/{lang}": answer.finding.text(lang) for lang in LANGS}


def check_sentences(answer) -> dict[str, str]:
    written = texts(answer)
    for where, text in written.items():
        assert text.strip(), where
        assert not any(word in text for word in SYNTHETIC_WORDS), (where, text)
        for junk in ("{", "}", "nan", "NaN", ": .", "()", " ,", "None", "Traceback"):
            assert junk not in text, (where, junk, text)
    return written


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    done = {}
    for name, (params, make) in SHAPES.items():
        frame = make()
        path = folder / f"{name.replace(' ', '_')}.csv"
        frame.to_csv(path, index=False)
        done[name] = (frame, nb04.run({"records_path": str(path), "n_paths": PATHS, **params}))
    return done


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_is_answered_from_its_own_rows_in_both_languages(answers, shape):
    frame, answer = answers[shape]
    written = check_sentences(answer)
    assert answer.synthetic is False
    assert answer.values["households"] == len(frame)
    poor = frame["status_recorded"].eq("poor") if "status_recorded" in frame else standard_poor(frame)
    assert answer.values["poor"] == int(poor.sum())
    # counts by unit, tabulated from the records, beside the printed ones
    shown = answer.tables["phu_luc_1"]
    by_unit = frame.assign(poor=poor).groupby("unit", sort=False).agg(households=("unit", "size"), poor=("poor", "sum"))
    for unit, row in by_unit.iterrows():
        label = nb04._en(unit)
        assert shown.loc[label, ("households", "from_records")] == row["households"]
        assert shown.loc[label, ("poor", "from_records")] == row["poor"]
    # H over the records' total, officially
    measures = answer.tables["measures_by_k"].set_index("unit")
    assert measures.loc["district", "H"] == pytest.approx(poor.mean())
    assert "04_transitions" not in answer.figures and "No second review was given" in written["transitions/en"]


def test_a_few_units_are_compared_with_the_printed_figures_of_those_units_only(answers):
    frame, answer = answers["two units"]
    read = answer.text["read"].text("en")
    assert "covers 2 of the plan's 8 units (Cam Thành and Cam Hiếu)" in read
    assert "over those 2" in read and "Kỳ rà soát này gồm 2 trên 8 đơn vị" in answer.text["read"].text("vi")
    printed = printed_phu_luc_1()
    compared = answer.tables["phu_luc_1"]
    assert sorted(compared.index) == ["Cam Hiếu", "Cam Thành", "total"]
    # the total row sums the two units' printed figures, not the district's 14,905 households
    mine = printed[printed["unit"].isin(["Cam Thành", "Cam Hiếu"])]
    assert compared.loc["total", ("households", "printed")] == int(mine["households"].sum())
    assert compared.loc["total", ("households", "from_records")] == len(frame)
    assert "section I" not in set(answer.tables["differences"]["table"])
    assert "Only 18 households" in read  # a handful: each household moves a share by 5.6%
    assert "5.6%" in read


def test_one_unit_is_named_and_ranking_needs_two(answers):
    _, answer = answers["one unit"]
    assert "covers 1 of the plan's 8 units (Cam Thành): every comparison" in answer.text["read"].text("en")
    assert "a ranking needs two or more" in answer.text["ranks"].text("en")
    assert "04_rank_by_k" not in answer.figures
    assert "of Cam Thành" in answer.text["scores"].text("en")


def test_units_without_a_poor_household_are_left_out_of_the_ranking(answers):
    frame, answer = answers["units without a poor household"]
    ranks = answer.tables["ranks"]
    assert sorted(ranks.index) == ["Cam Hiếu", "Thanh An"]
    text = answer.text["ranks"].text("en")
    assert "Cam Lộ township, Cam Thành, Cam Thủy, Cam Nghĩa, Cam Tuyên and Cam Chính have no poor household" in text
    assert "The records cover the whole district" in answer.text["read"].text("en")


def test_no_poor_household_at_all_says_so_in_each_section(answers):
    _, answer = answers["the whole district, no poor household"]
    for section in ("scores", "overlaps", "decomposition"):
        assert answer.text[section].text("en") == "No household of these records is poor (officially), so this section has nothing to show."
    assert {"04_co_deprivation", "04_rank_by_k"}.isdisjoint(answer.figures)
    assert "no household is poor" in answer.text["answers"].text("en")


def test_without_status_recorded_the_status_section_says_there_is_none(answers):
    frame, answer = answers["no status_recorded"]
    assert answer.text["listed"].text("en").startswith("The file has no `status_recorded` column")
    assert answer.values["listed"] == 0 and len(answer.tables["listed"]) == 0
    assert "records no status" in answer.finding.text("en")


def test_a_successor_communes_review_is_per_commune_against_the_plans_units_regrouped(answers):
    frame, answer = answers["a successor commune's review"]
    read = answer.text["read"].text("en")
    assert "by commune, as from 1 July 2025 (Hiếu Giang commune: 1 of the 2 communes" in read
    assert "Thanh An, Cam Thủy, Cam Tuyên and Cam Hiếu" in read
    printed = printed_phu_luc_1()
    former = printed[printed["unit"].isin(["Thanh An", "Cam Thủy", "Cam Tuyên", "Cam Hiếu"])]
    shown = answer.tables["phu_luc_1"]
    assert shown.loc["Hiếu Giang commune", ("households", "printed")] == int(former["households"].sum())
    assert shown.loc["Hiếu Giang commune", ("households", "from_records")] == len(frame)
    assert "regrouped by commune" in answer.text["annex"].text("en")
    assert "Hiếu Giang commune, a review by commune after 1 July 2025 (12 households)" in answer.finding.text("en")
    both = answers["both successor communes"][1]
    assert list(both.tables["ranks"].index) == ["Cam Lộ commune", "Hiếu Giang commune"]


def test_a_pair_of_the_users_reviews_projects_from_the_second_against_the_areas_target(tmp_path):
    first = households(["Cam Thành", "Cam Hiếu"], 9)
    second = later_review(first)
    first.to_csv(tmp_path / "first.csv", index=False)
    second.to_csv(tmp_path / "second.csv", index=False)
    answer = nb04.run({"records_path": str(tmp_path / "first.csv"), "compare_path": str(tmp_path / "second.csv"),
                       "n_paths": PATHS})
    written = check_sentences(answer)
    second_poor = int((second["status_recorded"] == "poor").sum())
    assert answer.values["start_poor"] == second_poor
    fan = answer.figures["04_projection_measured"]["measured"].table.set_index("step")
    assert fan.loc[2, "p50"] == second_poor  # the paths start from the second review, not from the plan's 453
    printed = printed_phu_luc_1()
    baseline = int(printed.loc[printed["unit"].isin(["Cam Thành", "Cam Hiếu"]), "poor"].sum())
    assert f"their baseline of {baseline}" in written["transitions/en"]
    assert f"Starting from the second review's {second_poor} poor households (step 2)" in written["transitions/en"]
    observed = answer.figures["04_projection_measured"]["measured"].table.set_index("step")["observed_poor"]
    assert observed.dropna().to_dict() == {0: int((first["status_recorded"] == "poor").sum()), 2: second_poor}


def _porcelain() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_papermill_runs_notebook_04_on_a_successor_communes_review(tmp_path):
    papermill = pytest.importorskip("papermill")
    path = tmp_path / "hieu_giang.csv"
    households(["xã Hiếu Giang"], 12).to_csv(path, index=False)
    before = _porcelain()
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "04_household_records.ipynb"), str(out), cwd=str(tmp_path),
                               parameters={"records_path": str(path), "records_date": "2025-12-31",
                                           "n_paths": PATHS}, progress_bar=False, log_output=False,
                               kernel_name="python3")
    shown = out.read_text(encoding="utf-8")
    assert "Traceback" not in shown and "SYNTHETIC records (made up" not in shown
    assert "Hiếu Giang commune: 1 of the 2 communes" in shown
    assert _porcelain() == before


def test_build_renders_notebook_04_alone_on_the_users_records(tmp_path):
    path = tmp_path / "two.csv"
    households(["Cam Thành", "Cam Hiếu"], 9).to_csv(path, index=False)
    before = _porcelain()
    output = tmp_path / "reports"
    run = subprocess.run([sys.executable, "-m", "camlo", "build", "--records", str(path), "--output", str(output),
                          "-p", f"n_paths={PATHS}"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert _porcelain() == before
    assert sorted(p.name for p in output.glob("*.html")) == [
        "04_household_records.en.html", "04_household_records.html", "04_household_records.vi.html", "index.html"]
    assert (output / "camlo_tables.xlsx").is_file()
    from camlo.report.pdf import chromium

    if chromium():
        assert {p.name for p in output.glob("*.pdf")} == {"04_household_records.en.pdf", "04_household_records.vi.pdf"}
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "Household records of 2 of the plan&#x27;s 8 units (18 households)" in index or \
        "Household records of 2 of the plan's 8 units (18 households)" in index
    assert not any(word in index for word in SYNTHETIC_WORDS)
    report = (output / "04_household_records.en.html").read_text(encoding="utf-8")
    assert "covers 2 of the plan" in report and "SYNTHETIC records (made up" not in report


# --- A user's tables in the plan's layout ------------------------------------------------------------


def test_a_users_tables_in_the_plans_layout_feed_every_notebook_that_reads_them(tmp_path):
    """``tables_path``: a folder laid out like data/raw/ (here with 100 more households in Thanh An)
    is what notebooks 01, 02 and 03 read, declare and state; the shipped tables are not read."""
    import shutil

    from camlo.answers import baseline, deprivation, targets
    from camlo.paths import DATA_RAW

    for name in ("phu_luc_1.csv", "phu_luc_2.csv", "phu_luc_2_ghi_chu.csv", "section_1_headline.csv",
                 "section_2_targets.csv"):
        shutil.copy(DATA_RAW / name, tmp_path / name)
    annex = tmp_path / "phu_luc_1.csv"
    annex.write_text(annex.read_text(encoding="utf-8").replace("Thanh An,2.693,", "Thanh An,2.793,"),
                     encoding="utf-8")
    params = {"tables_path": str(tmp_path), "n_paths": 2_000, "sensitivity_paths": 200}
    for module in (baseline, deprivation, targets):
        declared = module.inputs(params)
        assert "tables_path:phu_luc_1.csv" in declared and "data/raw/phu_luc_1.csv" not in declared
    first = baseline.run(params)
    assert "15,005 households" in first.finding.text("en") and "15.005 hộ" in first.finding.text("vi")
    second = deprivation.run(params)
    assert int(second.tables["counts"].loc["Thanh An", "n"]) == 2793  # n: households, q: poor households
    third = targets.run(params)
    assert third.values["goal"].baseline_poor == 453  # the poor households are as printed
    assert first.tables["audit"]["unit"].eq("district").any()  # the total row no longer adds up: the audit says so
