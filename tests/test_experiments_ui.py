"""The experiments page (sim/ui/experiments.py): its pure functions, and the page without a
browser (solara.render): the form, Run to a heat map, Cancel, and a bad choice."""

from __future__ import annotations

import time
from dataclasses import replace

import ipyvuetify as v
import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
import solara

from sim.research.spec import sweepable
from sim.research.sweep import Interrupted
from sim.scenario import Scenario, load_scenario
from sim.session import playable, wilson
from sim.ui.experiments import (
    CURATED,
    MAX_RUNS,
    OUTCOMES,
    Axis,
    Choice,
    ChoiceError,
    Experiments,
    build_spec,
    chunk_runs,
    default_axis,
    heat_figure,
    heat_table,
    initial_choice,
    offered,
    outcome_hits,
    prepare,
    run_experiment,
    wilson_note,
)

SID = "iran_azerbaijan"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SID)


def tiny(**kw: object) -> Choice:
    """2 × 2 points × 5 replicates × 4 turns: 20 runs, well under a second."""
    base = Choice(
        SID,
        Axis("war_aversion", 0.25, 3.0, 2),
        Axis("misperception", 0.0, 1.0, 2),
        replicates=5,
        turns=4,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def outcomes(scenario: Scenario) -> pd.DataFrame:
    c = tiny(x=Axis("war_aversion", 0.25, 3.0, 3), replicates=8, turns=8)
    return run_experiment(prepare(c, scenario), c).outcomes


# -- pure functions --------------------------------------------------------------------------


def test_build_spec_is_a_grid_of_the_two_axes() -> None:
    spec = build_spec(tiny())
    assert spec["scenario"] == SID
    assert spec["design"] == {"kind": "grid"}
    assert spec["parameters"] == {
        "war_aversion": {"min": 0.25, "max": 3.0, "steps": 2},
        "misperception": {"min": 0.0, "max": 1.0, "steps": 2},
    }
    assert spec["replicates"] == 5 and spec["turns"] == 4
    assert spec["chunk_runs"] == chunk_runs(4)


def test_prepare_validates_with_sim_research(scenario: Scenario) -> None:
    sweep = prepare(tiny(), scenario)
    assert [f.name for f in sweep.factors] == ["war_aversion", "misperception"]
    assert sweep.spec.replicates == 5 and sweep.spec.turns == 4


def test_chunks_are_short_so_cancel_is_quick() -> None:
    assert chunk_runs(26) * 26 <= 3_000
    assert chunk_runs(520) >= 10 and chunk_runs(1) <= 1_000


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"x": Axis("war_aversion", 3.0, 1.0, 2)}, "war_aversion, max: max (1) must be above min"),
        ({"x": Axis("war_aversion", 0.0, 99.0, 2)}, "war_aversion, max: 99 is outside [0, 5]"),
        ({"y": Axis("war_aversion", 0.0, 1.0, 2)}, "two different parameters"),
        ({"turns": 0}, "turns:"),
        ({"x": Axis("rules.nothing.x", 0.0, 1.0, 2)}, "rules.nothing.x:"),
    ],
)
def test_a_bad_choice_says_why_in_plain_lines(
    scenario: Scenario, change: dict[str, object], words: str
) -> None:
    with pytest.raises(ChoiceError) as info:
        prepare(tiny(**change), scenario)
    text = " ".join(info.value.messages)
    assert words in text
    assert "E50" not in text and "<sweep>" not in text  # no codes, no file


def test_the_page_caps_the_runs(scenario: Scenario) -> None:
    big = tiny(x=Axis("war_aversion", 0, 1, 8), y=Axis("misperception", 0, 1, 8), replicates=400)
    assert big.runs > MAX_RUNS
    with pytest.raises(ChoiceError, match="at most 20,000"):
        prepare(big, scenario)


def test_the_curated_parameters_come_first_and_fit_their_bounds(scenario: Scenario) -> None:
    allowed = sweepable(scenario)
    main = offered(allowed, every=False)
    assert main == [n for n in CURATED if n in allowed]
    assert "war_aversion" in main and "rules.combat.lethality" in main
    every = offered(allowed, every=True)
    assert every[: len(main)] == main and set(every) == set(allowed)
    for name in every:
        a = default_axis(scenario, allowed[name])
        f = allowed[name]
        assert f.lo <= a.lo < a.hi <= f.hi, name
    # a crisis without the drone rule does not offer its parameters
    albania = load_scenario("albania_iran")
    assert "rules.drone_parity.weight" not in offered(sweepable(albania), every=True)


