"""The ``borderline`` command line (front end: parses arguments, calls runners, prints).

Commands:
    borderline run SCENARIO [--seed N] [--turns N] [--out FILE]
    borderline play SCENARIO --role ID [--seed N] [--load FILE] [--save FILE]
    borderline list
    borderline validate [FILES...]
    borderline schema [--out FILE]

Bad input (unknown scenario, unreadable or invalid file, bad option) gives a one-line error on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Borderline: simulate border crises, coded on the Correlates of War MID scale.",
    pretty_exceptions_enable=False,
)

EXIT_USAGE = 2


def _fail(message: str) -> typer.Exit:
    typer.echo(f"borderline: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _write_atomic(path: Path, text: str) -> None:
    """Write a file via a temporary file and a rename, so a failure never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario file or id (see `borderline list`).")],
    seed: Annotated[int, typer.Option(min=0, help="Seed of the run.")] = 0,
    turns: Annotated[
        int | None, typer.Option(min=1, max=520, help="Override the scenario's horizon.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Also write the run (manifest, outcome, events) to this .json file."),
    ] = None,
) -> None:
    """Run one seeded crisis and print the coded turn log and the outcome."""
    from sim.engine import IllegalMove
    from sim.model import CrisisModel
    from sim.report import dyad_summary, outcome_lines, turn_lines
    from sim.scenario import ScenarioError

    if out is not None:
        if out.suffix.lower() != ".json":
            raise _fail(f"--out {out}: only .json output is supported")
        folder = out.absolute().parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # missing folders are created when writing
        if out.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            raise _fail(f"--out {out}: cannot write there ({folder} is not a writable folder)")
    try:
        model = CrisisModel(crisis=scenario, turns=turns, rng=seed)
    except ScenarioError as exc:
        raise _fail(str(exc)) from None
    except (ValueError, IllegalMove) as exc:
        raise _fail(str(exc)) from None
    static = model.prepared.static
    meta = model.prepared.scenario.metadata
    start = model.prepared.scenario.time.start_date or meta.date
    lines = [f"{meta.title} — seed {seed}", meta.summary, ""]
    while model.running:
        model.step()
        rec = model.records[-1]
        lines.extend(turn_lines(static, rec, start=start))
        st = model.state
        lines.extend(dyad_summary(static, st.rung[0], st.mid_action[0], st.tension[0]))
    outcome = model.outcome()
    lines.append("")
    lines.extend(outcome_lines(outcome))
    typer.echo("\n".join(lines))
    if out is not None:
        record: dict[str, Any] = {
            "manifest": model.manifest(),
            "outcome": outcome,
            "outcome_actors": model.outcome_actors().to_dict(orient="records"),
            "events": model.event_table().to_dict(orient="records"),
        }
        try:
            _write_atomic(out, json.dumps(record, indent=2, default=_json_default) + "\n")
        except OSError as exc:
            raise _fail(f"--out {out}: cannot write: {exc.strerror or exc}") from None


@app.command()
def play(
    scenario: Annotated[str, typer.Argument(help="Scenario file or id (see `borderline list`).")],
    role: Annotated[
        str | None, typer.Option(help="The country you play (an actor id with a role).")
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the game.")] = 0,
    load: Annotated[
        Path | None, typer.Option(help="Resume a game saved with `s FILE` or --save.")
    ] = None,
    save: Annotated[
        Path | None, typer.Option(help="Save the game to this .json file when you quit or it ends.")
    ] = None,
    futures: Annotated[
        int, typer.Option(min=1, max=2000, help="Simulated futures per move for the advisor.")
    ] = 200,
) -> None:
    """Play a crisis as one country in the terminal: a numbered menu of moves each turn."""
    from sim.play import run_terminal_game

    code = run_terminal_game(
        scenario=scenario,
        role=role,
        seed=seed,
        load=load,
        save=save,
        futures=futures,
        read=_read_line,
        write=typer.echo,
        write_file=_write_atomic,
    )
    if code:
        raise typer.Exit(code)


def _read_line(prompt: str) -> str | None:
    """A line from standard input, or None at its end."""
    try:
        return input(prompt)
    except EOFError:
        return None


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@app.command("list")
def list_() -> None:
    """List the scenarios under scenarios/ with one-line summaries."""
    from sim.scenario import ScenarioError, list_scenarios, load_scenario

    for path in list_scenarios():
        try:
            sc = load_scenario(path)
        except ScenarioError as exc:
            first = str(exc).splitlines()[0] if str(exc) else "invalid"
            typer.echo(f"{path.stem:28s} INVALID: {first}")
            continue
        summary = " ".join(sc.metadata.summary.split())
        typer.echo(f"{path.stem:28s} {sc.metadata.title}: {summary}")


@app.command()
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Scenario files (default: all of scenarios/).")
    ] = None,
) -> None:
    """Validate scenario files; print one line per problem; exit 2 if any file is invalid."""
    from sim.scenario import validate_paths
    from sim.scenario.problems import display_path

    reports = validate_paths(list(files or []))
    bad = 0
    for report in reports:
        if report.ok:
            typer.echo(f"{display_path(Path(report.path))}: ok")
        else:
            bad += 1
            for problem in report.problems:
                typer.echo(str(problem), err=True)
    if bad:
        typer.echo(f"{bad} of {len(reports)} file(s) invalid", err=True)
        raise typer.Exit(EXIT_USAGE)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write the JSON Schema to this file.")] = None,
) -> None:
    """Print (or write) the JSON Schema of scenario files."""
    from sim.scenario import schema_text

    text = schema_text()
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        _write_atomic(out, text)
    except OSError as exc:
        raise _fail(f"--out {out}: cannot write: {exc.strerror or exc}") from None


def _is_a(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is a click exception of class ``name``.

    Typer vendors its own copy of click (``typer._click``) in recent releases and uses the real
    one in older ones, so the classes are matched by name rather than imported.
    """
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``borderline`` command.

    Usage errors (an unknown option, a seed that is not a number) are printed as one line, not
    as a framed panel, and exit with code 2.
    """
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="borderline", standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("borderline: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if _is_a(exc, "Abort"):
            typer.echo("borderline: interrupted", err=True)
            sys.exit(130)
        if not _is_a(exc, "ClickException"):
            raise
        message = exc.format_message()  # type: ignore[attr-defined]
        ctx = getattr(exc, "ctx", None)
        where = f"borderline {ctx.info_name}" if ctx is not None and ctx.parent else "borderline"
        hint = f" (see: {where} --help)" if _is_a(exc, "UsageError") else ""
        typer.echo(f"borderline: error: {message}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", EXIT_USAGE))
    sys.exit(code if isinstance(code, int) else 0)
