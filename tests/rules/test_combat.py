"""Combat: Lanchester's square law and Engel's (1954) fit of the battle of Iwo Jima.

Lanchester: dA/dt = -beta B, dB/dt = -alpha A conserves alpha A^2 - beta B^2. The explicit step
of ``lanchester_day`` multiplies the invariant by (1 - alpha beta dt^2) each step, so over a time
T it drifts by about alpha beta T dt: first order in dt.

Engel (1954), REFERENCES.md: dM/dt = P(t) - a N, dN/dt = -b M with a = 0.0544, b = 0.0106,
N(0) = 21,500, M(0) = 0, US landings of 54,000 on day 1, 6,000 on day 3 and 13,000 on day 6,
36 days. Between landings the system is linear with constant input, so it has a closed form
(hyperbolic functions of sqrt(a b) t), which is the reference here.
"""

from __future__ import annotations

import math

import helpers
import numpy as np
import pytest

from sim import engine
from sim.rules import combat
from sim.world import State

# ----------------------------------------------------------------------------------------------
# Square law


def integrate(a0: float, b0: float, alpha: float, beta: float, days: float, dt: float):
    a, b = np.float64(a0), np.float64(b0)
    for _ in range(round(days / dt)):
        a, b = combat.lanchester_day(a, b, alpha, beta, dt)
    return float(a), float(b)


@pytest.mark.parametrize(
    ("a0", "b0", "alpha", "beta"),
    [(1000.0, 800.0, 0.02, 0.03), (500.0, 500.0, 0.01, 0.012), (2000.0, 900.0, 0.005, 0.02)],
)
def test_square_law_invariant_is_conserved_to_first_order_in_dt(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    days = 10.0
    invariant0 = alpha * a0**2 - beta * b0**2
    drifts = []
    for dt in (0.1, 0.01, 0.001):
        a, b = integrate(a0, b0, alpha, beta, days, dt)
        assert a > 0 and b > 0, "the test must stop before a side is annihilated"
        drift = abs((alpha * a**2 - beta * b**2) - invariant0) / abs(invariant0)
        # the exact drift of the explicit scheme: 1 - (1 - alpha beta dt^2)^(days/dt)
        assert drift <= 1.01 * alpha * beta * days * dt + 1e-12
        drifts.append(drift)
    # tolerance shrinks with dt: ten times smaller step, about ten times smaller drift
    assert drifts[1] < drifts[0] / 8 and drifts[2] < drifts[1] / 8


def test_square_law_balanced_forces_are_exactly_conserved() -> None:
    """alpha A^2 = beta B^2: the invariant is 0 and (1 - alpha beta dt^2) * 0 stays 0."""
    alpha, beta, a0 = 0.04, 0.01, 500.0
    b0 = a0 * math.sqrt(alpha / beta)
    a, b = integrate(a0, b0, alpha, beta, 5.0, 0.01)
    assert alpha * a**2 - beta * b**2 == pytest.approx(0.0, abs=1e-6 * alpha * a0**2)


def test_lanchester_day_floors_at_zero_and_is_vectorised() -> None:
    a = np.array([100.0, 10.0, 0.0])
    b = np.array([10.0, 100.0, 50.0])
    a2, b2 = combat.lanchester_day(a, b, np.array([0.5, 0.5, 0.5]), np.array([0.5, 0.5, 0.5]))
    assert a2.tolist() == [95.0, 0.0, 0.0]
    assert b2.tolist() == [0.0, 95.0, 50.0]


def test_square_law_the_larger_force_wins_by_the_square() -> None:
    """Equal effectiveness: 1,000 against 600 leaves about sqrt(1000^2 - 600^2) = 800."""
    a, b = integrate(1000.0, 600.0, 0.01, 0.01, 400.0, 0.01)
    assert b == 0.0
    assert a == pytest.approx(800.0, rel=0.01)


# ----------------------------------------------------------------------------------------------
# Engel's Iwo Jima


ENGEL_A, ENGEL_B, N0, DAYS = 0.0544, 0.0106, 21_500.0, 36
LANDINGS = {0: 54_000.0, 2: 6_000.0, 5: 13_000.0}  # day index 0 is "day 1"


def engel_exact() -> tuple[float, float]:
    """Closed form of Engel's system, day by day (the landing rate is constant within a day)."""
    w = math.sqrt(ENGEL_A * ENGEL_B)
    c, s = math.cosh(w), math.sinh(w)
    m, n = 0.0, N0
    for day in range(DAYS):
        p = LANDINGS.get(day, 0.0)
        m, n = (
            c * m - (ENGEL_A / w) * s * n + p * s / w,
            -(ENGEL_B / w) * s * m + c * n - p * (ENGEL_B / w**2) * (c - 1.0),
        )
    return m, n


def engel_integrated(dt: float) -> tuple[float, float]:
    """Engel's system through lanchester_day: US = A (hit by the Japanese at a), Japanese = B."""
    m, n = np.float64(0.0), np.float64(N0)
    steps_per_day = round(1.0 / dt)
    for day in range(DAYS):
        for _ in range(steps_per_day):
            m = m + LANDINGS.get(day, 0.0) * dt
            m, n = combat.lanchester_day(m, n, ENGEL_B, ENGEL_A, dt)
    return float(m), float(n)


def test_engel_closed_form_is_the_published_outcome() -> None:
    """73,000 US troops landed; about 52,000 remain and the Japanese garrison is nearly gone."""
    m, n = engel_exact()
    assert m == pytest.approx(51_985, rel=1e-3)
    assert n / N0 < 0.02


def test_engel_fine_step_integrator_converges_to_the_closed_form() -> None:
    m_ref, n_ref = engel_exact()
    m, n = engel_integrated(0.001)
    assert m == pytest.approx(m_ref, rel=1e-4)
    assert n == pytest.approx(n_ref, abs=5.0)  # of 21,500


def test_engel_daily_integrator_within_a_few_per_cent() -> None:
    """Borderline integrates combat one day at a time; on Iwo Jima that is good to about 1%."""
    m_ref, _ = engel_exact()
    m, n = engel_integrated(1.0)
    assert m == pytest.approx(m_ref, rel=0.03)
    assert n / N0 < 0.02, "the Japanese force is nearly annihilated by day 36, as in Engel"
    # the US force never falls below what the fit says it had at the end
    assert m >= 0.95 * m_ref


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
    """Equal quality, 1,000 against 1,000: equal daily losses of lethality x armour."""
    state = fight(duel(), 1)
    lost = state.armour_lost[0]
    assert lost[0] == pytest.approx(lost[1])
    # seven days of dA = -0.02 B with B shrinking: 1000 * (1 - 0.98^7)
    assert lost[0] == pytest.approx(1000 * (1 - 0.98**7), rel=1e-9)
    assert state.war_days[0] == 7


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
