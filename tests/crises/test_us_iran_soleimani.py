"""Crisis 5, the killing of Soleimani (January 2020): its facts over 500 fixed seeds at defaults.

Only the US drone strike is scripted (turn 1, three-day turns); every fact is measured on what
the AI chose. Tolerances: the bands below are the issue's facts, restated here so that a band
loosened in sim/crises fails this file. The mediation fact's lower edge, 0.02 of tension, is
ours: about four standard errors of the seed-paired mean above zero at 500 seeds, so the fact
asks for a real effect, not noise. Each "can fail" test takes away the reason for a fact and
shows the same measurement leaves its band.

Iran's answer needs the ``retaliation`` weight (a use of force answering a fresh use of force),
proposed in /work/briefs/proposal_us_iran_soleimani.diff: without it the file fails.
"""

from __future__ import annotations

import functools

import helpers
import pandas as pd
import pytest

from sim.crises import CRISES, Fact, Measured
from sim.crises.us_iran_soleimani import (
    COMPARISON_COLUMNS,
    IRAN,
    US,
    mediation_comparison,
    tension_gap,
)
from sim.scenario import Scenario

CRISIS = CRISES["us_iran_soleimani"]
SEEDS = range(500)
BANDS = {
    "iran_retaliates": (0.5, 1.0),  # "Iran retaliates within one or two turns in most runs"
    "war": (0.0, 0.1),  # "full war in under 10%"
    # "runs where mediation happens lower tension faster than those without (same seeds,
    # mediator on and off)": mean tension gap from turn 2 to the horizon, at least 0.02
    "mediation_gap": (0.02, 1.0),
}


def with_beliefs(belief: float) -> Scenario:
    """Both the US and Iran overconfident by ``belief`` on the log-odds of winning."""
    scen = CRISIS.load()
    rels = [
        r.model_copy(update={"belief": {US: belief, IRAN: belief}})
        if set(r.between) == {US, IRAN}
        else r
        for r in scen.relations
    ]
    return scen.model_copy(update={"relations": rels})


def with_empty_talks() -> Scenario:
    """Talks that remove no tension (and, with ``mediation_forgive`` 1, forgive nothing)."""
    scen = CRISIS.load()
    assert scen.rules.mediation is not None
    med = scen.rules.mediation.model_copy(update={"success_tension_drop": 0.0})
    return scen.model_copy(update={"rules": scen.rules.model_copy(update={"mediation": med})})


@functools.cache
def measured(variant: str = "defaults") -> Measured:
    if variant == "defaults":
        return helpers.crisis_facts(CRISIS.scenario, len(SEEDS))
    if variant == "no retaliation":
        return CRISIS.measure({"retaliation": 0.0}, SEEDS)
    if variant == "mutual optimism":
        return CRISIS.measure(seeds=SEEDS, scenario=with_beliefs(2.0))
    if variant == "empty talks":
        return CRISIS.measure({"mediation_forgive": 1.0}, SEEDS, with_empty_talks())
    raise KeyError(variant)


@functools.cache
def comparison() -> pd.DataFrame:
    return mediation_comparison(seeds=SEEDS)


def test_the_bands_are_the_facts_of_the_issue() -> None:
    assert {f.name: (f.lo, f.hi) for f in CRISIS.facts} == BANDS


@pytest.mark.parametrize("fact", CRISIS.facts, ids=lambda f: f.name)
def test_the_crisis_reproduces_its_fact(fact: Fact) -> None:
    helpers.assert_fact(fact, measured())


def test_the_mediation_comparison_is_the_measured_fact() -> None:
    """The public table (docs/scenarios.md plots it) has one row per turn, the columns the docs
    script reads, and gives the same gap as the fact."""
    table = comparison()
    horizon = CRISIS.load().time.horizon_turns
    assert tuple(table.columns) == COMPARISON_COLUMNS
    assert table.turn.tolist() == list(range(1, horizon + 1))
    assert tension_gap(table) == pytest.approx(measured()["mediation_gap"], abs=1e-12)


def test_without_retaliation_iran_does_not_answer_the_strike_with_force() -> None:
    """Iran's answer is retaliation in kind (the ``retaliation`` weight): at 0 the fear of a far
    larger adversary wins and the fact fails, so the test above measures a reason."""
    assert measured("no retaliation")["iran_retaliates"] < BANDS["iran_retaliates"][0]


def test_with_mutual_optimism_the_crisis_ends_in_war() -> None:
    """War stays rare because neither side expects to win one (Fearon 1995): with both sides
    overconfident (belief +2 on the log-odds each), war comes in far more than 10% of runs."""
    assert measured("mutual optimism")["war"] > BANDS["war"][1]


def test_talks_that_ease_nothing_do_not_lower_tension_faster() -> None:
    """Mediation helps through what agreed talks do: the tension they remove and the grievance
    they forgive. Talks that remove none and forgive nothing leave the gap under its band."""
    assert measured("empty talks")["mediation_gap"] < BANDS["mediation_gap"][0]
