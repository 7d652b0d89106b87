"""What the browser tests and scripts/screenshots.py both do to a page (no pytest here, so the
script can import it): keep it on the loopback server, and play a move as a student would.

Every request to another host is aborted and recorded, as are failed requests and answers of
HTTP 400 or more: the game must work with no network, as in a classroom without one.
"""

from __future__ import annotations

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
    kinds = page.locator(".menu .v-btn-toggle .v-btn")
    kinds.first.wait_for(timeout=TURN_TIMEOUT_MS)
    kind = kinds.nth(turn % kinds.count())
    moves = page.locator(".menu .move")
    moves.first.wait_for(timeout=TURN_TIMEOUT_MS)
    before = moves.first.inner_text()
    if "v-btn--active" not in (kind.get_attribute("class") or ""):
        kind.click()
        page.wait_for_function(
            "b => document.querySelector('.menu .move').innerText !== b",
            arg=before,
            timeout=TURN_TIMEOUT_MS,
        )
    page.wait_for_timeout(300)  # let the new list settle
    moves = page.locator(".menu .move")
    choice = moves.nth(min(1, moves.count() - 1))
    label = choice.inner_text().strip()
    choice.click()
    page.locator(".move-detail", has_text=label).wait_for(timeout=TURN_TIMEOUT_MS)
    page.locator(".end-turn").click()
    return label
