"""Sweep specs: the YAML file a researcher writes, and its validation.

A spec names a scenario, the parameters to vary and how (values, ranges, distributions), the
design (full grid, Latin hypercube, Sobol, Morris), the replicates per point (common random
numbers: replicate k has the same seed at every point), the turns, the outputs and the output
folder. It is read with the scenario reader (safe YAML, line numbers) and every problem is
reported as ``sweeps/x.yaml:12: parameters.war_aversion.max: ... [E503 out-of-bounds]``.

What may vary (:func:`sweepable`): every named weight of the model (sim.weights; docs/model.md),
within the range the scenario's ``parameters:`` gives it or else the model's, and every numeric
parameter of a rule the scenario switches on (``rules.<rule>.<field>``), within the schema's
limits. Weights vary per run on one compiled scenario; a rule parameter recompiles the scenario
for each of its values.

>>> spec = load_spec("docs/examples/sweeps/war_aversion_grid.yaml")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types as at
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.scenario.loader import SCENARIO_DIR, resolve
from sim.scenario.messages import Locator, target_at, translate_all
from sim.scenario.problems import Problem, display_path
from sim.scenario.yaml_source import read_yaml, to_data
from sim.weights import INDEX, NAMES
from sim.world import parameter_ranges

#: The version of the sweep file format this code reads.
SWEEP_VERSION = 1
#: Most runs one sweep may ask for (a hostile or mistyped spec must not fill the disk).
MAX_RUNS = 100_000_000
#: Most design points (the points table is held in memory).
MAX_POINTS = 10_000_000
#: Most parameters one sweep may vary.
MAX_PARAMETERS = 64
#: Most values one parameter may list (a grid's axis).
MAX_VALUES = 10_000

#: The prefix of a rule parameter's name: ``rules.<rule>.<field>``.
RULE_PREFIX = "rules."


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class Distribution(StrEnum):
    """How a Latin hypercube or Sobol design draws a parameter between its bounds."""

    UNIFORM = "uniform"
    NORMAL = "normal"
    TRIANGULAR = "triangular"


class ParameterSpec(_Strict):
    """How one parameter varies: a list of ``values`` (grid), or a range ``min``..``max``
    (``steps`` evenly spaced values for a grid; sampled by the other designs), optionally with
    a ``distribution`` (normal: ``mean``, ``sd``, truncated to the range; triangular: ``mode``).
    """

    values: list[float] | None = Field(
        default=None, min_length=1, max_length=MAX_VALUES, description="Values (a grid's axis)."
    )
    min: float | None = Field(default=None, description="Lower bound of the range.")
    max: float | None = Field(default=None, description="Upper bound of the range.")
    steps: Annotated[int, Field(ge=2, le=MAX_VALUES)] | None = Field(
        default=None, description="Grid only: evenly spaced values from min to max."
    )
    distribution: Distribution = Field(
        default=Distribution.UNIFORM, description="How sampled designs draw between the bounds."
    )
    mean: float | None = Field(default=None, description="Normal distribution: its mean.")
    sd: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="Normal distribution: its standard deviation."
    )
    mode: float | None = Field(default=None, description="Triangular distribution: its peak.")


class DesignKind(StrEnum):
    """The experimental designs (SALib samplers for the sampled ones)."""

    GRID = "grid"
    LHS = "lhs"
    SOBOL = "sobol"
    MORRIS = "morris"


class DesignSpec(_Strict):
    """The design: ``grid`` (every combination of the values), ``lhs`` (``samples`` points of a
    Latin hypercube), ``sobol`` (Saltelli's scheme: ``samples`` base samples, a power of two,
    giving samples·(k+2) points, or samples·(2k+2) with ``second_order``) or ``morris``
    (``samples`` trajectories of k+1 points on a grid of ``levels``)."""

    kind: DesignKind = Field(description="grid, lhs, sobol or morris.")
    samples: Annotated[int, Field(ge=1, le=MAX_POINTS)] | None = Field(
        default=None,
        description="lhs: points; sobol: base samples (a power of 2); morris: trajectories.",
    )
    levels: Annotated[int, Field(ge=2, le=64)] = Field(
        default=4, description="morris: levels of the grid (even)."
    )
    second_order: bool = Field(default=False, description="sobol: also second-order indices.")
    seed: Annotated[int, Field(ge=0, lt=2**32)] = Field(
        default=0, description="Seed of the design's sampler (not of the runs)."
    )


class OutputSpec(_Strict):
    """Which tables a sweep writes besides the per-run outcomes (always written)."""

    per_actor: bool = Field(default=False, description="One row per (run, actor): losses, costs.")
    per_turn: bool = Field(
        default=False, description="Per-turn series: dyads, actors and coded events."
    )


class SweepSpec(_Strict):
    """A sweep file (docs/research.md)."""

    sweep_version: Literal[1] = Field(description="Version of the sweep format: 1.")
    name: Annotated[str, Field(min_length=1, max_length=120)] = Field(
        description="A short name for the study."
    )
    description: str = Field(default="", max_length=4000, description="What the study asks.")
    scenario: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        description="A scenario id, or a path relative to this file."
    )
    parameters: dict[str, ParameterSpec] = Field(
        default_factory=dict,
        max_length=MAX_PARAMETERS,
        description="The parameters to vary (none: plain replicates at the defaults, grid only).",
    )
    design: DesignSpec = Field(description="The experimental design.")
    replicates: Annotated[int, Field(ge=1, le=1_000_000)] = Field(
        description="Runs per design point; replicate k has seed `seed + k` at every point."
    )
    seed: Annotated[int, Field(ge=0, lt=2**63)] = Field(
        default=0, description="Seed of replicate 0 (common random numbers across points)."
    )
    turns: Annotated[int, Field(ge=1, le=520)] | None = Field(
        default=None, description="Override the scenario's horizon."
    )
    outputs: OutputSpec = Field(default_factory=OutputSpec, description="Extra tables.")
    out: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        description="Output folder, relative to this file (or --out on the command line)."
    )
    chunk_runs: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        default=None, description="Runs per chunk (default: a few seconds of work)."
    )


@dataclass(frozen=True)
class Factor:
    """A parameter a sweep varies, resolved against the scenario.

    Attributes:
        name: as in the spec (``war_aversion`` or ``rules.combat.lethality``).
        kind: ``weight`` (varies per run) or ``rule`` (recompiles the scenario).
        lo, hi: the bounds it may take in this scenario.
        integer: whether its values are whole numbers (rounded after sampling).
        bounds_from: where the bounds come from, for messages.
    """

    name: str
    kind: Literal["weight", "rule"]
    lo: float
    hi: float
    integer: bool = False
    bounds_from: str = "the model's range (docs/model.md)"
    open_low: bool = False  # lo itself is not allowed (the schema says "greater than")
    open_high: bool = False

    def allows(self, v: float) -> bool:
        """Whether ``v`` is within the bounds (open ends excluded)."""
        above = v > self.lo if self.open_low else v >= self.lo
        below = v < self.hi if self.open_high else v <= self.hi
        return above and below


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: the spec, its scenario and the resolved parameters."""

    spec: SweepSpec
    path: Path | None
    scenario: Scenario
    factors: tuple[Factor, ...]
    out: Path
    fingerprint: str  # hash of what the sweep computes (not of its output folder)


