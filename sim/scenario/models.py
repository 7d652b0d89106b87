"""Pydantic models of a Borderline scenario file: the single source of truth for its schema.

Data only, no behaviour: the engine (``sim.world``) turns a validated :class:`Scenario` into
arrays. Every field has a description (it becomes the JSON Schema and docs/reference.md), every
model forbids unknown keys, and units are in field names (``_km``, ``_days``, ``_busd`` for
billion US dollars) or in the description.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from sim.weights import W

SCHEMA_VERSION = 1

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        min_length=1,
        max_length=48,
        description="An identifier: lower-case letters, digits and underscores, starting with "
        "a letter.",
    ),
]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base of every scenario model: unknown keys are errors, numbers must be finite."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        str_strip_whitespace=True,
        allow_inf_nan=False,
    )


# --------------------------------------------------------------------------------------------
# Metadata


class Source(Strict):
    """A published source that the scenario's facts come from."""

    id: Id = Field(description="Short id used to cite this source from events and notes.")
    citation: str = Field(min_length=1, description="Author, title, publisher and date.")
    url: str | None = Field(default=None, description="Where the source can be read, if online.")


class Metadata(Strict):
    """What the crisis is and where its facts come from."""

    id: Id = Field(description="Scenario id; by convention the file name without .yaml.")
    title: str = Field(min_length=1, max_length=120, description="Title shown to players.")
    summary: str = Field(
        min_length=1, max_length=400, description="One or two sentences shown in `borderline list`."
    )
    region: str = Field(min_length=1, description="Region of the crisis, e.g. South Caucasus.")
    date: dt.date = Field(description="Date of the real situation the scenario starts from.")
    authors: list[str] = Field(default_factory=list, description="Who wrote the scenario.")
    sources: list[Source] = Field(
        min_length=1, description="Sources of the scenario's facts; at least one."
    )


class TimeSettings(Strict):
    """The clock of the run."""

    turn_days: int = Field(default=7, ge=1, le=90, description="Days per turn.")
    horizon_turns: int = Field(
        default=26, ge=1, le=520, description="Turns after which the run ends if still unsettled."
    )
    start_date: dt.date | None = Field(
        default=None, description="Calendar date of turn 1 (defaults to metadata.date)."
    )


# --------------------------------------------------------------------------------------------
# Actors


class ActorKind(StrEnum):
    """Whether an actor is a state or a non-state actor (armed group, proxy)."""

    STATE = "state"
    NON_STATE = "non_state"


class DroneType(Strict):
    """A type of armed drone in an actor's inventory."""

    type: str = Field(min_length=1, description="Model name, e.g. Bayraktar TB2.")
    count: int = Field(ge=0, description="Number available for this crisis.")
    range_km: float = Field(
        gt=0, description="Combat radius in km; a strike needs range_km >= the dyad's distance_km."
    )
    strike: float = Field(
        gt=0,
        le=10,
        description="Strike value per drone: major equipment items destroyed per successful "
        "sortie-day, before counter-drone defence.",
    )
    source: Id | None = Field(
        default=None, description="Id of the source in metadata.sources for these figures."
    )


class Forces(Strict):
    """Military capabilities available for this crisis (in theatre, not national totals)."""

    troops_k: float = Field(ge=0, description="Ground troops in theatre, in thousands.")
    armour: float = Field(
        ge=0, description="Major ground equipment in theatre: tanks, armoured vehicles, artillery."
    )
    quality: float = Field(
        default=1.0,
        gt=0,
        le=5,
        description="Combat effectiveness multiplier of the ground forces (training, C2).",
    )
    air_defence: float = Field(
        default=0.0,
        ge=0,
        description="Counter-drone and air defence strength, in the same units as drone strike "
        "power (count x strike); a value equal to an attacker's strike power halves its success.",
    )
    missiles: int = Field(default=0, ge=0, description="Ballistic and cruise missiles available.")
    missile_range_km: float = Field(
        default=0.0, ge=0, description="Range of those missiles in km (0 if none)."
    )
    cyber: Fraction = Field(
        default=0.0, description="Offensive and defensive cyber capability, 0 (none) to 1."
    )


