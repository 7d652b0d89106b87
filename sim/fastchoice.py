"""The decisions compiled: :func:`sim.decisions.choose` as machine code, with the same results.

The decision model is written once, in numpy, in sim.decisions (:func:`~sim.decisions.assess`,
:func:`~sim.decisions.utility_table`, :func:`~sim.decisions._sample`): that is the model's text
and its reference. Evaluated as whole-array numpy expressions it costs about 60% of a step,
because every term of every action is an (R, N, N) temporary. This module computes the same
numbers replicate by replicate in loops compiled by numba, keeping each replicate's dyads in
registers and cache, and evaluates only the (actor, action, target) columns legal somewhere in
the batch.

**The same numbers, bit for bit.** Every expression below is the reference's, term by term
and in the same order of operations (IEEE 754 addition and multiplication are exactly
reproducible; numba does not reassociate or fuse them unless asked to with ``fastmath``, which
is off). The three places where the reference calls an elementary function (the log-odds of a
belief, the discount ``delta ** h`` and the softmax's exponential) are left to numpy itself
between the compiled stages, because numpy's vectorised ``exp``, ``log`` and ``power`` need not
round as the C library's do. So the utilities, the softmax weights and the draws are those of
the reference, and the choices identical: tests/test_fastchoice.py compares them on states
from every crisis, and scripts/fingerprint.py hashes whole forecasts and batches.

Stages (each over every replicate; ``m`` is 1 when the replicates are all alike):

1. :func:`_balance`: power, drone strike power, strike success, drone edge, parity, expected
   allies and the chance of winning ``p_true``; and the belief's bias.
2. numpy: ``p_win`` from ``p_true`` and the bias (:func:`sim.decisions._believe`).
3. :func:`_logits`: the rest of the assessment (war costs, the bargaining account, the shift
   of power, the desired rung) and the utility of every column, divided by the temperature,
   illegal or ruled-out columns at ``-inf``, each actor's best at 0.
4. numpy: ``exp`` of the logits, in place.
5. :func:`_draw`: integer weights (``_QUANTUM`` for the best), cumulative sums and the draw.

Set ``BORDERLINE_COMPILED=0`` to run the numpy reference instead (slower, the same results);
it is also used where numba is not installed.
"""

from __future__ import annotations

import os
from collections import namedtuple
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim import actions as act
from sim.ladder import Rung
from sim.rules import combat, domestic, drone_parity, transit
from sim.scenario.models import ActionId
from sim.weights import W
from sim.world import Params, State, Static

try:  # numba is a dependency; without it (an unsupported platform) the reference runs
    import numba

    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised only where numba has no wheel
    numba = None  # type: ignore[assignment]
    AVAILABLE = False

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]
A = ActionId


def enabled() -> bool:
    """Whether the engine uses the compiled decisions (numba is there, and
    ``BORDERLINE_COMPILED`` is not ``0``)."""
    return AVAILABLE and os.environ.get("BORDERLINE_COMPILED", "1") != "0"


#: The weights the decisions read, by name: passed to the kernels as a tuple of (m,) columns.
WEIGHTS = (  # noqa: SIM905 - 86 names read better as text than as a list
    "TEMPERATURE MISPERCEPTION STATUS_QUO SHIFT_DISCOUNT RIVALRY_THRESHOLD WAR_AVERSION "
    "WAR_COST_BASE WAR_COST_RISK WAR_COST_SIZE DESIRE_GRIEVANCE DESIRE_TENSION DESIRE_PRESSURE "
    "DESIRE_PRESSURE_MIN_GRIEVANCE DESIRE_SCALE DESIRE_RESOLVE_BASE DESIRE_RESOLVE RECIPROCITY "
    "RECIPROCITY_MIN_GRIEVANCE DESIRE_DRONE_EDGE RESTRAINT FORCE_RISK_BASE PATRON_DETERRENCE "
    "FORCE_DRONE_EDGE MOTIVE_RUNG NO_MOTIVE_PENALTY NO_MOTIVE_FLOOR FIT_HEIGHT FIT_WIDTH "
    "WAR_UTILITY WAR_MOTIVE_GAIN AUDIENCE_WEIGHT CEASEFIRE_LOSING CEASEFIRE_NOT_WINNING "
    "CEASEFIRE_NO_MOTIVE FIGHT_ON DETER_SIGNAL RETALIATION ATTRIBUTION_RESPONSE VISIT_PARTNERS "
    "VISIT_STANDING VISIT_COST CONSULATE_PARTNERS CONSULATE_STANDING CONSULATE_COST "
    "RESTORE_CALM RESTORE_GRIEVANCE RESTORE_COST REQUEST_MEDIATION_TENSION "
    "REQUEST_MEDIATION_CALM REQUEST_MEDIATION_STANDING REQUEST_MEDIATION_COST "
    "ACCEPT_MEDIATION_TENSION ACCEPT_MEDIATION_CALM ACCEPT_MEDIATION_COST CONCESSION_THREAT "
    "CONCESSION_CALM CONCESSION_COST CEASEFIRE_CALM CEASEFIRE_COST LEVY_ECONOMY CLOSE_ECONOMY "
    "REOPEN_CALM REOPEN_ECONOMY REOPEN_COST SANCTIONS_ECONOMY BUY_ARMS_NEED BUY_ARMS_ECONOMY "
    "BUY_ARMS_COST SUPPLY_ARMS_NEED SUPPLY_ARMS_COST CYBER_CAPABILITY CYBER_COST "
    "ARREST_SECURITY MOBILIZE_ECONOMY FORTIFY_SECURITY STRIKE_SUCCESS_GAIN MISSILE_PENALTY "
    "SEIZE_ECONOMY SEIZE_DENIED JOIN_CREDIBILITY JOIN_WIN JOIN_COST JOIN_BASE STAND_DOWN_CALM "
    "STAND_DOWN_ECONOMY STAND_DOWN_COST"
).split()
Weights = namedtuple("Weights", [w.lower() for w in WEIGHTS])  # type: ignore[misc]

