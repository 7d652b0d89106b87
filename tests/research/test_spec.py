"""Sweep specs: what may vary, within which bounds, and errors that say where and how to fix.

Every bad spec is refused with a located one-line problem per mistake (file:line: field:
message [code]); nothing runs or is written (the CLI tests check the exit code and folder).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.research.design import points
from sim.research.spec import SpecError, load_spec, spec_from_data, sweepable
from sim.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parents[2] / "docs/examples/sweeps/war_aversion_grid.yaml"

BASE = """\
sweep_version: 1
name: t
scenario: iran_azerbaijan
parameters:
  war_aversion: {min: 0.5, max: 2.0}
  misperception: {min: 0.0, max: 0.6}
design: {kind: lhs, samples: 20, seed: 3}
replicates: 4
out: results
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, text))
    return str(err.value).splitlines()


def test_the_example_loads_with_its_folder_beside_it() -> None:
    sw = load_spec(EXAMPLE)
    assert [f.name for f in sw.factors] == ["war_aversion", "misperception"]
    assert sw.out.resolve() == (EXAMPLE.parent / sw.spec.out).resolve()
    assert len(points(sw)) == 16
    assert load_spec(EXAMPLE, out="elsewhere").out == Path("elsewhere")


def test_the_out_folder_is_said_as_the_user_would_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert load_spec(EXAMPLE).out == Path("results/war_aversion_grid")  # no '../../..'
    monkeypatch.chdir(tmp_path)  # outside the working directory: absolute
    assert load_spec(EXAMPLE).out == REPO.resolve() / "results" / "war_aversion_grid"


def test_the_fingerprint_names_the_runs_not_the_folder(tmp_path: Path) -> None:
    a = load_spec(write(tmp_path, BASE))
    b = load_spec(write(tmp_path, BASE.replace("out: results", "out: other")))
    c = load_spec(write(tmp_path, BASE.replace("replicates: 4", "replicates: 5")))
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_weights_and_rule_parameters_are_sweepable_with_the_scenarios_bounds() -> None:
    scenario = load_scenario("iran_azerbaijan")
    allowed = sweepable(scenario)
    assert allowed["temperature"].lo == 0.05 and allowed["temperature"].hi == 3.0  # scenario's
    assert allowed["war_aversion"].kind == "weight"
    lethality = allowed["rules.combat.lethality"]
    assert lethality.kind == "rule"
    turns = allowed["rules.alliances.delivery_turns"]
    assert turns.integer and (turns.lo, turns.hi) == (1, 52)
    assert "rules.mediation.mediators" not in allowed  # not a number
    assert not any(n.startswith("rules.mediation.") and "enabled" in n for n in allowed)


def test_an_unknown_parameter_is_named_on_its_line_with_a_suggestion(tmp_path: Path) -> None:
    lines = problems(tmp_path, BASE.replace("war_aversion:", "war_avresion:"))
    assert len(lines) == 1
    assert lines[0].startswith("s.yaml:5: parameters.war_avresion") or ":5:" in lines[0]
    assert "did you mean war_aversion" in lines[0] and "[E502 not-sweepable]" in lines[0]


def test_a_rule_parameter_of_a_rule_the_scenario_lacks_is_refused(tmp_path: Path) -> None:
    lines = problems(tmp_path, BASE.replace("war_aversion:", "rules.combat.speed:"))
    assert "E502" in lines[0] and "rules.combat.lethality" in lines[0]


def test_a_range_outside_the_scenarios_bounds_is_refused_on_its_line(tmp_path: Path) -> None:
    lines = problems(
        tmp_path,
        BASE.replace("misperception: {min: 0.0, max: 0.6}", "temperature: {min: 0.01, max: 9}"),
    )
    assert len(lines) == 2
    assert all(":6:" in line and "E503 out-of-bounds" in line for line in lines)
    assert "outside [0.05, 3]" in lines[0]


