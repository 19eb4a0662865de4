"""Notebook 04's figures and workbook sheets: drawn from the answer, synthetic exactly when the records are.

The numbers behind each figure are tested where they are computed (test_af_records,
test_records_view, test_transitions); here: the answer's figure data are those numbers,
unchanged; each figure draws in both languages with the synthetic caveat on its source line
exactly when the data say so; the sheets are made from the answer.
"""

from __future__ import annotations

import openpyxl
import pytest

import camlo
from camlo.answers import records as answer04
from camlo.charts import fig04_records as charts
from camlo.charts.style import draw_given, load_figure_modules
from camlo.measures.af_records import OFFICIAL, measure_by_k
from camlo.report import workbook
from camlo.report.figures import draw
from camlo.text.labels import label
from shipped_tables import SHIPPED, STANDARD


@pytest.fixture(scope="module")
def before():
    return camlo.classify(camlo.load_records(), STANDARD)


@pytest.fixture(scope="module")
def after():
    return answer04.load_review(answer04.SYNTHETIC_FOLLOW_UP, STANDARD).records


@pytest.fixture(scope="module")
def result():
    """Notebook 04's answer on the shipped synthetic reviews (fewer paths: the figures only draw them)."""
    return answer04.run({"n_paths": 2_000})


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_every_figure_of_notebook_04_is_registered_and_in_the_answer(result):
    registry = load_figure_modules()
    assert set(charts.NAMES) <= set(registry) and set(result.figures) == set(charts.NAMES)
    assert all(not hasattr(registry[name], "data") for name in charts.NAMES)


@pytest.mark.parametrize("name", charts.NAMES)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_figures_carry_the_synthetic_caveat_only_for_synthetic_records(result, name, lang):
    data = result.figures[name]
    caveat = label("r04_source_synthetic", lang).split(",")[0]  # "Source: SYNTHETIC household records"
    made_up = texts(draw(name, data, lang))
    assert caveat in made_up.replace("\n", " ")
    real = texts(draw(name, {**data, "synthetic": False}, lang))
    assert caveat not in real.replace("\n", " ")
    assert label("r04_source_records", lang).split(";")[0] in real.replace("\n", " ")


def test_the_figure_data_are_the_measures_unchanged(result, before, after):
    measures = camlo.af_from_records(before, SHIPPED.indicators)
    for measure in ("H", "A", "M0"):
        assert result.figures["04_measures_by_k"][measure].equals(measure_by_k(measures, measure))
    moves = camlo.transitions(before, after, steps=2)
    assert result.figures["04_transitions"]["table"].equals(moves.table)
    both = result.figures["04_co_deprivation"]["both"]
    pairs = camlo.co_deprivation(before, SHIPPED.indicators)
    row = pairs[(pairs["indicator_j"] == 4) & (pairs["indicator_k"] == 11)].iloc[0]
    assert both.loc[4, 11] == both.loc[11, 4] == row["both"]
    assert result.figures["04_decomposition"]["unit"].loc["district", "M0"] == measure_by_k(measures, "M0").loc[
        "district", OFFICIAL]
    projection = result.figures["04_projection_measured"]
    assert projection["second_review"] == (2, int((after["status_recorded"] == "poor").sum()))
    assert projection["measured_params"].csgn_exit == moves.annual_rates()["csgn_exit"]
    assert int(moves.table[["poor_csgn", "poor_btxh"]].to_numpy().sum()) == 311


def test_a_figure_the_answer_lacks_is_not_drawn(result):
    assert draw_given(result.figures, "04_transitions") is not None
    assert draw_given({k: v for k, v in result.figures.items() if k != "04_transitions"}, "04_transitions") is None


def _rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_records_sheets_say_synthetic_and_hold_the_measures(tmp_path, result, before, after):
    path = workbook.write_workbook(tmp_path / "w.xlsx", workbook.sheets_for(result))
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 2
    for ws in book.worksheets:
        rows = _rows(ws)
        assert "SYNTHETIC" in rows[1][0] and "MÔ PHỎNG" in rows[0][0] and "SYNTHETIC" in rows[2][0]
    rows = _rows(book.worksheets[0])
    header = next(i for i, row in enumerate(rows) if row[0] == "Đơn vị")
    district = rows[-1]
    m0 = measure_by_k(camlo.af_from_records(before, SHIPPED.indicators), "M0").loc["district"]
    assert district[0] == workbook.TOTAL and district[3] == round(m0[OFFICIAL], 6)
    assert district[4:] == [round(m0[k], 6) for k in range(1, 13)]
    assert rows[header + 1][4] == "M0, k = 1"
    moves = _rows(book.worksheets[1])
    assert moves[-1][-2] == camlo.transitions(before, after, steps=2).table.loc["entered", "other"]
    assert "CSGN households leaving poverty = 0.5286" in moves[3][0]  # the rate named, not its code


def test_the_sheets_of_records_without_a_sidecar_or_a_second_review_say_neither(tmp_path):
    mine = tmp_path / "review.csv"
    mine.write_bytes(answer04.SYNTHETIC_RECORDS.read_bytes())  # the same households, no sidecar: real records
    result = answer04.run({"records_path": str(mine), "n_paths": 2_000})
    book = openpyxl.load_workbook(workbook.write_workbook(tmp_path / "w.xlsx", workbook.sheets_for(result)))
    text = "\n".join(str(v) for ws in book.worksheets for row in _rows(ws) for v in row if v is not None)
    assert "SYNTHETIC" not in text and "MÔ PHỎNG" not in text
    moves = _rows(book.worksheets[1])
    assert label("wb_transitions_none", "en") in moves[3][0]
    assert len(moves) == 7  # titles, source, note, a blank row, the two header rows: no transitions