def test_initial_choice_runs(scenario: Scenario) -> None:
    c = initial_choice(SID, scenario)
    assert (c.x.name, c.y.name) == ("war_aversion", "misperception")
    prepare(c, scenario)


def test_outcome_hits_are_war_force_and_settled(outcomes: pd.DataFrame) -> None:
    assert outcome_hits(outcomes, "war").equals(outcomes["war"].astype(bool))
    assert outcome_hits(outcomes, "force").equals(outcomes["peak_mid_level"] >= 4)
    assert outcome_hits(outcomes, "settled").equals(outcomes["settled"].astype(bool))
    with pytest.raises(ValueError, match="unknown outcome"):
        outcome_hits(outcomes, "peace")


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_heat_table_equals_a_direct_pandas_computation(
    outcomes: pd.DataFrame, outcome: str
) -> None:
    table = heat_table(outcomes, "war_aversion", "misperception", outcome)
    hit = {
        "war": outcomes["war"],
        "force": outcomes["peak_mid_level"] >= 4,
        "settled": outcomes["settled"],
    }[outcome]
    direct = (
        outcomes.assign(hit=hit.astype(int))
        .groupby(["param_war_aversion", "param_misperception"])["hit"]
        .agg(["size", "sum", "mean"])
        .reset_index()
    )
    assert len(table) == 3 * 2
    assert np.allclose(table["war_aversion"], direct["param_war_aversion"])
    assert np.allclose(table["misperception"], direct["param_misperception"])
    assert (table["runs"].to_numpy() == direct["size"].to_numpy()).all()
    assert (table["runs"] == 8).all()
    assert (table["hits"].to_numpy() == direct["sum"].to_numpy()).all()
    assert np.allclose(table["share"], direct["mean"])
    for row in table.itertuples():
        assert (row.low, row.high) == pytest.approx(wilson(row.hits, row.runs))
        assert row.low <= row.share <= row.high


def test_heat_table_of_no_runs_is_empty() -> None:
    table = heat_table(pd.DataFrame(), "war_aversion", "misperception", "war")
    assert table.empty and list(table.columns)[:3] == ["war_aversion", "misperception", "runs"]
    assert wilson_note(table) == "No runs to show."


def test_a_rule_parameter_is_a_column_of_its_own(scenario: Scenario) -> None:
    c = tiny(y=Axis("rules.combat.lethality", 0.01, 0.05, 2), replicates=3)
    out = run_experiment(prepare(c, scenario), c)
    table = heat_table(out.outcomes, c.x.name, c.y.name, "war")
    assert sorted(set(table["rules.combat.lethality"])) == pytest.approx([0.01, 0.05])
    assert (table["runs"] == 3).all()


def test_the_figure_and_the_note(outcomes: pd.DataFrame) -> None:
    table = heat_table(outcomes, "war_aversion", "misperception", "war")
    fig = heat_figure(table, "war_aversion", "misperception", "war", "test")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels.count("n=8") == 6
    for share in table["share"]:
        assert f"{100 * share:.0f}%" in labels
    assert "War aversion" in ax.get_xlabel() and "misperception" in ax.get_ylabel()
    note = wilson_note(table)
    half = ((table["high"] - table["low"]) / 2).max()
    assert "8 runs" in note and f"±{100 * half:.0f} percentage points" in note


def test_stop_interrupts_the_sweep(scenario: Scenario) -> None:
    c = tiny(replicates=100, turns=26)  # 400 runs in 8 chunks
    seen: list[int] = []
    with pytest.raises(Interrupted):
        run_experiment(
            prepare(c, scenario), c, progress=lambda p: seen.append(p.done), stop=lambda: bool(seen)
        )
    assert len(seen) == 1 and seen[0] < c.runs


# -- the page, without a browser ---------------------------------------------------------------


def texts(rc: object) -> str:
    """All text shown by a rendered tree, joined."""
    found = rc.find(v.Html).widgets + rc.find(v.Btn).widgets + rc.find(v.Alert).widgets  # type: ignore[attr-defined]
    out = []
    for w in found:
        for child in getattr(w, "children", []) or []:
            if isinstance(child, str):
                out.append(child)
    return "\n".join(out)


def button(rc: object, cls: str) -> v.Btn:
    found = rc.find(v.Btn).widgets  # type: ignore[attr-defined]
    (only,) = [w for w in found if cls in (w.class_ or "").split()]
    return only


