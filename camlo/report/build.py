"""Render the numbered notebooks into reports, figures and the workbook: the project's main job.

``python -m camlo build`` (``make reports`` runs it) writes into ``reports/``:

- per notebook ``NN_name``: ``NN_name_no_code.html`` (the report), ``NN_name.html`` (with its
  code), ``NN_name.pdf`` (the report on A4, :mod:`camlo.report.pdf`); every HTML page is
  self-contained and reads offline (:mod:`camlo.report.html`);
- ``index.html`` (:mod:`camlo.report.index`), ``camlo_tables.xlsx``
  (:mod:`camlo.report.workbook`), ``figures/en|vi/`` (PNG and SVG, also copied to the project's
  ``figures/``), ``thumbnails/en|vi/``, and ``manifest.json``: what each report was built from.

**Only what changed is rebuilt.** Each notebook has a key, the sha256 of its inputs (the
notebook, the ``camlo`` package, ``requirements.lock`` and the data files its kernel read;
see :mod:`camlo.report.inputs`), recorded in ``manifest.json``. A notebook whose key and
outputs are as recorded is not run again; with nothing changed the build only hashes its
inputs and leaves every file as it is. ``--force`` rebuilds everything.

Stale notebooks run side by side, one fresh kernel each, all at once up to twice the number
of cores (the system shares the cores between them better than a fixed pairing of notebooks of
unequal length would), while the workbook is written. Everything is written into a folder beside
``reports/`` and swapped in only when every notebook ran: a failing notebook is named with its
cell, and the previous reports and figures stay as they were. Output is byte-reproducible: no
timestamps, no random ids (PDFs carry the plan's date as their own).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from camlo.paths import DATA, FIGURES, NOTEBOOKS, PROJECT_ROOT, REPORTS
from camlo.report import inputs as inp
from camlo.report.index import notebook_title  # noqa: F401 (the reports' titles; tests import it here)

KERNEL = "python3"
#: The kernel's own log (e.g. its notice that it talks over local TCP) is not the build's output;
#: nor is its input history (a database every kernel would write to, cell by cell).
KERNEL_QUIET = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
#: Each kernel records the data files it opens from its start, and renders a figure it shows
#: once for display and file (camlo.report.kernel).
KERNEL_RECORD = ["--IPKernelApp.exec_lines=__import__('camlo.report.kernel', fromlist=['_']).start()"]
#: Environment variable read by camlo.report.figures.save_figures: processes that save figures
#: side by side. Unless it is set, the build gives each kernel the cores the other notebooks
#: running leave it: every core for a notebook rebuilt alone, one each when there are more
#: notebooks than cores (saving side by side then only adds work: the cores are busy anyway).
SAVE_WORKERS = "CAMLO_SAVE_WORKERS"
CELL_TIMEOUT = 600
WORKBOOK = "camlo_tables.xlsx"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
LANGS = ("en", "vi")
#: The output of the cell the build appends to each notebook (and removes before export).
METADATA_MIME = "application/vnd.camlo.report+json"


@dataclass
class Built:
    """One notebook's entry in the manifest: its key and inputs, what the index shows, its files."""

    key: str
    inputs: dict[str, str]
    title: str
    question: str
    finding: str
    data_version: str
    #: Figure name -> caption per language.
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Key of the PDF (its HTML's digest and the browser's version); "" when not printed.
    pdf_key: str = ""
    seconds: float = field(default=0.0, compare=False)

    def outputs(self, stem: str) -> list[str]:
        """Files of this notebook, relative to the reports folder."""
        files = [f"{stem}.html", f"{stem}_no_code.html", *([f"{stem}.pdf"] if self.pdf_key else [])]
        for lang in LANGS:
            for name in self.figures:
                files += [f"figures/{lang}/{name}.png", f"figures/{lang}/{name}.svg", f"thumbnails/{lang}/{name}.png"]
        return files

    def record(self) -> dict:
        """The manifest's JSON for it (no timings: the manifest is byte-reproducible)."""
        entry = asdict(self)
        entry.pop("seconds")
        return entry


class NotebookFailed(RuntimeError):
    """A notebook raised an error; names the notebook and the cell."""


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks to render, in order: ``NN_name.ipynb``.

    Examples:
        >>> [p.name for p in numbered_notebooks()][:1]
        ['01_baseline.ipynb']
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


# --- Running one notebook ---------------------------------------------------------------------------


def _metadata_cell(stem: str):
    """The cell appended to a notebook: its finding and the data files its kernel read."""
    import nbformat

    return nbformat.v4.new_code_cell(
        f"__import__('camlo.report.findings', fromlist=['_']).publish({stem!r}, globals())")


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


