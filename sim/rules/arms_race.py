"""Arms race: Richardson's equations between rivals.

Richardson (1960), *Arms and Insecurity*: dx/dt = k y - a x + g and dy/dt = l x - b y + h, with
reaction coefficients k and l, fatigue a and b, and grievances g and h. The system is stable iff
``a b > k l``, with equilibrium x* = (k h + b g) / (a b - k l), y* = (l g + a h) / (a b - k l);
otherwise it runs away or collapses. Here x is an actor's armour in theatre, y the armour of the
rivals it holds a grievance above ``rivalry_threshold`` against (weighted by that grievance), and
g = (its largest grievance) x (the rule's ``grievance`` parameter) x (its starting armour); time
is in years, stepped once per turn.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim import axes
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ArmsRaceParams
from sim.weights import W

F64 = NDArray[np.float64]


def richardson_step(x: F64, y: F64, k: float, a: float, g: F64 | float, dt: float) -> F64:
    """One explicit Euler step of dx/dt = k y - a x + g; armour cannot fall below zero."""
    return np.maximum(x + dt * (k * y - a * x + g), 0.0)


def richardson_equilibrium(
    k: float, l_: float, a: float, b: float, g: float, h: float
) -> tuple[float, float] | None:
    """The equilibrium (x*, y*) of the two-actor system, or None if unstable (a b <= k l)."""
    det = a * b - k * l_
    if det <= 0:
        return None
    return (k * h + b * g) / det, (l_ * g + a * h) / det


def update(t: Turn) -> None:
    """Step every actor's armour along Richardson's equation for one turn."""
    s, w = t.static, t.state
    p = SPEC.of(s)
    if p is None:
        return
    rivalry = w.grievance * (w.grievance > t.params.col(W.RIVALRY_THRESHOLD))  # (R, N, N)
    y = axes.total(rivalry * w.armour[:, None, :], axis=2)
    g = axes.largest(w.grievance, axis=2) * p.grievance * s.armour0[None, :]
    x = w.armour
    active = (axes.total(rivalry, axis=2) > 0) & ~w.collapsed & ~axes.anyof(w.at_war, axis=2)
    new = richardson_step(x, y, p.reaction, p.fatigue, g, t.days / 365.0)
    # the race only builds up forces: fatigue never demobilises below the starting armour
    new = np.maximum(new, np.minimum(x, s.armour0[None, :]))
    w.armour = np.where(active, new, x)


SPEC = RuleSpec(
    name="arms_race",
    version=2,
    params=ArmsRaceParams,
    summary="Richardson's equations dx/dt = k*y - a*x + g between rivals.",
    needs="pairs with grievance",
    source="Richardson (1960), Arms and Insecurity",
    steps=(Step(Stage.AFTER_ACTIONS, 60, update),),
    writes=frozenset({"armour"}),
)
