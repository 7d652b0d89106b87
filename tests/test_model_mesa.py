"""CrisisModel as a plain Mesa model: ``mesa.batch_run`` agrees with the batch path, exactly.

DESIGN.md: "CrisisModel is a plain mesa.Model wrapping a batch of one, with Mesa agents as the
actors and a DataCollector, so Mesa's tools (SolaraViz, batch_run) work on it and agree with
the fast path."
"""

from __future__ import annotations

import helpers
import mesa
import pandas as pd
import pytest

from sim import weights
from sim.batch import run_batch
from sim.model import OUTCOME_FIELDS, ActorAgent, CrisisModel

SEEDS = list(range(100, 120))


def mesa_rows(parameters: dict, seeds: list[int]) -> pd.DataFrame:
    """batch_run's output, one row per run (it returns one row per agent per run)."""
    rows = mesa.batch_run(
        CrisisModel,
        parameters,
        rng=seeds,
        data_collection_period=-1,
        number_processes=1,
        display_progress=False,
    )
    df = pd.DataFrame(rows)
    per_run = df.groupby("RunId").size()
    assert (per_run == helpers.prepared().static.n).all(), "one row per agent per run"
    return df.drop_duplicates("RunId").sort_values("RunId").reset_index(drop=True)


def differing(left: pd.DataFrame, right: pd.DataFrame) -> list[str]:
    """Outcome fields whose values differ (exactly), with the seeds where they do."""
    out = []
    for name in OUTCOME_FIELDS:
        a, b = left[name].tolist(), right[name].tolist()
        if a != b:
            seeds = [s for s, x, y in zip(right.seed, a, b, strict=True) if x != y]
            out.append(f"{name} (seeds {seeds[:5]})")
    return out


@pytest.fixture(scope="module")
def mesa_runs() -> pd.DataFrame:
    return mesa_rows({"crisis": helpers.SCENARIO_ID}, SEEDS)


def test_batch_run_outcomes_equal_the_batch_path(mesa_runs: pd.DataFrame) -> None:
    fast = run_batch(helpers.prepared(), seeds=SEEDS).outcomes
    assert mesa_runs.rng.tolist() == SEEDS
    assert differing(mesa_runs, fast) == []


def test_batch_run_stops_when_the_run_ends(mesa_runs: pd.DataFrame) -> None:
    assert (mesa_runs.Step == mesa_runs.turns).all()


def test_batch_run_parameter_sweep_equals_the_batch_path() -> None:
    seeds = [1, 2, 3]
    runs = mesa_rows({"crisis": helpers.SCENARIO_ID, "war_aversion": [0.5, 3.0]}, seeds)
    for aversion, group in runs.groupby("war_aversion"):
        fast = run_batch(
            helpers.prepared(), seeds=group.rng.tolist(), params={"war_aversion": aversion}
        )
        assert differing(group, fast.outcomes) == []


@pytest.mark.parametrize("seed", [7, 16])
def test_model_run_equals_the_batch_path_in_every_table(seed: int) -> None:
    model = CrisisModel(crisis=helpers.SCENARIO_ID, rng=seed)
    while model.running:
        model.step()
    fast = run_batch(helpers.prepared(), seeds=[seed], record=True)
    assert model.outcome() == fast.outcomes.iloc[0].to_dict()
    pd.testing.assert_frame_equal(model.outcome_actors(), fast.outcome_actors, check_exact=True)
    pd.testing.assert_frame_equal(model.dyad_table(), fast.dyads, check_exact=True)
    pd.testing.assert_frame_equal(model.actor_table(), fast.actors, check_exact=True)
    pd.testing.assert_frame_equal(model.event_table(), fast.events, check_exact=True)


def test_model_builds_from_keyword_defaults() -> None:
    model = CrisisModel()
    assert model.prepared.static.scenario_id == "iran_azerbaijan"
    assert model.running and model.turn == 0
    row = model.params.row(0)
    assert set(row) == set(weights.NAMES), "every weight of the model, by name"
    # the scenario's defaults (scenarios/iran_azerbaijan.yaml), then the weights table's
    assert {k: row[k] for k in weights.NAMES[:5]} == {
        "temperature": 0.2,
        "misperception": 0.15,
        **{k: weights.TABLE[weights.INDEX[k]].value for k in weights.NAMES[2:5]},
    }
    assert all(row[w.key] == weights.TABLE[w].value for w in list(weights.W)[5:])
    tuned = CrisisModel(war_aversion=2.5, temperature=0.05, rng=1)
    assert tuned.params.row(0)["war_aversion"] == 2.5
    assert tuned.manifest()["parameters"]["temperature"] == 0.05
    with pytest.raises(ValueError, match="temperature"):
        CrisisModel(temperature=50.0)


def test_model_accepts_a_scenario_object_and_a_path() -> None:
    by_path = CrisisModel(crisis=helpers.SCENARIO_FILE, rng=2)
    by_object = CrisisModel(crisis=helpers.prepared().scenario, rng=2)
    for m in (by_path, by_object):
        for _ in range(3):
            m.step()
    assert helpers.state_differences(by_path.state, by_object.state) == []


def test_agents_are_views_of_the_engine_arrays() -> None:
    model = CrisisModel(rng=4)
    for _ in range(5):
        model.step()
    static = model.prepared.static
    assert len(model.agents) == static.n
    assert all(isinstance(a, ActorAgent) for a in model.agents)
    for agent in model.actor_agents:
        i = agent.index
        assert agent.actor_id == static.ids[i] and agent.name == static.names[i]
        assert agent.armour == model.state.armour[0, i]
        assert agent.econ_cost == model.state.econ_cost[0, i]
        assert agent.deaths == model.state.deaths[0, i]
        assert agent.drones == model.state.drones[0, static.drone_owner == i].sum()


def test_datacollector_reports_the_outcome_every_turn() -> None:
    model = CrisisModel(rng=5)
    while model.running:
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == model.turn + 1, "collected at the start and after every turn"
    last = frame.iloc[-1].to_dict()
    outcome = model.outcome()
    assert {k: last[k] for k in OUTCOME_FIELDS} == {k: outcome[k] for k in OUTCOME_FIELDS}
    agents = model.datacollector.get_agent_vars_dataframe()
    assert len(agents) == (model.turn + 1) * model.prepared.static.n


def test_agent_reporters_do_not_shadow_outcome_fields() -> None:
    """batch_run merges model and agent reporters into one row; equal names would collide."""
    dc = CrisisModel(rng=1).datacollector
    assert set(dc.model_reporters) == set(OUTCOME_FIELDS)
    assert set(dc.agent_reporters) & set(dc.model_reporters) == set()


def test_step_after_the_end_changes_nothing() -> None:
    model = CrisisModel(rng=6, turns=2)
    model.step()
    model.step()
    assert not model.running
    before = helpers.state_arrays(model.state)
    model.step()
    assert helpers.state_differences(before, model.state) == []
    assert len(model.records) == 2
