"""The calibration targets and the calibration script (scripts/calibrate.py)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from sim import calibration
from sim.calibration import TARGETS
from sim.crises import Fact

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.4, 0.0), (0.3, 0.0), (0.5, 0.0), (0.2, 0.5), (0.7, 1.0), (math.nan, 1.0)],
)
def test_a_target_scores_how_far_a_fact_lies_outside_its_band(value: float, expected: float):
    assert Fact("x", 0.3, 0.5, "x").miss(value) == pytest.approx(expected)


def test_every_target_is_measured_and_the_loss_is_zero_only_inside_every_band() -> None:
    facts = calibration.measure({}, seeds=20)
    assert set(facts) == {t.name for t in TARGETS}
    inside = {t.name: (t.lo + t.hi) / 2 for t in TARGETS}
    assert calibration.loss(inside) == 0.0
    assert calibration.loss({**inside, "iran_azerbaijan.war": 0.5}) > 0.0


def test_the_calibration_script_runs_and_writes_its_result(tmp_path: Path) -> None:
    out = tmp_path / "fit.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "calibrate.py"),
            "--points",
            "1",
            "--seeds",
            "20",
            "--refine",
            "0",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result["facts"]) == {t.name for t in TARGETS}
    assert result["loss"] <= result["loss_at_defaults"]
    assert "defaults: loss" in proc.stdout and "best: loss" in proc.stdout