class Economy(Strict):
    """The actor's economy."""

    gdp_busd: float = Field(gt=0, description="Annual GDP in billion USD.")
    reserves_busd: float = Field(
        default=0.0, ge=0, description="Foreign reserves in billion USD, a buffer for costs."
    )
    trade_dependence: Fraction = Field(
        default=0.3, description="Trade as a share of GDP, scaled 0-1; raises sanctions' bite."
    )


class Politics(Strict):
    """The actor's domestic politics."""

    resolve: Fraction = Field(default=0.5, description="Willingness to bear costs for its stakes.")
    risk_tolerance: Fraction = Field(
        default=0.5, description="0 risk-averse to 1 risk-seeking; scales the pull of force."
    )
    domestic_pressure: Fraction = Field(
        default=0.3, description="Public and elite pressure to act tough, 0-1."
    )


class Doctrine(Strict):
    """Weights an actor puts on security, economy and international standing (need not sum to 1)."""

    security: Fraction = Field(default=0.5, description="Weight on security.")
    economy: Fraction = Field(default=0.3, description="Weight on the economy.")
    standing: Fraction = Field(default=0.2, description="Weight on international standing.")


class Position(Strict):
    """A point on the map."""

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees.")


class Actor(Strict):
    """A state or non-state actor: a Mesa agent in the model."""

    id: Id = Field(description="Actor id used everywhere else in the file.")
    name: str = Field(min_length=1, description="Name shown to players.")
    kind: ActorKind = Field(default=ActorKind.STATE, description="State or non-state actor.")
    capital: Position | None = Field(
        default=None, description="Capital (latitude and longitude), for the map."
    )
    forces: Forces = Field(description="Military capabilities in theatre.")
    drones: list[DroneType] = Field(
        default_factory=list, description="Armed drone types, with count, range and strike value."
    )
    economy: Economy = Field(description="Economy: GDP, reserves and trade dependence.")
    politics: Politics = Field(
        default_factory=Politics,
        description="Domestic politics: resolve, risk tolerance, domestic pressure.",
    )
    doctrine: Doctrine = Field(
        default_factory=Doctrine,
        description="Doctrine: weights on security, the economy and international standing.",
    )


# --------------------------------------------------------------------------------------------
# Relations


class DiplomaticStatus(StrEnum):
    """Diplomatic relations between two actors."""

    FULL = "full"
    DOWNGRADED = "downgraded"
    SEVERED = "severed"


class Relation(Strict):
    """The relation of a pair of actors (both directions)."""

    between: tuple[Id, Id] = Field(description="The two actor ids.")
    border_km: float = Field(default=0.0, ge=0, description="Length of the common border in km.")
    distance_km: float = Field(
        ge=0,
        description="Distance in km from one side's bases to the other's key targets; drones and "
        "missiles must reach it.",
    )
    diplomatic_status: DiplomaticStatus = Field(
        default=DiplomaticStatus.FULL, description="Diplomatic relations at the start."
    )
    trade_busd: float = Field(default=0.0, ge=0, description="Annual bilateral trade, billion USD.")
    tension: Fraction = Field(default=0.1, description="Tension at the start, 0 calm to 1 crisis.")
    grievance: dict[Id, Fraction] = Field(
        default_factory=dict,
        description="Each side's grievance against the other at the start, keyed by actor id.",
    )
    rung: dict[Id, Annotated[int, Field(ge=0, le=7)]] = Field(
        default_factory=dict,
        description="Rung each side has reached against the other at the start (0-7), by actor id.",
    )
    belief: dict[Id, Annotated[float, Field(ge=-5, le=5)]] = Field(
        default_factory=dict,
        description="Each side's known error on the log-odds of its chance of winning against "
        "the other at the start (positive: overconfident), by actor id; added to the random "
        "misperception, and corrected by fighting like it.",
    )
    at_war: bool = Field(
        default=False,
        description="The pair is at war when the run starts (a run begun on the first day of a "
        "war); needs the combat rule.",
    )
    initiator: Id | None = Field(
        default=None,
        description="With at_war: the side that started the war (side A of the MID outcome).",
    )
    fortified: list[Id] = Field(
        default_factory=list,
        description="Sides of the pair that have fortified the common border at the start.",
    )
    source: Id | None = Field(
        default=None, description="Id of the source in metadata.sources for these figures."
    )


