"""Experiments that check the model against theory: Fearon, Powell, drone parity, beliefs.

Each function runs seeded batches (common random numbers: the same seeds at every point) and
returns a tidy table, one row per point, with the rate, its Wilson interval and the number of
runs. tests/test_theory.py asserts the properties on them; scripts/validation.py plots them into
docs/validation.md. The two-state scenarios are built here, in code, because the experiments
vary them (the size and timing of an arms delivery).

* :func:`war_by_misperception` -- Fearon (1995): with complete information (misperception 0)
  and no shifting balance, rational actors never fight; war rises with misperception.
* :func:`war_by_shift` -- Powell (2004, 2006): a large, fast shift of power against an actor
  gives it a preventive motive; war rises with the size of an arms delivery to its rival and
  with how soon it arrives.
* :func:`force_by_drones` -- drone parity: an actor's readiness to use force against a target
  rises with its drone advantage (the probability of choosing a use of force in a fixed state,
  and the share of runs in which it uses force).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim import actions as act
from sim.batch import Prepared, run_batch
from sim.decisions import action_probabilities
from sim.ladder import Rung
from sim.rng import as_seeds
from sim.scenario.models import Scenario
from sim.world import build_static, initial_state, make_params


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _row(point: dict[str, Any], hits: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(hits, n)
    return {**point, "rate": hits / n, "lo": lo, "hi": hi, "runs": n}


def _state(name: str, armour: float, **politics: float) -> dict[str, Any]:
    return {
        "id": name,
        "name": name.capitalize(),
        "forces": {"troops_k": 20, "armour": armour, "quality": 1.0, "air_defence": 10},
        "economy": {"gdp_busd": 50},
        "politics": {"resolve": 0.6, "risk_tolerance": 0.5, "domestic_pressure": 0.3, **politics},
    }


def _two_rivals(
    key: str,
    title: str,
    summary: str,
    source: tuple[str, str],
    actors: list[dict[str, Any]],
    grievance: float,
    horizon: int,
    **extra: Any,
) -> Scenario:
    """A theory scenario: alpha and bravo, neighbours with a grievance each way (and whatever
    ``extra`` adds: more relations, alliances, rules, events)."""
    rivals = {
        "between": ["alpha", "bravo"],
        "border_km": 200,
        "distance_km": 80,
        "tension": 0.5,
        "grievance": {"alpha": grievance, "bravo": grievance},
    }
    rules = {"combat": {}, "domestic": {}, **extra.pop("rules", {})}
    return Scenario.model_validate(
        {
            "schema_version": 1,
            "metadata": {
                "id": f"theory_{key}",
                "title": title,
                "summary": summary,
                "region": "Theory",
                "date": "2000-01-01",
                "sources": [{"id": source[0], "citation": source[1]}],
            },
            "time": {"turn_days": 7, "horizon_turns": horizon},
            "actors": actors,
            "relations": [rivals, *extra.pop("relations", [])],
            "rules": rules,
            **extra,
        }
    )


def dispute(horizon: int = 20) -> Scenario:
    """Two neighbours of equal strength disputing a divisible good (grievance 0.5 each way)."""
    return _two_rivals(
        "dispute",
        "Two rivals and a divisible stake",
        "Equal neighbours with a grievance each way; nothing shifts.",
        ("fearon", "Fearon (1995)."),
        [_state("alpha", 600), _state("bravo", 600)],
        grievance=0.5,
        horizon=horizon,
    )


def power_shift(size: float, delivery_turns: int, horizon: int = 16) -> Scenario:
    """alpha (1,000 armour) faces bravo (600), whose patron ships ``size`` armour at turn 1,
    arriving over ``delivery_turns`` turns. The patron's commitment has no credibility, so only
    the delivery shifts the balance."""
    announce = {
        "at_turn": 1,
        "actor": "patron",
        "action": "supply_arms",
        "target": "bravo",
        "note": "The patron announces a large arms delivery to bravo.",
    }
    return _two_rivals(
        "power_shift",
        "A shift of power",
        "A delivery of arms to one of two rivals shifts the balance.",
        ("powell", "Powell (2006)."),
        [_state("alpha", 1000), _state("bravo", 600), _state("patron", 0)],
        grievance=0.6,
        horizon=horizon,
        relations=[
            {"between": ["bravo", "patron"], "distance_km": 1500},
            {"between": ["alpha", "patron"], "distance_km": 1500},
        ],
        alliances=[
            {
                "patron": "patron",
                "client": "bravo",
                "kind": "partnership",
                "credibility": 0.0,
                "arms_supply": max(size, 1.0),
            }
        ],
        rules={"alliances": {"delivery_turns": delivery_turns}},
        events=[announce] if size > 0 else [],
    )


def war_by_misperception(
    values: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0),
    seeds: int = 1000,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """War rate against misperception, the same seeds at every value."""
    prep = Prepared.from_ref(scenario or dispute())
    rows = []
    for v in values:
        out = run_batch(prep, seeds=range(seeds), params={"misperception": v}).outcomes
        rows.append(_row({"misperception": v}, int(out.war.sum()), len(out)))
    return pd.DataFrame(rows)


def war_by_shift(
    sizes: Sequence[float] = (0.0, 200.0, 400.0, 600.0, 800.0),
    delays: Sequence[int] = (1, 2, 4, 8),
    seeds: int = 1000,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """War rate (alpha attacks bravo) by delivery size and delay, the same seeds everywhere."""
    rows = []
    for k in delays:
        for size in sizes:
            prep = Prepared.from_ref(power_shift(size, k))
            res = run_batch(prep, seeds=range(seeds), params=params, record=False)
            out = res.outcomes
            hits = int(out.war.sum())
            rows.append(_row({"size": size, "delivery_turns": k}, hits, len(out)))
    return pd.DataFrame(rows)


FORCE_ACTIONS = tuple(k for k, a in enumerate(act.CATALOGUE) if a.rung >= Rung.USE_OF_FORCE)


def force_by_drones(
    factors: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0),
    actor: str = "azerbaijan",
    target: str = "armenia",
    seeds: int = 1000,
    scenario: Scenario | str = "iran_azerbaijan",
    params: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The actor's readiness to use force against the target with its drones scaled.

    Returns per factor: ``p_force`` -- the probability the softmax gives to a use of force
    (rung >= 7) against the target in the first turn's state, with misperception 0 (exact, no
    sampling); ``rate`` with its interval -- the share of runs in which the actor used force
    against the target, over ``seeds`` runs. ``params`` overrides weights in both.
    """
    params = dict(params or {})
    base = Prepared.from_ref(scenario).scenario
    rows = []
    for f in factors:
        scen = scale_drones(base, actor, f)
        static = build_static(scen)
        state = initial_state(static, as_seeds([0]))
        first = make_params(scen, 1, {**params, "misperception": 0.0})
        legal = act.legal_mask(static, state)
        probs = action_probabilities(static, state, first, legal, 1)
        i, j = static.index(actor), static.index(target)
        p_force = float(probs[0, i, list(FORCE_ACTIONS), j].sum())
        res = run_batch(Prepared.from_ref(scen), seeds=range(seeds), params=params, record=True)
        ev = res.events
        assert ev is not None
        used = ev[(ev.actor == actor) & (ev.target == target) & (ev.rung >= Rung.USE_OF_FORCE)]
        hits = int(used.seed.nunique())
        rows.append({**_row({"drone_factor": f}, hits, seeds), "p_force": p_force})
    return pd.DataFrame(rows)


