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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.engine import TurnRecord, step
from sim.outputs import (
    REPORTED_PARAMETERS,
    Recorder,
    manifest,
    outcome_actor_rows,
    outcome_rows,
)
from sim.rng import as_seeds
from sim.scenario import Scenario, load_scenario, scenario_hash
from sim.world import Params, State, Static, build_static, initial_state, make_params


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


def run_batch(
    scenario: Scenario | str | Path | Prepared,
    seeds: Iterable[int],
    params: Mapping[str, float | Sequence[float]] | None = None,
    turns: int | None = None,
    record: bool = False,
) -> BatchResult:
    """Run one replicate per seed, all stacked on one set of arrays.

    Args:
        scenario: a scenario id, path, validated model, or :class:`Prepared`.
        seeds: one non-negative integer seed per replicate.
        params: engine parameters: a number for all replicates or one per replicate.
        turns: override the scenario's horizon.
        record: also build the per-turn tidy tables (dyads, actors, events).

    Returns:
        A :class:`BatchResult`; outcome rows are in the order of ``seeds``.
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
    state = initial_state(static, seed_arr)
    recorder = Recorder(static) if record else None
    order = np.arange(r)
    rows: dict[int, dict[str, Any]] = {}
    actor_rows: dict[int, list[dict[str, Any]]] = {}
    sub_params = par
    reported = sorted(set(REPORTED_PARAMETERS) | set(params or {}))
    while state.r:
        rec: TurnRecord = step(static, state, sub_params)
        if recorder is not None:
            recorder.record(state.seeds, state, rec)
        if state.done.any():
            done = np.flatnonzero(state.done)
            fin = state.take(done)
            fin_params = sub_params.take(done)
            for pos, row in zip(
                order[done], outcome_rows(static, fin, fin_params, reported), strict=True
            ):
                rows[int(pos)] = row
            a_rows = outcome_actor_rows(static, fin)
            for k, pos in enumerate(order[done]):
                actor_rows[int(pos)] = a_rows[k * static.n : (k + 1) * static.n]
            keep = np.flatnonzero(~state.done)
            state = state.take(keep)
            sub_params = sub_params.take(keep)
            order = order[keep]
    outcomes = pd.DataFrame([rows[k] for k in range(r)])
    outcome_actors = pd.DataFrame([row for k in range(r) for row in actor_rows[k]])
    base_params = make_params(prep.scenario, 1, {}).row(0)
    man = manifest(static.scenario_id, prep.content_hash, base_params, None)
    man["seeds"] = [int(s) for s in seed_arr]
    man["parameters_varied"] = sorted(params or {})
    man["horizon_turns"] = static.horizon
    return BatchResult(
        outcomes=outcomes,
        outcome_actors=outcome_actors,
        dyads=recorder.dyad_table() if recorder else None,
        actors=recorder.actor_table() if recorder else None,
        events=recorder.event_table() if recorder else None,
        manifest=man,
    )


def new_state(prep: Prepared, seed: int) -> tuple[State, Params]:
    """The initial state and default parameters of a single run (a batch of one)."""
    return initial_state(prep.static, as_seeds([seed])), make_params(prep.scenario, 1)
