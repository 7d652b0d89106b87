"""``extends:``: a scenario written as changes to another.

A file with ``extends: iran_azerbaijan`` starts from that scenario and applies its own content
on top of it:

- mappings merge key by key, recursively; a key set to ``null`` (``~``) goes back to its default
  (``rules: {cyber: null}`` switches the cyber rule off);
- lists of entries that have an identity merge entry by entry: an entry with the identity of a
  parent entry changes only the fields it gives, ``remove: true`` deletes that entry, and any
  other entry is added. The identities are listed in :data:`KEYED_LISTS`;
- every other value, lists included, replaces the parent's.

The parent is named by id and looked up next to the extending file, then in scenarios/; it must
lie inside the folder it was found in (no absolute paths, no ``..``, no links out). Chains of
extends are followed up to :data:`MAX_CHAIN` files; a cycle is an error.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from sim.scenario.problems import Problem, display_path
from sim.scenario.yaml_source import YNode

#: Most files in one chain of extends.
MAX_CHAIN = 8

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _field(*names: str) -> Callable[[YNode], Hashable | None]:
    def key(item: YNode) -> Hashable | None:
        if not isinstance(item.value, dict):
            return None
        parts = []
        for name in names:
            node = item.value.get(name)
            if node is None or not isinstance(node.value, str):
                return None
            parts.append(node.value)
        return tuple(parts)

    return key


def _pair(item: YNode) -> Hashable | None:
    if not isinstance(item.value, dict):
        return None
    node = item.value.get("between")
    if node is None or not isinstance(node.value, list):
        return None
    names = [n.value for n in node.value]
    if len(names) != 2 or not all(isinstance(n, str) for n in names):
        return None
    return frozenset(names)


#: Lists merged entry by entry, by their path (list indices left out) and the entries' identity.
KEYED_LISTS: dict[tuple[str, ...], tuple[str, Callable[[YNode], Hashable | None]]] = {
    ("metadata", "sources"): ("id", _field("id")),
    ("actors",): ("id", _field("id")),
    ("actors", "drones"): ("type", _field("type")),
    ("relations",): ("the pair in between", _pair),
    ("alliances",): ("patron and client", _field("patron", "client")),
    ("corridors",): ("id", _field("id")),
    ("events",): ("id", _field("id")),
    ("roles",): ("actor", _field("actor")),
}


def merge(parent: YNode, child: YNode, problems: list[Problem]) -> YNode:
    """Apply ``child`` on top of ``parent`` (see the module docstring); neither is changed."""
    return _merge(parent, child, (), problems)


def _merge(parent: YNode, child: YNode, path: tuple[str, ...], problems: list[Problem]) -> YNode:
    if isinstance(parent.value, dict) and isinstance(child.value, dict):
        value = dict(parent.value)
        keys = dict(parent.keys or {})
        child_keys = child.keys or {}
        for key, node in child.value.items():
            if node.value is None:
                value.pop(key, None)
                keys.pop(key, None)
                continue
            value[key] = _merge(value[key], node, (*path, key), problems) if key in value else node
            keys[key] = child_keys[key]
        return YNode(value, child.file, child.line, keys, 1 + sum(n.size for n in value.values()))
    if isinstance(parent.value, list) and isinstance(child.value, list) and path in KEYED_LISTS:
        return _merge_keyed(parent, child, path, problems)
    return child


def _merge_keyed(
    parent: YNode, child: YNode, path: tuple[str, ...], problems: list[Problem]
) -> YNode:
    label, identity = KEYED_LISTS[path]
    result: list[YNode | None] = list(parent.value)
    index: dict[Hashable, int] = {}
    for i, item in enumerate(result):
        assert item is not None
        key = identity(item)
        if key is not None:
            index.setdefault(key, i)
    for item in child.value:
        key = identity(item)
        if isinstance(item.value, dict) and "remove" in item.value:
            flag = item.value["remove"]
            item = _without(item, "remove")
            if flag.value is True:
                if key is not None and key in index and result[index[key]] is not None:
                    result[index[key]] = None
                else:
                    where = ".".join(path)
                    problems.append(
                        Problem(
                            flag.file,
                            flag.line,
                            where,
                            f"remove: true matches no entry of the parent's {where} (entries "
                            f"are matched by {label})",
                            "E404",
                        )
                    )
                continue
            if flag.value is not False:
                problems.append(
                    Problem(flag.file, flag.line, "remove", "expected true or false", "E203")
                )
        if key is not None and key in index and result[index[key]] is not None:
            i = index[key]
            old = result[i]
            assert old is not None
            result[i] = _merge(old, item, path, problems)
        else:
            if key is not None:
                index[key] = len(result)
            result.append(item)
    kept = [n for n in result if n is not None]
    return YNode(kept, child.file, child.line, None, 1 + sum(n.size for n in kept))


def _without(node: YNode, key: str) -> YNode:
    value = {k: v for k, v in node.value.items() if k != key}
    keys = {k: v for k, v in (node.keys or {}).items() if k != key}
    return YNode(value, node.file, node.line, keys, 1 + sum(n.size for n in value.values()))


def find_parent(ref: Any, file: Path, roots: list[Path]) -> tuple[Path | None, str | None, str]:
    """Find the file that ``extends: ref`` names.

    Args:
        ref: The value of ``extends``.
        file: The extending file.
        roots: Folders to look in, in order (the file's folder, then scenarios/).

    Returns:
        (path, None, "") when found, else (None, error code, message).
    """
    if not isinstance(ref, str) or not ref.strip():
        got = (
            "a list"
            if isinstance(ref, list)
            else "a mapping"
            if isinstance(ref, dict)
            else repr(ref)
        )
        return None, "E405", f"expected a scenario id, e.g. extends: iran_azerbaijan; got {got}"
    name = ref.strip()
    stem = re.sub(r"\.ya?ml$", "", name)
    if name.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None, "E403", f'"{name}" is an absolute path; name a scenario by its id'
    if ".." in re.split(r"[/\\]", name):
        return None, "E403", f'"{name}" points outside the scenarios folder; name a scenario by id'
    if not _ID.match(stem):
        return (
            None,
            "E405",
            (f'"{name}" is not a scenario id (lower-case letters, digits and underscores)'),
        )
    known: set[str] = set()
    for root in roots:
        for suffix in (".yaml", ".yml"):
            candidate = root / f"{stem}{suffix}"
            if candidate.is_file():
                real, base = candidate.resolve(), root.resolve()
                if not real.is_relative_to(base):
                    return (
                        None,
                        "E403",
                        (
                            f'"{name}" is a link to {real}, outside {root}; a parent must live in '
                            "the scenarios folder"
                        ),
                    )
                if real == file.resolve():
                    return None, "E402", f'"{name}" is this file; a scenario cannot extend itself'
                return candidate, None, ""
        if root.is_dir():
            known.update(p.stem for p in root.glob("*.y*ml"))
    match = difflib.get_close_matches(stem, sorted(known), n=1, cutoff=0.6)
    tip = f'; did you mean "{match[0]}"?' if match else ""
    where = " or ".join(display_path(r) + "/" for r in roots)
    return None, "E401", f'no scenario "{stem}" in {where}{tip}'
