"""The rates the observed fall implies, and the projection that carries their uncertainty.

Every value is checked against one worked out here by another route: the net fall in closed form
and by sampling its beta posterior, the probability per draw against the exact convolution of two
binomials, the housing bound and the households' growth by hand from the printed counts.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace

import numpy as np
import pytest
from scipy.stats import binom

from camlo.answers import records as records_answer
from camlo.answers import targets as targets_answer
from camlo.answers.targets import housing_union
from camlo.clean.context import load_district_rates
from camlo.clean.plan_tables import load_plan_tables
from camlo.paths import DATA_RAW
from camlo.targets.estimate import (
    continue_paths,
    fit_rates,
    implied_fall,
    implied_growth,
    implied_households,
    probability_over_rates,
)
from camlo.targets.pace import pace_comparison
from camlo.targets.plan import plan_goal
from camlo.targets.projection import ObservedStart, ProjectionParameters
from camlo.targets.sensitivity import sensitivity_matrix, tornado_table
from camlo.text.numbers import format_probability
from camlo.text.sentences import CATALOG

TABLES = load_plan_tables()
GOAL = plan_goal(TABLES.headline, TABLES.targets)
STILL = ProjectionParameters(newly_poor=0.0, repoor=0.0)


@pytest.fixture(scope="module")
def answer03():
    return targets_answer.run({"n_paths": 4_000, "sensitivity_paths": 600, "draws": 200_000, "continuations": 20})


def test_the_implied_fall_is_the_closed_form_with_a_beta_interval():
    for steps in (2, 3):
        fall = implied_fall(453, 311, steps)
        assert fall.central == pytest.approx(1 - (311 / 453) ** (1 / steps))
        # the interval by another route: the beta posterior sampled, each draw turned into a rate
        share = np.random.default_rng(1).beta(312, 143, 400_000)
        low, high = np.quantile(1 - share ** (1 / steps), (0.05, 0.95))
        assert (fall.low, fall.high) == pytest.approx((low, high), abs=0.002)
        assert fall.low < fall.central < fall.high
    assert implied_fall(453, 311, 2).central == pytest.approx(0.1714, abs=5e-5)  # "about 17% a year"
    with pytest.raises(ValueError):
        implied_fall(311, 453, 2)


def test_every_kept_draw_reaches_the_count_and_keeps_what_the_counts_say():
    fit = fit_rates(GOAL, ObservedStart(step=2, poor=311), STILL, draws=100_000)
    draws = fit.draws
    assert fit.kept > 100
    assert ((draws["csgn"] + draws["btxh"]) == 311).all()
    # with no newly poor and no re-poor: CSGN households only leave, and every one that left escaped
    assert ((draws["csgn"] + draws["escaped"]) == 108).all()
    assert (draws["btxh"] <= 345 - 34).all()  # at least 34 BTXH households left (453 − 311 − 108)
    assert draws["btxh"].min() < draws["btxh"].max()  # the split is uncertain, not fixed
    again = fit_rates(GOAL, ObservedStart(step=2, poor=311), STILL, draws=100_000)
    assert again.draws.equals(draws)


def _exact(csgn: int, btxh: int, c: float, b: float, left: int, target: int) -> float:
    """P(survivors of both groups after ``left`` steps <= target), survivors binomial, convolved."""
    p_c = binom.pmf(np.arange(csgn + 1), csgn, (1 - c) ** left)
    p_b = binom.pmf(np.arange(btxh + 1), btxh, (1 - b) ** left)
    return float(np.convolve(p_c, p_b)[: target + 1].sum())


@pytest.mark.parametrize("own", [True, False])
def test_the_probability_and_its_range_match_the_exact_binomials(own):
    """With no inflow the survivors of each group are binomial: each draw's probability is exact by convolution."""
    start = ObservedStart(step=2, poor=400)
    fit = fit_rates(GOAL, start, STILL, draws=100_000)
    rates = None if own else replace(STILL, csgn_exit=0.15, btxh_exit=0.04)
    run = continue_paths(fit, rates, continuations=400)
    draws = fit.draws.head(60) if own else fit.draws
    exact = np.array([_exact(int(d.csgn), int(d.btxh), d.csgn_exit if own else 0.15, d.btxh_exit if own else 0.04,
                             2, 345) for d in draws.itertuples()])
    simulated = run.probabilities[: len(draws)]
    assert np.abs(simulated - exact).max() < 0.1  # 400 paths a draw: within about 4 standard errors
    if not own:
        assert run.probability == pytest.approx(exact.mean(), abs=0.01)
        low, _, high = run.probability_range()
        exact_low, exact_high = np.quantile(exact, (0.05, 0.95))
        assert (low, high) == pytest.approx((exact_low, exact_high), abs=0.06)
        assert 0 < low < high


def test_the_range_at_rates_fixed_at_the_intervals_ends_is_what_a_direct_simulation_gives():
    """The measured projection's range: rates at each end give the probabilities a plain simulation gives."""
    start = ObservedStart(step=2, poor=360)
    params = replace(STILL, btxh_exit=0.02)
    ends = {"csgn_exit": np.array([0.05, 0.6])}
    got = probability_over_rates(GOAL, start, params, ends, continuations=4_000)
    # split as the projection splits it: BTXH 345 × 0.98² = 331, CSGN 29
    direct = [_exact(29, 331, c, 0.02, 2, 345) for c in ends["csgn_exit"]]
    assert got == pytest.approx(direct, abs=0.03)
    assert got[0] < got[1]


