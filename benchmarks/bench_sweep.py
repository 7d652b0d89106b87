#!/usr/bin/env python
"""Benchmark: research sweeps (issue 9): a million runs, Dask against local processes, Sobol.

Three measurements on this machine:

1. **A big sweep** (``--runs``, default 1,000,000, outcomes only) of the founding crisis on
   local processes (one per core): runs/s, the peak memory of the driver and its workers
   together (resident set sizes summed, sampled every 0.2 s), and the size of the output
   folder. Targets: under 2 GB of memory and 200 MB of output. The per-run rate is also
   measured on a small sweep in the same run, as the baseline: a big sweep should keep it.
2. **Dask against local processes**: the same sweep (``--dask-runs``) on 2 local processes and
   on a local Dask cluster of 2 workers (started and warmed before timing, as a researcher's
   cluster would be): the rows must be identical bit for bit, and Dask must reach at least 80%
   of the processes' throughput.
3. **A Sobol analysis** of 6 parameters with 1,024 base samples and 4 replicates (Saltelli:
   1,024 x 8 points, 32,768 runs) on local processes, then its indices (sim.research.report):
   the time of each step.

    python benchmarks/bench_sweep.py                     # all three (about 30 minutes)
    python benchmarks/bench_sweep.py --only big --runs 100000
    python benchmarks/bench_sweep.py --only dask,sobol

Exit code 0 if every check passes (bit-for-bit equality always; targets with --strict), 1 if
the Dask rows differ, 3 if a target is missed with --strict, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

MEMORY_TARGET_GB = 2.0
OUTPUT_TARGET_MB = 200.0
DASK_TARGET = 0.8
SOBOL_PARAMETERS = {
    "war_aversion": {"min": 0.25, "max": 2.0},
    "misperception": {"min": 0.0, "max": 0.6},
    "temperature": {"min": 0.1, "max": 0.6},
    "restraint": {"min": 0.0, "max": 1.0},
    "reciprocity": {"min": 0.2, "max": 1.2},
    "rules.drone_parity.weight": {"min": 0.2, "max": 1.2},
}


def spec(runs: int, **extra: Any) -> dict[str, Any]:
    """A sweep of ``runs`` runs: a grid of 10 war-aversion values, runs / 10 replicates."""
    data: dict[str, Any] = {
        "sweep_version": 1,
        "name": "bench",
        "scenario": "iran_azerbaijan",
        "parameters": {"war_aversion": {"min": 0.25, "max": 2.0, "steps": 10}},
        "design": {"kind": "grid"},
        "replicates": max(1, runs // 10),
        "out": "unused",
    }
    data.update(extra)
    return data


class MemoryWatch:
    """Peak of the summed resident memory of this process and all its descendants."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.me, *self.me.children(recursive=True)]
            except psutil.Error:
                procs = [self.me]
            for p in procs:
                with contextlib.suppress(psutil.Error):  # a worker that just left
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_big(runs: int, workers: int) -> bool:
    from sim.research.spec import spec_from_data
    from sim.research.sweep import Processes, run_sweep

    print(f"1. a sweep of {runs:,} runs (outcomes only) on {workers} local processes")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        small = run_sweep(spec_from_data(spec(4_000)), Processes(workers), Path(tmp) / "small")
        print(f"   baseline: 4,000 runs at {small.rate:,.0f} runs/s")
        last = [0.0]

        def progress(p: Any) -> None:
            now = time.perf_counter()
            if now - last[0] > 30:
                last[0] = now
                left = "-" if p.left is None else f"{p.left / 60:.1f} min"
                print(f"   ... {p.done:,} runs, {p.rate:,.0f} runs/s, {left} left", flush=True)

        folder = Path(tmp) / "big"
        with MemoryWatch() as mem:
            big = run_sweep(
                spec_from_data(spec(runs)), Processes(workers), folder, progress=progress
            )
        size = folder_size(folder)
        gb, mb = mem.peak / 2**30, size / 2**20
        print(
            f"   {big.ran:,} runs in {big.seconds:,.0f} s: {big.rate:,.0f} runs/s "
            f"({big.rate / small.rate:.2f}x the small sweep's rate)"
        )
        print(
            f"   peak memory (driver + workers): {gb:.2f} GB (target < {MEMORY_TARGET_GB:.0f} GB: "
            f"{'met' if gb < MEMORY_TARGET_GB else 'MISSED'})"
        )
        print(
            f"   output: {mb:.1f} MB, {size / big.ran:.0f} bytes a run (target < "
            f"{OUTPUT_TARGET_MB:.0f} MB for 1,000,000 runs: "
            f"{'met' if mb * 1_000_000 / big.ran < OUTPUT_TARGET_MB else 'MISSED'})"
        )
        ok = gb < MEMORY_TARGET_GB and mb * 1_000_000 / big.ran < OUTPUT_TARGET_MB
    return ok


