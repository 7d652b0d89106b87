"""The game page without a browser (solara.render): start screen, a turn, undo, load, the URL.

The components only show a session and call its methods; these tests click their buttons and
read their widgets the way the browser tests click and read the page, but in-process and fast.
"""

from __future__ import annotations

import json

import ipyvuetify as v
import pytest
import solara

from sim.session import Session, playable
from sim.ui.game import Game, Report, Start, band_colour, load_upload, parse_start


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


def test_band_colours_follow_the_ladder() -> None:
    assert band_colour(0) == band_colour(2)
    assert band_colour(5) != band_colour(4) and band_colour(7) != band_colour(6)
    assert band_colour(8) == "#c9302c"
