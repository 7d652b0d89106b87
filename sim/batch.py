"""The batch runner: many seeded replicates of one scenario stacked on one set of arrays.

A replicate's result depends only on (scenario, its parameters, its seed, the moves), never on
the batch it ran in: the engine is elementwise over replicates and its random numbers are
counter-based. Replicates that finish early (the crisis settled) are taken out of the arrays, so
the batch gets faster as it goes.

>>> from sim.batch import run_batch
>>> result = run_batch("iran_azerbaijan", seeds=range(100))
>>> result.outcomes["war"].mean()  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim import malloc
from sim.engine import TurnRecord, step
from sim.outputs import (
    REPORTED_PARAMETERS,
    Keys,
    Recorder,
    manifest,
    outcome_actor_rows,
    outcome_rows,
)
from sim.rng import as_seeds
from sim.scenario import Scenario, load_scenario, scenario_hash
from sim.weights import INDEX
from sim.world import Params, State, Static, build_static, initial_state, make_params

I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]


@dataclass(frozen=True)
class Prepared:
    """A scenario compiled once, ready to run any number of times."""

    scenario: Scenario
    static: Static
    content_hash: str

    @classmethod
    def from_ref(cls, ref: Scenario | str | Path, turns: int | None = None) -> Prepared:
        """Load (if needed) and compile a scenario; ``turns`` overrides its horizon.

        Raises:
            sim.scenario.ScenarioError: if the scenario cannot be loaded.
            ValueError: if ``turns`` is not a positive integer.
        """
        scenario = ref if isinstance(ref, Scenario) else load_scenario(ref)
        static = build_static(scenario)
        if turns is not None:
            if isinstance(turns, bool) or not isinstance(turns, int) or turns < 1:
                raise ValueError(f"turns must be a positive integer, got {turns!r}")
            static = dataclasses.replace(static, horizon=turns)
        return cls(scenario, static, scenario_hash(scenario))


@dataclass
class BatchResult:
    """Results of a batch: outcome tables, optional per-turn tables, and the manifest."""

    outcomes: pd.DataFrame
    outcome_actors: pd.DataFrame
    dyads: pd.DataFrame | None
    actors: pd.DataFrame | None
    events: pd.DataFrame | None
    manifest: dict[str, Any]


#: Called after each turn with the replicates still running: their state, the turn's record,
#: and their positions in the batch as it started.
OnTurn = Callable[[State, TurnRecord, I64], None]
#: Called with the replicates that finished this turn: positions, state and parameters.
OnFinish = Callable[[I64, State, Params], None]


def advance(
    static: Static,
    state: State,
    params: Params,
    turns: int | None = None,
    first_moves: I64 | None = None,
    on_turn: OnTurn | None = None,
    on_finish: OnFinish | None = None,
) -> tuple[State, Params, I64]:
    """Play a batch forward from any state: the one loop of every batch, sweep and forecast.

    Each turn, every replicate still running takes a step of the engine; replicates whose run
    ended (settled, or at the scenario's horizon) are reported to ``on_finish`` and taken out
    of the arrays, so the batch gets faster as it goes. Stops when every run has ended, or
    after ``turns`` turns.

    Args:
        static: the compiled scenario.
        state: the replicates' state (any turn; it is consumed: pass a copy to keep it).
        params: their parameters.
        turns: the most turns to play (default: until every run ends).
        first_moves: (R, N) player moves for the first turn (sim.engine.step's ``moves``).
        on_turn: see :data:`OnTurn`.
        on_finish: see :data:`OnFinish`.

    Returns:
        the replicates still running when ``turns`` ran out (state, parameters, positions);
        empty when every run ended.
    """
    malloc.tune()  # once per process: speed only, the same results
    order = np.arange(state.r, dtype=np.int64)
    played = 0
    while state.r and (turns is None or played < turns):
        rec: TurnRecord = step(static, state, params, moves=first_moves if played == 0 else None)
        played += 1
        if on_turn is not None:
            on_turn(state, rec, order)
        if state.done.any():
            done = np.flatnonzero(state.done)
            if on_finish is not None:
                on_finish(order[done], state.take(done), params.take(done))
            keep = np.flatnonzero(~state.done)
            state, params, order = state.take(keep), params.take(keep), order[keep]
            if first_moves is not None:
                first_moves = first_moves[keep]
    return state, params, order


def start_state(static: Static, start: State, seeds: U64) -> State:
    """``len(seeds)`` replicates of a given state (a batch of one), each with its own seed.

    The runs go on from that state, turn and all; from then on each draws its own random
    numbers. This is how a batch starts from a saved game's turn, and how the game's advisor
    starts its futures.

    Raises:
        ValueError: if ``start`` is not a single replicate, is finished, or does not fit the
            scenario.
    """
    if start.r != 1:
        raise ValueError(f"a start state must be a single replicate, got {start.r}")
    if start.armour.shape[1] != static.n:
        raise ValueError("the start state is of another scenario (its actors differ)")
    if bool(start.done[0]):
        raise ValueError(f"the start state's run has ended (turn {start.turn}): nothing to run")
    x = start.take(np.zeros(seeds.shape[0], dtype=np.int64))
    x.seeds = np.asarray(seeds, dtype=np.uint64).copy()
    return x


def run_batch(
    scenario: Scenario | str | Path | Prepared,
    seeds: Iterable[int],
    params: Mapping[str, float | Sequence[float] | NDArray[np.float64]] | None = None,
    turns: int | None = None,
    record: bool = False,
    start: State | None = None,
    keys: Keys | None = None,
) -> BatchResult:
    """Run one replicate per seed, all stacked on one set of arrays.

    Args:
        scenario: a scenario id, path, validated model, or :class:`Prepared`.
        seeds: one non-negative integer seed per replicate.
        params: engine parameters: a number for all replicates or one per replicate.
        turns: override the scenario's horizon.
        record: also build the per-turn tidy tables (dyads, actors, events).
        start: a state to start every replicate from (a batch of one, e.g. ``Session.state``
            of a game in progress) instead of the scenario's turn 0.
        keys: the runs' keys (sim.outputs.Keys). By default runs and replicates are numbered
            in seed order and each distinct set of parameters is a design point, numbered in
            order of first appearance.

    Returns:
        A :class:`BatchResult`; outcome rows are in the order of ``seeds``, and every table is
        keyed by ``run_id`` (seeds need not be unique).
    """
    prep = scenario if isinstance(scenario, Prepared) else Prepared.from_ref(scenario, turns)
    if isinstance(scenario, Prepared) and turns is not None:
        prep = Prepared(
            prep.scenario, dataclasses.replace(prep.static, horizon=turns), prep.content_hash
        )
    seed_arr = as_seeds(list(seeds))
    r = seed_arr.shape[0]
    par = make_params(prep.scenario, r, dict(params or {}))
    static = prep.static
    varied = sorted(params or {})
    if keys is None:
        keys = Keys.plain(seed_arr, _points(par, varied))
    elif keys.seed.shape[0] != r or not np.array_equal(keys.seed, seed_arr):
        raise ValueError("keys must have one entry per seed, with the same seeds")
    if start is None:
        state = initial_state(static, seed_arr)
    else:
        state = start_state(static, start, seed_arr)
    recorder = Recorder(static) if record else None
    rows: dict[int, dict[str, Any]] = {}
    actor_rows: dict[int, list[dict[str, Any]]] = {}
    reported = sorted(set(REPORTED_PARAMETERS) | set(varied))

    def on_turn(x: State, rec: TurnRecord, order: I64) -> None:
        assert recorder is not None
        recorder.record(keys.take(order), x, rec)

    def on_finish(pos: I64, fin: State, fin_params: Params) -> None:
        k = keys.take(pos)
        for p, row in zip(pos, outcome_rows(static, fin, fin_params, reported, k), strict=True):
            rows[int(p)] = row
        a_rows = outcome_actor_rows(static, fin, k)
        for m, p in enumerate(pos):
            actor_rows[int(p)] = a_rows[m * static.n : (m + 1) * static.n]

    advance(static, state, par, on_turn=on_turn if recorder else None, on_finish=on_finish)
    outcomes = pd.DataFrame([rows[k] for k in range(r)])
    outcome_actors = pd.DataFrame([row for k in range(r) for row in actor_rows[k]])
    for table in (outcomes, outcome_actors):  # seeds are 64-bit unsigned in every table
        table["seed"] = table["seed"].astype(np.uint64)
    base_params = make_params(prep.scenario, 1, {}).row(0)
    man = manifest(static.scenario_id, prep.content_hash, base_params, None)
    man["seeds"] = [int(s) for s in seed_arr]
    man["parameters_varied"] = varied
    man["points"] = _point_table(par, varied, keys)
    man["start_turn"] = 0 if start is None else int(start.turn)
    man["horizon_turns"] = static.horizon
    return BatchResult(
        outcomes=outcomes,
        outcome_actors=outcome_actors,
        dyads=recorder.dyad_table() if recorder else None,
        actors=recorder.actor_table() if recorder else None,
        events=recorder.event_table() if recorder else None,
        manifest=man,
    )


def _points(par: Params, varied: Sequence[str]) -> I64:
    """Design point of each replicate: distinct rows of the varied parameters, in order of
    first appearance (0 for all when nothing varies)."""
    if not varied:
        return np.zeros(par.r, dtype=np.int64)
    cols = par.values[:, [INDEX[name] for name in varied]]
    _, first, inverse = np.unique(cols, axis=0, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.ravel()]


def _point_table(par: Params, varied: Sequence[str], keys: Keys) -> list[dict[str, Any]]:
    """The manifest's record of the parameters each run used: one entry per design point
    (its id, the varied parameters' values and its runs); the others are the defaults."""
    out = []
    for p in np.unique(keys.point_id):
        runs = np.flatnonzero(keys.point_id == p)
        values = par.row(int(runs[0]))
        out.append(
            {
                "point_id": int(p),
                "parameters": {name: values[name] for name in varied},
                "run_ids": [int(x) for x in keys.run_id[runs]],
            }
        )
    return out


def new_state(prep: Prepared, seed: int) -> tuple[State, Params]:
    """The initial state and default parameters of a single run (a batch of one)."""
    return initial_state(prep.static, as_seeds([seed])), make_params(prep.scenario, 1)
