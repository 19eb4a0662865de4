"""Notebook 02's figures: the numbers behind each, checked by hand; and the files they make.

Each figure draws exactly the data notebook 02's answer gives it (``camlo.answers.deprivation``);
the functions computing that data are checked here against numbers worked out by hand from the
printed Phụ lục 1 and 2, and so is the answer's figure data. Every registered ``02_`` figure must
render in both languages from the answer and save to byte-identical files twice over.
"""

from __future__ import annotations

import hashlib
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import camlo  # noqa: E402
from camlo.charts.style import load_figure_modules  # noqa: E402
from camlo.measures import bounds as mb  # noqa: E402
from camlo.measures import offices as mo  # noqa: E402
from camlo.measures import profiles  # noqa: E402
from camlo.report.figures import draw, save_figures  # noqa: E402
from camlo.answers import deprivation  # noqa: E402
from camlo.charts import fig02_deprivation as dep  # noqa: E402
from camlo.text.labels import label, unit_label  # noqa: E402
from camlo.text.numbers import format_number

from test_af import PRINTED  # noqa: E402
from shipped_tables import SHIPPED, MEASURES, COUNTS

UNITS = list(PRINTED)
ROWS = [*UNITS, "district"]
TOTALS = [134, 231, 19, 290, 46, 8, 26, 60, 35, 198, 294, 130]  # Phụ lục 2, "Tổng cộng"
TOL = 1e-12
#: Notebook 02's answer on the shipped tables: what its figures draw.
ANSWER = deprivation.run()
FIGURES = ANSWER.figures


def test_deprivation_rate_matrix():
    rates = profiles.deprivation_rate_matrix(MEASURES)
    assert list(rates.index) == ROWS and list(rates.columns) == list(range(1, 13))
    assert rates.loc["Cam Tuyên", 10] == pytest.approx(75 / 109, abs=TOL)
    assert rates.loc["TT Cam Lộ", 4] == 1.0  # all 36 poor households lack health insurance
    assert rates.loc["Cam Chính", 11] == 1.0  # all 18 lack telecom services
    assert rates.loc["Cam Nghĩa", 1] == 0.0
    for unit, (_, q, d) in PRINTED.items():
        np.testing.assert_allclose(rates.loc[unit].to_numpy(), np.array(d) / q, rtol=0, atol=TOL)
    np.testing.assert_allclose(rates.loc["district"].to_numpy(), np.array(TOTALS) / 453, rtol=0, atol=TOL)


def test_district_sums_equal_the_printed_total_row():
    assert camlo.load_deprivation_totals()["deprived"].tolist() == TOTALS
    counts = camlo.unit_counts(SHIPPED.households, SHIPPED.deprivations)
    assert counts.loc["district", list(range(1, 13))].tolist() == TOTALS


def test_dimension_rate_matrix():
    rates = profiles.dimension_rate_matrix(MEASURES)
    assert list(rates.index) == ROWS
    assert list(rates.columns) == ["Employment", "Health", "Education", "Housing", "Water and sanitation",
                                   "Information"]
    assert rates.loc["Cam Nghĩa", "Water and sanitation"] == pytest.approx((0 + 43) / 2 / 46, abs=TOL)
    assert rates.loc["Cam Chính", "Information"] == pytest.approx((18 + 10) / 2 / 18, abs=TOL)
    assert rates.loc["district", "Health"] == pytest.approx((19 + 290) / 2 / 453, abs=TOL)
    # with equal weights, the mean over dimensions equals A (share of indicators deprived)
    np.testing.assert_allclose(rates.mean(axis=1), profiles.af_summary(MEASURES)["A"], rtol=0, atol=TOL)


def test_af_summary():
    table = profiles.af_summary(MEASURES)
    assert list(table.columns) == ["H", "A", "M0"] and list(table.index) == ROWS
    assert table.loc["Cam Tuyên"].tolist() == pytest.approx([109 / 1481, 386 / (12 * 109), 386 / (12 * 1481)],
                                                            abs=TOL)
    assert table.loc["district"].tolist() == pytest.approx([453 / 14905, 1471 / (12 * 453), 1471 / (12 * 14905)],
                                                           abs=TOL)


def test_contribution_matrices():
    indicators = profiles.indicator_contribution_matrix(MEASURES)
    dimensions = profiles.dimension_contribution_matrix(MEASURES)
    np.testing.assert_allclose(indicators.sum(axis=1), 1, rtol=0, atol=TOL)
    np.testing.assert_allclose(dimensions.sum(axis=1), 1, rtol=0, atol=TOL)
    assert indicators.loc["Cam Chính", 11] == pytest.approx(18 / 51, abs=TOL)
    assert dimensions.loc["Cam Chính", "Information"] == pytest.approx(28 / 51, abs=TOL)
    assert dimensions.loc["district", "Employment"] == pytest.approx((134 + 231) / 1471, abs=TOL)
    top = profiles.district_contributions(MEASURES, top=4)
    assert list(top.index) == [11, 4, 2, 10]
    assert top.tolist() == pytest.approx([294 / 1471, 290 / 1471, 231 / 1471, 198 / 1471], abs=TOL)