def execute(path: Path, figures: Path, savers: int = 1) -> tuple[object, dict]:
    """Execute a notebook in a fresh kernel that saves its figures under ``figures``.

    ``savers`` is the kernel's ``CAMLO_SAVE_WORKERS`` unless the environment sets it.

    Returns:
        The executed notebook and what its kernel reported (``finding``, ``reads``).

    Raises:
        NotebookFailed: naming the notebook, the cell number and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    nb.cells.append(_metadata_cell(path.stem))
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, record_timing=False,
                            extra_arguments=[*KERNEL_QUIET, *KERNEL_RECORD], shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(env={SAVE_WORKERS: str(savers), **os.environ, "CAMLO_FIGURES": str(figures)})
    except CellExecutionError as exc:
        failed = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and any(
            out.get("output_type") == "error" for out in cell.get("outputs", []))), None)
        where = ("its finding (camlo.report.findings)" if failed == n_cells
                 else f"cell {failed + 1}" if failed is not None else "a cell")
        raise NotebookFailed(f"{path.name}, {where}: {exc.ename}: {exc.evalue}") from None
    extra = nb.cells.pop()
    reported = next((out["data"][METADATA_MIME] for out in extra.get("outputs", [])
                     if METADATA_MIME in out.get("data", {})), None)
    if reported is None:
        raise NotebookFailed(f"{path.name}: the kernel did not report the files it read")
    return nb, reported


def render(path: Path, staging: Path, package: str, lock: str, savers: int = 1) -> tuple[str, Built]:
    """Execute one notebook and write its reports, figures and thumbnails into ``staging``."""
    from camlo.report.html import export_html, report_header
    from camlo.report.index import caption, make_thumbnail, notebook_question, png_title

    started = time.perf_counter()
    stem = path.stem
    own_figures = staging / ".figures" / stem
    nb, reported = execute(path, own_figures, savers)
    title = notebook_title(nb)
    nb.metadata["title"] = title  # the pages' <title>, and so the PDF's
    inputs = inp.notebook_inputs(path, reported["reads"], package=package, lock=lock)
    version = inp.data_version(inputs)
    header = report_header(title, version)
    (staging / f"{stem}.html").write_text(export_html(nb, with_code=True, header=header), encoding="utf-8")
    (staging / f"{stem}_no_code.html").write_text(export_html(nb, with_code=False, header=header), encoding="utf-8")
    figures: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        for png in sorted((own_figures / lang).glob("*.png")):
            figures.setdefault(png.stem, {})[lang] = caption(png.stem, png_title(png))
            for suffix in (".png", ".svg"):
                target = staging / "figures" / lang / (png.stem + suffix)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(png.with_suffix(suffix), target)
            make_thumbnail(staging / "figures" / lang / png.name, staging / "thumbnails" / lang / png.name)
    built = Built(key=inp.digest_of(inputs), inputs=inputs, title=title, question=notebook_question(nb),
                  finding=reported.get("finding", ""), data_version=version, figures=figures,
                  seconds=time.perf_counter() - started)
    _progress(f"      {path.name} done in {built.seconds:.1f} s")
    return stem, built


# --- What is stale ------------------------------------------------------------------------------------


def read_manifest(output: Path) -> dict:
    """The manifest of the last build in ``output`` (empty when there is none or it is unreadable)."""
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if manifest.get("format") == MANIFEST_FORMAT else {}


def _entry(record: dict | None) -> Built | None:
    try:
        return Built(**record) if record else None
    except TypeError:
        return None


def is_current(path: Path, entry: Built | None, output: Path, figures: Path, package: str, lock: str) -> bool:
    """Whether ``entry`` still describes ``path``: same key from today's inputs, every file there."""
    if entry is None:
        return False
    data_files = [name for name in entry.inputs if name.startswith("data/")]
    if inp.digest_of(inp.notebook_inputs(path, data_files, package=package, lock=lock)) != entry.key:
        return False
    figure_files = [figures / lang / f"{name}{suffix}" for lang in LANGS for name in entry.figures
                    for suffix in (".png", ".svg")]
    return all((output / name).is_file() for name in entry.outputs(path.stem)) and all(p.is_file() for p in figure_files)


def workbook_key(package: str, lock: str) -> str:
    """The workbook's key: the package, the locked versions and every data file."""
    data = [inp.relative(p) for p in sorted(DATA.rglob("*")) if p.is_file()]
    return inp.digest_of({"camlo": package, "requirements.lock": lock, **inp.file_digests(data)})


def pdf_key(page: Path, browser: str) -> str:
    """A PDF's key: the digest of the page it prints and the browser's version."""
    from camlo.report.pdf import chromium_version

    return inp.digest_of({"page": inp.sha256_file(page), "browser": chromium_version(browser)})


