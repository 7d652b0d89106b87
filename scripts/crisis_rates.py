"""Print the headline rates of a scenario at default settings: war, use of force, settlement.

    python scripts/crisis_rates.py [SCENARIO] [--seeds N] [--param NAME=VALUE ...]

Use of force is a run whose peak rung reached 7 (MID hostility level 4) or more; war is a run
with an interstate war (MID 20/21); settled is a run that calmed down before the horizon.
"""

from __future__ import annotations

import argparse
import time

from sim.batch import run_batch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="iran_azerbaijan")
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    params = {k: float(v) for k, v in (p.split("=", 1) for p in args.param)}
    t0 = time.perf_counter()
    out = run_batch(args.scenario, seeds=range(args.seeds), params=params).outcomes
    dt = time.perf_counter() - t0
    settled = out[out.settled]
    print(f"{args.scenario}, {args.seeds} seeds, params {params or 'default'} ({dt:.1f} s)")
    print(f"  war             {out.war.mean():7.1%}")
    print(f"  use of force    {(out.peak_rung >= 7).mean():7.1%}")
    print(f"  display / more  {(out.peak_rung >= 6).mean():7.1%}")
    print(f"  settled         {out.settled.mean():7.1%}")
    if len(settled):
        q = settled.turns.quantile([0.25, 0.5, 0.75]).tolist()
        print(f"  settled at turn (quartiles) {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f}")


if __name__ == "__main__":
    main()
