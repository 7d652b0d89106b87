"""The world as arrays: static data from the scenario, and state with a leading replicate axis.

A single game is a batch of one. Every array in :class:`State` has the replicate axis first, and
every rule works on whole arrays, so the same code steps one student's game, the advisor's
hundreds of futures, and a researcher's thousands of replicates. Rules treat replicates
independently (no reduction over the replicate axis anywhere in the engine), which is what makes
a replicate's result independent of the batch it ran in.

Indices: ``N`` actors, ``D`` drone types (all actors' types in one list, each with its owner),
``C`` corridors, ``L`` slots of the arms-delivery pipeline.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.rng import Purpose, normal
from sim.scenario.models import (
    ActionId,
    CorridorStatus,
    DiplomaticStatus,
    RuleParams,
    Scenario,
)
from sim.weights import INDEX, NAMES, TABLE, W

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
I8 = NDArray[np.int8]
B = NDArray[np.bool_]
U64 = NDArray[np.uint64]

FAR_KM = 9999.0


# The codes of the state's int8 arrays. Compare an array with a member's ``.value`` (a plain
# int), not the member: numpy takes an IntEnum member for an int64 array and casts the whole
# int8 array to int64 first, so ``w.diplo == Ties.FULL`` of a (6000, 6, 6) array takes about
# 80 µs and ``w.diplo == Ties.FULL.value`` 8 µs, with the same result.


class Ties(IntEnum):
    """Diplomatic status of a pair, as stored in ``State.diplo``."""

    FULL = 0
    DOWNGRADED = 1
    SEVERED = 2


class Corridor(IntEnum):
    """Status of a transit corridor, as stored in ``State.corridor_status``."""

    OPEN = 0
    LEVIED = 1
    CLOSED = 2


class Posture(IntEnum):
    """Standing military posture of i toward j (``State.posture``); values are MID codes."""

    NONE = 0
    ALERT = 8
    MOBILIZED = 10


class WarEnd(IntEnum):
    """How a run's last war ended (``State.war_ended_by``)."""

    NONE = 0  # no war, or still going
    CEASEFIRE = 1  # both sides offered a ceasefire
    MEDIATED = 2  # mediated talks both sides accepted
    COLLAPSE = 3  # a side's front collapsed


class Source(IntEnum):
    """Who chose an actor's action in a turn (``TurnRecord.source``)."""

    AI = 0
    SCRIPTED = 1
    PLAYER = 2


DIPLO_CODE = {
    DiplomaticStatus.FULL: Ties.FULL,
    DiplomaticStatus.DOWNGRADED: Ties.DOWNGRADED,
    DiplomaticStatus.SEVERED: Ties.SEVERED,
}
CORRIDOR_CODE = {
    CorridorStatus.OPEN: Corridor.OPEN,
    CorridorStatus.LEVIED: Corridor.LEVIED,
    CorridorStatus.CLOSED: Corridor.CLOSED,
}
CORRIDOR_STATUS_NAMES = tuple(c.name.lower() for c in Corridor)
DEFAULT_LEVY = 0.15


@dataclass(frozen=True)
class ScriptedEvent:
    """A compiled scripted event."""

    index: int
    at_turn: int | None
    actor: int
    target: int
    action: ActionId
    condition: tuple[int, int, str, float] | None
    note: str


