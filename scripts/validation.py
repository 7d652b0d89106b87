"""Run the checks against theory and write docs/validation.md with its figures.

    python scripts/validation.py [--seeds N | --quick] [--out DIR]

The seeded experiments are those of sim/validation.py (Fearon, Powell, drone parity), asserted by
tests/test_theory.py; the numerical checks are Engel's (1954) Iwo Jima fit of the Lanchester
square law (sim/rules/lanchester.py) and Richardson's arms race (sim/rules/arms_race.py). The page
goes to DIR/validation.md and the PNG figures to DIR/img/validation/ (DIR defaults to docs/).
Every number on the page is measured by this run; nothing is typed in by hand.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import math
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout without an installed package
    sys.path.insert(0, str(ROOT))

import sim  # noqa: E402
from sim import validation  # noqa: E402
from sim.rules.arms_race import richardson_equilibrium, richardson_step  # noqa: E402
from sim.rules.lanchester import lanchester  # noqa: E402
from sim.scenario.models import ArmsRaceParams  # noqa: E402

F64 = NDArray[np.float64]

DEFAULT_SEEDS = 1000
QUICK_SEEDS = 200
DPI = 110
IMG_DIR = Path("img") / "validation"

#: The figures, in the order of the page: file name and caption.
FIGURES: dict[str, str] = {
    "fearon_misperception.png": "War rate against misperception (two equal rivals).",
    "powell_shift.png": "War rate against the size and the speed of an arms delivery.",
    "drone_parity.png": "Azerbaijan's readiness to use force against its drone fleet.",
    "lanchester_engel.png": "Iwo Jima: the integrator, Engel's closed form and a daily Euler step.",
    "richardson.png": "Richardson's arms race: a stable and an unstable pair.",
}

# the sweeps (sim.validation's defaults, named here so that the page can state them)
MISPERCEPTION = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
SHIFT_SIZES = (0.0, 200.0, 400.0, 600.0, 800.0)
SHIFT_DELAYS = (1, 2, 4, 8)
DRONE_FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
DRONE_ACTOR = "azerbaijan"
DRONE_TARGETS = ("armenia", "iran")
#: the runs are of a hotter crisis: at the fitted defaults nobody uses force in the founding
#: crisis at any drone factor, so the share of runs would be 0 throughout and show nothing
DRONE_PARAMS = {"reciprocity": 1.2}
FOUNDING = "iran_azerbaijan"

# Engel (1954), Iwo Jima: A = US (0 at first, landings on day indices 0, 2 and 5), B = Japanese
ENGEL_US_FIRE = validation.ENGEL_B  # alpha: US effectiveness against the Japanese (Engel's b)
ENGEL_JP_FIRE = validation.ENGEL_A  # beta: Japanese effectiveness against the US (Engel's a)
ENGEL_B0 = validation.ENGEL_N0
ENGEL_DAYS = validation.ENGEL_DAYS
ENGEL_LANDINGS: dict[int, float] = validation.ENGEL_LANDINGS

# Richardson: (k, l, a, b, g, h), time in years, one step per 7-day turn as in the engine
RICHARDSON_STABLE = (0.2, 0.3, 0.5, 0.6, 10.0, 5.0)
RICHARDSON_UNSTABLE = (0.6, 0.5, 0.2, 0.3, 1.0, 1.0)
RICHARDSON_STARTS = ((0.0, 0.0), (100.0, 3.0), (40.0, 80.0), (5.0, 60.0))
RICHARDSON_UNSTABLE_START = (10.0, 10.0)
RICHARDSON_DT = 7.0 / 365.0
RICHARDSON_YEARS = 30.0

#: The tests that check each section (file::function), cited on the page.
TESTS: dict[str, tuple[str, ...]] = {
    "fearon": (
        "tests/test_theory.py::test_without_misperception_or_a_shift_of_power_no_one_ever_chooses_war",
        "tests/test_theory.py::test_the_no_war_test_would_fail_with_private_information",
        "tests/test_theory.py::test_the_founding_crisis_without_misperception_has_no_war",
        "tests/test_theory.py::test_war_rises_monotonically_with_misperception",
    ),
    "powell": (
        "tests/test_theory.py::test_war_rises_with_the_size_of_an_adverse_shift",
        "tests/test_theory.py::test_war_rises_with_the_speed_of_an_adverse_shift",
        "tests/test_theory.py::test_the_shift_tests_would_fail_without_a_preventive_motive",
    ),
    "drones": (
        "tests/test_theory.py::test_readiness_to_use_force_rises_strictly_with_the_drone_advantage",
        "tests/test_theory.py::test_more_drones_mean_more_runs_with_a_use_of_force_against_iran",
        "tests/test_theory.py::test_the_drone_test_would_fail_if_drones_gave_no_edge",
    ),
    "beliefs": (
        "tests/test_theory.py::test_misperception_is_drawn_once_per_run_and_pair",
        "tests/test_theory.py::test_fighting_corrects_beliefs",
    ),
    "lanchester": (
        "tests/rules/test_lanchester.py::test_engel_reference_is_the_published_outcome",
        "tests/rules/test_lanchester.py::test_engel_fit_reproduced_within_one_per_cent_for_both_sides_on_every_day",
        "tests/rules/test_lanchester.py::test_engel_fit_is_reproduced_to_near_machine_precision_at_the_default_step",
        "tests/rules/test_lanchester.py::test_daily_explicit_euler_misses_engel_by_far_more_than_one_per_cent",
        "tests/rules/test_lanchester.py::test_square_law_invariant_is_conserved_without_reinforcements",
        "tests/rules/test_lanchester.py::test_linear_law_invariant_is_conserved_without_reinforcements",
        "tests/rules/test_lanchester.py::test_error_falls_like_h_to_the_fourth",
    ),
    "richardson": (
        "tests/rules/test_arms_race.py::test_equilibrium_is_the_published_formula_and_a_fixed_point",
        "tests/rules/test_arms_race.py::test_stable_race_converges_to_the_equilibrium",
        "tests/rules/test_arms_race.py::test_unstable_race_runs_away",
        "tests/rules/test_arms_race.py::test_unstable_race_with_goodwill_collapses_below_the_saddle",
    ),
    "off": (
        "tests/rules/test_conformance.py::test_a_rule_that_is_off_does_nothing",
        "tests/rules/test_conformance.py::test_a_rule_writes_only_the_fields_it_declares",
        "tests/rules/test_conformance.py::test_the_hot_runs_exercise_the_rule",
    ),
}


# ----------------------------------------------------------------------------------------------
# Numerical experiments (no plotting)


@dataclass(frozen=True)
class Engel:
    """Iwo Jima day by day (index = end of day, 0..36) by three methods, and their errors."""

    days: F64
    integrator: tuple[F64, F64]  # (US, Japanese) from sim.rules.lanchester.lanchester
    closed_form: tuple[F64, F64]  # Engel's exact day-by-day solution
    euler: tuple[F64, F64]  # a plain daily explicit Euler step
    integrator_error: tuple[float, float]  # max relative error over days 1..36, (US, Japanese)
    euler_error: tuple[float, float]


def max_rel_error(got: F64, ref: F64) -> float:
    """Largest relative error over days 1..end (day 0 is the common starting point)."""
    return float(np.max(np.abs(got[1:] / ref[1:] - 1.0)))


def engel_closed_form() -> tuple[F64, F64]:
    """Engel's closed form of the square law with each day's landing spread over that day."""
    return validation.engel_fit()


def engel_daily_euler() -> tuple[F64, F64]:
    """The old daily integrator on Engel's inputs (sim.validation.engel_daily_euler)."""
    return validation.engel_daily_euler()


