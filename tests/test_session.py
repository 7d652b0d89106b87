"""The game session (sim.session): what the page, ``borderline play`` and the tools rely on.

The menu is the engine's legal moves, an illegal move changes nothing, undo takes back exactly
one turn, a save replays to the identical state and a tampered one is refused with a reason,
and the advisor's forecast is reproducible and equal to running its futures one by one.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import REPO

from sim import actions as act
from sim.engine import step
from sim.objectives import gauge_values, score
from sim.session import (
    SAVE_FORMAT,
    IllegalMove,
    Session,
    SessionError,
    debrief,
    run_futures,
    wilson,
)
from sim.world import State

SCENARIO = "iran_azerbaijan"


def states_equal(a: State, b: State) -> bool:
    return (
        all(
            np.array_equal(getattr(a, f.name), getattr(b, f.name))
            for f in dataclasses.fields(State)
            if isinstance(getattr(a, f.name), np.ndarray)
        )
        and a.turn == b.turn
    )


def played(moves: list[tuple[str, str]], role: str = "azerbaijan", seed: int = 42) -> Session:
    s = Session.start(SCENARIO, role, seed)
    for a, t in moves:
        s.play(a, t)
    return s


def first_legal(s: Session, action: str) -> tuple[str, str]:
    return next((o.action, o.target) for o in s.legal_actions() if o.action == action)


MOVES = [("protest", "iran"), ("drills", "iran"), ("hold", "azerbaijan"), ("protest", "armenia")]


# -- the menu -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["azerbaijan", "iran", "armenia"])
def test_menu_is_the_engines_legal_actions(role: str) -> None:
    s = Session.start(SCENARIO, role, 5)
    for _ in range(4):
        engine = [
            (la.action.value, la.target)
            for la in act.legal_actions(s.prepared.static, s.state, role)
        ]
        menu = [(o.action, o.target) for o in s.legal_actions()]
        assert menu == engine
        assert all(o.explanation and o.cost and o.rung_name for o in s.legal_actions())
        s.play("hold", role)


def test_the_historical_move_is_marked() -> None:
    # the scenario scripts Azerbaijan's levy at turn 1: playing Azerbaijan, it is on the menu
    s = Session.start(SCENARIO, "azerbaijan", 1)
    marked = [(o.action, o.target) for o in s.legal_actions() if o.history]
    assert marked == [("levy_transit", "iran")]
    s.play("levy_transit", "iran")
    assert not any(o.history for o in s.legal_actions())


def test_unknown_role_is_refused_naming_the_roles() -> None:
    with pytest.raises(SessionError, match="roles: azerbaijan, iran, armenia"):
        Session.start(SCENARIO, "turkey", 1)


# -- playing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "target", "message"),
    [
        ("launch_offensive", "israel", "not legal now"),  # no border, too far
        ("levy_transit", "turkey", "not legal now"),  # Turkey does not use the corridor
        ("nuke", "iran", "unknown action"),
        ("protest", "atlantis", "unknown actor"),
    ],
)
def test_an_illegal_move_is_refused_and_changes_nothing(
    action: str, target: str, message: str
) -> None:
    s = played(MOVES[:2])
    before, view, moves = s.state.copy(), s.state_view(), s.moves
    with pytest.raises(IllegalMove, match=message):
        s.play(action, target)
    assert states_equal(s.state, before)
    assert s.state_view() == view and s.moves == moves and s.turn == 2


def test_play_resolves_one_turn_with_the_players_move_coded() -> None:
    s = Session.start(SCENARIO, "azerbaijan", 42)
    rep = s.play("drills", "iran")
    assert s.turn == rep.turn == 1
    mine = [x for x in rep.sentences if x.actor == "azerbaijan" and x.kind == "action"]
    assert [(x.target, x.mid_action, x.source) for x in mine] == [("iran", 7, "player")]
    assert "held military drills aimed at Iran" in mine[0].text
    assert 0.0 <= rep.score <= 100.0


def test_a_session_is_the_engine_with_the_players_moves() -> None:
    # the same run stepped by hand on the engine, with the same moves, gives the same state
    s = played(MOVES)
    prep = s.prepared
    from sim.batch import new_state
    from sim.engine import check_moves

    state, par = new_state(prep, 42)
    for a, t in MOVES:
        step(prep.static, state, par, moves=check_moves(prep.static, state, {"azerbaijan": (a, t)}))
    assert states_equal(s.state, state)


def test_game_over_refuses_moves_and_empties_the_menu() -> None:
    s = Session.start(SCENARIO, "armenia", 3)
    while not s.over:
        s.play("hold", "armenia")
    assert s.legal_actions() == []
    assert s.ending()
    with pytest.raises(SessionError, match="game is over"):
        s.play("hold", "armenia")
    with pytest.raises(SessionError, match="over"):
        s.forecast(futures=5)


# -- undo ---------------------------------------------------------------------------------


def test_undo_takes_back_exactly_one_turn() -> None:
    s = played(MOVES)
    s.undo()
    ref = played(MOVES[:3])
    assert states_equal(s.state, ref.state)
    assert s.state_view() == ref.state_view() and s.moves == ref.moves
    assert s.reports == ref.reports and s.scores == ref.scores
    # and the game goes on identically after it
    s.play(*MOVES[3])
    assert states_equal(s.state, played(MOVES).state)


def test_undo_at_the_start_is_refused() -> None:
    s = Session.start(SCENARIO, "iran", 1)
    with pytest.raises(SessionError, match="nothing to undo"):
        s.undo()


# -- save and load ------------------------------------------------------------------------


def test_save_is_small_json_and_load_replays_the_identical_state() -> None:
    s = played(MOVES)
    data = s.save()
    text = json.dumps(data)
    assert len(text) < 1000
    assert data["format"] == SAVE_FORMAT and data["moves"] == [list(m) for m in MOVES]
    t = Session.load(json.loads(text))
    assert states_equal(t.state, s.state)
    assert t.state_view() == s.state_view()
    assert t.reports == s.reports and t.scores == s.scores
    assert Session.from_json(s.to_json()).state_view() == s.state_view()


def test_a_session_is_identical_in_another_process() -> None:
    s = played(MOVES)
    code = (
        "import json, sys\n"
        "from sim.session import Session\n"
        f"s = Session.load(json.loads({s.to_json()!r}))\n"
        "print(json.dumps([s.state_view().score, s.state.tension.tolist(), s.turn]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    score_, tension, turn = json.loads(out.stdout)
    assert turn == s.turn and score_ == s.state_view().score
    assert np.array_equal(np.array(tension), s.state.tension)


def tampered(**change: object) -> dict[str, object]:
    data = played(MOVES).save()
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (tampered(scenario_hash="0" * 64), "has changed since the game was saved"),
        (tampered(format="something-else"), "not a saved game"),
        (tampered(version=99), "version 99 cannot be read"),
        (tampered(seed="seven"), "seed is missing or not a int"),
        (tampered(seed=-1), "seed must be between"),
        (tampered(role="turkey"), "no role 'turkey'"),
        (tampered(scenario="no_such_crisis"), "cannot be loaded"),
        (tampered(params={"temperature": 99.0}), "outside its range"),
        (tampered(params={"tempreature": 0.3}), "unknown parameter"),
        (tampered(moves=[["launch_offensive", "israel"]]), "move 1 cannot be replayed"),
        (tampered(moves=[["protest"]]), "move 1 is not a pair"),
        (tampered(moves=[["hold", "azerbaijan"]] * 40), "more than the scenario's"),
        ([1, 2, 3], "not a saved game"),
    ],
)
def test_a_bad_or_tampered_save_is_refused_with_the_reason(data: object, message: str) -> None:
    with pytest.raises(SessionError, match=message):
        Session.load(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"\xff\xfe\x00", "not text"),
        ("{not json", "not valid JSON"),
        ("x" * 2_000_000, "too large"),
    ],
)
def test_an_unreadable_file_is_refused(text: str | bytes, message: str) -> None:
    with pytest.raises(SessionError, match=message):
        Session.from_json(text)


# -- the advisor --------------------------------------------------------------------------


def test_forecast_is_reproducible_and_leaves_the_game_alone() -> None:
    s = played(MOVES[:1])
    before = s.state.copy()
    a = s.forecast(futures=40, horizon=4)
    b = s.forecast(futures=40, horizon=4)
    assert a == b
    assert states_equal(s.state, before)
    assert [(m.action, m.target) for m in a.moves] == [
        (o.action, o.target) for o in s.legal_actions()
    ]
    assert played(MOVES[:1]).forecast(futures=40, horizon=4) == a  # a fresh session, too


def test_forecast_equals_its_futures_run_one_by_one() -> None:
    s = played(MOVES[:2])
    fc = s.forecast(futures=12, horizon=5)
    prep = s.prepared
    for action, target in [("hold", "azerbaijan"), first_legal(s, "drone_strike")]:
        wars, scores = 0, []
        for seed in fc.seeds:
            x = s.state.copy()
            x.seeds = np.array([seed], dtype=np.uint64)
            par = s._par
            moves = np.full((1, prep.static.n), -1, dtype=np.int64)
            i = prep.static.index("azerbaijan")
            moves[0, i] = act.ACTION_INDEX[act.spec(action).id] * prep.static.n + (
                prep.static.index(target)
            )
            war, total, last = False, 0.0, 0.0
            for h in range(fc.horizon):
                if x.done[0]:
                    total += last
                    continue
                step(prep.static, x, par, moves=moves if h == 0 else None)
                war |= bool(x.at_war[0].any())
                last = float(score(prep.static, x, s.objectives)[0])
                total += last
            wars += war
            scores.append(total / fc.horizon)
        m = fc.of(action, target)
        assert m.war == wars / len(fc.seeds)
        assert m.score == pytest.approx(float(np.mean(scores)), abs=1e-9)


def test_forecast_seeds_change_with_the_turn_not_with_the_process() -> None:
    s = Session.start(SCENARIO, "iran", 9)
    first = s.future_seeds(10)
    s.play("hold", "iran")
    assert not np.array_equal(first, s.future_seeds(10))
    assert np.array_equal(first, Session.start(SCENARIO, "iran", 9).future_seeds(10))


def test_the_advisor_tells_moves_apart() -> None:
    # what the futures say follows the model: launching a war is a war in every future,
    # holding back almost never is (the same 200 futures for both)
    s = Session.start(SCENARIO, "iran", 42)
    fc = s.forecast(futures=200)
    war = fc.of("launch_offensive", "azerbaijan")
    hold = fc.of("hold", "iran")
    assert war.war == 1.0 and war.peak_mid_level[4] == 1.0
    assert hold.war_interval[1] < 0.1
    assert hold.score > war.score


def test_forecast_arguments_are_checked() -> None:
    s = Session.start(SCENARIO, "iran", 1)
    for bad in (0, -5, 10**6, 2.5, True):
        with pytest.raises(SessionError, match="futures"):
            s.forecast(futures=bad)  # type: ignore[arg-type]
    with pytest.raises(SessionError, match="horizon"):
        s.forecast(futures=5, horizon=0)


def test_run_futures_with_no_moves_lets_the_ai_play_everyone() -> None:
    s = Session.start(SCENARIO, "iran", 1)
    out = run_futures(
        s.prepared, s.state, s._par, "iran", None, np.arange(20, dtype=np.uint64), 26, s.objectives
    )
    from sim.batch import run_batch

    ref = run_batch(SCENARIO, seeds=range(20)).outcomes
    assert np.array_equal(out["war"], ref.war.to_numpy())
    assert np.array_equal(out["settled"], ref.settled.to_numpy())


def test_wilson_interval() -> None:
    lo, hi = wilson(23, 100)
    assert lo == pytest.approx(0.1584, abs=1e-4) and hi == pytest.approx(0.3215, abs=1e-4)
    assert wilson(0, 200)[0] == 0.0 and wilson(200, 200)[1] == 1.0


# -- objectives, score and debrief ---------------------------------------------------------


def test_score_follows_the_objectives() -> None:
    s = Session.start("nagorno_karabakh_2020", "armenia", 1)
    g0 = s.state_view().objectives
    assert [t for t, _, _ in g0] == [
        "Save your army",
        "Keep approval at home",
        "Keep Russia at your side",
        "Spare the economy",
    ]
    while s.turn < 4 and not s.over:
        s.play("hold", "armenia")
    forces = s.state_view().objectives[0][2]
    assert forces < 100.0  # the army is being destroyed
    armour = s.state.armour[0, s.prepared.static.index("armenia")]
    assert forces == pytest.approx(100 * armour / s.prepared.static.armour0[1], abs=1e-6)
    weights = np.array([g.weight for g in s.objectives])
    values = gauge_values(s.prepared.static, s.state, s.objectives)[0]
    assert s.scores[-1] == pytest.approx(float(values @ weights / weights.sum()))


def test_avoid_war_gauge_is_zero_at_war() -> None:
    from sim.scenario.models import Objective, ObjectiveKind

    s = Session.start("nagorno_karabakh_2020", "azerbaijan", 1)
    static = s.prepared.static
    from sim.objectives import Gauge

    g = (Gauge(ObjectiveKind.AVOID_WAR, 1.0, "Avoid war", static.index("azerbaijan")),)
    assert gauge_values(static, s.state, g)[0, 0] == 0.0
    assert Objective(kind=ObjectiveKind.AVOID_WAR).weight == 1.0


def test_debrief_places_the_game_among_ai_played_runs() -> None:
    s = Session.start(SCENARIO, "iran", 42)
    while not s.over:
        s.play("hold", "iran")
    d = debrief(s, runs=100)
    assert d.runs == 100 and 0.0 <= d.runs_war <= 1.0 and 0.0 <= d.score_rank <= 1.0
    assert d.score == s.score and d.war == bool(s.state.war_turn[0] >= 0)
    text = "\n".join(d.lines())
    assert "AI-played runs" in text and f"{d.score:.0f} of 100" in text
    assert d.timeline and all(m.turn >= 1 for m in d.timeline)


def test_forecast_in_chunks_reports_progress_and_can_be_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sim import session as session_module
    from sim.session import ForecastCancelled

    s = Session.start(SCENARIO, "iran", 4)
    whole = s.forecast(futures=30, horizon=3)
    seen: list[float] = []
    monkeypatch.setattr(session_module, "CHUNK_REPLICATES", 100)  # 3 moves per chunk
    chunked = s.forecast(futures=30, horizon=3, progress=seen.append)
    assert chunked == whole  # chunking changes nothing
    assert len(seen) > 5 and seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(ForecastCancelled):
        s.forecast(futures=30, horizon=3, stop=lambda: len(seen) > 8, progress=seen.append)


def test_ai_played_turns_save_and_replay() -> None:
    s = Session.start(SCENARIO, "iran", 4)
    s.play("protest", "azerbaijan")
    s.play_ai()
    s.play("hold", "iran")
    data = s.save()
    assert data["moves"] == [["protest", "azerbaijan"], None, ["hold", "iran"]]
    assert Session.load(data).state_view() == s.state_view()
    # the AI's turn is the engine's own choice for Iran, as in a batch run
    ai = s.records[1]
    assert int(ai.source[0, s.prepared.static.index("iran")]) == 0


def test_upto_is_the_game_as_it_stood() -> None:
    s = played(MOVES)
    two = s.upto(2)
    assert two.turn == 2 and two.moves == tuple(MOVES[:2])
    assert two.state_view() == played(MOVES[:2]).state_view()
    assert s.turn == 4  # unchanged
    with pytest.raises(SessionError, match="turn must be from 0 to 4"):
        s.upto(5)


def test_forecast_in_worker_processes_is_the_same() -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    s = played(MOVES[:1])
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        assert s.forecast(futures=20, horizon=3, pool=pool) == s.forecast(futures=20, horizon=3)


def test_forecast_workers_leave_with_a_killed_server() -> None:
    import os
    import time

    code = (
        "from sim.session import forecast_pool\n"
        "import time\n"
        "pool = forecast_pool(2)\n"
        "print(sum(pool.map(abs, [1, 2])), flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=REPO)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"3"
        out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        kids = out.stdout.split()
        assert len(kids) >= 2  # the workers (and the resource tracker)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{k}") for k in kids):
        time.sleep(0.2)
    assert not [k for k in kids if os.path.exists(f"/proc/{k}")], "workers outlived the server"


def test_every_action_has_a_cost_and_a_command_for_the_menu() -> None:
    """The menu says each move as an order ("Hold military drills aimed at Iran"), not in the
    report's past tense, and says what it costs."""
    from sim.explain import ACTION_COMMAND, ACTION_COST

    ids = {spec.id for spec in act.CATALOGUE}
    assert set(ACTION_COMMAND) == ids and set(ACTION_COST) == ids
    session = Session.start("iran_azerbaijan", "azerbaijan", 1)
    labels = [o.label for o in session.legal_actions()]
    assert "Protest publicly to Iran" in labels
    assert not any(label.split()[0].endswith("ed") for label in labels), labels


def test_corridor_objective_reads_as_english_whatever_the_name() -> None:
    import types

    from sim.objectives import _text
    from sim.scenario.models import Objective, ObjectiveKind

    o = Objective(kind=ObjectiveKind.KEEP_CORRIDOR_OPEN, corridor="road")
    for name, text in [
        ("Zangezur corridor", "Keep the Zangezur corridor open"),
        ("The Salt Road", "Keep The Salt Road open"),  # not "Keep the The Salt Road"
    ]:
        static = types.SimpleNamespace(corridor_names=[name])
        assert _text(o, static, 0, -1) == text  # type: ignore[arg-type]