class AllianceKind(StrEnum):
    """How binding a commitment is."""

    ALLIANCE = "alliance"
    PARTNERSHIP = "partnership"


class Alliance(Strict):
    """A commitment of a patron to a client: arms, warnings, and perhaps joining a war."""

    patron: Id = Field(description="The actor that gives the commitment.")
    client: Id = Field(description="The actor that receives it.")
    kind: AllianceKind = Field(
        default=AllianceKind.PARTNERSHIP,
        description="Alliance (a formal commitment) or partnership (a looser one).",
    )
    credibility: Fraction = Field(
        description="Probability others assign to the patron honouring it (joining a war)."
    )
    arms_supply: float = Field(
        default=0.0,
        ge=0,
        description="Arms the patron can deliver per turn when asked, in armour items.",
    )
    drone_supply: float = Field(
        default=0.0, ge=0, description="Drones the patron can deliver per turn when asked."
    )
    drone_type: str | None = Field(
        default=None, description="Client's drone type that deliveries add to (its type name)."
    )
    source: Id | None = Field(
        default=None, description="Id of the source in metadata.sources for this commitment."
    )


# --------------------------------------------------------------------------------------------
# Corridors


class CorridorStatus(StrEnum):
    """State of a transit corridor."""

    OPEN = "open"
    LEVIED = "levied"
    CLOSED = "closed"


class Corridor(Strict):
    """A transit route through one actor's territory used by others."""

    id: Id = Field(description="Corridor id.")
    name: str = Field(min_length=1, description="Name shown to players.")
    controller: Id = Field(description="Actor whose territory the corridor crosses.")
    users: list[Id] = Field(min_length=1, description="Actors whose trade uses the corridor.")
    volume_per_turn: float = Field(
        default=0.0, ge=0, description="Traffic per turn (trucks or trains), for display."
    )
    value_busd: float = Field(
        gt=0, description="Annual value of the trade using the corridor, billion USD."
    )
    status: CorridorStatus = Field(
        default=CorridorStatus.OPEN, description="Status at the start: open, levied or closed."
    )
    levy_rate: Fraction = Field(
        default=0.0, description="Levy as a share of the value when status is levied."
    )
    alternative: Id | None = Field(
        default=None, description="Id of another corridor users can switch to, if any."
    )
    path: list[Position] = Field(
        default_factory=list, description="Route for the map: points from one end to the other."
    )
    source: Id | None = Field(
        default=None, description="Id of the source in metadata.sources for these figures."
    )


# --------------------------------------------------------------------------------------------
# Rules


class RuleParams(Strict):
    """Common base of rule parameters."""

    enabled: bool = Field(default=True, description="Switch the rule off without deleting it.")


class DiplomacyParams(RuleParams):
    """Core diplomacy and military signalling (sim/rules/diplomacy.py): on unless switched off.

    Protests, visits, consulates, expulsions and ruptures, concessions, sanctions, threats,
    drills, alerts, mobilization, fortification and stand-downs. Its coefficients are named
    weights of the model (docs/model.md).
    """


class DroneParityParams(RuleParams):
    """Drone strike power against counter-drone defence (sim/rules/drone_parity.py)."""

    weight: float = Field(
        default=0.6,
        ge=0,
        le=3,
        description="How strongly the drone balance multiplies ground-combat effectiveness.",
    )
    sorties_per_day: Fraction = Field(
        default=0.25, description="Share of the drone fleet striking each day of war."
    )
    drone_loss_rate: Fraction = Field(
        default=0.04,
        description="Daily share of sorties lost when defence equals strike power.",
    )


class TransitParams(RuleParams):
    """Levies and closures of transit corridors (sim/rules/transit.py)."""

    grievance_per_busd: float = Field(
        default=0.5, ge=0, le=10, description="Grievance added per billion USD a year lost."
    )
    switch_loss: Fraction = Field(
        default=0.3, description="Share of value lost when users switch to the alternative route."
    )


