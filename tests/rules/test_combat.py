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
from sim.rules.combat import lanchester
from sim.world import State

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
