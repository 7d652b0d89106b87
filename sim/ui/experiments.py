"""The experiments page: vary two parameters of a crisis over a grid and see how often it ends
in war.

The user chooses a crisis, two parameters (a short list of meaningful ones first, every
sweepable one on request), each one's range and steps, the replicates per point and the turns;
Run runs the grid sweep in a background thread of this process (sim.research.sweep, the
``Inline`` backend) with a progress bar and a Cancel button; the result is a heat map of the
share of runs that reach war (or use force, or settle) over the two parameters, with the runs
behind each cell and the width of their Wilson intervals.

Two layers, as sim/ui/charts.py: pure functions (:func:`build_spec`, :func:`prepare`,
:func:`heat_table`, :func:`heat_figure`, :func:`run_experiment`), tested without a page, and thin
Solara components (:func:`Experiments`, and :func:`Page` to serve it alone:
``solara run sim/ui/experiments.py``). Every number comes from sim.research; nothing here models
anything.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.research.spec import Factor, SpecError, Sweep, spec_from_data, sweepable
from sim.research.sweep import Inline, Interrupted, Progress, param_column, run_sweep
from sim.scenario import Scenario, load_scenario
from sim.session import CrisisEntry, playable, wilson
from sim.ui.figures import FigurePng
from sim.weights import INDEX, TABLE
from sim.world import parameter_defaults

#: Most runs one experiment of the page may ask for (larger sweeps: ``borderline sweep``).
MAX_RUNS = 20_000
#: Steps of one parameter's axis, and replicates per point, the page offers.
STEPS = (2, 8)
REPLICATES = (5, 500)
#: Runs × turns per chunk of the sweep: about half a second of work on one core, so Cancel
#: (which the sweep sees between chunks) answers within a second or so.
CHUNK_RUN_TURNS = 3_000

#: The parameters offered first: name -> (plain label, plain meaning, default min, default max).
CURATED: dict[str, tuple[str, str, float, float]] = {
    "war_aversion": (
        "War aversion",
        "How much leaders weigh the expected cost of a war when deciding on one (1 is the "
        "model's usual value; 0, not at all).",
        0.25,
        3.0,
    ),
    "misperception": (
        "Misperception",
        "How wrongly each side judges its chances of winning a war against each other side "
        "(0: everyone knows the odds).",
        0.0,
        1.0,
    ),
    "temperature": (
        "Randomness of decisions",
        "Near 0 a leader always takes the move that looks best; large, leaders act almost at "
        "random.",
        0.05,
        1.0,
    ),
    "restraint": (
        "Restraint",
        "How much a side holds back from escalating against a stronger adversary.",
        0.0,
        1.0,
    ),
    "reciprocity": (
        "Reciprocity",
        "How far a side answers in kind the rung its adversary used against it (tit for tat).",
        0.0,
        1.5,
    ),
    "rules.drone_parity.weight": (
        "Weight of the drone balance",
        "How strongly the balance of drones against air defence decides ground combat.",
        0.0,
        2.0,
    ),
    "rules.combat.lethality": (
        "Lethality of combat",
        "Armour destroyed per day of war per effective enemy item.",
        0.005,
        0.1,
    ),
    "rules.domestic.audience_cost": (
        "Audience cost",
        "Pressure at home on a leader who backs down after a public threat.",
        0.0,
        1.0,
    ),
}

#: The outcomes a heat map can show: key -> (title, what a run counts for).
OUTCOMES: dict[str, tuple[str, str]] = {
    "war": ("P(war)", "the share of runs that reach a war"),
    "force": ("P(use of force)", "the share of runs in which force is used (MID level 4 or 5)"),
    "settled": ("P(settled)", "the share of runs in which the crisis settles"),
}
#: The MID hostility level from which a run counts as a use of force.
FORCE_LEVEL = 4

#: Text styles (solara.Markdown would load KaTeX from a CDN: not offline).
TITLE_STYLE = {"font-size": "1.6em", "font-weight": "500", "display": "block"}
SMALL = {"font-size": "0.85em", "color": "#555", "display": "block"}


# -- the choice, as data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """One parameter of the grid: its name (as sim.research.spec.sweepable has it), range and
    steps (evenly spaced values from ``lo`` to ``hi``)."""

    name: str
    lo: float
    hi: float
    steps: int = 4

    def values(self) -> list[float]:
        return [float(v) for v in np.linspace(self.lo, self.hi, self.steps)]


@dataclass(frozen=True)
class Choice:
    """Everything the page's form sets: a crisis, two axes, replicates and turns."""

    scenario: str
    x: Axis
    y: Axis
    replicates: int = 20
    turns: int | None = None
    seed: int = 0

    @property
    def runs(self) -> int:
        return self.x.steps * self.y.steps * self.replicates


