"""Core diplomacy and military signalling: always on.

Protests, visits, consulates, expulsions and ruptures of ties, concessions, sanctions, threats,
drills, alerts, mobilization, fortification and stand-downs. Their rung and MID coding are in
sim.actions; this module holds what they change. Closer ties between an actor and a partner
raise the grievance of the partner's rivals (Iran's reaction to the Israeli president's visit to
Baku, CCSIS 2023). Backing down after a public threat costs an audience cost (Fearon 1994).
"""

from __future__ import annotations

import numpy as np

from sim.rules import domestic
from sim.rules.context import Turn
from sim.world import I64


def _sym(arr: np.ndarray, rr: I64, ii: I64, jj: I64, value: object) -> None:
    arr[rr, ii, jj] = value
    arr[rr, jj, ii] = value


def _ease(t: Turn, rr: I64, ii: I64, jj: I64, amount: float) -> None:
    w = t.state
    new = np.maximum(w.tension[rr, ii, jj] - amount, 0.0)
    _sym(w.tension, rr, ii, jj, new)


def _rivals_resent(t: Turn, rr: I64, ii: I64, jj: I64, amount: float) -> None:
    """Actors aggrieved with ii (grievance > 0.3) resent its partner jj a little more."""
    w, s = t.state, t.static
    for k in range(s.n):
        mask = (w.grievance[rr, k, ii] > 0.3) & (jj != k) & (ii != k)
        if mask.any():
            t.grieve(rr[mask], np.full(mask.sum(), k), jj[mask], amount)


def _back_down(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Audience cost of de-escalating after a public threat."""
    w = t.state
    threatened = w.threatened[rr, ii, jj]
    np.add.at(w.pressure, (rr[threatened], ii[threatened]), domestic.audience_cost(t))
    np.clip(w.pressure, 0.0, 1.0, out=w.pressure)
    w.threatened[rr, ii, jj] = False


def effect_hold(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Nothing happens."""


def effect_protest(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Public criticism: vents domestic pressure a little, annoys the target."""
    np.subtract.at(t.state.pressure, (rr, ii), 0.02)
    np.clip(t.state.pressure, 0.0, 1.0, out=t.state.pressure)
    t.grieve(rr, jj, ii, 0.02)
    t.success[rr, ii] = True


def effect_state_visit(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A state visit: the pair warms; the actor's rivals resent the host."""
    _ease(t, rr, ii, jj, 0.05)
    t.state.grievance[rr, ii, jj] *= 0.9
    t.state.grievance[rr, jj, ii] *= 0.9
    _rivals_resent(t, rr, ii, jj, 0.05)
    _rivals_resent(t, rr, jj, ii, 0.05)
    t.success[rr, ii] = True


def effect_open_consulate(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A consulate (Iran in Kapan, 2022): closer ties, resented by the pair's rivals."""
    effect_state_visit(t, rr, ii, jj)


def effect_expel_diplomats(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Expel diplomats: ties are downgraded."""
    _sym(t.state.diplo, rr, ii, jj, 1)
    t.grieve(rr, jj, ii, 0.08)
    t.success[rr, ii] = True


def effect_sever_ties(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Sever diplomatic ties (Albania and Iran, 2022): a rupture."""
    _sym(t.state.diplo, rr, ii, jj, 2)
    np.add.at(t.state.ruptures, rr, 1)
    t.grieve(rr, jj, ii, 0.12)
    t.success[rr, ii] = True


def effect_restore_ties(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Restore full ties."""
    _sym(t.state.diplo, rr, ii, jj, 0)
    _ease(t, rr, ii, jj, 0.05)
    t.success[rr, ii] = True


def effect_offer_concession(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A concession halves the target's grievance against the actor, at a domestic cost."""
    w = t.state
    w.grievance[rr, jj, ii] *= 0.5
    _ease(t, rr, ii, jj, 0.08)
    _back_down(t, rr, ii, jj)
    np.add.at(w.pressure, (rr, ii), 0.05)
    np.clip(w.pressure, 0.0, 1.0, out=w.pressure)
    t.success[rr, ii] = True


def effect_impose_sanctions(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Sanctions: from now on the target loses half the pair's trade, the actor a fifth."""
    t.state.sanctions[rr, ii, jj] = True
    t.grieve(rr, jj, ii, 0.08)
    t.success[rr, ii] = True


def sanctions_cost(t: Turn) -> None:
    """Per-turn cost of sanctions in force."""
    s, w = t.static, t.state
    year = t.days / 365.0
    trade = s.trade[None] * w.sanctions  # (R, sanctioner, target)
    w.econ_cost += (0.5 * trade.sum(axis=1) + 0.2 * trade.sum(axis=2)) * year


def effect_threaten(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A public threat: it creates an audience cost for backing down later."""
    t.state.threatened[rr, ii, jj] = True
    t.grieve(rr, jj, ii, 0.04)
    t.success[rr, ii] = True


def effect_threaten_war(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A public threat of war."""
    effect_threaten(t, rr, ii, jj)
    t.grieve(rr, jj, ii, 0.03)


def effect_drills(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A show of force aimed at the target."""
    t.grieve(rr, jj, ii, 0.03)
    t.success[rr, ii] = True


def effect_alert(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Forces on alert against the target (a standing posture, MID 8)."""
    w = t.state
    w.posture[rr, ii, jj] = np.maximum(w.posture[rr, ii, jj], 8)
    t.grieve(rr, jj, ii, 0.03)
    t.success[rr, ii] = True


def effect_mobilize(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Mobilization against the target (MID 10): +10% armour in theatre while it lasts."""
    w = t.state
    first = ~(w.posture[rr, ii, :] >= 10).any(axis=1)
    w.posture[rr, ii, jj] = 10
    np.add.at(w.armour, (rr[first], ii[first]), 0.1 * t.static.armour0[ii[first]])
    t.grieve(rr, jj, ii, 0.05)
    t.success[rr, ii] = True


def mobilization_cost(t: Turn) -> None:
    """Mobilized forces cost 2% of GDP a year while mobilized against anyone."""
    s, w = t.static, t.state
    mobilized = (w.posture >= 10).any(axis=2)
    w.econ_cost += mobilized * 0.02 * s.gdp[None, :] * t.days / 365.0


def effect_fortify_border(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Fortify the border: the actor defends better against the target."""
    t.state.fortified[rr, ii, jj] = True
    t.grieve(rr, jj, ii, 0.02)
    t.success[rr, ii] = True


def effect_border_violation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Cross the border without fighting."""
    t.grieve(rr, jj, ii, 0.08)
    t.success[rr, ii] = True


def effect_stand_down(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Stand down forces facing the target; mobilized armour returns home."""
    w = t.state
    was_mobilized = w.posture[rr, ii, jj] >= 10
    w.posture[rr, ii, jj] = 0
    _ease(t, rr, ii, jj, 0.05)
    _back_down(t, rr, ii, jj)
    still = (w.posture[rr, ii, :] >= 10).any(axis=1)
    back = was_mobilized & ~still
    np.subtract.at(w.armour, (rr[back], ii[back]), 0.1 * t.static.armour0[ii[back]])
    np.maximum(w.armour, 0.0, out=w.armour)
    t.success[rr, ii] = True
