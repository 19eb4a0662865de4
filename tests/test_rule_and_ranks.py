"""Issue 22's readings of notebook 02, each against a value worked out here by another route.

- the score bounds under Decree 07's rule against every arrangement of small cases, and on the
  plan's counts against the hand rule "each deprivation beyond 3 lifts at most one household";
- the rank stability under random weights against a loop over the same draws and against the
  same distribution drawn another way (normalised exponentials);
- the units' shares of each indicator's deprivations and the deviations both ways by hand from
  the printed counts.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from camlo.answers import deprivation
from camlo.measures import bounds, profiles, ranks
from camlo.report.workbook import sheets_for
from shipped_tables import COUNTS, MEASURES, SHIPPED
from test_tables import PHU_LUC_2

ANSWER = deprivation.run()
#: Phụ lục 2 as printed: poor households and the 12 counts, per unit (transcribed once, in test_tables).
PRINTED = PHU_LUC_2
HOUSEHOLDS = {"Thanh An": 2693, "TT Cam Lộ": 2095, "Cam Thành": 2223, "Cam Thủy": 1489, "Cam Nghĩa": 1667,
              "Cam Tuyên": 1481, "Cam Chính": 1466, "Cam Hiếu": 1791}


def test_the_printed_counts_are_the_shipped_ones():
    for unit, (q, d) in PRINTED.items():
        assert COUNTS.loc[unit, "q"] == q and COUNTS.loc[unit, list(range(1, 13))].tolist() == d


# --- The score bounds under the rule, against every arrangement ------------------------------------


def every_score_list(counts, q):
    """The households' scores of every arrangement: each indicator's deprived households chosen."""
    for columns in itertools.product(*(itertools.combinations(range(q), c) for c in counts)):
        scores = [0] * q
        for chosen in columns:
            for h in chosen:
                scores[h] += 1
        yield scores


def brute_range(counts, q, scores, floor, short):
    kept = [sum(s in scores for s in row) for row in every_score_list(counts, q)
            if sum(s < floor for s in row) <= short]
    return (min(kept), max(kept)) if kept else None


CASES = [([2, 2, 2], 2), ([1, 1, 1], 3), ([3, 1, 2, 1], 3), ([4, 3, 3, 2], 4), ([1, 2, 2, 1], 4),
         ([3, 3, 3, 3], 4), ([2, 0, 3, 1], 3), ([4, 4, 1, 0], 4)]
random.seed(7)
CASES += [([random.randint(0, q) for _ in range(4)], q) for q in (3, 4) for _ in range(6)]


@pytest.mark.parametrize("counts,q", CASES)
@pytest.mark.parametrize("floor,short", [(0, 0), (3, 0), (3, 1), (2, 0)])
def test_score_range_is_attained_by_some_arrangement_and_never_beaten(counts, q, floor, short):
    for scores in ([3], [2], range(3, 5), [0, 1, 2]):
        assert bounds.score_range(counts, q, scores, floor=floor, short=short) == \
            brute_range(counts, q, set(scores), floor, short), (scores, floor, short)


def test_under_the_rule_each_deprivation_beyond_three_lifts_one_household():
    """On the plan's counts, where 3 each is possible (D >= 3q), exactly 3 is at least q - (D - 3q)
    = 4q - D and more than 3 at most D - 3q, and both are attained."""
    rule = ANSWER.tables["rule"]
    holds = {u: sum(d) >= 3 * q for u, (q, d) in PRINTED.items()}
    assert [u for u, ok in holds.items() if not ok] == ["Thanh An", "Cam Chính"]  # 313 < 318, 51 < 54
    assert rule.loc[list(PRINTED), "rule_holds"].to_dict() == holds
    hand = {u: 4 * q - sum(d) for u, (q, d) in PRINTED.items() if holds[u]}
    assert hand == {"TT Cam Lộ": 23, "Cam Thành": 28, "Cam Thủy": 56, "Cam Nghĩa": 23, "Cam Tuyên": 50,
                    "Cam Hiếu": 29}
    for unit, value in hand.items():
        q, d = PRINTED[unit]
        assert rule.loc[unit, "exactly_min"] == value and rule.loc[unit, "more_max"] == sum(d) - 3 * q
    assert sum(hand.values()) == 209 == rule.loc["district", "exactly_min"]
    assert sum(PRINTED[u][0] for u in hand) == 329


def test_where_the_rule_fails_the_bound_without_it_is_used():
    rule = ANSWER.tables["rule"]
    for unit in ("Thanh An", "Cam Chính"):
        q, d = PRINTED[unit]
        assert bounds.score_range(d, q, [3], floor=3) is None
        assert (rule.loc[unit, "exactly_min"], rule.loc[unit, "exactly_max"]) == bounds.score_range(d, q, [3])
        assert rule.loc[unit, "fewer_min"] >= 1  # 3q - D > 0 deprivations are missing, so someone falls short
    assert rule.loc["district", "nearest_min"] == rule.loc[list(PRINTED), "nearest_min"].sum()
    assert 320 <= rule.loc["district", "nearest_min"] <= 340  # the "about 330 of 453"


def test_the_sentences_state_the_rule_and_the_insurance_cards():
    text = ANSWER.text["rule"].text("en")
    assert "at least 209 of them have exactly 3 deprivations" in text and "Thanh An and Cam Chính" in text
    assert "at least 209 of the 453 poor households (46%)" in text
    assert "cannot say how deprivation is spread" not in ANSWER.text["cutoff_bounds"].text("en")
    # cards: per unit max(0, exactly-3 + deprived in insurance - poor), the two failing units at 0
    hand = sum(max(0, (4 * q - sum(d)) + d[3] - q) for q, d in PRINTED.values() if sum(d) >= 3 * q)
    assert hand == 23 + 14 + 35 + 5 + 6 + 14 == 97
    insurance = ANSWER.text["insurance"].text("en")
    assert f"at least {hand} poor households have exactly 3 deprivations, one of them health insurance" in insurance
    assert "card had not yet been issued" in insurance and "290 of the 453 poor households (64%)" in insurance
    assert ANSWER.values["insurance_cards_exactly_min"] == hand
    vi = ANSWER.text["rule"].text("vi")
    assert "ít nhất 209 hộ thiếu hụt đúng 3 chỉ số" in vi


def test_the_m0_is_said_to_be_the_official_identification_where_first_shown():
    first = ANSWER.text["af"].text("en").split("\n\n")[0]
    assert "not the Alkire–Foster M0 at k = 3" in first and "households, not persons" in first


# --- Rank stability -------------------------------------------------------------------------------


def m0_by_loop(weights):
    return {u: sum(w * x for w, x in zip(weights, d)) / HOUSEHOLDS[u] for u, (_, d) in PRINTED.items()}


def order(m0):
    return sorted(m0, key=lambda u: (-m0[u], list(PRINTED).index(u)))


def test_rank_stability_matches_a_loop_over_the_same_draws():
    draws = 2000
    rng = np.random.default_rng(ranks.RANK_SEED)
    weights = rng.dirichlet(np.ones(12), size=draws)
    equal = order(m0_by_loop([1 / 12] * 12))
    kept = dict.fromkeys(PRINTED, 0)
    for w in weights:
        ranked = order(m0_by_loop(w))
        for u in PRINTED:
            kept[u] += ranked.index(u) == equal.index(u)
    table = ranks.rank_stability(COUNTS, SHIPPED.indicators, draws=draws)
    assert table["rank_equal"].to_dict() == {u: equal.index(u) + 1 for u in PRINTED}
    assert table["keeps"].to_dict() == pytest.approx({u: n / draws for u, n in kept.items()})


def test_ranks_under_the_same_distribution_drawn_another_way():
    """Uniform weights over the simplex are normalised exponentials: the shares agree within noise."""
    rng = np.random.default_rng(1)
    raw = rng.exponential(size=(20_000, 12))
    weights = raw / raw.sum(axis=1, keepdims=True)
    rates = np.array([[x / HOUSEHOLDS[u] for x in d] for u, (_, d) in PRINTED.items()])
    m0 = weights @ rates.T
    units = list(PRINTED)
    swap = float((m0[:, units.index("Thanh An")] < m0[:, units.index("Cam Thủy")]).mean())
    assert 0.35 < swap < 0.65
    assert ANSWER.values["rank_swap_share"] == pytest.approx(swap, abs=0.03)
    assert ANSWER.values["rank_swap_units"] == ["Thanh An", "Cam Thủy"]
    top = float((m0.argmax(axis=1) == units.index("Cam Tuyên")).mean())
    assert ANSWER.tables["ranks"].loc["Cam Tuyên", "keeps"] == pytest.approx(top, abs=0.01)
    text = ANSWER.text["ranks"].text("en")
    assert f"swap places in {ANSWER.values['rank_swap_share']:.0%} of the draws" in text


def test_equal_and_nested_weights_rank_alike():
    table = ANSWER.tables["ranks"]
    assert (table["rank_equal"] == table["rank_dimension"]).all()


# --- Unit shares and deviations both ways ----------------------------------------------------------


def test_unit_shares_by_hand():
    shares = profiles.unit_share_matrix(COUNTS)
    district = [sum(PRINTED[u][1][j] for u in PRINTED) for j in range(12)]
    for u, (_, d) in PRINTED.items():
        for j in range(12):
            assert shares.loc[u, j + 1] == pytest.approx(d[j] / district[j])
    assert round(32 / 46, 3) == 0.696 and 39 / 60 == 0.65
    text = ANSWER.text["unit_shares"].text("en")
    assert "70% of those deprived in adult education (32 of 46" in text
    assert "65% of those deprived in housing area per person (39 of 60" in text


def test_deviations_both_ways_by_hand():
    both = profiles.deviations_both_ways(MEASURES).set_index("unit")
    q, d = PRINTED["Thanh An"]
    district_q = sum(p for p, _ in PRINTED.values())
    district = [sum(PRINTED[u][1][j] for u in PRINTED) for j in range(12)]
    gaps = [100 * (d[j] / q - district[j] / district_q) for j in range(12)]
    assert both.loc["Thanh An", "excess_indicator"] == 1 + gaps.index(max(gaps)) == 2
    assert both.loc["Thanh An", "shortfall_indicator"] == 1 + gaps.index(min(gaps)) == 10
    assert both.loc["Thanh An", "shortfall_pp"] == pytest.approx(min(gaps))
    text = ANSWER.text["deviations"].text("en")
    assert text.startswith("For Thanh An, Cam Tuyên and Cam Chính the largest difference")


def test_the_office_tables_say_dependants_are_no_offices_direct_workload():
    for name in ("office_workload", "district_workload"):
        assert "no office's direct workload" in ANSWER.tables[name].note.text("en")


def test_recommendations_and_checks_are_tied_to_figures_and_offices():
    rec = ANSWER.text["recommendations"].text("en")
    assert "(Health office and district Social Insurance): 290 poor households" in rec and "at least 97" in rec
    assert "(Culture and Information): 294 poor households (65%)" in rec
    assert "No cost-effectiveness can be computed from the plan" in rec
    checks = ANSWER.text["checks"].text("en")
    assert "at least 4 poor households there have fewer than 3 deprivations" in checks  # 2 + 2, the audit's units


def test_the_workbook_rule_sheet_holds_the_bounds():
    sheet = next(s for s in sheets_for(ANSWER) if s.title == "wb_rule_title")
    total = sheet.frame.iloc[-1]
    assert (total["q"], total["exactly_min"], total["nearest_min"]) == (453, 209, ANSWER.values["exactly_cutoff_nearest_min"])
