"""sim.rules.lanchester: accuracy (Engel's Iwo Jima fit, invariants, h^4 convergence), the
many-sided daily form, batch invariance and input checking.

Engel (1954): dM/dt = P(t) - a N, dN/dt = -b M with a = 0.0544 (Japanese effectiveness against
the US), b = 0.0106 (US against Japanese), N(0) = 21,500, M(0) = 0, US landings of 54,000 on day
1, 6,000 on day 3 and 13,000 on day 6, 36 days, each day's landing arriving at a constant rate
within its day. In ``lanchester`` terms A = US, B = Japanese, alpha = b, beta = a.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.rules.lanchester import attrition_day, lanchester
from sim.validation import (
    ENGEL_A,
    ENGEL_B,
    ENGEL_DAYS,
    ENGEL_LANDINGS,
    ENGEL_N0,
    engel_daily_euler,
    engel_fit,
)

F64 = NDArray[np.float64]


def engel_lanchester(steps_per_day: int = 8) -> tuple[F64, F64]:
    return lanchester(
        0.0,
        ENGEL_N0,
        alpha=ENGEL_B,
        beta=ENGEL_A,
        days=ENGEL_DAYS,
        reinforce_a=ENGEL_LANDINGS,
        steps_per_day=steps_per_day,
    )


def max_rel_error(got: F64, ref: F64) -> float:
    """Largest relative error over days 1..end."""
    return float(np.max(np.abs(got[1:] / ref[1:] - 1.0)))


def square_exact(a0: float, b0: float, alpha: float, beta: float, t: F64) -> tuple[F64, F64]:
    """Closed form of the square law without reinforcements (valid before annihilation)."""
    w = math.sqrt(alpha * beta)
    ch, sh = np.cosh(w * t), np.sinh(w * t)
    a = a0 * ch - math.sqrt(beta / alpha) * b0 * sh
    b = b0 * ch - math.sqrt(alpha / beta) * a0 * sh
    return a, b


def linear_exact(a0: float, b0: float, alpha: float, beta: float, t: F64) -> tuple[F64, F64]:
    """Closed form of the linear law: with K = alpha A - beta B, A is logistic."""
    k = alpha * a0 - beta * b0
    a = k * a0 / (alpha * a0 - beta * b0 * np.exp(-k * t))
    return a, (alpha * a - k) / beta


# ----------------------------------------------------------------------------------------------
# Engel's Iwo Jima fit


def test_engel_reference_is_the_published_outcome() -> None:
    m, n = engel_fit()
    assert m[36] == pytest.approx(51_985, abs=1.0)
    assert n[36] == pytest.approx(217, abs=0.5)


def test_engel_fit_reproduced_within_one_per_cent_for_both_sides_on_every_day() -> None:
    m_ref, n_ref = engel_fit()
    m, n = engel_lanchester()
    assert m.shape == n.shape == (ENGEL_DAYS + 1,)
    assert m[0] == 0.0 and n[0] == ENGEL_N0
    assert max_rel_error(m, m_ref) <= 0.01
    assert max_rel_error(n, n_ref) <= 0.01
    # the Japanese remnant of 217 is matched to within about 2 troops
    assert n[36] == pytest.approx(n_ref[36], abs=2.0)
    assert m[36] == pytest.approx(51_985, rel=1e-4)


def test_engel_fit_is_reproduced_to_near_machine_precision_at_the_default_step() -> None:
    m_ref, n_ref = engel_fit()
    m, n = engel_lanchester()
    assert max_rel_error(m, m_ref) < 1e-9
    assert max_rel_error(n, n_ref) < 1e-8


def test_daily_explicit_euler_misses_engel_by_far_more_than_one_per_cent() -> None:
    """The check above can fail: a plain daily Euler step does not reproduce Engel's fit."""
    m_ref, n_ref = engel_fit()
    # landings put ashore at the start of their day, then one Euler step of the day (what a
    # daily integrator with an explicit step does): the Japanese are wiped out too early
    ms, ns = engel_daily_euler()
    assert ns[-1] < 0.01 * n_ref[-1]  # about 0 instead of 217
    assert max_rel_error(np.array(ns), n_ref) > 0.5
    assert max_rel_error(np.array(ms), m_ref) > 0.005

    # textbook forward Euler with the landing as a rate: the Japanese end about 3 times too high
    m, n = 0.0, ENGEL_N0
    ns = [n]
    for day in range(ENGEL_DAYS):
        p = ENGEL_LANDINGS.get(day, 0.0)
        m, n = max(m + p - ENGEL_A * n, 0.0), max(n - ENGEL_B * m, 0.0)
        ns.append(n)
    assert ns[-1] > 2.0 * n_ref[-1]
    assert max_rel_error(np.array(ns), n_ref) > 0.5


