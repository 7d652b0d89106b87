"""Generate the JSON Schema of scenario files from the models.

The committed copy, schema/scenario.schema.json, is what editors use for completion and checks
(``# yaml-language-server: $schema=../schema/scenario.schema.json`` at the top of a scenario,
and .vscode/settings.json). Regenerate it after changing the models::

    python -m sim.scenario.schema          # writes schema/scenario.schema.json
    python -m sim.scenario.schema --check  # exits 1 if the committed copy is stale

A file with ``extends:`` holds only changes, so the schema has two shapes: without ``extends``
the file must be a complete :class:`~sim.scenario.models.Scenario`; with it, every field is
optional (entries of merged lists need only their identity, and may say ``remove: true``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sim.scenario.models import SCHEMA_VERSION, Scenario

#: The committed JSON Schema.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "scenario.schema.json"

REGENERATE = "python -m sim.scenario.schema"

# identity fields of the entries of lists that extends merges entry by entry (see extends.py)
_IDENTITY: dict[str, list[str]] = {
    "Source": ["id"],
    "Actor": ["id"],
    "DroneType": ["type"],
    "Relation": ["between"],
    "Alliance": ["patron", "client"],
    "Corridor": ["id"],
    "Event": [],
    "Role": ["actor"],
}

_EXTENDS = {
    "type": "string",
    "pattern": r"^[a-z][a-z0-9_]*(\.ya?ml)?$",
    "description": "Id of the scenario this file changes (looked up next to this file, then in "
    "scenarios/). With extends, the file holds only what differs: mappings merge key by key, "
    "a key set to null goes back to its default, entries of actors, corridors, relations, "
    "alliances, events, roles, sources and drones merge by their identity (remove: true "
    "deletes one), and other values replace the parent's.",
}
_REMOVE = {
    "type": "boolean",
    "description": "In a file with extends: delete the parent's entry with this identity.",
}


def _patch_refs(node: Any, objects: set[str]) -> Any:
    """Copy a schema fragment, pointing refs to object definitions at their Patch versions."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name = value.rsplit("/", 1)[-1]
                out[key] = f"#/$defs/{name}Patch" if name in objects else value
            else:
                out[key] = _patch_refs(value, objects)
        return out
    if isinstance(node, list):
        return [_patch_refs(v, objects) for v in node]
    return node


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """Allow null (which resets a field to its default in a file with extends).

    A list in a file with extends may hold fewer entries than the full list needs, so its
    minimum length is dropped.
    """
    prop = {k: v for k, v in prop.items() if k != "minItems"}
    if any(alt.get("type") == "null" for alt in prop.get("anyOf", [])):
        prop["anyOf"] = [{k: v for k, v in a.items() if k != "minItems"} for a in prop["anyOf"]]
        return prop
    description = prop.get("description")
    core = {k: v for k, v in prop.items() if k not in ("description", "default", "title")}
    out: dict[str, Any] = {"anyOf": [core, {"type": "null"}]}
    if description:
        out["description"] = description
    if "default" in prop:
        out["default"] = prop["default"]
    return out


def _patch_def(name: str, definition: dict[str, Any], objects: set[str]) -> dict[str, Any]:
    patch: dict[str, Any] = _patch_refs(copy.deepcopy(definition), objects)
    patch["properties"] = {k: _nullable(v) for k, v in patch["properties"].items()}
    patch.pop("required", None)
    patch["title"] = f"{definition.get('title', name)} (changes)"
    if name in _IDENTITY:
        patch["properties"]["remove"] = _REMOVE
        if _IDENTITY[name]:
            patch["required"] = list(_IDENTITY[name])
    return patch


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of scenario files, generated from the models."""
    full = Scenario.model_json_schema(mode="validation")
    defs: dict[str, Any] = full.pop("$defs")
    defs["Scenario"] = full
    objects = {name for name, d in defs.items() if "properties" in d}
    patches = {f"{name}Patch": _patch_def(name, defs[name], objects) for name in sorted(objects)}
    patches["ScenarioPatch"]["properties"]["extends"] = _EXTENDS
    patches["ScenarioPatch"]["required"] = ["extends"]
    top_properties = dict(patches["ScenarioPatch"]["properties"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from sim/scenario/models.py by `{REGENERATE}`; do not edit.",
        "title": f"Borderline scenario (schema version {SCHEMA_VERSION})",
        "description": full.get("description", ""),
        "type": "object",
        "properties": top_properties,
        "additionalProperties": False,
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/ScenarioPatch"},
        "else": {"$ref": "#/$defs/Scenario"},
        "$defs": {**dict(sorted(defs.items())), **patches},
    }


def schema_text() -> str:
    """The JSON Schema as the text committed in schema/scenario.schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def is_fresh(path: Path = SCHEMA_PATH) -> bool:
    """True when the file at ``path`` holds the schema generated from the current models."""
    try:
        return path.read_text(encoding="utf-8") == schema_text()
    except OSError:
        return False
