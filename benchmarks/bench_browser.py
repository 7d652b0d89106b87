#!/usr/bin/env python
"""Benchmark: how fast the page answers End turn, in the real browser (issue 8's figure).

"A turn without forecasts responds in under 300 ms in the browser." The page is served as
``make play`` serves it (``solara run app.py --production``, the asset proxy on, a free loopback
port) and driven in the system Chromium with Playwright, offline. For each turn the player
holds (the move selected by default) and the script measures, inside the page, from the click
on End turn (``.end-turn``) to the frame in which

* the status line (``.game-status``) shows the next turn number,
* the situation report (``.sitrep``) shows "Turn N, week of ...",
* the map (``.region-map img``) shows a new image (drawn in the background, decoded).

The forecasts cannot be switched off in the page (``BORDERLINE_FORECAST_WORKERS`` only sizes
their pool), so by default each click waits for the advisor to finish: no forecast is running
when End turn is clicked, and the turn's own forecast starts behind it as it does for a player.
``--no-wait-advisor`` clicks as soon as the map is drawn, with the last forecast still running.

A reference series plays the same number of turns in the teacher's free run (Step; the AI
plays every country and no advisor runs: a turn with no forecast at all), so the cost of the
forecast starting behind a turn shows (``--no-teacher`` skips it).

Baselines, in the same run, in-process, for the same turns: ``Session.play`` (the engine's
turn, the report and the score) and the map drawn as the page draws it (figure and PNG), so the
ratios browser/engine say how much of a turn is the engine and how much the page. When the
game ends before ``--turns`` turns (holding settles a crisis), the next seed is played. The
target is met when the 90th percentile of the turn response (the later of status and report)
is under 300 ms.

    python benchmarks/bench_browser.py                       # 10 turns each (about 2 minutes)
    python benchmarks/bench_browser.py --turns 20 --seed 7 --no-wait-advisor
    python benchmarks/bench_browser.py --scenario nagorno_karabakh_2020 --role armenia

Exit code: 0 when measured; 1 if the page failed (an error, a request outside the machine, a
turn not shown within 30 s); 2 for bad arguments; with --strict, 3 if the target is missed;
4 if Chromium or Playwright is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from sim.session import Session

TARGET_MS = 300.0
SIGNALS = ("status", "report", "map")
LABELS = {
    "status": "status line (.game-status)",
    "report": "situation report (.sitrep)",
    "map": "map image (.region-map img)",
    "response": "turn response (status + report)",
}
TURN_TIMEOUT_MS = 30_000
ADVISOR_TIMEOUT_MS = 180_000


def _helpers() -> ModuleType:
    """scripts/screenshots.py: the server and browser helpers (as the e2e tests' fixtures)."""
    path = REPO / "scripts" / "screenshots.py"
    spec = importlib.util.spec_from_file_location("borderline_screenshots", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


#: Installed before each click: records, in page time, the click on End turn and the first
#: animation frame in which each signal shows the new turn.
WATCH_JS = r"""
([turn, mapBefore]) => {
  const b = {t0: null, status: null, report: null, map: null};
  window.__bench = b;
  const statusRe = new RegExp('\\bturn ' + turn + ' of \\d+');
  const reportText = 'Turn ' + turn + ', week of';
  const seen = {};
  const mark = (key) => {
    if (seen[key]) return;
    seen[key] = true;
    requestAnimationFrame(() => { b[key] = performance.now() - b.t0; });
  };
  const check = () => {
    if (b.t0 === null) return;
    const st = document.querySelector('.game-status');
    if (st && statusRe.test(st.textContent)) mark('status');
    const rep = document.querySelector('.sitrep');
    if (rep && rep.textContent.includes(reportText)) mark('report');
    const img = document.querySelector('.region-map img');
    if (!seen.map && img && img.getAttribute('src') !== mapBefore) {
      seen.map = true;
      img.decode().catch(() => null).then(
        () => requestAnimationFrame(() => { b.map = performance.now() - b.t0; }));
    }
    if (seen.status && seen.report && seen.map) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                   attributes: true});
  document.addEventListener('click', (e) => {
    if (e.target.closest && e.target.closest('.end-turn')) { b.t0 = performance.now(); check(); }
  }, {capture: true, once: true});
  return true;
}
"""

DONE_JS = (
    "() => window.__bench && ['status', 'report', 'map'].every(k => window.__bench[k] !== null)"
)


@dataclass
class Turn:
    seed: int
    turn: int
    status: float
    report: float
    map: float

    @property
    def response(self) -> float:
        return max(self.status, self.report)


def advance(session: Session, role: str, teacher: bool) -> None:
    """One turn as the page plays it: the player holds, or (teacher's Step) the AI plays all."""
    if teacher:
        session.play_ai()
    else:
        session.play("hold", role)


def playable_turns(scenario: str, role: str, seed: int, teacher: bool) -> int:
    """How many turns the game lasts before its last turn (that one ends it and shows the
    debrief instead of the play screen)."""
    from sim.session import Session

    s = Session.start(scenario, role, seed)
    n = 0
    while True:
        advance(s, role, teacher)
        if s.over:
            return n
        n += 1


def plan(scenario: str, role: str, seed: int, turns: int, teacher: bool) -> list[tuple[int, int]]:
    """The (seed, number of turns) of each game needed to play ``turns`` turns."""
    games: list[tuple[int, int]] = []
    total, s = 0, seed
    while total < turns:
        if s > seed + 50:
            raise SystemExit(f"bench_browser: the games of seeds {seed}..{s} end at once")
        n = min(playable_turns(scenario, role, s, teacher), turns - total)
        if n > 0:
            games.append((s, n))
            total += n
        s += 1
    return games


def wait_advisor(page: Page) -> None:
    """Wait until the advisor has finished its forecast."""
    page.wait_for_function(
        "() => { const a = document.querySelector('.advisor');"
        " return a && !a.innerText.includes('Running'); }",
        timeout=ADVISOR_TIMEOUT_MS,
        polling=100,
    )


def map_ready(page: Page) -> str:
    """The map's image once it is drawn and decoded; its src."""
    page.wait_for_function(
        "() => { const i = document.querySelector('.region-map img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=TURN_TIMEOUT_MS,
    )
    return page.locator(".region-map img").first.get_attribute("src") or ""


@dataclass
class Run:
    """One series of turns in the browser: the measured turns and the warm-up turn."""

    teacher: bool
    turns: list[Turn] = field(default_factory=list)
    warmup: Turn | None = None


def measure(
    h: ModuleType,
    page: Page,
    url: str,
    scenario: str,
    role: str,
    games: list[tuple[int, int]],
    teacher: bool,
    wait_for_advisor: bool,
) -> Run:
    """Play the games in the page, clicking End turn (or the teacher's Step) each turn."""
    run = Run(teacher)
    button = ".step" if teacher else ".end-turn"
    watch_js = WATCH_JS.replace(".end-turn", button)
    mode = "&mode=teacher" if teacher else ""
    for seed, n in games:
        page.goto(f"{url}?scenario={scenario}&role={role}&seed={seed}{mode}")
        h.wait_turn(page, 0, 90_000)
        for turn in range(1, n + 1):
            src = map_ready(page)
            if wait_for_advisor and not teacher:
                wait_advisor(page)
            page.wait_for_timeout(300)  # let the page go quiet
            page.evaluate(watch_js, [turn, src])
            page.locator(button).click()
            page.wait_for_function(DONE_JS, timeout=TURN_TIMEOUT_MS, polling=50)
            t = page.evaluate("() => window.__bench")
            row = Turn(seed, turn, t["status"], t["report"], t["map"])
            if run.warmup is None:  # the first turn: first-call costs, not counted
                run.warmup = row
            else:
                run.turns.append(row)
    return run


def baseline(
    scenario: str, role: str, turns: list[Turn], teacher: bool
) -> tuple[list[float], list[float]]:
    """In-process, for the same (seed, turn) pairs: the turn (``Session.play`` holding, or
    ``play_ai``) and the map drawn as the page draws it (figure and PNG), in ms."""
    from sim.session import Session
    from sim.ui.figures import png_bytes
    from sim.ui.map import map_figure

    # warm up: imports, the scenario's preparation, first-call costs
    warm = Session.start(scenario, role, turns[0].seed)
    advance(warm, role, teacher)
    png_bytes(map_figure(warm))
    engine: list[float] = []
    drawing: list[float] = []
    for seed in dict.fromkeys(t.seed for t in turns):
        wanted = {t.turn for t in turns if t.seed == seed}
        s = Session.start(scenario, role, seed)
        for turn in range(1, max(wanted) + 1):
            t0 = time.perf_counter()
            advance(s, role, teacher)
            t1 = time.perf_counter()
            if turn in wanted:
                png_bytes(map_figure(s))
                engine.append(1000 * (t1 - t0))
                drawing.append(1000 * (time.perf_counter() - t1))
    return engine, drawing


def p90(values: list[float]) -> float:
    """The 90th percentile (inclusive method; the value itself for one sample)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def table(run: Run) -> None:
    """Print median, p90 and max of each signal of a run."""
    first = "from the click on Step to" if run.teacher else "from the click on End turn to"
    print(f"  {first:<36}{'median ms':>10}{'p90 ms':>9}{'max ms':>9}")
    for key in (*SIGNALS, "response"):
        v = [getattr(t, key) for t in run.turns]
        print(f"  {LABELS[key]:<36}{statistics.median(v):>10.0f}{p90(v):>9.0f}{max(v):>9.0f}")
    if run.warmup is not None:
        w = run.warmup
        print(
            f"  (warm-up turn, not counted: status {w.status:.0f}, report {w.report:.0f},"
            f" map {w.map:.0f} ms)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=10, help="measured turns (default 10)")
    parser.add_argument("--scenario", default="iran_azerbaijan", help="scenario id")
    parser.add_argument("--role", default="iran", help="the country played (default iran)")
    parser.add_argument("--seed", type=int, default=42, help="first seed (default 42)")
    parser.add_argument(
        "--port", type=int, default=0, help="port for the server on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument("--chromium", default=None, help="Chromium executable")
    parser.add_argument(
        "--forecast-workers",
        type=int,
        default=0,
        help="BORDERLINE_FORECAST_WORKERS for the server (default: its own, one per CPU)",
    )
    parser.add_argument(
        "--no-wait-advisor",
        dest="wait_advisor",
        action="store_false",
        help="click End turn without waiting for the advisor's forecast to finish",
    )
    parser.add_argument(
        "--no-teacher",
        dest="teacher",
        action="store_false",
        help="skip the reference series in the teacher's free run (no advisor)",
    )
    parser.add_argument(
        "--strict", action="store_true", help=f"exit 3 if the target ({TARGET_MS:.0f} ms) is missed"
    )
    args = parser.parse_args(argv)
    if args.turns < 1 or args.seed < 0 or args.forecast_workers < 0:
        parser.error("--turns must be >= 1, --seed and --forecast-workers >= 0")
    if not 0 <= args.port < 65536:
        parser.error("--port must be 0 (a free one) or 1-65535")

    h = _helpers()
    try:
        chromium = h.find_chromium(args.chromium)
    except h.Missing as exc:
        print(f"bench_browser: {exc}", file=sys.stderr)
        return 4
    from sim.scenario import ScenarioError
    from sim.session import SessionError

    modes = [False, True] if args.teacher else [False]
    try:
        # one more turn than measured: the first is a warm-up
        plans = {m: plan(args.scenario, args.role, args.seed, args.turns + 1, m) for m in modes}
    except (SessionError, ScenarioError, KeyError, ValueError) as exc:
        parser.error(f"cannot play {args.scenario} as {args.role}: {exc}")

    watch = h.Watch()
    runs: dict[bool, Run] = {}
    try:
        env = {"BORDERLINE_FORECAST_WORKERS": str(args.forecast_workers)}
        with (
            h.serve(args.port, env if args.forecast_workers else None) as url,
            h.browser(chromium) as b,
        ):
            version = b.version
            for m in modes:
                with h.offline_page(b, watch) as page:
                    runs[m] = measure(
                        h, page, url, args.scenario, args.role, plans[m], m, args.wait_advisor
                    )
    except h.Trouble as exc:
        print(f"bench_browser: FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # playwright's TimeoutError and friends
        print(f"bench_browser: FAILED: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    if problems := watch.problems():
        print("bench_browser: FAILED: the page had problems:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1

    import sim

    play = runs[False]
    engine, drawing = baseline(args.scenario, args.role, play.turns, teacher=False)
    seeds = sorted({t.seed for t in play.turns})
    print(
        f"Borderline {sim.__version__}, Chromium {version}; {args.scenario} as {args.role}, "
        f"seed(s) {', '.join(map(str, seeds))}; {len(play.turns)} measured turns each"
        + (f"; {args.forecast_workers} forecast worker(s)" if args.forecast_workers else "")
    )
    print()
    print(
        "1. the play screen: the player holds each turn; the advisor's forecast starts behind"
        " the turn\n   "
        + (
            "(the previous forecast had finished before each click)"
            if args.wait_advisor
            else "(clicked without waiting for the previous forecast)"
        )
    )
    table(play)
    if True in runs:
        print()
        print("2. reference: the teacher's free run, Step (the AI plays every country; no advisor)")
        table(runs[True])
    print()
    engine_ms, drawing_ms = statistics.median(engine), statistics.median(drawing)
    response = [t.response for t in play.turns]
    map_ms = statistics.median([t.map for t in play.turns])
    print(
        f"baseline, in-process, the same turns: Session.play median {engine_ms:.1f} ms "
        f"(p90 {p90(engine):.1f}); the map drawn (map_figure + PNG) median {drawing_ms:.0f} ms"
    )
    print(
        f"ratio browser/engine: turn response {statistics.median(response) / engine_ms:.1f}x "
        f"Session.play; map in the page {map_ms / drawing_ms:.1f}x drawing it"
    )
    print()
    worst = p90(response)
    met = worst < TARGET_MS
    print(
        f"turn response (status + report) < {TARGET_MS:.0f} ms: {'ok' if met else 'MISS'} "
        f"(p90 {worst:.0f} ms, median {statistics.median(response):.0f} ms)"
    )
    print("no request left the machine; no error in the page.")
    return 3 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
