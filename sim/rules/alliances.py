"""Alliances: commitments with credibility, arms deliveries, and joining a partner's war.

A patron's commitment to a client has a credibility: the probability others assign to the
patron joining a war on the client's side (deterrence theory; Huth 1988). Credibility enters
every actor's estimate of winning (sim.decisions), the patron's utility of joining a war, and
the grievance a patron takes on when its client is attacked. Arms ordered by a client, or
shipped by a patron, arrive after ``delivery_turns``; arms in the pipeline shift the expected
balance, which gives the client's adversary a preventive motive (Powell 2004).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.rules.context import Turn
from sim.world import Static

I64 = NDArray[np.int64]

ARMOUR_PRICE_BUSD = 0.004
DRONE_PRICE_BUSD = 0.005


def params(static: Static) -> Any:
    """The rule's parameters, or None when off."""
    return static.rule("alliances")


def _order(t: Turn, rr: I64, patron: I64, client: I64) -> None:
    s, w = t.static, t.state
    slot = np.full(rr.shape, s.pipeline_len - 1)
    arms = s.arms_supply[patron, client]
    np.add.at(w.pipeline_armour, (rr, client, slot), arms)
    dtype = s.drone_supply_type[patron, client]
    has = dtype >= 0
    if has.any():
        np.add.at(
            w.pipeline_drones, (rr[has], dtype[has], slot[has]), s.drone_supply[patron, client][has]
        )
    cost = (
        arms * ARMOUR_PRICE_BUSD
        + np.where(has, s.drone_supply[patron, client], 0.0) * DRONE_PRICE_BUSD
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
    if params(s) is None or not (s.credibility > 0).any():
        return
    attacked = t.act_rung >= 7  # (R, attacker, victim)
    rr, att, vic = np.nonzero(attacked)
    for patron in range(s.n):
        cred = s.credibility[patron, vic]
        mask = (cred > 0) & (att != patron)
        if mask.any():
            t.grieve(rr[mask], np.full(mask.sum(), patron), att[mask], 0.3 * cred[mask])