def bench_dask(runs: int) -> tuple[bool, bool]:
    import pandas as pd

    from sim.research.spec import spec_from_data
    from sim.research.sweep import DaskBackend, Processes, run_sweep

    print(f"2. {runs:,} runs on 2 local processes and on a local Dask cluster of 2 workers")
    sweep = spec_from_data(spec(runs))
    local = run_sweep(sweep, Processes(2), in_memory=True)
    print(f"   local processes: {local.seconds:.1f} s, {local.rate:,.0f} runs/s")
    backend = DaskBackend(local=2)
    try:
        run_sweep(spec_from_data(spec(200)), backend, in_memory=True)  # warm the workers
        dask = run_sweep(sweep, backend, in_memory=True)
    finally:
        backend.close()
    ratio = dask.rate / local.rate
    print(
        f"   Dask:            {dask.seconds:.1f} s, {dask.rate:,.0f} runs/s: {ratio:.0%} of the "
        f"processes' throughput (target >= {DASK_TARGET:.0%}: "
        f"{'met' if ratio >= DASK_TARGET else 'MISSED'})"
    )
    assert local.tables is not None and dask.tables is not None
    try:
        pd.testing.assert_frame_equal(
            local.tables["outcomes"], dask.tables["outcomes"], check_exact=True
        )
        same = True
        print(f"   rows: identical, bit for bit ({len(local.tables['outcomes']):,} runs)")
    except AssertionError as exc:
        same = False
        print(f"   rows: DIFFERENT: {str(exc).splitlines()[0]}")
    return same, ratio >= DASK_TARGET


def bench_sobol(workers: int) -> None:
    from sim.research.report import make_report
    from sim.research.spec import spec_from_data
    from sim.research.sweep import Processes, run_sweep

    data = spec(
        0,
        name="sobol6",
        parameters=SOBOL_PARAMETERS,
        design={"kind": "sobol", "samples": 1024, "seed": 0},
        replicates=4,
    )
    sweep = spec_from_data(data)
    print(f"3. Sobol: 6 parameters, 1,024 base samples, 4 replicates on {workers} local processes")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sobol"
        t0 = time.perf_counter()
        result = run_sweep(sweep, Processes(workers), folder)
        t_runs = time.perf_counter() - t0
        t0 = time.perf_counter()
        rep = make_report(folder, Path(tmp) / "report")
        t_report = time.perf_counter() - t0
        print(f"   {result.ran:,} runs in {t_runs:,.0f} s ({result.rate:,.0f} runs/s)")
        print(f"   report with Sobol indices: {t_report:.1f} s ({len(rep.files)} files)")
        print(f"   total: {(t_runs + t_report) / 60:.1f} minutes")
        for line in rep.text.splitlines():
            if "S1" in line or "ST" in line or any(p in line for p in SOBOL_PARAMETERS):
                print(f"   | {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="big,dask,sobol", help="comma-separated parts")
    parser.add_argument("--runs", type=int, default=1_000_000, help="runs of the big sweep")
    parser.add_argument("--dask-runs", type=int, default=40_000, help="runs of the Dask check")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--strict", action="store_true", help="exit 3 if a target is missed")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    if not parts <= {"big", "dask", "sobol"} or args.runs < 10 or args.dask_runs < 10:
        parser.error("--only takes big, dask, sobol; --runs and --dask-runs at least 10")
    import sim

    print(f"Borderline {sim.__version__}; {os.cpu_count()} cores\n")
    met = same = True
    if "big" in parts:
        met &= bench_big(args.runs, args.workers)
        print()
    if "dask" in parts:
        same, fast = bench_dask(args.dask_runs)
        met &= fast
        print()
    if "sobol" in parts:
        bench_sobol(args.workers)
    shutil.rmtree(REPO / "dask-worker-space", ignore_errors=True)
    if not same:
        return 1
    return 3 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
