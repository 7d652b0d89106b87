"""The game page: pick a crisis and a country, play it turn by turn, read the debrief.

Front end only: every rule, choice and number comes from :class:`sim.session.Session`; these
components show a session and call its methods. Each browser tab renders its own ``Game``, so
each tab is its own game. The screens:

* **start**: every playable crisis with its summary; pick one, then a country: its brief and the
  objectives its leader is scored on; a seed (the same seed and moves give the same game);
* **play**: the date, the score and the objectives; the situation report; the map, the ladder,
  the charts and the alliance network; the menu of legal moves, each with its coding, cost and
  the advisor's line (simulated futures, run in the background); End turn, Undo, Save, Load;
* **debrief**: the outcome, the score against the objectives, the turning points, and where the
  game falls among AI-played runs of the same crisis; Replay steps through the finished game;
* **teacher**: a free run with every country played by the AI (step, play, reset).

A URL ``?scenario=ID&role=ID&seed=N`` starts that game directly (``&mode=teacher`` for a free
run), so a link reproduces the start of a game.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import solara

from sim.ladder import MID_LEVEL_NAMES, RUNG_MID_LEVEL, RUNG_NAMES
from sim.report import Sentence, act_code
from sim.scenario import ScenarioError
from sim.session import (
    FUTURES,
    MAX_SAVE_BYTES,
    CrisisEntry,
    Debrief,
    Forecast,
    ForecastCancelled,
    IllegalMove,
    MoveForecast,
    MoveOption,
    Session,
    SessionError,
    TurnReport,
    debrief,
    forecast_pool,
    playable,
)
from sim.ui.charts import ADVISOR_MEASURES, AdvisorChart, Charts, Ladder, quiet_sentence
from sim.ui.map import AllianceNetwork, RegionMap

#: The colour of each band of the ladder, for chips in the menu and the report.
BAND_COLOURS = {0: "#d5e8cc", 3: "#e3ecf7", 5: "#f6dca5", 7: "#eeb4ab", 8: "#c9302c"}
#: Text styles for headings (solara.Markdown would load KaTeX from a CDN: not offline).
HEADING = {
    "title": {"font-size": "2em", "font-weight": "500", "display": "block"},
    "section": {"font-size": "1.4em", "font-weight": "500", "display": "block"},
    "score": {"font-size": "2.2em", "font-weight": "500", "display": "block"},
}
KIND_ORDER = ("diplomacy", "economy", "gray zone", "signalling", "force", "war")
VIEWS = ("Map", "Ladder", "Charts", "Alliances")
#: Background of the chip of a news line (what the rules did: not an act on the ladder).
NEWS_COLOUR = "#e4e4e4"
#: What each rung of the ladder means, in plain words (the names are sim.ladder's).
RUNG_MEANINGS: tuple[str, ...] = (
    "ordinary dealings: visits, talks, concessions, arms bought from partners",
    "a public complaint",
    "diplomats expelled or ties cut",
    "sanctions, levies on trade, closed trade routes",
    "hidden or deniable hostility: cyber attacks, covert operations, arrests, proxies",
    "a threat to use force or to go to war",
    "troops shown: drills, alerts, mobilization, a fortified border",
    "force used: strikes, border clashes, a blockade, a seized corridor",
    "open war between the armies",
)
#: What the MID hostility levels 1-5 cover (the codebook groups the 21 action codes by level).
MID_LEVEL_CODES: tuple[str, ...] = (
    "",
    "code 0",
    "codes 1-6: threats",
    "codes 7-12: shows of force, alerts, mobilization, border violations",
    "codes 13-19: blockades, occupations, seizures, attacks, clashes",
    "codes 20-21: interstate war",
)
#: Seconds between turns in the teacher's free run.
FREE_RUN_INTERVAL_S = 0.8
MAX_SEED = 2**63


def band_colour(rung: int) -> str:
    """Background of a chip for a rung of the ladder."""
    colour = BAND_COLOURS[0]
    for low, c in sorted(BAND_COLOURS.items()):
        if rung >= low:
            colour = c
    return colour


@dataclass(frozen=True)
class Start:
    """What a game starts from: a crisis, a country and a seed (and the mode)."""

    scenario: str
    role: str
    seed: int
    teacher: bool = False

    def query(self) -> str:
        q = {"scenario": self.scenario, "role": self.role, "seed": str(self.seed)}
        if self.teacher:
            q["mode"] = "teacher"
        return "?" + urlencode(q)


def parse_start(search: str | None, crises: list[CrisisEntry]) -> tuple[Start | None, str]:
    """The game a URL's query asks for, or None and why not ('' when it asks for none)."""
    q = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    if not q.get("scenario"):
        return None, ""
    sid, role, seed_text = q.get("scenario", ""), q.get("role", ""), q.get("seed", "")
    by_id = {c.id: c for c in crises}
    if sid not in by_id:
        return None, f"The link asks for a crisis {sid!r} that does not exist here."
    roles = [r.actor for r in by_id[sid].roles]
    if role not in roles:
        role = roles[0] if q.get("mode") == "teacher" and not role else role
        if role not in roles:
            return None, f"The link asks for a country {role!r} that {sid} cannot be played as."
    if not seed_text.isdigit() or int(seed_text) >= MAX_SEED:
        return None, f"The link's seed {seed_text!r} is not a whole number."
    return Start(sid, role, int(seed_text), q.get("mode") == "teacher"), ""