class SpecError(ScenarioError):
    """A sweep spec could not be read or validated; ``str()`` has one line per problem."""


def sweepable(scenario: Scenario) -> dict[str, Factor]:
    """Every parameter a sweep of ``scenario`` may vary, with its bounds."""
    out: dict[str, Factor] = {}
    ranges = parameter_ranges(scenario)
    declared = {str(k) for k in scenario.parameters}
    for name in NAMES:
        lo, hi = ranges[name]
        source = "the scenario's parameters: range" if name in declared else None
        out[name] = Factor(name, "weight", lo, hi, bounds_from=source or Factor.bounds_from)
    for rule, params in scenario.rules:
        if params is None or not params.enabled:
            continue
        for field, info in type(params).model_fields.items():
            value = getattr(params, field)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            target = target_at(("rules", rule, field))
            lo, hi = _limits(target.constraints)
            open_low = any(isinstance(c, at.Gt) for c in target.constraints)
            open_high = any(isinstance(c, at.Lt) for c in target.constraints)
            out[f"{RULE_PREFIX}{rule}.{field}"] = Factor(
                f"{RULE_PREFIX}{rule}.{field}",
                "rule",
                lo,
                hi,
                integer=info.annotation is int,
                bounds_from="the rule's limits (docs/reference.md)",
                open_low=open_low,
                open_high=open_high,
            )
    return out


