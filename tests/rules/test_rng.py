"""Counter-based random numbers (sim.rng): distribution, consistency and independence.

Every number is a pure function of (seed, turn, purpose, index), so these tests are exact and
stable: a fixed seed gives the same 100,000 numbers on every machine.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.rng import Purpose, as_seeds, mix, normal, uniform, uniform_at

N = 100_000
#: chi-square with 9 degrees of freedom: P(X > 27.88) = 0.001
CHI2_9_999 = 27.88


@pytest.fixture(scope="module")
def draws() -> np.ndarray:
    return uniform(as_seeds([20240611]), 3, Purpose.DECISION, (N,))[0]


def test_uniform_lies_in_the_unit_interval(draws: np.ndarray) -> None:
    assert draws.dtype == np.float64
    assert draws.min() >= 0.0 and draws.max() < 1.0


def test_uniform_mean_and_variance(draws: np.ndarray) -> None:
    se_mean = np.sqrt(1 / 12 / N)
    assert abs(draws.mean() - 0.5) < 4 * se_mean
    # variance of the sample variance of U(0,1): (1/80 - 1/144) / N
    se_var = np.sqrt((1 / 80 - 1 / 144) / N)
    assert abs(draws.var() - 1 / 12) < 4 * se_var


def test_uniform_chi_square_on_ten_bins(draws: np.ndarray) -> None:
    counts, _ = np.histogram(draws, bins=10, range=(0.0, 1.0))
    expected = N / 10
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < CHI2_9_999, f"chi-square {chi2:.1f} on 9 d.o.f."


def test_uniform_has_no_lag_one_correlation(draws: np.ndarray) -> None:
    r = np.corrcoef(draws[:-1], draws[1:])[0, 1]
    assert abs(r) < 4 / np.sqrt(N)


def test_uniform_at_is_uniform_elementwise() -> None:
    """uniform(seeds, turn, p, shape)[r, *idx] == uniform_at(seeds[r], turn, p, flat(idx))."""
    seeds = as_seeds([0, 1, 7, 2**63 + 5, 2**64 - 1])
    full = uniform(seeds, 12, Purpose.STRIKE, (4, 4))
    for r in range(seeds.shape[0]):
        for i in range(4):
            for j in range(4):
                one = uniform_at(seeds[r : r + 1], 12, Purpose.STRIKE, np.array([i * 4 + j]))
                assert one[0] == full[r, i, j]
    # vectorised: the (replicate, counter) pairs a rule draws for
    rr = np.array([4, 0, 2, 2])
    counters = np.array([3, 15, 0, 5])
    picked = uniform_at(seeds[rr], 12, Purpose.STRIKE, counters)
    assert picked.tolist() == full.reshape(5, -1)[rr, counters].tolist()


def test_uniform_at_on_scalars_wraps_silently() -> None:
    """The documented scalar call wraps modulo 2**64 like the array call, without warnings."""
    seeds = as_seeds([2**64 - 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = uniform_at(seeds[0], 12, Purpose.STRIKE, 5)
    assert value == uniform(seeds, 12, Purpose.STRIKE, (6,))[0, 5]


def test_a_replicates_numbers_depend_only_on_its_own_seed() -> None:
    seeds = as_seeds(list(range(50)))
    full = uniform(seeds, 4, Purpose.COMBAT, (3,))
    order = np.array([49, 3, 17, 3])
    assert np.array_equal(uniform(seeds[order], 4, Purpose.COMBAT, (3,)), full[order])
    assert np.array_equal(uniform(seeds[:1], 4, Purpose.COMBAT, (3,)), full[:1])


def test_uniform_is_a_pure_function() -> None:
    seeds = as_seeds([5, 6])
    a = uniform(seeds, 9, Purpose.CYBER, (10,))
    b = uniform(seeds, 9, Purpose.CYBER, (10,))
    assert np.array_equal(a, b)


def test_purposes_turns_and_seeds_give_independent_streams() -> None:
    seeds = as_seeds(list(range(1000)))
    base = uniform(seeds, 5, Purpose.DECISION, (100,)).ravel()
    others = {
        "purpose": uniform(seeds, 5, Purpose.MISPERCEPTION_A, (100,)).ravel(),
        "turn": uniform(seeds, 6, Purpose.DECISION, (100,)).ravel(),
        "seed": uniform(seeds + np.uint64(1000), 5, Purpose.DECISION, (100,)).ravel(),
    }
    for what, other in others.items():
        assert abs(np.corrcoef(base, other)[0, 1]) < 4 / np.sqrt(base.size), what
        assert np.mean(base == other) < 1e-4, what
    # neighbouring seeds (0 and 1) are as unrelated as any two
    assert abs(np.corrcoef(base[:-100], base[100:])[0, 1]) < 4 / np.sqrt(base.size)


def test_every_pair_of_purposes_is_uncorrelated() -> None:
    seeds = as_seeds(list(range(200)))
    streams = {p: uniform(seeds, 1, p, (100,)).ravel() for p in Purpose}
    corr = np.corrcoef(np.array(list(streams.values())))
    off = corr[~np.eye(len(streams), dtype=bool)]
    assert np.abs(off).max() < 5 / np.sqrt(20_000)


def test_normal_has_mean_zero_and_unit_variance() -> None:
    z = normal(as_seeds([11]), 2, Purpose.MISPERCEPTION_A, (N,))[0]
    assert abs(z.mean()) < 4 / np.sqrt(N)
    assert abs(z.var() - 1.0) < 4 * np.sqrt(2 / N)
    assert abs((np.abs(z) < 1.96).mean() - 0.95) < 0.005


def test_mix_is_a_bijection_on_a_sample() -> None:
    z = np.arange(100_000, dtype=np.uint64)
    assert np.unique(mix(z)).size == z.size


@pytest.mark.parametrize("bad", [-1, 2**64, 1.5, "7", True, None])
def test_as_seeds_rejects_bad_seeds(bad: object) -> None:
    with pytest.raises(ValueError, match="seed"):
        as_seeds([bad])


def test_as_seeds_accepts_the_whole_range() -> None:
    assert as_seeds([0, 2**64 - 1, np.int64(3)]).tolist() == [0, 2**64 - 1, 3]
    assert as_seeds(5).tolist() == [5]
