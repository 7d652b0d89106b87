"""Crisis 3, Israel-Azerbaijan-Iran 2023: its facts over 500 fixed seeds at default settings.

Only the Israeli president's state visit is scripted; every fact is measured on what the AI
chose (sim/crises/israel_azerbaijan_iran.py says how). Tolerances: the bands below are the
issue's facts, restated here so that a band loosened in sim/crises fails this file. Each "can
fail" test takes away the reason for a fact and shows the same measurement leaves its band.
"""

from __future__ import annotations

import functools

import helpers
import pytest

from sim.crises import CRISES, Fact, Measured
from sim.scenario import Scenario

CRISIS = CRISES["israel_azerbaijan_iran"]
SEEDS = range(500)
BANDS = {
    "partnership": (0.5, 1.0),  # "the partnership deepens (arms deliveries, visits)": most runs
    "gray_zone": (0.5, 1.0),  # "most Iran-Israel interaction stays in the gray zone (rung 4)"
    "direct_war": (0.0, 0.03),  # "direct war in under 3% of runs"
}


def without(*rules: str) -> Scenario:
    """The crisis with the named rules switched off."""
    return helpers.without_rules(CRISIS.load(), *rules)


@functools.cache
def measured(variant: str = "defaults") -> Measured:
    if variant == "defaults":
        return helpers.crisis_facts(CRISIS.scenario, len(SEEDS))
    if variant == "no alliances":
        return CRISIS.measure(seeds=SEEDS, scenario=without("alliances"))
    if variant == "no gray-zone tools":
        return CRISIS.measure(seeds=SEEDS, scenario=without("cyber"))
    if variant == "answered in kind":
        return CRISIS.measure({"reciprocity": 1.2}, SEEDS)
    if variant == "war costs nothing":
        return CRISIS.measure({"war_aversion": 0.0}, SEEDS)
    if variant == "war costs nothing, Israel uncommitted":
        scen = CRISIS.load()
        alliances = [
            a.model_copy(update={"credibility": 0.0}) if a.patron == "israel" else a
            for a in scen.alliances
        ]
        scen = scen.model_copy(update={"alliances": alliances})
        return CRISIS.measure({"war_aversion": 0.0}, SEEDS, scen)
    raise KeyError(variant)


def test_the_bands_are_the_facts_of_the_issue() -> None:
    assert {f.name: (f.lo, f.hi) for f in CRISIS.facts} == BANDS


@pytest.mark.parametrize("fact", CRISIS.facts, ids=lambda f: f.name)
def test_the_crisis_reproduces_its_fact(fact: Fact) -> None:
    helpers.assert_fact(fact, measured())


def test_without_the_alliance_the_partnership_does_not_deepen() -> None:
    """The partnership is the alliance's: with the alliances rule off there are no arms to ship
    or order and no partner to visit, and most runs see no Israeli-Azerbaijani cooperation."""
    assert measured("no alliances")["partnership"] < BANDS["partnership"][0]


def test_without_gray_zone_tools_the_rivalry_is_fought_with_threats_and_alerts() -> None:
    """Cyber attacks, covert operations and arrests (the cyber rule) are how the two rivals hurt
    each other below the threshold of force: with the rule off, their hostility moves to
    protests, threats and alerts, and the fact fails."""
    assert measured("no gray-zone tools")["gray_zone"] < BANDS["gray_zone"][0]


def test_a_rivalry_answered_in_kind_leaves_the_gray_zone() -> None:
    """The gray zone holds because each side answers less than in kind (the fitted
    reciprocity 0.56): with tit for tat above one (1.2, the hotter copy of the behaviour tests),
    most hostile acts between Iran and Israel are threats, alerts and strikes."""
    assert measured("answered in kind")["gray_zone"] < BANDS["gray_zone"][0]


def test_without_the_cost_of_war_israel_joins_azerbaijans_war_on_iran() -> None:
    """What keeps Iran and Israel out of a direct war is its cost: at war_aversion 0 Iran and
    Azerbaijan go to war and Israel, Azerbaijan's patron, joins against Iran in more than 3% of
    runs. The war comes only through that commitment: with Israel's credibility at 0 there is
    none, even at no cost."""
    assert measured("war costs nothing")["direct_war"] > BANDS["direct_war"][1]
    assert measured("war costs nothing, Israel uncommitted")["direct_war"] == 0.0
