"""Cyber and gray-zone operations: success against defence, damage, and attribution.

A cyber attack succeeds with chance ``c_i / (c_i + c_j + f)`` (attacker's against the target's
cyber capability, with a floor ``f`` of defence) and then costs the target ``damage_gdp`` of its
GDP. A successful attack is attributed to its author with chance ``attribution``; attribution
raises the victim's grievance and that of its partners, and on the next turn gives the victim a
reason to answer in the diplomatic register (expel the attacker's diplomats or sever ties) and
its partners a reason to condemn the attacker (a protest): the ``attribution_response`` weight
of sim.decisions. The founding case is the July 2022
attack on Albania's e-government services that the US attributed to Iran, after which Albania
severed ties (AP; CCSIS). Covert operations, arrests of a foreign network (Iran's reported
arrest of 14 members of an Israel-linked network on the eve of the Israeli president's visit to
Baku) and arming a proxy are the other gray-zone tools.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.actionspec import ActionSpec, B, Phase, able, others, state_target, tiled, unallied
from sim.ladder import Category, MidAction, Rung
from sim.rng import Purpose, uniform_at
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec
from sim.scenario.models import ActionId, CyberParams
from sim.weights import W
from sim.world import I64, State, Static

F64 = NDArray[np.float64]
A, P, M, C = ActionId, Phase, MidAction, Category

#: Legality thresholds (part of the actions' definitions, shown in docs/actions.md).
COVERT_MIN_GRIEVANCE = 0.2
ARREST_MIN_GRIEVANCE = 0.1


def attack_success(t: Turn, rr: I64, ii: I64, jj: I64) -> F64:
    """Chance a cyber attack by ii on jj succeeds: c_i / (c_i + c_j + floor)."""
    s = t.static
    return s.cyber[ii] / (s.cyber[ii] + s.cyber[jj] + t.w(W.CYBER_DEFENCE_FLOOR)[rr])


def _attribute(t: Turn, rr: I64, ii: I64, jj: I64, chance: F64, amount: F64) -> None:
    """With ``chance``, the victim learns who did it: it and its partners grieve."""
    s = t.static
    u = uniform_at(t.state.seeds[rr], t.turn, Purpose.ATTRIBUTION, ii * s.n + jj)
    known = u < chance
    t.attributed[rr[known], ii[known], jj[known]] = True
    t.grieve(rr[known], jj[known], ii[known], amount[known])
    share = t.w(W.PARTNER_GRIEVANCE_SHARE)[rr]
    for k in range(s.n):  # partners of the victim
        tie = (s.credibility[k, jj] > 0) | (s.credibility[jj, k] > 0)
        mask = known & tie & (ii != k)
        t.grieve(rr[mask], np.full(mask.sum(), k), ii[mask], amount[mask] * share[mask])


def effect_cyber_attack(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Attack the target's networks."""
    s, w = t.static, t.state
    p = SPEC.or_default(s)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.CYBER, ii * s.n + jj)
    hit = u < attack_success(t, rr, ii, jj)
    damage = np.where(hit, p.damage_gdp * s.gdp[jj], 0.0)
    np.add.at(w.econ_cost, (rr, jj), damage)
    t.success[rr, ii] = hit
    t.amount[rr, ii] = damage
    chance = np.full(int(hit.sum()), p.attribution)
    _attribute(t, rr[hit], ii[hit], jj[hit], chance, t.w(W.CYBER_GRIEVANCE)[rr[hit]])