def test_engel_schedule_as_a_sequence_equals_the_dict() -> None:
    seq = [ENGEL_LANDINGS.get(day, 0.0) for day in range(ENGEL_DAYS)]
    m_dict, n_dict = engel_lanchester()
    m_seq, n_seq = lanchester(0.0, ENGEL_N0, ENGEL_B, ENGEL_A, ENGEL_DAYS, reinforce_a=seq)
    assert np.array_equal(m_dict, m_seq) and np.array_equal(n_dict, n_seq)
    m_arr, _ = lanchester(0.0, ENGEL_N0, ENGEL_B, ENGEL_A, ENGEL_DAYS, reinforce_a=np.array(seq))
    assert np.array_equal(m_dict, m_arr)


def test_reinforcement_arrives_evenly_over_its_day() -> None:
    """With no enemy fire, a day's amount is half ashore at mid-day and fully ashore at its end."""
    a, b = lanchester(0.0, 0.0, 0.1, 0.1, 3, reinforce_a=[0.0, 100.0, 0.0])
    assert np.array_equal(a, [0.0, 0.0, 100.0, 100.0])
    assert np.array_equal(b, [0.0, 0.0, 0.0, 0.0])
    a, b = lanchester(0.0, 0.0, 0.1, 0.1, 2, reinforce_b={1: 40.0})
    assert np.array_equal(b, [0.0, 0.0, 40.0])


# ----------------------------------------------------------------------------------------------
# Invariants and convergence


SQUARE_CASES = [
    (1000.0, 800.0, 0.02, 0.03),
    (500.0, 500.0, 0.01, 0.012),
    (2000.0, 900.0, 0.005, 0.02),
    (1000.0, 500.0, 0.01, 0.02),
    (30_000.0, 25_000.0, 0.001, 0.0012),
]