def weight_words(weight: float) -> str:
    """How much an objective counts in the score, in words ('' for the usual weight 1)."""
    if weight == 1:
        return ""
    words = {
        0.5: "counts half",
        2: "counts double",
        3: "counts three times",
        4: "counts four times",
    }
    return words.get(weight, f"counts {weight:g} times")


def objective_label(text: str, weight: float) -> str:
    """An objective as the score card shows it: "Avoid war (counts double)"."""
    words = weight_words(weight)
    return f"{text} ({words})" if words else text


# -- small pieces ---------------------------------------------------------------------------


@solara.component
def Chip(text: str, rung: int, news: bool = False) -> None:
    solara.Text(
        text,
        classes=["chip-news" if news else "chip"],
        style={
            "background": NEWS_COLOUR if news else band_colour(rung),
            "color": "white" if rung >= 8 else "#222",
            "border-radius": "10px",
            "padding": "1px 8px",
            "font-size": "0.8em",
            "white-space": "nowrap",
        },
    )


@solara.component
def CodesHelp() -> None:
    """What the chips of the report and the menu mean: the ladder's rungs and the MID codes."""
    small = {"font-size": "0.85em", "display": "block"}
    with solara.Column(classes=["codes-help"]), solara.Details("What do the codes mean?"):
        solara.Text(
            "Each act has a chip. Its first part is the act's rung on the escalation ladder, "
            "from 0 (normal relations) to 8 (war); its colour is the rung's band: green for "
            "diplomacy (0-2), pale blue for economic and gray-zone pressure (3-4), amber for "
            "threats and displays of force (5-6), red for a use of force (7), dark red for "
            "war (8).",
            style=small,
        )
        for rung, name in enumerate(RUNG_NAMES):
            solara.Text(
                f"{rung} {name}: {RUNG_MEANINGS[rung]} (MID level {RUNG_MID_LEVEL[rung]})",
                style={**small, "margin-left": "10px"},
                classes=["rung-help"],
            )
        solara.Text(
            'A military act also has its MID code, as in "MID 7 (show of force)": its '
            "number among the 21 kinds of act of the Militarized Interstate Disputes data "
            "(Correlates of War project), which researchers use to record real crises. The "
            "code is a kind of act, not a score: MID 7 is no worse than MID 4. The codes fall "
            "into five hostility levels:",
            style={**small, "margin-top": "6px"},
        )
        for level in range(1, 6):
            solara.Text(
                f"level {level} {MID_LEVEL_NAMES[level]} ({MID_LEVEL_CODES[level]})",
                style={**small, "margin-left": "10px"},
                classes=["level-help"],
            )
        solara.Text(
            "Grey chips are news: what happened that turn without being anyone's move "
            "(arms arriving, mediation, a front collapsing).",
            style={**small, "margin-top": "6px"},
        )


