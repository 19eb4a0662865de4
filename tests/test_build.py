"""The report build: what it writes, that it is reproducible, and that a failure keeps old reports."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import nbformat
import openpyxl
import pytest

from camlo.report.build import WORKBOOK, build, notebook_title, numbered_notebooks
from camlo.report.workbook import SHEETS, write_workbook


def test_build_writes_reports_figures_and_workbook(built):
    reports = built / "reports"
    for notebook in numbered_notebooks():
        # each report shows every figure of the committed notebook (which nbval checks), and its title
        stored = nbformat.read(notebook, as_version=4)
        images = sum("image/png" in out.get("data", {}) for cell in stored.cells for out in cell.get("outputs", []))
        html = (reports / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert images > 0 and html.count("<img") == images, notebook.name
        assert notebook_title(stored) in html, notebook.name
        assert (reports / f"{notebook.stem}_no_code.html").exists()
    assert (reports / "index.html").exists() and (reports / WORKBOOK).exists()
    for lang in ("en", "vi"):
        pngs = sorted(p.stem for p in (built / "figures" / lang).glob("*.png"))
        svgs = sorted(p.stem for p in (built / "figures" / lang).glob("*.svg"))
        assert pngs and pngs == svgs
    assert sorted(p.name for p in (built / "figures" / "en").iterdir()) == \
        sorted(p.name for p in (built / "figures" / "vi").iterdir())


def test_index_links_every_report(built):
    index = (built / "reports" / "index.html").read_text(encoding="utf-8")
    for notebook in numbered_notebooks():
        assert f'href="{notebook.stem}.html"' in index and f'href="{notebook.stem}_no_code.html"' in index
    assert f'href="{WORKBOOK}"' in index


def test_no_code_variant_hides_code(built):
    full = (built / "reports" / "01_baseline.html").read_text(encoding="utf-8")
    bare = (built / "reports" / "01_baseline_no_code.html").read_text(encoding="utf-8")
    cell = 'class="jp-Cell jp-CodeCell'
    code_cells = full.count(cell)
    assert code_cells > 5 and full.count("jp-mod-noInput") == 0
    assert 0 < bare.count(cell) == bare.count("jp-mod-noInput") <= code_cells
    assert bare.count("<img") == full.count("<img") > 0


def test_build_matches_the_committed_figures(built):
    """The committed figures are what the notebooks produce now (re-run leaves them identical)."""
    from camlo.paths import PROJECT_ROOT

    committed = PROJECT_ROOT / "figures"
    for lang in ("en", "vi"):
        fresh = sorted(p.name for p in (built / "figures" / lang).iterdir())
        assert fresh == sorted(p.name for p in (committed / lang).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(built / "figures" / lang, committed / lang, fresh, shallow=False)
        assert not mismatch and not errors, (lang, mismatch, errors)


def test_workbook_is_byte_reproducible(tmp_path):
    first = write_workbook(tmp_path / "a.xlsx")
    second = write_workbook(tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


def test_workbook_headers_and_numbers(tmp_path):
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx"))
    assert len(wb.sheetnames) == len(SHEETS)
    ws = wb["1 Cơ sở - Baseline"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Đơn vị")
    assert rows[header + 1][0] == "Unit"
    data = rows[header + 2:]
    assert [r[0] for r in data] == ["Thanh An", "TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên",
                                    "Cam Chính", "Cam Hiếu", "Tổng"]
    tuyen = data[5]
    assert tuyen[1:4] == [1481, 101, 109] and isinstance(tuyen[1], int)
    assert tuyen[4] == 7.36 and tuyen[5] == 3.76
    assert tuyen[7:9] == [48, 56]
    assert data[-1][1] == 14905 and data[-1][8] == 108
    for name in wb.sheetnames:  # every data cell is a number, text or empty, never a number as text
        for row in wb[name].iter_rows(min_row=8, values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.replace(".", "", 1).isdigit()), (name, value)


def _failing_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise ValueError('deliberate')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_failing_notebook_keeps_previous_reports(tmp_path, capsys):
    reports, figures = tmp_path / "reports", tmp_path / "figures"
    reports.mkdir()
    (reports / "index.html").write_text("previous", encoding="utf-8")
    (figures / "en").mkdir(parents=True)
    (figures / "en" / "old.png").write_bytes(b"old")
    bad = _failing_notebook(tmp_path / "09_broken.ipynb")
    assert build(output=reports, notebooks=[bad], figures=figures) == 1
    err = capsys.readouterr().err
    assert "09_broken.ipynb, cell 3" in err and "deliberate" in err
    assert (reports / "index.html").read_text(encoding="utf-8") == "previous"
    assert (figures / "en" / "old.png").read_bytes() == b"old"
    assert not list(tmp_path.glob(".reports-build-*"))


def test_committed_notebooks_are_clean_runs():
    for path in numbered_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code" and c["source"]]
        assert counts == list(range(1, len(counts) + 1)), path.name
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error", path.name
                assert out.get("name") != "stderr", (path.name, out)
