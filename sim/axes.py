"""Reductions over an actor axis of (R, N, N) arrays: numpy's values, several times faster.

numpy reduces a short axis slowly: ``x.sum(axis=2)`` of a (6000, 6, 6) array takes about five
times as long as the six additions of its (6000, 6) slices, and ``b.any(axis=2)`` of a boolean
one about seven times (its inner loop is entered once per output element, for six). The
engine reduces over the actor axes of its dyad arrays every turn, so it does it here, slice by
slice.

**The same values, bit for bit.** numpy adds the elements of a reduced axis in order, one by
one, to 0.0 (so that a sum of -0.0 is 0.0), and compares them in order for the maximum; except
along the last (contiguous) axis when it has 8 or more elements, where it sums pairwise and
takes the maximum in SIMD lanes (which can differ in the sign of a zero). These functions
reduce in order, and hand that case (and any dtype numpy would reduce differently) back to
numpy.
tests/test_axes.py compares them with numpy on random arrays of every size up to 12 actors.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: Along the last axis numpy sums pairwise (not in order) from this many elements on.
PAIRWISE_FROM = 8


def _slices[G: np.generic](x: NDArray[G], axis: int) -> list[NDArray[G]]:
    return [x[:, k] if axis == 1 else x[:, :, k] for k in range(x.shape[axis])]


def _fits(x: NDArray[np.generic], axis: int) -> bool:
    return x.ndim == 3 and axis in (1, 2) and x.shape[axis] > 0


def total(x: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
    """``x.sum(axis=axis)`` of a 3-D float64 array, ``axis`` 1 or 2."""
    if not _fits(x, axis) or x.dtype != np.float64 or (axis == 2 and x.shape[2] >= PAIRWISE_FROM):
        out: NDArray[np.float64] = x.sum(axis=axis)
        return out
    first, *rest = _slices(x, axis)
    acc = first + 0.0  # numpy starts from 0.0: a sum of -0.0 alone is 0.0
    for part in rest:
        acc += part
    return acc


def anyof(b: NDArray[np.bool_], axis: int) -> NDArray[np.bool_]:
    """``b.any(axis=axis)`` of a 3-D boolean array, ``axis`` 1 or 2."""
    if not _fits(b, axis) or b.dtype != np.bool_:
        out: NDArray[np.bool_] = b.any(axis=axis)
        return out
    first, *rest = _slices(b, axis)
    acc = first.copy()
    for part in rest:
        acc |= part
    return acc


def largest[G: np.generic](x: NDArray[G], axis: int) -> NDArray[G]:
    """``x.max(axis=axis)`` of a 3-D numeric array, ``axis`` 1 or 2 (NaN propagates, as in
    numpy)."""
    if (
        not _fits(x, axis)
        or x.dtype.kind not in "iuf"
        or (axis == 2 and x.shape[2] >= PAIRWISE_FROM)
    ):
        out: NDArray[G] = x.max(axis=axis)
        return out
    first, *rest = _slices(x, axis)
    acc: NDArray[G] = first.copy()
    for part in rest:
        np.maximum(acc, part, out=acc)
    return acc
