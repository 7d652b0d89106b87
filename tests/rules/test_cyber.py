"""Cyber and gray-zone operations: success against defence, damage, attribution, arrests, proxies.

A cyber attack by i on j succeeds with chance c_i / (c_i + c_j + CYBER_DEFENCE_FLOOR) and then
costs j ``damage_gdp`` x its GDP; a success is attributed with chance ``attribution``, and
attribution raises the victim's grievance (CYBER_GRIEVANCE) and its partners'
(x PARTNER_GRIEVANCE_SHARE). Covert operations do COVERT_DAMAGE of that damage with chance
COVERT_SUCCESS, and are attributed (succeeded or not) with chance COVERT_ATTRIBUTION. Arresting a
network vents the arrester's pressure through the turn (the domestic rule applies it); arming a
proxy arms the actor's non-state clients. Random numbers are counter-based, so the same seeds
give the same outcomes.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim import actions, engine
from sim.ladder import Rung
from sim.rules import cyber
from sim.weights import TABLE, W

GDP_VICTIM = 40.0
R_STAT = 4000  # replicates for the statistical checks
Z = 4.0  # tolerance, in standard errors


def cyber_dict(
    attacker_cyber: float = 0.5,
    victim_cyber: float = 0.3,
    *,
    rule: dict | None = None,
    domestic: bool = False,
) -> dict:
    """alpha (cyber) against bravo (cyber); bravo's partners are ally (its patron) and ward (its
    client); alpha patrons group (non-state) and friend (a state); militia is a non-state actor
    nobody patrons; bystander has no ties to anyone.

    ``rule`` is the cyber rule's entry (None: absent from ``rules:``).
    """
    actors = [
        helpers.actor("alpha", cyber=attacker_cyber, gdp=50),
        helpers.actor("bravo", cyber=victim_cyber, gdp=GDP_VICTIM),
        helpers.actor("ally", gdp=200),
        helpers.actor("ward", gdp=5),
        helpers.actor("friend", gdp=5),
        helpers.actor("group", armour=5, gdp=1, kind="non_state"),
        helpers.actor("militia", armour=5, gdp=1, kind="non_state"),
        helpers.actor("bystander", gdp=20),
    ]
    relations = [
        {
            "between": ["alpha", "bravo"],
            "border_km": 100,
            "distance_km": 100,
            "grievance": {"alpha": 0.3, "bravo": 0.3},
        },
        {"between": ["alpha", "group"], "border_km": 20, "distance_km": 30},
        {"between": ["bravo", "militia"], "border_km": 20, "distance_km": 30},
    ]
    alliances = [
        {"patron": "ally", "client": "bravo", "credibility": 0.5},
        {"patron": "bravo", "client": "ward", "credibility": 0.4},
        {"patron": "alpha", "client": "group", "credibility": 0.5},
        {"patron": "alpha", "client": "friend", "credibility": 0.3},
    ]
    rules: dict = {"alliances": {}}
    if rule is not None:
        rules["cyber"] = rule
    if domestic:
        rules["domestic"] = {}
    return helpers.scenario_dict(actors, relations, rules=rules, alliances=alliances)


def one(k: int, r: int = 1):
    return np.full(r, k, dtype=np.int64)


def attack(data: dict, seeds: list[int], action: str = "cyber_attack", turn: int = 1, **weights):
    """alpha runs ``action`` against bravo in every replicate; returns the world and the turn."""
    static, state, params = helpers.world(data, seeds=seeds, **weights)
    a, b = static.index("alpha"), static.index("bravo")
    assert actions.is_legal(actions.spec(action), static, state)[:, a, b].all()
    t = helpers.make_turn(static, state, params, turn)
    r = state.r
    actions.spec(action).effect(t, np.arange(r), one(a, r), one(b, r))
    return static, state, params, t


def partner_ids() -> tuple[str, ...]:
    return ("ally", "ward")


def outsider_ids() -> tuple[str, ...]:
    return ("friend", "group", "militia", "bystander")


# ----------------------------------------------------------------------------------------------
# The chance of success


@pytest.mark.parametrize(
    ("c_i", "c_j", "floor"),
    [(0.5, 0.3, None), (0.2, 0.2, 0.4), (0.9, 0.0, 0.0), (0.1, 0.9, 1.0)],
    ids=["default_floor", "high_floor", "no_floor_no_defence", "strong_defender"],
)
def test_attack_success_is_ci_over_ci_plus_cj_plus_floor(
    c_i: float, c_j: float, floor: float | None
) -> None:
    over = {} if floor is None else {W.CYBER_DEFENCE_FLOOR.key: floor}
    static, state, params = helpers.world(cyber_dict(c_i, c_j, rule={}), **over)
    f = params[W.CYBER_DEFENCE_FLOOR][0]
    assert f == (TABLE[W.CYBER_DEFENCE_FLOOR].value if floor is None else floor)
    t = helpers.make_turn(static, state, params)
    chance = cyber.attack_success(t, one(0), one(0), one(1))
    assert chance[0] == pytest.approx(c_i / (c_i + c_j + f))


@pytest.mark.parametrize(
    ("c_i", "c_j", "floor", "wrong"),
    [
        (0.5, 0.3, None, 0.5 / 0.8),  # the floor left out
        (0.2, 0.2, 0.4, 0.5),  # the floor left out
        (0.8, 0.4, 0.2, 0.8 / 1.0),  # the defender left out
    ],
    ids=["default_floor", "high_floor", "with_defender"],
)
def test_cyber_attacks_succeed_at_that_chance_over_many_replicates(
    c_i: float, c_j: float, floor: float | None, wrong: float
) -> None:
    over = {} if floor is None else {W.CYBER_DEFENCE_FLOOR.key: floor}
    _, _, params, t = attack(cyber_dict(c_i, c_j, rule={}), list(range(R_STAT)), **over)
    f = params[W.CYBER_DEFENCE_FLOOR][0]
    p = c_i / (c_i + c_j + f)
    rate = t.success[:, 0].mean()
    se = np.sqrt(p * (1 - p) / R_STAT)
    assert abs(rate - p) < Z * se, f"rate {rate:.4f}, chance {p:.4f}"
    # the check has power: a wrong formula would have failed it
    assert abs(rate - wrong) > Z * se, f"rate {rate:.4f} cannot tell {p:.4f} from {wrong:.4f}"


def test_success_attribution_is_drawn_at_the_rules_attribution_chance() -> None:
    data = cyber_dict(rule={"attribution": 0.6})
    static, state, _, t = attack(data, list(range(R_STAT)))
    b, a = static.index("bravo"), static.index("alpha")
    hits = t.success[:, a]
    attributed = state.grievance[:, b, a] > 0.3
    assert not (attributed & ~hits).any(), "only a success is attributed"
    p = 0.6
    rate = attributed[hits].mean()
    se = np.sqrt(p * (1 - p) / hits.sum())
    assert abs(rate - p) < Z * se
    assert abs(rate - 0.5) > Z * se and abs(rate - 0.7) > Z * se


# ----------------------------------------------------------------------------------------------
# Damage and attribution


def test_damage_is_damage_gdp_times_the_targets_gdp_on_success_only() -> None:
    data = cyber_dict(rule={"damage_gdp": 0.01, "attribution": 0.0})
    static, state, _, t = attack(data, list(range(200)))
    a, b = static.index("alpha"), static.index("bravo")
    p = cyber.SPEC.of(static)
    assert p is not None and p.damage_gdp == 0.01
    hits = t.success[:, a]
    assert hits.any() and (~hits).any(), "both outcomes must occur for the check to mean much"
    damage = p.damage_gdp * static.gdp[b]
    assert damage == pytest.approx(0.01 * GDP_VICTIM)
    assert state.econ_cost[hits, b] == pytest.approx(np.full(hits.sum(), damage))
    assert (state.econ_cost[~hits, b] == 0.0).all()
    assert (np.delete(state.econ_cost, b, axis=1) == 0.0).all(), "only the target pays"
    assert t.amount[:, a] == pytest.approx(np.where(hits, damage, 0.0))


@pytest.mark.parametrize(
    ("attribution", "known"), [(1.0, True), (0.0, False)], ids=["attributed", "unattributed"]
)
def test_attribution_aggrieves_the_victim_and_its_partners_only_when_attributed(
    attribution: float, known: bool
) -> None:
    data = cyber_dict(rule={"attribution": attribution})
    static, state, params, t = attack(data, list(range(100)))
    a, b = static.index("alpha"), static.index("bravo")
    hits = t.success[:, a]
    assert hits.any() and (~hits).any()
    g0 = helpers.world(data, seeds=list(range(100)))[1].grievance
    rise = state.grievance - g0
    victim = params[W.CYBER_GRIEVANCE]
    share = params[W.PARTNER_GRIEVANCE_SHARE]
    assert victim[0] == TABLE[W.CYBER_GRIEVANCE].value
    assert share[0] == TABLE[W.PARTNER_GRIEVANCE_SHARE].value
    expected_victim = np.where(hits & known, victim, 0.0)
    assert rise[:, b, a] == pytest.approx(expected_victim)
    for k in map(static.index, partner_ids()):
        assert rise[:, k, a] == pytest.approx(expected_victim * share), static.ids[k]
    for k in map(static.index, outsider_ids()):
        assert (rise[:, k] == 0.0).all(), static.ids[k]
    # nobody grieves against anyone but the attacker
    assert (np.delete(rise, a, axis=2) == 0.0).all()


@pytest.mark.parametrize(
    ("success", "attribution"),
    [(1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)],
    ids=["hit_known", "hit_unknown", "miss_known", "miss_unknown"],
)
def test_covert_operation_damage_on_success_and_grievance_on_attribution(
    success: float, attribution: float
) -> None:
    """A covert operation can be discovered even when it fails."""
    weights = {W.COVERT_SUCCESS.key: success, W.COVERT_ATTRIBUTION.key: attribution}
    data = cyber_dict(rule={"damage_gdp": 0.01})
    static, state, params, t = attack(data, [0, 1, 2], "covert_operation", **weights)
    a, b = static.index("alpha"), static.index("bravo")
    damage = params[W.COVERT_DAMAGE][0] * 0.01 * GDP_VICTIM
    assert params[W.COVERT_DAMAGE][0] == TABLE[W.COVERT_DAMAGE].value
    assert t.success[:, a].tolist() == [bool(success)] * 3
    assert state.econ_cost[:, b] == pytest.approx([damage * success] * 3)
    g = params[W.COVERT_GRIEVANCE][0] * attribution
    assert state.grievance[:, b, a] == pytest.approx([0.3 + g] * 3)
    share = params[W.PARTNER_GRIEVANCE_SHARE][0]
    for k in map(static.index, partner_ids()):
        assert state.grievance[:, k, a] == pytest.approx([g * share] * 3)
    for k in map(static.index, outsider_ids()):
        assert (state.grievance[:, k] == 0.0).all()


# ----------------------------------------------------------------------------------------------
# Arrests and proxies


def test_arrest_vents_pressure_through_the_turn_not_the_state() -> None:
    static, state, params, t = attack(cyber_dict(rule={}), [0, 1], "arrest_network")
    a, b = static.index("alpha"), static.index("bravo")
    assert state.pressure == pytest.approx(np.broadcast_to(static.pressure0, state.pressure.shape))
    expected_push = np.zeros((2, static.n))
    expected_push[:, a] = -params[W.ARREST_VENT]
    assert t.pressure_push == pytest.approx(expected_push)
    assert params[W.ARREST_VENT][0] == TABLE[W.ARREST_VENT].value
    assert state.grievance[:, b, a] == pytest.approx(0.3 + params[W.ARREST_GRIEVANCE])
    assert t.success[:, a].all()


def test_arrest_in_the_engine_lowers_the_arresters_pressure_via_the_domestic_rule() -> None:
    """Nothing else moves pressure: p0 - vent, then relaxation closes part of the gap."""
    static, state, params = helpers.world(cyber_dict(rule={}, domestic=True))
    a, b = static.index("alpha"), static.index("bravo")
    hold = {x: ("hold", x) for x in static.ids}
    moves = engine.check_moves(static, state, {**hold, "alpha": ("arrest_network", "bravo")})
    engine.step(static, state, params, moves=moves)
    vent, relax = params[W.ARREST_VENT][0], params[W.PRESSURE_RELAX][0]
    p0 = static.pressure0[a]
    assert state.pressure[0, a] == pytest.approx(p0 - vent + relax * vent)
    assert state.pressure[0, b] == pytest.approx(static.pressure0[b])
    assert state.rung[0, a, b] == Rung.GRAY_ZONE


def test_support_proxy_arms_only_the_actors_non_state_clients() -> None:
    static, state, params, t = attack(cyber_dict(rule={}), [0, 1], "support_proxy")
    a, b = static.index("alpha"), static.index("bravo")
    g, m, f = static.index("group"), static.index("militia"), static.index("friend")
    gift = params[W.PROXY_ARMOUR]
    assert gift[0] == TABLE[W.PROXY_ARMOUR].value
    expected = np.broadcast_to(static.armour0, state.armour.shape).copy()
    expected[:, g] += gift
    assert state.armour == pytest.approx(expected)
    assert state.armour[0, m] == static.armour0[m], "not the actor's client"
    assert state.armour[0, f] == static.armour0[f], "a state client is not a proxy"
    assert state.grievance[:, b, a] == pytest.approx(0.3 + params[W.PROXY_GRIEVANCE])
    assert t.success[:, a].all()


# ----------------------------------------------------------------------------------------------
# Legality


@pytest.mark.parametrize(
    ("action", "actor", "target", "setup", "legal"),
    [
        ("cyber_attack", "alpha", "bravo", None, True),
        ("cyber_attack", "alpha", "bystander", None, True),
        ("cyber_attack", "ally", "alpha", None, False),  # no cyber capability
        ("cyber_attack", "alpha", "friend", None, False),  # a partner
        ("cyber_attack", "alpha", "militia", None, False),  # not a state
        ("covert_operation", "alpha", "bravo", None, True),  # grievance 0.3 > 0.2
        ("covert_operation", "alpha", "bravo", 0.2, False),
        ("covert_operation", "alpha", "bystander", None, False),  # no grievance
        ("arrest_network", "alpha", "bravo", 0.15, True),  # > 0.1
        ("arrest_network", "alpha", "bravo", 0.1, False),
        ("support_proxy", "alpha", "bravo", None, True),  # alpha patrons group
        ("support_proxy", "alpha", "bystander", None, True),
        ("support_proxy", "alpha", "group", None, False),  # its own client
        ("support_proxy", "ally", "alpha", None, False),  # patrons only a state
        ("support_proxy", "bravo", "alpha", None, False),  # patrons only a state
    ],
    ids=lambda v: str(v),
)
def test_gray_zone_legality_follows_the_catalogue(
    action: str, actor: str, target: str, setup: float | None, legal: bool
) -> None:
    static, state, _ = helpers.world(cyber_dict(rule={}))
    i, j = static.index(actor), static.index(target)
    if setup is not None:
        state.grievance[:, i, j] = setup
    assert actions.is_legal(actions.spec(action), static, state)[0, i, j] == legal


# ----------------------------------------------------------------------------------------------
# Determinism, the engine, and the rule switched off


@pytest.mark.parametrize("action", ["cyber_attack", "covert_operation"])
def test_same_seeds_give_the_same_outcome_whatever_the_batch(action: str) -> None:
    data = cyber_dict(rule={})
    _, s1, _, t1 = attack(data, list(range(64)), action)
    _, s2, _, t2 = attack(data, list(range(64)), action)
    assert helpers.state_differences(s1, s2) == []
    assert np.array_equal(t1.success, t2.success)
    # a replicate's outcome does not depend on the other replicates of its batch
    subset = [40, 7, 13]
    _, s3, _, t3 = attack(data, subset, action)
    assert np.array_equal(t3.success, t1.success[subset])
    assert np.array_equal(s3.econ_cost, s1.econ_cost[subset])
    assert np.array_equal(s3.grievance, s1.grievance[subset])
    # another turn draws other numbers
    _, _, _, t4 = attack(data, list(range(64)), action, turn=2)
    assert not np.array_equal(t4.success, t1.success)


def test_cyber_attack_in_the_engine_costs_the_target_on_success() -> None:
    data = cyber_dict(rule={"damage_gdp": 0.01, "attribution": 1.0})
    static, state, params = helpers.world(data, seeds=list(range(40)))
    a, b = static.index("alpha"), static.index("bravo")
    hold = {x: ("hold", x) for x in static.ids}
    moves = engine.check_moves(static, state, {**hold, "alpha": ("cyber_attack", "bravo")})
    rec = engine.step(static, state, params, moves=moves)
    hits = rec.success[:, a]
    assert hits.any() and (~hits).any()
    assert state.econ_cost[:, b] == pytest.approx(np.where(hits, 0.01 * GDP_VICTIM, 0.0))
    assert (state.rung[:, a, b] == Rung.GRAY_ZONE).all()
    # attributed hits leave bravo more aggrieved than misses (after the engine's own coding)
    assert (state.grievance[hits, b, a] > state.grievance[~hits, b, a].max()).all()
    # and the same seeds replay the same turn
    static2, state2, params2 = helpers.world(data, seeds=list(range(40)))
    engine.step(static2, state2, params2, moves=moves)
    assert helpers.state_differences(state, state2) == []


def test_the_rule_has_no_per_turn_steps() -> None:
    assert cyber.SPEC.steps == ()
    assert {a.id.value for a in cyber.SPEC.actions} == {
        "cyber_attack",
        "covert_operation",
        "arrest_network",
        "support_proxy",
    }


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_its_actions_are_illegal(rule: dict | None) -> None:
    static, state, _ = helpers.world(cyber_dict(rule=rule))
    assert cyber.SPEC.of(static) is None
    for a in cyber.SPEC.actions:
        assert not actions.is_legal(actions.spec(a.id), static, state).any(), a.id
        with pytest.raises(engine.IllegalMove):
            engine.check_moves(static, state, {"alpha": (a.id.value, "bravo")})
    names = {x.action.value for x in actions.legal_actions(static, state, "alpha")}
    assert not names & {a.id.value for a in cyber.SPEC.actions}
    # with the rule on, each of them is legal for alpha against bravo
    static_on, state_on, _ = helpers.world(cyber_dict(rule={}))
    for a in cyber.SPEC.actions:
        assert actions.is_legal(actions.spec(a.id), static_on, state_on)[0, 0, 1], a.id
