"""Time classifying and tabulating household records, beside a plain pandas groupby.

Two measurements, printed (nothing asserted: a timing depends on the machine):

1. 1,000,000 in-memory records: ``classify`` + ``annex_tables`` against
   ``records.groupby("unit")[flags].sum()`` on the same frame, in the same run (median of
   several runs each; target: at most 3 times the groupby).
2. The national scale, about 27 million households: a Parquet file written to a temporary
   folder, then read in batches of 1,000,000 by ``iter_records`` (each batch validated like
   ``load_records``), classified and counted per unit, and the counts turned into the annex
   tables. That step runs in a fresh process, whose time and peak memory (maximum resident set
   size) are printed (target: under 4 GiB).

The records are random draws of the record format (incomes, flags, units); their values do
not matter here, only their number. Run with ``make benchmark`` or
``.venv/bin/python benchmarks/bench_records.py [--national 27000000]``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from camlo.clean.annexes import load_units
from camlo.clean.records import iter_records
from camlo.clean.standard import load_standard
from camlo.measures.classify import classify
from camlo.measures.tabulate import annex_from_counts, annex_tables, unit_counts

SEED = 2022
FLAGS = [*(f"d{j}" for j in range(1, 13)), "ethnic_minority", "btxh"]


def random_columns(rng: np.random.Generator, n: int, first_id: int = 1) -> dict[str, np.ndarray]:
    """``n`` random records as plain arrays, in the record format (no recorded status)."""
    units = load_units()
    names = units.iloc[:, 0].to_numpy(dtype=object)
    unit = rng.integers(0, len(names), size=n)
    area = np.where(units["area"].to_numpy(dtype=object)[unit] == "urban", "urban", "rural")
    columns = {
        "household_id": np.char.add("H", np.arange(first_id, first_id + n).astype("U12")),
        "unit": names[unit], "area": area,
        "members": rng.integers(1, 9, size=n), "income_per_person": rng.integers(300, 6_000, size=n) * 1000.0,
    }
    for flag in FLAGS:
        columns[flag] = (rng.random(n) < 0.15).astype("int8")
    return columns


def in_memory_records(n: int) -> pd.DataFrame:
    """Records as ``load_records`` returns them (categorical unit and area)."""
    columns = random_columns(np.random.default_rng(SEED), n)
    frame = pd.DataFrame(columns)
    frame["household_id"] = frame["household_id"].astype("str")
    frame["unit"] = pd.Categorical(frame["unit"], categories=load_units().iloc[:, 0].tolist())
    frame["area"] = pd.Categorical(frame["area"], categories=["rural", "urban"])
    return frame


def median_seconds(step, repeats: int) -> float:
    step()  # warm up
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_in_memory(n: int, repeats: int) -> None:
    records, standard = in_memory_records(n), load_standard()
    baseline = median_seconds(lambda: records.groupby("unit", observed=True)[FLAGS].sum(), repeats)
    ours = median_seconds(lambda: annex_tables(classify(records, standard)), repeats)
    print(f"\n{n:,} in-memory records (median of {repeats} runs)")
    print(f"  groupby('unit')[{len(FLAGS)} flags].sum()   {baseline:8.3f} s   (baseline)")
    print(f"  classify + annex_tables              {ours:8.3f} s   {ours / baseline:5.2f} x baseline (target <= 3)")


def write_parquet(path: Path, n: int, batch: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(SEED)
    writer = None
    for start in range(0, n, batch):
        table = pa.table(random_columns(rng, min(batch, n - start), first_id=start + 1))
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def national_step(path: Path, batch: int) -> None:
    """Read, validate, classify and count a Parquet file in batches; print the time taken."""
    standard = load_standard()
    start = time.perf_counter()
    counts = None
    rows = 0
    for records in iter_records(path, batch_rows=batch):
        part = unit_counts(classify(records, standard))
        counts = part if counts is None else counts + part
        rows += len(records)
    tables = annex_from_counts(counts)
    seconds = time.perf_counter() - start
    poor = int(tables.households["poor"].sum())
    print(f"{rows} {seconds:.1f} {poor}")


def bench_national(n: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.parquet"
        start = time.perf_counter()
        write_parquet(path, n, batch)
        made = time.perf_counter() - start
        size = path.stat().st_size / 2**20
        child = subprocess.run([sys.executable, __file__, "--national-step", str(path), "--batch", str(batch)],
                               capture_output=True, text=True, check=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # KiB -> GiB
        rows, seconds, poor = child.stdout.split()
    print(f"\n{int(rows):,} records from Parquet ({size:,.0f} MiB, written in {made:.0f} s), batches of {batch:,}")
    print(f"  read + validate + classify + count + annex tables   {float(seconds):8.1f} s   "
          f"({int(rows) / float(seconds) / 1e6:.2f} million records/s)")
    print(f"  peak memory of that process                         {peak:8.2f} GiB (target < 4)")
    print(f"  poor households found: {int(poor):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--national", type=int, default=27_000_000, help="0 to skip")
    parser.add_argument("--batch", type=int, default=1_000_000)
    parser.add_argument("--national-step", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national_step:
        national_step(args.national_step, args.batch)
        return
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"{platform.machine()}")
    bench_in_memory(args.records, args.repeats)
    if args.national:
        bench_national(args.national, args.batch)


if __name__ == "__main__":
    main()
