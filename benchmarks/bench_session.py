#!/usr/bin/env python
"""Benchmark: the game's figures (issue 8): a turn, a full forecast, and players per server.

Three measurements on this machine, each against a baseline measured in the same run, because
the machines are shared and noisy:

1. **A turn without forecasts**: ``Session.play`` (the engine's turn, the situation report and
   the score), median over turns of every crisis. Baseline: one engine step of a batch of one.
   Target: well under the 300 ms the page has for a turn (the rest is drawing).
2. **A full forecast**: 200 futures of every legal move of the player, 8 turns ahead, on one
   core, at the start of every crisis. Baseline: the batch path (``run_batch``) on the same
   number of replicate-turns, so the ratio says whether the futures cost more or less than
   plain runs; and the same forecast with the numpy reference decisions
   (``BORDERLINE_COMPILED=0``), which must give the same results. Target: under 1 s. Then
   where the forecast's time goes (the decisions, legality, the rest of the step), how many
   replicate-turns it plays (runs that end are dropped as they end: early stopping), and how
   many futures are in the same state as another after the first turn (what sharing prefixes
   could still save): this says whether the engine must be faster or the futures smarter.
3. **Players per server**: K simulated players in one process (as the Solara server runs them,
   one thread each), each thinking ``--think`` seconds, then playing a turn; every turn starts
   that player's forecast in the background, in the server's worker processes, as the page
   does (a player's next turn stops a forecast still running, as the page does). Reports the
   95th percentile of the turn's latency for each K, and how long the advisor took to be ready
   after each turn; the capacity is the largest K with p95 turns under 1 s, and the advisor
   keeps up while 95% of forecasts are ready within the thinking time.

    python benchmarks/bench_session.py                    # all three (about 3 minutes)
    python benchmarks/bench_session.py --only forecast
    python benchmarks/bench_session.py --players 1,4,8,16 --think 10 --duration 40

Exit code 0; 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FUTURES = 200
HORIZON = 8


def crises() -> list[tuple[str, str]]:
    from sim.session import playable

    return [(c.id, c.roles[0].actor) for c in playable() if c.founding]


def bench_turn(turns: int) -> None:
    import numpy as np

    from sim.batch import Prepared, new_state
    from sim.engine import step
    from sim.session import Session

    print("1. a turn without forecasts (Session.play), median ms")
    for sid, role in crises():
        prep = Prepared.from_ref(sid)
        s = Session.start(prep, role, 1)
        times = []
        while not s.over and len(times) < turns:
            t = time.perf_counter()
            s.play("hold", role)
            times.append(time.perf_counter() - t)
        state, par = new_state(prep, 1)
        base = []
        for _ in range(len(times)):
            t = time.perf_counter()
            step(prep.static, state, par)
            base.append(time.perf_counter() - t)
            if bool(state.done[0]):
                state, par = new_state(prep, 1)
        play_ms = 1000 * statistics.median(times)
        base_ms = 1000 * statistics.median(base)
        print(
            f"   {sid:28s} {play_ms:7.1f} ms   engine step alone {base_ms:6.1f} ms   "
            f"ratio {play_ms / base_ms:5.2f}   target < 300 ms: {'ok' if play_ms < 300 else 'MISS'}"
        )
    del np


@contextlib.contextmanager
def _compiled(flag: str) -> Iterator[None]:
    """BORDERLINE_COMPILED set to ``flag`` for the block (sim.fastchoice reads it per call)."""
    old = os.environ.get("BORDERLINE_COMPILED")
    os.environ["BORDERLINE_COMPILED"] = flag
    try:
        yield
    finally:
        if old is None:
            del os.environ["BORDERLINE_COMPILED"]
        else:
            os.environ["BORDERLINE_COMPILED"] = old


#: Each timed forecast and its batch baseline is the best of this many runs (noisy machines).
REPEATS = 3


def _best(f: Any) -> tuple[float, Any]:
    """The shortest of :data:`REPEATS` runs of ``f()``, and its last result."""
    best, out = float("inf"), None
    for _ in range(REPEATS):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench_forecast(futures: int, horizon: int) -> None:
    from sim.batch import Prepared, run_batch
    from sim.session import Session

    print(
        f"2. a full forecast: {futures} futures x every legal move, {horizon} turns, one core "
        f"(best of {REPEATS}, after a small forecast to warm the process up, as a server is)"
    )
    for sid, role in crises():
        prep = Prepared.from_ref(sid)
        s = Session.start(prep, role, 1)
        moves = len(s.legal_actions())
        s.forecast(futures=20, horizon=horizon)  # first-call costs: a server pays them once
        took, fc = _best(lambda s=s: s.forecast(futures=futures, horizon=horizon))
        # baseline: the batch path on as many replicate-turns
        reps = futures * moves
        plain = dict(seeds=range(reps), turns=fc.horizon)
        base, _ = _best(lambda prep=prep, plain=plain: run_batch(prep, **plain))
        # and the same forecast with the numpy reference decisions (sim.fastchoice off)
        t = time.perf_counter()
        with _compiled("0"):
            ref = s.forecast(futures=futures, horizon=horizon)
        numpy_s = time.perf_counter() - t
        same = "the same" if ref == fc else "DIFFERENT RESULTS"
        print(
            f"   {sid:28s} {moves:3d} moves {reps:6d} futures: {took:6.2f} s   batch path on "
            f"the same replicate-turns {base:6.2f} s   ratio {took / base:5.2f}   "
            f"target < 1 s: {'ok' if took < 1.0 else 'MISS'}"
        )
        print(
            f"   {'':28s} numpy decisions (BORDERLINE_COMPILED=0): {numpy_s:6.2f} s, "
            f"compiled/numpy {took / numpy_s:4.2f}, {same}"
        )


def _identical_after_first_turn(prep: Any, s: Any, futures: int) -> float:
    """The share of a forecast's futures whose whole state (seed included) after the first
    turn equals another future's: those could share the rest of their run."""
    import dataclasses

    import numpy as np

    from sim.engine import step
    from sim.session import futures_batch

    moves = [(o.action, o.target) for o in s.legal_actions()]
    seeds = s.future_seeds(futures)
    x, par, flat = futures_batch(prep, s.state, s._par, s.role, moves, seeds)
    step(prep.static, x, par, moves=flat)
    r = x.r
    rows = [
        np.ascontiguousarray(v).reshape(r, -1).view(np.uint8)
        for f in dataclasses.fields(x)
        if isinstance(v := getattr(x, f.name), np.ndarray) and v.ndim >= 1 and v.shape[0] == r
    ]
    whole = np.ascontiguousarray(np.concatenate(rows, axis=1))
    unique = np.unique(whole.view(np.dtype((np.void, whole.shape[1]))).ravel()).size
    return 1.0 - unique / r


