"""The loader's public API: resolve, load_scenario, ScenarioError, validate_paths, hashes."""

from __future__ import annotations

import json
import random
import shutil
import statistics
import time
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from sim.scenario import (
    SCENARIO_DIR,
    FileReport,
    Problem,
    Scenario,
    ScenarioError,
    list_scenarios,
    load_scenario,
    resolve,
    scenario_hash,
    validate_file,
    validate_paths,
)
from sim.scenario.messages import translate
from sim.scenario.problems import display_path
from sim.scenario.yaml_source import read_yaml, to_data

from .conftest import REPO, SCENARIOS, VALID_DIR

IRAN = SCENARIOS / "iran_azerbaijan.yaml"


# -- resolve and load --------------------------------------------------------------------------


def test_scenario_dir_is_the_repository_folder() -> None:
    assert SCENARIO_DIR == SCENARIOS


def test_resolve_by_id_and_by_path() -> None:
    assert resolve("iran_azerbaijan") == SCENARIOS / "iran_azerbaijan.yaml"
    assert resolve(IRAN) == IRAN
    assert resolve(str(IRAN)) == IRAN


@pytest.mark.parametrize("ref", ["no_such_crisis", "nowhere/x.yaml", "../scenarios/x", "A B"])
def test_resolve_unknown_raises_scenario_error(ref: str) -> None:
    with pytest.raises(ScenarioError) as info:
        resolve(ref)
    assert info.value.problems[0].code == "E001"
    assert "\n" not in str(info.value)


def test_load_scenario_by_id() -> None:
    scenario = load_scenario("iran_azerbaijan")
    assert isinstance(scenario, Scenario)
    assert scenario.metadata.id == "iran_azerbaijan"
    assert {a.id for a in scenario.actors} >= {"iran", "azerbaijan", "armenia"}


