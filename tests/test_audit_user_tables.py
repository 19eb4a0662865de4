"""Cross-table consistency is the audit's job, on the user's files too.

Each case writes a folder laid out like ``data/raw/`` with one table changed so that it no
longer agrees with another. The loaders read every file (each table is plausible on its own:
a loader judges one table), and :func:`camlo.audit`, run on the tables read from the folder,
reports the disagreement with the numbers worked out here by hand. Nothing is resolved
silently: the tables keep the printed values.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import camlo
from camlo.__main__ import main
from camlo.clean.provenance import read_sidecar, sha256
from camlo.paths import DATA_RAW
from shipped_tables import SHIPPED, GOAL


@pytest.fixture
def folder(tmp_path):
    """A copy of data/raw/ that a test edits, and a function to replace text in one of its files."""
    copy = tmp_path / "my_review"
    shutil.copytree(DATA_RAW, copy)

    def edit(name: str, old: str, new: str):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
        return copy

    return edit


def audit_folder(folder) -> pd.DataFrame:
    tables = camlo.load_plan_tables(folder)
    return camlo.audit(tables, observed_sums=True)


def only_new(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings that the shipped tables do not have."""
    key = ["check", "table", "unit", "column", "published", "expected"]
    shipped = camlo.audit()[key].astype(str).apply(tuple, axis=1)
    return findings[~findings[key].astype(str).apply(tuple, axis=1).isin(shipped)]


def test_a_total_row_that_disagrees_with_its_units(folder, capsys):
    path = folder("phu_luc_1.csv", "Tổng,14.905,", "Tổng,14.900,")
    new = only_new(audit_folder(path))
    # 2.693 + 2.095 + 2.223 + 1.489 + 1.667 + 1.481 + 1.466 + 1.791 = 14.905 households in the units
    row = new.query("check == 'total_row' and column == 'households'").iloc[0]
    assert (row["table"], row["unit"], row["published"], row["expected"]) == ("phu_luc_1", "district", 14900, 14905)
    assert camlo.load_household_totals(path / "phu_luc_1.csv")["households"].iloc[0] == 14900  # kept as printed
    assert main(["audit", "--tables", str(path)]) == 0
    assert "total_row | phu_luc_1 | district | households: published 14900, expected 14905" in capsys.readouterr().out


def test_phu_luc_2_poor_households_that_differ_from_phu_luc_1(folder):
    path = folder("phu_luc_2.csv", "8,Cam Hiếu,44,", "8,Cam Hiếu,46,")
    new = only_new(audit_folder(path))
    cross = new.query("check == 'cross_table'")
    assert cross[["unit", "column", "published", "expected"]].values.tolist() == [["Cam Hiếu", "poor", 46, 44]]
    # Phụ lục 2's own total row (453) no longer adds up either: 106+36+37+57+46+109+18+46 = 455
    total = new.query("check == 'total_row' and table == 'phu_luc_2' and column == 'poor'").iloc[0]
    assert (total["published"], total["expected"]) == (453, 455)


def test_observed_unit_rows_that_do_not_add_up_to_the_district(folder, capsys):
    rows = {"Thanh An": 100, "TT Cam Lộ": 30, "Cam Thành": 35, "Cam Thủy": 50, "Cam Nghĩa": 40, "Cam Tuyên": 95,
            "Cam Chính": 15, "Cam Hiếu": 40}  # add up to 405
    path = DATA_RAW / "observed_reviews.csv"
    lines = [f"2024,end-of-year review,{unit},{poor},," for unit, poor in rows.items()]
    lines.append("2024,end-of-year review,district,400,,")
    copy = folder("observed_reviews.csv", "district,453,634,14905\n",
                  "district,453,634,14905\n" + "\n".join(lines) + "\n")
    assert sha256(path) == read_sidecar(path)["sha256"]  # the shipped file is untouched
    new = only_new(audit_folder(copy))
    observed = new.query("check == 'observed_sum'")
    assert observed[["unit", "column", "published", "expected"]].values.tolist() == [["district", "poor", 400, 405]]
    assert "2024 end-of-year review" in observed["message"].iloc[0]
    status = camlo.poverty_target_status(camlo.load_observed(copy / "observed_reviews.csv"), SHIPPED.households, SHIPPED.register, GOAL)
    assert status["poor"].tolist() == [453, 311, 400]  # the district row, as printed: reported, not resolved
    assert main(["audit", "--tables", str(copy)]) == 0
    assert "observed_sum | observed_reviews | district | poor: published 400, expected 405" in capsys.readouterr().out


def test_the_shipped_observed_baseline_adds_up():
    comparisons = camlo.audit(include_passing=True, observed_sums=True)
    observed = comparisons.query("check == 'observed_sum'")
    # units: 106+36+37+57+46+109+18+44 = 453 poor, 14.905 households; near-poor printed for the district only
    assert observed[["column", "published", "expected", "status"]].values.tolist() == [
        ["poor", 453, 453, "ok"], ["households", 14905, 14905, "ok"]]


def test_a_review_of_some_units_only_is_not_compared(folder):
    copy = folder("observed_reviews.csv", "district,453,634,14905\n",
                  "district,453,634,14905\n2024,end-of-year review,Cam Tuyên,90,,\n"
                  "2024,end-of-year review,district,400,,\n")
    comparisons = camlo.audit(SHIPPED.replace(observed=camlo.load_observed(copy / "observed_reviews.csv")), include_passing=True, observed_sums=True)
    assert comparisons.query("check == 'observed_sum'")["message"].str.startswith("2022").all()
