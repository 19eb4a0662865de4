"""Time camlo.project_poverty: 100,000 paths to the end of 2025, median of several runs.

Run with ``make benchmark`` or ``.venv/bin/python benchmarks/bench_projection.py``. It prints
timings; it asserts nothing, because a timing depends on the machine (the tests check what
the projection computes, this script how fast).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from camlo.clean.plan_tables import load_plan_tables
from camlo.targets.plan import plan_goal
from camlo.targets.estimate import CONTINUATIONS, DRAWS, estimated_projection
from camlo.targets.projection import DEFAULT_SEED, ObservedStart, ProjectionParameters, project_poverty


def time_runs(n_paths: int, repeats: int) -> list[float]:
    """Seconds per run of the projection alone (the plan's tables are read once, beforehand)."""
    tables = load_plan_tables()
    goal = plan_goal(tables.headline, tables.targets)
    params = ProjectionParameters()
    project_poverty(goal, params=params, seed=DEFAULT_SEED, n_paths=1_000)  # warm up numpy
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run = project_poverty(goal, params=params, seed=DEFAULT_SEED, n_paths=n_paths)
        run.probability_target_met  # noqa: B018 (part of the work: the answer)
        timings.append(time.perf_counter() - start)
    return timings


def time_estimated(repeats: int) -> list[float]:
    """Seconds per run of the projection from the observed end-of-2023 review on the rates it implies:
    the draws of exit rates tried against it (``DRAWS``) and the kept ones continued to 2025."""
    tables = load_plan_tables()
    goal = plan_goal(tables.headline, tables.targets)
    start = ObservedStart(step=2, poor=311)
    timings = []
    for _ in range(repeats):
        begin = time.perf_counter()
        run = estimated_projection(goal, start, seed=DEFAULT_SEED)
        run.probability_range()
        timings.append(time.perf_counter() - begin)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{'paths':>10}  {'median s':>9}  {'min s':>8}  {'max s':>8}  (of {args.repeats} runs)")
    for n_paths in args.paths:
        timings = time_runs(n_paths, args.repeats)
        print(f"{n_paths:>10,}  {statistics.median(timings):>9.4f}  {min(timings):>8.4f}  {max(timings):>8.4f}")
    timings = time_estimated(args.repeats)
    print(f"from the observed review on the rates it implies ({DRAWS:,} draws tried, {CONTINUATIONS} paths per kept "
          f"draw): median {statistics.median(timings):.4f} s, min {min(timings):.4f}, max {max(timings):.4f}")


if __name__ == "__main__":
    main()
