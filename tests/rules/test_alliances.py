"""Alliances: arms orders and deliveries, and patrons' grievances against their clients' attackers.

A client orders arms from its patron (``buy_arms``), or a patron ships them (``supply_arms``):
the alliance's ``arms_supply`` armour items (and ``drone_supply`` drones of ``drone_type``) go
into the delivery pipeline in ``delivery_turns`` equal parts, and the client pays the patron
ARMOUR_PRICE per item and DRONE_PRICE per drone at once. The ``deliveries`` step, run before the
actors choose, hands over slot 0 and shifts the pipeline by one turn; the scenario schema says
the first part arrives the turn after the order and the last ``delivery_turns`` turns after it.
The ``commitments`` step gives a patron PATRON_GRIEVANCE x credibility grievance against whoever
used force (rung >= 7) on its client. With the rule off, the scenario's alliances are not in
force.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest
from pydantic import ValidationError

from sim import actions, engine
from sim.ladder import Rung
from sim.rules import alliances
from sim.rules.spec import Stage
from sim.weights import TABLE, W
from sim.world import Ties

ARMS = 12.0
DRONES = 6.0
CRED = 0.5
TB2 = {"type": "TB2", "count": 4, "range_km": 100, "strike": 1.0}


def alliance_dict(
    *,
    rule: dict | None = None,
    drone_type: str | None = "TB2",
    combat: bool = False,
    credibility: float = CRED,
    drones: float = DRONES,
) -> dict:
    """client (with TB2 drones) is patron's ally; rival borders client; bystander too.

    ``rule`` is the alliances rule's entry (None: the rule is absent from ``rules:``).
    """
    actors = [
        helpers.actor("client", armour=100, drones=[TB2]),
        helpers.actor("patron", armour=50, gdp=500),
        helpers.actor("rival", armour=100),
        helpers.actor("bystander", armour=100),
    ]
    relations = [
        {"between": ["client", "patron"], "distance_km": 800},
        {"between": ["client", "rival"], "border_km": 50, "distance_km": 50},
        {"between": ["patron", "rival"], "distance_km": 900},
        {"between": ["bystander", "client"], "border_km": 30, "distance_km": 30},
    ]
    entry = {
        "patron": "patron",
        "client": "client",
        "kind": "alliance",
        "credibility": credibility,
        "arms_supply": ARMS,
        "drone_supply": drones,
    }
    if drone_type is not None:
        entry["drone_type"] = drone_type
    rules: dict = {}
    if rule is not None:
        rules["alliances"] = rule
    if combat:
        rules["combat"] = {}
    return helpers.scenario_dict(actors, relations, rules=rules, alliances=[entry], horizon=20)


def hold_all(static) -> dict[str, tuple[str, str]]:
    return {a: ("hold", a) for a in static.ids}


def ix(static, *names: str) -> tuple[int, ...]:
    return tuple(static.index(n) for n in names)


def price(params, drones: float = DRONES) -> float:
    return ARMS * params[W.ARMOUR_PRICE][0] + drones * params[W.DRONE_PRICE][0]


# ----------------------------------------------------------------------------------------------
# Orders: buy_arms and supply_arms


@pytest.mark.parametrize(
    ("action", "actor", "target"),
    [("buy_arms", "client", "patron"), ("supply_arms", "patron", "client")],
    ids=["client_buys", "patron_supplies"],
)
@pytest.mark.parametrize("delivery_turns", [1, 2, 6], ids=lambda d: f"over{d}")
def test_order_fills_the_pipeline_in_equal_parts_and_the_client_pays_the_patron(
    action: str, actor: str, target: str, delivery_turns: int
) -> None:
    static, state, params = helpers.world(alliance_dict(rule={"delivery_turns": delivery_turns}))
    c, p = ix(static, "client", "patron")
    a, b = ix(static, actor, target)
    assert actions.is_legal(actions.spec(action), static, state)[0, a, b]
    assert state.pipeline_armour.shape[2] == delivery_turns + 1
    armour0, drones0 = state.armour.copy(), state.drones.copy()
    t = helpers.make_turn(static, state, params)
    actions.spec(action).effect(t, np.array([0]), np.array([a]), np.array([b]))

    parts = delivery_turns
    assert state.pipeline_armour[0, c] == pytest.approx([0.0] + [ARMS / parts] * parts)
    assert not np.delete(state.pipeline_armour[0], c, axis=0).any(), "only the client's row"
    assert state.pipeline_drones[0, 0] == pytest.approx([0.0] + [DRONES / parts] * parts)
    # nothing arrives yet
    assert np.array_equal(state.armour, armour0) and np.array_equal(state.drones, drones0)
    cost = price(params)
    assert cost == pytest.approx(
        ARMS * TABLE[W.ARMOUR_PRICE].value + DRONES * TABLE[W.DRONE_PRICE].value
    )
    assert state.econ_cost[0, c] == pytest.approx(cost)
    assert state.econ_cost[0, p] == pytest.approx(-cost), "the patron is paid"
    assert state.econ_cost[0].sum() == pytest.approx(0.0, abs=1e-15), "a sale is a transfer"
    assert t.success[0, a] and t.amount[0, a] == ARMS


def test_delivery_turns_must_be_at_least_one() -> None:
    with pytest.raises(ValidationError, match="delivery_turns"):
        helpers.world(alliance_dict(rule={"delivery_turns": 0}))


def test_an_alliance_without_drones_ships_and_charges_armour_only() -> None:
    static, state, params = helpers.world(alliance_dict(rule={}, drone_type=None, drones=0.0))
    c, p = ix(static, "client", "patron")
    t = helpers.make_turn(static, state, params)
    alliances.effect_buy_arms(t, np.array([0]), np.array([c]), np.array([p]))
    assert state.pipeline_armour[0, c].sum() == pytest.approx(ARMS)
    assert not state.pipeline_drones.any()
    assert state.econ_cost[0, c] == pytest.approx(price(params, drones=0.0))


@pytest.mark.parametrize(
    ("armour_price", "drone_price"), [(0.01, 0.0), (0.0, 0.02), (0.05, 0.05)], ids=str
)
def test_order_prices_follow_each_replicates_weights(
    armour_price: float, drone_price: float
) -> None:
    """Prices come from the parameters, per replicate: replicate 1 keeps the defaults."""
    static, state, params = helpers.world(
        alliance_dict(rule={}),
        seeds=[0, 1],
        **{
            W.ARMOUR_PRICE.key: [armour_price, TABLE[W.ARMOUR_PRICE].value],
            W.DRONE_PRICE.key: [drone_price, TABLE[W.DRONE_PRICE].value],
        },
    )
    c, p = ix(static, "client", "patron")
    t = helpers.make_turn(static, state, params)
    alliances.effect_supply_arms(t, np.array([0, 1]), np.array([p, p]), np.array([c, c]))
    expected = [
        ARMS * armour_price + DRONES * drone_price,
        ARMS * TABLE[W.ARMOUR_PRICE].value + DRONES * TABLE[W.DRONE_PRICE].value,
    ]
    assert state.econ_cost[:, c] == pytest.approx(expected)
    assert state.econ_cost[:, p] == pytest.approx([-e for e in expected])


def test_orders_in_the_same_turn_add_up() -> None:
    """Client buys and patron ships in the same turn: both consignments are in the pipeline."""
    static, state, params = helpers.world(alliance_dict(rule={}))
    c, p = ix(static, "client", "patron")
    t = helpers.make_turn(static, state, params)
    alliances.effect_buy_arms(t, np.array([0]), np.array([c]), np.array([p]))
    alliances.effect_supply_arms(t, np.array([0]), np.array([p]), np.array([c]))
    assert state.pipeline_armour[0, c].sum() == pytest.approx(2 * ARMS)
    assert state.pipeline_drones[0, 0].sum() == pytest.approx(2 * DRONES)
    assert state.econ_cost[0, c] == pytest.approx(2 * price(params))


# ----------------------------------------------------------------------------------------------
# Deliveries


@pytest.mark.parametrize("delivery_turns", [1, 2, 3], ids=lambda d: f"over{d}")
def test_deliveries_hand_over_slot_zero_and_shift_the_pipeline(delivery_turns: int) -> None:
    static, state, params = helpers.world(alliance_dict(rule={"delivery_turns": delivery_turns}))
    c = static.index("client")
    length = delivery_turns + 1
    due = np.arange(1.0, length + 1)  # 1, 2, ... items due in the coming turns
    state.pipeline_armour[:, c] = due
    state.pipeline_drones[:, 0] = 10 * due
    armour0, drones0 = state.armour.copy(), state.drones.copy()
    alliances.deliveries(helpers.make_turn(static, state, params))
    assert state.armour[0, c] == armour0[0, c] + due[0]
    assert state.drones[0, 0] == drones0[0, 0] + 10 * due[0]
    others = [k for k in range(static.n) if k != c]
    assert np.array_equal(state.armour[:, others], armour0[:, others])
    assert state.pipeline_armour[0, c].tolist() == [*due[1:].tolist(), 0.0]
    assert state.pipeline_drones[0, 0].tolist() == [*(10 * due[1:]).tolist(), 0.0]


def arrivals(delivery_turns: int, turns: int) -> list[float]:
    """Order in turn 1 through the engine; armour gained by the client in each turn 1..turns."""
    static, state, params = helpers.world(alliance_dict(rule={"delivery_turns": delivery_turns}))
    c = static.index("client")
    hold = engine.check_moves(static, state, hold_all(static))
    buy = engine.check_moves(static, state, {**hold_all(static), "client": ("buy_arms", "patron")})
    out, before = [], float(state.armour[0, c])
    for turn in range(1, turns + 1):
        engine.step(static, state, params, moves=buy if turn == 1 else hold)
        out.append(float(state.armour[0, c]) - before)
        before = float(state.armour[0, c])
    return out


@pytest.mark.parametrize("delivery_turns", [1, 2, 4], ids=lambda d: f"over{d}")
def test_an_order_arrives_in_delivery_turns_equal_parts_on_consecutive_turns(
    delivery_turns: int,
) -> None:
    gained = arrivals(delivery_turns, delivery_turns + 4)
    turns_with = [k for k, g in enumerate(gained) if g > 0]
    assert len(turns_with) == delivery_turns
    assert turns_with == list(range(turns_with[0], turns_with[0] + delivery_turns))
    assert [gained[k] for k in turns_with] == pytest.approx(
        [ARMS / delivery_turns] * delivery_turns
    )
    assert sum(gained) == pytest.approx(ARMS), "delivered once, in full"
    assert gained[0] == 0.0, "nothing arrives in the turn of the order"


@pytest.mark.parametrize("delivery_turns", [1, 3], ids=lambda d: f"over{d}")
def test_an_order_is_seen_in_the_pipeline_for_a_turn_then_arrives_over_delivery_turns(
    delivery_turns: int,
) -> None:
    """Ordered in turn 1: in the pipeline while everyone chooses in turn 2 (the window of a
    preventive motive), then parts arrive with the deliveries that open turns 3 .. 2 + d."""
    gained = arrivals(delivery_turns, delivery_turns + 3)
    expected = [0.0, 0.0] + [ARMS / delivery_turns] * delivery_turns + [0.0]
    assert gained == pytest.approx(expected)


def test_arms_bought_in_the_engine_are_paid_once_and_delivered_in_full() -> None:
    delay = 2
    static, state, params = helpers.world(alliance_dict(rule={"delivery_turns": delay}))
    c, p = ix(static, "client", "patron")
    hold = engine.check_moves(static, state, hold_all(static))
    buy = engine.check_moves(static, state, {**hold_all(static), "client": ("buy_arms", "patron")})
    rec = engine.step(static, state, params, moves=buy)
    assert actions.CATALOGUE[rec.action[0, c]].id == "buy_arms" and rec.success[0, c]
    assert state.pipeline_armour[0, c].sum() == pytest.approx(ARMS)
    assert state.pipeline_drones[0, 0].sum() == pytest.approx(DRONES)
    cost = price(params)
    assert state.econ_cost[0, c] == pytest.approx(cost)
    assert state.econ_cost[0, p] == pytest.approx(-cost)
    assert state.rung[0, c, p] == Rung.NORMAL, "an arms order is not hostile"
    for _ in range(delay + 2):
        engine.step(static, state, params, moves=hold)
    assert state.armour[0, c] == pytest.approx(100.0 + ARMS)
    assert state.drones[0, 0] == pytest.approx(TB2["count"] + DRONES)
    assert not state.pipeline_armour.any() and not state.pipeline_drones.any()
    assert state.econ_cost[0, c] == pytest.approx(cost), "paid once, on ordering"


# ----------------------------------------------------------------------------------------------
# Commitments


@pytest.mark.parametrize(
    ("attacker", "victim", "rung", "patron_grieves"),
    [
        ("rival", "client", Rung.USE_OF_FORCE, True),
        ("rival", "client", Rung.WAR, True),
        ("rival", "client", Rung.DISPLAY, False),
        ("rival", "client", Rung.THREAT, False),
        ("bystander", "client", Rung.USE_OF_FORCE, True),
        ("rival", "bystander", Rung.WAR, False),
        ("patron", "client", Rung.WAR, False),
    ],
    ids=[
        "force_on_client",
        "war_on_client",
        "display_is_not_force",
        "threat_is_not_force",
        "anyone_using_force",
        "not_a_client",
        "not_against_itself",
    ],
)
def test_patron_grieves_against_whoever_uses_force_on_its_client(
    attacker: str, victim: str, rung: int, patron_grieves: bool
) -> None:
    static, state, params = helpers.world(alliance_dict(rule={}))
    p, a, v = ix(static, "patron", attacker, victim)
    g0 = state.grievance.copy()
    t = helpers.make_turn(static, state, params)
    t.act_rung[0, a, v] = rung
    alliances.commitments(t)
    expected = g0.copy()
    if patron_grieves:
        expected[0, p, a] += params[W.PATRON_GRIEVANCE][0] * CRED
        assert expected[0, p, a] == pytest.approx(TABLE[W.PATRON_GRIEVANCE].value * CRED)
    assert state.grievance == pytest.approx(expected)
    assert state.grievance[0, p, p] == 0.0


def test_patron_grieves_against_each_attacker_and_in_proportion_to_credibility() -> None:
    static, state, params = helpers.world(alliance_dict(rule={}, credibility=0.8))
    p, c, r, b = ix(static, "patron", "client", "rival", "bystander")
    t = helpers.make_turn(static, state, params)
    t.act_rung[0, r, c] = Rung.USE_OF_FORCE
    t.act_rung[0, b, c] = Rung.WAR
    alliances.commitments(t)
    share = params[W.PATRON_GRIEVANCE][0] * 0.8
    assert state.grievance[0, p, r] == pytest.approx(share)
    assert state.grievance[0, p, b] == pytest.approx(share)
    assert state.grievance[0, c].sum() == 0.0, "the client's own grievance is the engine's"


def test_patron_grievance_is_clipped_at_one() -> None:
    static, state, params = helpers.world(alliance_dict(rule={}))
    p, c, r = ix(static, "patron", "client", "rival")
    state.grievance[:, p, r] = 0.95
    t = helpers.make_turn(static, state, params)
    t.act_rung[0, r, c] = Rung.WAR
    alliances.commitments(t)
    assert state.grievance[0, p, r] == 1.0


def test_commitments_use_each_replicates_own_weight() -> None:
    weights = [0.1, 0.6, 0.0]
    static, state, params = helpers.world(
        alliance_dict(rule={}), seeds=[0, 1, 2], **{W.PATRON_GRIEVANCE.key: weights}
    )
    p, c, r = ix(static, "patron", "client", "rival")
    t = helpers.make_turn(static, state, params)
    t.act_rung[:, r, c] = Rung.USE_OF_FORCE
    alliances.commitments(t)
    assert state.grievance[:, p, r] == pytest.approx([w * CRED for w in weights])


def test_a_clash_on_the_client_in_the_engine_aggrieves_the_patron() -> None:
    """Through engine.step the patron's new grievance then decays like every grievance."""
    static, state, params = helpers.world(alliance_dict(rule={}, combat=True))
    p, r = ix(static, "patron", "rival")
    moves = engine.check_moves(
        static, state, {**hold_all(static), "rival": ("border_clash", "client")}
    )
    engine.step(static, state, params, moves=moves)
    expected = params[W.PATRON_GRIEVANCE][0] * CRED * params[W.GRIEVANCE_DECAY][0]
    assert state.grievance[0, p, r] == pytest.approx(expected)
    assert state.grievance[0, p, static.index("bystander")] == 0.0