def _limits(constraints: list[Any]) -> tuple[float, float]:
    lo, hi = -math.inf, math.inf
    for c in constraints:
        if isinstance(c, at.Ge):
            lo = float(c.ge)  # type: ignore[arg-type]
        elif isinstance(c, at.Gt):
            lo = float(c.gt)  # type: ignore[arg-type]
        elif isinstance(c, at.Le):
            hi = float(c.le)  # type: ignore[arg-type]
        elif isinstance(c, at.Lt):
            hi = float(c.lt)  # type: ignore[arg-type]
    return lo, hi


def load_spec(path: str | Path, out: str | Path | None = None) -> Sweep:
    """Read and validate a sweep file.

    Args:
        path: the spec file.
        out: the output folder, overriding the spec's ``out`` (relative to the working
            directory, as any command-line path).

    Raises:
        SpecError: every problem found, with file, line and field.
    """
    path = Path(path)
    display = display_path(path)
    if not path.is_file():
        raise SpecError([Problem(display, None, "", "no such sweep file", "E001")])
    tree, problems = read_yaml(path, display)
    if tree is None:
        raise SpecError(problems)
    data, positions = to_data(tree)
    locator = Locator(data, positions, display)
    if not isinstance(data, dict):
        raise SpecError(
            [Problem(display, tree.line, "", "a sweep file is a mapping of fields", "E010")]
        )
    try:
        spec = SweepSpec.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        for loc, code, message, kind in translate_all(exc.errors(include_url=False), SweepSpec):
            problems.append(locator.problem(loc, code, message, kind))
        raise SpecError(problems) from None
    if problems:
        raise SpecError(problems)
    scenario = _scenario(spec, path, locator)
    factors = _check(spec, scenario, locator)
    folder = Path(out) if out is not None else _beside(path, spec.out)
    return Sweep(spec, path, scenario, factors, folder, fingerprint(spec, scenario))


def _beside(spec_path: Path, out: str) -> Path:
    """The spec's ``out:`` folder, which is relative to the spec file, as the user would write
    it: relative to the working directory when it lies inside it (``results/grid``, not
    ``docs/examples/sweeps/../../../results/grid``), else absolute."""
    folder = (spec_path.parent / out).resolve()
    try:
        return folder.relative_to(Path.cwd().resolve())
    except ValueError:
        return folder


def spec_from_data(data: dict[str, Any], scenario: Scenario | None = None) -> Sweep:
    """Validate a spec given as data (the experiments page builds one); no file involved.

    Raises:
        SpecError: as :func:`load_spec`, with fields but no lines.
    """
    locator = Locator(data, {}, "<sweep>")
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        problems = [
            locator.problem(loc, code, message, kind)
            for loc, code, message, kind in translate_all(exc.errors(include_url=False), SweepSpec)
        ]
        raise SpecError(problems) from None
    if scenario is None:
        scenario = _scenario(spec, None, locator)
    factors = _check(spec, scenario, locator)
    return Sweep(spec, None, scenario, factors, Path(spec.out), fingerprint(spec, scenario))


