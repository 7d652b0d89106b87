"""``borderline report RESULTS``: summary tables, plots and sensitivity indices of a sweep or batch.

The report reads a sweep folder (``manifest.json`` of kind ``borderline-sweep``, ``design.parquet``,
``outcomes/chunk-*.parquet``, ``failures/``) or a batch folder (kind ``borderline-batch``,
``outcomes.parquet``) and writes, in ``RESULTS/report`` unless told otherwise:

    summary.md                 the text the command prints
    probabilities.csv          P(outcome) overall and per value (grid) or per quantile bin (other
                               designs) of each parameter, with 95% Wilson intervals
    probabilities_pairs.csv    a grid's probabilities per pair of parameter values
    points.parquet             one row per design point: its parameters, runs and probabilities
    distributions.csv          war length and losses: quantiles, mean, share above zero
    sobol.csv / morris.csv     sensitivity indices with their confidence intervals
    prob_<parameter>.png, war_days.png, losses.png, sobol.png / morris.png

The outcomes are war (``war``), use of force (peak MID level 4 or 5), a diplomatic rupture
(``ruptures > 0``), a war ended by ceasefire and a settled crisis. Only the columns needed are read
(Parquet is columnar), and every statistic is a vectorised group-by, so a sweep of a million runs
is reported in seconds. Nothing is written until everything has been computed: a bad folder
raises :class:`ReportError` (one line) and leaves no report folder behind.

Sobol indices (SALib's Saltelli estimator) and Morris screening use the probability of each
outcome per design point (the mean over its replicates), in point order. The SALib problem is
rebuilt from the manifest alone (the spec it records), so a report needs neither the scenario nor
the machine the sweep ran on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.ladder import MID_LEVEL_NAMES
from sim.research.sweep import MANIFEST, SweepError, read_manifest, write_atomic
from sim.session import wilson

F64 = NDArray[np.float64]
B = NDArray[np.bool_]

#: The outcomes whose probabilities are reported: key, label, definition.
OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("war", "war", "a war began (war)"),
    ("use_of_force", "use of force", "peak MID level 4 or 5 (use of force or war)"),
    ("rupture", "rupture", "a diplomatic rupture (ruptures > 0)"),
    ("ceasefire", "ceasefire", "a war ended by ceasefire (war_ended_by = 'ceasefire')"),
    ("settled", "settled", "the crisis settled (settled)"),
)
LABELS = {key: label for key, label, _ in OUTCOMES}
#: The outcome columns read from the runs (besides the keys and the parameters).
COLUMNS = (
    "point_id",
    "replicate",
    "war",
    "peak_mid_level",
    "ruptures",
    "war_ended_by",
    "settled",
    "war_days",
    "armour_lost",
    "deaths",
    "econ_cost_busd",
)
#: Quantile bins per parameter of a sampled design.
BINS = 5
#: Outcomes whose sensitivity indices are computed (probabilities per design point).
INDEX_OUTCOMES = ("war", "use_of_force", "rupture", "settled")
#: Seed of SALib's bootstrap of the confidence intervals (SALib ignores a seed of 0).
SALIB_SEED = 1
#: Largest grid (parameters) for which the pair tables are made.
MAX_PAIR_PARAMETERS = 4
DPI = 120


class ReportError(Exception):
    """A folder cannot be reported on (missing, not a sweep or batch, no finished runs)."""


@dataclass
class Report:
    """A written report: the text printed, the files written and their folder."""

    text: str
    files: list[Path]
    folder: Path


@dataclass(frozen=True)
class Param:
    """A parameter the sweep varied: its name, outcomes column and range."""

    name: str
    column: str
    kind: str
    lo: float | None = None  # the spec's min (sampled designs)
    hi: float | None = None
    distribution: str = "uniform"


@dataclass
class Results:
    """What was read from a folder."""

    kind: str  # "sweep" or "batch"
    folder: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame  # one row per finished run: COLUMNS and the parameter columns
    params: list[Param]
    design: pd.DataFrame | None  # point_id and one column per parameter
    failures: pd.DataFrame  # run_id, point_id, replicate, error (may be empty)
    outcomes_glob: str  # for the DuckDB example

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.manifest.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def design_kind(self) -> str:
        d = self.spec.get("design")
        return str(d.get("kind", "grid")) if isinstance(d, dict) else "grid"


@dataclass
class Output:
    """The report before it is written: text blocks and files (name → writer)."""

    text: list[str] = field(default_factory=list)
    files: dict[str, Callable[[Path], None]] = field(default_factory=dict)

    def csv(self, name: str, table: pd.DataFrame) -> None:
        self.files[name] = lambda p: table.to_csv(p, index=False)

    def parquet(self, name: str, table: pd.DataFrame) -> None:
        self.files[name] = lambda p: table.to_parquet(p, index=False, compression="zstd")

    def png(self, name: str, fig: Any) -> None:
        self.files[name] = lambda p: fig.savefig(p, format="png", dpi=DPI)


# -- reading ---------------------------------------------------------------------------------


def _manifest(folder: Path) -> dict[str, Any]:
    if not folder.exists():
        raise ReportError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise ReportError(f"{folder} is a file, not a sweep or batch folder")
    try:
        data = read_manifest(folder)
    except SweepError as exc:
        raise ReportError(str(exc)) from None
    if data is None:
        raise ReportError(
            f"{folder} is not a sweep or batch folder (no {MANIFEST}; give the folder that "
            "`borderline sweep` or `borderline batch` wrote)"
        )
    return data


def _dict(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _params(manifest: dict[str, Any]) -> list[Param]:
    spec = _dict(manifest.get("spec"))
    specs = _dict(spec.get("parameters"))
    out = []
    for p in manifest.get("parameters") or []:
        if not isinstance(p, dict) or "name" not in p:
            continue
        name = str(p["name"])
        s = _dict(specs.get(name))
        out.append(
            Param(
                name=name,
                column=str(p.get("column") or "param_" + name.replace(".", "_")),
                kind=str(p.get("kind", "weight")),
                lo=s.get("min"),
                hi=s.get("max"),
                distribution=str(s.get("distribution") or "uniform"),
            )
        )
    return out


def _read(files: Sequence[Path], wanted: Sequence[str]) -> pd.DataFrame:
    """The ``wanted`` columns of Parquet files (those they have), skipping empty files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for f in files:
        pf = pq.ParquetFile(f)
        if pf.metadata.num_rows == 0:
            continue
        have = set(pf.schema_arrow.names)
        tables.append(pf.read(columns=[c for c in wanted if c in have]))
    if not tables:
        return pd.DataFrame()
    table = pa.concat_tables(tables, promote_options="default")
    return table.to_pandas()


