"""Render the numbered notebooks into reports, figures and the workbook: the project's main job.

``python -m camlo build`` (``make reports`` runs it) writes into ``reports/`` (or ``--output``):

- per notebook ``NN_name``: ``NN_name.vi.html`` and ``NN_name.en.html`` (the report in each
  language, without code, from one execution: :mod:`camlo.report.languages`), ``NN_name.html``
  (with its code, for reviewers), ``NN_name.vi.pdf`` and ``NN_name.en.pdf`` (the reports on A4,
  :mod:`camlo.report.pdf`); every HTML page is self-contained and reads offline
  (:mod:`camlo.report.html`);
- ``index.html`` (:mod:`camlo.report.index`), ``camlo_tables.xlsx``
  (:mod:`camlo.report.workbook`), ``figures/en|vi/`` (PNG and SVG), ``thumbnails/en|vi/``,
  ``sheets/`` (each notebook's workbook sheets, as its run computed them) and
  ``manifest.json``: what each report was built from.

**One answer per notebook.** Each notebook computes its answer once (:mod:`camlo.answers`);
a cell the build appends hands that very answer to :func:`camlo.report.publish.publish`,
which saves its figures and workbook sheets into the build's output and reports its finding
for the index. Nothing is written into the project: its ``figures/`` are refreshed by
``python -m camlo figures`` alone.

**Parameters.** ``build -p csgn_exit=0.45`` sets a parameter of every notebook whose
``parameters`` cell defines it (a cell is injected after that one, as papermill does); a
parameter that no notebook defines is refused. A parameter ending in ``_path`` names a file
or folder, resolved against the caller's working directory.

**Only what changed is rebuilt.** Each notebook has a key, the sha256 of its inputs (the
notebook, the ``camlo`` package, ``requirements.lock``, its parameters and the data files its
answer module declares; see :mod:`camlo.report.inputs`), recorded in ``manifest.json``. A
notebook whose key and outputs are as recorded is not run again; with nothing changed the build
only hashes its inputs and leaves every file as it is. ``--force`` rebuilds everything.

Stale notebooks run side by side, one fresh kernel each. Everything is written into a folder
beside the output and swapped in only when every notebook ran: a failing notebook is named
with its cell, and the previous reports stay as they were. The output folder is replaced only
when a camlo build made it (it holds the marker :data:`MARKER`); a folder of anything else is
refused. Output is byte-reproducible: no timestamps, no random ids (PDFs carry the plan's date
as their own).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from camlo.paths import DATA, FIGURES, NOTEBOOKS, PROJECT_ROOT, REPORTS
from camlo.report import inputs as inp
from camlo.report.index import notebook_title  # noqa: F401 (the reports' titles; tests import it here)
from camlo.report.notebooks import (
    BuildError,
    applicable_parameters,
    declared_inputs,
    inject_parameters,
    notebook_parameters,
    numbered_notebooks,
    parse_parameter,  # noqa: F401 (the command line's parser of -p)
    read_notebook,
)
from camlo.report.publish import METADATA_MIME, publish_cell
from camlo.text.numbers import LANGS

KERNEL = "python3"
#: The kernel's own log (e.g. its notice that it talks over local TCP) is not the build's output;
#: nor is its input history (a database every kernel would write to, cell by cell).
KERNEL_QUIET = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
#: Each kernel renders a figure it shows once for display and file (camlo.report.kernel).
KERNEL_START = ["--IPKernelApp.exec_lines=__import__('camlo.report.kernel', fromlist=['_']).start()"]
CELL_TIMEOUT = 600
WORKBOOK = "camlo_tables.xlsx"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 3
#: The languages of the reports without code, the first the one the index opens in.
REPORT_LANGS = ("vi", "en")
#: The file that marks a folder as a camlo build's output (the only kind of folder it replaces).
MARKER = ".camlo-build"
MARKER_TEXT = "This folder was written by `python -m camlo build`; the next build replaces it whole.\n"


@dataclass
class Built:
    """One notebook's entry in the manifest: its key and inputs, what the index shows, its files."""

    key: str
    inputs: dict[str, str]
    #: Title and question per language.
    title: dict[str, str]
    question: dict[str, str]
    #: The main finding per language.
    finding: dict[str, str]
    data_version: str
    #: Parameters set for this build (``-p``), beyond the notebook's own.
    params: dict[str, Any] = field(default_factory=dict)
    #: Figure name -> caption per language.
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Whether the notebook's run wrote workbook sheets (``sheets/NN_name.json``).
    sheets: bool = False
    #: Key of the PDFs (their pages' digests and the browser's version); "" when not printed.
    pdf_key: str = ""
    seconds: float = field(default=0.0, compare=False)

    def outputs(self, stem: str) -> list[str]:
        """Files of this notebook, relative to the reports folder."""
        files = [f"{stem}.html", *report_files(stem), *(pdf_files(stem) if self.pdf_key else []),
                 *([f"sheets/{stem}.json"] if self.sheets else [])]
        for lang in LANGS:
            for name in self.figures:
                files += [f"figures/{lang}/{name}.png", f"figures/{lang}/{name}.svg", f"thumbnails/{lang}/{name}.png"]
        return files

    def record(self) -> dict:
        """The manifest's JSON for it (no timings: the manifest is byte-reproducible)."""
        entry = asdict(self)
        entry.pop("seconds")
        return entry