class AllianceParams(RuleParams):
    """Commitments, arms deliveries and joining wars (sim/rules/alliances.py)."""

    delivery_turns: int = Field(
        default=3,
        ge=1,
        le=52,
        description="Turns over which ordered arms arrive, in equal parts. An order is seen "
        "in the pipeline for a turn; its first part arrives at the start of the second turn "
        "after the order, its last this many turns later.",
    )


class MediationParams(RuleParams):
    """Third-party mediation (sim/rules/mediation.py)."""

    mediators: list[Id] = Field(min_length=1, description="Actors that may mediate.")
    offer_tension: Fraction = Field(
        default=0.5, description="Tension at or above which mediators offer talks."
    )
    success_tension_drop: Fraction = Field(
        default=0.3, description="Tension removed when both sides accept mediation."
    )


class ArmsRaceParams(RuleParams):
    """Richardson arms race: dx/dt = k*y - a*x + g (sim/rules/arms_race.py)."""

    reaction: float = Field(
        default=0.02, ge=0, le=1, description="k: reaction to rivals' arms, per year."
    )
    fatigue: float = Field(
        default=0.05, ge=0, le=1, description="a: fatigue (upkeep burden), per year."
    )
    grievance: float = Field(
        default=0.03, ge=0, le=1, description="g: arming from grievance, share of armour per year."
    )


class CombatParams(RuleParams):
    """Daily Lanchester attrition (sim/rules/combat.py)."""

    lethality: float = Field(
        default=0.02,
        gt=0,
        le=1,
        description="Armour items destroyed per day per effective enemy item (Lanchester square).",
    )
    breakpoint: Fraction = Field(
        default=0.7, description="Share of armour left at which a side seeks a ceasefire."
    )
    collapse: Fraction = Field(
        default=0.45, description="Share of armour left at which a side's front collapses."
    )
    deaths_per_item: float = Field(
        default=1.5, ge=0, le=100, description="Battle deaths per major equipment item lost."
    )
    war_cost_gdp_per_day: float = Field(
        default=0.0005, ge=0, le=0.05, description="Share of GDP a day of war costs."
    )


class CyberParams(RuleParams):
    """Cyber operations and attribution (sim/rules/cyber.py)."""

    damage_gdp: float = Field(
        default=0.002, ge=0, le=0.1, description="Share of GDP a successful attack costs."
    )
    attribution: Fraction = Field(
        default=0.6, description="Chance a successful attack is attributed to its author."
    )


class DomesticParams(RuleParams):
    """Rally effects and audience costs (sim/rules/domestic.py)."""

    rally: Fraction = Field(default=0.15, description="Pressure added when attacked.")
    audience_cost: Fraction = Field(
        default=0.2, description="Pressure added when backing down after a public threat."
    )


class Rules(Strict):
    """Rules switched on for this scenario; a rule absent here is off (except diplomacy, which is
    on unless it says ``enabled: false``)."""

    diplomacy: DiplomacyParams = Field(
        default_factory=DiplomacyParams,
        description="Core diplomacy and signalling; on unless switched off with enabled: false.",
    )
    drone_parity: DroneParityParams | None = Field(
        default=None,
        description="Drone parity: strike power against counter-drone defence. Needs drones.",
    )
    transit: TransitParams | None = Field(
        default=None, description="Transit blockades: levies and closures. Needs corridors."
    )
    alliances: AllianceParams | None = Field(
        default=None,
        description="Alliance commitments: arms deliveries, joining wars. Needs alliances.",
    )
    mediation: MediationParams | None = Field(
        default=None, description="Third-party mediation; lists the mediators."
    )
    arms_race: ArmsRaceParams | None = Field(
        default=None, description="Richardson arms race between rivals."
    )
    combat: CombatParams | None = Field(
        default=None,
        description="Lanchester combat, day by day. Needs two actors with armour.",
    )
    cyber: CyberParams | None = Field(
        default=None,
        description="Cyber and gray-zone operations. Needs an actor with forces.cyber > 0.",
    )
    domestic: DomesticParams | None = Field(
        default=None, description="Domestic politics: rally effects and audience costs."
    )


# --------------------------------------------------------------------------------------------
# Events, roles and parameters


