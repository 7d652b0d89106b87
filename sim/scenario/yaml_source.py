"""Safe YAML reading that remembers where every value came from.

The file is parsed into PyYAML *events* (with libyaml when it is installed) and composed here,
without recursion, into a tree of :class:`YNode` values that carry their file and line. No YAML
constructor ever runs, so no tag can execute anything: values are built only for the plain YAML
types (text, integers, floats, booleans, null, dates), and any other tag is reported.

Limits keep hostile input cheap: files over :data:`MAX_BYTES` are refused before they are read,
nesting is capped at :data:`MAX_DEPTH`, and anchors and aliases may not expand to more than
:data:`MAX_VALUES` values (the "billion laughs" attack) nor refer to themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from sim.scenario.problems import Problem

#: Largest file accepted, in bytes (1 MB); a scenario is a few kilobytes.
MAX_BYTES = 1_000_000
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64
#: Most values (scalars, lists, mappings) a file may hold once aliases are expanded.
MAX_VALUES = 100_000
#: Most problems of one kind (tabs, control characters) listed for one file.
MAX_LISTED = 20

_PARSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_TAB_INDENT = re.compile(r"^[ ]*\t")
# characters YAML does not allow (PyYAML's reader refuses them)
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

_HINTS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "a ':' inside a value needs the value in quotes, or a key is indented wrongly",
    ),
    ("could not find expected ':'", "a key is missing its ':' or the line is indented wrongly"),
    ("expected <block end>", "this line's indentation does not line up with the lines above"),
    ("did not find expected key", "this line's indentation does not line up with the lines above"),
    ("did not find expected '-'", "a list item's '- ' is missing or misaligned"),
    ("found unexpected end of stream", "a quote or bracket is never closed"),
    ("expected ',' or ']'", "a '[' list is never closed with ']'"),
    ("expected ',' or '}'", "a '{' mapping is never closed with '}'"),
    ("found undefined alias", "'*name' refers to an anchor '&name' that is not defined above"),
    ("expected a single document", "a file holds one scenario; remove the second '---'"),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("found unknown escape character", "in double quotes a backslash starts an escape; use '...'"),
)


class Pos(NamedTuple):
    """Where a value is: its file and line, and the file and line of its key (if in a mapping)."""

    file: str
    line: int
    key_file: str | None = None
    key_line: int | None = None


class YNode:
    """A YAML value with its position.

    ``value`` is a plain scalar (str, int, float, bool, None), a ``dict[str, YNode]`` or a
    ``list[YNode]``; for mappings ``keys`` holds each key's (file, line). ``size`` is the number of
    values in the subtree, counting what aliases repeat.
    """

    __slots__ = ("file", "keys", "line", "size", "value")

    def __init__(
        self,
        value: Any,
        file: str,
        line: int,
        keys: dict[str, tuple[str, int]] | None = None,
        size: int = 1,
    ) -> None:
        self.value = value
        self.file = file
        self.line = line
        self.keys = keys
        self.size = size

    def is_map(self) -> bool:
        """True when the value is a mapping."""
        return isinstance(self.value, dict)

    def is_seq(self) -> bool:
        """True when the value is a list."""
        return isinstance(self.value, list)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"YNode({self.value!r}, {self.file}:{self.line})"


class _Fatal(Exception):
    """Composition cannot go on; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(slots=True)
class _Frame:
    node: YNode
    anchor: str | None
    key: str | None = None
    key_line: int = 0
    merges: list[tuple[YNode, int]] | None = None


def read_yaml(path: Path, display: str) -> tuple[YNode | None, list[Problem]]:
    """Read a YAML file safely into a located tree.

    Args:
        path: The file to read.
        display: How to name the file in problems.

    Returns:
        The tree (None when the file could not be read) and the problems found. Problems in
        reading are never raised.
    """
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text, refusing what is not a regular file, too big, or not UTF-8."""

    def fail(code: str, message: str, line: int | None = None) -> tuple[None, list[Problem]]:
        return None, [Problem(display, line, "", message, code)]

    try:
        if path.is_dir():
            return fail("E002", "is a directory, not a scenario file")
        if not path.exists():
            return fail("E001", "no such file")
        if not path.is_file():
            return fail("E002", "is not a regular file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            return fail("E003", f"file is {_size(size)}; the limit is {_size(MAX_BYTES)}")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return fail("E001", f"cannot read the file: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return fail("E003", f"file is larger than {_size(MAX_BYTES)}, the limit")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail("E004", "file is UTF-16 (it starts with a UTF-16 byte order mark)", 1)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return fail("E004", "the file has NUL bytes: it is UTF-16 or binary, not UTF-8 text", line)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return fail(
            "E004",
            f"byte 0x{bad} is not UTF-8 (the file may be Latin-1 or Windows-1252); "
            "save it as UTF-8",
            line,
        )
    return text, []


def parse_yaml(text: str, display: str) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML text into a located tree; see :func:`read_yaml`."""
    problems = _scan_characters(text, display)
    if problems:
        return None, problems
    deep = _flow_too_deep(text)
    if deep is not None:
        message = f"lists and mappings are nested more than {MAX_DEPTH} deep"
        return None, [Problem(display, deep, "", message, "E012")]
    try:
        return _compose(text, display)
    except _Fatal as fatal:
        return None, [fatal.problem]
    except yaml.YAMLError as exc:
        return None, _syntax_problems(text, display, exc)


