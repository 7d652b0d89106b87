"""The decision model checked against the theories it rests on, over 1,000 fixed seeds.

(a) Fearon (1995): with no misperception, a divisible stake and no shifting balance, rational
    actors never choose war, at the default temperature and even at a high one.
(b) War rises with misperception, and with the size and speed of an adverse shift of power
    (Powell 2004, 2006).
(c) Readiness to use force rises with the drone advantage, all else fixed.
(d) Misperception is a lasting belief per run and pair, corrected by fighting.

Every statistical test uses common random numbers (the same seeds at every point) and is
shown to fail on a model that lacks the property (the ``..._would_fail_...`` tests).
docs/validation.md plots the same experiments (scripts/validation.py).
"""

from __future__ import annotations

import functools
import itertools
import math

import helpers
import numpy as np
import pandas as pd
import pytest

from sim import actions as act
from sim import engine, validation
from sim.batch import Prepared, run_batch
from sim.decisions import assess
from sim.rng import as_seeds
from sim.scenario.models import Scenario
from sim.world import build_static, initial_state, make_params

SEEDS = 1000


def se(rate: float, n: int = SEEDS) -> float:
    return math.sqrt(max(rate * (1 - rate), 1.0 / n) / n)


def non_decreasing(rates: list[float], n: int = SEEDS) -> bool:
    """Each step may fall by no more than two standard errors of the difference."""
    return all(b >= a - 2 * math.hypot(se(a, n), se(b, n)) for a, b in itertools.pairwise(rates))


# ----------------------------------------------------------------------------------------------
# (a) No misperception, no shifting balance: no war


def random_dispute(k: int) -> Scenario:
    """A random two-state dispute: forces, quality, grievances, risk and resolve drawn from k."""
    rng = np.random.default_rng(k)
    base = validation.dispute()
    actors = []
    for a in base.actors:
        forces = a.forces.model_copy(
            update={"armour": float(rng.uniform(50, 2000)), "quality": float(rng.uniform(0.5, 2))}
        )
        politics = a.politics.model_copy(
            update={
                "risk_tolerance": float(rng.uniform(0, 1)),
                "resolve": float(rng.uniform(0, 1)),
                "domestic_pressure": float(rng.uniform(0, 1)),
            }
        )
        actors.append(a.model_copy(update={"forces": forces, "politics": politics}))
    rel = base.relations[0].model_copy(
        update={
            "tension": float(rng.uniform(0, 1)),
            "grievance": {"alpha": float(rng.uniform(0, 1)), "bravo": float(rng.uniform(0, 1))},
        }
    )
    return base.model_copy(update={"actors": actors, "relations": [rel]})


@functools.cache
def random_war_rates(misperception: float, temperature: float) -> list[float]:
    params = {"misperception": misperception, "temperature": temperature}
    return [
        float(run_batch(random_dispute(k), seeds=range(50), params=params).outcomes.war.mean())
        for k in range(40)
    ]


@pytest.mark.parametrize("temperature", [0.2, 3.0])
def test_without_misperception_or_a_shift_of_power_no_one_ever_chooses_war(
    temperature: float,
) -> None:
    """40 random disputes x 50 seeds, at the default temperature and at a near-random one."""
    assert max(random_war_rates(0.0, temperature)) == 0.0


def test_the_no_war_test_would_fail_with_private_information() -> None:
    """The same disputes with misperception 2: wars happen, so the test above can fail."""
    rates = random_war_rates(2.0, 0.2)
    assert sum(r > 0 for r in rates) >= 5, rates


def test_the_founding_crisis_without_misperception_has_no_war() -> None:
    out = run_batch(helpers.prepared(), seeds=range(SEEDS), params={"misperception": 0.0})
    assert not out.outcomes.war.any()


# ----------------------------------------------------------------------------------------------
# (b) War rises with misperception and with the size and speed of a shift


@functools.cache
def by_misperception() -> pd.DataFrame:
    return validation.war_by_misperception(seeds=SEEDS)


