"""Transit blockades: levies, closures and seizures of corridors, and what they cost.

A corridor crosses its controller's territory and carries its users' trade. A levy takes a share
of the value from the users and pays it to the controller; a closure (or a blockade) cuts the
users' trade unless an alternative corridor is open, in which case they switch and lose only
``switch_loss`` of the value; the controller loses its transit income. Every billion USD a year a
user loses raises its grievance against the controller. The founding case is Azerbaijan's levy
on Iranian trucks bound for Armenia on the Goris-Kapan road (CCSIS, 2021), to which Iran and
Armenia answered with a bypass road.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from sim.actionspec import (
    ActionSpec,
    B,
    Phase,
    able,
    bordering,
    corridor_mask,
    has_armour,
    unallied,
)
from sim.ladder import Category, MidAction, Rung
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ActionId, TransitParams
from sim.weights import W
from sim.world import DEFAULT_LEVY, I64, Corridor, State, Static

A, P, M, C = ActionId, Phase, MidAction, Category
OPEN, LEVIED, CLOSED = Corridor.OPEN, Corridor.LEVIED, Corridor.CLOSED


def _links(
    t: Turn, rr: I64, ii: I64, jj: I64, statuses: tuple[int, ...], actor_controls: bool
) -> Iterator[tuple[int, NDArray[np.bool_]]]:
    """Yield (k, mask over the chosen rows) for corridors linking actor and target."""
    s, w = t.static, t.state
    for k in range(len(s.corridor_ids)):
        ctrl = w.corridor_controller[rr, k]
        ok = np.isin(w.corridor_status[rr, k], statuses)
        if actor_controls:
            mask = ok & (ctrl == ii) & s.corridor_users[k][jj]
        else:
            mask = ok & (ctrl == jj) & s.corridor_users[k][ii]
        if mask.any():
            yield k, mask


def effect_levy_transit(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Levy the target's transit on every open corridor the actor controls."""
    w = t.state
    for k, mask in _links(t, rr, ii, jj, (OPEN,), actor_controls=True):
        w.corridor_status[rr[mask], k] = LEVIED
        w.corridor_levy[rr[mask], k] = DEFAULT_LEVY
    t.success[rr, ii] = True


