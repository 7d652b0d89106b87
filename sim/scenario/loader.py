"""Load and validate scenario files, reporting every problem with its file, line and field.

The steps for one file: read it safely (:mod:`sim.scenario.yaml_source`), follow ``extends:``
(:mod:`sim.scenario.extends`), validate the result against the models in strict JSON mode (so a
quoted "12" is not taken for a number, as the JSON Schema would not take it either), run the
cross-field checks (:mod:`sim.scenario.checks`), and turn everything into :class:`Problem` lines
such as ``scenarios/x.yaml:41: actors[id=armenia].drones[0].range_km: expected a number greater
than 0, got "far" [E203 wrong-type]``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from sim.scenario.checks import check
from sim.scenario.extends import MAX_CHAIN, find_parent, merge
from sim.scenario.messages import Locator, translate_all
from sim.scenario.models import Scenario
from sim.scenario.problems import FileReport, Problem, ScenarioError, display_path
from sim.scenario.yaml_source import YNode, read_yaml, to_data

#: The folder of the project's scenarios.
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
#: Most problems reported for one file; the rest are summarised in one line.
MAX_PROBLEMS = 100

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

__all__ = [
    "SCENARIO_DIR",
    "FileReport",
    "Problem",
    "ScenarioError",
    "display_path",
    "list_scenarios",
    "load_scenario",
    "resolve",
    "scenario_hash",
    "validate_file",
    "validate_paths",
]


def resolve(ref: str | Path) -> Path:
    """Return the path of a scenario given a path or a scenario id.

    Args:
        ref: A path to a ``.yaml``/``.yml`` file, or the id of a scenario in scenarios/.

    Raises:
        ScenarioError: No such file or scenario.
    """
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        if path.is_file():
            return path
        problem = Problem(display_path(path), None, "", "no such scenario file", "E001")
        raise ScenarioError([problem])
    name = str(ref)
    if _ID.match(name):
        for suffix in (".yaml", ".yml"):
            candidate = SCENARIO_DIR / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    known = ", ".join(p.stem for p in list_scenarios())
    problem = Problem(
        name,
        None,
        "",
        f"no such scenario: not a .yaml file, nor an id in {display_path(SCENARIO_DIR)} "
        f"(ids: {known})",
        "E001",
    )
    raise ScenarioError([problem])


def load_scenario(ref: str | Path) -> Scenario:
    """Load and validate a scenario from a path or an id.

    Args:
        ref: A path to a ``.yaml``/``.yml`` file, or the id of a scenario in scenarios/.

    Returns:
        The validated scenario, with any ``extends`` applied.

    Raises:
        ScenarioError: The scenario cannot be found, read or validated; ``str()`` lists every
            problem, one per line, and ``.problems`` holds them.
    """
    report = validate_file(resolve(ref))
    if report.scenario is None:
        raise ScenarioError(report.problems)
    return report.scenario


def validate_paths(
    paths: Sequence[str | Path], scenario_dir: Path | None = None
) -> list[FileReport]:
    """Validate scenario files; what ``borderline validate`` runs.

    Args:
        paths: Files to validate; when empty, every file in scenarios/. A path that does not
            exist or is a directory gives a report with a problem, not an exception.
        scenario_dir: The folder ``extends:`` falls back to (default: scenarios/).

    Returns:
        One report per file, in the order given.
    """
    targets = [Path(p) for p in paths] if paths else list_scenarios(scenario_dir)
    return [validate_file(p, scenario_dir) for p in targets]


def validate_file(path: Path, scenario_dir: Path | None = None) -> FileReport:
    """Load and validate one file, collecting all its problems; never raises for bad input.

    Args:
        path: The file.
        scenario_dir: The folder ``extends:`` falls back to (default: scenarios/).
    """
    start = time.perf_counter()
    display = display_path(path)
    try:
        report = _validate(path, display, scenario_dir or SCENARIO_DIR)
    except Exception as exc:  # a bug must not become a traceback for an author
        problem = Problem(
            display, None, "", f"internal error: {type(exc).__name__}: {exc}"[:300], "E014"
        )
        report = FileReport(path=path, problems=[problem])
    report.seconds = time.perf_counter() - start
    return report


def _validate(path: Path, display: str, base: Path) -> FileReport:
    report = FileReport(path=path)
    extends_line: list[int] = []
    tree, problems = _load_tree(path, display, base, [], extends_line)
    if tree is not None:
        data, positions = to_data(tree)
        locator = Locator(data, positions, display)
        scenario: Scenario | None = None
        try:
            scenario = Scenario.model_validate_json(
                json.dumps(data), strict=True, context={"skip_checks": True}
            )
        except ValidationError as exc:
            for loc, code, message, kind in translate_all(exc.errors(include_url=False)):
                problems.append(locator.problem(loc, code, message, kind))
        problems.extend(locator.finding(f) for f in check(data))
        problems.extend(_file_checks(path, data, locator, base))
        if not problems:
            report.scenario = scenario
    report.problems = _tidy(problems, display, extends_line[0] if extends_line else None)
    return report


def _file_checks(path: Path, data: object, locator: Locator, base: Path) -> list[Problem]:
    """Checks that depend on where the file is: a scenario's id is its file name."""
    if not isinstance(data, dict) or path.absolute().parent != base.absolute():
        return []
    metadata = data.get("metadata")
    ident = metadata.get("id") if isinstance(metadata, dict) else None
    if isinstance(ident, str) and ident != path.stem:
        return [
            locator.problem(
                ("metadata", "id"),
                "E306",
                f'id "{ident}" differs from the file name; set it to "{path.stem}" (scenarios '
                "are looked up by id)",
            )
        ]
    return []