def engel() -> Engel:
    """The Iwo Jima check: the model's integrator and a daily Euler step against Engel's fit."""
    us, jp = lanchester(
        0.0,
        ENGEL_B0,
        alpha=ENGEL_US_FIRE,
        beta=ENGEL_JP_FIRE,
        days=ENGEL_DAYS,
        reinforce_a=ENGEL_LANDINGS,
        steps_per_day=8,
    )
    ref = engel_closed_form()
    eul = engel_daily_euler()
    return Engel(
        days=np.arange(ENGEL_DAYS + 1, dtype=float),
        integrator=(us, jp),
        closed_form=ref,
        euler=eul,
        integrator_error=(max_rel_error(us, ref[0]), max_rel_error(jp, ref[1])),
        euler_error=(max_rel_error(eul[0], ref[0]), max_rel_error(eul[1], ref[1])),
    )


@dataclass(frozen=True)
class Race:
    """One Richardson trajectory stepped with the engine's explicit Euler step."""

    coefficients: tuple[float, float, float, float, float, float]  # k, l, a, b, g, h
    t: F64  # years
    x: F64
    y: F64
    equilibrium: tuple[float, float] | None  # None if unstable (a b <= k l)

    @property
    def stable(self) -> bool:
        k, l_, a, b, _, _ = self.coefficients
        return a * b > k * l_

    @property
    def distance(self) -> float:
        """Distance from the equilibrium at the end (nan without one)."""
        if self.equilibrium is None:
            return math.nan
        return math.hypot(self.x[-1] - self.equilibrium[0], self.y[-1] - self.equilibrium[1])

    @property
    def eigenvalue(self) -> float:
        """The largest eigenvalue of the linear system [[-a, k], [l, -b]] (per year)."""
        k, l_, a, b, _, _ = self.coefficients
        return float(np.max(np.linalg.eigvals(np.array([[-a, k], [l_, -b]])).real))

    def growth_rate(self, years: float = 5.0) -> float:
        """Measured exponential growth rate of x over the last ``years`` (per year)."""
        back = round(years / (self.t[1] - self.t[0]))
        return math.log(self.x[-1] / self.x[-1 - back]) / (self.t[-1] - self.t[-1 - back])


