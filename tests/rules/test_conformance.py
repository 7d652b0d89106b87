"""The conformance suite every rule passes (as every PettingZoo environment passes one).

For every rule in the registry, on the founding scenario:

* off means off: with the rule switched off its actions are never legal, its steps never run,
  and the State fields only it writes never change;
* it writes only the State fields it declares (checked around every effect, step and hook);
* determinism and batch invariance with the rule on;
* no NaN or infinity anywhere in the state, at the defaults and with its parameters and weights
  at both ends of their ranges.

The runs are played hot (high temperature and misperception, low war aversion) so that almost
every action and every step is exercised; a test checks that they were, so the write checks
are not vacuous.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import helpers
import numpy as np
import pandas as pd
import pytest

from sim import actions as act
from sim import engine
from sim.batch import Prepared, run_batch
from sim.rng import as_seeds
from sim.rules.registry import REGISTRY, SPECS
from sim.rules.spec import RuleSpec
from sim.scenario.models import ActionId, Scenario
from sim.weights import TABLE, Group, W
from sim.world import State, build_static, initial_state, make_params

#: State fields the engine itself keeps (coding of the turn, beliefs, the end of the run).
ENGINE_WRITES = frozenset(
    {
        "turn",
        "rung",
        "mid_action",
        "last_action_rung",
        "tension",
        "grievance",
        "clarity",
        "score",
        "peak_rung",
        "peak_mid_action",
        "calm_turns",
        "done",
        "end_turn",
        "event_fired",
    }
)
HOT = {"temperature": 3.0, "misperception": 2.0, "war_aversion": 0.2}
SEEDS = list(range(24))
NAMES = sorted(REGISTRY)


def scenario_without(name: str) -> Scenario:
    base = helpers.prepared().scenario
    rules = base.rules.model_copy(update={name: None})
    if name == "diplomacy":  # on unless switched off
        rules = base.rules.model_copy(
            update={"diplomacy": base.rules.diplomacy.model_copy(update={"enabled": False})}
        )
    return base.model_copy(update={"rules": rules})


def only_writer(spec: RuleSpec[Any]) -> frozenset[str]:
    others = set(ENGINE_WRITES)
    for other in SPECS:
        if other is not spec:
            others |= other.writes
    return spec.writes - others


def snapshot(state: State) -> dict[str, Any]:
    return {
        f.name: np.copy(v) if isinstance(v := getattr(state, f.name), np.ndarray) else v
        for f in dataclasses.fields(state)
    }


def changed(before: dict[str, Any], state: State) -> set[str]:
    out = set()
    for name, old in before.items():
        new = getattr(state, name)
        same = np.array_equal(old, new) if isinstance(old, np.ndarray) else old == new
        if not same:
            out.add(name)
    return out


def run_turns(scenario: Scenario, seeds: list[int], turns: int, params: dict | None = None):
    """Play ``turns`` turns; yield (static, state, legal mask) after each."""
    static = build_static(scenario)
    state = initial_state(static, as_seeds(seeds))
    par = make_params(scenario, len(seeds), params or HOT)
    for _ in range(turns):
        legal = act.legal_mask(static, state)
        engine.step(static, state, par)
        yield static, state, legal


# ----------------------------------------------------------------------------------------------
# Off means off


@pytest.mark.parametrize("name", NAMES)
def test_a_rule_that_is_off_does_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = REGISTRY[name]
    scenario = scenario_without(name)
    ran: list[str] = []
    real_pipeline = engine.pipeline

    def watched(stage):  # type: ignore[no-untyped-def]
        out = []
        for rule, step in real_pipeline(stage):

            def run(t, _rule=rule, _step=step):  # type: ignore[no-untyped-def]
                ran.append(_rule.name)
                _step.run(t)

            out.append((rule, dataclasses.replace(step, run=run)))
        return tuple(out)

    monkeypatch.setattr(engine, "pipeline", watched)
    own = [act.ACTION_INDEX[a.id] for a in spec.actions]
    fields = only_writer(spec)
    first = None
    for static, state, legal in run_turns(scenario, SEEDS, 12):
        if first is None:
            start = initial_state(static, as_seeds(SEEDS))
            first = {f: getattr(start, f) for f in fields}
        assert not legal[:, :, own, :].any(), f"{name} is off, yet one of its actions is legal"
        for f in fields:
            assert np.array_equal(getattr(state, f), first[f]), f"{name} is off, {f} changed"
    assert name not in ran, f"{name} is off, yet its step ran"
    assert set(ran), "other rules' steps still ran"


def test_each_rule_owns_fields_nobody_else_writes_or_says_why() -> None:
    """The off-means-off check above is only as strong as the fields a rule alone writes."""
    shared_only = {spec.name for spec in SPECS if not only_writer(spec)}
    # these rules act only through fields other rules share (armour, grievance, econ_cost);
    # their off-check rests on their actions being illegal and their steps not running
    assert shared_only <= {"arms_race", "cyber"}, shared_only


# ----------------------------------------------------------------------------------------------
# Writes only what it declares


class Attribution:
    """Attributes each change of the state to the code running when it happened.

    When a rule's code calls another's (the combat step calls the drone strikes of a war day),
    the outer code's segment closes before the inner call and reopens after it.
    """

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.stack: list[tuple[str, dict[str, Any]]] = []

    def wrap(self, label: str, fn: Callable[..., None]) -> Callable[..., None]:
        def run(t, *args):  # type: ignore[no-untyped-def]
            if self.stack:  # close the caller's segment
                outer, before = self.stack[-1]
                self.seen[outer] |= changed(before, t.state)
            self.stack.append((label, snapshot(t.state)))
            fn(t, *args)
            _, before = self.stack.pop()
            self.seen[label] |= changed(before, t.state) | {"<ran>"}
            if self.stack:  # reopen it
                outer, _ = self.stack[-1]
                self.stack[-1] = (outer, snapshot(t.state))

        return run


@functools.cache
def observed_writes() -> dict[str, set[str]]:
    """Run the hot founding crisis with every effect, step and hook wrapped; per rule, the
    State fields that changed around its code."""
    attribution = Attribution()
    wrap = attribution.wrap
    patched = tuple(
        dataclasses.replace(a, effect=wrap(a.rule or "engine", a.effect)) for a in act.CATALOGUE
    )
    real_pipeline = engine.pipeline

    def pipeline(stage):  # type: ignore[no-untyped-def]
        return tuple(
            (rule, dataclasses.replace(step, run=wrap(rule.name, step.run)))
            for rule, step in real_pipeline(stage)
        )

    specs = tuple(
        dataclasses.replace(s, war_day=wrap(s.name, s.war_day)) if s.war_day is not None else s
        for s in engine.SPECS
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(act, "CATALOGUE", patched)
        mp.setattr(engine, "pipeline", pipeline)
        mp.setattr(engine, "SPECS", specs)
        for _ in run_turns(helpers.prepared().scenario, list(range(60)), 26):
            pass
    return dict(attribution.seen)


@pytest.mark.parametrize("name", NAMES)
def test_a_rule_writes_only_the_fields_it_declares(name: str) -> None:
    seen = observed_writes()
    assert "<ran>" in seen.get(name, set()), f"{name} never ran: the check would be vacuous"
    undeclared = seen[name] - {"<ran>"} - REGISTRY[name].writes
    assert not undeclared, f"{name} writes {sorted(undeclared)} without declaring them"


def test_hold_changes_nothing() -> None:
    assert observed_writes().get("engine", {"<ran>"}) <= {"<ran>"}


@pytest.mark.parametrize("name", NAMES)
def test_the_hot_runs_exercise_the_rule(name: str) -> None:
    """Most of each rule's actions are chosen at least once in the hot runs."""
    res = run_batch(helpers.prepared(), seeds=range(60), params=HOT, record=True)
    chosen = set(res.events.action)
    own = {a.id.value for a in REGISTRY[name].actions}
    if own:
        assert len(own & chosen) >= max(1, len(own) // 2), (name, sorted(own - chosen))
    assert res.outcomes.war.any(), "the hot runs must include wars (combat, war_day hooks)"


# ----------------------------------------------------------------------------------------------
# Determinism, batch invariance, finite state


def _finite(state: State) -> list[str]:
    bad = []
    for f in dataclasses.fields(state):
        v = getattr(state, f.name)
        if isinstance(v, np.ndarray) and v.dtype.kind == "f" and not np.isfinite(v).all():
            bad.append(f.name)
    return bad


@pytest.mark.parametrize("name", NAMES)
def test_with_the_rule_on_runs_are_deterministic_and_batch_invariant(name: str) -> None:
    prep = helpers.prepared()
    a = run_batch(prep, seeds=SEEDS, params=HOT).outcomes
    b = run_batch(prep, seeds=SEEDS, params=HOT).outcomes
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    alone = run_batch(prep, seeds=[SEEDS[5]], params=HOT).outcomes
    numbering = ["run_id", "point_id", "replicate"]  # how a batch numbers its runs
    pd.testing.assert_frame_equal(
        alone.drop(columns=numbering).reset_index(drop=True),
        a.iloc[[5]].drop(columns=numbering).reset_index(drop=True),
        check_exact=True,
    )
    assert REGISTRY[name].on(prep.static)


def _bounds(model: type) -> list[tuple[str, float, float]]:
    out = []
    for field_name, info in model.model_fields.items():
        if info.annotation not in (float, int) and "float" not in str(info.annotation):
            continue
        lo = hi = None
        for m in info.metadata:
            lo = getattr(m, "ge", getattr(m, "gt", lo))
            hi = getattr(m, "le", getattr(m, "lt", hi))
        if lo is not None and hi is not None:
            out.append((field_name, float(lo), float(hi)))
    return out


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("end", ["low", "high"])
def test_parameters_at_both_ends_of_their_ranges_run_without_nan(name: str, end: str) -> None:
    spec = REGISTRY[name]
    base = helpers.prepared().scenario
    current = getattr(base.rules, name)
    update = {}
    for field_name, lo, hi in _bounds(spec.params):
        value = lo if end == "low" else hi
        if field_name == "lethality" and value == 0.0:
            value = 1e-6  # gt=0
        info = spec.params.model_fields[field_name]
        update[field_name] = int(value) if info.annotation in (int, "int") else value
    rules = base.rules.model_copy(update={name: current.model_copy(update=update)})
    scenario = base.model_copy(update={"rules": rules})
    group = Group(name) if name in {g.value for g in Group} else None
    weights = {
        w.key: (TABLE[w].lo if end == "low" else TABLE[w].hi)
        for w in W
        if group is not None and TABLE[w].group == group
    }
    params = {**HOT, **weights}
    for _static, state, _legal in run_turns(scenario, SEEDS[:8], 10, params):
        assert not _finite(state), f"{name} at its {end} ends: {_finite(state)} not finite"


def test_every_action_belongs_to_exactly_one_rule_or_the_engine() -> None:
    owners = {a.id: a.rule for a in act.CATALOGUE}
    assert owners[ActionId.HOLD] == ""
    declared = [a.id for spec in SPECS for a in spec.actions]
    assert sorted(declared) == sorted(set(ActionId) - {ActionId.HOLD})
    assert all(owners[a.id] == spec.name for spec in SPECS for a in spec.actions)


def test_prepared_scenario_keeps_every_rule_on() -> None:
    static = helpers.prepared().static
    assert all(spec.on(static) for spec in SPECS), "the founding crisis uses every rule"
    assert isinstance(helpers.prepared(), Prepared)
