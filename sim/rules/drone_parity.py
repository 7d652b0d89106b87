"""Drone parity: drone strike power against counter-drone defence.

An actor's strike power against a target is the sum, over its drone types whose range covers the
distance, of count x strike value. Against the target's air defence ``AD`` (same units), the
chance that a strike gets through is ``e = S / (S + AD)``, a force-ratio form as in
Lanchester-type models. The balance of the two sides' chances multiplies ground-combat
effectiveness (the parity multiplier ``max(1 + w (e_ij - e_ji), 0)``), enters each side's
estimate of winning, and makes an actor with a drone advantage readier to use force
(sim.decisions). During a war, drones strike every day (this rule's ``war_day`` hook). This is
the mechanism the source
articles credit for Azerbaijan's 2020 victory (TB2 strikes destroyed nearly 40% of Armenia's
equipment; CCSIS) and the reason Armenia sought Iranian drones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.actionspec import ActionSpec, B, Phase, able, drone_reach, unallied
from sim.ladder import Category, MidAction, Rung
from sim.rng import Purpose, uniform_at
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec
from sim.scenario.models import ActionId, DroneParityParams
from sim.weights import W
from sim.world import State, Static

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
A, P, M, C = ActionId, Phase, MidAction, Category


def weight(static: Static) -> float:
    """Weight ``w`` of the parity multiplier (0 when the rule is off)."""
    p = SPEC.of(static)
    return float(p.weight) if p is not None else 0.0


def reach_matrix(static: Static) -> NDArray[np.bool_]:
    """(D, N): drone type d can reach actor j from its owner."""
    return static.distance[static.drone_owner] <= static.drone_range[:, None]


def strike_power(static: Static, drones: F64) -> F64:
    """(R, N, N): strike power of i against j = sum over i's types in range of count x strike."""
    r, n = drones.shape[0], static.n
    # Summed per owner in type order, as a loop over the types would, but in an (owner, R, N)
    # layout: each owner's block is contiguous, which numpy adds much faster than the strided
    # (R, N) slices of an (R, N, N) array. x * 1.0 and x * 0.0 are what x * True and x * False
    # give.
    reach = reach_matrix(static).astype(np.float64)  # (D, N)
    part = (drones.T * static.drone_strike[:, None])[:, :, None] * reach[:, None, :]  # (D, R, N)
    by_owner = np.zeros((n, r, n))
    for d, i in enumerate(static.drone_owner):
        by_owner[i] += part[d]
    out = np.ascontiguousarray(by_owner.transpose(1, 0, 2))
    diag = np.arange(static.n)
    out[:, diag, diag] = 0.0
    return out


def strike_at(static: Static, drones: F64, ii: I64, jj: I64) -> F64:
    """``strike_power(static, drones)[k, ii[k], jj[k]]`` for each row k: the strike power of
    just those pairs, summed the same way."""
    out = np.zeros(ii.shape[0])
    reach = reach_matrix(static)
    for d in range(static.drone_owner.shape[0]):
        mine = np.flatnonzero(static.drone_owner[d] == ii)
        if mine.size:
            out[mine] += (drones[mine, d] * static.drone_strike[d]) * reach[d][jj[mine]]
    out[ii == jj] = 0.0
    return out


def success_chance(strike: F64, air_defence: F64) -> F64:
    """(R, N, N): chance a strike by i gets through j's defence, S / (S + AD_j)."""
    ad = air_defence[:, None, :]
    total = strike + ad
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = strike / total
    some = total > 0
    if not some.all():
        chance[~some] = 0.0
    return chance


def edge(static: Static, drones: F64, air_defence: F64) -> F64:
    """(R, N, N): i's drone advantage over j, ``e_ij - e_ji`` in [-1, 1] (0 when off)."""
    if SPEC.of(static) is None:
        return np.zeros((drones.shape[0], static.n, static.n))
    return edge_of(static, success_chance(strike_power(static, drones), air_defence))


def edge_of(static: Static, success: F64) -> F64:
    """:func:`edge` from the chances ``e`` of :func:`success_chance`, when they are at hand."""
    if SPEC.of(static) is None:
        return np.zeros_like(success)
    return success - np.swapaxes(success, 1, 2)


def parity(static: Static, drones: F64, air_defence: F64) -> F64:
    """(R, N, N): the parity multiplier ``max(1 + w (e_ij - e_ji), 0)`` of i's effectiveness
    against j (a side out-matched in the air at a large weight ``w`` loses all of it)."""
    return np.maximum(1.0 + weight(static) * edge(static, drones, air_defence), 0.0)


