"""The committed JSON Schema and the generated docs match the models; every field is described."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from sim.scenario import SCHEMA_PATH, SCHEMA_VERSION, Scenario, docgen, json_schema, schema_gen

from .conftest import INVALID_DIR, REPO

STALE = (
    "schema/scenario.schema.json is stale: the models in sim/scenario/models.py changed. "
    "Regenerate it with `python -m sim.scenario.schema` (and `python -m sim.scenario.docgen` "
    "for docs/reference.md), and add a migration note to CHANGELOG.md."
)


def test_committed_schema_is_fresh() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == schema_gen.schema_text(), STALE


def test_committed_docs_reference_is_fresh() -> None:
    assert docgen.is_fresh(), (
        "docs/reference.md is stale; regenerate it with `python -m sim.scenario.docgen`"
    )


def test_schema_module_check_mode(tmp_path: Any) -> None:
    from sim.scenario.schema import main

    out = tmp_path / "s.json"
    assert main(["--out", str(out)]) == 0
    assert main(["--check", "--out", str(out)]) == 0
    out.write_text("{}")
    assert main(["--check", "--out", str(out)]) == 1


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_schema_is_what_the_file_holds() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema()


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for info in model.model_fields.values():
        for tp in _types(info.annotation):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _models(tp, seen)


def _types(tp: Any) -> list[Any]:
    out = [tp]
    for arg in getattr(tp, "__args__", ()) or ():
        out += _types(arg)
    return out


def test_every_field_has_a_description() -> None:
    seen: set[type[BaseModel]] = set()
    _models(Scenario, seen)
    assert len(seen) > 20
    missing = [
        f"{m.__name__}.{name}"
        for m in seen
        for name, info in m.model_fields.items()
        if not (info.description and info.description.strip())
    ]
    assert not missing, f"fields without a description: {missing}"
    undocumented = [m.__name__ for m in seen if not (m.__doc__ and m.__doc__.strip())]
    assert not undocumented


def test_every_model_forbids_unknown_keys() -> None:
    seen: set[type[BaseModel]] = set()
    _models(Scenario, seen)
    assert all(m.model_config.get("extra") == "forbid" for m in seen)


def test_choices_are_enums_in_the_schema() -> None:
    defs = json_schema()["$defs"]
    for name in ("ActorKind", "DiplomaticStatus", "CorridorStatus", "ActionId", "Metric"):
        assert defs[name]["enum"], name
    assert all(isinstance(v, str) for v in defs["ActionId"]["enum"])


def test_schema_version_matches_the_model() -> None:
    literal = Scenario.model_fields["schema_version"].annotation
    assert getattr(literal, "__args__", None) == (SCHEMA_VERSION,)
    assert json_schema()["$defs"]["Scenario"]["properties"]["schema_version"]["const"] == (
        SCHEMA_VERSION
    )


def test_json_schema_rejects_what_the_loader_rejects_for_field_errors() -> None:
    """Invalid files whose only problem is a field's own value fail the editor's schema too."""
    jsonschema = pytest.importorskip("jsonschema")
    from sim.scenario.yaml_source import read_yaml, to_data

    from .test_invalid import expectations

    validator = jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    checked = 0
    for path in sorted(INVALID_DIR.glob("*.yaml")):
        codes = {e.code for e in expectations(path)}
        if not codes or not codes <= {"E201", "E202", "E203", "E204", "E205", "E206", "E207"}:
            continue
        if path.stem == "not_a_number":
            continue  # NaN does not exist in JSON; JSON Schema cannot say "finite"
        tree, _ = read_yaml(path, path.name)
        assert tree is not None
        data, _ = to_data(tree)
        assert not validator.is_valid(data), f"{path.name} passes the JSON Schema"
        checked += 1
    assert checked >= 20


def test_vscode_maps_the_schema_to_scenarios() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    globs = settings["yaml.schemas"]["./schema/scenario.schema.json"]
    assert "scenarios/*.yaml" in globs


def test_changelog_has_a_note_for_the_current_schema_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8").lower()
    assert f"schema version {SCHEMA_VERSION}" in changelog, (
        "CHANGELOG.md must note the scenario schema version (and a migration note whenever "
        "it changes)"
    )