def richardson(
    coefficients: tuple[float, float, float, float, float, float],
    start: tuple[float, float],
    dt: float = RICHARDSON_DT,
    years: float = RICHARDSON_YEARS,
) -> Race:
    """Step dx/dt = k y - a x + g, dy/dt = l x - b y + h with ``richardson_step``."""
    k, l_, a, b, g, h = coefficients
    steps = round(years / dt)
    xs, ys = np.empty(steps + 1), np.empty(steps + 1)
    x, y = np.array([start[0]]), np.array([start[1]])
    xs[0], ys[0] = x[0], y[0]
    for i in range(1, steps + 1):
        x, y = richardson_step(x, y, k, a, g, dt), richardson_step(y, x, l_, b, h, dt)
        xs[i], ys[i] = x[0], y[0]
    times: F64 = np.linspace(0.0, steps * dt, steps + 1)
    return Race(coefficients, times, xs, ys, richardson_equilibrium(*coefficients))


@dataclass(frozen=True)
class Drop:
    """A step of a sweep where the rate falls although theory says it should not."""

    x0: float
    x1: float
    r0: float
    r1: float
    significant: bool  # by more than two (unpaired) standard errors of the difference


def drops(xs: ArrayLike, rates: ArrayLike, n: int) -> list[Drop]:
    """The steps of a sweep along which the rate falls."""
    x, r = np.asarray(xs, dtype=float), np.asarray(rates, dtype=float)
    out = []
    for i in range(len(r) - 1):
        r0, r1 = float(r[i]), float(r[i + 1])
        if r1 < r0:
            se = math.sqrt(max(r0 * (1 - r0), 1.0 / n) / n + max(r1 * (1 - r1), 1.0 / n) / n)
            out.append(Drop(float(x[i]), float(x[i + 1]), r0, r1, r0 - r1 > 2 * se))
    return out


# ----------------------------------------------------------------------------------------------
# The run


@dataclass
class Results:
    """Everything the page reports, measured by one run."""

    seeds: int
    command: str
    date: str
    version: str
    misperception: pd.DataFrame
    shift: pd.DataFrame
    drones: dict[str, pd.DataFrame]
    engel: Engel
    stable: list[Race]
    unstable: Race
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def timed[T](label: str, step: int, steps: int, fn: Callable[[], T], log: dict[str, float]) -> T:
    """Run ``fn`` with a progress line before and after."""
    print(f"[{step}/{steps}] {label} ...", flush=True)
    t0 = time.perf_counter()
    out = fn()
    log[label] = time.perf_counter() - t0
    print(f"[{step}/{steps}] {label}: {log[label]:.1f} s", flush=True)
    return out


def run(seeds: int, command: str) -> Results:
    """Run every experiment (``seeds`` runs per point of each seeded sweep)."""
    log: dict[str, float] = {}
    steps = 3 + len(DRONE_TARGETS)
    misp = timed(
        f"Fearon: war by misperception, {len(MISPERCEPTION)} values x {seeds} seeds",
        1,
        steps,
        lambda: validation.war_by_misperception(MISPERCEPTION, seeds=seeds),
        log,
    )
    shift = timed(
        f"Powell: war by shift, {len(SHIFT_SIZES) * len(SHIFT_DELAYS)} points x {seeds} seeds",
        2,
        steps,
        lambda: validation.war_by_shift(SHIFT_SIZES, SHIFT_DELAYS, seeds=seeds),
        log,
    )
    drones = {}
    for i, target in enumerate(DRONE_TARGETS):
        drones[target] = timed(
            f"Drones: {DRONE_ACTOR} against {target}, {len(DRONE_FACTORS)} factors x {seeds} seeds",
            3 + i,
            steps,
            functools.partial(
                validation.force_by_drones,
                DRONE_FACTORS,
                DRONE_ACTOR,
                target,
                seeds=seeds,
                scenario=FOUNDING,
                params=DRONE_PARAMS,
            ),
            log,
        )

    def numerics() -> tuple[Engel, list[Race], Race]:
        stable = [richardson(RICHARDSON_STABLE, s) for s in RICHARDSON_STARTS]
        return engel(), stable, richardson(RICHARDSON_UNSTABLE, RICHARDSON_UNSTABLE_START)

    eng, stable, unstable = timed("Lanchester (Engel) and Richardson", steps, steps, numerics, log)
    return Results(
        seeds=seeds,
        command=command,
        date=datetime.date.today().isoformat(),
        version=sim.__version__,
        misperception=misp,
        shift=shift,
        drones=drones,
        engel=eng,
        stable=stable,
        unstable=unstable,
        seconds=log,
    )


# ----------------------------------------------------------------------------------------------
# Figures


def new_figure(width: float, height: float, panels: int) -> tuple[Figure, list[Axes]]:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, panels, i + 1) for i in range(panels)]
    for ax in axes:
        ax.grid(True, alpha=0.3)
    return fig, axes


