"""The founding crises and their facts: one module per crisis, each exporting ``CRISIS``.

A fact is what the real crisis did, written as a band for a quantity measured on a seeded batch
at default settings, on what the AI chooses (each scenario scripts only its opening trigger).
The same definitions serve the calibration (``scripts/calibrate.py`` fits the weights to the
crises marked ``calibration``), the statistical tests (``tests/crises/``), and the generated
crisis pages (``scripts/crises.py`` writes docs/scenarios.md). Adding a crisis is one scenario
file and one module here; nothing else lists crises.
"""

from __future__ import annotations

import importlib
import pkgutil

import sim.crises as _package
from sim.crises.base import Crisis, Fact, Measured

__all__ = ["CRISES", "Crisis", "Fact", "Measured", "calibration_crises"]


def _discover() -> dict[str, Crisis]:
    found: dict[str, Crisis] = {}
    for info in sorted(pkgutil.iter_modules(_package.__path__), key=lambda m: m.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        crisis = getattr(module, "CRISIS", None)
        if isinstance(crisis, Crisis):
            if crisis.scenario in found:
                raise RuntimeError(f"two crisis modules for scenario {crisis.scenario!r}")
            found[crisis.scenario] = crisis
    return found


#: Scenario id -> crisis, in the order of the founding analyses (see ``Crisis.order``).
CRISES: dict[str, Crisis] = dict(sorted(_discover().items(), key=lambda kv: kv[1].order))


def calibration_crises() -> tuple[Crisis, ...]:
    """The crises the weights are fitted to; the others are the out-of-sample check."""
    return tuple(c for c in CRISES.values() if c.calibration)
