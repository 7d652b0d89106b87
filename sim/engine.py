"""The engine: one turn of adjudication for a whole batch of replicates.

Actors *choose* (sim.decisions, or a player's move, or a scripted event), the engine
*adjudicates* every choice of the turn here, in one place and a fixed order:

1. the steps rules run before the choices (arms deliveries);
2. every actor's choice is fixed: AI choice, overridden by a scripted event, overridden by a
   player's move; a move that is not legal is refused before the turn (see
   :func:`check_moves`);
3. actions take effect phase by phase (diplomacy, economy, gray zone, signalling, force, war),
   within a phase in catalogue order, all replicates at once; each action's effect is its
   rule's (sim.actions.CATALOGUE);
4. the per-turn steps of the rules that are on, in the order they declare
   (sim.rules.registry.pipeline; docs/model.md lists it);
5. beliefs learn from the turn's fighting (sim.decisions.learn), then the coded record of the
   turn: each dyad's rung, MID action code and hostility level; tension and grievance;
   escalation score; settlement and the end of the run.

Nothing here depends on the number or order of replicates: every operation is elementwise over
the replicate axis, and random numbers are counter-based (sim.rng).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim import actions as act
from sim.decisions import choose, learn
from sim.ladder import RUNG_MID_LEVEL, SCORE_WEIGHTS, MidAction, Rung
from sim.rules.context import Note, Turn
from sim.rules.registry import SPECS, pipeline
from sim.rules.spec import Stage
from sim.scenario.models import ActionId
from sim.weights import W
from sim.world import Corridor, Params, Posture, Source, State, Static, Ties

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
B = NDArray[np.bool_]

A = ActionId

#: Catalogue indices in adjudication order: by phase, then catalogue order.
ORDER: tuple[int, ...] = tuple(
    sorted(range(act.N_ACTIONS), key=lambda k: (act.CATALOGUE[k].phase, k))
)

#: The highest rung a calm turn may reach: no militarized action (MID hostility level 1).
CALM_RUNG = Rung.GRAY_ZONE


@dataclass
class TurnRecord:
    """What happened in one turn, for every replicate.

    Attributes:
        turn: the turn number (1-based).
        action: (R, N) catalogue index of each actor's action.
        target: (R, N) target index of each actor's action.
        source: (R, N) who chose (sim.world.Source: AI, scripted event, player move).
        success: (R, N) whether the action had its effect.
        amount: (R, N) size of the effect (items destroyed, billion USD...).
        notes: rule events (verbose runs only).
    """

    turn: int
    action: I64
    target: I64
    source: NDArray[np.int8]
    success: B
    amount: F64
    notes: list[Note] = field(default_factory=list)


class IllegalMove(ValueError):
    """A player's move is not legal in the current state."""


def _scripted(static: Static, state: State, turn: int, legal: list[B]) -> tuple[I64, B]:
    """Flat (action * N + target) choices forced by scripted events, and where they apply."""
    r, n = state.r, static.n
    forced = np.full((r, n), -1, dtype=np.int64)
    for ev in static.events:
        k = act.ACTION_INDEX[ev.action]
        if ev.at_turn is not None:
            due = np.full(r, ev.at_turn == turn)
        else:
            assert ev.condition is not None
            i, j, metric, threshold = ev.condition
            value = _metric(static, state, metric, i, j)
            due = (value >= threshold) & ~state.event_fired[:, ev.index]
        ok = due & legal[k][:, ev.actor, ev.target]
        # a conditional event waits until it can be carried out; a dated one is gone either way
        state.event_fired[ok if ev.at_turn is None else due, ev.index] = True
        forced[ok, ev.actor] = k * n + ev.target
    return forced, forced >= 0


def _metric(static: Static, state: State, metric: str, i: int, j: int) -> F64:
    """(R,): the value a scripted event's condition tests."""
    if metric == "tension":
        return state.tension[:, i, j]
    if metric == "rung":
        return state.rung[:, i, j].astype(np.float64)
    if metric == "grievance":
        return state.grievance[:, i, j]
    if metric == "armour_lost":
        start = static.armour0[i]
        return state.armour_lost[:, i] / start if start > 0 else np.zeros(state.r)
    if metric == "war_days":
        return state.war_days.astype(np.float64)
    raise ValueError(f"unknown metric {metric!r}")


def check_moves(static: Static, state: State, moves: dict[str, tuple[str, str]]) -> I64:
    """Validate a player's moves for replicate-wide application.

    Args:
        static: the compiled scenario.
        state: the current state (all replicates share the moves).
        moves: actor id -> (action id, target id).

    Returns:
        (R, N) flat choices, -1 where the actor is not moved by a player.

    Raises:
        IllegalMove: naming the actor, action and target, if a move is unknown or not legal in
            some replicate.
    """
    r, n = state.r, static.n
    out = np.full((r, n), -1, dtype=np.int64)
    for actor, (action, target) in moves.items():
        try:
            i = static.index(actor)
            j = static.index(target)
            spec = act.spec(action)
        except KeyError as exc:
            raise IllegalMove(str(exc.args[0])) from None
        legal = act.is_legal(spec, static, state)[:, i, j]
        if not legal.all():
            raise IllegalMove(
                f"{actor}: {spec.id.value} against {target} is not legal now "
                f"(requires: {spec.requires})"
            )
        out[:, i] = act.ACTION_INDEX[spec.id] * n + j
    return out