#: What each action's utility is made of: the kernel's code for each catalogue entry.
# fmt: off
_KIND_ORDER = (
    A.HOLD, A.PROTEST, A.STATE_VISIT, A.OPEN_CONSULATE, A.EXPEL_DIPLOMATS,
    A.SEVER_TIES, A.RESTORE_TIES, A.REQUEST_MEDIATION, A.ACCEPT_MEDIATION,
    A.OFFER_CONCESSION, A.PROPOSE_CEASEFIRE, A.LEVY_TRANSIT, A.CLOSE_CORRIDOR,
    A.REOPEN_CORRIDOR, A.IMPOSE_SANCTIONS, A.BUY_ARMS, A.SUPPLY_ARMS, A.CYBER_ATTACK,
    A.COVERT_OPERATION, A.ARREST_NETWORK, A.SUPPORT_PROXY, A.THREATEN, A.THREATEN_WAR,
    A.DRILLS, A.ALERT, A.MOBILIZE, A.FORTIFY_BORDER, A.BORDER_VIOLATION,
    A.DRONE_STRIKE, A.MISSILE_STRIKE, A.BORDER_CLASH, A.SEIZE_CORRIDOR, A.BLOCKADE,
    A.LAUNCH_OFFENSIVE, A.JOIN_WAR, A.STAND_DOWN,
)
# fmt: on
KINDS: dict[ActionId, int] = {a: k for k, a in enumerate(_KIND_ORDER)}
if set(KINDS) != {a.id for a in act.CATALOGUE}:  # pragma: no cover - a guard for the authors
    raise ImportError(
        "sim/fastchoice.py has no utility for actions "
        f"{sorted({a.id for a in act.CATALOGUE} - set(KINDS))}: add them to _KIND_ORDER and "
        "to the column loop of _logits, as sim.decisions.utility_table computes them"
    )


def _jit(f: Any) -> Any:
    return numba.njit(cache=True, nogil=True)(f) if AVAILABLE else f


# ----------------------------------------------------------------------------------------------
# Stage 1: the balance of forces (sim.decisions.assess, up to p_true; sim.rules.drone_parity)
# ----------------------------------------------------------------------------------------------


@_jit
def _strike(n, drones, drone_owner, drone_strike, reach, r, out):  # type: ignore[no-untyped-def]
    """drone_parity.strike_power of replicate r: summed per owner in type order."""
    for i in range(n):
        for j in range(n):
            out[i, j] = 0.0
    for d in range(drone_owner.shape[0]):
        i = drone_owner[d]
        x = drones[r, d] * drone_strike[d]
        for j in range(n):
            out[i, j] = out[i, j] + x * reach[d, j]
    for i in range(n):
        out[i, i] = 0.0


@_jit
def _parity(n, strike, ad, r, parity_on, w, success, edge, parity):  # type: ignore[no-untyped-def]
    """Strike success S / (S + AD), the edge e_ij - e_ji and the parity multiplier."""
    for i in range(n):
        for j in range(n):
            total = strike[i, j] + ad[r, j]
            success[i, j] = strike[i, j] / total if total > 0 else 0.0
    for i in range(n):
        for j in range(n):
            e = success[i, j] - success[j, i] if parity_on else 0.0
            edge[i, j] = e
            parity[i, j] = max(1.0 + w * e, 0.0)


@_jit
def _allies(n, power, credibility, patron, out):  # type: ignore[no-untyped-def]
    """sim.decisions._allied_power of one replicate: the patrons' pledged power, summed in
    patron order, without the target when it is a patron itself."""
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for k in range(n):
                if patron[k] and k != j:
                    acc = acc + credibility[k, i] * power[k]
            out[i, j] = acc


@_jit
def _win(n, power, parity, allies, out):  # type: ignore[no-untyped-def]
    """sim.decisions._win of one replicate: mine / (mine + theirs), even chances at no force."""
    for i in range(n):
        for j in range(n):
            mine = power[i] * parity[i, j] + allies[i, j]
            theirs = power[j] * parity[j, i] + allies[j, i]
            total = mine + theirs
            out[i, j] = mine / total if total > 0 else 0.5


