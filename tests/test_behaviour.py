"""Statistical behaviour users rely on, with fixed seeds and common random numbers.

Every comparison runs the same 500 seeds under two parameter values (common random numbers), so
the difference is the parameter's effect, and the fixed seeds make the test exact and stable.
The margins are several standard errors wide.
"""

from __future__ import annotations

import functools

import helpers
import numpy as np
import pandas as pd
import pytest

from sim import actions as act
from sim import engine
from sim.batch import run_batch
from sim.decisions import action_probabilities, assess, choose, utilities
from sim.rng import as_seeds
from sim.world import make_params

SEEDS = list(range(500))


@functools.cache
def outcomes(name: str, value: float) -> pd.DataFrame:
    return run_batch(helpers.prepared(), seeds=SEEDS, params={name: value}).outcomes


@pytest.mark.parametrize(
    ("name", "more_war", "less_war", "margin"),
    [
        ("war_aversion", 0.5, 2.0, 0.10),
        ("restraint", 0.0, 1.0, 0.03),
        ("reciprocity", 1.5, 0.0, 0.03),
    ],
)
def test_parameter_moves_the_war_rate_the_documented_way(
    name: str, more_war: float, less_war: float, margin: float
) -> None:
    hot, cold = outcomes(name, more_war), outcomes(name, less_war)
    assert hot.seed.tolist() == cold.seed.tolist() == SEEDS
    assert hot.war.mean() >= cold.war.mean() + margin, (
        f"{name}={more_war}: {hot.war.mean():.3f} wars, {name}={less_war}: {cold.war.mean():.3f}"
    )
    assert hot.peak_rung.mean() > cold.peak_rung.mean()


def test_war_aversion_is_monotone_on_common_random_numbers() -> None:
    rates = [outcomes("war_aversion", v).war.mean() for v in (0.25, 0.5, 1.0, 2.0)]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] > 0.2 and rates[-1] < 0.05


def test_founding_crisis_escalates_but_rarely_to_war() -> None:
    """The autumn 2021 crisis: display or use of force is common, war is the exception."""
    out = outcomes("war_aversion", 1.0)
    assert (out.peak_rung >= 6).mean() > 0.9
    assert 0.02 < out.war.mean() < 0.3
    # when Azerbaijan's wars end in a collapse, Azerbaijan is the one left standing
    assert set(out.prevailed[out.prevailed != ""]) <= {"azerbaijan"}


# ----------------------------------------------------------------------------------------------
# Decisions: the softmax, given a state


@functools.cache
def mid_game():
    """A state four turns into seed 3, copied into 2,000 replicates with distinct seeds."""
    # the engine's own temperature range (down to 0.01), not the scenario's (down to 0.05)
    scenario = helpers.prepared().scenario.model_copy(update={"parameters": {}})
    static, state, params = helpers.world(scenario, seeds=[3])
    for _ in range(4):
        engine.step(static, state, params)
    many = state.take(np.zeros(2000, dtype=np.int64))
    many.seeds = as_seeds(list(range(10_000, 12_000)))
    return scenario, static, many


def decide(temperature: float, replicates: int = 2000):
    scenario, static, state = mid_game()
    state = state.take(np.arange(replicates))
    params = make_params(scenario, replicates, {"temperature": temperature, "misperception": 0.0})
    legal = act.legal_mask(static, state)
    a, t, _ = choose(static, state, params, legal, state.turn + 1)
    return static, state, params, legal, a * static.n + t


def modal_share(flat: np.ndarray) -> np.ndarray:
    return np.array([np.bincount(flat[:, i]).max() / flat.shape[0] for i in range(flat.shape[1])])


def test_lower_temperature_concentrates_choices() -> None:
    shares = [modal_share(decide(t, 500)[-1]) for t in (0.6, 0.1, 0.01)]
    assert (shares[1] >= shares[0]).all() and (shares[2] >= shares[1]).all()
    assert (shares[0] < 0.5).all(), "at the default temperature choices vary"


def test_temperature_near_zero_picks_only_the_best_options() -> None:
    """At T = 0.01 no replicate takes an option 0.2 below the best (weight e^-20 or less)."""
    static, state, params, legal, flat = decide(0.01, 500)
    view = assess(static, state, params, state.turn + 1)
    u = utilities(static, state, params, view)[0].reshape(static.n, -1)
    ok = legal[0].reshape(static.n, -1)
    best = np.where(ok, u, -np.inf).max(axis=1)
    chosen = u[np.arange(static.n)[None, :], flat]
    assert (chosen >= best[None, :] - 0.2).all()
    assert ok[np.arange(static.n)[None, :], flat].all(), "only legal options are chosen"
    # misperception 0: every replicate sees the same utilities, so the same best options
    all_u = utilities(static, state, params, view)
    assert (all_u == all_u[:1]).all()


def test_sampled_choices_match_the_softmax_probabilities() -> None:
    """OpenSpiel's habit: check the distribution, not a lucky draw."""
    static, state, params, legal, flat = decide(0.6)
    probs = action_probabilities(static, state, params, legal, state.turn + 1)[0]
    probs = probs.reshape(static.n, -1)
    r = flat.shape[0]
    for i in range(static.n):
        freq = np.bincount(flat[:, i], minlength=probs.shape[1]) / r
        for k in np.argsort(probs[i])[-5:]:
            se = np.sqrt(probs[i, k] * (1 - probs[i, k]) / r)
            assert abs(freq[k] - probs[i, k]) < 4.5 * se + 1e-9, (static.ids[i], k)
        assert (freq[probs[i] == 0] == 0).all()
