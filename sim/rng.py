"""Counter-based random numbers.

Every random number in a run is a pure function of (seed, turn, purpose, index): a SplitMix64
hash of those counters (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
generators"). Nothing is drawn from a shared stream, so a replicate's numbers do not depend on
which batch, chunk, process or machine computes it, nor on how many other replicates ran with it,
nor on the order in which rules ask for numbers.

The arithmetic is on unsigned 64-bit integers and wraps, which is exact and identical on every
platform.
"""

from __future__ import annotations

import hashlib
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / float(1 << 53)
_MASK = (1 << 64) - 1

U64 = NDArray[np.uint64]
F64 = NDArray[np.float64]


class Purpose(IntEnum):
    """What a random number is for; each purpose gets an independent stream of numbers."""

    DECISION = 1
    MISPERCEPTION_A = 2
    MISPERCEPTION_B = 3
    STRIKE = 4
    CYBER = 5
    ATTRIBUTION = 6
    MEDIATION = 7
    COMBAT = 8
    COVERT = 9
    TRUCE = 10


def mix(z: U64) -> U64:
    """SplitMix64 finaliser: a bijective avalanche hash of 64-bit integers (vectorised).

    Multiplication wraps modulo 2**64 by design; NumPy would warn about it for 0-d inputs.
    """
    with np.errstate(over="ignore"):
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        return z ^ (z >> _S31)


def as_seeds(seeds: object) -> U64:
    """Convert an int or a sequence of non-negative ints (< 2**64) to a uint64 array.

    Raises:
        ValueError: if a seed is negative or too large.
    """
    arr = np.atleast_1d(np.asarray(seeds, dtype=object))
    out = np.empty(arr.shape, dtype=np.uint64)
    for i, s in enumerate(arr.ravel()):
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise ValueError(f"seed must be an integer, got {s!r}")
        if not 0 <= int(s) < 2**64:
            raise ValueError(f"seed must be between 0 and 2**64-1, got {s}")
        out.ravel()[i] = np.uint64(int(s))
    return out


def uniform(seeds: U64, turn: int, purpose: Purpose, shape: tuple[int, ...] = ()) -> F64:
    """Uniform numbers in [0, 1), one per replicate and per element of ``shape``.

    Args:
        seeds: uint64 array of shape (R,), one seed per replicate.
        turn: turn number (or any second counter).
        purpose: what the numbers are for.
        shape: shape of the numbers per replicate, e.g. (N, N) for one per ordered dyad.

    Returns:
        float64 array of shape (R, *shape); element (r, *idx) depends only on
        (seeds[r], turn, purpose, idx).
    """
    count = int(np.prod(shape)) if shape else 1
    counters = np.arange(count, dtype=np.uint64)
    u = uniform_at(seeds[:, None], turn, purpose, counters[None, :])
    return u.reshape((seeds.shape[0], *shape))


def uniform_at(seeds: U64, turn: int, purpose: Purpose, counters: NDArray[Any]) -> F64:
    """Uniform numbers in [0, 1) for given (seed, counter) pairs (arrays broadcast together).

    ``uniform(seeds, turn, purpose, shape)[r, *idx]`` equals
    ``uniform_at(seeds[r], turn, purpose, flat(idx))``, so a rule can draw numbers for just the
    replicates and dyads that need them and get the same numbers as a full draw.
    """
    salt = np.uint64((int(purpose) * 0x9E3779B97F4A7C15) & _MASK)
    step = np.uint64(((turn & 0xFFFFFFFFFFFF) * 0xBF58476D1CE4E5B9) & _MASK)
    with np.errstate(over="ignore"):
        key = mix(mix(np.asarray(seeds, dtype=np.uint64) ^ salt) + step)
        h = mix(key + (np.asarray(counters, dtype=np.uint64) + np.uint64(1)) * _GOLDEN)
    return (h >> _S11).astype(np.float64) * _INV53


def normal(seeds: U64, turn: int, purpose: Purpose, shape: tuple[int, ...] = ()) -> F64:
    """Standard normal numbers by the Box-Muller transform of two counter-based uniforms.

    Used only inside decisions (utilities), never to move state, so last-bit differences of
    ``log``/``cos`` between CPUs cannot change a state variable.
    """
    u1 = uniform(seeds, turn, purpose, shape)
    u2 = uniform(seeds, turn + (1 << 31), purpose, shape)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def derived_seeds(seed: int, stream: int, count: int) -> U64:
    """``count`` seeds derived from a run's ``seed`` and a ``stream`` number, by hashing.

    The game's advisor runs its simulated futures of a session at turn ``t`` with
    ``derived_seeds(session seed, t, futures)``: reproducible, different at every turn, and
    unrelated to the seeds of other runs (a SplitMix64 hash of the counters, as :func:`uniform`).
    """
    base = as_seeds([seed])
    salt = np.uint64(0xD1B54A32D192ED03)
    step = np.uint64(((stream & 0xFFFFFFFFFFFF) * 0xBF58476D1CE4E5B9) & _MASK)
    counters = np.arange(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = mix(mix(base ^ salt) + step)
        return mix(key + (counters + np.uint64(1)) * _GOLDEN)


def seed_from_text(text: int | str | None) -> int | None:
    """The integer seed for a seed given as text (the dashboard's seed field sends text).

    A whole number in range is used as it is; any other text (a word, "-3", "1e6") is hashed to a
    seed, so every entry gives a valid, reproducible run; empty text gives ``None`` (a fresh
    random seed, recorded by the model).

    Args:
        text: an int (returned as it is), text, or None.

    Returns:
        A seed in ``[0, 2**64)``, or None.
    """
    if text is None:
        return None
    if isinstance(text, (int, np.integer)):
        return int(text)
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isdigit() and int(stripped) < 2**64:
        return int(stripped)
    digest = hashlib.sha256(stripped.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")
