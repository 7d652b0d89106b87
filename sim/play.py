"""``borderline play``: a game session in a terminal (front end; the game is sim.session).

For players without a browser, and for tests: each turn prints the situation report and a
numbered menu of the player's legal moves; the player types a number (or a command: the advisor,
undo, save, quit). Input and output are passed in as functions, so a test can drive a whole
game from a list of lines. Bad input is answered with a message and the menu again; the game is
never lost: ``--save`` writes it on quit, at the end and when input runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sim.scenario import ScenarioError
from sim.session import (
    Debrief,
    IllegalMove,
    MoveOption,
    Session,
    SessionError,
    StateView,
    TurnReport,
    debrief,
)

HELP = """Type the number of a move to play it, or:
  a        the advisor: what simulated futures say each move leads to
  u        undo the last turn
  s FILE   save the game to FILE (.json)
  v        the situation: score, objectives, pairs, corridors
  h        this help
  q        quit (with --save, the game is saved first)"""

Read = Callable[[str], str | None]
Write = Callable[[str], None]
WriteFile = Callable[[Path, str], None]


def _menu(options: list[MoveOption]) -> list[str]:
    lines = []
    kind = ""
    for n, o in enumerate(options, start=1):
        if o.kind != kind:
            kind = o.kind
            lines.append(f"  {kind}:")
        code = f"rung {o.rung}" + (f", MID {o.mid_action}" if o.mid_action else "")
        history = "  <- what happened" if o.history else ""
        lines.append(f"  {n:3d}. {o.label} ({code}){history}")
    return lines


def _report(rep: TurnReport) -> list[str]:
    lines = [f"Turn {rep.turn} ({rep.date.isoformat()})"]
    for s in rep.sentences:
        lines.append(f"  {s.text}" + (f" — {s.code}" if s.code else ""))
    lines.append(f"  Your score this turn: {rep.score:.0f} of 100")
    return lines


def _view(v: StateView) -> list[str]:
    lines = [f"{v.role_name}, turn {v.turn} of {v.horizon}: score {v.score:.0f} of 100"]
    lines += [f"  {text}: {value:.0f}" for text, _, value in v.objectives]
    for d in v.dyads:
        if d["rung_mine"] or d["rung_theirs"] or d["tension"] >= 0.2:
            lines.append(
                f"  with {d['other_name']}: your rung {d['rung_mine']}, theirs "
                f"{d['rung_theirs']}, tension {d['tension']:.2f}"
                + (", AT WAR" if d["at_war"] else "")
            )
    lines += [f"  {c['name']}: {c['status']}, held by {c['controller']}" for c in v.corridors]
    return lines


def _advice(session: Session, options: list[MoveOption], futures: int) -> list[str]:
    fc = session.forecast(futures=futures)
    lines = [
        f"The advisor: {fc.futures} simulated futures of each move, {fc.horizon} turns ahead "
        "(war / settled / your score)"
    ]
    for n, o in enumerate(options, start=1):
        m = fc.of(o.action, o.target)
        lo, hi = m.war_interval
        lines.append(
            f"  {n:3d}. {o.label}: war {100 * m.war:.0f}% [{100 * lo:.0f}-{100 * hi:.0f}], "
            f"settled {100 * m.settled:.0f}%, score {m.score:.0f}"
        )
    return lines


def _debrief(d: Debrief) -> list[str]:
    lines = ["", "Debrief", *(f"  {x}" for x in d.lines()), "  Turning points:"]
    lines += [
        f"    turn {m.turn} ({m.date.isoformat()}): {m.sentence.text}"
        + (f" — {m.sentence.code}" if m.sentence.code else "")
        for m in d.timeline
        if m.turning_point
    ] or ["    none: the crisis never climbed the ladder"]
    return lines


def run_terminal_game(
    scenario: str | None,
    role: str | None,
    seed: int,
    load: Path | None,
    save: Path | None,
    futures: int,
    read: Read,
    write: Write,
    write_file: WriteFile,
) -> int:
    """Play a game in a terminal; returns the exit code (0, or 2 for bad arguments)."""

    def fail(message: str) -> int:
        write(f"borderline: error: {message}")
        return 2

    def store(path: Path) -> bool:
        if path.suffix.lower() != ".json":
            write(f"cannot save to {path}: the file name must end in .json")
            return False
        try:
            write_file(path, session.to_json())
        except OSError as exc:
            write(f"cannot save to {path}: {exc.strerror or exc}")
            return False
        write(f"saved to {path}")
        return True

    try:
        if load is not None:
            try:
                text = load.read_bytes()
            except OSError as exc:
                return fail(f"--load {load}: cannot read: {exc.strerror or exc}")
            session = Session.from_json(text, scenario)
            if role is not None and role != session.role:
                return fail(
                    f"--load {load}: the saved game is played as {session.role}, not {role}"
                )
        elif scenario is None:
            return fail("give a scenario (see `borderline list`), or --load a saved game")
        else:
            if role is None:
                from sim.batch import Prepared

                roles = [r.actor for r in Prepared.from_ref(scenario).scenario.roles]
                return fail(
                    f"--role is required; roles of {scenario}: {', '.join(roles) or 'none'}"
                )
            session = Session.start(scenario, role, seed)
    except ScenarioError as exc:
        return fail(str(exc).splitlines()[0])
    except SessionError as exc:
        return fail(str(exc))

    meta = session.scenario.metadata
    brief = next(r.brief for r in session.scenario.roles if r.actor == session.role)
    write(f"{meta.title} — you play {session.state_view().role_name} (seed {session.seed})")
    write(" ".join(brief.split()))
    write("Your objectives: " + "; ".join(g.text for g in session.objectives))
    write(HELP)
    for rep in session.reports:
        write("\n".join(_report(rep)))
    while not session.over:
        options = session.legal_actions()
        write("")
        write(f"Turn {session.turn + 1} ({session.date().isoformat()}): your move")
        write("\n".join(_menu(options)))
        line = read("> ")
        if line is None or line.strip().lower() in ("q", "quit"):
            if save is not None:
                store(save)
            write("game left unfinished")
            return 0
        cmd = line.strip()
        if not cmd:
            continue
        word = cmd.split()[0].lower()
        if cmd.isdigit():
            n = int(cmd)
            if not 1 <= n <= len(options):
                write(f"no move {n}: choose 1 to {len(options)}")
                continue
            o = options[n - 1]
            try:
                rep = session.play(o.action, o.target)
            except (IllegalMove, SessionError) as exc:  # cannot happen from the menu
                write(f"refused: {exc}")
                continue
            write("\n".join(_report(rep)))
        elif word == "a":
            write("\n".join(_advice(session, options, futures)))
        elif word == "u":
            try:
                session.undo()
                write(f"took back turn {session.turn + 1}")
            except SessionError as exc:
                write(str(exc))
        elif word == "s":
            parts = cmd.split(maxsplit=1)
            if len(parts) < 2:
                write("save where? type s FILE.json")
            else:
                store(Path(parts[1]))
        elif word == "v":
            write("\n".join(_view(session.state_view())))
        elif word in ("h", "?", "help"):
            write(HELP)
        else:
            write(f"unknown command {cmd!r}; type h for help")
    write("")
    write(session.ending())
    write("\n".join(_debrief(debrief(session))))
    if save is not None:
        store(save)
    return 0
