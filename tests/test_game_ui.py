"""The game page without a browser (solara.render): start screen, a turn, undo, load, the URL.

The components only show a session and call its methods; these tests click their buttons and
read their widgets the way the browser tests click and read the page, but in-process and fast.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import ipyvuetify as v
import pytest
import solara

from sim.ladder import MID_LEVEL_NAMES, RUNG_NAMES
from sim.report import Sentence, act_code
from sim.session import Forecast, MoveForecast, MoveOption, Session, playable, wilson
from sim.ui.charts import ADVISOR_MEASURES
from sim.ui.game import (
    Advisor,
    DebriefScreen,
    Game,
    Menu,
    Objectives,
    Report,
    Start,
    advisor_line,
    band_colour,
    load_upload,
    parse_start,
    weight_words,
)


@pytest.fixture(scope="module")
def crises() -> list:
    return playable()


def texts(rc: object) -> str:
    """All text shown by a rendered tree, joined."""
    found = rc.find(v.Html).widgets + rc.find(v.Btn).widgets  # type: ignore[attr-defined]
    out = []
    for w in found:
        for child in getattr(w, "children", []) or []:
            if isinstance(child, str):
                out.append(child)
    return "\n".join(out)


def buttons(rc: object, cls: str) -> list[v.Btn]:
    """The buttons with a CSS class."""
    found = rc.find(v.Btn).widgets  # type: ignore[attr-defined]
    return [w for w in found if cls in (w.class_ or "").split()]


def button(rc: object, cls: str) -> v.Btn:
    (only,) = buttons(rc, cls)
    return only


def test_start_screen_lists_every_playable_crisis(crises: list) -> None:
    _box, rc = solara.render(Game(search=""), handle_error=False)
    shown = texts(rc)
    for c in crises:
        assert buttons(rc, f"choose-{c.id}"), c.id
    first = crises[0]
    for r in first.roles:
        assert r.brief in shown or r.brief[:60] in shown
        button(rc, f"play-{r.actor}")
    rc.close()


def test_play_a_turn_and_undo_it() -> None:
    _box, rc = solara.render(
        Game(search="?scenario=iran_azerbaijan&role=iran&seed=5"), handle_error=False
    )
    rc.find(
        v.Html, children=["You are Iran · turn 0 of 26 · next: the week of 12 September 2021"]
    ).wait_for(timeout=20)
    button(rc, "end-turn").click()
    rc.find(
        v.Html, children=["You are Iran · turn 1 of 26 · next: the week of 19 September 2021"]
    ).wait_for(timeout=20)
    assert "Turn 1, week of 12 September 2021" in texts(rc)
    button(rc, "undo").click()
    rc.find(
        v.Html, children=["You are Iran · turn 0 of 26 · next: the week of 12 September 2021"]
    ).wait_for(timeout=20)
    rc.close()


def test_a_link_reproduces_the_start(crises: list) -> None:
    start, err = parse_start("scenario=iran_azerbaijan&role=armenia&seed=12", crises)
    assert err == "" and start == Start("iran_azerbaijan", "armenia", 12)
    assert parse_start(start.query()[1:], crises)[0] == start
    assert parse_start("", crises) == (None, "")
    for query, message in (
        ("scenario=atlantis&role=x&seed=1", "does not exist"),
        ("scenario=iran_azerbaijan&role=turkey&seed=1", "cannot be played as"),
        ("scenario=iran_azerbaijan&role=iran&seed=-4", "not a whole number"),
        ("scenario=iran_azerbaijan&role=iran&seed=abc", "not a whole number"),
    ):
        got, why = parse_start(query, crises)
        assert got is None and message in why
    teacher, _ = parse_start("scenario=iran_azerbaijan&mode=teacher&seed=3", crises)
    assert teacher is not None and teacher.teacher and teacher.role == "azerbaijan"


def test_a_bad_link_shows_the_start_screen_with_the_reason() -> None:
    _box, rc = solara.render(Game(search="scenario=atlantis&role=x&seed=1"), handle_error=False)
    assert "does not exist" in texts(rc) or rc.find(v.Alert).widgets
    assert buttons(rc, "choose-iran_azerbaijan")
    rc.close()


def test_loading_a_bad_file_says_why_and_changes_nothing() -> None:
    s = Session.start("iran_azerbaijan", "iran", 1)
    s.play("protest", "azerbaijan")
    good, message = load_upload(s.to_json().encode(), "game.json")
    assert message == "" and good is not None and good.state_view() == s.state_view()
    data = s.save()
    data["scenario_hash"] = "0" * 64
    for content, why in (
        (b"not json", "not valid JSON"),
        (json.dumps(data).encode(), "has changed since the game was saved"),
        (None, "could not be read"),
        (b"\x89PNG\r\n", "not text"),
    ):
        new, message = load_upload(content, "upload.json")
        assert new is None and message.startswith("Could not load upload.json: ")
        assert why in message
    assert s.turn == 1


def test_report_shows_sentences_with_their_code() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    rep = s.play("drills", "iran")
    _box, rc = solara.render(Report(rep), handle_error=False)
    shown = texts(rc)
    assert "Azerbaijan held military drills aimed at Iran." in shown.replace("▶ ", "")
    assert "display of force, MID 7 (show of force)" in shown
    rc.close()


def test_your_countrys_moves_are_marked_even_when_the_computer_chose_them() -> None:
    s = Session.start("iran_azerbaijan", "iran", 42)
    s.play("drills", "azerbaijan")
    rep = s.play_ai()  # "Let the computer decide"
    yours = [x for x in rep.sentences if x.kind == "action" and x.actor == "iran"]
    assert yours and all(x.source == "ai" for x in yours)
    _box, rc = solara.render(Report(rep, you="iran"), handle_error=False)
    lines = [t for t in texts(rc).splitlines() if t.startswith("▶ ")]
    assert lines == ["▶ " + x.text for x in yours]
    rc.close()
    _box, rc = solara.render(Report(rep), handle_error=False)  # the free run: no one is yours
    assert "▶" not in texts(rc)
    rc.close()


def test_the_free_runs_empty_report_speaks_of_step_not_your_move() -> None:
    _box, rc = solara.render(Report(None), handle_error=False)
    assert "Step or Play runs the first turn" in texts(rc) and "your" not in texts(rc)
    rc.close()
    _box, rc = solara.render(Report(None, you="iran"), handle_error=False)
    assert "your first move opens the crisis" in texts(rc)
    rc.close()


def test_band_colours_follow_the_ladder() -> None:
    assert band_colour(0) == band_colour(2)
    assert band_colour(5) != band_colour(4) and band_colour(7) != band_colour(6)
    assert band_colour(8) == "#c9302c"


# -- what the playthrough found confusing ----------------------------------------------------


def test_objective_weights_are_said_in_words() -> None:
    assert weight_words(1) == "" and weight_words(2) == "counts double"
    assert weight_words(0.5) == "counts half" and weight_words(1.5) == "counts 1.5 times"
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    assert any(w == 2 for _, w, _ in s.state_view().objectives)
    _box, rc = solara.render(Objectives(s, 0), handle_error=False)
    shown = texts(rc)
    assert "(counts double)" in shown and "(x2)" not in shown
    rc.close()


def test_the_codes_are_explained_from_the_report_and_the_menu() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    rep = s.play("drills", "iran")
    for element in (
        Report(rep),
        Menu(s.legal_actions(), None, lambda o: None, solara.reactive(None), s.role),
    ):
        _box, rc = solara.render(element, handle_error=False)
        shown = texts(rc)
        assert rc.find(v.ExpansionPanelHeader, children=["What do the codes mean?"]).widgets
        for rung, name in enumerate(RUNG_NAMES):
            assert f"{rung} {name}: " in shown
        for level in range(1, 6):
            assert f"level {level} {MID_LEVEL_NAMES[level]}" in shown
        assert "MID 7 is no worse than MID 4" in shown
        rc.close()


def _first(session: Session, found: Callable[[Sentence], bool], turns: int = 12) -> Sentence:
    for _ in range(turns):
        for sentence in session.play_ai().sentences:
            if found(sentence):
                return sentence
    raise AssertionError("not found")


def test_arms_are_labelled_as_arms_not_normal_relations() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    order = _first(s, lambda x: "ordered arms from" in x.text)
    assert order.code == "arms order, not a militarized act"
    shipped = _first(s, lambda x: "shipped arms to" in x.text)
    assert shipped.code == "arms delivery, not a militarized act"
    arrived = _first(s, lambda x: x.kind == "news" and "received" in x.text)
    assert arrived.code == "arms delivery" and "armour items" not in arrived.text
    _box, rc = solara.render(Report(s.reports[-1]), handle_error=False)
    news = [w for w in rc.find(v.Html).widgets if "chip-news" in (w.class_ or "")]
    assert news and all("normal relations" not in str(w.children) for w in news)
    rc.close()
    assert act_code("buy_arms", 0, 0) == "arms order, not a militarized act"
    assert act_code("drills", 6, 7) == "display of force, MID 7 (show of force)"


def test_the_players_hold_is_in_the_report() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    rep = s.play("hold", "azerbaijan")
    mine = [x for x in rep.sentences if x.source == "player"]
    assert [x.text for x in mine] == ["Azerbaijan held back: no move this turn."]
    assert not any(x.source == "player" for x in s.play_ai().sentences)  # the AI's hold: no line


def _quiet_forecast(options: list[MoveOption], war_share: float) -> Forecast:
    moves = []
    for k, o in enumerate(options):
        war = 1.0 if o.kind == "war" else war_share
        n = round(200 * war)
        moves.append(
            MoveForecast(
                o.action,
                o.target,
                200,
                war,
                wilson(n, 200),
                war,
                wilson(n, 200),
                0.2 + 0.01 * (k % 30),
                (0.1, 0.5),
                (0.3, 0.3, 0.4, 0.0, 0.0),
                80.0 + k % 5,
                (79.0, 81.0 + k % 5),
            )
        )
    return Forecast(0, 8, 200, (), tuple(moves))


def test_the_advisor_says_when_no_move_leads_to_war_and_shows_what_differs() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    options = s.legal_actions()
    quiet = _quiet_forecast(options, 0.0)
    _box, rc = solara.render(
        Advisor(solara.reactive(quiet), solara.reactive(1.0), options), handle_error=False
    )
    shown = texts(rc)
    assert "No move leads to war in these 200 futures, unless you start one yourself" in shown
    (toggle,) = rc.find(v.BtnToggle).widgets
    assert toggle.v_model == list(ADVISOR_MEASURES).index("score")  # the score, not war
    rc.close()
    risky = _quiet_forecast(options, 0.1)
    _box, rc = solara.render(
        Advisor(solara.reactive(risky), solara.reactive(1.0), options), handle_error=False
    )
    assert "No move leads to war" not in texts(rc)
    (toggle,) = rc.find(v.BtnToggle).widgets
    assert toggle.v_model == list(ADVISOR_MEASURES).index("war")
    rc.close()


def test_the_advisor_line_compares_settling_score_and_peak_with_holding_back() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    options = s.legal_actions()
    fc = _quiet_forecast(options, 0.0)
    drills = next(o for o in options if o.action == "drills")
    line = advisor_line(fc.of(drills.action, drills.target), fc, False, s.role)
    assert line.startswith("In none of 200 simulated futures does this lead to war")
    assert "The crisis settles in" in line and "(holding back:" in line
    assert "expected score" in line and "MID level 3, display of force (40% of futures)" in line


def test_the_debrief_says_how_the_crisis_ended_and_how_to_read_it() -> None:
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    while not s.over:
        s.play("hold", "azerbaijan")
    _box, rc = solara.render(DebriefScreen(s, lambda: None, lambda x: None), handle_error=False)
    rc.find(v.Html, children=[s.ending()]).wait_for(timeout=60)
    deadline = time.monotonic() + 30  # the debrief's widgets appear in steps
    while "Turning points" not in texts(rc) and time.monotonic() < deadline:
        time.sleep(0.1)
    shown = texts(rc)
    assert s.ending() in shown
    assert "How to read this" in shown and "Turning points" in shown
    assert "(counts double)" in shown
    rc.close()
