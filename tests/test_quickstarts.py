"""The quickstarts (docs/quickstart/*.md) say what the code does.

Each page marks the blocks it shows with an HTML comment just before them
(``<!-- quickstart-... -->``). These tests find the blocks by their markers, do what the page
says at the page's own sizes (the commands through ``sim.cli.main`` in this process, in a
temporary folder), and compare what the code prints with what the page shows. The author's
example file is a real file; the student page's buttons are the labels of the page's code. The
links of the new pages resolve inside docs/, anchors included.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from sim.cli import main
from sim.play import run_terminal_game
from sim.scenario import loader, validate_paths
from sim.session import FUTURES, Session, debrief, playable
from sim.ui.charts import quiet_sentence
from sim.ui.game import Game, Header, Menu, Objectives, Report, Start, advisor_line, parse_start
from sim.ui.map import theatre

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
QUICK = DOCS / "quickstart"
STUDENT = QUICK / "student.md"
AUTHOR = QUICK / "author.md"
RESEARCHER = QUICK / "researcher.md"
EXAMPLE = DOCS / "examples" / "quickstart" / "salt_road.yaml"
GRID = DOCS / "examples" / "sweeps" / "war_aversion_grid.yaml"
NEW_PAGES = [
    DOCS / "index.md",
    STUDENT,
    AUTHOR,
    RESEARCHER,
    DOCS / "faq.md",
    DOCS / "teaching.md",
]
MODELINE_IN_SCENARIOS = "# yaml-language-server: $schema=../schema/scenario.schema.json\n"
MODELINE_IN_EXAMPLE = "# yaml-language-server: $schema=../../../schema/scenario.schema.json\n"


def read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def block(page: Path, marker: str) -> str:
    """The fenced block right after ``<!-- marker -->``, dedented to the marker's indentation."""
    text = read(page)
    pattern = rf"^( *)<!-- {re.escape(marker)} -->\n\1```[a-z]*\n(.*?)^\1```"
    found = re.findall(pattern, text, re.M | re.S)
    assert len(found) == 1, f"{page.name}: expected one block marked {marker!r}, found {found}"
    indent, body = found[0]
    return "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def cli(*args: str) -> tuple[int, str, str]:
    """``borderline ARGS`` in this process: (exit code, standard output, standard error)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        else:  # pragma: no cover - main always exits
            code = 0
    return code, out.getvalue(), err.getvalue()


def contains_in_order(text: str, shown: str) -> bool:
    """Whether ``text`` contains the pieces of ``shown`` between its '...', in order."""
    at = 0
    for piece in (p.strip() for p in shown.split("...")):
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def section(page: Path, heading: str) -> str:
    text = read(page)
    assert f"\n{heading}\n" in text, f"{page.name}: no heading {heading!r}"
    return text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as cells."""
    rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    return [[c.strip() for c in row.strip().strip("|").split(" | ")] for row in rows[2:]]


def spans(text: str) -> list[str]:
    """The code spans of Markdown text, each on one line (a span may wrap in the source)."""
    return [" ".join(s.split()) for s in re.findall(r"`([^`]+)`", text)]


@contextlib.contextmanager
def cwd(folder: Path) -> Iterator[None]:
    with contextlib.chdir(folder):
        yield


# ----------------------------------------------------------------------------------------------
# The author: a new crisis, its mistake, its run


def scenario_text() -> str:
    """The file the reader writes as scenarios/salt_road.yaml."""
    return block(AUTHOR, "quickstart-scenario")


def test_the_page_shows_the_example_file() -> None:
    shown = scenario_text()
    committed = read(EXAMPLE)
    assert shown.startswith(MODELINE_IN_SCENARIOS)
    assert committed.startswith(MODELINE_IN_EXAMPLE)
    # the only difference: the schema line's path, relative to each file's folder
    assert committed.removeprefix(MODELINE_IN_EXAMPLE) == shown.removeprefix(
        MODELINE_IN_SCENARIOS
    ), "docs/examples/quickstart/salt_road.yaml differs from the file on the author's page"


def test_the_example_validates_and_is_small() -> None:
    (report,) = validate_paths([EXAMPLE])
    assert report.ok, "\n".join(str(p) for p in report.problems)
    sc = report.scenario
    assert sc is not None
    assert len(sc.actors) <= 3 and len(sc.corridors) + len(sc.relations) <= 2
    tutorial = validate_paths([DOCS / "examples" / "tutorial.yaml"])[0].scenario
    assert tutorial is not None
    assert len(sc.actors) < len(tutorial.actors) and len(sc.events) < len(tutorial.events)
    assert len(read(EXAMPLE).splitlines()) < 0.6 * len(
        read(DOCS / "examples" / "tutorial.yaml").splitlines()
    )


