"""Time camlo.af_from_records on a million household records against one pandas groupby pass.

``af_from_records`` for all 12 cutoffs and the official identification, by unit, on
1,000,000 in-memory classified records, beside the time pandas takes for one plain
``groupby("unit")[d1 … d12].sum()`` over the same frame, measured in the same run (medians of
several runs). Run with ``make benchmark`` or ``.venv/bin/python benchmarks/bench_af_records.py``.
It prints timings and asserts nothing: a timing depends on the machine (the tests check what
the function computes, this script how fast).

The records are random (seeded), shaped like the review's: unit names as text, 0/1 flags,
a computed status and, for one household in ten, a recorded one.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import pandas as pd

from camlo.clean.annexes import indicators
from camlo.measures.af_records import af_from_records
from camlo.measures.scores import co_deprivation, score_distribution

UNITS = ["Thanh An", "TT Cam Lộ", "Cam Thành", "Cam Thủy", "Cam Nghĩa", "Cam Tuyên", "Cam Chính", "Cam Hiếu"]
FLAGS = [f"d{j}" for j in range(1, 13)]


def make_records(n: int, seed: int = 20220218) -> pd.DataFrame:
    """``n`` classified records with seeded random flags, units and statuses."""
    rng = np.random.default_rng(seed)
    unit = rng.choice(np.array(UNITS, dtype=object), size=n)
    propensity = rng.uniform(0.02, 0.5, size=n)
    flags = (rng.uniform(size=(n, 12)) < propensity[:, None]).astype(np.int64)
    status = rng.choice(np.array(["poor", "near_poor", "middle", "above_middle"], dtype=object), size=n,
                        p=[0.04, 0.05, 0.3, 0.61])
    recorded = np.where(rng.uniform(size=n) < 0.1, status, None)
    recorded = np.where(np.isin(recorded, ["poor", "near_poor"]), recorded, None)
    return pd.DataFrame({"household_id": np.char.add("H", np.arange(n).astype(str)).astype(object),
                         "unit": unit, "area": np.where(unit == "TT Cam Lộ", "urban", "rural").astype(object),
                         **dict(zip(FLAGS, flags.T)), "status": status, "status_recorded": recorded})


def median_seconds(work, repeats: int) -> tuple[float, float]:
    """Median and minimum seconds of ``repeats`` calls of ``work()``."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    records = make_records(args.records)
    table = indicators()
    af_from_records(records.head(1000), table)  # warm up the imports
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"{platform.machine()}; {args.records:,} records, median (min) of {args.repeats} runs")
    baseline, baseline_min = median_seconds(lambda: records.groupby("unit")[FLAGS].sum(), args.repeats)
    name = 'one groupby("unit")[d1..d12].sum() pass (baseline)'
    print(f"{name:<62} {baseline:7.3f} s ({baseline_min:.3f})")
    cases = [
        ("af_from_records: 12 cutoffs + official, by unit", lambda: af_from_records(records, table)),
        ("af_from_records: 12 cutoffs + official, by unit and area",
         lambda: af_from_records(records, table, by=["unit", "area"])),
        ("af_from_records: the 12 cutoffs only, by unit", lambda: af_from_records(records, table, k=list(range(1, 13)))),
        ("score_distribution, by unit", lambda: score_distribution(records, table)),
        ("co_deprivation of the poor, by unit", lambda: co_deprivation(records, table, by="unit")),
    ]
    for name, work in cases:
        seconds, fastest = median_seconds(work, args.repeats)
        print(f"{name:<62} {seconds:7.3f} s ({fastest:.3f})  {seconds / baseline:5.2f} x the baseline")


if __name__ == "__main__":
    main()