def test_m0_share_table():
    table = profiles.m0_share_table(MEASURES)
    assert list(table.index) == UNITS
    assert table.loc["Cam Tuyên", "M0_share"] == pytest.approx(386 / 1471, abs=TOL)
    assert table.loc["Cam Tuyên", "pop_share"] == pytest.approx(1481 / 14905, abs=TOL)
    assert table["pop_share"].sum() == pytest.approx(1, abs=TOL)
    over = table.index[table["M0_share"] > table["pop_share"]].tolist()
    assert over == ["Thanh An", "Cam Thủy", "Cam Tuyên"]


def test_profile_deviations_and_distances():
    deviation = profiles.profile_deviation_matrix(MEASURES)
    assert list(deviation.index) == UNITS
    assert deviation.loc["Cam Tuyên", 10] == pytest.approx(100 * (75 / 109 - 198 / 453), abs=1e-10)
    largest = profiles.largest_deviations(MEASURES).set_index("unit")
    assert largest.loc["Cam Nghĩa", "indicator"] == 10
    assert largest.loc["Cam Nghĩa", "difference_pp"] == pytest.approx(100 * (43 / 46 - 198 / 453), abs=1e-10)
    assert largest.loc["Cam Chính", "indicator"] == 4
    assert largest.loc["TT Cam Lộ", "indicator"] == 4
    distances = profiles.unit_distances(MEASURES)
    a, b = np.array(PRINTED["Thanh An"][2]) / 106, np.array(PRINTED["Cam Hiếu"][2]) / 44
    assert distances.loc["Thanh An", "Cam Hiếu"] == pytest.approx(100 * np.sqrt(((a - b) ** 2).sum()), abs=1e-10)


def test_profile_linkage():
    distances = profiles.unit_distances(MEASURES)
    z = profiles.profile_linkage(MEASURES)
    assert z.shape == (7, 4) and int(z[-1, 3]) == 8
    assert (np.diff(z[:, 2]) >= 0).all()
    d = distances.to_numpy()
    a, h, t = UNITS.index("Thanh An"), UNITS.index("Cam Hiếu"), UNITS.index("Cam Thành")
    # the closest pair merges first, at their distance
    assert sorted(z[0, :2].astype(int).tolist()) == [a, h]
    assert z[0, 2] == pytest.approx(d[a, h], abs=1e-10)
    assert z[0, 2] == pytest.approx(d[~np.eye(8, dtype=bool)].min(), abs=1e-10)
    # Cam Thành joins them next, at its mean distance to the two (average linkage)
    assert sorted(z[1, :2].astype(int).tolist()) == [t, 8]
    assert z[1, 2] == pytest.approx((d[t, a] + d[t, h]) / 2, abs=1e-10)
    # Cam Nghĩa joins last, at its mean distance to the other seven
    n = UNITS.index("Cam Nghĩa")
    assert n in z[-1, :2].astype(int).tolist()
    assert z[-1, 2] == pytest.approx(d[n].sum() / 7, abs=1e-10)


def test_profile_clusters():
    clusters = profiles.profile_clusters(MEASURES)
    distances = profiles.unit_distances(MEASURES)
    assert clusters["order"] == ["Cam Nghĩa", "Cam Chính", "Cam Tuyên", "Cam Thành", "Thanh An", "Cam Hiếu",
                                 "TT Cam Lộ", "Cam Thủy"]
    assert clusters["closest"] == ("Thanh An", "Cam Hiếu")
    assert clusters["closest_distance"] == pytest.approx(distances.loc["Thanh An", "Cam Hiếu"], abs=1e-10)
    assert clusters["groups"] == [["Thanh An", "TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Hiếu"],
                                  ["Cam Nghĩa"], ["Cam Tuyên"], ["Cam Chính"]]
    mean = distances.sum(axis=1) / 7
    assert clusters["most_distinct"] == mean.idxmax() == "Cam Nghĩa"
    assert clusters["mean_distance"] == pytest.approx(mean.max(), abs=1e-10)
    for n_groups in range(1, 9):
        groups = profiles.profile_clusters(MEASURES, n_groups=n_groups)["groups"]
        assert len(groups) == n_groups
        assert sorted(u for g in groups for u in g) == sorted(UNITS)
        # each group is in printed order and contiguous in the dendrogram order
        for g in groups:
            assert g == sorted(g, key=UNITS.index)
            positions = sorted(clusters["order"].index(u) for u in g)
            assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert profiles.profile_clusters(MEASURES, n_groups=2)["groups"] == [[u for u in UNITS if u != "Cam Nghĩa"], ["Cam Nghĩa"]]
    with pytest.raises(ValueError, match="between 1 and 8"):
        profiles.profile_clusters(MEASURES, n_groups=9)


