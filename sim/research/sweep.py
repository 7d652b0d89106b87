"""Running sweeps: chunks of runs on local processes or a Dask cluster, written as Parquet.

A sweep's runs are numbered: run ``r`` is replicate ``r % replicates`` of design point
``r // replicates``, with seed ``seed + replicate`` (common random numbers: every point sees
the same seeds). The runs are cut into chunks of consecutive run ids, each a few seconds of
work on the batch engine (never one run per task: a Dask task costs about 2 ms, a run about 1).
Each chunk becomes one Parquet file per table, written atomically (a temporary file, then a
rename), the outcomes file last, so a chunk is either on disk whole or not at all. The folder:

    OUT/manifest.json            the spec, scenario hash, versions, seeds, chunks, status
    OUT/design.parquet           one row per design point: point_id and the parameters
    OUT/outcomes/chunk-000000.parquet ...     one row per run (always)
    OUT/failures/chunk-...       runs that raised: their keys and the error (when any)
    OUT/outcome_actors/, dyads/, actors/, events/   when the spec asks for them

``resume=True`` skips the chunks already on disk, so a killed sweep loses at most the chunks in
flight and never runs (or writes) a run twice. A run that raises is recorded with its error in
``failures/`` and the sweep goes on; a worker process that dies is replaced and its chunks
retried (:data:`ATTEMPTS` times in all).

The same runs give the same rows, bit for bit, on any backend (a run depends only on its
scenario, parameters and seed: sim.batch), so local processes and a Dask cluster agree.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim import __version__
from sim.batch import Prepared, run_batch
from sim.files import write_atomic
from sim.outputs import Keys, mesa_version
from sim.research.design import points as design_points
from sim.research.spec import Sweep
from sim.scenario import Scenario, scenario_hash

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

#: Most runs per chunk when the spec does not say: a few seconds of work on one core.
DEFAULT_CHUNK_RUNS = 4_000
#: Fewest runs per chunk when the spec does not say. The batch engine's cost per turn is
#: mostly fixed up to about a thousand runs, so smaller batches waste it: a sweep of 1,000
#: runs in chunks of 50 takes five times as long as in one chunk. Sweeps between the two are
#: cut into about :data:`MIN_CHUNKS` chunks, so that several workers have work.
MIN_CHUNK_RUNS = 1_000
MIN_CHUNKS = 8
#: Times a chunk is tried before its runs are recorded as failed (a worker died each time).
ATTEMPTS = 3
#: The manifest's file name, and the format version of the folder.
MANIFEST = "manifest.json"
FOLDER_VERSION = 1
#: Tables a sweep can write, in the order a chunk writes them (outcomes last: the marker).
TABLES = ("failures", "outcome_actors", "dyads", "actors", "events", "outcomes")


class SweepError(Exception):
    """A sweep cannot start (bad output folder, unreachable scheduler...): one line, exit 2."""


class Interrupted(Exception):
    """A sweep was stopped before it finished (its finished chunks are on disk)."""


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to run one chunk (self-contained: picklable, no files)."""

    index: int
    first_run: int
    stop_run: int
    replicates: int
    seed: int
    scenario: dict[str, Any]  # the validated scenario as JSON data
    turns: int | None
    names: tuple[str, ...]  # the factors, in the spec's order
    kinds: tuple[str, ...]  # "weight" or "rule"
    point_ids: I64  # the design points the chunk's runs belong to
    values: F64  # (len(point_ids), len(names))
    per_actor: bool = False
    per_turn: bool = False

    @property
    def runs(self) -> int:
        return self.stop_run - self.first_run


@dataclass
class ChunkResult:
    """A chunk's tables (only the non-empty ones) and how long it took."""

    index: int
    tables: dict[str, pd.DataFrame]
    runs: int
    failed: int
    seconds: float


# -- in a worker ---------------------------------------------------------------------------

_PREPARED: dict[tuple[str, tuple[tuple[str, float], ...], int | None], Prepared] = {}


