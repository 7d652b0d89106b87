"""How non-player actors choose: expected utility, a softmax, and Fearon's war decision.

Each turn every actor picks one (action, target) among its legal ones. The utility of a hostile
action of rung ``r`` against a target is ``r * (2 d - r) / 16``, largest when ``r`` equals the
rung ``d`` the actor *wants* to reach against that target. ``d`` grows with grievance, tension and
domestic pressure, matches what the target did last turn (reciprocity, tit for tat), and is
tempered against a stronger adversary (restraint). Action-specific terms add expected gains
(levy revenue, strike success) and costs (risk of retaliation, economic cost); cooperative and
de-escalatory actions have their own terms. Choice is by a softmax over utilities with a
temperature (bounded rationality; McKelvey and Palfrey's quantal response).

The war decision follows the rationalist bargaining account (Fearon 1995, "Rationalist
Explanations for War"): an actor estimates its chance ``p`` of winning from combat power, the
drone balance and the allies it expects to join (weighted by their credibility), with
misperception noise on the log-odds; it compares the expected value of war, ``p - c``, with the
value of the status quo, which grievance lowers; a fast shift of the balance against it (arms
deliveries the adversary is about to receive) adds a preventive motive (Powell 2004), and a
public threat adds an audience cost to backing down.

Random numbers here (the softmax draw and misperception noise) are counter-based (sim.rng), and
softmax weights are quantised to integers (2**40 for the best action) before the cumulative sum,
so the sum is exact and last-bit differences of ``exp`` between CPUs cannot change a choice except
with negligible probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim import actions as act
from sim.rng import Purpose, normal, uniform
from sim.rules import drone_parity
from sim.scenario.models import ActionId
from sim.world import Params, State, Static

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

A = ActionId


@dataclass(frozen=True)
class Assessment:
    """Derived quantities each actor uses to decide, all (R, N, N) unless noted."""

    power: F64  # (R, N) combat power: armour x quality
    parity: F64  # drone parity multiplier of i against j
    p_win: F64  # estimated chance i wins a war against j (with noise)
    p_true: F64  # same without noise
    p_future: F64  # chance after pending deliveries arrive
    desired: F64  # rung i wants to reach against j
    strike_success: F64  # chance a drone strike by i on j succeeds


def _allied_power(static: Static, power: F64) -> F64:
    """(R, N, N): expected allied power joining i against j: sum_k credibility[k, i] * power_k."""
    out = np.zeros((power.shape[0], static.n, static.n))
    for k in range(static.n):
        cred = static.credibility[k]  # k as patron of each client i
        if not cred.any():
            continue
        contrib = cred[None, :, None] * power[:, k, None, None]
        notk = np.ones(static.n)
        notk[k] = 0.0
        out += contrib * notk[None, None, :]
    return out


def win_probability(static: Static, power: F64, parity: F64) -> F64:
    """Chance i wins against j from power, parity and expected allies (Lanchester-style shares)."""
    allies = _allied_power(static, power)
    mine = power[:, :, None] * parity + allies
    theirs = power[:, None, :] * np.swapaxes(parity, 1, 2) + np.swapaxes(allies, 1, 2)
    total = mine + theirs
    return np.where(total > 0, mine / np.where(total > 0, total, 1.0), 0.5)


def assess(static: Static, state: State, params: Params, turn: int) -> Assessment:
    """Compute each actor's view of each dyad this turn."""
    power = state.armour * static.quality
    strike = drone_parity.strike_power(static, state.drones)
    success = drone_parity.success_chance(strike, state.air_defence)
    weight = drone_parity.weight(static)
    parity = 1.0 + weight * (success - np.swapaxes(success, 1, 2))
    p_true = win_probability(static, power, parity)
    # future balance: armour in the delivery pipeline arrives
    future_power = (state.armour + state.pipeline_armour.sum(axis=2)) * static.quality
    p_future = win_probability(static, future_power, parity)
    # misperception: noise on the log-odds
    sigma = params.misperception[:, None, None]
    eps = normal(state.seeds, turn, Purpose.MISPERCEPTION_A, (static.n, static.n))
    clipped = np.clip(p_true, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)) + sigma * eps
    p_win = 1.0 / (1.0 + np.exp(-logit))

    g = state.grievance
    pressure = state.pressure[:, :, None]
    base = np.clip(0.6 * g + 0.25 * state.tension + 0.3 * pressure * (g > 0.1), 0.0, 1.0) * 7.0
    resolve = static.resolve[None, :, None]
    base = base * (0.6 + 0.8 * resolve)
    recip = params.reciprocity[:, None, None] * np.swapaxes(state.rung, 1, 2).astype(np.float64)
    desired = np.maximum(base, recip * (g > 0.05))
    risk = static.risk[None, :, None]
    weaker = np.clip(0.5 - p_true, 0.0, 0.5) * 2.0
    desired = desired * (1.0 - params.restraint[:, None, None] * weaker * (1.0 - risk))
    desired = np.clip(desired, 0.0, 8.0)
    return Assessment(power, parity, p_win, p_true, p_future, desired, success)


