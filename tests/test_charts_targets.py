"""Notebook 03's figures: each draws the numbers its answer gives it, observed rows flow in, reproducible files."""

from __future__ import annotations

import numpy as np
import pytest

from camlo import load_observed, poverty_target_status
from camlo.answers import targets
from camlo.charts import fig03_targets as charts
from camlo.clean.observed import OBSERVED, OBSERVED_DTTS
from camlo.clean.context import load_district_rates
from camlo.text.labels import label
from camlo.text.numbers import LANGS, format_number, format_probability
from camlo.text.sentences import ProbabilityRange
from camlo.report.figures import save_figures
from camlo.targets.gaps import gap_matrix, target_gaps, worst_units
from camlo.targets.pace import pace_comparison
from camlo.targets.plan import allocation_comparison, area_paths, path_comparison
from camlo.targets.projection import (
    ObservedStart,
    ProjectionParameters,
    observed_start,
    project_poverty,
    projection_fan,
)
from camlo.targets.sensitivity import (
    CSGN_EXIT_GRID,
    NEWLY_POOR_GRID,
    TORNADO_PARAMETERS,
    sensitivity_matrix,
    tornado_ranges,
    tornado_table,
)
import camlo
from shipped_tables import SHIPPED, GOAL, PATHS, STATUS

FAST = {"n_paths": 3_000}
#: Notebook 03's answer on the shipped data, with fewer paths.
ANSWER = targets.run({"n_paths": 3_000, "sensitivity_paths": 300})


def baseline_only(path, target):
    """Copy the header and the start-of-2022 rows of ``path`` to ``target``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:1] + [line for line in lines[1:] if line.startswith("2022,start")]),
                      encoding="utf-8")
    return target


@pytest.fixture
def observed_2023(tmp_path):
    """The shipped observed file's baseline with another district row for the end of 2023."""
    path = baseline_only(OBSERVED, tmp_path / "observed_reviews.csv")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2023,end-of-year review,district,390,610,15100\n")
    return path


def _line(ax, text):
    return next(line for line in ax.lines if line.get_label() == text)


def test_gap_heatmap_shows_the_gaps():
    gaps = target_gaps(SHIPPED.deprivations, SHIPPED.targets)
    matrix = gap_matrix(gaps)
    data = ANSWER.figures["03_target_gaps"]
    for lang in LANGS:
        ax = charts.target_gaps_chart(data, lang).axes[0]
        shown = [t.get_text() for t in ax.texts]
        assert shown == [format_number(v, lang) for v in matrix.to_numpy().ravel()]
        ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
        assert ticks[-1] == label("t03_district_totals", lang)  # the district's gap is on its totals
    colours = charts.target_gaps_chart(data).axes[0].collections[0].get_array()
    assert np.allclose(np.asarray(colours).ravel(), gap_matrix(gaps, value="shortfall_pp").to_numpy().ravel())


def test_baseline_dot_plot_positions():
    data = target_gaps(SHIPPED.deprivations, SHIPPED.targets)
    ax = charts.target_baselines_chart(ANSWER.figures["03_target_baselines"], "en").axes[0]
    layers = {c.get_label(): c.get_offsets() for c in ax.collections}
    district = data[data["unit"] == "district"]
    units = data[data["unit"] != "district"]
    order = {t: k for k, t in enumerate(district["target"])}
    assert np.allclose(layers[label("district", "en")], np.c_[district["baseline_pct"], range(len(district))])
    assert np.allclose(layers[label("t03_target_marker", "en")][:, 0], district["target_pct"])
    assert np.allclose(layers[label("t03_unit_marker", "en")],
                       np.c_[units["baseline_pct"], units["target"].map(order)])
    named = [t.get_text() for t in ax.texts]
    assert named == [charts.unit_label(u, "en") for u in worst_units(data).query("worst_gap > 0")["worst_unit"]]
    assert {"Cam Lộ township", "Cam Thủy", "Cam Nghĩa", "Cam Chính"} <= set(named)


