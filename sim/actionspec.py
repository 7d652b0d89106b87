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

from sim import pairs
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
# Building blocks of preconditions. Each is a full (R, N, N) array (or a scalar-like one), never
# one to broadcast along a short axis: numpy combines full arrays fast and broadcasts a short
# axis slowly (see sim.pairs), so a precondition is a chain of ``&`` of these.


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


#: Each scenario's pair conditions, tiled over as many replicates as met so far, by name.
_TILED: dict[tuple[int, str], tuple[Static, B]] = {}


def tiled(s: Static, w: State, name: str, make: Callable[[], B]) -> B:
    """The scenario's (N, N) condition ``make()`` as a full, read-only (R, N, N) array: tiled
    once over the most replicates met, and cut to the first R of them (a C-contiguous view)."""
    key = (id(s), name)
    hit = _TILED.get(key)
    if hit is None or hit[0] is not s or hit[1].shape[0] < w.r:
        if len(_TILED) >= 256:  # a long-lived process meets a few scenarios: never grow unbounded
            _TILED.clear()
        block = np.ascontiguousarray(make(), dtype=bool)
        full = np.tile(block, (max(w.r, 1), 1, 1))
        full.flags.writeable = False
        hit = _TILED[key] = (s, full)
    return hit[1][: w.r]


def others(s: Static, w: State) -> B:
    """Pairs of two different actors."""
    return tiled(s, w, "others", lambda: ~np.eye(s.n, dtype=bool))


def able(w: State) -> B:
    """Actor i has not collapsed."""
    return _shared_block(w, "able", lambda: pairs.by_actor(~w.collapsed))


def peace(w: State) -> B:
    return ~w.at_war


def border(s: Static) -> B:
    """(N, N): the two share a land border (a condition of the scenario, see
    :func:`bordering` for the full array)."""
    return s.border > 0


def bordering(s: Static, w: State) -> B:
    """The actor and the target share a land border."""
    return tiled(s, w, "bordering", lambda: border(s))


def within(s: Static, w: State, km: float) -> B:
    """The target borders the actor or lies within ``km`` of it."""
    return tiled(s, w, f"within {km!r}", lambda: border(s) | (s.distance <= km))


def has_armour(w: State) -> B:
    """Actor i has armour."""
    return _shared_block(w, "has_armour", lambda: pairs.by_actor(w.armour >= 1.0))


def state_target(s: Static, w: State) -> B:
    """The target is a state."""
    return tiled(s, w, "state target", lambda: np.tile(s.is_state, (s.n, 1)))


def corridor_mask(s: Static, w: State, statuses: tuple[int, ...], controller_is_actor: bool) -> B:
    """Some corridor with a status in ``statuses`` links actor and target.

    If ``controller_is_actor``, the actor controls it and the target uses it; otherwise the
    target controls it and the actor uses it.
    """
    return pairs.corridor_links(
        w.corridor_status, w.corridor_controller, s.corridor_users, statuses, controller_is_actor
    )


def drone_reach(s: Static, w: State) -> B:
    """The actor has a drone type in stock whose range covers the distance."""
    reach = s.distance[s.drone_owner] <= s.drone_range[:, None]  # (D, N)
    return pairs.drone_reach(w.drones, s.drone_owner, reach, s.n)


def partners(s: Static) -> B:
    """(N, N): either of the two has pledged support to the other (see :func:`unallied` for the
    full array of its negation)."""
    return (s.credibility > 0) | (s.credibility.T > 0)


def unallied(s: Static, w: State) -> B:
    """Neither has pledged support to the other."""
    return tiled(s, w, "unallied", lambda: ~partners(s))
