"""Benchmark: the report build against its floor, the rebuild with nothing changed, the PDFs.

The floor: as many notebooks as the project has, each only importing pandas, matplotlib,
seaborn and camlo, executed one after another with ``jupyter nbconvert --to notebook
--execute`` (what any build of these notebooks must pay at least). Measured in the same run as
the builds, so that both see the same machine.

The builds run as ``make reports`` runs them (``python -m camlo build`` in a fresh process):

- cold: ``--force --no-pdf`` into an empty folder (everything but the PDFs: both languages'
  reports, figures, workbook, index);
- the same with one notebook at a time (``--workers 1``), to show what running side by side gives;
- one notebook rebuilt alone (the largest, as when only it changed);
- nothing changed: the same command again (must be at most a tenth of the cold build, and
  leave every file byte-identical: checked here too);
- PDFs: the same command without ``--no-pdf`` (only the PDFs are missing).

Then ``import camlo`` against ``import pandas``, and, inside one process, what saving the
figures costs: every figure of every answer drawn and saved in both languages, as the build does
it, against drawing each again for each language and format (the old way).

Prints figures; asserts nothing.

    python benchmarks/bench_build.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from camlo.paths import PROJECT_ROOT
from camlo.report.build import numbered_notebooks


def jupyter() -> list[str]:
    """The ``jupyter`` of this environment."""
    script = Path(sys.executable).with_name("jupyter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jupyter"]


def floor_seconds(n: int, folder: Path) -> float:
    """``n`` notebooks importing pandas, matplotlib, seaborn and camlo, one after another."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas, matplotlib.pyplot, seaborn, camlo")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    paths = []
    for i in range(n):
        path = folder / f"floor_{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    start = time.perf_counter()
    for path in paths:
        subprocess.run([*jupyter(), "nbconvert", "--to", "notebook", "--execute", str(path),
                        "--output", f"{path.stem}_out"], check=True, capture_output=True)
    return time.perf_counter() - start


def build_seconds(folder: Path, *args: str) -> float:
    """``python -m camlo build`` into ``folder`` with ``args``, timed from the process's start."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "camlo", "build", "--output", str(folder / "reports"), *args],
                            capture_output=True, text=True, cwd=PROJECT_ROOT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def alone_seconds(folder: Path, notebook: Path) -> float:
    """The build of ``notebook`` alone (``--force --no-pdf``): its kernel saves with every core."""
    code = ("import sys; from pathlib import Path; from camlo.report.build import build; "
            f"sys.exit(build({str(folder / 'alone')!r}, [Path({str(notebook)!r})], force=True, pdf=False))")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=PROJECT_ROOT)
    return time.perf_counter() - start


def digests(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def figure_saving() -> tuple[float, float, int]:
    """CPU seconds to save every registered figure in both languages: as the build does, and the old way."""
    code = r"""
import time, tempfile, matplotlib
from pathlib import Path
matplotlib.use("agg")
from camlo.report.figures import save_figures
from camlo.report.notebooks import answer_module, notebook_parameters, numbered_notebooks, read_notebook
from camlo.charts.style import DPI, load_figure_modules, theme
registry = load_figure_modules()
data = {}
for path in numbered_notebooks():
    nb = read_notebook(path)
    data.update(answer_module(nb).run(notebook_parameters(nb)).figures)
names = sorted(data)
with tempfile.TemporaryDirectory() as d:
    start = time.process_time()
    for n in names:
        for lang in ("en", "vi"):
            for suffix in ("png", "svg"):
                with theme():
                    fig = registry[n].draw(data[n], lang=lang)
                    fig.savefig(Path(d) / f"{n}_{lang}.{suffix}", bbox_inches="tight", dpi=DPI)
    old = time.process_time() - start
    start = time.process_time()
    save_figures(data, Path(d) / "new")
    new = time.process_time() - start
print(new, old, len(names))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    new, old, n = out.stdout.split()
    return float(new), float(old), int(n)


def import_seconds(module: str, repeat: int = 7) -> float:
    """Median wall time of ``import module`` in a fresh interpreter, less the interpreter's start."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(repeat))
    return statistics.median(run(f"import {module}") for _ in range(repeat)) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    n = len(numbered_notebooks())
    floors, colds, serials, warms, pdfs, alone = [], [], [], [], [], []
    largest = max(numbered_notebooks(), key=lambda p: p.stat().st_size)
    identical = True
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="camlo-bench-") as tmp:
            folder = Path(tmp)
            floors.append(floor_seconds(n, folder))
            colds.append(build_seconds(folder, "--force", "--no-pdf"))
            before = digests(folder)
            warms.append(build_seconds(folder, "--no-pdf"))
            identical &= digests(folder) == before
            pdfs.append(build_seconds(folder))
            shutil.rmtree(folder / "reports")
            serials.append(build_seconds(folder, "--force", "--no-pdf", "--workers", "1"))
            alone.append(alone_seconds(folder, largest))
    floor, cold, serial = statistics.median(floors), statistics.median(colds), statistics.median(serials)
    warm, pdf = statistics.median(warms), statistics.median(pdfs)
    print(f"notebooks: {n}; cores: {os.cpu_count()}; median of {args.repeat} run(s); load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"floor: {n} notebooks importing pandas, matplotlib, seaborn, camlo, one after another")
    print(f"  (jupyter nbconvert --to notebook --execute)                   {floor:7.2f} s")
    print(f"cold build, no PDFs (python -m camlo build --force --no-pdf)    {cold:7.2f} s   {cold / floor:5.2f} x floor")
    print(f"  the same, one notebook at a time (--workers 1)                {serial:7.2f} s   {serial / floor:5.2f} x floor")
    print(f"{largest.name} rebuilt alone (--force --no-pdf)   {statistics.median(alone):7.2f} s")
    print(f"nothing changed (python -m camlo build --no-pdf)                {warm:7.2f} s   {warm / cold:5.3f} x cold; "
          f"files {'byte-identical, untouched' if identical else 'CHANGED'}")
    print(f"PDFs of the {n} reports in 2 languages (printed by Chromium)    {pdf:7.2f} s   "
          f"build with PDFs {(cold + pdf) / floor:5.2f} x floor")
    print(f"import camlo (fresh interpreter, less bare start): {import_seconds('camlo'):.3f} s; "
          f"import pandas, for comparison: {import_seconds('pandas'):.3f} s")
    try:
        new, old, figures = figure_saving()
        print(f"saving {figures} figures x 2 languages x PNG+SVG (CPU seconds, one process): data once, one draw per "
              f"language {new:6.2f} s; data and drawing anew per language and format {old:6.2f} s")
    except (subprocess.CalledProcessError, ValueError) as exc:  # the figure API is being reshaped
        print(f"figure saving not measured: {exc}")


if __name__ == "__main__":
    main()