@_jit
def _balance(  # type: ignore[no-untyped-def]
    m, n, quality, armour, drones, ad, drone_owner, drone_strike, reach, parity_on, w,
    credibility, patron, belief_offset, misperception, belief_noise, clarity,
    p_true, bias, edge, success, parity,
):  # fmt: skip
    """Stage 1 for replicates 0..m-1: p_true, the belief's bias, edge, success and parity."""
    power = np.empty(n)
    strike = np.empty((n, n))
    allies = np.empty((n, n))
    for r in range(m):
        pr = 0 if misperception.shape[0] == 1 else r
        for i in range(n):
            power[i] = armour[r, i] * quality[i]
        _strike(n, drones, drone_owner, drone_strike, reach, r, strike)
        _parity(n, strike, ad, r, parity_on, w, success[r], edge[r], parity[r])
        _allies(n, power, credibility, patron, allies)
        _win(n, power, parity[r], allies, p_true[r])
        for i in range(n):
            for j in range(n):
                noise = misperception[pr] * belief_noise[r, i, j]
                bias[r, i, j] = (belief_offset[i, j] + noise) * clarity[r, i, j]


# ----------------------------------------------------------------------------------------------
# Stage 3: the rest of the assessment and the utilities (sim.decisions.assess, utility_table)
# ----------------------------------------------------------------------------------------------


def _clip(x: float, lo: float, hi: float) -> float:
    """np.clip of a scalar: min(max(x, lo), hi)."""
    return min(max(x, lo), hi)


_clip = _jit(_clip)


@_jit
def _fit(rung, d, width, peak, no_motive):  # type: ignore[no-untyped-def]
    """The peaked fit of an action of ``rung`` to the desired rung ``d``."""
    gap = (rung - d) * width
    return peak * (1.0 - gap * gap) - no_motive


@_jit
def _strike_ij(i, j, drn, drone_owner, drone_strike, reach):  # type: ignore[no-untyped-def]
    """:func:`_strike` of one dyad: the same sum, in the same order."""
    if i == j:
        return 0.0
    acc = 0.0
    for d in range(drone_owner.shape[0]):
        if drone_owner[d] == i:
            x = drn[d] * drone_strike[d]
            acc = acc + x * reach[d, j]
    return acc


@_jit
def _allies_ij(n, i, j, power, credibility, patron):  # type: ignore[no-untyped-def]
    """:func:`_allies` of one dyad."""
    acc = 0.0
    for k in range(n):
        if patron[k] and k != j:
            acc = acc + credibility[k, i] * power[k]
    return acc


@_jit
def _win_after(  # type: ignore[no-untyped-def]
    n, i, j, power, drn, drones_came, credibility, patron,
    drone_owner, drone_strike, reach, ad, r, parity_on, w_parity, parity_now,
):  # fmt: skip
    """:func:`_win` of the dyad (i, j) once the arms delivered so far (``power``, ``drn``) are
    in: the balance recomputed for that dyad alone, every term as :func:`_balance` has it."""
    if drones_came:
        s_ij = _strike_ij(i, j, drn, drone_owner, drone_strike, reach)
        s_ji = _strike_ij(j, i, drn, drone_owner, drone_strike, reach)
        total = s_ij + ad[r, j]
        succ_ij = s_ij / total if total > 0 else 0.0
        total = s_ji + ad[r, i]
        succ_ji = s_ji / total if total > 0 else 0.0
        e_ij = succ_ij - succ_ji if parity_on else 0.0
        e_ji = succ_ji - succ_ij if parity_on else 0.0
        par_ij = max(1.0 + w_parity * e_ij, 0.0)
        par_ji = max(1.0 + w_parity * e_ji, 0.0)
    else:
        par_ij, par_ji = parity_now[r, i, j], parity_now[r, j, i]
    mine = power[i] * par_ij + _allies_ij(n, i, j, power, credibility, patron)
    theirs = power[j] * par_ji + _allies_ij(n, j, i, power, credibility, patron)
    total = mine + theirs
    return mine / total if total > 0 else 0.5


