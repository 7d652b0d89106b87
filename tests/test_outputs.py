"""Outputs: the tidy per-turn tables, the per-run outcome record and its manifest agree.

One batch with per-turn tables is checked for the invariants a researcher relies on: keys are
unique, codes are on their scales, the outcome record summarises the tables it came from, and
per-actor records add up to the per-run ones.
"""

from __future__ import annotations

import helpers
import numpy as np
import pandas as pd
import pytest

from sim import actions as act
from sim.batch import BatchResult, run_batch
from sim.engine import mid_levels
from sim.ladder import (
    MID_ACTION_NAMES,
    OUTCOME_NAMES,
    RUNG_NAMES,
    SCORE_WEIGHTS,
    fatality_level,
    mid_hostility_level,
)

SEEDS = list(range(300))


@pytest.fixture(scope="module")
def res() -> BatchResult:
    return run_batch(helpers.prepared(), seeds=SEEDS, record=True)


@pytest.fixture(scope="module")
def n() -> int:
    return helpers.prepared().static.n


def test_tables_have_unique_sorted_keys(res: BatchResult) -> None:
    for name, keys in (
        ("dyads", ["run_id", "turn", "actor", "target"]),
        ("actors", ["run_id", "turn", "actor"]),
    ):
        table = getattr(res, name)
        assert not table.duplicated(keys).any(), name
        assert table[keys].equals(table[keys].sort_values(keys, kind="stable")), name
        assert not table.isna().any().any(), name


def test_dyad_rows_cover_every_ordered_pair_every_turn(res: BatchResult, n: int) -> None:
    turns = res.outcomes.set_index("seed").turns
    per_seed = res.dyads.groupby("seed").size()
    assert (per_seed == turns.loc[per_seed.index] * n * (n - 1)).all()
    assert (res.dyads.actor != res.dyads.target).all()
    per_seed = res.actors.groupby("seed").size()
    assert (per_seed == turns.loc[per_seed.index] * n).all()


def test_dyad_codes_are_on_their_scales(res: BatchResult) -> None:
    d = res.dyads
    assert d.rung.between(0, 8).all()
    assert d.mid_action.between(0, 21).all()
    assert (d.mid_level == d.mid_action.map(mid_hostility_level)).all()
    assert d.tension.between(0, 1).all() and d.grievance.between(0, 1).all()
    # a militarized action code never sits on a rung below the threat of force
    assert (d.rung[d.mid_action > 0] >= 5).all()
    assert ((d.rung == 8) == (d.mid_action >= 20)).all()


def test_event_rows_are_coded_actions(res: BatchResult) -> None:
    e = res.events
    assert (e.action != "hold").all(), "holds are omitted"
    specs = {spec.id.value: spec for spec in act.CATALOGUE}
    assert (e.rung == e.action.map(lambda a: specs[a].rung)).all()
    assert (e.mid_action == e.action.map(lambda a: specs[a].mid_action)).all()
    assert (e.mid_level == e.mid_action.map(mid_hostility_level)).all()
    assert (e.rung_name == e.rung.map(lambda r: RUNG_NAMES[r])).all()
    assert (e.mid_action_name == e.mid_action.map(lambda c: MID_ACTION_NAMES[c])).all()
    assert set(e.source) <= {"ai", "scripted", "player"}
    assert (e.source == "scripted").any()
    assert set(e.actor) | set(e.target) <= set(helpers.prepared().static.ids)


def test_scripted_events_happen_on_their_turns(res: BatchResult) -> None:
    """Every event scripted for turn 1 (all legal at the start) appears in every run."""
    static = helpers.prepared().static
    expected = {
        (static.ids[ev.actor], ev.action.value, static.ids[ev.target])
        for ev in static.events
        if ev.at_turn == 1
    }
    assert expected, "the founding scenario scripts its first turn"
    scripted = res.events[res.events.source == "scripted"]
    first = scripted[scripted.turn == 1]
    for key in expected:
        rows = first[(first.actor == key[0]) & (first.action == key[1]) & (first.target == key[2])]
        assert rows.seed.nunique() == len(SEEDS), key
    assert set(scripted.turn) <= {ev.at_turn for ev in static.events if ev.at_turn} | {
        t for t in range(1, static.horizon + 1) if any(ev.at_turn is None for ev in static.events)
    }


