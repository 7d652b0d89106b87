"""End-to-end: the dashboard loads offline, plays turns, and shows the ladder and the event log."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pytest

from sim.ladder import MID_ACTION_NAMES

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.e2e.conftest import NetworkLog

TITLE = "Borderline — Iran–Azerbaijan border tension"
MAX_STEPS = 8  # steps to wait at most for a first coded action
PAGE_LOAD_TIMEOUT_S = 60.0


def _wait_for_title(page: Page, network: NetworkLog) -> None:
    """Wait for the app bar title; fail at once when the page reaches for a CDN instead."""
    title = page.get_by_text(TITLE)
    deadline = time.monotonic() + PAGE_LOAD_TIMEOUT_S
    while not title.is_visible():
        assert not network.blocked, (
            "the page tried to load from outside hosts (is SOLARA_ASSETS_PROXY off, or "
            f"solara-assets missing?): {network.blocked}"
        )
        assert time.monotonic() < deadline, f"title {TITLE!r} not shown in {PAGE_LOAD_TIMEOUT_S} s"
        page.wait_for_timeout(250)


@pytest.mark.browser
def test_free_run_plays_offline(app_url: str, offline_page: tuple[Page, NetworkLog]) -> None:
    from playwright.sync_api import expect

    page, network = offline_page
    page.goto(app_url)
    _wait_for_title(page, network)

    chart = page.locator(".v-card", has_text="Escalation ladder by dyad")
    log = page.locator(".v-card", has_text="Coded event log")
    expect(chart).to_be_visible()
    expect(log).to_be_visible()

    step = page.get_by_role("button", name="Step")
    rows = log.locator("tr.event-row")
    image = chart.locator("img").first
    first_image = ""
    for turn in range(1, MAX_STEPS + 1):
        step.click()
        expect(chart.get_by_text(f"after turn {turn}")).to_be_visible(timeout=15_000)
        if turn == 1:
            first_image = image.get_attribute("src") or ""
        if turn >= 3 and rows.count() > 0:
            break
    assert rows.count() > 0, f"no coded action in the event log after {MAX_STEPS} turns"

    # the chart is a rendered image, not an empty placeholder, and it was redrawn
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "rung chart is blank"
    assert image.get_attribute("src") != first_image, "rung chart did not change after turn 1"
    expect(log).to_contain_text("Azerbaijan")

    # newest first, and every row carries a MID action code with its codebook name
    cells = rows.first.locator("td")
    first_turn = int(cells.nth(0).inner_text())
    last_turn = int(rows.last.locator("td").nth(0).inner_text())
    assert first_turn >= last_turn
    mid_cell = cells.nth(5)
    code = int(rows.first.get_attribute("data-mid-action") or "-1")
    assert 0 <= code < len(MID_ACTION_NAMES)
    assert mid_cell.get_attribute("title") == f"MID action {code} {MID_ACTION_NAMES[code]}"
    assert re.fullmatch(rf"{code} \S.*", mid_cell.inner_text().strip())

    assert network.blocked == [], f"page tried to reach outside hosts: {network.blocked}"
    assert network.failed == [], f"requests failed: {network.failed}"


@pytest.mark.browser
def test_typed_seed_and_reset(app_url: str, offline_page: tuple[Page, NetworkLog]) -> None:
    """The seed field sends text; Reset must build a new run from it, not crash."""
    from playwright.sync_api import expect

    page, network = offline_page
    page.goto(app_url)
    _wait_for_title(page, network)
    chart = page.locator(".v-card", has_text="Escalation ladder by dyad")

    page.get_by_role("button", name="Step").click()
    expect(chart.get_by_text("after turn 1")).to_be_visible(timeout=15_000)
    seed = page.get_by_label("Seed")
    seed.fill("7")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(chart.get_by_text("after turn 0")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Step").click()
    expect(chart.get_by_text("after turn 1")).to_be_visible(timeout=15_000)
    assert network.blocked == [], f"page tried to reach outside hosts: {network.blocked}"