@_jit
def _logits(  # type: ignore[no-untyped-def]
    m, n, wt, dpow, slots, arm_any, drn_any,
    quality, risk, resolve, doctrine, credibility, patron, size, cyber, armour0, partners,
    drone_owner, drone_strike, reach, parity_on, w_parity, audience_cost, breakpoint,
    transit_on, switch_loss, corridor_alt, corridor_users,
    armour, drones, ad, pipe_armour, pipe_drones, grievance, tension, pressure, rung,
    last_rung, threatened, at_war, attributed, corridor_status, corridor_controller,
    corridor_levy,
    p_true, p_win, edge, success, parity_now,
    rungs, col_actor, col_target, col_kind, bounds, ok, out,
):  # fmt: skip
    """Stage 3 for replicates 0..m-1: ``out[r, c]`` = utility of column c / temperature, -inf
    where illegal or ruled out, minus the actor's best legal logit."""
    n_slots = slots.shape[0]
    # scratch, reused for every replicate. Each its own allocation, on purpose: as views of
    # one (14, n, n) array the kernel ran 11% slower (54 -> 60 ms a 12,400-replicate call),
    # the compiler no longer knowing that writes to one cannot change another.
    cost = np.empty((n, n))
    shift = np.empty((n, n))
    wm = np.empty((n, n))
    desired = np.empty((n, n))
    danger = np.empty(n)
    top = np.empty(n)  # each actor's best logit so far
    # a dyad's desired rung, no-motive penalty, peak and calm, side by side: each column reads
    # all four (one index computation, one cache line; the kernel 0.94-0.97x)
    fit_d = np.empty((n, n, 4))
    denied = np.empty((n, n))
    power = np.empty(n)
    arm = np.empty(n)
    drn = np.empty(drones.shape[1])
    open_i = np.empty(n * n, dtype=np.int64)
    risk_d = np.empty((n, n))  # a dyad's risk of force, computed at replicate risk_at[i, j]
    risk_at = np.full((n, n), -1, dtype=np.int64)
    open_j = np.empty(n * n, dtype=np.int64)
    for r in range(m):
        pr = 0 if wt.temperature.shape[0] == 1 else r
        pt, pw = p_true[r], p_win[r]
        g, ten = grievance[r], tension[r]
        # war costs (sim.decisions.war_cost)
        for i in range(n):
            base = wt.war_cost_base[pr] + wt.war_cost_risk[pr] * (1.0 - risk[i])
            for j in range(n):
                cost[i, j] = wt.war_aversion[pr] * base * (1.0 + wt.war_cost_size[pr] * size[i, j])
        # the shift of power when announced deliveries arrive (sim.decisions._shift)
        for i in range(n):
            for j in range(n):
                shift[i, j] = 0.0
        # The shift counts only towards a preventive war, weighed only in a dyad of rivals
        # where war now is worth fighting (below): it is computed for those dyads alone.
        n_open = 0
        for i in range(n):
            for j in range(n):
                if g[i, j] > wt.rivalry_threshold[pr] and pw[i, j] > cost[i, j]:
                    open_i[n_open] = i
                    open_j[n_open] = j
                    n_open += 1
        # (A slot before any delivery to this replicate adds nothing: p_h = p_now.)
        if n_open > 0 and slots.any():
            for i in range(n):
                arm[i] = armour[r, i]
            for d in range(drn.shape[0]):
                drn[d] = drones[r, d]
            delivered = False  # anything delivered to this replicate yet
            drones_came = False  # parity_now holds until drones arrive
            for h in range(n_slots):
                if arm_any[h]:
                    for i in range(n):
                        x = pipe_armour[r, i, h]
                        if x != 0.0:
                            delivered = True
                        arm[i] = arm[i] + x
                if drn_any[h]:
                    for d in range(drn.shape[0]):
                        x = pipe_drones[r, d, h]
                        if x != 0.0:
                            drones_came = delivered = True
                        drn[d] = drn[d] + x
                if not slots[h] or not delivered:
                    continue
                for i in range(n):
                    power[i] = arm[i] * quality[i]
                for q in range(n_open):
                    i, j = open_i[q], open_j[q]
                    p_h = _win_after(
                        n, i, j, power, drn, drones_came, credibility, patron,
                        drone_owner, drone_strike, reach, ad, r, parity_on, w_parity,
                        parity_now,
                    )  # fmt: skip
                    x = dpow[pr, h] * _clip(pt[i, j] - p_h, 0.0, 1.0)
                    shift[i, j] = max(shift[i, j], x)
        # the bargaining account and the desired rung (sim.decisions.assess)
        for i in range(n):
            for j in range(n):
                both = cost[i, j] + cost[j, i]
                optimism = pw[i, j] + pw[j, i] - 1.0 - both
                status_quo = wt.status_quo[pr] * (1.0 - g[i, j])
                dissatisfied = pw[i, j] - cost[i, j] - status_quo
                preventive = shift[i, j] - (1.0 - wt.shift_discount[pr]) * both
                rivals = g[i, j] > wt.rivalry_threshold[pr]
                a = optimism if dissatisfied > 0 else -1.0
                b = preventive if (rivals and pw[i, j] > cost[i, j]) else -1.0
                wm[i, j] = max(a, b)
                aggrieved = 1.0 if g[i, j] > wt.desire_pressure_min_grievance[pr] else 0.0
                drive = (
                    wt.desire_grievance[pr] * g[i, j]
                    + wt.desire_tension[pr] * ten[i, j]
                    + wt.desire_pressure[pr] * pressure[r, i] * aggrieved
                )
                base = _clip(drive, 0.0, 1.0) * wt.desire_scale[pr]
                base = base * (wt.desire_resolve_base[pr] + wt.desire_resolve[pr] * resolve[i])
                answers = 1.0 if g[i, j] > wt.reciprocity_min_grievance[pr] else 0.0
                received = float(rung[r, j, i])
                recip = wt.reciprocity[pr] * received * answers
                dd = max(base, recip)
                dd = dd + wt.desire_drone_edge[pr] * _clip(edge[r, i, j], 0.0, 1.0) * answers
                weaker = _clip(0.5 - pt[i, j], 0.0, 0.5) * 2.0
                dd = dd * (1.0 - wt.restraint[pr] * weaker * (1.0 - risk[i]))
                desired[i, j] = _clip(dd, 0.0, 8.0)
        # arms: the worst danger each actor faces; transit: what each corridor denies
        for i in range(n):
            x = ten[i, 0] * (1.0 - pt[i, 0])
            for j in range(1, n):
                x = max(x, ten[i, j] * (1.0 - pt[i, j]))
            danger[i] = x
        for i in range(n):
            for j in range(n):
                denied[i, j] = 0.0
        if transit_on:
            for k in range(corridor_status.shape[1]):
                status = corridor_status[r, k]
                ctrl = corridor_controller[r, k]
                alt = corridor_alt[k]
                alt_open = alt >= 0 and (
                    corridor_status[r, alt] == 0 or corridor_status[r, alt] == 1
                )
                for user in range(n):
                    if not corridor_users[k, user] or ctrl == user:
                        continue
                    can_switch = alt_open and (corridor_users[alt, user] if alt >= 0 else False)
                    if status == 2:
                        share = switch_loss if can_switch else 1.0
                    elif status == 1:
                        share = corridor_levy[r, k]
                    else:
                        share = 0.0
                    denied[user, ctrl] = max(denied[user, ctrl], share)
        # what every column of a dyad shares: the motive's fit and the calm (once per dyad)
        for i in range(n):
            for j in range(n):
                d = desired[i, j]
                motive = _clip(d / wt.motive_rung[pr], 0.0, 1.0)
                fit_d[i, j, 0] = d
                fit_d[i, j, 1] = wt.no_motive_penalty[pr] * (1.0 - motive) + wt.no_motive_floor[pr]
                fit_d[i, j, 2] = motive * wt.fit_height[pr]
                fit_d[i, j, 3] = 1.0 - d / 8.0
        # the utility of each column
        temperature = wt.temperature[pr]
        width = wt.fit_width[pr]
        for i in range(n):
            top[i] = -np.inf
        for c in range(col_actor.shape[0]):
            i, j, kind = col_actor[c], col_target[c], col_kind[c]
            if not ok[r, c]:
                out[r, c] = -np.inf
                top[i] = max(top[i], -np.inf)  # (as every column's: the same maxima, in order)
                continue
            d, no_motive = fit_d[i, j, 0], fit_d[i, j, 1]
            peak, calm = fit_d[i, j, 2], fit_d[i, j, 3]
            sec, eco, stand = doctrine[i, 0], doctrine[i, 1], doctrine[i, 2]
            enemy_share = 1.0 - pt[i, j]
            cb = last_rung[r, j, i]
            war_ij = at_war[r, i, j]
            u = 0.0
            if kind == 0:  # hold
                u = 0.0
            elif kind == 1:  # protest: condemn a partner's attacker
                named_victim = attributed[r, j, i]
                named_partner = False
                for v in range(n):
                    if attributed[r, j, v] and partners[v, i] > 0:
                        named_partner = True
                condemn = wt.attribution_response[pr] * (named_partner and not named_victim)
                u = _fit(1, d, width, peak, no_motive) + condemn
            elif kind == 2:
                u = (
                    wt.visit_partners[pr] * partners[i, j]
                    + wt.visit_standing[pr] * stand
                    - wt.visit_cost[pr]
                )
            elif kind == 3:
                u = (
                    wt.consulate_partners[pr] * partners[i, j]
                    + wt.consulate_standing[pr] * stand
                    - wt.consulate_cost[pr]
                )
            elif kind == 4 or kind == 5:
                named = wt.attribution_response[pr] * attributed[r, j, i]
                u = _fit(2, d, width, peak, no_motive) + named
            elif kind == 6:
                u = (
                    wt.restore_calm[pr] * calm
                    - wt.restore_grievance[pr] * g[i, j]
                    - wt.restore_cost[pr]
                )
            elif kind == 7:
                u = (
                    wt.request_mediation_tension[pr] * ten[i, j]
                    + wt.request_mediation_calm[pr] * calm
                    + wt.request_mediation_standing[pr] * stand
                    - wt.request_mediation_cost[pr]
                )
            elif kind == 8 or kind == 10:
                share = armour[r, i] / armour0[i] if armour0[i] > 0 else 1.0
                losing = wt.ceasefire_losing[pr] * _clip(
                    breakpoint - share, 0.0, 1.0
                ) + wt.ceasefire_not_winning[pr] * _clip(0.5 - pw[i, j], 0.0, 1.0)
                no_war_motive = wt.ceasefire_no_motive[pr] * (wm[i, j] <= 0)
                fight_on = wt.fight_on[pr] * max(wm[i, j], 0.0) * war_ij
                if kind == 8:
                    audience = wt.audience_weight[pr] * audience_cost * threatened[r, i, j]
                    u = (
                        wt.accept_mediation_tension[pr] * ten[i, j]
                        + wt.accept_mediation_calm[pr] * calm
                        + (losing + no_war_motive) * war_ij
                        - fight_on
                        - wt.accept_mediation_cost[pr]
                        - audience
                    )
                else:
                    u = (
                        losing
                        + no_war_motive
                        - fight_on
                        + wt.ceasefire_calm[pr] * calm
                        - wt.ceasefire_cost[pr]
                    )
            elif kind == 9:
                audience = wt.audience_weight[pr] * audience_cost * threatened[r, i, j]
                u = (
                    wt.concession_threat[pr] * enemy_share * ten[i, j]
                    + wt.concession_calm[pr] * calm
                    - wt.concession_cost[pr]
                    - audience
                )
            elif kind == 11:
                u = _fit(3, d, width, peak, no_motive) + wt.levy_economy[pr] * eco
            elif kind == 12:
                u = _fit(3, d, width, peak, no_motive) - wt.close_economy[pr] * eco
            elif kind == 13:
                u = wt.reopen_calm[pr] * calm - wt.reopen_economy[pr] * eco - wt.reopen_cost[pr]
            elif kind == 14:
                u = _fit(3, d, width, peak, no_motive) - wt.sanctions_economy[pr] * eco
            elif kind == 15:
                u = (
                    wt.buy_arms_need[pr] * sec * danger[i]
                    - wt.buy_arms_economy[pr] * eco
                    - wt.buy_arms_cost[pr]
                )
            elif kind == 16:
                u = (
                    wt.supply_arms_need[pr] * credibility[i, j] * danger[j]
                    - wt.supply_arms_cost[pr]
                )
            elif kind == 17:
                u = (
                    _fit(4, d, width, peak, no_motive)
                    + wt.cyber_capability[pr] * cyber[i]
                    - wt.cyber_cost[pr]
                )
            elif kind == 18 or kind == 20:
                u = _fit(4, d, width, peak, no_motive)
            elif kind == 19:
                u = _fit(4, d, width, peak, no_motive) + wt.arrest_security[pr] * sec
            elif kind == 21 or kind == 22:
                u = _fit(5, d, width, peak, no_motive)
            elif kind == 23 or kind == 24:
                coerced = cb >= rungs[0] and cb <= rungs[1]
                deter = wt.deter_signal[pr] * resolve[i] * coerced
                u = _fit(6, d, width, peak, no_motive) + deter
            elif kind == 25:
                u = _fit(6, d, width, peak, no_motive) - wt.mobilize_economy[pr] * eco
            elif kind == 26:
                u = _fit(6, d, width, peak, no_motive) + wt.fortify_security[pr] * sec * enemy_share
            elif kind == 27:
                u = _fit(6, d, width, peak, no_motive)
            elif kind <= 32:  # uses of force
                if risk_at[i, j] != r:  # the dyad's risk of force, once for its five kinds
                    pthreat = 0.0
                    for k in range(n):
                        if patron[k]:
                            term = 0.0 if i == k else credibility[k, j] * (1.0 - pt[i, k])
                            pthreat = pthreat + term
                    risk_d[i, j] = (
                        wt.war_aversion[pr]
                        * (
                            wt.force_risk_base[pr]
                            + (1.0 - risk[i]) * enemy_share
                            + wt.patron_deterrence[pr] * pthreat
                        )
                        * (1.0 + wt.war_cost_size[pr] * size[i, j])
                    )
                    risk_at[i, j] = r
                force_risk = risk_d[i, j]
                attacked = cb == rungs[2] and not war_ij
                retaliate = wt.retaliation[pr] * resolve[i] * attacked
                edge_u = wt.force_drone_edge[pr] * edge[r, i, j]
                f7 = _fit(7, d, width, peak, no_motive)
                if kind == 28:
                    u = (
                        f7
                        - force_risk
                        + edge_u
                        + wt.strike_success_gain[pr] * success[r, i, j]
                        + retaliate
                    )
                elif kind == 29:
                    u = f7 - force_risk - wt.missile_penalty[pr] + retaliate
                elif kind == 30:
                    u = f7 - force_risk + edge_u + retaliate
                elif kind == 31:
                    u = (
                        f7
                        - force_risk
                        + edge_u
                        + wt.seize_economy[pr] * eco
                        + wt.seize_denied[pr] * denied[i, j]
                    )
                else:
                    u = f7 - force_risk + edge_u
            elif kind == 33:
                if wm[i, j] > 0:
                    u = wt.war_utility[pr] + wt.war_motive_gain[pr] * wm[i, j]
                else:
                    u = -np.inf
            elif kind == 34:
                cred = 0.0
                for k in range(n):
                    cred = max(cred, credibility[i, k] * at_war[r, k, j])
                u = (
                    wt.join_credibility[pr] * cred
                    + wt.join_win[pr] * (pw[i, j] - 0.5)
                    - wt.join_cost[pr] * cost[i, j]
                    - wt.join_base[pr]
                )
            else:  # 35: stand down
                audience = wt.audience_weight[pr] * audience_cost * threatened[r, i, j]
                u = (
                    wt.stand_down_calm[pr] * calm
                    + wt.stand_down_economy[pr] * eco
                    - wt.stand_down_cost[pr]
                    - audience
                )
            logit = u / temperature if u > -np.inf else -np.inf
            out[r, c] = logit
            top[i] = max(top[i], logit)  # (an actor's columns are bounds[i]:bounds[i + 1])
        # each actor's logits less its best (the softmax's shift)
        for i in range(n):
            best = top[i]
            for c in range(bounds[i], bounds[i + 1]):
                out[r, c] = out[r, c] - best