def _prepared(task: ChunkTask, rules: tuple[tuple[str, float], ...]) -> Prepared:
    """The compiled scenario with the chunk's rule parameters, cached in the worker."""
    base = json.dumps(task.scenario, sort_keys=True)
    key = (base, rules, task.turns)
    if key not in _PREPARED:
        data = json.loads(base)
        for name, value in rules:
            _, rule, fld = name.split(".", 2)
            data["rules"][rule][fld] = int(value) if float(value).is_integer() else value
        scenario = Scenario.model_validate(data)
        if len(_PREPARED) > 256:
            _PREPARED.clear()
        _PREPARED[key] = Prepared.from_ref(scenario, task.turns)
    return _PREPARED[key]


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run one chunk's runs on the batch engine (a few batches: one per set of rule values).

    A batch that raises is run again run by run, so that only the runs that fail are lost; each
    is recorded in the ``failures`` table with its error.
    """
    t0 = time.perf_counter()
    run_ids = np.arange(task.first_run, task.stop_run, dtype=np.int64)
    point = run_ids // task.replicates
    replicate = run_ids % task.replicates
    seeds = (task.seed + replicate).astype(np.uint64)
    row_of = {int(p): k for k, p in enumerate(task.point_ids)}
    rows = np.array([row_of[int(p)] for p in point], dtype=np.int64)
    weight_cols = [k for k, kind in enumerate(task.kinds) if kind == "weight"]
    rule_cols = [k for k, kind in enumerate(task.kinds) if kind == "rule"]
    groups: dict[tuple[float, ...], list[int]] = {}
    for m, row in enumerate(rows):
        groups.setdefault(tuple(float(task.values[row, k]) for k in rule_cols), []).append(m)
    parts: dict[str, list[pd.DataFrame]] = {}
    failures: list[dict[str, Any]] = []
    for rule_values, members in groups.items():
        sel = np.array(members, dtype=np.int64)
        rules = tuple((task.names[k], v) for k, v in zip(rule_cols, rule_values, strict=True))
        keys = Keys(run_ids[sel], point[sel], replicate[sel], seeds[sel])
        params = {task.names[k]: task.values[rows[sel], k] for k in weight_cols}
        try:
            prep = _prepared(task, rules)
            _collect(parts, task, prep, keys, params, rules)
        except Exception:
            for m in range(sel.size):  # isolate the runs that fail
                one = keys.take(np.array([m]))
                try:
                    prep = _prepared(task, rules)
                    _collect(
                        parts, task, prep, one, {n: v[m : m + 1] for n, v in params.items()}, rules
                    )
                except Exception as exc:  # recorded, the sweep goes on
                    failures.append(
                        {
                            **one.row(0),
                            "error": f"{type(exc).__name__}: {exc}",
                            "traceback": traceback.format_exc(limit=8),
                        }
                    )
    tables = {
        name: pd.concat(frames, ignore_index=True)
        .sort_values("run_id", kind="stable")
        .reset_index(drop=True)
        for name, frames in parts.items()
    }
    if failures:
        tables["failures"] = pd.DataFrame(failures)
    return ChunkResult(task.index, tables, task.runs, len(failures), time.perf_counter() - t0)


def _collect(
    parts: dict[str, list[pd.DataFrame]],
    task: ChunkTask,
    prep: Prepared,
    keys: Keys,
    params: dict[str, F64],
    rules: tuple[tuple[str, float], ...],
) -> None:
    res = run_batch(prep, keys.seed, params=dict(params), record=task.per_turn, keys=keys)
    out = res.outcomes
    for name, value in rules:
        out[param_column(name)] = value
    parts.setdefault("outcomes", []).append(out)
    if task.per_actor:
        parts.setdefault("outcome_actors", []).append(res.outcome_actors)
    if task.per_turn:
        for name in ("dyads", "actors", "events"):
            table = getattr(res, name)
            if table is not None:
                parts.setdefault(name, []).append(table)


def param_column(name: str) -> str:
    """The outcomes column of a parameter: ``param_<weight>``, or ``param_rules_<rule>_<field>``
    for a rule parameter (no dots: SQL engines take them for table names)."""
    return "param_" + name.replace(".", "_")


# -- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A sweep cut into chunks: the design, the runs and the tasks."""

    sweep: Sweep
    design: pd.DataFrame
    runs: int
    chunk_runs: int
    scenario_data: dict[str, Any]  # the scenario as JSON data, sent with every task

    @classmethod
    def of(cls, sweep: Sweep) -> Plan:
        design = design_points(sweep)
        runs = len(design) * sweep.spec.replicates
        chunk = sweep.spec.chunk_runs or default_chunk_runs(runs)
        return cls(sweep, design, runs, chunk, sweep.scenario.model_dump(mode="json"))

    @property
    def chunks(self) -> int:
        return -(-self.runs // self.chunk_runs)

    def task_runs(self, index: int) -> int:
        """Runs in chunk ``index``."""
        return min(self.chunk_runs, self.runs - index * self.chunk_runs)

    def task(self, index: int) -> ChunkTask:
        spec = self.sweep.spec
        a = index * self.chunk_runs
        b = min(a + self.chunk_runs, self.runs)
        first, last = a // spec.replicates, (b - 1) // spec.replicates
        names = tuple(spec.parameters)
        values = self.design.loc[first:last, list(names)].to_numpy(dtype=np.float64)
        return ChunkTask(
            index=index,
            first_run=a,
            stop_run=b,
            replicates=spec.replicates,
            seed=spec.seed,
            scenario=self.scenario_data,
            turns=spec.turns,
            names=names,
            kinds=tuple(f.kind for f in self.sweep.factors),
            point_ids=np.arange(first, last + 1, dtype=np.int64),
            values=values,
            per_actor=spec.outputs.per_actor,
            per_turn=spec.outputs.per_turn,
        )


def default_chunk_runs(runs: int) -> int:
    """Runs per chunk for a sweep of ``runs`` runs: a function of the sweep alone, never of
    the machine or backend, so a folder can be resumed anywhere."""
    return max(MIN_CHUNK_RUNS, min(DEFAULT_CHUNK_RUNS, -(-runs // MIN_CHUNKS)))


# -- the output folder -----------------------------------------------------------------------


def chunk_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def _write_parquet(path: Path, table: pd.DataFrame) -> None:
    write_atomic(path, lambda p: table.to_parquet(p, index=False, compression="zstd"))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    def write(p: Path) -> None:
        p.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")

    write_atomic(path, write)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a sweep folder, or None if there is none.

    Raises:
        SweepError: if the folder holds a manifest that cannot be read.
    """
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SweepError(f"{path} is not a readable sweep or batch manifest ({exc})") from None
    if not isinstance(data, dict):
        raise SweepError(f"{path} is not a sweep or batch manifest")
    return data


def done_chunks(folder: Path, plan: Plan) -> set[int]:
    """The chunks already on disk, whole: their outcomes and failures hold all their runs.

    A chunk writes its failures (if any) before its outcomes, each atomically, so a chunk
    killed between the two has too few rows and is run again (its files then replaced). A
    chunk all of whose runs failed has only a failures file; no outcomes file is written
    empty, so that every outcomes file has the full schema.
    """
    import pyarrow.parquet as pq

    done: set[int] = set()
    names = {
        table: {p.name for p in (folder / table).glob("chunk-*.parquet")}
        for table in ("outcomes", "failures")
    }
    for index in range(plan.chunks):
        name = chunk_name(index)
        rows = 0
        try:
            for table in ("outcomes", "failures"):
                if name in names[table]:
                    rows += pq.ParquetFile(folder / table / name).metadata.num_rows
        except Exception:  # an unreadable file: the chunk is run again
            continue
        if rows and rows == plan.task_runs(index):
            done.add(index)
    return done


def manifest(plan: Plan, status: str, **extra: Any) -> dict[str, Any]:
    """The sweep's manifest: what was run, with what, and how far it got."""
    sweep = plan.sweep
    spec = sweep.spec
    return {
        "kind": "borderline-sweep",
        "folder_version": FOLDER_VERSION,
        "name": spec.name,
        "fingerprint": sweep.fingerprint,
        "status": status,
        "spec": spec.model_dump(mode="json"),
        "spec_file": str(sweep.path) if sweep.path else None,
        "scenario": sweep.scenario.metadata.id,
        "scenario_hash": scenario_hash(sweep.scenario),
        "parameters": [
            {
                "name": f.name,
                "kind": f.kind,
                "column": param_column(f.name),
                "lo": f.lo,
                "hi": f.hi,
                "integer": f.integer,
            }
            for f in sweep.factors
        ],
        "points": len(plan.design),
        "replicates": spec.replicates,
        "runs": plan.runs,
        "seeds": {"first": spec.seed, "last": spec.seed + spec.replicates - 1},
        "chunk_runs": plan.chunk_runs,
        "chunks": plan.chunks,
        "tables": [t for t in TABLES if _writes(spec, t)],
        "borderline_version": __version__,
        "mesa_version": mesa_version(),
        "numpy_version": np.__version__,
        "pandas_version": pd.__version__,
        **extra,
    }


def _writes(spec: Any, table: str) -> bool:
    if table in ("outcomes", "failures"):
        return True
    if table == "outcome_actors":
        return bool(spec.outputs.per_actor)
    return bool(spec.outputs.per_turn)


def prepare_folder(plan: Plan, folder: Path, resume: bool) -> set[int]:
    """Check the output folder and return the chunks already done; nothing is written.

    Raises:
        SweepError: the folder is a file, holds another sweep or something else, or holds
            this sweep's results without ``resume``.
    """
    if folder.exists() and not folder.is_dir():
        raise SweepError(f"output folder {folder} is a file")
    old = read_manifest(folder) if folder.is_dir() else None
    if old is None:
        if folder.is_dir() and any(folder.iterdir()):
            raise SweepError(
                f"output folder {folder} is not empty and holds no sweep: choose a new folder"
            )
        return set()
    if old.get("kind") != "borderline-sweep":
        raise SweepError(f"output folder {folder} holds something else (not a sweep)")
    if old.get("fingerprint") != plan.sweep.fingerprint:
        raise SweepError(
            f"output folder {folder} holds another sweep ({old.get('name')!r}, fingerprint "
            f"{old.get('fingerprint')}); choose a new folder"
        )
    if old.get("chunk_runs") != plan.chunk_runs:
        raise SweepError(
            f"output folder {folder} was cut into chunks of {old.get('chunk_runs')} runs; "
            "resume with the same chunk_runs"
        )
    done = done_chunks(folder, plan)
    if not resume:
        if len(done) == plan.chunks:
            raise SweepError(
                f"output folder {folder} already holds this sweep, finished: report it with "
                f"`borderline report {folder}`, or choose a new folder to run it again"
            )
        raise SweepError(
            f"output folder {folder} already holds this sweep (started: {len(done)} of "
            f"{plan.chunks} chunks); pass --resume to finish it, or choose a new folder"
        )
    return done


# -- backends ----------------------------------------------------------------------------------


def _ignore_sigint(parent: int) -> None:
    """In a local worker: Ctrl-C is the driver's to handle (it stops the pool), and a worker
    leaves when its driver is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="borderline-parent-watch", daemon=True).start()


class Backend:
    """Where chunks run: :class:`Inline`, :class:`Processes` or :class:`DaskBackend`."""

    name = "backend"
    workers = 1

    def run(
        self,
        tasks: Iterator[ChunkTask],
        on_result: Callable[[ChunkResult], None],
        stop: Callable[[], bool],
    ) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Release the workers."""


class Inline(Backend):
    """Chunks run one after another in this process (small sweeps, tests, the page)."""

    name = "this process"

    def run(
        self,
        tasks: Iterator[ChunkTask],
        on_result: Callable[[ChunkResult], None],
        stop: Callable[[], bool],
    ) -> None:
        for task in tasks:
            if stop():
                raise Interrupted("stopped")
            on_result(run_chunk(task))


class Processes(Backend):
    """Local worker processes (spawned, not forked). A worker that dies takes its pool down:
    the pool is made again and the chunks in flight are tried again."""

    def __init__(
        self, workers: int | None = None, chunk: Callable[[ChunkTask], ChunkResult] = run_chunk
    ) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.name = f"{self.workers} local processes"
        self.chunk = chunk  # a module-level function the workers can import
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _make(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_sigint,
            initargs=(os.getpid(),),
        )

    def run(
        self,
        tasks: Iterator[ChunkTask],
        on_result: Callable[[ChunkResult], None],
        stop: Callable[[], bool],
    ) -> None:
        self._pool = self._make()
        window = 2 * self.workers
        pending: dict[concurrent.futures.Future[ChunkResult], tuple[ChunkTask, int]] = {}
        source = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                pending[self._pool.submit(self.chunk, task)] = (task, 1)
            if not pending:
                return
            if stop():
                raise Interrupted("stopped")
            done, _ = concurrent.futures.wait(
                pending, timeout=0.2, return_when=concurrent.futures.FIRST_COMPLETED
            )
            broken: list[tuple[ChunkTask, int]] = []
            for fut in done:
                task, attempt = pending.pop(fut)
                try:
                    result = fut.result()
                except concurrent.futures.process.BrokenProcessPool:
                    broken.append((task, attempt))
                    continue
                on_result(result)
            if broken:
                # every chunk still in the dead pool is lost with it: try them all again
                broken.extend(pending.values())
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._make()
                for task, attempt in broken:
                    if attempt >= ATTEMPTS:
                        on_result(_failed(task, f"a worker process died {ATTEMPTS} times"))
                    else:
                        pending[self._pool.submit(self.chunk, task)] = (task, attempt + 1)

    def close(self) -> None:
        if self._pool is not None:
            procs = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:  # a chunk in flight is not waited for (Ctrl-C, a stop)
                with contextlib.suppress(Exception):
                    proc.terminate()
            self._pool = None


class DaskBackend(Backend):
    """A Dask cluster: a scheduler's address, or a local cluster of ``local`` workers.

    Each chunk is one task, submitted with ``pure=False`` (Dask would otherwise reuse the
    result of an identical call) and a unique key, ``retries`` times more if its worker dies.
    """

    def __init__(self, scheduler: str | None = None, local: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise SweepError(
                "Dask is not installed: pip install 'borderline[dask]' (or make venv)"
            ) from None
        self._cluster = None
        try:
            if local is not None:
                self._cluster = LocalCluster(
                    n_workers=local,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
                self.client = Client(self._cluster)
            else:
                self.client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))
        where = f"a local cluster of {local}" if local is not None else scheduler
        self.name = f"Dask ({where}; {self.workers} worker threads)"

    def run(
        self,
        tasks: Iterator[ChunkTask],
        on_result: Callable[[ChunkResult], None],
        stop: Callable[[], bool],
    ) -> None:
        from distributed import as_completed

        window = 2 * self.workers
        run_id = uuid.uuid4().hex[:8]
        source = iter(tasks)
        meta: dict[str, ChunkTask] = {}

        def submit(task: ChunkTask) -> Any:
            key = f"borderline-chunk-{task.index}-{run_id}"
            fut = self.client.submit(run_chunk, task, pure=False, retries=ATTEMPTS - 1, key=key)
            meta[key] = task
            return fut

        first = [submit(t) for _, t in zip(range(window), source, strict=False)]
        if not first:
            return
        queue = as_completed(first)
        for fut in queue:
            if stop():
                raise Interrupted("stopped")
            task = meta.pop(str(fut.key))
            try:
                result = fut.result()
            except Exception as exc:  # a killed worker, a lost task
                result = _failed(task, f"{type(exc).__name__}: {exc}")
            on_result(result)
            nxt = next(source, None)
            if nxt is not None:
                queue.add(submit(nxt))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()


def _failed(task: ChunkTask, error: str) -> ChunkResult:
    """A chunk none of whose runs could be run: every run recorded as failed."""
    run_ids = np.arange(task.first_run, task.stop_run, dtype=np.int64)
    replicate = run_ids % task.replicates
    table = pd.DataFrame(
        {
            "run_id": run_ids,
            "point_id": run_ids // task.replicates,
            "replicate": replicate,
            "seed": (task.seed + replicate).astype(np.uint64),
            "error": error,
            "traceback": "",
        }
    )
    return ChunkResult(task.index, {"failures": table}, task.runs, task.runs, 0.0)


# -- the driver --------------------------------------------------------------------------------


@dataclass
class Progress:
    """How far a sweep is: runs done (this session and before), runs/s, time left."""

    total: int
    done: int = 0
    resumed: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def rate(self) -> float:
        """Runs per second in this session."""
        elapsed = time.perf_counter() - self.started
        return (self.done - self.resumed) / elapsed if elapsed > 0 else 0.0

    @property
    def left(self) -> float | None:
        """Seconds left at the current rate, or None before the first chunk."""
        r = self.rate
        return (self.total - self.done) / r if r > 0 else None


@dataclass
class SweepOutcome:
    """What a sweep did: its folder (or tables, in memory), runs, failures and speed."""

    folder: Path | None
    runs: int
    ran: int
    failed: int
    seconds: float
    tables: dict[str, pd.DataFrame] | None = None

    @property
    def rate(self) -> float:
        return self.ran / self.seconds if self.seconds > 0 else 0.0


def run_sweep(
    sweep: Sweep,
    backend: Backend | None = None,
    folder: Path | None = None,
    resume: bool = False,
    progress: Callable[[Progress], None] | None = None,
    stop: Callable[[], bool] | None = None,
    in_memory: bool = False,
) -> SweepOutcome:
    """Run a sweep, writing its folder (or, ``in_memory``, returning its tables).

    Args:
        sweep: a validated sweep (sim.research.spec.load_spec).
        backend: where the chunks run (default: local processes, one per core).
        folder: the output folder (default: the spec's).
        resume: skip the chunks already in the folder.
        progress: told after every chunk.
        stop: asked between chunks whether to give up (then :class:`Interrupted` is raised;
            the finished chunks stay on disk).
        in_memory: keep the tables in memory instead of writing a folder.

    Raises:
        SweepError: the folder cannot be used (nothing is written).
        Interrupted: ``stop`` said so, or Ctrl-C.
    """
    plan = Plan.of(sweep)
    folder = None if in_memory else (folder or sweep.out)
    done = prepare_folder(plan, folder, resume) if folder is not None else set()
    own = backend is None
    backend = backend or Processes()
    state = Progress(total=plan.runs)
    state.done = state.resumed = sum(plan.task_runs(i) for i in done)
    memory: dict[str, list[pd.DataFrame]] = {}
    t0 = time.perf_counter()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(folder / MANIFEST, manifest(plan, "running", backend=backend.name))
        if not (folder / "design.parquet").is_file():
            _write_parquet(folder / "design.parquet", plan.design)

    def on_result(result: ChunkResult) -> None:
        if folder is not None:
            for name in TABLES:  # outcomes last: a chunk is done when its files hold its runs
                table = result.tables.get(name)
                if table is not None:
                    _write_parquet(folder / name / chunk_name(result.index), table)
        else:
            for name, table in result.tables.items():
                memory.setdefault(name, []).append(table)
        state.done += result.runs
        state.failed += result.failed
        if progress is not None:
            progress(state)

    todo = (plan.task(i) for i in range(plan.chunks) if i not in done)
    status = "interrupted"
    try:
        backend.run(todo, on_result, stop or (lambda: False))
        status = "finished"
    except KeyboardInterrupt:
        raise Interrupted("interrupted") from None
    finally:
        seconds = time.perf_counter() - t0
        if own:
            backend.close()
        if folder is not None:
            _write_json(
                folder / MANIFEST,
                manifest(
                    plan,
                    status,
                    backend=backend.name,
                    chunks_done=len(done_chunks(folder, plan)),
                    failed_runs=state.failed,
                    seconds=round(seconds, 3),
                    runs_per_second=round(state.rate, 1),
                ),
            )
    tables = None
    if in_memory:
        tables = {
            name: pd.concat(frames, ignore_index=True)
            .sort_values("run_id", kind="stable")
            .reset_index(drop=True)
            for name, frames in memory.items()
        }
        tables["design"] = plan.design
    return SweepOutcome(
        folder, plan.runs, state.done - state.resumed, state.failed, seconds, tables
    )


def read_table(folder: Path, table: str = "outcomes") -> pd.DataFrame:
    """One table of a sweep folder, every chunk, in run order (pandas; see docs/research.md
    for polars and DuckDB)."""
    files = sorted((folder / table).glob("chunk-*.parquet"))
    if not files:
        return pd.DataFrame()
    frames = [pd.read_parquet(f) for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "ATTEMPTS",
    "Backend",
    "ChunkResult",
    "ChunkTask",
    "DaskBackend",
    "Inline",
    "Interrupted",
    "Plan",
    "Processes",
    "Progress",
    "SweepError",
    "SweepOutcome",
    "param_column",
    "read_table",
    "run_chunk",
    "run_sweep",
]
