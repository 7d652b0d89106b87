"""``borderline sweep`` and ``borderline batch``: files a researcher can read, and bad input
that gets one line per problem and exit code 2 with nothing written or overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_cli import invoke

from sim.batch import run_batch

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs/examples/sweeps/war_aversion_grid.yaml"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "grid.yaml"
    path.write_text(
        EXAMPLE.read_text()
        .replace("replicates: 50", "replicates: 3\nturns: 6")
        .replace("out: ../../../results/war_aversion_grid", "out: results/grid")
    )
    return path


def snapshot(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_sweep_writes_its_folder_beside_the_spec(spec: Path) -> None:
    ran = invoke("sweep", str(spec), "--workers", "1", "-q")
    assert ran.exit_code == 0, ran.stderr
    folder = spec.parent / "results/grid"
    assert "48 runs" in ran.stderr and f"→ {folder}" in ran.stderr
    man = json.loads((folder / "manifest.json").read_text())
    assert man["status"] == "finished" and man["runs"] == 48
    assert len(pd.read_parquet(folder / "outcomes")) == 48  # pandas reads the folder


def test_sweep_refuses_a_used_folder_and_a_bad_spec_with_one_line(
    spec: Path, tmp_path: Path
) -> None:
    assert invoke("sweep", str(spec), "--workers", "1", "-q").exit_code == 0
    folder = spec.parent / "results/grid"
    before = snapshot(folder)
    again = invoke("sweep", str(spec), "--workers", "1", "-q")
    assert again.exit_code == 2 and again.stdout == ""
    assert again.stderr.count("\n") == 1 and "finished: report it with" in again.stderr
    other = tmp_path / "other.yaml"
    other.write_text(spec.read_text().replace("replicates: 3", "replicates: 4"))
    clash = invoke("sweep", str(other), "--workers", "1", "-q")
    assert clash.exit_code == 2 and "holds another sweep" in clash.stderr
    assert snapshot(folder) == before
    bad = tmp_path / "bad.yaml"
    bad.write_text(spec.read_text().replace("misperception:", "misperseption:"))
    ran = invoke("sweep", str(bad), "-q")
    assert ran.exit_code == 2 and "Traceback" not in ran.stderr
    assert ran.stderr.startswith("borderline: error: ") and "bad.yaml:" in ran.stderr
    assert "did you mean misperception" in ran.stderr
    assert invoke("sweep", str(tmp_path / "nope.yaml")).exit_code == 2
    resumed = invoke("sweep", str(spec), "--resume", "--workers", "1", "-q")
    assert resumed.exit_code == 0 and "already finished, nothing to run" in resumed.stderr


def test_sweep_says_so_when_the_scheduler_cannot_be_reached(spec: Path) -> None:
    ran = invoke("sweep", str(spec), "--scheduler", "tcp://127.0.0.1:9", "-q")
    assert ran.exit_code == 2 and ran.stderr.count("\n") == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in ran.stderr
    assert not (spec.parent / "results").exists()
    both = invoke("sweep", str(spec), "--workers", "2", "--local-cluster", "2")
    assert both.exit_code == 2 and "choose one of" in both.stderr


def test_batch_writes_outcomes_equal_to_the_batch_engine(tmp_path: Path) -> None:
    out = tmp_path / "b"
    ran = invoke(
        "batch", "iran_azerbaijan", "--runs", "30", "--out", str(out), "--seed", "5",
        "--param", "war_aversion=0.5", "--per-turn", "--workers", "1", "-q",
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    got = pd.read_parquet(out / "outcomes.parquet")
    want = run_batch("iran_azerbaijan", seeds=range(5, 35), params={"war_aversion": 0.5}).outcomes
    assert got.seed.tolist() == list(range(5, 35)) and got.run_id.tolist() == list(range(30))
    pd.testing.assert_frame_equal(got[want.columns], want, check_exact=True)
    for name in ("outcome_actors", "dyads", "actors", "events"):
        assert (out / f"{name}.parquet").is_file(), name
    man = json.loads((out / "manifest.json").read_text())
    assert man["kind"] == "borderline-batch" and man["parameters_set"] == {"war_aversion": 0.5}
    assert man["seeds"] == {"first": 5, "last": 34}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--param", "war_aversin=0.5"], "--param war_aversin: unknown parameter"),
        (["--param", "temperature=99"], "--param temperature: 99 is outside [0.05, 3]"),
        (["--param", "temperature"], "write NAME=VALUE"),
        (["--param", "temperature=hot"], "'hot' is not a number"),
    ],
)
def test_batch_bad_parameters_get_one_line_and_nothing_is_written(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    out = tmp_path / "b"
    ran = invoke("batch", "iran_azerbaijan", "--runs", "5", "--out", str(out), "-q", *args)
    assert ran.exit_code == 2 and needle in ran.stderr, ran.stderr
    assert ran.stderr.count("\n") == 1 and not out.exists()


def test_batch_refuses_a_folder_with_results(tmp_path: Path) -> None:
    out = tmp_path / "b"
    args = ["batch", "iran_azerbaijan", "--runs", "4", "--out", str(out), "--workers", "1", "-q"]
    assert invoke(*args).exit_code == 0
    before = snapshot(out)
    ran = invoke(*args)
    assert ran.exit_code == 2 and "already holds results" in ran.stderr
    assert snapshot(out) == before
    unknown = invoke("batch", "atlantis", "--runs", "4", "--out", str(tmp_path / "c"))
    assert unknown.exit_code == 2 and "no such scenario 'atlantis'" in unknown.stderr
    shutil.rmtree(out)