def band(ax: Axes, x: Any, table: pd.DataFrame, label: str, **style: Any) -> None:
    """The rate as a line with markers and its Wilson interval as a shaded band."""
    (line,) = ax.plot(x, table.rate * 100, marker="o", ms=4, label=label, **style)
    ax.fill_between(x, table.lo * 100, table.hi * 100, color=line.get_color(), alpha=0.2, lw=0)


def plot_misperception(r: Results, path: Path) -> None:
    fig, (ax,) = new_figure(6.0, 3.6, 1)
    band(ax, r.misperception.misperception, r.misperception, "war rate (95% Wilson interval)")
    ax.set_xlabel("misperception σ (spread of the error on the log-odds of winning)")
    ax.set_ylabel("runs with a war (%)")
    ax.set_title(f"Fearon: two equal rivals, {r.seeds} seeds per point", fontsize=10)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="upper left")
    fig.savefig(path, dpi=DPI)


def plot_shift(r: Results, path: Path) -> None:
    fig, (left, right) = new_figure(9.5, 3.8, 2)
    for k in SHIFT_DELAYS:
        rows = by_delay(r.shift, k)
        band(left, rows["size"], rows, f"over {turns(k)}")
    left.set_xlabel("armour delivered to the rival")
    left.set_ylabel("runs with a war (%)")
    left.set_title("size of the shift", fontsize=10)
    left.legend(title="delivered", fontsize=8, title_fontsize=8)
    for size in SHIFT_SIZES[1:]:
        rows = by_size(r.shift, size)
        band(right, rows.delivery_turns, rows, f"{size:.0f}")
    right.set_xscale("log", base=2)
    right.set_xticks(list(SHIFT_DELAYS), [str(k) for k in SHIFT_DELAYS])
    right.set_xlabel("turns over which it arrives (fewer = faster shift)")
    right.set_title("speed of the shift", fontsize=10)
    right.legend(title="armour", fontsize=8, title_fontsize=8)
    for ax in (left, right):
        ax.set_ylim(0, 102)
    fig.suptitle(f"Powell: a delivery of arms to the rival, {r.seeds} seeds per point", fontsize=10)
    fig.savefig(path, dpi=DPI)


def plot_drones(r: Results, path: Path) -> None:
    fig, (left, right) = new_figure(9.5, 3.8, 2)
    for target, t in r.drones.items():
        left.plot(
            t.drone_factor, t.p_force, marker="o", ms=4, label=f"against {target.capitalize()}"
        )
        band(right, t.drone_factor, t, f"against {target.capitalize()}")
    left.set_yscale("log")
    left.set_xlabel(f"{DRONE_ACTOR.capitalize()}'s drone fleet (× its size in the scenario)")
    left.set_ylabel("P(use of force), first turn")
    left.set_title("exact choice probability (misperception 0)", fontsize=10)
    right.set_xlabel(f"{DRONE_ACTOR.capitalize()}'s drone fleet (× its size in the scenario)")
    right.set_ylabel("runs with a use of force (%)")
    right.set_title(f"share of runs, {r.seeds} seeds per point", fontsize=10)
    right.set_ylim(0, 102)
    for ax in (left, right):
        ax.legend(fontsize=8)
    fig.suptitle("Drone parity on the founding scenario", fontsize=10)
    fig.savefig(path, dpi=DPI)


def plot_engel(r: Results, path: Path) -> None:
    e = r.engel
    fig, axes = new_figure(11.0, 3.6, 3)
    styles: tuple[tuple[str, tuple[F64, F64], dict[str, Any]], ...] = (
        ("closed form (Engel)", e.closed_form, {"color": "black", "lw": 3, "alpha": 0.35}),
        ("integrator (RK4, 8 steps a day)", e.integrator, {"color": "C0", "lw": 1.2}),
        ("daily explicit Euler", e.euler, {"color": "C3", "lw": 1.2, "ls": "--"}),
    )
    for side, (ax, name) in enumerate(zip(axes[:2], ("US", "Japanese"), strict=True)):
        for label, series, style in styles:
            ax.plot(e.days, series[side] / 1000, label=label, **style)
        ax.set_title(f"{name} strength", fontsize=10)
        ax.set_xlabel("day")
        ax.set_ylabel("thousands")
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=8)
    err = axes[2]
    for side, name in enumerate(("US", "Japanese")):
        for label, series, color in (("RK4", e.integrator, "C0"), ("Euler", e.euler, "C3")):
            rel = np.abs(series[side][1:] / e.closed_form[side][1:] - 1.0)
            err.plot(
                e.days[1:],
                np.maximum(rel, 1e-17),
                color=color,
                ls="-" if name == "US" else ":",
                label=f"{label}, {name}",
            )
    err.set_yscale("log")
    err.set_ylim(1e-17, 10)
    err.set_title("relative error against the closed form", fontsize=10)
    err.set_xlabel("day")
    err.legend(fontsize=7, loc="center right")
    fig.savefig(path, dpi=DPI)


