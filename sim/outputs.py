"""Outputs: per-turn tidy tables, the per-run outcome record, and the run manifest.

Tables are tidy pandas DataFrames (one row per observation, one column per variable):

* dyads: one row per (run, turn, actor, target) ordered pair: rung, MID action code and name,
  MID hostility level, tension, grievance;
* actors: one row per (run, turn, actor): armour, air defence, drones, missiles, economic cost,
  losses, domestic pressure, escalation score;
* events: one row per coded action (holds omitted): who did what to whom, rung, MID code, level,
  escalation-score category, success and size of the effect, and whether it was the AI, a
  scripted event or a player;
* outcomes: one row per run, and outcome_actors: one row per (run, actor).

Every row of every table starts with the run's keys (:class:`Keys`): ``run_id`` (unique in a
batch or sweep), ``point_id`` (the design point: the parameters it ran with), ``replicate`` (its
number within the point) and ``seed``. Seeds alone are not keys: a common-random-numbers sweep
runs the same seeds at every point.

Every run carries a manifest: scenario id and content hash, parameters, seed, package versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim import __version__
from sim import actions as act
from sim.engine import TurnRecord, mid_levels, settled
from sim.ladder import MID_ACTION_NAMES, OUTCOME_NAMES, RUNG_NAMES, MidOutcome, fatality_level
from sim.weights import TABLE, Group, W
from sim.world import CORRIDOR_STATUS_NAMES, Params, Source, State, Static, WarEnd

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]

#: The key columns every table starts with, in this order.
KEY_COLUMNS: tuple[str, ...] = ("run_id", "point_id", "replicate", "seed")


@dataclass(frozen=True)
class Keys:
    """Who each replicate of a batch is: (R,) arrays of run id, design point, replicate, seed."""

    run_id: I64
    point_id: I64
    replicate: I64
    seed: U64

    @classmethod
    def plain(cls, seeds: U64, point_id: I64 | None = None) -> Keys:
        """Keys of a plain batch: runs and replicates numbered 0, 1, ... in seed order."""
        r = int(seeds.shape[0])
        idx = np.arange(r, dtype=np.int64)
        points = np.zeros(r, dtype=np.int64) if point_id is None else point_id
        return cls(idx, points.astype(np.int64), idx.copy(), seeds.astype(np.uint64))

    def take(self, idx: I64 | NDArray[np.bool_]) -> Keys:
        """The keys of a subset of the replicates."""
        return Keys(self.run_id[idx], self.point_id[idx], self.replicate[idx], self.seed[idx])

    def columns(self, repeat: int = 1) -> dict[str, NDArray[Any]]:
        """The key columns, each value repeated ``repeat`` times (one row per actor, say)."""
        out: dict[str, NDArray[Any]] = {}
        for name in KEY_COLUMNS:
            v = getattr(self, name)
            out[name] = np.repeat(v, repeat) if repeat != 1 else v.copy()
        return out

    def row(self, r: int) -> dict[str, int]:
        """The keys of replicate ``r`` as plain integers."""
        return {name: int(getattr(self, name)[r]) for name in KEY_COLUMNS}


SOURCE_NAMES = tuple(src.name.lower() for src in Source)

#: Weights every outcome row reports (as param_<name>); a batch adds the ones it varies.
REPORTED_PARAMETERS: tuple[str, ...] = tuple(w.key for w in W if TABLE[w].group == Group.DECISIONS)


@dataclass
class Recorder:
    """Accumulates per-turn arrays of a batch and turns them into tidy tables at the end."""

    static: Static
    dyads: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def record(self, keys: Keys, state: State, rec: TurnRecord) -> None:
        """Store what the turn produced for the replicates in ``state`` (with their keys)."""
        s = self.static
        self.dyads.append(
            {
                "keys": keys,
                "turn": rec.turn,
                "rung": state.rung.copy(),
                "mid_action": state.mid_action.copy(),
                "tension": state.tension.copy(),
                "grievance": state.grievance.copy(),
            }
        )
        drones = np.zeros((state.r, s.n))
        for d in range(s.drone_owner.shape[0]):
            drones[:, s.drone_owner[d]] += state.drones[:, d]
        self.actors.append(
            {
                "keys": keys,
                "turn": rec.turn,
                "armour": state.armour.copy(),
                "air_defence": state.air_defence.copy(),
                "drones": drones,
                "missiles": state.missiles.copy(),
                "econ_cost_busd": state.econ_cost.copy(),
                "armour_lost": state.armour_lost.copy(),
                "deaths": state.deaths.copy(),
                "pressure": state.pressure.copy(),
                "score": state.score.copy(),
            }
        )
        self.events.append(
            {
                "keys": keys,
                "turn": rec.turn,
                "action": rec.action.copy(),
                "target": rec.target.copy(),
                "source": rec.source.copy(),
                "success": rec.success.copy(),
                "amount": rec.amount.copy(),
            }
        )

    def dyad_table(self) -> pd.DataFrame:
        """Tidy per-turn dyad table."""
        s = self.static
        n = s.n
        off = ~np.eye(n, dtype=bool)
        ii, jj = np.nonzero(off)
        frames = []
        for rec in self.dyads:
            keys: Keys = rec["keys"]
            r = keys.seed.shape[0]
            mid = rec["mid_action"][:, ii, jj].ravel()
            frames.append(
                pd.DataFrame(
                    {
                        **keys.columns(ii.size),
                        "turn": rec["turn"],
                        "actor": np.tile(np.array(s.ids)[ii], r),
                        "target": np.tile(np.array(s.ids)[jj], r),
                        "actor_name": np.tile(np.array(s.names)[ii], r),
                        "target_name": np.tile(np.array(s.names)[jj], r),
                        "rung": rec["rung"][:, ii, jj].ravel().astype(np.int64),
                        "mid_action": mid.astype(np.int64),
                        "mid_level": mid_levels(mid).astype(np.int64),
                        "tension": rec["tension"][:, ii, jj].ravel(),
                        "grievance": rec["grievance"][:, ii, jj].ravel(),
                    }
                )
            )
        return _concat(frames, ["run_id", "turn", "actor", "target"])

    def actor_table(self) -> pd.DataFrame:
        """Tidy per-turn actor table."""
        s = self.static
        frames = []
        for rec in self.actors:
            keys: Keys = rec["keys"]
            r = keys.seed.shape[0]
            cols: dict[str, Any] = {
                **keys.columns(s.n),
                "turn": rec["turn"],
                "actor": np.tile(np.array(s.ids), r),
            }
            for key, value in rec.items():
                if key not in ("keys", "turn"):
                    cols[key] = value.ravel()
            frames.append(pd.DataFrame(cols))
        return _concat(frames, ["run_id", "turn", "actor"])

    def event_table(self) -> pd.DataFrame:
        """Tidy table of coded actions (holds omitted)."""
        s = self.static
        ids = np.array(s.ids)
        names = np.array(s.names)
        verbs = np.array([a.verb for a in act.CATALOGUE])
        action_ids = np.array([a.id.value for a in act.CATALOGUE])
        categories = np.array([a.category.value for a in act.CATALOGUE])
        frames = []
        for rec in self.events:
            a = rec["action"]
            rr, ii = np.nonzero(a != act.HOLD)
            k = a[rr, ii]
            jj = rec["target"][rr, ii]
            mid = act.MID_CODES[k]
            keys: Keys = rec["keys"].take(rr)
            frames.append(
                pd.DataFrame(
                    {
                        **keys.columns(),
                        "turn": rec["turn"],
                        "actor": ids[ii],
                        "target": ids[jj],
                        "action": action_ids[k],
                        "label": np.char.add(
                            np.char.add(np.char.add(names[ii], " "), verbs[k]),
                            np.char.add(" ", names[jj]),
                        ),
                        "rung": act.RUNGS[k].astype(np.int64),
                        "rung_name": np.array(RUNG_NAMES)[act.RUNGS[k]],
                        "mid_action": mid.astype(np.int64),
                        "mid_action_name": np.array(MID_ACTION_NAMES)[mid],
                        "mid_level": mid_levels(mid).astype(np.int64),
                        "category": categories[k],
                        "source": np.array(SOURCE_NAMES)[rec["source"][rr, ii]],
                        "success": rec["success"][rr, ii],
                        "amount": rec["amount"][rr, ii],
                    }
                )
            )
        return _concat(frames, ["run_id", "turn", "actor"])


def _concat(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=list(dict.fromkeys([*KEY_COLUMNS, *keys])))
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def outcome_rows(
    static: Static,
    state: State,
    params: Params,
    names: Sequence[str] = REPORTED_PARAMETERS,
    keys: Keys | None = None,
) -> list[dict[str, Any]]:
    """One outcome record per replicate of ``state`` (which should be finished).

    Args:
        static: the compiled scenario.
        state: the finished replicates.
        params: their parameters.
        names: the weights to report as ``param_<name>`` columns.
        keys: the replicates' keys (default: a plain batch of ``state``'s seeds).
    """
    if keys is None:
        keys = Keys.plain(state.seeds)
    s, w = static, state
    rows = []
    is_settled = settled(w, params)
    days_played = np.maximum(w.end_turn, 1) * s.turn_days
    for r in range(w.r):
        ended = int(w.end_turn[r]) if w.end_turn[r] >= 0 else int(w.turn)
        war = bool(w.war_turn[r] >= 0)
        war_end = int(w.war_end_turn[r])
        winner = int(w.winner[r])
        deaths = float(w.deaths[r].sum())
        row: dict[str, Any] = {
            **keys.row(r),
            "scenario": s.scenario_id,
            "turns": ended,
            "settled": bool(is_settled[r]),
            "peak_rung": int(w.peak_rung[r]),
            "peak_rung_name": RUNG_NAMES[int(w.peak_rung[r])],
            "peak_mid_action": int(w.peak_mid_action[r]),
            "peak_mid_level": int(mid_levels(np.array([w.peak_mid_action[r]], np.int8))[0]),
            "war": war,
            "war_start_turn": int(w.war_turn[r]) if war else -1,
            "war_end_turn": war_end if war else -1,
            "war_days": int(w.war_days[r]),
            "war_ongoing": bool(w.at_war[r].any()),
            "war_ended_by": WarEnd(int(w.war_ended_by[r])).name.lower() if war else "",
            "prevailed": s.ids[winner] if winner >= 0 else "",
            "mid_outcome": int(w.mid_outcome[r])
            if war or w.mid_outcome[r]
            else _peace_outcome(w, r, bool(is_settled[r])),
            "armour_lost": float(w.armour_lost[r].sum()),
            "armour_lost_to_drones": float(w.lost_to_drones[r].sum()),
            "armour_lost_to_missiles": float(w.lost_to_missiles[r].sum()),
            "deaths": deaths,
            "fatality_level": fatality_level(deaths),
            "econ_cost_busd": float(w.econ_cost[r].sum()),
            "max_econ_cost_share_gdp": float((w.econ_cost[r] / s.gdp).max()),
            "ruptures": int(w.ruptures[r]),
            "mediation_offers": int(w.mediation_offers[r]),
            "mediation_successes": int(w.mediation_successes[r]),
            "escalation_score": float(w.score[r].sum()),
            "escalation_score_daily": float(w.score[r].sum() / (s.n * days_played[r])),
        }
        row["mid_outcome_name"] = OUTCOME_NAMES[row["mid_outcome"]]
        for k, cid in enumerate(s.corridor_ids):
            row[f"corridor_{cid}"] = CORRIDOR_STATUS_NAMES[int(w.corridor_status[r, k])]
            row[f"corridor_{cid}_controller"] = s.ids[int(w.corridor_controller[r, k])]
        values = params.row(r)
        for name in names:
            row[f"param_{name}"] = values[name]
        rows.append(row)
    return rows


def _peace_outcome(w: State, r: int, is_settled: bool) -> int:
    """MID outcome of a run without war: compromise if mediated, stalemate if it calmed down,
    unclear if it was still tense at the horizon."""
    if w.mediation_successes[r] > 0:
        return MidOutcome.COMPROMISE
    if is_settled:
        return MidOutcome.STALEMATE
    return MidOutcome.UNCLEAR


def outcome_actor_rows(
    static: Static, state: State, keys: Keys | None = None
) -> list[dict[str, Any]]:
    """One record per (replicate, actor): losses and costs."""
    s, w = static, state
    if keys is None:
        keys = Keys.plain(state.seeds)
    drones_lost = np.zeros((w.r, s.n))
    for d in range(s.drone_owner.shape[0]):
        drones_lost[:, s.drone_owner[d]] += w.drones_lost[:, d]
    share = np.where(s.armour0 > 0, w.armour / np.where(s.armour0 > 0, s.armour0, 1.0), 1.0)
    rows = []
    for r in range(w.r):
        key = keys.row(r)
        for i, aid in enumerate(s.ids):
            rows.append(
                {
                    **key,
                    "actor": aid,
                    "armour_lost": float(w.armour_lost[r, i]),
                    "armour_lost_to_drones": float(w.lost_to_drones[r, i]),
                    "armour_lost_to_missiles": float(w.lost_to_missiles[r, i]),
                    "armour_lost_in_ground_combat": max(
                        float(
                            w.armour_lost[r, i] - w.lost_to_drones[r, i] - w.lost_to_missiles[r, i]
                        ),
                        0.0,
                    ),
                    "armour_share_left": float(share[r, i]),
                    "drones_lost": float(drones_lost[r, i]),
                    "deaths": float(w.deaths[r, i]),
                    "econ_cost_busd": float(w.econ_cost[r, i]),
                    "econ_cost_share_gdp": float(w.econ_cost[r, i] / s.gdp[i]),
                    "escalation_score": float(w.score[r, i]),
                    "collapsed": bool(w.collapsed[r, i]),
                }
            )
    return rows


def mesa_version() -> str:
    """Mesa's version, from its package metadata: importing Mesa costs about a second, and a
    batch or sweep does not use it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mesa")
    except PackageNotFoundError:  # pragma: no cover - mesa is a dependency
        return "unknown"


def manifest(
    scenario_id: str, scenario_hash: str, params: dict[str, float], seed: int | None
) -> dict[str, Any]:
    """The manifest of a run (or of a batch, with seed None)."""
    return {
        "scenario": scenario_id,
        "scenario_hash": scenario_hash,
        "parameters": dict(params),
        "seed": seed,
        "borderline_version": __version__,
        "mesa_version": mesa_version(),
        "numpy_version": np.__version__,
    }
