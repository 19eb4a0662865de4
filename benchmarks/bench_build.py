"""Benchmark: the whole report build against its floor, and the cost of ``import camlo``.

The floor is the same number of fresh kernels, each only importing pandas, matplotlib, seaborn
and camlo: what any build of these notebooks must pay. Prints figures; asserts nothing.

    python benchmarks/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from camlo.report.build import KERNEL, KERNEL_QUIET, build, numbered_notebooks


def floor_seconds(n_kernels: int, workers: int) -> float:
    """Time ``n_kernels`` fresh kernels that only import the libraries the notebooks use.

    They run ``workers`` at a time, as the build runs its notebooks.
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas, matplotlib.pyplot, seaborn, camlo")]

    def one(_: int) -> None:
        NotebookClient(nbformat.from_dict(nb), kernel_name=KERNEL, extra_arguments=KERNEL_QUIET,
                       timeout=600).execute()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(n_kernels)))
    return time.perf_counter() - start


def build_seconds() -> float:
    """Time one full build into a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = build(output=Path(folder) / "reports", figures=Path(folder) / "figures")
        seconds = time.perf_counter() - start
    if code != 0:
        raise SystemExit("the build failed")
    return seconds


def import_seconds(module: str, repeat: int) -> float:
    """Median wall time of ``import module`` in a fresh interpreter, less the interpreter's start."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(repeat))
    return statistics.median(run(f"import {module}") for _ in range(repeat)) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = len(numbered_notebooks())
    workers = min(4, os.cpu_count() or 1)
    serial = statistics.median(floor_seconds(n, 1) for _ in range(args.repeat))
    floor = statistics.median(floor_seconds(n, workers) for _ in range(args.repeat))
    whole = statistics.median(build_seconds() for _ in range(args.repeat))
    print(f"notebooks: {n}; cores: {os.cpu_count()}; median of {args.repeat} runs")
    print(f"floor, one kernel at a time ({n} kernels importing pandas, matplotlib, seaborn, camlo): {serial:6.2f} s")
    print(f"floor, {workers} kernels at a time, as the build runs them:                        {floor:6.2f} s")
    print(f"report build (execute, HTML x2, workbook, figures):                               {whole:6.2f} s")
    print(f"build / floor:                                                                     {whole / floor:6.2f}x")
    print(f"import camlo (fresh interpreter, less bare start):                                 "
          f"{import_seconds('camlo', 7):6.3f} s")
    print(f"import pandas, for comparison:                                                     "
          f"{import_seconds('pandas', 7):6.3f} s")


if __name__ == "__main__":
    main()
