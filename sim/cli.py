"""The ``borderline`` command line (front end: parses arguments, calls runners, prints).

Commands:
    borderline run SCENARIO [--seed N] [--turns N] [--out FILE]
    borderline play SCENARIO --role ID [--seed N] [--load FILE] [--save FILE]
    borderline list
    borderline validate [FILES...]
    borderline schema [--out FILE]
    borderline sweep SPEC [--out DIR] [--resume] [--workers N | --scheduler A | --local-cluster N]
    borderline batch SCENARIO --runs N --out DIR [--param NAME=VALUE ...] [--per-turn]
    borderline report RESULTS [--out DIR]

Bad input (unknown scenario, unreadable or invalid file, bad option) gives a one-line error on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.files import write_text_atomic

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
            write_text_atomic(out, json.dumps(record, indent=2, default=_json_default) + "\n")
        except OSError as exc:
            raise _fail(f"--out {out}: cannot write: {exc.strerror or exc}") from None


@app.command()
def play(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="Scenario file or id (see `borderline list`); with --load, the saved game's "
            "unless given."
        ),
    ] = None,
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
        write_file=write_text_atomic,
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
        files_word = "file" if len(reports) == 1 else "files"
        typer.echo(f"{bad} of {len(reports)} {files_word} invalid", err=True)
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
        write_text_atomic(out, text)
    except OSError as exc:
        raise _fail(f"--out {out}: cannot write: {exc.strerror or exc}") from None


# -- research: sweeps, batches, reports (sim.research) ------------------------------------------

WorkersOpt = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=1024,
        help="Local worker processes (default: one per core; 1: run in this process).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        help="Run on the Dask cluster whose scheduler is at this address (tcp://host:8786)."
    ),
]
LocalClusterOpt = Annotated[
    int | None,
    typer.Option(
        "--local-cluster", min=1, max=256, help="Run on a local Dask cluster of N workers."
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


#: Below this many runs (a few seconds of work) a sweep runs in this process unless --workers
#: says otherwise: starting worker processes would cost more than they save.
SMALL_SWEEP_RUNS = 2_000


def _backend(
    workers: int | None, scheduler: str | None, local_cluster: int | None, runs: int
) -> Any:
    from sim.research.sweep import DaskBackend, Inline, Processes, SweepError

    chosen = [x is not None for x in (workers, scheduler, local_cluster)]
    if sum(chosen) > 1:
        raise _fail("choose one of --workers, --scheduler and --local-cluster")
    try:
        if scheduler is not None:
            return DaskBackend(scheduler=scheduler)
        if local_cluster is not None:
            return DaskBackend(local=local_cluster)
    except SweepError as exc:
        raise _fail(str(exc)) from None
    if workers == 1 or (workers is None and runs < SMALL_SWEEP_RUNS):
        return Inline()
    return Processes(workers)


class _Bar:
    """The progress bar of a sweep (runs, runs/s, time left), on standard error."""

    def __init__(self, total: int, quiet: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(stderr=True)
        self.bar = None
        if not quiet:
            self.bar = Progress(
                TextColumn("runs"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} runs/s · {task.fields[left]} left"),
                console=self.console,
                transient=False,
            )
            self.task = self.bar.add_task("sweep", total=total, rate="-", left="-")

    def __enter__(self) -> _Bar:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, p: Any) -> None:
        if self.bar is None:
            return
        left = "-" if p.left is None else _duration(p.left)
        self.bar.update(self.task, completed=p.done, rate=f"{p.rate:,.0f}", left=left)


def _duration(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


@app.command()
def sweep(
    spec: Annotated[Path, typer.Argument(help="The sweep file (docs/research.md).")],
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: the spec's out:).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish a sweep that was stopped: skip done chunks.")
    ] = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    local_cluster: LocalClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run a sweep: a design of parameter values, replicates with common random numbers,
    written chunk by chunk as Parquet."""
    from sim.research.spec import SpecError, load_spec
    from sim.research.sweep import Interrupted, Plan, SweepError, prepare_folder, run_sweep

    try:
        sw = load_spec(spec, out)
    except SpecError as exc:
        for line in str(exc).splitlines():
            typer.echo(f"borderline: error: {line}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    plan = Plan.of(sw)
    try:
        prepare_folder(plan, sw.out, resume)  # checked before anything starts or is written
    except SweepError as exc:
        raise _fail(str(exc)) from None
    backend = _backend(workers, scheduler, local_cluster, plan.runs)
    typer.echo(
        f"{sw.spec.name}: {len(plan.design):,} points × {sw.spec.replicates:,} replicates = "
        f"{plan.runs:,} runs in {plan.chunks:,} chunk{'s' if plan.chunks != 1 else ''} on "
        f"{backend.name} → {sw.out}",
        err=True,
    )
    try:
        with _Bar(plan.runs, quiet) as bar:
            result = run_sweep(sw, backend, sw.out, resume=resume, progress=bar)
    except SweepError as exc:
        raise _fail(str(exc)) from None
    except Interrupted:
        typer.echo(
            f"borderline: interrupted: the finished chunks are in {sw.out}; "
            f"run again with --resume to finish",
            err=True,
        )
        raise typer.Exit(130) from None
    finally:
        backend.close()
    if resume and result.ran == 0 and not result.failed:
        typer.echo(f"done: the sweep was already finished, nothing to run → {sw.out}", err=True)
        return
    failed = f", {result.failed:,} failed (see failures/)" if result.failed else ""
    typer.echo(
        f"done: {result.ran:,} runs in {result.seconds:.1f} s ({result.rate:,.0f} runs/s)"
        f"{failed} → {sw.out}",
        err=True,
    )


def _parse_params(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--param {item!r}: write NAME=VALUE, e.g. --param war_aversion=0.5")
        try:
            number = float(value)
        except ValueError:
            raise _fail(f"--param {item!r}: {value!r} is not a number") from None
        if name.strip() in out:
            raise _fail(f"--param {name.strip()} is given twice")
        out[name.strip()] = number
    return out


@app.command()
def batch(
    scenario: Annotated[str, typer.Argument(help="Scenario file or id (see `borderline list`).")],
    runs: Annotated[int, typer.Option(min=1, max=10_000_000, help="Number of runs.")],
    out: Annotated[Path, typer.Option(help="Output folder (must be new or empty).")],
    param: Annotated[
        list[str] | None,
        typer.Option(help="Set a weight or rule parameter, NAME=VALUE (repeatable)."),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the first run (then +1, +2...).")] = 0,
    turns: Annotated[
        int | None, typer.Option(min=1, max=520, help="Override the scenario's horizon.")
    ] = None,
    per_turn: Annotated[
        bool, typer.Option("--per-turn", help="Also write the per-turn dyad, actor, event tables.")
    ] = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    local_cluster: LocalClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run plain seeded replicates: OUT/outcomes.parquet (one row per run) and OUT/manifest.json."""
    from sim.research.batch import BatchError, check_out, replicates, run_replicates, write_batch
    from sim.research.spec import SpecError
    from sim.research.sweep import Interrupted

    params = _parse_params(param or [])
    try:
        check_out(out)
    except BatchError as exc:
        raise _fail(str(exc)) from None
    try:
        sw = replicates(scenario, runs, params, seed, turns, per_turn)
    except SpecError as exc:
        for problem in exc.problems:
            parts = problem.field.split(".")
            if parts[0] == "parameters" and len(parts) > 1:
                name = ".".join(p for p in parts[1:] if p not in ("values", "[key]"))
                where = f"--param {name}"
            else:
                where = {"scenario": "SCENARIO", "turns": "--turns", "seed": "--seed"}.get(
                    parts[0], ""
                )
            where = where or "borderline batch"
            typer.echo(f"borderline: error: {where}: {problem.message}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    backend = _backend(workers, scheduler, local_cluster, runs)
    try:
        with _Bar(runs, quiet) as bar:
            result = run_replicates(sw, backend, bar)
        write_batch(out, result)
    except BatchError as exc:
        raise _fail(str(exc)) from None
    except Interrupted:
        typer.echo("borderline: interrupted: nothing was written", err=True)
        raise typer.Exit(130) from None
    finally:
        backend.close()
    typer.echo(
        f"done: {result.runs:,} runs in {result.seconds:.1f} s ({result.rate:,.0f} runs/s) "
        f"→ {out / 'outcomes.parquet'}",
        err=True,
    )


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="A sweep or batch folder.")],
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the plots and tables (default RESULTS/report)."),
    ] = None,
) -> None:
    """Summarise a sweep or batch: outcome probabilities with Wilson intervals, war length and
    losses, Sobol or Morris indices; writes plots and CSV tables."""
    from sim.research.report import ReportError, make_report

    try:
        rep = make_report(results, out)
    except ReportError as exc:
        raise _fail(str(exc)) from None
    typer.echo(rep.text)
    typer.echo(f"wrote {len(rep.files)} files to {rep.folder}", err=True)


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