def test_war_rises_monotonically_with_misperception() -> None:
    table = by_misperception()
    rates = table.rate.tolist()
    assert rates[0] == 0.0, "complete information: no war"
    assert rates == sorted(rates), f"common random numbers: never lower, got {rates}"
    assert rates[-1] > 0.08


@functools.cache
def by_shift(**weights: float) -> pd.DataFrame:
    return validation.war_by_shift(seeds=SEEDS, params=weights or None)


def test_war_rises_with_the_size_of_an_adverse_shift() -> None:
    table = by_shift()
    for k, rows in table.groupby("delivery_turns"):
        rates = rows.sort_values("size").rate.tolist()
        assert rates[0] == 0.0, "no delivery, no shift, no war"
        assert non_decreasing(rates), (k, rates)
        assert rates[-1] > 0.5, (k, rates)


def test_war_rises_with_the_speed_of_an_adverse_shift() -> None:
    """The same delivery over fewer turns is a faster shift and more often a war."""
    table = by_shift()
    for size, rows in table[table["size"] > 0].groupby("size"):
        rates = rows.sort_values("delivery_turns", ascending=False).rate.tolist()
        assert non_decreasing(rates), (size, rates)
    big = table[table["size"] >= 400]
    fast = big[big.delivery_turns == 1].rate.to_numpy()
    slow = big[big.delivery_turns == big.delivery_turns.max()].rate.to_numpy()
    assert (fast - slow > 0.05).all(), (fast, slow)


def test_the_shift_tests_would_fail_without_a_preventive_motive() -> None:
    """With no weight on the future (shift_discount 0) there is no preventive war at all, so
    the size and speed tests above would fail."""
    table = validation.war_by_shift(sizes=(0.0, 800.0), seeds=300, params={"shift_discount": 0.0})
    assert (table.rate == 0.0).all()


# ----------------------------------------------------------------------------------------------
# (c) Drone advantage and the readiness to use force

FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)


@functools.cache
def by_drones(target: str, seeds: int = SEEDS) -> pd.DataFrame:
    # a hotter crisis than the fitted defaults, where force is used at all (docs/validation.md)
    return validation.force_by_drones(
        FACTORS, target=target, seeds=seeds, params={"reciprocity": 1.2}
    )


@pytest.mark.parametrize("target", ["armenia", "iran"])
def test_readiness_to_use_force_rises_strictly_with_the_drone_advantage(target: str) -> None:
    """All else fixed (the first turn's state, no misperception): the probability Azerbaijan
    gives to a use of force against the target rises with every step of its drone fleet."""
    p = by_drones(target).p_force.to_numpy()
    assert (np.diff(p) > 0).all(), p


def test_more_drones_mean_more_runs_with_a_use_of_force_against_iran() -> None:
    table = by_drones("iran")
    rates = table.rate.tolist()
    assert non_decreasing(rates), rates
    assert rates[-1] > rates[0] + 0.05, rates


def test_the_drone_test_would_fail_if_drones_gave_no_edge() -> None:
    """With the parity weight and the drone terms of the decisions at 0, more drones change
    nothing once strikes are possible: the strict test above would fail."""
    base = helpers.prepared().scenario
    rules = base.rules.model_copy(
        update={"drone_parity": base.rules.drone_parity.model_copy(update={"weight": 0.0})}
    )
    flat = base.model_copy(
        update={
            "rules": rules,
            "parameters": {},  # the engine's own ranges
        }
    )
    weights = {"force_drone_edge": 0.0, "desire_drone_edge": 0.0, "strike_success_gain": 0.0}
    p = []
    for f in FACTORS[1:]:
        scen = validation.scale_drones(flat, "azerbaijan", f)
        static = build_static(scen)
        state = initial_state(static, as_seeds([0]))
        params = make_params(scen, 1, {"misperception": 0.0, **weights})
        legal = act.legal_mask(static, state)
        from sim.decisions import action_probabilities

        probs = action_probabilities(static, state, params, legal, 1)
        i, j = static.index("azerbaijan"), static.index("armenia")
        p.append(float(probs[0, i, list(validation.FORCE_ACTIONS), j].sum()))
    assert max(p) - min(p) < 1e-12, p


