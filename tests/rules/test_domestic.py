"""Domestic politics: rally, audience costs, protests, pushes, relaxation; the only writer of
pressure.

Each turn ``update`` adds to every actor's pressure: ``rally`` if force (rung >= 7) was used
against it, ``audience_cost`` if it backed down after a public threat, COST_PROTEST x the turn's
economic cost as a share of GDP (at most COST_PROTEST_CAP, never below 0), and the pushes this
turn's actions asked for; then PRESSURE_RELAX of the gap to the baseline closes, and pressure is
clipped to [0, 1]. When the rule is off, pressure never changes.
"""

from __future__ import annotations

import helpers
import numpy as np
import pytest

from sim import actions, engine
from sim.ladder import Rung
from sim.rules import diplomacy, domestic
from sim.rules.registry import SPECS
from sim.weights import TABLE, W

RALLY = 0.2
AUDIENCE = 0.25
BASE = {"alpha": 0.5, "bravo": 0.3, "third": 0.1}
GDP = {"alpha": 50.0, "bravo": 40.0, "third": 20.0}


def domestic_dict(rule: dict | None = None, combat: bool = False) -> dict:
    """alpha and bravo are rival neighbours (grievance 0.3 each way, trade); third is aloof.

    ``rule`` is the domestic rule's entry (None: absent from ``rules:``).
    """
    actors = []
    for name, p0 in BASE.items():
        a = helpers.actor(name, armour=200, gdp=GDP[name])
        a["politics"] = {"domestic_pressure": p0}
        actors.append(a)
    relations = [
        {
            "between": ["alpha", "bravo"],
            "border_km": 100,
            "distance_km": 100,
            "trade_busd": 2.0,
            "tension": 0.4,
            "grievance": {"alpha": 0.3, "bravo": 0.3},
        },
        {"between": ["alpha", "third"], "border_km": 40, "distance_km": 40},
    ]
    rules: dict = {}
    if rule is not None:
        rules["domestic"] = rule
    if combat:
        rules["combat"] = {}
    return helpers.scenario_dict(actors, relations, rules=rules)


ON = {"rally": RALLY, "audience_cost": AUDIENCE}


def world(rule: dict | None = ON, seeds: list[int] | None = None, **weights):
    return helpers.world(domestic_dict(rule), seeds=seeds, **weights)


def relaxed(pressure: float, base: float, added: float, relax: float) -> float:
    """Pressure after adding ``added`` and closing ``relax`` of the gap to ``base``, clipped."""
    p = pressure + added
    return float(np.clip(p + relax * (base - p), 0.0, 1.0))


def idx(static, name: str) -> int:
    return static.index(name)


# ----------------------------------------------------------------------------------------------
# Rally


@pytest.mark.parametrize(
    ("uses", "rallied"),
    [
        ([("alpha", "bravo", Rung.USE_OF_FORCE)], {"bravo"}),
        ([("alpha", "bravo", Rung.WAR)], {"bravo"}),
        ([("alpha", "bravo", Rung.DISPLAY)], set()),
        ([("alpha", "bravo", Rung.GRAY_ZONE)], set()),
        ([("third", "bravo", Rung.USE_OF_FORCE)], {"bravo"}),
        ([("alpha", "bravo", Rung.WAR), ("third", "bravo", Rung.USE_OF_FORCE)], {"bravo"}),
        (
            [("alpha", "bravo", Rung.USE_OF_FORCE), ("bravo", "alpha", Rung.USE_OF_FORCE)],
            {"alpha", "bravo"},
        ),
    ],
    ids=[
        "force",
        "war",
        "display_is_not_force",
        "gray_zone_is_not_force",
        "by_anyone",
        "two_attackers_rally_once",
        "both_ways",
    ],
)
def test_a_public_rallies_when_force_is_used_against_it(
    uses: list[tuple[str, str, int]], rallied: set[str]
) -> None:
    static, state, params = world()
    t = helpers.make_turn(static, state, params)
    for attacker, victim, rung in uses:
        t.act_rung[0, idx(static, attacker), idx(static, victim)] = rung
    domestic.update(t)
    relax = params[W.PRESSURE_RELAX][0]
    assert relax == TABLE[W.PRESSURE_RELAX].value
    for name, p0 in BASE.items():
        added = RALLY if name in rallied else 0.0
        assert state.pressure[0, idx(static, name)] == pytest.approx(
            relaxed(p0, p0, added, relax)
        ), name


def test_rally_in_the_engine_after_a_border_clash() -> None:
    static, state, params = helpers.world(domestic_dict(ON, combat=True))
    a, b = idx(static, "alpha"), idx(static, "bravo")
    hold = {x: ("hold", x) for x in static.ids}
    moves = engine.check_moves(static, state, {**hold, "alpha": ("border_clash", "bravo")})
    engine.step(static, state, params, moves=moves)
    relax = params[W.PRESSURE_RELAX][0]
    assert state.pressure[0, b] == pytest.approx(
        relaxed(BASE["bravo"], BASE["bravo"], RALLY, relax)
    )
    assert state.pressure[0, a] == pytest.approx(BASE["alpha"]), "the attacker does not rally"


