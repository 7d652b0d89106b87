"""The named weights of the model: every coefficient of the decisions, the engine and the rules.

One table, :data:`TABLE`, gives each weight its default value, the range a sweep may use, what
it means and where its value comes from ("calibrated" for hand-set values that the calibration
against the founding crises fits). Code reads a weight by its member of :class:`W`
(``params[W.STATUS_QUO]``, one value per replicate), so a misspelt weight is a type error, and
every weight is sweepable like any other parameter (``run_batch(..., params={"status_quo":
0.5})``). docs/model.md's weights table is generated from this one (scripts/gen_docs.py).

This module is a leaf: it imports nothing from Borderline, so the scenario layer can check the
names a scenario's ``parameters:`` section sets against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Group(StrEnum):
    """Which part of the model a weight belongs to (the sections of the weights table)."""

    DECISIONS = "decisions"
    BELIEFS = "beliefs"
    UTILITIES = "utilities"
    ENGINE = "engine"
    DIPLOMACY = "diplomacy"
    TRANSIT = "transit"
    ALLIANCES = "alliances"
    MEDIATION = "mediation"
    ARMS_RACE = "arms_race"
    COMBAT = "combat"
    DRONE_PARITY = "drone_parity"
    CYBER = "cyber"
    DOMESTIC = "domestic"


@dataclass(frozen=True)
class Weight:
    """One named coefficient.

    Attributes:
        value: default value.
        lo: smallest value a run or sweep may use.
        hi: largest value.
        meaning: what it does, in one sentence (with its symbol in docs/model.md, if any).
        source: where the value comes from: a reference, or "calibrated".
        group: the part of the model it belongs to.
    """

    value: float
    lo: float
    hi: float
    meaning: str
    source: str
    group: Group


class W(IntEnum):
    """Every weight, by name; the value is its column in :class:`sim.world.Params`."""

    # decisions: the five original parameters
    TEMPERATURE = 0
    MISPERCEPTION = 1
    RECIPROCITY = 2
    RESTRAINT = 3
    WAR_AVERSION = 4
    # beliefs and the war decision
    LEARNING_WAR = 5
    LEARNING_FORCE = 6
    SHIFT_DISCOUNT = 7
    STATUS_QUO = 8
    WAR_COST_BASE = 9
    WAR_COST_RISK = 10
    WAR_COST_SIZE = 11
    WAR_UTILITY = 12
    WAR_MOTIVE_GAIN = 13
    # the desired rung
    DESIRE_SCALE = 14
    DESIRE_GRIEVANCE = 15
    DESIRE_TENSION = 16
    DESIRE_PRESSURE = 17
    DESIRE_PRESSURE_MIN_GRIEVANCE = 18
    DESIRE_RESOLVE_BASE = 19
    DESIRE_RESOLVE = 20
    RECIPROCITY_MIN_GRIEVANCE = 21
    DESIRE_DRONE_EDGE = 22
    # the ladder utility
    MOTIVE_RUNG = 23
    FIT_HEIGHT = 24
    FIT_WIDTH = 25
    NO_MOTIVE_PENALTY = 26
    NO_MOTIVE_FLOOR = 27
    FORCE_RISK_BASE = 28
    FORCE_DRONE_EDGE = 29
    STRIKE_SUCCESS_GAIN = 30
    MISSILE_PENALTY = 31
    SEIZE_ECONOMY = 32
    LEVY_ECONOMY = 33
    CLOSE_ECONOMY = 34
    SANCTIONS_ECONOMY = 35
    MOBILIZE_ECONOMY = 36
    FORTIFY_SECURITY = 37
    ARREST_SECURITY = 38
    CYBER_CAPABILITY = 39
    CYBER_COST = 40
    # cooperation and de-escalation utilities
    VISIT_PARTNERS = 41
    VISIT_STANDING = 42
    VISIT_COST = 43
    CONSULATE_PARTNERS = 44
    CONSULATE_STANDING = 45
    CONSULATE_COST = 46
    RESTORE_CALM = 47
    RESTORE_GRIEVANCE = 48
    RESTORE_COST = 49
    REQUEST_MEDIATION_TENSION = 50
    REQUEST_MEDIATION_CALM = 51
    REQUEST_MEDIATION_STANDING = 52
    REQUEST_MEDIATION_COST = 53
    ACCEPT_MEDIATION_TENSION = 54
    ACCEPT_MEDIATION_CALM = 55
    ACCEPT_MEDIATION_COST = 56
    CONCESSION_THREAT = 57
    CONCESSION_CALM = 58
    CONCESSION_COST = 59
    AUDIENCE_WEIGHT = 60
    CEASEFIRE_LOSING = 61
    CEASEFIRE_NOT_WINNING = 62
    CEASEFIRE_NO_MOTIVE = 63
    CEASEFIRE_CALM = 64
    CEASEFIRE_COST = 65
    REOPEN_CALM = 66
    REOPEN_ECONOMY = 67
    REOPEN_COST = 68
    BUY_ARMS_NEED = 69
    BUY_ARMS_ECONOMY = 70
    BUY_ARMS_COST = 71
    SUPPLY_ARMS_NEED = 72
    SUPPLY_ARMS_COST = 73
    JOIN_CREDIBILITY = 74
    JOIN_WIN = 75
    JOIN_COST = 76
    JOIN_BASE = 77
    STAND_DOWN_CALM = 78
    STAND_DOWN_ECONOMY = 79
    STAND_DOWN_COST = 80
    # engine: coding of the turn, tension, grievance and settlement
    TENSION_INERTIA = 81
    GRIEVANCE_DECAY = 82
    GRIEVANCE_PER_RUNG = 83
    CALM_TENSION = 84
    SETTLE_TURNS = 85
    # diplomacy and signalling
    PROTEST_VENT = 86
    PROTEST_GRIEVANCE = 87
    VISIT_EASE = 88
    VISIT_FORGIVE = 89
    RIVALS_RESENT = 90
    RIVALS_THRESHOLD = 91
    EXPEL_GRIEVANCE = 92
    SEVER_GRIEVANCE = 93
    RESTORE_EASE = 94
    CONCESSION_FORGIVE = 95
    CONCESSION_EASE = 96
    CONCESSION_PRESSURE = 97
    SANCTIONS_GRIEVANCE = 98
    SANCTIONS_TARGET_LOSS = 99
    SANCTIONS_OWN_LOSS = 100
    THREATEN_GRIEVANCE = 101
    THREATEN_WAR_GRIEVANCE = 102
    DRILLS_GRIEVANCE = 103
    ALERT_GRIEVANCE = 104
    MOBILIZE_GRIEVANCE = 105
    MOBILIZE_ARMOUR = 106
    MOBILIZATION_COST_GDP = 107
    FORTIFY_GRIEVANCE = 108
    VIOLATION_GRIEVANCE = 109
    STAND_DOWN_EASE = 110
    # transit
    TRANSIT_INCOME = 111
    BLOCKADE_GRIEVANCE = 112
    REOPEN_GRIEVANCE = 113
    SEIZE_GRIEVANCE = 114
    # alliances
    ARMOUR_PRICE = 115
    DRONE_PRICE = 116
    PATRON_GRIEVANCE = 117
    # mediation
    MEDIATION_FORGIVE = 118
    # arms race
    RIVALRY_THRESHOLD = 119
    # combat
    FORTIFY_BONUS = 120
    MISSILE_SALVO = 121
    MISSILE_DAMAGE = 122
    MISSILE_DEFENCE_HALF = 123
    MISSILE_DEATHS_SHARE = 124
    MISSILE_GRIEVANCE = 125
    CLASH_SHARE = 126
    CLASH_GRIEVANCE = 127
    CLASH_GRIEVANCE_BACK = 128
    OFFENSIVE_GRIEVANCE = 129
    JOIN_GRIEVANCE = 130
    YIELD_MARGIN = 131
    # drone parity
    STRIKE_DAYS = 132
    AIR_DEFENCE_ATTRITION = 133
    STRIKE_GRIEVANCE_HIT = 134
    STRIKE_GRIEVANCE_MISS = 135
    # cyber and gray zone
    CYBER_DEFENCE_FLOOR = 136
    CYBER_GRIEVANCE = 137
    PARTNER_GRIEVANCE_SHARE = 138
    COVERT_SUCCESS = 139
    COVERT_DAMAGE = 140
    COVERT_ATTRIBUTION = 141
    COVERT_GRIEVANCE = 142
    ARREST_GRIEVANCE = 143
    ARREST_VENT = 144
    PROXY_ARMOUR = 145
    PROXY_GRIEVANCE = 146
    # domestic politics
    COST_PROTEST = 147
    COST_PROTEST_CAP = 148
    PRESSURE_RELAX = 149
    # added after the first table: ending a war while fighting still pays
    FIGHT_ON = 150
    DETER_SIGNAL = 151
    RETALIATION = 152
    # added for crisis 2: a patron's commitment deters force against its client; a seizure wins
    # back a denied route
    PATRON_DETERRENCE = 153
    SEIZE_DENIED = 154
    # added for crisis 4: answering an attributed gray-zone attack in the diplomatic register
    ATTRIBUTION_RESPONSE = 155

    @property
    def key(self) -> str:
        """The weight's name in scenario files, sweeps and output columns."""
        return self.name.lower()


