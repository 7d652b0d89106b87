"""Shared paths and helpers of the scenario-layer tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
VALID_DIR = DATA / "valid_scenarios"
INVALID_DIR = DATA / "invalid_scenarios"
SCENARIOS = REPO / "scenarios"
EXAMPLES = REPO / "docs" / "examples"


def run_scenario(ref: str | Path, turns: int = 3) -> None:
    """Run a few turns of a scenario with the engine (xfail only if the engine is missing)."""
    try:
        from sim.model import CrisisModel
    except ImportError as exc:  # pragma: no cover - until the engine lands
        pytest.xfail(f"the engine (sim.model.CrisisModel) cannot be imported: {exc}")
    model = CrisisModel(crisis=ref, rng=7)
    for _ in range(turns):
        model.step()
    assert 1 <= model.turn <= turns


def borderline(
    *args: str, cwd: Path = REPO, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` and capture its output."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so that problems name files as the CLI does there."""
    monkeypatch.chdir(REPO)
