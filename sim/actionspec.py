"""What an action is: :class:`ActionSpec`, the adjudication phases, and the building blocks of
preconditions.

Each rule module under sim/rules/ declares the actions it owns as :class:`ActionSpec` values,
with their coding (rung, MID action code, escalation-score category), their precondition and
their effect; sim.actions assembles them into the catalogue. Preconditions are vectorised: they
return a bool array (R replicates, N actors, N targets).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.ladder import Category, MidAction, Rung, mid_hostility_level
from sim.scenario.models import ActionId
from sim.world import State, Static

if TYPE_CHECKING:
    from sim.rules.context import Turn

B = NDArray[np.bool_]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Phase(IntEnum):
    """Adjudication phases, resolved in this order every turn."""

    DIPLOMACY = 0
    ECONOMY = 1
    GRAY_ZONE = 2
    SIGNALLING = 3
    FORCE = 4
    WAR = 5


LegalFn = Callable[[Static, State], B]
#: An action's effect on the replicates ``rr`` whose actor ``ii`` chose it against ``jj``.
EffectFn = Callable[["Turn", I64, I64, I64], None]


@dataclass(frozen=True)
class ActionSpec:
    """One action: its coding, its precondition and its effect.

    Attributes:
        id: action id (also used in scenario files).
        verb: past-tense phrase for the turn log, e.g. "levied the transit of".
        phase: adjudication phase.
        rung: rung of the escalation ladder the action reaches against its target.
        mid: Correlates of War MID action code (``MidAction.NONE`` if not militarized).
        category: escalation-score category (Rivera et al. 2024).
        hostile: whether the action is directed against the target (as opposed to cooperation
            with it or de-escalation).
        requires: the precondition in words, for the menu and docs/actions.md.
        legal: vectorised precondition, returning a bool array (R, N actor, N target).
        effect: what the action does (see :data:`EffectFn`).
        rule: name of the rule that owns the action ("" for the engine's own ``hold``); set by
            the registry.
    """

    id: ActionId
    verb: str
    phase: Phase
    rung: Rung
    mid: MidAction
    category: Category
    hostile: bool
    requires: str
    legal: LegalFn
    effect: EffectFn
    rule: str = ""

    @property
    def mid_action(self) -> int:
        """MID action code as a plain int."""
        return int(self.mid)

    @property
    def mid_level(self) -> int:
        """MID hostility level of the action (1-5)."""
        return mid_hostility_level(self.mid)


# ----------------------------------------------------------------------------------------------
# Building blocks of preconditions, all (R, N, N) or broadcastable to it.


#: :func:`others` of each (actors, replicates) shape met lately (read-only: they are shared).
_OTHERS: dict[tuple[int, int], B] = {}

#: The blocks of the state whose preconditions are being read (see :func:`reading`), by name.
_READING: contextvars.ContextVar[tuple[int, dict[str, B]] | None] = contextvars.ContextVar(
    "borderline_reading", default=None
)


@contextlib.contextmanager
def reading(w: State) -> Iterator[None]:
    """While the preconditions of many actions are computed on ``w``, which does not change
    meanwhile, each building block of ``w`` below is computed once, not once per action, and
    shared read-only (sim.actions.legal_masks). Per thread and per task: a context variable."""
    token = _READING.set((id(w), {}))
    try:
        yield
    finally:
        _READING.reset(token)


def _shared_block(w: State, name: str, make: Callable[[], B]) -> B:
    scope = _READING.get()
    if scope is None or scope[0] != id(w):
        return make()
    got = scope[1].get(name)
    if got is None:
        got = scope[1][name] = make()
        got.flags.writeable = False
    return got


def others(s: Static, w: State) -> B:
    """Pairs of two different actors, as a full (R, N, N) array: a full first operand makes
    the conditions combined with it cheap (numpy is slow at broadcasting small axes). The same
    read-only array for every state of a shape."""
    key = (s.n, w.r)
    got = _OTHERS.get(key)
    if got is None:
        got = np.tile(~np.eye(s.n, dtype=bool), (w.r, 1, 1))
        got.flags.writeable = False
        if len(_OTHERS) >= 8:  # a few shapes at a time: a batch shrinks as its runs end
            _OTHERS.clear()
        _OTHERS[key] = got
    return got


def able(w: State) -> B:
    """Actor i has not collapsed (as a full (R, N, N) array, see :func:`others`)."""
    return _shared_block(w, "able", lambda: _rows_to_pairs(~w.collapsed))


def peace(w: State) -> B:
    return ~w.at_war


def border(s: Static) -> B:
    return s.border > 0


def has_armour(w: State) -> B:
    """Actor i has armour (as a full (R, N, N) array, see :func:`others`)."""
    return _shared_block(w, "has_armour", lambda: _rows_to_pairs(w.armour >= 1.0))


def _rows_to_pairs(x: B) -> B:
    """(R, N) -> (R, N, N), ``x[r, i]`` along every target j: repeated as bytes along one
    axis (numpy's repeat along the last axis of a 3-D boolean array is slower)."""
    r, n = x.shape
    return np.repeat(x.view(np.uint8).ravel(), n).view(np.bool_).reshape(r, n, n)


def state_target(s: Static) -> B:
    """The target is a state (as a contiguous (1, N, N) array, see :func:`others`)."""
    return np.tile(s.is_state, (s.n, 1))[None]


def corridor_mask(s: Static, w: State, statuses: tuple[int, ...], controller_is_actor: bool) -> B:
    """(R, N, N): some corridor with a status in ``statuses`` links actor and target.

    If ``controller_is_actor``, the actor controls it and the target uses it; otherwise the
    target controls it and the actor uses it.
    """
    n = s.n
    out = np.zeros((w.r, n, n), dtype=bool)
    for k in range(len(s.corridor_ids)):
        status = w.corridor_status[:, k]
        ok = status == statuses[0]
        for v in statuses[1:]:
            ok |= status == v
        # the pairs the corridor links when c controls it; the last entry: when none does
        link = np.zeros((n + 1, n, n), dtype=bool)
        for c in range(n):
            if controller_is_actor:
                link[c, c, :] = s.corridor_users[k]
            else:
                link[c, :, c] = s.corridor_users[k]
        out |= link[np.where(ok, w.corridor_controller[:, k], n)]
    out &= others(s, w)
    return out


def drone_reach(s: Static, w: State) -> B:
    """(R, N, N): the actor has a drone type in stock whose range covers the distance."""
    out = np.zeros((w.r, s.n, s.n), dtype=bool)
    for d in range(s.drone_owner.shape[0]):
        i = s.drone_owner[d]
        reach = s.distance[i] <= s.drone_range[d]
        out[:, i, :] |= (w.drones[:, d] >= 1.0)[:, None] & reach[None, :]
    return out & others(s, w)


def partners(s: Static) -> B:
    return (s.credibility > 0) | (s.credibility.T > 0)