# ----------------------------------------------------------------------------------------------
# The rule switched off


def test_spec_declares_its_actions_steps_and_writes() -> None:
    spec = alliances.SPEC
    assert {a.id.value for a in spec.actions} == {"buy_arms", "supply_arms"}
    assert [(s.stage, s.run) for s in spec.steps] == [
        (Stage.BEFORE_CHOICES, alliances.deliveries),
        (Stage.AFTER_ACTIONS, alliances.commitments),
    ]
    assert {"pipeline_armour", "pipeline_drones", "armour", "drones"} <= spec.writes


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_the_alliances_are_not_in_force(rule: dict | None) -> None:
    static, state, _ = helpers.world(alliance_dict(rule=rule))
    assert alliances.SPEC.of(static) is None
    assert not static.credibility.any()
    assert not static.alliance.any()
    assert not static.arms_supply.any() and not static.drone_supply.any()
    assert (static.drone_supply_type == -1).all()
    for a in alliances.SPEC.actions:
        assert not actions.is_legal(actions.spec(a.id), static, state).any(), a.id
    c, p = ix(static, "client", "patron")
    with pytest.raises(engine.IllegalMove):
        engine.check_moves(static, state, {"client": ("buy_arms", "patron")})
    with pytest.raises(engine.IllegalMove):
        engine.check_moves(static, state, {"patron": ("supply_arms", "client")})
    # the same scenario with the rule on: the alliance is in force
    static_on, state_on, _ = helpers.world(alliance_dict(rule={}))
    assert static_on.credibility[p, c] == CRED
    assert actions.is_legal(actions.spec("buy_arms"), static_on, state_on)[0, c, p]
    assert actions.is_legal(actions.spec("supply_arms"), static_on, state_on)[0, p, c]


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_its_steps_change_nothing_in_the_engine(rule: dict | None) -> None:
    """Arms put in the pipeline by hand are never delivered; attacks aggrieve no patron."""
    static, state, params = helpers.world(alliance_dict(rule=rule, combat=True))
    c, p, r = ix(static, "client", "patron", "rival")
    state.pipeline_armour[:, c, 0] = ARMS
    state.pipeline_drones[:, 0, 0] = DRONES
    pipeline0 = (state.pipeline_armour.copy(), state.pipeline_drones.copy())
    drones0 = state.drones.copy()
    moves = engine.check_moves(
        static, state, {**hold_all(static), "rival": ("border_clash", "client")}
    )
    engine.step(static, state, params, moves=moves)
    assert np.array_equal(state.pipeline_armour, pipeline0[0])
    assert np.array_equal(state.pipeline_drones, pipeline0[1])
    assert np.array_equal(state.drones, drones0)
    assert state.armour[0, c] <= 100.0, "no delivery (the clash may only cost armour)"
    assert state.grievance[0, p, r] == 0.0


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_commitments_called_directly_change_nothing(rule: dict | None) -> None:
    static, state, params = helpers.world(alliance_dict(rule=rule))
    c, r = ix(static, "client", "rival")
    before = helpers.state_arrays(state)
    t = helpers.make_turn(static, state, params)
    t.act_rung[:, r, c] = Rung.WAR
    alliances.commitments(t)
    alliances.deliveries(t)
    assert helpers.state_differences(before, state) == []


@pytest.mark.parametrize(
    ("ties", "legal"),
    [(Ties.FULL, True), (Ties.DOWNGRADED, False), (Ties.SEVERED, False)],
    ids=lambda v: v.name.lower() if isinstance(v, Ties) else str(v),
)
def test_arms_trade_needs_full_ties_between_patron_and_client(ties: Ties, legal: bool) -> None:
    static, state, _ = helpers.world(alliance_dict(rule={}))
    c, p, r = ix(static, "client", "patron", "rival")
    state.diplo[:, c, p] = state.diplo[:, p, c] = ties
    assert actions.is_legal(actions.spec("buy_arms"), static, state)[0, c, p] == legal
    assert actions.is_legal(actions.spec("supply_arms"), static, state)[0, p, c] == legal
    # never with anyone but the patron / the client
    buy = actions.is_legal(actions.spec("buy_arms"), static, state)[0]
    supply = actions.is_legal(actions.spec("supply_arms"), static, state)[0]
    assert not np.delete(buy, p, axis=1).any() and not np.delete(supply, c, axis=1).any()
    assert not buy[r].any() and not supply[r].any()