# ----------------------------------------------------------------------------------------------
# (d) Beliefs: drawn once, corrected by fighting


def belief_bias(static, state, params) -> np.ndarray:  # type: ignore[no-untyped-def]
    view = assess(static, state, params, state.turn + 1)
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    return logit(np.clip(view.p_win, 1e-9, 1 - 1e-9)) - logit(np.clip(view.p_true, 1e-9, 1 - 1e-9))


def test_misperception_is_drawn_once_per_run_and_pair() -> None:
    static, state, params = helpers.world(validation.dispute(), seeds=list(range(200)))
    params = make_params(validation.dispute(), 200, {"misperception": 1.0})
    noise0 = state.belief_noise.copy()
    bias0 = belief_bias(static, state, params)
    assert np.abs(bias0[:, 0, 1]).mean() > 0.5, "sigma 1: beliefs are off"
    assert not np.allclose(bias0[:, 0, 1], bias0[:, 1, 0]), "each side has its own error"
    for _ in range(3):
        engine.step(static, state, params)
    peace = ~state.at_war.any(axis=(1, 2)) & (state.war_turn < 0)
    assert np.array_equal(state.belief_noise, noise0), "never redrawn"
    # replicates that never fought keep exactly the belief they started with
    assert (state.clarity[peace] == 1.0).all()
    again = belief_bias(static, state, params)
    np.testing.assert_allclose(again[peace], bias0[peace], atol=1e-9)


def test_fighting_corrects_beliefs() -> None:
    """A war between the two, forced by the players: each day of it shrinks the error."""
    scen = validation.dispute()
    static, state, _ = helpers.world(scen, seeds=list(range(50)))
    rate = 0.08  # per day of war; the fitted default is much slower (see the next test)
    params = make_params(scen, 50, {"misperception": 1.0, "learning_war": rate})
    before = np.abs(belief_bias(static, state, params)[:, 0, 1])
    moves = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    engine.step(static, state, params, moves=moves)
    after = np.abs(belief_bias(static, state, params)[:, 0, 1])
    assert (state.clarity[:, 0, 1] < 1.0).all()
    assert (after < before).all() or (after <= before + 1e-12).all()
    assert after.mean() < 0.7 * before.mean(), "a week of war at 0.08 a day reveals much"
    days = static.turn_days
    np.testing.assert_allclose(state.clarity[:, 0, 1], 1.0 / (1.0 + rate * days), rtol=1e-12)


def test_the_theory_scenarios_are_valid_and_run() -> None:
    for scen in (validation.dispute(), validation.power_shift(400.0, 2)):
        out = run_batch(Prepared.from_ref(scen), seeds=range(5)).outcomes
        assert len(out) == 5


def test_a_known_overconfidence_raises_the_belief_and_fighting_wears_it_down() -> None:
    """A relation's ``belief:`` (a known error on the log-odds) is added to the random one."""
    scen = validation.dispute()
    rel = scen.relations[0].model_copy(update={"belief": {"bravo": 2.0}})
    sure = scen.model_copy(update={"relations": [rel]})
    static, state, _ = helpers.world(sure, seeds=list(range(20)))
    params = make_params(sure, 20, {"misperception": 0.0})
    bias = belief_bias(static, state, params)
    np.testing.assert_allclose(bias[:, 1, 0], 2.0, atol=1e-9)
    np.testing.assert_allclose(bias[:, 0, 1], 0.0, atol=1e-9)
    moves = engine.check_moves(static, state, {"alpha": ("launch_offensive", "bravo")})
    engine.step(static, state, params, moves=moves)
    assert (belief_bias(static, state, params)[:, 1, 0] < 2.0).all()
