"""The report build loses nothing and trusts nothing it did not check (issue 21's build items).

A foreign ``--output`` is refused, never emptied; a relative one is the caller's; the manifest
records the digest of every file written and a file that no longer matches is written again;
a manifest of the wrong shape is set aside; ``--no-pdf`` keeps the PDFs of unchanged reports;
the data's checksums are checked before anything runs; a build interrupted at any write leaves
the old reports or the new ones; refusals are one line with exit code 2.

Kernels are slow, so one real build of two small notebooks (one with a figure) is made once
(``template``) and copied for each test; most rebuilds then use :func:`fake_execute`, which
hands the build what the template's kernels published (the build's own code runs unchanged).
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from camlo.paths import DATA_RAW, FIGURES, PROJECT_ROOT
from camlo.report import build as build_module
from camlo.report.build import MANIFEST, MARKER, SET_ASIDE, WORKBOOK, build
from camlo.report.notebooks import inject_parameters, read_notebook
from camlo.text.numbers import LANGS

#: A cell giving notebook 01's answer with one of its figures (drawn in the kernel: a second or two).
FIGURE_CELL = ("import dataclasses\nfrom camlo.answers import baseline\nwhole = baseline.run({})\n"
               "answer = dataclasses.replace(whole, figures={'01_households_by_status': "
               "whole.figures['01_households_by_status']})")


def _notebook(path: Path, extra: str = "", *, figure: bool = False) -> Path:
    """A small notebook that reads a shipped file through camlo; with ``figure``, an answer with one figure."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem[:2]} · Small: how many rows?{extra}"),
                nbformat.v4.new_code_cell("import camlo\nlen(camlo.load_observed())")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if figure:
        nb.cells.append(nbformat.v4.new_code_cell(FIGURE_CELL))
        nb.metadata["camlo"] = {"answer": "camlo.answers.baseline"}
    nbformat.write(nb, path)
    return path


def _fake_pdfs(monkeypatch) -> None:
    """A 'browser' that prints a page to a small file naming the page's digest (Chromium takes seconds)."""
    from camlo.report import pdf
    from camlo.report.inputs import sha256_file

    monkeypatch.setattr(pdf, "chromium", lambda: "/nonexistent/chromium")
    monkeypatch.setattr(pdf, "chromium_version", lambda executable: "Chromium 0 (test)")
    def print_pdfs(jobs, executable=None, *, parallel=2, printed=None):
        for page, target in jobs:
            Path(target).write_bytes(b"%PDF-test " + sha256_file(page).encode())
            if printed is not None:
                printed(Path(target))
        return [Path(target) for _, target in jobs]

    monkeypatch.setattr(pdf, "print_pdfs", print_pdfs)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Two small notebooks (91 with one figure) and a real first build of them, with (fake) PDFs."""
    root = tmp_path_factory.mktemp("template")
    notebooks = [_notebook(root / "91_small.ipynb", figure=True), _notebook(root / "92_small.ipynb")]
    with pytest.MonkeyPatch.context() as monkeypatch:
        _fake_pdfs(monkeypatch)
        assert build(output=root / "reports", notebooks=notebooks) == 0
    return root


@pytest.fixture
def small(template, tmp_path):
    """A copy of the template's notebooks and reports: ``(notebooks, reports)``."""
    for path in template.glob("*.ipynb"):
        shutil.copy2(path, tmp_path / path.name)
    shutil.copytree(template / "reports", tmp_path / "reports")
    return sorted(tmp_path.glob("*.ipynb")), tmp_path / "reports"


@pytest.fixture
def fake_execute(template, monkeypatch):
    """Replace the kernel by what the template's kernels published; returns the notebooks it ran."""
    manifest = json.loads((template / "reports" / MANIFEST).read_text(encoding="utf-8"))
    ran: list[str] = []

    def execute(path, staging, params, savers=1):
        ran.append(path.stem)
        nb = read_notebook(path)
        inject_parameters(nb, params)
        entry = manifest["notebooks"].get(path.stem, {"figures": {}, "sheets": False,
                                                        "finding": {lang: "" for lang in LANGS}})
        for name in entry["figures"]:
            for lang in LANGS:
                for suffix in (".png", ".svg"):
                    target = staging / ".figures" / path.stem / lang / (name + suffix)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(template / "reports" / "figures" / lang / (name + suffix), target)
        if entry["sheets"]:
            (staging / "sheets").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template / "reports" / "sheets" / f"{path.stem}.json",
                            staging / "sheets" / f"{path.stem}.json")
        return nb, {"finding": entry["finding"]}

    monkeypatch.setattr(build_module, "execute", execute)
    return ran


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest(reports: Path) -> dict:
    return json.loads((reports / MANIFEST).read_text(encoding="utf-8"))