def plot_richardson(r: Results, path: Path) -> None:
    fig, (left, right) = new_figure(9.5, 3.8, 2)
    for race in r.stable:
        (line,) = left.plot(race.x, race.y, lw=1.2)
        left.plot(race.x[0], race.y[0], "o", color=line.get_color(), ms=4)
    eq = r.stable[0].equilibrium
    assert eq is not None
    left.plot(*eq, marker="*", color="black", ms=12, ls="none", label="closed-form equilibrium")
    k, l_, a, b = RICHARDSON_STABLE[:4]
    left.set_title(f"stable: ab = {a * b:.2f} > kl = {k * l_:.2f}", fontsize=10)
    left.set_xlabel("x (arms of the first)")
    left.set_ylabel("y (arms of the second)")
    left.legend(fontsize=8)
    u = r.unstable
    right.plot(u.t, u.x, label="x")
    right.plot(u.t, u.y, label="y")
    slope = u.x[-1] * np.exp(u.eigenvalue * (u.t - u.t[-1]))
    right.plot(u.t, slope, color="black", ls=":", lw=1, label=f"∝ exp({u.eigenvalue:.2f} t)")
    right.set_yscale("log")
    k, l_, a, b = RICHARDSON_UNSTABLE[:4]
    right.set_title(f"unstable: ab = {a * b:.2f} < kl = {k * l_:.2f}", fontsize=10)
    right.set_xlabel("years")
    right.set_ylabel("arms (log scale)")
    right.legend(fontsize=8)
    fig.savefig(path, dpi=DPI)


PLOTS: dict[str, Callable[[Results, Path], None]] = {
    "fearon_misperception.png": plot_misperception,
    "powell_shift.png": plot_shift,
    "drone_parity.png": plot_drones,
    "lanchester_engel.png": plot_engel,
    "richardson.png": plot_richardson,
}


# ----------------------------------------------------------------------------------------------
# The page


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def turns(k: int) -> str:
    return f"{k} turn" if k == 1 else f"{k} turns"


def by_delay(t: pd.DataFrame, k: int) -> pd.DataFrame:
    """The rows of the shift table with the given delivery time, by size."""
    return t[t.delivery_turns == k].sort_values("size")


def by_size(t: pd.DataFrame, size: float) -> pd.DataFrame:
    """The rows of the shift table with the given size, fastest delivery first."""
    return t[t["size"] == size].sort_values("delivery_turns")


def shift_point(t: pd.DataFrame, size: float, k: int) -> Any:
    """One row of the shift table."""
    return t[(t["size"] == size) & (t.delivery_turns == k)].iloc[0]


def rate_cell(row: Any) -> str:
    return f"{pct(row.rate)} [{100 * row.lo:.1f}, {100 * row.hi:.1f}]"


def figure(name: str) -> list[str]:
    number = list(FIGURES).index(name) + 1
    return [
        f"![Figure {number}: {FIGURES[name]}]({(IMG_DIR / name).as_posix()})",
        "",
        f"*Figure {number} ({name}): {FIGURES[name]}*",
        "",
    ]


def tests_cited(key: str) -> list[str]:
    return ["**Checked by:**", "", *[f"- `{t}`" for t in TESTS[key]], ""]


def drops_sentence(
    what: str, found: list[Drop], label: Callable[[float], str] = "{:g}".format
) -> str:
    """One sentence on the steps of a sweep that fall (theory says none should)."""
    if not found:
        return f"{what}: the rate never falls from one step to the next."
    parts = [
        f"{label(d.x0)} → {label(d.x1)}: {pct(d.r0)} → {pct(d.r1)}"
        + (" (more than 2 s.e.)" if d.significant else "")
        for d in found
    ]
    return f"{what}: the rate falls at {len(found)} step(s): " + "; ".join(parts) + "."


def engel_line(e: Engel) -> str:
    """The headline of the Lanchester section (the test looks for it on the page)."""
    return (
        f"Max relative error over days 1–{ENGEL_DAYS}: integrator US {e.integrator_error[0]:.1e}, "
        f"Japanese {e.integrator_error[1]:.1e}; daily Euler US {pct(e.euler_error[0])}, "
        f"Japanese {pct(e.euler_error[1])}."
    )


def para(*parts: str) -> list[str]:
    """A paragraph of the page, wrapped at 100 characters, and the blank line after it."""
    text = " ".join(p.strip() for p in parts)
    return [*textwrap.wrap(text, 100, break_long_words=False, break_on_hyphens=False), ""]


def bullets(items: Sequence[str]) -> list[str]:
    out = []
    for item in items:
        wrapped = textwrap.wrap(item, 98, break_long_words=False, break_on_hyphens=False)
        out += ["- " + wrapped[0], *["  " + w for w in wrapped[1:]]]
    return [*out, ""]


