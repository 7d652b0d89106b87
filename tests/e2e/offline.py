"""Keep a Playwright page on the loopback server (shared by the browser tests and
scripts/screenshots.py; no pytest here, so the script can import it).

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
