"""End-to-end: the game in Debian's Chromium, offline, as a student plays it.

Each crisis is started from the start screen as one of its countries and played for five turns
by clicking moves and End turn; the situation report, the map, the charts and the menu must
update with no error and no request leaving the machine. A game saved from the page and opened
again after a reload is the same game; a finished game replays turn by turn; two browser
contexts play two games without cross-talk; a link reproduces the start of a game.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sim.session import Session, playable
from tests.e2e.browser import play_a_move

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.e2e.conftest import NetworkLog

PAGE_LOAD_TIMEOUT_S = 90.0
TURN_TIMEOUT_MS = 30_000
CRISES = [c for c in playable() if c.founding]


def wait_for_start(page: Page, network: NetworkLog) -> None:
    """Wait for the start screen; fail at once if the page reaches for a CDN instead."""
    heading = page.get_by_text("choose your country")
    deadline = time.monotonic() + PAGE_LOAD_TIMEOUT_S
    while not heading.is_visible():
        assert not network.blocked, f"the page tried to load from outside hosts: {network.blocked}"
        assert time.monotonic() < deadline, "start screen not shown"
        page.wait_for_timeout(250)


def status(page: Page) -> str:
    return page.locator(".game-status").inner_text()


def wait_turn(page: Page, turn: int) -> None:
    page.locator(".game-status", has_text=re.compile(rf"turn {turn} of \d+")).wait_for(
        timeout=TURN_TIMEOUT_MS
    )


def wait_text(page: Page, selector: str, text: str) -> None:
    """Wait until the element's text, as shown, is ``text`` (the page renders in steps)."""
    deadline = time.monotonic() + TURN_TIMEOUT_MS / 1000
    shown = ""
    while time.monotonic() < deadline:
        shown = page.locator(selector).inner_text()
        if shown == text:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{selector} shows {shown!r}, expected {text!r}")


def image_src(page: Page, within: str) -> str:
    img = page.locator(within).locator("img").first
    img.wait_for(timeout=TURN_TIMEOUT_MS)
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"{within}: blank image"
    return img.get_attribute("src") or ""


def errors_of(page: Page) -> list[str]:
    found: list[str] = []
    page.on("pageerror", lambda exc: found.append(str(exc)))
    page.on(
        "console",
        lambda m: found.append(m.text) if m.type == "error" and "favicon" not in m.text else None,
    )
    return found


def no_trouble(network: NetworkLog, errors: list[str]) -> None:
    assert network.blocked == [], f"page tried to reach outside hosts: {network.blocked}"
    assert network.failed == [], f"requests failed: {network.failed}"
    assert errors == [], f"errors in the page: {errors}"


@pytest.mark.browser
@pytest.mark.parametrize("crisis", CRISES, ids=[c.id for c in CRISES])
def test_play_each_crisis_for_five_turns(
    app_url: str, offline_page: tuple[Page, NetworkLog], crisis: object
) -> None:
    page, network = offline_page
    errors = errors_of(page)
    page.goto(app_url)
    wait_for_start(page, network)
    page.locator(f".choose-{crisis.id}").click()  # type: ignore[attr-defined]
    title = crisis.title  # type: ignore[attr-defined]
    page.get_by_text(f"{title}: choose your country").wait_for(timeout=TURN_TIMEOUT_MS)
    page.get_by_label("Seed (the same seed and moves give the same game)").fill("7")
    role = crisis.roles[-1]  # type: ignore[attr-defined]
    # this crisis's card (the last crisis's cards may still be on the page)
    page.locator(f".play-{crisis.id}-{role.actor}").click()  # type: ignore[attr-defined]
    wait_turn(page, 0)
    assert f"You are {role.name}" in status(page)
    first_map = image_src(page, ".region-map")
    for turn in range(1, 6):
        label = play_a_move(page, turn)
        wait_turn(page, turn)
        # the player's move is reported, in a plain sentence, marked as the player's
        # (the page renders in steps: the status, then the report's date line, then its
        # sentences; wait for this turn's report to show the player's line)
        mine = "▶ " + role.name.split(" (")[0]
        report = page.locator(".sitrep", has_text=f"Turn {turn}, week of")
        report.wait_for(timeout=TURN_TIMEOUT_MS)
        try:
            report.locator(".sitrep-line", has_text=mine).first.wait_for(timeout=TURN_TIMEOUT_MS)
        except PlaywrightTimeout:
            raise AssertionError(
                f"turn {turn}: the report has no line marked {mine!r}: {report.inner_text()!r}"
            ) from None
        assert page.locator(".menu .move").count() > 0, "the menu is empty"
        del label
    assert image_src(page, ".region-map") != first_map, "the map did not change"
    page.get_by_role("button", name="Charts").click()
    image_src(page, ".charts")
    page.get_by_role("button", name="Ladder").click()
    image_src(page, ".ladder")
    no_trouble(network, errors)


