"""The building blocks of preconditions (sim.pairs): compiled, numpy and by definition alike.

Each helper has a compiled version (numba) and a numpy one; both must give the array its
docstring defines, which these tests spell out as plain Python loops over replicates, actors,
corridors, drone types and mediators, on random inputs of every small shape (one actor, no
replicates, no corridors or drone types, controllers out of range). Then the whole legality of
batch states of every crisis must be the same whichever version runs.
"""

from __future__ import annotations

import functools
import itertools

import helpers
import numpy as np
import pytest

from sim import actions as act
from sim import pairs
from sim.batch import advance
from sim.rng import as_seeds
from sim.world import State, initial_state, make_params

pytestmark = pytest.mark.skipif(pairs.numba is None, reason="numba is not installed")

SHAPES = [(0, 3), (1, 1), (1, 4), (7, 2), (40, 6), (33, 9)]


@pytest.fixture(params=["compiled", "numpy"])
def version(request, monkeypatch) -> str:
    monkeypatch.setenv("BORDERLINE_COMPILED", "1" if request.param == "compiled" else "0")
    assert pairs.compiled() is (request.param == "compiled")
    return request.param


def _bools(rng: np.random.Generator, shape: tuple[int, ...], p: float = 0.5) -> np.ndarray:
    return rng.random(shape) < p


def _same(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == np.bool_ and got.shape == want.shape
    assert got.flags.c_contiguous
    assert np.array_equal(got, want)


@pytest.mark.parametrize(("r", "n"), SHAPES)
def test_spreading_over_actors_and_targets(version: str, r: int, n: int) -> None:
    rng = np.random.default_rng(r * 31 + n)
    x = _bools(rng, (r, n))
    xx = _bools(rng, (r, n, n))
    by_actor = np.zeros((r, n, n), dtype=bool)
    by_target = np.zeros((r, n, n), dtype=bool)
    swapped = np.zeros((r, n, n), dtype=bool)
    for k, i, j in itertools.product(range(r), range(n), range(n)):
        by_actor[k, i, j] = x[k, i]
        by_target[k, i, j] = x[k, j]
        swapped[k, i, j] = xx[k, j, i]
    _same(pairs.by_actor(x), by_actor)
    _same(pairs.by_target(x), by_target)
    _same(pairs.swapped(xx), swapped)
    _same(pairs.by_actor(x[:, ::-1]), by_actor[:, ::-1, ::-1])  # a view that is not contiguous


@pytest.mark.parametrize(("r", "n"), SHAPES)
@pytest.mark.parametrize("corridors", [0, 1, 3])
@pytest.mark.parametrize("controller_is_actor", [True, False])
@pytest.mark.parametrize("statuses", [(0,), (0, 1), (1, 2), (0, 1, 2)])
def test_corridor_links(
    version: str,
    r: int,
    n: int,
    corridors: int,
    controller_is_actor: bool,
    statuses: tuple[int, ...],
) -> None:
    rng = np.random.default_rng(r * 7 + n * 3 + corridors)
    status = rng.integers(0, 3, (r, corridors)).astype(np.int8)
    controller = rng.integers(-1, n, (r, corridors)).astype(np.int64)  # -1: held by no actor
    users = _bools(rng, (corridors, n), 0.6)
    want = np.zeros((r, n, n), dtype=bool)
    for k, c, u in itertools.product(range(r), range(corridors), range(n)):
        ctrl = int(controller[k, c])
        if status[k, c] in statuses and ctrl >= 0 and users[c, u] and u != ctrl:
            if controller_is_actor:
                want[k, ctrl, u] = True
            else:
                want[k, u, ctrl] = True
    got = pairs.corridor_links(status, controller, users, statuses, controller_is_actor)
    _same(got, want)


@pytest.mark.parametrize(("r", "n"), SHAPES)
@pytest.mark.parametrize("types", [0, 1, 5])
def test_drone_reach(version: str, r: int, n: int, types: int) -> None:
    rng = np.random.default_rng(r * 5 + n + types)
    stock = rng.choice([0.0, 0.5, 1.0, 3.0, np.nan], (r, types))
    owner = rng.integers(0, n, types).astype(np.int64)
    reach = _bools(rng, (types, n), 0.6)
    want = np.zeros((r, n, n), dtype=bool)
    for k, d, j in itertools.product(range(r), range(types), range(n)):
        if stock[k, d] >= 1.0 and reach[d, j] and j != owner[d]:
            want[k, owner[d], j] = True
    _same(pairs.drone_reach(stock, owner, reach, n), want)


@pytest.mark.parametrize(("r", "n"), SHAPES)
@pytest.mark.parametrize("war", [0.0, 0.2])
def test_pledged_wars(version: str, r: int, n: int, war: float) -> None:
    rng = np.random.default_rng(r * 11 + n)
    at_war = _bools(rng, (r, n, n), war)
    pledged = _bools(rng, (n, n), 0.4)
    want = np.zeros((r, n, n), dtype=bool)
    for k, i, j, p in itertools.product(range(r), range(n), range(n), range(n)):
        if pledged[i, p] and at_war[k, p, j]:
            want[k, i, j] = True
    _same(pairs.pledged_wars(at_war, pledged), want)


@pytest.mark.parametrize(("r", "n"), SHAPES)
@pytest.mark.parametrize("count", [0, 1, 2])
def test_mediated(version: str, r: int, n: int, count: int) -> None:
    rng = np.random.default_rng(r * 13 + n + count)
    ties = _bools(rng, (r, n, n), 0.7)
    mediators = np.sort(rng.choice(n, min(count, n), replace=False)).astype(np.int64)
    want = np.zeros((r, n, n), dtype=bool)
    for k, i, j in itertools.product(range(r), range(n), range(n)):
        want[k, i, j] = any(
            m != i and m != j and ties[k, m, i] and ties[k, m, j] for m in mediators
        )
    _same(pairs.mediated(ties, mediators), want)


CRISES = helpers.SCENARIO_IDS


@functools.cache
def _states(scenario_id: str) -> tuple[State, ...]:
    """A 64-run batch's state after turns 1, 4, 8 and 14 (wars, closed corridors, deliveries,
    mediation and collapses in some runs)."""
    prep = helpers.prepared(scenario_id)
    state = initial_state(prep.static, as_seeds(list(range(500, 564))))
    out: list[State] = []

    def on_turn(x: State, rec: object, order: np.ndarray) -> None:
        if x.turn in (1, 4, 8, 14):
            out.append(x.take(np.arange(x.r)))

    advance(prep.static, state, make_params(prep.scenario, 64), turns=14, on_turn=on_turn)
    return tuple(out)


@pytest.mark.parametrize("scenario_id", CRISES)
def test_legality_is_the_same_whichever_version_builds_it(scenario_id: str, monkeypatch) -> None:
    static = helpers.prepared(scenario_id).static
    states = _states(scenario_id)
    assert states
    for x in states:
        monkeypatch.setenv("BORDERLINE_COMPILED", "1")
        fast = act.legal_masks(static, x)
        monkeypatch.setenv("BORDERLINE_COMPILED", "0")
        slow = act.legal_masks(static, x)
        for a, f, s in zip(act.CATALOGUE, fast, slow, strict=True):
            assert np.array_equal(f, s), f"{scenario_id}, turn {x.turn}: {a.id.value} differs"