class ChoiceError(ValueError):
    """The form asks for something that cannot run; ``messages`` say what, in plain lines."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def build_spec(choice: Choice) -> dict[str, Any]:
    """The sweep spec (as data, the shape of a sweep file: docs/research.md) of a choice: a
    full grid of the two axes, kept in memory. Not validated: see :func:`prepare`."""
    spec: dict[str, Any] = {
        "sweep_version": 1,
        "name": f"experiments page: {choice.x.name} x {choice.y.name}",
        "scenario": choice.scenario,
        "parameters": {
            a.name: {"min": float(a.lo), "max": float(a.hi), "steps": int(a.steps)}
            for a in (choice.x, choice.y)
        },
        "design": {"kind": "grid"},
        "replicates": int(choice.replicates),
        "seed": int(choice.seed),
        "out": "experiments",  # unused: the page keeps the tables in memory
    }
    if choice.turns is not None:
        spec["turns"] = int(choice.turns)
    turns = choice.turns or 26
    spec["chunk_runs"] = chunk_runs(turns)
    return spec


def chunk_runs(turns: int) -> int:
    """Runs per chunk for runs of ``turns`` turns: about :data:`CHUNK_RUN_TURNS` run-turns, so
    that a chunk is short and Cancel is quick (chunking does not change the results)."""
    return max(10, min(1_000, CHUNK_RUN_TURNS // max(1, turns)))


def _field_label(field: str, choice: Choice) -> str:
    """A problem's field as the form calls it: ``war_aversion, max`` for
    ``parameters.war_aversion.max``."""
    for a in (choice.x, choice.y):
        prefix = f"parameters.{a.name}"
        if field == prefix or field == f"{prefix}.[key]":
            return a.name
        if field.startswith(prefix + "."):
            return f"{a.name}, {field[len(prefix) + 1 :]}"
    return {"scenario": "crisis", "replicates": "replicates", "turns": "turns"}.get(field, field)


def problem_lines(exc: SpecError, choice: Choice) -> list[str]:
    """The problems of a spec, one plain line each (no file, no error code)."""
    out = []
    for p in exc.problems:
        label = _field_label(p.field, choice)
        out.append(f"{label}: {p.message}" if label else p.message)
    return out


def prepare(choice: Choice, scenario: Scenario | None = None) -> Sweep:
    """The validated sweep of a choice.

    Raises:
        ChoiceError: the same parameter twice, too many runs, or the spec's problems
            (sim.research.spec.SpecError), as plain lines.
    """
    if choice.x.name == choice.y.name:
        raise ChoiceError([f"choose two different parameters (both are {choice.x.name})"])
    if choice.runs > MAX_RUNS:
        raise ChoiceError(
            [
                f"{choice.x.steps} × {choice.y.steps} points × {choice.replicates} replicates = "
                f"{choice.runs:,} runs; the page runs at most {MAX_RUNS:,}. Use fewer steps or "
                "replicates, or `borderline sweep` on the command line for a larger study."
            ]
        )
    try:
        return spec_from_data(build_spec(choice), scenario)
    except SpecError as exc:
        raise ChoiceError(problem_lines(exc, choice)) from None


# -- parameters --------------------------------------------------------------------------------


def _rule_value(scenario: Scenario, name: str) -> float | None:
    _, rule, field = name.split(".", 2)
    params = getattr(scenario.rules, rule, None)
    value = getattr(params, field, None)
    return float(value) if isinstance(value, int | float) else None


def current_value(scenario: Scenario, name: str) -> float | None:
    """A parameter's value in the scenario (a weight's default, a rule's setting)."""
    if name in INDEX:
        return float(parameter_defaults(scenario)[name])
    return _rule_value(scenario, name)


