"""Core diplomacy and military signalling: on unless a scenario switches it off.

Protests, visits, consulates, expulsions and ruptures of ties, concessions, sanctions, threats,
drills, alerts, mobilization, fortification and stand-downs: their coding (rung, MID action
code) and what they change. Closer ties between an actor and a partner raise the grievance of
the partner's rivals (Iran's reaction to the Israeli president's visit to Baku, CCSIS 2023).
Backing down after a public threat costs an audience cost (Fearon 1994), which the domestic rule
applies. Every coefficient is a named weight (sim.weights, group "diplomacy").
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
    border,
    bordering,
    has_armour,
    others,
    partners,
    peace,
    state_target,
    tiled,
    unallied,
    within,
)
from sim.ladder import Category, MidAction, Rung
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ActionId, DiplomacyParams
from sim.weights import W
from sim.world import I64, Posture, State, Static, Ties

A, P, M, C = ActionId, Phase, MidAction, Category

#: Legality thresholds (part of the actions' definitions, shown in docs/actions.md).
VISIT_MAX_GRIEVANCE = 0.4
CONSULATE_MAX_GRIEVANCE = 0.3
CONCESSION_MIN_GRIEVANCE = 0.1
THREATEN_WAR_KM = 500.0
DRILLS_KM = 1000.0


def _sym(arr: np.ndarray, rr: I64, ii: I64, jj: I64, value: object) -> None:
    arr[rr, ii, jj] = value
    arr[rr, jj, ii] = value


def ease(t: Turn, rr: I64, ii: I64, jj: I64, amount: np.ndarray) -> None:
    """Lower the pair's tension (both ways) by ``amount``, not below 0."""
    w = t.state
    new = np.maximum(w.tension[rr, ii, jj] - amount, 0.0)
    _sym(w.tension, rr, ii, jj, new)


def _rivals_of(t: Turn, rr: I64, ii: I64, jj: I64) -> list[tuple[int, NDArray[np.bool_]]]:
    """(k, rows) of the actors k aggrieved with ii (above the rivalry threshold), not jj."""
    w, s = t.state, t.static
    threshold = t.w(W.RIVALS_THRESHOLD)[rr]
    out = []
    for k in range(s.n):
        mask = (w.grievance[rr, k, ii] > threshold) & (jj != k) & (ii != k)
        if mask.any():
            out.append((k, mask))
    return out