def test_outcome_summarises_the_tables(res: BatchResult) -> None:
    out = res.outcomes.set_index("seed")
    d = res.dyads.groupby("seed")
    initial_peak = int(helpers.prepared().static.init["rung"].max())
    assert (out.peak_rung == np.maximum(d.rung.max(), initial_peak).loc[out.index]).all()
    assert (out.peak_mid_action == d.mid_action.max().loc[out.index]).all()
    war_in_table = d.rung.max().loc[out.index] == 8
    assert (out.war == war_in_table).all()
    last = res.actors[res.actors.turn == res.actors.groupby("seed").turn.transform("max")]
    last = last.groupby("seed")
    assert np.array_equal(out.escalation_score, last.score.sum().loc[out.index])
    assert np.allclose(out.econ_cost_busd, last.econ_cost_busd.sum().loc[out.index], rtol=1e-12)
    assert np.allclose(out.deaths, last.deaths.sum().loc[out.index], rtol=1e-12)


def test_escalation_score_is_the_sum_of_event_weights(res: BatchResult) -> None:
    weights = {spec.id.value: SCORE_WEIGHTS[spec.category] for spec in act.CATALOGUE}
    from_events = res.events.action.map(weights).groupby(res.events.seed).sum()
    out = res.outcomes.set_index("seed").escalation_score
    assert np.array_equal(from_events.reindex(out.index, fill_value=0.0), out)


def test_outcome_fields_are_consistent(res: BatchResult, n: int) -> None:
    out = res.outcomes
    static = helpers.prepared().static
    assert (out.peak_rung_name == out.peak_rung.map(lambda r: RUNG_NAMES[r])).all()
    assert (out.peak_mid_level == out.peak_mid_action.map(mid_hostility_level)).all()
    assert (out.mid_outcome_name == out.mid_outcome.map(OUTCOME_NAMES)).all()
    assert (out.fatality_level == out.deaths.map(fatality_level)).all()
    assert (out.turns.between(1, static.horizon)).all()
    assert (out.settled | (out.turns == static.horizon)).all()
    days = out.turns * static.turn_days
    assert np.allclose(out.escalation_score_daily, out.escalation_score / (n * days))
    war = out[out.war]
    assert (war.war_start_turn.between(1, static.horizon)).all()
    assert ((war.war_end_turn == -1) == war.war_ongoing).all()
    assert (war[~war.war_ongoing].war_end_turn >= war[~war.war_ongoing].war_start_turn).all()
    peace = out[~out.war]
    assert (peace.war_start_turn == -1).all() and (peace.war_days == 0).all()
    assert (peace.prevailed == "").all()
    assert set(out.prevailed) <= {"", *static.ids}
    for cid in static.corridor_ids:
        assert set(out[f"corridor_{cid}"]) <= {"open", "levied", "closed"}
        assert set(out[f"corridor_{cid}_controller"]) <= set(static.ids)


def test_outcome_actor_rows_add_up(res: BatchResult, n: int) -> None:
    out = res.outcomes.set_index("seed")
    per = res.outcome_actors.groupby("seed")
    assert (per.size() == n).all()
    assert np.allclose(per.armour_lost.sum().loc[out.index], out.armour_lost, rtol=1e-12)
    assert np.allclose(per.deaths.sum().loc[out.index], out.deaths, rtol=1e-12)
    assert np.allclose(per.econ_cost_busd.sum().loc[out.index], out.econ_cost_busd, rtol=1e-12)
    assert np.array_equal(per.escalation_score.sum().loc[out.index], out.escalation_score)
    a = res.outcome_actors
    assert (a.armour_share_left >= 0).all()
    assert np.allclose(
        out.max_econ_cost_share_gdp, per.econ_cost_share_gdp.max().loc[out.index], rtol=1e-12
    )


def test_outcome_columns_have_stable_types(res: BatchResult) -> None:
    out = res.outcomes
    for col in ("seed", "turns", "peak_rung", "mid_outcome", "war_days", "ruptures"):
        assert pd.api.types.is_integer_dtype(out[col]), col
    for col in ("settled", "war", "war_ongoing"):
        assert pd.api.types.is_bool_dtype(out[col]), col
    for col in ("armour_lost", "deaths", "econ_cost_busd", "escalation_score"):
        assert pd.api.types.is_float_dtype(out[col]), col


