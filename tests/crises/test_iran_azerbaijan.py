"""Crisis 1, Iran-Azerbaijan 2021: its facts over 500 fixed seeds at default settings.

Only the levy is scripted; every fact is measured on what the AI chose. Tolerances: the bands
below are the issue's facts, restated here so that a band loosened in sim/crises fails this file.
Each "can fail" test shows the fact measured by the same code leaves its band when the reason
for it is taken away.
"""

from __future__ import annotations

import functools

import helpers
import pytest

from sim.crises import CRISES, Fact, Measured
from sim.crises.iran_azerbaijan import rises_strictly, willingness_by_drones

CRISIS = CRISES["iran_azerbaijan"]
SEEDS = range(500)
BANDS = {
    "iran_display": (0.5, 1.0),  # "in most runs"
    "settled": (0.5, 1.0),  # "in most runs"
    "settle_turn": (6.0, 12.0),  # "typically within 6-12 turns" (median)
    "war": (0.0, 0.05),  # "war in under 5% of runs"
}


@functools.cache
def measured(**changes: float) -> Measured:
    if not changes:
        return helpers.crisis_facts(CRISIS.scenario, len(SEEDS))
    return CRISIS.measure(dict(changes), SEEDS)


def test_the_bands_are_the_facts_of_the_issue() -> None:
    assert {f.name: (f.lo, f.hi) for f in CRISIS.facts} == BANDS


@pytest.mark.parametrize("fact", CRISIS.facts, ids=lambda f: f.name)
def test_the_crisis_reproduces_its_fact(fact: Fact) -> None:
    helpers.assert_fact(fact, measured())


def test_without_a_deterrent_signal_iran_rarely_answers_the_levy_with_force() -> None:
    """The display is Iran's answer to coercion (deter_signal): with the weight at 0 the fact
    fails, so the test above measures a reason, not noise."""
    assert not CRISIS.facts[0].holds(measured(deter_signal=0.0)["iran_display"])


def test_with_grievances_that_never_fade_the_crisis_does_not_settle() -> None:
    assert measured(grievance_decay=1.0)["settled"] < BANDS["settled"][0]


# ----------------------------------------------------------------------------------------------
# "Raising Azerbaijan's drone balance raises its willingness to escalate"


@functools.cache
def willingness(no_drone_edge: bool = False):
    if not no_drone_edge:
        return willingness_by_drones(seeds=SEEDS)
    base = CRISIS.load()
    parity = base.rules.drone_parity.model_copy(update={"weight": 0.0})
    flat = base.model_copy(update={"rules": base.rules.model_copy(update={"drone_parity": parity})})
    off = {"force_drone_edge": 0.0, "desire_drone_edge": 0.0, "strike_success_gain": 0.0}
    return willingness_by_drones(seeds=SEEDS, params=off, scenario=flat)


@pytest.mark.parametrize("column", ["p_escalate", "p_display"])
def test_more_drones_make_azerbaijan_readier_to_escalate_against_both_rivals(column: str) -> None:
    """All else fixed (the opening state of each of 500 seeds), the probability Azerbaijan's
    AI gives to escalating against Iran and against Armenia rises at every step of its fleet,
    0 to 4 times the scenario's."""
    assert rises_strictly(willingness(), column) == {"iran": True, "armenia": True}


def test_the_willingness_fact_fails_when_drones_give_no_edge() -> None:
    """With drone parity's weight and the decisions' drone terms at 0, the fleet's size changes
    nothing Azerbaijan weighs: the fact above fails."""
    assert rises_strictly(willingness(no_drone_edge=True)) == {"iran": False, "armenia": False}