def load(folder: Path) -> Results:
    """Read a sweep or batch folder (only the columns the report needs).

    Raises:
        ReportError: the folder is missing, is not a sweep or batch, or holds no finished run.
    """
    folder = Path(folder)
    man = _manifest(folder)
    kind = man.get("kind")
    params = _params(man)
    wanted = [*COLUMNS, *(p.column for p in params)]
    if kind == "borderline-sweep":
        files = sorted((folder / "outcomes").glob("chunk-*.parquet"))
        if not files:
            raise ReportError(
                f"{folder}: the sweep has no finished chunk yet (no outcomes/chunk-*.parquet; "
                f"status {man.get('status', '?')})"
            )
        runs = _safe_read(files, wanted, folder)
        fails = _safe_read(
            sorted((folder / "failures").glob("chunk-*.parquet")),
            ["run_id", "point_id", "replicate", "error"],
            folder,
        )
        design = None
        if (folder / "design.parquet").is_file():
            design = _safe_read(
                [folder / "design.parquet"], ["point_id", *(p.name for p in params)], folder
            )
        glob = str(folder / "outcomes" / "*.parquet")
        out_kind = "sweep"
    elif kind == "borderline-batch":
        path = folder / "outcomes.parquet"
        if not path.is_file():
            raise ReportError(f"{folder}: the batch has no outcomes.parquet")
        runs = _safe_read([path], wanted, folder)
        fpath = folder / "failures.parquet"
        fails = (
            _safe_read([fpath], ["run_id", "point_id", "replicate", "error"], folder)
            if fpath.is_file()
            else pd.DataFrame()
        )
        design = None
        glob = str(path)
        out_kind = "batch"
    else:
        raise ReportError(
            f"{folder}/{MANIFEST} is not a sweep or batch manifest (kind {kind!r}; expected "
            "'borderline-sweep' or 'borderline-batch')"
        )
    if runs.empty:
        failed = len(fails)
        raise ReportError(
            f"{folder}: no finished runs to report"
            + (f" (all {failed:,} runs on disk failed; see failures/)" if failed else "")
        )
    missing = [c for c in COLUMNS if c not in runs.columns]
    if missing:
        raise ReportError(
            f"{folder}: the outcomes lack columns {', '.join(missing)} (written by another "
            "version of borderline?)"
        )
    for p in params:
        if p.column not in runs.columns:
            if design is not None and p.name in design.columns:
                runs = runs.merge(
                    design[["point_id", p.name]].rename(columns={p.name: p.column}),
                    on="point_id",
                    how="left",
                )
            else:
                raise ReportError(f"{folder}: the outcomes have no column {p.column}")
    return Results(out_kind, folder, man, runs, params, design, fails, glob)


def _safe_read(files: Sequence[Path], wanted: Sequence[str], folder: Path) -> pd.DataFrame:
    try:
        return _read(files, wanted)
    except Exception as exc:  # a truncated or foreign file: one line, not a traceback
        raise ReportError(f"{folder}: cannot read the Parquet files: {exc}") from None


# -- statistics ------------------------------------------------------------------------------


