"""Crisis 6: the 2020 Nagorno-Karabakh war, the calibration case for combat and war ends."""

from __future__ import annotations

from sim.batch import BatchResult
from sim.crises.base import Crisis, Fact, Measured
from sim.scenario import Scenario


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    out, per = res.outcomes, res.outcome_actors
    arm = per[per.actor == "armenia"]
    armour0 = next(a.forces.armour for a in scenario.actors if a.id == "armenia")
    lost = arm.armour_lost / armour0
    to_drones = arm.armour_lost_to_drones / arm.armour_lost.where(arm.armour_lost > 0)
    return {
        "war_days": float(out.war_days.median()),
        "az_prevails": float((out.prevailed == "azerbaijan").mean()),
        "armenia_loss": float(lost.median()),
        "loss_to_drones": float(to_drones.median()),
        "brokered": float(out.war_ended_by.isin(["ceasefire", "mediated"]).mean()),
    }


CRISIS = Crisis(
    scenario="nagorno_karabakh_2020",
    order=6,
    calibration=True,
    trigger="none: the run starts on the first day of the war (27 September 2020)",
    about=(
        "On 27 September 2020 Azerbaijan attacked along the line of contact held by Armenian "
        "and Artsakh forces since 1994. Turkish TB2s and Israeli loitering munitions destroyed "
        "much of Armenia's armour and air defence; after 44 days and the fall of Shusha, "
        "Russia, Armenia's ally, brokered the ceasefire of 10 November. The calibration case "
        "for combat and for how wars end: the run starts at war and scripts nothing."
    ),
    measure_batch=measure,
    facts=(
        Fact("war_days", 30.0, 60.0, "median length of the war (44 days in 2020)", unit="days"),
        Fact("az_prevails", 0.5, 1.0, "Azerbaijan prevails"),
        Fact(
            "armenia_loss",
            0.3,
            0.5,
            "median share of Armenia's equipment (armour) lost",
            unit="share of armour",
        ),
        Fact(
            "loss_to_drones",
            0.5,
            1.0,
            "median share of Armenia's losses caused by drones",
            unit="share of losses",
        ),
        Fact(
            "brokered",
            0.5,
            1.0,
            "wars ended by an agreement (ceasefire or mediation), not by a collapse",
        ),
    ),
)
