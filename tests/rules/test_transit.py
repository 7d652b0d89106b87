"""Transit: levies and closures cost the users of a corridor and pay (or cost) its controller.

A levy at rate r on a corridor of annual value V costs each user r V a year and pays the
controller r V per user; a closure costs users V a year, or only ``switch_loss`` V when an
alternative corridor is open, and costs the controller its transit fees (5% of V). A turn is
``turn_days`` / 365 of a year.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim.rules import transit
from sim.weights import TABLE, W
from sim.world import DEFAULT_LEVY

INCOME = TABLE[W.TRANSIT_INCOME].value

YEAR = 7 / 365
VALUE = 2.0
SWITCH = 0.3


def corridor_world(alternative: bool = True, users: tuple[str, ...] = ("user", "other")):
    actors = [helpers.actor("ctrl"), helpers.actor("user"), helpers.actor("other")]
    if alternative:
        actors.append(helpers.actor("bypasser"))
    relations = [{"between": ["ctrl", u], "border_km": 10, "distance_km": 50} for u in users]
    corridors = [
        {
            "id": "road",
            "name": "Road",
            "controller": "ctrl",
            "users": list(users),
            "value_busd": VALUE,
            **({"alternative": "bypass"} if alternative else {}),
        }
    ]
    if alternative:
        corridors.append(
            {
                "id": "bypass",
                "name": "Bypass",
                "controller": "bypasser",
                "users": ["user"],
                "value_busd": 1.0,
            }
        )
    data = helpers.scenario_dict(
        actors,
        relations,
        corridors=corridors,
        rules={"transit": {"grievance_per_busd": 0.5, "switch_loss": SWITCH}},
    )
    return helpers.world(data)


def run_economics(status: int, alternative: bool = True, alt_status: int = 0):
    static, state, params = corridor_world(alternative)
    state.corridor_status[:, 0] = status
    if status == transit.LEVIED:
        state.corridor_levy[:, 0] = DEFAULT_LEVY
    if alternative:
        state.corridor_status[:, 1] = alt_status
    t = helpers.make_turn(static, state, params)
    transit.economics(t)
    return static, state


def cost(static, state, who: str) -> float:
    return float(state.econ_cost[0, static.index(who)])


def test_open_corridor_costs_nothing() -> None:
    static, state = run_economics(transit.OPEN)
    assert state.econ_cost[0].tolist() == [0.0] * static.n
    assert state.grievance.max() == 0.0


def test_levy_costs_each_user_and_pays_the_controller() -> None:
    static, state = run_economics(transit.LEVIED)
    per_user = DEFAULT_LEVY * VALUE * YEAR
    assert cost(static, state, "user") == pytest.approx(per_user)
    assert cost(static, state, "other") == pytest.approx(per_user)
    assert cost(static, state, "ctrl") == pytest.approx(-2 * per_user), "revenue is a negative cost"
    assert cost(static, state, "bypasser") == 0.0
    assert state.econ_cost[0].sum() == pytest.approx(0.0, abs=1e-12), "a levy is a transfer"
    # users resent the controller, in proportion to what they lose a year
    c, u = static.index("ctrl"), static.index("user")
    assert state.grievance[0, u, c] == pytest.approx(0.5 * DEFAULT_LEVY * VALUE * 7 / 30)
    assert state.grievance[0, c, u] == 0.0


def test_closure_with_an_open_alternative_costs_switch_loss_only() -> None:
    static, state = run_economics(transit.CLOSED, alternative=True, alt_status=transit.OPEN)
    assert cost(static, state, "user") == pytest.approx(SWITCH * VALUE * YEAR)
    assert cost(static, state, "ctrl") == pytest.approx(
        TABLE[W.TRANSIT_INCOME].value * VALUE * YEAR
    )


def test_closure_with_a_levied_alternative_still_lets_users_switch() -> None:
    static, state = run_economics(transit.CLOSED, alternative=True, alt_status=transit.LEVIED)
    assert cost(static, state, "user") == pytest.approx(SWITCH * VALUE * YEAR)


def test_closure_without_an_alternative_costs_the_whole_value() -> None:
    static, state = run_economics(transit.CLOSED, alternative=False)
    assert cost(static, state, "user") == pytest.approx(VALUE * YEAR)
    assert cost(static, state, "other") == pytest.approx(VALUE * YEAR)
    assert cost(static, state, "ctrl") == pytest.approx(
        TABLE[W.TRANSIT_INCOME].value * VALUE * YEAR
    )


def test_closure_with_the_alternative_closed_too_costs_both_values() -> None:
    """No open route: the user loses the whole road and the whole (closed) bypass."""
    static, state = run_economics(transit.CLOSED, alternative=True, alt_status=transit.CLOSED)
    assert cost(static, state, "user") == pytest.approx(VALUE * YEAR + 1.0 * YEAR)
    assert cost(static, state, "other") == pytest.approx(VALUE * YEAR)


def test_costs_accumulate_turn_after_turn() -> None:
    static, state, params = corridor_world()
    state.corridor_status[:, 0] = transit.LEVIED
    state.corridor_levy[:, 0] = 0.1
    for turn in range(1, 5):
        transit.economics(helpers.make_turn(static, state, params, turn))
    assert cost(static, state, "user") == pytest.approx(4 * 0.1 * VALUE * YEAR)


def test_levy_action_levies_every_open_corridor_it_controls_for_that_user() -> None:
    from sim import engine

    static, state, params = corridor_world()
    moves = engine.check_moves(static, state, {"ctrl": ("levy_transit", "user")})
    others = engine.check_moves(static, state, {a: ("hold", a) for a in static.ids if a != "ctrl"})
    engine.step(static, state, params, moves=np.where(moves >= 0, moves, others))
    assert state.corridor_status[0].tolist() == [transit.LEVIED, transit.OPEN]
    assert state.corridor_levy[0, 0] == DEFAULT_LEVY
    # the levy is coded on the ladder: rung 3, economic coercion
    c, u = static.index("ctrl"), static.index("user")
    assert state.rung[0, c, u] == 3
    # and it has cost the user a turn of levy
    assert cost(static, state, "user") == pytest.approx(DEFAULT_LEVY * VALUE * YEAR)
