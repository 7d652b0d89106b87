"""The action catalogue: every action's rung, MID coding, escalation-score category and legality.

Each action is an :class:`ActionSpec` in :data:`CATALOGUE`, in a fixed order that is also the
order of the action axis of the engine's arrays. Legality is computed for all replicates, actors
and targets at once by :func:`legal_mask`; :func:`legal_actions` is the same query for one actor
of one replicate, used by the UI menu and the tests. The AI chooses only among legal actions, and
the engine re-checks legality when it adjudicates, so an illegal move can never take effect.

MID action codes and hostility levels follow the Correlates of War MID incident codebook; the
categories are those of Rivera et al. (2024).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from sim.ladder import Category, mid_hostility_level
from sim.scenario.models import ActionId
from sim.world import State, Static

B = NDArray[np.bool_]
F64 = NDArray[np.float64]


class Phase(IntEnum):
    """Adjudication phases, resolved in this order every turn."""

    DIPLOMACY = 0
    ECONOMY = 1
    GRAY_ZONE = 2
    SIGNALLING = 3
    FORCE = 4
    WAR = 5


LegalFn = Callable[[Static, State], B]


@dataclass(frozen=True)
class ActionSpec:
    """One action of the catalogue.

    Attributes:
        id: action id (also used in scenario files).
        verb: past-tense phrase for the turn log, e.g. "levied Iranian transit".
        phase: adjudication phase.
        rung: rung of the escalation ladder the action reaches against its target.
        mid_action: Correlates of War MID action code (0 if not militarized).
        category: escalation-score category (Rivera et al. 2024).
        hostile: whether the action is directed against the target (as opposed to cooperation
            with it or de-escalation).
        requires: the precondition in words, for the menu and docs/actions.md.
        legal: vectorised precondition, returning a bool array (R, N actor, N target).
    """

    id: ActionId
    verb: str
    phase: Phase
    rung: int
    mid_action: int
    category: Category
    hostile: bool
    requires: str
    legal: LegalFn

    @property
    def mid_level(self) -> int:
        """MID hostility level of the action (1-5)."""
        return mid_hostility_level(self.mid_action)


# ----------------------------------------------------------------------------------------------
# Building blocks of preconditions, all (R, N, N) or broadcastable to it.


def _others(s: Static, w: State) -> B:
    return np.broadcast_to(~np.eye(s.n, dtype=bool), (w.r, s.n, s.n))


def _able(w: State) -> B:
    """Actor i has not collapsed (as (R, N, 1))."""
    return ~w.collapsed[:, :, None]


def _peace(w: State) -> B:
    return ~w.at_war


def _border(s: Static) -> B:
    return s.border > 0


def _has_armour(w: State) -> B:
    return (w.armour >= 1.0)[:, :, None]


def _state_target(s: Static) -> B:
    return s.is_state[None, None, :]


def _corridor_mask(s: Static, w: State, statuses: tuple[int, ...], controller_is_actor: bool) -> B:
    """(R, N, N): some corridor with a status in ``statuses`` links actor and target.

    If ``controller_is_actor``, the actor controls it and the target uses it; otherwise the
    target controls it and the actor uses it.
    """
    out = np.zeros((w.r, s.n, s.n), dtype=bool)
    for k in range(len(s.corridor_ids)):
        ok = np.isin(w.corridor_status[:, k], statuses)
        ctrl = np.zeros((w.r, s.n), dtype=bool)
        ctrl[np.arange(w.r), w.corridor_controller[:, k]] = True
        users = s.corridor_users[k][None, :]
        if controller_is_actor:
            link = ctrl[:, :, None] & users[:, None, :]
        else:
            link = users[:, :, None] & ctrl[:, None, :]
        out |= link & ok[:, None, None]
    out &= _others(s, w)
    return out


def drone_reach(s: Static, w: State) -> B:
    """(R, N, N): the actor has a drone type in stock whose range covers the distance."""
    out = np.zeros((w.r, s.n, s.n), dtype=bool)
    for d in range(s.drone_owner.shape[0]):
        i = s.drone_owner[d]
        reach = s.distance[i] <= s.drone_range[d]
        out[:, i, :] |= (w.drones[:, d] >= 1.0)[:, None] & reach[None, :]
    return out & _others(s, w)


def mediator_available(s: Static, w: State) -> B:
    """(R, N, N): some mediator other than the pair has full ties with both sides."""
    out = np.zeros((w.r, s.n, s.n), dtype=bool)
    if s.rule("mediation") is None:
        return out
    for m in np.flatnonzero(s.mediators):
        ties = w.diplo[:, m, :] == 0
        ok = ties[:, :, None] & ties[:, None, :]
        ok[:, m, :] = False
        ok[:, :, m] = False
        out |= ok
    return out & _others(s, w)


def _partners(s: Static) -> B:
    return (s.credibility > 0) | (s.credibility.T > 0)


# ----------------------------------------------------------------------------------------------
# Preconditions of each action.


def _hold(s: Static, w: State) -> B:
    return np.broadcast_to(np.eye(s.n, dtype=bool), (w.r, s.n, s.n))


def _protest(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & ~_partners(s)


def _state_visit(s: Static, w: State) -> B:
    return _others(s, w) & (w.diplo == 0) & _peace(w) & (w.grievance < 0.4) & _state_target(s)


def _open_consulate(s: Static, w: State) -> B:
    near = (_border(s) | _partners(s))[None]
    ties = (w.diplo == 0) & _peace(w) & (w.grievance < 0.3) & _state_target(s)
    return _others(s, w) & near & ties


def _expel(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & (w.diplo == 0) & ~_partners(s)


def _sever(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & (w.diplo == 1) & ~_partners(s)


def _restore(s: Static, w: State) -> B:
    return _others(s, w) & (w.diplo >= 1) & _peace(w)


def _request_mediation(s: Static, w: State) -> B:
    hot = (w.tension >= 0.3) | w.at_war
    return mediator_available(s, w) & hot & ~w.mediation_offer


def _accept_mediation(s: Static, w: State) -> B:
    return w.mediation_offer & ~w.mediation_accept & _others(s, w)


def _concession(s: Static, w: State) -> B:
    return _others(s, w) & (np.swapaxes(w.grievance, 1, 2) > 0.1)


def _ceasefire(s: Static, w: State) -> B:
    return w.at_war & ~w.ceasefire_offer


def _levy(s: Static, w: State) -> B:
    return _corridor_mask(s, w, (0,), controller_is_actor=True) & _able(w) & ~_partners(s)


def _close(s: Static, w: State) -> B:
    return _corridor_mask(s, w, (0, 1), controller_is_actor=True) & _able(w) & ~_partners(s)


def _reopen(s: Static, w: State) -> B:
    return _corridor_mask(s, w, (1, 2), controller_is_actor=True)


def _sanctions(s: Static, w: State) -> B:
    trade = (s.trade > 0)[None]
    return _others(s, w) & _able(w) & ~w.sanctions & trade & _state_target(s) & ~_partners(s)


def _buy_arms(s: Static, w: State) -> B:
    # actor is the client, target the patron
    supply = ((s.arms_supply + s.drone_supply) > 0).T[None]
    return _others(s, w) & supply & (w.diplo == 0)


def _supply_arms(s: Static, w: State) -> B:
    supply = ((s.arms_supply + s.drone_supply) > 0)[None]
    return _others(s, w) & supply & (w.diplo == 0)


def _cyber(s: Static, w: State) -> B:
    return _others(s, w) & (s.cyber > 0)[None, :, None] & _state_target(s) & ~_partners(s)


def _covert(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & (w.grievance > 0.2) & ~_partners(s)


def _arrest(s: Static, w: State) -> B:
    return _others(s, w) & (w.grievance > 0.1) & ~_partners(s) & _state_target(s)


def _proxy(s: Static, w: State) -> B:
    # the actor patrons some non-state actor other than the target
    out = np.zeros((s.n, s.n), dtype=bool)
    for k in np.flatnonzero(~s.is_state):
        patron = s.credibility[:, k] > 0
        out |= patron[:, None] & (np.arange(s.n) != k)[None, :]
    return _others(s, w) & out[None] & ~_partners(s)


def _threaten(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & _peace(w) & ~_partners(s)


def _threaten_war(s: Static, w: State) -> B:
    return _threaten(s, w) & _has_armour(w) & (_border(s) | (s.distance <= 500))[None]


def _drills(s: Static, w: State) -> B:
    near = (_border(s) | (s.distance <= 1000))[None]
    return _others(s, w) & _able(w) & _has_armour(w) & near & ~_partners(s)


def _alert(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & _peace(w) & (w.posture < 8) & ~_partners(s)


def _mobilize(s: Static, w: State) -> B:
    return _others(s, w) & _able(w) & (w.posture < 10) & _has_armour(w) & ~_partners(s)


def _fortify(s: Static, w: State) -> B:
    return _border(s)[None] & ~w.fortified & _able(w) & ~_partners(s)


def _violation(s: Static, w: State) -> B:
    return _border(s)[None] & _able(w) & _peace(w) & _has_armour(w) & ~_partners(s)


def _drone_strike(s: Static, w: State) -> B:
    return drone_reach(s, w) & _able(w) & ~_partners(s)


def _missile_strike(s: Static, w: State) -> B:
    reach = (s.distance <= s.missile_range[:, None])[None]
    return _others(s, w) & _able(w) & (w.missiles >= 1)[:, :, None] & reach & ~_partners(s)


def _clash(s: Static, w: State) -> B:
    return _border(s)[None] & _able(w) & _peace(w) & _has_armour(w) & ~_partners(s)


def _seize(s: Static, w: State) -> B:
    return (
        _corridor_mask(s, w, (0, 1, 2), controller_is_actor=False)
        & _border(s)[None]
        & _has_armour(w)
        & _able(w)
        & ~_partners(s)
    )


def _blockade(s: Static, w: State) -> B:
    coerce = _corridor_mask(s, w, (0, 1), controller_is_actor=True)
    return coerce & _has_armour(w) & _able(w) & ~_partners(s)


def _offensive(s: Static, w: State) -> B:
    reach = (_border(s) | (s.distance <= 300))[None]
    target_alive = ~w.collapsed[:, None, :]
    return (
        _others(s, w)
        & _peace(w)
        & reach
        & _has_armour(w)
        & _able(w)
        & target_alive
        & _state_target(s)
        & ~_partners(s)
    )


def _join_war(s: Static, w: State) -> B:
    out = np.zeros((w.r, s.n, s.n), dtype=bool)
    for k in range(s.n):
        patron = (s.credibility[:, k] > 0)[None, :, None]
        out |= patron & w.at_war[:, k, :][:, None, :]
    power = (w.armour >= 1) | (w.missiles >= 1)
    return out & _others(s, w) & _peace(w) & _able(w) & power[:, :, None] & ~_partners(s)


def _stand_down(s: Static, w: State) -> B:
    return _others(s, w) & _peace(w) & (w.posture > 0)


def _spec(
    id: ActionId,
    verb: str,
    phase: Phase,
    rung: int,
    mid: int,
    cat: Category,
    hostile: bool,
    requires: str,
    legal: LegalFn,
) -> ActionSpec:
    return ActionSpec(id, verb, phase, rung, mid, cat, hostile, requires, legal)


A = ActionId
P = Phase
C = Category

#: The catalogue, in the fixed order of the engine's action axis.
CATALOGUE: tuple[ActionSpec, ...] = (
    _spec(
        A.HOLD,
        "held its course",
        P.DIPLOMACY,
        0,
        0,
        C.STATUS_QUO,
        False,
        "always legal (target: the actor itself)",
        _hold,
    ),
    _spec(
        A.PROTEST,
        "protested publicly to",
        P.DIPLOMACY,
        1,
        0,
        C.POSTURING,
        True,
        "not a partner of the target",
        _protest,
    ),
    _spec(
        A.STATE_VISIT,
        "held a state visit with",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "full diplomatic ties, peace, low grievance",
        _state_visit,
    ),
    _spec(
        A.OPEN_CONSULATE,
        "opened a consulate in",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "full ties with a neighbouring or partner state, low grievance",
        _open_consulate,
    ),
    _spec(
        A.EXPEL_DIPLOMATS,
        "expelled diplomats of",
        P.DIPLOMACY,
        2,
        0,
        C.NONVIOLENT,
        True,
        "full diplomatic ties",
        _expel,
    ),
    _spec(
        A.SEVER_TIES,
        "severed diplomatic ties with",
        P.DIPLOMACY,
        2,
        0,
        C.NONVIOLENT,
        True,
        "downgraded diplomatic ties (expel diplomats first); not a partner",
        _sever,
    ),
    _spec(
        A.RESTORE_TIES,
        "restored diplomatic ties with",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "downgraded or severed ties, not at war",
        _restore,
    ),
    _spec(
        A.REQUEST_MEDIATION,
        "asked for mediation with",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "tension or war, and a mediator with ties to both sides",
        _request_mediation,
    ),
    _spec(
        A.ACCEPT_MEDIATION,
        "accepted mediated talks with",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "a pending offer of mediation",
        _accept_mediation,
    ),
    _spec(
        A.OFFER_CONCESSION,
        "offered a concession to",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "the target holds a grievance against the actor",
        _concession,
    ),
    _spec(
        A.PROPOSE_CEASEFIRE,
        "proposed a ceasefire to",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "at war with the target",
        _ceasefire,
    ),
    _spec(
        A.LEVY_TRANSIT,
        "levied the transit of",
        P.ECONOMY,
        3,
        0,
        C.NONVIOLENT,
        True,
        "an open corridor the actor controls and the target uses; not a partner",
        _levy,
    ),
    _spec(
        A.CLOSE_CORRIDOR,
        "closed a transit corridor to",
        P.ECONOMY,
        3,
        0,
        C.NONVIOLENT,
        True,
        "an open or levied corridor the actor controls and the target uses; not a partner",
        _close,
    ),
    _spec(
        A.REOPEN_CORRIDOR,
        "reopened a transit corridor to",
        P.ECONOMY,
        0,
        0,
        C.DEESCALATION,
        False,
        "a levied or closed corridor the actor controls",
        _reopen,
    ),
    _spec(
        A.IMPOSE_SANCTIONS,
        "imposed sanctions on",
        P.ECONOMY,
        3,
        0,
        C.NONVIOLENT,
        True,
        "trade with the target and no sanctions yet; not a partner",
        _sanctions,
    ),
    _spec(
        A.BUY_ARMS,
        "ordered arms from",
        P.ECONOMY,
        0,
        0,
        C.POSTURING,
        False,
        "the target is a patron that supplies arms to the actor",
        _buy_arms,
    ),
    _spec(
        A.SUPPLY_ARMS,
        "shipped arms to",
        P.ECONOMY,
        0,
        0,
        C.POSTURING,
        False,
        "the actor is a patron that supplies arms to the target",
        _supply_arms,
    ),
    _spec(
        A.CYBER_ATTACK,
        "launched a cyber attack on",
        P.GRAY_ZONE,
        4,
        0,
        C.NONVIOLENT,
        True,
        "cyber capability above 0, a state target that is not a partner",
        _cyber,
    ),
    _spec(
        A.COVERT_OPERATION,
        "ran a covert operation against",
        P.GRAY_ZONE,
        4,
        0,
        C.NONVIOLENT,
        True,
        "a grievance against the target",
        _covert,
    ),
    _spec(
        A.ARREST_NETWORK,
        "arrested people linked to",
        P.GRAY_ZONE,
        4,
        0,
        C.NONVIOLENT,
        True,
        "a grievance against the target state",
        _arrest,
    ),
    _spec(
        A.SUPPORT_PROXY,
        "armed a proxy against",
        P.GRAY_ZONE,
        4,
        0,
        C.NONVIOLENT,
        True,
        "the actor patrons a non-state actor",
        _proxy,
    ),
    _spec(
        A.THREATEN,
        "threatened force against",
        P.SIGNALLING,
        5,
        1,
        C.POSTURING,
        True,
        "peace with the target",
        _threaten,
    ),
    _spec(
        A.THREATEN_WAR,
        "threatened war against",
        P.SIGNALLING,
        5,
        4,
        C.POSTURING,
        True,
        "peace, ground forces, a border or a target within 500 km",
        _threaten_war,
    ),
    _spec(
        A.DRILLS,
        "held military drills aimed at",
        P.SIGNALLING,
        6,
        7,
        C.POSTURING,
        True,
        "ground forces, a border or a target within 1,000 km",
        _drills,
    ),
    _spec(
        A.ALERT,
        "put forces on alert against",
        P.SIGNALLING,
        6,
        8,
        C.POSTURING,
        True,
        "peace, not already on alert or mobilized",
        _alert,
    ),
    _spec(
        A.MOBILIZE,
        "mobilized against",
        P.SIGNALLING,
        6,
        10,
        C.POSTURING,
        True,
        "ground forces, not already mobilized",
        _mobilize,
    ),
    _spec(
        A.FORTIFY_BORDER,
        "fortified the border with",
        P.SIGNALLING,
        6,
        11,
        C.POSTURING,
        True,
        "a common border not yet fortified",
        _fortify,
    ),
    _spec(
        A.BORDER_VIOLATION,
        "violated the border of",
        P.SIGNALLING,
        6,
        12,
        C.NONVIOLENT,
        True,
        "a common border, ground forces, peace",
        _violation,
    ),
    _spec(
        A.DRONE_STRIKE,
        "launched a drone strike on",
        P.FORCE,
        7,
        16,
        C.VIOLENT,
        True,
        "a drone type in stock whose range covers the distance",
        _drone_strike,
    ),
    _spec(
        A.MISSILE_STRIKE,
        "fired missiles at",
        P.FORCE,
        7,
        16,
        C.VIOLENT,
        True,
        "missiles in stock whose range covers the distance",
        _missile_strike,
    ),
    _spec(
        A.BORDER_CLASH,
        "clashed at the border with",
        P.FORCE,
        7,
        17,
        C.VIOLENT,
        True,
        "a common border, ground forces, peace; not a partner",
        _clash,
    ),
    _spec(
        A.SEIZE_CORRIDOR,
        "seized a corridor controlled by",
        P.FORCE,
        7,
        15,
        C.VIOLENT,
        True,
        "a corridor the target controls and the actor uses, a common border; not a partner",
        _seize,
    ),
    _spec(
        A.BLOCKADE,
        "blockaded",
        P.FORCE,
        7,
        13,
        C.VIOLENT,
        True,
        "a corridor the actor controls and the target uses, ground forces; not a partner",
        _blockade,
    ),
    _spec(
        A.LAUNCH_OFFENSIVE,
        "launched a war against",
        P.WAR,
        8,
        20,
        C.VIOLENT,
        True,
        "a border or a target within 300 km, ground forces, peace",
        _offensive,
    ),
    _spec(
        A.JOIN_WAR,
        "joined the war against",
        P.WAR,
        8,
        21,
        C.VIOLENT,
        True,
        "the actor is a patron of a party at war with the target",
        _join_war,
    ),
    _spec(
        A.STAND_DOWN,
        "stood down its forces facing",
        P.DIPLOMACY,
        0,
        0,
        C.DEESCALATION,
        False,
        "forces on alert or mobilized against the target",
        _stand_down,
    ),
)

ACTION_INDEX: dict[ActionId, int] = {spec.id: k for k, spec in enumerate(CATALOGUE)}
N_ACTIONS = len(CATALOGUE)
HOLD = ACTION_INDEX[ActionId.HOLD]
RUNGS = np.array([a.rung for a in CATALOGUE], dtype=np.int8)
MID_CODES = np.array([a.mid_action for a in CATALOGUE], dtype=np.int8)
HOSTILE = np.array([a.hostile for a in CATALOGUE], dtype=bool)


def spec(action: ActionId | str) -> ActionSpec:
    """The spec of an action id.

    Raises:
        KeyError: if the id is unknown, listing the known ids.
    """
    try:
        return CATALOGUE[ACTION_INDEX[ActionId(action)]]
    except ValueError:
        known = ", ".join(a.id.value for a in CATALOGUE)
        raise KeyError(f"unknown action {action!r}; known: {known}") from None


def legal_mask(static: Static, state: State) -> B:
    """Legality of every action for every replicate, actor and target.

    Returns:
        bool array (R, N actor, A action, N target).
    """
    return np.stack([a.legal(static, state) for a in CATALOGUE], axis=2)


@dataclass(frozen=True)
class LegalAction:
    """A legal (action, target) pair for one actor."""

    action: ActionId
    target: str
    spec: ActionSpec


def legal_actions(
    static: Static, state: State, actor: str, replicate: int = 0
) -> list[LegalAction]:
    """The legal actions of one actor in one replicate, in catalogue order then target order.

    This is the query the AI, the game's action menu and the tests use; it is computed by the
    same vectorised preconditions the engine uses.

    Args:
        static: the compiled scenario.
        state: the current state.
        actor: actor id.
        replicate: which replicate of the state.

    Raises:
        KeyError: for an unknown actor id.
    """
    i = static.index(actor)
    one = state.take(np.array([replicate]))
    out: list[LegalAction] = []
    for a in CATALOGUE:
        row = a.legal(static, one)[0, i]
        for j in np.flatnonzero(row):
            out.append(LegalAction(a.id, static.ids[int(j)], a))
    return out
