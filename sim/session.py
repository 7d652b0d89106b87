"""A game session: one player plays one country of a crisis, turn by turn (runners layer).

Pure Python on the engine, with no UI: the browser page, ``borderline play`` and the tests all
drive a :class:`Session`. The AI plays every other actor, with the same engine and the same
decisions as the batch runner, so a session is a run of the crisis with one actor's choices
replaced by the player's moves.

>>> from sim.session import Session
>>> s = Session.start("iran_azerbaijan", role="azerbaijan", seed=42)
>>> menu = s.legal_actions()  # the player's legal (action, target) pairs
>>> report = s.play("protest", "iran")  # resolves the turn; the AI plays everyone else
>>> s.undo()  # back to the start of turn 1
>>> saved = s.save()  # a small JSON-able dict
>>> Session.load(saved).state_view() == s.state_view()
True

A session is deterministic: the same scenario, role, seed, parameters and moves give the same
state in any process, so a save is just those (with the scenario's content hash) and loading
replays it. The advisor (:meth:`Session.forecast`) runs, for every legal move, simulated
futures from the current state on the batch engine, with seeds derived from the session's seed
and turn (sim.rng.derived_seeds), so a forecast is reproducible too.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim import actions as act
from sim.batch import Prepared, advance, start_state
from sim.engine import IllegalMove, TurnRecord, check_moves, mid_levels, settled, step
from sim.explain import ACTION_COMMAND, ACTION_COST
from sim.ladder import MID_ACTION_NAMES, RUNG_NAMES
from sim.objectives import Gauge, compile_objectives, gauge_values, score
from sim.report import Sentence, sitrep, turn_date
from sim.rng import as_seeds, derived_seeds
from sim.scenario import Scenario, ScenarioError
from sim.world import Corridor, Params, State, Ties, initial_state, make_params

__all__ = [
    "SAVE_FORMAT",
    "SAVE_VERSION",
    "CrisisEntry",
    "Debrief",
    "Forecast",
    "ForecastCancelled",
    "IllegalMove",
    "Moment",
    "MoveForecast",
    "MoveOption",
    "RoleEntry",
    "Session",
    "SessionError",
    "StateView",
    "TurnReport",
    "ai_runs",
    "debrief",
    "forecast_pool",
    "playable",
    "run_futures",
    "wilson",
]

#: ``format`` of a saved session, and the version this code writes and reads.
SAVE_FORMAT = "borderline-session"
SAVE_VERSION = 1
#: The advisor's defaults: futures per move and turns looked ahead.
FUTURES = 200
HORIZON = 8
#: Limits on what a caller (or a hostile save file) may ask for.
MAX_FUTURES = 2000
#: The advisor's futures run in batches of about this many replicates (progress is reported
#: after each; results do not depend on it).
CHUNK_REPLICATES = 6000
MAX_SAVE_BYTES = 1_000_000

PHASE_KIND = {
    "DIPLOMACY": "diplomacy",
    "ECONOMY": "economy",
    "GRAY_ZONE": "gray zone",
    "SIGNALLING": "signalling",
    "FORCE": "force",
    "WAR": "war",
}


class SessionError(ValueError):
    """A session cannot do what was asked: a bad save, an unknown role, a game that is over."""


class ForecastCancelled(Exception):
    """A forecast was given up before it finished (its ``stop`` said so)."""


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``k / n`` (95% by default)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    den = 1.0 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, mid - half), min(1.0, mid + half))


@dataclass(frozen=True)
class MoveOption:
    """One legal move of the player: an action against a target, with its coding."""

    action: str
    target: str
    target_name: str
    label: str
    kind: str
    rung: int
    rung_name: str
    mid_action: int
    mid_action_name: str
    mid_level: int
    explanation: str
    requires: str
    cost: str
    #: what the real leader did at this turn, if this is it (a scripted event of the scenario)
    history: str = ""


@dataclass(frozen=True)
class TurnReport:
    """What happened in one turn: the date and the situation report."""

    turn: int
    date: dt.date
    sentences: tuple[Sentence, ...]
    score: float


@dataclass(frozen=True)
class StateView:
    """What the player sees of the current state (plain data, comparable with ``==``)."""

    scenario: str
    title: str
    role: str
    role_name: str
    turn: int
    horizon: int
    date: dt.date
    over: bool
    ending: str
    score: float
    objectives: tuple[tuple[str, float, float], ...]  # (text, weight, gauge 0-100)
    actors: tuple[dict[str, Any], ...]
    dyads: tuple[dict[str, Any], ...]  # every pair involving the player
    corridors: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class MoveForecast:
    """What the simulated futures say one move leads to (shares with 95% Wilson intervals)."""

    action: str
    target: str
    futures: int
    war: float
    war_interval: tuple[float, float]
    war_at_end: float
    war_at_end_interval: tuple[float, float]
    settled: float
    settled_interval: tuple[float, float]
    peak_mid_level: tuple[float, ...]  # share of futures whose peak MID level is 1..5
    score: float
    score_interval: tuple[float, float]

    def sentence(self, horizon: int) -> str:
        """The advisor's line for this move."""
        return (
            f"in {self.futures} simulated futures this leads to war within {horizon} turns in "
            f"{100 * self.war:.0f}% of them"
        )