class ActionId(StrEnum):
    """Ids of the actions in the engine's catalogue (sim/actions.py; docs/actions.md).

    Kept here, in the data layer, so scenario files can be checked and completed by editors; a
    test checks that the engine's catalogue has exactly these ids.
    """

    HOLD = "hold"
    PROTEST = "protest"
    STATE_VISIT = "state_visit"
    OPEN_CONSULATE = "open_consulate"
    EXPEL_DIPLOMATS = "expel_diplomats"
    SEVER_TIES = "sever_ties"
    RESTORE_TIES = "restore_ties"
    REQUEST_MEDIATION = "request_mediation"
    ACCEPT_MEDIATION = "accept_mediation"
    OFFER_CONCESSION = "offer_concession"
    PROPOSE_CEASEFIRE = "propose_ceasefire"
    LEVY_TRANSIT = "levy_transit"
    CLOSE_CORRIDOR = "close_corridor"
    REOPEN_CORRIDOR = "reopen_corridor"
    IMPOSE_SANCTIONS = "impose_sanctions"
    BUY_ARMS = "buy_arms"
    SUPPLY_ARMS = "supply_arms"
    CYBER_ATTACK = "cyber_attack"
    COVERT_OPERATION = "covert_operation"
    ARREST_NETWORK = "arrest_network"
    SUPPORT_PROXY = "support_proxy"
    THREATEN = "threaten"
    THREATEN_WAR = "threaten_war"
    DRILLS = "drills"
    ALERT = "alert"
    MOBILIZE = "mobilize"
    FORTIFY_BORDER = "fortify_border"
    BORDER_VIOLATION = "border_violation"
    DRONE_STRIKE = "drone_strike"
    MISSILE_STRIKE = "missile_strike"
    BORDER_CLASH = "border_clash"
    SEIZE_CORRIDOR = "seize_corridor"
    BLOCKADE = "blockade"
    LAUNCH_OFFENSIVE = "launch_offensive"
    JOIN_WAR = "join_war"
    STAND_DOWN = "stand_down"


class Metric(StrEnum):
    """Quantities a scripted event's condition can test."""

    TENSION = "tension"
    RUNG = "rung"
    GRIEVANCE = "grievance"
    ARMOUR_LOST = "armour_lost"
    WAR_DAYS = "war_days"


class Condition(Strict):
    """A condition on an ordered pair of actors, tested at the start of each turn."""

    actor: Id = Field(description="First actor of the pair.")
    target: Id = Field(description="Second actor of the pair.")
    metric: Metric = Field(
        description="What to test: the pair's tension, or the actor's rung or grievance "
        "against the target; armour_lost: the share of the actor's starting armour lost (0-1); "
        "war_days: days of war fought in the run so far."
    )
    at_least: float = Field(ge=0, description="Threshold the metric must reach.")


class Event(Strict):
    """A scripted event: an actor takes an action at a turn, or once when a condition holds."""

    id: Id | None = Field(
        default=None,
        description="Optional event id; a scenario that extends this one can change or remove "
        "the event by its id.",
    )
    at_turn: int | None = Field(
        default=None,
        ge=1,
        description="Turn (1-based) it happens; give either at_turn or when, not both.",
    )
    when: Condition | None = Field(
        default=None,
        description="Or: it happens at the first turn this condition holds (once).",
    )
    actor: Id = Field(description="Actor taking the action.")
    action: ActionId = Field(description="Action id from the catalogue (docs/actions.md).")
    target: Id = Field(description="Target actor.")
    note: str = Field(default="", description="What happened in the real crisis.")
    source: Id | None = Field(default=None, description="Id of the source in metadata.sources.")


class ObjectiveKind(StrEnum):
    """What a leader cares about; each is a gauge from 0 to 100 every turn (sim/objectives.py)."""

    AVOID_WAR = "avoid_war"
    KEEP_CORRIDOR_OPEN = "keep_corridor_open"
    CALM_WITH = "calm_with"
    APPROVAL = "approval"
    ECONOMY = "economy"
    FORCES = "forces"
    WEAKEN = "weaken"
    PARTNERS = "partners"