# ----------------------------------------------------------------------------------------------
# Audience costs


@pytest.mark.parametrize("backed_down", [True, False], ids=["backed_down", "stood_firm"])
def test_backing_down_costs_the_audience_cost(backed_down: bool) -> None:
    static, state, params = world()
    a = idx(static, "alpha")
    t = helpers.make_turn(static, state, params)
    t.backed_down[0, a] = backed_down
    domestic.update(t)
    relax = params[W.PRESSURE_RELAX][0]
    added = AUDIENCE if backed_down else 0.0
    assert state.pressure[0, a] == pytest.approx(
        relaxed(BASE["alpha"], BASE["alpha"], added, relax)
    )
    assert domestic.audience_cost(static) == AUDIENCE


def test_the_audience_cost_is_paid_once_per_backing_down() -> None:
    """Threat in turn 1; a concession in turn 2 backs down from it; another in turn 3 does not."""
    static, state, params = world()
    a, b = idx(static, "alpha"), idx(static, "bravo")
    rr, ii, jj = np.array([0]), np.array([a]), np.array([b])
    relax = params[W.PRESSURE_RELAX][0]
    concession = params[W.CONCESSION_PRESSURE][0]
    t = helpers.make_turn(static, state, params, 1)
    diplomacy.effect_threaten(t, rr, ii, jj)
    domestic.update(t)
    p = float(state.pressure[0, a])
    assert p == pytest.approx(BASE["alpha"]), "a threat alone costs nothing"
    for turn, audience in ((2, AUDIENCE), (3, 0.0)):
        assert actions.is_legal(actions.spec("offer_concession"), static, state)[0, a, b]
        t = helpers.make_turn(static, state, params, turn)
        diplomacy.effect_offer_concession(t, rr, ii, jj)
        assert t.backed_down[0, a] == (audience > 0)
        domestic.update(t)
        expected = relaxed(p, BASE["alpha"], audience + concession, relax)
        assert state.pressure[0, a] == pytest.approx(expected), f"turn {turn}"
        p = float(state.pressure[0, a])


# ----------------------------------------------------------------------------------------------
# Protests at economic costs


@pytest.mark.parametrize(
    ("earlier", "this_turn", "share"),
    [
        (0.0, 0.2, 0.2 / 40.0),  # 0.5% of GDP: COST_PROTEST x share, below the cap
        (0.0, 8.0, None),  # 20% of GDP: capped
        (0.0, -2.0, 0.0),  # revenue: no protests, and no calm either
        (5.0, 0.0, 0.0),  # costs of earlier turns do not count again
        (5.0, 0.1, 0.1 / 40.0),
    ],
    ids=["small_cost", "capped", "revenue", "old_costs", "new_on_top_of_old"],
)
def test_economic_cost_feeds_protests_up_to_the_cap(
    earlier: float, this_turn: float, share: float | None
) -> None:
    static, state, params = world()
    b = idx(static, "bravo")
    state.econ_cost[:, b] = earlier
    t = helpers.make_turn(static, state, params)
    state.econ_cost[:, b] += this_turn
    domestic.update(t)
    rate, cap = params[W.COST_PROTEST][0], params[W.COST_PROTEST_CAP][0]
    assert (rate, cap) == (TABLE[W.COST_PROTEST].value, TABLE[W.COST_PROTEST_CAP].value)
    added = cap if share is None else rate * share
    assert added <= cap
    if share is None:
        assert rate * this_turn / GDP["bravo"] > cap, "the case must exceed the cap"
    relax = params[W.PRESSURE_RELAX][0]
    assert state.pressure[0, b] == pytest.approx(
        relaxed(BASE["bravo"], BASE["bravo"], added, relax)
    )


# ----------------------------------------------------------------------------------------------
# Pushes, relaxation, clipping


@pytest.mark.parametrize("push", [0.1, -0.1, 0.0], ids=["up", "down", "none"])
def test_pushes_of_this_turns_actions_are_applied(push: float) -> None:
    static, state, params = world()
    a = idx(static, "alpha")
    t = helpers.make_turn(static, state, params)
    t.push_pressure(np.array([0, 0]), np.array([a, a]), push / 2)  # pushes add up
    domestic.update(t)
    relax = params[W.PRESSURE_RELAX][0]
    assert state.pressure[0, a] == pytest.approx(relaxed(BASE["alpha"], BASE["alpha"], push, relax))