@solara.component
def Objectives(session: Session, turn: int) -> None:
    """The score and one bar per objective, as it stands now."""
    view = session.state_view()
    scores = session.scores
    with solara.Card("Your score", classes=["objectives"]):
        solara.Text(f"{view.score:.0f} of 100", classes=["score"], style=HEADING["score"])
        if scores:
            before = scores[-2] if len(scores) > 1 else session.upto(0).score
            change = round(scores[-1]) - round(before)
            solara.Text(
                f"Last turn scored {scores[-1]:.0f} ({change:+d} on the turn before); your "
                "score is the average of your turns so far.",
                classes=["score-turn"],
                style={"font-size": "0.8em", "color": "#555", "display": "block"},
            )
        else:
            solara.Text(
                "Each turn scores your objectives below (0-100 each); your score is the "
                "average of your turns.",
                style={"font-size": "0.8em", "color": "#555", "display": "block"},
            )
        for text, weight, value in view.objectives:
            solara.Text(
                f"{objective_label(text, weight)}: {value:.0f}",
                classes=["objective"],
                style={"font-size": "0.9em", "display": "block"},
            )
            solara.ProgressLinear(value=max(0.0, min(100.0, value)), color="teal")


def is_yours(sentence: Sentence, you: str | None) -> bool:
    """Whether a report line is the played country's own move (marked ▶ on the page)."""
    return sentence.source == "player" or (
        you is not None and sentence.kind == "action" and sentence.actor == you
    )


@solara.component
def Report(
    report: TurnReport | None, title: str = "Situation report", you: str | None = None
) -> None:
    """One turn's situation report: plain sentences, then their code.

    ``you``: the played country's id; its moves are marked with ▶, whether the player chose
    them or let the computer decide. ``None`` in the teacher's free run (no one is played).
    """
    with solara.Card(title, classes=["sitrep"]):
        if report is None:
            if you is None:
                solara.Text("Nothing has happened yet: Step or Play runs the first turn.")
            else:
                solara.Text("Nothing has happened yet: your first move opens the crisis.")
            return
        solara.Text(f"Turn {report.turn}, week of {report.date:%d %B %Y}", style={"color": "#666"})
        if not report.sentences:
            solara.Text("A quiet week: no one acted.")
        for s in report.sentences:
            with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
                mark = "▶ " if is_yours(s, you) else ""
                solara.Text(mark + s.text, classes=["sitrep-line"])
                if s.code:
                    Chip(s.code, s.rung, news=s.kind == "news")
        CodesHelp()


@solara.component
def AdvisorLine(option: MoveOption, forecast: Forecast | None, hold: str) -> None:
    if forecast is None:
        return
    try:
        m = forecast.of(option.action, option.target)
    except KeyError:
        return
    solara.Text(
        advisor_line(m, forecast, option.action == "hold", hold),
        classes=["advisor-line"],
        style={"font-size": "0.85em", "color": "#345", "display": "block"},
    )


def advisor_line(m: MoveForecast, forecast: Forecast, is_hold: bool, hold: str) -> str:
    """The advisor's sentences about one move: war, settling, score and how far it climbs, each
    beside holding back's."""
    h: MoveForecast | None = None
    if not is_hold:
        try:
            h = forecast.of("hold", hold)
        except KeyError:
            h = None
    lo, hi = m.war_interval
    if m.war == 0:
        line = (
            f"In none of {m.futures} simulated futures does this lead to war within "
            f"{forecast.horizon} turns (at most {100 * hi:.0f}% by chance)"
        )
    else:
        line = (
            f"In {m.futures} simulated futures this leads to war within {forecast.horizon} "
            f"turns in {100 * m.war:.0f}% of them ({100 * lo:.0f}-{100 * hi:.0f}%)"
        )
    if h is not None:
        line += f"; holding back: {100 * h.war:.0f}%"
    line += f". The crisis settles in {100 * m.settled:.0f}%" + (
        f" (holding back: {100 * h.settled:.0f}%)" if h is not None else ""
    )
    line += f"; your expected score is {m.score:.0f}" + (
        f" (holding back: {h.score:.0f})" if h is not None else ""
    )
    level = max(range(5), key=lambda k: m.peak_mid_level[k])
    line += (
        f". The highest hostility most often reached is MID level {level + 1}, "
        f"{MID_LEVEL_NAMES[level + 1]} ({100 * m.peak_mid_level[level]:.0f}% of futures)."
    )
    return line


