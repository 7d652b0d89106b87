"""How non-player actors choose: Fearon's war decision, a ladder of reasons, and a softmax.

**Beliefs** (Fearon 1995, private information). Each actor ``i`` believes its chance of winning
a war against ``j`` is ``p̂_ij = σ(logit p_ij + (b_ij + s · z_ij) · k_ij)``, where ``p_ij`` is
the chance the capabilities give (combat power, the drone balance, allies weighted by their
credibility), ``b_ij`` a known error the scenario may give (a relation's ``belief:``, positive
for an overconfident side), ``s`` the ``misperception`` weight, ``z_ij`` a standard normal error
drawn once per run and pair (sim.world.initial_state), and ``k_ij`` the share of the error the
actor still holds. It starts at 1 and falls as the two fight: after each turn it is divided by
``1 + learning_war · days of war + learning_force · uses of force`` between them that turn
(:func:`learn`; Slantchev 2003: fighting reveals strength). A belief is therefore a lasting,
biased view that experience corrects, not fresh noise each turn.

**The war decision** is made of reasons, not drawn from noise: launching a war is an option
only when the bargaining account says war can be rational, and is otherwise left out of the
choice altogether. Two sides disputing a divisible good of value 1 can always find a settlement
both prefer to a war that costs them ``c_ij`` and ``c_ji``, unless

* *their beliefs are incompatible* (mutual optimism): ``p̂_ij + p̂_ji - 1 > c_ij + c_ji``, so
  no division satisfies both; and ``i`` is dissatisfied, ``p̂_ij - c_ij > q_ij`` with the value
  of the status quo ``q_ij = status_quo · (1 - g_ij)`` lowered by grievance; or
* *power is shifting against i* and the shift cannot be bargained away (a commitment problem;
  Powell 2004, 2006): arms in the delivery pipeline of ``j`` and its allies lower ``i``'s chance
  to ``p_ij^(h)`` in ``h`` turns (announced deliveries are public, so the shift is computed from
  capabilities), and ``max_h δ^h (p_ij - p_ij^(h)) > (1 - δ)(c_ij + c_ji)`` with ``δ`` the
  ``shift_discount``, while a war now is still worth fighting (``p̂_ij > c_ij``) and the two
  are rivals (``g_ij`` above the rivalry threshold). A delivery spread over fewer turns is a
  faster shift: more of it falls within the discounted horizon.

With no misperception and no shifting balance neither holds, so rational actors never choose
war, at any temperature. The war's utility grows with its margin over the best settlement. The
cost of war ``c_ij = war_aversion · (war_cost_base + war_cost_risk · (1 - risk_i)) · (1 +
war_cost_size · size_ij)`` grows with risk aversion and with the adversary's economic size,
``size_ij = clip(log10(gdp_j / gdp_i), 0, 2)`` (a larger economy can mobilise more than it has
in theatre). The rivalry threshold is the ``rivalry_threshold`` weight.

**The ladder.** Below war, the utility of a hostile action of rung ``r`` against ``j`` is peaked
at the rung ``d_ij`` the actor *wants* to reach: ``fit(r) = m · fit_height · (1 - (fit_width ·
(r - d))^2) - no_motive_penalty · (1 - m) - no_motive_floor`` with motive ``m = min(d /
motive_rung, 1)``, so actions with no motive behind them are unattractive at any temperature.
``d`` grows with grievance, tension and domestic pressure (pressure only against a target the
actor holds more than ``desire_pressure_min_grievance`` against), scaled by resolve; it matches
the rung the target's conduct towards the actor was coded at last turn, standing measures
included (``reciprocity``, tit for tat), and rises with the actor's drone advantage over the
target (both only above ``reciprocity_min_grievance``); it is tempered against a stronger
adversary (``restraint``, times ``1 - risk tolerance``). Uses of force add
the drone advantage and subtract the risk of retaliation; a use of force received last turn
outside a war makes an answer in kind more attractive (``retaliation``, times resolve: an
attacked state restores deterrence; Schelling 1966). De-escalation and cooperation have
their own terms (tension, calm, losing a war, audience costs); a side refuses to end a war
(a ceasefire, mediated talks) while fighting still beats the best settlement (``fight_on``
times the war's margin), so a war lasts until fighting has revealed enough. Every coefficient is
a named weight (sim.weights; docs/model.md).

**Choice** is by a softmax over the utilities of legal options with a ``temperature`` (bounded
rationality; McKelvey and Palfrey's quantal response). Random numbers are counter-based
(sim.rng), and softmax weights are quantised to integers (2**40 for the best option) before the
cumulative sum, so the sum is exact and last-bit differences of ``exp`` between CPUs cannot
change a choice except with negligible probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim import actions as act
from sim import fastchoice
from sim.ladder import Rung
from sim.rng import Purpose, uniform
from sim.rules import combat, domestic, drone_parity, transit
from sim.rules.context import Turn
from sim.scenario.models import ActionId
from sim.weights import W
from sim.world import Params, State, Static

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

A = ActionId


@dataclass(frozen=True)
class Assessment:
    """Derived quantities each actor uses to decide, all (R, N, N) unless noted."""

    power: F64  # (R, N) combat power: armour x quality
    edge: F64  # drone advantage of i over j, e_ij - e_ji
    p_true: F64  # chance i wins a war against j, from capabilities
    p_win: F64  # i's belief of that chance
    cost: F64  # c_ij, i's cost of a war with j (share of the stake)
    optimism: F64  # mutual optimism margin: p̂_ij + p̂_ji - 1 - c_ij - c_ji
    shift: F64  # discounted adverse shift of i's chance, max_h delta^h (p - p^(h))
    preventive: F64  # shift - (1 - delta)(c_ij + c_ji)
    war_margin: F64  # how far war beats the best settlement (war open where > 0)
    desired: F64  # rung i wants to reach against j
    strike_success: F64  # chance a drone strike by i on j succeeds


def _allied_power(static: Static, power: F64) -> F64:
    """(R, N, N): expected allied power joining i against j: sum_k credibility[k, i] * power_k
    over the patrons k other than j, in patron order."""
    r, n = power.shape[0], static.n
    patrons = [k for k in range(n) if static.credibility[k].any()]
    pledged = {k: static.credibility[k][None, :] * power[:, k, None] for k in patrons}  # (R, N)

    def total(ks: list[int]) -> F64:
        acc = np.zeros((r, n))
        for k in ks:
            acc = acc + pledged[k]
        return acc

    out = np.empty((r, n, n))
    out[:] = total(patrons)[:, :, None]  # against a target that is no patron: all of them
    for j in patrons:  # a patron does not join a war against itself
        out[:, :, j] = total([k for k in patrons if k != j])
    return out


def patron_threat(static: Static, p_true: F64) -> F64:
    """(R, N, N): the retaliation i risks from j's patrons when it uses force against j,
    ``sum_k credibility[k, j] * (1 - p_ik)`` over the patrons k other than i (extended
    deterrence, Huth 1988: a commitment deters in proportion to its credibility and to the
    patron's own power against the attacker, not only through the power it would add to a
    war)."""
    out = np.zeros_like(p_true)
    for k in range(static.n):
        cred = static.credibility[k]  # k as patron of each client j
        if not cred.any():
            continue
        term = cred[None, None, :] * (1.0 - p_true[:, :, k])[:, :, None]
        term[:, k, :] = 0.0  # a patron does not deter itself
        out = out + term
    return out


def win_probability(static: Static, power: F64, parity: F64) -> F64:
    """Chance i wins against j from power, parity and expected allies (Lanchester-style shares)."""
    return _win(power, parity, _allied_power(static, power))


def _win(power: F64, parity: F64, allies: F64) -> F64:
    """:func:`win_probability` with the allied power at hand."""
    mine = power[:, :, None] * parity + allies
    theirs = np.swapaxes(mine, 1, 2)  # j's side against i: j's power, parity and allies
    total = mine + theirs
    with np.errstate(divide="ignore", invalid="ignore"):
        share = mine / total
    some = total > 0
    if not some.all():  # no force on either side: even chances
        share[~some] = 0.5
    return share


def _believe(p: F64, bias: F64) -> F64:
    """Shift a probability by ``bias`` on the log-odds."""
    clipped = np.clip(p, 1e-9, 1 - 1e-9)
    logit = np.log(clipped / (1 - clipped)) + bias
    return 1.0 / (1.0 + np.exp(-logit))


def war_cost(static: Static, params: Params) -> F64:
    """(R, N, N): c_ij, the cost of a war with j to i as a share of the stake."""
    risk = static.risk[None, :, None]
    size = np.clip(np.log10(static.gdp[None, None, :] / static.gdp[None, :, None]), 0.0, 2.0)
    base = params.col(W.WAR_COST_BASE) + params.col(W.WAR_COST_RISK) * (1.0 - risk)
    out: F64 = params.col(W.WAR_AVERSION) * base * (1.0 + params.col(W.WAR_COST_SIZE) * size)
    return out


def arrivals(state: State) -> B:
    """(L,): the slots of the arms-delivery pipeline that deliver anything in some replicate."""
    armour = fastchoice.any_rows(state.pipeline_armour).any(axis=0)
    drones = fastchoice.any_rows(state.pipeline_drones).any(axis=0)
    out: B = armour | drones
    return out


def _shift(
    static: Static, state: State, params: Params, p_now: F64, parity_now: F64, slots: B
) -> F64:
    """(R, N, N): max over horizons h of delta^h times the fall of i's chance when the arms in
    the pipeline arrive (announced deliveries are public: computed from capabilities). Only the
    ``slots`` that deliver something are looked at; the balance is recomputed only when
    something arrives (``parity_now``: the drone parity of now)."""
    best = np.zeros_like(p_now)
    if not slots.any():
        return best
    delta = params.col(W.SHIFT_DISCOUNT)
    armour, drones = state.armour, state.drones
    parity: F64 | None = parity_now
    allies: F64 | None = None
    for h in range(state.pipeline_armour.shape[2]):
        if state.pipeline_armour[:, :, h].any():
            armour = armour + state.pipeline_armour[:, :, h]
            allies = None
        if state.pipeline_drones[:, :, h].any():
            drones = drones + state.pipeline_drones[:, :, h]
            parity = None
        if not slots[h]:
            continue
        power = armour * static.quality
        if parity is None:
            parity = drone_parity.parity(static, drones, state.air_defence)
        if allies is None:
            allies = _allied_power(static, power)
        p_h = _win(power, parity, allies)
        # at choice time slot h arrives at the start of the (h + 1)-th next turn
        best = np.maximum(best, delta ** (h + 1) * np.clip(p_now - p_h, 0.0, 1.0))
    return best


def assess(
    static: Static, state: State, params: Params, turn: int, slots: B | None = None
) -> Assessment:
    """Compute each actor's view of each dyad this turn (``turn`` is kept for the API).

    ``slots``: the pipeline slots that deliver anything (:func:`arrivals`), when the state is
    a block of a larger batch: the batch's, so that a block is assessed as in the batch.
    ``params`` may be a single row for every replicate (:func:`_shared`): each weight then
    broadcasts as a scalar does, which numpy computes faster than an (R, 1, 1) column, with
    the same values.
    """
    del turn
    power = state.armour * static.quality
    strike = drone_parity.strike_power(static, state.drones)
    success = drone_parity.success_chance(strike, state.air_defence)
    edge = drone_parity.edge_of(static, success)
    parity = np.maximum(1.0 + drone_parity.weight(static) * edge, 0.0)
    p_true = win_probability(static, power, parity)
    noise = params.col(W.MISPERCEPTION) * state.belief_noise
    bias = (static.belief_offset[None] + noise) * state.clarity
    p_win = _believe(p_true, bias)

    # the war decision (Fearon; Powell)
    g = state.grievance
    cost = war_cost(static, params)
    both = cost + np.swapaxes(cost, 1, 2)
    optimism = p_win + np.swapaxes(p_win, 1, 2) - 1.0 - both
    status_quo = params.col(W.STATUS_QUO) * (1.0 - g)
    dissatisfied = p_win - cost - status_quo
    if slots is None:
        slots = arrivals(state)
    shift = _shift(static, state, params, p_true, parity, slots)
    preventive = shift - (1.0 - params.col(W.SHIFT_DISCOUNT)) * both
    rivals = g > params.col(W.RIVALRY_THRESHOLD)
    war_margin = np.maximum(
        np.where(dissatisfied > 0, optimism, -1.0),
        np.where(rivals & (p_win > cost), preventive, -1.0),
    )

    # the desired rung
    pressure = state.pressure[:, :, None]
    aggrieved = g > params.col(W.DESIRE_PRESSURE_MIN_GRIEVANCE)
    drive = (
        params.col(W.DESIRE_GRIEVANCE) * g
        + params.col(W.DESIRE_TENSION) * state.tension
        + params.col(W.DESIRE_PRESSURE) * pressure * aggrieved
    )
    base = np.clip(drive, 0.0, 1.0) * params.col(W.DESIRE_SCALE)
    resolve = static.resolve[None, :, None]
    base = base * (params.col(W.DESIRE_RESOLVE_BASE) + params.col(W.DESIRE_RESOLVE) * resolve)
    answers = g > params.col(W.RECIPROCITY_MIN_GRIEVANCE)
    received = np.swapaxes(state.rung, 1, 2).astype(np.float64)
    recip = params.col(W.RECIPROCITY) * received * answers
    desired = np.maximum(base, recip)
    desired = desired + params.col(W.DESIRE_DRONE_EDGE) * np.clip(edge, 0.0, 1.0) * answers
    risk = static.risk[None, :, None]
    weaker = np.clip(0.5 - p_true, 0.0, 0.5) * 2.0
    desired = desired * (1.0 - params.col(W.RESTRAINT) * weaker * (1.0 - risk))
    desired = np.clip(desired, 0.0, 8.0)
    return Assessment(
        power=power,
        edge=edge,
        p_true=p_true,
        p_win=p_win,
        cost=np.broadcast_to(cost, p_win.shape),  # (1, N, N) with shared weights
        optimism=optimism,
        shift=shift,
        preventive=preventive,
        war_margin=war_margin,
        desired=desired,
        strike_success=success,
    )


def utility_table(
    static: Static, state: State, params: Params, view: Assessment
) -> list[F64 | float]:
    """Utility of each action, in catalogue order, as arrays broadcastable to (R, N, N).

    ``-inf`` marks an option the reasons rule out (a war the bargaining account does not open).
    The table below is the whole decision model: one line per action (docs/model.md).
    """
    r, n = state.r, static.n
    P = params.col
    d = view.desired
    sec = static.doctrine[None, :, 0, None]
    eco = static.doctrine[None, :, 1, None]
    stand = static.doctrine[None, :, 2, None]
    tension = state.tension
    g = state.grievance
    enemy_share = 1.0 - view.p_true  # danger of retaliation
    size = np.clip(np.log10(static.gdp[None, None, :] / static.gdp[None, :, None]), 0.0, 2.0)
    risk = static.risk[None, :, None]
    force_risk = (
        P(W.WAR_AVERSION)
        * (
            P(W.FORCE_RISK_BASE)
            + (1.0 - risk) * enemy_share
            + P(W.PATRON_DETERRENCE) * patron_threat(static, view.p_true)
        )
        * (1.0 + P(W.WAR_COST_SIZE) * size)
    )
    edge = P(W.FORCE_DRONE_EDGE) * view.edge
    partners = ((static.credibility > 0) | (static.credibility.T > 0)).astype(np.float64)[None]
    motive = np.clip(d / P(W.MOTIVE_RUNG), 0.0, 1.0)
    no_motive = P(W.NO_MOTIVE_PENALTY) * (1.0 - motive) + P(W.NO_MOTIVE_FLOOR)
    height, width = P(W.FIT_HEIGHT), P(W.FIT_WIDTH)
    peak = motive * height
    fits: dict[int, F64] = {}

    def fit(rung: int) -> F64:
        """Peaked at the desired rung; actions with no motive behind them are penalised."""
        if rung not in fits:
            gap = (rung - d) * width
            fits[rung] = peak * (1.0 - gap * gap) - no_motive
        return fits[rung]

    # war: open only where the bargaining account says so
    war = np.where(
        view.war_margin > 0,
        P(W.WAR_UTILITY) + P(W.WAR_MOTIVE_GAIN) * view.war_margin,
        -np.inf,
    )
    # backing down after a public threat costs face (Fearon 1994)
    audience = P(W.AUDIENCE_WEIGHT) * domestic.audience_cost(static) * state.threatened
    # joining a war: the patron's credibility is its commitment
    cred_to_party = np.zeros((r, n, n))
    for k in range(n):
        if static.credibility[:, k].any() and state.at_war[:, k].any():  # a party with patrons
            cred_to_party = np.maximum(
                cred_to_party, static.credibility[None, :, k, None] * state.at_war[:, k, None, :]
            )
    # de-escalation: losing a war, or fighting no longer worth it, or calm wishes
    armour_share = np.where(
        static.armour0 > 0, state.armour / np.where(static.armour0 > 0, static.armour0, 1.0), 1.0
    )[:, :, None]
    breakpoint = combat.SPEC.or_default(static).breakpoint
    losing = P(W.CEASEFIRE_LOSING) * np.clip(breakpoint - armour_share, 0.0, 1.0) + P(
        W.CEASEFIRE_NOT_WINNING
    ) * np.clip(0.5 - view.p_win, 0.0, 1.0)
    no_war_motive = P(W.CEASEFIRE_NO_MOTIVE) * (view.war_margin <= 0)
    # while fighting still beats the best settlement, a side refuses to end the war
    fight_on = P(W.FIGHT_ON) * np.clip(view.war_margin, 0.0, None) * state.at_war
    calm = 1.0 - d / 8.0
    # a display of force answers a fresh act of coercion (signalling resolve; Schelling)
    coerced_by = np.swapaxes(state.last_action_rung, 1, 2)
    coerced = (coerced_by >= Rung.ECONOMIC_COERCION) & (coerced_by <= Rung.THREAT)
    deter = P(W.DETER_SIGNAL) * static.resolve[None, :, None] * coerced
    # a use of force answers a fresh use of force outside a war (retaliation in kind)
    attacked = (coerced_by == Rung.USE_OF_FORCE) & ~state.at_war
    retaliate = P(W.RETALIATION) * static.resolve[None, :, None] * attacked
    # a gray-zone attack traced to the target is named in public (Albania 2022): its victim
    # answers with a diplomatic sanction, the victim's partners condemn the attacker
    named_victim = np.swapaxes(state.attributed, 1, 2)  # j's attack on i was attributed
    # ... or j's attack on a partner of i: (attacker, victim) @ (victim, partner)
    on_partner = state.attributed.astype(np.int64) @ partners[0].astype(np.int64)
    named_partner = np.swapaxes(on_partner, 1, 2) > 0
    named = P(W.ATTRIBUTION_RESPONSE) * named_victim
    condemn = P(W.ATTRIBUTION_RESPONSE) * (named_partner & ~named_victim)
    # arms: need = the worst danger the actor faces from anyone
    danger = (tension * (1.0 - view.p_true)).max(axis=2)  # (R, N)

    table: dict[ActionId, F64 | float] = {
        A.HOLD: 0.0,
        A.PROTEST: fit(1) + condemn,
        A.STATE_VISIT: P(W.VISIT_PARTNERS) * partners
        + P(W.VISIT_STANDING) * stand
        - P(W.VISIT_COST),
        A.OPEN_CONSULATE: P(W.CONSULATE_PARTNERS) * partners
        + P(W.CONSULATE_STANDING) * stand
        - P(W.CONSULATE_COST),
        A.EXPEL_DIPLOMATS: fit(2) + named,
        A.SEVER_TIES: fit(2) + named,
        A.RESTORE_TIES: P(W.RESTORE_CALM) * calm - P(W.RESTORE_GRIEVANCE) * g - P(W.RESTORE_COST),
        A.REQUEST_MEDIATION: P(W.REQUEST_MEDIATION_TENSION) * tension
        + P(W.REQUEST_MEDIATION_CALM) * calm
        + P(W.REQUEST_MEDIATION_STANDING) * stand
        - P(W.REQUEST_MEDIATION_COST),
        A.ACCEPT_MEDIATION: P(W.ACCEPT_MEDIATION_TENSION) * tension
        + P(W.ACCEPT_MEDIATION_CALM) * calm
        + (losing + no_war_motive) * state.at_war
        - fight_on
        - P(W.ACCEPT_MEDIATION_COST)
        - audience,
        A.OFFER_CONCESSION: P(W.CONCESSION_THREAT) * enemy_share * tension
        + P(W.CONCESSION_CALM) * calm
        - P(W.CONCESSION_COST)
        - audience,
        A.PROPOSE_CEASEFIRE: losing
        + no_war_motive
        - fight_on
        + P(W.CEASEFIRE_CALM) * calm
        - P(W.CEASEFIRE_COST),
        A.LEVY_TRANSIT: fit(3) + P(W.LEVY_ECONOMY) * eco,
        A.CLOSE_CORRIDOR: fit(3) - P(W.CLOSE_ECONOMY) * eco,
        A.REOPEN_CORRIDOR: P(W.REOPEN_CALM) * calm - P(W.REOPEN_ECONOMY) * eco - P(W.REOPEN_COST),
        A.IMPOSE_SANCTIONS: fit(3) - P(W.SANCTIONS_ECONOMY) * eco,
        A.BUY_ARMS: P(W.BUY_ARMS_NEED) * sec * danger[:, :, None]
        - P(W.BUY_ARMS_ECONOMY) * eco
        - P(W.BUY_ARMS_COST),
        A.SUPPLY_ARMS: P(W.SUPPLY_ARMS_NEED) * static.credibility[None] * danger[:, None, :]
        - P(W.SUPPLY_ARMS_COST),
        A.CYBER_ATTACK: fit(4)
        + P(W.CYBER_CAPABILITY) * static.cyber[None, :, None]
        - P(W.CYBER_COST),
        A.COVERT_OPERATION: fit(4),
        A.ARREST_NETWORK: fit(4) + P(W.ARREST_SECURITY) * sec,
        A.SUPPORT_PROXY: fit(4),
        A.THREATEN: fit(5),
        A.THREATEN_WAR: fit(5),
        A.DRILLS: fit(6) + deter,
        A.ALERT: fit(6) + deter,
        A.MOBILIZE: fit(6) - P(W.MOBILIZE_ECONOMY) * eco,
        A.FORTIFY_BORDER: fit(6) + P(W.FORTIFY_SECURITY) * sec * enemy_share,
        A.BORDER_VIOLATION: fit(6),
        A.DRONE_STRIKE: fit(7)
        - force_risk
        + edge
        + P(W.STRIKE_SUCCESS_GAIN) * view.strike_success
        + retaliate,
        A.MISSILE_STRIKE: fit(7) - force_risk - P(W.MISSILE_PENALTY) + retaliate,
        A.BORDER_CLASH: fit(7) - force_risk + edge + retaliate,
        A.SEIZE_CORRIDOR: fit(7)
        - force_risk
        + edge
        + P(W.SEIZE_ECONOMY) * eco
        + P(W.SEIZE_DENIED) * transit.denied_share(static, state),
        A.BLOCKADE: fit(7) - force_risk + edge,
        A.LAUNCH_OFFENSIVE: war,
        A.JOIN_WAR: P(W.JOIN_CREDIBILITY) * cred_to_party
        + P(W.JOIN_WIN) * (view.p_win - 0.5)
        - P(W.JOIN_COST) * view.cost
        - P(W.JOIN_BASE),
        A.STAND_DOWN: P(W.STAND_DOWN_CALM) * calm
        + P(W.STAND_DOWN_ECONOMY) * eco
        - P(W.STAND_DOWN_COST)
        - audience,
    }
    return [table[a.id] for a in act.CATALOGUE]


def utilities(static: Static, state: State, params: Params, view: Assessment) -> F64:
    """Utility of every (actor, action, target): array (R, N, A, N); illegal ones not masked."""
    shape = (state.r, static.n, static.n)
    table = utility_table(static, state, params, view)
    return np.stack([np.broadcast_to(x, shape) for x in table], axis=2)


#: Quantisation of softmax weights: integer weights make the cumulative sum exact.
_QUANTUM = float(2**40)

#: Cells (replicates x actors x targets) of a block of the choice: large batches choose block by
#: block of replicates, so that a block's arrays stay in the processor's cache (about 1,000
#: replicates of 6 actors). Each replicate's choice is computed from its own rows only, so the
#: blocks change nothing.
BLOCK_CELLS = 36_864


def _shared(params: Params) -> Params:
    """``params`` as a single row when every replicate has the same weights, bit for bit (the
    usual case: a forecast, a batch at the defaults). The utility table then computes its terms
    of weights and the scenario only once, not once per replicate; every value is the same."""
    v = params.values
    if v.shape[0] > 1 and (v == v[:1]).all() and (np.signbit(v) == np.signbit(v[:1])).all():
        return Params(v[:1])
    return params


def _masks(legal: B | Sequence[B]) -> list[B]:
    """Legality per action: a list of (R, N, N) arrays, from (R, N, A, N) or already a list."""
    if isinstance(legal, np.ndarray):
        return [legal[:, :, k, :] for k in range(legal.shape[2])]
    return list(legal)


def choose(
    static: Static, state: State, params: Params, legal: B | Sequence[B], turn: int
) -> tuple[I64, I64]:
    """Sample each actor's (action, target) by a softmax over utilities of legal actions.

    Args:
        legal: legality of every action, (R, N, A, N) (sim.actions.legal_mask) or one (R, N, N)
            array per action (sim.actions.legal_masks).

    Returns:
        action indices (R, N) and target indices (R, N). (:func:`assess` gives the view the
        choice was made on.)
    """
    masks = _masks(legal)
    r, n = state.r, static.n
    u01 = uniform(state.seeds, turn, Purpose.DECISION, (n,))
    columns = _Columns.of(masks)
    shared = _shared(params)
    if fastchoice.enabled():
        pick = _choose_compiled(static, state, params, shared, masks, columns, u01)
        return pick // n, pick % n
    temperature = shared[W.TEMPERATURE][:, None]  # (1, 1) when shared: the same values
    if r > 1 and shared.r == 1 and state.same():
        # every replicate is in the same state with the same weights (the futures of a forecast
        # at their start): one assessment and one table serve them all; the draws are their own
        one = state.rows(0, 1)
        table = utility_table(static, one, shared, assess(static, one, shared, turn))
        pick = _sample(table, masks, columns, temperature, u01)
        return pick // n, pick % n
    size = max(1, BLOCK_CELLS // max(n * n, 1))
    if r <= size:
        table = utility_table(static, state, shared, assess(static, state, shared, turn))
        pick = _sample(table, masks, columns, temperature, u01)
        return pick // n, pick % n
    slots = arrivals(state)  # the batch's, so that every block is assessed as in the batch
    pick = np.empty((r, n), dtype=np.int64)
    for a in range(0, r, size):
        b = min(a + size, r)
        sub, sub_params = state.rows(a, b), params.rows(a, b)
        weights = shared if shared.r == 1 else sub_params
        table = utility_table(static, sub, weights, assess(static, sub, weights, turn, slots))
        block = [m[a:b] for m in masks]
        temp = temperature if shared.r == 1 else temperature[a:b]
        pick[a:b] = _sample(table, block, columns, temp, u01[a:b])
    return pick // n, pick % n


def _choose_compiled(
    static: Static,
    state: State,
    params: Params,
    shared: Params,
    masks: list[B],
    columns: _Columns,
    u01: F64,
) -> I64:
    """:func:`choose` by the compiled kernels of sim.fastchoice: the same (R, N) flat choices
    as the numpy reference below (tests/test_fastchoice.py)."""
    r = state.r
    alike = r > 1 and shared.r == 1 and state.same()
    x = state.rows(0, 1) if alike else state
    weights = shared if shared.r == 1 else params
    rows = [m[:1] if alike else _one_row(m) for m in masks]
    ok = np.empty((max(m.shape[0] for m in rows), columns.actor.size), dtype=bool)
    for k, cols in columns.by_action:
        ok[:, cols] = _at(rows[k], columns.actor[cols], columns.target[cols])
    logits = fastchoice.logits(static, x, weights, ok, columns, arrivals(state))
    np.exp(logits, out=logits)
    return fastchoice.draw(logits, columns, u01, static.n, _QUANTUM)


@dataclass(frozen=True)
class _Columns:
    """The (actor, action, target) triples legal in some replicate of a batch: the columns of
    the softmax, by actor, then in catalogue order, then target order.

    Only (action, target) pairs legal in some replicate are computed. Leaving out pairs that
    are illegal everywhere (weight 0 everywhere) changes no replicate's draw, so this is as
    batch-invariant as the full computation and much faster.
    """

    actor: I64
    action: I64
    target: I64
    by_action: list[tuple[int, I64]]  # each action's columns
    bounds: I64  # actor i's columns are bounds[i]:bounds[i + 1]

    @classmethod
    def of(cls, masks: list[B]) -> _Columns:
        """The columns of the batch with these legality masks."""
        n = masks[0].shape[1]
        possible = np.stack([fastchoice.any_rows(_one_row(m)) for m in masks], axis=1)
        actor, action, target = np.nonzero(possible)  # (N, A, N): in the order of the columns
        by_action = [(int(k), np.flatnonzero(action == k)) for k in np.unique(action)]
        bounds = np.searchsorted(actor, np.arange(n + 1))
        return cls(actor, action, target, by_action, bounds)


def _sample(
    table: list[F64 | float], masks: list[B], columns: _Columns, temperature: F64, u01: F64
) -> I64:
    """(R, N) flat choices (action * N + target): each actor's draw from the softmax.

    The utilities, masks and temperature may have one row for all replicates (every replicate
    alike: the futures of a forecast at their start; a mask may be a broadcast view of one
    row): the weights are then computed once, and only the draws are per replicate.
    """
    r, n = u01.shape
    c = columns
    mine = [(k, cols, _one_row(table[k]), _one_row(masks[k])) for k, cols in c.by_action]
    m = max(
        [np.shape(temperature)[0]]
        + [a.shape[0] for *_, x, y in mine for a in (x, y) if a.ndim == 3]
    )
    values = np.empty((m, c.actor.size))
    ok = np.empty((m, c.actor.size), dtype=bool)
    for _, cols, x, y in mine:  # one gather per action
        values[:, cols] = _at(x, c.actor[cols], c.target[cols])
        ok[:, cols] = _at(y, c.actor[cols], c.target[cols])
    ok &= values > -np.inf
    pick = np.empty((r, n), dtype=np.int64)
    for i in range(n):
        seg = slice(c.bounds[i], c.bounds[i + 1])  # actor i's columns
        logits = values[:, seg] / temperature
        logits[~ok[:, seg]] = -np.inf
        # weights exp(logit - top) * _QUANTUM, computed in place
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits *= _QUANTUM
        cdf = np.cumsum(logits.astype(np.int64), axis=1)
        draw = (u01[:, i] * cdf[:, -1]).astype(np.int64)
        first = c.bounds[i] + (cdf <= draw[:, None]).sum(axis=1)
        pick[:, i] = c.action[first] * n + c.target[first]
    return pick


def _one_row(x: NDArray[np.generic] | float) -> NDArray[np.generic]:
    """``x`` with its replicate axis cut to one row when it is a broadcast view of one row (a
    leading stride of 0: every replicate reads the same values)."""
    a = np.asarray(x)
    if a.ndim == 3 and a.shape[0] > 1 and a.strides[0] == 0:
        return a[:1]
    return a


def _at(x: NDArray[np.generic] | float, ii: I64, jj: I64) -> NDArray[np.generic]:
    """The values at the pairs (ii, jj) of an array broadcastable to (R, N, N): (R or 1, pairs)
    or a scalar; gathered from the array as it is, without broadcasting it first."""
    a = np.asarray(x)
    if a.ndim == 0:
        return a
    a = a.reshape((1,) * (3 - a.ndim) + a.shape)  # broadcasting aligns the trailing axes
    if a.shape[1] == 1 and a.shape[2] == 1:
        return a[:, 0, :]
    return a[:, ii if a.shape[1] > 1 else 0, jj if a.shape[2] > 1 else 0]


def action_probabilities(static: Static, state: State, params: Params, legal: B, turn: int) -> F64:
    """The softmax probabilities of every (action, target) for every actor: (R, N, A, N)."""
    view = assess(static, state, params, turn)
    u = utilities(static, state, params, view)
    ok = legal & (u > -np.inf)
    logits = np.where(ok, u / params[W.TEMPERATURE][:, None, None, None], -np.inf)
    r, n = state.r, static.n
    flat = logits.reshape(r, n, -1)
    e = np.exp(flat - flat.max(axis=2, keepdims=True))
    return (e / e.sum(axis=2, keepdims=True)).reshape(u.shape)


def learn(t: Turn) -> None:
    """Fighting reveals strength: each pair's remaining misperception shrinks with the turn's
    fighting, ``k <- k / (1 + learning_war · days_of_war + learning_force · uses_of_force)``.
    Only +, * and / are used, so the update is bitwise reproducible on any machine."""
    if not (t.fought.any() or t.skirmishes.any()):
        return
    factor = (
        1.0
        + t.params.col(W.LEARNING_WAR) * t.fought
        + t.params.col(W.LEARNING_FORCE) * t.skirmishes
    )
    t.state.clarity = t.state.clarity / factor