# ----------------------------------------------------------------------------------------------
# Stage 5: the draw (sim.decisions._sample, after the exponential)
# ----------------------------------------------------------------------------------------------


@_jit
def _draw(weights, quantum, bounds, u01, col_action, col_target, n, pick):  # type: ignore[no-untyped-def]
    """Each replicate's draw for each actor: integer weights ``floor(w * quantum)``, their
    cumulative sum, and the first column whose cumulative weight exceeds ``u * total``.
    ``weights`` has one row for all replicates or one row each."""
    m, c_all = weights.shape
    cdf = np.empty(c_all, dtype=np.int64)  # one row's, used at once (no (R, C) array to fill)
    for r in range(u01.shape[0]):
        if r == 0 or m > 1:
            row = 0 if m == 1 else r
            for i in range(n):
                acc = np.int64(0)
                for c in range(bounds[i], bounds[i + 1]):
                    acc += np.int64(weights[row, c] * quantum)
                    cdf[c] = acc
        for i in range(n):
            lo, hi = bounds[i], bounds[i + 1]
            seg = cdf[lo:hi]
            draw = np.int64(u01[r, i] * np.float64(seg[hi - lo - 1]))
            first = lo + np.searchsorted(seg, draw, side="right")  # count of cdf <= draw
            pick[r, i] = col_action[first] * n + col_target[first]