@solara.component
def Menu(
    options: list[MoveOption],
    selected: MoveOption | None,
    on_select: Callable[[MoveOption], None],
    result: solara.Reactive[Forecast | None],
    role: str,
    turn: int | None = None,
) -> None:
    """The legal moves, grouped by kind; the selected one is shown with its details and the
    advisor's line once the forecast is in. ``turn`` marks the menu as this turn's (the class
    ``menu-turn-N``) and the list is marked with its kind (``moves-force``), so that a script
    can tell the new turn's menu, and the list of the kind it clicked, from what the page is
    still replacing."""
    forecast = result.value
    kinds = [k for k in KIND_ORDER if any(o.kind == k for o in options)]
    first = selected.kind if selected is not None and selected.kind in kinds else None
    kind, set_kind = solara.use_state(first or (kinds[0] if kinds else "diplomacy"))
    if kind not in kinds and kinds:
        kind = kinds[0]
    marks = ["menu"] + ([f"menu-turn-{turn}"] if turn is not None else [])
    with solara.Card("Your move", classes=marks):
        solara.ToggleButtonsSingle(
            value=kind, values=kinds, on_value=set_kind, dense=True, style={"flex-wrap": "wrap"}
        )
        with solara.Column(
            classes=["moves", "moves-" + kind.replace(" ", "-")],  # the kind the list shows
            style={"max-height": "340px", "overflow-y": "auto", "gap": "2px"},
        ):
            for o in options:
                if o.kind != kind:
                    continue
                is_sel = selected is not None and (o.action, o.target) == (
                    selected.action,
                    selected.target,
                )
                label = o.label + (" (what happened)" if o.history else "")
                # keyed by move: a click that lands while another kind's list is being drawn
                # is dropped, never taken for the move now in the same place
                solara.Button(
                    label,
                    on_click=lambda o=o: on_select(o),
                    text=not is_sel,
                    color="primary" if is_sel else None,
                    small=True,
                    classes=["move"],
                    style={"justify-content": "flex-start", "text-transform": "none"},
                ).key(f"move-{o.action}-{o.target}")
        if selected is not None:
            with solara.Column(classes=["move-detail"]):
                with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                    solara.Text(selected.label, style={"font-weight": "bold"})
                    Chip(
                        act_code(selected.action, selected.rung, selected.mid_action), selected.rung
                    )
                solara.Text(selected.explanation, style={"font-size": "0.85em"})
                solara.Text(f"Cost: {selected.cost}.", style={"font-size": "0.85em"})
                if selected.history:
                    solara.Text(
                        f"What happened in the real crisis: {selected.history}",
                        style={"font-size": "0.85em", "font-style": "italic"},
                    )
                AdvisorLine(selected, forecast, role)
        CodesHelp()


def use_forecast(
    session: Session, turn: int
) -> tuple[solara.Reactive[Forecast | None], solara.Reactive[float]]:
    """A hook: this turn's forecast, run in a background thread, as two reactive values: the
    forecast (None until done) and its progress (0-1). Only the components that read them
    re-render as they change, so progress does not redraw the page.

    A forecast still running when the turn changes is stopped (its ``stop`` sees a newer
    call), so a player who ends the turn early never waits for it. The futures run in the
    server's worker processes (sim.session.forecast_pool), not in the thread that answers
    clicks, so a turn is answered at once even while forecasts run.
    """
    none: Forecast | None = None
    result = solara.use_reactive(none)
    progress = solara.use_reactive(0.0)
    current = solara.use_ref(0)

    def run() -> None:
        current.current += 1
        mine = current.current
        result.set(None)
        progress.set(0.0)
        if session.over:
            return
        try:
            fc = session.forecast(
                futures=FUTURES,
                progress=progress.set,
                stop=lambda: current.current != mine,
                pool=forecast_pool(),
            )
        except ForecastCancelled:
            return
        if current.current == mine:
            result.set(fc)

    solara.lab.use_task(run, dependencies=[id(session), turn])
    return result, progress


