"""Render the numbered notebooks into reports, figures and the workbook: the project's main job.

``python -m camlo build`` (the README's first command runs it):

1. executes ``notebooks/NN_*.ipynb``, each in a fresh kernel, side by side on the machine's
   cores, against the current code and data, with figures written to a temporary folder;
2. writes, into a temporary folder beside ``reports/``, an HTML report per notebook, a
   variant without code cells, an index page, and ``camlo_tables.xlsx``;
3. only when everything succeeded, swaps the new ``reports/`` and ``figures/en|vi`` in.

A failing notebook is named with its cell, and the previous reports and figures stay as they
were. Output is byte-reproducible: no timestamps, no random ids.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from camlo.paths import FIGURES, NOTEBOOKS, PROJECT_ROOT, REPORTS

KERNEL = "python3"
#: The kernel's own log (e.g. its notice that it talks over local TCP) is not the build's output.
KERNEL_QUIET = ["--IPKernelApp.log_level=ERROR"]
CELL_TIMEOUT = 600
WORKBOOK = "camlo_tables.xlsx"


@dataclass(frozen=True)
class Rendered:
    """One executed notebook and the report files written for it."""

    notebook: Path
    title: str
    full: str
    no_code: str
    seconds: float


class NotebookFailed(RuntimeError):
    """A notebook raised an error; names the notebook and the cell."""


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks to render, in order: ``NN_name.ipynb``.

    Examples:
        >>> [p.name for p in numbered_notebooks()][:1]
        ['01_baseline.ipynb']
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def notebook_title(nb) -> str:
    """The first Markdown heading of a notebook, without the ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Untitled"


def execute(path: Path):
    """Execute a notebook in a fresh kernel.

    Raises:
        NotebookFailed: naming the notebook, the cell number and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, record_timing=False,
                            extra_arguments=KERNEL_QUIET, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        failed = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and any(
            out.get("output_type") == "error" for out in cell.get("outputs", []))), None)
        where = f"cell {failed + 1}" if failed is not None else "a cell"
        raise NotebookFailed(f"{path.name}, {where}: {exc.ename}: {exc.evalue}") from None
    return nb


@contextmanager
def figures_redirected(folder: Path) -> Iterator[None]:
    """Kernels started inside the block write their figures to ``folder`` (``CAMLO_FIGURES``)."""
    previous = os.environ.get("CAMLO_FIGURES")
    os.environ["CAMLO_FIGURES"] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CAMLO_FIGURES", None)
        else:
            os.environ["CAMLO_FIGURES"] = previous


def render(path: Path, staging: Path) -> Rendered:
    """Execute one notebook and write its two HTML reports into ``staging``."""
    t0 = time.perf_counter()
    nb = execute(path)
    stem = path.stem
    (staging / f"{stem}.html").write_text(export_html(nb, with_code=True), encoding="utf-8")
    (staging / f"{stem}_no_code.html").write_text(export_html(nb, with_code=False), encoding="utf-8")
    seconds = time.perf_counter() - t0
    _progress(f"      {path.name} done in {seconds:.1f} s")
    return Rendered(path, notebook_title(nb), f"{stem}.html", f"{stem}_no_code.html", seconds)


def export_html(nb, *, with_code: bool) -> str:
    """The notebook as a standalone HTML page (JupyterLab style), with or without code cells."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=not with_code,
                            exclude_input_prompt=not with_code, exclude_output_prompt=not with_code)
    body, _ = exporter.from_notebook_node(nb)
    return body