def test_plan_path_chart_draws_the_comparison():
    paths = path_comparison(SHIPPED.observed, SHIPPED.households, SHIPPED.register, GOAL)
    ax = charts.plan_paths_chart(paths, "en").axes[0]
    plan = next(line for line in ax.lines if line.get_marker() == "s")
    assert list(plan.get_ydata()) == paths.table["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    observed = _line(ax, label("t03_observed", "en"))
    assert list(observed.get_ydata()) == [453, 311]  # the baseline, the public end-of-2023 result
    assert [t.get_text() for t in ax.texts] == ["453", "311"]  # each observed point labelled with its count


def test_a_new_observed_row_changes_status_and_charts_without_code_changes(observed_2023, monkeypatch, tmp_path):
    import camlo.clean.observed

    monkeypatch.setattr(camlo.clean.observed, "OBSERVED", baseline_only(OBSERVED, tmp_path / "base.csv"))
    monkeypatch.setattr(camlo.clean.observed, "OBSERVED_DTTS", baseline_only(OBSERVED_DTTS, tmp_path / "dtts.csv"))
    before_status = poverty_target_status(load_observed(), SHIPPED.households, SHIPPED.register, GOAL)
    before_chart = path_comparison(load_observed(), SHIPPED.households, SHIPPED.register, GOAL).table
    observed = load_observed(observed_2023)
    status = poverty_target_status(observed, SHIPPED.households, SHIPPED.register, GOAL)
    assert len(status) == len(before_status) + 1
    assert status.iloc[-1][["year", "poor", "reduction", "plan_reduction", "on_track"]].tolist() == [
        2023, 390, 63, 54, True]
    chart = path_comparison(observed, SHIPPED.households, SHIPPED.register, GOAL).table
    assert chart["observed_poor"].notna().sum() == before_chart["observed_poor"].notna().sum() + 1
    assert chart.set_index("step").loc[2, "observed_poor"] == 390
    # the same through the default path, as a notebook reads it
    monkeypatch.setattr(camlo.clean.observed, "OBSERVED", observed_2023)
    assert poverty_target_status(load_observed(), SHIPPED.households, SHIPPED.register, GOAL)["poor"].tolist() == [
        453, 390]
    paths = path_comparison(load_observed(), SHIPPED.households, SHIPPED.register, GOAL)
    fan = projection_fan(project_poverty(GOAL, **FAST), paths)
    assert fan.table["observed_poor"].notna().sum() == 2
    for figure in (charts.plan_paths_chart(paths, "en"), charts.projection_fan_chart(fan, "en")):
        points = _line(figure.axes[0], label("t03_observed", "en"))
        assert list(points.get_xdata()) == [0, 2] and list(points.get_ydata()) == [453, 390]


def test_fan_chart_draws_the_quantiles():
    run = project_poverty(GOAL, **FAST)
    fan = projection_fan(run, PATHS)
    assert np.array_equal(fan.table["p50"].to_numpy(), np.quantile(run.poor, 0.5, axis=0))
    assert fan.table["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    assert (fan.probability_target_met, fan.n_paths, fan.seed) == (run.probability_target_met, 3_000, run.seed)
    ax = charts.projection_fan_chart(fan, "vi").axes[0]
    median = _line(ax, label("t03_fan_median", "vi"))
    assert np.array_equal(median.get_ydata(), fan.table["p50"].to_numpy())
    note = ax.texts[-1].get_text().replace("\n", " ")
    assert format_probability(run.probability_target_met, "vi") in note and str(run.seed) in note


def test_fan_from_the_latest_observed_review():
    start = observed_start(STATUS, GOAL)
    assert start == ObservedStart(step=2, poor=311)
    run = project_poverty(GOAL, start=start, **FAST)
    fan = projection_fan(run, PATHS)
    table = fan.table.set_index("step")
    assert table.loc[[0, 1], "p50"].isna().all() and table.loc[2, "p50"] == 311
    assert table.loc[[0, 2], "observed_poor"].tolist() == [453, 311]
    ax = charts.projection_fan_chart(fan, "en").axes[0]
    median = _line(ax, label("t03_fan_median", "en"))
    assert np.array_equal(median.get_ydata(), table["p50"].to_numpy(), equal_nan=True)
    note = ax.texts[-1].get_text().replace("\n", " ")
    assert "End 2023: 311 poor households" in note
    vi = charts.projection_fan_chart(fan, "vi").axes[0].texts[-1].get_text().replace("\n", " ")
    assert "Cuối năm 2023: 311 hộ nghèo" in vi


def test_successor_chart_draws_each_communes_path_target_and_observed():
    paths = area_paths(SHIPPED.observed, SHIPPED.households, SHIPPED.register, GOAL)
    fig = charts.successor_paths_chart(paths, "en")
    assert len(fig.axes) == 2
    for ax, (key, goal) in zip(fig.axes, paths.goals.items()):
        data = paths.table[paths.table["unit"] == key]
        plan = next(line for line in ax.lines if line.get_marker() == "s")
        assert list(plan.get_ydata()) == data["plan_poor"].tolist()
        target = _line(ax, label("t03_target_line", "en").format(target=format_number(goal.target_poor)))
        assert list(target.get_ydata()) == [goal.target_poor] * 2
        assert list(_line(ax, label("t03_observed", "en")).get_ydata()) == [goal.baseline_poor]
        assert charts.unit_label(key, "en") in ax.get_title()
    assert [goal.target_poor for goal in paths.goals.values()] == [112, 233]


def test_a_review_after_the_plan_extends_the_axis(tmp_path):
    path = baseline_only(OBSERVED, tmp_path / "observed.csv")  # the review states the plan's standard
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",standard", *(line + "," for line in lines[1:]),
                               "2026,end-of-year review,district,330,,,decree_07_2021"]) + "\n", encoding="utf-8")
    paths = path_comparison(load_observed(path), SHIPPED.households, SHIPPED.register, GOAL)
    ax = charts.plan_paths_chart(paths, "vi").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "Cuối năm 2026"
    assert list(_line(ax, label("t03_observed", "vi")).get_xdata()) == [0, 5]