@pytest.mark.browser
def test_save_reload_open_and_replay(
    app_url: str, offline_page: tuple[Page, NetworkLog], tmp_path: Path
) -> None:
    page, network = offline_page
    errors = errors_of(page)
    page.goto(app_url + "?scenario=iran_azerbaijan&role=iran&seed=11")
    wait_turn(page, 0)
    for turn in range(1, 4):
        play_a_move(page, turn)
        wait_turn(page, turn)
    # the status changes first: wait for this turn's report, then let the rest of the page in
    third = page.locator(".sitrep", has_text="Turn 3, week of")
    third.wait_for(timeout=TURN_TIMEOUT_MS)
    third.locator(".sitrep-line", has_text="▶ ").first.wait_for(timeout=TURN_TIMEOUT_MS)
    page.wait_for_timeout(500)
    before = status(page)
    score = page.locator(".objectives .score").inner_text()
    report = page.locator(".sitrep").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Save game").click()
    saved = tmp_path / "game.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert len(data["moves"]) == 3

    page.reload()  # the link starts the game again from its start
    wait_turn(page, 0)
    # a tampered file is refused with a message, and nothing changes
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**data, "scenario_hash": "0" * 64}))
    page.locator(".borderline-open-file input").set_input_files(bad)
    page.locator(".load-error").wait_for(timeout=TURN_TIMEOUT_MS)
    assert "has changed since the game was saved" in page.locator(".load-error").inner_text()
    assert "turn 0 of" in status(page)
    # the saved file opens the same game
    page.locator(".borderline-open-file input").set_input_files(saved)
    wait_turn(page, 3)
    for selector, text in (
        (".game-status", before),
        (".objectives .score", score),
        (".sitrep", report),
    ):
        wait_text(page, selector, text)

    # a finished game replays turn by turn, each turn's report as it was
    s = Session.load(data)
    while not s.over:
        s.play_ai()
    finished = tmp_path / "finished.json"
    finished.write_text(s.to_json())
    page.locator(".borderline-open-file input").set_input_files(finished)
    page.locator(".debrief").wait_for(timeout=TURN_TIMEOUT_MS)
    page.locator(".debrief", has_text="AI-played runs").wait_for(timeout=120_000)
    for _ in range(s.turn - 2):
        page.locator(".replay-prev").click()
    replay = page.locator(".replay .sitrep")
    replay.get_by_text("Turn 2, week of").wait_for(timeout=TURN_TIMEOUT_MS)
    for sentence in s.reports[1].sentences:
        page.locator(".replay .sitrep", has_text=sentence.text).wait_for(timeout=TURN_TIMEOUT_MS)
    no_trouble(network, errors)


