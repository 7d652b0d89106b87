"""The tutorial in docs/authoring.md, followed literally, gives a file that validates and runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.scenario import load_scenario, scenario_hash, validate_paths

from .conftest import EXAMPLES, REPO, run_scenario

DOC = REPO / "docs" / "authoring.md"
TUTORIAL = EXAMPLES / "tutorial.yaml"
MODELINE_IN_SCENARIOS = "# yaml-language-server: $schema=../schema/scenario.schema.json\n"
MODELINE_IN_EXAMPLES = "# yaml-language-server: $schema=../../schema/scenario.schema.json\n"


def _blocks(marker: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"<!-- {marker} -->\n```yaml\n(.*?)```", text, re.S)


def tutorial_text() -> str:
    """The file the reader builds: every step's block, in order."""
    return "".join(_blocks("tutorial-step"))


def test_the_tutorial_has_its_steps() -> None:
    assert len(_blocks("tutorial-step")) >= 8


def test_the_steps_make_the_example_file() -> None:
    built = tutorial_text()
    assert built.startswith(MODELINE_IN_SCENARIOS)
    committed = TUTORIAL.read_text(encoding="utf-8")
    assert committed.startswith(MODELINE_IN_EXAMPLES)
    # the only difference: the schema line's path, relative to each file's folder
    assert committed.removeprefix(MODELINE_IN_EXAMPLES) == built.removeprefix(
        MODELINE_IN_SCENARIOS
    ), "docs/examples/tutorial.yaml differs from the tutorial's blocks put together"


def test_the_example_file_validates_and_runs() -> None:
    (report,) = validate_paths([TUTORIAL])
    assert report.ok, "\n".join(str(p) for p in report.problems)
    run_scenario(TUTORIAL, turns=4)


def test_followed_literally_in_a_scenarios_folder(tmp_path: Path) -> None:
    """Saved as scenarios/kaltz_dam.yaml, as the tutorial says, with the variant beside it."""
    (tmp_path / "kaltz_dam.yaml").write_text(tutorial_text(), encoding="utf-8")
    (variant_text,) = _blocks("tutorial-variant")
    (tmp_path / "kaltz_dam_drones.yaml").write_text(variant_text, encoding="utf-8")
    reports = validate_paths([], scenario_dir=tmp_path)
    assert [r.path.name for r in reports] == ["kaltz_dam.yaml", "kaltz_dam_drones.yaml"]
    for report in reports:
        assert report.ok, "\n".join(str(p) for p in report.problems)
    base = load_scenario(tmp_path / "kaltz_dam.yaml")
    variant = load_scenario(tmp_path / "kaltz_dam_drones.yaml")
    assert scenario_hash(base) == scenario_hash(load_scenario(TUTORIAL))
    dorelia = next(a for a in variant.actors if a.id == "dorelia")
    assert [d.type for d in dorelia.drones] == ["Harrier"]
    run_scenario(tmp_path / "kaltz_dam_drones.yaml", turns=3)


def test_the_deliberate_mistake_prints_what_the_tutorial_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- tutorial-mistake: (.+?) -> (.+?) -->\n```console\n\$ borderline validate (\S+)\n"
        r"(.*?)```",
        text,
        re.S,
    )
    assert match, "the deliberate-mistake block is missing"
    before, after, name, shown = match.groups()
    folder = tmp_path / "scenarios"
    folder.mkdir()
    built = tutorial_text()
    assert built.count(before) == 1
    (folder / "kaltz_dam.yaml").write_text(built.replace(before, after), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from typer.testing import CliRunner

    from sim.cli import app

    result = CliRunner().invoke(app, ["validate", name])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == shown.strip().splitlines()