def indicators(runs: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per outcome (OUTCOMES), one row per run."""
    return pd.DataFrame(
        {
            "war": runs["war"].to_numpy(dtype=bool),
            "use_of_force": runs["peak_mid_level"].to_numpy() >= 4,
            "rupture": runs["ruptures"].to_numpy() > 0,
            "ceasefire": (runs["war_ended_by"].astype(str) == "ceasefire").to_numpy(),
            "settled": runs["settled"].to_numpy(dtype=bool),
        },
        index=runs.index,
    )


def _wilson_rows(k: NDArray[Any], n: NDArray[Any]) -> tuple[F64, F64, F64]:
    p = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    bounds = np.array([wilson(int(a), int(b)) for a, b in zip(k, n, strict=True)]).reshape(-1, 2)
    return p.astype(np.float64), bounds[:, 0], bounds[:, 1]


def _counts(ind: pd.DataFrame, key: pd.Series | NDArray[Any] | list[Any]) -> pd.DataFrame:
    """Per group of ``key``: runs and the count of each outcome (vectorised)."""
    g = ind.groupby(key, sort=True, observed=True)
    k = g.sum()
    k.insert(0, "runs", g.size())
    return k


def _long(
    counts: pd.DataFrame, extra: Callable[[Any], dict[str, Any]], outcomes: Sequence[str]
) -> list[dict[str, Any]]:
    rows = []
    for key, row in counts.iterrows():
        for o in outcomes:
            rows.append({**extra(key), "outcome": o, "runs": int(row["runs"]), "k": int(row[o])})
    return rows


def _finish(rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    p, lo, hi = _wilson_rows(table["k"].to_numpy(), table["runs"].to_numpy())
    table["p"], table["lo"], table["hi"] = p, lo, hi
    return table


@dataclass
class Axis:
    """How runs are grouped along one parameter: by value (grid) or by quantile bin."""

    param: Param
    key: NDArray[np.int64]  # the group of each run
    labels: list[str]
    value: list[float]  # the value (grid) or bin midpoint, per group
    bin_lo: list[float]
    bin_hi: list[float]
    binned: bool


def axis(p: Param, x: F64, grid: bool) -> Axis:
    """Group ``x`` (one value per run) by value (a grid, or few distinct values) or in
    :data:`BINS` quantile bins."""
    distinct = np.unique(x[~np.isnan(x)])
    if grid or distinct.size <= BINS:
        key = np.searchsorted(distinct, x).astype(np.int64)
        vals = [float(v) for v in distinct]
        return Axis(p, key, [f"{v:g}" for v in vals], vals, vals, vals, False)
    edges = np.unique(np.quantile(x, np.linspace(0.0, 1.0, BINS + 1)))
    key = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, edges.size - 2).astype(np.int64)
    lo, hi = edges[:-1], edges[1:]
    labels = [f"{a:.3g}-{b:.3g}" for a, b in zip(lo, hi, strict=True)]
    mids = [float((a + b) / 2) for a, b in zip(lo, hi, strict=True)]
    return Axis(p, key, labels, mids, [float(v) for v in lo], [float(v) for v in hi], True)


def probabilities(
    res: Results, ind: pd.DataFrame, axes: list[Axis]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The probabilities overall and per group of each axis (long format), and the peak MID
    level's distribution."""
    keys = [o for o, _, _ in OUTCOMES]
    n = len(ind)
    rows: list[dict[str, Any]] = []
    nan = float("nan")
    total = ind.sum()
    for o in keys:
        rows.append(
            {
                "parameter": "(all)",
                "value": nan,
                "bin_lo": nan,
                "bin_hi": nan,
                "outcome": o,
                "runs": n,
                "k": int(total[o]),
            }
        )
    level = res.runs["peak_mid_level"].to_numpy()
    mid_rows = [
        {
            "parameter": "(all)",
            "value": nan,
            "bin_lo": nan,
            "bin_hi": nan,
            "outcome": f"peak_mid_level_{lvl}",
            "runs": n,
            "k": int((level == lvl).sum()),
        }
        for lvl in range(1, 6)
    ]
    for ax in axes:
        counts = _counts(ind, ax.key)

        def extra(g: Any, ax: Axis = ax) -> dict[str, Any]:
            return {
                "parameter": ax.param.name,
                "value": nan if ax.binned else ax.value[int(g)],
                "bin_lo": ax.bin_lo[int(g)] if ax.binned else nan,
                "bin_hi": ax.bin_hi[int(g)] if ax.binned else nan,
            }

        rows.extend(_long(counts, extra, keys))
    return _finish(rows + mid_rows), _finish(mid_rows)


def pair_probabilities(ind: pd.DataFrame, axes: list[Axis]) -> pd.DataFrame:
    """A grid's probabilities per pair of parameter values (long format)."""
    rows: list[dict[str, Any]] = []
    keys = [o for o, _, _ in OUTCOMES]
    for i, a in enumerate(axes):
        for b in axes[i + 1 :]:
            code = a.key * len(b.labels) + b.key
            counts = _counts(ind, code)

            def extra(g: Any, a: Axis = a, b: Axis = b) -> dict[str, Any]:
                return {
                    "parameter_a": a.param.name,
                    "value_a": a.value[int(g) // len(b.labels)],
                    "parameter_b": b.param.name,
                    "value_b": b.value[int(g) % len(b.labels)],
                }

            rows.extend(_long(counts, extra, keys))
    return _finish(rows)


def distributions(runs: pd.DataFrame, war: B) -> pd.DataFrame:
    """War length (runs with war) and losses (every run): count, share above zero, mean and
    quantiles."""
    rows = []
    for name, x in (
        ("war_days (runs with war)", runs["war_days"].to_numpy(dtype=np.float64)[war]),
        ("armour_lost", runs["armour_lost"].to_numpy(dtype=np.float64)),
        ("deaths", runs["deaths"].to_numpy(dtype=np.float64)),
        ("econ_cost_busd", runs["econ_cost_busd"].to_numpy(dtype=np.float64)),
    ):
        row: dict[str, Any] = {"variable": name, "runs": int(x.size)}
        x = np.where(np.abs(x) < 1e-9, 0.0, x)  # sums of costs leave float dust
        if x.size:
            q = np.quantile(x, [0.1, 0.5, 0.9])
            row.update(
                above_zero=float((x > 0).mean()),
                mean=float(x.mean()),
                sd=float(x.std(ddof=1)) if x.size > 1 else 0.0,
                p10=float(q[0]),
                median=float(q[1]),
                p90=float(q[2]),
                max=float(x.max()),
            )
        rows.append(row)
    return pd.DataFrame(rows)


# -- sensitivity -----------------------------------------------------------------------------


@dataclass
class PointTable:
    """Per design point: runs and the probability of each outcome; which points are whole."""

    runs: NDArray[np.int64]
    p: dict[str, F64]
    complete: B


def point_table(res: Results, ind: pd.DataFrame) -> PointTable:
    points = int(res.manifest.get("points") or 0)
    pid = res.runs["point_id"].to_numpy(dtype=np.int64)
    points = max(points, int(pid.max()) + 1 if pid.size else 0)
    n = np.bincount(pid, minlength=points).astype(np.int64)
    p = {
        o: np.bincount(pid, weights=ind[o].to_numpy(dtype=np.float64), minlength=points)
        / np.maximum(n, 1)
        for o in ind.columns
    }
    reps = int(res.manifest.get("replicates") or res.spec.get("replicates") or 0)
    complete = n == reps if reps else n > 0
    return PointTable(n, p, complete)


def _blocks(complete: B, size: int) -> tuple[B, int]:
    """The rows of whole blocks (a block is ``size`` consecutive points, all complete) and how
    many blocks were dropped."""
    blocks = complete.size // size
    ok = complete[: blocks * size].reshape(blocks, size).all(axis=1)
    rows = np.repeat(ok, size)
    return rows, int(blocks - ok.sum())


def _problem(params: list[Param]) -> dict[str, Any]:
    names = [p.name for p in params]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _failed_runs(res: Results, limit: int = 5) -> str:
    f = res.failures
    if f.empty:
        return "runs missing from the folder (an unfinished sweep?)"
    ids = ", ".join(str(int(r)) for r in f["run_id"].head(limit))
    more = f" and {len(f) - limit:,} more" if len(f) > limit else ""
    err = str(f["error"].iloc[0]) if "error" in f.columns else ""
    return f"failed runs {ids}{more}" + (f" (first error: {err})" if err else "")


def _each_outcome(
    text: list[str], y_of: Callable[[str], F64], analyze: Callable[[F64], Any]
) -> Iterator[tuple[str, Any]]:
    """Each index outcome with SALib's analysis of its per-point probabilities ``y_of(o)``,
    headed in ``text``; an outcome that is the same in every point is said so and skipped."""
    for o in INDEX_OUTCOMES:
        y = y_of(o)
        text.append("")
        text.append(f"{LABELS[o]} (mean {y.mean():.3f} over {y.size:,} points):")
        if np.ptp(y) == 0:
            text.append(f"  the same in every point (p = {y[0]:.3g}): no indices")
            continue
        yield o, analyze(y)


def _index_table(
    text: list[str],
    rows: list[dict[str, Any]],
    outcome: str,
    si: Any,
    params: list[Param],
    keys: list[str],
    header: list[str],
    cells: Callable[[dict[str, Any]], list[str]],
) -> None:
    """One row per parameter of the indices ``keys`` of ``si``: added to ``rows`` and printed
    in ``text`` as a table with ``header`` (after the parameter) and ``cells`` of each row."""
    table = []
    for j, p in enumerate(params):
        r: dict[str, Any] = {"outcome": outcome, "parameter": p.name}
        r.update({key: float(si[key][j]) for key in keys})
        rows.append(r)
        table.append([p.name, *cells(r)])
    text.extend("  " + line for line in _table(["parameter", *header], table))


def sobol_indices(res: Results, pts: PointTable, out: Output) -> None:
    from SALib.analyze import sobol

    d = res.spec.get("design") or {}
    second = bool(d.get("second_order", False))
    k = len(res.params)
    size = 2 * k + 2 if second else k + 2
    rows_ok, dropped = _blocks(pts.complete, size)
    text = out.text
    text.append("## Sobol indices")
    text.append("")
    if not rows_ok.any():
        raise ReportError(
            f"{res.folder}: no Saltelli block of {size} points has all its replicates, so no "
            f"Sobol index can be computed: {_failed_runs(res)}"
        )
    if dropped:
        text.append(
            f"Warning: {dropped:,} of {rows_ok.size // size:,} Saltelli blocks have points "
            f"with missing replicates ({_failed_runs(res)}); the indices use the "
            f"{rows_ok.sum() // size:,} whole blocks only."
        )
        text.append("")
    text.append(
        "Per-point probabilities (mean over replicates); S1 first order, ST total; ± is the "
        "95% bootstrap confidence half-width (SALib)."
    )
    problem = _problem(res.params)
    rows: list[dict[str, Any]] = []
    s2rows: list[dict[str, Any]] = []
    for o, si in _each_outcome(
        text,
        lambda o: pts.p[o][rows_ok],
        lambda y: sobol.analyze(
            problem,
            y,
            calc_second_order=second,
            conf_level=0.95,
            seed=SALIB_SEED,
            print_to_console=False,
        ),
    ):
        _index_table(
            text,
            rows,
            o,
            si,
            res.params,
            ["S1", "S1_conf", "ST", "ST_conf"],
            ["S1", "ST"],
            lambda r: [
                f"{r['S1']:.3f} ± {r['S1_conf']:.3f}",
                f"{r['ST']:.3f} ± {r['ST_conf']:.3f}",
            ],
        )
        if second:
            for a in range(k):
                for b in range(a + 1, k):
                    s2rows.append(
                        {
                            "outcome": o,
                            "parameter_a": res.params[a].name,
                            "parameter_b": res.params[b].name,
                            "S2": float(si["S2"][a, b]),
                            "S2_conf": float(si["S2_conf"][a, b]),
                        }
                    )
            pairs = [r for r in s2rows if r["outcome"] == o]
            text.append(
                "  S2: "
                + "; ".join(
                    f"{r['parameter_a']} × {r['parameter_b']} {r['S2']:.3f} ± {r['S2_conf']:.3f}"
                    for r in pairs
                )
            )
    text.append("")
    found = pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    out.csv("sobol.csv", found)
    if second:
        out.csv(
            "sobol_s2.csv",
            pd.DataFrame(
                s2rows, columns=["outcome", "parameter_a", "parameter_b", "S2", "S2_conf"]
            ),
        )
    if rows:
        out.png("sobol.png", _index_plot(found, res.params, "S1", "ST", "Sobol indices"))


def _morris_unit(res: Results) -> F64 | None:
    """The Morris design in the unit hypercube: SALib's sample again (it is a pure function of
    the spec), checked against design.parquet; else the design inverted from min/max."""
    if res.design is None:
        return None
    design = res.design.sort_values("point_id")
    x = design[[p.name for p in res.params]].to_numpy(dtype=np.float64)
    lo = np.array([p.lo if p.lo is not None else np.nan for p in res.params], dtype=np.float64)
    hi = np.array([p.hi if p.hi is not None else np.nan for p in res.params], dtype=np.float64)
    d = res.spec.get("design") or {}
    try:
        from SALib.sample import morris as morris_sample

        u = np.asarray(
            morris_sample.sample(
                _problem(res.params),
                int(d["samples"]),
                num_levels=int(d.get("levels", 4)),
                seed=int(d.get("seed", 0)),
            ),
            dtype=np.float64,
        )
        # whole-number parameters are rounded (within half a unit); the others exact
        whole = np.all(x == np.round(x), axis=0)
        tol = np.where(whole, 0.5, 0.0) + 1e-9 * np.maximum(np.abs(hi - lo), 1.0)
        if u.shape == x.shape and bool(np.all(np.abs(lo + u * (hi - lo) - x) <= tol)):
            return u
    except Exception:  # another SALib version: invert the design instead
        pass
    if np.isnan(lo).any() or np.isnan(hi).any():
        return None
    return (x - lo) / (hi - lo)


def morris_indices(res: Results, pts: PointTable, out: Output) -> None:
    from SALib.analyze import morris

    d = res.spec.get("design") or {}
    levels = int(d.get("levels", 4))
    k = len(res.params)
    size = k + 1
    text = out.text
    text.append("## Morris screening")
    text.append("")
    u = _morris_unit(res)
    if u is None:
        text.append("No design.parquet (or no parameter ranges): no Morris indices.")
        text.append("")
        return
    complete = pts.complete[: u.shape[0]]
    if complete.size < u.shape[0]:
        complete = np.r_[complete, np.zeros(u.shape[0] - complete.size, dtype=bool)]
    rows_ok, dropped = _blocks(complete, size)
    if not rows_ok.any():
        raise ReportError(
            f"{res.folder}: no Morris trajectory of {size} points has all its replicates: "
            f"{_failed_runs(res)}"
        )
    if dropped:
        text.append(
            f"Warning: {dropped:,} of {rows_ok.size // size:,} trajectories have points with "
            f"missing replicates ({_failed_runs(res)}); the indices use the "
            f"{rows_ok.sum() // size:,} whole trajectories only."
        )
        text.append("")
    text.append(
        "Elementary effects of each parameter (over its range) on the per-point probability: "
        "mu* (mean absolute effect, ± 95% bootstrap half-width), mu, sigma (spread: "
        "interactions or non-linearity)."
    )
    problem = _problem(res.params)
    x = u[rows_ok]
    rows: list[dict[str, Any]] = []
    for o, si in _each_outcome(
        text,
        lambda o: pts.p[o][: u.shape[0]][rows_ok],
        lambda y: morris.analyze(
            problem,
            x,
            y,
            num_levels=levels,
            conf_level=0.95,
            seed=SALIB_SEED,
            print_to_console=False,
        ),
    ):
        _index_table(
            text,
            rows,
            o,
            si,
            res.params,
            ["mu", "mu_star", "mu_star_conf", "sigma"],
            ["mu*", "mu", "sigma"],
            lambda r: [
                f"{r['mu_star']:.3f} ± {r['mu_star_conf']:.3f}",
                f"{r['mu']:+.3f}",
                f"{r['sigma']:.3f}",
            ],
        )
    text.append("")
    found = pd.DataFrame(
        rows, columns=["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    )
    out.csv("morris.csv", found)
    if rows:
        out.png("morris.png", _index_plot(found, res.params, "mu_star", "sigma", "Morris"))


# -- text --------------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """An aligned plain-text table: the first column left, the others right."""
    cells = [header, *rows]
    widths = [max(len(r[c]) for r in cells) for c in range(len(header))]

    def line(r: list[str]) -> str:
        parts = [r[0].ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(r[1:], widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _cell(p: float, lo: float, hi: float) -> str:
    return f"{100 * p:.1f} ({100 * lo:.1f}-{100 * hi:.1f})"


def _prob_block(title: str, group: pd.DataFrame, label: str, labels: list[str]) -> list[str]:
    keys = [o for o, _, _ in OUTCOMES]
    rows = []
    wide = {o: group[group["outcome"] == o].reset_index(drop=True) for o in keys}
    for i, lab in enumerate(labels):
        first = wide[keys[0]]
        if i >= len(first):
            break
        row = [lab, f"{int(first['runs'][i]):,}"]
        for o in keys:
            r = wide[o].iloc[i]
            row.append(_cell(r["p"], r["lo"], r["hi"]))
        rows.append(row)
    return [title, *_table([label, "runs", *(LABELS[o] for o in keys)], rows), ""]


def _num(x: Any) -> str:
    try:
        return f"{float(x):.4g}"
    except (TypeError, ValueError):
        return str(x)


def header(res: Results, ind: pd.DataFrame) -> list[str]:
    m = res.manifest
    spec = res.spec
    failed = len(res.failures)
    done = len(res.runs)
    lines = []
    if res.kind == "sweep":
        d = spec.get("design") or {}
        kind = res.design_kind
        extra = ""
        if kind == "sobol":
            extra = f", {d.get('samples')} base samples" + (
                ", second order" if d.get("second_order") else ""
            )
        elif kind == "morris":
            extra = f", {d.get('samples')} trajectories, {d.get('levels')} levels"
        elif kind == "lhs":
            extra = f", {d.get('samples')} samples"
        lines.append(f"# Sweep {m.get('name', '?')}")
        lines.append("")
        if spec.get("description"):
            lines.append(str(spec["description"]))
            lines.append("")
        lines.append(
            f"scenario:   {m.get('scenario', '?')} (hash {str(m.get('scenario_hash', '?'))[:12]})"
        )
        lines.append(f"design:     {kind}{extra}")
        lines.append(
            f"runs:       {int(m.get('points') or 0):,} points × {int(m.get('replicates') or 0):,} "
            f"replicates = {int(m.get('runs') or 0):,} runs; {done:,} finished, {failed:,} failed"
        )
        status = m.get("status", "?")
        if status != "finished" or done + failed < int(m.get("runs") or 0):
            lines.append(
                f"status:     {status} ({m.get('chunks_done', '?')} of {m.get('chunks', '?')} "
                f"chunks): the report covers the runs on disk only"
            )
        else:
            lines.append(f"status:     {status}")
        for p in res.params:
            x = res.runs[p.column]
            if kind != "grid" and p.lo is not None and p.hi is not None:
                how = f"{p.distribution} in [{_num(p.lo)}, {_num(p.hi)}]"
            else:
                values = np.unique(x.to_numpy())
                shown = ", ".join(_num(v) for v in values[:8])
                how = f"{values.size} values: {shown}" + (", ..." if values.size > 8 else "")
            lines.append(f"parameter:  {p.name} ({p.kind}) {how}")
    else:
        lines.append(f"# Batch of {m.get('scenario', '?')}")
        lines.append("")
        lines.append(
            f"scenario:   {m.get('scenario', '?')} (hash {str(m.get('scenario_hash', '?'))[:12]})"
        )
        lines.append(f"runs:       {done:,} finished, {failed:,} failed (seeds {_seeds(m)})")
        params = m.get("parameters_set") or {}
        lines.append(
            "parameters: "
            + (", ".join(f"{k}={_num(v)}" for k, v in params.items()) or "the scenario's defaults")
        )
    if failed:
        lines.append(f"failures:   {_failed_runs(res)}")
    lines.append("")
    return lines


def _seeds(m: dict[str, Any]) -> str:
    s = m.get("seeds") or {}
    return f"{s.get('first', '?')}..{s.get('last', '?')}" if isinstance(s, dict) else "?"


def _duckdb(res: Results) -> list[str]:
    if res.kind == "sweep":
        src = f"read_parquet('{res.outcomes_glob}', union_by_name = true)"
    else:
        src = f"'{res.outcomes_glob}'"
    if res.params and res.kind == "sweep":
        col = res.params[0].column
        query = (
            f"SELECT {col}, count(*) AS runs, avg(war::INT) AS p_war, "
            f"avg((peak_mid_level >= 4)::INT) AS p_force FROM {src} GROUP BY 1 ORDER BY 1"
        )
    else:
        query = (
            f"SELECT count(*) AS runs, avg(war::INT) AS p_war, "
            f"avg((peak_mid_level >= 4)::INT) AS p_force FROM {src}"
        )
    return [
        "## Querying the runs",
        "",
        "The outcomes are plain Parquet (pandas, polars, DuckDB). In DuckDB:",
        "",
        f"    {query};",
        "",
    ]


# -- plots -------------------------------------------------------------------------------------


def _figure(width: float = 7.0, height: float = 4.2) -> Any:
    """A figure without pyplot (no global state, no GUI backend). Margins are set by hand: an
    automatic layout draws every figure twice."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _prob_plot(ax_: Axis, table: pd.DataFrame) -> Any:
    fig = _figure()
    ax = fig.add_subplot()
    group = table[table["parameter"] == ax_.param.name]
    offsets = np.linspace(-0.012, 0.012, len(OUTCOMES))
    span = (max(ax_.value) - min(ax_.value)) or 1.0
    for (o, label, _), off in zip(OUTCOMES, offsets, strict=True):
        g = group[group["outcome"] == o]
        x = ((g["bin_lo"] + g["bin_hi"]) / 2).to_numpy() if ax_.binned else g["value"].to_numpy()
        p = g["p"].to_numpy()
        err = np.clip(np.vstack([p - g["lo"].to_numpy(), g["hi"].to_numpy() - p]), 0, None)
        ax.errorbar(x + off * span, p, yerr=err, marker="o", ms=4, capsize=3, label=label)
    ax.set_xlabel(ax_.param.name + (" (quantile bin midpoints)" if ax_.binned else ""))
    ax.set_ylabel("probability (95% Wilson interval)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"Outcomes against {ax_.param.name}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    fig.subplots_adjust(left=0.1, right=0.97, top=0.92, bottom=0.12)
    return fig


def _hist_plot(title: str, series: list[tuple[str, F64]], note: str) -> Any:
    fig = _figure(4.4 * max(1, len(series)), 3.6)
    for k, (name, x) in enumerate(series, start=1):
        ax = fig.add_subplot(1, len(series), k)
        pos = x[x > 0]
        if pos.size:
            whole = bool(np.all(pos == np.round(pos))) and pos.max() - pos.min() <= 60
            bins: Any = (
                np.arange(pos.min(), pos.max() + 2) - 0.5
                if whole
                else min(40, max(5, int(math.sqrt(pos.size))))
            )
            ax.hist(pos, bins=bins, color=f"C{k - 1}")
            ax.set_ylabel("runs")
        else:
            ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(name)
        ax.set_title(f"{name}: {pos.size:,} of {x.size:,} runs above 0", fontsize="small")
    fig.suptitle(title)
    fig.subplots_adjust(left=0.14 / len(series), right=0.97, top=0.82, bottom=0.15, wspace=0.3)
    return fig


def _index_plot(table: pd.DataFrame, params: list[Param], a: str, b: str, title: str) -> Any:
    outcomes = list(dict.fromkeys(table["outcome"]))
    fig = _figure(4.0 * len(outcomes), 3.8)
    names = [p.name for p in params]
    x = np.arange(len(names))
    for k, o in enumerate(outcomes, start=1):
        ax = fig.add_subplot(1, len(outcomes), k)
        g = table[table["outcome"] == o].set_index("parameter").reindex(names)
        conf_a = g[f"{a}_conf"].to_numpy() if f"{a}_conf" in g else None
        conf_b = g[f"{b}_conf"].to_numpy() if f"{b}_conf" in g else None
        ax.bar(x - 0.2, g[a].to_numpy(), 0.4, yerr=conf_a, capsize=3, label=a)
        ax.bar(x + 0.2, g[b].to_numpy(), 0.4, yerr=conf_b, capsize=3, label=b)
        ax.set_xticks(x, names, rotation=30, ha="right", fontsize="small")
        ax.set_title(LABELS.get(o, o))
        ax.axhline(0, color="black", lw=0.5)
        ax.legend(fontsize="small")
    fig.suptitle(f"{title} (95% confidence intervals)")
    fig.subplots_adjust(left=0.06, right=0.98, top=0.85, bottom=0.3, wspace=0.25)
    return fig


# -- the report --------------------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)


def build(res: Results) -> Output:
    """Compute every table, text block and plot of a report (nothing is written)."""
    out = Output()
    runs = res.runs
    ind = indicators(runs)
    out.text.extend(header(res, ind))
    grid = res.design_kind == "grid"
    axes = [axis(p, runs[p.column].to_numpy(dtype=np.float64), grid) for p in res.params]
    axes = [a for a in axes if len(a.labels) > 1 or res.kind == "batch"]
    probs, mid = probabilities(res, ind, [a for a in axes if res.kind == "sweep"])
    out.csv("probabilities.csv", probs)

    text = out.text
    text.append("## Outcome probabilities")
    text.append("")
    text.append("Percent of runs, with the 95% Wilson interval in brackets.")
    for _, label, definition in OUTCOMES:
        text.append(f"  {label}: {definition}")
    text.append("")
    overall = probs[probs["parameter"] == "(all)"]
    text.extend(
        _prob_block(
            "All runs:", overall[~overall["outcome"].str.startswith("peak")], "", ["all runs"]
        )
    )
    text.append("Peak MID level:")
    text.extend(
        _table(
            ["level", "runs", "percent"],
            [
                [
                    f"{lvl} {MID_LEVEL_NAMES[lvl]}",
                    f"{int(r['k']):,}",
                    _cell(r["p"], r["lo"], r["hi"]),
                ]
                for lvl, (_, r) in zip(range(1, 6), mid.iterrows(), strict=True)
            ],
        )
    )
    text.append("")
    if res.kind == "sweep":
        for ax_ in axes:
            others = [p.name for p in res.params if p.name != ax_.param.name]
            how = "quantile bins" if ax_.binned else "values"
            over = f", marginal over {', '.join(others)}" if others else ""
            title = f"By {ax_.param.name} ({how}{over}):"
            group = probs[probs["parameter"] == ax_.param.name]
            text.extend(_prob_block(title, group, ax_.param.name, ax_.labels))
            out.png(f"prob_{_slug(ax_.param.name)}.png", _prob_plot(ax_, probs))
        if grid and 2 <= len(axes) <= MAX_PAIR_PARAMETERS:
            pairs = pair_probabilities(ind, axes)
            out.csv("probabilities_pairs.csv", pairs)
            text.extend(_pair_blocks(pairs, axes))
    # distributions
    war = ind["war"].to_numpy()
    dist = distributions(runs, war)
    out.csv("distributions.csv", dist)
    text.append("## War length and losses")
    text.append("")
    if not war.any():
        text.append(f"No war in any run ({len(runs):,} runs): no war length to show.")
        text.append("")
    rows = []
    for _, r in dist.iterrows():
        if r["runs"] == 0 or pd.isna(r.get("mean")):
            continue
        rows.append(
            [
                str(r["variable"]),
                f"{int(r['runs']):,}",
                f"{100 * r['above_zero']:.1f}%",
                f"{r['mean']:.4g}",
                f"{r['p10']:.4g}",
                f"{r['median']:.4g}",
                f"{r['p90']:.4g}",
                f"{r['max']:.4g}",
            ]
        )
    text.extend(_table(["variable", "runs", "> 0", "mean", "p10", "median", "p90", "max"], rows))
    text.append("")
    days = runs["war_days"].to_numpy(dtype=np.float64)[war]
    out.png(
        "war_days.png",
        _hist_plot("War length (runs with war)", [("war_days", days)], "no war in any run"),
    )
    out.png(
        "losses.png",
        _hist_plot(
            "Losses per run (runs with any)",
            [
                ("armour_lost", runs["armour_lost"].to_numpy(dtype=np.float64)),
                ("deaths", runs["deaths"].to_numpy(dtype=np.float64)),
            ],
            "no losses in any run",
        ),
    )
    # per point and indices
    if res.kind == "sweep":
        pts = point_table(res, ind)
        table = pd.DataFrame({"point_id": np.arange(pts.runs.size, dtype=np.int64)})
        if res.design is not None:
            table = table.merge(res.design, on="point_id", how="left")
        table["runs"] = pts.runs
        for o in ind.columns:
            table[f"p_{o}"] = np.where(pts.runs > 0, pts.p[o], np.nan)
        out.parquet("points.parquet", table)
        if res.params and res.design_kind == "sobol":
            sobol_indices(res, pts, out)
        elif res.params and res.design_kind == "morris":
            morris_indices(res, pts, out)
    text.extend(_duckdb(res))
    return out


def _pair_blocks(pairs: pd.DataFrame, axes: list[Axis]) -> list[str]:
    lines: list[str] = []
    for i, a in enumerate(axes):
        for b in axes[i + 1 :]:
            sel = pairs[
                (pairs["parameter_a"] == a.param.name) & (pairs["parameter_b"] == b.param.name)
            ]
            for o in ("war", "use_of_force"):
                g = sel[sel["outcome"] == o]
                cells = {
                    (float(va), float(vb)): _cell(float(p), float(lo), float(hi))
                    for va, vb, p, lo, hi in zip(
                        g["value_a"], g["value_b"], g["p"], g["lo"], g["hi"], strict=True
                    )
                }
                rows = []
                for va, la in zip(a.value, a.labels, strict=True):
                    rows.append([la, *(cells.get((va, vb), "-") for vb in b.value)])
                lines.append(
                    f"P({LABELS[o]}) by {a.param.name} (rows) and {b.param.name} (columns):"
                )
                lines.extend(_table([f"{a.param.name} \\ {b.param.name}", *b.labels], rows))
                lines.append("")
    return lines


def make_report(results: Path, out: Path | None = None) -> Report:
    """Report on a sweep or batch folder: print-ready text, and files in ``out``
    (default ``results/report``).

    Raises:
        ReportError: the folder is missing or is not a sweep or batch, it has no finished runs,
            or the report folder cannot be written.
    """
    results = Path(results)
    res = load(results)
    built = build(res)
    folder = Path(out) if out is not None else results / "report"
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"--out {folder} is a file, not a folder")
    text = "\n".join(built.text).rstrip() + "\n"
    files: list[Path] = []
    try:

        def write_text(p: Path) -> None:
            p.write_text(text, encoding="utf-8")

        write_atomic(folder / "summary.md", write_text)
        files.append(folder / "summary.md")
        for name, write in built.files.items():
            write_atomic(folder / name, write)
            files.append(folder / name)
    except OSError as exc:
        raise ReportError(f"cannot write the report to {folder}: {exc.strerror or exc}") from None
    return Report(text.rstrip("\n"), files, folder)


__all__ = ["OUTCOMES", "Report", "ReportError", "load", "make_report"]
