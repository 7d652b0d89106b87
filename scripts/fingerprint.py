#!/usr/bin/env python
"""Print a fingerprint of the engine's results: one hash per crisis of its forecasts and of a
batch of runs with every per-turn table, so that a change meant to be for speed only can be
checked to change nothing, bit for bit.

    python scripts/fingerprint.py > before.txt    # on the commit before the change
    python scripts/fingerprint.py > after.txt     # after it
    diff before.txt after.txt                     # no output: the same results

Each crisis: the raw futures of a full forecast at its start and after three turns of play
(every move, 200 futures, 8 turns: the advisor's own call), and a 300-run batch from turn 0
with its outcome, dyad, actor and event tables.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _hash(h: hashlib._Hash, obj: object) -> None:
    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        h.update(pd.util.hash_pandas_object(obj, index=True).values.tobytes())
        h.update(",".join(map(str, obj.columns)).encode())
    elif isinstance(obj, np.ndarray):
        h.update(np.ascontiguousarray(obj).tobytes())
    else:
        h.update(repr(obj).encode())


def fingerprint(sid: str, runs: int) -> tuple[str, str]:
    """(forecast hash, batch hash) of one crisis."""
    import numpy as np

    from sim.batch import Prepared, run_batch
    from sim.session import Session, playable, run_futures

    crisis = next(c for c in playable() if c.id == sid)
    prep = Prepared.from_ref(sid)
    session = Session.start(prep, crisis.roles[0].actor, 11)
    f = hashlib.sha256()
    for _ in range(2):
        snap = session.upto(session.turn)
        pairs = [(o.action, o.target) for o in snap.legal_actions()]
        s = prep.static
        horizon = min(8, s.horizon - snap.turn)
        out = run_futures(
            prep,
            snap.state,
            snap._par,
            snap.role,
            pairs,
            snap.future_seeds(200),
            horizon,
            snap._gauges,
        )
        for k in sorted(out):
            _hash(f, out[k])
        for _ in range(3):
            if not session.over:
                session.play("hold", crisis.roles[0].actor)
        if session.over:
            break
    b = hashlib.sha256()
    res = run_batch(prep, range(runs), record=True)
    for table in (res.outcomes, res.outcome_actors, res.dyads, res.actors, res.events):
        _hash(b, table)
    del np
    return f.hexdigest()[:16], b.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    from sim.session import playable

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=300, help="runs in each crisis's batch")
    args = ap.parse_args(argv)
    for c in playable():
        fc, bt = fingerprint(c.id, args.runs)
        print(f"{c.id:28s} forecast {fc}  batch {bt}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
