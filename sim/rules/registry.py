"""The registry of rules: every module under sim/rules/ that exports a ``SPEC``.

Adding a rule is one new module here (plus its tests and its parameter model in
sim.scenario.models): the registry finds it, the catalogue takes its actions, and the engine
runs its steps in their declared order. Nothing else lists rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import sim.rules as _package
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import Rules


def _discover() -> tuple[RuleSpec[Any], ...]:
    specs: list[RuleSpec[Any]] = []
    for info in sorted(pkgutil.iter_modules(_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if isinstance(spec, RuleSpec):
            specs.append(spec)
    return tuple(specs)


#: Every rule, in name order.
SPECS: tuple[RuleSpec[Any], ...] = _discover()
#: Rule name -> spec.
REGISTRY: dict[str, RuleSpec[Any]] = {spec.name: spec for spec in SPECS}


def pipeline(stage: Stage) -> tuple[tuple[RuleSpec[Any], Step], ...]:
    """The per-turn steps of a stage, in their declared order, with the rule of each."""
    steps = [(spec, step) for spec in SPECS for step in spec.steps if step.stage == stage]
    return tuple(sorted(steps, key=lambda pair: (pair[1].order, pair[0].name)))


def _check() -> None:
    """Every rule has a parameter model in the scenario schema, and orders are unique."""
    fields = set(Rules.model_fields)
    names = set(REGISTRY)
    if names != fields:
        raise RuntimeError(
            "rules and the scenario's rules: section disagree: "
            f"modules without a field {sorted(names - fields)}, fields without a module "
            f"{sorted(fields - names)}"
        )
    for name in names:
        declared = Rules.model_fields[name].annotation
        if REGISTRY[name].params.__name__ not in str(declared):
            raise RuntimeError(f"rule {name}: parameter model differs from the scenario field")
    for stage in Stage:
        orders = [step.order for _, step in pipeline(stage)]
        if len(orders) != len(set(orders)):
            raise RuntimeError(f"two steps of stage {stage.name} share an order: {orders}")


_check()