def report_files(stem: str) -> list[str]:
    """The reports without code of notebook ``stem``, one per language (Vietnamese first)."""
    return [f"{stem}.{lang}.html" for lang in REPORT_LANGS]


def pdf_files(stem: str) -> list[str]:
    """The PDFs of notebook ``stem``, one per language."""
    return [f"{stem}.{lang}.pdf" for lang in REPORT_LANGS]


class NotebookFailed(RuntimeError):
    """A notebook raised an error; names the notebook and the cell."""


# --- Running one notebook ---------------------------------------------------------------------------


def _skip_uri_grammars() -> None:
    """Keep jsonschema from compiling its optional URI grammars (about a second, at the start).

    nbformat validates notebooks with jsonschema, whose format checker imports
    ``rfc3987_syntax`` if it is installed, which builds some forty Lark parsers on import; the
    build checks no URI formats. Marking the module absent makes jsonschema skip that checker.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def save_workers(running: int) -> int:
    """Processes each kernel saves its figures with when ``running`` notebooks run at once.

    Examples:
        >>> import os
        >>> save_workers(1) == (os.cpu_count() or 1), save_workers(1000)
        (True, 1)
    """
    return max(1, (os.cpu_count() or 1) // max(1, running))


def execute(path: Path, staging: Path, params: Mapping[str, Any], savers: int = 1) -> tuple[object, dict]:
    """Execute a notebook in a fresh kernel that publishes its answer into ``staging``.

    Returns:
        The executed notebook (without the appended cell) and what its kernel reported.

    Raises:
        NotebookFailed: naming the notebook, the cell number and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    inject_parameters(nb, params)
    n_cells = len(nb.cells)
    (staging / "sheets").mkdir(parents=True, exist_ok=True)
    nb.cells.append(nbformat.v4.new_code_cell(publish_cell(
        figures=staging / ".figures" / path.stem, sheets=staging / "sheets" / f"{path.stem}.json", workers=savers)))
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, record_timing=False,
                            extra_arguments=[*KERNEL_QUIET, *KERNEL_START], shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        failed = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and any(
            out.get("output_type") == "error" for out in cell.get("outputs", []))), None)
        where = ("saving its answer (camlo.report.publish)" if failed == n_cells
                 else f"cell {failed + 1}" if failed is not None else "a cell")
        raise NotebookFailed(f"{path.name}, {where}: {exc.ename}: {exc.evalue}") from None
    extra = nb.cells.pop()
    reported = next((out["data"][METADATA_MIME] for out in extra.get("outputs", [])
                     if METADATA_MIME in out.get("data", {})), None)
    if reported is None:
        raise NotebookFailed(f"{path.name}: the kernel did not report its answer")
    return nb, reported


def notebook_key_inputs(path: Path, nb, params: Mapping[str, Any], *, package: str, lock: str) -> dict[str, str]:
    """The named digests of a notebook's key: notebook, package, lock, parameters, data files."""
    named = inp.notebook_inputs(path, declared_inputs(nb, params), package=package, lock=lock)
    if params:
        named["parameters"] = inp.digest_of({name: repr(value) for name, value in params.items()})
    return named


