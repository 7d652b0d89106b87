"""Cyber and gray-zone operations: success against defence, damage, and attribution.

A cyber attack succeeds with chance ``c_i / (c_i + c_j + 0.1)`` (attacker's against the
target's cyber capability) and then costs the target ``damage_gdp`` of its GDP. A successful
attack is attributed to its author with chance ``attribution``; attribution raises the victim's
grievance and that of its patrons and clients. The founding case is the July 2022 attack on
Albania's e-government services that the US attributed to Iran, after which Albania severed
ties (AP; CCSIS). Covert operations and arrests of a foreign network (Iran's reported arrest of
14 members of an Israel-linked network on the eve of the Israeli president's visit to Baku) are
the other gray-zone tools.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.rng import Purpose, uniform_at
from sim.rules.context import Turn
from sim.world import I64, Static


def params(static: Static) -> Any:
    """The rule's parameters (defaults when off)."""
    from sim.scenario.models import CyberParams

    p = static.rule("cyber")
    return p if p is not None else CyberParams()


def _attribute(t: Turn, rr: I64, ii: I64, jj: I64, chance: float, amount: float) -> None:
    s = t.static
    u = uniform_at(t.state.seeds[rr], t.turn, Purpose.ATTRIBUTION, ii * s.n + jj)
    known = u < chance
    t.grieve(rr[known], jj[known], ii[known], amount)
    for k in range(s.n):  # partners of the victim
        tie = (s.credibility[k, jj] > 0) | (s.credibility[jj, k] > 0)
        mask = known & tie & (ii != k)
        t.grieve(rr[mask], np.full(mask.sum(), k), ii[mask], amount / 3.0)


def effect_cyber_attack(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Attack the target's networks."""
    s, w = t.static, t.state
    p = params(s)
    chance = s.cyber[ii] / (s.cyber[ii] + s.cyber[jj] + 0.1)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.CYBER, ii * s.n + jj)
    hit = u < chance
    damage = np.where(hit, p.damage_gdp * s.gdp[jj], 0.0)
    np.add.at(w.econ_cost, (rr, jj), damage)
    t.success[rr, ii] = hit
    t.amount[rr, ii] = damage
    _attribute(t, rr[hit], ii[hit], jj[hit], p.attribution, 0.2)


def effect_covert_operation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A covert operation: half the damage of a cyber attack, discovered half the time."""
    s, w = t.static, t.state
    p = params(s)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.COVERT, ii * s.n + jj)
    hit = u < 0.6
    damage = np.where(hit, 0.5 * p.damage_gdp * s.gdp[jj], 0.0)
    np.add.at(w.econ_cost, (rr, jj), damage)
    t.success[rr, ii] = hit
    t.amount[rr, ii] = damage
    _attribute(t, rr, ii, jj, 0.5, 0.15)


def effect_arrest_network(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Arrest a network linked to the target, or detain its nationals: public and coded."""
    w = t.state
    t.grieve(rr, jj, ii, 0.1)
    np.subtract.at(w.pressure, (rr, ii), 0.03)
    np.clip(w.pressure, 0.0, 1.0, out=w.pressure)
    t.success[rr, ii] = True


def effect_support_proxy(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Arm the non-state actors the actor patrons (armour +10 each)."""
    s, w = t.static, t.state
    for k in np.flatnonzero(~s.is_state):
        mask = (s.credibility[ii, k] > 0) & (jj != k)
        np.add.at(w.armour, (rr[mask], k), 10.0)
    t.grieve(rr, jj, ii, 0.1)
    t.success[rr, ii] = True