def _write_manifest(reports: Path, manifest) -> None:
    (reports / MANIFEST).write_text(manifest if isinstance(manifest, str) else json.dumps(manifest), encoding="utf-8")


# --- The output folder ------------------------------------------------------------------------------------


def test_a_folder_that_no_build_made_is_refused_and_left_whole(tmp_path, fake_execute, capsys):
    notebooks = [_notebook(tmp_path / "91_small.ipynb")]
    mine = tmp_path / "minutes"
    (mine / "lists").mkdir(parents=True)
    (mine / "minutes.docx").write_bytes(b"minutes of the review meeting")
    (mine / "lists" / "poor.csv").write_bytes(b"household,status\n")
    before = _files(mine)
    assert build(output=mine, notebooks=notebooks, pdf=False) == 2
    err = capsys.readouterr().err
    assert "no camlo build wrote" in err and len(err.strip().splitlines()) == 1
    assert _files(mine) == before and fake_execute == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["91_small.ipynb", "minutes"]


def test_a_file_as_output_is_refused_before_anything_runs(tmp_path, fake_execute, monkeypatch, capsys):
    """``--output data/raw/phu_luc_1.csv`` once ran every notebook and hid the transcription."""
    notebooks = [_notebook(tmp_path / "91_small.ipynb")]
    raw_before = _files(DATA_RAW)
    monkeypatch.chdir(PROJECT_ROOT)
    assert build(output="data/raw/phu_luc_1.csv", notebooks=notebooks, pdf=False) == 2
    assert "is a file" in capsys.readouterr().err
    elsewhere = tmp_path / "notes.txt"
    elsewhere.write_bytes(b"notes")
    assert build(output=elsewhere, notebooks=notebooks, pdf=False) == 2
    assert elsewhere.read_bytes() == b"notes" and fake_execute == []
    assert _files(DATA_RAW) == raw_before
    assert not [p for p in DATA_RAW.parent.rglob(".*") if ".old" in p.name or "-build-" in p.name]


def test_a_build_folder_keeps_a_file_the_build_did_not_write(small, fake_execute):
    notebooks, reports = small
    (reports / "notes.txt").write_bytes(b"my notes")
    _notebook(notebooks[1], extra=" (changed)")
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert fake_execute == ["92_small"]
    assert (reports / "notes.txt").read_bytes() == b"my notes"
    assert build(output=reports, notebooks=notebooks, pdf=False, force=True) == 0
    assert (reports / "notes.txt").read_bytes() == b"my notes"


def test_a_folder_in_the_way_of_the_swap_is_refused(small, fake_execute, capsys):
    notebooks, reports = small
    way = reports.with_name(".reports.old")
    way.mkdir()
    (way / "mine.txt").write_bytes(b"mine")
    _notebook(notebooks[1], extra=" (changed)")
    assert build(output=reports, notebooks=notebooks, pdf=False) == 2
    assert "no camlo build wrote it" in capsys.readouterr().err
    assert (way / "mine.txt").read_bytes() == b"mine" and fake_execute == []


def test_a_relative_output_is_the_callers_not_the_kernels(tmp_path, monkeypatch):
    """Kernels run in the notebooks' folder: a relative --output once emptied figures/ from there."""
    def state(folder: Path) -> dict:
        return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}

    (tmp_path / "nbs").mkdir()
    (tmp_path / "work").mkdir()
    notebooks = [_notebook(tmp_path / "nbs" / "92_small.ipynb")]
    figures_before = state(FIGURES)
    monkeypatch.chdir(tmp_path / "work")
    assert build(output="reports_copy", notebooks=notebooks, pdf=False) == 0
    assert (tmp_path / "work" / "reports_copy" / "index.html").is_file()
    assert (tmp_path / "work" / "reports_copy" / "92_small.vi.html").is_file()
    assert sorted(p.name for p in (tmp_path / "nbs").iterdir()) == ["92_small.ipynb"]
    assert sorted(p.name for p in (tmp_path / "work").iterdir() if not p.name.endswith(".lock")) == ["reports_copy"]
    assert state(FIGURES) == figures_before


