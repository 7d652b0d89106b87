"""Turn pydantic's validation errors into readable problems with codes, lines and fixes.

pydantic says ``Input should be greater than 0``; an author should read
``actors[id=armenia].drones[0].range_km: expected a number greater than 0, got -5``. This module
walks the models along each error's location to name what was expected (with its limits, its
choices, the closest field name to a typo) and finds the line the value came from.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import json
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from sim.scenario.checks import Finding, Loc, render_loc
from sim.scenario.models import Scenario
from sim.scenario.problems import Problem
from sim.scenario.yaml_source import Pos

_ID_HELP = "an id (lower-case letters, digits and underscores, starting with a letter)"


@dataclass(slots=True)
class _Target:
    """What the models say about the value at a location."""

    tp: Any = None
    info: FieldInfo | None = None
    constraints: list[Any] = field(default_factory=list)
    parent: type[BaseModel] | None = None  # the model whose field this is


def _unwrap(tp: Any, constraints: list[Any]) -> Any:
    """Strip Annotated (collecting constraints) and Optional."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            for meta in args[1:]:
                if isinstance(meta, FieldInfo):
                    constraints.extend(meta.metadata)
                else:
                    constraints.append(meta)
            tp = args[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def target_at(loc: Loc, root: type[BaseModel] = Scenario) -> _Target:
    """Find the type, field and constraints the models give the value at ``loc`` (in a file of
    the model ``root``: a scenario, or another file validated the same way, e.g. a sweep)."""
    target = _Target(tp=root)
    for part in loc:
        tp = _unwrap(target.tp, target.constraints)
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return _Target(parent=tp)
            target = _Target(tp=info.annotation, info=info, constraints=list(info.metadata))
            target.parent = tp
        elif origin is list and isinstance(part, int):
            target = _Target(tp=get_args(tp)[0])
        elif origin is tuple and isinstance(part, int):
            args = get_args(tp)
            target = _Target(tp=args[part] if part < len(args) else None)
        elif origin is dict:
            key_tp, value_tp = get_args(tp)
            target = _Target(tp=key_tp if part == "[key]" else value_tp)
        else:
            return _Target()
    target.tp = _unwrap(target.tp, target.constraints)
    return target


def _limits(constraints: list[Any]) -> str:
    low: Any = None
    high: Any = None
    low_open = high_open = False
    for c in constraints:
        if isinstance(c, at.Gt):
            low, low_open = c.gt, True
        elif isinstance(c, at.Ge):
            low, low_open = c.ge, False
        elif isinstance(c, at.Lt):
            high, high_open = c.lt, True
        elif isinstance(c, at.Le):
            high, high_open = c.le, False
    if low is not None and high is not None:
        if not low_open and not high_open:
            return f" from {_num(low)} to {_num(high)}"
        lo = "greater than" if low_open else "at least"
        hi = "less than" if high_open else "at most"
        return f" {lo} {_num(low)} and {hi} {_num(high)}"
    if low is not None:
        return f" greater than {_num(low)}" if low_open else f" of {_num(low)} or more"
    if high is not None:
        return f" less than {_num(high)}" if high_open else f" of {_num(high)} or less"
    return ""


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _choices(tp: Any) -> list[str]:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return [str(m.value) for m in tp]
    if get_origin(tp) is Literal:
        return [str(a) for a in get_args(tp)]
    return []


def describe(target: _Target) -> str:
    """Describe the expected value, e.g. ``a number greater than 0`` or ``one of: a, b``."""
    tp = target.tp
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number" + _limits(target.constraints)
    if tp is float:
        return "a number" + _limits(target.constraints)
    if tp is str:
        if any(getattr(c, "pattern", None) for c in target.constraints):
            return _ID_HELP
        return "text"
    if tp is dt.date:
        return "a date like 2021-09-12"
    choices = _choices(tp)
    if choices:
        return "one of: " + ", ".join(choices)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        names = list(tp.model_fields)
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        return f"a mapping (key: value lines: {shown})"
    origin = get_origin(tp)
    if origin is list:
        return "a list (lines starting with '- ', or [a, b])"
    if origin is tuple:
        return f"a list of {len(get_args(tp))} items"
    if origin is dict:
        return "a mapping (key: value lines)"
    return "a valid value"


def show(value: Any) -> str:
    """Show an input value briefly: text in quotes, lists and mappings by kind."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, float):
        return _num(value) if value == value else "nan"
    if isinstance(value, int):
        text = str(value)
        return text if len(text) <= 20 else text[:17] + "..."
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def suggest(word: Any, choices: list[str]) -> str:
    """Return ``; did you mean "x"?`` for the closest choice, or ""."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = [c for c in choices if c.lower() == word.lower().replace(" ", "_")]
        close = lowered
    return f'; did you mean "{close[0]}"?' if close else ""


_TYPE_ERRORS = {
    "float_type",
    "float_parsing",
    "int_type",
    "int_parsing",
    "int_parsing_size",
    "int_from_float",
    "bool_type",
    "bool_parsing",
    "string_type",
    "model_type",
    "model_attributes_type",
    "dict_type",
    "list_type",
    "tuple_type",
    "none_required",
}
_RANGE_ERRORS = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "finite_number",
}
_DATE_ERRORS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_past",
    "date_future",
}


