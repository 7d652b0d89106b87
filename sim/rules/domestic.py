"""Domestic politics: rally effects, audience costs, and the slow return of calm.

After an attack (a use of force against it), a public rallies behind its leaders (Mueller 1970):
domestic pressure to respond rises by ``rally``. Leaders who threaten publicly and then back
down pay an audience cost (Fearon 1994): their pressure rises by ``audience_cost`` (applied by
the de-escalation actions in sim.rules.diplomacy). Economic costs above one per cent of GDP feed
protests. Pressure relaxes towards the actor's baseline each turn.
"""

from __future__ import annotations

import numpy as np

from sim.rules.context import Turn


def update(t: Turn, econ_before: np.ndarray) -> None:
    """Rally, protest and relaxation of domestic pressure for one turn."""
    s, w = t.static, t.state
    p = s.rule("domestic")
    if p is None:
        return
    attacked = (t.act_rung >= 7).any(axis=1)  # (R, N): someone used force against j
    w.pressure += p.rally * attacked
    cost_share = (w.econ_cost - econ_before) / s.gdp[None, :]
    w.pressure += np.clip(cost_share * 5.0, 0.0, 0.1)
    w.pressure += 0.1 * (s.pressure0[None, :] - w.pressure)
    np.clip(w.pressure, 0.0, 1.0, out=w.pressure)


def audience_cost(t: Turn) -> float:
    """Pressure added by backing down after a public threat (0 when the rule is off)."""
    p = t.static.rule("domestic")
    return float(p.audience_cost) if p is not None else 0.0