@solara.component
def Advisor(
    result: solara.Reactive[Forecast | None],
    progress: solara.Reactive[float],
    options: list[MoveOption],
    selected: MoveOption | None = None,
) -> None:
    """The advisor's progress, then its chart of every move's odds of war; when no move leads
    to war, it says so and shows what differs between the moves (the chance the crisis settles,
    the expected score, how far it climbs) instead. The player can switch between them."""
    forecast = result.value
    no_choice: str | None = None
    chosen, set_chosen = solara.use_state(no_choice)
    with solara.Card("Advisor", classes=["advisor"]):
        if forecast is None:
            solara.Text(
                f"Running {FUTURES} simulated futures of each of your {len(options)} moves ..."
            )
            solara.ProgressLinear(value=100 * progress.value)
            return
        quiet = quiet_sentence(forecast, options)
        if quiet:
            solara.Text(
                quiet,
                classes=["advisor-quiet"],
                style={"font-size": "0.9em", "display": "block", "margin-bottom": "4px"},
            )
        measure = chosen or ("score" if quiet else "war")
        names = list(ADVISOR_MEASURES.values())
        solara.ToggleButtonsSingle(
            value=ADVISOR_MEASURES[measure],
            values=names,
            on_value=lambda name: set_chosen(
                next(k for k, v in ADVISOR_MEASURES.items() if v == name)
            ),
            dense=True,
            classes=["advisor-measure"],
            style={"flex-wrap": "wrap"},
        )
        AdvisorChart(
            forecast,
            options,
            selected=(selected.action, selected.target) if selected else None,
            measure=measure,
        )


# -- screens --------------------------------------------------------------------------------


@solara.component
def StartScreen(
    crises: list[CrisisEntry],
    on_start: Callable[[Start], None],
    on_load: Callable[[Session], None],
    error: str,
) -> None:
    """Every crisis, then the roles of the chosen one with their briefs and objectives; or
    open a saved game."""
    chosen, set_chosen = solara.use_state(crises[0].id if crises else "")
    seed_text, set_seed_text = solara.use_state(str(secrets.randbelow(10**6)))
    problem, set_problem = solara.use_state("")
    if error:
        solara.Error(error)
    solara.Text("Borderline", style=HEADING["title"])
    solara.Text(
        "Play a real border crisis as one of its leaders. Each turn you choose one move; the "
        "other countries are played by the computer. An advisor shows what hundreds of "
        "simulated futures say each move leads to."
    )
    LoadGame(on_load)
    with solara.Row(style={"flex-wrap": "wrap", "gap": "12px"}):
        for c in crises:
            with solara.Card(
                c.title,
                subtitle=f"{c.region}, {c.date:%B %Y}",
                classes=["crisis"],
                style={"width": "340px"},
            ):
                solara.Text(c.summary, style={"font-size": "0.9em", "display": "block"})
                solara.Button(
                    "Chosen" if c.id == chosen else "Choose",
                    on_click=lambda c=c: set_chosen(c.id),
                    color="primary" if c.id == chosen else None,
                    outlined=c.id != chosen,
                    classes=[f"choose-{c.id}"],
                )
    entry = next((c for c in crises if c.id == chosen), None)
    if entry is None:
        return
    solara.Text(f"{entry.title}: choose your country", style=HEADING["section"])
    solara.InputText(
        "Seed (the same seed and moves give the same game)", value=seed_text, on_value=set_seed_text
    )
    if problem:
        solara.Warning(problem)

    def start(role: str, teacher: bool = False) -> None:
        text = seed_text.strip()
        if not text.isdigit() or int(text) >= MAX_SEED:
            set_problem(f"The seed must be a whole number (got {text!r}).")
            return
        on_start(Start(entry.id, role, int(text), teacher))

    with solara.Row(style={"flex-wrap": "wrap", "gap": "12px"}):
        for r in entry.roles:
            # keyed by crisis and role: a click that lands while another crisis's cards are
            # being replaced is dropped, never sent to the new card in the same place
            card = solara.Card(r.name, classes=["role"], style={"max-width": "420px"})
            with card.key(f"role-{entry.id}-{r.actor}"):
                solara.Text(r.brief, style={"display": "block"})
                solara.Text(
                    "You are scored on: " + "; ".join(r.objectives) + ".",
                    style={"font-weight": "500", "margin-top": "6px", "display": "block"},
                )
                solara.Button(
                    f"Play as {r.name}",
                    on_click=lambda r=r: start(r.actor),
                    color="primary",
                    classes=[f"play-{r.actor}", f"play-{entry.id}-{r.actor}"],
                )
    solara.Button(
        "Teacher: watch a free run (the computer plays every country)",
        on_click=lambda: start(entry.roles[0].actor, teacher=True),
        text=True,
        classes=["teacher"],
    )


