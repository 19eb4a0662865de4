"""Notebook 03's figures: the numbers behind each, observed rows flowing in, reproducible files."""

from __future__ import annotations

import shutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from camlo import load_observed, poverty_target_status  # noqa: E402
from camlo.charts import fig03_targets as charts  # noqa: E402
from camlo.charts.style import REGISTRY, _load_figure_modules  # noqa: E402
from camlo.labels import LANGS, format_number, label  # noqa: E402
from camlo.clean.observed import OBSERVED  # noqa: E402
from camlo.targets.projection import ProjectionParameters  # noqa: E402

FAST = {"n_paths": 3_000}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def observed_2023(tmp_path):
    """A copy of the shipped observed file with a district row for the end of 2023 added."""
    path = tmp_path / "observed_reviews.csv"
    shutil.copy(OBSERVED, path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2023,end-of-year review,district,390,610,15100\n")
    return path


def _line(ax, text):
    return next(line for line in ax.lines if line.get_label() == text)


def test_every_figure_is_registered():
    _load_figure_modules()
    assert set(charts.NAMES) <= set(REGISTRY)
    assert all(name.startswith("03_") for name in charts.NAMES)


def test_gap_heatmap_shows_the_gaps(tmp_path):
    matrix = charts.gap_matrix()
    assert matrix.loc["T07", "Cam Tuyên"] == 54 and matrix.loc["T07", "district"] == 108
    assert list(matrix.columns)[-1] == "district"
    for lang in LANGS:
        ax = charts.target_gaps_chart(lang).axes[0]
        shown = [t.get_text() for t in ax.texts]
        assert shown == [format_number(v, lang) for v in matrix.to_numpy().ravel()]


def test_shortfall_is_zero_where_met():
    data = charts.gap_chart_data()
    assert (data.loc[data["met"], "shortfall_pp"] == 0).all()
    assert (data.loc[~data["met"], "shortfall_pp"] > 0).all()


def test_worst_units():
    worst = charts.worst_units().set_index("target")
    assert worst.loc["T07", "worst_unit"] == "Cam Nghĩa"  # 3 of 46 poor households have a latrine
    assert worst.loc["T07", "district_gap"] == 108
    assert worst.loc["T02", "worst_unit"] == "TT Cam Lộ"
    assert worst.loc["T06", ["district_gap", "worst_unit", "worst_gap"]].tolist() == [0, "Cam Thủy", 9]


def test_baseline_dot_plot_positions():
    data = charts.gap_chart_data()
    ax = charts.target_baselines_chart("en").axes[0]
    layers = {c.get_label(): c.get_offsets() for c in ax.collections}
    district = data[data["commune"] == "district"]
    units = data[data["commune"] != "district"]
    order = {t: k for k, t in enumerate(district["target"])}
    assert np.allclose(layers[label("district", "en")], np.c_[district["baseline_pct"], range(len(district))])
    assert np.allclose(layers[label("t03_target_marker", "en")][:, 0], district["target_pct"])
    assert np.allclose(layers[label("t03_unit_marker", "en")],
                       np.c_[units["baseline_pct"], units["target"].map(order)])
    worst = {t.get_text() for t in ax.texts}
    assert {"Cam Lộ township", "Cam Thủy", "Cam Nghĩa", "Cam Chính"} <= worst


def test_plan_path_chart_data():
    data = charts.paths_chart_data()
    assert data["plan_poor"].tolist() == [453, 426, 399, 372, 345]
    assert data["observed_poor"].tolist()[0] == 453 and data["observed_poor"].isna().sum() == 4
    ax = charts.plan_paths_chart("en").axes[0]
    plan = next(line for line in ax.lines if line.get_marker() == "s")
    assert list(plan.get_ydata()) == [453, 426, 399, 372, 345]
    observed = _line(ax, label("t03_observed", "en"))
    assert list(observed.get_ydata()) == [453]


def test_a_new_observed_row_changes_status_and_charts_without_code_changes(observed_2023, monkeypatch):
    before_status = poverty_target_status()
    before_chart = charts.paths_chart_data()
    observed = load_observed(observed_2023)
    status = poverty_target_status(observed)
    assert len(status) == len(before_status) + 1
    assert status.iloc[-1][["year", "poor", "reduction", "plan_reduction", "on_track"]].tolist() == [
        2023, 390, 63, 54, True]
    chart = charts.paths_chart_data(observed)
    assert chart["observed_poor"].notna().sum() == before_chart["observed_poor"].notna().sum() + 1
    assert chart.set_index("step").loc[2, "observed_poor"] == 390
    # the same through the default path, as the notebook reads it
    import camlo.clean.observed

    monkeypatch.setattr(camlo.clean.observed, "OBSERVED", observed_2023)
    assert poverty_target_status()["poor"].tolist() == [453, 390]
    for figure in (charts.plan_paths_chart("en"), charts.projection_fan_chart("en", **FAST)):
        points = _line(figure.axes[0], label("t03_observed", "en"))
        assert list(points.get_xdata()) == [0, 2] and list(points.get_ydata()) == [453, 390]
    assert charts.fan_chart_data(**FAST)["observed_poor"].notna().sum() == 2


def test_fan_chart_draws_the_quantiles():
    data = charts.fan_chart_data(**FAST)
    run = charts.projection(None, n_paths=FAST["n_paths"])
    assert np.array_equal(data["p50"].to_numpy(), np.quantile(run.poor, 0.5, axis=0))
    fig = charts.projection_fan_chart("vi", **FAST)
    ax = fig.axes[0]
    median = _line(ax, label("t03_fan_median", "vi"))
    assert np.array_equal(median.get_ydata(), data["p50"].to_numpy())
    note = ax.texts[-1].get_text()
    assert format_number(100 * run.probability_target_met, "vi") in note
    assert format_number(FAST["n_paths"], "vi") in note


def test_fan_chart_follows_the_parameters():
    slow = ProjectionParameters(csgn_exit=0.1)
    assert (charts.fan_chart_data(slow, **FAST)["p50"].iloc[-1]
            > charts.fan_chart_data(**FAST)["p50"].iloc[-1])


def test_sensitivity_heatmap_shows_the_grid():
    matrix = charts.sensitivity_matrix(n_paths=500)
    assert matrix.shape == (len(charts.CSGN_EXIT_GRID), len(charts.NEWLY_POOR_GRID))
    assert list(matrix.index) == sorted(charts.CSGN_EXIT_GRID, reverse=True)
    assert ((matrix >= 0) & (matrix <= 100)).all().all()
    ax = charts.sensitivity_heatmap_chart("en", n_paths=500).axes[0]
    assert [t.get_text() for t in ax.texts] == [format_number(v, "en") for v in matrix.to_numpy().ravel()]


def test_tornado_bars_span_low_to_high():
    data = charts.tornado_data(n_paths=500)
    assert set(data["parameter"]) == set(charts.TORNADO_PARAMETERS)
    assert charts.tornado_ranges()["csgn_exit"] == (0.175, 0.7)
    ax = charts.sensitivity_tornado_chart("en", n_paths=500).axes[0]
    bars = ax.patches
    n = len(data)
    base = 100 * data["probability_base"].iloc[0]
    ends = np.array([b.get_x() + b.get_width() for b in bars]).reshape(2, n)
    assert np.allclose(ends[0], 100 * data["probability_low"]) and np.allclose(ends[1], 100 * data["probability_high"])
    assert all(b.get_x() == pytest.approx(base) for b in bars)


def test_allocation_chart_bars():
    ax = charts.allocation_chart("en").axes[0]
    widths = np.array([b.get_width() for b in ax.patches[:24]]).reshape(3, 8)
    table = charts.targets.allocation_comparison()
    assert widths.tolist() == [table["by_csgn"].tolist(), table["by_poor"].tolist(), table["by_households"].tolist()]


def test_context_pace_chart():
    data = charts.pace_chart_data()
    assert data["key"].tolist() == ["vietnam", "vietnam", "quang_tri", "plan"]
    assert data["fall_pp"].iloc[-1] == pytest.approx(100 * 27 / 14905)
    assert data["relative_fall_pct"].iloc[-1] == pytest.approx(100 * (1 - (345 / 453) ** 0.25))
    fig = charts.context_pace_chart("en")
    left, right = fig.axes[:2]
    assert [b.get_width() for b in left.patches[: len(data)]] == pytest.approx(data["fall_pp"].tolist())
    assert [b.get_width() for b in right.patches[: len(data)]] == pytest.approx(data["relative_fall_pct"].tolist())


def test_review_labels():
    assert [charts.review_label(s) for s in range(5)] == [
        "Start 2022", "End 2022", "End 2023", "End 2024", "End 2025"]
    assert charts.review_label(0, "vi") == "Đầu năm 2022"


def test_figures_are_byte_identical_when_saved_twice(tmp_path):
    options = {"n_paths": 2_000, "sensitivity_paths": 300}
    first = charts.save_figures(directory=tmp_path / "a", **options)
    second = charts.save_figures(directory=tmp_path / "b", **options)
    assert len(first) == len(charts.NAMES) * len(LANGS) * 2
    for a, b in zip(first, second):
        assert a.relative_to(tmp_path / "a") == b.relative_to(tmp_path / "b")
        assert a.read_bytes() == b.read_bytes(), a.name
    en = (tmp_path / "a" / "en" / "03_plan_paths.svg").read_bytes()
    vi = (tmp_path / "a" / "vi" / "03_plan_paths.svg").read_bytes()
    assert en != vi
