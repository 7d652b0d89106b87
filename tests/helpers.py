"""Shared helpers for the engine tests: small in-test scenarios, compiled states, comparisons.

Tests import this module as ``helpers`` (pytest puts ``tests/`` on ``sys.path`` because
``tests/`` has no ``__init__.py``; ``tests/rules/`` has one, so its tests see it too).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from sim.batch import Prepared
from sim.rng import as_seeds
from sim.rules.context import Turn
from sim.scenario.models import Scenario
from sim.world import Params, State, Static, build_static, initial_state, make_params

REPO = Path(__file__).resolve().parents[1]
SCENARIO_ID = "iran_azerbaijan"
SCENARIO_FILE = REPO / "scenarios" / f"{SCENARIO_ID}.yaml"
#: Every crisis shipped under scenarios/ (a new one is picked up by the tests that use this).
SCENARIO_IDS = tuple(sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml")))


@functools.cache
def prepared(ref: str = SCENARIO_ID) -> Prepared:
    """The founding scenario, loaded and compiled once per test session."""
    return Prepared.from_ref(ref)


@functools.cache
def crisis_facts(scenario_id: str, seeds: int = 500) -> dict[str, float]:
    """A founding crisis's facts at the default settings on seeds 0..seeds-1, measured once per
    test session (the crisis tests and the docs/scenarios.md check share it)."""
    from sim.crises import CRISES

    return CRISES[scenario_id].measure(seeds=range(seeds))


# ----------------------------------------------------------------------------------------------
# Small scenarios written in Python


def actor(
    id: str,
    *,
    armour: float = 100.0,
    quality: float = 1.0,
    air_defence: float = 0.0,
    missiles: int = 0,
    missile_range_km: float = 0.0,
    cyber: float = 0.0,
    drones: list[dict[str, Any]] | None = None,
    gdp: float = 10.0,
    kind: str = "state",
) -> dict[str, Any]:
    """An actor entry of a scenario dict."""
    return {
        "id": id,
        "name": id.capitalize(),
        "kind": kind,
        "forces": {
            "troops_k": 10.0,
            "armour": armour,
            "quality": quality,
            "air_defence": air_defence,
            "missiles": missiles,
            "missile_range_km": missile_range_km,
            "cyber": cyber,
        },
        "drones": list(drones or []),
        "economy": {"gdp_busd": gdp},
    }


def scenario_dict(
    actors: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    *,
    rules: dict[str, Any] | None = None,
    alliances: list[dict[str, Any]] | None = None,
    corridors: list[dict[str, Any]] | None = None,
    horizon: int = 10,
    scenario_id: str = "lab",
) -> dict[str, Any]:
    """A complete scenario dict (validate it with :func:`compile_scenario`)."""
    return {
        "schema_version": 1,
        "metadata": {
            "id": scenario_id,
            "title": "Test scenario",
            "summary": "A scenario written inside the tests.",
            "region": "Nowhere",
            "date": "2020-01-01",
            "sources": [{"id": "tests", "citation": "Written for the Borderline tests."}],
        },
        "time": {"turn_days": 7, "horizon_turns": horizon},
        "actors": actors,
        "relations": relations,
        "alliances": list(alliances or []),
        "corridors": list(corridors or []),
        "rules": dict(rules or {}),
    }


def lab_dict() -> dict[str, Any]:
    """Five actors with every kind of link, so that every action can be made legal.

    alpha and bravo are rival neighbours (border, trade, tension 0.4, grievance 0.3 each way);
    alpha has short-range drones (150 km, 100 km from bravo), missiles (400 km) and cyber;
    mediator mediates and controls bravo's bypass road; patron is alpha's ally and arms supplier;
    group is a non-state actor alpha patrons. alpha controls a road bravo uses.
    """
    actors = [
        actor(
            "alpha",
            armour=200,
            air_defence=10,
            missiles=20,
            missile_range_km=400,
            cyber=0.5,
            drones=[{"type": "Hermes", "count": 10, "range_km": 150, "strike": 1.0}],
            gdp=50,
        ),
        actor("bravo", armour=200, air_defence=10, cyber=0.3, gdp=40),
        actor("mediator", armour=10, gdp=100),
        actor("patron", armour=50, gdp=500),
        actor("group", armour=5, gdp=1, kind="non_state"),
    ]
    relations = [
        {
            "between": ["alpha", "bravo"],
            "border_km": 100,
            "distance_km": 100,
            "trade_busd": 1.0,
            "tension": 0.4,
            "grievance": {"alpha": 0.3, "bravo": 0.3},
        },
        {"between": ["alpha", "mediator"], "distance_km": 600},
        {"between": ["bravo", "mediator"], "distance_km": 600},
        {"between": ["alpha", "patron"], "distance_km": 800},
        {"between": ["bravo", "patron"], "distance_km": 2000},
        {"between": ["alpha", "group"], "border_km": 20, "distance_km": 30},
        {"between": ["bravo", "group"], "border_km": 20, "distance_km": 30},
    ]
    alliances = [
        {
            "patron": "patron",
            "client": "alpha",
            "kind": "alliance",
            "credibility": 0.5,
            "arms_supply": 10,
            "drone_supply": 2,
            "drone_type": "Hermes",
        },
        {"patron": "alpha", "client": "group", "credibility": 0.5},
    ]
    corridors = [
        {
            "id": "road",
            "name": "Road",
            "controller": "alpha",
            "users": ["bravo"],
            "value_busd": 1.0,
            "alternative": "bypass",
        },
        {
            "id": "bypass",
            "name": "Bypass",
            "controller": "mediator",
            "users": ["bravo"],
            "value_busd": 1.0,
        },
    ]
    rules = {
        "drone_parity": {},
        "transit": {},
        "alliances": {},
        "mediation": {"mediators": ["mediator"]},
        "arms_race": {},
        "combat": {},
        "cyber": {},
        "domestic": {},
    }
    return scenario_dict(actors, relations, rules=rules, alliances=alliances, corridors=corridors)


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (scripts/ is not a package) as module ``scripts_<name>``
    (not ``name``: ``crises`` is also the test package tests/crises)."""
    module_name = f"scripts_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