@solara.component
def Views(session: Session, turn: int) -> None:
    """The map, the ladder, the charts and the alliance network; only the chosen one is drawn."""
    view, set_view = solara.use_state(VIEWS[0])
    solara.ToggleButtonsSingle(value=view, values=list(VIEWS), on_value=set_view, dense=True)
    if view == "Map":
        RegionMap(session, turn)
    elif view == "Ladder":
        Ladder(session, turn)
    elif view == "Charts":
        Charts(session, turn)
    else:
        AllianceNetwork(session, turn)


@solara.component
def Header(session: Session, turn: int, subtitle: str = "", watching: bool = False) -> None:
    """The crisis, the player's country, the turn and the date (``turn`` re-renders it: the
    session object is the same from turn to turn)."""
    view = session.state_view()
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap", "gap": "16px"}):
        solara.Text(view.title, style=HEADING["section"])
        who = f"Seen from {view.role_name}" if watching else f"You are {view.role_name}"
        when = "the end" if view.over else f"next: the week of {view.date:%d %B %Y}"
        solara.Text(
            f"{who} · turn {view.turn} of {view.horizon} · {when}"
            + (f" · {subtitle}" if subtitle else ""),
            classes=["game-status"],
        )


def load_upload(data: str | bytes | None, name: str) -> tuple[Session | None, str]:
    """A session from an opened save file, or None and the message to show (nothing else
    changes when a file is bad or tampered with)."""
    if data is None:
        return None, f"Could not load {name or 'the file'}: it could not be read (too large?)"
    try:
        return Session.from_json(data), ""
    except (SessionError, ScenarioError) as exc:
        return None, f"Could not load {name or 'the file'}: {exc}"


@solara.component_vue("open_file.vue")
def OpenFile(label: str, max_bytes: int, event_opened: Callable[[dict], None]) -> None:
    """A button that opens a local file and sends its name and text (``event_opened``)."""


@solara.component
def LoadGame(on_load: Callable[[Session], None]) -> None:
    """Open a saved game; a bad or tampered file gets a message and changes nothing."""
    message, set_message = solara.use_state("")

    def opened(info: dict) -> None:
        new, problem = load_upload(info.get("text"), str(info.get("name", "")))
        set_message(problem)
        if new is not None:
            on_load(new)

    OpenFile(label="Load a saved game", max_bytes=MAX_SAVE_BYTES, event_opened=opened)
    if message:
        solara.Error(message, classes=["load-error"])


@solara.component
def SaveLoad(session: Session, turn: int, on_load: Callable[[Session], None]) -> None:
    """Save (download) and Load the game; ``turn`` keeps the download current."""
    name = (
        f"borderline_{session.prepared.static.scenario_id}_{session.role}_turn{session.turn}.json"
    )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.FileDownload(
            session.to_json(), filename=name, label="Save game", mime_type="application/json"
        )
        LoadGame(on_load)


