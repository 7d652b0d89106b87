"""Combat: daily Lanchester attrition with drone parity, breakpoints and collapse.

Lanchester's square law (Lanchester 1916): with forces A and B and effectiveness alpha and
beta, dA/dt = -beta B and dB/dt = -alpha A, so alpha A^2 - beta B^2 is conserved. Borderline
integrates it day by day within a turn for every pair at war. Each actor splits its armour over
its fronts in proportion to the enemies' strength; a side's effectiveness is
``lethality x quality x parity`` (the drone parity multiplier of sim.rules.drone_parity), with a
bonus for a defender that fortified the border. Drones also strike every day of war.

A side whose armour falls below ``breakpoint`` of its start seeks a ceasefire (see
sim.decisions); below ``collapse`` its front collapses and every war it is in ends with its
enemies prevailing. Battle deaths are estimated from equipment lost (``deaths_per_item``).
Engel (1954) fitted the square law to the battle of Iwo Jima; tests/rules/test_combat.py checks
this integrator against his published fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.rules import drone_parity
from sim.rules.context import Turn
from sim.world import Static

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

FORTIFY_BONUS = 1.2
MISSILE_SALVO = 16.0
MISSILE_DAMAGE = 0.6  # armour items per missile that gets through
CLASH_SHARE = 0.03  # share of each side's armour engaged in a border clash


def params(static: Static) -> Any:
    """The rule's parameters (defaults when the scenario leaves the rule off)."""
    from sim.scenario.models import CombatParams

    p = static.rule("combat")
    return p if p is not None else CombatParams()


def lanchester_day(a: F64, b: F64, alpha: F64, beta: F64, dt: float = 1.0) -> tuple[F64, F64]:
    """One explicit step of the square law: returns (A, B) after ``dt`` days, floored at 0.

    dA/dt = -beta B, dB/dt = -alpha A (both updated from the same day-start values).
    """
    return np.maximum(a - beta * b * dt, 0.0), np.maximum(b - alpha * a * dt, 0.0)


def _begin_war(t: Turn, rr: I64, ii: I64, jj: I64, initiator: bool) -> None:
    w = t.state
    w.at_war[rr, ii, jj] = True
    w.at_war[rr, jj, ii] = True
    new = w.war_start[rr, ii, jj] < 0
    w.war_start[rr[new], ii[new], jj[new]] = t.turn
    w.war_start[rr[new], jj[new], ii[new]] = t.turn
    if initiator:
        w.war_initiator[rr, ii, jj] = True
    first = w.war_turn[rr] < 0
    w.war_turn[rr[first]] = t.turn
    w.war_end_turn[rr] = -1
    w.ceasefire_offer[rr, ii, jj] = False
    w.ceasefire_offer[rr, jj, ii] = False


