"""Designs: the table of design points a sweep runs.

``grid`` is every combination of the parameters' values (the first parameter varies slowest).
The sampled designs draw points in the unit hypercube with SALib's samplers (Latin hypercube;
Saltelli's extension of Sobol sequences; Morris trajectories) and map each coordinate to its
parameter by the inverse of its distribution: uniform between min and max, normal truncated to
min..max, or triangular. Whole-number parameters are rounded. The table is a pure function of
the spec (its design seed included), so a sweep can be resumed or re-run anywhere.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.research.spec import DesignKind, Distribution, ParameterSpec, Sweep

F64 = NDArray[np.float64]


def salib_problem(sweep: Sweep) -> dict[str, Any]:
    """SALib's problem definition for the sweep (unit bounds: samples are mapped afterwards)."""
    names = list(sweep.spec.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def unit_samples(sweep: Sweep) -> F64:
    """(points, k) coordinates in the unit hypercube of a sampled design."""
    d = sweep.spec.design
    problem = salib_problem(sweep)
    assert d.samples is not None
    if d.kind is DesignKind.LHS:
        from SALib.sample import latin

        return np.asarray(latin.sample(problem, d.samples, seed=d.seed), dtype=np.float64)
    if d.kind is DesignKind.SOBOL:
        from SALib.sample import sobol

        return np.asarray(
            sobol.sample(
                problem, d.samples, calc_second_order=d.second_order, scramble=True, seed=d.seed
            ),
            dtype=np.float64,
        )
    if d.kind is DesignKind.MORRIS:
        from SALib.sample import morris

        return np.asarray(
            morris.sample(problem, d.samples, num_levels=d.levels, seed=d.seed), dtype=np.float64
        )
    raise ValueError(f"{d.kind.value} is not a sampled design")


def _scale(u: F64, p: ParameterSpec) -> F64:
    """Map unit coordinates to a parameter's values by the inverse of its distribution."""
    assert p.min is not None and p.max is not None
    lo, hi = p.min, p.max
    if p.distribution is not Distribution.UNIFORM:
        from scipy import stats  # about a second to import: only when a design needs it
    if p.distribution is Distribution.NORMAL:
        assert p.mean is not None and p.sd is not None
        a, b = (lo - p.mean) / p.sd, (hi - p.mean) / p.sd
        x = stats.truncnorm.ppf(u, a, b, loc=p.mean, scale=p.sd)
    elif p.distribution is Distribution.TRIANGULAR:
        assert p.mode is not None
        x = stats.triang.ppf(u, (p.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    else:
        x = lo + u * (hi - lo)
    return np.clip(np.asarray(x, dtype=np.float64), lo, hi)


def points(sweep: Sweep) -> pd.DataFrame:
    """The design points: ``point_id`` and one column per parameter, in the spec's order."""
    spec = sweep.spec
    names = list(spec.parameters)
    if spec.design.kind is DesignKind.GRID:
        axes = []
        for p in spec.parameters.values():
            if p.values is not None:
                axes.append([float(v) for v in p.values])
            else:
                assert p.min is not None and p.max is not None and p.steps is not None
                axes.append([float(v) for v in np.linspace(p.min, p.max, p.steps)])
        combos = list(itertools.product(*axes))  # no parameters: one point, the defaults
        values = np.array(combos, dtype=np.float64).reshape(len(combos), len(names))
    else:
        u = unit_samples(sweep)
        values = np.column_stack(
            [_scale(u[:, k], p) for k, p in enumerate(spec.parameters.values())]
        )
    for k, f in enumerate(sweep.factors):
        if f.integer:
            values[:, k] = np.round(values[:, k])
    table = pd.DataFrame(values, columns=names)
    table.insert(0, "point_id", np.arange(len(table), dtype=np.int64))
    return table