G = Group
C = "calibrated"
#: Fitted to the facts of crises 1 and 6 by scripts/calibrate.py (docs/calibration.md).
FIT = "fitted to crises 1 and 6 (docs/calibration.md)"
QRE = "McKelvey and Palfrey (1995), quantal response"
FEARON = "Fearon (1995), Rationalist Explanations for War"
POWELL = "Powell (2004, 2006), war as a commitment problem"

#: The weights table: every member of :class:`W`, with its default, range, meaning and source.
TABLE: dict[W, Weight] = {
    # --- decisions --------------------------------------------------------------------------
    W.TEMPERATURE: Weight(
        0.2,
        0.01,
        10.0,
        "Softmax temperature T of decisions: near 0 always the best option, large near random.",
        QRE,
        G.DECISIONS,
    ),
    W.MISPERCEPTION: Weight(
        0.15,
        0.0,
        2.0,
        "Spread sigma of each actor's lasting error on the log-odds of winning against each "
        "other actor (drawn once per run).",
        FEARON + ": private information",
        G.DECISIONS,
    ),
    W.RECIPROCITY: Weight(
        0.56,
        0.0,
        1.5,
        "How far an actor matches the rung its adversary used against it (tit for tat).",
        "Axelrod (1984); " + FIT,
        G.DECISIONS,
    ),
    W.RESTRAINT: Weight(
        0.5,
        0.0,
        1.0,
        "How much an actor tempers escalation against a stronger adversary.",
        C,
        G.DECISIONS,
    ),
    W.WAR_AVERSION: Weight(
        1.0,
        0.0,
        5.0,
        "Scale of the expected cost of war c in the war decision.",
        FEARON,
        G.DECISIONS,
    ),
    # --- beliefs and the war decision ------------------------------------------------------
    W.LEARNING_WAR: Weight(
        0.0026,
        0.0,
        2.0,
        "Share of the remaining misperception dispelled per day of fighting (rate lambda_w).",
        "Slantchev (2003), war as revelation of information; " + FIT,
        G.BELIEFS,
    ),
    W.LEARNING_FORCE: Weight(
        0.15,
        0.0,
        2.0,
        "Rate at which a use of force between two actors dispels their misperception.",
        C,
        G.BELIEFS,
    ),
    W.SHIFT_DISCOUNT: Weight(
        0.85,
        0.0,
        1.0,
        "delta: weight of the balance one turn ahead; a shift k turns away counts delta^k.",
        POWELL,
        G.BELIEFS,
    ),
    W.STATUS_QUO: Weight(
        0.55,
        0.0,
        1.0,
        "q0: value of the status quo to an actor with no grievance (q = q0 (1 - g)).",
        C,
        G.BELIEFS,
    ),
    W.WAR_COST_BASE: Weight(
        0.1,
        0.0,
        1.0,
        "Cost of war c for a risk-tolerant actor, as a share of the stake.",
        C,
        G.BELIEFS,
    ),
    W.WAR_COST_RISK: Weight(
        0.3,
        0.0,
        1.0,
        "Extra cost of war for a risk-averse actor (times 1 - risk tolerance).",
        C,
        G.BELIEFS,
    ),
    W.WAR_COST_SIZE: Weight(
        0.5,
        0.0,
        2.0,
        "Extra cost of war per tenfold larger adversary economy (it can mobilise more).",
        C,
        G.BELIEFS,
    ),
    W.WAR_UTILITY: Weight(
        2.0, 0.0, 5.0, "Utility of launching a war once the war decision is open.", C, G.BELIEFS
    ),
    W.WAR_MOTIVE_GAIN: Weight(
        6.0,
        0.0,
        20.0,
        "Utility of war per unit of its margin over the best settlement.",
        C,
        G.BELIEFS,
    ),
    # --- the desired rung ------------------------------------------------------------------
    W.DESIRE_SCALE: Weight(
        7.0, 0.0, 8.0, "Rung wanted at full grievance, tension and pressure.", C, G.DECISIONS
    ),
    W.DESIRE_GRIEVANCE: Weight(
        0.44, 0.0, 2.0, "Weight of grievance in the desired rung d.", FIT, G.DECISIONS
    ),
    W.DESIRE_TENSION: Weight(0.25, 0.0, 2.0, "Weight of tension in d.", C, G.DECISIONS),
    W.DESIRE_PRESSURE: Weight(
        0.3, 0.0, 2.0, "Weight of domestic pressure in d (when aggrieved).", C, G.DECISIONS
    ),
    W.DESIRE_PRESSURE_MIN_GRIEVANCE: Weight(
        0.1,
        0.0,
        1.0,
        "Grievance below which domestic pressure does not turn against a target.",
        C,
        G.DECISIONS,
    ),
    W.DESIRE_RESOLVE_BASE: Weight(
        0.6, 0.0, 2.0, "d multiplier of an actor with resolve 0.", C, G.DECISIONS
    ),
    W.DESIRE_RESOLVE: Weight(
        0.8, 0.0, 2.0, "Extra d multiplier per unit of resolve.", C, G.DECISIONS
    ),
    W.RECIPROCITY_MIN_GRIEVANCE: Weight(
        0.05,
        0.0,
        1.0,
        "Grievance below which an actor does not answer in kind.",
        C,
        G.DECISIONS,
    ),
    W.DESIRE_DRONE_EDGE: Weight(
        0.5,
        0.0,
        8.0,
        "Rungs added to d per unit of drone advantage (own strike success minus the target's).",
        "CCSIS on Azerbaijan's drones; calibrated",
        G.DECISIONS,
    ),
    # --- the ladder utility ----------------------------------------------------------------
    W.MOTIVE_RUNG: Weight(
        3.0,
        0.5,
        8.0,
        "Desired rung at which the motive m = min(d / this, 1) is full.",
        C,
        G.UTILITIES,
    ),
    W.FIT_HEIGHT: Weight(
        0.6,
        0.0,
        5.0,
        "Utility of an action exactly at the desired rung, at full motive.",
        C,
        G.UTILITIES,
    ),
    W.FIT_WIDTH: Weight(
        0.5, 0.05, 2.0, "How fast the fit falls off per rung away from d.", C, G.UTILITIES
    ),
    W.NO_MOTIVE_PENALTY: Weight(
        4.0,
        0.0,
        20.0,
        "Penalty of a hostile action with no motive behind it (times 1 - m).",
        C,
        G.UTILITIES,
    ),
    W.NO_MOTIVE_FLOOR: Weight(
        0.15, 0.0, 2.0, "Penalty every hostile action carries.", C, G.UTILITIES
    ),
    W.FORCE_RISK_BASE: Weight(
        0.6,
        0.0,
        5.0,
        "Risk of retaliation every use of force carries (plus the adversary's share of power).",
        C,
        G.UTILITIES,
    ),
    W.FORCE_DRONE_EDGE: Weight(
        0.3,
        0.0,
        5.0,
        "Utility of a use of force per unit of drone advantage over the target.",
        C,
        G.UTILITIES,
    ),
    W.STRIKE_SUCCESS_GAIN: Weight(
        0.4,
        0.0,
        5.0,
        "Utility of a drone strike per unit of its chance of success.",
        C,
        G.UTILITIES,
    ),
    W.MISSILE_PENALTY: Weight(
        0.2,
        0.0,
        5.0,
        "Extra cost of a missile strike (a scarce, escalatory weapon).",
        C,
        G.UTILITIES,
    ),
    W.SEIZE_ECONOMY: Weight(
        0.2,
        0.0,
        5.0,
        "Utility of seizing a corridor per unit of economic doctrine.",
        C,
        G.UTILITIES,
    ),
    W.LEVY_ECONOMY: Weight(
        0.3, 0.0, 5.0, "Utility of a transit levy per unit of economic doctrine.", C, G.UTILITIES
    ),
    W.CLOSE_ECONOMY: Weight(
        0.1, 0.0, 5.0, "Cost of closing a corridor per unit of economic doctrine.", C, G.UTILITIES
    ),
    W.SANCTIONS_ECONOMY: Weight(
        0.3, 0.0, 5.0, "Cost of sanctions per unit of economic doctrine.", C, G.UTILITIES
    ),
    W.MOBILIZE_ECONOMY: Weight(
        0.2, 0.0, 5.0, "Cost of mobilizing per unit of economic doctrine.", C, G.UTILITIES
    ),
    W.FORTIFY_SECURITY: Weight(
        0.2,
        0.0,
        5.0,
        "Utility of fortifying per unit of security doctrine and of the adversary's power share.",
        C,
        G.UTILITIES,
    ),
    W.ARREST_SECURITY: Weight(
        0.1,
        0.0,
        5.0,
        "Utility of arresting a network per unit of security doctrine.",
        C,
        G.UTILITIES,
    ),
    W.CYBER_CAPABILITY: Weight(
        0.5, 0.0, 5.0, "Utility of a cyber attack per unit of cyber capability.", C, G.UTILITIES
    ),
    W.CYBER_COST: Weight(0.1, 0.0, 5.0, "Cost of a cyber attack.", C, G.UTILITIES),
    # --- cooperation and de-escalation -----------------------------------------------------
    W.VISIT_PARTNERS: Weight(
        0.3, 0.0, 5.0, "Utility of a state visit to a partner.", C, G.UTILITIES
    ),
    W.VISIT_STANDING: Weight(
        0.3, 0.0, 5.0, "Utility of a state visit per unit of standing doctrine.", C, G.UTILITIES
    ),
    W.VISIT_COST: Weight(1.0, 0.0, 5.0, "Cost of a state visit.", C, G.UTILITIES),
    W.CONSULATE_PARTNERS: Weight(
        0.25, 0.0, 5.0, "Utility of a consulate with a partner.", C, G.UTILITIES
    ),
    W.CONSULATE_STANDING: Weight(
        0.2, 0.0, 5.0, "Utility of a consulate per unit of standing doctrine.", C, G.UTILITIES
    ),
    W.CONSULATE_COST: Weight(1.1, 0.0, 5.0, "Cost of opening a consulate.", C, G.UTILITIES),
    W.RESTORE_CALM: Weight(
        0.4, 0.0, 5.0, "Utility of restoring ties per unit of calm (1 - d / 8).", C, G.UTILITIES
    ),
    W.RESTORE_GRIEVANCE: Weight(
        0.3, 0.0, 5.0, "Cost of restoring ties per unit of grievance.", C, G.UTILITIES
    ),
    W.RESTORE_COST: Weight(0.2, 0.0, 5.0, "Cost of restoring ties.", C, G.UTILITIES),
    W.REQUEST_MEDIATION_TENSION: Weight(
        0.4, 0.0, 5.0, "Utility of asking for mediation per unit of tension.", C, G.UTILITIES
    ),
    W.REQUEST_MEDIATION_CALM: Weight(
        0.3, 0.0, 5.0, "Utility of asking for mediation per unit of calm.", C, G.UTILITIES
    ),
    W.REQUEST_MEDIATION_STANDING: Weight(
        0.3,
        0.0,
        5.0,
        "Utility of asking for mediation per unit of standing doctrine.",
        C,
        G.UTILITIES,
    ),
    W.REQUEST_MEDIATION_COST: Weight(
        0.35, 0.0, 5.0, "Cost of asking for mediation.", C, G.UTILITIES
    ),
    W.ACCEPT_MEDIATION_TENSION: Weight(
        0.21, 0.0, 5.0, "Utility of accepting talks per unit of tension.", FIT, G.UTILITIES
    ),
    W.ACCEPT_MEDIATION_CALM: Weight(
        0.5, 0.0, 5.0, "Utility of accepting talks per unit of calm.", C, G.UTILITIES
    ),
    W.ACCEPT_MEDIATION_COST: Weight(0.2, 0.0, 5.0, "Cost of accepting talks.", C, G.UTILITIES),
    W.CONCESSION_THREAT: Weight(
        0.6,
        0.0,
        5.0,
        "Utility of a concession per unit of the adversary's power share times tension.",
        C,
        G.UTILITIES,
    ),
    W.CONCESSION_CALM: Weight(
        0.2, 0.0, 5.0, "Utility of a concession per unit of calm.", C, G.UTILITIES
    ),
    W.CONCESSION_COST: Weight(0.45, 0.0, 5.0, "Cost of a concession.", C, G.UTILITIES),
    W.AUDIENCE_WEIGHT: Weight(
        2.0,
        0.0,
        10.0,
        "How many times the audience cost of backing down after a public threat weighs in the "
        "utility of a concession or a stand-down.",
        "Fearon (1994), audience costs; calibrated",
        G.UTILITIES,
    ),
    W.CEASEFIRE_LOSING: Weight(
        6.0,
        0.0,
        20.0,
        "Utility of a ceasefire per unit of armour lost below the breakpoint.",
        C,
        G.UTILITIES,
    ),
    W.CEASEFIRE_NOT_WINNING: Weight(
        1.0,
        0.0,
        10.0,
        "Utility of a ceasefire per unit of the believed chance of winning below one half.",
        C,
        G.UTILITIES,
    ),
    W.CEASEFIRE_NO_MOTIVE: Weight(
        1.0,
        0.0,
        10.0,
        "Utility of a ceasefire once fighting no longer beats the best settlement.",
        FEARON + "; Slantchev (2003)",
        G.UTILITIES,
    ),
    W.CEASEFIRE_CALM: Weight(
        0.3, 0.0, 5.0, "Utility of a ceasefire per unit of calm.", C, G.UTILITIES
    ),
    W.CEASEFIRE_COST: Weight(0.3, 0.0, 5.0, "Cost of proposing a ceasefire.", C, G.UTILITIES),
    W.REOPEN_CALM: Weight(
        0.5, 0.0, 5.0, "Utility of reopening a corridor per unit of calm.", C, G.UTILITIES
    ),
    W.REOPEN_ECONOMY: Weight(
        0.3,
        0.0,
        5.0,
        "Cost of reopening a corridor per unit of economic doctrine (lost levy).",
        C,
        G.UTILITIES,
    ),
    W.REOPEN_COST: Weight(0.2, 0.0, 5.0, "Cost of reopening a corridor.", C, G.UTILITIES),
    W.BUY_ARMS_NEED: Weight(
        0.9,
        0.0,
        5.0,
        "Utility of ordering arms per unit of security doctrine times danger.",
        C,
        G.UTILITIES,
    ),
    W.BUY_ARMS_ECONOMY: Weight(
        0.2, 0.0, 5.0, "Cost of ordering arms per unit of economic doctrine.", C, G.UTILITIES
    ),
    W.BUY_ARMS_COST: Weight(0.05, 0.0, 5.0, "Cost of ordering arms.", C, G.UTILITIES),
    W.SUPPLY_ARMS_NEED: Weight(
        0.8,
        0.0,
        5.0,
        "Utility of shipping arms per unit of credibility times the client's danger.",
        C,
        G.UTILITIES,
    ),
    W.SUPPLY_ARMS_COST: Weight(0.1, 0.0, 5.0, "Cost of shipping arms.", C, G.UTILITIES),
    W.JOIN_CREDIBILITY: Weight(
        3.0,
        0.0,
        10.0,
        "Utility of joining a partner's war per unit of the commitment's credibility.",
        "Huth (1988), extended deterrence; calibrated",
        G.UTILITIES,
    ),
    W.JOIN_WIN: Weight(
        1.5,
        0.0,
        10.0,
        "Utility of joining per unit of the believed chance of winning above one half.",
        C,
        G.UTILITIES,
    ),
    W.JOIN_COST: Weight(
        2.0, 0.0, 10.0, "Cost of joining per unit of the cost of war.", C, G.UTILITIES
    ),
    W.JOIN_BASE: Weight(0.3, 0.0, 5.0, "Cost every entry into a war carries.", C, G.UTILITIES),
    W.STAND_DOWN_CALM: Weight(
        0.5, 0.0, 5.0, "Utility of standing down per unit of calm.", C, G.UTILITIES
    ),
    W.STAND_DOWN_ECONOMY: Weight(
        0.2,
        0.0,
        5.0,
        "Utility of standing down per unit of economic doctrine (mobilization is costly).",
        C,
        G.UTILITIES,
    ),
    W.STAND_DOWN_COST: Weight(0.35, 0.0, 5.0, "Cost of standing down.", C, G.UTILITIES),
    # --- engine ----------------------------------------------------------------------------
    W.TENSION_INERTIA: Weight(
        0.7,
        0.0,
        0.99,
        "Share of last turn's tension kept; the rest follows the highest rung reached.",
        C,
        G.ENGINE,
    ),
    W.GRIEVANCE_DECAY: Weight(
        0.7, 0.0, 1.0, "Share of grievance kept from one turn to the next.", FIT, G.ENGINE
    ),
    W.GRIEVANCE_PER_RUNG: Weight(
        0.058,
        0.0,
        1.0,
        "Grievance from what the other side did this turn: this times (rung / 8)^2.",
        FIT,
        G.ENGINE,
    ),
    W.CALM_TENSION: Weight(
        0.5,
        0.0,
        1.0,
        "Tension below which (for every pair, with no militarized action) a turn is calm.",
        C,
        G.ENGINE,
    ),
    W.SETTLE_TURNS: Weight(
        4.0, 1.0, 52.0, "Calm turns in a row after which the crisis is settled.", C, G.ENGINE
    ),
    # --- diplomacy -------------------------------------------------------------------------
    W.PROTEST_VENT: Weight(
        0.02, 0.0, 0.5, "Domestic pressure a public protest vents.", C, G.DIPLOMACY
    ),
    W.PROTEST_GRIEVANCE: Weight(
        0.02, 0.0, 0.5, "Grievance a protest causes its target.", C, G.DIPLOMACY
    ),
    W.VISIT_EASE: Weight(0.05, 0.0, 0.5, "Tension a state visit removes.", C, G.DIPLOMACY),
    W.VISIT_FORGIVE: Weight(
        0.9, 0.0, 1.0, "Share of the pair's grievances kept after a state visit.", C, G.DIPLOMACY
    ),
    W.RIVALS_RESENT: Weight(
        0.05,
        0.0,
        0.5,
        "Grievance the rivals of a visiting actor take against its host.",
        "CCSIS (2023) on Iran and the Israeli president's visit to Baku",
        G.DIPLOMACY,
    ),
    W.RIVALS_THRESHOLD: Weight(
        0.3, 0.0, 1.0, "Grievance at which an actor counts as a rival.", C, G.DIPLOMACY
    ),
    W.EXPEL_GRIEVANCE: Weight(
        0.08, 0.0, 0.5, "Grievance an expulsion of diplomats causes.", C, G.DIPLOMACY
    ),
    W.SEVER_GRIEVANCE: Weight(
        0.12, 0.0, 0.5, "Grievance a rupture of ties causes.", C, G.DIPLOMACY
    ),
    W.RESTORE_EASE: Weight(0.05, 0.0, 0.5, "Tension restoring ties removes.", C, G.DIPLOMACY),
    W.CONCESSION_FORGIVE: Weight(
        0.5, 0.0, 1.0, "Share of the target's grievance kept after a concession.", C, G.DIPLOMACY
    ),
    W.CONCESSION_EASE: Weight(0.08, 0.0, 0.5, "Tension a concession removes.", C, G.DIPLOMACY),
    W.CONCESSION_PRESSURE: Weight(
        0.05, 0.0, 0.5, "Domestic pressure a concession costs the actor.", C, G.DIPLOMACY
    ),
    W.SANCTIONS_GRIEVANCE: Weight(
        0.08, 0.0, 0.5, "Grievance sanctions cause their target.", C, G.DIPLOMACY
    ),
    W.SANCTIONS_TARGET_LOSS: Weight(
        0.5, 0.0, 1.0, "Share of the pair's trade the target of sanctions loses.", C, G.DIPLOMACY
    ),
    W.SANCTIONS_OWN_LOSS: Weight(
        0.2, 0.0, 1.0, "Share of the pair's trade the sanctioner loses.", C, G.DIPLOMACY
    ),
    W.THREATEN_GRIEVANCE: Weight(
        0.04, 0.0, 0.5, "Grievance a public threat causes.", C, G.DIPLOMACY
    ),
    W.THREATEN_WAR_GRIEVANCE: Weight(
        0.03, 0.0, 0.5, "Extra grievance a threat of war causes.", C, G.DIPLOMACY
    ),
    W.DRILLS_GRIEVANCE: Weight(0.03, 0.0, 0.5, "Grievance drills cause.", C, G.DIPLOMACY),
    W.ALERT_GRIEVANCE: Weight(0.03, 0.0, 0.5, "Grievance an alert causes.", C, G.DIPLOMACY),
    W.MOBILIZE_GRIEVANCE: Weight(
        0.05, 0.0, 0.5, "Grievance a mobilization causes.", C, G.DIPLOMACY
    ),
    W.MOBILIZE_ARMOUR: Weight(
        0.1,
        0.0,
        1.0,
        "Share of starting armour a mobilization brings into the theatre.",
        C,
        G.DIPLOMACY,
    ),
    W.MOBILIZATION_COST_GDP: Weight(
        0.02, 0.0, 0.2, "Share of GDP a year that staying mobilized costs.", C, G.DIPLOMACY
    ),
    W.FORTIFY_GRIEVANCE: Weight(
        0.02, 0.0, 0.5, "Grievance fortifying the border causes.", C, G.DIPLOMACY
    ),
    W.VIOLATION_GRIEVANCE: Weight(
        0.08, 0.0, 0.5, "Grievance a border violation causes.", C, G.DIPLOMACY
    ),
    W.STAND_DOWN_EASE: Weight(0.05, 0.0, 0.5, "Tension a stand-down removes.", C, G.DIPLOMACY),
    # --- transit ---------------------------------------------------------------------------
    W.TRANSIT_INCOME: Weight(
        0.05,
        0.0,
        1.0,
        "Controller's income from transit fees, as a share of the corridor's value.",
        C,
        G.TRANSIT,
    ),
    W.BLOCKADE_GRIEVANCE: Weight(
        0.15, 0.0, 1.0, "Extra grievance a blockade causes over a closure.", C, G.TRANSIT
    ),
    W.REOPEN_GRIEVANCE: Weight(
        0.1, 0.0, 1.0, "Grievance a reopening removes from the corridor's user.", C, G.TRANSIT
    ),
    W.SEIZE_GRIEVANCE: Weight(
        0.3, 0.0, 1.0, "Grievance the seizure of a corridor causes.", C, G.TRANSIT
    ),
    # --- alliances -------------------------------------------------------------------------
    W.ARMOUR_PRICE: Weight(
        0.004,
        0.0,
        0.1,
        "Price of one armour item, billion USD.",
        "SIPRI orders of magnitude",
        G.ALLIANCES,
    ),
    W.DRONE_PRICE: Weight(
        0.005, 0.0, 0.1, "Price of one strike drone, billion USD.", "TB2 export prices", G.ALLIANCES
    ),
    W.PATRON_GRIEVANCE: Weight(
        0.3,
        0.0,
        1.0,
        "Grievance a patron takes against its client's attacker, times credibility.",
        "Huth (1988); calibrated",
        G.ALLIANCES,
    ),
    # --- mediation -------------------------------------------------------------------------
    W.MEDIATION_FORGIVE: Weight(
        0.7, 0.0, 1.0, "Share of the pair's grievances kept after successful talks.", C, G.MEDIATION
    ),
    # --- arms race -------------------------------------------------------------------------
    W.RIVALRY_THRESHOLD: Weight(
        0.2,
        0.0,
        1.0,
        "Grievance at which an actor counts another as a rival: its arms count in Richardson's y, "
        "and a shift of power towards it can give a preventive motive.",
        C,
        G.ARMS_RACE,
    ),
    # --- combat ----------------------------------------------------------------------------
    W.FORTIFY_BONUS: Weight(
        1.2,
        1.0,
        3.0,
        "Divisor of the attacker's effectiveness against a fortified border.",
        C,
        G.COMBAT,
    ),
    W.MISSILE_SALVO: Weight(
        16.0, 1.0, 500.0, "Missiles fired in one strike.", "8 January 2020", G.COMBAT
    ),
    W.MISSILE_DAMAGE: Weight(
        0.6, 0.0, 10.0, "Armour items destroyed per missile that gets through.", C, G.COMBAT
    ),
    W.MISSILE_DEFENCE_HALF: Weight(
        60.0,
        1.0,
        1000.0,
        "Air defence at which half of a salvo is intercepted.",
        C,
        G.COMBAT,
    ),
    W.MISSILE_DEATHS_SHARE: Weight(
        0.5,
        0.0,
        1.0,
        "Deaths per item destroyed by missiles, as a share of the war rate.",
        C,
        G.COMBAT,
    ),
    W.MISSILE_GRIEVANCE: Weight(0.25, 0.0, 1.0, "Grievance a missile strike causes.", C, G.COMBAT),
    W.CLASH_SHARE: Weight(
        0.03,
        0.0,
        1.0,
        "Share of each side's armour engaged in a one-day border clash.",
        C,
        G.COMBAT,
    ),
    W.CLASH_GRIEVANCE: Weight(0.2, 0.0, 1.0, "Grievance a clash causes its target.", C, G.COMBAT),
    W.CLASH_GRIEVANCE_BACK: Weight(
        0.1, 0.0, 1.0, "Grievance a clash causes its initiator.", C, G.COMBAT
    ),
    W.OFFENSIVE_GRIEVANCE: Weight(
        0.4, 0.0, 1.0, "Grievance the start of a war causes its target.", C, G.COMBAT
    ),
    W.JOIN_GRIEVANCE: Weight(
        0.3, 0.0, 1.0, "Grievance an entry into a war causes its target.", C, G.COMBAT
    ),
    W.YIELD_MARGIN: Weight(
        0.15,
        0.0,
        1.0,
        "Difference in armour shares beyond which a war's end is a yield, not a stalemate.",
        "MID outcome codes",
        G.COMBAT,
    ),
    # --- drone parity ----------------------------------------------------------------------
    W.STRIKE_DAYS: Weight(
        1.0,
        0.0,
        14.0,
        "Days of war-time sorties a one-off drone strike amounts to.",
        C,
        G.DRONE_PARITY,
    ),
    W.AIR_DEFENCE_ATTRITION: Weight(
        0.02,
        0.0,
        1.0,
        "Share of air defence destroyed per day of strikes, times their success.",
        C,
        G.DRONE_PARITY,
    ),
    W.STRIKE_GRIEVANCE_HIT: Weight(
        0.25, 0.0, 1.0, "Grievance a drone strike that hits causes.", C, G.DRONE_PARITY
    ),
    W.STRIKE_GRIEVANCE_MISS: Weight(
        0.12, 0.0, 1.0, "Grievance a drone strike that misses causes.", C, G.DRONE_PARITY
    ),
    # --- cyber -----------------------------------------------------------------------------
    W.CYBER_DEFENCE_FLOOR: Weight(
        0.1,
        0.0,
        1.0,
        "Added to the defender's cyber capability in the chance of success c_i/(c_i+c_j+this).",
        C,
        G.CYBER,
    ),
    W.CYBER_GRIEVANCE: Weight(
        0.2, 0.0, 1.0, "Grievance an attributed cyber attack causes.", "Albania-Iran 2022", G.CYBER
    ),
    W.PARTNER_GRIEVANCE_SHARE: Weight(
        0.33, 0.0, 1.0, "Share of the victim's grievance its partners take on.", C, G.CYBER
    ),
    W.COVERT_SUCCESS: Weight(0.6, 0.0, 1.0, "Chance a covert operation succeeds.", C, G.CYBER),
    W.COVERT_DAMAGE: Weight(
        0.5, 0.0, 5.0, "Damage of a covert operation, as a share of a cyber attack's.", C, G.CYBER
    ),
    W.COVERT_ATTRIBUTION: Weight(
        0.5, 0.0, 1.0, "Chance a covert operation is attributed.", C, G.CYBER
    ),
    W.COVERT_GRIEVANCE: Weight(
        0.15, 0.0, 1.0, "Grievance an attributed covert operation causes.", C, G.CYBER
    ),
    W.ARREST_GRIEVANCE: Weight(
        0.1, 0.0, 1.0, "Grievance the arrest of a network causes its state.", C, G.CYBER
    ),
    W.ARREST_VENT: Weight(
        0.03, 0.0, 0.5, "Domestic pressure the arrest of a foreign network vents.", C, G.CYBER
    ),
    W.PROXY_ARMOUR: Weight(
        10.0, 0.0, 1000.0, "Armour a patron gives each proxy it arms.", C, G.CYBER
    ),
    W.PROXY_GRIEVANCE: Weight(
        0.1, 0.0, 1.0, "Grievance arming a proxy causes its target.", C, G.CYBER
    ),
    # --- domestic --------------------------------------------------------------------------
    W.COST_PROTEST: Weight(
        5.0,
        0.0,
        100.0,
        "Domestic pressure per unit of a turn's economic cost as a share of GDP (protests).",
        C,
        G.DOMESTIC,
    ),
    W.COST_PROTEST_CAP: Weight(
        0.1, 0.0, 1.0, "Most pressure economic cost adds in a turn.", C, G.DOMESTIC
    ),
    W.PRESSURE_RELAX: Weight(
        0.1,
        0.0,
        1.0,
        "Share of the gap to its baseline domestic pressure closes each turn.",
        C,
        G.DOMESTIC,
    ),
    W.FIGHT_ON: Weight(
        13.6,
        0.0,
        20.0,
        "Cost of ending a war (ceasefire, accepting talks) per unit of its margin over the best "
        "settlement: a side that still expects to gain from fighting refuses.",
        FEARON + "; Slantchev (2003); " + FIT,
        G.UTILITIES,
    ),
    W.DETER_SIGNAL: Weight(
        3.0,
        0.0,
        5.0,
        "Utility of a display of force answering a fresh act of coercion by the target (a levy, "
        "a closure, sanctions, an arrest: rung 3-5 last turn), times resolve: signalling resolve "
        "to deter more.",
        "Schelling (1966); Fearon (1997), costly signals; " + FIT,
        G.UTILITIES,
    ),
    W.RETALIATION: Weight(
        2.0,
        0.0,
        5.0,
        "Utility of a use of force answering a fresh use of force by the target outside a war "
        "(rung 7 last turn: a strike, a clash), times resolve: retaliation in kind, to restore "
        "deterrence.",
        "Schelling (1966); Axelrod (1984), tit for tat; calibrated",
        G.UTILITIES,
    ),
    W.PATRON_DETERRENCE: Weight(
        2.0,
        0.0,
        10.0,
        "Risk a use of force against a client carries from each of its patrons k, per unit of "
        "k's credibility times k's share of power against the actor (1 - p_ik): extended "
        "deterrence.",
        "Huth (1988), extended deterrence; " + C,
        G.UTILITIES,
    ),
    W.SEIZE_DENIED: Weight(
        1.0,
        0.0,
        5.0,
        "Utility of seizing a corridor per unit of the share of its value the target denies the "
        "actor (a closure with no usable alternative: 1; a levy: its rate): what the seizure "
        "wins back.",
        C,
        G.UTILITIES,
    ),
    W.ATTRIBUTION_RESPONSE: Weight(
        1.5,
        0.0,
        5.0,
        "Utility, the turn after a gray-zone attack was attributed to its author, of the "
        "victim's diplomatic sanction against it (expelling diplomats, severing ties) and of "
        "the victim's partners' public condemnation (a protest).",
        "Albania-Iran 2022 (CCSIS; AP); calibrated",
        G.UTILITIES,
    ),
}

#: Weight names, in column order.
NAMES: tuple[str, ...] = tuple(w.key for w in W)
#: Column of each name.
INDEX: dict[str, W] = {w.key: w for w in W}


def _check() -> None:
    missing = [w.key for w in W if w not in TABLE]
    if missing:
        raise RuntimeError(f"weights without an entry in TABLE: {', '.join(missing)}")
    if [int(w) for w in W] != list(range(len(W))):
        raise RuntimeError("W members must be numbered 0, 1, 2, ... in order")
    for w, entry in TABLE.items():
        if not entry.lo <= entry.value <= entry.hi:
            raise RuntimeError(
                f"weight {w.key}: default {entry.value} outside [{entry.lo}, {entry.hi}]"
            )


_check()