def compile_scenario(data: dict[str, Any]) -> Scenario:
    """Validate a scenario dict (a deep copy, so callers may reuse theirs)."""
    return Scenario.model_validate(copy.deepcopy(data))


def world(
    data: dict[str, Any] | Scenario, seeds: list[int] | None = None, **params: float
) -> tuple[Static, State, Params]:
    """Compile a scenario and build its initial state and parameters for ``seeds``."""
    scenario = data if isinstance(data, Scenario) else compile_scenario(data)
    static = build_static(scenario)
    seed_arr = as_seeds(seeds if seeds is not None else [0])
    state = initial_state(static, seed_arr)
    return static, state, make_params(scenario, seed_arr.shape[0], params)


def make_turn(static: Static, state: State, params: Params, turn: int = 1) -> Turn:
    """A fresh adjudication context, as sim.engine.step builds one, for calling a rule directly."""
    return Turn.fresh(static, state, params, turn, verbose=True)


# ----------------------------------------------------------------------------------------------
# Comparisons


def state_arrays(state: State) -> dict[str, Any]:
    """Every field of a state (arrays copied), for exact comparison."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(state):
        v = getattr(state, f.name)
        out[f.name] = v.copy() if isinstance(v, np.ndarray) else v
    return out


def state_differences(a: State | dict[str, Any], b: State | dict[str, Any]) -> list[str]:
    """Names of the fields in which two states (or snapshots) differ, exactly (NaN == NaN)."""
    da = a if isinstance(a, dict) else state_arrays(a)
    db = b if isinstance(b, dict) else state_arrays(b)
    diff = []
    for name, va in da.items():
        vb = db[name]
        if isinstance(va, np.ndarray):
            if va.dtype != vb.dtype or not np.array_equal(va, vb, equal_nan=va.dtype.kind == "f"):
                diff.append(name)
        elif va != vb:
            diff.append(name)
    return diff


def without_rules(scenario: Scenario, *rules: str) -> Scenario:
    """A copy of ``scenario`` with the named rules switched off (the can-fail tests' tool)."""
    return scenario.model_copy(
        update={"rules": scenario.rules.model_copy(update=dict.fromkeys(rules))}
    )


def assert_fact(fact: Any, values: dict[str, float]) -> None:
    """A crisis fact (sim.crises.Fact) holds on measured ``values``, or a message says how not."""
    value = values[fact.name]
    assert fact.holds(value), f"{fact.name} = {value:.3f} outside {fact.band()}: {fact.meaning}"