def test_fan_follows_the_parameters():
    slow = projection_fan(project_poverty(GOAL, params=ProjectionParameters(csgn_exit=0.1), **FAST), PATHS)
    assert slow.table["p50"].iloc[-1] > projection_fan(project_poverty(GOAL, **FAST), PATHS).table["p50"].iloc[-1]


def test_sensitivity_heatmap_shows_the_grid():
    sensitivity = sensitivity_matrix(GOAL, params=ProjectionParameters(csgn_exit=0.4, newly_poor=10.0), n_paths=500)
    matrix = sensitivity.table
    assert matrix.shape == (len(CSGN_EXIT_GRID), len(NEWLY_POOR_GRID))
    assert list(matrix.index) == sorted(CSGN_EXIT_GRID, reverse=True)
    assert ((matrix >= 0) & (matrix <= 100)).all().all()
    ax = charts.sensitivity_heatmap_chart(sensitivity, "en").axes[0]
    expected = [format_probability(v / 100, "en").replace("%", "").replace("above", ">").replace("below", "<")
                for v in matrix.to_numpy().ravel()]
    assert [t.get_text() for t in ax.texts] == expected
    assert "100" not in expected and "0" not in expected  # never a cell written as certain
    box = [p for p in ax.patches if p.get_edgecolor()[:3] == (0, 0, 0)]
    assert [p.get_xy() for p in box] == [(list(matrix.columns).index(10.0), list(matrix.index).index(0.4))]
    assert "observed review" not in ax.get_title()
    given = sensitivity_matrix(GOAL, n_paths=300, start=observed_start(STATUS, GOAL), csgn_exit=(0.2,), newly_poor=(30.0,))
    assert given.start == observed_start(STATUS, GOAL)
    assert "End 2023: 311" in charts.sensitivity_heatmap_chart(given, "en").axes[0].get_title().replace("\n", " ")


