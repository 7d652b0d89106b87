"""What the browser tests and scripts/screenshots.py both do to a page (no pytest here, so the
script can import it): keep it on the loopback server, and play a move as a student would.

Every request to another host is aborted and recorded, as are failed requests and answers of
HTTP 400 or more: the game must work with no network, as in a classroom without one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response, Route

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TURN_TIMEOUT_MS = 30_000


@dataclass
class NetworkLog:
    """What the page asked for outside the loopback server, and which requests failed."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def keep_offline(page: Page, network: NetworkLog) -> None:
    """Abort the page's requests to other hosts and record them, and failures, in ``network``."""

    def guard(route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob"} or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            network.blocked.append(request.url)
            route.abort("blockedbyclient")

    def failed(request: Request) -> None:
        if request.url not in network.blocked:
            network.failed.append(f"{request.url} ({request.failure})")

    def answered(response: Response) -> None:
        if response.status >= 400:
            network.failed.append(f"{response.url} (HTTP {response.status})")

    page.route("**/*", guard)
    page.on("requestfailed", failed)
    page.on("response", answered)


def play_a_move(page: Page, turn: int) -> str:
    """Click a move of some kind (a different kind each turn, the second move of its list),
    then End turn; returns the move's label. Deterministic: the same turn, the same click."""
    # the status shows the new turn before the page has replaced the last turn's menu: wait
    # for this turn's (a kind clicked in the old menu would be lost with it)
    menu = f".menu-turn-{turn - 1}"
    page.locator(menu).wait_for(timeout=TURN_TIMEOUT_MS)
    kinds = page.locator(f"{menu} .v-btn-toggle .v-btn")
    kinds.first.wait_for(timeout=TURN_TIMEOUT_MS)
    kind = kinds.nth(turn % kinds.count())
    # the list the server rendered for that kind (the button turns active before it does)
    shown = f"{menu} .moves-{kind.inner_text().strip().lower().replace(' ', '-')}"
    if "v-btn--active" not in (kind.get_attribute("class") or ""):
        kind.click()
    moves = page.locator(f"{shown} .move")
    moves.first.wait_for(timeout=TURN_TIMEOUT_MS)
    # selecting changes nothing else, so a click that met a list still being redrawn (its
    # label and its button no longer the same move) is simply tried again
    deadline = time.monotonic() + TURN_TIMEOUT_MS / 1000
    while True:
        choice = moves.nth(min(1, moves.count() - 1))
        label = choice.inner_text().strip()
        choice.click()
        try:
            page.locator(".move-detail", has_text=label).wait_for(timeout=3_000)
            break
        except Exception as exc:  # say what the page showed instead
            if time.monotonic() < deadline:
                continue
            detail = page.locator(".move-detail")
            showing = detail.first.inner_text() if detail.count() else "(no move detail)"
            raise AssertionError(
                f"turn {turn}: clicked {label!r}, but the move detail shows {showing!r}; "
                f"the menu: {page.locator('.menu').inner_text()!r}"
            ) from exc
    page.locator(".end-turn").click()
    return label