def index_page(rendered: list[Rendered], figures: list[str]) -> str:
    """The reports' index: one entry per notebook, then the workbook and the figures."""
    items = "\n".join(
        f'<li><a href="{html.escape(r.full)}">{html.escape(r.title)}</a> '
        f'(<a href="{html.escape(r.no_code)}">without code</a>)</li>' for r in rendered
    )
    figure_items = "\n".join(
        f'<li><a href="figures/{html.escape(f)}">{html.escape(f)}</a></li>' for f in figures
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>camlo: Cam Lộ sustainable poverty reduction 2022–2025</title>
<style>body {{ font-family: "DejaVu Sans", sans-serif; max-width: 52rem; margin: 2rem auto; line-height: 1.5; }}</style>
</head>
<body>
<h1>Cam Lộ district: sustainable poverty reduction 2022–2025</h1>
<p lang="vi">Kế hoạch số 23/KH-UBND ngày 18/02/2022 của UBND huyện Cam Lộ: thực hiện công tác giảm
nghèo bền vững giai đoạn 2022 - 2025.</p>
<p>Reports rendered from the project's notebooks against its raw data. Each number is computed
from <code>data/raw/</code> through the <code>camlo</code> package.</p>
<h2>Reports</h2>
<ol>
{items}
</ol>
<h2>Tables for district reports</h2>
<p><a href="{WORKBOOK}">{WORKBOOK}</a>: Vietnamese and English headers, numbers stored as numbers.</p>
<h2>Figures (English and Vietnamese, PNG and SVG)</h2>
<ul>
{figure_items}
</ul>
</body>
</html>
"""


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


def _progress(message: str) -> None:
    print(message, flush=True)


def build(output: str | Path | None = None, notebooks: list[Path] | None = None,
          figures: Path = FIGURES, workers: int | None = None) -> int:
    """Execute the notebooks and write reports, figures and the workbook; returns an exit code.

    Args:
        output: The reports folder (default ``reports/``).
        notebooks: The notebooks to render (default: every numbered notebook).
        figures: The figures folder whose ``en/`` and ``vi/`` are replaced.
        workers: Notebooks executed at a time (default: the number of cores, at most 4).
    """
    from camlo.report.workbook import write_workbook

    output = Path(output) if output is not None else REPORTS
    notebooks = numbered_notebooks() if notebooks is None else notebooks
    staging = output.with_name(f".{output.name}-build-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging_figures = staging / "figures"
    staging_figures.mkdir(parents=True)
    workers = workers or min(4, os.cpu_count() or 1)
    started = time.perf_counter()
    try:
        # Notebooks are independent (each reads data/raw/ and writes its own figures), so they
        # run side by side, one fresh kernel each, as many at a time as there are cores.
        with figures_redirected(staging_figures), ThreadPoolExecutor(max_workers=workers) as pool:
            futures = []
            for number, path in enumerate(notebooks, start=1):
                _progress(f"[{number}/{len(notebooks)}] executing {path.name} ...")
                futures.append(pool.submit(render, path, staging))
            rendered = [future.result() for future in futures]
        _progress("writing the workbook ...")
        write_workbook(staging / WORKBOOK)
        figure_files = sorted(str(p.relative_to(staging_figures)) for p in staging_figures.rglob("*") if p.is_file())
        (staging / "index.html").write_text(index_page(rendered, figure_files), encoding="utf-8")
    except NotebookFailed as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"camlo build: FAILED in {exc}\nThe previous reports and figures are left in place.",
              file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # everything succeeded: swap figures/en, figures/vi and reports/ in
    figures.mkdir(parents=True, exist_ok=True)
    for lang_dir in sorted(p for p in staging_figures.iterdir() if p.is_dir()):
        fresh = figures / f".{lang_dir.name}-new"
        if fresh.exists():
            shutil.rmtree(fresh)
        shutil.copytree(lang_dir, fresh)
        _swap(fresh, figures / lang_dir.name)
    _swap(staging, output)
    _summary(output, rendered, time.perf_counter() - started)
    return 0


def _summary(output: Path, rendered: list[Rendered], seconds: float) -> None:
    files = sorted(p for p in output.rglob("*") if p.is_file())
    shown = output.relative_to(PROJECT_ROOT) if output.is_relative_to(PROJECT_ROOT) else output
    _progress(f"\ncamlo build: {len(rendered)} notebook(s) in {seconds:.1f} s; wrote {len(files)} files to {shown}/")
    for path in files:
        if path.suffix in (".html", ".xlsx"):
            _progress(f"  {path.relative_to(output)}  ({path.stat().st_size / 1024:.0f} KiB)")
    n_figures = sum(1 for p in files if p.parent.parent.name == "figures")
    _progress(f"  figures/en and figures/vi: {n_figures} files (PNG and SVG)")