def test_two_builds_into_one_folder_do_not_run_at_once(small, fake_execute, capsys):
    from camlo.files import locked

    notebooks, reports = small
    _notebook(notebooks[1], extra=" (changed)")
    before = _files(reports)
    with locked(reports):
        assert build(output=reports, notebooks=notebooks, pdf=False) == 2
    assert "another camlo build is writing" in capsys.readouterr().err
    assert _files(reports) == before and fake_execute == []


# --- What the manifest records --------------------------------------------------------------------------


def test_the_manifest_records_every_file_written(small):
    _, reports = small
    files = _manifest(reports)["files"]
    assert set(files) == set(_files(reports)) - {MANIFEST}
    assert {"figures/en/01_households_by_status.png", "thumbnails/vi/01_households_by_status.png",
            "91_small.vi.pdf", "sheets/91_small.json", WORKBOOK, MARKER} <= set(files)


def test_a_truncated_report_is_noticed_and_written_again(small, capsys):
    """A truncated no-code page was kept (and its PDF reprinted from it, a blank page)."""
    notebooks, reports = small
    page = reports / "92_small.vi.html"
    good = page.read_bytes()
    page.write_bytes(good[:100])
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert "(92_small)" in capsys.readouterr().out  # 92 alone was rebuilt, by its kernel
    assert page.read_bytes() == good


@pytest.mark.parametrize("name", ["figures/vi/01_households_by_status.svg", "thumbnails/en/01_households_by_status.png",
                                  "sheets/91_small.json", WORKBOOK, "index.html", MARKER])
