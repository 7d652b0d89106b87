"""Plain seeded replicates written as files: ``borderline batch``.

A batch is a sweep of one design point (the defaults, or the ``--param`` values given), run on
the same chunks and backends, and written as single files:

    OUT/outcomes.parquet        one row per run: keys, parameters, every outcome field
    OUT/outcome_actors.parquet  one row per (run, actor)
    OUT/dyads.parquet, actors.parquet, events.parquet   with --per-turn
    OUT/manifest.json           scenario and hash, parameters, seeds, versions, speed

Nothing is written until every run is done, and then each file atomically, so an interrupted
or failed batch leaves no partial files; a folder that already holds results is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.research.spec import Sweep, spec_from_data
from sim.research.sweep import (
    Backend,
    Plan,
    Progress,
    manifest,
    run_sweep,
    write_atomic,
)

#: The files a batch writes (besides the manifest).
FILES = ("outcomes", "outcome_actors", "dyads", "actors", "events", "failures")


class BatchError(Exception):
    """The output folder cannot take the batch: one line, exit 2."""


@dataclass
class Replicates:
    """A finished batch, in memory."""

    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any]
    runs: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.runs / self.seconds if self.seconds > 0 else 0.0


def check_out(out: Path) -> None:
    """Refuse a folder that is a file or already holds results (before anything runs).

    Raises:
        BatchError: saying which.
    """
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out} is a file, not a folder")
    if out.is_dir():
        taken = [f"{name}.parquet" for name in FILES if (out / f"{name}.parquet").exists()]
        if (out / "manifest.json").exists():
            taken.append("manifest.json")
        if taken:
            raise BatchError(
                f"--out {out} already holds results ({', '.join(taken)}): choose a new folder"
            )


def replicates(
    scenario: str,
    runs: int,
    params: dict[str, float],
    seed: int = 0,
    turns: int | None = None,
    per_turn: bool = False,
) -> Sweep:
    """The sweep of ``runs`` replicates (seeds ``seed``, ``seed + 1``, ...) of one set of
    parameters, validated.

    Raises:
        sim.research.spec.SpecError: an unknown scenario or parameter, a value out of range.
    """
    data: dict[str, Any] = {
        "sweep_version": 1,
        "name": f"batch of {scenario}",
        "scenario": scenario,
        "parameters": {name: {"values": [value]} for name, value in params.items()},
        "design": {"kind": "grid"},
        "replicates": runs,
        "seed": seed,
        "turns": turns,
        "outputs": {"per_actor": True, "per_turn": per_turn},
        "out": ".",
    }
    return spec_from_data(data)


def run_replicates(
    sweep: Sweep, backend: Backend | None = None, progress: Any = None
) -> Replicates:
    """Run a batch (:func:`replicates`) and keep its tables in memory."""
    params = {name: p.values[0] for name, p in sweep.spec.parameters.items() if p.values}
    result = run_sweep(sweep, backend, in_memory=True, progress=progress)
    assert result.tables is not None
    plan = Plan.of(sweep)
    man = manifest(plan, "finished", seconds=round(result.seconds, 3))
    man["kind"] = "borderline-batch"
    man["parameters_set"] = dict(params)
    tables = {k: v for k, v in result.tables.items() if k != "design"}
    return Replicates(tables, man, result.ran, result.seconds)


def write_batch(out: Path, result: Replicates) -> list[Path]:
    """Write a finished batch's files (each atomically), the manifest last.

    Raises:
        BatchError: if the folder cannot be written.
    """
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            table = result.tables.get(name)
            if table is None:
                continue
            path = out / f"{name}.parquet"
            write_atomic(path, _parquet_writer(table))
            written.append(path)
        path = out / "manifest.json"
        text = json.dumps(result.manifest, indent=2) + "\n"

        def write_text(p: Path) -> None:
            p.write_text(text, encoding="utf-8")

        write_atomic(path, write_text)
        written.append(path)
    except OSError as exc:
        raise BatchError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    return written


def _parquet_writer(table: pd.DataFrame) -> Callable[[Path], None]:
    def write(p: Path) -> None:
        table.to_parquet(p, index=False, compression="zstd")

    return write


__all__ = [
    "BatchError",
    "Progress",
    "Replicates",
    "check_out",
    "replicates",
    "run_replicates",
    "write_batch",
]
