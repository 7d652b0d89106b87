#!/usr/bin/env python
"""Regenerate the screenshots of the game's main views (docs/img/game/*.png) for the README.

Starts the page as ``make play`` and the browser tests do (``solara run app.py --production``
with Solara's asset proxy on, on a free loopback port), drives the system Chromium with
Playwright at a laptop's viewport (1440x900) and writes:

    start.png      the start screen, a crisis chosen, its countries with briefs and objectives
    play.png       Iran in the Iran-Azerbaijan crisis, seed 42, after three turns, advisor done
    ladder.png     the same game, Ladder view
    charts.png     the same game, Charts view
    alliances.png  the same game, Alliances view
    advisor.png    the right column: the advisor's chart and the menu, a move selected
    debrief.png    a finished game opened from a file: debrief and replay
    teacher.png    the teacher's free run of Nagorno-Karabakh 2020, seed 3, after four steps

Every input is fixed (seeds, moves, the finished game), so a rerun gives the same pictures
unless the page changed. The page may only talk to the local server: any other request is
aborted and makes the script fail, as do errors in the page.

    python scripts/screenshots.py                    # all of them, into docs/img/game/
    python scripts/screenshots.py --out /tmp/shots --port 8790
    python scripts/screenshots.py --only play,advisor

Needs Chromium (``/usr/bin/chromium``, or ``--chromium``/``$BORDERLINE_CHROMIUM``; Debian:
``apt-get install chromium``) and Playwright (in the ``dev`` extra). Takes about a minute.

Exit code: 0 when every screenshot was written; 1 if the page failed (an error, a request
outside the machine, a view that never finished drawing); 2 for bad arguments; 3 if Chromium
or Playwright is missing.

The server and browser helpers here (:func:`serve`, :func:`browser`, :func:`offline_page`)
are the same as tests/e2e/conftest.py's fixtures, without pytest; benchmarks/bench_browser.py
uses them too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests.e2e.browser import NetworkLog, keep_offline, play_a_move  # noqa: E402 - needs REPO on the path

APP = REPO / "app.py"
DEFAULT_OUT = REPO / "docs" / "img" / "game"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
WIDTH, HEIGHT = 1440, 900  # a laptop
SERVER_START_TIMEOUT_S = 90.0
PAGE_LOAD_TIMEOUT_MS = 90_000
TURN_TIMEOUT_MS = 30_000
#: The advisor runs 200 futures of every move in the server's worker processes: seconds.
ADVISOR_TIMEOUT_MS = 180_000
#: The debrief compares the game with 500 AI-played runs.
DEBRIEF_TIMEOUT_MS = 180_000

# The game every play-screen shot shows, and the teacher's free run.
PLAY_SCENARIO, PLAY_ROLE, PLAY_SEED = "iran_azerbaijan", "iran", 42
PLAY_TURNS = 3
TEACHER_SCENARIO, TEACHER_SEED = "nagorno_karabakh_2020", 3
TEACHER_STEPS = 4
START_CRISIS = "iran_azerbaijan"
START_SEED = "42"
DEBRIEF_SEED = 7

SHOTS = ("start", "play", "ladder", "charts", "alliances", "advisor", "debrief", "teacher")


class Trouble(RuntimeError):
    """The page did not do what a screenshot needs (shown to the user, exit code 1)."""


class Missing(RuntimeError):
    """Chromium or Playwright is not there (exit code 3)."""


# -- server and browser (as tests/e2e/conftest.py) --------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_chromium(path: str | None = None) -> str:
    """The Chromium to drive (argument, ``$BORDERLINE_CHROMIUM``, /usr/bin/chromium).

    Raises:
        Missing: if it is not an executable file, or Playwright is not installed.
    """
    path = path or os.environ.get("BORDERLINE_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise Missing(
            f"Chromium not found at {path}. Install it (Debian: apt-get install chromium; "
            "`make test` does this when run as root) or pass --chromium /path/to/chromium "
            "(or set BORDERLINE_CHROMIUM)."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise Missing(
            f"Playwright is not installed ({exc}); run `make test` once, or "
            "`.venv/bin/pip install -e '.[dev]'`."
        ) from exc
    return path


@contextlib.contextmanager
def serve(port: int = 0, env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve app.py with ``solara run --production`` on 127.0.0.1; yields the page's URL.

    ``port`` 0 picks a free one; ``env`` adds to the server's environment.

    Raises:
        Trouble: if the server exits or is not ready within 90 s (with the end of its log).
    """
    with tempfile.TemporaryDirectory(prefix="borderline-solara-") as tmp:
        workdir = Path(tmp)
        home = workdir / "solara-home"
        home.mkdir()
        # Solara's one-time "did the install work" iframe loads solara.dev; mark it as done.
        (home / ".solara_checked").touch()
        log_path = workdir / "server.log"
        port = port or free_port()
        server_env = {
            **os.environ,
            "SOLARA_ASSETS_PROXY": "true",
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
            "SOLARA_HOME": str(home),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        server_env.pop("VSCODE_PID", None)  # Solara turns the asset proxy off when it is set
        command = [sys.executable, "-m", "solara", "run", str(APP), "--production"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--no-open"]
        with log_path.open("w") as log:
            # its own process group, so that stopping it also stops the advisor's worker
            # processes (a plain terminate() leaves them running, orphaned)
            server = subprocess.Popen(
                command,
                cwd=REPO,
                env=server_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                if server.poll() is not None:
                    raise Trouble(
                        f"`solara run app.py` exited with {server.returncode} (port {port} "
                        "taken?):\n" + log_path.read_text()[-4000:]
                    )
                try:
                    with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise Trouble(
                        f"solara server not ready after {SERVER_START_TIMEOUT_S:.0f} s:\n"
                        + log_path.read_text()[-4000:]
                    )
                time.sleep(0.25)
            yield url
        finally:
            stop_group(server)


def stop_group(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process of its group (the forecast pool's workers)."""
    for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
        # the workers may outlive the server by a moment: wait for the group to be empty
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@contextlib.contextmanager
def browser(chromium: str) -> Iterator[Browser]:
    """Headless system Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        b = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watch(NetworkLog):
    """What the page asked for outside the loopback server, failed requests, page errors."""

    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request outside the machine (aborted): {u}" for u in self.blocked]
            + [f"request failed: {u}" for u in self.failed]
            + [f"error in the page: {e}" for e in self.errors]
        )


@contextlib.contextmanager
def offline_page(
    b: Browser, watch: Watch, width: int = WIDTH, height: int = HEIGHT
) -> Iterator[Page]:
    """A fresh page (its own context: its own game) that may only talk to the loopback
    server; everything else is aborted and recorded in ``watch``."""
    context = b.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()

    keep_offline(page, watch)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            watch.errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None
        ),
    )
    try:
        yield page
    finally:
        context.close()


# -- waiting for the page ---------------------------------------------------------------------


def wait_turn(page: Page, turn: int, timeout_ms: float = TURN_TIMEOUT_MS) -> None:
    """Wait until the status line says ``turn N of``."""
    page.locator(".game-status", has_text=re.compile(rf"turn {turn} of \d+")).wait_for(
        timeout=timeout_ms
    )


def wait_start_screen(page: Page, watch: Watch) -> None:
    """Wait for the start screen; fail at once if the page reaches for a CDN instead."""
    heading = page.get_by_text("choose your country")
    deadline = time.monotonic() + PAGE_LOAD_TIMEOUT_MS / 1000
    while not heading.is_visible():
        if watch.blocked:
            raise Trouble(f"the page tried to load from outside hosts: {watch.blocked}")
        if time.monotonic() > deadline:
            raise Trouble("the start screen was not shown")
        page.wait_for_timeout(250)


#: True when nothing on the page is still loading: no running progress bar, no unfinished
#: image, no "Running" advisor, no Solara loading overlay.
SETTLED_JS = """
() => {
  if (document.querySelector('.v-progress-linear__indeterminate--active')) return false;
  if (document.querySelector('.v-progress-circular--indeterminate')) return false;
  for (const img of document.images) {
    if (!(img.complete && img.naturalWidth > 0)) return false;
  }
  const advisor = document.querySelector('.advisor');
  if (advisor && advisor.innerText.includes('Running')) return false;
  const debrief = document.querySelector('.debrief');
  if (debrief && !debrief.innerText.includes('AI-played runs')) return false;
  return true;
}
"""


def settle(page: Page, timeout_ms: float = ADVISOR_TIMEOUT_MS, quiet_ms: int = 600) -> None:
    """Wait until the page has finished drawing, and stays so for ``quiet_ms`` (figures are
    drawn in the background and replace the previous image when ready)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            page.wait_for_function(SETTLED_JS, timeout=remaining, polling=100)
        except Exception as exc:  # playwright's TimeoutError
            raise Trouble(f"the page did not finish drawing ({exc.__class__.__name__})") from exc
        html = page.content()
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(SETTLED_JS) and page.content() == html:
            return
        if time.monotonic() > deadline:
            raise Trouble("the page kept changing; no quiet moment for a screenshot")


def image_src(page: Page, within: str) -> str:
    img = page.locator(within).locator("img").first
    img.wait_for(timeout=TURN_TIMEOUT_MS)
    return img.get_attribute("src") or ""


def wait_new_image(page: Page, within: str, before: str) -> None:
    """Wait until the image in ``within`` is no longer ``before`` (drawn for the new turn)."""
    page.wait_for_function(
        "([sel, before]) => { const i = document.querySelector(sel + ' img');"
        " return i && i.getAttribute('src') !== before && i.complete && i.naturalWidth > 0; }",
        arg=[within, before],
        timeout=TURN_TIMEOUT_MS,
    )


# -- the screenshots --------------------------------------------------------------------------


@dataclass
class Shooter:
    """Takes the screenshots into ``out``; ``done`` lists what was written."""

    url: str
    out: Path
    b: Browser
    watch: Watch
    done: list[tuple[str, str]] = field(default_factory=list)

    def save(self, name: str, png: bytes, what: str) -> None:
        """Write ``png`` as ``name``.png (smaller if possible) and say so."""
        path = self.out / f"{name}.png"
        path.write_bytes(shrink(png))
        self.done.append((name, what))
        print(
            f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}"
            f"  ({path.stat().st_size // 1024} KB)  {what}"
        )

    def page(self) -> contextlib.AbstractContextManager[Page]:
        return offline_page(self.b, self.watch)

    def start(self) -> None:
        with self.page() as page:
            page.goto(self.url)
            wait_start_screen(page, self.watch)
            page.locator(f".choose-{START_CRISIS}").click()
            page.get_by_text("choose your country").wait_for(timeout=TURN_TIMEOUT_MS)
            seed = page.get_by_label("Seed (the same seed and moves give the same game)")
            seed.fill(START_SEED)
            seed.blur()
            settle(page, TURN_TIMEOUT_MS)
            self.save(
                "start",
                full(page),
                "start screen: the crises, one chosen, its countries' briefs and objectives",
            )

    def play(self, names: set[str]) -> None:
        """play, ladder, charts, alliances and advisor: one game, three turns in."""
        q = f"?scenario={PLAY_SCENARIO}&role={PLAY_ROLE}&seed={PLAY_SEED}"
        with self.page() as page:
            page.goto(self.url + q)
            wait_turn(page, 0, PAGE_LOAD_TIMEOUT_MS)
            for turn in range(1, PLAY_TURNS + 1):
                before = image_src(page, ".region-map")
                play_a_move(page, turn)
                wait_turn(page, turn)
                wait_new_image(page, ".region-map", before)
            page.locator(".sitrep", has_text=f"Turn {PLAY_TURNS}, week of").wait_for()
            settle(page)
            game = f"Iran, seed {PLAY_SEED}, turn {PLAY_TURNS}"
            if "play" in names:
                self.save(
                    "play",
                    full(page),
                    f"play screen ({game}): score, report, map, advisor, menu",
                )
            for view, card, what in (
                (
                    "Ladder",
                    ".ladder",
                    "escalation ladder: each pair with the player, now and over the turns",
                ),
                ("Charts", ".charts", "charts: military balance (first tab)"),
                ("Alliances", ".alliance-network", "alliance network"),
            ):
                name = view.lower()
                if name not in names:
                    continue
                page.get_by_role("button", name=view, exact=True).click()
                page.locator(card).locator("img").first.wait_for(timeout=TURN_TIMEOUT_MS)
                settle(page, TURN_TIMEOUT_MS)
                self.save(name, shoot(page), f"{what} ({game})")
            if "advisor" in names:
                page.get_by_role("button", name="Map", exact=True).click()
                # a signalling move: the advisor's line compares it with holding back
                page.locator(".menu .v-btn-toggle .v-btn", has_text="signalling").click()
                page.wait_for_timeout(300)
                choice = page.locator(".menu .move").first
                label = choice.inner_text().strip()
                choice.click()
                page.locator(".move-detail", has_text=label).wait_for(timeout=TURN_TIMEOUT_MS)
                page.locator(".move-detail .advisor-line").wait_for(timeout=TURN_TIMEOUT_MS)
                settle(page, TURN_TIMEOUT_MS)
                # the right column, from the advisor down to the menu (not the buttons below)
                column = page.locator("div.col").filter(has=page.locator(".advisor")).last
                with whole_page(page):
                    page.mouse.move(0, 0)
                    page.wait_for_timeout(200)
                    box = column.bounding_box()
                    menu = page.locator(".menu").bounding_box()
                    if box is None or menu is None:
                        raise Trouble("the advisor's column is not on the page")
                    bottom = menu["y"] + menu["height"] + 12
                    shot = crop_height(
                        column.screenshot(animations="disabled"), round(bottom - box["y"])
                    )
                self.save(
                    "advisor",
                    shot,
                    f"advisor and menu, move {label!r} selected with the advisor's line ({game})",
                )

    def debrief(self) -> None:
        from sim.session import Session

        s = Session.start(PLAY_SCENARIO, PLAY_ROLE, DEBRIEF_SEED)
        while not s.over:
            s.play_ai()
        with tempfile.TemporaryDirectory(prefix="borderline-shots-") as tmp:
            saved = Path(tmp) / "finished_game.json"
            saved.write_text(s.to_json())
            with self.page() as page:
                page.goto(self.url)
                wait_start_screen(page, self.watch)
                page.locator(".borderline-open-file input").set_input_files(saved)
                page.locator(".debrief").wait_for(timeout=TURN_TIMEOUT_MS)
                page.locator(".debrief", has_text="AI-played runs").wait_for(
                    timeout=DEBRIEF_TIMEOUT_MS
                )
                settle(page, DEBRIEF_TIMEOUT_MS)
                self.save(
                    "debrief",
                    full(page),
                    f"debrief of a finished game (Iran, seed {DEBRIEF_SEED}, {s.turn} turns"
                    " played by the AI) and its replay",
                )

    def teacher(self) -> None:
        q = f"?scenario={TEACHER_SCENARIO}&mode=teacher&seed={TEACHER_SEED}"
        with self.page() as page:
            page.goto(self.url + q)
            page.get_by_text("free run").wait_for(timeout=PAGE_LOAD_TIMEOUT_MS)
            wait_turn(page, 0)
            for turn in range(1, TEACHER_STEPS + 1):
                before = image_src(page, ".region-map")
                page.locator(".step").click()
                wait_turn(page, turn)
                wait_new_image(page, ".region-map", before)
            settle(page, TURN_TIMEOUT_MS)
            self.save(
                "teacher",
                full(page),
                f"teacher's free run (Nagorno-Karabakh 2020, seed {TEACHER_SEED}, "
                f"{TEACHER_STEPS} steps)",
            )


#: The height of the page's content: Solara scrolls an inner element, not the document, so
#: Playwright's ``full_page`` sees only the viewport.
CONTENT_HEIGHT_JS = """
() => {
  let h = document.documentElement.scrollHeight;
  for (const el of document.querySelectorAll('div')) {
    const y = getComputedStyle(el).overflowY;
    if ((y === 'auto' || y === 'scroll') && el.clientHeight >= window.innerHeight - 2)
      h = Math.max(h, el.scrollHeight);
  }
  return h;
}
"""


@contextlib.contextmanager
def whole_page(page: Page, limit: int = 4000) -> Iterator[None]:
    """Within: the viewport as tall as the page's content (at most ``limit`` px), so that a
    screenshot shows all of it; the laptop viewport again after."""
    size: ViewportSize = page.viewport_size or {"width": WIDTH, "height": HEIGHT}
    try:
        for _ in range(5):  # the layout may reflow at the new height: until it fits
            height = min(limit, int(page.evaluate(CONTENT_HEIGHT_JS)))
            if height <= (page.viewport_size or size)["height"]:
                break
            page.set_viewport_size({"width": size["width"], "height": height})
            page.wait_for_timeout(300)
        settle(page, TURN_TIMEOUT_MS)
        yield
    finally:
        page.set_viewport_size(size)


def shoot(page: Page) -> bytes:
    """A screenshot of the viewport, the mouse out of the way (no hover highlight)."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(200)
    return page.screenshot(animations="disabled", caret="hide")


def full(page: Page) -> bytes:
    """A screenshot of the whole page, top to bottom."""
    with whole_page(page):
        return shoot(page)


def crop_height(png: bytes, height: int) -> bytes:
    """The top ``height`` pixels of a PNG (the whole of it without Pillow)."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png))
    if height >= image.height:
        return png
    buf = io.BytesIO()
    image.crop((0, 0, image.width, height)).save(buf, format="PNG")
    return buf.getvalue()


def shrink(png: bytes) -> bytes:
    """The PNG in 256 colours when that changes next to no pixel visibly (a third of the
    size: screenshots have few colours), else recompressed losslessly; as is without Pillow."""
    try:
        from PIL import Image, ImageChops
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    best = png
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    diff = ImageChops.difference(image, palette.convert("RGB")).convert("L").histogram()
    candidates = [image]
    if sum(diff[24:]) <= 0.001 * sum(diff):  # at most 0.1% of pixels off by 10% or more
        candidates.insert(0, palette)
    for candidate in candidates:
        buf = io.BytesIO()
        candidate.save(buf, format="PNG", optimize=True)
        if buf.tell() < len(best):
            best = buf.getvalue()
    return best


def take(url: str, out: Path, chromium: str, names: set[str]) -> tuple[list, list[str]]:
    """Take the screenshots ``names``; returns what was written and the page's problems."""
    watch = Watch()
    with browser(chromium) as b:
        shooter = Shooter(url, out, b, watch)
        steps: list[tuple[set[str], Callable[[], Any]]] = [
            ({"start"}, shooter.start),
            ({"play", "ladder", "charts", "alliances", "advisor"}, lambda: shooter.play(names)),
            ({"debrief"}, shooter.debrief),
            ({"teacher"}, shooter.teacher),
        ]
        for wanted, run in steps:
            if wanted & names:
                run()
    return shooter.done, watch.problems()


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; return the exit code."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs (default docs/img/game)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port for the server on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(SHOTS)}")
    parser.add_argument("--chromium", default=None, help="Chromium executable")
    args = parser.parse_args(argv)
    if not 0 <= args.port < 65536:
        parser.error("--port must be 0 (a free one) or 1-65535")
    names = {n.strip() for n in args.only.split(",") if n.strip()} or set(SHOTS)
    if unknown := names - set(SHOTS):
        parser.error(f"--only: unknown screenshot(s) {sorted(unknown)}; choose from {SHOTS}")
    try:
        chromium = find_chromium(args.chromium)
    except Missing as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 3
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"Serving app.py and driving {chromium} at {WIDTH}x{HEIGHT}:")
    t0 = time.monotonic()
    try:
        with serve(args.port) as url:
            done, problems = take(url, args.out, chromium, names)
    except Trouble as exc:
        print(f"screenshots: FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # playwright's TimeoutError and friends: say which step
        print(f"screenshots: FAILED: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    if problems:
        print("screenshots: FAILED: the page had problems:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(
        f"{len(done)} screenshot(s) in {time.monotonic() - t0:.0f} s; no request left the machine."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
