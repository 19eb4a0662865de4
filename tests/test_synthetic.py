"""The shipped SYNTHETIC records: byte-reproducible, labelled, and true to the published counts."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.__main__ import main
from camlo.synthetic import blocks
from camlo.synthetic.review_2022 import DEFAULT_SEED, OUTPUT, write_synthetic_2022
from shipped_tables import STANDARD

SIDECAR = OUTPUT.with_name(OUTPUT.name + ".provenance.json")


def test_regenerating_gives_the_same_bytes(tmp_path, capsys):
    path = tmp_path / "records_2022.csv"
    assert main(["synthesize", "--review", "2022", "--output", str(path)]) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    assert path.read_bytes() == OUTPUT.read_bytes()
    assert path.with_name(SIDECAR.name).read_bytes() == SIDECAR.read_bytes()


def test_the_sidecar_says_synthetic_and_how_it_was_made():
    record = json.loads(SIDECAR.read_text(encoding="utf-8"))
    assert record["synthetic"] is True and "SYNTHETIC" in record["title"]
    assert record["seed"] == DEFAULT_SEED and record["households"] == 14905
    assert record["sha256"] == hashlib.sha256(OUTPUT.read_bytes()).hexdigest()
    assert "synthesize" in record["made_by"]
    assumptions = record["assumptions"]
    assert "largest remainder" in assumptions["near_poor_rule"]
    assert {"poor_income_low", "middle_share", "middle_rate_factor", "near_poor_deprivations"} <= set(assumptions)
    assert str(OUTPUT.parent.name) == "synthetic"


def test_another_seed_gives_other_households_with_the_same_counts(tmp_path):
    path = write_synthetic_2022(tmp_path / "seed_1.csv", seed=1)
    assert path.read_bytes() != OUTPUT.read_bytes()
    households, deprivations = camlo.annex_tables(camlo.load_records(path))
    pd.testing.assert_frame_equal(deprivations, camlo.load_deprivations())
    assert households["poor"].tolist() == camlo.load_households()["poor"].tolist()


def test_recorded_poor_below_the_cutoff_only_where_the_counts_force_it():
    records = camlo.classify(camlo.load_records(), STANDARD)
    poor = records[records["status_recorded"] == "poor"]
    below = poor[poor["deprivations"] < 3]
    # Thanh An: 313 deprivations for 106 poor; Cam Chính: 51 for 18 (every one deprived in 11):
    # at most 104 and 16 households can reach 3.
    assert below.groupby("unit", observed=True).size().to_dict() == {"Thanh An": 2, "Cam Chính": 2}
    listed = camlo.audit_records(records, STANDARD)
    assert listed["household_id"].tolist() == below["household_id"].tolist()
    assert (listed["status"] == "near_poor").all()


def test_statuses_follow_the_assumptions():
    records = camlo.classify(camlo.load_records(), STANDARD)
    others = records[records["status_recorded"].isna()]
    assert set(others["status"]) == {"middle", "above_middle"}
    near = records[records["status_recorded"] == "near_poor"]
    assert set(near["status"]) == {"near_poor"} and near["deprivations"].max() <= 2
    assert (records.loc[records["btxh"] == 1, "status_recorded"] == "poor").all()


# --- building blocks ---------------------------------------------------------------------------

def test_apportion_is_exact_and_respects_caps():
    assert blocks.apportion(7, [1, 1, 1]).tolist() == [3, 2, 2]
    with pytest.raises(ValueError, match="cap"):
        blocks.apportion(10, [1, 1], caps=[4, 10])


@pytest.mark.parametrize("sums, poor, below", [
    ([24, 69, 3, 70, 1, 1, 4, 4, 6, 18, 82, 31], 106, 2),   # Thanh An
    ([5, 4, 1, 3, 0, 0, 2, 0, 1, 7, 18, 10], 18, 2),        # Cam Chính
    ([11, 22, 4, 36, 2, 3, 5, 5, 5, 9, 14, 5], 36, 0),      # TT Cam Lộ
])
def test_deprivation_rows_keep_as_many_households_at_the_cutoff_as_possible(sums, poor, below):
    rows = blocks.deprivation_row_sums(np.random.default_rng(0), np.array(sums), poor, 3, 200)
    assert rows.sum() == sum(sums) and len(rows) == poor and int((rows < 3).sum()) == below
    matrix = blocks.fill_matrix(np.random.default_rng(1), rows, np.array(sums))
    assert matrix.sum(axis=0).tolist() == sums and matrix.sum(axis=1).tolist() == rows.tolist()


def test_fill_matrix_refuses_impossible_sums():
    with pytest.raises(ValueError, match="no 0/1 matrix"):
        blocks.fill_matrix(np.random.default_rng(0), np.array([3, 0]), np.array([2, 1, 0]))


def test_incomes_stay_in_their_band():
    rng = np.random.default_rng(5)
    above = blocks.draw_incomes_above(rng, 10_000, 2_250_000, 0.7)
    assert above.min() > 2_250_000
    band = blocks.draw_incomes(rng, 10_000, 1_500_001, 2_250_000)
    assert band.min() > 1_500_000 and band.max() <= 2_250_000
