"""The compiled decisions (sim.fastchoice) against the numpy reference (sim.decisions).

The compiled kernels are a speed-only change: on any state, with shared or per-replicate
weights, they must give the reference's logits and choices exactly, not approximately. The
states here come from real batches of every crisis at several turns (deliveries in the
pipeline, wars, closed corridors, mediation), so every term of the utility table is exercised.
"""

from __future__ import annotations

import functools

import helpers
import numpy as np
import pytest

from sim import actions as act
from sim import decisions, fastchoice
from sim.batch import advance, start_state
from sim.rng import as_seeds
from sim.weights import W
from sim.world import Params, State, initial_state, make_params

pytestmark = pytest.mark.skipif(not fastchoice.AVAILABLE, reason="numba is not installed")

CRISES = helpers.SCENARIO_IDS
TURNS = (1, 3, 6, 10, 16)
REPLICATES = 96


def _varied(scenario_id: str, r: int) -> Params:
    """Per-replicate weights, as a sweep gives them: spread over their ranges."""
    prep = helpers.prepared(scenario_id)
    rng = np.random.default_rng(2026)
    return make_params(
        prep.scenario,
        r,
        {
            "temperature": rng.uniform(0.08, 1.5, r),
            "war_aversion": rng.uniform(0.2, 3.0, r),
            "misperception": rng.uniform(0.0, 1.0, r),
            "shift_discount": rng.uniform(0.3, 1.0, r),
            "desire_scale": rng.uniform(3.0, 8.0, r),
        },
    )


@functools.cache
def _states(scenario_id: str, varied: bool) -> tuple[tuple[State, Params], ...]:
    """Copies of a batch's state (and its replicates' weights) after each turn in TURNS."""
    prep = helpers.prepared(scenario_id)
    static = prep.static
    params = _varied(scenario_id, REPLICATES) if varied else make_params(prep.scenario, REPLICATES)
    state = initial_state(static, as_seeds(list(range(100, 100 + REPLICATES))))
    out: list[tuple[State, Params]] = []

    def on_turn(x: State, rec: object, order: np.ndarray) -> None:
        if x.turn in TURNS and not x.done.all():
            keep = np.flatnonzero(~x.done)
            out.append((x.take(keep), params.take(order[keep])))

    advance(static, state, params, turns=max(TURNS), on_turn=on_turn)
    assert out, f"{scenario_id}: no replicate reached turn {TURNS[0]}"
    return tuple(out)


def _choose(scenario_id: str, x: State, params: Params, compiled: bool, monkeypatch) -> tuple:
    static = helpers.prepared(scenario_id).static
    monkeypatch.setenv("BORDERLINE_COMPILED", "1" if compiled else "0")
    assert fastchoice.enabled() is compiled
    legal = act.legal_masks(static, x)
    return decisions.choose(static, x, params, legal, x.turn + 1)


def _reference_logits(scenario_id: str, x: State, params: Params) -> tuple[np.ndarray, object]:
    """The reference's softmax logits per column: utility / temperature, -inf where illegal or
    ruled out, each actor's best at 0 (the steps of sim.decisions._sample before ``exp``)."""
    static = helpers.prepared(scenario_id).static
    masks = decisions._masks(act.legal_masks(static, x))
    columns = decisions._Columns.of(masks)
    table = decisions.utility_table(
        static, x, params, decisions.assess(static, x, params, x.turn + 1)
    )
    c = columns
    values = np.empty((x.r, c.actor.size))
    ok = np.empty((x.r, c.actor.size), dtype=bool)
    for k, cols in c.by_action:
        values[:, cols] = np.broadcast_to(
            decisions._at(table[k], c.actor[cols], c.target[cols]), (x.r, cols.size)
        )
        ok[:, cols] = decisions._at(masks[k], c.actor[cols], c.target[cols])
    ok &= values > -np.inf
    logits = values / params[W.TEMPERATURE][:, None]
    logits[~ok] = -np.inf
    for i in range(static.n):
        seg = slice(c.bounds[i], c.bounds[i + 1])
        logits[:, seg] -= logits[:, seg].max(axis=1, keepdims=True)
    return logits, (columns, ok)


@pytest.mark.parametrize("scenario_id", CRISES)
@pytest.mark.parametrize("varied", [False, True], ids=["shared", "per-replicate"])
def test_compiled_choices_equal_the_reference(scenario_id, varied, monkeypatch):
    """On a batch's states at turns 1-16, with the scenario's weights or with each replicate's
    own (a sweep), the compiled decisions make exactly the reference's choices."""
    compared = 0
    for x, params in _states(scenario_id, varied):
        ref_a, ref_t = _choose(scenario_id, x, params, False, monkeypatch)
        got_a, got_t = _choose(scenario_id, x, params, True, monkeypatch)
        np.testing.assert_array_equal(got_a, ref_a, err_msg=f"{scenario_id} turn {x.turn + 1}")
        np.testing.assert_array_equal(got_t, ref_t, err_msg=f"{scenario_id} turn {x.turn + 1}")
        compared += x.r
    assert compared >= REPLICATES  # the comparison was not vacuous


