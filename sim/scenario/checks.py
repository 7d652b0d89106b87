"""Cross-field checks of a scenario, each with a stable error code (see :mod:`sim.scenario.codes`).

The checks work on plain data (the parsed YAML, or ``Scenario.model_dump(mode="json")``) and are
written defensively, so they run even when parts of the file have the wrong type: an author sees
broken references together with type errors, all at once. Missing keys take the models' defaults.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sim.scenario.models import (
    ActionId,
    Corridor,
    CorridorStatus,
    Forces,
    RuleParams,
    TimeSettings,
)
from sim.weights import INDEX, TABLE

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by a check, located by its path in the data.

    Attributes:
        loc: Path of the offending value, e.g. ``("alliances", 0, "client")``.
        code: Stable error code.
        message: What is wrong and how to fix it.
        related: Path of another value the message refers to (the first of two duplicates).
    """

    loc: Loc
    code: str
    message: str
    related: Loc | None = None


_HORIZON_DEFAULT: int = TimeSettings.model_fields["horizon_turns"].default
_STATUS_DEFAULT: str = Corridor.model_fields["status"].default.value
_LEVY_DEFAULT: float = Corridor.model_fields["levy_rate"].default
_CYBER_DEFAULT: float = Forces.model_fields["cyber"].default
_MISSILES_DEFAULT: int = Forces.model_fields["missiles"].default
_ENABLED_DEFAULT: bool = RuleParams.model_fields["enabled"].default

# Scripted events whose action the engine would never find legal are skipped silently in a
# run, so they are errors here. Corridor actions: the actor controls a corridor the target uses
# (levy, close, blockade), or controls one at all (reopen), or uses one the target controls
# (seize). Strikes: a drone type or missiles whose range covers the distance to the target.
_ACTOR_CONTROLS_TARGET_USES = {
    ActionId.LEVY_TRANSIT.value,
    ActionId.CLOSE_CORRIDOR.value,
    ActionId.BLOCKADE.value,
}
_FAR_KM = 9999.0  # distance of a pair with no relation (see Scenario.relations)


def render_loc(loc: Loc, data: Any = None) -> str:
    """Render a data path for people: ``actors[id=armenia].drones[0].range_km``.

    List items that are mappings with a text ``id`` are shown by id when ``data`` is given.
    pydantic's ``[key]`` marker (an error in a mapping's key) is left out.
    """
    out = ""
    node = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[id={ident}]" if isinstance(ident, str) and ident else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _items(data: Any, *path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, item) for the mapping items of the list at ``path``."""
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict):
                yield i, item