@dataclass(frozen=True)
class Static:
    """Everything about a scenario that no replicate changes, as arrays."""

    scenario_id: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    is_state: B
    turn_days: int
    horizon: int
    # actors
    armour0: F64
    troops0: F64
    quality: F64
    air_defence0: F64
    missiles0: F64
    missile_range: F64
    cyber: F64
    gdp: F64
    reserves: F64
    trade_dep: F64
    resolve: F64
    risk: F64
    pressure0: F64
    doctrine: F64  # (N, 3): security, economy, standing
    # drones
    drone_owner: I64
    drone_range: F64
    drone_strike: F64
    drone_type: tuple[str, ...]
    drones0: F64
    # dyads
    border: F64
    distance: F64
    trade: F64
    credibility: F64  # [patron, client]
    alliance: B  # [patron, client], alliance (not partnership)
    arms_supply: F64  # [patron, client]
    drone_supply: F64  # [patron, client]
    drone_supply_type: I64  # [patron, client] -> drone index or -1
    # corridors
    corridor_ids: tuple[str, ...]
    corridor_names: tuple[str, ...]
    corridor_controller0: I64
    corridor_users: B  # (C, N)
    corridor_value: F64
    corridor_alt: I64
    belief_offset: F64  # (N, N) known error of i's belief about its chance against j
    # rules: name -> validated params model (None when absent from the scenario)
    rules: dict[str, RuleParams | None]
    mediators: B
    events: tuple[ScriptedEvent, ...]
    pipeline_len: int
    init: dict[str, Any] = field(repr=False)

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.ids)

    def index(self, actor_id: str) -> int:
        """Index of an actor id.

        Raises:
            KeyError: if the id is unknown, with the known ids in the message.
        """
        try:
            return self.ids.index(actor_id)
        except ValueError:
            raise KeyError(f"unknown actor {actor_id!r}; known: {', '.join(self.ids)}") from None

    def rule_on(self, name: str) -> bool:
        """Whether the rule ``name`` is on in this scenario (present and enabled)."""
        params = self.rules.get(name)
        return params is not None and params.enabled


@dataclass
class State:
    """Mutable state of R replicates; every field has the replicate axis first."""

    seeds: U64
    turn: int
    # actors (R, N)
    armour: F64
    troops: F64
    air_defence: F64
    missiles: F64
    pressure: F64
    econ_cost: F64
    armour_lost: F64  # in all
    lost_to_drones: F64  # of which to drone strikes
    lost_to_missiles: F64  # of which to missile strikes (the rest: ground combat)
    deaths: F64
    collapsed: B
    score: F64
    # drones (R, D)
    drones: F64
    drones_lost: F64
    # dyads (R, N, N)
    belief_noise: F64  # standard normal error of i's belief about j, drawn once per run
    clarity: F64  # share of that error still held (1 at the start; fighting reveals strength)
    tension: F64
    grievance: F64
    rung: I8
    mid_action: I8
    last_action_rung: I8
    attributed: B  # i's gray-zone action against j was attributed to i last turn
    diplo: I8  # Ties
    sanctions: B
    posture: I8  # standing posture of i toward j (Posture: none, alert, mobilized)
    fortified: B
    threatened: B
    at_war: B
    war_start: I64
    war_initiator: B
    ceasefire_offer: B
    mediation_offer: B
    mediation_accept: B
    # corridors (R, C)
    corridor_status: I8  # Corridor
    corridor_controller: I64
    corridor_levy: F64
    # arms pipeline (R, N, L) armour and (R, D, L) drones
    pipeline_armour: F64
    pipeline_drones: F64
    # events fired (R, E)
    event_fired: B
    # run-level (R,)
    peak_rung: I64
    peak_mid_action: I64
    war_turn: I64
    war_end_turn: I64
    war_ended_by: I64  # how the last war ended (WarEnd)
    war_days: I64
    calm_turns: I64
    ruptures: I64
    mediation_offers: I64
    mediation_successes: I64
    winner: I64
    mid_outcome: I64
    done: B
    end_turn: I64

    @property
    def r(self) -> int:
        """Number of replicates."""
        return int(self.seeds.shape[0])

    def take(self, idx: I64 | B) -> State:
        """The state of a subset of replicates (a copy)."""
        kw: dict[str, Any] = {}
        ix = np.asarray(idx)
        fancy = ix.ndim > 0  # indexing by an array copies already: no second copy
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, np.ndarray):
                v = v[ix] if fancy else v[ix].copy()
            kw[f.name] = v
        return State(**kw)

    def same(self) -> bool:
        """Whether every replicate is in the same state, bit for bit (their seeds aside)."""
        arrays = [
            v
            for f in dataclasses.fields(self)
            if f.name != "seeds"
            and isinstance(v := getattr(self, f.name), np.ndarray)
            and v.shape[0] >= 2
        ]
        # replicates that differ nearly always differ between the first and the last: a
        # cheap look at those two rows first spares comparing every row of every array
        for v in arrays:
            if np.any(v[0] != v[-1]):  # (NaN is never equal, as below)
                return False
        for v in arrays:
            first = v[:1]
            if not (v == first).all():  # NaN is never equal: such states are not "the same"
                return False
            if v.dtype.kind == "f" and not (np.signbit(v) == np.signbit(first)).all():
                return False
        return True

    def rows(self, start: int, stop: int) -> State:
        """The replicates ``start:stop`` as views of these arrays (no copy: for reading)."""
        kw: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            kw[f.name] = v[start:stop] if isinstance(v, np.ndarray) else v
        return State(**kw)

    def copy(self) -> State:
        """A deep copy."""
        return self.take(np.arange(self.r))

    def reading(self, idx: I64) -> State:
        """The replicates ``idx``, for reading only: each array is cut from these the first time
        it is read, so a question about a few replicates that reads a few fields (a
        precondition, sim.engine) costs little. Changing this state afterwards is not seen."""
        return _Rows(self, idx)


