"""The action catalogue: every action's coding, precondition and effect, and the legality query.

Each rule module under sim/rules/ declares the actions it owns (:class:`sim.actionspec.ActionSpec`);
this module assembles them, with the engine's own ``hold``, into :data:`CATALOGUE`, in the order
of :class:`sim.scenario.models.ActionId`, which is also the order of the action axis of the
engine's arrays. Legality is computed for all replicates, actors and targets at once by
:func:`legal_mask`; :func:`legal_actions` is the same query for one actor of one replicate, used
by the UI menu and the tests. An action of a rule that is off is never legal. The AI chooses only
among legal actions, and the engine re-checks legality when it adjudicates, so an illegal move
can never take effect.

MID action codes and hostility levels follow the Correlates of War MID incident codebook; the
categories are those of Rivera et al. (2024).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from sim.actionspec import ActionSpec, B, Phase, reading
from sim.ladder import Category, MidAction, Rung
from sim.rules.context import Turn
from sim.rules.registry import SPECS
from sim.scenario.models import ActionId
from sim.world import I64, State, Static

__all__ = [
    "ACTION_INDEX",
    "CATALOGUE",
    "HOLD",
    "N_ACTIONS",
    "ActionSpec",
    "LegalAction",
    "Phase",
    "is_legal",
    "legal_actions",
    "legal_mask",
    "legal_masks",
    "spec",
]


def _hold_legal(s: Static, w: State) -> B:
    return np.broadcast_to(np.eye(s.n, dtype=bool), (w.r, s.n, s.n))


def _hold_effect(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Nothing happens."""


#: The engine's own action: do nothing this turn (target: the actor itself).
HOLD_SPEC = ActionSpec(
    ActionId.HOLD,
    verb="held its course",
    phase=Phase.DIPLOMACY,
    rung=Rung.NORMAL,
    mid=MidAction.NONE,
    category=Category.STATUS_QUO,
    hostile=False,
    requires="always legal (target: the actor itself)",
    legal=_hold_legal,
    effect=_hold_effect,
)


def _assemble() -> tuple[ActionSpec, ...]:
    owned: dict[ActionId, ActionSpec] = {ActionId.HOLD: HOLD_SPEC}
    for rule in SPECS:
        for a in rule.actions:
            if a.id in owned:
                raise RuntimeError(f"action {a.id.value} is declared by two rules")
            owned[a.id] = dataclasses.replace(a, rule=rule.name)
    missing = [a.value for a in ActionId if a not in owned]
    if missing:
        raise RuntimeError(f"actions no rule declares: {', '.join(missing)}")
    return tuple(owned[a] for a in ActionId)


#: The catalogue, in the fixed order of the engine's action axis (the order of ActionId).
CATALOGUE: tuple[ActionSpec, ...] = _assemble()
ACTION_INDEX: dict[ActionId, int] = {a.id: k for k, a in enumerate(CATALOGUE)}
N_ACTIONS = len(CATALOGUE)
HOLD = ACTION_INDEX[ActionId.HOLD]
RUNGS = np.array([a.rung for a in CATALOGUE], dtype=np.int8)
MID_CODES = np.array([a.mid for a in CATALOGUE], dtype=np.int8)
HOSTILE = np.array([a.hostile for a in CATALOGUE], dtype=bool)


def enabled(static: Static) -> B:
    """(A,): whether each action's rule is on in this scenario (``hold`` always is)."""
    return np.array([a.rule == "" or static.rule_on(a.rule) for a in CATALOGUE])


def is_legal(a: ActionSpec, static: Static, state: State) -> B:
    """(R, N, N) legality of one action: its rule is on and its precondition holds."""
    if a.rule and not static.rule_on(a.rule):
        return np.zeros((state.r, static.n, static.n), dtype=bool)
    return np.asarray(a.legal(static, state), dtype=bool)


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
    return np.stack(legal_masks(static, state), axis=2)


def legal_masks(static: Static, state: State) -> list[B]:
    """:func:`legal_mask` as one (R, N actor, N target) array per action, in catalogue order
    (what the engine uses: it spares the copy into one array). When every replicate is in the
    same state, legality is computed once and the arrays are read-only views of it."""
    if state.r > 1 and state.same():
        shape = (state.r, static.n, static.n)
        one = state.rows(0, 1)
        with reading(one):
            return [np.broadcast_to(is_legal(a, static, one), shape) for a in CATALOGUE]
    with reading(state):
        return [is_legal(a, static, state) for a in CATALOGUE]


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
        row = is_legal(a, static, one)[0, i]
        for j in np.flatnonzero(row):
            out.append(LegalAction(a.id, static.ids[int(j)], a))
    return out
