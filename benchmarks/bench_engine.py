#!/usr/bin/env python
"""Benchmark: the engine's turn step on large batches, against a baseline commit in the same run.

The game's advisor (issue 8) forecasts every legal move of the player with 200 simulated
futures of 8 turns from the current state: one call of ``sim.engine.step`` on thousands of
replicates, 8 times. This script measures exactly that shape of work: one opening state
replicated R times with distinct seeds, stepped 8 turns, for R = 1, 200, 2000 and 6000 and two
scenarios, and prints replicate-turns per second of the engine in this work tree and of the
engine at a baseline commit, and their ratio.

The baseline is checked out with ``git archive`` into a temporary folder; both engines run in
fresh subprocesses of this script, alternately, for ``--rounds`` rounds, and each figure is the
best of all its measurements, so both are measured on the same (possibly noisy, shared) machine
at the same time. Times are CPU times of the worker process (the engine is single-threaded),
which other work on the machine disturbs less than the wall clock. Both engines run the
scenario files of this work tree (the baseline its own version of a file whose schema it does
not know yet, and the output says so). The script also checks that the two engines give
identical results for every benchmarked run: every turn's record (action, target, source,
success, amount of every actor) and the whole final state, bit for bit; so the baseline to
compare a speed-up with is a commit with the same model (weights, rules and their defaults).

    python benchmarks/bench_engine.py                        # default sizes, 3 to 4 minutes
    python benchmarks/bench_engine.py --sizes 200,6000 --rounds 2
    python benchmarks/bench_engine.py --baseline HEAD~3 --scenarios nagorno_karabakh_2020

Exit code: 0 if the results are identical, 1 if they differ (2 for bad arguments or a baseline
that cannot be checked out or run); with --strict, also 3 if the largest batch is less than
``TARGET_RATIO`` times faster than the baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: The engine before the large-batch speed-up of the turn step (HEAD when that work began).
DEFAULT_BASELINE = "817dd9475c458ccf53811ffe3690c603da0cb9d5"
DEFAULT_SIZES = (1, 200, 2000, 6000)
DEFAULT_SCENARIOS = ("iran_azerbaijan", "nagorno_karabakh_2020")
TARGET_RATIO = 2.0
#: Opening state to replicate (as in a forecast: many futures from one state).
STATE_SEED = 42
#: A measurement repeats the 8 turns until it has run at least this long (small R); each worker
#: keeps the best of REPEATS measurements.
MIN_SECONDS = 0.2
REPEATS = 3
#: Times are the process's CPU time (user + system), which a machine shared with other work
#: disturbs much less than the wall clock; the engine runs on one core.


# ----------------------------------------------------------------------------------------------
# The worker: runs inside a subprocess whose ``sys.path`` starts with the engine's tree.


def _digest(arrays: dict[str, Any]) -> dict[str, str]:
    """SHA-256 of each array's dtype, shape and bytes."""
    import numpy as np

    out = {}
    for name, v in arrays.items():
        a = np.ascontiguousarray(v)
        h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
        out[name] = h.hexdigest()
    return out


def _prepare(candidates: list[str]) -> tuple[Any, str]:
    """The first of the scenario files this engine can load, compiled, and its path."""
    from sim.batch import Prepared

    errors = []
    for path in candidates:
        try:
            return Prepared.from_ref(path), path
        except Exception as exc:  # a schema this engine does not know yet: try the next
            errors.append(f"{path}: {exc}")
    raise RuntimeError("cannot load the scenario:\n" + "\n".join(errors))


def _replicate(state: Any, params: Any, r: int) -> tuple[Any, Any]:
    """R copies of a one-replicate state and its parameters, with seeds 0..R-1."""
    import numpy as np

    s = state.take(np.zeros(r, dtype=np.int64))
    s.seeds = np.arange(r, dtype=np.uint64)
    return s, params.take(np.zeros(r, dtype=np.int64))


def worker(scenarios: list[list[str]], sizes: list[int], turns: int) -> dict[str, Any]:
    """Time ``turns`` steps of R replicates of one opening state for each scenario and size.

    Each scenario is a list of candidate files; the first this engine loads is used.
    """
    import dataclasses

    import numpy as np

    from sim.batch import new_state
    from sim.engine import step

    results = []
    for candidates in scenarios:
        prep, path = _prepare(candidates)
        state0, params0 = new_state(prep, STATE_SEED)
        for r in sizes:
            # one untimed run, which also gives the results to compare
            s, p = _replicate(state0, params0, r)
            records: dict[str, Any] = {}
            for _ in range(turns):
                rec = step(prep.static, s, p)
                for name in ("action", "target", "source", "success", "amount"):
                    records[f"turn{rec.turn}.{name}"] = getattr(rec, name)
            for f in dataclasses.fields(s):
                v = getattr(s, f.name)
                if isinstance(v, np.ndarray):
                    records[f"state.{f.name}"] = v
            digest = _digest(records)
            # timed runs: the best of REPEATS measurements, each of the whole batch run as many
            # times as it takes to last MIN_SECONDS
            best = 0.0
            for _ in range(REPEATS):
                loops, elapsed = 0, 0.0
                while elapsed < MIN_SECONDS:
                    s, p = _replicate(state0, params0, r)
                    t0 = time.process_time()
                    for _ in range(turns):
                        step(prep.static, s, p)
                    elapsed += time.process_time() - t0
                    loops += 1
                best = max(best, r * turns * loops / elapsed)
            results.append(
                {
                    "scenario": Path(path).stem,
                    "file": path,
                    "r": r,
                    "rate": best,
                    "digest": digest,
                }
            )
    return {"results": results}