def attrition(t: Turn, rr: I64, ii: I64, jj: I64, sortie_days: float | F64) -> F64:
    """Apply drone strikes by ii on jj in replicates rr for ``sortie_days`` days of sorties.

    Destroys the target's armour and air defence and loses attacking drones to its defence.
    Returns the armour items destroyed per strike.
    """
    p = SPEC.of(t.static)
    if p is None or rr.size == 0:
        return np.zeros(rr.size)
    s, w = t.static, t.state
    strike = strike_at(s, w.drones[rr], ii, jj)
    ad = w.air_defence[rr, jj]
    e = np.where(strike + ad > 0, strike / np.maximum(strike + ad, 1e-12), 0.0)
    kills = np.minimum(p.sorties_per_day * sortie_days * strike * e, w.armour[rr, jj])
    np.subtract.at(w.armour, (rr, jj), kills)
    np.add.at(w.armour_lost, (rr, jj), kills)
    np.add.at(w.lost_to_drones, (rr, jj), kills)
    ad_loss = np.minimum(t.w(W.AIR_DEFENCE_ATTRITION)[rr] * sortie_days * e * ad, ad)
    np.subtract.at(w.air_defence, (rr, jj), ad_loss)
    # drones lost: each type of the attacker in range loses a share to the defence
    reach = reach_matrix(s)
    lost_share = np.clip(p.drone_loss_rate * sortie_days * (1.0 - e), 0.0, 1.0)
    for d in range(s.drone_owner.shape[0]):
        mine = (s.drone_owner[d] == ii) & reach[d][jj]
        if not mine.any():
            continue
        r_d = rr[mine]
        lost = np.minimum(w.drones[r_d, d] * p.sorties_per_day * lost_share[mine], w.drones[r_d, d])
        np.subtract.at(w.drones, (r_d, d), lost)
        np.add.at(w.drones_lost, (r_d, d), lost)
    return kills


def _deaths_per_item(static: Static) -> float:
    from sim.rules.combat import deaths_per_item

    return deaths_per_item(static)


def effect_drone_strike(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """A one-off drone strike: succeeds with chance S/(S+AD), then destroys equipment."""
    s, w = t.static, t.state
    strike = strike_at(s, w.drones[rr], ii, jj)
    ad = w.air_defence[rr, jj]
    e = strike / np.maximum(strike + ad, 1e-12)
    u = uniform_at(w.seeds[rr], t.turn, Purpose.STRIKE, ii * s.n + jj)
    hit = u < e
    kills = np.zeros(rr.size)
    if hit.any():
        kills[hit] = attrition(t, rr[hit], ii[hit], jj[hit], t.w(W.STRIKE_DAYS)[rr[hit]])
        np.add.at(w.deaths, (rr[hit], jj[hit]), kills[hit] * _deaths_per_item(s))
    t.success[rr, ii] = hit
    t.amount[rr, ii] = kills
    t.skirmish(rr, ii, jj)
    grievance = np.where(hit, t.w(W.STRIKE_GRIEVANCE_HIT)[rr], t.w(W.STRIKE_GRIEVANCE_MISS)[rr])
    t.grieve(rr, jj, ii, grievance)


def war_day(t: Turn, sub: I64) -> None:
    """One day of drone strikes in every war, after the day's ground fighting."""
    rr, ii, jj = np.nonzero(t.state.at_war[sub])
    if rr.size:
        killed = attrition(t, sub[rr], ii, jj, 1.0)
        np.add.at(t.state.deaths, (sub[rr], jj), killed * _deaths_per_item(t.static))


# ----------------------------------------------------------------------------------------------
# Preconditions


def _drone_strike(s: Static, w: State) -> B:
    return drone_reach(s, w) & able(w) & unallied(s, w)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.DRONE_STRIKE,
        verb="launched a drone strike on",
        phase=P.FORCE,
        rung=Rung.USE_OF_FORCE,
        mid=M.ATTACK,
        category=C.VIOLENT,
        hostile=True,
        requires="a drone type in stock whose range covers the distance",
        legal=_drone_strike,
        effect=effect_drone_strike,
    ),
)

SPEC = RuleSpec(
    name="drone_parity",
    version=2,
    params=DroneParityParams,
    summary="Drone strike power against counter-drone defence; range limits targets; the "
    "balance multiplies combat effectiveness and the readiness to use force.",
    needs="actors with drones (range_km, strike) and air_defence",
    source="Lanchester-style force ratio; CCSIS on TB2s in 2020",
    actions=ACTIONS,
    war_day=war_day,
    writes=frozenset(
        {
            "armour",
            "armour_lost",
            "lost_to_drones",
            "air_defence",
            "drones",
            "drones_lost",
            "deaths",
            "grievance",
        }
    ),
)
