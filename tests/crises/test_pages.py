"""docs/scenarios.md and docs/calibration.md (written by scripts/crises.py) say what the code does.

The pages are generated from a full run; these checks fail when a crisis, a fact, a measured
value, a figure or a weight on them is no longer what the code gives, so a change to the model,
a scenario or a fact that is not followed by `python scripts/crises.py` fails here.
"""

from __future__ import annotations

import json
import re

import helpers
import pytest

from sim import calibration
from sim.crises import CRISES, Crisis
from sim.scenario import load_scenario
from sim.weights import INDEX, TABLE

script = helpers.load_script("crises")
calibrate = helpers.load_script("calibrate")
DOCS = helpers.REPO / "docs"
SCENARIOS = DOCS / "scenarios.md"
CALIBRATION = DOCS / "calibration.md"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
RERUN = "stale: run `python scripts/crises.py` and commit docs/"


def section(page: str, crisis: Crisis) -> str:
    title = load_scenario(crisis.scenario).metadata.title
    head = f"## {crisis.order}. {title}\n"
    assert head in page, f"no section {head.strip()!r} in docs/scenarios.md; {RERUN}"
    return page.split(head, 1)[1].split("\n## ", 1)[0]


def row(text: str, first_cell: str) -> list[str]:
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row {first_cell!r}; {RERUN}")


@pytest.mark.parametrize("page", [SCENARIOS, CALIBRATION], ids=lambda p: p.name)
def test_the_page_is_generated_and_its_figures_exist(page) -> None:
    text = page.read_text(encoding="utf-8")
    assert script.GENERATED in text
    images = IMAGE.findall(text)
    assert images
    for rel in images:
        assert (page.parent / rel).is_file(), f"{page.name} shows {rel}, which is missing"


@pytest.mark.parametrize("crisis", CRISES.values(), ids=lambda c: c.scenario)
def test_each_fact_on_the_page_is_the_value_the_tests_measure(crisis: Crisis) -> None:
    """Seeds 0-499 at the defaults: the very numbers tests/crises asserts."""
    text = section(SCENARIOS.read_text(encoding="utf-8"), crisis)
    measured = helpers.crisis_facts(crisis.scenario)
    for fact in crisis.facts:
        cells = row(text, f"`{fact.name}`")
        assert cells[3] == fact.band(), (fact.name, cells, RERUN)
        assert cells[4] == script.value(measured[fact.name], fact.unit), (fact.name, cells, RERUN)


def test_the_calibration_page_shows_the_weights_as_they_are() -> None:
    text = CALIBRATION.read_text(encoding="utf-8")
    for name in calibrate.SEARCH:
        cells = row(text, f"`{name}`")
        assert cells[2] == f"{calibration.HAND_SET[name]:g}", (name, cells)
        assert cells[4] == f"{TABLE[INDEX[name]].value:g}", (name, cells, RERUN)
    for target in calibration.TARGETS:
        assert f"`{target.name}`" in text, (target.name, RERUN)


def test_the_fit_on_record_searched_the_bands_the_script_searches() -> None:
    fit = json.loads((DOCS / "data" / "calibration_fit.json").read_text(encoding="utf-8"))
    assert {k: tuple(v) for k, v in fit["search"].items()} == calibrate.SEARCH
    assert set(fit["weights"]) == set(calibrate.SEARCH) == set(calibration.HAND_SET)