def misperception_section(r: Results) -> list[str]:
    t = r.misperception
    found = drops(t.misperception, t.rate, r.seeds)
    return [
        "## Fearon (1995): war needs private information",
        "",
        *para(
            "**What the model should do.** Two rational states disputing a divisible good can",
            "always find a settlement both prefer to a costly war, unless they hold incompatible",
            "beliefs about who would win (private information) or power is shifting between them",
            "(a commitment problem). On `sim.validation.dispute()` (two equal neighbours,",
            "grievance 0.5 each way, nothing shifting) the war rate must be exactly 0 at",
            "misperception 0 and rise with misperception (the spread of each actor's lasting error",
            "on the log-odds of winning).",
        ),
        *figure("fearon_misperception.png"),
        f"**Measured** ({r.seeds} seeds per value, the same seeds at every value):",
        "",
        "| misperception | runs with a war [95% interval] |",
        "| ---: | ---: |",
        *[f"| {row.misperception:g} | {rate_cell(row)} |" for row in t.itertuples()],
        "",
        *para(
            f"War rate {pct(t.rate.iloc[0])} at misperception {t.misperception.iloc[0]:g} and",
            f"{pct(t.rate.iloc[-1])} at {t.misperception.iloc[-1]:g}.",
            drops_sentence("Along misperception", found),
        ),
        *tests_cited("fearon"),
    ]


def shift_section(r: Results) -> list[str]:
    t = r.shift
    header = " | ".join(f"over {turns(k)}" for k in SHIFT_DELAYS)
    rows = []
    for size in SHIFT_SIZES:
        cells = [rate_cell(shift_point(t, size, k)) for k in SHIFT_DELAYS]
        rows.append(f"| {size:g} | " + " | ".join(cells) + " |")
    notes = []
    for k in SHIFT_DELAYS:
        g = by_delay(t, k)
        found = drops(g["size"], g.rate, r.seeds)
        notes.append(drops_sentence(f"Size, delivered over {turns(k)}", found))
    for size in SHIFT_SIZES[1:]:
        g = by_size(t, size).iloc[::-1]  # from the slowest to the fastest
        found = drops(g.delivery_turns, g.rate, r.seeds)
        what = f"Speed, {size:g} armour (from {max(SHIFT_DELAYS)} turns down to 1)"
        notes.append(drops_sentence(what, found, lambda x: turns(int(x))))
    fastest, slowest = min(SHIFT_DELAYS), max(SHIFT_DELAYS)
    big = max(SHIFT_SIZES)

    def at(size: float, k: int) -> float:
        return float(shift_point(t, size, k).rate)

    return [
        "## Powell (2004, 2006): a shift of power",
        "",
        *para(
            "**What the model should do.** A large, fast shift of power against a state gives it",
            "a preventive motive: it fights now rather than bargain from weakness later, because",
            "the rising side cannot commit not to exploit its future strength. On",
            "`sim.validation.power_shift(size, delivery_turns)` alpha (1,000 armour) faces bravo",
            "(600), whose patron (with no credible commitment to fight) announces at turn 1 a",
            "delivery of `size` armour arriving over `delivery_turns` turns. Without a delivery",
            "there must be no war; the war rate must rise with the size of the delivery and with",
            "its speed (the same delivery over fewer turns).",
        ),
        *figure("powell_shift.png"),
        f"**Measured** (runs with a war [95% interval], {r.seeds} seeds per point):",
        "",
        f"| armour delivered | {header} |",
        "| ---: |" + " ---: |" * len(SHIFT_DELAYS),
        *rows,
        "",
        *para(
            f"No delivery: {pct(at(SHIFT_SIZES[0], fastest))} war.",
            f"{SHIFT_SIZES[1]:g} armour: {pct(at(SHIFT_SIZES[1], fastest))} over {turns(fastest)},",
            f"{pct(at(SHIFT_SIZES[1], slowest))} over {turns(slowest)}.",
            f"{big:g} armour: {pct(at(big, fastest))} over {turns(fastest)},",
            f"{pct(at(big, slowest))} over {turns(slowest)}.",
        ),
        *bullets(notes),
        *tests_cited("powell"),
    ]