def test_type_errors_and_typos_of_fields_are_located(tmp_path: Path) -> None:
    lines = problems(tmp_path, BASE.replace("replicates: 4", "replicate: four"))
    assert len(lines) == 1 and ":8:" in lines[0] and "replicates" in lines[0]
    lines = problems(tmp_path, BASE.replace("samples: 20", "samples: many"))
    assert ":7:" in lines[0] and "design.samples" in lines[0]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("kind: lhs, samples: 20", "kind: grid"), "steps"),
        (("kind: lhs, samples: 20", "kind: sobol, samples: 20"), "power of 2"),
        (("kind: lhs, samples: 20", "kind: morris, samples: 4, levels: 3"), "even"),
        (("kind: lhs, samples: 20", "kind: lhs"), "needs samples"),
        (("{min: 0.5, max: 2.0}", "{values: [0.5, 1.0]}"), "instead of values"),
        (("{min: 0.5, max: 2.0}", "{min: 2.0, max: 0.5}"), "must be above min"),
        (("{min: 0.5, max: 2.0}", "{min: 0.5, max: 2.0, distribution: normal}"), "mean"),
        (("samples: 20,", "samples: 200,"), "E505"),
    ],
)
def test_what_each_design_needs_is_checked(
    tmp_path: Path, change: tuple[str, str], needle: str
) -> None:
    text = BASE.replace(*change)
    if needle == "E505":  # 200 points x 1,000,000 replicates = 2e8 runs, over the limit
        text = text.replace("replicates: 4", "replicates: 1000000")
    assert text != BASE
    lines = problems(tmp_path, text)
    assert any(needle in line for line in lines), lines


def test_an_unknown_scenario_and_broken_yaml_are_one_line_each(tmp_path: Path) -> None:
    lines = problems(tmp_path, BASE.replace("scenario: iran_azerbaijan", "scenario: atlantis"))
    assert len(lines) == 1 and ":3:" in lines[0] and "no such scenario 'atlantis'" in lines[0]
    lines = problems(tmp_path, BASE.replace("design: {kind: lhs", "design: {kind: lhs:"))
    assert len(lines) >= 1 and "s.yaml:7" in lines[0]
    with pytest.raises(SpecError, match="no such sweep file"):
        load_spec(tmp_path / "missing.yaml")


def test_a_spec_given_as_data_is_checked_the_same_way() -> None:
    data = {
        "sweep_version": 1,
        "name": "page",
        "scenario": "iran_azerbaijan",
        "parameters": {"war_aversion": {"min": 0.5, "max": 9.0, "steps": 3}},
        "design": {"kind": "grid"},
        "replicates": 2,
        "out": "x",
    }
    with pytest.raises(SpecError) as err:
        spec_from_data(data)
    assert err.value.problems[0].field == "parameters.war_aversion.max"
    data["parameters"] = {"war_aversion": {"min": 0.5, "max": 2.0, "steps": 3}}
    assert np.allclose(points(spec_from_data(data)).war_aversion, [0.5, 1.25, 2.0])


def test_an_invalid_scenario_is_named_with_its_first_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (Path(__file__).resolve().parents[2] / "scenarios/iran_azerbaijan.yaml").read_text()
    broken.write_text(text.replace("horizon_turns:", "horizon_turns: -3\n  old_horizon:", 1))
    lines = problems(tmp_path, BASE.replace("scenario: iran_azerbaijan", "scenario: broken.yaml"))
    assert len(lines) == 1 and ":3:" in lines[0] and "[E501 sweep-scenario-invalid]" in lines[0]
    assert "broken.yaml" in lines[0]


def test_an_open_bound_of_a_rule_parameter_is_refused_before_anything_runs(
    tmp_path: Path,
) -> None:
    """rules.combat.lethality must be greater than 0: a range from 0 is refused up front
    (it used to pass and fail in every worker)."""
    text = BASE.replace(
        "misperception: {min: 0.0, max: 0.6}", "rules.combat.lethality: {min: 0, max: 0.1}"
    )
    lines = problems(tmp_path, text)
    assert len(lines) == 1 and "E503" in lines[0] and "(0, " in lines[0]
    ok = BASE.replace(
        "misperception: {min: 0.0, max: 0.6}", "rules.combat.lethality: {min: 0.001, max: 0.1}"
    )
    assert load_spec(write(tmp_path, ok)).factors[1].open_low