def _get(data: Any, *path: str) -> Any:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _num(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _normalise(text: str) -> str:
    """The id an author probably meant: ``Nagorno-Karabakh`` -> ``nagorno_karabakh``."""
    return re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


class _Checker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.findings: list[Finding] = []
        self.actors: dict[str, dict[str, Any]] = {}
        self.corridors: dict[str, dict[str, Any]] = {}
        self.sources: set[str] = set()
        # ids that break the id pattern: pydantic reports them; references to them are not
        # reported again, under their own spelling or the corrected one
        self.tolerated: set[str] = set()

    def add(self, loc: Loc, code: str, message: str, related: Loc | None = None) -> None:
        self.findings.append(Finding(loc, code, message, related))

    # -- helpers ------------------------------------------------------------------------------

    def unique(self, loc: Loc, key: Any, seen: dict[Any, Loc], what: str) -> bool:
        """Record key as seen at loc; report E104 if it was seen before. True if new."""
        if key in seen:
            self.add(loc, "E104", f"duplicate {what}", related=seen[key])
            return False
        seen[key] = loc
        return True

    def actor_ref(self, loc: Loc, value: Any) -> bool:
        """Check that value names an actor; True if it does (or is not text, left to pydantic)."""
        if not isinstance(value, str) or not isinstance(self.data.get("actors"), list):
            return False
        if value in self.actors:
            return True
        if value in self.tolerated:
            return False
        known = sorted(self.actors)
        self.add(
            loc,
            "E101",
            f'unknown actor "{value}"{_suggest(value, known)} (actors: {", ".join(known)})'
            if known
            else f'unknown actor "{value}" (no actors are defined)',
        )
        return False

    def source_ref(self, loc: Loc, value: Any) -> None:
        if not isinstance(_get(self.data, "metadata", "sources"), list):
            return
        if isinstance(value, str) and value not in self.sources:
            known = sorted(self.sources)
            self.add(
                loc,
                "E103",
                f'unknown source "{value}"{_suggest(value, known)}; add it to metadata.sources',
            )

    # -- the checks ---------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.collect_ids()
        self.check_relations()
        self.check_alliances()
        self.check_corridors()
        self.check_rules()
        self.check_events()
        self.check_roles()
        self.check_parameters()
        return self.findings

    def collect_ids(self) -> None:
        seen: dict[Any, Loc] = {}
        for i, source in _items(self.data, "metadata", "sources"):
            sid = source.get("id")
            if isinstance(sid, str) and self.unique(
                ("metadata", "sources", i, "id"), sid, seen, f'source id "{sid}"'
            ):
                self.sources.add(sid)
        seen = {}
        for i, actor in _items(self.data, "actors"):
            aid = actor.get("id")
            if isinstance(aid, str) and not _ID.match(aid):
                self.tolerated.update({aid, _normalise(aid)})
            elif isinstance(aid, str) and self.unique(
                ("actors", i, "id"), aid, seen, f'actor id "{aid}"'
            ):
                self.actors[aid] = actor
            types: dict[Any, Loc] = {}
            for j, drone in _items(actor, "drones"):
                loc: Loc = ("actors", i, "drones", j)
                dtype = drone.get("type")
                if isinstance(dtype, str):
                    self.unique((*loc, "type"), dtype, types, f'drone type "{dtype}"')
                self.source_ref((*loc, "source"), drone.get("source"))
        seen = {}
        for i, corridor in _items(self.data, "corridors"):
            cid = corridor.get("id")
            if isinstance(cid, str) and self.unique(
                ("corridors", i, "id"), cid, seen, f'corridor id "{cid}"'
            ):
                self.corridors[cid] = corridor
        seen = {}
        for i, event in _items(self.data, "events"):
            eid = event.get("id")
            if isinstance(eid, str):
                self.unique(("events", i, "id"), eid, seen, f'event id "{eid}"')

    def check_relations(self) -> None:
        seen: dict[Any, Loc] = {}
        for i, rel in _items(self.data, "relations"):
            loc: Loc = ("relations", i)
            pair = rel.get("between")
            self.source_ref((*loc, "source"), rel.get("source"))
            if not (isinstance(pair, list) and len(pair) == 2):
                continue
            ok = [self.actor_ref((*loc, "between", j), a) for j, a in enumerate(pair)]
            a, b = pair
            if not (isinstance(a, str) and isinstance(b, str)):
                continue
            if a == b:
                self.add(
                    (*loc, "between"),
                    "E105",
                    f'a relation between "{a}" and itself; name two different actors',
                )
                continue
            self.unique((*loc, "between"), frozenset(pair), seen, f"relation between {a} and {b}")
            if not all(ok):
                continue
            initiator = rel.get("initiator")
            if isinstance(initiator, str) and initiator not in (a, b):
                self.add(
                    (*loc, "initiator"),
                    "E106",
                    f'"{initiator}" is not one of this pair ({a}, {b}); the initiator of a war '
                    f"is {a} or {b}",
                )
            fortified = rel.get("fortified")
            for k, who in enumerate(fortified if isinstance(fortified, list) else []):
                if isinstance(who, str) and who not in (a, b):
                    self.add(
                        (*loc, "fortified", k),
                        "E106",
                        f'"{who}" is not one of this pair ({a}, {b}); list {a} or {b}',
                    )
            for table in ("grievance", "rung", "belief"):
                keyed = rel.get(table)
                if not isinstance(keyed, dict):
                    continue
                for key in keyed:
                    if key in (a, b):
                        continue
                    if key in self.actors:
                        self.add(
                            (*loc, table, key),
                            "E106",
                            f'"{key}" is not one of this pair ({a}, {b}); key {table} by '
                            f"{a} or {b}",
                        )
                    else:
                        self.actor_ref((*loc, table, key), key)

    def check_alliances(self) -> None:
        seen: dict[Any, Loc] = {}
        for i, alliance in _items(self.data, "alliances"):
            loc: Loc = ("alliances", i)
            patron, client = alliance.get("patron"), alliance.get("client")
            ok_patron = self.actor_ref((*loc, "patron"), patron)
            ok_client = self.actor_ref((*loc, "client"), client)
            self.source_ref((*loc, "source"), alliance.get("source"))
            if isinstance(patron, str) and patron == client:
                self.add(
                    (*loc, "client"),
                    "E105",
                    f'"{patron}" cannot be in an alliance with itself; the client must be '
                    "another actor",
                )
                continue
            if isinstance(patron, str) and isinstance(client, str):
                self.unique(loc, (patron, client), seen, f"alliance of {patron} with {client}")
            drone_type = alliance.get("drone_type")
            if drone_type is None:
                if _num(alliance.get("drone_supply"), 0.0) > 0:
                    self.add(
                        (*loc, "drone_supply"),
                        "E307",
                        "drone_supply is above 0 but drone_type is not set; add drone_type: "
                        "with the client's drone type the deliveries add to",
                    )
                continue
            if ok_patron and ok_client and isinstance(drone_type, str):
                assert isinstance(client, str)
                types = [
                    str(d["type"])
                    for _, d in _items(self.actors[client], "drones")
                    if isinstance(d.get("type"), str)
                ]
                if drone_type not in types:
                    have = ", ".join(types) if types else "none"
                    self.add(
                        (*loc, "drone_type"),
                        "E107",
                        f'{client} has no drone type "{drone_type}"'
                        f"{_suggest(drone_type, types)} (its drones: {have}); add it to "
                        f"{client}'s drones, with count 0 if it has none yet",
                    )

    def check_corridors(self) -> None:
        for i, corridor in _items(self.data, "corridors"):
            loc: Loc = ("corridors", i)
            controller = corridor.get("controller")
            self.actor_ref((*loc, "controller"), controller)
            self.source_ref((*loc, "source"), corridor.get("source"))
            users = corridor.get("users")
            if isinstance(users, list):
                seen: dict[Any, Loc] = {}
                for j, user in enumerate(users):
                    self.actor_ref((*loc, "users", j), user)
                    if isinstance(user, str):
                        self.unique((*loc, "users", j), user, seen, f'user "{user}"')
                    if isinstance(user, str) and user == controller:
                        self.add(
                            (*loc, "users", j),
                            "E105",
                            f'"{user}" controls this corridor and cannot also be its user',
                        )
            alternative = corridor.get("alternative")
            if isinstance(alternative, str):
                if alternative == corridor.get("id"):
                    self.add(
                        (*loc, "alternative"),
                        "E105",
                        "a corridor cannot be its own alternative",
                    )
                elif alternative not in self.corridors:
                    known = sorted(self.corridors)
                    self.add(
                        (*loc, "alternative"),
                        "E102",
                        f'unknown corridor "{alternative}"{_suggest(alternative, known)} '
                        f"(corridors: {', '.join(known)})",
                    )
            status = corridor.get("status", _STATUS_DEFAULT)
            levy = _num(corridor.get("levy_rate"), _LEVY_DEFAULT)
            if status == CorridorStatus.LEVIED.value and levy <= 0:
                self.add(
                    (*loc, "levy_rate"),
                    "E305",
                    "status is levied but levy_rate is 0; set levy_rate (share of the value, "
                    "e.g. 0.1) or make the status open",
                )

    def check_rules(self) -> None:
        rules = self.data.get("rules")
        if not isinstance(rules, dict):
            return

        def on(name: str) -> bool:
            params = rules.get(name)
            return isinstance(params, dict) and params.get("enabled", _ENABLED_DEFAULT) is True

        actors = list(self.actors.values())
        actors_known = isinstance(self.data.get("actors"), list)
        if on("transit") and not list(_items(self.data, "corridors")):
            self.add(
                ("rules", "transit"),
                "E302",
                "the transit rule needs at least one corridor; add corridors: or switch the "
                "rule off",
            )
        if (
            on("drone_parity")
            and actors_known
            and not any(list(_items(a, "drones")) for a in actors)
        ):
            self.add(
                ("rules", "drone_parity"),
                "E302",
                "the drone_parity rule needs at least one actor with drones; add drones: to "
                "an actor or switch the rule off",
            )
        if on("alliances") and not list(_items(self.data, "alliances")):
            self.add(
                ("rules", "alliances"),
                "E302",
                "the alliances rule needs at least one alliance; add alliances: or switch the "
                "rule off",
            )
        if (
            on("cyber")
            and actors_known
            and not any(_num(_get(a, "forces", "cyber"), _CYBER_DEFAULT) > 0 for a in actors)
        ):
            self.add(
                ("rules", "cyber"),
                "E302",
                "the cyber rule needs an actor with forces.cyber above 0; set one or switch the "
                "rule off",
            )
        if (
            on("combat")
            and actors_known
            and sum(_num(_get(a, "forces", "armour"), 0.0) > 0 for a in actors) < 2
        ):
            self.add(
                ("rules", "combat"),
                "E302",
                "the combat rule needs two actors with forces.armour above 0; set them or "
                "switch the rule off",
            )
        for i, rel in _items(self.data, "relations"):
            if rel.get("at_war") is True and not on("combat"):
                self.add(
                    ("relations", i, "at_war"),
                    "E302",
                    "a war at the start needs the combat rule; add combat: {} to rules: or "
                    "set at_war: false",
                )
        mediation = rules.get("mediation")
        if isinstance(mediation, dict) and isinstance(mediation.get("mediators"), list):
            for j, mediator in enumerate(mediation["mediators"]):
                self.actor_ref(("rules", "mediation", "mediators", j), mediator)

    def check_events(self) -> None:
        horizon = _get(self.data, "time", "horizon_turns")
        if horizon is None:
            horizon = _HORIZON_DEFAULT
        if not isinstance(horizon, int) or isinstance(horizon, bool) or horizon < 1:
            horizon = None  # invalid: reported by validation; events cannot be judged against it
        for i, event in _items(self.data, "events"):
            loc: Loc = ("events", i)
            actor, target = event.get("actor"), event.get("target")
            ok = self.actor_ref((*loc, "actor"), actor) & self.actor_ref((*loc, "target"), target)
            if isinstance(actor, str) and actor == target:
                self.add((*loc, "target"), "E105", f'"{actor}" cannot target itself')
            self.source_ref((*loc, "source"), event.get("source"))
            at_turn, when = event.get("at_turn"), event.get("when")
            if at_turn is None and when is None:
                self.add(
                    loc,
                    "E303",
                    "the event has no trigger; add at_turn: N, or a when: condition",
                )
            elif at_turn is not None and when is not None:
                self.add(
                    (*loc, "when"),
                    "E303",
                    "the event has both at_turn and when; keep one of them",
                )
            if (
                horizon is not None
                and isinstance(at_turn, int)
                and not isinstance(at_turn, bool)
                and at_turn > horizon
            ):
                self.add(
                    (*loc, "at_turn"),
                    "E301",
                    f"turn {at_turn} is after the horizon ({horizon} turns); schedule it at "
                    "or before time.horizon_turns, or raise the horizon",
                )
            if isinstance(when, dict):
                w_actor, w_target = when.get("actor"), when.get("target")
                self.actor_ref((*loc, "when", "actor"), w_actor)
                self.actor_ref((*loc, "when", "target"), w_target)
                if isinstance(w_actor, str) and w_actor == w_target:
                    self.add(
                        (*loc, "when", "target"),
                        "E105",
                        "a condition needs a pair of two different actors",
                    )
            if ok:
                assert isinstance(actor, str) and isinstance(target, str)
                self.check_event_possible(loc, str(event.get("action")), actor, target)

    def uses(self, corridor: dict[str, Any], actor: str) -> bool:
        users = corridor.get("users")
        return isinstance(users, list) and actor in users

    def distance(self, a: str, b: str) -> float:
        for _, rel in _items(self.data, "relations"):
            pair = rel.get("between")
            if isinstance(pair, list) and sorted(map(str, pair)) == sorted((a, b)):
                return _num(rel.get("distance_km"), _FAR_KM)
        return _FAR_KM

    def check_event_possible(self, loc: Loc, action: str, actor: str, target: str) -> None:
        where = (*loc, "action")
        corridors = list(self.corridors.values())
        raw = self.data.get("corridors", [])
        judgeable = isinstance(raw, list) and all(
            isinstance(c, dict)
            and isinstance(c.get("controller"), str)
            and isinstance(c.get("users"), list)
            for c in raw
        )
        if judgeable:  # malformed corridors are reported by validation instead
            self.check_corridor_action(where, action, actor, target, corridors)
        self.check_strike(where, action, actor, target)

    def check_corridor_action(
        self, where: Loc, action: str, actor: str, target: str, corridors: list[dict[str, Any]]
    ) -> None:
        if action in _ACTOR_CONTROLS_TARGET_USES and not any(
            c.get("controller") == actor and self.uses(c, target) for c in corridors
        ):
            self.add(
                where,
                "E308",
                f"{action} needs a corridor controlled by {actor} and used by {target}; "
                "add one to corridors:",
            )
        if action == ActionId.REOPEN_CORRIDOR.value and not any(
            c.get("controller") == actor for c in corridors
        ):
            self.add(where, "E308", f"{action} needs a corridor controlled by {actor}")
        if action == ActionId.SEIZE_CORRIDOR.value and not any(
            c.get("controller") == target and self.uses(c, actor) for c in corridors
        ):
            self.add(
                where,
                "E308",
                f"{action} needs a corridor controlled by {target} and used by {actor}; "
                "add one to corridors:",
            )

    def check_strike(self, where: Loc, action: str, actor: str, target: str) -> None:
        if action == ActionId.DRONE_STRIKE.value:
            ranges = [_num(d.get("range_km"), 0.0) for _, d in _items(self.actors[actor], "drones")]
            distance = self.distance(actor, target)
            if not ranges:
                self.add(
                    where,
                    "E308",
                    f"drone_strike needs drones, and {actor} has none; add drones: to {actor}",
                )
            elif max(ranges) < distance:
                self.add(
                    where,
                    "E308",
                    f"no drone of {actor} reaches {target}: longest range {max(ranges):g} km, "
                    f"distance {distance:g} km (relations: distance_km)",
                )
        if action == ActionId.MISSILE_STRIKE.value:
            forces = _get(self.actors[actor], "forces")
            missiles = _num(_get(forces, "missiles"), _MISSILES_DEFAULT)
            reach = _num(_get(forces, "missile_range_km"), 0.0)
            distance = self.distance(actor, target)
            if missiles <= 0:
                self.add(
                    where,
                    "E308",
                    f"missile_strike needs missiles, and {actor} has none; set forces.missiles",
                )
            elif reach < distance:
                self.add(
                    where,
                    "E308",
                    f"the missiles of {actor} do not reach {target}: range {reach:g} km, "
                    f"distance {distance:g} km (forces.missile_range_km)",
                )

    def check_roles(self) -> None:
        seen: dict[Any, Loc] = {}
        for i, role in _items(self.data, "roles"):
            actor = role.get("actor")
            if self.actor_ref(("roles", i, "actor"), actor) and isinstance(actor, str):
                self.unique(("roles", i, "actor"), actor, seen, f'role for "{actor}"')
                for k, objective in _items(role, "objectives"):
                    self.check_objective(("roles", i, "objectives", k), actor, objective)

    def check_objective(self, loc: Loc, actor: str, objective: dict[str, Any]) -> None:
        """An objective names what it is scored on, and that exists for the role's actor."""
        kind = objective.get("kind")
        corridor = objective.get("corridor")
        counterpart = objective.get("counterpart")
        if kind == "keep_corridor_open":
            if corridor is None:
                self.add(loc, "E309", "keep_corridor_open needs corridor: (the id of a corridor)")
            elif isinstance(corridor, str):
                if corridor not in self.corridors:
                    known = sorted(self.corridors)
                    self.add(
                        (*loc, "corridor"),
                        "E102",
                        f'unknown corridor "{corridor}"{_suggest(corridor, known)} '
                        f"(corridors: {', '.join(known) or 'none'})",
                    )
                else:
                    c = self.corridors[corridor]
                    raw = c.get("users")
                    users: list[Any] = raw if isinstance(raw, list) else []
                    if actor != c.get("controller") and actor not in users:
                        self.add(
                            (*loc, "corridor"),
                            "E309",
                            f'"{actor}" neither controls nor uses corridor "{corridor}"',
                        )
        elif kind in ("calm_with", "weaken"):
            if counterpart is None:
                self.add(loc, "E309", f"{kind} needs counterpart: (the id of another actor)")
            elif self.actor_ref((*loc, "counterpart"), counterpart) and counterpart == actor:
                self.add(
                    (*loc, "counterpart"), "E105", f"{kind} needs an actor other than the role's"
                )
        elif kind == "partners":
            linked = any(
                actor in (a.get("patron"), a.get("client"))
                for _, a in _items(self.data, "alliances")
            )
            if not linked:
                self.add(
                    loc,
                    "E309",
                    f'"{actor}" has no alliance partners to keep standing with; add an alliance '
                    "or pick another kind",
                )
        if kind != "keep_corridor_open" and corridor is not None:
            self.add(
                (*loc, "corridor"),
                "E309",
                f"corridor: is only read by keep_corridor_open, not {kind}",
            )
        if kind not in ("calm_with", "weaken") and counterpart is not None:
            self.add(
                (*loc, "counterpart"),
                "E309",
                f"counterpart: is only read by calm_with and weaken, not {kind}",
            )

    def check_parameters(self) -> None:
        parameters = self.data.get("parameters")
        if not isinstance(parameters, dict):
            return
        for name, spec in parameters.items():
            if not isinstance(spec, dict):
                continue
            raw = [spec.get(k) for k in ("min", "default", "max")]
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
                continue
            low, default, high = (float(v or 0) for v in raw)
            shown_low, shown_default, shown_high = raw
            if low > high:
                self.add(
                    ("parameters", name, "min"),
                    "E304",
                    f"min ({shown_low}) is greater than max ({shown_high})",
                )
            elif not low <= default <= high:
                self.add(
                    ("parameters", name, "default"),
                    "E304",
                    f"default ({shown_default}) is outside the range [{shown_low}, {shown_high}]",
                )
            elif name in INDEX:
                model = TABLE[INDEX[name]]
                for key, value in (("min", low), ("max", high)):
                    if not model.lo <= value <= model.hi:
                        self.add(
                            ("parameters", name, key),
                            "E304",
                            f"{key} ({value:g}) is outside the range the model allows for "
                            f"{name}, [{model.lo:g}, {model.hi:g}]",
                        )


def check(data: Any) -> list[Finding]:
    """Run every cross-field check on plain scenario data.

    Args:
        data: The scenario as plain data (mappings, lists, scalars); need not be valid.

    Returns:
        The findings, in the order the checks ran.
    """
    if not isinstance(data, dict):
        return []
    return _Checker(data).run()
