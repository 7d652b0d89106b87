#!/usr/bin/env python
"""Benchmark: the same seeded replicates through ``mesa.batch_run``, the batch path and
``borderline batch``.

DESIGN.md promises one engine for one game and for ten thousand: ``CrisisModel`` is a plain Mesa
model (one object per run), and ``sim.batch.run_batch`` stacks all replicates on one set of
arrays. This script runs the same replicates three ways: ``mesa.batch_run`` on CrisisModel with
``--processes`` processes, ``run_batch`` in this process, and the ``borderline batch`` command
(a fresh interpreter, ``--processes`` workers, Parquet written: everything a researcher waits
for). It checks that every outcome field Mesa reports is identical on all three, and prints the
throughput and the ratios to Mesa. Target (issue 9): ``borderline batch`` at least 50x faster
than ``mesa.batch_run`` with the same processes.

    python benchmarks/bench_batch.py                 # 2,000 runs (about 4 minutes)
    python benchmarks/bench_batch.py --runs 200 --processes 2

Exit code: 0 if the outcomes are identical, 1 if they differ (2 for bad arguments); with
--strict, also 3 if the batch path misses the target.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGET_RATIO = 50.0


def mesa_path(scenario: str, seeds: list[int], processes: int):
    """Outcomes of ``mesa.batch_run`` on CrisisModel, one row per run, in seed order."""
    import mesa
    import pandas as pd

    from sim.model import CrisisModel

    rows = mesa.batch_run(
        CrisisModel,
        {"crisis": scenario},
        rng=seeds,
        data_collection_period=-1,
        number_processes=processes,
        display_progress=False,
    )
    runs = pd.DataFrame(rows).drop_duplicates("RunId")
    return runs.set_index("rng").loc[seeds].reset_index().rename(columns={"rng": "seed"})


def batch_path(scenario: str, seeds: list[int]):
    """Outcomes of sim.batch.run_batch, in seed order."""
    from sim.batch import run_batch

    return run_batch(scenario, seeds=seeds).outcomes


def cli_path(scenario: str, seeds: list[int], workers: int):
    """Outcomes of the ``borderline batch`` command (seeds first..first+n-1), and its time."""
    import subprocess
    import tempfile

    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "batch"
        cmd = [sys.executable, "-m", "sim", "batch", scenario, "--runs", str(len(seeds))]
        cmd += ["--seed", str(seeds[0]), "--out", str(out), "--workers", str(workers), "-q"]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        seconds = time.perf_counter() - t0
        return pd.read_parquet(out / "outcomes.parquet"), seconds


def compare(mesa_out, batch_out) -> list[str]:
    """Lines describing every outcome field that differs, exactly, between the two paths."""
    from sim.model import OUTCOME_FIELDS

    problems = []
    if mesa_out.seed.tolist() != batch_out.seed.tolist():
        return ["the two paths ran different seeds"]
    for name in OUTCOME_FIELDS:
        a, b = mesa_out[name].tolist(), batch_out[name].tolist()
        bad = [s for s, x, y in zip(batch_out.seed, a, b, strict=True) if x != y]
        if bad:
            problems.append(f"{name}: {len(bad)} of {len(a)} runs differ (seeds {bad[:8]} ...)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="replicates (default 2000)")
    parser.add_argument(
        "--processes", type=int, default=1, help="processes for mesa.batch_run (default 1)"
    )
    parser.add_argument("--scenario", default="iran_azerbaijan", help="scenario id or file")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds are first..first+runs-1")
    parser.add_argument(
        "--strict", action="store_true", help=f"exit 3 if the batch path is < {TARGET_RATIO:.0f}x"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.processes < 1 or args.first_seed < 0:
        parser.error("--runs and --processes must be >= 1, --first-seed >= 0")
    seeds = list(range(args.first_seed, args.first_seed + args.runs))

    import mesa
    import numpy as np

    import sim

    # warm up both paths: imports, scenario parsing, first-call costs
    mesa_path(args.scenario, seeds[:2], 1)
    batch_path(args.scenario, seeds[:2])

    t0 = time.perf_counter()
    mesa_out = mesa_path(args.scenario, seeds, args.processes)
    t_mesa = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch_out = batch_path(args.scenario, seeds)
    t_batch = time.perf_counter() - t0
    cli_out, t_cli = cli_path(args.scenario, seeds, args.processes)

    rate_mesa, rate_batch, rate_cli = args.runs / t_mesa, args.runs / t_batch, args.runs / t_cli
    ratio = rate_cli / rate_mesa
    print(
        f"Borderline {sim.__version__}, Mesa {mesa.__version__}, numpy {np.__version__}; "
        f"scenario {args.scenario}; {args.runs} runs (seeds {seeds[0]}..{seeds[-1]})"
    )
    print()
    print(f"{'path':<34}{'seconds':>10}{'runs/s':>12}")
    print(
        f"{f'mesa.batch_run ({args.processes} process(es))':<34}{t_mesa:>10.2f}{rate_mesa:>12.1f}"
    )
    print(f"{'sim.batch.run_batch (1 process)':<34}{t_batch:>10.2f}{rate_batch:>12.1f}")
    label = f"borderline batch ({args.processes} worker(s))"
    print(f"{label:<34}{t_cli:>10.2f}{rate_cli:>12.1f}")
    print()
    met = ratio >= TARGET_RATIO
    print(f"run_batch / mesa.batch_run: {rate_batch / rate_mesa:.1f}x")
    print(
        f"borderline batch / mesa.batch_run: {ratio:.1f}x "
        f"(target {TARGET_RATIO:.0f}x: {'met' if met else 'NOT met'})"
    )

    problems = compare(mesa_out, batch_out) + [
        f"borderline batch: {line}" for line in compare(mesa_out, cli_out)
    ]
    if problems:
        print("outcomes: DIFFERENT")
        for line in problems:
            print(f"  {line}")
        return 1
    print(f"outcomes: identical ({args.runs} runs)")
    return 3 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