def effect_close_corridor(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Close every open or levied corridor the actor controls to the target."""
    for k, mask in _links(t, rr, ii, jj, (OPEN, LEVIED), actor_controls=True):
        t.state.corridor_status[rr[mask], k] = CLOSED
    t.success[rr, ii] = True


def effect_blockade(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Close the corridors by force (MID 13): as a closure, with more grievance."""
    effect_close_corridor(t, rr, ii, jj)
    t.grieve(rr, jj, ii, t.w(W.BLOCKADE_GRIEVANCE)[rr])


def effect_reopen_corridor(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Reopen levied or closed corridors the actor controls."""
    w = t.state
    for k, mask in _links(t, rr, ii, jj, (LEVIED, CLOSED), actor_controls=True):
        w.corridor_status[rr[mask], k] = OPEN
        w.corridor_levy[rr[mask], k] = 0.0
    t.success[rr, ii] = True
    t.grieve(rr, jj, ii, -t.w(W.REOPEN_GRIEVANCE)[rr])


def effect_seize_corridor(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Seize the target's corridors the actor uses (MID 15): control passes to the actor, which
    opens it; holding it is coded as an occupation of territory (MID 14) while it lasts."""
    w = t.state
    for k, mask in _links(t, rr, ii, jj, (OPEN, LEVIED, CLOSED), actor_controls=False):
        w.corridor_controller[rr[mask], k] = ii[mask]
        w.corridor_status[rr[mask], k] = OPEN
        w.corridor_levy[rr[mask], k] = 0.0
    t.success[rr, ii] = True
    t.grieve(rr, jj, ii, t.w(W.SEIZE_GRIEVANCE)[rr])


def economics(t: Turn) -> None:
    """Per-turn costs of levies and closures, revenue, and the grievance they cause.

    A user of a closed corridor switches to its alternative if the alternative is open and lists
    it among its users; it then loses only ``switch_loss`` of the value.
    """
    s, w = t.static, t.state
    p = SPEC.of(s)
    if p is None or len(s.corridor_ids) == 0:
        return
    year = t.days / 365.0
    rows = np.arange(w.r)
    income = t.w(W.TRANSIT_INCOME)
    for k in range(len(s.corridor_ids)):
        value = s.corridor_value[k]
        status = w.corridor_status[:, k]
        ctrl = w.corridor_controller[:, k]
        levy = np.where(status == LEVIED, w.corridor_levy[:, k], 0.0)
        closed = status == CLOSED
        alt = s.corridor_alt[k]
        alt_open = (
            np.isin(w.corridor_status[:, alt], (OPEN, LEVIED)) if alt >= 0 else np.zeros(w.r, bool)
        )
        for u in np.flatnonzero(s.corridor_users[k]):
            can_switch = alt_open & (s.corridor_users[alt, u] if alt >= 0 else False)
            closure = np.where(can_switch, p.switch_loss, 1.0) * value
            loss = np.where(ctrl == u, 0.0, levy * value + np.where(closed, closure, 0.0))
            w.econ_cost[:, u] += loss * year
            hurt = loss > 0
            if hurt.any():
                amount = p.grievance_per_busd * loss[hurt] * t.days / 30.0
                t.grieve(rows[hurt], np.full(int(hurt.sum()), u), ctrl[hurt], amount)
        paying = s.corridor_users[k][None, :] & (ctrl[:, None] != np.arange(s.n)[None, :])
        revenue = levy * value * paying.sum(axis=1) - np.where(closed, income * value, 0.0)
        np.subtract.at(w.econ_cost, (rows, ctrl), revenue * year)


def denied_share(s: Static, w: State) -> NDArray[np.float64]:
    """(R, N, N): the share of a route's value the target j denies actor i, the largest over the
    corridors j controls and i uses: 1 for a closure with no open alternative i can use,
    ``switch_loss`` for a closure with one, the levy rate for a levy, 0 for an open corridor or
    when the rule is off. It is what seizing the corridor would win back (sim.decisions)."""
    out = np.zeros((w.r, s.n, s.n))
    p = SPEC.of(s)
    if p is None:
        return out
    rows = np.arange(w.r)
    for k in range(len(s.corridor_ids)):
        status = w.corridor_status[:, k]
        ctrl = w.corridor_controller[:, k]
        alt = s.corridor_alt[k]
        alt_open = (
            np.isin(w.corridor_status[:, alt], (OPEN, LEVIED)) if alt >= 0 else np.zeros(w.r, bool)
        )
        for u in np.flatnonzero(s.corridor_users[k]):
            can_switch = alt_open & (bool(s.corridor_users[alt, u]) if alt >= 0 else False)
            share = np.where(
                status == CLOSED,
                np.where(can_switch, p.switch_loss, 1.0),
                np.where(status == LEVIED, w.corridor_levy[:, k], 0.0),
            )
            held = rows[ctrl != u]  # a user that holds the corridor is denied nothing
            out[held, u, ctrl[held]] = np.maximum(out[held, u, ctrl[held]], share[held])
    return out


# ----------------------------------------------------------------------------------------------
# Preconditions


def _levy(s: Static, w: State) -> B:
    open_ = corridor_mask(s, w, (Corridor.OPEN,), controller_is_actor=True)
    return open_ & able(w) & unallied(s, w)


def _close(s: Static, w: State) -> B:
    return (
        corridor_mask(s, w, (Corridor.OPEN, Corridor.LEVIED), controller_is_actor=True)
        & able(w)
        & unallied(s, w)
    )


def _reopen(s: Static, w: State) -> B:
    return corridor_mask(s, w, (Corridor.LEVIED, Corridor.CLOSED), controller_is_actor=True)


def _seize(s: Static, w: State) -> B:
    return (
        corridor_mask(
            s, w, (Corridor.OPEN, Corridor.LEVIED, Corridor.CLOSED), controller_is_actor=False
        )
        & bordering(s, w)
        & has_armour(w)
        & able(w)
        & unallied(s, w)
    )


def _blockade(s: Static, w: State) -> B:
    coerce = corridor_mask(s, w, (Corridor.OPEN, Corridor.LEVIED), controller_is_actor=True)
    return coerce & has_armour(w) & able(w) & unallied(s, w)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.LEVY_TRANSIT,
        verb="levied the transit of",
        phase=P.ECONOMY,
        rung=Rung.ECONOMIC_COERCION,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="an open corridor the actor controls and the target uses; not a partner",
        legal=_levy,
        effect=effect_levy_transit,
    ),
    ActionSpec(
        A.CLOSE_CORRIDOR,
        verb="closed a transit corridor to",
        phase=P.ECONOMY,
        rung=Rung.ECONOMIC_COERCION,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="an open or levied corridor the actor controls and the target uses; not a partner",
        legal=_close,
        effect=effect_close_corridor,
    ),
    ActionSpec(
        A.REOPEN_CORRIDOR,
        verb="reopened a transit corridor to",
        phase=P.ECONOMY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="a levied or closed corridor the actor controls",
        legal=_reopen,
        effect=effect_reopen_corridor,
    ),
    ActionSpec(
        A.SEIZE_CORRIDOR,
        verb="seized a corridor controlled by",
        phase=P.FORCE,
        rung=Rung.USE_OF_FORCE,
        mid=M.SEIZURE,
        category=C.VIOLENT,
        hostile=True,
        requires="a corridor the target controls and the actor uses, a common border; "
        "not a partner",
        legal=_seize,
        effect=effect_seize_corridor,
    ),
    ActionSpec(
        A.BLOCKADE,
        verb="blockaded",
        phase=P.FORCE,
        rung=Rung.USE_OF_FORCE,
        mid=M.BLOCKADE,
        category=C.VIOLENT,
        hostile=True,
        requires="a corridor the actor controls and the target uses, ground forces; not a partner",
        legal=_blockade,
        effect=effect_blockade,
    ),
)

SPEC = RuleSpec(
    name="transit",
    version=2,
    params=TransitParams,
    summary="Levies and closures cost corridor users, pay the controller, raise grievance.",
    needs="corridors",
    source="Source articles (CCSIS) on the Goris-Kapan levy",
    actions=ACTIONS,
    steps=(Step(Stage.AFTER_ACTIONS, 30, economics),),
    writes=frozenset(
        {"corridor_status", "corridor_levy", "corridor_controller", "econ_cost", "grievance"}
    ),
)