# ----------------------------------------------------------------------------------------------
# The driver.


def checkout(rev: str, dest: Path) -> str:
    """Extract the tree of ``rev`` into ``dest`` (git archive); return the full commit id."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tar = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(dest, filter="data")
    return commit


def run_worker(root: Path, files: list[list[str]], sizes: list[int], turns: int) -> dict[str, Any]:
    """Run the worker on the engine in ``root`` in a fresh interpreter."""
    code = (
        "import json, sys; "
        f"sys.path.insert(0, {str(root)!r}); sys.path.insert(1, {str(REPO / 'benchmarks')!r}); "
        "import bench_engine as b; "
        f"print(json.dumps(b.worker({files!r}, {sizes!r}, {turns!r})))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the engine in {root} failed:\n{proc.stderr.strip()}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def compare(base: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Lines describing every benchmarked run whose results differ between the two engines."""
    problems = []
    for b, c in zip(base["results"], current["results"], strict=True):
        common = sorted(set(b["digest"]) & set(c["digest"]))
        bad = [k for k in common if b["digest"][k] != c["digest"][k]]
        if bad:
            problems.append(f"{c['scenario']}, R={c['r']}: {', '.join(bad[:6])} differ")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline",
        default=DEFAULT_BASELINE,
        metavar="REV",
        help=f"git revision of the baseline engine (default {DEFAULT_BASELINE[:10]}, the "
        "engine before the large-batch speed-up)",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="replicate counts, comma-separated (default %(default)s)",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(DEFAULT_SCENARIOS),
        help="scenario ids in scenarios/, comma-separated (default %(default)s)",
    )
    parser.add_argument("--turns", type=int, default=8, help="turns per run (default 8)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds; the best counts (default 3)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help=f"exit 3 if the largest batch is < {TARGET_RATIO:.0f}x the baseline",
    )
    args = parser.parse_args(argv)
    try:
        sizes = [int(x) for x in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes must be integers separated by commas, got {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.turns < 1 or args.rounds < 1:
        parser.error("--sizes, --turns and --rounds must be >= 1")
    names = [x.strip() for x in args.scenarios.split(",") if x.strip()]
    files = [str(REPO / "scenarios" / f"{name}.yaml") for name in names]
    missing = [f for f in files if not Path(f).is_file()]
    if not names or missing:
        parser.error(f"no such scenario file: {', '.join(missing) or '(none given)'}")

    with tempfile.TemporaryDirectory(prefix="bench_engine_") as tmp:
        base_root = Path(tmp)
        try:
            commit = checkout(args.baseline, base_root)
        except subprocess.CalledProcessError as exc:
            print(f"cannot check out baseline {args.baseline!r}: {exc.stderr!s}", file=sys.stderr)
            return 2
        best: dict[str, dict[tuple[str, int], float]] = {"baseline": {}, "current": {}}
        last: dict[str, dict[str, Any]] = {}
        # the baseline runs this tree's scenario files too, or its own if its schema is older
        own = [str(base_root / "scenarios" / Path(f).name) for f in files]
        candidates = {
            "baseline": [[f, o] for f, o in zip(files, own, strict=True)],
            "current": [[f] for f in files],
        }
        for k in range(args.rounds):
            for label, root in (("baseline", base_root), ("current", REPO)):
                try:
                    out = run_worker(root, candidates[label], sizes, args.turns)
                except RuntimeError as exc:
                    print(str(exc), file=sys.stderr)
                    return 2
                last[label] = out
                for row in out["results"]:
                    key = (row["scenario"], row["r"])
                    best[label][key] = max(best[label].get(key, 0.0), row["rate"])
            print(f"round {k + 1} of {args.rounds} done", file=sys.stderr)

    import numpy as np

    import sim

    print(
        f"Borderline {sim.__version__}, numpy {np.__version__}; {args.turns} turns from the "
        f"opening state (seed {STATE_SEED}) replicated R times; best of {args.rounds} rounds"
    )
    print(f"baseline: {args.baseline} = {commit[:12]}; current: the work tree {REPO}")
    own_files = sorted(
        {
            row["scenario"]
            for row in last["baseline"]["results"]
            if not row["file"].startswith(str(REPO))
        }
    )
    if own_files:
        print(
            f"(the baseline cannot load this tree's {', '.join(own_files)}: it ran its own "
            "version of the file, so the two engines may not run the same crisis)"
        )
    print()
    print(f"{'scenario':<24}{'R':>6}{'baseline rt/s':>16}{'current rt/s':>16}{'ratio':>9}")
    for key in best["current"]:
        b, c = best["baseline"][key], best["current"][key]
        print(f"{key[0]:<24}{key[1]:>6}{b:>16,.0f}{c:>16,.0f}{c / b:>8.2f}x")
    print("(rt/s: replicate-turns per second)")
    print()
    largest = max(sizes)
    ratios = [best["current"][k] / best["baseline"][k] for k in best["current"] if k[1] == largest]
    met = min(ratios) >= TARGET_RATIO
    print(
        f"R={largest}: {min(ratios):.2f}x at worst (target {TARGET_RATIO:.0f}x: "
        f"{'met' if met else 'NOT met'})"
    )
    problems = compare(last["baseline"], last["current"])
    if problems:
        print(
            "results: DIFFERENT (a speed-up must not change them; a change of the model between "
            "the baseline and this tree does)"
        )
        for line in problems:
            print(f"  {line}")
        return 1
    runs = len(last["current"]["results"])
    print(f"results: identical ({runs} runs: every turn's record and the final state)")
    return 3 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
