"""docs/research.md is true: its worked study runs as written, its data dictionary names every
column of every table, and its snippet for reproducing a run reproduces one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.batch import run_batch
from sim.research.spec import load_spec, spec_from_data
from sim.research.sweep import Inline, read_table, run_sweep

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs/research.md").read_text(encoding="utf-8")
STUDY = REPO / "docs/examples/sweeps/founding_crisis_lhs.yaml"


def section(title: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(title)}$", DOC, re.M)
    assert m, f"no section {title!r}"
    body = DOC[m.end() :]
    stop = re.search(rf"^#{{1,{len(m.group(1))}}} ", body, re.M)
    return body[: stop.start()] if stop else body


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def documented(table: str) -> set[str]:
    names: set[str] = set()
    for line in section(table).splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def test_the_worked_study_in_the_page_is_the_example_file() -> None:
    shown = yaml.safe_load(blocks(section("A worked study, from spec to figures"), "yaml")[0])
    real = yaml.safe_load(STUDY.read_text())
    real.pop("description")
    assert shown == real


def test_the_worked_study_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "study"
    ran = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(STUDY), "--out", str(out), "-q"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    outcomes = read_table(out)
    assert len(outcomes) == 2560 and outcomes.run_id.is_unique
    rep = subprocess.run(
        [sys.executable, "-m", "sim", "report", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert rep.returncode == 0, rep.stderr
    assert "war_aversion" in rep.stdout
    assert list((out / "report").glob("*.png")) and list((out / "report").glob("*.csv"))


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    res = run_batch("iran_azerbaijan", seeds=range(30), record=True, params={"war_aversion": 0.5})
    out = {n: getattr(res, n) for n in ("outcomes", "outcome_actors", "dyads", "actors", "events")}
    sw = spec_from_data(
        {
            "sweep_version": 1,
            "name": "d",
            "scenario": "nagorno_karabakh_2020",
            "parameters": {"rules.combat.lethality": {"values": [0.02]}},
            "design": {"kind": "grid"},
            "replicates": 2,
            "out": "x",
        }
    )
    done = run_sweep(sw, Inline(), in_memory=True).tables
    assert done is not None
    out["sweep_outcomes"] = done["outcomes"]
    return out


@pytest.mark.parametrize("table", ["outcomes", "outcome_actors", "dyads", "actors", "events"])
def test_the_data_dictionary_names_every_column(
    tables: dict[str, pd.DataFrame], table: str
) -> None:
    heading = table if table in ("outcomes", "outcome_actors") else f"{table} (per turn)"
    names = documented(heading)
    columns = set(tables[table].columns)
    if table == "outcomes":
        columns |= set(tables["sweep_outcomes"].columns)
        patterns = [
            re.compile(
                "^"
                + re.sub(r"<[^>]+>", ".+", re.escape(n).replace(r"\<", "<").replace(r"\>", ">"))
                + "$"
            )
            for n in names
        ]
        missing = {c for c in columns if not any(p.match(c) for p in patterns)}
        exact = {n for n in names if "<" not in n}
        assert exact <= columns, f"documented but absent: {exact - columns}"
    else:
        missing = columns - names
        assert names <= columns, f"documented but absent: {names - columns}"
    assert not missing, f"columns of {table} missing from docs/research.md: {sorted(missing)}"


def test_the_snippet_reproduces_a_run_of_a_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sw = load_spec(
        REPO / "docs/examples/sweeps/war_aversion_grid.yaml", out=tmp_path / "results/grid"
    )
    small = sw.spec.model_copy(update={"replicates": 10, "turns": 12})
    sw = type(sw)(small, sw.path, sw.scenario, sw.factors, sw.out, sw.fingerprint)
    run_sweep(sw, Inline())
    code = blocks(section("Reproducing one run"), "python")[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/research.md", "exec"), {})  # its assert checks the replay