@pytest.mark.parametrize(
    ("deaths", "level"),
    [
        (0, 0),
        (0.4, 0),
        (1, 1),
        (25, 1),
        (26, 2),
        (100, 2),
        (101, 3),
        (250, 3),
        (251, 4),
        (500, 4),
        (501, 5),
        (999, 5),
        (1000, 6),
        (4000, 6),
    ],
)
def test_fatality_levels_follow_the_mid_codebook(deaths: float, level: int) -> None:
    assert fatality_level(deaths) == level


def test_mid_levels_table_equals_the_codebook_function() -> None:
    codes = np.arange(22, dtype=np.int8)
    assert mid_levels(codes).tolist() == [mid_hostility_level(int(c)) for c in codes]
    with pytest.raises(ValueError):
        mid_hostility_level(22)


def test_losses_are_recorded_by_cause() -> None:
    """Drones, missiles and ground combat add up to the losses, and each cause shows up in hot
    runs of the founding crisis (wars with drones on both sides' fronts)."""
    hot = {"temperature": 3.0, "misperception": 2.0, "war_aversion": 0.2}
    res = run_batch(helpers.prepared(), seeds=range(40), params=hot)
    per = res.outcome_actors
    parts = (
        per.armour_lost_to_drones + per.armour_lost_to_missiles + per.armour_lost_in_ground_combat
    )
    assert np.allclose(parts, per.armour_lost, rtol=1e-9, atol=1e-9)
    assert (per[["armour_lost_to_drones", "armour_lost_to_missiles"]] >= 0).all().all()
    for col in ("armour_lost_to_drones", "armour_lost_to_missiles", "armour_lost_in_ground_combat"):
        assert per[col].sum() > 0, col
    out = res.outcomes
    assert np.allclose(
        per.groupby("seed").armour_lost_to_drones.sum().loc[out.seed], out.armour_lost_to_drones
    )


def test_common_random_numbers_keep_runs_apart_and_record_their_parameters() -> None:
    """The same seeds at two parameter values (common random numbers): every table is keyed by
    run, not seed, and the manifest says which parameters each run used (issue 9: the old
    tables keyed by seed gave 1,560 dyad rows with 780 unique keys)."""
    res = run_batch(
        helpers.prepared(), seeds=[5, 5], params={"war_aversion": [0.5, 2.0]}, record=True
    )
    assert res.dyads is not None and res.actors is not None and res.events is not None
    keys = ["run_id", "turn", "actor", "target"]
    assert not res.dyads.duplicated(keys).any()
    assert set(res.dyads.run_id) == {0, 1} and set(res.dyads.point_id) == {0, 1}
    assert not res.actors.duplicated(["run_id", "turn", "actor"]).any()
    for table in (res.outcomes, res.outcome_actors, res.dyads, res.actors, res.events):
        assert list(table.columns[:4]) == ["run_id", "point_id", "replicate", "seed"]
    assert res.outcomes.param_war_aversion.tolist() == [0.5, 2.0]
    assert res.manifest["points"] == [
        {"point_id": 0, "parameters": {"war_aversion": 0.5}, "run_ids": [0]},
        {"point_id": 1, "parameters": {"war_aversion": 2.0}, "run_ids": [1]},
    ]


def test_a_batch_goes_on_from_a_game_in_progress() -> None:
    """run_batch(start=...) continues a saved game's state: each run starts at that turn, and
    the same seed alone or in the batch gives the same run."""
    from sim.session import Session

    game = Session.start(helpers.prepared(), "azerbaijan", 3)
    for _ in range(3):
        game.play("hold", "azerbaijan")
    res = run_batch(helpers.prepared(), seeds=range(40), start=game.state)
    assert res.manifest["start_turn"] == 3
    assert (res.outcomes.turns > 3).all()
    alone = run_batch(helpers.prepared(), seeds=[17], start=game.state)
    a = alone.outcomes.drop(columns=["run_id", "replicate"]).iloc[0]
    b = res.outcomes.drop(columns=["run_id", "replicate"]).iloc[17]
    assert a.equals(b)
    fresh = run_batch(helpers.prepared(), seeds=range(40))
    assert not res.outcomes.escalation_score.equals(fresh.outcomes.escalation_score)
