"""Every valid example, every scenario and the tutorial's file validate, match the JSON Schema,
carry the editor's schema line, and run in the engine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sim.scenario import SCHEMA_PATH, validate_paths
from sim.scenario.yaml_source import read_yaml, to_data

from .conftest import (
    EXAMPLES,
    REPO,
    SCENARIOS,
    VALID_DIR,
    borderline,
    run_scenario,
)

FILES = [
    *sorted(SCENARIOS.glob("*.yaml")),
    *sorted(VALID_DIR.glob("*.yaml")),
    *sorted(EXAMPLES.glob("*.yaml")),
]
IDS = [str(p.relative_to(REPO)) for p in FILES]
MODELINE = "# yaml-language-server: $schema="


def test_the_folders_are_not_empty() -> None:
    assert len(list(SCENARIOS.glob("*.yaml"))) >= 2
    assert len(list(VALID_DIR.glob("*.yaml"))) >= 4
    assert (EXAMPLES / "tutorial.yaml").is_file()


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_validates(path: Path) -> None:
    (report,) = validate_paths([path])
    assert report.ok, "\n".join(str(p) for p in report.problems)
    assert report.scenario is not None


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_runs(path: Path) -> None:
    run_scenario(path, turns=3)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_has_the_editor_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), f"{path.name}: first line must be '{MODELINE}...'"
    target = (path.parent / first.removeprefix(MODELINE).strip()).resolve()
    assert target == SCHEMA_PATH.resolve(), f"{path.name}: the schema line points at {target}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_matches_the_json_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    tree, problems = read_yaml(path, str(path))
    assert tree is not None and not problems
    data, _ = to_data(tree)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, "\n".join(errors[:10])


def test_scenarios_are_sourced() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        (report,) = validate_paths([path])
        assert report.scenario is not None
        assert report.scenario.metadata.sources, path.name


def test_variant_is_short_and_cites_its_source() -> None:
    variant = SCENARIOS / "iran_azerbaijan_drones.yaml"
    text = variant.read_text(encoding="utf-8")
    assert "extends: iran_azerbaijan" in text
    assert len(text.splitlines()) < 40
    assert "source: ccsis_drones" in text


def test_cli_validates_every_scenario_with_exit_code_0() -> None:
    result = borderline("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_validates_the_valid_examples() -> None:
    result = borderline("validate", *(os.path.relpath(p, REPO) for p in FILES))
    assert result.returncode == 0, result.stdout + result.stderr