@pytest.mark.parametrize("scenario_id", CRISES)
def test_compiled_logits_equal_the_reference_bit_for_bit(scenario_id):
    """The logits themselves, not only the draws they lead to, are the reference's to the last
    bit: so no future change of the draw can expose a difference."""
    static = helpers.prepared(scenario_id).static
    for x, params in _states(scenario_id, True):
        want, (columns, ok) = _reference_logits(scenario_id, x, params)
        got = fastchoice.logits(static, x, params, ok, columns, decisions.arrivals(x))
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want, err_msg=f"{scenario_id} turn {x.turn + 1}")


@pytest.mark.parametrize("scenario_id", ["iran_azerbaijan", "armenia_iran_azerbaijan"])
def test_alike_replicates_and_blocks_equal_the_reference(scenario_id, monkeypatch):
    """The two shortcuts of the reference, one assessment for replicates all alike (a
    forecast's futures at their start) and assessment in blocks (a large batch), give the
    compiled decisions' choices."""
    prep = helpers.prepared(scenario_id)
    (x, _), *_ = _states(scenario_id, False)
    one = x.take(np.array([0]))
    alike = start_state(prep.static, one, as_seeds(list(range(500))))
    params = make_params(prep.scenario, alike.r)
    assert alike.same()
    np.testing.assert_array_equal(
        _choose(scenario_id, alike, params, True, monkeypatch),
        _choose(scenario_id, alike, params, False, monkeypatch),
    )
    big, big_params = _states(scenario_id, True)[1]
    monkeypatch.setattr(decisions, "BLOCK_CELLS", 7 * prep.static.n**2)  # blocks of 7 rows
    np.testing.assert_array_equal(
        _choose(scenario_id, big, big_params, True, monkeypatch),
        _choose(scenario_id, big, big_params, False, monkeypatch),
    )


def test_a_changed_weight_is_seen(monkeypatch):
    """The comparison can fail: the compiled decisions with one weight nudged by one part in
    10^12 no longer give the reference's logits (so equality above is not an accident of
    inputs that do not matter)."""
    scenario_id = "iran_azerbaijan"
    static = helpers.prepared(scenario_id).static
    x, params = _states(scenario_id, True)[2]
    want, (columns, ok) = _reference_logits(scenario_id, x, params)
    nudged = params.values.copy()
    nudged[:, W.FIT_HEIGHT] *= 1 + 1e-12
    got = fastchoice.logits(static, x, Params(nudged), ok, columns, decisions.arrivals(x))
    assert not np.array_equal(got, want)


def test_switching_off_gives_the_same_forecast(monkeypatch):
    """A game's advisor says the same with the compiled decisions on and off
    (BORDERLINE_COMPILED=0): the whole forecast, every move's futures."""
    from sim.session import Session

    results = []
    for flag in ("1", "0"):
        monkeypatch.setenv("BORDERLINE_COMPILED", flag)
        session = Session.start("albania_iran", role="albania", seed=11)
        session.play("hold")
        results.append(session.forecast(futures=40, horizon=5))
    on, off = results
    assert on == off


@pytest.mark.parametrize("dtype", [bool, np.float64])
def test_any_rows_is_numpys_any_over_replicates(dtype, monkeypatch):
    """The compiled ``any(axis=0)`` used for the batch's columns and pipeline slots: the same
    as numpy's for masks and for float arrays (NaN counts as nonzero, as in numpy), for one
    replicate and many, and numpy's own answer for an array that is not C-contiguous."""
    rng = np.random.default_rng(7)
    for r in (1, 2, 97):
        x = (rng.random((r, 5, 4)) < 0.05).astype(dtype)
        if dtype is np.float64:
            x[rng.random(x.shape) < 0.02] = np.nan
            x[rng.random(x.shape) < 0.02] = -0.0  # a zero all the same
        for y in (x, x[:, ::-1, :], np.zeros_like(x)):
            got = fastchoice.any_rows(y)
            assert got.dtype == np.bool_ and got.shape == y.shape[1:]
            np.testing.assert_array_equal(got, y.any(axis=0))
    monkeypatch.setenv("BORDERLINE_COMPILED", "0")
    np.testing.assert_array_equal(fastchoice.any_rows(x), x.any(axis=0))
