"""Alliances: commitments with credibility, arms deliveries, and patrons' grievances.

A patron's commitment to a client has a credibility: the probability others assign to the
patron joining a war on the client's side (deterrence theory; Huth 1988). Credibility enters
every actor's estimate of winning (sim.decisions), the patron's utility of joining a war (the
``join_war`` action of the combat rule), and the grievance a patron takes on when its client is
attacked. Arms ordered by a client, or shipped by a patron, arrive in equal parts over the next
``delivery_turns`` turns; arms in the pipeline shift the expected balance, and a large, fast
shift gives the client's adversary a preventive motive (Powell 2004). When this rule is off,
the scenario's alliances are not in force: no credibility, no partners, no arms supply
(sim.world.build_static).
"""

from __future__ import annotations

import numpy as np

from sim.actionspec import ActionSpec, B, Phase, others, tiled
from sim.ladder import Category, MidAction, Rung
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ActionId, AllianceParams
from sim.weights import W
from sim.world import I64, State, Static, Ties

A, P, M, C = ActionId, Phase, MidAction, Category


def _order(t: Turn, rr: I64, patron: I64, client: I64) -> None:
    """Put an order in the pipeline: equal parts arrive over the next ``delivery_turns`` turns
    (so a short delivery time is a fast shift of the balance, a long one a slow shift). Slot
    ``l`` of the pipeline arrives at the start of the ``l``-th next turn; slot 0 is empty by the
    time actors choose, so every order is seen in the pipeline for at least one turn."""
    s, w = t.static, t.state
    parts = s.pipeline_len - 1
    arms = s.arms_supply[patron, client]
    dtype = s.drone_supply_type[patron, client]
    has = dtype >= 0
    for slot in range(1, parts + 1):
        at = np.full(rr.shape, slot)
        np.add.at(w.pipeline_armour, (rr, client, at), arms / parts)
        if has.any():
            amount = s.drone_supply[patron, client][has] / parts
            np.add.at(w.pipeline_drones, (rr[has], dtype[has], at[has]), amount)
    cost = (
        arms * t.w(W.ARMOUR_PRICE)[rr]
        + np.where(has, s.drone_supply[patron, client], 0.0) * t.w(W.DRONE_PRICE)[rr]
    )
    np.add.at(w.econ_cost, (rr, client), cost)
    np.add.at(w.econ_cost, (rr, patron), -cost)


def effect_buy_arms(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """The actor (client) orders arms from the target (patron)."""
    _order(t, rr, jj, ii)
    t.success[rr, ii] = True
    t.amount[rr, ii] = t.static.arms_supply[jj, ii]


def effect_supply_arms(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """The actor (patron) ships arms to the target (client)."""
    _order(t, rr, ii, jj)
    t.success[rr, ii] = True
    t.amount[rr, ii] = t.static.arms_supply[ii, jj]


def deliveries(t: Turn) -> None:
    """Deliver the arms due this turn and advance the pipeline by one turn."""
    w = t.state
    arrived = w.pipeline_armour[:, :, 0].copy()
    w.armour += arrived
    w.drones += w.pipeline_drones[:, :, 0]
    w.pipeline_armour[:, :, :-1] = w.pipeline_armour[:, :, 1:].copy()
    w.pipeline_armour[:, :, -1] = 0.0
    w.pipeline_drones[:, :, :-1] = w.pipeline_drones[:, :, 1:].copy()
    w.pipeline_drones[:, :, -1] = 0.0
    rr, ii = np.nonzero(arrived > 0)
    t.note(rr, "delivery", ii, ii, arrived[rr, ii])


def commitments(t: Turn) -> None:
    """Patrons take on a share of their clients' grievance against attackers (use of force)."""
    s = t.static
    if not (s.credibility > 0).any():
        return
    attacked = t.act_rung >= Rung.USE_OF_FORCE.value  # (R, attacker, victim)
    rr, att, vic = np.nonzero(attacked)
    share = t.w(W.PATRON_GRIEVANCE)[rr]
    for patron in range(s.n):
        cred = s.credibility[patron, vic]
        mask = (cred > 0) & (att != patron)
        if mask.any():
            amount = share[mask] * cred[mask]
            t.grieve(rr[mask], np.full(mask.sum(), patron), att[mask], amount)


# ----------------------------------------------------------------------------------------------
# Preconditions


def _buy_arms(s: Static, w: State) -> B:
    # actor is the client, target the patron
    supply = tiled(s, w, "supplied by", lambda: ((s.arms_supply + s.drone_supply) > 0).T)
    return others(s, w) & supply & (w.diplo == Ties.FULL.value)


def _supply_arms(s: Static, w: State) -> B:
    supply = tiled(s, w, "supplies", lambda: (s.arms_supply + s.drone_supply) > 0)
    return others(s, w) & supply & (w.diplo == Ties.FULL.value)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.BUY_ARMS,
        verb="ordered arms from",
        phase=P.ECONOMY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.POSTURING,
        hostile=False,
        requires="the target is a patron that supplies arms to the actor",
        legal=_buy_arms,
        effect=effect_buy_arms,
    ),
    ActionSpec(
        A.SUPPLY_ARMS,
        verb="shipped arms to",
        phase=P.ECONOMY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.POSTURING,
        hostile=False,
        requires="the actor is a patron that supplies arms to the target",
        legal=_supply_arms,
        effect=effect_supply_arms,
    ),
)

SPEC = RuleSpec(
    name="alliances",
    version=2,
    params=AllianceParams,
    summary="Commitments with credibility; patrons deliver arms after a delay and resent "
    "attacks on their clients.",
    needs="alliances",
    source="Alliance credibility as in deterrence theory (Huth 1988); Powell (2004)",
    actions=ACTIONS,
    steps=(
        Step(Stage.BEFORE_CHOICES, 10, deliveries),
        Step(Stage.AFTER_ACTIONS, 10, commitments),
    ),
    writes=frozenset(
        {"pipeline_armour", "pipeline_drones", "armour", "drones", "econ_cost", "grievance"}
    ),
)
