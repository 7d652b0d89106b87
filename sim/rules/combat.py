"""Combat: Lanchester attrition with drone parity, breakpoints and collapse.

Lanchester's square law (Lanchester 1916): with forces A and B and effectiveness alpha and
beta, dA/dt = -beta B and dB/dt = -alpha A, so alpha A^2 - beta B^2 is conserved. Borderline
integrates it for every pair at war with the accurate integrator of sim.rules.lanchester
(classical Runge-Kutta, :data:`STEPS_PER_DAY` steps a day; :func:`lanchester` is the public
two-sided form, checked against Engel's 1954 fit of Iwo Jima in tests/rules/test_lanchester.py).
Each actor splits its armour over its fronts in proportion to the enemies' strength; a side's
effectiveness is ``lethality x quality x parity`` (the drone parity multiplier of
sim.rules.drone_parity), divided by a bonus for a defender that fortified the border. Rules with
a ``war_day`` hook (drone strikes) act after each day's ground fighting.

A side whose armour falls below ``breakpoint`` of its start seeks a ceasefire (sim.decisions);
below ``collapse`` its front collapses and every war it is in ends with its enemies prevailing.
Battle deaths are estimated from equipment lost (``deaths_per_item``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim import axes, pairs
from sim.actionspec import (
    ActionSpec,
    B,
    Phase,
    able,
    bordering,
    has_armour,
    others,
    peace,
    state_target,
    tiled,
    unallied,
    within,
)
from sim.ladder import Category, MidAction, MidOutcome, Rung
from sim.rules import drone_parity
from sim.rules.context import Turn
from sim.rules.lanchester import attrition_day, lanchester
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ActionId, CombatParams
from sim.weights import W
from sim.world import State, Static, WarEnd

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
A, P, M, C = ActionId, Phase, MidAction, Category

#: Runge-Kutta steps per day of war (sim.rules.lanchester; error below 1e-6 of the forces).
STEPS_PER_DAY = 4
#: Distance within which a war can be launched against an actor without a common border.
OFFENSIVE_KM = 300.0


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
    t.grieve(rr, jj, ii, t.w(W.OFFENSIVE_GRIEVANCE)[rr])


def effect_join_war(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Join a partner's war (MID 21)."""
    _begin_war(t, rr, ii, jj, initiator=False)
    t.grieve(rr, jj, ii, t.w(W.JOIN_GRIEVANCE)[rr])