def _load_tree(
    path: Path, display: str, base: Path, chain: list[Path], extends_line: list[int]
) -> tuple[YNode | None, list[Problem]]:
    """Read a file and apply its ``extends`` chain; returns the merged tree and problems.

    The line of the first file's ``extends:`` key is appended to ``extends_line``.
    """
    tree, problems = read_yaml(path, display)
    if tree is None:
        return None, problems
    if not isinstance(tree.value, dict) or tree.keys is None:
        kind = "a list" if isinstance(tree.value, list) else "a single value"
        problems.append(
            Problem(
                display,
                tree.line,
                "",
                f"the file must be a mapping of fields (schema_version:, metadata:, actors:, "
                f"...), got {kind}",
                "E010",
            )
        )
        return None, problems
    if "extends" not in tree.value:
        return tree, problems
    ref = tree.value["extends"]
    key_line = tree.keys["extends"][1]
    if not chain:
        extends_line.append(key_line)
    value = {k: v for k, v in tree.value.items() if k != "extends"}
    keys = {k: v for k, v in tree.keys.items() if k != "extends"}
    child = YNode(value, tree.file, tree.line, keys, tree.size - ref.size)
    if ref.value is None:
        return child, problems

    def fail(code: str, message: str) -> tuple[None, list[Problem]]:
        problems.append(Problem(display, key_line, "extends", message, code))
        return None, problems

    roots = list(dict.fromkeys([path.parent.absolute(), base.absolute()]))
    parent, code, message = find_parent(ref.value, path, roots)
    if parent is None:
        assert code is not None
        return fail(code, message)
    here = [*chain, path.resolve()]
    if parent.resolve() in here:
        cycle = " -> ".join(p.name for p in [*here, parent.resolve()])
        return fail("E402", f"extends cycle: {cycle}; the chain must end in a full scenario")
    if len(here) >= MAX_CHAIN:
        return fail("E402", f"more than {MAX_CHAIN} files in the chain of extends")
    parent_tree, parent_problems = _load_tree(
        parent, display_path(parent), base, here, extends_line
    )
    problems.extend(parent_problems)
    if parent_tree is None:
        if not parent_problems:  # pragma: no cover - a failed load always says why
            return fail("E401", f"cannot read {display_path(parent)}")
        return None, problems
    return merge(parent_tree, child, problems), problems


def _tidy(problems: list[Problem], display: str, extends_line: int | None) -> list[Problem]:
    """Deduplicate, order by line and cap the problems.

    A problem found in a parent scenario is reported at this file's ``extends:`` line, with
    the parent's file and line in its message: every problem of a report is in its file.
    """
    unique = list(
        dict.fromkeys(
            p
            if p.path == display
            else replace(
                p,
                path=display,
                line=extends_line,
                message=f"{p.message} (at {p.path}{f':{p.line}' if p.line else ''}"
                + (")" if p.code.startswith("E4") else ", inherited through extends)"),
            )
            for p in problems
        )
    )
    unique.sort(key=lambda p: p.line or 0)
    if len(unique) > MAX_PROBLEMS:
        rest = len(unique) - MAX_PROBLEMS
        unique = [
            *unique[:MAX_PROBLEMS],
            Problem(display, None, "", f"{rest} more problems not shown", "E013"),
        ]
    return unique


def scenario_hash(scenario: Scenario) -> str:
    """Content hash of a validated scenario.

    It hashes the validated content (defaults filled in, ``extends`` applied), not the file's
    bytes, so comments, formatting and key order do not change it.

    Returns:
        The SHA-256 hex digest of the canonical JSON of the scenario.
    """
    canonical = json.dumps(
        scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def list_scenarios(folder: Path | None = None) -> list[Path]:
    """Scenario files (``*.yaml`` and ``*.yml``) in scenarios/ (or ``folder``), sorted by name."""
    root = folder or SCENARIO_DIR
    return sorted([*root.glob("*.yaml"), *root.glob("*.yml")], key=lambda p: p.name)
