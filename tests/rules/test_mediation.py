"""Mediation: offers to tense pairs, and talks both sides accept lower tension and end wars.

ICB (REFERENCES.md): mediated crises more often end in compromise; here a war both sides settle
through a mediator ends with MID dispute outcome 6, compromise.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim import engine
from sim.outputs import outcome_rows
from sim.rules import combat, mediation
from sim.world import WarEnd

DROP = 0.3


def trio(tension: float = 0.6, mediator_ties: str = "full") -> dict:
    actors = [
        helpers.actor("alpha", armour=1000),
        helpers.actor("bravo", armour=1000),
        helpers.actor("qatar", armour=10),
    ]
    relations = [
        {
            "between": ["alpha", "bravo"],
            "border_km": 100,
            "distance_km": 100,
            "tension": tension,
            "grievance": {"alpha": 0.5, "bravo": 0.5},
        },
        {"between": ["alpha", "qatar"], "distance_km": 900, "diplomatic_status": mediator_ties},
        {"between": ["bravo", "qatar"], "distance_km": 900},
    ]
    rules = {
        "combat": {"lethality": 0.002},
        "mediation": {"mediators": ["qatar"], "offer_tension": 0.5, "success_tension_drop": DROP},
    }
    return helpers.scenario_dict(actors, relations, rules=rules, horizon=20)


def resolve(data: dict, accept: tuple[bool, bool], war: bool = False):
    """Pending talks between alpha and bravo, accepted as given; run the rule once at turn 2."""
    static, state, params = helpers.world(data)
    a, b = static.index("alpha"), static.index("bravo")
    state.mediation_offer[:, a, b] = state.mediation_offer[:, b, a] = True
    state.mediation_accept[:, a, b], state.mediation_accept[:, b, a] = accept
    if war:
        state.at_war[:, a, b] = state.at_war[:, b, a] = True
        state.war_turn[:] = 1
        state.war_initiator[:, a, b] = True
    tension0 = state.tension.copy()
    grievance0 = state.grievance.copy()
    mediation.resolve(helpers.make_turn(static, state, params, turn=2))
    return static, state, tension0, grievance0


def test_both_accepting_lowers_tension_and_grievance() -> None:
    static, state, tension0, grievance0 = resolve(trio(0.6), (True, True))
    a, b = static.index("alpha"), static.index("bravo")
    assert state.tension[0, a, b] == pytest.approx(tension0[0, a, b] - DROP)
    assert state.tension[0, b, a] == pytest.approx(tension0[0, b, a] - DROP)
    assert state.grievance[0, a, b] == pytest.approx(0.7 * grievance0[0, a, b])
    assert state.mediation_successes[0] == 1
    assert not state.mediation_offer[0, a, b] and not state.mediation_accept[0].any()


def test_tension_never_drops_below_zero() -> None:
    static, state, _, _ = resolve(trio(0.2), (True, True))
    assert state.tension[0, static.index("alpha"), static.index("bravo")] == 0.0


@pytest.mark.parametrize("accept", [(True, False), (False, True), (False, False)])
def test_one_side_alone_changes_nothing(accept: tuple[bool, bool]) -> None:
    _, state, tension0, _ = resolve(trio(0.6), accept, war=True)
    assert np.array_equal(state.tension, tension0)
    assert state.at_war.any()
    assert state.mediation_successes[0] == 0


def test_both_accepting_ends_a_war_in_compromise_within_the_turn() -> None:
    """The talks are settled before the turn's fighting; the combat rule ends the war on the
    day of the turn drawn for the pair."""
    static, state, params = helpers.world(trio(0.6), seeds=list(range(200)))
    a, b = static.index("alpha"), static.index("bravo")
    state.mediation_offer[:, a, b] = state.mediation_offer[:, b, a] = True
    state.mediation_accept[:, a, b] = state.mediation_accept[:, b, a] = True
    state.at_war[:, a, b] = state.at_war[:, b, a] = True
    state.war_turn[:] = 1
    state.war_initiator[:, a, b] = True
    t = helpers.make_turn(static, state, params, turn=2)
    mediation.resolve(t)
    assert state.at_war.any(), "mediation only agrees; the war ends in the combat step"
    assert set(t.truce_day[:, a, b].tolist()) == set(range(7))
    assert (t.truce_mediated[:, a, b]).all()
    combat.daily(t)
    assert not state.at_war.any()
    assert (state.mid_outcome == 6).all(), "MID dispute outcome 6: compromise"
    assert (state.winner == -1).all()
    assert (state.war_end_turn == 2).all()
    assert (state.war_ended_by == WarEnd.MEDIATED).all()
    assert set(state.war_days.tolist()) == set(range(7)), "fought until the agreed day"


def test_mediation_settles_before_the_turns_fighting() -> None:
    from sim.rules.registry import pipeline
    from sim.rules.spec import Stage

    order = [rule.name for rule, _ in pipeline(Stage.AFTER_ACTIONS)]
    assert order.index("mediation") < order.index("combat")


def test_mediator_offers_talks_to_a_tense_pair_with_ties_to_both() -> None:
    static, state, params = helpers.world(trio(0.6))
    mediation.resolve(helpers.make_turn(static, state, params))
    a, b, q = (static.index(x) for x in ("alpha", "bravo", "qatar"))
    assert state.mediation_offer[0, a, b] and state.mediation_offer[0, b, a]
    assert not state.mediation_offer[0, a, q]
    assert state.mediation_offers[0] == 1


@pytest.mark.parametrize(
    ("data", "why"),
    [(trio(0.3), "calm"), (trio(0.6, mediator_ties="severed"), "mediator severed with alpha")],
)
def test_no_offer_without_tension_or_ties_to_both(data: dict, why: str) -> None:
    static, state, params = helpers.world(data)
    mediation.resolve(helpers.make_turn(static, state, params))
    assert not state.mediation_offer.any(), why


def test_mediated_war_in_the_engine_ends_with_outcome_6() -> None:
    """alpha attacks; the mediator offers talks; both accept next turn; the war ends."""
    static, state, params = helpers.world(trio(0.6))
    q = {"qatar": ("hold", "qatar")}
    moves = engine.check_moves(
        static, state, {"alpha": ("launch_offensive", "bravo"), "bravo": ("hold", "bravo"), **q}
    )
    engine.step(static, state, params, moves=moves)
    assert state.at_war[0, 0, 1] and state.mediation_offer[0, 0, 1]
    accept = {"alpha": ("accept_mediation", "bravo"), "bravo": ("accept_mediation", "alpha"), **q}
    engine.step(static, state, params, moves=engine.check_moves(static, state, accept))
    assert not state.at_war.any()
    assert state.mid_outcome[0] == 6
    assert state.war_turn[0] == 1 and state.war_end_turn[0] == 2
    assert state.mediation_successes[0] == 1
    row = outcome_rows(static, state, params)[0]
    assert (row["war"], row["war_ongoing"], row["prevailed"]) == (True, False, "")
    assert (row["mid_outcome"], row["mid_outcome_name"]) == (6, "compromise")


def test_a_patron_of_one_side_can_mediate() -> None:
    """Russia mediated in Karabakh while allied to Armenia: a mediator needs full ties with both
    sides, not neutrality; whether its talks are accepted is each side's decision."""
    data = trio(0.6)
    data["alliances"] = [{"patron": "qatar", "client": "bravo", "credibility": 0.5}]
    data["rules"]["alliances"] = {}
    static, state, params = helpers.world(data)
    mediation.resolve(helpers.make_turn(static, state, params))
    a, b = static.index("alpha"), static.index("bravo")
    assert state.mediation_offer[0, a, b]