def effect_propose_ceasefire(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Offer a ceasefire; when the other side offers one too in the same turn, it takes effect
    on a day of that turn (drawn per pair: negotiation and implementation take time)."""
    t.state.ceasefire_offer[rr, ii, jj] = True


def deaths_per_item(static: Static) -> float:
    """Battle deaths per item of equipment lost (the combat rule's; its default when off)."""
    return float(SPEC.or_default(static).deaths_per_item)


def effect_missile_strike(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Fire a salvo: missiles that get through the defence destroy equipment."""
    w = t.state
    fired = np.minimum(w.missiles[rr, ii], t.w(W.MISSILE_SALVO)[rr])
    np.subtract.at(w.missiles, (rr, ii), fired)
    ad = w.air_defence[rr, jj]
    through = fired * (1.0 - ad / (ad + t.w(W.MISSILE_DEFENCE_HALF)[rr]))
    kills = np.minimum(through * t.w(W.MISSILE_DAMAGE)[rr], w.armour[rr, jj])
    np.subtract.at(w.armour, (rr, jj), kills)
    np.add.at(w.armour_lost, (rr, jj), kills)
    np.add.at(w.lost_to_missiles, (rr, jj), kills)
    deaths = kills * deaths_per_item(t.static) * t.w(W.MISSILE_DEATHS_SHARE)[rr]
    np.add.at(w.deaths, (rr, jj), deaths)
    t.success[rr, ii] = kills > 0
    t.amount[rr, ii] = kills
    t.skirmish(rr, ii, jj)
    t.grieve(rr, jj, ii, t.w(W.MISSILE_GRIEVANCE)[rr])


def effect_border_clash(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A one-day clash of a small share of each side's forces (square law, one day)."""
    s, w = t.static, t.state
    p = SPEC.or_default(s)
    engaged = t.w(W.CLASH_SHARE)[rr]
    a = w.armour[rr, ii] * engaged
    b = w.armour[rr, jj] * engaged
    qa = s.quality[ii] * p.lethality
    fort = np.where(w.fortified[rr, jj, ii], t.w(W.FORTIFY_BONUS)[rr], 1.0)
    qb = s.quality[jj] * p.lethality
    x = np.stack([a, b], axis=1)
    kill = np.zeros((rr.size, 2, 2))
    kill[:, 0, 1] = qa / fort
    kill[:, 1, 0] = qb
    after = attrition_day(x, kill, steps=STEPS_PER_DAY)
    a2, b2 = after[:, 0], after[:, 1]
    for who, lost in ((ii, a - a2), (jj, b - b2)):
        np.subtract.at(w.armour, (rr, who), lost)
        np.add.at(w.armour_lost, (rr, who), lost)
        np.add.at(w.deaths, (rr, who), lost * p.deaths_per_item)
    t.success[rr, ii] = (b - b2) > (a - a2)
    t.amount[rr, ii] = b - b2
    t.skirmish(rr, ii, jj)
    t.grieve(rr, jj, ii, t.w(W.CLASH_GRIEVANCE)[rr])
    t.grieve(rr, ii, jj, t.w(W.CLASH_GRIEVANCE_BACK)[rr])


def _end_wars(t: Turn, ended: B, code: MidOutcome, how: WarEnd) -> None:
    """End wars (R, N, N mask) and code the dispute outcome of replicates whose last war ended."""
    w = t.state
    if not ended.any():
        return
    w.at_war &= ~ended
    w.ceasefire_offer &= ~ended
    if t.verbose:
        upper = np.triu(np.ones(ended.shape[1:], dtype=bool), k=1)
        rr, ii, jj = np.nonzero(ended & upper[None])
        t.note(rr, f"war_end_{int(code)}", ii, jj, np.zeros(rr.size))
    rows = np.flatnonzero(ended.any(axis=(1, 2)))
    over = rows[~w.at_war[rows].any(axis=(1, 2))]
    w.war_end_turn[over] = t.turn
    w.war_ended_by[over] = how


def _score_war_end(t: Turn, ended: B, mediated: bool) -> None:
    """Decide who prevailed in wars that end now and set the run's MID outcome.

    In each replicate the war judged is the first ending pair (in actor order) with its
    initiator first, else the first ending pair above the diagonal."""
    s, w = t.static, t.state
    rows = np.flatnonzero(ended.any(axis=(1, 2)))
    if rows.size == 0:
        return
    share = w.armour[rows] / np.where(s.armour0 > 0, s.armour0, 1.0)[None, :]
    share = np.where(s.armour0[None, :] > 0, share, 1.0)
    margin = t.w(W.YIELD_MARGIN)[rows]
    n = s.n
    by_initiator = (ended[rows] & w.war_initiator[rows]).reshape(rows.size, -1)
    upper = (ended[rows] & np.triu(np.ones((n, n), dtype=bool))).reshape(rows.size, -1)
    first = np.where(by_initiator.any(axis=1), by_initiator.argmax(axis=1), upper.argmax(axis=1))
    i, j = first // n, first % n
    ci, cj = w.collapsed[rows, i], w.collapsed[rows, j]
    k = np.arange(rows.size)
    si, sj = share[k, i], share[k, j]
    cases = [cj & ~ci, ci & ~cj, si - sj > margin, sj - si > margin]
    # neither side clearly won: a compromise if mediated, else a stalemate
    undecided = MidOutcome.COMPROMISE if mediated else MidOutcome.STALEMATE
    outcomes = [MidOutcome.VICTORY_A, MidOutcome.VICTORY_B, MidOutcome.YIELD_B, MidOutcome.YIELD_A]
    w.mid_outcome[rows] = np.select(cases, [int(o) for o in outcomes], default=int(undecided))
    w.winner[rows] = np.select(cases, [i, j, i, j], default=-1)


def end_by_agreement(t: Turn, ended: B, mediated: bool) -> None:
    """End wars by ceasefire or mediated agreement."""
    _score_war_end(t, ended, mediated)
    how = WarEnd.MEDIATED if mediated else WarEnd.CEASEFIRE
    _end_wars(t, ended, MidOutcome.COMPROMISE if mediated else MidOutcome.STALEMATE, how)


def _truces_of_day(t: Turn, day: int) -> None:
    """End the wars whose agreement of this turn takes effect on ``day``."""
    due = (t.truce_day == day) & t.state.at_war
    if due.any():
        for mediated in (False, True):
            ended = due & (t.truce_mediated == mediated)
            if ended.any():
                end_by_agreement(t, ended, mediated=mediated)


def daily(t: Turn) -> None:
    """Integrate every war of the turn day by day; then apply ceasefires and collapses."""
    s, w = t.static, t.state
    p = SPEC.of(s)
    if p is None:
        return
    # ceasefires agreed this turn (both sides offered) take effect on a day of the turn, as do
    # the mediated agreements of the mediation rule, which runs before this step
    agreed = w.ceasefire_offer & np.swapaxes(w.ceasefire_offer, 1, 2) & w.at_war
    t.agree(agreed, mediated=False)
    sub = np.flatnonzero(w.at_war.any(axis=(1, 2)))
    if sub.size == 0:
        return
    bonus = t.w(W.FORTIFY_BONUS)
    for day in range(t.days):
        _truces_of_day(t, day)
        sub = sub[w.at_war[sub].any(axis=(1, 2))]
        if sub.size == 0:
            break
        # every replicate at war (a war scenario's futures): slices read and write in place,
        # with the same values as the gather and scatter of a subset
        here: NDArray[np.int64] | slice = slice(None) if sub.size == w.r else sub
        at_war = w.at_war[here]
        armour = w.armour[here].copy()
        power = armour * s.quality[None, :]
        parity = drone_parity.parity(s, w.drones[here], w.air_defence[here])
        # front allocation: split armour over enemies by their power
        weights = at_war * power[:, None, :]
        tot = weights.sum(axis=2, keepdims=True)
        alloc = np.where(tot > 0, weights / np.where(tot > 0, tot, 1.0), 0.0)
        fort = np.where(np.swapaxes(w.fortified[here], 1, 2), bonus[here, None, None], 1.0)
        # kill[i, j]: effectiveness of i's fire against j; dx_j/dt = -sum_i kill[i, j] x_i
        kill = p.lethality * s.quality[None, :, None] * alloc * parity / fort
        after = attrition_day(armour, kill, steps=STEPS_PER_DAY)
        loss = armour - after
        w.armour[here] = after
        w.armour_lost[here] += loss
        w.deaths[here] += loss * p.deaths_per_item
        t.fought[here] += at_war
        for hook in t.war_day:
            hook(t, sub)
        w.war_days[here] += 1
        # collapse
        share = w.armour[here] / np.where(s.armour0 > 0, s.armour0, 1.0)[None, :]
        newly = (share < p.collapse) & (s.armour0[None, :] > 0) & ~w.collapsed[here]
        newly &= axes.anyof(at_war, axis=2)
        if newly.any():
            w.collapsed[sub] |= newly
            rows, who = np.nonzero(newly)
            t.note(sub[rows], "collapse", who, who, np.zeros(rows.size))
            ended = np.zeros_like(w.at_war)
            ended[sub] = w.at_war[sub] & (newly[:, :, None] | newly[:, None, :])
            _score_war_end(t, ended, mediated=False)
            _end_wars(t, ended, MidOutcome.VICTORY_A, WarEnd.COLLAPSE)
    # war economics
    at_war_any = axes.anyof(w.at_war, axis=2)
    w.econ_cost += at_war_any * p.war_cost_gdp_per_day * s.gdp[None, :] * t.days


# ----------------------------------------------------------------------------------------------
# Preconditions


def _ceasefire(s: Static, w: State) -> B:
    return w.at_war & ~w.ceasefire_offer


def _missile_strike(s: Static, w: State) -> B:
    reach = tiled(s, w, "missile range", lambda: s.distance <= s.missile_range[:, None])
    armed = pairs.by_actor(w.missiles >= 1)
    return others(s, w) & able(w) & armed & reach & unallied(s, w)


def _clash(s: Static, w: State) -> B:
    return bordering(s, w) & able(w) & peace(w) & has_armour(w) & unallied(s, w)


def _offensive(s: Static, w: State) -> B:
    reach = within(s, w, OFFENSIVE_KM)
    target_alive = pairs.by_target(~w.collapsed)
    return (
        others(s, w)
        & peace(w)
        & reach
        & has_armour(w)
        & able(w)
        & target_alive
        & state_target(s, w)
        & unallied(s, w)
    )


def _join_war(s: Static, w: State) -> B:
    out = pairs.pledged_wars(w.at_war, s.credibility > 0)  # a patron of k joins k's wars
    power = pairs.by_actor((w.armour >= 1) | (w.missiles >= 1))
    return out & others(s, w) & peace(w) & able(w) & power & unallied(s, w)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.PROPOSE_CEASEFIRE,
        verb="proposed a ceasefire to",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="at war with the target",
        legal=_ceasefire,
        effect=effect_propose_ceasefire,
    ),
    ActionSpec(
        A.MISSILE_STRIKE,
        verb="fired missiles at",
        phase=P.FORCE,
        rung=Rung.USE_OF_FORCE,
        mid=M.ATTACK,
        category=C.VIOLENT,
        hostile=True,
        requires="missiles in stock whose range covers the distance",
        legal=_missile_strike,
        effect=effect_missile_strike,
    ),
    ActionSpec(
        A.BORDER_CLASH,
        verb="clashed at the border with",
        phase=P.FORCE,
        rung=Rung.USE_OF_FORCE,
        mid=M.CLASH,
        category=C.VIOLENT,
        hostile=True,
        requires="a common border, ground forces, peace; not a partner",
        legal=_clash,
        effect=effect_border_clash,
    ),
    ActionSpec(
        A.LAUNCH_OFFENSIVE,
        verb="launched a war against",
        phase=P.WAR,
        rung=Rung.WAR,
        mid=M.BEGIN_WAR,
        category=C.VIOLENT,
        hostile=True,
        requires="a border or a target within 300 km, ground forces, peace",
        legal=_offensive,
        effect=effect_launch_offensive,
    ),
    ActionSpec(
        A.JOIN_WAR,
        verb="joined the war against",
        phase=P.WAR,
        rung=Rung.WAR,
        mid=M.JOIN_WAR,
        category=C.VIOLENT,
        hostile=True,
        requires="the actor is a patron of a party at war with the target",
        legal=_join_war,
        effect=effect_join_war,
    ),
)

SPEC = RuleSpec(
    name="combat",
    version=2,
    params=CombatParams,
    summary="Lanchester square-law attrition integrated accurately day by day, breakpoints and "
    "collapse; missile strikes, clashes, wars and ceasefires.",
    needs="ground forces (armour, quality)",
    source="Lanchester (1916); Engel (1954)",
    actions=ACTIONS,
    steps=(Step(Stage.AFTER_ACTIONS, 20, daily),),
    writes=frozenset(
        {
            "at_war",
            "war_start",
            "war_initiator",
            "war_turn",
            "war_end_turn",
            "war_ended_by",
            "war_days",
            "ceasefire_offer",
            "winner",
            "mid_outcome",
            "collapsed",
            "armour",
            "armour_lost",
            "lost_to_missiles",
            "deaths",
            "missiles",
            "econ_cost",
            "grievance",
        }
    ),
)

__all__ = ["SPEC", "STEPS_PER_DAY", "daily", "end_by_agreement", "lanchester"]