# --- The build ----------------------------------------------------------------------------------------


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` (both on one file system), keeping nothing of the old."""
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
        stem, page, target = job
        print_pdf(page, target, browser)
        _progress(f"      {stem}.pdf printed")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, jobs))


def build(output: str | Path | None = None, notebooks: list[Path] | None = None,
          figures: Path = FIGURES, workers: int | None = None, *, force: bool = False,
          pdf: bool = True) -> int:
    """Bring reports, figures and the workbook up to date; returns an exit code.

    Args:
        output: The reports folder (default ``reports/``).
        notebooks: The notebooks to render (default: every numbered notebook).
        figures: The figures folder whose ``en/`` and ``vi/`` are kept in step with the reports.
        workers: Notebooks executed at a time (default: all stale ones, at most twice the cores).
        force: Rebuild everything, whatever the manifest says.
        pdf: Print each report to PDF (needs Chromium; without it the build says so and goes on).
    """
    started = time.perf_counter()
    _skip_uri_grammars()
    output = Path(output) if output is not None else REPORTS
    figures = Path(figures)
    notebooks = numbered_notebooks() if notebooks is None else list(notebooks)
    manifest = {} if force else read_manifest(output)
    package, lock = inp.package_digest(), inp.lock_digest()
    previous = {stem: _entry(record) for stem, record in manifest.get("notebooks", {}).items()}
    stale = [p for p in notebooks if not is_current(p, previous.get(p.stem), output, figures, package, lock)]
    book_key = workbook_key(package, lock)
    book_stale = manifest.get("workbook") != book_key or not (output / WORKBOOK).is_file()
    browser = None
    if pdf:
        from camlo.report.pdf import chromium

        browser = chromium()
        if browser is None:
            _progress("camlo build: no Chromium, so no PDFs (scripts/install_browser.sh installs it as root)")
    kept = {p.stem: previous[p.stem] for p in notebooks if p not in stale}
    pdf_stale = [p for p in notebooks if browser and (
        p in stale or kept[p.stem].pdf_key != pdf_key(output / f"{p.stem}_no_code.html", browser))]
    removed = sorted(set(previous) - {p.stem for p in notebooks})
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
        from camlo.report.workbook import write_workbook

        # Notebooks are independent (each reads the data and writes its own figures): they
        # run side by side, the longest first, while this process writes the workbook.
        order = sorted(stale, key=lambda p: -p.stat().st_size)
        for number, path in enumerate(order, start=1):
            _progress(f"[{number}/{len(order)}] executing {path.name} ...")
        with ThreadPoolExecutor(max_workers=workers) as pool, ThreadPoolExecutor(max_workers=1) as side:
            book = side.submit(write_workbook, staging / WORKBOOK) if book_stale else None
            savers = save_workers(min(len(order), workers))
            futures = [pool.submit(render, path, staging, package, lock, savers) for path in order]
            fresh = dict(future.result() for future in futures)
            if book is not None:
                book.result()
        shutil.rmtree(staging / ".figures", ignore_errors=True)
        if not book_stale:
            _keep([WORKBOOK], output, staging)
        for stem, entry in kept.items():
            _keep([name for name in entry.outputs(stem) if not name.endswith(".pdf")], output, staging)
        entries = {**kept, **fresh}
        if browser:
            jobs = [(p.stem, staging / f"{p.stem}_no_code.html", staging / f"{p.stem}.pdf") for p in pdf_stale]
            if jobs:
                _progress(f"printing {len(jobs)} PDF(s) ...")
                _print_pdfs(jobs, browser, max(1, min(len(jobs), os.cpu_count() or 1)))
            for p in notebooks:
                entries[p.stem].pdf_key = pdf_key(staging / f"{p.stem}_no_code.html", browser)
                if p not in pdf_stale:
                    _keep([f"{p.stem}.pdf"], output, staging)
        else:
            for entry in entries.values():
                entry.pdf_key = ""
        _write_index(staging, notebooks, entries)
        manifest = {"format": MANIFEST_FORMAT, "workbook": book_key,
                    "notebooks": {p.stem: entries[p.stem].record() for p in notebooks}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 (any failure leaves the previous reports in place)
        shutil.rmtree(staging, ignore_errors=True)
        what = exc if isinstance(exc, NotebookFailed) else f"{type(exc).__name__}: {exc}"
        print(f"camlo build: FAILED in {what}\nThe previous reports and figures are left in place.",
              file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # everything succeeded: the project's figures/en|vi follow the reports' figures, then swap
    figures.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        new = figures / f".{lang}-new"
        if new.exists():
            shutil.rmtree(new)
        shutil.copytree(staging / "figures" / lang, new) if (staging / "figures" / lang).is_dir() else new.mkdir()
        _swap(new, figures / lang)
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