@solara.component
def PlayScreen(
    session: Session,
    version: int,
    changed: Callable[[], None],
    on_new: Callable[[], None],
    on_load: Callable[[Session], None],
) -> None:
    options = session.legal_actions()
    nothing: MoveOption | None = None
    selected, set_selected = solara.use_state(nothing)
    error, set_error = solara.use_state("")
    turn = session.turn
    if selected is not None and not any(
        (o.action, o.target) == (selected.action, selected.target) for o in options
    ):
        selected = None
    move = selected or next((o for o in options if o.action == "hold"), None)

    def end_turn() -> None:
        if move is None:
            return
        try:
            session.play(move.action, move.target)
        except (IllegalMove, SessionError) as exc:
            set_error(str(exc))
            return
        set_error("")
        set_selected(None)
        changed()

    def undo() -> None:
        try:
            session.undo()
        except SessionError as exc:
            set_error(str(exc))
            return
        set_error("")
        changed()

    def let_ai() -> None:
        session.play_ai()
        set_selected(None)
        changed()

    Header(session, version)
    if error:
        solara.Error(error)
    with solara.Columns([3, 5, 4]):
        with solara.Column():
            Objectives(session, version)
            reports = session.reports
            Report(reports[-1] if reports else None, you=session.role)
            brief = next(r.brief for r in session.scenario.roles if r.actor == session.role)
            with solara.Details("Your brief"):
                solara.Text(" ".join(brief.split()))
        with solara.Column():
            Views(session, version)
        with solara.Column():
            forecast, progress = use_forecast(session, version)
            Advisor(forecast, progress, options, move)
            # keyed by turn: a new turn opens the menu on the kind of the move selected (hold)
            Menu(options, move, set_selected, forecast, session.role, turn).key(f"menu-{turn}")
            with solara.Row(style={"flex-wrap": "wrap"}):
                solara.Button(
                    f"End turn: {move.label}" if move else "End turn",
                    on_click=end_turn,
                    color="primary",
                    classes=["end-turn"],
                )
                solara.Button("Undo", on_click=undo, disabled=turn == 0, classes=["undo"])
                solara.Button("Let the computer decide", on_click=let_ai, text=True)
            SaveLoad(session, version, on_load)
            solara.Button("New game", on_click=on_new, text=True, classes=["new-game"])


@solara.component
def DebriefScreen(
    session: Session, on_new: Callable[[], None], on_load: Callable[[Session], None]
) -> None:
    result = solara.lab.use_task(lambda: debrief(session), dependencies=[id(session)])
    replay_turn, set_replay_turn = solara.use_state(session.turn)
    Header(session, session.turn, subtitle="the crisis is over")
    with solara.Columns([5, 7]):
        with solara.Column():
            with solara.Card("Debrief", classes=["debrief"]):
                if result.pending or result.value is None:
                    solara.Text("Comparing your game with 500 games the computer played ...")
                    solara.ProgressLinear(True)
                else:
                    d: Debrief = result.value
                    lines = d.lines()
                    solara.Text(
                        lines[0],
                        classes=["debrief-ending"],
                        style={"font-weight": "bold", "display": "block", "margin": "2px 0"},
                    )
                    for line in lines[1:4]:  # score, war, settling
                        solara.Text(line, style={"display": "block", "margin": "2px 0"})
                    solara.Text(
                        "How to read this: each turn, each of your objectives is a gauge from "
                        "0 to 100 and the turn's score is their weighted mean; your score is "
                        "the average over the turns. The AI-played runs are 500 games of this "
                        "crisis in which the computer played your country too: they show what "
                        "your choices changed.",
                        classes=["debrief-help"],
                        style={"font-size": "0.85em", "color": "#555", "display": "block"},
                    )
                    solara.Text(
                        "Your objectives, averaged over the turns",
                        style={"font-weight": "bold", "display": "block", "margin-top": "6px"},
                    )
                    for text, weight, value in d.objectives:
                        solara.Text(
                            f"{objective_label(text, weight)}: {value:.0f} of 100",
                            style={"display": "block", "margin": "2px 0"},
                        )
                    solara.Text(
                        "Turning points",
                        style={"font-weight": "bold", "display": "block", "margin-top": "6px"},
                    )
                    solara.Text(
                        "The moments the crisis changed course: each first step to a higher "
                        "rung of the ladder (from economic coercion up), wars and agreements.",
                        style={"font-size": "0.85em", "color": "#555", "display": "block"},
                    )
                    points = [m for m in d.timeline if m.turning_point] or []
                    if not points:
                        solara.Text("None: the crisis never climbed the ladder.")
                    for m in points:
                        with solara.Row(style={"flex-wrap": "wrap", "align-items": "baseline"}):
                            mark = "▶ " if is_yours(m.sentence, session.role) else ""
                            solara.Text(f"{m.date:%d %b %Y}: {mark}{m.sentence.text}")
                            if m.sentence.code:
                                Chip(
                                    m.sentence.code,
                                    m.sentence.rung,
                                    news=m.sentence.kind == "news",
                                )
                    CodesHelp()
            SaveLoad(session, session.turn, on_load)
            solara.Button("New game", on_click=on_new, color="primary", classes=["new-game"])
        with solara.Column(), solara.Card("Replay", classes=["replay"]):
            with solara.Row(style={"align-items": "center"}):
                solara.Button(
                    "◀",
                    on_click=lambda: set_replay_turn(max(0, replay_turn - 1)),
                    disabled=replay_turn == 0,
                    classes=["replay-prev"],
                )
                solara.SliderInt(
                    "Turn", value=replay_turn, min=0, max=session.turn, on_value=set_replay_turn
                )
                solara.Button(
                    "▶",
                    on_click=lambda: set_replay_turn(min(session.turn, replay_turn + 1)),
                    disabled=replay_turn == session.turn,
                    classes=["replay-next"],
                )
            past = session.upto(replay_turn)
            reports = past.reports
            Report(reports[-1] if reports else None, title=f"Turn {replay_turn}", you=session.role)
            Views(past, replay_turn)


