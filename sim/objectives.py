"""What a played role is scored on: its leader's objectives, each a gauge from 0 to 100.

A scenario's role lists objectives (``roles[].objectives`` in the file; docs/reference.md), as
PeaceMaker scores a leader on the approval of constituencies: every turn each objective is read
off the state as a gauge from 0 (lost) to 100 (fully kept), and the role's score that turn is the
weighted mean of its gauges. A session's score is the mean of its turns' scores, so a war early
costs more than a war at the end; the forecast scores simulated futures the same way.

Everything is computed for all replicates at once (arrays (R, K) or (R,)), so the same function
scores a game, a batch and the advisor's futures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.scenario import Scenario
from sim.scenario.models import Objective, ObjectiveKind
from sim.world import Corridor, State, Static, Ties

F64 = NDArray[np.float64]

#: ``economy``: the crisis's economic cost, as a share of GDP, at which the gauge reaches 0.
ECONOMY_LOSS_AT = 0.02
#: ``keep_corridor_open``: the gauge while the corridor is levied.
LEVIED_GAUGE = 50.0

#: What a role without objectives is scored on.
DEFAULT_OBJECTIVES: tuple[Objective, ...] = (
    Objective(kind=ObjectiveKind.AVOID_WAR),
    Objective(kind=ObjectiveKind.APPROVAL),
    Objective(kind=ObjectiveKind.ECONOMY),
)


@dataclass(frozen=True)
class Gauge:
    """One compiled objective of one role: what it reads, for which actor, with what weight."""

    kind: ObjectiveKind
    weight: float
    text: str
    actor: int
    corridor: int = -1
    counterpart: int = -1
    partners: tuple[int, ...] = ()


def _text(o: Objective, static: Static, corridor: int, counterpart: int) -> str:
    if o.text:
        return o.text
    if o.kind == ObjectiveKind.AVOID_WAR:
        return "Avoid war"
    if o.kind == ObjectiveKind.KEEP_CORRIDOR_OPEN:
        name = static.corridor_names[corridor]
        # "Keep the Zangezur corridor open", but "Keep The Salt Road open" not "the The"
        return f"Keep {name} open" if name.lower().startswith("the ") else f"Keep the {name} open"
    if o.kind == ObjectiveKind.CALM_WITH:
        return f"Keep tension with {static.names[counterpart]} low"
    if o.kind == ObjectiveKind.APPROVAL:
        return "Keep approval at home"
    if o.kind == ObjectiveKind.ECONOMY:
        return "Spare the economy"
    if o.kind == ObjectiveKind.FORCES:
        return "Keep your forces intact"
    if o.kind == ObjectiveKind.WEAKEN:
        return f"Destroy {static.names[counterpart]}'s forces"
    return "Keep standing with your partners"


def compile_objectives(scenario: Scenario, static: Static, role: str) -> tuple[Gauge, ...]:
    """The gauges of ``role`` (an actor id with a role in the scenario).

    Raises:
        KeyError: if the scenario has no role for that actor, naming the roles it has.
    """
    roles = {r.actor: r for r in scenario.roles}
    if role not in roles:
        known = ", ".join(roles) or "none"
        raise KeyError(f"{scenario.metadata.id} has no role {role!r}; roles: {known}")
    i = static.index(role)
    out = []
    for o in roles[role].objectives or DEFAULT_OBJECTIVES:
        corridor = static.corridor_ids.index(o.corridor) if o.corridor else -1
        counterpart = static.index(o.counterpart) if o.counterpart else -1
        linked = (static.credibility[i] > 0) | (static.credibility[:, i] > 0)
        partners = tuple(int(k) for k in np.flatnonzero(linked) if k != i)
        out.append(
            Gauge(
                o.kind,
                o.weight,
                _text(o, static, corridor, counterpart),
                i,
                corridor,
                counterpart,
                partners,
            )
        )
    return tuple(out)


def _tension(state: State, i: int, j: int) -> F64:
    return np.maximum(state.tension[:, i, j], state.tension[:, j, i])


def gauge_values(static: Static, state: State, gauges: tuple[Gauge, ...]) -> F64:
    """(R, K): each gauge's value, 0-100, in every replicate."""
    out = np.empty((state.r, len(gauges)))
    for k, g in enumerate(gauges):
        i = g.actor
        if g.kind == ObjectiveKind.AVOID_WAR:
            v = np.where(state.at_war[:, i, :].any(axis=1), 0.0, 100.0)
        elif g.kind == ObjectiveKind.KEEP_CORRIDOR_OPEN:
            c = g.corridor
            status = state.corridor_status[:, c]
            seized = state.corridor_controller[:, c] != static.corridor_controller0[c]
            v = np.where(status == Corridor.OPEN.value, 100.0, 0.0)
            v = np.where(status == Corridor.LEVIED.value, LEVIED_GAUGE, v)
            v = np.where(seized, 0.0, v)
        elif g.kind == ObjectiveKind.CALM_WITH:
            v = 100.0 * (1.0 - _tension(state, i, g.counterpart))
        elif g.kind == ObjectiveKind.APPROVAL:
            v = 100.0 * (1.0 - np.clip(state.pressure[:, i], 0.0, 1.0))
        elif g.kind == ObjectiveKind.ECONOMY:
            share = state.econ_cost[:, i] / (ECONOMY_LOSS_AT * static.gdp[i])
            v = 100.0 * (1.0 - np.clip(share, 0.0, 1.0))
        elif g.kind == ObjectiveKind.FORCES:
            start = static.armour0[i]
            kept = state.armour[:, i] / start if start > 0 else np.ones(state.r)
            v = 100.0 * np.clip(kept, 0.0, 1.0)
        elif g.kind == ObjectiveKind.WEAKEN:
            j = g.counterpart
            start = static.armour0[j]
            lost = 1.0 - state.armour[:, j] / start if start > 0 else np.zeros(state.r)
            v = 100.0 * np.clip(lost, 0.0, 1.0)
        else:  # partners
            if not g.partners:
                v = np.full(state.r, 100.0)
            else:
                each = [
                    np.where(
                        state.diplo[:, i, p] >= Ties.SEVERED.value, 0.0, 1.0 - _tension(state, i, p)
                    )
                    for p in g.partners
                ]
                v = 100.0 * np.mean(each, axis=0)
        out[:, k] = v
    return out


def score(static: Static, state: State, gauges: tuple[Gauge, ...]) -> F64:
    """(R,): the role's score this turn, the weighted mean of its gauges (0-100)."""
    weights = np.array([g.weight for g in gauges])
    return gauge_values(static, state, gauges) @ weights / weights.sum()