@pytest.mark.browser
def test_two_tabs_are_two_games(app_url: str, chromium: Browser) -> None:
    a = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    b = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        a.goto(app_url + "?scenario=iran_azerbaijan&role=iran&seed=1")
        b.goto(app_url + "?scenario=nagorno_karabakh_2020&role=armenia&seed=2")
        wait_turn(a, 0)
        wait_turn(b, 0)
        for turn in (1, 2):
            a.locator(".end-turn").click()
            wait_turn(a, turn)
        assert status(b).startswith("You are Armenia") and "· turn 0 of" in status(b)
        b.locator(".end-turn").click()
        wait_turn(b, 1)
        assert status(a).startswith("You are Iran · turn 2 of")
    finally:
        a.context.close()
        b.context.close()


@pytest.mark.browser
def test_a_link_reproduces_the_start(app_url: str, offline_page: tuple[Page, NetworkLog]) -> None:
    page, network = offline_page
    page.goto(app_url + "?scenario=iran_azerbaijan&role=azerbaijan&seed=42")
    wait_turn(page, 0)
    page.locator(".end-turn").click()  # hold
    wait_turn(page, 1)
    s = Session.start("iran_azerbaijan", "azerbaijan", 42)
    rep = s.play("hold", "azerbaijan")
    for sentence in rep.sentences:  # the report renders in steps: wait for each line
        page.locator(".sitrep", has_text=sentence.text).wait_for(timeout=TURN_TIMEOUT_MS)
    page.goto(app_url + "?scenario=atlantis&role=x&seed=1")
    page.get_by_text("does not exist here").wait_for(timeout=TURN_TIMEOUT_MS)
    assert network.blocked == []


@pytest.mark.browser
def test_teacher_free_run(app_url: str, offline_page: tuple[Page, NetworkLog]) -> None:
    page, network = offline_page
    page.goto(app_url + "?scenario=iran_azerbaijan&mode=teacher&seed=3")
    page.get_by_text("free run").wait_for(timeout=PAGE_LOAD_TIMEOUT_S * 1000)
    page.locator(".step").click()
    wait_turn(page, 1)
    page.locator(".play").click()
    wait_turn(page, 3)
    page.locator(".play").click()  # pause
    page.locator(".reset").click()
    wait_turn(page, 0)
    assert page.get_by_text("Mesa").count() == 0 and page.get_by_text("Play Interval").count() == 0
    assert network.blocked == []


@pytest.mark.browser
def test_a_first_time_student_is_told_what_things_mean(
    app_url: str, offline_page: tuple[Page, NetworkLog]
) -> None:
    """What a first playthrough found confusing: the codes are explained from the report and
    the menu, weights are in words, the player's own hold is reported, arms are labelled as
    arms, and an advisor whose war chances are all zero says so and shows the score instead."""
    page, network = offline_page
    page.goto(app_url + "?scenario=iran_azerbaijan&role=azerbaijan&seed=42")
    wait_turn(page, 0)
    assert "(counts double)" in page.locator(".objectives").inner_text()
    assert "(x2)" not in page.locator(".objectives").inner_text()
    page.locator(".end-turn").click()  # hold
    wait_turn(page, 1)
    page.locator(".sitrep", has_text="Azerbaijan held back: no move this turn.").wait_for(
        timeout=TURN_TIMEOUT_MS
    )
    page.locator(".sitrep", has_text="arms order, not a militarized act").wait_for(
        timeout=TURN_TIMEOUT_MS
    )
    page.locator(".sitrep").get_by_text("What do the codes mean?").click()
    page.locator(".sitrep", has_text="MID 7 is no worse than MID 4").wait_for(
        timeout=TURN_TIMEOUT_MS
    )
    assert page.locator(".menu").get_by_text("What do the codes mean?").count() == 1
    quiet = page.locator(".advisor-quiet")
    quiet.wait_for(timeout=180_000)
    assert "No move leads to war in these 200 futures" in quiet.inner_text()
    active = page.locator(".advisor-measure .v-btn--active")
    assert active.inner_text().strip().lower() == "your expected score"
    page.locator(".advisor-measure .v-btn", has_text="Highest hostility").click()
    page.locator(".advisor .v-btn--active", has_text="Highest hostility").wait_for(
        timeout=TURN_TIMEOUT_MS
    )
    assert network.blocked == []
