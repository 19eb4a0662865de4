"""The SYNTHETIC end-2023 follow-up review: reproducible, labelled, calibrated to the published totals only."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.__main__ import main
from camlo.synthetic import blocks, review_2022, review_2023
from camlo.synthetic.review_2023 import Assumptions, Calibration, synthesize_2023
from shipped_tables import SHIPPED, STANDARD

SIDECAR = review_2023.OUTPUT.with_name(review_2023.OUTPUT.name + ".provenance.json")


@pytest.fixture(scope="module")
def before() -> pd.DataFrame:
    return camlo.classify(camlo.load_records(review_2022.OUTPUT), STANDARD)


@pytest.fixture(scope="module")
def after() -> pd.DataFrame:
    return camlo.classify(camlo.load_records(review_2023.OUTPUT), STANDARD)


def test_regenerating_gives_the_same_bytes(tmp_path, capsys):
    path = tmp_path / "records_2023.csv"
    assert main(["synthesize", "--review", "2023", "--output", str(path)]) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    assert path.read_bytes() == review_2023.OUTPUT.read_bytes()
    assert path.with_name(SIDECAR.name).read_bytes() == SIDECAR.read_bytes()


def test_output_needs_a_review(capsys):
    with pytest.raises(SystemExit):
        main(["synthesize", "--output", "x.csv"])
    assert "--review" in capsys.readouterr().err


def test_the_sidecar_says_synthetic_how_it_was_made_and_what_it_is_calibrated_to():
    record = json.loads(SIDECAR.read_text(encoding="utf-8"))
    assert record["synthetic"] is True and "SYNTHETIC" in record["title"]
    assert record["seed"] == review_2023.DEFAULT_SEED and "synthesize" in record["made_by"]
    assert record["sha256"] == hashlib.sha256(review_2023.OUTPUT.read_bytes()).hexdigest()
    assert record["follows"]["sha256"] == hashlib.sha256(review_2022.OUTPUT.read_bytes()).hexdigest()
    calibrated = record["calibrated_to"]
    assert calibrated["district"] == {"poor": 311, "near_poor": 429, "poor_pct": 2.09, "near_poor_pct": 2.88}
    assert calibrated["ethnic_minority"] == {"poor": 13, "near_poor": 39}
    assert "VietnamNet" in calibrated["source"]
    assert set(record["assumptions"]) == {f.name for f in dataclasses.fields(Assumptions)}
    assert "unit" in record["not_calibrated"]


def test_the_published_totals_and_rates_are_reproduced(after):
    annex = camlo.annex_tables(after)
    headline = annex.headline.set_index("key")["count"]
    assert headline["poor"] == 311 and headline["near_poor"] == 429 and headline["dtts_poor"] == 13
    dtts = after["ethnic_minority"] == 1
    assert int(((after["status_recorded"] == "near_poor") & dtts).sum()) == 39
    n = len(after)
    assert round(100 * 311 / n, 2) == 2.09 and round(100 * 429 / n, 2) == 2.88


def test_the_same_households_with_some_gone_and_some_new(before, after):
    old, new = set(before["household_id"]), set(after["household_id"])
    entered = new - old
    assert all(h.startswith("S23-") for h in entered)
    assumptions = Assumptions()
    assert len(entered) == round(assumptions.entered * len(before))
    btxh = before["btxh"] == 1
    assert len(old - new) == round(assumptions.btxh_left * btxh.sum()) + round(assumptions.left * (~btxh).sum())
    # a household that stays keeps its unit, area and members
    both = before.merge(after, on="household_id", suffixes=("", "_after"))
    for column in ("unit", "area", "members"):
        assert (both[column].astype(str) == both[f"{column}_after"].astype(str)).all(), column


def test_records_follow_their_recorded_status(before, after):
    """The standard gives the recorded status, except 2022's recorded-poor households with < 3 that stay poor."""
    differs = camlo.audit_records(after, STANDARD)
    assert set(differs["status"]) <= {"near_poor"} and (differs["status_recorded"] == "poor").all()
    assert set(differs["household_id"]) <= set(camlo.audit_records(before, STANDARD)["household_id"])
    assert (after.loc[after["btxh"] == 1, "status_recorded"] == "poor").all()