def _closest_field(loc: Loc, root: type[BaseModel] = Scenario) -> str | None:
    """For an unknown key, the name of the field it is probably a typo of."""
    parent = target_at(loc, root).parent
    if parent is None or not loc or not isinstance(loc[-1], str):
        return None
    close = difflib.get_close_matches(loc[-1], list(parent.model_fields), n=1, cutoff=0.6)
    return close[0] if close else None


def translate_all(
    errors: list[ErrorDetails], root: type[BaseModel] = Scenario
) -> list[tuple[Loc, str, str, str]]:
    """Translate pydantic's errors (see :func:`translate`), merging typo pairs.

    A typo of a required field gives pydantic two errors, an unknown key and a missing field;
    they become one problem, on the typo's line.
    """
    typos: set[Loc] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            name = _closest_field(loc, root)
            if name is not None:
                typos.add((*loc[:-1], name))
    out = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc in typos:
            continue
        item = translate(error, root)
        if error["type"] == "extra_forbidden":
            name = _closest_field(loc, root)
            if name is not None and (*loc[:-1], name) in typos and _is_missing(errors, loc, name):
                item = (item[0], item[1], f"{item[2]} ({name} is required)", item[3])
        out.append(item)
    return out


def _is_missing(errors: list[ErrorDetails], loc: Loc, name: str) -> bool:
    want = (*loc[:-1], name)
    return any(e["type"] == "missing" and tuple(e["loc"]) == want for e in errors)


def translate(error: ErrorDetails, root: type[BaseModel] = Scenario) -> tuple[Loc, str, str, str]:
    """Translate one pydantic error into (location, code, message, kind).

    ``kind`` tells the locator which line to use: ``value``, ``key`` (the key's line) or
    ``parent`` (the line of the mapping a missing field belongs in).
    """
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    target = target_at(loc, root)
    got = show(value)

    if kind == "missing":
        if loc and isinstance(loc[-1], int):
            size = len(get_args(target_at(loc[:-1], root).tp)) or 2
            return loc[:-1], "E207", f"expected exactly {size} items", "value"
        name = loc[-1] if loc else "?"
        hint = f"add `{name}:` with {describe(target)}"
        if isinstance(target.tp, type) and issubclass(target.tp, BaseModel):
            required = [n for n, f in target.tp.model_fields.items() if f.is_required()]
            hint = (
                f"add `{name}:` with its required fields: " + ", ".join(required)
                if required
                else f"add `{name}:` (its own fields are all optional)"
            )
        if name == "schema_version":
            hint = f"add `schema_version: {_current_version()}` at the top of the file"
        desc = target.info.description if target.info and target.info.description else ""
        message = f"required field is missing; {hint}" + (f" ({desc})" if desc else "")
        return loc, "E201", message, "parent"
    if kind == "extra_forbidden":
        parent = target.parent
        names = list(parent.model_fields) if parent else []
        name = loc[-1] if loc else ""
        tip = suggest(name, names)
        if not tip and names:
            tip = "; allowed here: " + ", ".join(names)
        if name == "remove":
            tip = "; remove: true is only for entries of a file that extends another"
        return loc, "E202", f'unknown field "{name}"{tip}', "key"
    if loc and loc[-1] == "[key]":
        choices = _choices(target_at((*loc[:-2], "[key]"), root).tp)
        message = f'unknown key "{value}"{suggest(value, choices)}'
        if choices:
            message += " (allowed: " + ", ".join(choices) + ")"
        return loc[:-1], "E205", message, "key"
    if kind in _DATE_ERRORS:
        return loc, "E206", f"expected a date like 2021-09-12 (YYYY-MM-DD), got {got}", "value"
    if kind in _TYPE_ERRORS:
        message = f"expected {describe(target)}, got {got}"
        if target.tp is str and isinstance(value, bool | int | float):
            message += " (put text in quotes: YAML reads yes, no, on, off and numbers as values)"
        elif value is None:
            message += " (the value after the colon is empty)"
        if kind == "int_from_float" or (kind == "int_type" and isinstance(value, float)):
            message = f"expected a whole number{_limits(target.constraints)}, got {got}"
        return loc, "E203", message, "value"
    if kind in _RANGE_ERRORS:
        if kind == "finite_number":
            return loc, "E204", f"expected a finite number, got {got}", "value"
        return loc, "E204", f"expected {describe(target)}, got {got}", "value"
    if kind == "enum":
        choices = _choices(target.tp)
        listed = ", ".join(choices)
        if len(choices) > 10 and isinstance(target.tp, type):
            listed = (
                f"the {len(choices)} {target.tp.__name__} values (docs/reference.md#"
                f"{target.tp.__name__.lower()})"
            )
        message = f"expected one of: {listed}; got {got}{suggest(value, choices)}"
        return loc, "E205", message, "value"
    if kind == "literal_error":
        if loc == ("schema_version",):
            return (
                loc,
                "E208",
                f"this version of Borderline reads schema_version {_current_version()}, got "
                f"{got}; see CHANGELOG.md for how to migrate",
                "value",
            )
        choices = _choices(target.tp)
        return loc, "E205", f"expected one of: {', '.join(choices)}; got {got}", "value"
    if kind == "string_pattern_mismatch":
        message = f"expected {_ID_HELP}, got {got}"
        if isinstance(value, str):
            fixed = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
            if fixed and fixed[0].isalpha() and fixed != value:
                message += f'; try "{fixed}"'
        return loc, "E206", message, "value"
    if kind in ("string_too_short", "string_too_long"):
        if kind == "string_too_short" and ctx.get("min_length") == 1:
            return loc, "E207", "must not be empty", "value"
        if kind == "string_too_short":
            limit = f"at least {ctx.get('min_length')}"
        else:
            limit = f"at most {ctx.get('max_length')}"
        length = len(value) if isinstance(value, str) else "?"
        return loc, "E207", f"expected {limit} characters, got {length}", "value"
    if kind in ("too_short", "too_long"):
        if get_origin(target.tp) is tuple:
            size = len(get_args(target.tp))
            return loc, "E207", f"expected exactly {size} items, got {_count(value)}", "value"
        if kind == "too_short":
            limit = f"at least {ctx.get('min_length')}"
        else:
            limit = f"at most {ctx.get('max_length')}"
        noun = "item" if limit.endswith(" 1") else "items"
        return loc, "E207", f"expected {limit} {noun}, got {_count(value)}", "value"
    message = error.get("msg", "invalid value")
    return loc, "E209", message[:1].lower() + message[1:], "value"