class _Rows(State):
    """:meth:`State.reading`: a State whose fields are cut from another's on first reading."""

    def __init__(self, base: State, idx: I64) -> None:  # no fields set: see __getattr__
        self.__dict__["_base"] = base
        self.__dict__["_idx"] = idx

    def __getattr__(self, name: str) -> Any:  # called only for a field not read yet
        if name not in _FIELDS:
            raise AttributeError(name)
        v = getattr(self.__dict__["_base"], name)
        if isinstance(v, np.ndarray):
            v = v[self.__dict__["_idx"]]
        self.__dict__[name] = v
        return v


_FIELDS = frozenset(f.name for f in dataclasses.fields(State))
if any(hasattr(State, name) for name in _FIELDS):  # pragma: no cover - a guard for the authors
    raise ImportError("State fields must not have class-level defaults: State.reading needs it")


@dataclass(frozen=True)
class Params:
    """Every weight of the model (sim.weights), one value per replicate.

    ``params[W.STATUS_QUO]`` is the (R,) array of that weight; ``values`` is (R, len(W)).
    """

    values: F64

    def __getitem__(self, w: W) -> F64:
        return self.values[:, w]

    def col(self, w: W) -> F64:
        """The weight as an (R, 1, 1) array, to broadcast against (R, N, N) dyad arrays."""
        return self.values[:, w, None, None]

    @property
    def r(self) -> int:
        """Number of replicates."""
        return int(self.values.shape[0])

    def take(self, idx: I64 | B) -> Params:
        """The parameters of a subset of replicates."""
        ix = np.asarray(idx)
        return Params(self.values[ix] if ix.ndim > 0 else self.values[ix].copy())

    def rows(self, start: int, stop: int) -> Params:
        """The parameters of replicates ``start:stop`` (a view: for reading)."""
        return Params(self.values[start:stop])

    def row(self, r: int) -> dict[str, float]:
        """Parameters of replicate ``r`` as a plain dict, name -> value."""
        return {name: float(v) for name, v in zip(NAMES, self.values[r], strict=True)}


def parameter_defaults(scenario: Scenario) -> dict[str, float]:
    """Default value of every weight for a scenario (the table's, overridden by the scenario)."""
    out = {w.key: TABLE[w].value for w in W}
    for name, rng in scenario.parameters.items():
        out[str(name)] = rng.default
    return out