def _rivals_resent(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Each side's rivals resent the other side a little more. Who is a rival is decided
    before anyone resents, so the result does not depend on which side visits which."""
    amount = t.w(W.RIVALS_RESENT)[rr]
    both = [(_rivals_of(t, rr, ii, jj), jj), (_rivals_of(t, rr, jj, ii), ii)]
    for rivals, other in both:
        for k, mask in rivals:
            t.grieve(rr[mask], np.full(mask.sum(), k), other[mask], amount[mask])


def back_down(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """De-escalating after a public threat: the threat is withdrawn, at an audience cost."""
    w = t.state
    threatened = w.threatened[rr, ii, jj]
    t.backed_down[rr[threatened], ii[threatened]] = True
    w.threatened[rr, ii, jj] = False


def effect_protest(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Public criticism: vents domestic pressure a little, annoys the target."""
    t.push_pressure(rr, ii, -t.w(W.PROTEST_VENT)[rr])
    t.grieve(rr, jj, ii, t.w(W.PROTEST_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_state_visit(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A state visit: the pair warms; the actor's rivals resent the host, and the host's the
    actor."""
    ease(t, rr, ii, jj, t.w(W.VISIT_EASE)[rr])
    kept = t.w(W.VISIT_FORGIVE)[rr]
    t.state.grievance[rr, ii, jj] *= kept
    t.state.grievance[rr, jj, ii] *= kept
    _rivals_resent(t, rr, ii, jj)
    t.success[rr, ii] = True


def effect_open_consulate(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A consulate (Iran in Kapan, 2022): closer ties, resented by the pair's rivals."""
    effect_state_visit(t, rr, ii, jj)


def effect_expel_diplomats(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Expel diplomats: ties are downgraded."""
    _sym(t.state.diplo, rr, ii, jj, Ties.DOWNGRADED)
    t.grieve(rr, jj, ii, t.w(W.EXPEL_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_sever_ties(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Sever diplomatic ties (Albania and Iran, 2022): a rupture."""
    _sym(t.state.diplo, rr, ii, jj, Ties.SEVERED)
    np.add.at(t.state.ruptures, rr, 1)
    t.grieve(rr, jj, ii, t.w(W.SEVER_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_restore_ties(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Restore full ties."""
    _sym(t.state.diplo, rr, ii, jj, Ties.FULL)
    ease(t, rr, ii, jj, t.w(W.RESTORE_EASE)[rr])
    t.success[rr, ii] = True


def effect_offer_concession(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A concession eases the target's grievance against the actor, at a domestic cost."""
    w = t.state
    w.grievance[rr, jj, ii] *= t.w(W.CONCESSION_FORGIVE)[rr]
    ease(t, rr, ii, jj, t.w(W.CONCESSION_EASE)[rr])
    back_down(t, rr, ii, jj)
    t.push_pressure(rr, ii, t.w(W.CONCESSION_PRESSURE)[rr])
    t.success[rr, ii] = True


def effect_impose_sanctions(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Sanctions: from now on both sides lose a share of the pair's trade (see sanctions_cost)."""
    t.state.sanctions[rr, ii, jj] = True
    t.grieve(rr, jj, ii, t.w(W.SANCTIONS_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def sanctions_cost(t: Turn) -> None:
    """Per-turn cost of sanctions in force, to the target and to the sanctioner."""
    s, w = t.static, t.state
    year = t.days / 365.0
    trade = s.trade[None] * w.sanctions  # (R, sanctioner, target)
    target_loss = t.w(W.SANCTIONS_TARGET_LOSS)[:, None]
    own_loss = t.w(W.SANCTIONS_OWN_LOSS)[:, None]
    w.econ_cost += (
        target_loss * axes.total(trade, axis=1) + own_loss * axes.total(trade, axis=2)
    ) * year


def effect_threaten(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A public threat: it creates an audience cost for backing down later."""
    t.state.threatened[rr, ii, jj] = True
    t.grieve(rr, jj, ii, t.w(W.THREATEN_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_threaten_war(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A public threat of war."""
    effect_threaten(t, rr, ii, jj)
    t.grieve(rr, jj, ii, t.w(W.THREATEN_WAR_GRIEVANCE)[rr])


def effect_drills(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A show of force aimed at the target."""
    t.grieve(rr, jj, ii, t.w(W.DRILLS_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_alert(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Forces on alert against the target (a standing posture, MID 8)."""
    w = t.state
    w.posture[rr, ii, jj] = np.maximum(w.posture[rr, ii, jj], Posture.ALERT.value)
    t.grieve(rr, jj, ii, t.w(W.ALERT_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_mobilize(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Mobilization against the target (MID 10): more armour in theatre while it lasts."""
    w = t.state
    first = ~(w.posture[rr, ii, :] >= Posture.MOBILIZED.value).any(axis=1)
    w.posture[rr, ii, jj] = Posture.MOBILIZED
    extra = t.w(W.MOBILIZE_ARMOUR)[rr] * t.static.armour0[ii]
    np.add.at(w.armour, (rr[first], ii[first]), extra[first])
    t.grieve(rr, jj, ii, t.w(W.MOBILIZE_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def mobilization_cost(t: Turn) -> None:
    """Staying mobilized against anyone costs a share of GDP a year."""
    s, w = t.static, t.state
    mobilized = axes.anyof(w.posture >= Posture.MOBILIZED.value, axis=2)
    rate = t.w(W.MOBILIZATION_COST_GDP)[:, None]
    w.econ_cost += mobilized * rate * s.gdp[None, :] * t.days / 365.0


def effect_fortify_border(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Fortify the border: the actor defends better against the target."""
    t.state.fortified[rr, ii, jj] = True
    t.grieve(rr, jj, ii, t.w(W.FORTIFY_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_border_violation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Cross the border without fighting."""
    t.grieve(rr, jj, ii, t.w(W.VIOLATION_GRIEVANCE)[rr])
    t.success[rr, ii] = True


def effect_stand_down(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Stand down forces facing the target; mobilized armour returns home."""
    w = t.state
    was_mobilized = w.posture[rr, ii, jj] >= Posture.MOBILIZED.value
    w.posture[rr, ii, jj] = Posture.NONE
    ease(t, rr, ii, jj, t.w(W.STAND_DOWN_EASE)[rr])
    back_down(t, rr, ii, jj)
    still = (w.posture[rr, ii, :] >= Posture.MOBILIZED.value).any(axis=1)
    back = was_mobilized & ~still
    extra = t.w(W.MOBILIZE_ARMOUR)[rr] * t.static.armour0[ii]
    np.subtract.at(w.armour, (rr[back], ii[back]), extra[back])
    np.maximum(w.armour, 0.0, out=w.armour)
    t.success[rr, ii] = True


# ----------------------------------------------------------------------------------------------
# Preconditions


def _protest(s: Static, w: State) -> B:
    return others(s, w) & able(w) & unallied(s, w)


def _state_visit(s: Static, w: State) -> B:
    return (
        others(s, w)
        & (w.diplo == Ties.FULL.value)
        & peace(w)
        & (w.grievance < VISIT_MAX_GRIEVANCE)
        & state_target(s, w)
    )


def _open_consulate(s: Static, w: State) -> B:
    near = tiled(s, w, "bordering or partners", lambda: border(s) | partners(s))
    ties = (
        (w.diplo == Ties.FULL.value)
        & peace(w)
        & (w.grievance < CONSULATE_MAX_GRIEVANCE)
        & state_target(s, w)
    )
    return others(s, w) & near & ties


def _expel(s: Static, w: State) -> B:
    return others(s, w) & able(w) & (w.diplo == Ties.FULL.value) & unallied(s, w)


def _sever(s: Static, w: State) -> B:
    return others(s, w) & able(w) & (w.diplo == Ties.DOWNGRADED.value) & unallied(s, w)


def _restore(s: Static, w: State) -> B:
    return others(s, w) & (w.diplo >= Ties.DOWNGRADED.value) & peace(w)


def _concession(s: Static, w: State) -> B:
    return others(s, w) & pairs.swapped(w.grievance > CONCESSION_MIN_GRIEVANCE)


def _sanctions(s: Static, w: State) -> B:
    trade = tiled(s, w, "trade", lambda: s.trade > 0)
    return others(s, w) & able(w) & ~w.sanctions & trade & state_target(s, w) & unallied(s, w)


def _threaten(s: Static, w: State) -> B:
    return others(s, w) & able(w) & peace(w) & unallied(s, w)


def _threaten_war(s: Static, w: State) -> B:
    return _threaten(s, w) & has_armour(w) & within(s, w, THREATEN_WAR_KM)


def _drills(s: Static, w: State) -> B:
    return others(s, w) & able(w) & has_armour(w) & within(s, w, DRILLS_KM) & unallied(s, w)


def _alert(s: Static, w: State) -> B:
    return others(s, w) & able(w) & peace(w) & (w.posture < Posture.ALERT.value) & unallied(s, w)


def _mobilize(s: Static, w: State) -> B:
    return (
        others(s, w)
        & able(w)
        & (w.posture < Posture.MOBILIZED.value)
        & has_armour(w)
        & unallied(s, w)
    )


def _fortify(s: Static, w: State) -> B:
    return bordering(s, w) & ~w.fortified & able(w) & unallied(s, w)


def _violation(s: Static, w: State) -> B:
    return bordering(s, w) & able(w) & peace(w) & has_armour(w) & unallied(s, w)


def _stand_down(s: Static, w: State) -> B:
    return others(s, w) & peace(w) & (w.posture > Posture.NONE.value)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.PROTEST,
        verb="protested publicly to",
        phase=P.DIPLOMACY,
        rung=Rung.PROTEST,
        mid=M.NONE,
        category=C.POSTURING,
        hostile=True,
        requires="not a partner of the target",
        legal=_protest,
        effect=effect_protest,
    ),
    ActionSpec(
        A.STATE_VISIT,
        verb="held a state visit with",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="full diplomatic ties, peace, low grievance",
        legal=_state_visit,
        effect=effect_state_visit,
    ),
    ActionSpec(
        A.OPEN_CONSULATE,
        verb="opened a consulate in",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="full ties with a neighbouring or partner state, low grievance",
        legal=_open_consulate,
        effect=effect_open_consulate,
    ),
    ActionSpec(
        A.EXPEL_DIPLOMATS,
        verb="expelled diplomats of",
        phase=P.DIPLOMACY,
        rung=Rung.DIPLOMATIC_SANCTION,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="full diplomatic ties",
        legal=_expel,
        effect=effect_expel_diplomats,
    ),
    ActionSpec(
        A.SEVER_TIES,
        verb="severed diplomatic ties with",
        phase=P.DIPLOMACY,
        rung=Rung.DIPLOMATIC_SANCTION,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="downgraded diplomatic ties (expel diplomats first); not a partner",
        legal=_sever,
        effect=effect_sever_ties,
    ),
    ActionSpec(
        A.RESTORE_TIES,
        verb="restored diplomatic ties with",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="downgraded or severed ties, not at war",
        legal=_restore,
        effect=effect_restore_ties,
    ),
    ActionSpec(
        A.OFFER_CONCESSION,
        verb="offered a concession to",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="the target holds a grievance against the actor",
        legal=_concession,
        effect=effect_offer_concession,
    ),
    ActionSpec(
        A.IMPOSE_SANCTIONS,
        verb="imposed sanctions on",
        phase=P.ECONOMY,
        rung=Rung.ECONOMIC_COERCION,
        mid=M.NONE,
        category=C.NONVIOLENT,
        hostile=True,
        requires="trade with the target and no sanctions yet; not a partner",
        legal=_sanctions,
        effect=effect_impose_sanctions,
    ),
    ActionSpec(
        A.THREATEN,
        verb="threatened force against",
        phase=P.SIGNALLING,
        rung=Rung.THREAT,
        mid=M.THREAT_FORCE,
        category=C.POSTURING,
        hostile=True,
        requires="peace with the target",
        legal=_threaten,
        effect=effect_threaten,
    ),
    ActionSpec(
        A.THREATEN_WAR,
        verb="threatened war against",
        phase=P.SIGNALLING,
        rung=Rung.THREAT,
        mid=M.THREAT_WAR,
        category=C.POSTURING,
        hostile=True,
        requires="peace, ground forces, a border or a target within 500 km",
        legal=_threaten_war,
        effect=effect_threaten_war,
    ),
    ActionSpec(
        A.DRILLS,
        verb="held military drills aimed at",
        phase=P.SIGNALLING,
        rung=Rung.DISPLAY,
        mid=M.SHOW_OF_FORCE,
        category=C.POSTURING,
        hostile=True,
        requires="ground forces, a border or a target within 1,000 km",
        legal=_drills,
        effect=effect_drills,
    ),
    ActionSpec(
        A.ALERT,
        verb="put forces on alert against",
        phase=P.SIGNALLING,
        rung=Rung.DISPLAY,
        mid=M.ALERT,
        category=C.POSTURING,
        hostile=True,
        requires="peace, not already on alert or mobilized",
        legal=_alert,
        effect=effect_alert,
    ),
    ActionSpec(
        A.MOBILIZE,
        verb="mobilized against",
        phase=P.SIGNALLING,
        rung=Rung.DISPLAY,
        mid=M.MOBILIZATION,
        category=C.POSTURING,
        hostile=True,
        requires="ground forces, not already mobilized",
        legal=_mobilize,
        effect=effect_mobilize,
    ),
    ActionSpec(
        A.FORTIFY_BORDER,
        verb="fortified the border with",
        phase=P.SIGNALLING,
        rung=Rung.DISPLAY,
        mid=M.FORTIFY_BORDER,
        category=C.POSTURING,
        hostile=True,
        requires="a common border not yet fortified",
        legal=_fortify,
        effect=effect_fortify_border,
    ),
    ActionSpec(
        A.BORDER_VIOLATION,
        verb="violated the border of",
        phase=P.SIGNALLING,
        rung=Rung.DISPLAY,
        mid=M.BORDER_VIOLATION,
        category=C.NONVIOLENT,
        hostile=True,
        requires="a common border, ground forces, peace",
        legal=_violation,
        effect=effect_border_violation,
    ),
    ActionSpec(
        A.STAND_DOWN,
        verb="stood down its forces facing",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="forces on alert or mobilized against the target",
        legal=_stand_down,
        effect=effect_stand_down,
    ),
)

SPEC = RuleSpec(
    name="diplomacy",
    version=2,
    params=DiplomacyParams,
    summary="Protests, visits, ruptures, concessions, sanctions, threats, drills, alerts, "
    "mobilization, fortification and stand-downs.",
    needs="nothing (on unless switched off)",
    source="MID incident codebook; Fearon (1994) audience costs; CCSIS (2023)",
    actions=ACTIONS,
    steps=(
        Step(Stage.AFTER_ACTIONS, 40, sanctions_cost),
        Step(Stage.AFTER_ACTIONS, 41, mobilization_cost),
    ),
    writes=frozenset(
        {
            "diplo",
            "ruptures",
            "tension",
            "grievance",
            "sanctions",
            "econ_cost",
            "threatened",
            "posture",
            "armour",
            "fortified",
        }
    ),
)