def utilities(static: Static, state: State, params: Params, view: Assessment) -> F64:
    """Utility of every (actor, action, target): array (R, N, A, N); illegal ones not masked."""
    shape = (state.r, static.n, static.n)
    table = utility_table(static, state, params, view)
    return np.stack([np.broadcast_to(x, shape) for x in table], axis=2)


def utility_table(
    static: Static, state: State, params: Params, view: Assessment
) -> list[F64 | float]:
    """Utility of each action, in catalogue order, as arrays broadcastable to (R, N, N).

    The table below is the whole decision model: one line per action (docs/model.md).
    """
    r, n = state.r, static.n
    d = view.desired
    risk = static.risk[None, :, None]
    sec = static.doctrine[None, :, 0, None]
    eco = static.doctrine[None, :, 1, None]
    stand = static.doctrine[None, :, 2, None]
    tension = state.tension
    g = state.grievance
    aversion = params.war_aversion[:, None, None]
    enemy_share = 1.0 - view.p_true  # danger of retaliation
    # a war against a larger economy costs more: it can mobilise more than it has in theatre
    size = np.clip(np.log10(static.gdp[None, None, :] / static.gdp[None, :, None]), 0.0, 2.0)
    war_cost = aversion * (0.15 + 0.35 * (1.0 - risk)) * (1.0 + 0.5 * size)
    force_risk = aversion * (0.6 + (1.0 - risk) * enemy_share) * (1.0 + 0.5 * size)
    partners = ((static.credibility > 0) | (static.credibility.T > 0)).astype(np.float64)[None]
    motive = np.clip(d / 3.0, 0.0, 1.0)

    no_motive = 4.0 * (1.0 - motive) + 0.15
    fits: dict[int, F64] = {}

    def fit(rung: int) -> F64:
        """Peaked at the desired rung; actions with no motive behind them are penalised."""
        if rung not in fits:
            gap = (rung - d) * 0.5
            fits[rung] = motive * 0.6 * (1.0 - gap * gap) - no_motive
        return fits[rung]

    # Fearon: war when p - c beats the status quo, plus preventive motive and audience costs
    status_quo = 0.55 * (1.0 - g)
    preventive = np.clip(view.p_true - view.p_future, 0.0, 1.0) * 2.0
    audience = 0.1 * state.threatened
    ev_war = view.p_win - war_cost
    # joining a war: the patron's credibility is its commitment
    cred_to_party = np.zeros((r, n, n))
    for k in range(n):
        cred_to_party = np.maximum(
            cred_to_party, static.credibility[None, :, k, None] * state.at_war[:, k, None, :]
        )
    # de-escalation: losing a war, or calm wishes
    armour_share = np.where(
        static.armour0 > 0, state.armour / np.where(static.armour0 > 0, static.armour0, 1.0), 1.0
    )[:, :, None]
    combat = static.rule("combat")
    breakpoint = combat.breakpoint if combat is not None else 0.7
    losing = np.clip(breakpoint - armour_share, 0.0, 1.0) * 6.0 + np.clip(0.5 - view.p_win, 0, 1)
    calm = 1.0 - d / 8.0
    # arms: need = the worst danger the actor faces from anyone
    danger = (tension * (1.0 - view.p_true)).max(axis=2)  # (R, N)

    table: dict[ActionId, F64 | float] = {
        A.HOLD: 0.0,
        A.PROTEST: fit(1),
        A.STATE_VISIT: 0.3 * partners + 0.3 * stand - 1.0,
        A.OPEN_CONSULATE: 0.25 * partners + 0.2 * stand - 1.1,
        A.EXPEL_DIPLOMATS: fit(2),
        A.SEVER_TIES: fit(2),
        A.RESTORE_TIES: 0.4 * calm - 0.3 * g - 0.2,
        A.REQUEST_MEDIATION: 0.4 * tension + 0.3 * calm + 0.3 * stand - 0.35,
        A.ACCEPT_MEDIATION: 0.8 * tension + 0.5 * calm + losing * state.at_war - 0.2 - audience,
        A.OFFER_CONCESSION: 0.6 * enemy_share * tension + 0.2 * calm - 0.45 - 2 * audience,
        A.PROPOSE_CEASEFIRE: losing + 0.3 * calm - 0.3,
        A.LEVY_TRANSIT: fit(3) + 0.3 * eco,
        A.CLOSE_CORRIDOR: fit(3) - 0.1 * eco,
        A.REOPEN_CORRIDOR: 0.5 * calm - 0.3 * eco - 0.2,
        A.IMPOSE_SANCTIONS: fit(3) - 0.3 * eco,
        A.BUY_ARMS: 0.9 * sec * danger[:, :, None] - 0.2 * eco - 0.05,
        A.SUPPLY_ARMS: 0.8 * static.credibility[None] * danger[:, None, :] - 0.1,
        A.CYBER_ATTACK: fit(4) + 0.5 * static.cyber[None, :, None] - 0.1,
        A.COVERT_OPERATION: fit(4),
        A.ARREST_NETWORK: fit(4) + 0.1 * sec,
        A.SUPPORT_PROXY: fit(4),
        A.THREATEN: fit(5),
        A.THREATEN_WAR: fit(5),
        A.DRILLS: fit(6),
        A.ALERT: fit(6),
        A.MOBILIZE: fit(6) - 0.2 * eco,
        A.FORTIFY_BORDER: fit(6) + 0.2 * sec * enemy_share,
        A.BORDER_VIOLATION: fit(6),
        A.DRONE_STRIKE: fit(7) - force_risk + 0.4 * view.strike_success,
        A.MISSILE_STRIKE: fit(7) - force_risk - 0.2,
        A.BORDER_CLASH: fit(7) - force_risk,
        A.SEIZE_CORRIDOR: fit(7) - force_risk + 0.2 * eco,
        A.BLOCKADE: fit(7) - force_risk,
        A.LAUNCH_OFFENSIVE: fit(8) + 4.0 * (ev_war - status_quo + preventive + audience) - 3.0,
        A.JOIN_WAR: 3.0 * cred_to_party + 1.5 * (view.p_win - 0.5) - 2.0 * war_cost - 0.3,
        A.STAND_DOWN: 0.5 * calm + 0.2 * eco - 0.35 - 2 * audience,
    }
    return [table[a.id] for a in act.CATALOGUE]