@pytest.mark.parametrize("relax", [0.0, 0.25, 1.0], ids=lambda r: f"relax{r}")
@pytest.mark.parametrize("start", [0.9, 0.0, 0.5], ids=lambda p: f"from{p}")
def test_pressure_relaxes_towards_the_baseline(relax: float, start: float) -> None:
    static, state, params = world(**{W.PRESSURE_RELAX.key: relax})
    a = idx(static, "alpha")
    state.pressure[:, a] = start
    domestic.update(helpers.make_turn(static, state, params))
    base = BASE["alpha"]
    assert state.pressure[0, a] == pytest.approx(start + relax * (base - start))
    assert abs(state.pressure[0, a] - base) <= abs(start - base), "never away from the baseline"


@pytest.mark.parametrize(("push", "bound"), [(5.0, 1.0), (-5.0, 0.0)], ids=["top", "bottom"])
def test_pressure_is_clipped_to_zero_one(push: float, bound: float) -> None:
    static, state, params = world()
    t = helpers.make_turn(static, state, params)
    t.pressure_push[:] = push
    t.act_rung[0, 0, 1] = Rung.WAR
    domestic.update(t)
    assert (state.pressure == bound).all()


def test_every_term_together() -> None:
    static, state, params = world(seeds=[0, 1], **{W.PRESSURE_RELAX.key: [0.1, 0.5]})
    a, b, c = (idx(static, x) for x in ("alpha", "bravo", "third"))
    t = helpers.make_turn(static, state, params)
    t.act_rung[:, c, b] = Rung.USE_OF_FORCE
    t.backed_down[:, b] = True
    state.econ_cost[:, b] += 0.4  # 1% of GDP
    t.push_pressure(np.array([0, 1]), np.array([b, b]), -0.05)
    domestic.update(t)
    protest = params[W.COST_PROTEST][0] * 0.01
    added = RALLY + AUDIENCE + min(protest, params[W.COST_PROTEST_CAP][0]) - 0.05
    for r, relax in enumerate([0.1, 0.5]):
        assert state.pressure[r, b] == pytest.approx(
            relaxed(BASE["bravo"], BASE["bravo"], added, relax)
        )
        assert state.pressure[r, a] == pytest.approx(BASE["alpha"])


# ----------------------------------------------------------------------------------------------
# The rule switched off


def test_domestic_is_the_only_rule_that_writes_pressure() -> None:
    assert domestic.SPEC.writes == frozenset({"pressure"})
    assert [s.name for s in SPECS if "pressure" in s.writes] == ["domestic"]


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_update_changes_nothing(rule: dict | None) -> None:
    static, state, params = world(rule)
    assert domestic.SPEC.of(static) is None
    assert domestic.audience_cost(static) == 0.0
    state.pressure[:, 0] = 0.9  # away from the baseline: would relax if the rule ran
    before = helpers.state_arrays(state)
    t = helpers.make_turn(static, state, params)
    t.act_rung[:, 0, 1] = Rung.WAR
    t.backed_down[:] = True
    t.push_pressure(np.array([0]), np.array([2]), 0.3)
    state.econ_cost[:, 1] += 10.0
    before["econ_cost"] = state.econ_cost.copy()
    domestic.update(t)
    assert helpers.state_differences(before, state) == []


def _play(rule: dict | None, turns: int = 6) -> tuple[np.ndarray, np.ndarray, set[str]]:
    """alpha and bravo protest and make concessions (when legal); third is played by the AI.

    Returns the pressure at the start and at the end, and the players' actions taken.
    """
    data = domestic_dict(rule, combat=True)
    static, state, params = helpers.world(data, seeds=list(range(8)))
    start = state.pressure.copy()
    taken: set[str] = set()
    plans = [
        {"alpha": ("protest", "bravo"), "bravo": ("offer_concession", "alpha")},
        {"alpha": ("threaten", "bravo"), "bravo": ("protest", "alpha")},
        {"alpha": ("offer_concession", "bravo"), "bravo": ("impose_sanctions", "alpha")},
    ]
    for turn in range(turns):
        plan = plans[turn % len(plans)]
        moves = {}
        for actor, (action, target) in plan.items():
            legal = actions.is_legal(actions.spec(action), static, state)
            ok = legal[:, static.index(actor), static.index(target)].all()
            moves[actor] = (action, target) if ok else ("hold", actor)
        rec = engine.step(static, state, params, moves=engine.check_moves(static, state, moves))
        for actor in plan:
            taken.add(actions.CATALOGUE[rec.action[0, static.index(actor)]].id.value)
    return start, state.pressure.copy(), taken


@pytest.mark.parametrize("rule", [None, {"enabled": False}], ids=["absent", "enabled_false"])
def test_with_the_rule_off_pressure_never_changes_over_a_run(rule: dict | None) -> None:
    start, end, taken = _play(rule)
    assert {"protest", "offer_concession", "threaten"} <= taken
    assert np.array_equal(start, end)


def test_with_the_rule_on_the_same_run_moves_pressure() -> None:
    start, end, taken = _play(ON)
    assert {"protest", "offer_concession"} <= taken
    assert not np.array_equal(start, end), "the run above must be one that moves pressure"
