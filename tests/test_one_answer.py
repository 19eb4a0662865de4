"""One answer per question, end to end: a build's index, report, workbook and figures state the
answer its notebook computed, whatever data and parameters it was given, and a build redoes only
the notebooks whose inputs changed."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from camlo.paths import DATA_RAW
from camlo.report import build as build_module
from camlo.report.build import MANIFEST, WORKBOOK, build
from camlo.report.figures import png_bytes
from camlo.report.notebooks import answer_module, notebook_parameters, numbered_notebooks, read_notebook
from camlo.report.workbook import read_sheets_json, sheets_for
from camlo.text.labels import label

TARGETS = next(p for p in numbered_notebooks() if p.stem.startswith("03_"))


def _answer(params: dict):
    nb = read_notebook(TARGETS)
    return answer_module(nb).run({**notebook_parameters(nb), **params})


def _taking(parameter: str) -> list[str]:
    """The notebooks whose parameters cell defines ``parameter``."""
    return sorted(p.stem for p in numbered_notebooks() if parameter in notebook_parameters(read_notebook(p)))


def _rebuilt(monkeypatch) -> list[str]:
    ran, execute = [], build_module.execute
    monkeypatch.setattr(build_module, "execute", lambda path, *a: ran.append(path.stem) or execute(path, *a))
    return ran


def _visible(page: str) -> str:
    """A report's text as a reader sees it (tags dropped, entities read)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def assert_products_state(answer, reports: Path, stem: str) -> None:
    """Index, report, workbook sheets and figures of ``stem`` in ``reports`` are those of ``answer``."""
    entry = json.loads((reports / MANIFEST).read_text(encoding="utf-8"))["notebooks"][stem]
    finding = {lang: answer.finding.text(lang) for lang in ("en", "vi")}
    assert entry["finding"] == finding
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert html.escape(finding["en"]) in index and html.escape(finding["vi"]) in index
    for lang in ("en", "vi"):
        report = _visible((reports / f"{stem}.{lang}.html").read_text(encoding="utf-8"))
        for name, part in answer.text.items():  # every computed sentence, as the report shows it (markup aside)
            for line in re.sub(r"\*+|`", "", part.text(lang)).splitlines():
                plain = re.sub(r"\s+", " ", re.sub(r"^\s*(?:>\s*)*(?:(?:[-*]|\d+\.) )?", "", line)).strip()
                assert plain in report, (name, lang, plain)
    written = read_sheets_json(reports / "sheets" / f"{stem}.json")
    expected = sheets_for(answer)
    assert [(s.name, s.note, s.frame.to_numpy().tolist()) for s in written] == \
        [(s.name, s.note, s.frame.astype(object).where(s.frame.notna(), None).to_numpy().tolist()) for s in expected]
    import openpyxl

    book = openpyxl.load_workbook(reports / WORKBOOK)
    for sheet in expected:
        cells = [c for row in book[sheet.name].iter_rows(values_only=True) for c in row if c is not None]
        assert label(sheet.title, "vi") in cells and (not sheet.note or sheet.note in cells)
    from camlo.report.figures import draw

    for name, data in answer.figures.items():
        for lang in ("en", "vi"):
            assert (reports / "figures" / lang / f"{name}.png").read_bytes() == png_bytes(draw(name, data, lang)), \
                (name, lang)


@pytest.fixture
def first(tmp_path_factory, built):
    """A copy of the session's full build (for each test its own), to build again with other inputs."""
    root = tmp_path_factory.mktemp("again")
    shutil.copytree(built / "reports", root / "reports")
    return root / "reports"


def test_a_new_review_in_a_copy_of_the_data_rebuilds_notebook_03_only_and_every_product_follows(
        first, tmp_path, monkeypatch):
    observed = tmp_path / "observed_reviews.csv"
    observed.write_text((DATA_RAW / "observed_reviews.csv").read_text(encoding="utf-8")
                        + "2024,end-of-year review,district,268,,\n", encoding="utf-8")
    shutil.copy(DATA_RAW / "observed_reviews_dtts.csv", tmp_path / "observed_reviews_dtts.csv")
    before = json.loads((first / MANIFEST).read_text(encoding="utf-8"))["notebooks"][TARGETS.stem]["finding"]
    ran = _rebuilt(monkeypatch)
    assert build(output=first, pdf=False, params={"observed_path": str(observed)}) == 0
    assert sorted(ran) == _taking("observed_path") and TARGETS.stem in ran  # 01 and 02 read no review
    answer = _answer({"observed_path": str(observed)})
    assert answer.finding.text("en") != before["en"]  # the new review changes the answer ...
    assert_products_state(answer, first, TARGETS.stem)  # ... and every product with it


def test_a_scenario_build_states_the_scenarios_answer_everywhere(first, monkeypatch):
    ran = _rebuilt(monkeypatch)
    assert build(output=first, pdf=False, params={"csgn_exit": 0.45}) == 0
    assert sorted(ran) == _taking("csgn_exit") == [TARGETS.stem]  # only notebook 03 has the parameter
    answer = _answer({"csgn_exit": 0.45})
    assert answer.params["csgn_exit"] == 0.45
    assert_products_state(answer, first, TARGETS.stem)


def test_the_default_build_states_each_notebooks_answer_everywhere(built):
    for path in numbered_notebooks():
        nb = read_notebook(path)
        assert_products_state(answer_module(nb).run(notebook_parameters(nb)), built / "reports", path.stem)


def test_a_parameter_no_notebook_has_is_refused(tmp_path, capsys):
    assert build(output=tmp_path / "r", pdf=False, params={"no_such_parameter": 1}) == 2
    assert "no notebook has the parameter no_such_parameter" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
