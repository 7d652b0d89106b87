"""Fixtures for end-to-end tests: a real ``solara run app.py`` server and the system Chromium.

The server is started as ``make play`` starts it (``solara run app.py --production``), on a
free loopback port, with Solara's asset proxy on so that the page loads nothing from a CDN.
Playwright cannot download its own browser here, so the tests drive the system Chromium
(``/usr/bin/chromium``, or ``$BORDERLINE_CHROMIUM``); when it is missing they fail under CI and
are skipped elsewhere.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.browser import NetworkLog, keep_offline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
SERVER_START_TIMEOUT_S = 90.0


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium to drive; skips (fails under CI) when there is none."""
    path = os.environ.get("BORDERLINE_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = (
            f"Chromium not found at {path}: the browser tests need it. Install it (Debian: "
            "apt-get install chromium; `make test` does this when run as root) or set "
            "BORDERLINE_CHROMIUM=/path/to/chromium."
        )
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """Serve app.py with ``solara run`` on a free loopback port; yields the page's URL.

    Asks for ``chromium_path`` only so that a missing browser skips before the server starts.
    """
    workdir = tmp_path_factory.mktemp("solara")
    home = workdir / "solara-home"
    home.mkdir()
    # Solara's one-time "did the install work" iframe loads solara.dev; mark it as done.
    (home / ".solara_checked").touch()
    log_path = workdir / "server.log"
    port = _free_port()
    env = {
        **os.environ,
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_HOME": str(home),
        "PYTHONUNBUFFERED": "1",
    }
    # as `make play` runs it (see the Makefile for why --production)
    command = [sys.executable, "-m", "solara", "run", str(APP), "--production"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-open"]
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"`solara run app.py` exited with {server.returncode}:\n"
                    + log_path.read_text()[-4000:],
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"solara server not ready after {SERVER_START_TIMEOUT_S:.0f} s:\n"
                    + log_path.read_text()[-4000:],
                    pytrace=False,
                )
            time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def chromium(chromium_path: str) -> Iterator[Browser]:
    """Headless system Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def offline_page(chromium: Browser) -> Iterator[tuple[Page, NetworkLog]]:
    """A fresh page that may only talk to the loopback server; everything else is aborted."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    network = NetworkLog()
    keep_offline(page, network)
    try:
        yield page, network
    finally:
        context.close()