def test_the_form_shows_the_crises_the_parameters_and_the_total() -> None:
    _box, rc = solara.render(Experiments(), handle_error=False)
    shown = texts(rc)
    crises = playable()
    selects = rc.find(v.Select).widgets
    crisis = next(s for s in selects if s.label == "Crisis")
    assert crisis.items == [c.title for c in crises]
    params = [s for s in selects if s.label == "Parameter"]
    assert len(params) == 2
    assert "War aversion (war_aversion)" in params[0].items
    assert "Lethality of combat (rules.combat.lethality)" in params[0].items
    assert CURATED["war_aversion"][1] in shown
    assert "4 × 4 points × 20 replicates = 320 runs" in shown
    rc.find(v.Alert, class_="experiment-idle").assert_single()
    # every parameter, on request
    (every,) = rc.find(v.Checkbox).widgets
    every.v_model = True
    params = [s for s in rc.find(v.Select).widgets if s.label == "Parameter"]
    assert len(params[0].items) == len(sweepable(load_scenario(crises[0].id)))
    # choosing another parameter gives it a range within its bounds
    params[0].v_model = "Restraint (restraint)"
    assert "0 to 1" in texts(rc) or "Allowed 0 to 1" in texts(rc)
    rc.close()


def test_run_shows_a_heat_map() -> None:
    _box, rc = solara.render(Experiments(start=tiny()), handle_error=False)
    assert "2 × 2 points × 5 replicates = 20 runs" in texts(rc)
    button(rc, "run").click()
    rc.find(v.Html, class_="wilson-note").wait_for(timeout=60)
    rc.find(widgets.Image).wait_for(timeout=60)  # the heat map, a PNG
    assert "5 runs" in texts(rc)
    assert "20 runs in" in texts(rc)
    # another outcome
    (toggle,) = rc.find(v.BtnToggle).widgets
    toggle.v_model = list(OUTCOMES).index("settled")
    rc.find(widgets.Image).wait_for(timeout=60)
    rc.close()


def test_cancel_stops_a_longer_sweep_and_shows_no_result() -> None:
    long = tiny(
        x=Axis("war_aversion", 0.25, 3.0, 8),
        y=Axis("misperception", 0.0, 1.0, 8),
        replicates=100,
        turns=26,
    )  # 6,400 runs: many seconds
    _box, rc = solara.render(Experiments(start=long), handle_error=False)
    button(rc, "run").click()
    rc.find(v.Html, class_="experiment-progress").wait_for(timeout=30)
    deadline = time.monotonic() + 30
    while "of 6,400 runs" not in texts(rc) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "of 6,400 runs" in texts(rc)
    t0 = time.monotonic()
    button(rc, "cancel").click()
    rc.find(v.Alert, class_="experiment-cancelled").wait_for(timeout=10)
    assert time.monotonic() - t0 < 4.0  # a chunk is about 0.5 s (1-2 s on a loaded machine)
    shown = texts(rc)
    assert "cancelled" in shown
    assert not rc.find(v.Html, class_="wilson-note").widgets
    assert not rc.find(widgets.Image).widgets
    assert not button(rc, "run").disabled
    rc.close()


def test_invalid_input_shows_the_message_without_a_traceback() -> None:
    bad = tiny(x=Axis("war_aversion", 2.0, 1.0, 2))
    _box, rc = solara.render(Experiments(start=bad), handle_error=False)
    button(rc, "run").click()
    rc.find(v.Alert, class_="experiment-problems").assert_single()
    shown = texts(rc)
    assert "cannot run" in shown and "max (1) must be above min (2)" in shown
    assert "Traceback" not in shown and "E504" not in shown
    rc.find(v.Alert, class_="experiment-idle").assert_single()  # nothing ran
    # typing a better bound into the form clears the message, and the experiment runs
    (x_max,) = [w for w in rc.find(v.TextField).widgets if "axis-x-max" in (w.class_ or "")]
    x_max.v_model = "3"
    x_max.fire_event("focusout", None)
    assert not rc.find(v.Alert, class_="experiment-problems").widgets
    button(rc, "run").click()
    rc.find(v.Html, class_="wilson-note").wait_for(timeout=60)
    rc.find(widgets.Image).wait_for(timeout=60)  # the figure is drawn in the background
    # a bound outside the allowed range says so
    (x_max,) = [w for w in rc.find(v.TextField).widgets if "axis-x-max" in (w.class_ or "")]
    x_max.v_model = "99"
    x_max.fire_event("focusout", None)
    button(rc, "run").click()
    rc.find(v.Alert, class_="experiment-problems").wait_for(timeout=5)
    assert "99 is outside [0, 5]" in texts(rc)
    rc.close()
