"""CrisisModel: the engine as a plain Mesa model (a batch of one).

The actors are Mesa agents (:class:`ActorAgent`) whose attributes read the engine's arrays, the
model has a DataCollector, is built from keyword arguments with defaults, and is seeded with
``rng=`` like any Mesa 3 model, so SolaraViz and ``mesa.batch_run`` work on it. Its results are
identical to the fast batch path (sim.batch) for the same seed and parameters, because both run
the same engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.batch import Prepared
from sim.engine import TurnRecord, check_moves, step
from sim.outputs import Keys, Recorder, manifest, outcome_actor_rows, outcome_rows
from sim.rng import as_seeds, seed_from_text
from sim.scenario import Scenario
from sim.world import Params, State, initial_state, make_params

#: Outcome fields reported by the DataCollector (and so by ``mesa.batch_run``).
OUTCOME_FIELDS: tuple[str, ...] = (
    "turns",
    "settled",
    "peak_rung",
    "peak_mid_action",
    "peak_mid_level",
    "war",
    "war_start_turn",
    "war_end_turn",
    "war_days",
    "prevailed",
    "mid_outcome",
    "armour_lost",
    "deaths",
    "econ_cost_busd",
    "ruptures",
    "mediation_offers",
    "mediation_successes",
    "escalation_score",
)


class ActorAgent(mesa.Agent):
    """A state or non-state actor; its attributes are views of the engine's arrays."""

    def __init__(self, model: CrisisModel, index: int) -> None:
        """Create the agent for actor ``index`` of the scenario."""
        super().__init__(model)
        self.index = index
        self.actor_id = model.prepared.static.ids[index]
        self.name = model.prepared.static.names[index]

    @property
    def _state(self) -> State:
        model: CrisisModel = self.model
        return model.state

    @property
    def armour(self) -> float:
        """Major ground equipment in theatre."""
        return float(self._state.armour[0, self.index])

    @property
    def drones(self) -> float:
        """Armed drones in stock, all types."""
        s = self.model.prepared.static
        return float(self._state.drones[0, s.drone_owner == self.index].sum())

    @property
    def econ_cost(self) -> float:
        """Economic cost of the crisis so far, billion USD."""
        return float(self._state.econ_cost[0, self.index])

    @property
    def deaths(self) -> float:
        """Estimated battle deaths so far."""
        return float(self._state.deaths[0, self.index])


class CrisisModel(mesa.Model):
    """One run of a crisis, played turn by turn.

    Args:
        crisis: scenario id (a file in scenarios/) or path to a scenario file.
        temperature: softmax temperature of decisions (None: the scenario's default).
        misperception: noise on the estimate of winning (None: the scenario's default).
        reciprocity: tit-for-tat strength (None: default).
        restraint: restraint against stronger adversaries (None: default).
        war_aversion: scale of the expected cost of war (None: default).
        turns: override the scenario's horizon.
        rng: the run's seed: a non-negative int, or text (digits are read as the number, other
            text is hashed to a seed, see ``sim.rng.seed_from_text``); None draws one from the
            OS, recorded in :attr:`seed` and the manifest.
    """

    running: bool

    def __init__(
        self,
        crisis: str | Path | Scenario = "iran_azerbaijan",
        temperature: float | None = None,
        misperception: float | None = None,
        reciprocity: float | None = None,
        restraint: float | None = None,
        war_aversion: float | None = None,
        turns: int | None = None,
        rng: int | str | None = None,
    ) -> None:
        """Build the model (see the class docstring)."""
        rng = seed_from_text(rng)
        if rng is None:
            rng = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
        seed_arr = as_seeds([rng])
        super().__init__(rng=int(seed_arr[0]))
        self.seed: int = int(seed_arr[0])
        self.prepared = Prepared.from_ref(crisis, turns)
        overrides = {
            k: v
            for k, v in {
                "temperature": temperature,
                "misperception": misperception,
                "reciprocity": reciprocity,
                "restraint": restraint,
                "war_aversion": war_aversion,
            }.items()
            if v is not None
        }
        self.params: Params = make_params(self.prepared.scenario, 1, overrides)
        self.state: State = initial_state(self.prepared.static, seed_arr)
        self.recorder = Recorder(self.prepared.static)
        self.records: list[TurnRecord] = []
        self.actor_agents = [ActorAgent(self, i) for i in range(self.prepared.static.n)]
        self._outcome_cache: tuple[int, dict[str, Any]] | None = None
        self._moves: NDArray[np.int64] | None = None
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in OUTCOME_FIELDS},
            # prefixed: batch_run merges agent rows over model rows, so a shared name would
            # hide the run's outcome
            agent_reporters={
                "actor": "actor_id",
                "actor_armour": "armour",
                "actor_drones": "drones",
                "actor_econ_cost": "econ_cost",
                "actor_deaths": "deaths",
            },
        )
        self.datacollector.collect(self)

    @property
    def turn(self) -> int:
        """Turns played."""
        return int(self.state.turn)

    def play(self, moves: dict[str, tuple[str, str]] | None = None) -> None:
        """Play one turn with player moves: actor id -> (action id, target id).

        The moves are checked before anything changes; the other actors are played by the AI.

        Raises:
            sim.engine.IllegalMove: if a move is unknown or not legal now (nothing is changed).
        """
        if not self.running:
            return
        self._moves = check_moves(self.prepared.static, self.state, moves) if moves else None
        self.step()

    def step(self) -> None:
        """Play one turn (the AI plays every actor unless :meth:`play` gave moves)."""
        if not self.running:
            return
        moves, self._moves = self._moves, None
        rec = step(self.prepared.static, self.state, self.params, moves=moves, verbose=True)
        self.records.append(rec)
        self.recorder.record(Keys.plain(self.state.seeds), self.state, rec)
        self._outcome_cache = None
        self.running = not bool(self.state.done[0])
        self.datacollector.collect(self)

    def outcome(self) -> dict[str, Any]:
        """The per-run outcome record (so far, if the run is not over)."""
        if self._outcome_cache is None or self._outcome_cache[0] != self.turn:
            row = outcome_rows(self.prepared.static, self.state, self.params)[0]
            self._outcome_cache = (self.turn, row)
        return dict(self._outcome_cache[1])

    def outcome_actors(self) -> pd.DataFrame:
        """Per-actor outcome records."""
        table = pd.DataFrame(outcome_actor_rows(self.prepared.static, self.state))
        table["seed"] = table["seed"].astype(np.uint64)  # as the batch path's tables
        return table

    def dyad_table(self) -> pd.DataFrame:
        """Tidy per-turn dyad table (see sim.outputs)."""
        return self.recorder.dyad_table()

    def actor_table(self) -> pd.DataFrame:
        """Tidy per-turn actor table."""
        return self.recorder.actor_table()

    def event_table(self) -> pd.DataFrame:
        """Tidy table of coded actions."""
        return self.recorder.event_table()

    def manifest(self) -> dict[str, Any]:
        """Scenario hash, parameters, seed and versions of this run."""
        p = self.prepared
        return manifest(p.static.scenario_id, p.content_hash, self.params.row(0), self.seed)


def _reporter(name: str) -> Any:
    def report(model: CrisisModel) -> Any:
        return model.outcome()[name]

    report.__name__ = f"report_{name}"
    return report