@_jit
def _any_rows(x):  # type: ignore[no-untyped-def]
    """``x.any(axis=0)`` of a C-contiguous (R, a, b) array, OR-ing rows as bytes without a
    branch (numba vectorises it: 5 times numpy's speed on a short trailing axis)."""
    r, a, b = x.shape
    y = x.reshape(r, a * b)
    acc = np.zeros(a * b, dtype=np.uint8)
    for i in range(r):
        for c in range(a * b):
            acc[c] |= y[i, c] != 0
    return acc.reshape(a, b) != 0


def any_rows(x: NDArray[Any]) -> B:
    """(a, b): whether any replicate of an (R, a, b) array is nonzero (or NaN) there, as
    ``x.any(axis=0)``; compiled when :func:`enabled` and the array is C-contiguous."""
    if not enabled() or x.ndim != 3 or x.dtype.kind not in "bf" or not x.flags.c_contiguous:
        return np.asarray(x.any(axis=0))
    out: B = _any_rows(x)
    return out


# ----------------------------------------------------------------------------------------------
# The driver
# ----------------------------------------------------------------------------------------------

_STATIC: dict[int, tuple[Static, dict[str, Any]]] = {}


def _static_args(static: Static) -> dict[str, Any]:
    """The scenario's arrays and constants the kernels read, computed once per scenario."""
    hit = _STATIC.get(id(static))
    if hit is not None and hit[0] is static:
        return hit[1]
    cred = np.ascontiguousarray(static.credibility, dtype=np.float64)
    parity_spec = drone_parity.SPEC.of(static)
    transit_spec = transit.SPEC.of(static)
    size = np.clip(np.log10(static.gdp[None, None, :] / static.gdp[None, :, None]), 0.0, 2.0)
    args = {
        "quality": np.ascontiguousarray(static.quality, dtype=np.float64),
        "risk": np.ascontiguousarray(static.risk, dtype=np.float64),
        "resolve": np.ascontiguousarray(static.resolve, dtype=np.float64),
        "doctrine": np.ascontiguousarray(static.doctrine, dtype=np.float64),
        "credibility": cred,
        "patron": np.ascontiguousarray(cred.any(axis=1)),
        "size": np.ascontiguousarray(size[0]),  # as sim.decisions computes it
        "cyber": np.ascontiguousarray(static.cyber, dtype=np.float64),
        "armour0": np.ascontiguousarray(static.armour0, dtype=np.float64),
        "partners": ((cred > 0) | (cred.T > 0)).astype(np.float64),
        "drone_owner": np.ascontiguousarray(static.drone_owner, dtype=np.int64),
        "drone_strike": np.ascontiguousarray(static.drone_strike, dtype=np.float64),
        "reach": np.ascontiguousarray(drone_parity.reach_matrix(static), dtype=np.float64),
        "parity_on": parity_spec is not None,
        "w_parity": drone_parity.weight(static),
        "audience_cost": domestic.audience_cost(static),
        "breakpoint": float(combat.SPEC.or_default(static).breakpoint),
        "transit_on": transit_spec is not None,
        "switch_loss": float(transit_spec.switch_loss) if transit_spec is not None else 0.0,
        "corridor_alt": np.ascontiguousarray(static.corridor_alt, dtype=np.int64),
        "corridor_users": np.ascontiguousarray(static.corridor_users, dtype=np.bool_),
        "belief_offset": np.ascontiguousarray(static.belief_offset, dtype=np.float64),
        "kind": np.array([KINDS[a.id] for a in act.CATALOGUE], dtype=np.int64),
        "rungs": np.array([Rung.ECONOMIC_COERCION, Rung.THREAT, Rung.USE_OF_FORCE], dtype=np.int64),
    }
    if len(_STATIC) > 32:  # a long-lived process meets few scenarios; never grow unbounded
        _STATIC.clear()
    _STATIC[id(static)] = (static, args)
    return args