def render(path: Path, staging: Path, params: Mapping[str, Any], package: str, lock: str,
           savers: int = 1) -> tuple[str, Built]:
    """Execute one notebook and write its reports, figures and thumbnails into ``staging``."""
    from camlo.report.html import export_html, report_header
    from camlo.report.index import caption, make_thumbnail, notebook_question, png_title
    from camlo.report.languages import localised

    started = time.perf_counter()
    stem = path.stem
    own_figures = staging / ".figures" / stem
    inputs = notebook_key_inputs(path, read_notebook(path), params, package=package, lock=lock)
    nb, reported = execute(path, staging, params, savers)
    version = inp.data_version(inputs)
    readers = {lang: localised(nb, lang, own_figures) for lang in REPORT_LANGS}
    titles = {lang: notebook_title(local) for lang, local in readers.items()}
    questions = {lang: notebook_question(local) for lang, local in readers.items()}
    nb.metadata["title"] = titles["en"]  # the pages' <title>, and so the PDF's
    (staging / f"{stem}.html").write_text(
        export_html(nb, with_code=True, header=report_header(titles["en"], version)), encoding="utf-8")
    for lang, local in readers.items():
        local.metadata["title"] = titles[lang]
        page = export_html(local, with_code=False, header=report_header(titles[lang], version, lang=lang), lang=lang)
        (staging / f"{stem}.{lang}.html").write_text(page, encoding="utf-8")
    figures: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        for png in sorted((own_figures / lang).glob("*.png")):
            figures.setdefault(png.stem, {})[lang] = caption(png.stem, png_title(png))
            for suffix in (".png", ".svg"):
                target = staging / "figures" / lang / (png.stem + suffix)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(png.with_suffix(suffix), target)
            make_thumbnail(staging / "figures" / lang / png.name, staging / "thumbnails" / lang / png.name)
    built = Built(key=inp.digest_of(inputs), inputs=inputs, title=titles, question=questions,
                  finding=reported["finding"], data_version=version, params=dict(params), figures=figures,
                  sheets=(staging / "sheets" / f"{stem}.json").is_file(), seconds=time.perf_counter() - started)
    _progress(f"      {path.name} done in {built.seconds:.1f} s")
    return stem, built


# --- What is stale ------------------------------------------------------------------------------------


def read_manifest(output: Path) -> dict:
    """The manifest of the last build in ``output`` (empty when there is none or it is unreadable)."""
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT else {}


def _entry(record: dict | None) -> Built | None:
    try:
        return Built(**record) if isinstance(record, dict) else None
    except TypeError:
        return None


def is_current(path: Path, entry: Built | None, output: Path, params: Mapping[str, Any], package: str,
               lock: str) -> bool:
    """Whether ``entry`` still describes ``path``: same key from today's inputs, every file there."""
    if entry is None:
        return False
    key = inp.digest_of(notebook_key_inputs(path, read_notebook(path), params, package=package, lock=lock))
    return key == entry.key and all((output / name).is_file() for name in entry.outputs(path.stem))


def workbook_key(entries: Mapping[str, Built], package: str, lock: str) -> str:
    """The workbook's key: the package, the locked versions and every notebook's key."""
    return inp.digest_of({"camlo": package, "requirements.lock": lock,
                          **{stem: entry.key for stem, entry in entries.items()}})


def pdf_key(folder: Path, stem: str, browser: str) -> str:
    """The key of a notebook's PDFs: the digests of the pages they print and the browser's version."""
    from camlo.report.pdf import chromium_version

    pages = {name: inp.sha256_file(folder / name) if (folder / name).is_file() else "missing"
             for name in report_files(stem)}
    return inp.digest_of({**pages, "browser": chromium_version(browser)})


# --- The output folder ------------------------------------------------------------------------------


def check_output(output: Path) -> None:
    """Refuse an output that a build must not replace: a file, a folder of the project's own
    files, or a folder that a build did not make.

    Raises:
        BuildError: naming the path and what to do instead.
    """
    from camlo.report.inputs import PACKAGE

    if output.exists() and not output.is_dir():
        raise BuildError(f"--output {output} is a file, not a folder; give a new or empty folder")
    own = (DATA, NOTEBOOKS, PACKAGE, FIGURES)
    if output in (PROJECT_ROOT, *PROJECT_ROOT.parents) or any(output.is_relative_to(folder) for folder in own):
        raise BuildError(f"--output {output} holds the project's own files; give a new or empty folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise BuildError(f"--output {output} holds files that no camlo build wrote, which a build would "
                         f"replace; give a new or empty folder")


