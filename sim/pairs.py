"""Boolean (R, N, N) arrays of the preconditions, built without numpy's slow broadcasting.

A precondition is a conjunction of conditions on an actor, a target or a pair. numpy combines
full (R, N, N) arrays fast (an ``&`` of two (6000, 6, 6) arrays takes about 7 µs), but it
broadcasts a short axis slowly: ``x[:, :, None] & y`` with ``x`` of (R, N) takes about 150 µs,
since numpy's inner loop is entered once per (replicate, actor) for six targets. So the
building blocks of sim.actionspec give full arrays, made here:

- :func:`by_actor`, :func:`by_target`: a condition on the actor or the target, spread over
  the pairs;
- :func:`swapped`: a condition on the pair seen from the other side, ``x[r, j, i]``;
- :func:`corridor_links`, :func:`drone_reach`, :func:`pledged_wars`, :func:`mediated`: the
  few conditions that look across actors, corridors or drone types.

Each is compiled by numba when it is available (and ``BORDERLINE_COMPILED`` is not ``0``),
with a numpy version beside it that states the same condition as whole-array expressions:
the two give equal arrays (tests/test_pairs.py), so which runs changes speed only.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from numpy.typing import NDArray

try:  # numba is a dependency; without it (an unsupported platform) numpy builds the arrays
    import numba
except ImportError:  # pragma: no cover - exercised only where numba has no wheel
    numba = None  # type: ignore[assignment]

B = NDArray[np.bool_]


def compiled() -> bool:
    """Whether the compiled versions run (numba is there and ``BORDERLINE_COMPILED`` is not
    ``0``, as for sim.fastchoice)."""
    return numba is not None and os.environ.get("BORDERLINE_COMPILED", "1") != "0"


def _jit(f: Any) -> Any:
    return numba.njit(cache=True, nogil=True)(f) if numba is not None else f


def _c(x: NDArray[Any]) -> NDArray[Any]:
    return np.ascontiguousarray(x)


# ----------------------------------------------------------------------------------------------
# A condition on the actor, the target or the pair from the other side


@_jit
def _by_actor(x, out):  # type: ignore[no-untyped-def]
    r, n = x.shape
    for k in range(r):
        for i in range(n):
            v = x[k, i]
            for j in range(n):
                out[k, i, j] = v


@_jit
def _by_target(x, out):  # type: ignore[no-untyped-def]
    r, n = x.shape
    for k in range(r):
        for i in range(n):
            for j in range(n):
                out[k, i, j] = x[k, j]


@_jit
def _swapped(x, out):  # type: ignore[no-untyped-def]
    r, n, _ = x.shape
    for k in range(r):
        for i in range(n):
            for j in range(n):
                out[k, i, j] = x[k, j, i]


def by_actor(x: B) -> B:
    """(R, N) -> (R, N, N): ``out[r, i, j] = x[r, i]``, a condition on the actor."""
    r, n = x.shape
    if not compiled():
        return np.repeat(_c(x).view(np.uint8).ravel(), n).view(np.bool_).reshape(r, n, n)
    out = np.empty((r, n, n), dtype=np.bool_)
    _by_actor(_c(x), out)
    return out


def by_target(x: B) -> B:
    """(R, N) -> (R, N, N): ``out[r, i, j] = x[r, j]``, a condition on the target."""
    r, n = x.shape
    if not compiled():
        return np.tile(x, (1, n)).reshape(r, n, n)
    out = np.empty((r, n, n), dtype=np.bool_)
    _by_target(_c(x), out)
    return out


def swapped(x: B) -> B:
    """(R, N, N) -> (R, N, N): ``out[r, i, j] = x[r, j, i]``, as a C-contiguous array."""
    if not compiled():
        return np.ascontiguousarray(np.swapaxes(x, 1, 2))
    out = np.empty(x.shape, dtype=np.bool_)
    _swapped(_c(x), out)
    return out


# ----------------------------------------------------------------------------------------------
# Conditions across corridors, drone types, patrons and mediators


@_jit
def _corridor_links(status, controller, users, wanted, controller_is_actor, out):  # type: ignore[no-untyped-def]
    r, n, _ = out.shape
    for k in range(r):  # (out is zeros)
        for c in range(status.shape[1]):
            if not wanted[status[k, c]]:
                continue
            ctrl = controller[k, c]
            if ctrl < 0 or ctrl >= n:  # held by no actor: it links no pair
                continue
            for u in range(n):
                if users[c, u] and u != ctrl:
                    if controller_is_actor:
                        out[k, ctrl, u] = True
                    else:
                        out[k, u, ctrl] = True


def corridor_links(
    status: NDArray[np.int8],
    controller: NDArray[np.int64],
    users: B,
    statuses: tuple[int, ...],
    controller_is_actor: bool,
) -> B:
    """(R, N, N): some corridor whose status is one of ``statuses`` links a pair of two
    different actors: the actor controls it and the target uses it (``controller_is_actor``),
    or the target controls it and the actor uses it.

    Args:
        status: (R, C) status of each corridor (sim.world.Corridor).
        controller: (R, C) the actor controlling each corridor.
        users: (C, N) the actors using each corridor.
    """
    r, n = status.shape[0], users.shape[1]
    if not compiled():
        out = np.zeros((r, n, n), dtype=bool)
        for k in range(users.shape[0]):
            ok = np.isin(status[:, k], statuses)
            # the pairs the corridor links when c controls it; the last entry: when none does
            link = np.zeros((n + 1, n, n), dtype=bool)
            for c in range(n):
                if controller_is_actor:
                    link[c, c, :] = users[k]
                else:
                    link[c, :, c] = users[k]
                link[c, c, c] = False
            ctrl = controller[:, k]
            held = ok & (ctrl >= 0) & (ctrl < n)
            out |= link[np.where(held, ctrl, n)]
        return out
    wanted = np.zeros(max(int(np.max(status, initial=0)), *statuses) + 1, dtype=np.bool_)
    wanted[list(statuses)] = True
    out = np.zeros((r, n, n), dtype=np.bool_)
    _corridor_links(_c(status), _c(controller), _c(users), wanted, controller_is_actor, out)
    return out


@_jit
def _drone_reach(stock, owner, reach, out):  # type: ignore[no-untyped-def]
    r, n, _ = out.shape
    for k in range(r):  # (out is zeros)
        for d in range(owner.shape[0]):
            if stock[k, d] >= 1.0:
                i = owner[d]
                for j in range(n):
                    if reach[d, j] and j != i:
                        out[k, i, j] = True


def drone_reach(stock: NDArray[np.float64], owner: NDArray[np.int64], reach: B, n: int) -> B:
    """(R, N, N): the actor has at least one drone in stock of a type whose range covers the
    target (a different actor).

    Args:
        stock: (R, D) drones of each type.
        owner: (D,) the actor owning each type.
        reach: (D, N) whether each type reaches each actor from its owner.
    """
    r = stock.shape[0]
    if not compiled():
        out = np.zeros((r, n, n), dtype=bool)
        for d in range(owner.shape[0]):
            i = owner[d]
            out[:, i, :] |= (stock[:, d] >= 1.0)[:, None] & reach[d][None, :]
        out[:, np.arange(n), np.arange(n)] = False
        return out
    out = np.zeros((r, n, n), dtype=np.bool_)
    _drone_reach(_c(stock), _c(owner), _c(reach), out)
    return out


@_jit
def _pledged_wars(at_war, who, whom, out):  # type: ignore[no-untyped-def]
    r, n, _ = at_war.shape
    for k in range(r):  # (out is zeros; at_war and out as uint8)
        for q in range(who.shape[0]):
            i, p = who[q], whom[q]
            for j in range(n):
                out[k, i, j] |= at_war[k, p, j]


def pledged_wars(at_war: B, pledged: B) -> B:
    """(R, N, N): the actor is pledged to someone at war with the target,
    ``any over p of pledged[i, p] & at_war[r, p, j]``."""
    r, n, _ = at_war.shape
    out = np.zeros((r, n, n), dtype=bool)
    if not at_war.any():
        return out
    who, whom = np.nonzero(pledged)
    if not compiled():
        for i, p in zip(who, whom, strict=True):
            out[:, i, :] |= at_war[:, p, :]
        return out
    _pledged_wars(_c(at_war).view(np.uint8), who, whom, out.view(np.uint8))
    return out


@_jit
def _mediated(ties, mediators, out):  # type: ignore[no-untyped-def]
    r, n, _ = out.shape
    for k in range(r):  # (out is zeros; ties and out as uint8)
        for m in mediators:
            for i in range(n):
                if ties[k, m, i] and i != m:
                    for j in range(n):
                        if j != m:
                            out[k, i, j] |= ties[k, m, j]


def mediated(ties: B, mediators: NDArray[np.int64]) -> B:
    """(R, N, N): some mediator other than the pair has ties with both of them.

    Args:
        ties: (R, N, N) whether ``m`` has (full) ties with ``j``, at ``[r, m, j]``.
        mediators: the mediators' indices.
    """
    r, n, _ = ties.shape
    if not compiled():
        out = np.zeros((r, n, n), dtype=bool)
        for m in mediators:
            ok = ties[:, m, :, None] & ties[:, m, None, :]
            ok[:, m, :] = False
            ok[:, :, m] = False
            out |= ok
        return out
    out = np.zeros((r, n, n), dtype=np.bool_)
    _mediated(_c(ties).view(np.uint8), _c(mediators.astype(np.int64)), out.view(np.uint8))
    return out


def warm() -> None:
    """Compile (or load from numba's cache) every kernel here, on tiny arrays."""
    if not compiled():
        return
    x = np.zeros((1, 2), dtype=bool)
    xx = np.zeros((1, 2, 2), dtype=bool)
    by_actor(x)
    by_target(x)
    swapped(xx)
    corridor_links(
        np.zeros((1, 1), np.int8), np.zeros((1, 1), np.int64), np.ones((1, 2), bool), (0,), True
    )
    corridor_links(
        np.zeros((1, 1), np.int8), np.zeros((1, 1), np.int64), np.ones((1, 2), bool), (0,), False
    )
    drone_reach(np.ones((1, 1)), np.zeros(1, np.int64), np.ones((1, 2), bool), 2)
    pledged_wars(xx, np.ones((2, 2), bool))
    mediated(xx, np.array([0], dtype=np.int64))