def _c(x: NDArray[Any]) -> NDArray[Any]:
    return np.ascontiguousarray(x)


def _unsigned(x: I64) -> NDArray[np.uint64]:
    """Indices as unsigned integers: numba then indexes with them directly, without the check
    for a negative index it makes of a signed one (the column loop of :func:`_logits` indexes
    a dozen arrays by a column's actor and target: 8-10% of its time). Only for indices that
    are indexed with or compared, never computed with: numba computes a uint64 with an int64
    as a float64."""
    return np.ascontiguousarray(x, dtype=np.uint64)


def logits(static: Static, state: State, weights: Params, ok: B, columns: Any, slots: B) -> F64:
    """Stages 1 to 3 for every replicate of ``state``: the (R, C) softmax logits of the
    columns, each actor's best at 0, ``-inf`` where ``ok`` (R or 1, C) is False or the
    reasons rule the option out. ``weights`` has one row or one per replicate."""
    from sim.decisions import _believe  # the reference's own belief, in numpy

    sa = _static_args(static)
    m, n = state.r, static.n
    v = weights.values
    wt: Any = Weights(*(_c(v[:, W[name]]) for name in WEIGHTS))
    p_true = np.empty((m, n, n))
    bias = np.empty((m, n, n))
    edge = np.empty((m, n, n))
    success = np.empty((m, n, n))
    parity = np.empty((m, n, n))
    _balance(
        m, n, sa["quality"], _c(state.armour), _c(state.drones), _c(state.air_defence),
        sa["drone_owner"], sa["drone_strike"], sa["reach"], sa["parity_on"], sa["w_parity"],
        sa["credibility"], sa["patron"], sa["belief_offset"], wt.misperception,
        _c(state.belief_noise), _c(state.clarity), p_true, bias, edge, success, parity,
    )  # fmt: skip
    p_win = _believe(p_true, bias)
    delta = weights.col(W.SHIFT_DISCOUNT)
    horizon = state.pipeline_armour.shape[2]
    dpow = np.empty((v.shape[0], horizon))
    for h in range(horizon):  # as sim.decisions._shift computes it, by numpy
        dpow[:, h] = (delta ** (h + 1))[:, 0, 0]
    arm_any = any_rows(state.pipeline_armour).any(axis=0)
    drn_any = any_rows(state.pipeline_drones).any(axis=0)
    out = np.empty((m, columns.actor.size))
    _logits(
        m, n, wt, dpow, _c(slots), _c(arm_any), _c(drn_any),
        sa["quality"], sa["risk"], sa["resolve"], sa["doctrine"], sa["credibility"],
        sa["patron"], sa["size"], sa["cyber"], sa["armour0"], sa["partners"],
        sa["drone_owner"], sa["drone_strike"], sa["reach"], sa["parity_on"], sa["w_parity"],
        sa["audience_cost"], sa["breakpoint"], sa["transit_on"], sa["switch_loss"],
        sa["corridor_alt"], sa["corridor_users"],
        _c(state.armour), _c(state.drones), _c(state.air_defence), _c(state.pipeline_armour),
        _c(state.pipeline_drones), _c(state.grievance), _c(state.tension),
        _c(state.pressure), _c(state.rung), _c(state.last_action_rung), _c(state.threatened),
        _c(state.at_war), _c(state.attributed), _c(state.corridor_status),
        _c(state.corridor_controller), _c(state.corridor_levy),
        p_true, p_win, edge, success, parity,
        sa["rungs"], _unsigned(columns.actor), _unsigned(columns.target),
        _unsigned(sa["kind"][columns.action]),
        _c(columns.bounds), _c(np.broadcast_to(ok, (m, ok.shape[1]))), out,
    )  # fmt: skip
    return out


