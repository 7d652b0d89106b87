"""scripts/validation.py: the page and the figures it writes, and that its numbers are the run's.

The script runs once per session in quick mode (``--quick``: 200 seeds per point, about 25 s)
into a temporary directory; the committed docs/validation.md comes from a full run.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import math
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helpers
import numpy as np
import pytest

import sim
from sim import validation
from sim.rules.lanchester import lanchester

SCRIPT = helpers.REPO / "scripts" / "validation.py"
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
CITED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


script = helpers.load_script("validation")


@dataclass(frozen=True)
class Quick:
    """One quick run of the script: where it wrote, what it wrote, printed and measured."""

    out: Path
    page: str
    stdout: str
    results: Any

    @property
    def flat(self) -> str:
        """The page with every run of whitespace made one space (lines are wrapped)."""
        return " ".join(self.page.split())


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> Quick:
    out = tmp_path_factory.mktemp("validation")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        results = script.main(["--quick", "--out", str(out)])
    page = (out / "validation.md").read_text(encoding="utf-8")
    return Quick(out, page, buf.getvalue(), results)


# ----------------------------------------------------------------------------------------------
# The page and its figures


def test_page_and_every_image_it_references_exist(quick: Quick) -> None:
    refs = [target for _, target in IMAGE.findall(quick.page)]
    assert refs, "the page shows figures"
    for ref in refs:
        path = quick.out / ref
        assert path.is_file(), ref
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), ref
        assert len(data) < 150_000, (ref, len(data))
    written = {p.name for p in (quick.out / "img" / "validation").iterdir()}
    assert {Path(r).name for r in refs} == written == set(script.FIGURES)
    assert all(r.startswith("img/validation/") for r in refs), "relative to the page"


def test_page_names_every_figure(quick: Quick) -> None:
    for number, (name, caption) in enumerate(script.FIGURES.items(), start=1):
        shown = [t for alt, t in IMAGE.findall(quick.page) if t.endswith("/" + name)]
        assert len(shown) == 1, name
        assert f"*Figure {number} ({name}): {caption}*" in quick.page
        assert f"![Figure {number}: {caption}]" in quick.page


def test_page_has_every_section_and_its_contents_links(quick: Quick) -> None:
    headings = re.findall(r"^## (.+)$", quick.page, flags=re.M)
    for word in ("Fearon", "Powell", "Drone", "Beliefs", "Lanchester", "Richardson", "Off"):
        assert any(word in h for h in headings), word
    for h in headings:
        assert f"- [{h}](#{script.anchor(h)})" in quick.page
    assert script.anchor("(d) Beliefs: drawn once, corrected") == "d-beliefs-drawn-once-corrected"


def test_page_states_the_command_seeds_date_and_version(quick: Quick) -> None:
    r = quick.results
    assert r.seeds == script.QUICK_SEEDS == 200
    assert "`python scripts/validation.py --quick`" in quick.flat
    assert f"with Borderline {sim.__version__}: 200 seeds per point" in quick.flat
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.date)
    assert f" on {r.date} " in quick.flat
    assert abs(datetime.date.fromisoformat(r.date) - datetime.date.today()).days <= 1
    assert f"the run took {r.total_seconds:.0f} s" in quick.flat


def test_progress_lines_are_printed(quick: Quick) -> None:
    lines = quick.stdout.splitlines()
    assert any(line.startswith("[1/5] Fearon") for line in lines)
    assert any(line.startswith("[5/5] ") and line.endswith(" s") for line in lines)
    assert sum(line.startswith("wrote ") for line in lines) == len(script.FIGURES) + 1


def test_every_cited_test_exists(quick: Quick) -> None:
    cited = CITED.findall(quick.page)
    files = {f for f, _ in cited}
    assert {"tests/test_theory.py", "tests/rules/test_lanchester.py"} <= files
    assert {"tests/rules/test_arms_race.py", "tests/rules/test_conformance.py"} <= files
    for file, name in cited:
        source = (helpers.REPO / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, flags=re.M), f"{file}::{name}"


# ----------------------------------------------------------------------------------------------
# The numbers on the page are the run's


def engel_reference() -> tuple[np.ndarray, np.ndarray]:
    """Engel's closed form, written again here (a = 0.0544, b = 0.0106, N(0) = 21,500)."""
    a, b = 0.0544, 0.0106
    w = math.sqrt(a * b)
    c, s = math.cosh(w), math.sinh(w)
    m, n = 0.0, 21_500.0
    ms, ns = [m], [n]
    for day in range(36):
        p = {0: 54_000.0, 2: 6_000.0, 5: 13_000.0}.get(day, 0.0)
        m, n = (
            c * m - (a / w) * s * n + p * s / w,
            -(b / w) * s * m + c * n - p * b / w**2 * (c - 1),
        )
        ms.append(m)
        ns.append(n)
    return np.array(ms), np.array(ns)