def drone_section(r: Results) -> list[str]:
    tables = []
    notes = []
    for target, t in r.drones.items():
        name = target.capitalize()
        tables += [
            f"Against {name}:",
            "",
            "| drone factor | P(use of force), first turn | runs with a use of force [95%] |",
            "| ---: | ---: | ---: |",
            *[
                f"| {row.drone_factor:g} | {row.p_force:.3g} | {rate_cell(row)} |"
                for row in t.itertuples()
            ],
            "",
        ]
        p = t.p_force.to_numpy()
        rises = "rises at every step" if bool((np.diff(p) > 0).all()) else "does NOT rise strictly"
        found = drops(t.drone_factor, t.rate, r.seeds)
        notes.append(
            f"Against {name}: P(use of force) {p[0]:.3g} at factor {DRONE_FACTORS[0]:g} and "
            f"{p[-1]:.3g} at {DRONE_FACTORS[-1]:g} ({rises}); share of runs "
            f"{pct(t.rate.iloc[0])} → {pct(t.rate.iloc[-1])}. "
            + drops_sentence("Share of runs", found, "×{:g}".format)
        )
    actor = DRONE_ACTOR.capitalize()
    return [
        "## Drone parity: readiness to use force",
        "",
        *para(
            "**What the model should do.** All else fixed, a state's readiness to use force",
            "against a rival rises with its drone advantage over it (`sim.rules.drone_parity`;",
            "the mechanism the founding scenario's sources credit for Azerbaijan's 2020 victory).",
            f"On the founding scenario (`{FOUNDING}`) {actor}'s drone fleet is scaled by a factor",
            "(0 = no drones, 1 = the scenario's fleet). Two measures: the exact probability the",
            "softmax gives to a use of force (rung 7 or more) against the target in the first",
            "turn's state with misperception 0, which must rise strictly; and the share of runs",
            "in which it uses force against the target at some point, which should rise too but",
            "carries everything that happens after the first turn.",
            "At the fitted weights (docs/calibration.md) the founding crisis never comes to force,",
            "at any drone factor, so both measures are taken in a hotter crisis: the same file",
            f"with {', '.join(f'`{k}` {v:g}' for k, v in DRONE_PARAMS.items())} (each side answers",
            "the rung it received in full, against the fitted 0.56).",
        ),
        *figure("drone_parity.png"),
        f"**Measured** ({r.seeds} seeds per factor):",
        "",
        *tables,
        *bullets(notes),
        *tests_cited("drones"),
    ]


def beliefs_section() -> list[str]:
    return [
        "## (d) Beliefs: drawn once, corrected by fighting",
        "",
        *para(
            "**What the model should do.** Misperception is private information, not fresh",
            "noise: each actor's error on its chance of winning against each other actor is drawn",
            "once per run and pair (`sim.world.initial_state`) and kept for the whole run, and",
            "fighting reveals strength (Slantchev 2003): each day of war and each use of force",
            "between the two shrinks the remaining error (`sim.decisions.learn`). Replicates that",
            "never fight keep exactly the belief they started with. There is no figure: the tests",
            "check it replicate by replicate.",
        ),
        *tests_cited("beliefs"),
    ]


def lanchester_section(r: Results) -> list[str]:
    e = r.engel
    us_ref, jp_ref = e.closed_form
    us, jp = e.integrator
    eu_us, eu_jp = e.euler
    return [
        "## Lanchester (1916): Engel's (1954) Iwo Jima fit",
        "",
        *para(
            "**What the model should do.** Combat uses the Lanchester square law,",
            "dA/dt = -βB + P(t), dB/dt = -αA, integrated by `sim.rules.lanchester.lanchester`",
            "(fourth-order Runge-Kutta, 8 sub-steps a day). Engel (1954) fitted the square law to",
            "the battle of Iwo Jima: US landings of 54,000, 6,000 and 13,000 on days 1, 3 and 6",
            f"(day indices 0, 2 and 5), each spread over its day; {ENGEL_B0:,.0f} Japanese",
            f"defenders; α = {ENGEL_US_FIRE} (US effectiveness against the Japanese),",
            f"β = {ENGEL_JP_FIRE}; {ENGEL_DAYS} days. The integrator must reproduce his closed",
            "form day by day for both sides. A plain daily explicit Euler step (the landing put",
            "ashore at the start of the day, then both sides updated from the day-start",
            "strengths, floored at 0) is shown for contrast: it wipes the Japanese out too early.",
        ),
        *figure("lanchester_engel.png"),
        "**Measured:**",
        "",
        *bullets(
            [
                engel_line(e),
                f"Day {ENGEL_DAYS}: US {us[-1]:,.0f} (closed form {us_ref[-1]:,.0f}, Euler "
                f"{eu_us[-1]:,.0f}); Japanese {jp[-1]:,.1f} (closed form {jp_ref[-1]:,.1f}, "
                f"Euler {eu_jp[-1]:,.1f}).",
            ]
        ),
        *tests_cited("lanchester"),
    ]