def _restore_interrupted(output: Path) -> None:
    """Bring back the previous reports if a build was stopped between the two renames of its swap."""
    old = output.with_name(f".{output.name}.old")
    if old.is_dir() and not output.exists() and (old / MARKER).is_file():
        old.rename(output)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` (a build's output, or nothing) with ``new``, both on one file system."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def _keep(files: Iterable[str], old: Path, new: Path) -> None:
    """Carry unchanged files from the previous reports into the new ones (hard links: same bytes)."""
    for name in files:
        target = new / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old / name, target)
        except OSError:
            shutil.copy2(old / name, target)


def _progress(message: str) -> None:
    print(message, flush=True)


def _print_pdfs(jobs: list[tuple[str, Path, Path]], browser: str, workers: int) -> None:
    from camlo.report.pdf import print_pdf

    def one(job: tuple[str, Path, Path]) -> None:
        name, page, target = job
        print_pdf(page, target, browser)
        _progress(f"      {name} printed")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, jobs))


def _write_workbook(staging: Path, notebooks: list[Path], entries: Mapping[str, Built]) -> None:
    """The workbook from every notebook's sheets, as their runs wrote them, in the sheets' order."""
    from camlo.report.workbook import read_sheets_json, write_workbook

    sheets = [sheet for p in notebooks if entries[p.stem].sheets
              for sheet in read_sheets_json(staging / "sheets" / f"{p.stem}.json")]
    write_workbook(staging / WORKBOOK, sorted(sheets, key=lambda s: int(s.name.split()[0])))


# --- The build ----------------------------------------------------------------------------------------


def build(output: str | Path | None = None, notebooks: list[Path] | None = None, workers: int | None = None, *,
          force: bool = False, pdf: bool = True, params: Mapping[str, Any] | None = None) -> int:
    """Bring reports, figures and the workbook up to date; returns an exit code.

    Args:
        output: The reports folder (default ``reports/``), relative to the working directory.
        notebooks: The notebooks to render (default: every numbered notebook).
        workers: Notebooks executed at a time (default: all stale ones, at most twice the cores).
        force: Rebuild everything, whatever the manifest says.
        pdf: Print each report to PDF (needs Chromium; without it the build says so and goes on).
        params: Notebook parameters (``-p``): each notebook gets those its parameters cell defines.
    """
    started = time.perf_counter()
    _skip_uri_grammars()
    output = Path(output).resolve() if output is not None else REPORTS
    notebooks = numbered_notebooks() if notebooks is None else [Path(p).resolve() for p in notebooks]
    params = dict(params or {})
    try:
        _restore_interrupted(output)
        check_output(output)
        own = {p.stem: applicable_parameters(read_notebook(p), params) for p in notebooks}
        unknown = sorted(set(params) - {name for given in own.values() for name in given})
        if unknown:
            raise BuildError(f"no notebook has the parameter {', '.join(unknown)}; the notebooks' parameters: "
                             f"{', '.join(sorted({n for p in notebooks for n in notebook_parameters(read_notebook(p))}))}")
    except BuildError as exc:
        print(f"camlo build: {exc}", file=sys.stderr)
        return 2
    manifest = {} if force else read_manifest(output)
    package, lock = inp.package_digest(), inp.lock_digest()
    records = manifest.get("notebooks")
    previous = {stem: _entry(record) for stem, record in (records if isinstance(records, dict) else {}).items()}
    stale = [p for p in notebooks if not is_current(p, previous.get(p.stem), output, own[p.stem], package, lock)]
    browser = None
    if pdf:
        from camlo.report.pdf import chromium

        browser = chromium()
        if browser is None:
            _progress("camlo build: no Chromium, so no PDFs (scripts/install_browser.sh installs it as root)")
    kept = {p.stem: previous[p.stem] for p in notebooks if p not in stale}
    pdf_stale = [p for p in notebooks if browser and (
        p in stale or kept[p.stem].pdf_key != pdf_key(output, p.stem, browser))]
    removed = sorted(set(previous) - {p.stem for p in notebooks})
    book_stale = bool(stale) or not (output / WORKBOOK).is_file() or manifest.get("workbook") != workbook_key(
        kept, package, lock)
    if not (stale or book_stale or pdf_stale or removed) and (output / "index.html").is_file():
        _progress(f"camlo build: up to date ({len(notebooks)} notebooks, nothing changed; "
                  f"{time.perf_counter() - started:.2f} s). --force rebuilds everything.")
        return 0

    staging = output.with_name(f".{output.name}-build-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    workers = workers or max(1, min(len(stale), 2 * (os.cpu_count() or 1)))
    try:
        # Notebooks are independent (each reads its inputs and publishes its own answer): they
        # run side by side, the longest first.
        order = sorted(stale, key=lambda p: -p.stat().st_size)
        for number, path in enumerate(order, start=1):
            _progress(f"[{number}/{len(order)}] executing {path.name} ...")
        with ThreadPoolExecutor(max_workers=workers) as pool:
            savers = save_workers(min(len(order), workers))
            futures = [pool.submit(render, path, staging, own[path.stem], package, lock, savers) for path in order]
            fresh = dict(future.result() for future in futures)
        shutil.rmtree(staging / ".figures", ignore_errors=True)
        for stem, entry in kept.items():
            _keep([name for name in entry.outputs(stem) if not name.endswith(".pdf")], output, staging)
        entries = {**kept, **fresh}
        if book_stale:
            _write_workbook(staging, notebooks, entries)
        else:
            _keep([WORKBOOK], output, staging)
        if browser:
            jobs = [(pdf, staging / page, staging / pdf) for p in pdf_stale
                    for page, pdf in zip(report_files(p.stem), pdf_files(p.stem))]
            if jobs:
                _progress(f"printing {len(jobs)} PDF(s) ...")
                _print_pdfs(jobs, browser, max(1, min(len(jobs), os.cpu_count() or 1)))
            for p in notebooks:
                entries[p.stem].pdf_key = pdf_key(staging, p.stem, browser)
                if p not in pdf_stale:
                    _keep(pdf_files(p.stem), output, staging)
        else:
            for p in notebooks:  # without a browser, a kept report keeps its PDF; a rebuilt one has none
                if p.stem in fresh or not entries[p.stem].pdf_key:
                    entries[p.stem].pdf_key = ""
                else:
                    _keep(pdf_files(p.stem), output, staging)
        _write_index(staging, notebooks, entries)
        manifest = {"format": MANIFEST_FORMAT, "workbook": workbook_key(entries, package, lock),
                    "notebooks": {p.stem: entries[p.stem].record() for p in notebooks}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 (any failure leaves the previous reports in place)
        shutil.rmtree(staging, ignore_errors=True)
        what = exc if isinstance(exc, NotebookFailed) else f"{type(exc).__name__}: {exc}"
        print(f"camlo build: FAILED in {what}\nThe previous reports are left in place.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, output)
    _summary(output, [p.stem for p in stale], time.perf_counter() - started)
    return 0


def _write_index(staging: Path, notebooks: list[Path], entries: dict[str, Built]) -> None:
    from camlo.report.index import Entry, index_page

    shown = [Entry(p.stem, e.title, e.question, e.finding, e.data_version, bool(e.pdf_key), e.figures)
             for p in notebooks for e in [entries[p.stem]]]
    version = inp.data_version({k: v for e in entries.values() for k, v in e.inputs.items()})
    (staging / "index.html").write_text(index_page(shown, WORKBOOK, version), encoding="utf-8")


def _summary(output: Path, rebuilt: list[str], seconds: float) -> None:
    shown = output.relative_to(PROJECT_ROOT) if output.is_relative_to(PROJECT_ROOT) else output
    files = sorted(p for p in output.rglob("*") if p.is_file())
    _progress(f"\ncamlo build: {len(rebuilt)} notebook(s) rebuilt in {seconds:.1f} s "
              f"({', '.join(rebuilt) or 'none'}); {len(files)} files in {shown}/")
    for path in files:
        if path.suffix in (".html", ".xlsx", ".pdf") and path.parent == output:
            _progress(f"  {path.relative_to(output)}  ({path.stat().st_size / 1024:.0f} KiB)")
    n_figures = sum(1 for p in files if p.parent.parent.name == "figures")
    _progress(f"  figures/en and figures/vi: {n_figures} files (PNG and SVG)")