@pytest.mark.parametrize(("a0", "b0", "alpha", "beta"), SQUARE_CASES)
def test_square_law_invariant_is_conserved_without_reinforcements(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    a, b = lanchester(a0, b0, alpha, beta, 30)
    assert a.min() > 0.0 and b.min() > 0.0, "the case must not reach annihilation"
    inv = alpha * a**2 - beta * b**2
    scale = max(abs(inv[0]), 1e-3 * (alpha * a0**2 + beta * b0**2))
    assert np.max(np.abs(inv - inv[0])) / scale < 1e-6


LINEAR_CASES = [
    (1000.0, 800.0, 1e-4, 1.2e-4),
    (500.0, 500.0, 2e-4, 1e-4),
    (2000.0, 900.0, 5e-5, 3e-4),
    (300.0, 1000.0, 1e-3, 1e-4),
]


@pytest.mark.parametrize(("a0", "b0", "alpha", "beta"), LINEAR_CASES)
def test_linear_law_invariant_is_conserved_without_reinforcements(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    """Every Runge-Kutta step keeps a linear invariant, so this checks the equations (which
    coefficient hits which side), not the step size; the closed-form test checks the step."""
    a, b = lanchester(a0, b0, alpha, beta, 30, law="linear")
    assert a.min() > 0.0 and b.min() > 0.0
    inv = alpha * a - beta * b
    scale = max(abs(inv[0]), 1e-3 * (alpha * a0 + beta * b0))
    assert np.max(np.abs(inv - inv[0])) / scale < 1e-6


@pytest.mark.parametrize(("a0", "b0", "alpha", "beta"), SQUARE_CASES[:3])
def test_square_law_matches_its_closed_form(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    a, b = lanchester(a0, b0, alpha, beta, 30)
    a_ref, b_ref = square_exact(a0, b0, alpha, beta, np.arange(31.0))
    assert np.max(np.abs(a / a_ref - 1.0)) < 1e-8
    assert np.max(np.abs(b / b_ref - 1.0)) < 1e-8


@pytest.mark.parametrize(("a0", "b0", "alpha", "beta"), LINEAR_CASES)
def test_linear_law_matches_its_closed_form(
    a0: float, b0: float, alpha: float, beta: float
) -> None:
    a, b = lanchester(a0, b0, alpha, beta, 30, law="linear")
    a_ref, b_ref = linear_exact(a0, b0, alpha, beta, np.arange(31.0))
    assert np.max(np.abs(a / a_ref - 1.0)) < 1e-6
    assert np.max(np.abs(b / b_ref - 1.0)) < 1e-6


def convergence_errors(law: str) -> list[float]:
    """Max relative error of A over 4 days at 1, 2, 4, 8 and 16 steps per day."""
    a0, b0, alpha, beta = 1000.0, 800.0, 0.2, 0.2
    t = np.arange(5.0)
    if law == "square":
        a_ref, _ = square_exact(a0, b0, alpha, beta, t)
    else:
        alpha, beta = 2e-4, 2.4e-4
        a_ref, _ = linear_exact(a0, b0, alpha, beta, t)
    errors = []
    for steps in (1, 2, 4, 8, 16):
        a, _ = lanchester(a0, b0, alpha, beta, 4, steps_per_day=steps, law=law)
        errors.append(float(np.max(np.abs(a[1:] / a_ref[1:] - 1.0))))
    return errors


@pytest.mark.parametrize("law", ["square", "linear"])
def test_error_falls_like_h_to_the_fourth(law: str) -> None:
    errors = convergence_errors(law)
    assert errors[-1] > 1e-14, "errors must stay above round-off for the ratios to mean anything"
    ratios = [coarse / fine for coarse, fine in itertools.pairwise(errors)]
    for ratio in ratios:
        assert 12.0 < ratio < 20.0, (errors, ratios)


# ----------------------------------------------------------------------------------------------
# Annihilation


def test_larger_force_wins_by_the_square() -> None:
    """1,000 against 600 at equal effectiveness: the winner keeps sqrt(1000^2 - 600^2) = 800."""
    for k in (0.05, 0.3, 1.0):
        a, b = lanchester(1000.0, 600.0, k, k, 30)
        assert a[-1] == pytest.approx(800.0, rel=0.005)
        assert b[-1] == 0.0


def test_annihilated_side_stays_exactly_zero_and_never_negative() -> None:
    # (the linear law annihilates only asymptotically; at 50 its loser is gone within a sub-step)
    for law, k in (("square", 0.3), ("square", 5.0), ("linear", 50.0)):
        a, b = lanchester(1000.0, 600.0, k, k, 40, law=law)
        assert (a >= 0.0).all() and (b >= 0.0).all()
        zero = np.flatnonzero(b == 0.0)
        assert zero.size > 0, (law, k)
        assert (b[zero[0] :] == 0.0).all()
        # once the enemy is gone, the winner stops losing
        assert (a[zero[0] :] == a[zero[0]]).all()


def test_linear_law_loser_decays_towards_zero_without_reaching_it() -> None:
    a, b = lanchester(1000.0, 600.0, 0.01, 0.01, 10, law="linear")
    assert (b > 0.0).all() and (np.diff(b) < 0.0).all()
    assert b[-1] < 1e-10 * 600.0
    assert a[-1] == pytest.approx(400.0, rel=1e-6)  # alpha A - beta B is conserved


def test_side_without_fire_loses_nothing() -> None:
    a, b = lanchester(1000.0, 600.0, 0.1, 0.0, 5)
    assert (a == 1000.0).all()
    assert (np.diff(b) < 0.0).all()


def test_reinforcements_rebuild_a_side_only_when_they_outpace_its_losses() -> None:
    # B is gone and receives 10 a day, but A = 1000 at alpha = 0.1 kills 100 a day: B stays at 0
    # and, having nobody to fire, A loses nothing
    a, b = lanchester(1000.0, 0.0, 0.1, 0.1, 5, reinforce_b=[10.0] * 5)
    assert (b == 0.0).all()
    assert (a == 1000.0).all()
    # 500 a day against losses of about 100 a day rebuild B, which then fires back
    a, b = lanchester(1000.0, 0.0, 0.1, 0.1, 5, reinforce_b=[500.0] * 5)
    assert (np.diff(b) > 0.0).all()
    assert (np.diff(a) < 0.0).all()


# ----------------------------------------------------------------------------------------------
# Batch axis of lanchester


def test_lanchester_batch_equals_scalar_runs() -> None:
    rng = np.random.default_rng(7)
    a0 = rng.uniform(100.0, 2000.0, 6)
    b0 = rng.uniform(100.0, 2000.0, 6)
    alpha = rng.uniform(0.001, 0.05, 6)
    sched = rng.uniform(0.0, 50.0, (10, 6))
    a, b = lanchester(a0, b0, alpha, 0.02, 10, reinforce_a=sched)
    assert a.shape == b.shape == (11, 6)
    for r in range(6):
        ar, br = lanchester(a0[r], b0[r], alpha[r], 0.02, 10, reinforce_a=sched[:, r])
        assert np.array_equal(a[:, r], ar) and np.array_equal(b[:, r], br)


# ----------------------------------------------------------------------------------------------
# attrition_day


def duel_kill(alpha: float, beta: float) -> F64:
    kill = np.zeros((1, 2, 2))
    kill[0, 0, 1] = alpha  # A's fire against B
    kill[0, 1, 0] = beta
    return kill


@pytest.mark.parametrize("law", ["square", "linear"])
def test_attrition_day_agrees_with_lanchester_for_a_duel(law: str) -> None:
    alpha, beta = (0.03, 0.02) if law == "square" else (3e-5, 2e-5)
    a, b = lanchester(1000.0, 900.0, alpha, beta, 20, law=law)
    x = np.array([[1000.0, 900.0]])
    kill = duel_kill(alpha, beta)
    one = attrition_day(x, kill, law=law)
    np.testing.assert_allclose(one[0], [a[1], b[1]], rtol=1e-12)
    for day in range(1, 21):
        x = attrition_day(x, kill, law=law)
        np.testing.assert_allclose(x[0], [a[day], b[day]], rtol=1e-12)


def test_attrition_day_agrees_with_lanchester_through_annihilation() -> None:
    a, b = lanchester(1000.0, 600.0, 0.3, 0.3, 20)
    x = np.array([[1000.0, 600.0]])
    for day in range(1, 21):
        x = attrition_day(x, duel_kill(0.3, 0.3))
        np.testing.assert_allclose(x[0], [a[day], b[day]], rtol=1e-12)
    assert x[0, 1] == 0.0


def test_attrition_day_does_not_modify_its_input() -> None:
    x = np.array([[1000.0, 900.0]])
    kill = duel_kill(0.03, 0.02)
    x_copy, kill_copy = x.copy(), kill.copy()
    out = attrition_day(x, kill)
    assert out is not x
    assert np.array_equal(x, x_copy) and np.array_equal(kill, kill_copy)
    assert out.dtype == np.float64 and out.shape == x.shape


def one_against_two(k_a: float, k_b: float, c_a: float, c_b: float) -> F64:
    """A (0) and B (1) both fight C (2); actor 3 is at peace."""
    kill = np.zeros((1, 4, 4))
    kill[0, 0, 2], kill[0, 1, 2] = k_a, k_b  # A's and B's fire against C
    kill[0, 2, 0], kill[0, 2, 1] = c_a, c_b  # C's fire against A and against B
    return kill


def test_two_against_one_conserves_the_weighted_square_invariant() -> None:
    """dA/dt = -c_a C, dB/dt = -c_b C, dC/dt = -(k_a A + k_b B) conserves
    (k_a/c_a) A^2 + (k_b/c_b) B^2 - C^2."""
    k_a, k_b, c_a, c_b = 0.02, 0.035, 0.03, 0.01
    kill = one_against_two(k_a, k_b, c_a, c_b)
    x = np.array([[600.0, 500.0, 1500.0, 777.0]])

    def invariant(x: F64) -> float:
        return float((k_a / c_a) * x[0, 0] ** 2 + (k_b / c_b) * x[0, 1] ** 2 - x[0, 2] ** 2)

    inv0 = invariant(x)
    scale = abs(inv0)
    for _ in range(14):  # A is annihilated on day 16
        prev = x
        x = attrition_day(x, kill)
        assert (x[0, :3] > 0.0).all()
        assert (x[0, :3] < prev[0, :3]).all(), "every side at war loses every day"
        assert x[0, 3] == 777.0, "the actor at peace is untouched"
        assert abs(invariant(x) - inv0) / scale < 1e-6


def test_two_against_one_conserves_the_weighted_linear_invariant() -> None:
    k_a, k_b, c_a, c_b = 2e-5, 3.5e-5, 3e-5, 1e-5
    kill = one_against_two(k_a, k_b, c_a, c_b)
    x = np.array([[600.0, 500.0, 1500.0, 777.0]])

    def invariant(x: F64) -> float:
        return float((k_a / c_a) * x[0, 0] + (k_b / c_b) * x[0, 1] - x[0, 2])

    inv0 = invariant(x)
    for _ in range(20):
        x = attrition_day(x, kill, law="linear")
        assert x[0, 3] == 777.0
        assert abs(invariant(x) - inv0) / abs(inv0) < 1e-6


def test_two_identical_allies_act_as_one_force_of_their_sum() -> None:
    """Two equal allies against C give the same result as the duel (A + B) against C when C's
    fire on each is half its duel effectiveness."""
    kill3 = one_against_two(0.02, 0.02, 0.015, 0.015)
    x3 = np.array([[400.0, 400.0, 1000.0, 0.0]])
    a, c = lanchester(800.0, 1000.0, 0.02, 0.03, 10)
    for day in range(1, 11):
        x3 = attrition_day(x3, kill3)
        assert x3[0, 0] == x3[0, 1]
        np.testing.assert_allclose([x3[0, 0] + x3[0, 1], x3[0, 2]], [a[day], c[day]], rtol=1e-12)


def test_ganging_up_hurts_more_than_a_duel() -> None:
    x = np.array([[600.0, 500.0, 1500.0, 0.0]])
    both = attrition_day(x, one_against_two(0.02, 0.02, 0.01, 0.01))
    alone = attrition_day(x, one_against_two(0.02, 0.0, 0.01, 0.0))
    assert both[0, 2] < alone[0, 2]
    assert alone[0, 1] == 500.0


def random_batch(rng: np.random.Generator, r: int, n: int) -> tuple[F64, F64]:
    x = rng.uniform(0.0, 5000.0, (r, n))
    kill = rng.uniform(0.0, 0.1, (r, n, n)) * (rng.random((r, n, n)) < 0.6)
    for i in range(n):
        kill[:, i, i] = 0.0
    return x, kill


@pytest.mark.parametrize("law", ["square", "linear"])
def test_attrition_day_replicate_alone_equals_it_inside_a_batch(law: str) -> None:
    rng = np.random.default_rng(2024)
    x, kill = random_batch(rng, 50, 6)
    if law == "linear":
        kill *= 1e-4
    batch = attrition_day(x, kill, law=law)
    for r in (0, 17, 49):
        alone = attrition_day(x[r : r + 1], kill[r : r + 1], law=law)
        assert np.array_equal(alone[0], batch[r])
    perm = rng.permutation(50)
    assert np.array_equal(attrition_day(x[perm], kill[perm], law=law), batch[perm])
    # non-contiguous inputs give the same bits
    assert np.array_equal(attrition_day(x[::2], kill[::2], law=law), batch[::2])


def test_attrition_day_zeros_stay_zeros() -> None:
    rng = np.random.default_rng(5)
    x, kill = random_batch(rng, 20, 5)
    x[:, 2] = 0.0
    for law in ("square", "linear"):
        out = attrition_day(x, kill, law=law)
        assert (out[:, 2] == 0.0).all()
        assert (out >= 0.0).all() and (out <= x).all()
    # no fire at all: nothing changes, bit for bit
    assert np.array_equal(attrition_day(x, np.zeros_like(kill)), x)
    # nobody left: nothing happens
    assert np.array_equal(attrition_day(np.zeros_like(x), kill), np.zeros_like(x))


@pytest.mark.parametrize("law", ["square", "linear"])
def test_attrition_day_extreme_inputs_give_no_nan_or_inf(law: str) -> None:
    rng = np.random.default_rng(11)
    _, pattern = random_batch(rng, 8, 4)
    x = np.array(
        [
            [1e300, 1e300, 1.0, 0.0],
            [1e-300, 5e-324, 1e300, 1.0],
            [1.0, 2.0, 3.0, 4.0],
            [1e10, 0.0, 1e10, 0.0],
        ]
        * 2
    )
    for coef in (1e300, 1e12, 1.0, 1e-300):
        kill = (pattern > 0) * coef
        with warnings.catch_warnings(), np.errstate(all="raise"):
            warnings.simplefilter("error")
            out = attrition_day(x, kill, steps=4, law=law)
        assert np.isfinite(out).all(), coef
        assert (out >= 0.0).all() and (out <= x).all()
        assert (out[x == 0.0] == 0.0).all()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        a, b = lanchester(1e300, 1e300, 1e300, 1e300, 3, reinforce_a=[1e300] * 3, law=law)
    assert np.isfinite(a).all() and np.isfinite(b).all()


def test_attrition_day_huge_coefficients_annihilate_the_side_under_fire() -> None:
    out = attrition_day(np.array([[1000.0, 1000.0]]), duel_kill(1e6, 0.0))
    assert np.array_equal(out, [[1000.0, 0.0]])


# ----------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"a0": -1.0}, "a0"),
        ({"b0": -5.0}, "b0"),
        ({"alpha": -0.1}, "alpha"),
        ({"beta": -0.1}, "beta"),
        ({"a0": float("nan")}, "a0"),
        ({"b0": float("inf")}, "b0"),
        ({"alpha": float("nan")}, "alpha"),
        ({"beta": float("-inf")}, "beta"),
        ({"a0": "many"}, "a0"),
        ({"a0": np.ones((2, 2))}, "a0"),
        ({"days": 0}, "days"),
        ({"days": -3}, "days"),
        ({"days": 2.5}, "days"),
        ({"days": True}, "days"),
        ({"steps_per_day": 0}, "steps_per_day"),
        ({"steps_per_day": 1.5}, "steps_per_day"),
        ({"law": "cubic"}, "law"),
        ({"reinforce_a": [1.0, 2.0]}, "reinforce_a"),
        ({"reinforce_a": [1.0] * 6}, "reinforce_a"),
        ({"reinforce_b": [0.0, -1.0, 0.0, 0.0, 0.0]}, "reinforce_b"),
        ({"reinforce_b": [0.0, float("nan"), 0.0, 0.0, 0.0]}, "reinforce_b"),
        ({"reinforce_a": {5: 10.0}}, "reinforce_a"),
        ({"reinforce_a": {-1: 10.0}}, "reinforce_a"),
        ({"reinforce_a": {1.0: 10.0}}, "reinforce_a"),
        ({"reinforce_b": {2: -10.0}}, "reinforce_b"),
        ({"reinforce_b": {2: float("inf")}}, "reinforce_b"),
        ({"reinforce_a": "abc"}, "reinforce_a"),
        ({"a0": np.ones(3), "b0": np.ones(4)}, "a0, b0, alpha, beta and the schedules"),
    ],
)
def test_lanchester_rejects_bad_input(changes: dict[str, object], match: str) -> None:
    kwargs: dict[str, object] = {"a0": 100.0, "b0": 80.0, "alpha": 0.1, "beta": 0.1, "days": 5}
    kwargs.update(changes)
    with pytest.raises(ValueError, match=f"^{match}"):
        lanchester(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"x": np.array([[-1.0, 2.0]])}, "x"),
        ({"x": np.array([[np.nan, 2.0]])}, "x"),
        ({"x": np.array([1.0, 2.0])}, "x"),
        ({"kill": -duel_kill(0.1, 0.1)}, "kill"),
        ({"kill": duel_kill(np.inf, 0.1)}, "kill"),
        ({"kill": np.zeros((1, 3, 3))}, "kill"),
        ({"kill": np.zeros((2, 2))}, "kill"),
        ({"steps": 0}, "steps"),
        ({"steps": 2.0}, "steps"),
        ({"law": "Square"}, "law"),
    ],
)
def test_attrition_day_rejects_bad_input(changes: dict[str, object], match: str) -> None:
    kwargs: dict[str, object] = {"x": np.array([[10.0, 20.0]]), "kill": duel_kill(0.1, 0.1)}
    kwargs.update(changes)
    with pytest.raises(ValueError, match=f"^{match}"):
        attrition_day(**kwargs)  # type: ignore[arg-type]
