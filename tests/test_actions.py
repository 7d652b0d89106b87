"""The action catalogue: every action's precondition both ways, coding, and illegal moves.

The table :data:`CASES` holds, for every action of ``sim.actions.CATALOGUE``, at least one state
in which it is legal and one in which it is not (DESIGN.md: "a drone strike needs a drone type
whose range covers the distance; a levy needs a corridor the actor controls; mediation needs
ties to both sides"). States are built from the five-actor lab scenario of ``helpers.lab_dict``,
changed either in the scenario (``edit``) or in the state arrays (``setup``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import helpers
import numpy as np
import pytest

from sim import actions as act
from sim import engine
from sim.ladder import RUNG_MID_LEVEL, SCORE_WEIGHTS, Category, mid_hostility_level
from sim.model import CrisisModel
from sim.scenario.models import ActionId
from sim.world import Source, State, Static

A = ActionId
Setup = Callable[[Static, State], None]
Edit = Callable[[dict[str, Any]], None]


def _nothing(*_: Any) -> None:
    return None


@dataclass(frozen=True)
class Case:
    """One legality check: ``actor`` doing ``action`` to ``target`` is ``legal`` (or not)."""

    action: ActionId
    actor: str
    target: str
    legal: bool
    why: str
    setup: Setup = _nothing
    edit: Edit = _nothing

    @property
    def id(self) -> str:
        return f"{self.action.value}-{'legal' if self.legal else 'illegal'}-{self.why}"


# ----------------------------------------------------------------------------------------------
# State changes used by the table


def pair(field: str, i: str, j: str, value: Any, both: bool = False) -> Setup:
    """Set ``state.<field>[:, i, j]`` (and [:, j, i] if ``both``)."""

    def setup(s: Static, w: State) -> None:
        arr = getattr(w, field)
        arr[:, s.index(i), s.index(j)] = value
        if both:
            arr[:, s.index(j), s.index(i)] = value

    return setup


def per_actor(field: str, who: str, value: Any) -> Setup:
    """Set ``state.<field>[:, who]``."""

    def setup(s: Static, w: State) -> None:
        getattr(w, field)[:, s.index(who)] = value

    return setup


def corridor(status: int | None = None, controller: str | None = None, k: int = 0) -> Setup:
    """Set the status and/or controller of corridor ``k`` (0 is alpha's road)."""

    def setup(s: Static, w: State) -> None:
        if status is not None:
            w.corridor_status[:, k] = status
        if controller is not None:
            w.corridor_controller[:, k] = s.index(controller)

    return setup


def both(*steps: Setup) -> Setup:
    def setup(s: Static, w: State) -> None:
        for step in steps:
            step(s, w)

    return setup


def war(i: str = "alpha", j: str = "bravo") -> Setup:
    return pair("at_war", i, j, True, both=True)


def no_drones(s: Static, w: State) -> None:
    w.drones[:] = 0.0


def relation(i: str, j: str, **fields: Any) -> Edit:
    """Change fields of the relation between i and j in the scenario."""

    def edit(d: dict[str, Any]) -> None:
        for rel in d["relations"]:
            if set(rel["between"]) == {i, j}:
                rel.update(fields)
                return
        raise AssertionError(f"no relation {i}-{j}")

    return edit


def no_rule(name: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d["rules"].pop(name)

    return edit


OPEN, LEVIED, CLOSED, SEIZED = 0, 1, 2, 3

C = Case
CASES: tuple[Case, ...] = (
    C(A.HOLD, "alpha", "alpha", True, "self"),
    C(A.HOLD, "alpha", "bravo", False, "hold-targets-self"),
    C(A.PROTEST, "alpha", "bravo", True, "rival"),
    C(A.PROTEST, "alpha", "patron", False, "partner"),
    C(A.PROTEST, "alpha", "bravo", False, "collapsed", per_actor("collapsed", "alpha", True)),
    C(A.STATE_VISIT, "alpha", "bravo", True, "full-ties-low-grievance"),
    C(A.STATE_VISIT, "alpha", "bravo", False, "at-war", war()),
    C(
        A.STATE_VISIT,
        "alpha",
        "bravo",
        False,
        "grievance",
        pair("grievance", "alpha", "bravo", 0.5),
    ),
    C(A.STATE_VISIT, "alpha", "group", False, "non-state-host"),
    C(A.OPEN_CONSULATE, "alpha", "patron", True, "partner"),
    C(A.OPEN_CONSULATE, "alpha", "mediator", False, "no-border-no-partner"),
    C(A.OPEN_CONSULATE, "alpha", "bravo", False, "grievance-0.3"),
    C(
        A.OPEN_CONSULATE,
        "alpha",
        "bravo",
        True,
        "neighbour-calm",
        pair("grievance", "alpha", "bravo", 0.1),
    ),
    C(A.EXPEL_DIPLOMATS, "alpha", "bravo", True, "full-ties"),
    C(
        A.EXPEL_DIPLOMATS,
        "alpha",
        "bravo",
        False,
        "downgraded",
        pair("diplo", "alpha", "bravo", 1, both=True),
    ),
    C(A.EXPEL_DIPLOMATS, "alpha", "patron", False, "partner"),
    C(A.SEVER_TIES, "alpha", "bravo", False, "full-ties"),
    C(
        A.SEVER_TIES,
        "alpha",
        "bravo",
        True,
        "downgraded",
        pair("diplo", "alpha", "bravo", 1, both=True),
    ),
    C(A.RESTORE_TIES, "alpha", "bravo", False, "full-ties"),
    C(
        A.RESTORE_TIES,
        "alpha",
        "bravo",
        True,
        "severed",
        pair("diplo", "alpha", "bravo", 2, both=True),
    ),
    C(
        A.RESTORE_TIES,
        "alpha",
        "bravo",
        False,
        "severed-at-war",
        both(pair("diplo", "alpha", "bravo", 2, both=True), war()),
    ),
    C(A.REQUEST_MEDIATION, "alpha", "bravo", True, "tense-mediator-tied-to-both"),
    C(
        A.REQUEST_MEDIATION,
        "alpha",
        "bravo",
        False,
        "calm",
        pair("tension", "alpha", "bravo", 0.1, both=True),
    ),
    C(
        A.REQUEST_MEDIATION,
        "alpha",
        "bravo",
        False,
        "mediator-severed-with-bravo",
        pair("diplo", "mediator", "bravo", 2, both=True),
    ),
    C(A.REQUEST_MEDIATION, "alpha", "bravo", False, "rule-off", edit=no_rule("mediation")),
    C(
        A.REQUEST_MEDIATION,
        "alpha",
        "bravo",
        False,
        "already-offered",
        pair("mediation_offer", "alpha", "bravo", True, both=True),
    ),
    C(
        A.ACCEPT_MEDIATION,
        "alpha",
        "bravo",
        True,
        "offer-pending",
        pair("mediation_offer", "alpha", "bravo", True, both=True),
    ),
    C(A.ACCEPT_MEDIATION, "alpha", "bravo", False, "no-offer"),
    C(
        A.ACCEPT_MEDIATION,
        "alpha",
        "bravo",
        False,
        "already-accepted",
        both(
            pair("mediation_offer", "alpha", "bravo", True, both=True),
            pair("mediation_accept", "alpha", "bravo", True),
        ),
    ),
    C(A.OFFER_CONCESSION, "alpha", "bravo", True, "target-aggrieved"),
    C(
        A.OFFER_CONCESSION,
        "alpha",
        "bravo",
        False,
        "target-content",
        pair("grievance", "bravo", "alpha", 0.05),
    ),
    C(A.PROPOSE_CEASEFIRE, "alpha", "bravo", True, "at-war", war()),
    C(A.PROPOSE_CEASEFIRE, "alpha", "bravo", False, "peace"),
    C(
        A.PROPOSE_CEASEFIRE,
        "alpha",
        "bravo",
        False,
        "already-offered",
        both(war(), pair("ceasefire_offer", "alpha", "bravo", True)),
    ),
    C(A.LEVY_TRANSIT, "alpha", "bravo", True, "controls-open-corridor-target-uses"),
    C(A.LEVY_TRANSIT, "bravo", "alpha", False, "controls-no-corridor"),
    C(A.LEVY_TRANSIT, "alpha", "patron", False, "target-not-a-user"),
    C(A.LEVY_TRANSIT, "alpha", "bravo", False, "already-levied", corridor(LEVIED)),
    C(A.LEVY_TRANSIT, "alpha", "bravo", False, "corridor-lost", corridor(controller="mediator")),
    C(A.CLOSE_CORRIDOR, "alpha", "bravo", True, "open"),
    C(A.CLOSE_CORRIDOR, "alpha", "bravo", True, "levied", corridor(LEVIED)),
    C(A.CLOSE_CORRIDOR, "alpha", "bravo", False, "closed", corridor(CLOSED)),
    C(A.CLOSE_CORRIDOR, "bravo", "alpha", False, "not-controller"),
    C(A.REOPEN_CORRIDOR, "alpha", "bravo", False, "open"),
    C(A.REOPEN_CORRIDOR, "alpha", "bravo", True, "levied", corridor(LEVIED)),
    C(A.REOPEN_CORRIDOR, "alpha", "bravo", True, "closed", corridor(CLOSED)),
    C(A.IMPOSE_SANCTIONS, "alpha", "bravo", True, "trade"),
    C(A.IMPOSE_SANCTIONS, "alpha", "mediator", False, "no-trade"),
    C(
        A.IMPOSE_SANCTIONS,
        "alpha",
        "bravo",
        False,
        "already",
        pair("sanctions", "alpha", "bravo", True),
    ),
    C(A.BUY_ARMS, "alpha", "patron", True, "from-supplier"),
    C(A.BUY_ARMS, "bravo", "patron", False, "not-a-client"),
    C(
        A.BUY_ARMS,
        "alpha",
        "patron",
        False,
        "ties-downgraded",
        pair("diplo", "alpha", "patron", 1, both=True),
    ),
    C(A.SUPPLY_ARMS, "patron", "alpha", True, "to-client"),
    C(A.SUPPLY_ARMS, "patron", "bravo", False, "not-a-client"),
    C(A.CYBER_ATTACK, "alpha", "bravo", True, "cyber-capability"),
    C(A.CYBER_ATTACK, "mediator", "bravo", False, "no-cyber"),
    C(A.CYBER_ATTACK, "alpha", "patron", False, "partner"),
    C(A.COVERT_OPERATION, "alpha", "bravo", True, "grievance-0.3"),
    C(
        A.COVERT_OPERATION,
        "alpha",
        "bravo",
        False,
        "grievance-0.1",
        pair("grievance", "alpha", "bravo", 0.1),
    ),
    C(A.ARREST_NETWORK, "alpha", "bravo", True, "grievance"),
    C(
        A.ARREST_NETWORK,
        "alpha",
        "bravo",
        False,
        "no-grievance",
        pair("grievance", "alpha", "bravo", 0.05),
    ),
    C(
        A.ARREST_NETWORK,
        "bravo",
        "group",
        False,
        "non-state-target",
        pair("grievance", "bravo", "group", 0.9),
    ),
    C(A.SUPPORT_PROXY, "alpha", "bravo", True, "patron-of-a-group"),
    C(A.SUPPORT_PROXY, "bravo", "alpha", False, "no-proxy"),
    C(A.SUPPORT_PROXY, "alpha", "group", False, "against-the-proxy-itself"),
    C(A.THREATEN, "alpha", "bravo", True, "peace"),
    C(A.THREATEN, "alpha", "bravo", False, "at-war", war()),
    C(A.THREATEN_WAR, "alpha", "bravo", True, "neighbour-with-armour"),
    C(A.THREATEN_WAR, "bravo", "patron", False, "far-no-border"),
    C(A.THREATEN_WAR, "alpha", "bravo", False, "no-armour", per_actor("armour", "alpha", 0.0)),
    C(A.DRILLS, "alpha", "bravo", True, "neighbour"),
    C(A.DRILLS, "bravo", "patron", False, "beyond-1000km"),
    C(A.DRILLS, "alpha", "bravo", False, "no-armour", per_actor("armour", "alpha", 0.5)),
    C(A.ALERT, "alpha", "bravo", True, "no-posture"),
    C(A.ALERT, "alpha", "bravo", False, "already-alert", pair("posture", "alpha", "bravo", 8)),
    C(A.ALERT, "alpha", "bravo", False, "mobilized", pair("posture", "alpha", "bravo", 10)),
    C(A.MOBILIZE, "alpha", "bravo", True, "alert-only", pair("posture", "alpha", "bravo", 8)),
    C(A.MOBILIZE, "alpha", "bravo", False, "mobilized", pair("posture", "alpha", "bravo", 10)),
    C(A.MOBILIZE, "alpha", "bravo", False, "no-armour", per_actor("armour", "alpha", 0.0)),
    C(A.FORTIFY_BORDER, "alpha", "bravo", True, "border"),
    C(A.FORTIFY_BORDER, "alpha", "mediator", False, "no-border"),
    C(
        A.FORTIFY_BORDER,
        "alpha",
        "bravo",
        False,
        "fortified",
        pair("fortified", "alpha", "bravo", True),
    ),
    C(A.BORDER_VIOLATION, "alpha", "bravo", True, "border"),
    C(A.BORDER_VIOLATION, "alpha", "mediator", False, "no-border"),
    C(A.BORDER_VIOLATION, "alpha", "bravo", False, "at-war", war()),
    C(A.DRONE_STRIKE, "alpha", "bravo", True, "in-range-150-of-100km"),
    C(
        A.DRONE_STRIKE,
        "alpha",
        "bravo",
        False,
        "out-of-range-150-of-300km",
        edit=relation("alpha", "bravo", distance_km=300),
    ),
    C(
        A.DRONE_STRIKE,
        "alpha",
        "bravo",
        True,
        "range-equals-distance",
        edit=relation("alpha", "bravo", distance_km=150),
    ),
    C(A.DRONE_STRIKE, "alpha", "bravo", False, "no-drones-in-stock", no_drones),
    C(A.DRONE_STRIKE, "bravo", "alpha", False, "owns-no-drones"),
    C(A.DRONE_STRIKE, "alpha", "patron", False, "partner"),
    C(A.MISSILE_STRIKE, "alpha", "bravo", True, "in-range"),
    C(A.MISSILE_STRIKE, "alpha", "mediator", False, "out-of-range-400-of-600km"),
    C(
        A.MISSILE_STRIKE,
        "alpha",
        "bravo",
        False,
        "no-missiles",
        per_actor("missiles", "alpha", 0.0),
    ),
    C(A.BORDER_CLASH, "alpha", "bravo", True, "border"),
    C(A.BORDER_CLASH, "alpha", "mediator", False, "no-border"),
    C(A.BORDER_CLASH, "alpha", "bravo", False, "at-war", war()),
    C(A.SEIZE_CORRIDOR, "bravo", "alpha", True, "uses-neighbours-corridor"),
    C(A.SEIZE_CORRIDOR, "alpha", "bravo", False, "target-controls-none"),
    C(A.SEIZE_CORRIDOR, "bravo", "alpha", False, "no-armour", per_actor("armour", "bravo", 0.0)),
    C(A.SEIZE_CORRIDOR, "bravo", "mediator", False, "no-border"),
    C(A.BLOCKADE, "alpha", "bravo", True, "controls-corridor"),
    C(A.BLOCKADE, "bravo", "alpha", False, "controls-none"),
    C(A.BLOCKADE, "alpha", "bravo", False, "closed", corridor(CLOSED)),
    C(A.BLOCKADE, "alpha", "bravo", False, "no-armour", per_actor("armour", "alpha", 0.0)),
    C(A.LAUNCH_OFFENSIVE, "alpha", "bravo", True, "neighbour"),
    C(A.LAUNCH_OFFENSIVE, "alpha", "bravo", False, "already-at-war", war()),
    C(A.LAUNCH_OFFENSIVE, "alpha", "mediator", False, "far-no-border"),
    C(
        A.LAUNCH_OFFENSIVE,
        "alpha",
        "bravo",
        False,
        "target-collapsed",
        per_actor("collapsed", "bravo", True),
    ),
    C(A.LAUNCH_OFFENSIVE, "alpha", "bravo", False, "no-armour", per_actor("armour", "alpha", 0.0)),
    C(A.JOIN_WAR, "patron", "bravo", True, "client-at-war", war()),
    C(A.JOIN_WAR, "patron", "bravo", False, "client-at-peace"),
    C(A.JOIN_WAR, "mediator", "bravo", False, "not-a-patron", war()),
    C(A.STAND_DOWN, "alpha", "bravo", True, "alert", pair("posture", "alpha", "bravo", 8)),
    C(A.STAND_DOWN, "alpha", "bravo", True, "mobilized", pair("posture", "alpha", "bravo", 10)),
    C(A.STAND_DOWN, "alpha", "bravo", False, "no-posture"),
)


def build(case: Case) -> tuple[Static, State]:
    data = helpers.lab_dict()
    case.edit(data)
    static, state, _ = helpers.world(data)
    case.setup(static, state)
    return static, state


def test_table_covers_every_action_both_ways() -> None:
    legal = {c.action for c in CASES if c.legal}
    illegal = {c.action for c in CASES if not c.legal}
    every = {spec.id for spec in act.CATALOGUE}
    assert every - legal == set(), "actions with no case where they are legal"
    assert every - illegal == set(), "actions with no case where they are illegal"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_precondition(case: Case) -> None:
    static, state = build(case)
    menu = act.legal_actions(static, state, case.actor)
    offered = any(a.action is case.action and a.target == case.target for a in menu)
    spec = act.spec(case.action)
    assert offered is case.legal, (
        f"{case.actor} {case.action.value} -> {case.target} should be "
        f"{'legal' if case.legal else 'illegal'} ({case.why}); requires: {spec.requires}"
    )
    # the vectorised mask (used by the AI and the engine) says the same
    mask = act.legal_mask(static, state)
    k = act.ACTION_INDEX[case.action]
    assert bool(mask[0, static.index(case.actor), k, static.index(case.target)]) is case.legal


def test_legal_actions_match_mask_in_every_replicate() -> None:
    """legal_actions(replicate=r) lists exactly the True cells of legal_mask for replicate r."""
    static, state, params = helpers.world(helpers.prepared().scenario, list(range(6)))
    for _ in range(5):  # a few turns in, replicates have diverged
        engine.step(static, state, params)
    mask = act.legal_mask(static, state)
    assert mask.shape == (6, static.n, act.N_ACTIONS, static.n)
    for r in range(state.r):
        for i, aid in enumerate(static.ids):
            listed = {(a.action, a.target) for a in act.legal_actions(static, state, aid, r)}
            cells = {
                (act.CATALOGUE[k].id, static.ids[j])
                for k, j in zip(*np.nonzero(mask[r, i]), strict=True)
            }
            assert listed == cells
            # hold is always legal, so no actor is ever without a move
            assert (ActionId.HOLD, aid) in listed


def test_unknown_actor_is_a_key_error_naming_the_known_ones() -> None:
    static, state, _ = helpers.world(helpers.lab_dict())
    with pytest.raises(KeyError, match="alpha"):
        act.legal_actions(static, state, "atlantis")


# ----------------------------------------------------------------------------------------------
# Coding of the catalogue


def test_catalogue_ids_equal_the_action_enum_in_order() -> None:
    assert [spec.id for spec in act.CATALOGUE] == list(ActionId)
    assert all(callable(spec.effect) for spec in act.CATALOGUE), "every action needs an effect"
    owners = {spec.id: spec.rule for spec in act.CATALOGUE}
    assert owners.pop(ActionId.HOLD) == "", "hold is the engine's own"
    assert all(owners.values()), "every other action belongs to a rule"
    assert sorted(engine.ORDER) == list(range(act.N_ACTIONS))


@pytest.mark.parametrize("spec", act.CATALOGUE, ids=lambda s: s.id.value)
def test_mid_code_matches_the_rung(spec: act.ActionSpec) -> None:
    """The MID hostility level of the action's code is the one its rung implies (DESIGN.md)."""
    assert 0 <= spec.rung <= 8
    assert mid_hostility_level(spec.mid_action) == RUNG_MID_LEVEL[spec.rung], (
        f"{spec.id.value}: rung {spec.rung} implies MID level {RUNG_MID_LEVEL[spec.rung]}, "
        f"but MID code {spec.mid_action} is level {mid_hostility_level(spec.mid_action)}"
    )
    assert spec.mid_level == mid_hostility_level(spec.mid_action)
    assert spec.verb and spec.requires


@pytest.mark.parametrize("spec", act.CATALOGUE, ids=lambda s: s.id.value)
def test_category_fits_the_rung(spec: act.ActionSpec) -> None:
    """Uses of force and war score as violent; de-escalation is never hostile."""
    if spec.rung >= 7:
        assert spec.category is Category.VIOLENT
    if spec.category is Category.VIOLENT:
        assert spec.rung >= 7
    if spec.category is Category.DEESCALATION:
        assert not spec.hostile and spec.rung == 0
    if spec.hostile:
        assert spec.rung >= 1
    assert spec.category in SCORE_WEIGHTS


def test_rung_and_mid_arrays_follow_the_catalogue() -> None:
    assert act.RUNGS.tolist() == [s.rung for s in act.CATALOGUE]
    assert act.MID_CODES.tolist() == [s.mid_action for s in act.CATALOGUE]
    assert act.CATALOGUE[act.HOLD].id is ActionId.HOLD


# ----------------------------------------------------------------------------------------------
# The engine refuses illegal moves


@pytest.mark.parametrize(
    ("moves", "match"),
    [
        ({"bravo": ("levy_transit", "alpha")}, "bravo: levy_transit against alpha is not legal"),
        ({"alpha": ("drone_strike", "mediator")}, "not legal"),
        ({"atlantis": ("hold", "atlantis")}, "atlantis"),
        ({"alpha": ("nuke", "bravo")}, "nuke"),
        ({"alpha": ("protest", "atlantis")}, "atlantis"),
    ],
)
def test_check_moves_raises_illegal_move(moves: dict[str, tuple[str, str]], match: str) -> None:
    static, state, _ = helpers.world(helpers.lab_dict())
    before = helpers.state_arrays(state)
    with pytest.raises(engine.IllegalMove, match=match):
        engine.check_moves(static, state, moves)
    assert helpers.state_differences(before, state) == []


def test_check_moves_needs_legality_in_every_replicate() -> None:
    static, state, _ = helpers.world(helpers.lab_dict(), seeds=[1, 2])
    state.drones[1] = 0.0  # replicate 1 has no drones left
    with pytest.raises(engine.IllegalMove):
        engine.check_moves(static, state, {"alpha": ("drone_strike", "bravo")})
    flat = engine.check_moves(
        static, state.take(np.array([0])), {"alpha": ("drone_strike", "bravo")}
    )
    k = act.ACTION_INDEX[ActionId.DRONE_STRIKE]
    assert flat.tolist() == [[k * static.n + static.index("bravo"), -1, -1, -1, -1]]


def play(model: CrisisModel, moves: dict[str, tuple[str, str]]) -> None:
    """A player's turn through the Mesa model (``step`` takes no arguments under Mesa 3.5)."""
    model.play(moves)


def test_model_refuses_an_illegal_move_and_changes_nothing() -> None:
    model = CrisisModel(crisis=helpers.compile_scenario(helpers.lab_dict()), rng=3)
    model.step()
    before = helpers.state_arrays(model.state)
    steps, turn, n_records = model.steps, model.turn, len(model.records)
    n_collected = len(model.datacollector.model_vars["turns"])
    with pytest.raises(engine.IllegalMove, match="levy_transit"):
        play(model, {"bravo": ("levy_transit", "alpha")})
    assert helpers.state_differences(before, model.state) == []
    assert (model.steps, model.turn, len(model.records)) == (steps, turn, n_records)
    assert len(model.datacollector.model_vars["turns"]) == n_collected


def test_model_applies_a_legal_move_as_the_players() -> None:
    model = CrisisModel(crisis=helpers.compile_scenario(helpers.lab_dict()), rng=3)
    play(model, {"alpha": ("levy_transit", "bravo")})
    rec = model.records[-1]
    i = model.prepared.static.index("alpha")
    assert rec.action[0, i] == act.ACTION_INDEX[ActionId.LEVY_TRANSIT]
    assert rec.source[0, i] == Source.PLAYER
    assert model.state.corridor_status[0, 0] == LEVIED


def test_action_made_illegal_earlier_in_the_turn_is_dropped_to_hold() -> None:
    """Legality is re-checked phase by phase: a move that an earlier phase made illegal is held.

    bravo's concession (diplomacy phase) halves alpha's grievance against bravo from 0.15 to
    0.075, below the 0.1 an arrest needs (gray-zone phase): alpha's arrest must not take effect,
    and the turn must record it as a hold (no rung, no escalation score), whatever else is in
    the batch.
    """
    data = helpers.lab_dict()
    data["relations"][0]["grievance"] = {"alpha": 0.15, "bravo": 0.3}
    static, state, params = helpers.world(data)
    moves = engine.check_moves(
        static,
        state,
        {"bravo": ("offer_concession", "alpha"), "alpha": ("arrest_network", "bravo")},
    )
    rec = engine.step(static, state, params, moves=moves)
    a, b = static.index("alpha"), static.index("bravo")
    assert rec.action[0, b] == act.ACTION_INDEX[ActionId.OFFER_CONCESSION]
    assert rec.action[0, a] == act.HOLD, "the arrest became illegal and must be recorded as a hold"
    assert rec.target[0, a] == a
    assert state.score[0, a] == SCORE_WEIGHTS[Category.STATUS_QUO]
