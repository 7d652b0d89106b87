"""Generate docs/reference.md, the scenario field reference and error-code table, from the models.

The reference cannot drift from the schema: it is written from the same pydantic models, and a
test fails when the committed page differs from what this module generates. After changing
sim/scenario/models.py or sim/scenario/codes.py, run::

    python -m sim.scenario.docgen          # rewrites docs/reference.md
    python -m sim.scenario.docgen --check  # exits 1 if it is stale

The whole page is generated; edit this module, not the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sim.scenario.codes import CODES
from sim.scenario.models import SCHEMA_VERSION, Scenario

#: The scenario field reference, a page of the documentation site.
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "reference.md"
REGENERATE = "python -m sim.scenario.docgen"

# enums with more values than this get their own section instead of an inline list
_INLINE_CHOICES = 6


def _anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", name.lower().replace(" ", "-"))


def _unwrap(tp: Any) -> tuple[Any, list[Any], bool]:
    """Strip Annotated and Optional: (type, constraints, nullable)."""
    constraints: list[Any] = []
    nullable = False
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            for meta in args[1:]:
                constraints.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
            tp = args[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            nullable = nullable or len(members) < len(get_args(tp))
            if len(members) != 1:
                return tp, constraints, nullable
            tp = members[0]
        else:
            return tp, constraints, nullable


def _num(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def _range(constraints: list[Any]) -> str:
    low = high = ""
    for c in constraints:
        if isinstance(c, at.Gt):
            low = f"> {_num(c.gt)}"
        elif isinstance(c, at.Ge):
            low = f"≥ {_num(c.ge)}"
        elif isinstance(c, at.Lt):
            high = f"< {_num(c.lt)}"
        elif isinstance(c, at.Le):
            high = f"≤ {_num(c.le)}"
    if low.startswith("≥") and high.startswith("≤"):
        return f" from {low[2:]} to {high[2:]}"
    return " " + ", ".join(x for x in (low, high) if x) if low or high else ""


def _length(constraints: list[Any], unit: str) -> str:
    low = next((c.min_length for c in constraints if isinstance(c, at.MinLen)), None)
    high = next((c.max_length for c in constraints if isinstance(c, at.MaxLen)), None)
    if low and high:
        return f" ({low} to {high} {unit})"
    if low == 1 and unit == "characters":
        return " (not empty)"
    if low:
        return f" (at least {low} {unit if low > 1 else unit.rstrip('s')})"
    if high:
        return f" (at most {high} {unit})"
    return ""


class _Writer:
    def __init__(self) -> None:
        self.models: dict[type[BaseModel], list[str]] = {}
        self.enums: dict[type[enum.Enum], None] = {}

    def collect(self, model: type[BaseModel], path: str) -> None:
        """Record every model reachable from ``model`` with the paths it is used at."""
        if model in self.models:
            self.models[model].append(path)
            return
        self.models[model] = [path]
        for name, info in model.model_fields.items():
            self._collect_type(info.annotation, f"{path}.{name}" if path else name)

    def _collect_type(self, tp: Any, path: str) -> None:
        tp, _, _ = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            self.collect(tp, path)
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            self.enums[tp] = None
        elif get_origin(tp) is list:
            self._collect_type(get_args(tp)[0], f"{path}[]")
        elif get_origin(tp) is dict:
            key, value = get_args(tp)
            self._collect_type(key, path)
            self._collect_type(value, f"{path}.<key>")

    def type_text(self, tp: Any, extra: list[Any] | None = None) -> str:
        tp, constraints, _ = _unwrap(tp)
        constraints = [*(extra or []), *constraints]
        if tp is bool:
            return "true/false"
        if tp is int:
            return "integer" + _range(constraints)
        if tp is float:
            return "number" + _range(constraints)
        if tp is str:
            if any(getattr(c, "pattern", None) for c in constraints):
                return "[id](#ids)"
            return "text" + _length(constraints, "characters")
        if tp is dt.date:
            return "date (YYYY-MM-DD)"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [str(m.value) for m in tp]
            if len(values) <= _INLINE_CHOICES:
                return "one of " + ", ".join(f"`{v}`" for v in values)
            return f"one of [{tp.__name__}](#{_anchor(tp.__name__)})"
        if get_origin(tp) is Literal:
            return " or ".join(f"`{a}`" for a in get_args(tp))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return f"[{tp.__name__}](#{_anchor(tp.__name__)})"
        origin = get_origin(tp)
        if origin is list:
            return "list of " + self.type_text(get_args(tp)[0]) + _length(constraints, "items")
        if origin is tuple:
            args = get_args(tp)
            return f"list of {len(args)} × " + self.type_text(args[0])
        if origin is dict:
            key, value = get_args(tp)
            return f"mapping of {self.type_text(key)} to {self.type_text(value)}"
        return str(tp)

    @staticmethod
    def default_text(info: FieldInfo) -> str:
        if info.is_required():
            return "**required**"
        if info.default_factory is not None:
            made = info.default_factory()  # type: ignore[call-arg]
            if isinstance(made, BaseModel):
                return "its defaults"
            return f"`{made!r}`".replace("'", "")
        value = info.default
        if value is None or value is PydanticUndefined:
            return "none"
        if value == "":
            return '`""`'
        if isinstance(value, enum.Enum):
            return f"`{value.value}`"
        if isinstance(value, bool):
            return f"`{str(value).lower()}`"
        return f"`{_num(value)}`"

    def model_section(self, model: type[BaseModel]) -> list[str]:
        doc = " ".join((model.__doc__ or "").split())
        paths = ", ".join(f"`{p or '(top level)'}`" for p in self.models[model])
        lines = [f"## {model.__name__}", "", doc, "", f"Where: {paths}.", ""]
        lines += ["| field | type | default | description |", "| --- | --- | --- | --- |"]
        for name, info in model.model_fields.items():
            kind = self.type_text(info.annotation, list(info.metadata))
            desc = (info.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {kind} | {self.default_text(info)} | {desc} |")
        return [*lines, ""]

    def enum_section(self, kind: type[enum.Enum]) -> list[str]:
        doc = " ".join((kind.__doc__ or "").split("\n\n")[0].split())
        values = ", ".join(f"`{m.value}`" for m in kind)
        return [f"## {kind.__name__}", "", doc, "", values, ""]


def reference() -> str:
    """The whole page: every model's fields, the long enums, and the error codes."""
    writer = _Writer()
    writer.collect(Scenario, "")
    out = [
        "# Scenario field reference",
        "",
        f"*Generated from sim/scenario/models.py (schema version {SCHEMA_VERSION}) by "
        f"`{REGENERATE}`; do not edit by hand.*",
        "",
        "Every field a scenario file can hold, its type, default and meaning, and every error "
        "code `borderline validate` reports. [Writing a scenario](authoring.md) is the "
        "tutorial; the JSON Schema of the same models is `schema/scenario.schema.json`, which "
        "editors use for completion and checks as you type.",
        "",
        "## Ids",
        "",
        "Ids (of the scenario, actors, corridors, sources, events) are lower-case letters, "
        "digits and underscores, starting with a letter, at most 48 characters: `iran`, "
        "`goris_kapan_road`, `ccsis_2021`.",
        "",
    ]
    for model in writer.models:
        out += writer.model_section(model)
    for kind in writer.enums:
        if len(kind) > _INLINE_CHOICES:
            out += writer.enum_section(kind)
    out += [
        "## Error codes",
        "",
        "Every problem `borderline validate` reports ends with one of these codes. Codes are "
        "stable: they never change meaning.",
        "",
        "| code | name | problem | fix |",
        "| --- | --- | --- | --- |",
    ]
    for code in CODES.values():
        out.append(f"| {code.code} | `{code.name}` | {code.summary} | {code.fix} |")
    return "\n".join(out) + "\n"


def is_fresh(path: Path = DOC_PATH) -> bool:
    """True when ``path`` holds exactly the page the models generate."""
    try:
        return path.read_text(encoding="utf-8") == reference()
    except OSError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite (or with --check, verify) docs/reference.md."""
    parser = argparse.ArgumentParser(prog=f"{REGENERATE}", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the docs are stale")
    parser.add_argument("--doc", type=Path, default=DOC_PATH, help="the page to write")
    args = parser.parse_args(argv)
    if args.check:
        if is_fresh(args.doc):
            print(f"{args.doc} is up to date")
            return 0
        print(f"{args.doc} is stale; regenerate it with `{REGENERATE}`", file=sys.stderr)
        return 1
    args.doc.write_text(reference(), encoding="utf-8")
    print(f"updated {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