def test_the_sensitivity_from_the_uncertain_split_is_not_inert():
    fit = fit_rates(GOAL, ObservedStart(step=2, poor=311), ProjectionParameters(), draws=200_000)
    matrix = sensitivity_matrix(GOAL, fit=fit, n_paths=2_000).table
    assert matrix.max().max() - matrix.min().min() > 50  # the grid spans plausible inflows
    tornado = tornado_table(GOAL, fit=fit, n_paths=2_000)
    assert (tornado["swing"] > 0).any() and tornado.iloc[0]["swing"] > 0.2
    # several dozen newly poor a year can use up the margin (the order: 65% at 25, 27% at 30)
    assert matrix.loc[0.4, 60.0] < 0.5 * 100 < matrix.loc[0.4, 0.0]


def test_the_housing_union_bound_by_hand():
    """T05: per unit at least the larger of the two housing counts and at most their sum, capped at the poor."""
    with (DATA_RAW / "phu_luc_2.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle)][2:]
    units = [row for row in rows if row[0].strip().isdigit()]
    poor = [int(row[2]) for row in units]
    quality = [int(row[3 + 6] or 0) for row in units]  # indicator 7
    area = [int(row[3 + 7] or 0) for row in units]  # indicator 8
    low = sum(max(a, b) for a, b in zip(quality, area))
    high = sum(min(a + b, q) for a, b, q in zip(quality, area, poor))
    assert (low, high) == (64, 86)
    assert housing_union(TABLES.deprivations) == {"quality": sum(quality), "area": sum(area), "low": low, "high": high}


def test_the_households_growth_from_the_observed_totals(answer03):
    households = 311 / 0.0209  # the end-of-2023 review's poor households over its printed rate
    assert implied_households(311, 2.09) == pytest.approx(households)
    assert round(households) == 14880
    growth = (households / 14905) ** 0.5 - 1
    assert implied_growth(14905, households, 2) == pytest.approx(growth)
    assert answer03.values["household_growth"]["value"] == pytest.approx(growth)
    assert answer03.params["household_growth"] == pytest.approx(growth)
    assert "about 14,880 households" in answer03.text["band"].text("en")


def test_the_districts_own_pace_beside_the_provinces():
    table = pace_comparison(targets_answer.load_poverty_rates(), GOAL, load_district_rates()).table.set_index("key")
    observed = table.loc["cam_lo"]
    assert observed["relative_fall_pct"] == pytest.approx(100 * (1 - (2.09 / GOAL.baseline_rate_pct) ** 0.5))
    assert round(observed["relative_fall_pct"]) == 17
    assert observed["fall_pp"] == pytest.approx((GOAL.baseline_rate_pct - 2.09) / 2)
    assert (table.loc["quang_tri", "to_year"], observed["to_year"]) == (2023, 2023)  # rates of the same date


def test_the_answer_says_the_observation_lies_below_every_baseline_path(answer03):
    reach = answer03.values["baseline_reach"]
    assert reach["reaching"] == 0 and reach["lowest"] > 311
    text = answer03.text["projection"].text("en")
    assert f"none of the {reach['paths']:,} simulated paths reaches as low as the 311" in text
    assert f"the lowest reaches {reach['lowest']}" in text
    assert "cautious" not in text and "reject the assumed exit rates" in text
    fall = answer03.values["implied_fall"]
    assert f"net fall of {100 * fall.central:.1f}% a year" in text
    assert "Read as the end-of-2024 review" in text


_CERTAIN = re.compile(r"(?<![\d.,])(100|0)[.,]0+\s?%")
_PROBABILITY_FIELD = re.compile(r"\{(\w*(?:prob|p_measured|p_assumed|probability)\w*|p\d\d|q\d\d|low|high|median"
                                r"|assumed)(?::([^}]*))?\}")


def _texts(answer, keys):
    """The sentences that state a probability: the projection's parts, and the finding."""
    parts = [answer.text[key] for key in keys if key in answer.text] + [answer.finding]
    return [part.text(lang) for part in parts for lang in ("en", "vi")]


def test_no_sentence_of_03_or_04_prints_a_probability_as_certain(answer03):
    records = records_answer.run({"n_paths": 2_000})
    texts = _texts(answer03, ("projection", "sensitivity")) + _texts(records, ("transitions", "answers"))
    assert sum("%" in text for text in texts) >= 6
    for text in texts:
        assert not _CERTAIN.search(text), _CERTAIN.search(text).group(0)
    assert "above 99%" in answer03.finding.text("en") and "trên 99%" in answer03.finding.text("vi")
    # and by construction: every probability a 03 or projection sentence names is written with ``prob``
    for key, texts in CATALOG.items():
        if key.startswith("t03_") or key in ("r04_projection", "r04_answer_transitions"):
            for field, spec in _PROBABILITY_FIELD.findall(texts["en"]):
                if "prob" in field or field.startswith("p_") or field in ("p25", "p30", "q25", "q30"):
                    assert (spec or "").startswith("prob"), (key, field, spec)


def test_a_probability_near_an_extreme_says_so_in_both_languages():
    assert format_probability(0.9996, "en", 1) == "above 99%" and format_probability(0.0004, "vi") == "dưới 1%"
    assert format_probability(0.5, "en", 1) == "50.0%"
