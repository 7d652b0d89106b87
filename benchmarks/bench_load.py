"""How long loading and validating a scenario takes (the target: well under 100 ms).

Usage: python benchmarks/bench_load.py [SCENARIO ...] [--repeat N]

For each scenario (default: every file in scenarios/) it prints the first load in a fresh
process (imports excluded) and the median and slowest of N further loads. A load is the whole
path a user waits for: read the file, parse YAML with line numbers, apply extends, validate
against the models, run the cross-field checks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.scenario import list_scenarios, load_scenario


def bench(ref: str | Path, repeat: int) -> tuple[float, float, float]:
    """Return (first, median, max) wall times in milliseconds."""
    start = time.perf_counter()
    load_scenario(ref)
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_scenario(ref)
        times.append(time.perf_counter() - start)
    return first * 1000, statistics.median(times) * 1000, max(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="ids or paths (default: all of scenarios/)")
    parser.add_argument("--repeat", type=int, default=50, help="timed loads per scenario")
    args = parser.parse_args()
    refs = args.scenarios or list_scenarios()
    worst = 0.0
    print(f"{'scenario':32s} {'first':>9s} {'median':>9s} {'max':>9s}")
    for ref in refs:
        first, median, slowest = bench(ref, args.repeat)
        worst = max(worst, median)
        print(f"{Path(ref).stem:32s} {first:7.1f}ms {median:7.1f}ms {slowest:7.1f}ms")
    print(f"load + validate, median of {args.repeat}: {worst:.1f} ms (target: well under 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