#: An action chosen in at most 1 / RECHECK_SUBSET of the replicates has its legality re-checked
#: on those replicates alone (cutting their rows costs more than it saves beyond that).
RECHECK_SUBSET = 4


def step(
    static: Static,
    state: State,
    params: Params,
    moves: I64 | None = None,
    verbose: bool = False,
) -> TurnRecord:
    """Advance every replicate by one turn, in place.

    Args:
        static: the compiled scenario.
        state: the state of R replicates; changed in place.
        params: engine parameters, one value per replicate.
        moves: optional (R, N) flat choices (action index * N + target) from players, -1 for
            actors the AI plays; checked with :func:`check_moves` before.
        verbose: keep rule events for the turn log.

    Returns:
        The record of the turn.
    """
    turn = state.turn + 1
    state.turn = turn
    r, n = state.r, static.n
    t = Turn.fresh(static, state, params, turn, verbose)
    t.war_day = tuple(
        spec.war_day for spec in SPECS if spec.war_day is not None and spec.on(static)
    )

    # 1. what happens before the actors choose (arms deliveries)
    for rule, st in pipeline(Stage.BEFORE_CHOICES):
        if rule.on(static):
            st.run(t)

    # 2. choices
    legal = act.legal_masks(static, state)
    a_idx, t_idx = choose(static, state, params, legal, turn)
    source = np.full((r, n), Source.AI, dtype=np.int8)
    forced, has = _scripted(static, state, turn, legal)
    a_idx = np.where(has, forced // n, a_idx)
    t_idx = np.where(has, forced % n, t_idx)
    source[has] = Source.SCRIPTED
    if moves is not None:
        mv = moves >= 0
        a_idx = np.where(mv, moves // n, a_idx)
        t_idx = np.where(mv, moves % n, t_idx)
        source[mv] = Source.PLAYER

    # 3. adjudication, phase by phase; legality re-checked against the state of the moment
    # the (replicate, actor) cells of each action, in row-major order (as np.nonzero gives);
    # holding also takes the cells whose action was made illegal before its phase
    # (as int16 numpy sorts by radix, four times as fast; a stable order is the same order)
    cells = np.argsort(a_idx.ravel().astype(np.int16), kind="stable")
    ends = np.searchsorted(a_idx.ravel()[cells], np.arange(len(act.CATALOGUE) + 1))
    for k in ORDER:
        spec = act.CATALOGUE[k]
        if k == act.HOLD:
            rr, ii = np.nonzero(a_idx == k)
        else:
            rr, ii = np.divmod(cells[ends[k] : ends[k + 1]], n)
        if rr.size == 0:
            continue
        jj = t_idx[rr, ii]
        # (a replicate's legality is its own: asked of the few replicates where an action was
        # chosen, it is asked of those alone; rr is in ascending order)
        first = np.empty(rr.size, dtype=bool)
        first[0] = True
        np.not_equal(rr[1:], rr[:-1], out=first[1:])
        rows = rr[first]
        if rows.size * RECHECK_SUBSET <= r:
            at = np.searchsorted(rows, rr)
            still = act.is_legal(spec, static, state.reading(rows))[at, ii, jj]
        else:
            still = act.is_legal(spec, static, state)[rr, ii, jj]
        if not still.all():  # made illegal earlier this turn: the actor holds instead
            a_idx[rr[~still], ii[~still]] = act.HOLD
            rr, ii, jj = rr[still], ii[still], jj[still]
            if rr.size == 0:
                continue
        if k != act.HOLD:
            t.act_rung[rr, ii, jj] = spec.rung
            t.act_mid[rr, ii, jj] = spec.mid
        spec.effect(t, rr, ii, jj)
    t_idx = np.where(a_idx == act.HOLD, np.arange(n)[None, :], t_idx)

    # 4. the per-turn steps of the rules that are on, in their declared order
    for rule, st in pipeline(Stage.AFTER_ACTIONS):
        if rule.on(static):
            st.run(t)

    # 5. beliefs learn from the fighting; the coded record
    learn(t)
    _code_dyads(t, a_idx)
    _settle(static, state, params, turn, t.act_rung)
    return TurnRecord(turn, a_idx, t_idx, source, t.success, t.amount, t.notes)


def standing_rung(static: Static, state: State) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Rung and MID code of each dyad's standing measures (war, postures, ruptures, levies)."""
    r, n = state.r, static.n
    rung = np.zeros((r, n, n), dtype=np.int8)
    mid = np.zeros((r, n, n), dtype=np.int8)

    # (with the values as plain ints: numpy compares an int8 array with an IntEnum member by
    # casting the array to int64 first, ten times slower; see sim.world)
    def lift(mask: B, value: int, code: int) -> None:
        up = mask & (rung < int(value))
        rung[up] = value
        mid[up] = code

    def lift_at(rows: I64, ii: I64 | int, jj: I64 | int, value: int, code: int) -> None:
        """:func:`lift` of the dyads (rows, ii, jj) (one per replicate)."""
        up = rung[rows, ii, jj] < int(value)
        at = (rows[up], np.broadcast_to(ii, rows.shape)[up], np.broadcast_to(jj, rows.shape)[up])
        rung[at] = value
        mid[at] = code

    lift(state.diplo >= Ties.DOWNGRADED.value, Rung.DIPLOMATIC_SANCTION, MidAction.NONE)
    lift(state.sanctions, Rung.ECONOMIC_COERCION, MidAction.NONE)
    for k in range(len(static.corridor_ids)):
        coerced = np.isin(state.corridor_status[:, k], (Corridor.LEVIED, Corridor.CLOSED))
        ctrl = state.corridor_controller[:, k]
        for u in np.flatnonzero(static.corridor_users[k]):
            rows = np.flatnonzero(coerced & (ctrl != u))
            lift_at(rows, ctrl[rows], int(u), Rung.ECONOMIC_COERCION, MidAction.NONE)
    # a corridor held by force: occupation of territory (MID 14) against its rightful controller
    for k in range(len(static.corridor_ids)):
        holder = state.corridor_controller[:, k]
        owner = int(static.corridor_controller0[k])
        rows = np.flatnonzero(holder != owner)
        lift_at(rows, holder[rows], owner, Rung.USE_OF_FORCE, MidAction.OCCUPATION)
    # (a fortified border is coded when it is built, MID 11, not as a standing measure)
    lift(state.posture == Posture.ALERT.value, Rung.DISPLAY, MidAction.ALERT)
    lift(state.posture == Posture.MOBILIZED.value, Rung.DISPLAY, MidAction.MOBILIZATION)
    lift(state.at_war, Rung.WAR, MidAction.BEGIN_WAR)
    return rung, mid


def _code_dyads(t: Turn, a_idx: I64) -> None:
    """Code this turn's rung and MID action per dyad; update tension, grievance and score."""
    s, w = t.static, t.state
    base_rung, base_mid = standing_rung(s, w)
    acted = t.act_rung > base_rung
    w.rung = np.where(acted, t.act_rung, base_rung).astype(np.int8)
    w.mid_action = np.where(acted, t.act_mid, base_mid).astype(np.int8)
    w.last_action_rung = t.act_rung
    w.attributed = t.attributed
    # tension follows the highest rung either side reached, with inertia
    top = np.maximum(w.rung, np.swapaxes(w.rung, 1, 2)).astype(np.float64) / Rung.WAR
    inertia = t.params.col(W.TENSION_INERTIA)
    w.tension = inertia * w.tension + (1.0 - inertia) * np.maximum(top, 0.0)
    # grievance: what the other side did to you this turn, then slow forgetting
    received = np.swapaxes(np.maximum(t.act_rung, 0), 1, 2).astype(np.float64) / Rung.WAR
    decay = t.params.col(W.GRIEVANCE_DECAY)
    per_rung = t.params.col(W.GRIEVANCE_PER_RUNG)
    w.grievance = np.clip(w.grievance * decay + per_rung * received**2, 0.0, 1.0)
    # escalation score (Rivera et al. 2024): weight of each actor's action category
    weights = np.array([SCORE_WEIGHTS[a.category] for a in act.CATALOGUE])
    w.score += weights[a_idx]
    peak = w.rung.reshape(w.r, -1).max(axis=1).astype(np.int64)
    peak_mid = w.mid_action.reshape(w.r, -1).max(axis=1).astype(np.int64)
    w.peak_rung = np.maximum(w.peak_rung, peak)
    w.peak_mid_action = np.maximum(w.peak_mid_action, peak_mid)


def mid_levels(mid_action: NDArray[np.int8]) -> NDArray[np.int8]:
    """MID hostility level (1-5) of an array of MID action codes."""
    table = np.array([1] + [2] * 6 + [3] * 6 + [4] * 7 + [5] * 2, dtype=np.int8)
    return table[mid_action]


def settled(state: State, params: Params) -> B:
    """(R,): runs whose crisis is settled (calm for ``settle_turns`` turns in a row)."""
    return state.calm_turns >= params[W.SETTLE_TURNS]


def _settle(
    static: Static, state: State, params: Params, turn: int, act_rung: NDArray[np.int8]
) -> None:
    """Mark runs that are settled or at the horizon as done."""
    calm = (
        (act_rung.reshape(state.r, -1).max(axis=1) <= CALM_RUNG)
        & (state.tension.reshape(state.r, -1).max(axis=1) < params[W.CALM_TENSION])
        & ~state.at_war.any(axis=(1, 2))
    )
    state.calm_turns = np.where(calm, state.calm_turns + 1, 0)
    finished = ~state.done & (settled(state, params) | (turn >= static.horizon))
    state.end_turn[finished] = turn
    state.done |= finished


__all__ = [
    "ORDER",
    "RUNG_MID_LEVEL",
    "IllegalMove",
    "TurnRecord",
    "check_moves",
    "settled",
    "step",
]
