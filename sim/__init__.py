"""Borderline: an interactive scenario simulation of border crises.

The package is layered (see docs/architecture.md):

1. ``sim.scenario`` -- scenario files: pydantic models, YAML loading, JSON Schema.
2. the engine -- ``sim.world``, ``sim.actions``, ``sim.decisions``, ``sim.rules``,
   ``sim.engine``, ``sim.outputs``, ``sim.model``: pure and deterministic.
3. runners -- ``sim.batch`` (and later game sessions and sweeps).
4. front ends -- ``sim.cli`` and the Solara UI (``app.py``, ``sim.ui``).
"""

__version__ = "0.1.0"
