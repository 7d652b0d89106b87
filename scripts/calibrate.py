#!/usr/bin/env python
"""Search the hand-set weights for values that reproduce the founding crises' facts.

    python scripts/calibrate.py [--points N] [--seeds N] [--refine N] [--start FILE.json]
                                [--fresh] [--out FILE.json]

A Latin hypercube screen (SALib) over the weights in :data:`SEARCH` (each within its range in the
weights table), scored by ``sim.calibration.loss`` on seeded batches of the Iran-Azerbaijan
crisis and the 2020 Karabakh war (the same seeds at every point: common random numbers); then a
Nelder-Mead refinement from the best point (``--start`` adds the weights of an earlier result as a
candidate; ``--points 0`` refines from it alone; ``--fresh`` leaves the current defaults out of
the candidates, so the search starts from the screen alone). Prints every fact at the defaults and
at the best point, and writes the best weights with their facts and loss, and every point
evaluated (``history``), to ``--out`` (default calibration_result.json). It changes no file of
the model: committing fitted weights into sim/weights.py is a separate, reviewed step. The fit
behind the committed weights is docs/data/calibration_fit.json, shown in docs/calibration.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sim import calibration  # noqa: E402
from sim.weights import INDEX, TABLE  # noqa: E402

#: The weights searched, with the band searched (inside the model's range).
SEARCH: dict[str, tuple[float, float]] = {
    "grievance_decay": (0.6, 0.97),
    "grievance_per_rung": (0.02, 0.12),
    "reciprocity": (0.3, 1.0),
    "deter_signal": (0.0, 4.0),
    "learning_war": (0.002, 0.08),
    "fight_on": (0.0, 20.0),
    "accept_mediation_tension": (0.0, 1.0),
    "desire_grievance": (0.3, 0.9),
}


def _check_search() -> None:
    for name, (lo, hi) in SEARCH.items():
        w = TABLE[INDEX[name]]
        if not w.lo <= lo < hi <= w.hi:
            raise SystemExit(f"search band of {name} [{lo}, {hi}] is outside [{w.lo}, {w.hi}]")


def _start_point(path: Path, defaults: np.ndarray) -> np.ndarray:
    """The searched weights of an earlier result (defaults for any it does not name)."""
    try:
        weights = json.loads(path.read_text(encoding="utf-8"))["weights"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SystemExit(f"--start {path}: not a calibration result ({exc})") from None
    unknown = sorted(set(weights) - set(SEARCH))
    if unknown:
        raise SystemExit(f"--start {path}: weights not searched: {', '.join(unknown)}")
    x = defaults.copy()
    for k, name in enumerate(SEARCH):
        if name in weights:
            lo, hi = SEARCH[name]
            x[k] = float(np.clip(float(weights[name]), lo, hi))
    return x


#: Every point evaluated in this process: stage, weights, loss (written as ``history``).
HISTORY: list[dict[str, object]] = []


def evaluate(x: np.ndarray, seeds: int, stage: str) -> tuple[float, dict[str, float]]:
    params = {name: float(v) for name, v in zip(SEARCH, x, strict=True)}
    facts = calibration.measure(params, seeds)
    value = calibration.loss(facts)
    HISTORY.append({"stage": stage, "weights": params, "loss": value})
    return value, facts


def show(label: str, facts: dict[str, float], value: float) -> None:
    print(f"{label}: loss {value:.3f}")
    for t in calibration.TARGETS:
        inside = "ok" if t.miss(facts[t.name]) == 0 else "MISS"
        print(f"  {t.name:36s} {facts[t.name]:8.3f}  target [{t.lo:g}, {t.hi:g}]  {inside}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--points", type=int, default=48, help="Latin hypercube points (48)")
    ap.add_argument("--seeds", type=int, default=200, help="seeds per crisis and point (200)")
    ap.add_argument("--refine", type=int, default=40, help="Nelder-Mead evaluations (40)")
    ap.add_argument("--out", type=Path, default=Path("calibration_result.json"))
    ap.add_argument("--start", type=Path, help="an earlier result whose weights are a candidate")
    ap.add_argument("--random-seed", type=int, default=1, help="seed of the hypercube (1)")
    ap.add_argument(
        "--fresh", action="store_true", help="do not count the current defaults as a candidate"
    )
    args = ap.parse_args(argv)
    if args.points < 0 or args.seeds < 10 or args.refine < 0:
        ap.error("--points >= 0, --seeds >= 10, --refine >= 0")
    _check_search()
    from SALib.sample import latin
    from scipy.optimize import minimize

    t0 = time.perf_counter()
    defaults = np.array([TABLE[INDEX[n]].value for n in SEARCH])
    HISTORY.clear()
    base_loss, base_facts = evaluate(defaults, args.seeds, "defaults")
    show("defaults", base_facts, base_loss)
    problem = {
        "num_vars": len(SEARCH),
        "names": list(SEARCH),
        "bounds": [list(b) for b in SEARCH.values()],
    }
    points = (
        latin.sample(problem, args.points, seed=args.random_seed)
        if args.points
        else np.empty((0, len(SEARCH)))
    )
    best = (np.inf if args.fresh else base_loss, defaults, base_facts)
    if args.start is not None:
        x = _start_point(args.start, defaults)
        value, facts = evaluate(x, args.seeds, "start")
        show(f"start ({args.start})", facts, value)
        if value < best[0]:
            best = (value, x, facts)
    for k, x in enumerate(points, 1):
        value, facts = evaluate(x, args.seeds, "screen")
        if value < best[0]:
            best = (value, x, facts)
        print(f"point {k}/{len(points)}: loss {value:.3f} (best {best[0]:.3f})", flush=True)
    if args.refine:
        lo = np.array([b[0] for b in SEARCH.values()])
        hi = np.array([b[1] for b in SEARCH.values()])

        def objective(x: np.ndarray) -> float:
            return evaluate(np.clip(x, lo, hi), args.seeds, "refine")[0]

        res = minimize(objective, best[1], method="Nelder-Mead", options={"maxfev": args.refine})
        x = np.clip(res.x, lo, hi)
        value, facts = evaluate(x, args.seeds, "refine")
        if value < best[0]:
            best = (value, x, facts)
    show("best", best[2], best[0])
    result = {
        "weights": {n: float(v) for n, v in zip(SEARCH, best[1], strict=True)},
        "facts": best[2],
        "loss": best[0],
        "loss_at_defaults": base_loss,
        "seeds": args.seeds,
        "points": args.points,
        "refine": args.refine,
        "fresh": args.fresh,
        "random_seed": args.random_seed,
        "search": {n: list(b) for n, b in SEARCH.items()},
        "seconds": round(time.perf_counter() - t0, 1),
        "history": HISTORY,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
