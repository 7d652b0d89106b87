"""Drone parity: strike power against counter-drone defence, range limits, and its effect on war.

The chance a strike gets through is S / (S + AD) with S the strike power (count x strike value
of the types in range) and AD the target's air defence; the balance of the two sides' chances
multiplies ground-combat effectiveness (1 + w (e_ij - e_ji)).
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim import engine
from sim.actionspec import drone_reach
from sim.rules import drone_parity

TB2 = {"type": "TB2", "count": 20, "range_km": 150, "strike": 2.0}
#: "No drones" with the rule on: the rule needs a drone type in the scenario, so give it none.
NO_TB2 = {**TB2, "count": 0}


def pair_dict(
    drones: list[dict] | None = None,
    distance: float = 100.0,
    air_defence: float = 40.0,
    parity: bool = True,
) -> dict:
    rules = {"combat": {}}
    if parity:
        rules["drone_parity"] = {"weight": 0.6}
    return helpers.scenario_dict(
        [
            helpers.actor("alpha", armour=1000, drones=drones),
            helpers.actor("bravo", armour=1000, air_defence=air_defence),
        ],
        [{"between": ["alpha", "bravo"], "border_km": 100, "distance_km": distance}],
        rules=rules,
        horizon=30,
    )


@pytest.mark.parametrize(
    ("strike", "ad", "expected"),
    [(40.0, 40.0, 0.5), (30.0, 10.0, 0.75), (0.0, 40.0, 0.0), (5.0, 0.0, 1.0), (0.0, 0.0, 0.0)],
)
def test_success_chance_is_s_over_s_plus_ad(strike: float, ad: float, expected: float) -> None:
    s = np.array([[[0.0, strike], [0.0, 0.0]]])
    chance = drone_parity.success_chance(s, np.array([[0.0, ad]]))
    assert chance[0, 0, 1] == pytest.approx(expected)
    assert chance[0, 1, 0] == 0.0


def test_strike_power_sums_the_types_in_range() -> None:
    far = {"type": "Akinci", "count": 5, "range_km": 600, "strike": 3.0}
    static, state, _ = helpers.world(pair_dict([TB2, far], distance=100))
    power = drone_parity.strike_power(static, state.drones)
    assert power[0, 0, 1] == 20 * 2.0 + 5 * 3.0
    assert power[0, 1, 0] == 0.0 and power[0, 0, 0] == 0.0
    static, state, _ = helpers.world(pair_dict([TB2, far], distance=300))
    power = drone_parity.strike_power(static, state.drones)
    assert power[0, 0, 1] == 5 * 3.0, "the TB2s (150 km) cannot reach 300 km"


def test_drone_type_out_of_range_contributes_nothing() -> None:
    static, state, _ = helpers.world(pair_dict([TB2], distance=151))
    assert drone_parity.strike_power(static, state.drones)[0, 0, 1] == 0.0
    assert not drone_reach(static, state)[0, 0, 1]
    assert drone_parity.reach_matrix(static).tolist() == [[True, False]]  # (type, target)


def test_weight_is_zero_when_the_rule_is_off() -> None:
    static, _, _ = helpers.world(pair_dict([TB2], parity=False))
    assert drone_parity.weight(static) == 0.0
    static, _, _ = helpers.world(pair_dict([TB2]))
    assert drone_parity.weight(static) == 0.6


def war_losses(data: dict, turns: int = 2) -> np.ndarray:
    """alpha attacks bravo and both hold for ``turns`` turns; (alpha, bravo) armour lost."""
    static, state, params = helpers.world(data)
    hold = {"alpha": ("hold", "alpha"), "bravo": ("hold", "bravo")}
    moves = engine.check_moves(static, state, hold)
    attack = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    first = np.where(attack >= 0, attack, moves)
    engine.step(static, state, params, moves=first)
    for _ in range(turns - 1):
        engine.step(static, state, params, moves=moves)
    assert state.at_war[0, 0, 1], "the war must still be going for the comparison"
    return state.armour_lost[0].copy()


def test_drones_raise_the_losses_of_the_side_without_them() -> None:
    without = war_losses(pair_dict([NO_TB2]))
    with_drones = war_losses(pair_dict([TB2]))
    assert without[0] == pytest.approx(without[1]), "symmetric forces lose the same"
    assert with_drones[1] > 1.2 * without[1], "bravo lacks drones and loses more"
    assert with_drones[0] < without[0], "alpha's drones lower its own losses (parity multiplier)"


def test_out_of_range_drones_change_nothing_in_war() -> None:
    """TB2s with a 90 km range, 100 km from the enemy: the war goes as if there were none."""
    short = {**TB2, "range_km": 90}
    assert war_losses(pair_dict([short])).tolist() == war_losses(pair_dict([NO_TB2])).tolist()


def test_parity_rule_off_drones_do_nothing_in_war() -> None:
    assert war_losses(pair_dict(None, parity=False)).tolist() == (
        war_losses(pair_dict([TB2], parity=False)).tolist()
    )


def test_stronger_air_defence_blunts_the_drones() -> None:
    weak = war_losses(pair_dict([TB2], air_defence=10.0))
    strong = war_losses(pair_dict([TB2], air_defence=400.0))
    assert strong[1] < weak[1]


def test_one_off_strike_hits_with_chance_s_over_s_plus_ad() -> None:
    """Over many seeds, a strike at S = AD = 40 succeeds about half the time."""
    seeds = list(range(2000))
    static, state, params = helpers.world(pair_dict([TB2]), seeds=seeds)
    hold = engine.check_moves(static, state, {"bravo": ("hold", "bravo")})
    strike = engine.check_moves(static, state, {"alpha": ("drone_strike", "bravo")})
    rec = engine.step(static, state, params, moves=np.where(strike >= 0, strike, hold))
    hits = rec.success[:, 0]
    assert hits.mean() == pytest.approx(0.5, abs=0.035)  # 3 standard errors
    assert (state.armour_lost[hits, 1] > 0).all()
    assert (state.armour_lost[~hits, 1] == 0).all()
    # a strike that gets through: sorties x strike power x success chance
    assert rec.amount[hits, 0] == pytest.approx(0.25 * 40.0 * 0.5)