def _scan_characters(text: str, display: str) -> list[Problem]:
    problems: list[Problem] = []
    for match in _NON_PRINTABLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        char = f"U+{ord(match.group()):04X}"
        problems.append(
            Problem(display, line, "", f"control character {char} is not allowed in YAML", "E005")
        )
        if len(problems) >= MAX_LISTED:
            break
    return problems


def _flow_too_deep(text: str) -> int | None:
    """Line at which [ and { nest deeper than MAX_DEPTH, or None.

    PyYAML's pure-Python scanner is quadratic in the depth of flow nesting, so deep brackets are
    refused before parsing. Quoted text and comments are skipped; brackets in plain text could
    only make this stricter, and 64 levels of them do not occur in a real scenario.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    quote = ""
    comment = False
    line = 1
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            comment = False
        elif comment:
            pass
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
    return None


def _syntax_problems(text: str, display: str, exc: yaml.YAMLError) -> list[Problem]:
    # libyaml's messages are terser; on failure re-parse with PyYAML for its wording (small
    # files only: the pure-Python parser is slow)
    if _PARSER is not yaml.SafeLoader and len(text) < 200_000:
        try:
            for _ in yaml.parse(text, Loader=yaml.SafeLoader):
                pass
        except yaml.YAMLError as pure:
            exc = pure
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    tabs = [
        i for i, ln in enumerate(text.split("\n"), start=1) if _TAB_INDENT.match(ln) and ln.strip()
    ]
    if tabs and (line is None or line >= tabs[0]):
        listed = [
            Problem(display, i, "", "line is indented with a tab; use spaces", "E006")
            for i in tabs[:MAX_LISTED]
        ]
        if len(tabs) > MAX_LISTED:
            listed.append(
                Problem(display, None, "", f"{len(tabs) - MAX_LISTED} more lines with tabs", "E006")
            )
        return listed
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    if "nesting depth" in problem:
        message = f"lists and mappings are nested more than {MAX_DEPTH} deep"
        return [Problem(display, line, "", message, "E012")]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    for needle, hint in _HINTS:
        if needle in message:
            message += f"; {hint}"
            break
    return [Problem(display, line, "", message, "E005")]


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.0f} kB"


_resolver = Resolver()
_constructor = SafeConstructor()
_SCALAR_BUILDERS = {
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _BOOL: _constructor.construct_yaml_bool,
    _TIMESTAMP: _constructor.construct_yaml_timestamp,
}


def _scalar(event: yaml.ScalarEvent, display: str, line: int) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag == _NULL:
        return None
    builder = _SCALAR_BUILDERS.get(tag)
    if builder is None:
        raise _Fatal(_unsafe_tag(display, line, tag))
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    try:
        value = builder(node)
    except (ValueError, ArithmeticError, yaml.YAMLError):
        # e.g. 2021-13-45 or an integer of 5,000 digits: keep the text, and let validation
        # say what the field expects
        return event.value
    if isinstance(value, dt.date):  # dates become ISO text, as in JSON
        return value.isoformat()
    return value


def _unsafe_tag(display: str, line: int, tag: str) -> Problem:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return Problem(
        display,
        line,
        "",
        f"tag {shown} is not allowed; scenario files hold only plain text, numbers, booleans, "
        "dates, lists and mappings (nothing is ever executed)",
        "E008",
    )


def _compose(text: str, display: str) -> tuple[YNode | None, list[Problem]]:
    problems: list[Problem] = []
    anchors: dict[str, YNode] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    root: YNode | None = None
    documents = 0
    values = 0

    def fatal(code: str, line: int | None, message: str) -> _Fatal:
        return _Fatal(Problem(display, line, "", message, code))

    def add(node: YNode, line: int) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent = frame.node
        if isinstance(parent.value, list):
            parent.value.append(node)
            return
        if frame.key is None:
            raise fatal("E010", line, "a key must be plain text, not a list or a mapping")
        key, key_line = frame.key, frame.key_line
        frame.key = None
        if key == "<<":
            if frame.merges is None:
                frame.merges = []
            frame.merges.append((node, key_line))
            return
        assert parent.keys is not None
        if key in parent.value:
            first = parent.keys[key][1]
            problems.append(
                Problem(
                    display,
                    key_line,
                    "",
                    f'duplicate key "{key}" (first at line {first}); YAML would keep only '
                    "the last one",
                    "E011",
                )
            )
        parent.value[key] = node
        parent.keys[key] = (display, key_line)

    def close(frame: _Frame, line: int) -> None:
        node = frame.node
        if frame.merges:
            _apply_merges(frame, display)
        children = node.value.values() if isinstance(node.value, dict) else node.value
        node.size = 1 + sum(child.size for child in children)
        if frame.anchor is not None:
            open_anchors.discard(frame.anchor)
        add(node, line)

    for event in yaml.parse(text, Loader=_PARSER):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise fatal(
                    "E005",
                    line,
                    "the file holds several YAML documents ('---'); a scenario file holds one",
                )
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            assert line is not None
            close(stack.pop(), line)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        assert line is not None
        values += 1
        if values > MAX_VALUES:
            raise fatal("E007", line, f"more than {MAX_VALUES} values; the file is too large")
        frame = stack[-1] if stack else None
        awaiting_key = (
            frame is not None and isinstance(frame.node.value, dict) and frame.key is None
        )
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor
            if anchor in open_anchors:
                raise fatal("E007", line, f"alias *{anchor} refers to itself (a recursive alias)")
            if anchor not in anchors:
                raise fatal(
                    "E005", line, f"alias *{anchor} refers to no anchor &{anchor} defined above"
                )
            if awaiting_key:
                raise fatal("E010", line, "an alias cannot be used as a key")
            target = anchors[anchor]
            values += target.size
            if values > MAX_VALUES:
                raise fatal(
                    "E007",
                    line,
                    f"aliases expand to more than {MAX_VALUES} values (a 'billion laughs' file?); "
                    "write the values out instead",
                )
            add(target, line)
            continue
        if isinstance(event, yaml.ScalarEvent):
            if awaiting_key:
                assert frame is not None
                tag = event.tag
                if tag not in (None, "!", _STR, _MERGE):
                    raise fatal(
                        "E010", line, f"key {event.value!r} has a tag; keys must be plain text"
                    )
                if event.value == "<<" and event.implicit[0]:
                    frame.key = "<<"
                elif event.value == "" or (event.implicit[0] and event.value in ("~", "null")):
                    raise fatal("E010", line, "a key is empty; write 'name: value'")
                else:
                    frame.key = event.value
                frame.key_line = line
                continue
            node = YNode(_scalar(event, display, line), display, line)
            if event.anchor is not None:
                anchors[event.anchor] = node
            add(node, line)
            continue
        if isinstance(event, yaml.CollectionStartEvent):
            if awaiting_key:
                raise fatal("E010", line, "a key must be plain text, not a list or a mapping")
            is_map = isinstance(event, yaml.MappingStartEvent)
            allowed = (None, "!", _MAP if is_map else _SEQ)
            if event.tag not in allowed:
                raise _Fatal(_unsafe_tag(display, line, event.tag))
            if len(stack) >= MAX_DEPTH:
                raise fatal(
                    "E012", line, f"lists and mappings are nested more than {MAX_DEPTH} deep"
                )
            node = YNode({} if is_map else [], display, line, {} if is_map else None)
            if event.anchor is not None:
                anchors[event.anchor] = node
                open_anchors.add(event.anchor)
            stack.append(_Frame(node, event.anchor))

    if documents == 0 or root is None or root.value is None:
        message = "the file is empty (no YAML content, only comments?)"
        return None, [Problem(display, None, "", message, "E009")]
    return root, problems


def _apply_merges(frame: _Frame, display: str) -> None:
    """Apply YAML merge keys (``<<: *base``): keys already present win, then earlier merges."""
    node = frame.node
    assert frame.merges is not None and node.keys is not None
    for value, line in frame.merges:
        sources = value.value if isinstance(value.value, list) else [value]
        for source in sources:
            if not isinstance(source.value, dict) or source.keys is None:
                message = "'<<' must merge a mapping or a list of them"
                raise _Fatal(Problem(display, line, "", message, "E010"))
            for key, child in source.value.items():
                if key not in node.value:
                    node.value[key] = child
                    node.keys[key] = source.keys[key]


def to_data(node: YNode) -> tuple[Any, dict[tuple[str | int, ...], Pos]]:
    """Turn a located tree into plain data and a table of positions by path.

    Paths are tuples of keys and list indices, as in pydantic error locations.
    """
    positions: dict[tuple[str | int, ...], Pos] = {}

    def walk(n: YNode, path: tuple[str | int, ...], key: tuple[str, int] | None) -> Any:
        positions[path] = Pos(n.file, n.line, *(key or (None, None)))
        value = n.value
        if isinstance(value, dict):
            keys = n.keys or {}
            return {k: walk(v, (*path, k), keys.get(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i), None) for i, v in enumerate(value)]
        return value

    return walk(node, (), None), positions