def test_load_scenario_raises_with_every_problem(tmp_path: Path) -> None:
    text = IRAN.read_text()
    text = text.replace("troops_k: 60", "troops_k: -60")
    text = text.replace("client: armenia", "client: armenai", 1)
    text = text.replace("at_turn: 1\n", "at_turn: 40\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(bad)
    codes = [p.code for p in info.value.problems]
    assert codes == ["E204", "E101", "E301"]  # in line order, all at once
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{display_path(bad)}:") for line in lines)


def test_scenario_error_from_a_message() -> None:
    error = ScenarioError("something went wrong")
    assert str(error) == "something went wrong"
    assert error.problems == []


def test_list_scenarios() -> None:
    found = list_scenarios()
    assert IRAN in found
    assert SCENARIOS / "iran_azerbaijan_drones.yaml" in found
    assert found == sorted(found, key=lambda p: p.name)


# -- the example from the issue, to the character ----------------------------------------------


def test_error_line_reads_like_the_issue_example(tmp_path: Path) -> None:
    lines = IRAN.read_text().splitlines(keepends=True)
    armenia = next(i for i, ln in enumerate(lines) if ln.strip() == "- id: armenia")
    economy = next(i for i in range(armenia, len(lines)) if "economy:" in lines[i])
    drone = "      - {type: Mohajer-6, count: 4, range_km: far, strike: 1.0}\n"
    lines[economy:economy] = ["    drones:\n", drone]
    bad = tmp_path / "x.yaml"
    bad.write_text("".join(lines))
    (report,) = validate_paths([bad])
    assert [str(p) for p in report.problems] == [
        f"{display_path(bad)}:{economy + 2}: actors[id=armenia].drones[0].range_km: expected a "
        'number greater than 0, got "far" [E203 wrong-type]'
    ]


def test_problem_renders_on_one_line() -> None:
    problem = Problem("scenarios/x.yaml", 41, "actors[id=a].name", "must not be empty", "E207")
    assert str(problem) == (
        "scenarios/x.yaml:41: actors[id=a].name: must not be empty [E207 wrong-length]"
    )
    assert problem.name == "wrong-length"
    assert (
        str(Problem("f.yaml", None, "", "is empty", "E009")) == "f.yaml: is empty [E009 empty-file]"
    )


# -- validate_paths ----------------------------------------------------------------------------


def test_validate_paths_defaults_to_every_scenario() -> None:
    reports = validate_paths([])
    assert [r.path for r in reports] == list_scenarios()
    assert all(isinstance(r, FileReport) and r.ok for r in reports), [
        str(p) for r in reports for p in r.problems
    ]
    assert all(r.scenario is not None for r in reports)


def test_missing_path_and_directory_are_problems(tmp_path: Path) -> None:
    missing, folder = validate_paths([tmp_path / "nope.yaml", tmp_path])
    assert [p.code for p in missing.problems] == ["E001"]
    assert [p.code for p in folder.problems] == ["E002"]
    assert not missing.ok and not folder.ok


def test_too_many_problems_are_capped(tmp_path: Path) -> None:
    data = yaml.safe_load(IRAN.read_text())
    data["events"] = [
        {"at_turn": 1, "actor": "iran", "action": f"bad_{i}", "target": "azerbaijan"}
        for i in range(150)
    ]
    bad = tmp_path / "many.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    (report,) = validate_paths([bad])
    assert len(report.problems) == 101
    assert report.problems[-1].code == "E013"
    assert "50 more problems" in report.problems[-1].message


def test_id_must_match_file_name_in_the_scenarios_folder(tmp_path: Path) -> None:
    shutil.copy(VALID_DIR / "minimal.yaml", tmp_path / "renamed.yaml")
    (report,) = validate_paths([tmp_path / "renamed.yaml"], scenario_dir=tmp_path)
    assert [(p.code, p.field) for p in report.problems] == [("E306", "metadata.id")]
    # outside the scenarios folder the name is free
    assert validate_paths([tmp_path / "renamed.yaml"])[0].ok


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = (VALID_DIR / "minimal.yaml").read_text().replace("\n", "\r\n")
    path = tmp_path / "minimal.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert validate_file(path).ok


def test_an_internal_error_is_a_problem_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.scenario import loader

    def broken(data: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "check", broken)
    report = validate_file(IRAN)
    assert [str(p) for p in report.problems] == [
        "scenarios/iran_azerbaijan.yaml: internal error: RuntimeError: boom [E014 internal-error]"
    ]


def test_translate_falls_back_to_pydantic_message() -> None:
    loc, code, message, _ = translate(
        {"type": "value_error", "loc": ("metadata",), "msg": "Value error, odd", "input": 1}
    )
    assert (loc, code, message) == (("metadata",), "E209", "value error, odd")


# -- extends -----------------------------------------------------------------------------------


def test_variant_merges_into_its_parent() -> None:
    parent = load_scenario("iran_azerbaijan")
    variant = load_scenario("iran_azerbaijan_drones")
    armenia = next(a for a in variant.actors if a.id == "armenia")
    assert [d.type for d in armenia.drones] == ["Mohajer-6"]
    assert armenia.forces == next(a for a in parent.actors if a.id == "armenia").forces
    supply = next(a for a in variant.alliances if a.patron == "iran")
    assert (supply.drone_supply, supply.drone_type, supply.credibility) == (2, "Mohajer-6", 0.2)
    assert variant.events == parent.events
    assert variant.metadata.sources == parent.metadata.sources
    assert variant.metadata.id == "iran_azerbaijan_drones"
    assert scenario_hash(variant) != scenario_hash(parent)


def test_every_way_of_changing_a_parent() -> None:
    s = load_scenario(VALID_DIR / "variant_of_all_fields.yaml")
    ids = [a.id for a in s.actors]
    assert ids == ["upland", "delta", "patronia", "mediatoria", "outsider"]
    upland = s.actors[0]
    assert [(d.type, d.count, d.range_km) for d in upland.drones] == [("Kestrel", 30, 250)]
    pair = next(r for r in s.relations if set(r.between) == {"upland", "delta"})
    assert (pair.tension, pair.border_km, pair.grievance["delta"]) == (0.7, 400, 0.5)
    assert not any("river_front" in r.between for r in s.relations)
    assert [(a.patron, a.client, a.credibility) for a in s.alliances] == [
        ("patronia", "delta", 0.1)
    ]
    assert [(e.id, e.at_turn) for e in s.events] == [
        ("dam_levy_protest", 2),
        (None, 3),
        (None, 4),
    ]
    assert s.rules.cyber is None
    assert s.rules.domestic is not None and s.rules.domestic.enabled
    assert s.rules.domestic.rally == 0.2
    assert s.time.start_date is None and s.time.turn_days == 5
    war = s.parameters["war_aversion"]  # type: ignore[index]
    assert (war.default, war.min, war.max) == (1.5, 0.5, 2.0)


def test_extends_chain_of_variants(tmp_path: Path) -> None:
    shutil.copy(VALID_DIR / "minimal.yaml", tmp_path / "minimal.yaml")
    (tmp_path / "second.yaml").write_text(
        "extends: minimal\nmetadata: {id: second, title: Second}\n"
    )
    (tmp_path / "third.yaml").write_text(
        "extends: second.yaml\nmetadata: {id: third}\ntime: {horizon_turns: 5}\n"
    )
    s = load_scenario(tmp_path / "third.yaml")
    assert (s.metadata.id, s.metadata.title, s.time.horizon_turns) == ("third", "Second", 5)


def test_extends_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    shutil.copy(VALID_DIR / "minimal.yaml", outside / "minimal.yaml")
    (inside / "parent.yaml").symlink_to(outside / "minimal.yaml")
    (inside / "child.yaml").write_text("extends: parent\nmetadata: {id: child}\n")
    (report,) = validate_paths([inside / "child.yaml"], scenario_dir=inside)
    assert [p.code for p in report.problems] == ["E403"]


def test_extends_too_long_a_chain(tmp_path: Path) -> None:
    shutil.copy(VALID_DIR / "minimal.yaml", tmp_path / "v0.yaml")
    for i in range(1, 12):
        (tmp_path / f"v{i}.yaml").write_text(f"extends: v{i - 1}\n")
    (report,) = validate_paths([tmp_path / "v11.yaml"])
    assert {p.code for p in report.problems} == {"E402"}


def test_problems_in_a_parent_point_at_the_parent(tmp_path: Path) -> None:
    parent = (VALID_DIR / "minimal.yaml").read_text().replace("gdp_busd: 40", "gdp_busd: -40")
    (tmp_path / "minimal.yaml").write_text(parent)
    (tmp_path / "child.yaml").write_text("extends: minimal\nmetadata: {id: child}\n")
    (report,) = validate_paths([tmp_path / "child.yaml"])
    (problem,) = report.problems
    line = parent.splitlines().index("    economy: {gdp_busd: -40}") + 1
    assert problem.path.endswith("child.yaml") and problem.line == 1  # the extends: line
    assert problem.code == "E204" and problem.field == "actors[id=south].economy.gdp_busd"
    assert f"minimal.yaml:{line}, inherited through extends" in problem.message


# -- hashes ------------------------------------------------------------------------------------


def test_hash_ignores_comments_formatting_and_key_order(tmp_path: Path) -> None:
    original = load_scenario(IRAN)
    data = yaml.safe_load(IRAN.read_text())
    data = dict(reversed(list(data.items())))
    copy = tmp_path / "iran_azerbaijan.yaml"
    copy.write_text(json.dumps(data, default=str, indent=1))  # JSON is YAML too
    assert scenario_hash(load_scenario(copy)) == scenario_hash(original)


def test_hash_of_a_variant_equals_that_of_the_same_content_written_out(tmp_path: Path) -> None:
    variant = load_scenario("iran_azerbaijan_drones")
    flat = tmp_path / "flat.yaml"
    flat.write_text(json.dumps(variant.model_dump(mode="json")))
    assert scenario_hash(load_scenario(flat)) == scenario_hash(variant)


def test_hash_changes_with_content(tmp_path: Path) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(IRAN.read_text().replace("troops_k: 60", "troops_k: 61"))
    assert scenario_hash(load_scenario(changed)) != scenario_hash(load_scenario(IRAN))
    assert len(scenario_hash(load_scenario(IRAN))) == 64


# -- the models on their own (the engine's path, without the loader) ---------------------------


def test_models_run_the_cross_checks_too() -> None:
    data = yaml.safe_load(IRAN.read_text())
    data["alliances"][0]["client"] = "nobody"
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    assert "E101" in str(info.value) and "alliances[0].client" in str(info.value)
    # the loader runs them itself, with line numbers, and skips them in the model
    Scenario.model_validate(data, context={"skip_checks": True})


def test_lines_are_kept_for_every_value() -> None:
    tree, problems = read_yaml(IRAN, "iran")
    assert tree is not None and not problems
    data, positions = to_data(tree)
    text = IRAN.read_text().splitlines()
    for path, pos in positions.items():
        if path and isinstance(path[-1], str) and pos.key_line is not None:
            assert f"{path[-1]}:" in text[pos.key_line - 1], (path, pos)
    assert data["actors"][0]["id"] == "iran"


# -- robustness: nothing raises, whatever the input --------------------------------------------


def test_random_bytes_never_raise(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    path = tmp_path / "noise.yaml"
    alphabet = b"abc:-[]{}&*!|>'\"#%@` \n\t,?~0123456789.\xc3\xa9\x00\x07"
    for _ in range(300):
        path.write_bytes(bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 200))))
        report = validate_file(path)
        assert report.problems or report.ok
        assert "E014" not in {p.code for p in report.problems}, report.problems


def test_random_edits_of_a_real_scenario_never_raise(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = IRAN.read_text().splitlines(keepends=True)
    path = tmp_path / "edited.yaml"
    for _ in range(150):
        edited = list(lines)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(edited))
            choice = rng.random()
            if choice < 0.4:
                del edited[i]
            elif choice < 0.7:
                edited.insert(i, edited[rng.randrange(len(edited))])
            else:
                j = rng.randrange(len(edited[i]) or 1)
                edited[i] = edited[i][:j] + rng.choice(" :-[{x") + edited[i][j + 1 :]
        path.write_text("".join(edited))
        report = validate_file(path)
        for problem in report.problems:
            assert "\n" not in str(problem)
            assert problem.code != "E014", str(problem)


# -- speed -------------------------------------------------------------------------------------


def test_loading_a_typical_scenario_takes_well_under_100_ms() -> None:
    load_scenario(IRAN)  # warm up imports
    times = []
    for _ in range(7):
        start = time.perf_counter()
        load_scenario(IRAN)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.1, f"median {statistics.median(times) * 1000:.1f} ms"


def test_repo_root_layout() -> None:
    assert (REPO / "pyproject.toml").is_file()
