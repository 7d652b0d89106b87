"""Arms race: Richardson's equations (REFERENCES.md).

dx/dt = k y - a x + g, dy/dt = l x - b y + h. Stable iff a b > k l, with equilibrium
x* = (k h + b g) / (a b - k l), y* = (l g + a h) / (a b - k l); otherwise a runaway race or a
collapse.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim.rules import arms_race
from sim.rules.arms_race import richardson_equilibrium, richardson_step


def iterate(k, l_, a, b, g, h, x0, y0, dt, steps):
    x, y = np.float64(x0), np.float64(y0)
    for _ in range(steps):
        x, y = richardson_step(x, y, k, a, g, dt), richardson_step(y, x, l_, b, h, dt)
    return float(x), float(y)


STABLE = [
    # k, l, a, b, g, h
    (0.2, 0.3, 0.5, 0.6, 10.0, 5.0),
    (0.9, 0.1, 1.0, 0.2, 1.0, 2.0),
    (0.0, 0.0, 0.3, 0.3, 3.0, 3.0),
    (0.5, 0.5, 0.6, 0.6, 0.0, 0.0),
]


@pytest.mark.parametrize(("k", "l_", "a", "b", "g", "h"), STABLE)
def test_equilibrium_is_the_published_formula_and_a_fixed_point(k, l_, a, b, g, h) -> None:
    eq = richardson_equilibrium(k, l_, a, b, g, h)
    assert eq is not None
    x, y = eq
    det = a * b - k * l_
    assert x == pytest.approx((k * h + b * g) / det)
    assert y == pytest.approx((l_ * g + a * h) / det)
    assert k * y - a * x + g == pytest.approx(0.0, abs=1e-9)
    assert l_ * x - b * y + h == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(("k", "l_", "a", "b", "g", "h"), STABLE)
@pytest.mark.parametrize(("x0", "y0"), [(0.0, 0.0), (100.0, 3.0), (40.0, 80.0)])
def test_stable_race_converges_to_the_equilibrium(k, l_, a, b, g, h, x0, y0) -> None:
    x_star, y_star = richardson_equilibrium(k, l_, a, b, g, h)
    x, y = iterate(k, l_, a, b, g, h, x0, y0, dt=0.05, steps=8000)
    assert x == pytest.approx(x_star, rel=1e-6, abs=1e-9)
    assert y == pytest.approx(y_star, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    ("k", "l_", "a", "b"), [(0.6, 0.5, 0.2, 0.3), (1.0, 1.0, 0.5, 0.5), (0.3, 0.3, 0.0, 0.0)]
)
def test_unstable_race_runs_away(k, l_, a, b) -> None:
    assert a * b < k * l_
    assert richardson_equilibrium(k, l_, a, b, 1.0, 1.0) is None
    xs = [iterate(k, l_, a, b, 1.0, 1.0, 10.0, 10.0, dt=0.05, steps=s)[0] for s in (200, 400, 800)]
    assert xs[0] < xs[1] < xs[2]
    assert xs[2] > 1e3 * 10.0, "a runaway race grows without bound"


def test_unstable_race_with_goodwill_collapses_below_the_saddle() -> None:
    """a b < k l with negative grievance: start below the (unstable) balance and both disarm."""
    k, l_, a, b, g, h = 0.6, 0.5, 0.2, 0.3, -2.0, -2.0
    det = a * b - k * l_
    x_star, y_star = (k * h + b * g) / det, (l_ * g + a * h) / det
    assert x_star > 0 and y_star > 0
    low = iterate(k, l_, a, b, g, h, 0.5 * x_star, 0.5 * y_star, dt=0.05, steps=4000)
    high = iterate(k, l_, a, b, g, h, 1.5 * x_star, 1.5 * y_star, dt=0.05, steps=4000)
    assert low == (0.0, 0.0), "arms cannot go negative: the race collapses to zero"
    assert high[0] > 100 * x_star


def test_equilibrium_none_at_the_boundary() -> None:
    assert richardson_equilibrium(0.5, 0.5, 0.5, 0.5, 1.0, 1.0) is None


def test_step_is_explicit_euler_floored_at_zero() -> None:
    x = richardson_step(np.array([10.0, 1.0]), np.array([20.0, 0.0]), 0.1, 0.5, 1.0, 0.5)
    assert x.tolist() == [10.0 + 0.5 * (2.0 - 5.0 + 1.0), 1.0 + 0.5 * (0.0 - 0.5 + 1.0)]
    assert richardson_step(np.array([1.0]), np.array([0.0]), 0.0, 1.0, -5.0, 1.0).tolist() == [0.0]


# ----------------------------------------------------------------------------------------------
# The rule in the engine


def rivals(grievance: float, at_war: bool = False):
    data = helpers.scenario_dict(
        [helpers.actor("alpha", armour=100), helpers.actor("bravo", armour=100)],
        [{"between": ["alpha", "bravo"], "distance_km": 100, "grievance": {"alpha": grievance}}],
        rules={"arms_race": {"reaction": 0.5, "fatigue": 0.1, "grievance": 0.2}},
    )
    static, state, params = helpers.world(data)
    state.at_war[:] = at_war and ~np.eye(2, dtype=bool)
    t = helpers.make_turn(static, state, params)
    arms_race.update(t)
    return state


def test_aggrieved_actor_arms_and_content_one_does_not() -> None:
    state = rivals(0.5)
    x, y = state.armour[0]
    # dt = 7/365; dx = k*(g_ab * y) - a*x + g_ab * grievance * x0
    dt = 7 / 365
    assert x == pytest.approx(100 + dt * (0.5 * 0.5 * 100 - 0.1 * 100 + 0.5 * 0.2 * 100))
    assert y == 100.0


def test_no_race_below_the_grievance_threshold_or_at_war() -> None:
    assert rivals(0.1).armour[0].tolist() == [100.0, 100.0]
    assert rivals(0.5, at_war=True).armour[0].tolist() == [100.0, 100.0]
