"""Calibration targets: the facts of the founding crises, measured on seeded batches.

The calibration (scripts/calibrate.py) fits the model's hand-set weights to the facts of two
crises only -- the Iran-Azerbaijan tension of autumn 2021 and the 2020 Nagorno-Karabakh war --
and leaves the other crises as an out-of-sample check. Each fact is measured on what the AI
chooses (only the crisis's opening trigger is scripted), over fixed seeds, and scored by how far
it falls outside its target band (0 inside). ``loss`` adds the scores up.

Facts (issue "The six founding crises"):

* iran_azerbaijan: after the levy, Iran answers with a display of force (MID 7-11) of its own
  choosing within two turns in most runs; the crisis settles before the horizon in most runs,
  typically within 6-12 turns; war in under 5% of runs.
* nagorno_karabakh_2020: the war lasts about 44 days (median 30-60); Azerbaijan prevails in most
  runs; Armenia loses 30-50% of its equipment (median), most of it to drones; a brokered
  ceasefire, not a collapse, ends it in most runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.batch import Prepared, run_batch
from sim.ladder import MidAction
from sim.scenario import load_scenario
from sim.scenario.models import ActionId, Scenario


@dataclass(frozen=True)
class Target:
    """A fact as a band [lo, hi] for a measured quantity, with the weight of a miss."""

    name: str
    lo: float
    hi: float
    weight: float = 1.0
    meaning: str = ""

    def miss(self, value: float) -> float:
        """How far ``value`` lies outside the band, relative to the band's scale (0 inside)."""
        if np.isnan(value):
            return self.weight
        scale = max(self.hi - self.lo, 0.05)
        gap = max(self.lo - value, value - self.hi, 0.0)
        return float(self.weight * gap / scale)


TARGETS: tuple[Target, ...] = (
    Target("ia_iran_display", 0.5, 1.0, meaning="Iran shows force within two turns of the levy"),
    Target("ia_settled", 0.5, 1.0, meaning="the crisis settles before the horizon"),
    Target("ia_settle_turn", 6.0, 12.0, meaning="median turn of settlement"),
    Target("ia_war", 0.0, 0.05, weight=2.0, meaning="runs with a war"),
    Target("nk_war_days", 30.0, 60.0, meaning="median length of the war, days"),
    Target("nk_az_prevails", 0.5, 1.0, meaning="Azerbaijan prevails"),
    Target("nk_armenia_loss", 0.3, 0.5, meaning="median share of Armenia's equipment lost"),
    Target("nk_loss_to_drones", 0.5, 1.0, meaning="median share of Armenia's losses to drones"),
    Target("nk_brokered", 0.5, 1.0, meaning="wars ended by an agreement, not a collapse"),
)


def trigger_only(scenario: Scenario, trigger: ActionId) -> Scenario:
    """The scenario with only its opening trigger scripted."""
    return scenario.model_copy(
        update={"events": [e for e in scenario.events if e.action == trigger]}
    )


def iran_azerbaijan_facts(params: Mapping[str, float], seeds: int = 300) -> dict[str, float]:
    """The founding crisis's facts, with only the levy scripted."""
    scen = trigger_only(load_scenario("iran_azerbaijan"), ActionId.LEVY_TRANSIT)
    res = run_batch(Prepared.from_ref(scen), seeds=range(seeds), params=dict(params), record=True)
    out, ev = res.outcomes, res.events
    assert ev is not None
    ai = ev[(ev.source == "ai") & (ev.actor == "iran") & (ev.target == "azerbaijan")]
    shown = ai[
        (ai.mid_action >= MidAction.SHOW_OF_FORCE)
        & (ai.mid_action <= MidAction.FORTIFY_BORDER)
        & (ai.turn <= 3)
    ]
    settled = out[out.settled]
    return {
        "ia_iran_display": shown.seed.nunique() / seeds,
        "ia_settled": float(out.settled.mean()),
        "ia_settle_turn": float(settled.turns.median()) if len(settled) else float("nan"),
        "ia_war": float(out.war.mean()),
    }


def karabakh_facts(params: Mapping[str, float], seeds: int = 300) -> dict[str, float]:
    """The 2020 war's facts (the run starts on its first day; nothing is scripted)."""
    res = run_batch("nagorno_karabakh_2020", seeds=range(seeds), params=dict(params))
    out, per = res.outcomes, res.outcome_actors
    arm = per[per.actor == "armenia"]
    start = load_scenario("nagorno_karabakh_2020")
    armour0 = next(a.forces.armour for a in start.actors if a.id == "armenia")
    lost = arm.armour_lost / armour0
    to_drones = arm.armour_lost_to_drones / arm.armour_lost.where(arm.armour_lost > 0)
    return {
        "nk_war_days": float(out.war_days.median()),
        "nk_az_prevails": float((out.prevailed == "azerbaijan").mean()),
        "nk_armenia_loss": float(lost.median()),
        "nk_loss_to_drones": float(to_drones.median()),
        "nk_brokered": float(out.war_ended_by.isin(["ceasefire", "mediated"]).mean()),
    }


def measure(params: Mapping[str, float], seeds: int = 300) -> dict[str, float]:
    """Every calibration fact at these weights."""
    return {**iran_azerbaijan_facts(params, seeds), **karabakh_facts(params, seeds)}


def loss(facts: Mapping[str, float]) -> float:
    """Sum of the targets' misses (0 when every fact is inside its band)."""
    return float(sum(t.miss(facts[t.name]) for t in TARGETS))
