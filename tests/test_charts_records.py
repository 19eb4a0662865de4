"""Notebook 04's figures and workbook sheets: they draw the data given, say when records are synthetic.

The numbers behind each figure are tested where they are computed (test_af_records,
test_records_view, test_transitions); here: each data builder passes those numbers on
unchanged, each figure draws in both languages with the synthetic caveat on its source line
exactly when the data say so, and the registered data come from the shipped synthetic records.
"""

from __future__ import annotations

import openpyxl
import pytest

import camlo
from camlo.charts import fig04_records as charts
from camlo.charts.style import load_figure_modules
from camlo.text.labels import label
from camlo.measures import record_views
from camlo.measures.af_records import OFFICIAL, measure_by_k
from camlo.report import workbook
from camlo.targets.projection import measured_projection
from shipped_tables import SHIPPED


@pytest.fixture(scope="module")
def before():
    return record_views.shipped_records()


@pytest.fixture(scope="module")
def after():
    return record_views.shipped_records(follow_up=True)


@pytest.fixture(scope="module")
def data(before, after) -> dict:
    """Each figure's data, computed once from the shipped synthetic records."""
    tables = camlo.load_plan_tables()
    measures = camlo.af_from_records(before, SHIPPED.indicators)
    moves = camlo.transitions(before, after, steps=2)
    from camlo.targets.plan import path_comparison, plan_goal

    goal = plan_goal(tables.headline, tables.targets)
    return {
        "04_score_distribution": record_views.score_data(before, SHIPPED.indicators, True),
        "04_measures_by_k": record_views.by_k_data(measures, True),
        "04_rank_by_k": record_views.rank_data(measures, True),
        "04_co_deprivation": record_views.co_deprivation_data(camlo.co_deprivation(before, SHIPPED.indicators), True),
        "04_decomposition": record_views.decomposition_data(before, SHIPPED.indicators, True),
        "04_transitions": record_views.transitions_data(moves, True),
        "04_projection_measured": measured_projection(
            moves, goal, path_comparison(tables.observed, tables.households, SHIPPED.register, goal), True, n_paths=2_000),
    }


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_every_figure_of_notebook_04_is_registered_and_has_data(data):
    registry = load_figure_modules()
    assert set(charts.NAMES) <= set(registry) and set(data) == set(charts.NAMES)


@pytest.mark.parametrize("name", charts.NAMES)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_figures_carry_the_synthetic_caveat_only_for_synthetic_records(data, name, lang):
    draw = load_figure_modules()[name].draw
    caveat = label("r04_source_synthetic", lang).split(",")[0]  # "Source: SYNTHETIC household records"
    made_up = texts(draw(data[name], lang=lang))
    assert caveat in made_up.replace("\n", " ")
    real = texts(draw({**data[name], "synthetic": False}, lang=lang))
    assert caveat not in real.replace("\n", " ")
    assert label("r04_source_records", lang).split(";")[0] in real.replace("\n", " ")


def test_data_builders_pass_the_measures_on_unchanged(data, before, after):
    measures = camlo.af_from_records(before, SHIPPED.indicators)
    for measure in ("H", "A", "M0"):
        assert data["04_measures_by_k"][measure].equals(measure_by_k(measures, measure))
    assert data["04_transitions"]["table"].equals(camlo.transitions(before, after, steps=2).table)
    both = data["04_co_deprivation"]["both"]
    pairs = camlo.co_deprivation(before, SHIPPED.indicators)
    row = pairs[(pairs["indicator_j"] == 4) & (pairs["indicator_k"] == 11)].iloc[0]
    assert both.loc[4, 11] == both.loc[11, 4] == row["both"]
    assert data["04_decomposition"]["unit"].loc["district", "M0"] == measure_by_k(measures, "M0").loc[
        "district", OFFICIAL]
    projection = data["04_projection_measured"]
    assert projection["second_review"] == (2, int((after["status_recorded"] == "poor").sum()))
    assert projection["measured_params"].csgn_exit == camlo.transitions(before, after, steps=2).annual_rates()[
        "csgn_exit"]


def test_registered_data_come_from_the_shipped_synthetic_records():
    registry = load_figure_modules()
    tables = camlo.load_plan_tables()
    got = registry["04_transitions"].data(tables)
    assert got["synthetic"] is True
    assert int(got["table"][["poor_csgn", "poor_btxh"]].to_numpy().sum()) == 311


def test_the_records_sheets_say_synthetic_and_hold_the_measures(tmp_path, before):
    path = workbook.write_workbook(tmp_path / "w.xlsx", [workbook.records_af_sheet, workbook.records_transitions_sheet])
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        assert "SYNTHETIC" in rows[1][0] and "GIẢ LẬP" in rows[0][0] and "SYNTHETIC" in rows[2][0]
    ws = book.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Đơn vị")
    district = rows[-1]
    m0 = measure_by_k(camlo.af_from_records(before, SHIPPED.indicators), "M0").loc["district"]
    assert district[0] == workbook.TOTAL and district[3] == round(m0[OFFICIAL], 6)
    assert district[4:] == [round(m0[k], 6) for k in range(1, 13)]
    assert rows[header + 1][4] == "M0, k = 1"
    moves = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert moves[-1][-2] == camlo.transitions(before, record_views.shipped_records(True), steps=2).table.loc["entered", "other"]