def test_engel_error_line_is_measured_by_the_run(quick: Quick) -> None:
    e = quick.results.engel
    line = script.engel_line(e)
    assert line in quick.flat
    # recomputed independently of the script: the model's integrator against the closed form
    m_ref, n_ref = engel_reference()
    m, n = lanchester(
        0.0, 21_500.0, 0.0106, 0.0544, 36, reinforce_a={0: 54_000, 2: 6_000, 5: 13_000}
    )
    err_m = float(np.max(np.abs(m[1:] / m_ref[1:] - 1)))
    err_n = float(np.max(np.abs(n[1:] / n_ref[1:] - 1)))
    assert e.integrator_error == pytest.approx((err_m, err_n), rel=1e-6, abs=1e-15)
    assert f"integrator US {err_m:.1e}, Japanese {err_n:.1e};" in quick.flat
    assert err_m < 1e-9 and err_n < 1e-8
    # the daily Euler step wipes the Japanese out: 100% error at the end
    assert e.euler[1][-1] == 0.0 and "Japanese 100.0%." in line
    assert f"Japanese {n[-1]:,.1f} (closed form {n_ref[-1]:,.1f}," in quick.flat


def test_seeded_tables_are_the_run_and_the_run_is_the_experiment(quick: Quick) -> None:
    r = quick.results
    # every row of every table on the page is the run's
    for row in r.misperception.itertuples():
        assert f"| {row.misperception:g} | {script.rate_cell(row)} |" in quick.page
    for t in r.drones.values():
        for row in t.itertuples():
            assert f"| {row.drone_factor:g} | {row.p_force:.3g} | {script.rate_cell(row)} |" in (
                quick.page
            )
    for size in script.SHIFT_SIZES:
        cells = [
            script.rate_cell(script.shift_point(r.shift, size, k)) for k in script.SHIFT_DELAYS
        ]
        assert f"| {size:g} | " + " | ".join(cells) + " |" in quick.page
    # and the run is sim.validation's experiment at 200 seeds (ends of two sweeps, run again)
    again = validation.war_by_misperception((0.0, 2.0), seeds=200)
    ends = r.misperception.iloc[[0, -1]].reset_index(drop=True)
    assert again[["misperception", "rate", "runs"]].equals(ends[["misperception", "rate", "runs"]])
    assert ends.rate.iloc[0] == 0.0
    point = validation.war_by_shift((800.0,), (1,), seeds=200).iloc[0]
    assert point.rate == script.shift_point(r.shift, 800.0, 1).rate


def test_richardson_numbers_are_the_run(quick: Quick) -> None:
    r = quick.results
    x_star, y_star = r.stable[0].equilibrium
    assert f"equilibrium ({x_star:.3f}, {y_star:.3f})" in quick.flat
    k, l_, a, b, g, h = script.RICHARDSON_STABLE
    det = a * b - k * l_
    assert (x_star, y_star) == pytest.approx(((k * h + b * g) / det, (l_ * g + a * h) / det))
    assert max(race.distance for race in r.stable) < 0.05
    assert r.unstable.equilibrium is None
    assert r.unstable.growth_rate() == pytest.approx(r.unstable.eigenvalue, rel=0.01)
    assert f"measured growth rate {r.unstable.growth_rate():.4f} a year" in quick.flat


# ----------------------------------------------------------------------------------------------
# Small pieces


def test_drops_lists_the_falling_steps_only() -> None:
    found = script.drops([0, 1, 2, 3], [0.1, 0.5, 0.2, 0.2], n=1000)
    assert [(d.x0, d.x1, d.r0, d.r1) for d in found] == [(1.0, 2.0, 0.5, 0.2)]
    assert found[0].significant
    small = script.drops([0, 1], [0.50, 0.49], n=1000)
    assert len(small) == 1 and not small[0].significant
    assert script.drops([0, 1, 2], [0.0, 0.0, 0.3], n=10) == []


def test_arguments() -> None:
    args = script.parse_args([])
    assert args.seeds == 1000 and args.out == helpers.REPO / "docs" and not args.quick
    assert script.command_line(args) == "python scripts/validation.py --seeds 1000"
    args = script.parse_args(["--quick", "--out", "x"])
    assert args.seeds == 200 and args.out == Path("x")
    assert script.parse_args(["--seeds", "50"]).seeds == 50


def test_command_line_help_and_bad_arguments() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "--quick" in run.stdout and "--seeds" in run.stdout and "--out" in run.stdout
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--seeds", "5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "not allowed with" in bad.stderr


def test_committed_page_is_a_full_run_with_its_figures() -> None:
    """docs/validation.md is made by a full run (regenerate: python scripts/validation.py)."""
    docs = helpers.REPO / "docs"
    page = (docs / "validation.md").read_text(encoding="utf-8")
    flat = " ".join(page.split())
    assert "`python scripts/validation.py --seeds 1000`" in flat
    assert "1000 seeds per point" in flat
    refs = [target for _, target in IMAGE.findall(page)]
    assert {Path(r).name for r in refs} == set(script.FIGURES)
    for ref in refs:
        assert (docs / ref).is_file(), ref
        assert (docs / ref).stat().st_size < 150_000, ref
