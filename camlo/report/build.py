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

**Nothing lost, nothing half-written.** The manifest also records the sha256 of every file the
build wrote (``files``): a file that no longer matches (a truncated page, a damaged PDF or
workbook) is written again, its notebook rebuilt. A manifest of the wrong shape, or whose
files disagree with its notebooks, is set aside (``manifest.json.bad``) with a warning and
everything is rebuilt. Before anything runs, every shipped data file a notebook reads (under
``data/``, with a provenance sidecar) is checked against its recorded sha256: a changed file is
refused, naming it and pointing at ``python -m camlo record`` (a file given as a ``-p …_path``
parameter is the user's and is not checked).

Stale notebooks run side by side, one fresh kernel each. Everything is written into a new
folder beside the output and swapped in only when every notebook ran: a failing notebook is
named with its cell, and the previous reports stay as they were. The swap renames the old
reports aside and the new ones into place, and undoes the first rename if the second fails; a
build stopped between the two finds the previous reports back (:func:`_restore_interrupted`).
The output folder is replaced only when a camlo build made it (it holds the marker
:data:`MARKER`); a folder of anything else, a file, or a folder of the project's own is refused,
and a file in a build's folder that the build did not write is carried into the new one. Two
builds into one folder do not run at once (a lock beside it). ``--output`` is resolved against
the caller's working directory. Output is byte-reproducible: no timestamps, no random ids (PDFs
carry the plan's date as their own).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
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
#: 4: with the sha256 of every file written (``files``) and reports in two languages.
MANIFEST_FORMAT = 4
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


# --- The manifest ------------------------------------------------------------------------------------

#: A figure's name, as it appears in a file name (no folder, no leading dot).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
#: Where a manifest of the wrong shape is set aside, in the new reports.
SET_ASIDE = MANIFEST + ".bad"
#: The types of an entry's fields, as JSON gives them.
_FIELDS = {"key": str, "inputs": dict, "title": dict, "question": dict, "finding": dict, "data_version": str,
           "params": dict, "figures": dict, "sheets": bool, "pdf_key": str}


def _texts(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _entry_problem(stem: str, record: Any) -> str | None:
    """What is wrong with one notebook's entry (``None`` when nothing is)."""
    if not isinstance(record, dict):
        return f"its entry for {stem!r} is a JSON {type(record).__name__}, not an object"
    if set(record) != set(_FIELDS):
        return f"its entry for {stem!r} has the fields {sorted(record)}, expected {sorted(_FIELDS)}"
    for name, kind in _FIELDS.items():
        if not isinstance(record[name], kind):
            return f"its entry for {stem!r} has {name} = {record[name]!r}, expected a JSON {kind.__name__}"
    if not all(_texts(record[name]) for name in ("inputs", "finding", "title", "question")):
        return f"its entry for {stem!r} has inputs, a title, a question or a finding that are not texts by name"
    figures = record["figures"]
    if not all(_NAME.match(name) and _texts(captions) for name, captions in figures.items()):
        return f"its entry for {stem!r} has figures that are not captions by file name"
    return None


def manifest_problem(manifest: Any) -> str | None:
    """What is wrong with a manifest's shape and files (``None`` for a manifest the build can trust).

    Its ``files`` must be exactly the files its notebooks' entries name, and the index, the
    workbook and the marker: an entry whose figures were emptied while its files remain is
    not trusted.

    Examples:
        >>> manifest_problem([])
        'it holds a JSON list, not an object'
        >>> manifest_problem({"format": MANIFEST_FORMAT, "workbook": "k", "notebooks": None, "files": {}})
        'its notebooks are a JSON NoneType, not an object of entries by notebook'
    """
    if not isinstance(manifest, dict):
        return f"it holds a JSON {type(manifest).__name__}, not an object"
    if set(manifest) != {"format", "workbook", "notebooks", "files"}:
        return f"it has the fields {sorted(manifest)}, expected files, format, notebooks and workbook"
    if not isinstance(manifest["workbook"], str):
        return "its workbook key is not a text"
    records = manifest["notebooks"]
    if not isinstance(records, dict):
        return f"its notebooks are a JSON {type(records).__name__}, not an object of entries by notebook"
    for stem, record in records.items():
        problem = (f"it names a notebook {stem!r}" if not _NAME.match(stem) else None) or _entry_problem(stem, record)
        if problem:
            return problem
    files = manifest["files"]
    if not (_texts(files) and all(_SHA256.match(digest) for digest in files.values())):
        return "its files are not sha256 digests by file name"
    expected = {MARKER, "index.html", WORKBOOK}.union(*(Built(**record).outputs(stem) for stem, record in records.items()))
    if set(files) != expected:
        odd = sorted(set(files) ^ expected)
        return f"its files disagree with its notebooks' entries ({', '.join(odd[:3])}{', …' if len(odd) > 3 else ''})"
    return None


def read_manifest(output: Path) -> tuple[dict, str | None]:
    """The manifest of the last build in ``output``, and what is wrong with it if it cannot be used.

    Returns:
        ``(manifest, None)`` for a good one; ``({}, None)`` when there is none or it is of an
        older format (everything is rebuilt); ``({}, problem)`` for one of the wrong shape.
    """
    try:
        text = (output / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        return {}, f"it is not JSON ({exc})"
    if isinstance(manifest, dict) and isinstance(manifest.get("format"), int) and manifest["format"] < MANIFEST_FORMAT:
        return {}, None
    if isinstance(manifest, dict) and manifest.get("format") != MANIFEST_FORMAT:
        return {}, f"its format is {manifest.get('format')!r}, expected {MANIFEST_FORMAT}"
    problem = manifest_problem(manifest)
    return ({}, problem) if problem else (manifest, None)


def _entry(record: dict | None) -> Built | None:
    try:
        return Built(**record) if isinstance(record, dict) else None
    except TypeError:
        return None


class Digests:
    """The files of the previous reports against the digests their manifest recorded (each hashed once)."""

    def __init__(self, output: Path, recorded: Mapping[str, str]):
        self.output, self.recorded, self._seen = output, dict(recorded), {}

    def matches(self, name: str) -> bool:
        """Whether ``name`` is as the build wrote it (recorded, there, the same sha256)."""
        if name not in self._seen:
            path = self.output / name
            self._seen[name] = name in self.recorded and path.is_file() and not path.is_symlink() and \
                inp.sha256_file(path) == self.recorded[name]
        return self._seen[name]

    def foreign(self) -> list[str]:
        """Files in the folder that the build did not write (not in the manifest)."""
        if not self.recorded:
            return []
        return sorted(name for p in self.output.rglob("*") if p.is_file() or p.is_symlink()
                      for name in [p.relative_to(self.output).as_posix()] if name not in self.recorded
                      and name != MANIFEST)


def is_current(path: Path, entry: Built | None, output: Path, params: Mapping[str, Any], package: str,
               lock: str, digests: Digests | None = None) -> bool:
    """Whether ``entry`` still describes ``path``: same key from today's inputs, every file (but the
    PDF, see :func:`pdf_current`) there as the build wrote it."""
    if entry is None:
        return False
    if digests is None:
        manifest, _ = read_manifest(output)
        digests = Digests(output, manifest.get("files", {}))
    key = inp.digest_of(notebook_key_inputs(path, read_notebook(path), params, package=package, lock=lock))
    return key == entry.key and all(digests.matches(name) for name in entry.outputs(path.stem)
                                    if not name.endswith(".pdf"))


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


def file_digests(folder: Path) -> dict[str, str]:
    """The sha256 of every file in ``folder`` but the manifest, by path relative to it."""
    return {p.relative_to(folder).as_posix(): inp.sha256_file(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST}


# --- The data ---------------------------------------------------------------------------------------


def check_data(files: Iterable[Path]) -> None:
    """Refuse to build from a shipped data file that differs from the sha256 its sidecar records.

    Only files under ``data/`` with a provenance sidecar are checked (a file given as a
    ``-p …_path`` parameter is the user's). A recorded row deleted from
    ``observed_reviews.csv`` would otherwise vanish from the reports without a word.

    Raises:
        BuildError: naming the file and what to do (``python -m camlo record`` for rows added
            to a file that grows, restoring the file otherwise).
    """
    from camlo.clean.provenance import sha256, sidecar_path

    for path in sorted({Path(p).resolve() for p in files}):
        if not path.is_relative_to(DATA) or not path.is_file() or not sidecar_path(path).is_file():
            continue
        shown = inp.relative(path) if path.is_relative_to(PROJECT_ROOT) else str(path)
        try:
            record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BuildError(f"the provenance sidecar of {shown} cannot be read ({exc}); restore it") from None
        recorded = record.get("sha256") if isinstance(record, dict) else None
        if not isinstance(recorded, str):
            continue
        actual = sha256(path)
        if actual != recorded:
            what = (f"if rows were added after a review, record them first: python -m camlo record {shown} "
                    f"--source \"document, number, date, issuing body\"; otherwise restore the file"
                    if record.get("appendable") else "restore it: it is a transcription, never edited "
                    "(corrections live in code)")
            raise BuildError(f"{shown} differs from the sha256 its sidecar records ({actual[:16]}…, recorded "
                             f"{recorded[:16]}…), so the reports would not show the recorded data; {what}")


# --- The output folder ------------------------------------------------------------------------------


def check_output(output: Path) -> None:
    """Refuse an output that a build must not replace: a file, a folder of the project's own
    files, a folder that a build did not make, or one in a folder that does not exist.

    Raises:
        BuildError: naming the path and what to do instead.
    """
    from camlo.report.inputs import PACKAGE

    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise BuildError(f"--output {output} is a file, not a folder; give a new or empty folder")
    own = (DATA, NOTEBOOKS, PACKAGE, FIGURES)
    if output in (PROJECT_ROOT, *PROJECT_ROOT.parents) or any(output.is_relative_to(folder) for folder in own):
        raise BuildError(f"--output {output} holds the project's own files; give a new or empty folder")
    if not output.parent.is_dir():
        raise BuildError(f"--output {output}: its folder {output.parent} does not exist; create it first")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise BuildError(f"--output {output} holds files that no camlo build wrote, which a build would "
                         f"replace; give a new or empty folder")
    old = _old(output)
    if (old.exists() or old.is_symlink()) and not (old.is_dir() and (old / MARKER).is_file()):
        raise BuildError(f"{old} is in the way of the build (it would set the previous reports aside there) "
                         f"and no camlo build wrote it; move it")


def _old(output: Path) -> Path:
    """Where the swap sets the previous reports aside."""
    return output.with_name(f".{output.name}.old")


def _restore_interrupted(output: Path) -> None:
    """Bring back the previous reports if a build was stopped between the two renames of its swap."""
    old = _old(output)
    if old.is_dir() and not old.is_symlink() and not output.exists() and (old / MARKER).is_file():
        old.rename(output)
        _progress(f"camlo build: the previous reports were brought back from {old.name} (a build was stopped "
                  f"while it swapped them)")


def _staging(output: Path) -> Path:
    """A new, empty folder beside ``output`` for the build (a unique name: nothing is removed)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # the reports' folder gets the usual mode, not mkdtemp's private one
    return staging


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` (a build's output, or nothing) with ``new``, both on one file system.

    If the second rename fails, the first is undone: the previous reports or the new ones are
    in place, never neither.
    """
    old = _old(target)
    if old.is_dir():  # a previous swap's own leftover (check_output refused anything else)
        shutil.rmtree(old)
    had = target.exists()
    if had:
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if had:
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


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


def _warn(message: str) -> None:
    print(f"camlo build: warning: {message}", file=sys.stderr, flush=True)


def _print_pdfs(jobs: list[tuple[str, Path, Path]], browser: str, workers: int) -> None:
    """Every PDF by one Chromium, ``workers`` pages at a time (:func:`camlo.report.pdf.print_pdfs`)."""
    from camlo.report.pdf import print_pdfs

    print_pdfs([(page, target) for _, page, target in jobs], browser, parallel=workers,
               printed=lambda target: _progress(f"      {target.name} printed"))


def _write_workbook(staging: Path, notebooks: list[Path], entries: Mapping[str, Built]) -> None:
    """The workbook from every notebook's sheets, as their runs wrote them, in the sheets' order."""
    from camlo.report.workbook import read_sheets_json, sheet_order, write_workbook

    sheets = [sheet for p in notebooks if entries[p.stem].sheets
              for sheet in read_sheets_json(staging / "sheets" / f"{p.stem}.json")]
    write_workbook(staging / WORKBOOK, sorted(sheets, key=sheet_order))


# --- The build ----------------------------------------------------------------------------------------


def _resolve(output: str | Path | None) -> Path:
    """``--output`` against the caller's working directory (the kernels run elsewhere)."""
    if output is None:
        return REPORTS
    try:
        return Path(os.path.abspath(os.fspath(output))).resolve()
    except (OSError, ValueError) as exc:
        raise BuildError(f"--output {output!r} is not a usable path ({exc})") from None


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

    Returns:
        0 when the reports are up to date; 1 when a notebook (or a write) failed, the previous
        reports then left in place; 2 when the build was refused before it ran (a bad output
        folder or parameter, changed data, another build writing the same folder), said in one
        line.
    """
    from camlo.files import locked

    started = time.perf_counter()
    _skip_uri_grammars()
    try:
        output = _resolve(output)
        notebooks = numbered_notebooks() if notebooks is None else [Path(p).resolve() for p in notebooks]
        if workers is not None and workers < 1:
            raise BuildError(f"--workers {workers}: give at least 1")
        check_output(output)
        try:
            with locked(output, timeout=0):
                return _build(output, notebooks, workers, force=force, pdf=pdf, params=dict(params or {}),
                              started=started)
        except TimeoutError:
            raise BuildError(f"another camlo build is writing {output}; try again when it ends") from None
    except BuildError as exc:
        print(f"camlo build: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"camlo build: cannot prepare the output{where}: {exc.strerror or exc}; nothing was changed",
              file=sys.stderr)
        return 2


def _build(output: Path, notebooks: list[Path], workers: int | None, *, force: bool, pdf: bool,
           params: dict[str, Any], started: float) -> int:
    """:func:`build`, holding the output's lock."""
    _restore_interrupted(output)
    check_output(output)
    own = {p.stem: applicable_parameters(read_notebook(p), params) for p in notebooks}
    unknown = sorted(set(params) - {name for given in own.values() for name in given})
    if unknown:
        raise BuildError(f"no notebook has the parameter {', '.join(unknown)}; the notebooks' parameters: "
                         f"{', '.join(sorted({n for p in notebooks for n in notebook_parameters(read_notebook(p))}))}")
    check_data(path for p in notebooks for path in declared_inputs(read_notebook(p), own[p.stem]).values())
    manifest, problem = read_manifest(output)
    if problem:
        _warn(f"{output / MANIFEST}: {problem}; it is set aside as {SET_ASIDE} and every notebook is rebuilt")
    foreign = Digests(output, manifest.get("files", {})).foreign()  # kept even by --force
    if force:
        manifest = {}
    digests = Digests(output, manifest.get("files", {}))
    package, lock = inp.package_digest(), inp.lock_digest()
    previous = {stem: _entry(record) for stem, record in manifest.get("notebooks", {}).items()}
    stale = [p for p in notebooks
             if not is_current(p, previous.get(p.stem), output, own[p.stem], package, lock, digests)]
    browser = None
    if pdf:
        from camlo.report.pdf import chromium

        browser = chromium()
        if browser is None:
            _progress("camlo build: no Chromium, so no PDFs (scripts/install_browser.sh installs it as root)")
    kept = {p.stem: previous[p.stem] for p in notebooks if p not in stale}
    pdf_kept = {stem for stem, entry in kept.items()
                if entry.pdf_key and all(digests.matches(name) for name in pdf_files(stem))}
    pdf_stale = [p for p in notebooks if browser and (
        p.stem not in pdf_kept or kept[p.stem].pdf_key != pdf_key(output, p.stem, browser))]
    removed = sorted(set(previous) - {p.stem for p in notebooks})
    book_stale = bool(stale) or not digests.matches(WORKBOOK) or manifest.get("workbook") != workbook_key(
        kept, package, lock)
    pdf_dropped = not browser and any(entry.pdf_key and stem not in pdf_kept for stem, entry in kept.items())
    if not (stale or book_stale or pdf_stale or removed or pdf_dropped or problem) and \
            digests.matches("index.html") and digests.matches(MARKER):
        _progress(f"camlo build: up to date ({len(notebooks)} notebooks, nothing changed; "
                  f"{time.perf_counter() - started:.2f} s). --force rebuilds everything.")
        return 0

    staging = _staging(output)
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
            # without a browser, a kept report keeps its PDFs (if they are as printed); a rebuilt one has none
            for p in notebooks:
                if p.stem in pdf_kept:
                    _keep(pdf_files(p.stem), output, staging)
                else:
                    entries[p.stem].pdf_key = ""
        if foreign:
            _keep(foreign, output, staging)
            _progress(f"camlo build: kept {len(foreign)} file(s) in {output.name}/ that no build wrote: "
                      f"{', '.join(foreign[:5])}{', …' if len(foreign) > 5 else ''}")
        if problem:
            shutil.copy2(output / MANIFEST, staging / SET_ASIDE)
        _write_index(staging, notebooks, entries)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        written = file_digests(staging)
        manifest = {"format": MANIFEST_FORMAT, "workbook": workbook_key(entries, package, lock),
                    "notebooks": {p.stem: entries[p.stem].record() for p in notebooks},
                    "files": {name: written[name] for name in sorted(
                        {MARKER, "index.html", WORKBOOK}.union(*(entries[p.stem].outputs(p.stem) for p in notebooks)))}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        _swap(staging, output)
    except Exception as exc:  # noqa: BLE001 (any failure leaves the previous reports in place)
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            _restore_interrupted(output)  # if even the swap's undoing failed
        what = exc if isinstance(exc, NotebookFailed) else f"{type(exc).__name__}: {exc}"
        print(f"camlo build: FAILED in {what}\nThe previous reports are left in place.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
