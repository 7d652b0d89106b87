"""``borderline report``: probabilities with Wilson intervals, distributions, Sobol and Morris
indices, the files it writes, and its one-line errors.

The sweeps are small and run in this process (a few seconds each). The Sobol sweep varies
``war_aversion`` (which decides war in iran_azerbaijan when it is low) and ``proxy_armour``
(which does nothing in that scenario: a proxy rule it does not switch on), so the indices must
tell them apart.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.research.batch import replicates, run_replicates, write_batch
from sim.research.report import OUTCOMES, Report, ReportError, make_report
from sim.research.spec import spec_from_data
from sim.research.sweep import Inline, read_table, run_sweep
from sim.session import wilson

SCENARIO = "iran_azerbaijan"
PROB_COLUMNS = ["parameter", "value", "bin_lo", "bin_hi", "outcome", "runs", "k", "p", "lo", "hi"]


def _sweep(folder: Path, parameters: dict[str, Any], design: dict[str, Any], reps: int) -> Path:
    data = {
        "sweep_version": 1,
        "name": f"test_{design['kind']}",
        "scenario": SCENARIO,
        "parameters": parameters,
        "design": design,
        "replicates": reps,
        "out": str(folder),
    }
    result = run_sweep(spec_from_data(data), Inline(), folder)
    assert result.failed == 0
    return folder


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(
        tmp_path_factory.mktemp("grid") / "sweep",
        {"war_aversion": {"values": [0.1, 0.25, 1.0]}, "misperception": {"values": [0.0, 0.6]}},
        {"kind": "grid"},
        40,
    )


@pytest.fixture(scope="module")
def grid_report(grid: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return make_report(grid, tmp_path_factory.mktemp("grid_report") / "rep")


@pytest.fixture(scope="module")
def sobol(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(
        tmp_path_factory.mktemp("sobol") / "sweep",
        {"war_aversion": {"min": 0.1, "max": 1.0}, "proxy_armour": {"min": 0.0, "max": 1000.0}},
        {"kind": "sobol", "samples": 64},
        4,
    )


@pytest.fixture(scope="module")
def morris(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(
        tmp_path_factory.mktemp("morris") / "sweep",
        {"war_aversion": {"min": 0.1, "max": 1.0}, "proxy_armour": {"min": 0.0, "max": 1000.0}},
        {"kind": "morris", "samples": 16, "levels": 4},
        4,
    )


@pytest.fixture(scope="module")
def lhs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(
        tmp_path_factory.mktemp("lhs") / "sweep",
        {"war_aversion": {"min": 0.1, "max": 1.0}, "misperception": {"min": 0.0, "max": 0.6}},
        {"kind": "lhs", "samples": 40},
        3,
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "out"
    write_batch(folder, run_replicates(replicates(SCENARIO, 120, {"war_aversion": 0.1})))
    return folder


def _indicators(runs: pd.DataFrame) -> pd.DataFrame:
    """The outcomes, computed here directly from the documented columns."""
    return pd.DataFrame(
        {
            "war": runs["war"].astype(bool),
            "use_of_force": runs["peak_mid_level"] >= 4,
            "rupture": runs["ruptures"] > 0,
            "ceasefire": runs["war_ended_by"] == "ceasefire",
            "settled": runs["settled"].astype(bool),
        }
    )


def _check_wilson(probs: pd.DataFrame) -> None:
    assert (probs["lo"] <= probs["p"] + 1e-12).all()
    assert (probs["p"] <= probs["hi"] + 1e-12).all()
    for r in probs.itertuples():
        assert (r.lo, r.hi) == pytest.approx(wilson(int(r.k), int(r.runs)))
        assert r.p == pytest.approx(r.k / r.runs)


# -- a grid ------------------------------------------------------------------------------------


def test_grid_files_and_columns(grid: Path, grid_report: Report) -> None:
    rep = grid_report
    names = {f.name for f in rep.files}
    assert {
        "summary.md",
        "probabilities.csv",
        "probabilities_pairs.csv",
        "distributions.csv",
        "points.parquet",
        "prob_war_aversion.png",
        "prob_misperception.png",
        "war_days.png",
        "losses.png",
    } <= names
    assert all(f.is_file() and f.stat().st_size > 0 for f in rep.files)
    for f in rep.files:
        if f.suffix == ".png":
            assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    probs = pd.read_csv(rep.folder / "probabilities.csv")
    assert list(probs.columns) == PROB_COLUMNS
    pairs = pd.read_csv(rep.folder / "probabilities_pairs.csv")
    assert list(pairs.columns) == [
        "parameter_a",
        "value_a",
        "parameter_b",
        "value_b",
        "outcome",
        "runs",
        "k",
        "p",
        "lo",
        "hi",
    ]
    dist = pd.read_csv(rep.folder / "distributions.csv")
    assert set(dist["variable"]) == {
        "war_days (runs with war)",
        "armour_lost",
        "deaths",
        "econ_cost_busd",
    }
    points = pd.read_parquet(rep.folder / "points.parquet")
    assert len(points) == 6 and (points["runs"] == 40).all()
    assert (rep.folder / "summary.md").read_text(encoding="utf-8").rstrip() == rep.text


def test_grid_probabilities_equal_pandas(grid: Path, grid_report: Report) -> None:
    rep = grid_report
    probs = pd.read_csv(rep.folder / "probabilities.csv")
    runs = read_table(grid)
    ind = _indicators(runs)
    assert ind["war"].any() and not ind["war"].all()  # the test can tell a wrong grouping
    for name in ("war_aversion", "misperception"):
        col = runs[f"param_{name}"]
        for o, _, _ in OUTCOMES:
            want = ind[o].groupby(col).agg(["sum", "size"])
            got = probs[(probs["parameter"] == name) & (probs["outcome"] == o)]
            got = got.set_index("value").sort_index()
            assert list(got.index) == list(want.index)
            assert list(got["k"]) == list(want["sum"])
            assert list(got["runs"]) == list(want["size"])
            assert got["bin_lo"].isna().all()
    overall = probs[probs["parameter"] == "(all)"].set_index("outcome")
    for o, _, _ in OUTCOMES:
        assert overall.loc[o, "k"] == ind[o].sum() and overall.loc[o, "runs"] == len(runs)
    for lvl in range(1, 6):
        assert overall.loc[f"peak_mid_level_{lvl}", "k"] == (runs["peak_mid_level"] == lvl).sum()
    _check_wilson(probs)
    pairs = pd.read_csv(rep.folder / "probabilities_pairs.csv")
    war = pairs[pairs["outcome"] == "war"].set_index(["value_a", "value_b"])["p"]
    want = ind["war"].groupby([runs["param_war_aversion"], runs["param_misperception"]]).mean()
    assert war.sort_index().to_numpy() == pytest.approx(want.sort_index().to_numpy())
    _check_wilson(pairs)


def test_grid_distributions_equal_pandas(grid: Path, grid_report: Report) -> None:
    rep = grid_report
    dist = pd.read_csv(rep.folder / "distributions.csv").set_index("variable")
    runs = read_table(grid)
    days = runs.loc[runs["war"], "war_days"]
    assert dist.loc["war_days (runs with war)", "runs"] == len(days) > 0
    assert dist.loc["war_days (runs with war)", "mean"] == pytest.approx(days.mean(), rel=1e-5)
    assert dist.loc["war_days (runs with war)", "median"] == pytest.approx(days.median())
    assert dist.loc["deaths", "max"] == pytest.approx(runs["deaths"].max(), rel=1e-5)
    assert dist.loc["armour_lost", "above_zero"] == pytest.approx(
        (runs["armour_lost"] > 0).mean(), rel=1e-5
    )


def test_grid_text(grid: Path, grid_report: Report) -> None:
    text = grid_report.text
    assert text.startswith("# Sweep test_grid")
    for needle in (
        "design:     grid",
        "6 points × 40 replicates = 240 runs; 240 finished, 0 failed",
        "By war_aversion (values, marginal over misperception):",
        "P(war) by war_aversion (rows) and misperception (columns):",
        "## War length and losses",
        f"read_parquet('{grid}/outcomes/*.parquet', union_by_name = true)",
        "SELECT param_war_aversion, count(*) AS runs, avg(war::INT) AS p_war",
    ):
        assert needle in text
    # the aligned table: every row of a block has the same width as its rule
    lines = text.splitlines()
    k = lines.index("By war_aversion (values, marginal over misperception):")
    assert lines[k + 1].split()[:3] == ["war_aversion", "runs", "war"]
    assert len(lines[k + 2]) >= max(len(line) for line in lines[k + 3 : k + 6])


def test_default_folder_and_no_war(tmp_path: Path) -> None:
    folder = _sweep(
        tmp_path / "calm",
        {"war_aversion": {"values": [2.0, 3.0]}},
        {"kind": "grid"},
        10,
    )
    rep = make_report(folder, None)
    assert rep.folder == folder / "report"
    assert (folder / "report" / "war_days.png").is_file()
    assert "No war in any run (20 runs)" in rep.text


# -- sampled designs ---------------------------------------------------------------------------


def test_lhs_quantile_bins(lhs: Path, tmp_path: Path) -> None:
    rep = make_report(lhs, tmp_path / "rep")
    probs = pd.read_csv(rep.folder / "probabilities.csv")
    runs = read_table(lhs)
    ind = _indicators(runs)
    for name in ("war_aversion", "misperception"):
        sel = probs[(probs["parameter"] == name) & (probs["outcome"] == "war")]
        assert len(sel) == 5 and sel["value"].isna().all()
        x = runs[f"param_{name}"]
        assert sel["bin_lo"].iloc[0] == pytest.approx(x.min())
        assert sel["bin_hi"].iloc[-1] == pytest.approx(x.max())
        assert sel["runs"].sum() == len(runs)
        for r in sel.itertuples():
            last = r.bin_hi == sel["bin_hi"].iloc[-1]
            inside = (x >= r.bin_lo - 1e-9) & ((x <= r.bin_hi + 1e-9) if last else (x < r.bin_hi))
            assert r.runs == inside.sum()
            assert r.k == ind.loc[inside, "war"].sum()
    _check_wilson(probs)
    assert "By war_aversion (quantile bins, marginal over misperception):" in rep.text
    assert "sobol.csv" not in {f.name for f in rep.files}


def test_sobol_indices_tell_the_parameters_apart(sobol: Path, tmp_path: Path) -> None:
    rep = make_report(sobol, tmp_path / "rep")
    names = {f.name for f in rep.files}
    assert {"sobol.csv", "sobol.png"} <= names
    table = pd.read_csv(rep.folder / "sobol.csv")
    assert list(table.columns) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    war = table[table["outcome"] == "war"].set_index("parameter")
    assert list(war.index) == ["war_aversion", "proxy_armour"]
    assert war.loc["war_aversion", "ST"] > 0.5
    assert war.loc["war_aversion", "S1"] > 0.3
    assert abs(war.loc["proxy_armour", "ST"]) < 0.05
    assert abs(war.loc["proxy_armour", "S1"]) < 0.05
    assert (war["S1_conf"] >= 0).all() and (war["ST_conf"] >= 0).all()
    assert war.loc["war_aversion", "ST_conf"] > 0
    assert "## Sobol indices" in rep.text and "war_aversion" in rep.text
    # the same report twice: the bootstrap intervals are seeded
    again = pd.read_csv(make_report(sobol, tmp_path / "rep2").folder / "sobol.csv")
    pd.testing.assert_frame_equal(table, again)


def test_sobol_refuses_or_drops_incomplete_points(sobol: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(sobol, broken, ignore=shutil.ignore_patterns("report"))
    chunk = broken / "outcomes" / "chunk-000000.parquet"
    runs = pd.read_parquet(chunk)
    lost = runs[runs["point_id"] == 1]
    runs[runs["point_id"] != 1].to_parquet(chunk, index=False)
    (broken / "failures").mkdir()
    fail = lost[["run_id", "point_id", "replicate", "seed"]].assign(error="ValueError: boom")
    fail.to_parquet(broken / "failures" / "chunk-000000.parquet", index=False)
    rep = make_report(broken, tmp_path / "rep")
    assert f"{len(lost)} failed" in rep.text
    assert "Warning: 1 of 64 Saltelli blocks" in rep.text
    assert f"failed runs {int(lost['run_id'].iloc[0])}" in rep.text
    assert "ValueError: boom" in rep.text
    table = pd.read_csv(rep.folder / "sobol.csv")
    war = table[table["outcome"] == "war"].set_index("parameter")
    assert war.loc["war_aversion", "ST"] > 0.5


def test_morris_indices(morris: Path, tmp_path: Path) -> None:
    rep = make_report(morris, tmp_path / "rep")
    assert {"morris.csv", "morris.png"} <= {f.name for f in rep.files}
    table = pd.read_csv(rep.folder / "morris.csv")
    assert list(table.columns) == ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    war = table[table["outcome"] == "war"].set_index("parameter")
    assert war.loc["war_aversion", "mu_star"] > 0.1
    assert war.loc["war_aversion", "mu"] < 0  # more war aversion, less war
    assert war.loc["proxy_armour", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert (table["mu_star_conf"] >= 0).all()
    assert "## Morris screening" in rep.text


# -- a batch -----------------------------------------------------------------------------------


def test_batch(batch: Path, tmp_path: Path) -> None:
    rep = make_report(batch, tmp_path / "rep")
    assert rep.text.startswith(f"# Batch of {SCENARIO}")
    assert "parameters: war_aversion=0.1" in rep.text
    probs = pd.read_csv(rep.folder / "probabilities.csv")
    assert set(probs["parameter"]) == {"(all)"}
    runs = pd.read_parquet(batch / "outcomes.parquet")
    ind = _indicators(runs)
    overall = probs.set_index("outcome")
    for o, _, _ in OUTCOMES:
        assert overall.loc[o, "k"] == ind[o].sum()
    _check_wilson(probs)
    assert f"FROM '{batch}/outcomes.parquet'" in rep.text


# -- bad input ---------------------------------------------------------------------------------


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: None, "no such folder"),
        (lambda d: d.mkdir(), "is not a sweep or batch folder (no manifest.json"),
        (lambda d: _write(d / "manifest.json", {"kind": "something"}), "kind 'something'"),
        (lambda d: _write(d / "manifest.json", [1, 2]), "is not a sweep or batch manifest"),
        (
            lambda d: (d.mkdir(), (d / "manifest.json").write_text("{oops")),
            "is not a readable sweep or batch manifest",
        ),
        (
            lambda d: _write(
                d / "manifest.json", {"kind": "borderline-sweep", "status": "running"}
            ),
            "no finished chunk yet",
        ),
        (
            lambda d: _write(d / "manifest.json", {"kind": "borderline-batch"}),
            "no outcomes.parquet",
        ),
    ],
)
def test_bad_folders(tmp_path: Path, make: Any, message: str) -> None:
    folder = tmp_path / "results"
    make(folder)
    with pytest.raises(ReportError) as info:
        make_report(folder, tmp_path / "rep")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "rep").exists()


def test_all_runs_failed(grid: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(grid, broken, ignore=shutil.ignore_patterns("report"))
    chunk = broken / "outcomes" / "chunk-000000.parquet"
    runs = pd.read_parquet(chunk)
    pd.DataFrame({"run_id": pd.Series([], dtype=np.int64)}).to_parquet(chunk, index=False)
    (broken / "failures").mkdir()
    runs[["run_id", "point_id", "replicate", "seed"]].assign(error="boom").to_parquet(
        broken / "failures" / "chunk-000000.parquet", index=False
    )
    with pytest.raises(ReportError, match=r"no finished runs to report \(all 240 runs"):
        make_report(broken, tmp_path / "rep")
    assert not (tmp_path / "rep").exists()


def test_an_empty_chunk_among_finished_ones(grid: Path, tmp_path: Path) -> None:
    """A chunk all of whose runs failed is an outcomes file with only run_id: it is skipped."""
    copy = tmp_path / "copy"
    shutil.copytree(grid, copy, ignore=shutil.ignore_patterns("report"))
    pd.DataFrame({"run_id": pd.Series([], dtype=np.int64)}).to_parquet(
        copy / "outcomes" / "chunk-000001.parquet", index=False
    )
    probs = pd.read_csv(make_report(copy, tmp_path / "rep").folder / "probabilities.csv")
    assert probs.loc[probs["parameter"] == "(all)", "runs"].iloc[0] == 240


def test_out_is_a_file(grid: Path, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ReportError, match="is a file"):
        make_report(grid, target)


# -- the command -------------------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_cli_report(grid: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["report", str(grid), "--out", str(tmp_path / "rep")], capsys)
    assert code == 0
    assert out.startswith("# Sweep test_grid")
    assert "By misperception (values, marginal over war_aversion):" in out
    assert err.strip() == f"wrote 9 files to {tmp_path / 'rep'}"


def test_cli_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["report", str(tmp_path / "nowhere")], capsys)
    assert code == 2
    assert out == ""
    assert err == f"borderline: error: {tmp_path / 'nowhere'}: no such folder\n"
    (tmp_path / "empty").mkdir()
    code, out, err = _cli(["report", str(tmp_path / "empty")], capsys)
    assert code == 2 and len(err.splitlines()) == 1
    assert "is not a sweep or batch folder" in err