def bench_breakdown(futures: int, horizon: int) -> None:
    """Where a forecast's time goes, and what smarter futures could still save."""
    import sim.actions
    import sim.engine
    from sim.batch import Prepared
    from sim.session import Session

    print("   where a forecast's time goes, and what smarter futures could still save:")
    print(
        f"   {'':28s} {'decisions':>9s} {'legality':>9s} {'the rest':>9s}   "
        f"{'replicate-turns played':>22s}   {'identical after turn 1':>22s}"
    )
    clock = {"choose": 0.0, "legal": 0.0, "step": 0.0}
    played = [0]
    real_choose, real_legal, real_step = sim.engine.choose, sim.actions.legal_masks, sim.engine.step

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                clock[name] += time.perf_counter() - t

        return wrapper

    def counted_step(static: Any, state: Any, *args: Any, **kwargs: Any) -> Any:
        played[0] += state.r
        return timed("step", real_step)(static, state, *args, **kwargs)

    import sim.batch

    sim.engine.choose = timed("choose", real_choose)
    sim.actions.legal_masks = timed("legal", real_legal)
    sim.batch.step = counted_step
    try:
        for sid, role in crises():
            prep = Prepared.from_ref(sid)
            s = Session.start(prep, role, 1)
            for key in clock:
                clock[key] = 0.0
            played[0] = 0
            fc = s.forecast(futures=futures, horizon=horizon)
            full = futures * len(s.legal_actions()) * fc.horizon
            total = clock["step"]
            rest = total - clock["choose"] - clock["legal"]
            same = _identical_after_first_turn(prep, s, futures)
            print(
                f"   {sid:28s} {clock['choose'] / total:9.0%} {clock['legal'] / total:9.0%} "
                f"{rest / total:9.0%}   {played[0] / full:8.1%} of {full:9,d}   {same:22.1%}"
            )
    finally:
        sim.engine.choose, sim.actions.legal_masks = real_choose, real_legal
        sim.batch.step = real_step
    print(
        "   the decisions are run once for all futures at the first turn (they start alike) and "
        "finished runs are dropped;\n   what sharing could still save is the last column: the "
        "step itself (above all the decisions) must be faster."
    )