def test_transitions_add_up_to_both_reviews(before, after):
    t = camlo.transitions(before, after, steps=review_2023.STEPS)
    table = t.table
    assert table.loc[["poor_csgn", "poor_btxh"]].to_numpy().sum() == 453
    assert table[["poor_csgn", "poor_btxh"]].to_numpy().sum() == 311
    assert table["near_poor"].sum() == 429 and table.loc["near_poor"].sum() == 634
    assert table.to_numpy().sum() - table.loc["entered"].sum() == len(before)
    assert table.to_numpy().sum() - table["left"].sum() == len(after)
    # near-poor households falling into poverty: the fixed share of those staying, in each stratum
    share = Assumptions().near_poor_to_poor
    staying = before[(before["status_recorded"] == "near_poor") & before["household_id"].isin(after["household_id"])]
    expected = sum(round(share * n) for n in staying.groupby("ethnic_minority").size())
    assert table.loc["near_poor", ["poor_csgn", "poor_btxh"]].sum() == expected
    newly = t.rates.set_index("rate").loc["newly_poor", "numerator"]
    assert newly == table.loc[["near_poor", "other", "entered"], ["poor_csgn", "poor_btxh"]].to_numpy().sum()


def test_another_seed_moves_other_households_to_the_same_totals():
    made = synthesize_2023(review_2022.shipped_2022(), STANDARD, Calibration.observed(SHIPPED.observed), seed=1)
    assert (made["status_recorded"] == "poor").sum() == 311
    assert (made["status_recorded"] == "near_poor").sum() == 429
    shipped = pd.read_csv(review_2023.OUTPUT, dtype=str, keep_default_na=False)
    assert not made["status_recorded"].fillna("").astype(str).equals(shipped["status_recorded"])


def test_totals_that_cannot_be_met_are_refused():
    with pytest.raises(ValueError, match="cannot give 500 poor"):
        synthesize_2023(review_2022.shipped_2022(), STANDARD, dataclasses.replace(Calibration.observed(SHIPPED.observed), poor=513))
    with pytest.raises(ValueError, match="near-poor"):
        synthesize_2023(review_2022.shipped_2022(), STANDARD, dataclasses.replace(Calibration.observed(SHIPPED.observed), near_poor=20, dtts_near_poor=19))


# --- building blocks ---------------------------------------------------------------------------

def test_apportion_capped_respects_caps_and_total():
    rng = np.random.default_rng(0)
    for _ in range(200):
        caps = rng.integers(0, 30, size=4)
        total = int(rng.integers(0, caps.sum() + 1))
        parts = blocks.apportion_capped(total, rng.uniform(0, 5, size=4), caps)
        assert parts.sum() == total and (parts <= caps).all() and (parts >= 0).all()
    with pytest.raises(ValueError, match="within caps"):
        blocks.apportion_capped(5, [1, 1], [2, 2])


def test_deprivation_blocks_keep_add_and_resolve():
    rng = np.random.default_rng(3)
    flags = (rng.random((300, 12)) < 0.3).astype("int8")
    kept = blocks.keep_deprivations(rng, flags, np.full(300, 2))
    assert (kept <= flags).all() and (kept.sum(axis=1) == np.minimum(flags.sum(axis=1), 2)).all()
    more = blocks.add_deprivations(rng, flags, np.full(300, 5), np.ones(12))
    assert (more >= flags).all() and (more.sum(axis=1) == np.maximum(flags.sum(axis=1), 5)).all()
    resolved = blocks.resolve_deprivations(rng, flags, 0.5)
    assert (resolved <= flags).all() and 0.4 < resolved.sum() / flags.sum() < 0.6
