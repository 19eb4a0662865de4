"""Households the quick identification excluded: counted among households, never poor, no deprivations.

One small review of Thanh An, worked out by hand (rural lines of Decree 07/2021: poor at or below
1,500,000 VND, middle income to 2,250,000; poor with 3 or more of the 12 deprivations):

=========  ==========  ============  ==============
household  income      deprived in   status
=========  ==========  ============  ==============
1          1,000,000   d1, d2, d3    poor
2          1,000,000   d1            near-poor
3          2,000,000   d1, d2        middle income
4          (excluded)  —             excluded
5          (excluded)  —             excluded
6          4,000,000   d4            above middle
=========  ==========  ============  ==============

Six households, four surveyed, two excluded. H = 1/6 (over all six); A = 3/12; M0 = 1/24; the
uncensored rate of d1 = 3/4 (over the four surveyed), of d4 = 1/4; the censored rate of d1 = 1/6.
By deprivations alone, k = 1 identifies households 1, 2, 3, 6 (H = 4/6) and k = 2 households 1, 3
(H = 2/6). The scores: one surveyed household at each of 3 (poor), 1 (near-poor), 2 (middle) and
1 (above middle), each a quarter of those surveyed. Deprived in both d1 and d2: households 1 and 3,
of 3 deprived in d1 and 2 in d2 among the 4 surveyed: R0 = 2/2, expected 3 × 2 / 4 = 1.5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import camlo
from camlo import DataError
from camlo.answers import records as nb04
from camlo.measures.af_records import OFFICIAL, af_from_records
from camlo.measures.patterns import OFFICIAL_STATUSES, official_status, pattern_counts
from camlo.measures.scores import co_deprivation, score_distribution
from camlo.text.numbers import LANGS
from shipped_tables import STANDARD

FLAGS = [f"d{j}" for j in range(1, 13)]
DEPRIVED = [["d1", "d2", "d3"], ["d1"], ["d1", "d2"], [], [], ["d4"]]


def review() -> pd.DataFrame:
    """The review of the module's table, as a records file would carry it."""
    return pd.DataFrame({
        "household_id": [f"H{i}" for i in range(1, 7)], "unit": ["Thanh An"] * 6, "members": [3] * 6,
        "income_per_person": [1_000_000, 1_000_000, 2_000_000, None, None, 4_000_000],
        **{f: [int(f in row) for row in DEPRIVED] for f in FLAGS},
        "ethnic_minority": [0] * 6, "btxh": [0] * 6, "excluded": [0, 0, 0, 1, 1, 0]})


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    path = tmp_path_factory.mktemp("excluded") / "records.csv"
    review().to_csv(path, index=False)
    return camlo.classify(camlo.load_records(path), STANDARD)


def value(measures: pd.DataFrame, measure: str, k=OFFICIAL, indicator=None) -> float:
    rows = measures[(measures["unit"] == "district") & (measures["measure"] == measure)
                    & measures["k"].map(lambda v: v == k and type(v) is type(k))]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_the_classification_is_the_hand_worked_one(classified):
    assert classified["status"].tolist() == ["poor", "near_poor", "middle", "excluded", "excluded", "above_middle"]
    assert [OFFICIAL_STATUSES[c] for c in official_status(classified)] == classified["status"].tolist()


def test_h_is_over_all_households_and_the_deprivation_rates_over_those_surveyed(classified):
    measures = af_from_records(classified, camlo.indicators())
    assert measures.attrs["over"] == {"households": 6, "surveyed": 4, "excluded": 2}
    assert value(measures, "H") == pytest.approx(1 / 6)
    assert value(measures, "A") == pytest.approx(3 / 12)
    assert value(measures, "M0") == pytest.approx(1 / 24)
    assert value(measures, "hd", indicator=1) == pytest.approx(3 / 4)
    assert value(measures, "hd", indicator=4) == pytest.approx(1 / 4)
    assert value(measures, "hdk", indicator=1) == pytest.approx(1 / 6)
    assert value(measures, "H", k=1) == pytest.approx(4 / 6)
    assert value(measures, "H", k=2) == pytest.approx(2 / 6)
    # the contributions still add up to M0 (the censored rates are over all households)
    actb = measures[(measures["unit"] == "district") & (measures["k"] == OFFICIAL) & (measures["measure"] == "actb")]
    assert actb["value"].sum() == pytest.approx(1 / 24)
    over = measures.drop_duplicates("measure").set_index("measure")["over"]
    assert (over["H"], over["M0"], over["A"], over["hd"], over["hd_dim"], over["hdk"]) == (
        "households", "households", "poor", "surveyed", "surveyed", "households")