def richardson_section(r: Results) -> list[str]:
    eq = r.stable[0].equilibrium
    assert eq is not None
    dist = max(race.distance for race in r.stable)
    u = r.unstable
    euler_rate = math.log(1 + u.eigenvalue * RICHARDSON_DT) / RICHARDSON_DT
    d = ArmsRaceParams()
    x0, y0 = RICHARDSON_UNSTABLE_START
    return [
        "## Richardson (1960): the arms race",
        "",
        *para(
            "**What the model should do.** `sim.rules.arms_race` steps dx/dt = k y - a x + g and",
            "dy/dt = l x - b y + h once per turn (explicit Euler, arms floored at 0, time in",
            "years). If a b > k l the race is stable and converges to",
            "x* = (k h + b g) / (a b - k l), y* = (l g + a h) / (a b - k l) from any start; if",
            "a b < k l it runs away, growing like exp(λ t) with λ the largest eigenvalue of",
            "[[-a, k], [l, -b]]. Both cases below are stepped with `richardson_step` with a 7-day",
            f"step over {RICHARDSON_YEARS:g} years. (The engine's defaults, reaction k = l =",
            f"{d.reaction:g} and fatigue a = b = {d.fatigue:g} per year, are in the stable",
            "regime.)",
        ),
        *figure("richardson.png"),
        "**Measured:**",
        "",
        *bullets(
            [
                f"Stable, (k, l, a, b, g, h) = {fmt_tuple(RICHARDSON_STABLE)}: closed-form "
                f"equilibrium ({eq[0]:.3f}, {eq[1]:.3f}); from {len(r.stable)} starts the largest "
                f"distance from it after {RICHARDSON_YEARS:g} years is {dist:.1e}.",
                f"Unstable, {fmt_tuple(RICHARDSON_UNSTABLE)}, no equilibrium: from "
                f"({x0:g}, {y0:g}) the arms reach ({u.x[-1]:.3g}, {u.y[-1]:.3g}) after "
                f"{RICHARDSON_YEARS:g} years; measured growth rate {u.growth_rate():.4f} a year "
                f"against λ = {u.eigenvalue:.4f} (the Euler step's ln(1 + λ dt) / dt = "
                f"{euler_rate:.4f}).",
            ]
        ),
        *tests_cited("richardson"),
    ]


def fmt_tuple(values: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:g}" for v in values) + ")"


def off_section() -> list[str]:
    return [
        "## Off means off",
        "",
        *para(
            "Every rule (combat, alliances, arms race, drone parity, cyber, transit, mediation,",
            "domestic politics, ...) can be switched off in a scenario, and off must mean off.",
            "The conformance suite `tests/rules/test_conformance.py` checks, for every rule in the",
            "registry on the founding scenario, that with the rule off its actions are never",
            "legal, its steps never run and the state fields only it writes never change; that",
            "with it on it writes only the fields it declares, runs deterministically and",
            "batch-invariantly, and yields no NaN or infinity at both ends of its parameters'",
            "ranges. The runs are played hot so that the checks are not vacuous. There is no",
            "figure.",
        ),
        *tests_cited("off"),
    ]


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading."""
    kept = "".join(c for c in title.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def page(r: Results) -> str:
    """The text of validation.md."""
    lines = [
        "# Checks against theory",
        "",
        "<!-- Generated by scripts/validation.py; do not edit by hand. -->",
        "",
        *para(
            f"Generated by `{r.command}` on {r.date} with Borderline {r.version}: {r.seeds}",
            f"seeds per point of every seeded sweep; the run took {r.total_seconds:.0f} s.",
        ),
        *para(
            "Each section states what the model should do according to the theory it rests on,",
            "shows the figure the script makes, gives the numbers measured by that run and names",
            "the tests that check the property. The seeded sweeps (`sim/validation.py`) use common",
            "random numbers: the same seeds at every point, so differences between points are the",
            "effect of the varied quantity, not of the draws. Intervals are 95% Wilson score",
            "intervals. Theory says none of the rates shown should fall along its sweep; every",
            "step where one does is listed with its numbers, flagged when the fall exceeds two",
            "(unpaired) standard errors of the difference.",
        ),
        "Contents:",
        "",
    ]
    sections = [
        misperception_section(r),
        shift_section(r),
        drone_section(r),
        beliefs_section(),
        lanchester_section(r),
        richardson_section(r),
        off_section(),
    ]
    for section in sections:
        title = section[0].removeprefix("## ")
        lines.append(f"- [{title}](#{anchor(title)})")
    lines.append("")
    for section in sections:
        lines += section
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# Entry point


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    group = ap.add_mutually_exclusive_group()
    group.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS, help="runs per point (default 1000)"
    )
    group.add_argument(
        "--quick", action="store_true", help=f"{QUICK_SEEDS} seeds per point (a smoke test)"
    )
    ap.add_argument(
        "--out", type=Path, default=ROOT / "docs", help="output directory (default docs/)"
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.seeds = QUICK_SEEDS
    if args.seeds < 1:
        ap.error("--seeds must be at least 1")
    return args


def command_line(args: argparse.Namespace) -> str:
    """The command as the page states it (the output directory is left out)."""
    flag = "--quick" if args.quick else f"--seeds {args.seeds}"
    return f"python scripts/validation.py {flag}"


def main(argv: Sequence[str] | None = None) -> Results:
    args = parse_args(argv)
    out: Path = args.out
    img = out / IMG_DIR
    img.mkdir(parents=True, exist_ok=True)
    results = run(args.seeds, command_line(args))
    for name, plot in PLOTS.items():
        path = img / name
        plot(results, path)
        print(f"wrote {path} ({path.stat().st_size / 1000:.0f} kB)", flush=True)
    md = out / "validation.md"
    md.write_text(page(results), encoding="utf-8")
    print(f"wrote {md}; total {results.total_seconds:.1f} s", flush=True)
    return results


if __name__ == "__main__":
    main()
