"""Domestic politics: rally effects, audience costs, protests, and the slow return of calm.

After an attack (a use of force against it), a public rallies behind its leaders (Mueller 1970):
domestic pressure to respond rises by ``rally``. Leaders who threaten publicly and then back
down pay an audience cost (Fearon 1994): their pressure rises by ``audience_cost``. Economic
costs feed protests. Actions that vent or cost pressure (protests, arrests, concessions) ask for
it through the turn (``Turn.push_pressure``); this rule applies all of it, so when it is off
domestic pressure stays at each actor's baseline. Pressure relaxes towards that baseline each
turn.
"""

from __future__ import annotations

import numpy as np

from sim import axes
from sim.ladder import Rung
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import DomesticParams
from sim.weights import W
from sim.world import Static


def update(t: Turn) -> None:
    """Rally, audience costs, protests, pushes from this turn's actions, and relaxation."""
    s, w = t.static, t.state
    p = SPEC.of(s)
    if p is None:
        return
    attacked = axes.anyof(t.act_rung >= Rung.USE_OF_FORCE.value, axis=1)  # (R, N): force against j
    w.pressure += p.rally * attacked
    w.pressure += p.audience_cost * t.backed_down
    cost_share = (w.econ_cost - t.econ_before) / s.gdp[None, :]
    cap = t.w(W.COST_PROTEST_CAP)[:, None]
    w.pressure += np.clip(cost_share * t.w(W.COST_PROTEST)[:, None], 0.0, cap)
    w.pressure += t.pressure_push
    w.pressure += t.w(W.PRESSURE_RELAX)[:, None] * (s.pressure0[None, :] - w.pressure)
    np.clip(w.pressure, 0.0, 1.0, out=w.pressure)


def audience_cost(static: Static) -> float:
    """Pressure added by backing down after a public threat (0 when the rule is off)."""
    p = SPEC.of(static)
    return float(p.audience_cost) if p is not None else 0.0


SPEC = RuleSpec(
    name="domestic",
    version=2,
    params=DomesticParams,
    summary="Rally effects after attacks, audience costs of backing down, protests at "
    "economic costs; the only writer of domestic pressure.",
    needs="actors' politics",
    source="Fearon (1994) audience costs; Mueller (1970) rally",
    steps=(Step(Stage.AFTER_ACTIONS, 70, update),),
    writes=frozenset({"pressure"}),
)