@solara.component
def TeacherScreen(
    session: Session,
    version: int,
    changed: Callable[[], None],
    on_new: Callable[[], None],
    on_reset: Callable[[], None],
) -> None:
    running, set_running = solara.use_state(False)
    flag = solara.use_ref(False)
    flag.current = running

    def step() -> None:
        if not session.over:
            session.play_ai()
            changed()

    def loop() -> None:
        while flag.current and not session.over:
            time.sleep(FREE_RUN_INTERVAL_S)
            if not flag.current:
                return
            session.play_ai()
            changed()

    solara.lab.use_task(loop, dependencies=[running, id(session)])
    Header(session, version, subtitle="free run: the computer plays every country", watching=True)
    with solara.Row():
        solara.Button("Step", on_click=step, disabled=session.over or running, classes=["step"])
        solara.Button(
            "Pause" if running else "Play",
            on_click=lambda: set_running(not running),
            disabled=session.over,
            classes=["play"],
        )
        solara.Button("Reset", on_click=on_reset, classes=["reset"])
        solara.Button("New game", on_click=on_new, text=True)
    if session.over:
        solara.Info(session.ending())
    with solara.Columns([4, 8]):
        with solara.Column():
            reports = session.reports
            Report(reports[-1] if reports else None)
            Objectives(session, version)
        with solara.Column():
            Views(session, version)


@solara.component
def Game(search: str | None = None) -> None:
    """The whole game for one browser tab (``search``: the URL's query string)."""
    crises = solara.use_memo(playable, dependencies=[])
    start_from_url, url_error = solara.use_memo(
        lambda: parse_start(search, crises), dependencies=[search]
    )
    no_session: Session | None = None
    session, set_session = solara.use_state(no_session)
    teacher, set_teacher = solara.use_state(False)
    version, set_version = solara.use_state(0)
    problem, set_problem = solara.use_state(url_error)

    def begin(start: Start) -> None:
        try:
            new = Session.start(start.scenario, start.role, start.seed)
        except (SessionError, ScenarioError) as exc:
            set_problem(str(exc))
            return
        set_problem("")
        set_teacher(start.teacher)
        set_session(new)
        set_version(lambda v: v + 1)

    solara.use_effect(
        lambda: begin(start_from_url) if start_from_url is not None else None, [start_from_url]
    )

    def changed() -> None:
        set_version(lambda v: v + 1)

    def new_game() -> None:
        set_session(None)

    def loaded(new: Session) -> None:
        set_teacher(False)
        set_session(new)
        changed()

    def reset() -> None:
        if session is not None:
            set_session(Session.start(session.prepared, session.role, session.seed))
            changed()

    # Vuetify breaks card titles anywhere ("after t / he Herzog visit"): break between words.
    solara.Style(".v-card__title { word-break: normal; }")
    if session is None:
        StartScreen(crises, begin, loaded, problem)
    elif teacher:
        TeacherScreen(session, version, changed, new_game, reset)
    elif session.over:
        DebriefScreen(session, new_game, loaded)
    else:
        PlayScreen(session, version, changed, new_game, loaded)