def test_unit_profiles_rows_follow_the_tree():
    fig = draw("02_unit_profiles", FIGURES["02_unit_profiles"], "en")
    try:
        tree, ax = fig.axes[:2]
        order = [unit_label(u, "en") for u in profiles.profile_clusters(MEASURES)["order"]]
        assert [t.get_text() for t in ax.get_yticklabels()] == order
        assert tree.get_ylim() == (80.0, 0.0)
        assert tree.get_xlim()[0] == pytest.approx(1.05 * profiles.profile_linkage(MEASURES)[-1, 2])
    finally:
        plt.close(fig)


def test_leading_indicators():
    lead = profiles.leading_indicators(MEASURES).set_index("unit")
    assert list(lead.index) == ROWS
    assert lead.loc["Cam Chính", "indicator"] == 11
    assert lead.loc["Cam Chính", "pctb"] == pytest.approx(18 / 51, abs=TOL)
    assert lead.loc["Cam Hiếu", "indicator"] == 2
    assert lead.loc["district", "indicator"] == 11


def test_targeting_table():
    table = mo.targeting_table(COUNTS, SHIPPED.indicators, top=10)
    assert len(table) == 10
    assert table[["unit", "indicator", "deprived"]].values.tolist()[:5] == [
        ["Thanh An", 11, 82], ["Cam Tuyên", 10, 75], ["Thanh An", 4, 70], ["Thanh An", 2, 69],
        ["Cam Tuyên", 4, 65]]
    assert table["deprived"].is_monotonic_decreasing
    offices = camlo.indicators().set_index("indicator")["office_en"]
    assert (table["office_en"] == table["indicator"].map(offices)).all()
    assert table.loc[0, "dep_rate"] == pytest.approx(82 / 106, abs=TOL)


def test_offices_follow_the_indicator_table():
    offices = mo.offices(SHIPPED.indicators)
    assert list(dict.fromkeys(offices["office_en"])) == [
        "Labour, Invalids and Social Affairs", "Agriculture and Rural Development",
        "Health office and district Social Insurance", "Education and Training", "Economy and Infrastructure",
        "Culture and Information"]
    assert offices.loc[offices["shared"], "indicator"].unique().tolist() == [1]
    assert mo.office_label(SHIPPED.indicators, "Economy and Infrastructure", lang="vi") == "Phòng Kinh tế - Hạ tầng, TM-MT"
    with pytest.raises(KeyError):
        mo.office_label(SHIPPED.indicators, "Finance and Planning")


def test_office_workload():
    work = mo.office_workload(COUNTS, SHIPPED.indicators).set_index(["office_en", "unit"])
    assert work.loc[("Labour, Invalids and Social Affairs", "Thanh An"), "deprivations"] == 24 + 69
    assert work.loc[("Agriculture and Rural Development", "Thanh An"), "deprivations"] == 24
    row = work.loc[("Economy and Infrastructure", "Cam Tuyên")]
    assert row[["deprivations", "distinct_min", "distinct_max"]].tolist() == [8 + 39 + 8 + 75, 75, 109]
    row = work.loc[("Culture and Information", "Cam Chính")]
    assert row[["deprivations", "distinct_min", "distinct_max"]].tolist() == [28, 18, 18]
    district = work.xs("district", level="unit")
    # employment (134) counts under both of its offices
    assert district["deprivations"].sum() == sum(TOTALS) + 134
    assert (district["distinct_min"] <= district["deprivations"]).all()
    assert (district["distinct_max"] <= 453).all()
    matrix = mo.office_workload_matrix(COUNTS, SHIPPED.indicators)
    assert list(matrix.columns) == UNITS
    assert matrix.sum(axis=1).tolist() == district["deprivations"].tolist()
    assert matrix.loc["Education and Training", "Cam Tuyên"] == 32 + 2


def test_overlap_minimum_matrix():
    matrix = mb.overlap_minimum_matrix(COUNTS)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert np.diag(matrix).tolist() == TOTALS
    for j, k in itertools.combinations(range(1, 13), 2):
        expected = sum(max(0, d[j - 1] + d[k - 1] - q) for _, q, d in PRINTED.values())
        assert matrix.loc[j, k] == expected
    assert matrix.loc[4, 11] == 131 and matrix.loc[2, 4] == 102


