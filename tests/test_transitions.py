"""camlo.transitions and ProjectionParameters.from_transitions on a hand-made pair of reviews."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo.errors import DataError
from camlo.measures.transitions import AFTER, BEFORE, RATES, transitions
from camlo.targets.projection import ProjectionParameters
from shipped_tables import GOAL

FLAGS = {f"d{j}": 0 for j in range(1, 13)}


def review(rows: list[tuple[str, str, int, str | None]]) -> pd.DataFrame:
    """Records from (household_id, computed status, btxh, recorded status) tuples."""
    ids, status, btxh, recorded = zip(*rows)
    return pd.DataFrame({"household_id": ids, "unit": "Cam Thủy", "btxh": btxh, "status": status,
                         "status_recorded": recorded, **FLAGS})


# h1–h10 in both reviews (h4, h6 leave), h11 and h12 new. The recorded status decides where
# the file carries one: h3 is recorded near-poor though the standard says poor, h8 near-poor
# though it says middle, and h12, which the standard calls near-poor, is not listed (blank).
BEFORE_REVIEW = review([
    ("h1", "poor", 0, "poor"), ("h2", "poor", 0, "poor"), ("h3", "poor", 0, "poor"), ("h4", "poor", 0, "poor"),
    ("h5", "poor", 1, "poor"), ("h6", "poor", 1, "poor"), ("h7", "near_poor", 0, "near_poor"),
    ("h8", "middle", 0, "near_poor"), ("h9", "middle", 0, None), ("h10", "above_middle", 0, None),
])
AFTER_REVIEW = review([
    ("h1", "poor", 0, "poor"), ("h2", "near_poor", 0, "near_poor"), ("h3", "poor", 0, "near_poor"),
    ("h5", "poor", 1, "poor"), ("h7", "near_poor", 0, "poor"), ("h8", "middle", 0, "near_poor"),
    ("h9", "above_middle", 0, None), ("h10", "poor", 1, "poor"), ("h11", "poor", 0, "poor"),
    ("h12", "near_poor", 0, None),
])
# an earlier review in which h7, h8 and h10 were poor (they escaped before BEFORE_REVIEW)
BASELINE_REVIEW = review([
    ("h1", "poor", 0, "poor"), ("h7", "poor", 0, "poor"), ("h8", "poor", 0, "poor"), ("h10", "poor", 0, "poor"),
    ("h9", "middle", 0, None),
])


def test_status_to_status_counts_exactly():
    t = transitions(BEFORE_REVIEW, AFTER_REVIEW)
    assert list(t.table.index) == list(BEFORE) and list(t.table.columns) == list(AFTER)
    assert t.table.values.tolist() == [
        # poor_csgn poor_btxh near_poor other left
        [1, 0, 2, 0, 1],  # poor_csgn: h1 stays; h2, h3 near-poor (h3 recorded); h4 left
        [0, 1, 0, 0, 1],  # poor_btxh: h5 stays; h6 left
        [1, 0, 1, 0, 0],  # near_poor: h7 recorded poor; h8 near-poor
        [0, 1, 0, 1, 0],  # other: h10 poor (BTXH); h9 above middle
        [1, 0, 0, 1, 0],  # entered: h11 poor; h12 not listed
    ]
    assert t.table.values.sum() == len(BEFORE_REVIEW) + 2  # every household once, the entered too
    assert t.table.loc["entered", "left"] == 0


def test_rates_over_the_interval_and_annual():
    t = transitions(BEFORE_REVIEW, AFTER_REVIEW, steps=2)
    rates = t.rates.set_index("rate")
    assert list(rates.index) == list(RATES)
    assert rates.loc["csgn_exit", ["numerator", "denominator", "value"]].tolist() == [3, 4, 0.75]
    assert rates.loc["csgn_exit", "annual"] == pytest.approx(0.5)  # 1 - (1 - 0.75) ** (1 / 2)
    assert rates.loc["btxh_exit", ["numerator", "denominator", "value"]].tolist() == [1, 2, 0.5]
    assert rates.loc["btxh_exit", "annual"] == pytest.approx(1 - math.sqrt(0.5))
    assert rates.loc["newly_poor", ["numerator", "value", "annual"]].tolist() == [3, 3.0, 1.5]
    assert math.isnan(rates.loc["repoor", "value"]) and not rates.loc["repoor", "measured"]
    assert rates.loc["household_growth", ["numerator", "denominator", "value", "annual"]].tolist() == [10, 10, 0, 0]
    assert t.annual_rates().keys() == {"csgn_exit", "btxh_exit", "newly_poor", "household_growth"}


def test_fallen_back_needs_an_earlier_review():
    t = transitions(BEFORE_REVIEW, AFTER_REVIEW, baseline=BASELINE_REVIEW)
    rates = t.rates.set_index("rate")
    # h7, h8, h10 had escaped; h7 and h10 are poor again
    assert rates.loc["repoor", ["numerator", "denominator"]].tolist() == [2, 3]
    assert rates.loc["repoor", "value"] == pytest.approx(2 / 3) and rates.loc["repoor", "measured"]
    assert rates.loc["newly_poor", "numerator"] == 1  # h11: into poverty (3) less fallen back (2)
    # the baseline as the first review: nobody had escaped yet
    same = transitions(BEFORE_REVIEW, AFTER_REVIEW, baseline=BEFORE_REVIEW).rates.set_index("rate")
    assert not same.loc["repoor", "measured"] and same.loc["newly_poor", "numerator"] == 3


def test_the_table_equals_a_loop_over_households():
    rng = np.random.default_rng(3)
    statuses = ["poor", "near_poor", "middle", "above_middle"]

    def random_review(ids):
        return pd.DataFrame({"household_id": ids, "btxh": rng.integers(0, 2, len(ids)),
                             "status": rng.choice(statuses, len(ids)), **FLAGS})

    before = random_review([f"x{i}" for i in range(0, 400)])
    after = random_review([f"x{i}" for i in rng.permutation(np.arange(100, 520))])
    t = transitions(before, after)

    def state(r):
        if r["status"] == "poor":
            return "poor_btxh" if r["btxh"] else "poor_csgn"
        return "near_poor" if r["status"] == "near_poor" else "other"

    first = {r["household_id"]: state(r) for r in before.to_dict("records")}
    second = {r["household_id"]: state(r) for r in after.to_dict("records")}
    counted: dict[tuple[str, str], int] = {}
    for hid in first.keys() | second.keys():
        key = (first.get(hid, "entered"), second.get(hid, "left"))
        counted[key] = counted.get(key, 0) + 1
    for b in BEFORE:
        for a in AFTER:
            assert t.table.loc[b, a] == counted.get((b, a), 0), (b, a)


def test_projection_parameters_from_measured_rates():
    t = transitions(BEFORE_REVIEW, AFTER_REVIEW, steps=2)
    base = ProjectionParameters(repoor=0.1)
    params = ProjectionParameters.from_transitions(t, base=base)
    assert params.csgn_exit == pytest.approx(0.5)
    assert params.btxh_exit == pytest.approx(1 - math.sqrt(0.5))
    assert params.newly_poor == 1.5 and params.household_growth == 0
    assert params.repoor == 0.1  # not measured: kept from base
    measured = ProjectionParameters.from_transitions(transitions(BEFORE_REVIEW, AFTER_REVIEW, baseline=BASELINE_REVIEW))
    assert measured.repoor == pytest.approx(2 / 3)
    assert camlo.project_poverty(GOAL, params=params, n_paths=100).poor.shape == (100, 5)


def test_bad_reviews_are_named():
    duplicated = pd.concat([BEFORE_REVIEW, BEFORE_REVIEW.iloc[[2]]], ignore_index=True)
    with pytest.raises(DataError, match="row 'record 11', column 'household_id'.*first review"):
        transitions(duplicated, AFTER_REVIEW)
    with pytest.raises(DataError, match="column 'btxh'"):
        transitions(BEFORE_REVIEW, AFTER_REVIEW.drop(columns="btxh"))
    broken = AFTER_REVIEW.assign(btxh=AFTER_REVIEW["btxh"].replace({1: 2}))
    with pytest.raises(DataError, match="row 'record 4', column 'btxh'.*second review"):
        transitions(BEFORE_REVIEW, broken)
    with pytest.raises(DataError, match="row 'record 2', column 'household_id'"):
        transitions(BEFORE_REVIEW.assign(household_id=["h1", None, *BEFORE_REVIEW["household_id"][2:]]),
                    AFTER_REVIEW)
    for steps in (0, 1.5, True):
        with pytest.raises(ValueError, match="steps"):
            transitions(BEFORE_REVIEW, AFTER_REVIEW, steps=steps)
