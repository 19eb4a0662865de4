"""The report build: what it writes, that it is reproducible, that it redoes only what changed,
and that a failure keeps old reports."""

from __future__ import annotations

import filecmp
import html
import json
from pathlib import Path

import nbformat
import openpyxl
import pytest

from camlo.report import build as build_module
from camlo.report.build import MANIFEST, WORKBOOK, build, notebook_title, numbered_notebooks
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
        assert (reports / f"{notebook.stem}.vi.html").exists() and (reports / f"{notebook.stem}.en.html").exists()
    assert (reports / "index.html").exists() and (reports / WORKBOOK).exists()
    manifest = json.loads((reports / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["notebooks"]) == [nb.stem for nb in numbered_notebooks()]
    for stem, entry in manifest["notebooks"].items():
        assert entry["inputs"]["notebook"] and entry["inputs"]["camlo"] and entry["inputs"]["requirements.lock"]
        assert any(name.startswith("data/raw/") for name in entry["inputs"]), stem
        for name in entry["figures"]:
            for lang in ("en", "vi"):
                assert (reports / "thumbnails" / lang / f"{name}.png").exists()
    for lang in ("en", "vi"):
        pngs = sorted(p.stem for p in (reports / "figures" / lang).glob("*.png"))
        svgs = sorted(p.stem for p in (reports / "figures" / lang).glob("*.svg"))
        assert pngs and pngs == svgs
    assert sorted(p.name for p in (reports / "figures" / "en").iterdir()) == \
        sorted(p.name for p in (reports / "figures" / "vi").iterdir())


def test_index_gives_question_finding_links_and_gallery(built):
    index = (built / "reports" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((built / "reports" / MANIFEST).read_text(encoding="utf-8"))
    for notebook in numbered_notebooks():
        entry = manifest["notebooks"][notebook.stem]
        assert f'href="{notebook.stem}.html"' in index and f'href="{notebook.stem}.vi.html"' in index
        assert f'href="{notebook.stem}.en.html"' in index
        assert all(entry["question"][lang] and html.escape(entry["question"][lang]) in index for lang in ("en", "vi"))
        for name in entry["figures"]:
            for lang in ("en", "vi"):
                assert f'src="thumbnails/{lang}/{name}.png"' in index
    assert f'href="{WORKBOOK}"' in index
    assert "figures/en/" not in index.split("<main>")[0]  # the gallery, not a list of files


def test_the_index_states_the_finding_of_each_notebooks_answer(built):
    """The index's finding is the answer's, in both languages: the one the notebook's run computed."""
    import html

    from camlo.report.notebooks import answer_module, notebook_parameters, read_notebook

    index = (built / "reports" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((built / "reports" / MANIFEST).read_text(encoding="utf-8"))
    for notebook in numbered_notebooks():
        nb = read_notebook(notebook)
        module = answer_module(nb)
        if module is None:
            continue
        finding = module.run(notebook_parameters(nb)).finding
        expected = {lang: finding.text(lang) for lang in ("en", "vi")}
        assert manifest["notebooks"][notebook.stem]["finding"] == expected, notebook.stem
        assert all(html.escape(text) in index for text in expected.values()), notebook.stem


def test_a_build_leaves_the_project_as_it_was(built):
    """No file of the project is written, created or removed by a build (figures/ included)."""
    before = json.loads((built / "project_before.json").read_text(encoding="utf-8"))
    after = json.loads((built / "project_after.json").read_text(encoding="utf-8"))
    assert sorted(set(before) ^ set(after)) == []
    assert sorted(name for name in before if before[name] != after[name]) == []


def test_no_code_variant_hides_code(built):
    full = (built / "reports" / "01_baseline.html").read_text(encoding="utf-8")
    bare = (built / "reports" / "01_baseline.en.html").read_text(encoding="utf-8")
    cell = 'class="jp-Cell jp-CodeCell'
    code_cells = full.count(cell)
    assert code_cells > 5 and full.count("jp-mod-noInput") == 0
    assert 0 < bare.count(cell) == bare.count("jp-mod-noInput") <= code_cells
    assert bare.count("<img") == full.count("<img") > 0


def test_build_matches_the_committed_figures(built):
    """The committed figures are what the notebooks' answers draw now (``python -m camlo figures``)."""
    from camlo.paths import FIGURES

    for lang in ("en", "vi"):
        fresh = sorted(p.name for p in (built / "reports" / "figures" / lang).iterdir())
        assert fresh == sorted(p.name for p in (FIGURES / lang).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(built / "reports" / "figures" / lang, FIGURES / lang, fresh,
                                                   shallow=False)
        assert not mismatch and not errors, (lang, mismatch, errors)


def test_workbook_is_byte_reproducible(built, tmp_path):
    from camlo.report.workbook import read_sheets_json

    sheets = [s for path in sorted((built / "reports" / "sheets").glob("*.json")) for s in read_sheets_json(path)]
    first = write_workbook(tmp_path / "a.xlsx", sheets)
    second = write_workbook(tmp_path / "b.xlsx", sheets)
    assert first.read_bytes() == second.read_bytes()


def test_workbook_headers_and_numbers(built):
    wb = openpyxl.load_workbook(built / "reports" / WORKBOOK)
    assert len(wb.sheetnames) == sum(len(sheets) for sheets in SHEETS.values())
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
    reports = tmp_path / "reports"
    (reports / "figures" / "en").mkdir(parents=True)
    (reports / build_module.MARKER).write_text("", encoding="utf-8")
    (reports / "index.html").write_text("previous", encoding="utf-8")
    (reports / "figures" / "en" / "old.png").write_bytes(b"old")
    bad = _failing_notebook(tmp_path / "09_broken.ipynb")
    assert build(output=reports, notebooks=[bad]) == 1
    err = capsys.readouterr().err
    assert "09_broken.ipynb, cell 3" in err and "deliberate" in err
    assert (reports / "index.html").read_text(encoding="utf-8") == "previous"
    assert (reports / "figures" / "en" / "old.png").read_bytes() == b"old"
    assert not list(tmp_path.glob(".reports-build-*"))


# --- Incremental builds, on two small notebooks ------------------------------------------------------


def _small_notebook(path: Path, extra: str = "") -> Path:
    """A notebook that reads one shipped data file through camlo, as the real ones do."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem[:2]} · Small: how many rows?{extra}"),
                nbformat.v4.new_code_cell("import camlo\nlen(camlo.load_observed())")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small(tmp_path):
    """Two small notebooks and a first build of them (without PDFs)."""
    notebooks = [_small_notebook(tmp_path / "91_small.ipynb"), _small_notebook(tmp_path / "92_small.ipynb")]
    reports = tmp_path / "reports"
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    return notebooks, reports


def _executed(monkeypatch) -> list[str]:
    """Record which notebooks the build executes."""
    ran, execute = [], build_module.execute
    monkeypatch.setattr(build_module, "execute", lambda path, *a: ran.append(path.stem) or execute(path, *a))
    return ran


def test_nothing_changed_nothing_runs_and_every_file_stays(small, monkeypatch, capsys):
    notebooks, reports = small
    before, ran = _files(reports), _executed(monkeypatch)
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert ran == [] and "up to date" in capsys.readouterr().out
    assert _files(reports) == before  # same bytes, not even rewritten


def test_a_changed_notebook_alone_is_rebuilt(small, monkeypatch):
    notebooks, reports = small
    kept = (reports / "92_small.html").stat().st_mtime_ns
    _small_notebook(notebooks[0], extra=" (changed)")
    ran = _executed(monkeypatch)
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert ran == ["91_small"]
    assert (reports / "92_small.html").stat().st_mtime_ns == kept
    assert "(changed)" in (reports / "91_small.html").read_text(encoding="utf-8")
    assert "(changed)" in (reports / "index.html").read_text(encoding="utf-8")


def test_the_data_a_notebook_read_is_in_its_key(small, monkeypatch):
    notebooks, reports = small
    entry = build_module._entry(json.loads((reports / MANIFEST).read_text(encoding="utf-8"))["notebooks"]["91_small"])
    assert "data/raw/observed_reviews.csv" in entry.inputs
    package, lock = build_module.inp.package_digest(), build_module.inp.lock_digest()
    assert build_module.is_current(notebooks[0], entry, reports, {}, package, lock)
    # as if a review had been added to the file (data/raw/ itself is never edited)
    digests = build_module.inp.file_digests
    monkeypatch.setattr(build_module.inp, "file_digests", lambda files: {
        name: ("0" * 64 if name == "data/raw/observed_reviews.csv" else digest)
        for name, digest in digests(files).items()})
    assert not build_module.is_current(notebooks[0], entry, reports, {}, package, lock)


def test_force_rebuilds_everything_to_the_same_bytes(small, monkeypatch):
    notebooks, reports = small
    before, ran = _files(reports), _executed(monkeypatch)
    assert build(output=reports, notebooks=notebooks, pdf=False, force=True) == 0
    assert sorted(ran) == ["91_small", "92_small"]
    after = _files(reports)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}


def test_a_failing_notebook_leaves_the_previous_build(small, capsys):
    notebooks, reports = small
    before = _files(reports)
    nb = nbformat.read(notebooks[1], as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('deliberate')"))
    nbformat.write(nb, notebooks[1])
    assert build(output=reports, notebooks=notebooks, pdf=False) == 1
    assert "92_small.ipynb, cell 3" in capsys.readouterr().err
    assert _files(reports) == before
    assert not list(reports.parent.glob(".reports-build-*"))


def test_committed_notebooks_are_clean_runs():
    for path in numbered_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code" and c["source"]]
        assert counts == list(range(1, len(counts) + 1)), path.name
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error", path.name
                assert out.get("name") != "stderr", (path.name, out)


def test_the_baseline_sheets_published_columns_hold_the_printed_total_row():
    """The total row's "published" CSGN and rate are the plan's printed ones (108 and 3.04 in
    data/raw/phu_luc_1.csv), not the units' sum (100) or a blank."""
    import csv

    from camlo.answers import baseline
    from camlo.paths import DATA_RAW
    from camlo.report.workbook import TOTAL, baseline_sheet

    with (DATA_RAW / "phu_luc_1.csv").open(encoding="utf-8", newline="") as handle:
        raw = next(row for row in csv.reader(handle) if row[0] == TOTAL)
    sheet = baseline_sheet(baseline.run())
    headers = dict(zip(sheet.headers, sheet.frame.columns))
    total = sheet.frame.iloc[-1]
    assert total["unit"] == TOTAL
    assert total[headers["wb_csgn_published"]] == int(raw[9]) == 108
    assert total[headers["wb_poor_pct_published"]] == float(raw[4]) == 3.04
    assert total[headers["wb_csgn_reconciled"]] == 108  # the units' reconciled CSGN add up to it
    units = sheet.frame.iloc[:-1]
    assert total[headers["wb_households"]] == units[headers["wb_households"]].sum()