def scale_drones(scenario: Scenario, actor: str, factor: float) -> Scenario:
    """The scenario with every drone type of ``actor`` multiplied by ``factor`` (rounded)."""
    actors = []
    for a in scenario.actors:
        if a.id == actor:
            drones = [d.model_copy(update={"count": round(d.count * factor)}) for d in a.drones]
            a = a.model_copy(update={"drones": drones})
        actors.append(a)
    return scenario.model_copy(update={"actors": actors})


#: Engel (1954), the battle of Iwo Jima: Japanese fire against the US (a), US fire against the
#: Japanese (b), the Japanese garrison, the days, and the US landings by day index (day 1 is 0).
ENGEL_A = 0.0544
ENGEL_B = 0.0106
ENGEL_N0 = 21_500.0
ENGEL_DAYS = 36
ENGEL_LANDINGS: dict[int, float] = {0: 54_000.0, 2: 6_000.0, 5: 13_000.0}


def engel_fit() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Engel's fit as the closed form of dM/dt = P(t) - a N, dN/dt = -b M, day by day, with each
    day's landing spread evenly over it: (M, N) at t = 0, 1, ..., 36. M(36) is about 51,985 and
    N(36) about 217."""
    a, b = ENGEL_A, ENGEL_B
    w = math.sqrt(a * b)
    c, s = math.cosh(w), math.sinh(w)
    m, n = 0.0, ENGEL_N0
    ms, ns = [m], [n]
    for day in range(ENGEL_DAYS):
        p = ENGEL_LANDINGS.get(day, 0.0)
        m, n = (
            c * m - (a / w) * s * n + p * s / w,
            -(b / w) * s * m + c * n - p * (b / w**2) * (c - 1.0),
        )
        ms.append(m)
        ns.append(n)
    return np.array(ms), np.array(ns)


def engel_daily_euler() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Engel's inputs through the old daily integrator: each landing put ashore at the start of
    its day, then one explicit Euler step of a day from the day-start strengths, floored at 0.
    Far from the fit (the Japanese force is gone by day 36): what the accurate integrator fixed."""
    m, n = 0.0, ENGEL_N0
    ms, ns = [m], [n]
    for day in range(ENGEL_DAYS):
        m += ENGEL_LANDINGS.get(day, 0.0)
        m, n = max(m - ENGEL_A * n, 0.0), max(n - ENGEL_B * m, 0.0)
        ms.append(m)
        ns.append(n)
    return np.array(ms), np.array(ns)


def monotone(values: Sequence[float], tolerance: float = 0.0) -> bool:
    """Whether a sequence never falls by more than ``tolerance``."""
    arr = np.asarray(values, dtype=float)
    return bool((np.diff(arr) >= -tolerance).all())