def _scenario(spec: SweepSpec, path: Path | None, locator: Locator) -> Scenario:
    ref: str | Path = spec.scenario
    if path is not None and (spec.scenario.endswith((".yaml", ".yml")) or "/" in spec.scenario):
        ref = path.parent / spec.scenario
    try:
        resolve(ref)
    except ScenarioError:
        known = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")))
        raise SpecError(
            [
                locator.problem(
                    ("scenario",),
                    "E001",
                    f"no such scenario {spec.scenario!r}: give an id ({known}) or a path "
                    + ("relative to this file" if path is not None else "to a .yaml file"),
                )
            ]
        ) from None
    try:
        return load_scenario(ref)
    except ScenarioError as exc:
        first = str(exc).splitlines()[0]
        raise SpecError(
            [locator.problem(("scenario",), "E501", f"the scenario is not valid: {first}")]
        ) from None


def _check(spec: SweepSpec, scenario: Scenario, locator: Locator) -> tuple[Factor, ...]:
    """The cross-field checks: names, bounds, and what each design needs."""
    problems: list[Problem] = []
    allowed = sweepable(scenario)
    kind = spec.design.kind
    factors = []
    for name, p in spec.parameters.items():
        loc: tuple[str, ...] = ("parameters", name)
        factor = allowed.get(name)
        if factor is None:
            problems.append(locator.problem((*loc, "[key]"), "E502", _unknown(name, allowed)))
            continue
        factors.append(factor)
        problems.extend(_check_parameter(p, factor, kind, loc, locator))
    d = spec.design
    if kind is DesignKind.GRID:
        points = math.prod(_grid_size(p) for p in spec.parameters.values())
    elif d.samples is None:
        problems.append(
            locator.problem(
                ("design",),
                "E504",
                f"a {kind.value} design needs samples: (lhs: points; sobol: base samples, a "
                "power of 2; morris: trajectories)",
            )
        )
        points = 0
    elif not spec.parameters:
        problems.append(
            locator.problem(
                ("parameters",), "E504", f"a {kind.value} design needs parameters to vary"
            )
        )
        points = 0
    else:
        k = len(spec.parameters)
        points = {
            DesignKind.LHS: d.samples,
            DesignKind.SOBOL: d.samples * ((2 * k + 2) if d.second_order else (k + 2)),
            DesignKind.MORRIS: d.samples * (k + 1),
        }[kind]
        if kind is DesignKind.SOBOL and d.samples & (d.samples - 1):
            problems.append(
                locator.problem(
                    ("design", "samples"),
                    "E504",
                    f"a Sobol design needs a power of 2 base samples (Saltelli's scheme), got "
                    f"{d.samples}; use {1 << (d.samples.bit_length() - 1)} or "
                    f"{1 << d.samples.bit_length()}",
                )
            )
        if kind is DesignKind.SOBOL and k < 2:
            problems.append(
                locator.problem(
                    ("parameters",), "E504", "a Sobol design needs 2 parameters or more"
                )
            )
        if kind is DesignKind.MORRIS and d.levels % 2:
            problems.append(
                locator.problem(
                    ("design", "levels"), "E504", f"Morris levels must be even, got {d.levels}"
                )
            )
    if points > MAX_POINTS or points * spec.replicates > MAX_RUNS:
        problems.append(
            locator.problem(
                ("replicates",),
                "E505",
                f"the sweep asks for {points:,} points × {spec.replicates:,} replicates = "
                f"{points * spec.replicates:,} runs; the limit is {MAX_RUNS:,} runs and "
                f"{MAX_POINTS:,} points",
            )
        )
    if problems:
        raise SpecError(problems)
    return tuple(factors)


def _unknown(name: str, allowed: dict[str, Factor]) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    if name.startswith(RULE_PREFIX):
        rules = sorted({n.split(".")[1] for n in allowed if n.startswith(RULE_PREFIX)})
        return (
            f"{name!r} is not a numeric parameter of a rule this scenario switches on (its "
            f"rules: {', '.join(rules)}){hint}"
        )
    if name in INDEX:  # pragma: no cover - every weight is sweepable
        return f"{name!r} cannot be swept"
    return (
        f"unknown parameter {name!r}: a sweep varies the model's named weights (docs/model.md) "
        f"or rule parameters (rules.<rule>.<field>){hint}"
    )