def effect_launch_offensive(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Begin an interstate war (MID 20)."""
    _begin_war(t, rr, ii, jj, initiator=True)
    t.grieve(rr, jj, ii, 0.4)


def effect_join_war(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Join a partner's war (MID 21)."""
    _begin_war(t, rr, ii, jj, initiator=False)
    t.grieve(rr, jj, ii, 0.3)


def effect_propose_ceasefire(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Offer a ceasefire; it takes effect when the other side offers one too."""
    t.state.ceasefire_offer[rr, ii, jj] = True


def effect_missile_strike(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Fire a salvo: missiles that get through the defence destroy equipment."""
    w = t.state
    fired = np.minimum(w.missiles[rr, ii], MISSILE_SALVO)
    np.subtract.at(w.missiles, (rr, ii), fired)
    ad = w.air_defence[rr, jj]
    through = fired * (1.0 - ad / (ad + 60.0))
    kills = np.minimum(through * MISSILE_DAMAGE, w.armour[rr, jj])
    np.subtract.at(w.armour, (rr, jj), kills)
    np.add.at(w.armour_lost, (rr, jj), kills)
    np.add.at(w.deaths, (rr, jj), kills * params(t.static).deaths_per_item * 0.5)
    t.success[rr, ii] = kills > 0
    t.amount[rr, ii] = kills
    t.grieve(rr, jj, ii, 0.25)


def effect_border_clash(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A one-day clash of a small share of each side's forces."""
    s, w = t.static, t.state
    p = params(s)
    a = w.armour[rr, ii] * CLASH_SHARE
    b = w.armour[rr, jj] * CLASH_SHARE
    qa = s.quality[ii] * p.lethality
    qb = s.quality[jj] * p.lethality * np.where(w.fortified[rr, jj, ii], FORTIFY_BONUS, 1.0)
    a2, b2 = lanchester_day(a, b, qa, qb)
    for who, lost in ((ii, a - a2), (jj, b - b2)):
        np.subtract.at(w.armour, (rr, who), lost)
        np.add.at(w.armour_lost, (rr, who), lost)
        np.add.at(w.deaths, (rr, who), lost * p.deaths_per_item)
    t.success[rr, ii] = (b - b2) > (a - a2)
    t.amount[rr, ii] = b - b2
    t.grieve(rr, jj, ii, 0.2)
    t.grieve(rr, ii, jj, 0.1)


def _end_wars(t: Turn, ended: B, code: int) -> None:
    """End wars (R, N, N mask) and code the dispute outcome of replicates whose last war ended."""
    w = t.state
    if not ended.any():
        return
    w.at_war &= ~ended
    w.ceasefire_offer &= ~ended
    upper = np.triu(np.ones(ended.shape[1:], dtype=bool), k=1)
    rr, ii, jj = np.nonzero(ended & upper[None])
    t.note(rr, f"war_end_{code}", ii, jj, np.zeros(rr.size))
    over = ended.any(axis=(1, 2)) & ~w.at_war.any(axis=(1, 2))
    w.war_end_turn[over] = t.turn


def _score_war_end(t: Turn, ended: B, mediated: bool) -> None:
    """Decide who prevailed in wars that end now and set the run's MID outcome."""
    s, w = t.static, t.state
    share = w.armour / np.where(s.armour0 > 0, s.armour0, 1.0)[None, :]
    share = np.where(s.armour0[None, :] > 0, share, 1.0)
    for r in np.flatnonzero(ended.any(axis=(1, 2))):
        pairs = np.argwhere(ended[r] & w.war_initiator[r])
        if pairs.size == 0:
            pairs = np.argwhere(np.triu(ended[r]))
        i, j = (int(x) for x in pairs[0])
        if mediated:
            w.mid_outcome[r] = 6
            w.winner[r] = -1
        elif w.collapsed[r, j] and not w.collapsed[r, i]:
            w.mid_outcome[r], w.winner[r] = 1, i
        elif w.collapsed[r, i] and not w.collapsed[r, j]:
            w.mid_outcome[r], w.winner[r] = 2, j
        elif share[r, i] - share[r, j] > 0.15:
            w.mid_outcome[r], w.winner[r] = 4, i  # B yields
        elif share[r, j] - share[r, i] > 0.15:
            w.mid_outcome[r], w.winner[r] = 3, j  # A yields
        else:
            w.mid_outcome[r], w.winner[r] = 5, -1


def end_by_agreement(t: Turn, ended: B, mediated: bool) -> None:
    """End wars by ceasefire or mediated agreement."""
    _score_war_end(t, ended, mediated)
    _end_wars(t, ended, 6 if mediated else 5)


def daily(t: Turn) -> None:
    """Integrate every war of the turn day by day; then apply ceasefires and collapses."""
    s, w = t.static, t.state
    p = params(s)
    # ceasefires agreed this turn (both sides offered)
    agreed = w.ceasefire_offer & np.swapaxes(w.ceasefire_offer, 1, 2) & w.at_war
    end_by_agreement(t, agreed, mediated=False)
    warring = np.flatnonzero(w.at_war.any(axis=(1, 2)))
    if warring.size == 0:
        return
    sub = warring
    dp = drone_parity.params(s)
    wgt = drone_parity.weight(s)
    for _ in range(t.days):
        sub = sub[w.at_war[sub].any(axis=(1, 2))]
        if sub.size == 0:
            break
        at_war = w.at_war[sub]
        armour = w.armour[sub]
        power = armour * s.quality[None, :]
        strike = drone_parity.strike_power(s, w.drones[sub])
        e = drone_parity.success_chance(strike, w.air_defence[sub])
        parity = 1.0 + wgt * (e - np.swapaxes(e, 1, 2))
        # front allocation: split armour over enemies by their power
        weights = at_war * power[:, None, :]
        tot = weights.sum(axis=2, keepdims=True)
        alloc = np.where(tot > 0, weights / np.where(tot > 0, tot, 1.0), 0.0)
        fort = np.where(np.swapaxes(w.fortified[sub], 1, 2), FORTIFY_BONUS, 1.0)
        # losses of j from i: lethality * quality_i * parity_ij * armour_i on that front
        fire = p.lethality * alloc * power[:, :, None] * parity / fort
        loss = fire.sum(axis=1)  # (r, N): what each j loses, summed over attackers
        loss = np.minimum(loss, armour)
        w.armour[sub] = armour - loss
        w.armour_lost[sub] += loss
        w.deaths[sub] += loss * p.deaths_per_item
        if dp is not None:
            rr, ii, jj = np.nonzero(at_war)
            if rr.size:
                killed = drone_parity.attrition(t, sub[rr], ii, jj, 1.0)
                np.add.at(w.deaths, (sub[rr], jj), killed * p.deaths_per_item)
        w.war_days[sub] += 1
        # collapse
        share = w.armour[sub] / np.where(s.armour0 > 0, s.armour0, 1.0)[None, :]
        newly = (share < p.collapse) & (s.armour0[None, :] > 0) & ~w.collapsed[sub]
        newly &= at_war.any(axis=2)
        if newly.any():
            w.collapsed[sub] |= newly
            rows, who = np.nonzero(newly)
            t.note(sub[rows], "collapse", who, who, np.zeros(rows.size))
            ended = np.zeros_like(w.at_war)
            ended[sub] = w.at_war[sub] & (newly[:, :, None] | newly[:, None, :])
            _score_war_end(t, ended, mediated=False)
            _end_wars(t, ended, 1)
    # war economics
    at_war_any = w.at_war.any(axis=2)
    w.econ_cost += at_war_any * p.war_cost_gdp_per_day * s.gdp[None, :] * t.days
