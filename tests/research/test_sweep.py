"""The sweep runner: designs, chunks, backends, the output folder, resume and failures.

The rows a sweep writes must be exactly the runs of the batch engine (sim.batch) for the same
scenario, parameters and seeds, whatever the chunking or backend; a killed sweep resumed must
give the same rows as one that was never stopped, with no run missing or repeated.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from research import crashy
from sim.batch import run_batch
from sim.research.design import points
from sim.research.spec import spec_from_data
from sim.research.sweep import (
    DaskBackend,
    Inline,
    Interrupted,
    Plan,
    Processes,
    SweepError,
    read_table,
    run_sweep,
)

REPO = Path(__file__).resolve().parents[2]
NUMBERING = ["run_id", "point_id", "replicate"]


def grid(**extra: object) -> dict[str, object]:
    spec: dict[str, object] = {
        "sweep_version": 1,
        "name": "grid",
        "scenario": "iran_azerbaijan",
        "parameters": {
            "war_aversion": {"values": [0.25, 1.0]},
            "misperception": {"min": 0.0, "max": 0.6, "steps": 3},
        },
        "design": {"kind": "grid"},
        "replicates": 6,
        "seed": 100,
        "turns": 10,
        "out": "unused",
    }
    spec.update(extra)
    return spec


def test_a_grid_sweep_is_exactly_the_batch_engines_runs() -> None:
    """Point p, replicate k: the batch engine's run with p's parameters and seed 100 + k."""
    sw = spec_from_data(grid(chunk_runs=7))  # chunks cut across points
    out = run_sweep(sw, Inline(), in_memory=True)
    assert out.tables is not None
    got = out.tables["outcomes"]
    design = points(sw)
    assert len(got) == 36 and got.run_id.tolist() == list(range(36))
    assert (got.point_id == got.run_id // 6).all() and (got.replicate == got.run_id % 6).all()
    assert (got.seed == 100 + got.replicate).all()  # common random numbers
    for p in (0, 4):
        row = design.iloc[p]
        alone = run_batch(
            "iran_azerbaijan",
            seeds=range(100, 106),
            turns=10,
            params={"war_aversion": row.war_aversion, "misperception": row.misperception},
        ).outcomes
        mine = got[got.point_id == p].drop(columns=NUMBERING).reset_index(drop=True)
        pd.testing.assert_frame_equal(
            mine, alone.drop(columns=NUMBERING)[mine.columns], check_exact=True
        )


def test_chunking_changes_nothing() -> None:
    a = run_sweep(spec_from_data(grid(chunk_runs=5)), Inline(), in_memory=True).tables
    b = run_sweep(spec_from_data(grid(chunk_runs=1000)), Inline(), in_memory=True).tables
    assert a is not None and b is not None
    pd.testing.assert_frame_equal(a["outcomes"], b["outcomes"], check_exact=True)


def test_a_rule_parameter_recompiles_the_scenario_per_value() -> None:
    spec = grid(
        parameters={"rules.combat.lethality": {"values": [0.01, 0.05]}},
        scenario="nagorno_karabakh_2020",
        turns=None,
        replicates=8,
    )
    out = run_sweep(spec_from_data(spec), Inline(), in_memory=True).tables
    assert out is not None
    o = out["outcomes"]
    assert set(o.param_rules_combat_lethality) == {0.01, 0.05}
    # deadlier combat ends the Karabakh war sooner, on the same seeds
    days = o.groupby("param_rules_combat_lethality").war_days.median()
    assert days[0.05] < days[0.01]


def test_sampled_designs_give_their_number_of_points_within_bounds() -> None:
    base = grid(
        parameters={
            "war_aversion": {"min": 0.5, "max": 2.0},
            "misperception": {
                "min": 0.0,
                "max": 0.6,
                "distribution": "normal",
                "mean": 0.2,
                "sd": 0.1,
            },
            "rules.alliances.delivery_turns": {"min": 1, "max": 6},
        },
        replicates=2,
    )
    lhs = points(spec_from_data({**base, "design": {"kind": "lhs", "samples": 40, "seed": 1}}))
    assert len(lhs) == 40
    # a Latin hypercube: each tenth of war_aversion's range holds exactly 4 of the 40 points
    bins = np.floor((lhs.war_aversion - 0.5) / 1.5 * 10).clip(0, 9)
    assert (bins.value_counts() == 4).all()
    assert lhs.misperception.between(0.0, 0.6).all()
    assert abs(lhs.misperception.mean() - 0.2) < 0.05
    assert set(lhs["rules.alliances.delivery_turns"]) <= set(range(1, 7))
    sobol = points(spec_from_data({**base, "design": {"kind": "sobol", "samples": 16}}))
    assert len(sobol) == 16 * (3 + 2)
    sobol2 = points(
        spec_from_data({**base, "design": {"kind": "sobol", "samples": 16, "second_order": True}})
    )
    assert len(sobol2) == 16 * (2 * 3 + 2)
    morris = points(
        spec_from_data(
            {
                **base,
                "parameters": {
                    "war_aversion": {"min": 0.5, "max": 2.0},
                    "restraint": {"min": 0.0, "max": 1.0},
                },
                "design": {"kind": "morris", "samples": 5, "levels": 4},
            }
        )
    )
    assert len(morris) == 5 * 3
    assert set(np.round((morris.war_aversion - 0.5) / 1.5 * 3, 9)) <= {0, 1, 2, 3}
    again = points(spec_from_data({**base, "design": {"kind": "lhs", "samples": 40, "seed": 1}}))
    pd.testing.assert_frame_equal(lhs, again)  # a pure function of the spec


def test_the_folder_has_a_manifest_a_design_and_one_file_per_chunk(tmp_path: Path) -> None:
    sw = spec_from_data(grid(chunk_runs=10, outputs={"per_turn": True, "per_actor": True}))
    out = run_sweep(sw, Inline(), tmp_path / "out")
    folder = tmp_path / "out"
    assert out.ran == 36 and out.failed == 0
    import json

    man = json.loads((folder / "manifest.json").read_text())
    assert man["status"] == "finished" and man["runs"] == 36 and man["chunks"] == 4
    assert man["chunks_done"] == 4 and man["fingerprint"] == sw.fingerprint
    assert [p["column"] for p in man["parameters"]] == ["param_war_aversion", "param_misperception"]
    assert sorted(p.name for p in (folder / "outcomes").iterdir()) == [
        f"chunk-{k:06d}.parquet" for k in range(4)
    ]
    assert pd.read_parquet(folder / "design.parquet").shape == (6, 3)
    for table in ("outcome_actors", "dyads", "actors", "events"):
        t = read_table(folder, table)
        assert list(t.columns[:4]) == ["run_id", "point_id", "replicate", "seed"], table
        assert set(t.run_id) <= set(range(36))
    assert not list(folder.rglob("*.tmp"))


def test_the_folder_is_refused_for_another_sweep_or_without_resume(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    run_sweep(spec_from_data(grid(chunk_runs=18)), Inline(), folder)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    with pytest.raises(SweepError, match=r"already holds this sweep, finished: report it"):
        run_sweep(spec_from_data(grid(chunk_runs=18)), Inline(), folder)
    with pytest.raises(SweepError, match="holds another sweep"):
        run_sweep(spec_from_data(grid(chunk_runs=18, replicates=7)), Inline(), folder, resume=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty and holds no sweep"):
        run_sweep(spec_from_data(grid()), Inline(), tmp_path / "other")
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    again = run_sweep(spec_from_data(grid(chunk_runs=18)), Inline(), folder, resume=True)
    assert again.ran == 0  # resuming a finished sweep runs nothing


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.research.sweep as sweep_module

    real = sweep_module.run_batch

    def flaky(prep, seeds, **kw):  # type: ignore[no-untyped-def]
        if 103 in list(seeds):
            raise FloatingPointError("the engine met a NaN")
        return real(prep, seeds, **kw)

    monkeypatch.setattr(sweep_module, "run_batch", flaky)
    out = run_sweep(spec_from_data(grid(chunk_runs=12)), Inline(), tmp_path / "out")
    fails = read_table(tmp_path / "out", "failures")
    assert out.failed == 6 == len(fails)  # replicate 3 (seed 103) at each of the 6 points
    assert (fails.seed == 103).all() and fails.error.str.contains("NaN").all()
    ok = read_table(tmp_path / "out")
    assert len(ok) == 30 and not set(ok.run_id) & set(fails.run_id)


def test_a_dead_worker_is_replaced_and_its_chunk_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crashy.MARKER, str(tmp_path / "died"))
    spec = spec_from_data(grid(chunk_runs=9))
    out = run_sweep(spec, Processes(2, chunk=crashy.crash_once), tmp_path / "out")
    assert (tmp_path / "died").exists(), "the worker did die"
    assert out.failed == 0
    got = read_table(tmp_path / "out").sort_values("run_id").reset_index(drop=True)
    want = run_sweep(spec, Inline(), in_memory=True).tables
    assert want is not None
    pd.testing.assert_frame_equal(got, want["outcomes"], check_exact=True)


def test_a_killed_sweep_resumes_without_losing_or_repeating_a_run(tmp_path: Path) -> None:
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text(
        (REPO / "docs/examples/sweeps/war_aversion_grid.yaml")
        .read_text()
        .replace("replicates: 50", "replicates: 40\nchunk_runs: 20\nturns: 8")
    )
    folder = tmp_path / "out"
    cmd = [sys.executable, "-m", "sim", "sweep", str(spec_file), "--out", str(folder), "-q"]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2"], cwd=REPO, start_new_session=True, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while len(list((folder / "outcomes").glob("chunk-*.parquet"))) < 3:
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, with no warning
        proc.wait()
    first = set(read_table(folder).run_id)
    assert 0 < len(first) < 640
    done = subprocess.run([*cmd, "--resume", "--workers", "1"], cwd=REPO, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    got = read_table(folder).sort_values("run_id").reset_index(drop=True)
    assert got.run_id.tolist() == list(range(640))
    from sim.research.spec import load_spec

    sw = load_spec(spec_file)
    want = run_sweep(sw, Inline(), in_memory=True).tables
    assert want is not None
    pd.testing.assert_frame_equal(got, want["outcomes"], check_exact=True)


def test_stop_interrupts_between_chunks_and_keeps_what_is_done(tmp_path: Path) -> None:
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Interrupted):
        run_sweep(spec_from_data(grid(chunk_runs=6)), Inline(), tmp_path / "out", stop=stop)
    import json

    man = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert man["status"] == "interrupted" and man["chunks_done"] == 2
    rest = run_sweep(spec_from_data(grid(chunk_runs=6)), Inline(), tmp_path / "out", resume=True)
    assert rest.ran == 24 and len(read_table(tmp_path / "out")) == 36


def test_a_local_dask_cluster_gives_the_same_rows_bit_for_bit() -> None:
    spec = spec_from_data(grid(chunk_runs=9))
    backend = DaskBackend(local=2)
    try:
        got = run_sweep(spec, backend, in_memory=True).tables
    finally:
        backend.close()
    want = run_sweep(spec, Inline(), in_memory=True).tables
    assert got is not None and want is not None
    pd.testing.assert_frame_equal(got["outcomes"], want["outcomes"], check_exact=True)


def test_the_plan_cuts_a_sweep_by_its_size_alone() -> None:
    small = Plan.of(spec_from_data(grid()))
    assert small.chunk_runs == 1000 and small.chunks == 1
    mid = Plan.of(spec_from_data(grid(replicates=4_000)))  # 24,000 runs
    assert mid.chunk_runs == 3000 and mid.chunks == 8
    big = Plan.of(spec_from_data(grid(replicates=100_000)))
    assert big.chunk_runs == 4000 and big.chunks == 150


def test_a_chunk_whose_runs_all_fail_is_done_with_a_failures_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.research.sweep as sweep_module

    def broken(prep, seeds, **kw):  # type: ignore[no-untyped-def]
        raise MemoryError("no room")

    monkeypatch.setattr(sweep_module, "run_batch", broken)
    folder = tmp_path / "out"
    out = run_sweep(spec_from_data(grid(chunk_runs=18)), Inline(), folder)
    assert out.failed == 36 and not (folder / "outcomes").exists()
    assert len(read_table(folder, "failures")) == 36
    monkeypatch.undo()
    again = run_sweep(spec_from_data(grid(chunk_runs=18)), Inline(), folder, resume=True)
    assert again.ran == 0, "the failed chunks are done: resuming does not run them again"