def test_scores_are_over_the_households_surveyed(classified):
    scores = score_distribution(classified, camlo.indicators())
    district = scores[(scores["unit"] == "district") & (scores["households"] > 0)]
    assert district[["deprivations", "status", "households", "share"]].values.tolist() == [
        [1, "near_poor", 1, 0.25], [1, "above_middle", 1, 0.25], [2, "middle", 1, 0.25], [3, "poor", 1, 0.25]]
    assert "excluded" not in set(scores["status"])
    assert scores.attrs["over"] == {"households": 6, "surveyed": 4, "excluded": 2}


def test_co_deprivation_is_over_the_households_surveyed(classified):
    pairs = co_deprivation(classified, camlo.indicators(), status=None)
    pair = pairs[(pairs["indicator_j"] == 1) & (pairs["indicator_k"] == 2)].iloc[0]
    assert (pair["households"], pair["deprived_j"], pair["deprived_k"], pair["both"]) == (4, 3, 2, 2)
    assert (pair["r0"], pair["expected_both"]) == (1.0, 1.5)
    assert pairs.attrs["over"] == {"households": 6, "surveyed": 4, "excluded": 2}
    with pytest.raises(ValueError, match="excluded household has no deprivations"):
        co_deprivation(classified, camlo.indicators(), status="excluded")


def test_an_excluded_households_flags_are_not_counted(classified):
    flagged = classified.assign(d5=[0, 0, 0, 1, 0, 0])  # a frame not from the loader
    _, _, counts = pattern_counts(flagged, camlo.indicators())
    assert counts[0, OFFICIAL_STATUSES.index("excluded"), 0] == 2 and counts[0, :, 1 << 4].sum() == 0


def test_an_excluded_household_recorded_poor_is_refused(classified):
    recorded = classified.assign(status_recorded=["poor", "near_poor", "", "poor", "", ""])
    with pytest.raises(DataError, match="excluded cannot be recorded poor") as caught:
        official_status(recorded)
    assert "record 4" in str(caught.value) and "H4" not in str(caught.value)
    blank = recorded.assign(status_recorded=["poor", "near_poor", "", "", "", ""])
    assert [OFFICIAL_STATUSES[c] for c in official_status(blank)][3:5] == ["excluded", "excluded"]


def test_a_scored_household_above_the_line_is_counted_not_poor():
    frame = pd.DataFrame({"unit": ["Thanh An"] * 2, "area": ["rural"] * 2, "income_score": [120.0, 160.0],
                          **{f: [1, 1] for f in FLAGS}})
    classified = camlo.classify(frame, STANDARD)
    measures = af_from_records(classified, camlo.indicators())
    assert classified["status"].tolist() == ["poor", "above_poor_line"]
    assert value(measures, "H") == 0.5 and measures.attrs["over"]["excluded"] == 0
    scores = score_distribution(classified, camlo.indicators())
    assert scores.query("unit == 'district' and households > 0")["status"].tolist() == ["poor", "above_poor_line"]


def test_the_answer_says_over_which_households_each_measure_is(tmp_path):
    path = tmp_path / "records.csv"
    review().to_csv(path, index=False)
    answer = nb04.run({"records_path": str(path), "n_paths": 300})
    assert (answer.values["households"], answer.values["over_surveyed"], answer.values["over_excluded"]) == (6, 4, 2)
    assert answer.tables["measures_by_k"].set_index("unit").loc["district", "H"] == pytest.approx(1 / 6)
    for section in ("scores", "by_k", "overlaps", "decomposition"):
        en, vi = (answer.text[section].text(lang) for lang in LANGS)
        assert "H and M0 are over all 6 households, the 2 that the quick identification excluded" in en, section
        assert "over the 4 households the review surveyed" in en, section
        assert "toàn bộ 6 hộ, kể cả 2 hộ bị loại ở bước nhận diện nhanh" in vi and "trên 4 hộ được rà soát" in vi
    surveyed_only = tmp_path / "surveyed.csv"
    review().drop(index=[3, 4]).drop(columns="excluded").to_csv(surveyed_only, index=False)
    plain = nb04.run({"records_path": str(surveyed_only), "n_paths": 300})
    assert not any("quick identification" in part.text("en") for part in plain.text.values())
    assert np.isclose(plain.tables["measures_by_k"].set_index("unit").loc["district", "H"], 1 / 4)