def test_cutoff_share_bounds():
    bounds = mb.cutoff_share_bounds(COUNTS)
    assert list(bounds.index) == ROWS
    assert bounds.loc["Thanh An", ["q", "fewest", "most"]].tolist() == [106, 22, 104]
    assert bounds.loc["Cam Chính", ["q", "fewest", "most"]].tolist() == [18, 3, 16]
    assert (bounds.loc[["TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Hiếu"], "most"]
            == bounds.loc[["TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Hiếu"], "q"]).all()
    assert bounds.loc["district", "share_max"] == pytest.approx(449 / 453, abs=TOL)


def test_score_bounds_table():
    table = mb.score_bounds_table(COUNTS, ks=range(1, 4))
    assert list(table.index) == ROWS and list(table.columns) == ["poor", 1, 2, 3]
    assert table.loc["Cam Chính"].tolist() == [18, "18–18", "10–18", "3–16"]
    assert table.loc["district", 3] == "116–449"


# --- figures ------------------------------------------------------------------------------------------


def test_every_02_figure_is_registered():
    registered = sorted(n for n in load_figure_modules() if n.startswith("02_"))
    assert registered == sorted(dep.NAMES)


def test_the_answer_gives_every_02_figure_its_data():
    assert list(FIGURES) == list(dep.NAMES)
    np.testing.assert_allclose(FIGURES["02_deprivation_rates"].loc["district"].to_numpy(), np.array(TOTALS) / 453,
                               rtol=0, atol=TOL)
    assert FIGURES["02_af_measures"].loc["Cam Tuyên", "M0"] == pytest.approx(386 / (12 * 1481), abs=TOL)
    assert FIGURES["02_m0_share"].loc["Cam Tuyên", "M0_share"] == pytest.approx(386 / 1471, abs=TOL)
    assert FIGURES["02_overlap_bounds"].loc[4, 11] == 131
    assert FIGURES["02_score_bounds"].loc["district", ["fewest", "most"]].tolist() == [116, 449]
    workload = FIGURES["02_office_workload"]["matrix"]
    assert workload.loc["Culture and Information"].sum() == 294 + 130
    assert FIGURES["02_unit_profiles"]["clusters"]["most_distinct"] == "Cam Nghĩa"


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


OUR_LABELS = ["dep_rates_title", "dim_rates_title", "af_title", "af_A_cutoff", "contribution_pct",
              "indicator_contrib_title", "dimension_contrib_title", "m0_share_pct", "household_share_pct",
              "deviation_pp", "workload_title", "households_both", "all_poor", "share_of_poor_pct"]


@pytest.mark.parametrize("name", dep.NAMES)
def test_figure_renders_in_both_languages(name):
    english_labels = {label(k, "en") for k in OUR_LABELS}
    fig_en = draw(name, FIGURES[name], "en")
    fig_vi = draw(name, FIGURES[name], "vi")
    try:
        en, vi = _texts(fig_en), _texts(fig_vi)
        assert en and vi and en != vi
        assert not any(label_ in text for text in vi for label_ in english_labels)
        assert "Cam Lộ district" in " ".join(en) or name == "02_overlap_bounds" or "Thanh An" in " ".join(en)
    finally:
        plt.close(fig_en)
        plt.close(fig_vi)


def test_numbers_never_print_as_negative_zero():
    assert dep._number(-0.3, "en") == "0"
    assert dep._number(-0.6, "en") == "-1"
    assert dep._number(-0.04, "vi", 1) == "0,0"
    assert dep._number(0.0217, "vi", 4) == "0,0217"


def test_vietnamese_figures_use_a_decimal_comma():
    fig = draw("02_af_measures", FIGURES["02_af_measures"], "vi")
    try:
        texts = _texts(fig)
        assert "0,0217" in " ".join(texts)  # Cam Tuyên's M0
        assert not any("0.0217" in t for t in texts)
    finally:
        plt.close(fig)


def test_heatmap_annotations_are_the_rates():
    fig = draw("02_deprivation_rates", FIGURES["02_deprivation_rates"], "en")
    try:
        ax = fig.axes[0]
        cells = [t.get_text() for t in ax.texts]
        expected = [format_number(100 * v, "en") for v in profiles.deprivation_rate_matrix(MEASURES).to_numpy().ravel()]
        assert cells == expected
        assert cells[5 * 12 + 9] == "69"  # Cam Tuyên, hygienic latrine: 75 / 109
    finally:
        plt.close(fig)


def _digests(paths) -> dict[str, str]:
    return {p.relative_to(p.parents[1]).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.mark.parametrize("name", dep.NAMES)
def test_saving_twice_gives_identical_files(tmp_path, name):
    first = _digests(save_figures({name: FIGURES[name]}, tmp_path / "a"))
    second = _digests(save_figures({name: FIGURES[name]}, tmp_path / "b"))
    assert sorted(first) == [f"{lang}/{name}.{ext}" for lang in ("en", "vi") for ext in ("png", "svg")]
    assert first == second