def _num(x: float) -> str:
    return f"{x:g}"


def _check_parameter(
    p: ParameterSpec, f: Factor, kind: DesignKind, loc: tuple[str, ...], locator: Locator
) -> list[Problem]:
    problems: list[Problem] = []

    def bad(field: str | None, code: str, message: str) -> None:
        problems.append(locator.problem(loc if field is None else (*loc, field), code, message))

    bounds = f"{'(' if f.open_low else '['}{_num(f.lo)}, {_num(f.hi)}{')' if f.open_high else ']'}"
    where = f.bounds_from
    has_range = p.min is not None or p.max is not None
    if p.values is not None and (has_range or p.steps is not None):
        bad(None, "E504", "give either values: or a range (min:, max:), not both")
        return problems
    if p.values is None and (p.min is None or p.max is None):
        bad(None, "E504", "give values: [...] or both min: and max:")
        return problems
    for v in p.values or []:
        if not f.allows(v):
            bad("values", "E503", f"{_num(v)} is outside {bounds}, {where} for {f.name}")
    if p.min is not None and p.max is not None:
        if p.min >= p.max:
            bad("max", "E504", f"max ({_num(p.max)}) must be above min ({_num(p.min)})")
        for field, v in (("min", p.min), ("max", p.max)):
            if not f.allows(v):
                bad(field, "E503", f"{_num(v)} is outside {bounds}, {where} for {f.name}")
    if kind is DesignKind.GRID:
        if p.values is None and p.steps is None:
            bad(None, "E504", "a grid needs values: [...] or min:, max: and steps:")
        if p.distribution is not Distribution.UNIFORM:
            bad("distribution", "E504", "a grid takes values, not a distribution")
    else:
        if p.values is not None:
            bad(
                "values",
                "E504",
                f"a {kind.value} design samples a range: give min: and max: instead of values:",
            )
        if p.steps is not None:
            bad("steps", "E504", "steps: is for a grid; sampled designs choose their own points")
        if kind is DesignKind.MORRIS and p.distribution is not Distribution.UNIFORM:
            bad("distribution", "E504", "a Morris design samples its levels uniformly")
    if p.distribution is Distribution.NORMAL and (p.mean is None or p.sd is None):
        bad("distribution", "E504", "a normal distribution needs mean: and sd:")
    if p.distribution is Distribution.TRIANGULAR:
        if p.mode is None:
            bad("distribution", "E504", "a triangular distribution needs mode:")
        elif p.min is not None and p.max is not None and not p.min <= p.mode <= p.max:
            bad("mode", "E503", f"mode {_num(p.mode)} must be between min and max")
    if p.distribution is not Distribution.NORMAL and (p.mean is not None or p.sd is not None):
        bad("mean" if p.mean is not None else "sd", "E504", "mean: and sd: are for normal only")
    if p.distribution is not Distribution.TRIANGULAR and p.mode is not None:
        bad("mode", "E504", "mode: is for a triangular distribution only")
    if f.integer and p.values is not None and any(v != round(v) for v in p.values):
        bad("values", "E503", f"{f.name} takes whole numbers")
    return problems


def _grid_size(p: ParameterSpec) -> int:
    if p.values is not None:
        return len(p.values)
    return p.steps or 1


def fingerprint(spec: SweepSpec, scenario: Scenario) -> str:
    """A hash of everything that decides a sweep's runs (not its output folder or chunking):
    two folders with the same fingerprint hold the same runs."""
    from sim.scenario import scenario_hash

    what = spec.model_dump(mode="json", exclude={"out", "chunk_runs", "name", "description"})
    what["scenario"] = scenario_hash(scenario)
    text = json.dumps(what, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = [
    "SWEEP_VERSION",
    "DesignKind",
    "Distribution",
    "Factor",
    "SpecError",
    "Sweep",
    "SweepSpec",
    "load_spec",
    "spec_from_data",
    "sweepable",
]