def bench_players(counts: list[int], think: float, duration: float) -> None:
    from sim.session import ForecastCancelled, Session, forecast_pool

    print(
        f"3. players per server: K players in one process, {think:g} s thinking per turn, "
        f"a forecast after every turn; {duration:g} s per K"
    )
    sid, role = crises()[0]
    capacity = advised = 0
    forecast_pool()  # started and warmed once, as a server's pool is
    Session.start(sid, role, 0).forecast(futures=FUTURES, pool=forecast_pool())
    for k in counts:
        latencies: list[float] = []
        ready: list[float] = []  # seconds from a turn to its forecast (finished ones)
        given_up = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + duration

        def advise(
            s: Session,
            turn: int,
            current: list[int],
            lock: threading.Lock = lock,
            ready: list[float] = ready,
            given_up: list[int] = given_up,
        ) -> None:
            t = time.perf_counter()
            try:  # as the page does: a newer turn of the same player stops this forecast
                s.forecast(futures=FUTURES, pool=forecast_pool(), stop=lambda: current[0] != turn)
            except ForecastCancelled:
                with lock:
                    given_up[0] += 1
                return
            with lock:
                ready.append(time.perf_counter() - t)

        def player(
            n: int,
            k: int = k,
            lock: threading.Lock = lock,
            latencies: list[float] = latencies,
            stop_at: float = stop_at,
        ) -> None:
            s = Session.start(sid, role, n)
            current = [0]
            time.sleep(think * n / k)  # players do not all click at once
            while time.monotonic() < stop_at:
                if s.over:
                    s = Session.start(sid, role, n + 1000)
                t = time.perf_counter()
                s.play("hold", role)
                took = time.perf_counter() - t
                current[0] += 1
                with lock:
                    latencies.append(took)
                if not s.over:
                    threading.Thread(
                        target=advise, args=(s, current[0], current), daemon=True
                    ).start()
                time.sleep(think)
            current[0] = -1  # the player leaves: stop the last forecast

        threads = [threading.Thread(target=player, args=(n,), daemon=True) for n in range(k)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.5)  # the last forecasts see the stop
        if not latencies:
            print(f"   K={k:3d}: no turn finished in {duration:g} s")
            continue
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        med = statistics.median(latencies)
        ok = p95 < 1.0
        capacity = k if ok else capacity
        if ready:
            ready.sort()
            f_med = statistics.median(ready)
            f_p95 = ready[int(0.95 * (len(ready) - 1))]
            advice = f"advisor ready: median {f_med:5.1f} s, p95 {f_p95:5.1f} s"
        else:
            f_p95 = float("inf")
            advice = "advisor ready: never"
        # the advisor keeps up when (nearly) every forecast is ready within the thinking time
        keeps_up = f_p95 < think and given_up[0] <= 0.05 * len(latencies)
        advised = k if keeps_up else advised
        print(
            f"   K={k:3d}: {len(latencies):4d} turns, median {1000 * med:7.1f} ms, p95 "
            f"{1000 * p95:7.1f} ms  {'ok' if ok else 'over 1 s'};  {advice}, "
            f"{given_up[0]} stopped by the next turn"
        )
    print(f"   capacity: {capacity} simultaneous players with p95 turns under 1 s")
    print(
        f"   with the advisor ready before the next turn ({think:g} s of thinking) for 95% of "
        f"turns: {advised} players"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["turn", "forecast", "players"])
    parser.add_argument("--turns", type=int, default=20, help="turns per crisis for (1)")
    parser.add_argument("--futures", type=int, default=FUTURES)
    parser.add_argument("--horizon", type=int, default=HORIZON)
    parser.add_argument("--players", default="1,2,4,8,16", help="comma-separated K for (3)")
    parser.add_argument("--think", type=float, default=10.0, help="seconds between turns")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per K")
    args = parser.parse_args(argv)
    try:
        counts = [int(x) for x in args.players.split(",") if x.strip()]
    except ValueError:
        parser.error(f"--players must be whole numbers, got {args.players!r}")
    if not counts or min(counts) < 1 or args.futures < 1 or args.horizon < 1:
        parser.error("counts, futures and horizon must be at least 1")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    from sim import fastchoice

    # as a server has them: the compiled decisions loaded (or compiled) before the first turn
    print(f"compiled decisions ready in {fastchoice.warm():.2f} s (numba's cache)")
    if args.only in (None, "turn"):
        bench_turn(args.turns)
    if args.only in (None, "forecast"):
        bench_forecast(args.futures, args.horizon)
        bench_breakdown(args.futures, args.horizon)
    if args.only in (None, "players"):
        bench_players(counts, args.think, args.duration)
    return 0


if __name__ == "__main__":
    sys.exit(main())
