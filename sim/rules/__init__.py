"""Escalation rules, one module each, and the table that registers them.

Each rule module documents its source, exposes the effects of the actions it owns (functions
``effect_<action>(turn, rr, ii, jj)`` over the replicates ``rr`` whose actor ``ii`` chose that
action against target ``jj``), and its per-turn update, if any. :data:`REGISTRY` lists every rule
with its name, version, parameter model, what it needs from a scenario and its source; a
scenario's ``rules:`` section is checked against the parameter models when it loads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario import models as m


@dataclass(frozen=True)
class RuleInfo:
    """A registered rule."""

    name: str
    version: int
    params: type[m.RuleParams]
    module: str
    summary: str
    needs: str
    source: str


REGISTRY: dict[str, RuleInfo] = {
    info.name: info
    for info in (
        RuleInfo(
            "drone_parity",
            1,
            m.DroneParityParams,
            "sim.rules.drone_parity",
            "Drone strike power against counter-drone defence; range limits targets.",
            "actors with drones (range_km, strike) and air_defence",
            "Lanchester-style force ratio; CCSIS on TB2s in 2020",
        ),
        RuleInfo(
            "transit",
            1,
            m.TransitParams,
            "sim.rules.transit",
            "Levies and closures cost corridor users, pay the controller, raise grievance.",
            "corridors",
            "Source articles (CCSIS) on the Goris-Kapan levy",
        ),
        RuleInfo(
            "alliances",
            1,
            m.AllianceParams,
            "sim.rules.alliances",
            "Patrons deliver arms after a delay and may join a client's war.",
            "alliances",
            "Alliance credibility as in deterrence theory (Huth 1988)",
        ),
        RuleInfo(
            "mediation",
            1,
            m.MediationParams,
            "sim.rules.mediation",
            "Mediators offer talks to tense pairs; both accepting lowers tension or ends war.",
            "mediators listed among the actors, with ties to both sides",
            "ICB findings on mediated crises",
        ),
        RuleInfo(
            "arms_race",
            1,
            m.ArmsRaceParams,
            "sim.rules.arms_race",
            "Richardson's equations dx/dt = k*y - a*x + g between rivals.",
            "pairs with grievance",
            "Richardson (1960), Arms and Insecurity",
        ),
        RuleInfo(
            "combat",
            1,
            m.CombatParams,
            "sim.rules.combat",
            "Daily Lanchester square-law attrition, breakpoints and collapse.",
            "ground forces (armour, quality)",
            "Lanchester (1916); Engel (1954)",
        ),
        RuleInfo(
            "cyber",
            1,
            m.CyberParams,
            "sim.rules.cyber",
            "Cyber and covert operations: success against defence, damage, attribution.",
            "cyber capability",
            "Albania-Iran 2022 (AP; CCSIS)",
        ),
        RuleInfo(
            "domestic",
            1,
            m.DomesticParams,
            "sim.rules.domestic",
            "Rally effects after attacks and audience costs of backing down.",
            "actors' politics",
            "Fearon (1994) audience costs; Mueller (1970) rally",
        ),
    )
}