def parameter_ranges(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Allowed (min, max) of every weight in a scenario."""
    out = {w.key: (TABLE[w].lo, TABLE[w].hi) for w in W}
    for name, rng in scenario.parameters.items():
        out[str(name)] = (rng.min, rng.max)
    return out


def make_params(scenario: Scenario, r: int, overrides: dict[str, Any] | None = None) -> Params:
    """Build :class:`Params` for ``r`` replicates.

    Args:
        scenario: the scenario (gives defaults and allowed ranges).
        r: number of replicates.
        overrides: weight name -> a number, or a sequence of ``r`` numbers.

    Raises:
        ValueError: for an unknown name (with the closest known names) or a value outside the
            allowed range.
    """
    values = parameter_defaults(scenario)
    ranges = parameter_ranges(scenario)
    overrides = dict(overrides or {})
    for name in sorted(overrides):
        if name not in INDEX:
            close = difflib.get_close_matches(str(name), NAMES, n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ValueError(
                f"unknown parameter {name!r}{hint} (the weights are listed in docs/model.md)"
            )
    out = np.empty((r, len(NAMES)))
    for w in W:
        name = w.key
        v = overrides.get(name, values[name])
        try:
            arr = np.broadcast_to(np.asarray(v, dtype=np.float64), (r,)).copy()
        except (TypeError, ValueError):
            raise ValueError(
                f"parameter {name} must be a number or {r} numbers (one per replicate), got {v!r}"
            ) from None
        lo, hi = ranges[name]
        bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
        if bad.any():
            raise ValueError(
                f"parameter {name}={float(arr[bad][0]):g} is outside its range [{lo:g}, {hi:g}]"
            )
        out[:, w] = arr
    return Params(out)


def build_static(scenario: Scenario) -> Static:
    """Compile a validated scenario into arrays."""
    actors = scenario.actors
    ids = tuple(a.id for a in actors)
    n = len(ids)
    ix = {a: i for i, a in enumerate(ids)}

    def per_actor(getter: Any) -> F64:
        return np.array([float(getter(a)) for a in actors], dtype=np.float64)

    owners: list[int] = []
    ranges: list[float] = []
    strikes: list[float] = []
    types: list[str] = []
    counts: list[float] = []
    for i, a in enumerate(actors):
        for d in a.drones:
            owners.append(i)
            ranges.append(d.range_km)
            strikes.append(d.strike)
            types.append(d.type)
            counts.append(float(d.count))

    border = np.zeros((n, n))
    distance = np.full((n, n), FAR_KM)
    np.fill_diagonal(distance, 0.0)
    trade = np.zeros((n, n))
    tension = np.zeros((n, n))
    grievance = np.zeros((n, n))
    rung = np.zeros((n, n), dtype=np.int8)
    diplo = np.zeros((n, n), dtype=np.int8)
    at_war = np.zeros((n, n), dtype=bool)
    belief = np.zeros((n, n))
    initiator = np.zeros((n, n), dtype=bool)
    fortified = np.zeros((n, n), dtype=bool)
    for rel in scenario.relations:
        ia, ib = ix[rel.between[0]], ix[rel.between[1]]
        for i, j in ((ia, ib), (ib, ia)):
            border[i, j] = rel.border_km
            distance[i, j] = rel.distance_km
            trade[i, j] = rel.trade_busd
            tension[i, j] = rel.tension
            diplo[i, j] = DIPLO_CODE[rel.diplomatic_status]
        for who, g in rel.grievance.items():
            i = ix[who]
            grievance[i, ib if i == ia else ia] = g
        for who, rg in rel.rung.items():
            i = ix[who]
            rung[i, ib if i == ia else ia] = rg
        for who, b in rel.belief.items():
            i = ix[who]
            belief[i, ib if i == ia else ia] = b
        if rel.at_war:
            at_war[ia, ib] = at_war[ib, ia] = True
            if rel.initiator is not None:
                i = ix[rel.initiator]
                initiator[i, ib if i == ia else ia] = True
        for who in rel.fortified:
            i = ix[who]
            fortified[i, ib if i == ia else ia] = True

    cred = np.zeros((n, n))
    is_alliance = np.zeros((n, n), dtype=bool)
    arms = np.zeros((n, n))
    dsup = np.zeros((n, n))
    dtype_ix = np.full((n, n), -1, dtype=np.int64)
    # alliances are in force only when the alliances rule is on
    alliances_on = scenario.rules.alliances is not None and scenario.rules.alliances.enabled
    for al in scenario.alliances if alliances_on else ():
        p, c = ix[al.patron], ix[al.client]
        cred[p, c] = al.credibility
        is_alliance[p, c] = al.kind.value == "alliance"
        arms[p, c] = al.arms_supply
        dsup[p, c] = al.drone_supply
        if al.drone_type is not None:
            for k, (owner, type_name) in enumerate(zip(owners, types, strict=True)):
                if owner == c and type_name == al.drone_type:
                    dtype_ix[p, c] = k

    cids = tuple(cor.id for cor in scenario.corridors)
    cix = {cid: k for k, cid in enumerate(cids)}
    users = np.zeros((len(cids), n), dtype=bool)
    for k, cor in enumerate(scenario.corridors):
        for u in cor.users:
            users[k, ix[u]] = True

    rules = {name: getattr(scenario.rules, name) for name in type(scenario.rules).model_fields}
    mediators = np.zeros(n, dtype=bool)
    med = scenario.rules.mediation
    if med is not None and med.enabled:
        for m in med.mediators:
            mediators[ix[m]] = True
    alliances_rule = scenario.rules.alliances
    delivery = alliances_rule.delivery_turns if alliances_rule is not None else 3

    events = tuple(
        ScriptedEvent(
            index=k,
            at_turn=e.at_turn,
            actor=ix[e.actor],
            target=ix[e.target],
            action=e.action,
            condition=(
                (ix[e.when.actor], ix[e.when.target], e.when.metric.value, e.when.at_least)
                if e.when is not None
                else None
            ),
            note=e.note,
        )
        for k, e in enumerate(scenario.events)
    )

    return Static(
        scenario_id=scenario.metadata.id,
        ids=ids,
        names=tuple(a.name for a in actors),
        is_state=np.array([a.kind.value == "state" for a in actors]),
        turn_days=scenario.time.turn_days,
        horizon=scenario.time.horizon_turns,
        armour0=per_actor(lambda a: a.forces.armour),
        troops0=per_actor(lambda a: a.forces.troops_k),
        quality=per_actor(lambda a: a.forces.quality),
        air_defence0=per_actor(lambda a: a.forces.air_defence),
        missiles0=per_actor(lambda a: a.forces.missiles),
        missile_range=per_actor(lambda a: a.forces.missile_range_km),
        cyber=per_actor(lambda a: a.forces.cyber),
        gdp=per_actor(lambda a: a.economy.gdp_busd),
        reserves=per_actor(lambda a: a.economy.reserves_busd),
        trade_dep=per_actor(lambda a: a.economy.trade_dependence),
        resolve=per_actor(lambda a: a.politics.resolve),
        risk=per_actor(lambda a: a.politics.risk_tolerance),
        pressure0=per_actor(lambda a: a.politics.domestic_pressure),
        doctrine=np.array(
            [[a.doctrine.security, a.doctrine.economy, a.doctrine.standing] for a in actors]
        ),
        drone_owner=np.array(owners, dtype=np.int64),
        drone_range=np.array(ranges, dtype=np.float64),
        drone_strike=np.array(strikes, dtype=np.float64),
        drone_type=tuple(types),
        drones0=np.array(counts, dtype=np.float64),
        border=border,
        distance=distance,
        trade=trade,
        credibility=cred,
        alliance=is_alliance,
        arms_supply=arms,
        drone_supply=dsup,
        drone_supply_type=dtype_ix,
        corridor_ids=cids,
        corridor_names=tuple(c.name for c in scenario.corridors),
        corridor_controller0=np.array(
            [ix[c.controller] for c in scenario.corridors], dtype=np.int64
        ),
        corridor_users=users,
        corridor_value=np.array([c.value_busd for c in scenario.corridors], dtype=np.float64),
        corridor_alt=np.array(
            [cix[c.alternative] if c.alternative else -1 for c in scenario.corridors],
            dtype=np.int64,
        ),
        belief_offset=belief,
        rules=rules,
        mediators=mediators,
        events=events,
        pipeline_len=delivery + 1,
        init={
            "tension": tension,
            "grievance": grievance,
            "rung": rung,
            "diplo": diplo,
            "at_war": at_war,
            "initiator": initiator,
            "fortified": fortified,
            "corridor_status": np.array(
                [CORRIDOR_CODE[c.status] for c in scenario.corridors], dtype=np.int8
            ),
            "corridor_levy": np.array(
                [
                    c.levy_rate
                    if c.levy_rate > 0 or c.status != CorridorStatus.LEVIED
                    else DEFAULT_LEVY
                    for c in scenario.corridors
                ],
                dtype=np.float64,
            ),
        },
    )


def _belief_noise(seeds: U64, n: int) -> F64:
    """Standard normal error of each actor's belief about each other actor, once per run."""
    z = normal(seeds.astype(np.uint64), 0, Purpose.MISPERCEPTION_A, (n, n))
    z[:, np.arange(n), np.arange(n)] = 0.0
    return z


def initial_state(static: Static, seeds: U64) -> State:
    """The state at the start of a run, for each seed."""
    r = int(seeds.shape[0])
    n = static.n
    d = static.drone_owner.shape[0]
    nl = static.pipeline_len
    e = len(static.events)

    def rep(a: NDArray[Any]) -> NDArray[Any]:
        return np.broadcast_to(a, (r, *a.shape)).copy()

    zeros_rn = np.zeros((r, n))
    init = static.init
    rung0 = rep(init["rung"])
    return State(
        seeds=seeds.astype(np.uint64).copy(),
        turn=0,
        armour=rep(static.armour0),
        troops=rep(static.troops0),
        air_defence=rep(static.air_defence0),
        missiles=rep(static.missiles0),
        pressure=rep(static.pressure0),
        econ_cost=zeros_rn.copy(),
        armour_lost=zeros_rn.copy(),
        lost_to_drones=zeros_rn.copy(),
        lost_to_missiles=zeros_rn.copy(),
        deaths=zeros_rn.copy(),
        collapsed=np.zeros((r, n), dtype=bool),
        score=zeros_rn.copy(),
        drones=rep(static.drones0),
        drones_lost=np.zeros((r, d)),
        belief_noise=_belief_noise(seeds, n),
        clarity=np.ones((r, n, n)),
        tension=rep(init["tension"]),
        grievance=rep(init["grievance"]),
        rung=rung0,
        mid_action=np.zeros((r, n, n), dtype=np.int8),
        last_action_rung=rung0.copy(),
        attributed=np.zeros((r, n, n), dtype=bool),
        diplo=rep(init["diplo"]),
        sanctions=np.zeros((r, n, n), dtype=bool),
        posture=np.zeros((r, n, n), dtype=np.int8),
        fortified=rep(init["fortified"]),
        threatened=np.zeros((r, n, n), dtype=bool),
        at_war=rep(init["at_war"]),
        war_start=rep(np.where(init["at_war"], 0, -1).astype(np.int64)),
        war_initiator=rep(init["initiator"]),
        ceasefire_offer=np.zeros((r, n, n), dtype=bool),
        mediation_offer=np.zeros((r, n, n), dtype=bool),
        mediation_accept=np.zeros((r, n, n), dtype=bool),
        corridor_status=rep(init["corridor_status"]),
        corridor_controller=rep(static.corridor_controller0),
        corridor_levy=rep(init["corridor_levy"]),
        pipeline_armour=np.zeros((r, n, nl)),
        pipeline_drones=np.zeros((r, d, nl)),
        event_fired=np.zeros((r, e), dtype=bool),
        peak_rung=rung0.reshape(r, -1).max(axis=1).astype(np.int64) if n else np.zeros(r, np.int64),
        peak_mid_action=np.zeros(r, dtype=np.int64),
        war_turn=np.full(r, 0 if init["at_war"].any() else -1, dtype=np.int64),
        war_end_turn=np.full(r, -1, dtype=np.int64),
        war_ended_by=np.zeros(r, dtype=np.int64),
        war_days=np.zeros(r, dtype=np.int64),
        calm_turns=np.zeros(r, dtype=np.int64),
        ruptures=np.zeros(r, dtype=np.int64),
        mediation_offers=np.zeros(r, dtype=np.int64),
        mediation_successes=np.zeros(r, dtype=np.int64),
        winner=np.full(r, -1, dtype=np.int64),
        mid_outcome=np.zeros(r, dtype=np.int64),
        done=np.zeros(r, dtype=bool),
        end_turn=np.full(r, -1, dtype=np.int64),
    )