@pytest.fixture
def authored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout whose scenarios/ holds only salt_road.yaml, written as the page says, as the
    working directory: scenario ids, the start screen and ``validate`` all look there."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "salt_road.yaml").write_text(scenario_text(), encoding="utf-8")
    monkeypatch.setattr(loader, "SCENARIO_DIR", folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_says_ok(authored: Path) -> None:
    code, out, err = cli("validate", "scenarios/salt_road.yaml")
    assert (code, out, err) == (0, "scenarios/salt_road.yaml: ok\n", "")
    assert (
        "$ .venv/bin/borderline validate scenarios/salt_road.yaml\nscenarios/salt_road.yaml: ok"
        in read(AUTHOR)
    )


def test_the_deliberate_mistake_prints_what_the_page_shows(authored: Path) -> None:
    text = read(AUTHOR)
    match = re.search(
        r"<!-- quickstart-mistake: (.+?) -> (.+?) -->\n```console\n\$ \.venv/bin/borderline "
        r"(validate \S+)\n(.*?)```",
        text,
        re.S,
    )
    assert match, "the deliberate-mistake block is missing from docs/quickstart/author.md"
    before, after, command, shown = match.groups()
    path = authored / "scenarios" / "salt_road.yaml"
    original = path.read_text(encoding="utf-8")
    assert original.count(before) == 1, before
    path.write_text(original.replace(before, after), encoding="utf-8")
    code, out, err = cli(*command.split())
    assert code == 2 and out == ""
    assert lines(err) == lines(shown)


def _deleted_corridors(text: str) -> str:
    return re.sub(r"\ncorridors:\n.*?\n(?=rules:)", "\n", text, flags=re.S)


#: The author page's table of other mistakes: the mistake as the page names it -> (the file
#: name, how the page's file is changed).
AUTHOR_MISTAKES: dict[str, tuple[str, Callable[[str], str]]] = {
    "the file saved as `scenarios/saltroad.yaml`": ("saltroad.yaml", lambda t: t),
    "`border_km:150`, no space after the colon": (
        "salt_road.yaml",
        lambda t: t.replace("border_km: 150", "border_km:150"),
    ),
    "a tab instead of spaces": (
        "salt_road.yaml",
        lambda t: t.replace("    border_km: 150", "\tborder_km: 150"),
    ),
    "the `corridors:` part deleted": ("salt_road.yaml", _deleted_corridors),
    "`name: Ostmark` misspelt `nmae: Ostmark`": (
        "salt_road.yaml",
        lambda t: t.replace("    name: Ostmark", "    nmae: Ostmark"),
    ),
}


def test_the_table_of_mistakes_is_the_validators(tmp_path: Path) -> None:
    rows = table_rows(section(AUTHOR, "## 4. Make a mistake on purpose"))
    assert [r[0] for r in rows] == list(AUTHOR_MISTAKES), "the page's table of mistakes changed"
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for mistake, said in rows:
        name, change = AUTHOR_MISTAKES[mistake]
        for old in folder.iterdir():
            old.unlink()
        path = folder / name
        text = change(scenario_text())
        assert text != scenario_text() or name != "salt_road.yaml", mistake
        path.write_text(text, encoding="utf-8")
        (report,) = validate_paths([path], scenario_dir=folder)
        problems = "\n".join(str(p) for p in report.problems)
        for shown in spans(said):
            assert contains_in_order(problems, shown), (mistake, shown, problems)
        if "line *after*" in said:
            wrong = next(k for k, ln in enumerate(text.splitlines(), 1) if "border_km:150" in ln)
            assert report.problems[0].line == wrong + 1, problems


def test_the_run_is_the_one_the_page_shows(authored: Path) -> None:
    assert "$ .venv/bin/borderline run salt_road --seed 1" in read(AUTHOR)
    code, out, err = cli("run", "salt_road", "--seed", "1")
    assert code == 0, err
    assert lines(out) == lines(block(AUTHOR, "quickstart-run: salt_road --seed 1"))


def test_the_batch_of_the_new_crisis_reports_what_the_page_shows(authored: Path) -> None:
    page = read(AUTHOR)
    batch = "batch salt_road --runs 500 --out results/salt_road"
    assert (
        f"$ .venv/bin/borderline {batch}\n$ .venv/bin/borderline report results/salt_road" in page
    )
    code, _, err = cli(*batch.split(), "--quiet")
    assert code == 0, err
    code, report, err = cli("report", "results/salt_road")
    assert code == 0, err
    for line in lines(block(AUTHOR, "quickstart-report: salt_road 500")):
        assert line in lines(report), line


def test_the_new_crisis_is_on_the_start_screen_and_plays(authored: Path) -> None:
    entries = {c.id: c for c in playable()}
    assert list(entries) == ["salt_road"]
    entry = entries["salt_road"]
    page = read(AUTHOR)
    assert f"**{entry.title}** (*{entry.region}, {entry.date:%B %Y}*)" in page
    assert [r.name for r in entry.roles] == ["Ostmark"] and "**Play as Ostmark**" in page
    _box, rc = solara.render(Game(search=""), handle_error=False)
    try:
        assert [b.children for b in rc.find(v.Btn, class_="choose-salt_road").widgets] == [
            ["Chosen"]
        ]
        play = [b for b in rc.find(v.Btn).widgets if "play-salt_road-ostmark" in b.class_.split()]
        assert play, "no Play as Ostmark button"
    finally:
        rc.close()
    link = "http://127.0.0.1:8765/?scenario=salt_road&role=ostmark&seed=1"
    assert f"<{link}>" in page
    assert parse_start(link.split("?", 1)[1], list(entries.values())) == (
        Start("salt_road", "ostmark", 1),
        "",
    )
    assert "borderline play salt_road --role ostmark --seed 1" in page
    code, said = _quit_at_once("salt_road", "ostmark", 1, 10)
    assert code == 0 and said[0] == "The salt road — you play Ostmark (seed 1)"


def test_the_map_names_the_countries_without_a_capital() -> None:
    session = Session.start(str(EXAMPLE), "ostmark", seed=1)
    th = theatre(session)
    names = ", ".join(
        session.prepared.static.names[session.prepared.static.index(a)] for a in th.no_capital
    )
    assert th.inside == () and f"*Not on the map (no capital): {names}.*" in read(AUTHOR)
    plain, _ = _ui_labels()
    assert "Not on the map (no capital): " in plain, "the map's note is worded otherwise"


# ----------------------------------------------------------------------------------------------
# The researcher: a batch, the example grid, a spec of one's own, pandas, a reproduced run


@pytest.fixture(scope="module")
def research(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Every command of the researcher's page, run once, in a fresh folder (the working
    directory while the fixture is in use)."""
    folder = tmp_path_factory.mktemp("research")
    (folder / "my_sweep.yaml").write_text(
        block(RESEARCHER, "quickstart-spec: my_sweep.yaml"), encoding="utf-8"
    )
    done: dict[str, object] = {"folder": folder}
    with cwd(folder):
        done["batch"] = cli(
            "batch", "iran_azerbaijan", "--runs", "1000", "--out", "results/base", "--quiet"
        )
        done["grid"] = cli("sweep", str(GRID), "--out", "results/war_aversion_grid", "--quiet")
        done["mine"] = cli("sweep", "my_sweep.yaml", "--quiet")
        for name in ("base", "war_aversion_grid", "my_sweep"):
            done[f"report {name}"] = cli("report", f"results/{name}")
        yield done


def test_the_commands_run(research: dict[str, object]) -> None:
    for key in (
        "batch",
        "grid",
        "mine",
        "report base",
        "report war_aversion_grid",
        "report my_sweep",
    ):
        code, _, err = research[key]  # type: ignore[misc]
        assert code == 0, (key, err)
    page = read(RESEARCHER)
    for command in (
        "$ .venv/bin/borderline batch iran_azerbaijan --runs 1000 --out results/base",
        "$ .venv/bin/borderline sweep docs/examples/sweeps/war_aversion_grid.yaml",
        "$ .venv/bin/borderline sweep my_sweep.yaml",
        "$ .venv/bin/borderline report results/base",
        "$ .venv/bin/borderline report results/war_aversion_grid",
        "$ .venv/bin/borderline report results/my_sweep",
    ):
        assert command in page, command


def _shown_after(command: str) -> list[str]:
    """The output lines the page shows after ``$ COMMAND`` in a console block."""
    text = read(RESEARCHER)
    match = re.search(rf"^\$ {re.escape(command)}\n((?:[^$`].*\n)+)", text, re.M)
    assert match, command
    return lines(match.group(1))


@pytest.mark.parametrize(
    ("key", "command"),
    [
        ("batch", ".venv/bin/borderline batch iran_azerbaijan --runs 1000 --out results/base"),
        ("grid", ".venv/bin/borderline sweep docs/examples/sweeps/war_aversion_grid.yaml"),
        ("mine", ".venv/bin/borderline sweep my_sweep.yaml"),
    ],
)
def test_what_the_commands_print(research: dict[str, object], key: str, command: str) -> None:
    """The first and last lines the page shows, timings aside (the progress bar is hidden)."""
    _, _, err = research[key]  # type: ignore[misc]
    got = lines(err)
    shown = _shown_after(command)
    first, last = shown[0], shown[-1]
    if " → " in first:  # the sweep's plan: the same up to the folder
        assert got[0].split(" → ")[0] == first.split(" → ")[0]
    timing = re.compile(r"in [\d.]+ s \([\d,]+ runs/s\)")
    assert timing.sub("T", got[-1]).split(" → ")[0] == timing.sub("T", last).split(" → ")[0]


@pytest.mark.parametrize("name", ["base", "war_aversion_grid", "my_sweep"])
def test_the_reports_show_what_the_page_shows(research: dict[str, object], name: str) -> None:
    _, report, _ = research[f"report {name}"]  # type: ignore[misc]
    for line in lines(block(RESEARCHER, f"quickstart-output: report results/{name}")):
        assert line in lines(report), line


def test_the_example_spec_is_the_one_on_the_page() -> None:
    import yaml

    shown = re.search(
        r"```yaml\n(sweep_version: 1\nname: war_aversion_grid\n.*?)```", read(RESEARCHER), re.S
    )
    assert shown, "the grid's spec is not on the page"
    assert yaml.safe_load(shown.group(1)) == yaml.safe_load(read(GRID))


def _exec_block(research: dict[str, object], name: str) -> str:
    code = block(RESEARCHER, f"quickstart-python: {name}")
    out = io.StringIO()
    with cwd(research["folder"]), contextlib.redirect_stdout(out):  # type: ignore[arg-type]
        exec(compile(code, f"researcher.md:{name}", "exec"), {"__name__": "quickstart"})
    return out.getvalue()


@pytest.mark.parametrize("name", ["pandas", "reproduce"])
def test_the_python_blocks_print_what_the_page_shows(
    research: dict[str, object], name: str
) -> None:
    got = _exec_block(research, name)
    assert lines(got) == lines(block(RESEARCHER, f"quickstart-python-output: {name}"))


def test_the_duckdb_block(research: dict[str, object]) -> None:
    import duckdb  # noqa: F401  (a dev dependency, as the page says: make installs it)

    got = _exec_block(research, "duckdb")
    shown = re.search(
        r"quickstart-python: duckdb -->\n```python\n.*?```\n\n```text\n(.*?)```",
        read(RESEARCHER),
        re.S,
    )
    assert shown and lines(got) == lines(shown.group(1))


def test_duckdb_is_installed_by_make_as_the_page_says() -> None:
    dev = re.search(r"^dev = \[(.*?)^\]", read(REPO / "pyproject.toml"), re.S | re.M)
    assert dev and '"duckdb' in dev.group(1)
    assert "`make` installs it into `.venv/`" in read(RESEARCHER)


def test_the_table_of_errors_is_what_the_commands_say(
    research: dict[str, object], tmp_path: Path
) -> None:
    (tmp_path / "my_sweep.yaml").write_text(
        block(RESEARCHER, "quickstart-spec: my_sweep.yaml").replace(
            "war_aversion: {min", "war_avresion: {min"
        ),
        encoding="utf-8",
    )
    with cwd(research["folder"]):  # type: ignore[arg-type]
        said = [
            cli("sweep", str(GRID), "--out", "results/war_aversion_grid", "--quiet"),
            cli("batch", "iran_azerbaijan", "--runs", "10", "--out", "results/base"),
            cli(
                "batch",
                "iran_azerbaijan",
                "--runs",
                "10",
                "--out",
                "x",
                "--param",
                "war_avresion=0.5",
            ),
        ]
    with cwd(tmp_path):
        said += [cli("sweep", "my_sweep.yaml"), cli("report", "results/nothing")]
    rows = table_rows(section(RESEARCHER, "## If it goes wrong"))
    assert len(rows) == len(said) == 5
    for (shown, _), (code, _, err) in zip(rows, said, strict=True):
        (message,) = spans(shown)
        assert code == 2 and contains_in_order(err, message), (message, err)


# ----------------------------------------------------------------------------------------------
# The student: the page's buttons, the first turn, the advisor, the debrief, the terminal


def _ui_labels() -> tuple[set[str], list[re.Pattern[str]]]:
    """Every string of the page's code (sim/ui/, app.py): plain ones, and f-strings as patterns
    (each formatted value any text) when they have enough words of their own."""
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in [*sorted((REPO / "sim" / "ui").glob("*.py")), REPO / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                plain.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                parts = [
                    re.escape(p.value) if isinstance(p, ast.Constant) else ".+" for p in node.values
                ]
                literal = "".join(p.value for p in node.values if isinstance(p, ast.Constant))
                if len(literal.strip()) >= 4:
                    patterns.append(re.compile("".join(parts)))
    return plain, patterns


def test_the_buttons_and_views_the_page_names_are_the_codes() -> None:
    """Every bold phrase of the student page that is not a lead-in ("Left.", "Seed.") is a
    label of the page's code, a crisis title, or one of the first turn's moves."""
    plain, patterns = _ui_labels()
    titles = {c.title for c in playable()}
    moves = {o.label for o in Session.start("iran_azerbaijan", "iran", 42).legal_actions()}
    named = [b for b in re.findall(r"\*\*(.+?)\*\*", read(STUDENT)) if not b.endswith((".", ":"))]
    assert len(named) >= 15
    for label in named:
        ok = (
            label in plain
            or label in titles
            or label in moves
            or any(p.fullmatch(label) for p in patterns)
        )
        assert ok, f"docs/quickstart/student.md names {label!r}, which the page does not show"
    for must in ("End turn: Hold: do nothing this turn", "Undo", "Save game", "Load a saved game"):
        assert f"**{must}**" in read(STUDENT), must
    assert any(p.fullmatch("borderline_iran_azerbaijan_iran_turn1.json") for p in patterns)
    assert "`borderline_iran_azerbaijan_iran_turn1.json`" in read(STUDENT)


def texts(rc: object) -> str:
    found = rc.find(v.Html).widgets + rc.find(v.Btn).widgets  # type: ignore[attr-defined]
    out = [c for w in found for c in getattr(w, "children", []) or [] if isinstance(c, str)]
    return "\n".join(out)


def rendered(element: object) -> str:
    _box, rc = solara.render(element, handle_error=False)
    try:
        return texts(rc)
    finally:
        rc.close()


@pytest.fixture(scope="module")
def game() -> Session:
    return Session.start("iran_azerbaijan", "iran", 42)


def test_the_first_screen(game: Session) -> None:
    page = read(STUDENT)
    header = rendered(Header(game, 0))
    (shown,) = re.findall(r"```text\n(You are Iran .*?)\n```", page)
    assert shown in header
    score = rendered(Objectives(game, 0))
    assert "92 of 100" in score and "*Your score*: 92 of 100 now" in page
    assert "Nothing has happened yet: your first move opens the crisis." in rendered(
        Report(None, you="iran")
    )
    options = game.legal_actions()
    assert f"*Running {FUTURES} simulated futures of each of your {len(options)} moves" in page


def test_the_first_turn(game: Session) -> None:
    page = read(STUDENT)
    options = game.legal_actions()
    drills = next(o for o in options if (o.action, o.target) == ("drills", "azerbaijan"))
    menu = rendered(Menu(options, drills, lambda o: None, solara.reactive(None), "iran"))
    for said in (
        "display of force, MID 7 (show of force)",
        "A show of force aimed at the target.",
        "Cost: raises tension; the target may answer in kind.",
    ):
        assert said in menu and f"*{said}*" in page.replace("\n   ", " "), said
    fc = game.forecast(futures=FUTURES)
    assert quiet_sentence(fc, options).startswith(
        "No move leads to war in these 200 futures, unless you start one yourself"
    )
    line = advisor_line(fc.of("drills", "azerbaijan"), fc, False, "iran")
    shown = block(STUDENT, "quickstart-advisor: iran_azerbaijan iran 42 drills azerbaijan")
    assert lines(shown) == [line]
    report = game.play("drills", "azerbaijan")
    try:
        on_page = rendered(Report(report))
        shown_lines = lines(
            block(STUDENT, "quickstart-report: iran_azerbaijan iran 42 drills azerbaijan")
        )
        assert len(shown_lines) == len(report.sentences)
        for said, s in zip(shown_lines, report.sentences, strict=True):
            text, code = said.split(" — ")
            assert text == ("▶ " if s.source == "player" else "") + s.text and code == s.code
            assert text in on_page and code in on_page
        assert "72 of 100" in rendered(Objectives(game, 1)) and "now reads 72 of 100" in page
        # Undo, then the same move: the same report (the seed fixes the luck)
        game.undo()
        assert game.turn == 0
        assert game.play("drills", "azerbaijan").sentences == report.sentences
    finally:
        while game.turn:
            game.undo()


def test_the_debrief() -> None:
    s = Session.start("iran_azerbaijan", "iran", 42)
    s.play("drills", "azerbaijan")
    while not s.over:
        s.play("hold", "iran")
    page = read(STUDENT)
    assert s.turn == 8 and "it settles at turn 8" in page
    d = debrief(s)
    shown = block(
        STUDENT, "quickstart-debrief: iran_azerbaijan iran 42 drills azerbaijan, then hold"
    )
    assert lines(shown) == d.lines()[:4]
    points = [
        f"{m.date:%d %b %Y}: {'▶ ' if m.sentence.source == 'player' else ''}{m.sentence.text}"
        for m in d.timeline
        if m.turning_point
    ]
    assert len(points) == 1 and f"*{points[0]}*" in page.replace("▶\nIran", "▶ Iran")


def _quit_at_once(scenario: str, role: str, seed: int, futures: int) -> tuple[int, list[str]]:
    """The terminal game, quit at the first prompt: its exit code and what it printed."""
    said: list[str] = []
    code = run_terminal_game(
        scenario,
        role,
        seed,
        None,
        None,
        futures,
        read=lambda prompt: "q",
        write=said.append,
        write_file=lambda p, t: None,
    )
    return code, said


def test_the_terminal_game() -> None:
    code, said = _quit_at_once("iran_azerbaijan", "iran", 42, 200)
    assert code == 0
    out = [ln.strip() for ln in "\n".join(said).splitlines()]
    terminal = section(STUDENT, "## Without a browser")
    menu = [s for s in spans(re.sub(r"```.*?```", "", terminal, flags=re.S)) if "(rung" in s]
    assert len(menu) == 2
    for line in menu:
        assert line in out, line
    said.clear()
    assert (
        run_terminal_game(
            "iran_azerbaijan",
            None,
            0,
            None,
            None,
            200,
            read=lambda prompt: None,
            write=said.append,
            write_file=lambda p, t: None,
        )
        == 2
    )
    assert said == [
        "borderline: error: --role is required; roles of iran_azerbaijan: azerbaijan, iran, armenia"
    ]
    assert (
        "without `--role` stops with an error that lists the countries that can be played"
        in terminal.replace("\n", " ")
    )


# ----------------------------------------------------------------------------------------------
# The teacher's page: the server's settings it names exist


def test_the_teaching_pages_settings_exist() -> None:
    makefile = read(REPO / "Makefile")
    assert re.search(r"^HOST\s*\?= 127\.0\.0\.1$", makefile, re.M)
    assert re.search(r"^PORT\s*\?= 8765$", makefile, re.M)
    assert "--host $(HOST) --port $(PORT)" in makefile
    assert "export SOLARA_ASSETS_PROXY := true" in makefile
    assert "BORDERLINE_FORECAST_WORKERS" in read(REPO / "sim" / "session.py")
    page = read(DOCS / "teaching.md")
    assert "make play HOST=0.0.0.0 PORT=8765" in page and "BORDERLINE_FORECAST_WORKERS=N" in page


# ----------------------------------------------------------------------------------------------
# Links


#: Pages of the site that its build writes (the command-line reference, generated from the
#: commands, and the changelog): they may be absent from a checkout that has not built it.
MADE_BY_THE_SITE = {"cli.md", "changelog.md"}


def slug(heading: str) -> str:
    """A heading's anchor as MkDocs makes it (Python-Markdown's toc slugify)."""
    text = re.sub(r"[`*]", "", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", read(page), flags=re.S)
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


@pytest.mark.parametrize("page", NEW_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_links_resolve_inside_docs(page: Path) -> None:
    text = re.sub(r"```.*?```", "", read(page), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.is_relative_to(DOCS.resolve()), f"{page.name}: {target} leaves docs/"
        if not dest.exists() and dest.name in MADE_BY_THE_SITE:
            continue
        assert dest.exists(), f"{page.name}: {target} does not exist"
        if anchor:
            assert anchor in anchors(dest), f"{page.name}: no heading #{anchor} in {dest.name}"