def _count(value: Any) -> str:
    return str(len(value)) if isinstance(value, list | tuple | dict) else "?"


def _current_version() -> int:
    from sim.scenario.models import SCHEMA_VERSION

    return SCHEMA_VERSION


class Locator:
    """Finds the file and line of a data path, and renders the path for people."""

    def __init__(self, data: Any, positions: dict[Loc, Pos], display: str) -> None:
        self.data = data
        self.positions = positions
        self.display = display

    def _node(self, loc: Loc) -> Any:
        node = self.data
        for part in loc:
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if not (in_list or (isinstance(node, dict) and part in node)):
                return None
            node = node[part]
        return node

    def where(self, loc: Loc, kind: str = "value") -> tuple[str, int | None]:
        """Return (file, line) for the value at ``loc``.

        ``kind`` is ``value`` (the value's line, or its key's line for a list or mapping),
        ``key`` (the key's line) or ``parent`` (the line of the enclosing mapping's key).
        """
        path = tuple(p for p in loc if p != "[key]")
        if kind == "parent":
            path = path[:-1]
        while path and path not in self.positions:
            path = path[:-1]
        pos = self.positions.get(path)
        if pos is None:
            return self.display, None
        prefer_key = kind in ("key", "parent") or isinstance(self._node(path), dict | list)
        if prefer_key and pos.key_line is not None and pos.key_file is not None:
            return pos.key_file, pos.key_line
        return pos.file, pos.line

    def field(self, loc: Loc) -> str:
        """Render ``loc`` for people (``actors[id=armenia].drones[0].range_km``)."""
        return render_loc(loc, self.data)

    def problem(self, loc: Loc, code: str, message: str, kind: str = "value") -> Problem:
        """Make a located problem."""
        file, line = self.where(loc, kind)
        return Problem(file, line, self.field(loc), message, code)

    def finding(self, finding: Finding) -> Problem:
        """Make a located problem from a cross-field check's finding."""
        message = finding.message
        if finding.related is not None:
            file, line = self.where(finding.related)
            if line is not None:
                at = f"line {line}" if file == self.where(finding.loc)[0] else f"{file}:{line}"
                message += f" (first at {at})"
        return self.problem(finding.loc, finding.code, message)
