"""The Monte Carlo projection: reproducible from its seed, validated parameters, sane dynamics."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from camlo.clean.plan_tables import load_plan_tables
from camlo.targets.plan import plan_goal
from camlo.targets.projection import (
    DEFAULT_SEED,
    ProjectionParameters,
    project_poverty,
)
from camlo.targets.sensitivity import (
    sensitivity_grid,
    sensitivity_matrix,
    sensitivity_oneway,
    tornado_table,
)

TABLES = load_plan_tables()
GOAL = plan_goal(TABLES.headline, TABLES.targets)


def test_same_seed_gives_identical_paths():
    a = project_poverty(GOAL, seed=7, n_paths=5_000)
    b = project_poverty(GOAL, seed=7, n_paths=5_000)
    assert np.array_equal(a.poor, b.poor) and np.array_equal(a.csgn, b.csgn)
    assert a.quantiles().equals(b.quantiles())
    assert a.probability_target_met == b.probability_target_met


def test_another_seed_gives_other_paths():
    a = project_poverty(GOAL, seed=7, n_paths=5_000)
    c = project_poverty(GOAL, seed=8, n_paths=5_000)
    assert not np.array_equal(a.poor, c.poor)


def test_default_run_is_reproducible_to_the_household():
    run = project_poverty(GOAL)
    assert run.seed == DEFAULT_SEED and run.n_paths == 100_000
    again = project_poverty(GOAL)
    assert np.array_equal(run.poor, again.poor)
    assert run.summary() == again.summary()


def test_shapes_baseline_and_bounds():
    run = project_poverty(GOAL, n_paths=2_000)
    assert run.poor.shape == run.csgn.shape == (2_000, 5)
    assert (run.poor[:, 0] == 453).all() and (run.csgn[:, 0] == 108).all()
    assert (run.poor >= 0).all() and (run.csgn <= run.poor).all()
    btxh = run.poor - run.csgn
    assert (np.diff(btxh, axis=1) <= 0).all()  # BTXH households only leave
    assert run.households[0] == 14905 and run.households[-1] == pytest.approx(14905 * 1.01 ** 4)
    with pytest.raises(ValueError):
        run.poor[0, 0] = 0  # results are read-only


def test_everyone_able_escapes_and_nothing_else_moves():
    params = ProjectionParameters(csgn_exit=1.0, btxh_exit=0.0, newly_poor=0.0, repoor=0.0)
    run = project_poverty(GOAL, params=params, n_paths=500)
    assert (run.poor[:, 1:] == 345).all()  # the plan's reading: all 108 CSGN leave, BTXH stay
    assert run.probability_target_met == 1.0


def test_nothing_moves():
    params = ProjectionParameters(csgn_exit=0.0, btxh_exit=0.0, newly_poor=0.0, repoor=0.0)
    run = project_poverty(GOAL, params=params, n_paths=500)
    assert (run.poor == 453).all() and run.probability_target_met == 0.0


def test_mean_matches_the_closed_form_without_inflows():
    params = ProjectionParameters(csgn_exit=0.3, btxh_exit=0.05, newly_poor=0.0, repoor=0.0)
    run = project_poverty(GOAL, params=params, n_paths=50_000)
    expected = [108 * 0.7 ** k + 345 * 0.95 ** k for k in range(5)]
    assert run.poor.mean(axis=0) == pytest.approx(expected, abs=0.15)


def test_newly_poor_add_their_poisson_mean():
    params = ProjectionParameters(csgn_exit=0.0, btxh_exit=0.0, newly_poor=6.0, repoor=0.0)
    run = project_poverty(GOAL, params=params, n_paths=50_000)
    assert run.poor[:, -1].mean() == pytest.approx(453 + 4 * 6, abs=0.1)


def test_repoor_only_affects_those_who_escaped():
    base = ProjectionParameters(csgn_exit=0.5, btxh_exit=0.0, newly_poor=0.0, repoor=0.0)
    more = ProjectionParameters(csgn_exit=0.5, btxh_exit=0.0, newly_poor=0.0, repoor=0.2)
    assert (project_poverty(GOAL, params=more, n_paths=20_000).poor[:, -1].mean()
            > project_poverty(GOAL, params=base, n_paths=20_000).poor[:, -1].mean() + 5)
    still = ProjectionParameters(csgn_exit=0.0, btxh_exit=0.3, newly_poor=0.0, repoor=0.9)
    assert (project_poverty(GOAL, params=still, n_paths=500).csgn == 108).all()  # BTXH exits never fall back


def test_quantiles_and_probability():
    run = project_poverty(GOAL, n_paths=20_000)
    table = run.quantiles()
    assert table.columns.tolist() == ["step", "year", "reference_point", "households", "mean",
                                      "p05", "p25", "p50", "p75", "p95"]
    assert table["step"].tolist() == [0, 1, 2, 3, 4]
    assert table.loc[4, "p50"] == np.quantile(run.poor[:, -1], 0.5)
    assert (table[["p05", "p25", "p50", "p75", "p95"]].diff(axis=1).iloc[:, 1:] >= 0).all().all()
    for step in range(5):  # every quantile of every step, against numpy on the paths
        expected = np.quantile(run.poor[:, step], [0.05, 0.25, 0.5, 0.75, 0.95])
        assert table.loc[step, ["p05", "p25", "p50", "p75", "p95"]].tolist() == expected.tolist()
    assert run.probability_target_met == pytest.approx((run.poor[:, -1] <= 345).mean())
    assert 0 < run.probability_target_met < 1


def test_household_growth_moves_the_rate_not_the_count():
    a = project_poverty(GOAL, params=ProjectionParameters(household_growth=0.0), n_paths=2_000)
    b = project_poverty(GOAL, params=ProjectionParameters(household_growth=0.03), n_paths=2_000)
    assert np.array_equal(a.poor, b.poor)
    assert b.households[-1] > a.households[-1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"csgn_exit": 1.2}, "csgn_exit must be a probability"),
        ({"csgn_exit": -0.1}, "csgn_exit must be a probability"),
        ({"btxh_exit": 2}, "btxh_exit must be a probability"),
        ({"repoor": -0.01}, "repoor must be a probability"),
        ({"newly_poor": -1}, "newly_poor must be 0 or more"),
        ({"household_growth": -1.0}, "household_growth must be above -1"),
        ({"csgn_exit": float("nan")}, "csgn_exit must be a finite number"),
        ({"newly_poor": float("inf")}, "newly_poor must be a finite number"),
        ({"repoor": "0.1"}, "repoor must be a finite number"),
        ({"btxh_exit": True}, "btxh_exit must be a finite number"),
    ],
)
def test_parameters_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ProjectionParameters(**kwargs)


@pytest.mark.parametrize("n_paths", [0, -5, 2.5, True])
def test_n_paths_is_validated(n_paths):
    with pytest.raises(ValueError, match="n_paths"):
        project_poverty(GOAL, n_paths=n_paths)


def test_sensitivity_grid_corners_and_reproducibility():
    grid = sensitivity_grid(GOAL, (0.15, 0.35, 0.6), (0.0, 6.0, 16.0), n_paths=4_000)
    assert len(grid) == 9
    table = grid.set_index(["csgn_exit", "newly_poor"])["probability"]
    assert table[(0.6, 0.0)] > table[(0.35, 6.0)] > table[(0.15, 16.0)]
    assert table[(0.15, 16.0)] == 0.0
    # the default cell equals a direct run with the same seed
    direct = project_poverty(GOAL, params=ProjectionParameters(), n_paths=4_000).probability_target_met
    assert table[(0.35, 6.0)] == direct
    assert grid.equals(sensitivity_grid(GOAL, (0.15, 0.35, 0.6), (0.0, 6.0, 16.0), n_paths=4_000))


def test_oneway_sensitivity():
    table = sensitivity_oneway(GOAL, {"newly_poor": (3.0, 12.0), "btxh_exit": (0.0, 0.06)}, n_paths=4_000)
    rows = table.set_index("parameter")
    assert rows.loc["newly_poor", "probability_low"] > rows.loc["newly_poor", "probability_base"] \
        > rows.loc["newly_poor", "probability_high"]
    # with no BTXH household leaving poverty the target (= the CSGN count) is out of reach
    assert rows.loc["btxh_exit", "probability_low"] < 0.01
    assert table["swing"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="unknown parameter"):
        sensitivity_oneway(GOAL, {"exit": (0, 1)}, n_paths=100)


def test_the_start_comes_from_the_tables_given():
    tables = load_plan_tables()
    headline = tables.headline.copy()
    headline.loc[headline["key"].isin(["poor", "csgn"]), "count"] += 20  # 20 more CSGN households
    goal = plan_goal(headline, tables.targets)
    run = project_poverty(goal, n_paths=1_000)
    assert (run.poor[:, 0] == 473).all() and (run.csgn[:, 0] == 128).all()
    assert run.goal.target_poor == 365
    shipped = project_poverty(GOAL, n_paths=1_000)
    assert run.probability_target_met != shipped.probability_target_met


def test_sensitivity_runs_start_from_the_goal_given():
    more_csgn = replace(GOAL, csgn=GOAL.csgn + 40, baseline_poor=GOAL.baseline_poor + 40)
    cell = {"csgn_exit": (0.35,), "newly_poor": (6.0,), "n_paths": 2_000}
    shipped = sensitivity_matrix(GOAL, **cell).table.iloc[0, 0]
    assert shipped == 100 * project_poverty(GOAL, n_paths=2_000).probability_target_met
    assert sensitivity_matrix(more_csgn, **cell).table.iloc[0, 0] != shipped
    assert not tornado_table(more_csgn, n_paths=500).equals(tornado_table(GOAL, n_paths=500))


# --- conditioned on the latest observed review ------------------------------------------------------------

def test_the_start_is_the_latest_observed_review_within_the_plan():
    from camlo.targets.plan import poverty_target_status
    from camlo.targets.projection import ObservedStart, latest_start, observed_start

    status = poverty_target_status(TABLES.observed, TABLES.households, TABLES.register, GOAL)
    assert observed_start(status, GOAL) == ObservedStart(step=2, poor=311)
    assert latest_start(load_plan_tables()) == ObservedStart(step=2, poor=311)
    assert observed_start(status[status["step"] == 0], GOAL) is None  # only the baseline: start there
    later = status.copy()
    later.loc[len(later)] = {**later.iloc[-1].to_dict(), "step": 5, "year": 2026, "poor": 200}
    assert observed_start(later, GOAL).step == 2  # a review after the plan is not a start


def test_paths_start_from_the_observed_count():
    from camlo.targets.projection import ObservedStart, split_start

    start = ObservedStart(step=2, poor=380, households=15_000)
    run = project_poverty(GOAL, n_paths=2_000, start=start)
    assert run.poor.shape == (2_000, 3) and run.first_step == 2
    csgn, btxh, escaped = split_start(start, GOAL, run.params)
    assert (btxh, csgn, escaped) == (325, 55, 53)  # 345 × 0.97², rounded; the rest CSGN; 108 − 55 escaped
    assert (run.poor[:, 0] == 380).all() and (run.csgn[:, 0] == 55).all()
    assert run.quantiles()["step"].tolist() == [2, 3, 4]
    assert run.households[0] == 15_000 and run.households[-1] == pytest.approx(15_000 * 1.01 ** 2)
    nothing = ProjectionParameters(csgn_exit=0.0, btxh_exit=0.0, newly_poor=0.0, repoor=0.0)
    assert (project_poverty(GOAL, params=nothing, n_paths=200, start=start).poor == 380).all()


def test_a_count_below_the_expected_btxh_group_starts_with_no_csgn_household():
    from camlo.targets.projection import ObservedStart, split_start

    assert split_start(ObservedStart(step=2, poor=311), GOAL, ProjectionParameters()) == (0, 311, 108)
    assert split_start(ObservedStart(step=2, poor=311), GOAL, ProjectionParameters(btxh_exit=0.2)) == (90, 221, 18)


def test_what_has_been_observed_changes_how_likely():
    from camlo.targets.projection import ObservedStart

    behind = project_poverty(GOAL, n_paths=5_000, start=ObservedStart(step=2, poor=420))
    ahead = project_poverty(GOAL, n_paths=5_000, start=ObservedStart(step=2, poor=311))
    baseline = project_poverty(GOAL, n_paths=5_000)
    assert behind.probability_target_met < baseline.probability_target_met < ahead.probability_target_met
    done = project_poverty(GOAL, n_paths=100, start=ObservedStart(step=4, poor=340))
    assert done.poor.shape == (100, 1) and done.probability_target_met == 1.0
    with pytest.raises(ValueError, match="between 0 and 4"):
        project_poverty(GOAL, n_paths=100, start=ObservedStart(step=5, poor=300))


def test_sensitivity_follows_the_start():
    from camlo.targets.projection import ObservedStart

    cell = {"csgn_exit": (0.35,), "newly_poor": (6.0,), "n_paths": 2_000}
    behind = sensitivity_matrix(GOAL, start=ObservedStart(step=2, poor=420), **cell).table.iloc[0, 0]
    assert behind == 100 * project_poverty(GOAL, n_paths=2_000, start=ObservedStart(step=2, poor=420)).probability_target_met
    assert behind != sensitivity_matrix(GOAL, **cell).table.iloc[0, 0]
