"""Drone parity: drone strike power against counter-drone defence.

An actor's strike power against a target is the sum, over its drone types whose range covers the
distance, of count x strike value. Against the target's air defence ``AD`` (same units), the
chance that a strike gets through is ``S / (S + AD)``, a force-ratio form as in Lanchester-type
models. The balance of the two sides' chances multiplies ground-combat effectiveness (the
parity multiplier ``1 + w (e_ij - e_ji)``) and enters each side's estimate of winning. This is
the mechanism the source articles credit for Azerbaijan's 2020 victory (TB2 strikes destroyed
nearly 40% of Armenia's equipment; CCSIS) and the reason Armenia sought Iranian drones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.rng import Purpose, uniform_at
from sim.rules.context import Turn
from sim.world import Static

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

#: Strike sorties a one-off drone strike (outside war) amounts to, as days of war-time sorties.
STRIKE_DAYS = 1.0


def params(static: Static) -> Any:
    """The rule's parameters, or None when off."""
    return static.rule("drone_parity")


def weight(static: Static) -> float:
    """Weight of the parity multiplier (0 when the rule is off)."""
    p = params(static)
    return float(p.weight) if p is not None else 0.0


def reach_matrix(static: Static) -> NDArray[np.bool_]:
    """(D, N): drone type d can reach actor j from its owner."""
    return static.distance[static.drone_owner] <= static.drone_range[:, None]


def strike_power(static: Static, drones: F64) -> F64:
    """(R, N, N): strike power of i against j = sum over i's types in range of count x strike."""
    r = drones.shape[0]
    out = np.zeros((r, static.n, static.n))
    reach = reach_matrix(static)
    for d in range(static.drone_owner.shape[0]):
        i = static.drone_owner[d]
        out[:, i, :] += (drones[:, d] * static.drone_strike[d])[:, None] * reach[d][None, :]
    diag = np.arange(static.n)
    out[:, diag, diag] = 0.0
    return out


def success_chance(strike: F64, air_defence: F64) -> F64:
    """(R, N, N): chance a strike by i gets through j's defence, S / (S + AD_j)."""
    ad = air_defence[:, None, :]
    total = strike + ad
    return np.where(total > 0, strike / np.where(total > 0, total, 1.0), 0.0)


def attrition(t: Turn, rr: I64, ii: I64, jj: I64, sortie_days: float) -> F64:
    """Apply drone strikes by ii on jj in replicates rr for ``sortie_days`` days of sorties.

    Destroys the target's armour and air defence and loses attacking drones to its defence.
    Returns the armour items destroyed per strike.
    """
    p = params(t.static)
    s, w = t.static, t.state
    sorties = p.sorties_per_day if p is not None else 0.25
    loss_rate = p.drone_loss_rate if p is not None else 0.04
    if rr.size == 0:
        return np.zeros(0)
    strike = strike_power(s, w.drones[rr])[np.arange(rr.size), ii, jj]
    ad = w.air_defence[rr, jj]
    e = np.where(strike + ad > 0, strike / np.maximum(strike + ad, 1e-12), 0.0)
    kills = np.minimum(sorties * sortie_days * strike * e, w.armour[rr, jj])
    np.subtract.at(w.armour, (rr, jj), kills)
    np.add.at(w.armour_lost, (rr, jj), kills)
    ad_loss = np.minimum(0.02 * sortie_days * e * ad, ad)
    np.subtract.at(w.air_defence, (rr, jj), ad_loss)
    # drones lost: each type of the attacker in range loses a share to the defence
    reach = reach_matrix(s)
    lost_share = np.clip(loss_rate * sortie_days * (1.0 - e), 0.0, 1.0)
    for d in range(s.drone_owner.shape[0]):
        mine = (s.drone_owner[d] == ii) & reach[d][jj]
        if not mine.any():
            continue
        r_d = rr[mine]
        lost = np.minimum(w.drones[r_d, d] * sorties * lost_share[mine], w.drones[r_d, d])
        np.subtract.at(w.drones, (r_d, d), lost)
        np.add.at(w.drones_lost, (r_d, d), lost)
    return kills


def _deaths_per_item(static: Static) -> float:
    from sim.rules.combat import params as combat_params

    return float(combat_params(static).deaths_per_item)


def effect_drone_strike(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A one-off drone strike: succeeds with chance S/(S+AD), then destroys equipment."""
    s, w = t.static, t.state
    strike = strike_power(s, w.drones[rr])[np.arange(rr.size), ii, jj]
    ad = w.air_defence[rr, jj]
    e = strike / np.maximum(strike + ad, 1e-12)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.STRIKE, ii * s.n + jj)
    hit = u < e
    kills = np.zeros(rr.size)
    if hit.any():
        kills[hit] = attrition(t, rr[hit], ii[hit], jj[hit], STRIKE_DAYS)
        np.add.at(w.deaths, (rr[hit], jj[hit]), kills[hit] * _deaths_per_item(s))
    t.success[rr, ii] = hit
    t.amount[rr, ii] = kills
    t.grieve(rr, jj, ii, np.where(hit, 0.25, 0.12))