def test_a_damaged_file_is_written_again(small, fake_execute, name):
    notebooks, reports = small
    good = (reports / name).read_bytes()
    (reports / name).write_bytes(good[: len(good) // 2])
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert (reports / name).read_bytes() == good
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0  # and now it is up to date
    assert fake_execute == ([] if name in (WORKBOOK, "index.html", MARKER) else ["91_small"])


def test_an_emptied_figure_list_deletes_no_figure(small, fake_execute, capsys):
    """An entry with no figures made the build drop them from reports/ and figures/, then say up to date."""
    notebooks, reports = small
    figures_before = _files(FIGURES)
    manifest = _manifest(reports)
    manifest["notebooks"]["91_small"]["figures"] = {}
    _write_manifest(reports, manifest)
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert "set aside" in capsys.readouterr().err
    assert sorted(fake_execute) == ["91_small", "92_small"]
    assert _manifest(reports)["notebooks"]["91_small"]["figures"]
    for lang in LANGS:
        assert (reports / "figures" / lang / "01_households_by_status.png").is_file()
        assert (reports / "thumbnails" / lang / "01_households_by_status.png").is_file()
    assert _files(FIGURES) == figures_before


# --- A manifest of the wrong shape ------------------------------------------------------------------------


def _reshaped(manifest: dict, how: str):
    if how == "a list":
        return []
    if how == "a string":
        return "reports"
    if how == "not JSON":
        return '{"format": 3, "notebooks": {'
    if how == "notebooks a list":
        return {**manifest, "notebooks": list(manifest["notebooks"].values())}
    if how == "notebooks null":
        return {**manifest, "notebooks": None}
    if how == "inputs null":
        manifest["notebooks"]["91_small"]["inputs"] = None
    if how == "figures a list":
        manifest["notebooks"]["91_small"]["figures"] = ["../../data/raw/phu_luc_1"]
    if how == "no files":
        del manifest["files"]
    if how == "a file outside":
        manifest["files"]["../escape.txt"] = "0" * 64
    return manifest


@pytest.mark.parametrize("how", ["a list", "a string", "not JSON", "notebooks a list", "notebooks null",
                                 "inputs null", "figures a list", "no files", "a file outside"])
def test_a_manifest_of_the_wrong_shape_is_set_aside_and_everything_rebuilt(small, fake_execute, capsys, how):
    notebooks, reports = small
    _write_manifest(reports, _reshaped(_manifest(reports), how))
    bad = (reports / MANIFEST).read_bytes()
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    err = capsys.readouterr().err
    assert "set aside" in err and MANIFEST in err
    assert sorted(fake_execute) == ["91_small", "92_small"]
    assert (reports / SET_ASIDE).read_bytes() == bad
    assert build_module.read_manifest(reports)[1] is None
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0  # the next build is up to date
    assert sorted(fake_execute) == ["91_small", "92_small"]


# --- PDFs -----------------------------------------------------------------------------------------------


def test_no_pdf_keeps_the_pdfs_of_unchanged_reports(small, fake_execute):
    """``--no-pdf`` deleted every PDF whenever anything was stale."""
    notebooks, reports = small
    kept = (reports / "91_small.vi.pdf").read_bytes()
    _notebook(notebooks[1], extra=" (changed)")
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert fake_execute == ["92_small"]
    assert (reports / "91_small.vi.pdf").read_bytes() == kept
    assert not (reports / "92_small.vi.pdf").exists()  # the old PDF of a changed report would be wrong
    entries = _manifest(reports)["notebooks"]
    assert entries["91_small"]["pdf_key"] and not entries["92_small"]["pdf_key"]


def test_a_damaged_pdf_is_reprinted_or_dropped_never_kept(small, fake_execute, monkeypatch):
    notebooks, reports = small
    pdf = reports / "91_small.vi.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[:5])
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0  # no browser: dropped
    assert not pdf.exists() and not _manifest(reports)["notebooks"]["91_small"]["pdf_key"]
    _fake_pdfs(monkeypatch)
    assert build(output=reports, notebooks=notebooks) == 0  # a browser: printed again
    assert pdf.read_bytes() == good and fake_execute == []


# --- The data's checksums ---------------------------------------------------------------------------------


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    """A copy of two shipped raw files with their sidecars, standing in for data/; a notebook reading them."""
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    for name in ("observed_reviews.csv", "phu_luc_1.csv"):
        for path in (DATA_RAW / name, DATA_RAW / f"{name}.provenance.json"):
            shutil.copy2(path, data / "raw" / path.name)
    module = "safety_answer_" + "".join(c for c in tmp_path.name if c.isalnum())  # one per test: imports are cached
    (tmp_path / f"{module}.py").write_text(
        "from pathlib import Path\n"
        "def inputs(params):\n"
        f"    files = {{p.name: p for p in Path({str(data / 'raw')!r}).glob('*.csv')}}\n"
        "    if params.get('records_path'):\n"
        "        files['records_path:x'] = Path(params['records_path'])\n"
        "    return files\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(build_module, "DATA", data)
    nb = nbformat.read(_notebook(tmp_path / "93_data.ipynb"), as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("records_path = None", metadata={"tags": ["parameters"]}))
    nb.metadata["camlo"] = {"answer": module}
    nbformat.write(nb, tmp_path / "93_data.ipynb")
    return data / "raw", tmp_path / "93_data.ipynb"


def test_a_recorded_row_deleted_from_the_reviews_is_refused(own_data, tmp_path, fake_execute, capsys):
    raw, notebook = own_data
    reviews = raw / "observed_reviews.csv"
    reviews.write_bytes(b"".join(reviews.read_bytes().splitlines(keepends=True)[:-1]))
    assert build(output=tmp_path / "reports", notebooks=[notebook], pdf=False) == 2
    err = capsys.readouterr().err
    assert "observed_reviews.csv differs from the sha256 its sidecar records" in err
    assert "python -m camlo record" in err and len(err.strip().splitlines()) == 1
    assert fake_execute == [] and not (tmp_path / "reports").exists()


def test_an_edited_transcription_is_refused(own_data, tmp_path, fake_execute, capsys):
    raw, notebook = own_data
    (raw / "phu_luc_1.csv").write_bytes((raw / "phu_luc_1.csv").read_bytes().replace(b",", b";", 1))
    assert build(output=tmp_path / "reports", notebooks=[notebook], pdf=False) == 2
    err = capsys.readouterr().err
    assert "phu_luc_1.csv differs" in err and "restore it" in err and fake_execute == []


def test_data_as_recorded_and_the_users_own_files_are_built(own_data, tmp_path, fake_execute):
    """Only shipped files with sidecars are checked: a file given as -p …_path is the user's."""
    _, notebook = own_data
    mine = tmp_path / "mine" / "records.csv"
    mine.parent.mkdir()
    mine.write_bytes(b"household_id,members\n1,4\n")
    (mine.parent / "records.csv.provenance.json").write_text(json.dumps({"sha256": "0" * 64}), encoding="utf-8")
    assert build(output=tmp_path / "reports", notebooks=[notebook], pdf=False, params={"records_path": str(mine)}) == 0
    assert fake_execute == ["93_data"]


# --- The swap and every write: interrupted ---------------------------------------------------------------


def test_a_failed_second_rename_of_the_swap_puts_the_old_reports_back(small, fake_execute, monkeypatch, capsys):
    notebooks, reports = small
    before = _files(reports)
    _notebook(notebooks[1], extra=" (changed)")
    rename = os.rename

    def failing(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".reports-build-"):
            raise OSError(28, "No space left on device", str(src))
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", failing)
    assert build(output=reports, notebooks=notebooks, pdf=False) == 1
    assert "previous reports are left in place" in capsys.readouterr().err
    assert _files(reports) == before
    assert sorted(p.name for p in reports.parent.iterdir() if p.is_dir()) == ["reports"]


def test_reports_left_aside_by_a_stopped_build_are_brought_back(small, fake_execute, capsys):
    """Killed between the two renames of the swap, a build once left no reports/ at all."""
    notebooks, reports = small
    before = _files(reports)
    reports.rename(reports.with_name(".reports.old"))
    assert build(output=reports, notebooks=notebooks, pdf=False) == 0
    assert "brought back" in capsys.readouterr().out
    assert _files(reports) == before and fake_execute == []
    assert not reports.with_name(".reports.old").exists()


class Fault(OSError):
    """The write the test interrupts."""


def _faulty(monkeypatch, at: int | None) -> list[str]:
    """Make the ``at``-th write of the build raise (a rename, a link, a folder made, a file opened to
    write); returns the writes seen."""
    seen: list[str] = []
    real = {"rename": os.rename, "replace": os.replace, "link": os.link, "mkdir": os.mkdir}
    real_open = builtins.open

    def step(what: str) -> None:
        seen.append(what)
        if len(seen) == at:
            raise Fault(5, f"interrupted at {what}")

    def wrap(name):
        def call(*args, **kwargs):
            step(f"{name} {args[0]}")
            return real[name](*args, **kwargs)
        return call

    def opened(file, mode="r", *args, **kwargs):
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            step(f"open {file}")
        return real_open(file, mode, *args, **kwargs)

    for name in real:
        monkeypatch.setattr(os, name, wrap(name))
    monkeypatch.setattr(builtins, "open", opened)
    monkeypatch.setattr(io, "open", opened)
    return seen


def test_a_build_interrupted_at_any_write_leaves_the_old_reports_or_the_new(small, fake_execute, tmp_path):
    notebooks, reports = small
    _notebook(notebooks[0], extra=" (changed)")
    old = _files(reports)
    shutil.copytree(reports, tmp_path / "old")
    fresh = tmp_path / "fresh"
    shutil.copytree(reports, fresh)
    with pytest.MonkeyPatch.context() as monkeypatch:
        writes = _faulty(monkeypatch, None)
        assert build(output=fresh, notebooks=notebooks, pdf=False) == 0
    new = _files(fresh)
    assert new != old and len(writes) > 20
    for at in range(1, len(writes) + 1):
        shutil.rmtree(reports, ignore_errors=True)
        shutil.copytree(tmp_path / "old", reports)
        with pytest.MonkeyPatch.context() as monkeypatch:
            _faulty(monkeypatch, at)
            code = build(output=reports, notebooks=notebooks, pdf=False)
        state = _files(reports)
        assert state in (old, new), (at, writes[at - 1])
        assert code == (0 if state == new else 1) or (code == 2 and state == old), (at, writes[at - 1], code)
        leftovers = [p.name for p in reports.parent.iterdir() if p.name.startswith(".reports") and p.is_dir()]
        assert leftovers == [], (at, writes[at - 1], leftovers)


# --- Refusals in one line ---------------------------------------------------------------------------------


@pytest.mark.parametrize("output", [".", "/", "data/raw/phu_luc_1.csv", "data/raw", "notebooks", "figures",
                                    "camlo/report", "MISSING/deep/x"])
def test_a_refused_output_is_one_line_and_exit_2(output, tmp_path, monkeypatch, capsys):
    """Refused before any notebook runs, in one line; a folder that does not exist is not made."""
    from camlo.__main__ import main

    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setattr(build_module, "execute", lambda *a, **k: pytest.fail("a notebook ran"))
    assert main(["build", "--no-pdf", "--output", output.replace("MISSING", str(tmp_path / "missing"))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("camlo build: ") and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "missing").exists()


def test_build_output_dot_says_so_in_a_line_as_a_process():
    result = subprocess.run([sys.executable, "-m", "camlo", "build", "--no-pdf", "--output", "."], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "holds the project's own files" in result.stderr


def test_workers_below_one_are_refused(small, capsys):
    notebooks, reports = small
    assert build(output=reports, notebooks=notebooks, pdf=False, workers=-1) == 2
    assert "--workers" in capsys.readouterr().err