def draw(weights: F64, columns: Any, u01: F64, n: int, quantum: float) -> I64:
    """Stage 5: (R, N) flat choices (action * N + target) from the exponentiated logits."""
    pick = np.empty(u01.shape, dtype=np.int64)
    _draw(
        weights, quantum, _c(columns.bounds), _c(u01), _c(columns.action),
        _c(columns.target), n, pick,
    )  # fmt: skip
    return pick


def warm() -> float:
    """Compile the kernels now (or load them from numba's cache, next to this file or in the
    user's cache folder) by making one decision on the founding crisis; returns the seconds it
    took. ``make venv`` calls it once, so that no player's first turn waits for the compiler
    (about 12 s on the machines we measured; loading the cached code takes a fraction of it).
    """
    import time

    from sim import pairs
    from sim.decisions import choose
    from sim.rng import as_seeds
    from sim.scenario import load_scenario
    from sim.world import build_static, initial_state, make_params

    t0 = time.perf_counter()
    pairs.warm()  # the preconditions' building blocks
    if enabled():
        scenario = load_scenario("iran_azerbaijan")
        static = build_static(scenario)
        state = initial_state(static, as_seeds([0, 1]))
        choose(static, state, make_params(scenario, 2), act.legal_masks(static, state), 1)
        for x in (state.pipeline_armour, state.pipeline_drones, state.at_war):
            any_rows(x)
    return time.perf_counter() - t0