def effect_covert_operation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A covert operation: part of the damage of a cyber attack, often discovered."""
    s, w = t.static, t.state
    p = SPEC.or_default(s)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.COVERT, ii * s.n + jj)
    hit = u < t.w(W.COVERT_SUCCESS)[rr]
    damage = np.where(hit, t.w(W.COVERT_DAMAGE)[rr] * p.damage_gdp * s.gdp[jj], 0.0)
    np.add.at(w.econ_cost, (rr, jj), damage)
    t.success[rr, ii] = hit
    t.amount[rr, ii] = damage
    _attribute(t, rr, ii, jj, t.w(W.COVERT_ATTRIBUTION)[rr], t.w(W.COVERT_GRIEVANCE)[rr])


def effect_arrest_network(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Arrest a network linked to the target, or detain its nationals: public and coded."""
    t.grieve(rr, jj, ii, t.w(W.ARREST_GRIEVANCE)[rr])
    t.push_pressure(rr, ii, -t.w(W.ARREST_VENT)[rr])
    t.success[rr, ii] = True


def effect_support_proxy(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Arm the non-state actors the actor patrons."""
    s, w = t.static, t.state
    gift = t.w(W.PROXY_ARMOUR)[rr]
    for k in np.flatnonzero(~s.is_state):
        mask = (s.credibility[ii, k] > 0) & (jj != k)
        np.add.at(w.armour, (rr[mask], k), gift[mask])
    t.grieve(rr, jj, ii, t.w(W.PROXY_GRIEVANCE)[rr])
    t.success[rr, ii] = True


# ----------------------------------------------------------------------------------------------
# Preconditions


def _cyber(s: Static, w: State) -> B:
    cyber = tiled(s, w, "cyber capability", lambda: np.repeat((s.cyber > 0)[:, None], s.n, 1))
    return others(s, w) & cyber & state_target(s, w) & unallied(s, w)


def _covert(s: Static, w: State) -> B:
    return others(s, w) & able(w) & (w.grievance > COVERT_MIN_GRIEVANCE) & unallied(s, w)


def _arrest(s: Static, w: State) -> B:
    return others(s, w) & (w.grievance > ARREST_MIN_GRIEVANCE) & unallied(s, w) & state_target(s, w)


def _proxy(s: Static, w: State) -> B:
    def patrons_proxy() -> B:  # the actor patrons some non-state actor other than the target
        out = np.zeros((s.n, s.n), dtype=bool)
        for k in np.flatnonzero(~s.is_state):
            patron = s.credibility[:, k] > 0
            out |= patron[:, None] & (np.arange(s.n) != k)[None, :]
        return out

    return others(s, w) & tiled(s, w, "patrons a proxy", patrons_proxy) & unallied(s, w)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.CYBER_ATTACK,
        verb="launched a cyber attack on",
        phase=P.GRAY_ZONE,
        rung=Rung.GRAY_ZONE,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="cyber capability above 0, a state target that is not a partner",
        legal=_cyber,
        effect=effect_cyber_attack,
    ),
    ActionSpec(
        A.COVERT_OPERATION,
        verb="ran a covert operation against",
        phase=P.GRAY_ZONE,
        rung=Rung.GRAY_ZONE,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="a grievance against the target",
        legal=_covert,
        effect=effect_covert_operation,
    ),
    ActionSpec(
        A.ARREST_NETWORK,
        verb="arrested people linked to",
        phase=P.GRAY_ZONE,
        rung=Rung.GRAY_ZONE,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="a grievance against the target state",
        legal=_arrest,
        effect=effect_arrest_network,
    ),
    ActionSpec(
        A.SUPPORT_PROXY,
        verb="armed a proxy against",
        phase=P.GRAY_ZONE,
        rung=Rung.GRAY_ZONE,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="the actor patrons a non-state actor",
        legal=_proxy,
        effect=effect_support_proxy,
    ),
)

SPEC = RuleSpec(
    name="cyber",
    version=2,
    params=CyberParams,
    summary="Cyber and covert operations, arrests and proxies: success against defence, "
    "damage, attribution.",
    needs="cyber capability",
    source="Albania-Iran 2022 (AP; CCSIS); CCSIS (2023) on Iranian arrests",
    actions=ACTIONS,
    writes=frozenset({"econ_cost", "grievance", "armour", "attributed"}),
)
