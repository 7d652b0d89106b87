"""Combat in the engine: wars follow the public Lanchester integrator, quality and
fortification matter, collapse ends wars.

The integrator itself (Engel's Iwo Jima fit, the square-law invariant, convergence) is checked
in tests/rules/test_lanchester.py.
"""

from __future__ import annotations

import math

import helpers
import pytest

from sim import engine
from sim.batch import run_batch
from sim.rules.combat import lanchester
from sim.world import Source, State, WarEnd

# ----------------------------------------------------------------------------------------------
# Wars in the engine


def duel(**changes: float) -> dict:
    a = helpers.actor("alpha", armour=1000)
    b = helpers.actor("bravo", armour=1000)
    for key, value in changes.items():
        who, field = key.split("__")
        (a if who == "alpha" else b)["forces"][field] = value
    rel = [{"between": ["alpha", "bravo"], "border_km": 100, "distance_km": 100}]
    return helpers.scenario_dict([a, b], rel, rules={"combat": {}}, horizon=30)


def fight(data: dict, turns: int) -> State:
    static, state, params = helpers.world(data)
    moves = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    hold = engine.check_moves(
        static, state, {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo")}
    )
    moves[0, 1] = hold[0, 1]
    engine.step(static, state, params, moves=moves)
    for _ in range(turns - 1):
        if not state.at_war.any():
            break
        engine.step(static, state, params, moves=hold)
    return state


def test_war_in_the_engine_follows_the_square_law() -> None:
    """Equal quality, 1,000 against 1,000: dA/dt = -0.02 A, so A(7) = 1000 exp(-0.14)."""
    state = fight(duel(), 1)
    lost = state.armour_lost[0]
    assert lost[0] == pytest.approx(lost[1])
    assert lost[0] == pytest.approx(1000 * (1 - math.exp(-0.14)), rel=1e-6)
    assert state.war_days[0] == 7


@pytest.mark.parametrize("quality", [1.0, 1.3, 2.0])
def test_a_war_in_the_engine_is_the_public_integrator_day_by_day(quality: float) -> None:
    """Two sides, no drones, no fortification: the engine's daily combat is ``lanchester``."""
    data = duel(alpha__quality=quality)
    static, state, params = helpers.world(data)
    moves = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    moves[0, 1] = engine.check_moves(static, state, {"bravo": ("hold", "bravo")})[0, 1]
    engine.step(static, state, params, moves=moves)
    lethality = 0.02
    a, b = lanchester(1000.0, 1000.0, lethality * quality, lethality, days=7)
    assert state.armour[0, 0] == pytest.approx(a[-1], rel=1e-9)
    assert state.armour[0, 1] == pytest.approx(b[-1], rel=1e-9)


def test_quality_decides_who_collapses_first() -> None:
    state = fight(duel(alpha__quality=1.5), 20)
    assert state.collapsed[0].tolist() == [False, True]
    assert state.winner[0] == 0 and state.mid_outcome[0] == 1  # victory for side A
    assert state.war_ended_by[0] == WarEnd.COLLAPSE
    assert not state.at_war.any()
    assert state.deaths[0, 1] == pytest.approx(state.armour_lost[0, 1] * 1.5)


def test_fortified_defender_loses_less() -> None:
    data = duel()
    static, state, params = helpers.world(data)
    state.fortified[0, 1, 0] = True
    moves = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    moves[0, 1] = engine.check_moves(static, state, {"bravo": ("hold", "bravo")})[0, 1]
    engine.step(static, state, params, moves=moves)
    assert state.armour_lost[0, 1] < state.armour_lost[0, 0]


# ----------------------------------------------------------------------------------------------
# Agreements end a war within the turn


def war_then(second_turn: dict, seeds: list[int], rules: dict | None = None) -> State:
    """alpha attacks bravo in turn 1; in turn 2 the players make ``second_turn``'s moves."""
    data = duel()
    if rules:
        data["rules"].update(rules)
    static, state, params = helpers.world(data, seeds=seeds)
    hold = {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo")}
    engine.step(
        static,
        state,
        params,
        moves=engine.check_moves(static, state, {**hold, "alpha": ("launch_offensive", "bravo")}),
    )
    engine.step(static, state, params, moves=engine.check_moves(static, state, second_turn))
    return state


def test_a_ceasefire_both_sides_offer_ends_the_war_on_a_day_of_that_turn() -> None:
    both = {"alpha": ("propose_ceasefire", "bravo"), "bravo": ("propose_ceasefire", "alpha")}
    state = war_then(both, seeds=list(range(300)))
    assert not state.at_war.any(), "every war ended within the turn of the agreement"
    days = state.war_days
    assert set(days.tolist()) == set(range(7, 14)), "any day of the turn, after week one"
    assert (state.war_end_turn == 2).all()
    assert (state.mid_outcome != 0).all()
    assert (state.war_ended_by == WarEnd.CEASEFIRE).all()


def test_one_sided_offer_does_not_end_the_war() -> None:
    one = {"alpha": ("propose_ceasefire", "bravo"), "bravo": ("hold", "bravo")}
    state = war_then(one, seeds=[0, 1, 2])
    assert state.at_war.all(axis=(1, 2)).sum() == 0 and state.at_war[:, 0, 1].all()
    assert (state.war_days == 14).all()


# ----------------------------------------------------------------------------------------------
# A scenario can start at war; events can wait for losses or days of war


def at_war_from_the_start(**event: object) -> dict:
    data = duel()
    data["relations"][0].update({"at_war": True, "initiator": "alpha", "fortified": ["bravo"]})
    if event:
        data["events"] = [event]
    return data


def test_a_scenario_can_start_at_war_with_a_fortified_border() -> None:
    static, state, params = helpers.world(at_war_from_the_start())
    assert state.at_war[0, 0, 1] and state.at_war[0, 1, 0]
    assert state.war_start[0, 0, 1] == 0 and state.war_turn[0] == 0
    assert state.war_initiator[0, 0, 1] and not state.war_initiator[0, 1, 0]
    assert state.fortified[0, 1, 0] and not state.fortified[0, 0, 1]
    hold = {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo")}
    engine.step(static, state, params, moves=engine.check_moves(static, state, hold))
    assert state.war_days[0] == 7, "the war is fought from the first turn"
    lost = state.armour_lost[0]
    assert lost[1] < lost[0], "the fortified defender loses less"
    out = run_batch(helpers.compile_scenario(at_war_from_the_start()), seeds=range(3)).outcomes
    assert out.war.all() and (out.war_start_turn == 0).all()


@pytest.mark.parametrize(
    ("metric", "at_least"),
    [("armour_lost", 0.2), ("war_days", 14.0)],
)
def test_an_event_can_wait_for_losses_or_days_of_war(metric: str, at_least: float) -> None:
    """bravo asks for a ceasefire once the condition holds, tested at the start of a turn (its
    AI, left to choose, is made never to ask on its own)."""
    event = {
        "when": {"actor": "bravo", "target": "alpha", "metric": metric, "at_least": at_least},
        "actor": "bravo",
        "action": "propose_ceasefire",
        "target": "alpha",
        "note": "bravo seeks a ceasefire",
    }
    never = {"ceasefire_cost": 5.0, "ceasefire_losing": 0.0, "ceasefire_no_motive": 0.0}
    static, state, params = helpers.world(at_war_from_the_start(**event), **never)
    hold = engine.check_moves(
        static, state, {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo")}
    )
    hold[0, 1] = -1  # bravo is played by the AI, so the scripted event can act
    fired_at = None
    for turn in range(1, 8):
        before = float(state.armour_lost[0, 1] / 1000.0), int(state.war_days[0])
        rec = engine.step(static, state, params, moves=hold)
        if rec.source[0, 1] == Source.SCRIPTED:
            fired_at = turn
            value = before[0] if metric == "armour_lost" else before[1]
            assert value >= at_least
            break
        value = before[0] if metric == "armour_lost" else before[1]
        assert value < at_least, "the event fires as soon as its condition holds"
    assert fired_at is not None


def test_a_non_state_force_can_fight_beside_a_state() -> None:
    """A de facto force (kind non_state) committed to a state joins that state's war."""
    data = duel()
    data["actors"].append(helpers.actor("militia", armour=200, kind="non_state"))
    data["relations"] += [
        {"between": ["militia", "alpha"], "border_km": 50, "distance_km": 40},
        {"between": ["militia", "bravo"], "distance_km": 40},
    ]
    data["alliances"] = [
        {"patron": "militia", "client": "bravo", "kind": "alliance", "credibility": 0.9}
    ]
    data["rules"]["alliances"] = {}
    static, state, params = helpers.world(data)
    hold = {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo"), "militia": ("hold", "militia")}
    engine.step(
        static,
        state,
        params,
        moves=engine.check_moves(static, state, {**hold, "alpha": ("launch_offensive", "bravo")}),
    )
    moves = engine.check_moves(static, state, {**hold, "militia": ("join_war", "alpha")})
    engine.step(static, state, params, moves=moves)
    m, a = static.index("militia"), static.index("alpha")
    assert state.at_war[0, m, a] and state.armour_lost[0, m] > 0
