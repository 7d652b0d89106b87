"""Crisis 4, Albania-Iran 2022: its facts over 500 fixed seeds at default settings.

Only Iran's cyberattack is scripted; its success and attribution are the cyber rule's draws, and
every fact is measured on what the AI chose. Tolerances: the bands below are the issue's facts,
restated here so that a band loosened in sim/crises fails this file. Each "can fail" test shows
the fact measured by the same code leaves its band when the reason for it is taken away.
"""

from __future__ import annotations

import functools

import helpers
import pytest

from sim.crises import CRISES, Fact, Measured
from sim.crises.albania_iran import attribution_turn
from sim.scenario import Scenario
from sim.scenario.models import DiplomaticStatus
from sim.weights import INDEX

CRISIS = CRISES["albania_iran"]
PROPOSAL = "/work/briefs/proposal_albania_iran.diff"
#: Without the proposal's attribution_response weight the model cannot reach two facts: an
#: attributed attack adds only cyber_grievance to the victim's grievance, too little for a rupture
#: (rung 2) to beat a display of force or calm. Strict: once the weight exists, they must pass.
MODEL_GAP = pytest.mark.xfail(
    "attribution_response" not in INDEX,
    strict=True,
    reason=f"attribution does not yet give a reason to answer diplomatically; see {PROPOSAL}",
)
NEEDS_PROPOSAL = {"severs_after_attribution", "partners_back_albania"}
SEEDS = range(500)
BANDS = {
    "severs_after_attribution": (0.5, 1.0),  # "after attribution Albania severs ties in most runs"
    "militarized": (0.0, 0.1),  # "militarized escalation (MID level >= 3) in under 10%"
    "partners_back_albania": (0.5, 1.0),  # "partners' support for Albania rises" (most runs)
}


def variant(name: str) -> Scenario:
    """The crisis's scenario with one reason for a fact taken away."""
    scen = CRISIS.load()
    if name == "no attribution":  # the attack is never traced to Iran
        cyber = scen.rules.cyber
        assert cyber is not None
        rules = scen.rules.model_copy(
            update={"cyber": cyber.model_copy(update={"attribution": 0.0})}
        )
        return scen.model_copy(update={"rules": rules})
    if name == "full ties":  # Albania had not downgraded ties in 2018
        rels = [
            r.model_copy(update={"diplomatic_status": DiplomaticStatus.FULL})
            if set(r.between) == {"albania", "iran"}
            else r
            for r in scen.relations
        ]
        return scen.model_copy(update={"relations": rels})
    if name == "resolute albania":  # an Albania bent on showing resolve
        actors = [
            a.model_copy(update={"politics": a.politics.model_copy(update={"resolve": 0.9})})
            if a.id == "albania"
            else a
            for a in scen.actors
        ]
        return scen.model_copy(update={"actors": actors})
    if name == "no alliances":  # the US and the UK are not Albania's allies
        return scen.model_copy(update={"rules": scen.rules.model_copy(update={"alliances": None})})
    raise KeyError(name)


@functools.cache
def measured(name: str = "defaults") -> Measured:
    if name == "defaults":
        return helpers.crisis_facts(CRISIS.scenario, len(SEEDS))
    return CRISIS.measure(seeds=SEEDS, scenario=variant(name))


def test_the_bands_are_the_facts_of_the_issue() -> None:
    assert {f.name: (f.lo, f.hi) for f in CRISIS.facts} == BANDS


@pytest.mark.parametrize(
    "fact",
    [
        pytest.param(f, id=f.name, marks=[MODEL_GAP] if f.name in NEEDS_PROPOSAL else [])
        for f in CRISIS.facts
    ],
)
def test_the_crisis_reproduces_its_fact(fact: Fact) -> None:
    helpers.assert_fact(fact, measured())


def test_attribution_is_the_engines_own_draw() -> None:
    """attribution_turn recomputes the cyber rule's draw: in the runs it marks attributed at
    turn 1, Albania's grievance against Iran after turn 1 is higher by the attributed attack's
    grievance (cyber_grievance 0.2, after a turn's decay) than in the others."""
    res, scen = CRISIS.run(seeds=range(200))
    first = attribution_turn(res, scen)
    assert 0.6 < len(first) / 200 < 0.95 and set(first) == {1}
    dy = res.dyads
    g = dy[(dy.turn == 1) & (dy.actor == "albania") & (dy.target == "iran")]
    known = g.seed.isin(first.index)
    gap = g[known].grievance.min() - g[~known].grievance.max()
    assert gap > 0.1, gap


# ----------------------------------------------------------------------------------------------
# Can fail: each fact leaves its band when its reason is taken away


def test_without_attribution_albania_does_not_sever() -> None:
    """The rupture answers the attribution: with the attack never traced to Iran, Albania
    severs ties in almost no run at all (not only none after an attribution)."""
    m = measured("no attribution")
    assert m["severs_after_attribution"] < BANDS["severs_after_attribution"][0], m
    assert m["severs"] < BANDS["severs_after_attribution"][0], m


def test_with_ties_not_downgraded_albania_does_not_sever() -> None:
    """Severing needs downgraded ties (sever_ties after expel_diplomats): with full ties at the
    start, the answer to the attribution is an expulsion, and the rupture fact fails."""
    m = measured("full ties")
    assert m["severs_after_attribution"] < BANDS["severs_after_attribution"][0], m


def test_a_resolute_albania_answers_with_a_display_of_force() -> None:
    """A display of force answers coercion in proportion to resolve (deter_signal): an Albania
    with resolve 0.9 instead of 0.4 puts forces on alert against Iran in most runs."""
    m = measured("resolute albania")
    assert m["militarized"] > BANDS["militarized"][1], m


def test_without_the_alliances_the_partners_do_not_back_albania() -> None:
    """The US and the UK back Albania as its allies (attribution names the attacker to the
    victim's partners): with the alliances rule off they are not partners, and the fact fails."""
    m = measured("no alliances")
    assert m["partners_back_albania"] < BANDS["partners_back_albania"][0], m


@MODEL_GAP
def test_the_partners_backing_rises_with_the_attribution() -> None:
    """Attribution is an independent draw per run: in the runs where it happens the partners
    move against Iran far more often than in the runs where it does not, and with attribution
    off the fact fails."""
    m = measured()
    assert m["partners_attributed"] > m["partners_unattributed"] + 0.3, m
    off = measured("no attribution")
    assert off["partners_back_albania"] < BANDS["partners_back_albania"][0], off
