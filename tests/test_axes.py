"""sim.axes: numpy's reductions over an actor axis, bit for bit, for every size up to 12."""

from __future__ import annotations

import numpy as np
import pytest

from sim import axes


def _data(n: int, seed: int) -> np.ndarray:
    """Floats of every magnitude and both signs, with signed zeros and NaNs among them:
    where the order of addition matters, and where max has to propagate NaN."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((500, n, n)) * 10.0 ** rng.uniform(-12, 12, (500, n, n))
    x[rng.random(x.shape) < 0.05] = 0.0
    x[rng.random(x.shape) < 0.05] = -0.0
    return x


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (NaN equal to NaN, -0.0 not equal to 0.0)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("axis", [1, 2])
def test_sum_is_numpys(n: int, axis: int) -> None:
    x = _data(n, seed=n)
    assert _same(axes.total(x, axis), x.sum(axis=axis))


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("axis", [1, 2])
def test_max_is_numpys(n: int, axis: int) -> None:
    x = _data(n, seed=100 + n)
    x[np.random.default_rng(n).random(x.shape) < 0.01] = np.nan
    assert _same(axes.largest(x, axis), x.max(axis=axis))
    # the engine's rungs and codes are int8
    k = np.nan_to_num(x * 7, nan=0.0, posinf=0.0, neginf=0.0).clip(-100, 100).astype(np.int8)
    assert _same(axes.largest(k, axis), k.max(axis=axis))


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("axis", [1, 2])
def test_any_is_numpys(n: int, axis: int) -> None:
    b = np.random.default_rng(n).random((500, n, n)) < 0.1
    assert _same(axes.anyof(b, axis), b.any(axis=axis))


def test_other_arrays_go_to_numpy() -> None:
    """Other dtypes, shapes and axes are numpy's own reduction (sums of booleans count)."""
    b = np.random.default_rng(0).random((50, 5, 5)) < 0.5
    assert _same(axes.total(b, 2), b.sum(axis=2))  # type: ignore[arg-type]
    x = _data(4, seed=1)[:, :, 0]
    assert _same(axes.total(x, 1), x.sum(axis=1))
    empty = np.zeros((3, 0, 0))
    assert _same(axes.total(empty, 2), empty.sum(axis=2))


def test_the_slices_are_not_the_input() -> None:
    """The result is a new array: changing it leaves the input alone."""
    x = _data(6, seed=2)
    before = x.copy()
    axes.total(x, 2)[:] = 1.0
    axes.largest(x, 1)[:] = 1.0
    assert _same(x, before)
