"""Every file in tests/data/invalid_scenarios gives its specific, clear problem; none crashes.

Each file starts with one or more marker lines::

    # expect: E202 line=18 field=actors[id=north].drones[0].rnage_km

naming the error code it must produce and, optionally, the line and field. The codes a file
produces must be exactly the codes it expects: no missing problem, and no noise.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.scenario import CODES, validate_paths
from sim.scenario.problems import display_path
from sim.scenario.yaml_source import MAX_BYTES

from .conftest import INVALID_DIR, REPO, borderline

FILES = sorted(INVALID_DIR.glob("*.yaml"))
_MARKER = re.compile(r"^# expect: (E\d{3})(?: line=(\d+))?(?: field=(.+))?$")

# codes tested elsewhere (tests/scenario/test_loader.py), not by a committed invalid file
CODES_TESTED_IN_LOADER = {"E001", "E002", "E003", "E013", "E014", "E209", "E306"}
#: The sweep-file codes are tested with sweep files (tests/research/test_spec.py).
CODES_TESTED_IN_SWEEPS = {"E501", "E502", "E503", "E504", "E505"}


@dataclass(frozen=True)
class Expect:
    code: str
    line: int | None
    field: str | None


def expectations(path: Path) -> list[Expect]:
    """The markers at the top of an invalid file (its first lines are ASCII in any encoding)."""
    out = []
    for raw in path.read_bytes().split(b"\n"):
        line = raw.decode("ascii", errors="replace").rstrip("\r")
        match = _MARKER.match(line)
        if match is None:
            break
        code, num, field = match.groups()
        out.append(Expect(code, int(num) if num else None, field))
    return out


def test_there_are_at_least_40_invalid_files() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_marker_on_first_line(path: Path) -> None:
    assert expectations(path), f"{path.name}: the first line must be '# expect: EXXX ...'"
    for expect in expectations(path):
        assert expect.code in CODES, f"{path.name}: unknown code {expect.code}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_invalid_file_gives_its_problem(path: Path) -> None:
    start = time.perf_counter()
    (report,) = validate_paths([path])
    elapsed = time.perf_counter() - start
    assert not report.ok
    assert report.scenario is None
    assert elapsed < 2.0, f"{path.name} took {elapsed:.2f} s"

    got = {p.code for p in report.problems}
    wanted = {e.code for e in expectations(path)}
    lines = "\n".join(str(p) for p in report.problems)
    assert got == wanted, f"{path.name}: expected {sorted(wanted)}, got:\n{lines}"

    for expect in expectations(path):
        matches = [
            p
            for p in report.problems
            if p.code == expect.code
            and (expect.line is None or (p.line == expect.line and p.path == display_path(path)))
            and (expect.field is None or p.field == expect.field)
        ]
        assert matches, f"{path.name}: no problem matches {expect}; got:\n{lines}"

    for problem in report.problems:
        text = str(problem)
        assert "\n" not in text, "one line per problem"
        assert text.endswith(f"[{problem.code} {problem.name}]")
        assert problem.message and "Traceback" not in text
        assert "YNode" not in text and "pydantic" not in text.lower()


def test_every_error_code_is_tested() -> None:
    in_files = {e.code for path in FILES for e in expectations(path)}
    untested = set(CODES) - in_files - CODES_TESTED_IN_LOADER - CODES_TESTED_IN_SWEEPS
    assert not untested, f"codes without a test: {sorted(untested)}"


def test_python_tags_execute_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # python_object_tag.yaml would run `touch borderline_pwned` under yaml.unsafe_load
    monkeypatch.chdir(tmp_path)
    for name in ("python_object_tag.yaml", "python_name_tag.yaml", "custom_tag.yaml"):
        (report,) = validate_paths([INVALID_DIR / name])
        assert [p.code for p in report.problems] == ["E008"]
    assert not (tmp_path / "borderline_pwned").exists()
    assert not (REPO / "borderline_pwned").exists()


def test_file_of_several_megabytes_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    line = "  - {type: Filler, count: 1, range_km: 100, strike: 1.0}\n"
    big.write_text("schema_version: 1\ndrones:\n" + line * (3_000_000 // len(line)))
    assert big.stat().st_size > 2 * MAX_BYTES
    start = time.perf_counter()
    (report,) = validate_paths([big])
    assert time.perf_counter() - start < 0.5
    assert [p.code for p in report.problems] == ["E003"]
    assert "MB" in report.problems[0].message


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    (report,) = validate_paths([empty])
    assert [p.code for p in report.problems] == ["E009"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "E012"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 200)), "E012"),
        ("a: &a [x, x]\n" + "".join(f"b{i}: &a [*a, *a, *a, *a]\n" for i in range(40)), "E007"),
        ("a: !!binary aGVsbG8=\n", "E008"),
        ("a: !!set {x, y}\n", "E008"),
        ("? [complex, key]\n: value\n", "E010"),
        ("a: *nowhere\n", "E005"),
        ("a: 1\n\x00b: 2\n", "E004"),
    ],
    ids=["deep-flow", "deep-block", "alias-chain", "binary", "set", "complex-key", "alias", "nul"],
)
def test_hostile_yaml(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    start = time.perf_counter()
    (report,) = validate_paths([path])
    assert time.perf_counter() - start < 1.0
    assert [p.code for p in report.problems] == [code], [str(p) for p in report.problems]


def test_cli_exit_code_2_and_no_traceback_for_every_invalid_file() -> None:
    result = borderline("validate", *(str(p.relative_to(REPO)) for p in FILES))
    assert result.returncode == 2, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for path in FILES:
        assert str(path.relative_to(REPO)) in output, f"{path.name} not reported"


@pytest.mark.parametrize(
    "name", ["alias_bomb", "python_object_tag", "non_utf8", "tabs", "empty", "extends_outside"]
)
def test_cli_on_hostile_files(name: str) -> None:
    path = INVALID_DIR / f"{name}.yaml"
    result = borderline("validate", str(path.relative_to(REPO)), timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    (report,) = validate_paths([path])
    for problem in report.problems:
        assert str(problem) in result.stdout + result.stderr


def test_cli_on_missing_file_and_directory(tmp_path: Path) -> None:
    result = borderline("validate", str(tmp_path / "nope.yaml"), str(tmp_path))
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "[E001 file-not-found]" in output and "[E002 not-a-file]" in output


def test_same_problems_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML without its C extension (a plain pip install on some platforms) agrees."""
    import yaml

    from sim.scenario import yaml_source

    with_c = {p: [str(x) for x in validate_paths([p])[0].problems] for p in FILES}
    monkeypatch.setattr(yaml_source, "_PARSER", yaml.SafeLoader)
    for path in FILES:
        (report,) = validate_paths([path])
        codes = sorted({x.code for x in report.problems})
        assert codes == sorted({e.code for e in expectations(path)}), path.name
        assert [str(x) for x in report.problems] == with_c[path], path.name