#: Quantisation of softmax weights: integer weights make the cumulative sum exact.
_QUANTUM = float(2**40)


def choose(
    static: Static, state: State, params: Params, legal: B, turn: int
) -> tuple[I64, I64, Assessment]:
    """Sample each actor's (action, target) by a softmax over utilities of legal actions.

    Returns:
        action indices (R, N), target indices (R, N), and the assessment used.
    """
    view = assess(static, state, params, turn)
    table = utility_table(static, state, params, view)
    r, n = state.r, static.n
    shape = (r, n, n)
    u01 = uniform(state.seeds, turn, Purpose.DECISION, (n,))
    # Only (action, target) pairs legal in some replicate are computed. Leaving out pairs that
    # are illegal everywhere (weight 0 everywhere) changes no replicate's draw, so this is as
    # batch-invariant as the full computation and much faster.
    possible = legal.any(axis=0)  # (N, A, N)
    pick = np.empty((r, n), dtype=np.int64)
    for i in range(n):
        a_idx, j_idx = np.nonzero(possible[i])  # catalogue order, then target order
        values = np.empty((r, a_idx.size))
        for k in np.unique(a_idx):
            sel = np.flatnonzero(a_idx == k)
            values[:, sel] = np.broadcast_to(table[k], shape)[:, i, j_idx[sel]]
        logits = np.where(legal[:, i, a_idx, j_idx], values / params.temperature[:, None], -np.inf)
        top = logits.max(axis=1, keepdims=True)
        weights = (np.exp(logits - top) * _QUANTUM).astype(np.int64)
        cdf = np.cumsum(weights, axis=1)
        draw = (u01[:, i] * cdf[:, -1]).astype(np.int64)
        first = (cdf <= draw[:, None]).sum(axis=1)
        pick[:, i] = a_idx[first] * n + j_idx[first]
    return pick // n, pick % n, view


def action_probabilities(static: Static, state: State, params: Params, legal: B, turn: int) -> F64:
    """The softmax probabilities of every (action, target) for every actor: (R, N, A, N)."""
    view = assess(static, state, params, turn)
    u = utilities(static, state, params, view)
    logits = np.where(legal, u / params.temperature[:, None, None, None], -np.inf)
    r, n = state.r, static.n
    flat = logits.reshape(r, n, -1)
    e = np.exp(flat - flat.max(axis=2, keepdims=True))
    return (e / e.sum(axis=2, keepdims=True)).reshape(u.shape)
