"""Scenario files: pydantic models, YAML loading with line numbers, JSON Schema export.

This layer is data only; it imports nothing from the engine. The public API:

- :func:`load_scenario` (and :func:`resolve`, :func:`list_scenarios`, :data:`SCENARIO_DIR`) to
  read a scenario by id or path, raising :class:`ScenarioError`;
- :func:`validate_paths` for ``borderline validate``: a :class:`FileReport` per file, each with
  its :class:`Problem` lines;
- :func:`json_schema` and :data:`SCHEMA_PATH` for ``borderline schema``;
- :func:`scenario_hash` for run manifests.
"""

from sim.scenario.codes import CODES, Code
from sim.scenario.loader import (
    SCENARIO_DIR,
    list_scenarios,
    load_scenario,
    resolve,
    scenario_hash,
    validate_file,
    validate_paths,
)
from sim.scenario.models import SCHEMA_VERSION, Scenario
from sim.scenario.problems import FileReport, Problem, ScenarioError
from sim.scenario.schema_gen import SCHEMA_PATH, json_schema, schema_text

__all__ = [
    "CODES",
    "SCENARIO_DIR",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "Code",
    "FileReport",
    "Problem",
    "Scenario",
    "ScenarioError",
    "json_schema",
    "list_scenarios",
    "load_scenario",
    "resolve",
    "scenario_hash",
    "schema_text",
    "validate_file",
    "validate_paths",
]