def test_tornado_bars_span_low_to_high():
    data = tornado_table(GOAL, n_paths=500)
    assert set(data["parameter"]) == set(TORNADO_PARAMETERS)
    assert tornado_ranges()["csgn_exit"] == (0.1, 0.9) and tornado_ranges()["newly_poor"] == (0.0, 40.0)
    ax = charts.sensitivity_tornado_chart(data, "en").axes[0]
    bars = ax.patches
    n = len(data)
    base = 100 * data["probability_base"].iloc[0]
    ends = np.array([b.get_x() + b.get_width() for b in bars]).reshape(2, n)
    assert np.allclose(ends[0], 100 * data["probability_low"]) and np.allclose(ends[1], 100 * data["probability_high"])
    assert all(b.get_x() == pytest.approx(base) for b in bars)


def test_allocation_chart_bars():
    table = allocation_comparison(SHIPPED.households, GOAL)
    ax = charts.allocation_chart(table, "en").axes[0]
    widths = np.array([b.get_width() for b in ax.patches[:24]]).reshape(3, 8)
    assert widths.tolist() == [table["by_csgn"].tolist(), table["by_poor"].tolist(), table["by_households"].tolist()]


def test_context_pace_chart():
    pace = pace_comparison(camlo.load_poverty_rates(), GOAL)
    data = pace.table
    assert data["key"].tolist() == ["vietnam", "vietnam", "quang_tri", "plan"]
    observed = pace_comparison(camlo.load_poverty_rates(), GOAL, load_district_rates()).table
    assert observed["key"].tolist() == ["vietnam", "vietnam", "quang_tri", "cam_lo", "plan"]
    assert data["fall_pp"].iloc[-1] == pytest.approx(100 * 27 / 14905)
    assert data["relative_fall_pct"].iloc[-1] == pytest.approx(100 * (1 - (345 / 453) ** 0.25))
    fig = charts.context_pace_chart(pace, "en")
    left, right = fig.axes[:2]
    assert [b.get_width() for b in left.patches[: len(data)]] == pytest.approx(data["fall_pp"].tolist())
    assert [b.get_width() for b in right.patches[: len(data)]] == pytest.approx(data["relative_fall_pct"].tolist())


def test_figures_are_byte_identical_when_saved_twice(tmp_path):
    data = dict(ANSWER.figures)
    assert set(data) == set(charts.NAMES)
    first = save_figures(data, directory=tmp_path / "a")
    second = save_figures(data, directory=tmp_path / "b")
    assert len(first) == len(charts.NAMES) * len(LANGS) * 2
    for a, b in zip(first, second):
        assert a.relative_to(tmp_path / "a") == b.relative_to(tmp_path / "b")
        assert a.read_bytes() == b.read_bytes(), a.name
    en = (tmp_path / "a" / "en" / "03_plan_paths.svg").read_bytes()
    vi = (tmp_path / "a" / "vi" / "03_plan_paths.svg").read_bytes()
    assert en != vi


def test_the_fan_draws_the_answers_projection():
    """The fan's data is the projection the answer ran: its probability, paths and start."""
    fan = ANSWER.figures["03_projection_fan"]
    assert fan.probability_target_met == ANSWER.values["probability_target_met"]
    assert fan.n_paths == ANSWER.values["n_paths"]
    assert fan.start == ANSWER.values["start"] == ObservedStart(step=2, poor=311)
    assert fan.table.set_index("step").loc[4, "p50"] == ANSWER.values["poor_2025"]["poor_2025_p50"]
    note = charts.projection_fan_chart(fan, "en").axes[0].texts[-1].get_text().replace("\n", " ")
    low, _, high = ANSWER.values["probability_range"]
    assert f"{format_probability(ANSWER.values['probability_target_met'])} of paths" in note
    assert f"({ProbabilityRange(low, high).text('en')} over plausible rates" in note


def test_the_figures_follow_the_answers_parameters():
    slow = targets.run({"n_paths": 3_000, "sensitivity_paths": 300, "newly_poor": 30.0})
    assert slow.figures["03_projection_fan"].table["p50"].iloc[-1] > \
        ANSWER.figures["03_projection_fan"].table["p50"].iloc[-1]
    assert slow.figures["03_sensitivity_heatmap"].params.newly_poor == 30.0
    assert slow.figures["03_sensitivity_tornado"].set_index("parameter").loc["newly_poor", "base"] == 30.0
