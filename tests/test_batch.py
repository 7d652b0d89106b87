"""Batch invariance: replicate r alone == replicate r inside a batch of 1,000, in any order,
split across 2 processes.

DESIGN.md: "A replicate's result depends only on (scenario, its parameters, its seed, the
player's moves), never on the batch, chunk, process or machine that ran it." Outcome rows and
per-turn tables are compared exactly (pandas equality, no tolerance).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import helpers
import numpy as np
import pandas as pd
import pytest

from sim.batch import BatchResult, Prepared, run_batch
from sim.scenario import scenario_hash
from sim.weights import NAMES

N = 1000
SEEDS = list(range(N))
#: Replicates also run alone: the first few, plus seeds that once exposed batch dependence.
ALONE_FIXED = [0, 1, 2, 16, 48, 999]


#: How a batch numbers its runs (run_id, point_id, replicate): bookkeeping of the batch, not
#: the run's result, so left out when a run alone is compared with the same run in a batch.
NUMBERING = ["run_id", "point_id", "replicate"]


def exact(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """The same results, bit for bit (the batch's numbering of the runs aside)."""
    pd.testing.assert_frame_equal(
        a.drop(columns=NUMBERING).reset_index(drop=True),
        b.drop(columns=NUMBERING).reset_index(drop=True),
        check_exact=True,
    )


@pytest.fixture(scope="module")
def prep() -> Prepared:
    return helpers.prepared()


@pytest.fixture(scope="module")
def batch(prep: Prepared) -> BatchResult:
    return run_batch(prep, seeds=SEEDS)


def alone_seeds(batch: BatchResult) -> list[int]:
    """The fixed seeds plus a few with the rarer outcomes (war, a collapse, a settlement)."""
    out = batch.outcomes
    picks = list(ALONE_FIXED)
    for mask in (out.war, out.war_ongoing, out.prevailed != "", out.settled):
        picks.extend(out.seed[mask].head(2).tolist())
    return sorted(set(picks))


def test_batch_rows_are_in_seed_order(batch: BatchResult) -> None:
    assert batch.outcomes.seed.tolist() == SEEDS
    assert batch.outcome_actors.seed.tolist() == [s for s in SEEDS for _ in range(6)]
    assert batch.manifest["seeds"] == SEEDS


def test_replicate_alone_equals_replicate_in_the_batch(prep: Prepared, batch: BatchResult) -> None:
    seeds = alone_seeds(batch)
    assert len(seeds) >= 6
    for seed in seeds:
        alone = run_batch(prep, seeds=[seed])
        exact(alone.outcomes, batch.outcomes.iloc[[seed]])
        exact(alone.outcome_actors, batch.outcome_actors[batch.outcome_actors.seed == seed])


def test_a_war_alone_equals_the_same_war_in_a_batch() -> None:
    """The founding crisis now rarely reaches war; the Karabakh war covers every way a war
    ends (ceasefire, mediated talks, collapse) and the day-by-day combat inside a turn."""
    war = Prepared.from_ref("nagorno_karabakh_2020")
    big = run_batch(war, seeds=range(300))
    out = big.outcomes
    picks: list[int] = []
    for how in ("ceasefire", "mediated", "collapse"):
        picks.extend(out.seed[out.war_ended_by == how].head(2).tolist())
    assert len(set(out.war_ended_by[out.seed.isin(picks)])) == 3, "every way a war ends"
    for seed in picks:
        alone = run_batch(war, seeds=[seed])
        exact(alone.outcomes, out.iloc[[seed]])
        exact(alone.outcome_actors, big.outcome_actors[big.outcome_actors.seed == seed])


def test_shuffled_batch_gives_the_same_rows(prep: Prepared, batch: BatchResult) -> None:
    order = np.random.default_rng(12345).permutation(N)
    shuffled = run_batch(prep, seeds=[SEEDS[k] for k in order])
    assert shuffled.outcomes.seed.tolist() == [SEEDS[k] for k in order]
    back = shuffled.outcomes.set_index("seed").loc[SEEDS].reset_index()
    exact(back, batch.outcomes)


def test_batch_split_across_two_processes_gives_the_same_rows(batch: BatchResult) -> None:
    """Two interleaved halves in two spawned processes (a fresh interpreter each)."""
    halves = [SEEDS[0::2], SEEDS[1::2][::-1]]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        futures = [pool.submit(run_batch, helpers.SCENARIO_ID, seeds=h) for h in halves]
        results = [f.result(timeout=300) for f in futures]
    joined = pd.concat([r.outcomes for r in results]).set_index("seed").loc[SEEDS].reset_index()
    exact(joined, batch.outcomes)
    assert {r.manifest["scenario_hash"] for r in results} == {batch.manifest["scenario_hash"]}


RECORD_SEEDS = [3, 16, 42]


@pytest.fixture(scope="module")
def recorded(prep: Prepared) -> BatchResult:
    seeds = list(range(200))[::-1]  # reversed: the recorded seeds sit elsewhere in the arrays
    return run_batch(prep, seeds=seeds, record=True)


@pytest.mark.parametrize("table", ["dyads", "actors", "events"])
def test_per_turn_tables_alone_equal_in_a_batch(
    prep: Prepared, recorded: BatchResult, table: str
) -> None:
    for seed in RECORD_SEEDS:
        alone = run_batch(prep, seeds=[seed], record=True)
        mine = getattr(alone, table)
        theirs = getattr(recorded, table)
        assert len(mine) > 0
        exact(mine, theirs[theirs.seed == seed])


def test_per_turn_tables_end_where_the_outcome_says(recorded: BatchResult) -> None:
    last = recorded.actors.groupby("seed").turn.max()
    turns = recorded.outcomes.set_index("seed").turns
    assert (last.loc[turns.index] == turns).all()


def test_per_replicate_parameters_equal_scalar_runs(prep: Prepared) -> None:
    seeds = [4, 5, 6, 7]
    aversion = [0.5, 1.0, 2.0, 4.0]
    temperature = [0.1, 0.6, 1.0, 3.0]
    mixed = run_batch(
        prep, seeds=seeds, params={"war_aversion": aversion, "temperature": temperature}
    )
    for k, seed in enumerate(seeds):
        one = run_batch(
            prep, seeds=[seed], params={"war_aversion": aversion[k], "temperature": temperature[k]}
        )
        exact(one.outcomes, mixed.outcomes.iloc[[k]])
    assert mixed.outcomes.param_war_aversion.tolist() == aversion
    assert mixed.manifest["parameters_varied"] == ["temperature", "war_aversion"]


def test_turns_override(prep: Prepared) -> None:
    out = run_batch(prep, seeds=range(20), turns=3).outcomes
    assert (out.turns <= 3).all()
    assert run_batch(helpers.SCENARIO_ID, seeds=range(20), turns=3).outcomes.equals(out)


def test_manifest(prep: Prepared, batch: BatchResult) -> None:
    man = batch.manifest
    assert man["scenario"] == helpers.SCENARIO_ID
    assert man["scenario_hash"] == scenario_hash(prep.scenario) == prep.content_hash
    assert len(man["scenario_hash"]) == 64
    assert man["horizon_turns"] == prep.static.horizon
    assert set(man["parameters"]) == set(NAMES), "every weight, with the value used"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seeds": [-1]}, "seed"),
        ({"seeds": [1.5]}, "seed"),
        ({"seeds": [1], "params": {"bravado": 1.0}}, "bravado"),
        ({"seeds": [1], "params": {"temperature": 99.0}}, "temperature"),
        ({"seeds": [1], "params": {"temperature": float("nan")}}, "temperature"),
        ({"seeds": [1, 2], "params": {"temperature": [0.5, 0.6, 0.7]}}, "one per replicate"),
        ({"seeds": [1], "turns": 0}, "turns"),
    ],
)
def test_bad_input_is_a_value_error(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        run_batch(helpers.SCENARIO_ID, **kwargs)


@pytest.mark.parametrize("sid", ["iran_azerbaijan", "nagorno_karabakh_2020"])
def test_legality_rechecked_on_a_few_replicates_equals_on_all(
    sid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine re-checks a chosen action's legality at its phase on the replicates where it
    was chosen alone (sim.engine.RECHECK_SUBSET): the same runs as re-checking on every one."""
    from sim import engine

    prep = Prepared.from_ref(sid)
    monkeypatch.setattr(engine, "RECHECK_SUBSET", 1)  # always on the few
    few = run_batch(prep, seeds=range(200))
    monkeypatch.setattr(engine, "RECHECK_SUBSET", 10**9)  # always on all
    every = run_batch(prep, seeds=range(200))
    exact(few.outcomes, every.outcomes)
    exact(few.outcome_actors, every.outcome_actors)


def test_reading_a_few_replicates_reads_what_take_copies(prep: Prepared) -> None:
    """State.reading(idx) gives the fields of State.take(idx), cut on first reading."""
    import dataclasses

    from sim.batch import advance
    from sim.rng import as_seeds
    from sim.world import initial_state, make_params

    state = initial_state(prep.static, as_seeds(list(range(40))))
    state, _, _ = advance(prep.static, state, make_params(prep.scenario, 40), turns=3)
    idx = np.array([3, 7, 8, 31])
    view, copy = state.reading(idx), state.take(idx)
    assert view.r == 4
    for f in dataclasses.fields(copy):
        np.testing.assert_array_equal(getattr(view, f.name), getattr(copy, f.name))
    with pytest.raises(AttributeError):
        view.no_such_field  # noqa: B018