@dataclass(frozen=True)
class Forecast:
    """The advisor's forecast: every legal move's futures from the same state and seeds."""

    turn: int
    horizon: int
    futures: int
    seeds: tuple[int, ...]
    moves: tuple[MoveForecast, ...]

    def of(self, action: str, target: str) -> MoveForecast:
        """The forecast of one move.

        Raises:
            KeyError: if the move was not among the legal moves forecast.
        """
        for m in self.moves:
            if m.action == action and m.target == target:
                return m
        raise KeyError(f"no forecast for {action} against {target}")


@dataclass
class _Frame:
    """The session after some turn: the state, and how it got there."""

    state: State
    record: TurnRecord | None
    report: TurnReport | None
    gauges: NDArray[np.float64]
    score: float


@dataclass
class Session:
    """One player's game of one crisis. Build it with :meth:`start` or :meth:`load`."""

    prepared: Prepared
    role: str
    seed: int
    params: dict[str, float]
    _par: Params = field(repr=False)
    _gauges: tuple[Gauge, ...] = field(repr=False)
    _frames: list[_Frame] = field(repr=False)
    _moves: list[tuple[str, str] | None] = field(default_factory=list, repr=False)

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        scenario: Scenario | str | Path | Prepared,
        role: str,
        seed: int,
        params: Mapping[str, float] | None = None,
    ) -> Session:
        """A new game of ``scenario`` (id, path, model or Prepared) played as ``role``.

        Raises:
            sim.scenario.ScenarioError: if the scenario cannot be loaded.
            SessionError: for a role the scenario does not offer, a bad seed or parameters.
        """
        prep = scenario if isinstance(scenario, Prepared) else Prepared.from_ref(scenario)
        try:
            seed_arr = as_seeds([seed])
            clean = {str(k): float(v) for k, v in dict(params or {}).items()}
            par = make_params(prep.scenario, 1, clean)
            gauges = compile_objectives(prep.scenario, prep.static, role)
        except (ValueError, TypeError) as exc:
            raise SessionError(str(exc)) from None
        except KeyError as exc:
            raise SessionError(str(exc.args[0])) from None
        state = initial_state(prep.static, seed_arr)
        g = gauge_values(prep.static, state, gauges)[0]
        first = _Frame(state, None, None, g, float(score(prep.static, state, gauges)[0]))
        return cls(prep, role, int(seed_arr[0]), clean, par, gauges, [first])

    # -- reading ----------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        return self.prepared.scenario

    @property
    def state(self) -> State:
        """The current engine state (a batch of one; do not change it)."""
        return self._frames[-1].state

    @property
    def turn(self) -> int:
        """Turns played so far."""
        return int(self.state.turn)

    @property
    def over(self) -> bool:
        """Whether the crisis is over: settled, or at the horizon."""
        return bool(self.state.done[0])

    @property
    def moves(self) -> tuple[tuple[str, str] | None, ...]:
        """The player's moves so far, one (action, target) per turn; None where the AI played
        the player's country too (:meth:`play_ai`)."""
        return tuple(self._moves)

    def upto(self, turn: int) -> Session:
        """The game as it stood after ``turn`` turns (a new session; this one is unchanged).

        Used to replay a game turn by turn, and to take a consistent snapshot: turns are never
        changed once played, so the copy shares them.

        Raises:
            SessionError: for a turn that has not been played.
        """
        if isinstance(turn, bool) or not isinstance(turn, int) or not 0 <= turn <= self.turn:
            raise SessionError(f"turn must be from 0 to {self.turn}, got {turn!r}")
        return Session(
            self.prepared,
            self.role,
            self.seed,
            dict(self.params),
            self._par,
            self._gauges,
            self._frames[: turn + 1],
            self._moves[:turn],
        )

    @property
    def reports(self) -> tuple[TurnReport, ...]:
        """The situation report of every turn played, oldest first."""
        return tuple(f.report for f in self._frames[1:] if f.report is not None)

    @property
    def records(self) -> tuple[TurnRecord, ...]:
        """The engine's record of every turn played."""
        return tuple(f.record for f in self._frames[1:] if f.record is not None)

    @property
    def scores(self) -> tuple[float, ...]:
        """The role's score after each turn played (0-100)."""
        return tuple(f.score for f in self._frames[1:])

    @property
    def score(self) -> float:
        """The game's score so far: the mean of the turns' scores (the start's before turn 1)."""
        turns = self.scores
        return float(np.mean(turns)) if turns else self._frames[0].score

    @property
    def objectives(self) -> tuple[Gauge, ...]:
        return self._gauges

    def date(self, turn: int | None = None) -> dt.date:
        """The date a turn begins (default: the coming turn)."""
        start = self.scenario.time.start_date or self.scenario.metadata.date
        return turn_date(self.prepared.static, start, (turn or self.turn + 1))

    def ending(self) -> str:
        """How the crisis ended, in a sentence ('' while it goes on)."""
        if not self.over:
            return ""
        w = self.state
        if bool(w.at_war[0].any()):
            return "The horizon was reached with a war still going on."
        if bool(settled(w, self._par)[0]):
            return f"The crisis settled: {int(w.calm_turns[0])} calm turns in a row."
        return "The horizon was reached without the crisis settling."

    def state_view(self) -> StateView:
        """What the player sees: the score, objectives, forces, dyads and corridors."""
        s, w = self.prepared.static, self.state
        i = s.index(self.role)
        frame = self._frames[-1]
        actors = tuple(
            {
                "id": s.ids[k],
                "name": s.names[k],
                "armour": round(float(w.armour[0, k]), 6),
                "drones": round(float(w.drones[0, s.drone_owner == k].sum()), 6),
                "missiles": round(float(w.missiles[0, k]), 6),
                "econ_cost_busd": round(float(w.econ_cost[0, k]), 6),
                "pressure": round(float(w.pressure[0, k]), 6),
                "collapsed": bool(w.collapsed[0, k]),
            }
            for k in range(s.n)
        )
        levels = mid_levels(w.mid_action[0])
        dyads = tuple(
            {
                "other": s.ids[j],
                "other_name": s.names[j],
                "rung_mine": int(w.rung[0, i, j]),
                "rung_theirs": int(w.rung[0, j, i]),
                "mid_level": int(max(levels[i, j], levels[j, i])),
                "tension": round(float(max(w.tension[0, i, j], w.tension[0, j, i])), 6),
                "grievance_mine": round(float(w.grievance[0, i, j]), 6),
                "grievance_theirs": round(float(w.grievance[0, j, i]), 6),
                "at_war": bool(w.at_war[0, i, j] or w.at_war[0, j, i]),
                "ties": Ties(int(w.diplo[0, i, j])).name.lower(),
            }
            for j in range(s.n)
            if j != i
        )
        corridors = tuple(
            {
                "id": s.corridor_ids[c],
                "name": s.corridor_names[c],
                "status": Corridor(int(w.corridor_status[0, c])).name.lower(),
                "controller": s.ids[int(w.corridor_controller[0, c])],
            }
            for c in range(len(s.corridor_ids))
        )
        objectives = tuple(
            (g.text, g.weight, round(float(v), 6))
            for g, v in zip(self._gauges, frame.gauges, strict=True)
        )
        return StateView(
            scenario=s.scenario_id,
            title=self.scenario.metadata.title,
            role=self.role,
            role_name=s.names[i],
            turn=self.turn,
            horizon=s.horizon,
            date=self.date(),
            over=self.over,
            ending=self.ending(),
            score=round(self.score, 6),
            objectives=objectives,
            actors=actors,
            dyads=dyads,
            corridors=corridors,
        )

    def history(self) -> pd.DataFrame:
        """The game so far as a tidy table, one row per turn (0 = the start) and actor.

        Columns: ``turn``, ``date`` (after that many turns), ``actor``, ``name``,
        ``armour``, ``drones``, ``missiles``, ``econ_cost_busd``, ``pressure``; for the
        player's own rows ``score`` (0-100) and one ``gauge_<k>`` column per objective; for the
        others ``tension``, ``rung_mine`` and ``rung_theirs`` of their pair with the player
        (NaN on the player's rows).
        """
        s = self.prepared.static
        i = s.index(self.role)
        rows: list[dict[str, Any]] = []
        for frame in self._frames:
            w = frame.state
            turn = int(w.turn)
            for k in range(s.n):
                row: dict[str, Any] = {
                    "turn": turn,
                    "date": self.date(turn + 1),
                    "actor": s.ids[k],
                    "name": s.names[k],
                    "armour": float(w.armour[0, k]),
                    "drones": float(w.drones[0, s.drone_owner == k].sum()),
                    "missiles": float(w.missiles[0, k]),
                    "econ_cost_busd": float(w.econ_cost[0, k]),
                    "pressure": float(w.pressure[0, k]),
                    "score": frame.score if k == i else np.nan,
                    "tension": np.nan
                    if k == i
                    else float(max(w.tension[0, i, k], w.tension[0, k, i])),
                    "rung_mine": np.nan if k == i else int(w.rung[0, i, k]),
                    "rung_theirs": np.nan if k == i else int(w.rung[0, k, i]),
                }
                for g, v in enumerate(frame.gauges):
                    row[f"gauge_{g}"] = float(v) if k == i else np.nan
                rows.append(row)
        return pd.DataFrame(rows)

    def legal_actions(self) -> list[MoveOption]:
        """The player's legal moves now: exactly ``sim.actions.legal_actions`` of the engine,
        with each move's coding, explanation and cost (empty once the game is over)."""
        if self.over:
            return []
        s = self.prepared.static
        due = {
            (ev.action.value, s.ids[ev.target]): ev.note or "what happened in the real crisis"
            for ev in s.events
            if ev.at_turn == self.turn + 1 and s.ids[ev.actor] == self.role
        }
        out = []
        for la in act.legal_actions(s, self.state, self.role):
            spec = la.spec
            target_name = s.names[s.index(la.target)]
            label = (
                "Hold: do nothing this turn"
                if la.action.value == "hold"
                else f"{ACTION_COMMAND[la.action].capitalize()} {target_name}"
            )
            out.append(
                MoveOption(
                    action=la.action.value,
                    target=la.target,
                    target_name=target_name,
                    label=label,
                    kind=PHASE_KIND[spec.phase.name],
                    rung=int(spec.rung),
                    rung_name=RUNG_NAMES[spec.rung],
                    mid_action=spec.mid_action,
                    mid_action_name=MID_ACTION_NAMES[spec.mid_action],
                    mid_level=spec.mid_level,
                    explanation=" ".join((spec.effect.__doc__ or "").split()),
                    requires=spec.requires,
                    cost=ACTION_COST[la.action],
                    history=due.get((la.action.value, la.target), ""),
                )
            )
        return out

    # -- playing ----------------------------------------------------------------------------

    def play(self, action: str, target: str | None = None) -> TurnReport:
        """Play the player's move and resolve the turn, the AI playing everyone else.

        ``target`` defaults to the player's own country (the target of ``hold``).

        Raises:
            SessionError: if the game is over.
            sim.engine.IllegalMove: if the move is unknown or not legal now; nothing changes.
        """
        if self.over:
            raise SessionError(f"the game is over ({self.ending()}); undo or start a new one")
        target = self.role if target is None else target
        s = self.prepared.static
        moves = check_moves(s, self.state, {self.role: (str(action), str(target))})
        return self._advance(moves, (str(action), str(target)))

    def play_ai(self) -> TurnReport:
        """Resolve the turn with the AI playing the player's country too (the teacher's free
        run, or a player who lets the AI decide).

        Raises:
            SessionError: if the game is over.
        """
        if self.over:
            raise SessionError(f"the game is over ({self.ending()}); undo or start a new one")
        return self._advance(None, None)

    def _advance(self, moves: NDArray[np.int64] | None, move: tuple[str, str] | None) -> TurnReport:
        s = self.prepared.static
        state = self.state.copy()
        rec = step(s, state, self._par, moves=moves, verbose=True)
        g = gauge_values(s, state, self._gauges)[0]
        sc = float(score(s, state, self._gauges)[0])
        report = TurnReport(
            turn=rec.turn,
            date=self.date(rec.turn),
            sentences=tuple(sitrep(s, rec, state.at_war[0])),
            score=sc,
        )
        self._frames.append(_Frame(state, rec, report, g, sc))
        self._moves.append(move)
        return report

    def undo(self) -> None:
        """Take back the last turn.

        Raises:
            SessionError: at the start of the game (nothing to undo).
        """
        if len(self._frames) == 1:
            raise SessionError("nothing to undo: no turn has been played")
        self._frames.pop()
        self._moves.pop()

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> dict[str, Any]:
        """The game as a small JSON-able dict: enough to replay it exactly."""
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "scenario": self.prepared.static.scenario_id,
            "scenario_hash": self.prepared.content_hash,
            "role": self.role,
            "seed": self.seed,
            "params": dict(self.params),
            "moves": [None if m is None else [m[0], m[1]] for m in self._moves],
        }

    def to_json(self) -> str:
        """:meth:`save` as JSON text."""
        return json.dumps(self.save(), indent=1) + "\n"

    @classmethod
    def from_json(
        cls, text: str | bytes, scenario: Scenario | str | Path | Prepared | None = None
    ) -> Session:
        """:meth:`load` from JSON text (an uploaded file).

        Raises:
            SessionError: if the text is not a readable save, saying why.
        """
        if len(text) > MAX_SAVE_BYTES:
            raise SessionError(f"not a saved game: {len(text):,} bytes is too large for one")
        try:
            data = json.loads(text)
        except UnicodeDecodeError:
            raise SessionError("not a saved game: the file is not text") from None
        except json.JSONDecodeError as exc:
            raise SessionError(
                f"not a saved game: the file is not valid JSON (line {exc.lineno}: {exc.msg})"
            ) from None
        return cls.load(data, scenario)

    @classmethod
    def load(
        cls,
        data: Any,
        scenario: Scenario | str | Path | Prepared | None = None,
    ) -> Session:
        """Replay a saved game to the identical state.

        Args:
            data: what :meth:`save` returned (for example, parsed from a file).
            scenario: the scenario to replay on (default: the saved id, from scenarios/).

        Raises:
            SessionError: naming what is wrong: not a save, a version this code cannot read, a
                scenario that no longer exists or whose content changed since the save (its
                hash differs), a bad role, seed or parameter, or a move that is not legal at
                its turn.
        """
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SessionError(
                f"not a saved game: expected a JSON object with format {SAVE_FORMAT!r}"
            )
        version = data.get("version")
        if version != SAVE_VERSION:
            raise SessionError(
                f"saved game version {version!r} cannot be read (this version reads {SAVE_VERSION})"
            )
        for key, kind in (
            ("scenario", str),
            ("scenario_hash", str),
            ("role", str),
            ("seed", int),
            ("params", dict),
            ("moves", list),
        ):
            value = data.get(key)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise SessionError(f"saved game: {key} is missing or not a {kind.__name__}")
        sid = data["scenario"]
        try:
            if isinstance(scenario, Prepared):
                prep = scenario
            else:
                prep = Prepared.from_ref(scenario if scenario is not None else sid)
        except ScenarioError as exc:
            first = str(exc).splitlines()[0]
            raise SessionError(f"saved game: scenario {sid!r} cannot be loaded: {first}") from None
        if prep.static.scenario_id != sid:
            raise SessionError(
                f"saved game is of scenario {sid!r}, not {prep.static.scenario_id!r}"
            )
        if prep.content_hash != data["scenario_hash"]:
            raise SessionError(
                f"saved game: scenario {sid!r} has changed since the game was saved (content "
                f"hash {data['scenario_hash'][:12]}…, now {prep.content_hash[:12]}…), so the "
                "game cannot be replayed exactly; start a new game"
            )
        params = data["params"]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in params.values()):
            raise SessionError("saved game: every parameter must be a number")
        moves = data["moves"]
        if len(moves) > prep.static.horizon:
            raise SessionError(
                f"saved game: {len(moves)} moves, more than the scenario's "
                f"{prep.static.horizon} turns"
            )
        session = cls.start(prep, data["role"], data["seed"], params)
        for n, move in enumerate(moves, start=1):
            if move is None:
                if session.over:
                    raise SessionError(f"saved game: move {n} comes after the game ended")
                session.play_ai()
                continue
            if (
                not isinstance(move, list)
                or len(move) != 2
                or not all(isinstance(x, str) for x in move)
            ):
                raise SessionError(
                    f"saved game: move {n} is not a pair [action, target] (or null: the AI's)"
                )
            if session.over:
                raise SessionError(f"saved game: move {n} comes after the game ended")
            try:
                session.play(move[0], move[1])
            except IllegalMove as exc:
                raise SessionError(f"saved game: move {n} cannot be replayed: {exc}") from None
        return session

    # -- the advisor ------------------------------------------------------------------------

    def future_seeds(self, futures: int) -> NDArray[np.uint64]:
        """The seeds of the advisor's futures at the current turn (the same for every move)."""
        return derived_seeds(self.seed, self.turn, futures)

    def forecast(
        self,
        futures: int = FUTURES,
        horizon: int | None = None,
        progress: Callable[[float], None] | None = None,
        stop: Callable[[], bool] | None = None,
        pool: concurrent.futures.Executor | None = None,
    ) -> Forecast:
        """For every legal move, the outcomes of ``futures`` simulated futures from now.

        Each future plays the move this turn and then lets the AI play every actor, the
        player's included, for ``horizon`` turns in all (default 8, never past the scenario's
        horizon). Every move is tried on the same futures (seeds), so moves are compared on
        the same luck. Outcomes: a war during the horizon, a war still going at its end, the
        crisis settled, the peak MID hostility level reached, and the role's score (the mean
        of the futures' per-turn scores, a settled future keeping its last).

        The moves run in chunks of about :data:`CHUNK_REPLICATES` futures (a replicate's result
        does not depend on its batch, so chunking changes nothing): after each, ``progress`` is
        told the share done, and ``stop`` is asked whether to give up (then
        :class:`ForecastCancelled` is raised).
        The forecast is of the state when it was called, even if the game moves on meanwhile.
        With a ``pool`` (for example :func:`forecast_pool`, worker processes) the chunks run
        there, so a server's own thread is free for other players' turns; the result is the
        same.

        Raises:
            SessionError: if the game is over, or for a bad ``futures`` or ``horizon``.
        """
        if self.over:
            raise SessionError("the game is over: there is nothing to forecast")
        if (
            isinstance(futures, bool)
            or not isinstance(futures, int)
            or not 1 <= futures <= MAX_FUTURES
        ):
            raise SessionError(f"futures must be a whole number from 1 to {MAX_FUTURES}")
        snap = self.upto(self.turn)  # turns are never changed: a consistent snapshot
        s = snap.prepared.static
        left = s.horizon - snap.turn
        if horizon is None:
            horizon = min(HORIZON, left)
        if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
            raise SessionError("horizon must be a whole number of turns, at least 1")
        horizon = min(horizon, left)
        options = snap.legal_actions()
        seeds = snap.future_seeds(futures)
        pairs = [(o.action, o.target) for o in options]
        per_chunk = max(1, CHUNK_REPLICATES // futures)
        jobs = [
            (
                snap.prepared,
                snap.state,
                snap._par,
                snap.role,
                pairs[k : k + per_chunk],
                seeds,
                horizon,
                snap._gauges,
            )
            for k in range(0, len(pairs), per_chunk)
        ]
        parts: list[dict[str, NDArray[Any]]] = []
        if pool is None:
            for job in jobs:
                if stop is not None and stop():
                    raise ForecastCancelled("the forecast was given up")
                parts.append(run_futures(*job))
                if progress is not None:
                    progress(len(parts) / len(jobs))
        else:
            pending = [pool.submit(run_futures, *job) for job in jobs]
            try:
                for done in pending:
                    while True:
                        if stop is not None and stop():
                            raise ForecastCancelled("the forecast was given up")
                        try:
                            parts.append(done.result(timeout=0.05))
                            break
                        except concurrent.futures.TimeoutError:
                            continue
                    if progress is not None:
                        progress(len(parts) / len(jobs))
            finally:
                for f in pending:
                    f.cancel()
        outcome = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        moves = []
        for m, o in enumerate(options):
            rows = slice(m * futures, (m + 1) * futures)
            war = int(outcome["war"][rows].sum())
            war_end = int(outcome["war_at_end"][rows].sum())
            sett = int(outcome["settled"][rows].sum())
            peak = outcome["peak_level"][rows]
            sc = outcome["score"][rows]
            half = 1.96 * float(sc.std(ddof=1)) / math.sqrt(futures) if futures > 1 else 0.0
            moves.append(
                MoveForecast(
                    action=o.action,
                    target=o.target,
                    futures=futures,
                    war=war / futures,
                    war_interval=wilson(war, futures),
                    war_at_end=war_end / futures,
                    war_at_end_interval=wilson(war_end, futures),
                    settled=sett / futures,
                    settled_interval=wilson(sett, futures),
                    peak_mid_level=tuple(float((peak == lv).mean()) for lv in range(1, 6)),
                    score=float(sc.mean()),
                    score_interval=(float(sc.mean()) - half, float(sc.mean()) + half),
                )
            )
        return Forecast(snap.turn, horizon, futures, tuple(int(x) for x in seeds), tuple(moves))


def futures_batch(
    prepared: Prepared,
    state: State,
    params: Params,
    role: str,
    moves: Sequence[tuple[str, str]] | None,
    seeds: NDArray[np.uint64],
) -> tuple[State, Params, NDArray[np.int64] | None]:
    """The batch :func:`run_futures` plays: ``len(seeds)`` replicates of ``state`` (a batch of
    one) for each move, future ``k`` of move ``m`` being replicate ``m * len(seeds) + k``; their
    parameters; and the role's first moves ((R, N), -1 for the AI; None with ``moves=None``)."""
    s = prepared.static
    f, m = len(seeds), (1 if moves is None else len(moves))
    r = f * m
    x = start_state(s, state, np.tile(np.asarray(seeds, dtype=np.uint64), m))
    par = params.take(np.zeros(r, dtype=np.int64))
    if moves is None:
        return x, par, None
    i = s.index(role)
    flat = np.full((r, s.n), -1, dtype=np.int64)
    for k, (a, t) in enumerate(moves):
        flat[k * f : (k + 1) * f, i] = act.ACTION_INDEX[act.spec(a).id] * s.n + s.index(t)
    return x, par, flat


def run_futures(
    prepared: Prepared,
    state: State,
    params: Params,
    role: str,
    moves: Sequence[tuple[str, str]] | None,
    seeds: NDArray[np.uint64],
    horizon: int,
    gauges: tuple[Gauge, ...],
) -> dict[str, NDArray[Any]]:
    """Run ``len(seeds)`` futures of ``state`` (a batch of one) for each move, on one batch.

    Future ``k`` of move ``m`` is replicate ``m * len(seeds) + k``, with seed ``seeds[k]``: the
    role plays move ``m`` in the first turn, then the AI plays everyone for ``horizon - 1``
    more turns (fewer if the crisis ends). With ``moves=None`` the AI plays everyone from the
    first turn (one group of futures). A replicate's result does not depend on the batch
    (sim.batch), so this equals running each future alone.

    Returns:
        arrays over the replicates: ``war``, ``war_at_end``, ``settled`` (bool), ``peak_level``
        (int, 1-5) and ``score`` (float).
    """
    s = prepared.static
    x, par, flat = futures_batch(prepared, state, params, role, moves, seeds)
    r = x.r
    war = np.zeros(r, dtype=bool)
    war_end = np.zeros(r, dtype=bool)
    done = np.zeros(r, dtype=bool)
    peak = np.ones(r, dtype=np.int64)
    total = np.zeros(r)
    last = np.zeros(r)
    played = [0]

    def on_turn(y: State, rec: TurnRecord, order: NDArray[np.int64]) -> None:
        played[0] += 1
        sc = score(s, y, gauges)
        total[order] += sc
        last[order] = sc
        at_war = y.at_war.any(axis=(1, 2))
        war[order] |= at_war
        war_end[order] = at_war
        lv = mid_levels(y.mid_action).reshape(y.r, -1).max(axis=1)
        peak[order] = np.maximum(peak[order], lv)

    def on_finish(rows: NDArray[np.int64], y: State, p: Params) -> None:
        done[rows] = settled(y, p)
        # a future that ended keeps its last score for the turns it did not play
        total[rows] += last[rows] * (horizon - played[0])

    advance(s, x, par, turns=horizon, first_moves=flat, on_turn=on_turn, on_finish=on_finish)
    return {
        "war": war,
        "war_at_end": war_end,
        "settled": done,
        "peak_level": peak,
        "score": total / horizon,
    }


@dataclass(frozen=True)
class Moment:
    """One coded line of the game's timeline; ``turning_point`` marks where it changed course."""

    turn: int
    date: dt.date
    sentence: Sentence
    turning_point: bool


@dataclass(frozen=True)
class Debrief:
    """The end of a game: what happened, the score, and where it falls among AI-played runs."""

    ending: str
    outcome: dict[str, Any]
    score: float
    objectives: tuple[tuple[str, float, float], ...]  # (text, weight, mean gauge over turns)
    timeline: tuple[Moment, ...]
    runs: int
    war: bool
    runs_war: float  # share of the AI-played runs with a war
    settled: bool
    runs_settled: float
    runs_score: float  # mean score of the role in the AI-played runs
    score_rank: float  # share of the AI-played runs whose score the player's beats

    def lines(self) -> list[str]:
        """The debrief in sentences."""
        war = (
            f"there was a war; {100 * self.runs_war:.0f}% of the {self.runs} AI-played runs had one"
            if self.war
            else f"you avoided war; {100 * (1 - self.runs_war):.0f}% of the {self.runs} "
            "AI-played runs did"
        )
        settled = (
            f"the crisis settled; it did in {100 * self.runs_settled:.0f}% of them"
            if self.settled
            else f"the crisis did not settle; it did in {100 * self.runs_settled:.0f}% of them"
        )
        return [
            self.ending,
            f"Your score: {self.score:.0f} of 100 (the AI, playing your country, averaged "
            f"{self.runs_score:.0f}; you beat {100 * self.score_rank:.0f}% of its runs).",
            war[0].upper() + war[1:] + ".",
            settled[0].upper() + settled[1:] + ".",
            *(f"{text}: {value:.0f} of 100 on average" for text, _, value in self.objectives),
        ]


#: AI-played runs of each (scenario hash, role, runs), shared by every session of a process.
_AI_RUNS: dict[tuple[str, str, int, tuple[tuple[str, float], ...]], dict[str, Any]] = {}


def ai_runs(session: Session, runs: int = 500) -> dict[str, Any]:
    """The outcomes of ``runs`` whole runs of the session's crisis with the AI playing every
    country, the role's included, on seeds 0 to runs - 1 (the same reference for every player).
    Cached per scenario content, role, parameters and count."""
    key = (
        session.prepared.content_hash,
        session.role,
        runs,
        tuple(sorted(session.params.items())),
    )
    if key not in _AI_RUNS:
        first = session._frames[0].state
        out = run_futures(
            session.prepared,
            first,
            session._par,
            session.role,
            None,
            as_seeds(list(range(runs))),
            session.prepared.static.horizon,
            session._gauges,
        )
        _AI_RUNS[key] = out
    return _AI_RUNS[key]


def _timeline(session: Session) -> tuple[Moment, ...]:
    out = []
    peak = 0
    for rep in session.reports:
        for sen in rep.sentences:
            turning = False
            if sen.kind == "action" and sen.rung > peak:
                peak, turning = sen.rung, sen.rung >= 3
            elif sen.kind == "news" and (
                "ended" in sen.text or "ceasefire" in sen.text or "succeeded" in sen.text
            ):
                turning = True
            out.append(Moment(rep.turn, rep.date, sen, turning))
    return tuple(out)


def debrief(session: Session, runs: int = 500) -> Debrief:
    """The debrief of a game (finished or not: then it covers the turns played)."""
    from sim.outputs import outcome_rows

    s = session.prepared.static
    outcome = outcome_rows(s, session.state, session._par)[0]
    gauges = [f.gauges for f in session._frames[1:]] or [session._frames[0].gauges]
    means = np.mean(gauges, axis=0)
    ref = ai_runs(session, runs)
    war = bool(session.state.war_turn[0] >= 0)
    sett = bool(settled(session.state, session._par)[0])
    return Debrief(
        ending=session.ending() or f"The game stopped at turn {session.turn}.",
        outcome=outcome,
        score=session.score,
        objectives=tuple(
            (g.text, g.weight, float(v)) for g, v in zip(session.objectives, means, strict=True)
        ),
        timeline=_timeline(session),
        runs=runs,
        war=war,
        runs_war=float(ref["war"].mean()),
        settled=sett,
        runs_settled=float(ref["settled"].mean()),
        runs_score=float(ref["score"].mean()),
        score_rank=float((ref["score"] < session.score).mean()),
    )


@dataclass(frozen=True)
class RoleEntry:
    """A country a crisis can be played as: its brief and what its leader is scored on."""

    actor: str
    name: str
    brief: str
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class CrisisEntry:
    """A playable crisis for the start screen."""

    id: str
    title: str
    summary: str
    region: str
    date: dt.date
    founding: bool  # one of the founding crises (sim.crises), not a variant
    roles: tuple[RoleEntry, ...]


def playable(folder: Path | None = None) -> list[CrisisEntry]:
    """The crises under scenarios/ that have roles, founding crises first (in their order),
    then the others by id. Files that do not load are left out (``borderline validate`` says
    why)."""
    from sim.crises import CRISES
    from sim.scenario import list_scenarios

    order = {sid: c.order for sid, c in CRISES.items()}
    out = []
    for path in list_scenarios(folder):
        try:
            prep = Prepared.from_ref(path)
        except ScenarioError:
            continue
        sc = prep.scenario
        if not sc.roles:
            continue
        roles = tuple(
            RoleEntry(
                r.actor,
                prep.static.names[prep.static.index(r.actor)],
                " ".join(r.brief.split()),
                tuple(g.text for g in compile_objectives(sc, prep.static, r.actor)),
            )
            for r in sc.roles
        )
        out.append(
            CrisisEntry(
                sc.metadata.id,
                sc.metadata.title,
                " ".join(sc.metadata.summary.split()),
                sc.metadata.region,
                sc.metadata.date,
                sc.metadata.id in order,
                roles,
            )
        )
    return sorted(out, key=lambda c: (order.get(c.id, 99), c.id))


_POOL: concurrent.futures.ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def forecast_pool(workers: int | None = None) -> concurrent.futures.ProcessPoolExecutor:
    """The process pool a server runs the advisor's futures in (one per process, made on first
    use, one worker per CPU unless ``BORDERLINE_FORECAST_WORKERS`` or ``workers`` says so).

    Worker processes are started with ``spawn``, never ``fork``: the server has threads.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            env = os.environ.get("BORDERLINE_FORECAST_WORKERS", "")
            n = workers or (int(env) if env.isdigit() and int(env) > 0 else os.cpu_count() or 1)
            _POOL = concurrent.futures.ProcessPoolExecutor(
                max_workers=n,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        return _POOL


def _exit_with_parent(parent: int) -> None:
    """In a pool worker: run at a lower priority than the server, so that forecasts never
    slow a player's turn; load the compiled decisions; and leave as soon as the server that
    started it is gone (a worker waiting for work would otherwise outlive a server that was
    killed)."""
    with contextlib.suppress(OSError):  # if not allowed, run at the server's priority
        os.nice(10)
    from sim import fastchoice

    fastchoice.warm()  # load the compiled decisions now, not in the first forecast

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="borderline-parent-watch", daemon=True).start()