def describe(scenario: Scenario, name: str) -> str:
    """What a parameter does, in a sentence: the plain words for the curated ones, else the
    model's (the weights table, or the rule's schema)."""
    if name in CURATED:
        return CURATED[name][1]
    if name in INDEX:
        return TABLE[INDEX[name]].meaning
    _, rule, field = name.split(".", 2)
    params = getattr(scenario.rules, rule, None)
    info = type(params).model_fields.get(field) if params is not None else None
    return (info.description or "") if info is not None else ""


def label(name: str) -> str:
    """A parameter as the lists show it: ``War aversion (war_aversion)``, or its name."""
    return f"{CURATED[name][0]} ({name})" if name in CURATED else name


def offered(allowed: dict[str, Factor], every: bool) -> list[str]:
    """The parameters the lists offer: the curated ones this scenario has, then (``every``)
    every other sweepable one."""
    first = [n for n in CURATED if n in allowed]
    return first + sorted(n for n in allowed if n not in CURATED) if every else first


def default_axis(scenario: Scenario, factor: Factor, steps: int = 4) -> Axis:
    """A sensible starting range for a parameter, within its bounds: the curated range, else
    half to twice its value in the scenario."""
    lo, hi = factor.lo, factor.hi
    if factor.name in CURATED:
        a, b = CURATED[factor.name][2:]
    else:
        v = current_value(scenario, factor.name) or 0.0
        if v > 0:
            a, b = v / 2, v * 2
        elif v < 0:
            a, b = v * 2, v / 2
        else:
            a, b = 0.0, 1.0
    a, b = max(lo, a), min(hi, b)
    if factor.integer:
        a, b = float(math.ceil(a)), float(math.floor(b))
    if b <= a:  # a narrow or odd range: its bounds, where finite
        a = lo if math.isfinite(lo) else a
        b = hi if math.isfinite(hi) else a + 1.0
    return Axis(factor.name, _round(a), _round(b), steps)


def _round(x: float) -> float:
    return float(f"{x:.4g}")


def fmt(x: float) -> str:
    """A parameter value for an axis or a field: 3 significant digits."""
    return f"{x:.3g}"


# -- running -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """How far a running sweep is (what the progress bar shows)."""

    done: int
    total: int
    rate: float
    left: float | None

    @classmethod
    def of(cls, p: Progress) -> Status:
        return cls(p.done, p.total, p.rate, p.left)

    def line(self) -> str:
        left = "" if self.left is None else f" · about {_seconds(self.left)} left"
        rate = f" · {self.rate:,.0f} runs/s" if self.rate > 0 else ""
        return f"{self.done:,} of {self.total:,} runs{rate}{left}"


def _seconds(s: float) -> str:
    if s < 90:
        return f"{max(1, round(s))} s"
    return f"{s / 60:.0f} min"


@dataclass(frozen=True)
class Result:
    """A finished experiment: its choice, the per-run outcomes and design, and its speed."""

    choice: Choice
    outcomes: pd.DataFrame
    design: pd.DataFrame
    runs: int
    failed: int
    seconds: float
    scenario_title: str
    turns: int
    failure: str = ""  # the first failed run's error, if any


