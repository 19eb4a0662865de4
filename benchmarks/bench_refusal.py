"""Time how fast a loader refuses junk, beside reading the shipped table (the baseline).

Run with ``make benchmark`` or ``.venv/bin/python benchmarks/bench_refusal.py``. It prints
timings and peak memory; it asserts nothing (the tests check what is refused and what the
message says, this script how fast). Cases, each for Phụ lục 1 (``camlo.load_households``):

- the shipped file, read and validated (the baseline);
- 50 MB of junk text: refused from its size, before a byte is parsed;
- 1.9 MB of junk text (just under the size limit) with a wrong header: refused at the header,
  before the body is parsed;
- 1.9 MB of rows under the right header, the junk starting at the first unit row.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import camlo
from camlo.clean.annexes import PHU_LUC_1
from camlo.clean.parsing import MAX_TABLE_BYTES


def junk(size: int, seed: int = 2022) -> str:
    rng = random.Random(seed)
    words = ["abc", "1.234", "x,y", "Cam", "Lộ", ";", "0.22", '"q"', "\t"]
    out, length = [], 0
    while length < size:
        line = ",".join(rng.choice(words) for _ in range(12)) + "\n"
        out.append(line)
        length += len(line.encode())
    return "".join(out)[:size]


def time_refusal(path: Path, repeats: int) -> tuple[float, float, str]:
    """Median seconds, peak MiB (tracemalloc) and the outcome of loading ``path``."""
    timings, outcome = [], "read"
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            camlo.load_households(path)
        except camlo.DataError as err:
            outcome = f"refused: {err.reason[:60]}"
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        camlo.load_households(path)
    except camlo.DataError:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(timings), peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    header = "".join(PHU_LUC_1.read_text(encoding="utf-8").splitlines(keepends=True)[:2])
    with tempfile.TemporaryDirectory() as folder:
        cases = {"shipped Phụ lục 1 (baseline)": PHU_LUC_1}
        big = Path(folder) / "junk_50mb.csv"
        big.write_text(junk(50_000_000), encoding="utf-8")
        cases["50 MB of junk"] = big
        near = Path(folder) / "junk_near_limit.csv"
        near.write_text(junk(MAX_TABLE_BYTES - 100_000), encoding="utf-8")
        cases[f"{near.stat().st_size / 1e6:.1f} MB of junk"] = near
        body = Path(folder) / "junk_body.csv"
        body.write_text(header + junk(MAX_TABLE_BYTES - 100_000 - len(header.encode())), encoding="utf-8")
        cases[f"{body.stat().st_size / 1e6:.1f} MB, right header, junk rows"] = body
        camlo.load_households()  # imports and the unit list, once
        print(f"{'case':<40} {'median s':>9} {'peak MiB':>9}  outcome")
        for name, path in cases.items():
            seconds, peak, outcome = time_refusal(path, args.repeats)
            print(f"{name:<40} {seconds:>9.4f} {peak:>9.1f}  {outcome}")


if __name__ == "__main__":
    main()