class Objective(Strict):
    """One thing the role's leader cares about, scored every turn from 0 to 100.

    ``avoid_war``: 100 while the actor is at war with nobody, else 0. ``keep_corridor_open``:
    100 while ``corridor`` is open and held by its rightful controller, 50 while levied, 0 while
    closed or seized. ``calm_with``: 100 times one minus the tension with ``counterpart``.
    ``approval``: 100 times one minus the actor's domestic pressure (backing down after a threat,
    or being attacked, raises it). ``economy``: 100 at no economic cost, 0 once the crisis has
    cost 2% of the actor's GDP. ``forces``: the share of its starting armour the actor still has.
    ``partners``: 100 times one minus the mean tension with its alliance partners (0 with a
    partner it has broken off ties with).
    """

    kind: ObjectiveKind = Field(description="What is scored (see the list above).")
    weight: float = Field(
        default=1.0, gt=0, le=10, description="Weight of this objective in the role's score."
    )
    corridor: Id | None = Field(
        default=None, description="The corridor, for keep_corridor_open (required there)."
    )
    counterpart: Id | None = Field(
        default=None, description="The other actor, for calm_with and weaken (required there)."
    )
    text: str | None = Field(
        default=None,
        max_length=160,
        description="How the objective is put to the player; a plain sentence is made from the "
        "kind if left out.",
    )


class Role(Strict):
    """A country a student can play."""

    actor: Id = Field(description="The actor played.")
    brief: str = Field(min_length=1, description="The situation and goals, for the student.")
    objectives: list[Objective] = Field(
        default_factory=list,
        max_length=8,
        description="What the leader is scored on every turn, 0-100 each, combined by weight; a "
        "role without objectives is scored on avoid_war, approval and economy.",
    )


#: The model's named weights (sim/weights.py; the table in docs/model.md), which a scenario may
#: give its own default and sweep range.
ParameterName = StrEnum(  # type: ignore[misc]
    "ParameterName", {w.name: w.key for w in W}, module=__name__
)
ParameterName.__doc__ = "Model weights a scenario may set and sweeps may vary (docs/model.md)."


class ParameterRange(Strict):
    """The default and allowed range of an engine parameter in this scenario."""

    default: float = Field(description="Value used when a run does not set it.")
    min: float = Field(description="Smallest value a sweep may use.")
    max: float = Field(description="Largest value a sweep may use.")


class Scenario(Strict):
    """A Borderline scenario: one crisis, its actors, relations, rules and script."""

    schema_version: Literal[1] = Field(description="Version of this schema; currently 1.")
    metadata: Metadata = Field(description="What the crisis is, with sources.")
    time: TimeSettings = Field(
        default_factory=TimeSettings, description="The clock: turn length, horizon, start date."
    )
    actors: list[Actor] = Field(
        min_length=2, max_length=16, description="The actors: states and non-state actors, 2-16."
    )
    relations: list[Relation] = Field(
        default_factory=list,
        description="Relations of pairs of actors; pairs not listed have no border, are far apart "
        "(distance 9,999 km) and calm.",
    )
    alliances: list[Alliance] = Field(
        default_factory=list, description="Commitments of patrons to clients."
    )
    corridors: list[Corridor] = Field(
        default_factory=list, description="Transit routes through one actor used by others."
    )
    rules: Rules = Field(
        default_factory=Rules, description="Rules switched on, with their parameters."
    )
    events: list[Event] = Field(
        default_factory=list, description="Scripted events that start the run from the real crisis."
    )
    roles: list[Role] = Field(
        default_factory=list, description="Countries a student can play, each with a brief."
    )
    parameters: dict[ParameterName, ParameterRange] = Field(
        default_factory=dict,
        description="Defaults and sweep ranges of model weights (docs/model.md), within the "
        "ranges the model allows.",
    )

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        """Run the cross-field checks (references, duplicates, horizon...; sim.scenario.checks).

        The loader runs them itself on the raw data, to report them with line numbers together
        with type errors, and passes ``context={"skip_checks": True}``.
        """
        if isinstance(info.context, dict) and info.context.get("skip_checks"):
            return self
        from sim.scenario.checks import check, render_loc

        findings = check(self.model_dump(mode="json"))
        if findings:
            lines = "; ".join(f"{render_loc(f.loc)}: {f.message} [{f.code}]" for f in findings)
            raise PydanticCustomError("scenario_checks", "{lines}", {"lines": lines})
        return self