def run_experiment(
    sweep: Sweep,
    choice: Choice,
    progress: Callable[[Progress], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Result:
    """Run a prepared sweep in this process (sim.research.sweep.Inline), in memory.

    Raises:
        Interrupted: ``stop`` said so (it is asked between chunks).
    """
    out = run_sweep(sweep, Inline(), in_memory=True, progress=progress, stop=stop)
    assert out.tables is not None
    outcomes = out.tables.get("outcomes", pd.DataFrame())
    failures = out.tables.get("failures")
    failure = _first_error(failures)
    return Result(
        choice,
        outcomes,
        out.tables["design"],
        out.runs,
        out.failed,
        out.seconds,
        sweep.scenario.metadata.title,
        sweep.spec.turns or sweep.scenario.time.horizon_turns,
        failure,
    )


def _first_error(failures: pd.DataFrame | None) -> str:
    """The first failed run's error on one short line ('' when none failed)."""
    if failures is None or failures.empty:
        return ""
    lines = str(failures["error"].iloc[0]).splitlines()
    text = " ".join(ln.strip() for ln in lines if not ln.strip().startswith("For further"))
    return text if len(text) <= 240 else text[:239] + "…"


# -- the heat map ------------------------------------------------------------------------------


def outcome_hits(outcomes: pd.DataFrame, outcome: str) -> pd.Series:
    """Whether each run counts for an outcome of :data:`OUTCOMES` (a boolean per run)."""
    if outcome == "war":
        return outcomes["war"].astype(bool)
    if outcome == "force":
        return outcomes["peak_mid_level"] >= FORCE_LEVEL
    if outcome == "settled":
        return outcomes["settled"].astype(bool)
    raise ValueError(f"unknown outcome {outcome!r}: one of {', '.join(OUTCOMES)}")


def heat_table(outcomes: pd.DataFrame, x: str, y: str, outcome: str = "war") -> pd.DataFrame:
    """One row per cell of the grid (every pair of values of ``x`` and ``y`` that has runs):
    the two values (columns named ``x`` and ``y``), ``runs``, ``hits`` (runs that count for
    the outcome), ``share`` and its 95% Wilson interval ``low``..``high``; sorted by x then y.
    Runs that failed have no row in ``outcomes``; a sweep none of whose runs ran gives an empty
    table."""
    if outcomes.empty or param_column(x) not in outcomes or param_column(y) not in outcomes:
        return pd.DataFrame(columns=[x, y, "runs", "hits", "share", "low", "high"])
    hits = outcome_hits(outcomes, outcome)
    frame = pd.DataFrame(
        {
            x: outcomes[param_column(x)].to_numpy(dtype=float),
            y: outcomes[param_column(y)].to_numpy(dtype=float),
            "hit": hits.to_numpy(dtype=bool),
        }
    )
    table = (
        frame.groupby([x, y], sort=True)["hit"]
        .agg(runs="size", hits="sum")
        .reset_index()
        .astype({"runs": np.int64, "hits": np.int64})
    )
    table["share"] = table["hits"] / table["runs"]
    bounds = [wilson(int(k), int(n)) for k, n in zip(table["hits"], table["runs"], strict=True)]
    table["low"] = [b[0] for b in bounds]
    table["high"] = [b[1] for b in bounds]
    return table


def wilson_note(table: pd.DataFrame) -> str:
    """What the cells rest on: the runs per cell and how wide their Wilson intervals are."""
    if table.empty:
        return "No runs to show."
    runs = table["runs"]
    per = f"{runs.iloc[0]:,} runs" if runs.nunique() == 1 else f"{runs.min():,}-{runs.max():,} runs"
    half = float(((table["high"] - table["low"]) / 2).max())
    return (
        f"Each cell is the share of its {per}. Their 95% Wilson intervals are up to "
        f"±{100 * half:.0f} percentage points wide (widest near 50%): a difference between "
        "two cells smaller than that may be luck. Every cell uses the same seeds (common random "
        "numbers), so the differences between cells are less noisy than each cell alone. More "
        "replicates narrow the intervals (4 times the replicates, half the width)."
    )


def heat_figure(
    table: pd.DataFrame, x: str, y: str, outcome: str = "war", subtitle: str = ""
) -> Figure:
    """The heat map of a :func:`heat_table`: ``x`` across, ``y`` up, each cell coloured and
    labelled with its share, and the runs behind it."""
    grid = table.pivot(index=y, columns=x, values="share").sort_index().sort_index(axis=1)
    runs = table.pivot(index=y, columns=x, values="runs").reindex_like(grid)
    xs = [float(v) for v in grid.columns]
    ys = [float(v) for v in grid.index]
    width = min(7.0, max(5.0, 0.6 * len(xs) + 2.6))
    height = min(6.0, max(3.6, 0.5 * len(ys) + 1.7))
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    values = grid.to_numpy(dtype=float)
    counts = runs.to_numpy(dtype=float)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        origin="lower",
        cmap="Reds" if outcome != "settled" else "Greens",
        vmin=0.0,
        vmax=1.0,
        aspect="auto",
    )
    for i in range(len(ys)):
        for j in range(len(xs)):
            share = values[i, j]
            if not np.isfinite(share):
                continue
            colour = "white" if share > 0.6 else "#222"
            ax.text(j, i + 0.08, f"{100 * share:.0f}%", ha="center", va="center", color=colour)
            n = int(counts[i, j])
            ax.text(j, i - 0.22, f"n={n}", ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(len(xs)), [fmt(v) for v in xs])
    ax.set_yticks(range(len(ys)), [fmt(v) for v in ys])
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    title = OUTCOMES[outcome][0]
    ax.set_title(f"{title}{' · ' + subtitle if subtitle else ''}", fontsize=11, loc="left")
    bar = fig.colorbar(image, ax=ax, format=PercentFormatter(1.0, decimals=0))
    bar.set_label(OUTCOMES[outcome][1], fontsize=8)
    fig.tight_layout()
    return fig


# -- components --------------------------------------------------------------------------------


@solara.component
def AxisForm(
    title: str,
    axis: Axis,
    on_axis: Callable[[Axis], None],
    names: list[str],
    allowed: dict[str, Factor],
    scenario: Scenario,
    css: str,
) -> None:
    """One parameter of the grid: which, its meaning, bounds, range and steps."""
    factor = allowed.get(axis.name)
    labels = [label(n) for n in names]
    by_label = dict(zip(labels, names, strict=True))
    shown = labels if axis.name in names else [label(axis.name), *labels]
    by_label.setdefault(label(axis.name), axis.name)

    def choose(text: str | None) -> None:
        name = by_label.get(text or "")
        if name is not None and name != axis.name and name in allowed:
            on_axis(default_axis(scenario, allowed[name], axis.steps))

    with solara.Column(classes=[css], gap="4px"):
        solara.Text(title, style={"font-weight": "bold", "display": "block"})
        solara.Select(label="Parameter", value=label(axis.name), values=shown, on_value=choose)
        if factor is not None:
            solara.Text(describe(scenario, axis.name), classes=["param-help"], style=SMALL)
            now = current_value(scenario, axis.name)
            solara.Text(
                f"Allowed {fmt(factor.lo)} to {fmt(factor.hi)}"
                + (f"; {fmt(now)} in this crisis" if now is not None else ""),
                style=SMALL,
            )
        with solara.Row():
            solara.InputFloat(
                "From",
                value=axis.lo,
                on_value=lambda v: on_axis(replace(axis, lo=float(v))) if v is not None else None,
                classes=[f"{css}-min"],
            )
            solara.InputFloat(
                "To",
                value=axis.hi,
                on_value=lambda v: on_axis(replace(axis, hi=float(v))) if v is not None else None,
                classes=[f"{css}-max"],
            )
        solara.SliderInt(
            f"Steps: {axis.steps}",
            value=axis.steps,
            min=STEPS[0],
            max=STEPS[1],
            on_value=lambda v: on_axis(replace(axis, steps=int(v))),
        )


def initial_choice(crisis: CrisisEntry | str, scenario: Scenario) -> Choice:
    """The form's starting point for a crisis: war aversion across, misperception up."""
    sid = crisis if isinstance(crisis, str) else crisis.id
    allowed = sweepable(scenario)
    names = offered(allowed, every=True)
    x_name = "war_aversion" if "war_aversion" in allowed else names[0]
    y_name = "misperception" if "misperception" in allowed else names[1]
    return Choice(
        sid,
        default_axis(scenario, allowed[x_name]),
        default_axis(scenario, allowed[y_name]),
        replicates=20,
        turns=scenario.time.horizon_turns,
    )


@solara.component
def Heatmap(result: Result, run: int) -> None:
    """The finished experiment: the outcome to show, the heat map and what it rests on."""
    outcome, set_outcome = solara.use_state("war")
    c = result.choice
    table = solara.use_memo(
        lambda: heat_table(result.outcomes, c.x.name, c.y.name, outcome), [run, outcome]
    )
    titles = [t for t, _ in OUTCOMES.values()]
    with solara.Card("Result", classes=["experiment-result"]):
        solara.ToggleButtonsSingle(
            value=OUTCOMES[outcome][0],
            values=titles,
            on_value=lambda t: set_outcome(next(k for k, v in OUTCOMES.items() if v[0] == t)),
            dense=True,
            classes=["experiment-outcome"],
        )
        sub = f"{result.scenario_title}, {result.turns} turns"
        if table.empty:
            solara.Error(f"Every run failed: {result.failure}", classes=["experiment-all-failed"])
        else:
            FigurePng(
                lambda: heat_figure(table, c.x.name, c.y.name, outcome, sub),
                [run, outcome],
            )
            solara.Text(wilson_note(table), classes=["wilson-note"], style=SMALL)
        done = (
            f"{result.runs:,} runs in {result.seconds:.1f} s "
            f"({result.runs / max(result.seconds, 1e-9):,.0f} runs/s)."
        )
        if result.failed:
            done += (
                f" {result.failed:,} runs failed and are left out (the first: {result.failure})."
            )
        solara.Text(done, classes=["experiment-done"], style=SMALL)
        solara.FileDownload(
            lambda: result.outcomes.to_csv(index=False).encode(),
            filename=f"experiment-{c.scenario}-{c.x.name}-{c.y.name}.csv",
            label="Download the runs (CSV)",
        )


@solara.component
def RunProgress(status: solara.Reactive[Status | None], cancelling: bool) -> None:
    """The progress bar of a running sweep (only this re-renders as the runs go)."""
    s = status.value
    if s is None:
        solara.Text("Starting ...", classes=["experiment-progress"])
        solara.ProgressLinear(True)
        return
    solara.Text(
        ("Cancelling ... " if cancelling else "") + s.line(), classes=["experiment-progress"]
    )
    solara.ProgressLinear(value=100 * s.done / max(1, s.total))


@solara.component
def Experiments(start: Choice | None = None) -> None:
    """The experiments page: the form, Run and Cancel, the progress, the heat map."""
    crises = solara.use_memo(playable, [])
    titles = {c.id: c.title for c in crises}
    first = start.scenario if start is not None else crises[0].id
    sid, set_sid = solara.use_state(first)
    scenario = solara.use_memo(lambda: load_scenario(sid), [sid])
    allowed = solara.use_memo(lambda: sweepable(scenario), [sid])
    none_choice: Choice | None = None
    picked, set_picked = solara.use_state(start if start is not None else none_choice)
    choice = picked if picked is not None and picked.scenario == sid else None
    if choice is None:
        choice = initial_choice(sid, scenario)
    every, set_every = solara.use_state(False)
    names = offered(allowed, every)

    none_status: Status | None = None
    status = solara.use_reactive(none_status)
    run_count = solara.use_ref(0)
    cancelled = solara.use_reactive(False)
    no_problems: list[str] = []
    problems, set_problems = solara.use_state(no_problems)

    def work(sweep: Sweep, c: Choice) -> Result | None:
        def progress(p: Progress) -> None:
            if task.is_current():
                status.set(Status.of(p))

        try:
            return run_experiment(sweep, c, progress, stop=lambda: not task.is_current())
        except Interrupted:
            return None

    task = solara.lab.use_task(work, dependencies=None)

    def run() -> None:
        try:
            sweep = prepare(choice, scenario)
        except ChoiceError as exc:
            set_problems(exc.messages)
            return
        set_problems([])
        cancelled.set(False)
        status.set(None)
        run_count.current += 1
        task(sweep, choice)

    def cancel() -> None:
        cancelled.set(True)
        if task.pending:
            task.cancel()

    def update(c: Choice) -> None:
        set_picked(c)
        set_problems([])

    running = task.pending and not task.cancelled
    with solara.Column(classes=["experiments"], style={"max-width": "1100px"}):
        solara.Text("Experiments", style=TITLE_STYLE)
        solara.Text(
            "Vary two parameters of a crisis over a grid and see how often it ends in war. Each "
            "point of the grid is run many times (the replicates), all points with the same "
            "seeds, with the computer playing every country.",
            style=SMALL,
        )
        with solara.Columns([5, 7]):
            with solara.Card("Experiment", classes=["experiment-form"]):
                solara.Select(
                    label="Crisis",
                    value=titles.get(sid, sid),
                    values=[c.title for c in crises],
                    on_value=lambda t: set_sid(next(c.id for c in crises if c.title == t)),
                )
                AxisForm(
                    "Across (x)",
                    choice.x,
                    lambda a: update(replace(choice, x=a)),
                    names,
                    allowed,
                    scenario,
                    "axis-x",
                )
                AxisForm(
                    "Up (y)",
                    choice.y,
                    lambda a: update(replace(choice, y=a)),
                    names,
                    allowed,
                    scenario,
                    "axis-y",
                )
                solara.Checkbox(
                    label=f"Offer every parameter ({len(allowed)}), not only the main ones",
                    value=every,
                    on_value=set_every,
                )
                solara.SliderInt(
                    f"Replicates per point: {choice.replicates}",
                    value=choice.replicates,
                    min=REPLICATES[0],
                    max=REPLICATES[1],
                    step=5,
                    on_value=lambda v: update(replace(choice, replicates=int(v))),
                )
                horizon = scenario.time.horizon_turns
                turns = choice.turns or horizon
                solara.SliderInt(
                    f"Turns: {turns} (the crisis's horizon is {horizon})",
                    value=turns,
                    min=1,
                    max=max(52, horizon),
                    on_value=lambda v: update(replace(choice, turns=int(v))),
                )
                over = choice.runs > MAX_RUNS
                solara.Text(
                    f"{choice.x.steps} × {choice.y.steps} points × {choice.replicates} "
                    f"replicates = {choice.runs:,} runs"
                    + (f" (the page runs at most {MAX_RUNS:,})" if over else ""),
                    classes=["total-runs"],
                    style={"display": "block", "font-weight": "bold", "margin": "6px 0"},
                )
                with solara.Row():
                    solara.Button(
                        "Run", on_click=run, color="primary", disabled=running, classes=["run"]
                    )
                    solara.Button(
                        "Cancel", on_click=cancel, disabled=not running, classes=["cancel"]
                    )
                if problems:
                    solara.Error(
                        "This experiment cannot run: "
                        + " ".join(f"{p.rstrip('.')}." for p in problems),
                        classes=["experiment-problems"],
                    )
            with solara.Column():
                if running:
                    with solara.Card("Running", classes=["experiment-running"]):
                        RunProgress(status, cancelled.value)
                elif task.cancelled or (cancelled.value and task.finished):
                    s = status.value
                    far = f" after {s.done:,} of {s.total:,} runs" if s is not None else ""
                    solara.Warning(
                        f"The experiment was cancelled{far}; nothing is shown from a sweep "
                        "that did not finish.",
                        classes=["experiment-cancelled"],
                    )
                elif task.error:
                    solara.Error(
                        f"The experiment failed: {task.exception}", classes=["experiment-failed"]
                    )
                elif task.finished and task.value is not None:
                    Heatmap(task.value, run_count.current)
                else:
                    solara.Info(
                        "Choose two parameters and their ranges, then Run.",
                        classes=["experiment-idle"],
                    )


@solara.component
def Page() -> None:
    """The experiments page alone: ``solara run sim/ui/experiments.py``."""
    solara.Title("Borderline experiments")
    with solara.Column(style={"padding": "12px", "max-width": "1600px", "margin": "0 auto"}):
        Experiments()


__all__ = [
    "CURATED",
    "MAX_RUNS",
    "OUTCOMES",
    "Axis",
    "Choice",
    "ChoiceError",
    "Experiments",
    "Page",
    "Result",
    "build_spec",
    "chunk_runs",
    "current_value",
    "default_axis",
    "describe",
    "heat_figure",
    "heat_table",
    "initial_choice",
    "label",
    "offered",
    "outcome_hits",
    "prepare",
    "problem_lines",
    "run_experiment",
    "wilson_note",
]
