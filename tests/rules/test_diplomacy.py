"""Diplomacy and military signalling: what each action changes, what it costs, when it is legal.

Ties are coded FULL, DOWNGRADED, SEVERED (sim.world.Ties): expelling diplomats downgrades them,
severing them is a rupture, restoring them brings them back to full. Hostile signals raise the
target's grievance by their weight; threats leave a ``threatened`` flag that a later concession
or stand-down withdraws at an audience cost (``Turn.backed_down``, applied by the domestic rule).
Mobilization brings MOBILIZE_ARMOUR x starting armour into the theatre once, and costs
MOBILIZATION_COST_GDP of GDP a year while it lasts; sanctions cost both sides a share of their
trade every turn. Visits and consulates ease tension and grievance, and make the rivals of each
side (grievance above RIVALS_THRESHOLD) resent the other.
"""

from __future__ import annotations

from collections.abc import Callable

import helpers
import numpy as np
import pytest

from sim import actions, engine
from sim.ladder import Rung
from sim.rules import diplomacy
from sim.weights import TABLE, W
from sim.world import Posture, Ties

TRADE = 2.0
YEAR = 7 / 365


def diplo_dict(rule: dict | None = None) -> dict:
    """alpha and bravo are rival neighbours (trade, tension 0.4, grievance 0.3 each way);
    host borders alpha; rival (0.5) and calm (0.2) hold grievances against alpha, foe (0.5)
    against host; patron is alpha's ally; far is 2,000 km from alpha.

    ``rule`` is the diplomacy rule's entry (None: left out, and diplomacy is on by default).
    """
    actors = [
        helpers.actor("alpha", armour=200, gdp=50),
        helpers.actor("bravo", armour=200, gdp=40),
        helpers.actor("host", armour=50, gdp=30),
        helpers.actor("rival", armour=100),
        helpers.actor("calm", armour=100),
        helpers.actor("foe", armour=100),
        helpers.actor("patron", armour=100, gdp=500),
        helpers.actor("far", armour=100),
    ]
    relations = [
        {
            "between": ["alpha", "bravo"],
            "border_km": 100,
            "distance_km": 100,
            "trade_busd": TRADE,
            "tension": 0.4,
            "grievance": {"alpha": 0.3, "bravo": 0.3},
        },
        {"between": ["alpha", "host"], "border_km": 50, "distance_km": 50},
        {"between": ["rival", "alpha"], "distance_km": 800, "grievance": {"rival": 0.5}},
        {"between": ["calm", "alpha"], "distance_km": 800, "grievance": {"calm": 0.2}},
        {"between": ["foe", "host"], "distance_km": 800, "grievance": {"foe": 0.5}},
        {"between": ["patron", "alpha"], "distance_km": 800, "trade_busd": 1.0},
        {"between": ["far", "alpha"], "distance_km": 2000},
    ]
    alliances = [{"patron": "patron", "client": "alpha", "credibility": 0.5}]
    rules: dict = {"alliances": {}}
    if rule is not None:
        rules["diplomacy"] = rule
    return helpers.scenario_dict(actors, relations, rules=rules, alliances=alliances)


def lab(seeds: list[int] | None = None, **weights: float):
    return helpers.world(diplo_dict(), seeds=seeds, **weights)


def do(t, action: str, actor: str, target: str) -> None:
    """``actor`` takes ``action`` against ``target`` in every replicate; it must be legal."""
    s, w = t.static, t.state
    i, j = s.index(actor), s.index(target)
    spec = actions.spec(action)
    assert actions.is_legal(spec, s, w)[:, i, j].all(), f"{action} {actor}->{target} not legal"
    r = w.r
    spec.effect(t, np.arange(r), np.full(r, i), np.full(r, j))


def ab(static) -> tuple[int, int]:
    return static.index("alpha"), static.index("bravo")


def hold_all(static) -> dict[str, tuple[str, str]]:
    return {x: ("hold", x) for x in static.ids}


def downgrade(w, i: int, j: int) -> None:
    w.diplo[:, i, j] = w.diplo[:, j, i] = Ties.DOWNGRADED


def sever(w, i: int, j: int) -> None:
    w.diplo[:, i, j] = w.diplo[:, j, i] = Ties.SEVERED


# ----------------------------------------------------------------------------------------------
# Ties


@pytest.mark.parametrize(
    ("action", "before", "after", "ruptures", "grievance", "ease"),
    [
        ("expel_diplomats", Ties.FULL, Ties.DOWNGRADED, 0, W.EXPEL_GRIEVANCE, None),
        ("sever_ties", Ties.DOWNGRADED, Ties.SEVERED, 1, W.SEVER_GRIEVANCE, None),
        ("restore_ties", Ties.DOWNGRADED, Ties.FULL, 0, None, W.RESTORE_EASE),
        ("restore_ties", Ties.SEVERED, Ties.FULL, 0, None, W.RESTORE_EASE),
    ],
    ids=["expel_downgrades", "sever_ruptures", "restore_downgraded", "restore_severed"],
)
def test_ties_actions_change_the_status_both_ways_and_count_ruptures(
    action: str, before: Ties, after: Ties, ruptures: int, grievance: W | None, ease: W | None
) -> None:
    static, state, params = lab([0, 1])
    a, b = ab(static)
    state.diplo[:, a, b] = state.diplo[:, b, a] = before
    g0, tension0 = state.grievance.copy(), state.tension.copy()
    t = helpers.make_turn(static, state, params)
    do(t, action, "alpha", "bravo")
    assert (state.diplo[:, a, b] == after).all() and (state.diplo[:, b, a] == after).all()
    assert state.ruptures.tolist() == [ruptures, ruptures]
    expected = g0.copy()
    if grievance is not None:
        expected[:, b, a] += params[grievance]
        assert params[grievance][0] == TABLE[grievance].value
    assert state.grievance == pytest.approx(expected)
    if ease is not None:
        eased = tension0[0, a, b] - params[ease][0]
        assert state.tension[:, a, b] == pytest.approx([eased] * 2)
        assert state.tension[:, b, a] == pytest.approx([eased] * 2)
    else:
        assert np.array_equal(state.tension, tension0)
    assert t.success[:, a].all()
    # nobody else's ties change
    others = np.ones((static.n, static.n), dtype=bool)
    others[a, b] = others[b, a] = False
    assert (state.diplo[:, others] == Ties.FULL).all()


def test_expel_then_sever_in_the_engine_severs_both_ways_and_counts_a_rupture() -> None:
    static, state, params = lab()
    a, b = ab(static)
    for action, ties in (("expel_diplomats", Ties.DOWNGRADED), ("sever_ties", Ties.SEVERED)):
        moves = engine.check_moves(static, state, {**hold_all(static), "alpha": (action, "bravo")})
        engine.step(static, state, params, moves=moves)
        assert state.diplo[0, a, b] == ties and state.diplo[0, b, a] == ties
        assert state.rung[0, a, b] == Rung.DIPLOMATIC_SANCTION
    assert state.ruptures[0] == 1
    moves = engine.check_moves(
        static, state, {**hold_all(static), "bravo": ("restore_ties", "alpha")}
    )
    engine.step(static, state, params, moves=moves)
    assert state.diplo[0, a, b] == Ties.FULL and state.diplo[0, b, a] == Ties.FULL
    assert state.ruptures[0] == 1, "restoring ties does not undo the count"


# ----------------------------------------------------------------------------------------------
# Hostile signals: grievance and standing flags


def _downgraded(w, s) -> None:
    downgrade(w, s.index("alpha"), s.index("bravo"))


GRIEVANCES: list[tuple[str, tuple[W, ...], Callable | None]] = [
    ("protest", (W.PROTEST_GRIEVANCE,), None),
    ("expel_diplomats", (W.EXPEL_GRIEVANCE,), None),
    ("sever_ties", (W.SEVER_GRIEVANCE,), _downgraded),
    ("impose_sanctions", (W.SANCTIONS_GRIEVANCE,), None),
    ("threaten", (W.THREATEN_GRIEVANCE,), None),
    ("threaten_war", (W.THREATEN_GRIEVANCE, W.THREATEN_WAR_GRIEVANCE), None),
    ("drills", (W.DRILLS_GRIEVANCE,), None),
    ("alert", (W.ALERT_GRIEVANCE,), None),
    ("mobilize", (W.MOBILIZE_GRIEVANCE,), None),
    ("fortify_border", (W.FORTIFY_GRIEVANCE,), None),
    ("border_violation", (W.VIOLATION_GRIEVANCE,), None),
]


@pytest.mark.parametrize(("action", "weights", "setup"), GRIEVANCES, ids=[g[0] for g in GRIEVANCES])
def test_hostile_signals_raise_the_targets_grievance_by_their_weights(
    action: str, weights: tuple[W, ...], setup: Callable | None
) -> None:
    static, state, params = lab([0, 1])
    a, b = ab(static)
    if setup is not None:
        setup(state, static)
    g0 = state.grievance.copy()
    t = helpers.make_turn(static, state, params)
    do(t, action, "alpha", "bravo")
    rise = sum(params[w] for w in weights)
    assert rise[0] == pytest.approx(sum(TABLE[w].value for w in weights))
    expected = g0.copy()
    expected[:, b, a] += rise
    assert state.grievance == pytest.approx(expected), "only bravo's grievance against alpha"
    assert t.success[:, a].all()


def test_a_signal_at_full_grievance_stays_at_one() -> None:
    static, state, params = lab()
    a, b = ab(static)
    state.grievance[:, b, a] = 0.99
    do(helpers.make_turn(static, state, params), "threaten_war", "alpha", "bravo")
    assert state.grievance[0, b, a] == 1.0


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("threaten", "threatened", True),
        ("threaten_war", "threatened", True),
        ("impose_sanctions", "sanctions", True),
        ("fortify_border", "fortified", True),
        ("alert", "posture", Posture.ALERT),
        ("mobilize", "posture", Posture.MOBILIZED),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_signals_set_their_standing_flag_one_way(action: str, field: str, value: object) -> None:
    static, state, params = lab()
    a, b = ab(static)
    before = getattr(state, field).copy()
    do(helpers.make_turn(static, state, params), action, "alpha", "bravo")
    after = getattr(state, field)
    assert after[0, a, b] == value
    expected = before.copy()
    expected[0, a, b] = value
    assert np.array_equal(after, expected), "bravo's side (and every other pair) unchanged"


def test_alert_does_not_lower_a_mobilization() -> None:
    """An alert is max(posture, ALERT); the catalogue forbids it when mobilized anyway."""
    static, state, params = lab()
    a, b = ab(static)
    t = helpers.make_turn(static, state, params)
    state.posture[:, a, b] = Posture.MOBILIZED
    diplomacy.effect_alert(t, np.array([0]), np.array([a]), np.array([b]))
    assert state.posture[0, a, b] == Posture.MOBILIZED


# ----------------------------------------------------------------------------------------------
# Mobilization, stand-downs, and what standing measures cost


def test_mobilize_adds_armour_once_and_stand_down_takes_it_home() -> None:
    static, state, params = lab()
    a, _ = ab(static)
    armour0 = static.armour0[a]
    extra = params[W.MOBILIZE_ARMOUR][0] * armour0
    assert params[W.MOBILIZE_ARMOUR][0] == TABLE[W.MOBILIZE_ARMOUR].value
    steps = [
        ("mobilize", "bravo", armour0 + extra),
        ("mobilize", "host", armour0 + extra),  # already mobilized: no more armour
        ("stand_down", "bravo", armour0 + extra),  # still mobilized against host
        ("stand_down", "host", armour0),  # demobilized: the armour goes home
    ]
    for turn, (action, target, armour) in enumerate(steps, start=1):
        do(helpers.make_turn(static, state, params, turn), action, "alpha", target)
        assert state.armour[0, a] == pytest.approx(armour), (action, target)
    assert (state.posture[0, a] == Posture.NONE).all()


def test_stand_down_from_an_alert_leaves_armour_alone() -> None:
    static, state, params = lab()
    a, b = ab(static)
    do(helpers.make_turn(static, state, params, 1), "alert", "alpha", "bravo")
    do(helpers.make_turn(static, state, params, 2), "stand_down", "alpha", "bravo")
    assert state.armour[0, a] == static.armour0[a]
    assert state.posture[0, a, b] == Posture.NONE


def test_stand_down_never_leaves_negative_armour() -> None:
    static, state, params = lab()
    a, _ = ab(static)
    do(helpers.make_turn(static, state, params, 1), "mobilize", "alpha", "bravo")
    state.armour[:, a] = 1.0  # lost most of it since
    do(helpers.make_turn(static, state, params, 2), "stand_down", "alpha", "bravo")
    assert state.armour[0, a] == 0.0


@pytest.mark.parametrize(
    ("pairs", "costs"),
    [
        ([("alpha", "bravo")], {"alpha": W.SANCTIONS_OWN_LOSS, "bravo": W.SANCTIONS_TARGET_LOSS}),
        (
            [("alpha", "bravo"), ("bravo", "alpha")],
            {
                "alpha": (W.SANCTIONS_OWN_LOSS, W.SANCTIONS_TARGET_LOSS),
                "bravo": (W.SANCTIONS_OWN_LOSS, W.SANCTIONS_TARGET_LOSS),
            },
        ),
        ([("alpha", "host")], {}),  # no trade between them: nothing to lose
    ],
    ids=["one_way", "both_ways", "no_trade"],
)
def test_sanctions_cost_both_sides_a_share_of_their_trade_every_turn(
    pairs: list[tuple[str, str]], costs: dict
) -> None:
    static, state, params = lab()
    for i, j in pairs:
        state.sanctions[:, static.index(i), static.index(j)] = True
    turns = 3
    for turn in range(1, turns + 1):
        diplomacy.sanctions_cost(helpers.make_turn(static, state, params, turn))
    expected = np.zeros(static.n)
    for who, ws in costs.items():
        ws = ws if isinstance(ws, tuple) else (ws,)
        expected[static.index(who)] = sum(params[w][0] for w in ws) * TRADE * YEAR * turns
    assert state.econ_cost[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("postures", "mobilized"),
    [
        ({"bravo": Posture.MOBILIZED}, True),
        ({"bravo": Posture.MOBILIZED, "host": Posture.MOBILIZED}, True),  # paid once
        ({"bravo": Posture.ALERT}, False),
        ({}, False),
    ],
    ids=["one_target", "two_targets", "alert_only", "none"],
)
def test_mobilization_costs_a_share_of_gdp_a_year_while_it_lasts(
    postures: dict, mobilized: bool
) -> None:
    static, state, params = lab()
    a, _ = ab(static)
    for target, posture in postures.items():
        state.posture[:, a, static.index(target)] = posture
    for turn in (1, 2):
        diplomacy.mobilization_cost(helpers.make_turn(static, state, params, turn))
    rate = params[W.MOBILIZATION_COST_GDP][0]
    assert rate == TABLE[W.MOBILIZATION_COST_GDP].value
    expected = np.zeros(static.n)
    if mobilized:
        expected[a] = 2 * rate * static.gdp[a] * YEAR
    assert state.econ_cost[0] == pytest.approx(expected)


def test_mobilization_in_the_engine_costs_every_turn_until_the_stand_down() -> None:
    static, state, params = lab()
    a, _ = ab(static)
    hold = hold_all(static)
    plan = [("mobilize", "bravo"), ("hold", "alpha"), ("stand_down", "bravo"), ("hold", "alpha")]
    costs = []
    for action, target in plan:
        moves = engine.check_moves(static, state, {**hold, "alpha": (action, target)})
        engine.step(static, state, params, moves=moves)
        costs.append(float(state.econ_cost[0, a]))
    per_turn = params[W.MOBILIZATION_COST_GDP][0] * static.gdp[a] * YEAR
    assert costs == pytest.approx([per_turn, 2 * per_turn, 2 * per_turn, 2 * per_turn])
    assert state.armour[0, a] == static.armour0[a]


# ----------------------------------------------------------------------------------------------
# De-escalation: tension, grievance, rivals


@pytest.mark.parametrize(
    ("action", "ease", "setup"),
    [
        ("state_visit", W.VISIT_EASE, None),
        ("restore_ties", W.RESTORE_EASE, "downgraded"),
        ("offer_concession", W.CONCESSION_EASE, None),
        ("stand_down", W.STAND_DOWN_EASE, "alert"),
    ],
    ids=["visit", "restore", "concession", "stand_down"],
)
@pytest.mark.parametrize("tension", [0.4, 0.01], ids=["tense", "nearly_calm"])
def test_de_escalation_eases_tension_both_ways_not_below_zero(
    action: str, ease: W, setup: str | None, tension: float
) -> None:
    static, state, params = lab()
    a, b = ab(static)
    state.tension[:, a, b] = state.tension[:, b, a] = tension
    if setup == "downgraded":
        downgrade(state, a, b)
    elif setup == "alert":
        state.posture[:, a, b] = Posture.ALERT
    do(helpers.make_turn(static, state, params), action, "alpha", "bravo")
    assert params[ease][0] == TABLE[ease].value
    eased = max(tension - params[ease][0], 0.0)
    assert state.tension[0, a, b] == pytest.approx(eased)
    assert state.tension[0, b, a] == pytest.approx(eased)


@pytest.mark.parametrize("action", ["state_visit", "open_consulate"])
@pytest.mark.parametrize(
    ("threshold", "resentful"),
    [(None, ("rival", "foe")), (0.1, ("rival", "calm", "bravo", "foe")), (0.6, ())],
    ids=["default_threshold", "low_threshold", "high_threshold"],
)
def test_visits_warm_the_pair_and_rivals_above_the_threshold_resent_the_other_side(
    action: str, threshold: float | None, resentful: tuple[str, ...]
) -> None:
    """alpha visits host: alpha's rivals (rival 0.5, calm 0.2, bravo 0.3) resent host, host's
    (foe 0.5) resent alpha, each only when its grievance exceeds RIVALS_THRESHOLD (0.3)."""
    over = {} if threshold is None else {W.RIVALS_THRESHOLD.key: threshold}
    static, state, params = lab(**over)
    a, h = static.index("alpha"), static.index("host")
    state.grievance[:, a, h] = 0.2
    state.grievance[:, h, a] = 0.1
    g0 = state.grievance.copy()
    do(helpers.make_turn(static, state, params), action, "alpha", "host")
    kept = params[W.VISIT_FORGIVE][0]
    assert kept == TABLE[W.VISIT_FORGIVE].value
    expected = g0.copy()
    expected[:, a, h] *= kept
    expected[:, h, a] *= kept
    resent = params[W.RIVALS_RESENT][0]
    assert resent == TABLE[W.RIVALS_RESENT].value
    for k in resentful:
        other = a if k == "foe" else h
        expected[:, static.index(k), other] += resent
    assert state.grievance == pytest.approx(expected)


@pytest.mark.parametrize(
    ("visitor", "host"),
    [
        pytest.param("alpha", "host", id="alpha_visits"),
        pytest.param("host", "alpha", id="host_visits"),
    ],
)
def test_who_counts_as_a_rival_is_decided_before_the_visit(visitor: str, host: str) -> None:
    """rival resents alpha (0.5) but not host (0.28, below the threshold of 0.3) before the
    visit: it should resent host (as alpha's rival) and not alpha, whoever visits whom."""
    static, state, params = lab()
    a, h, r = (static.index(x) for x in ("alpha", "host", "rival"))
    below = params[W.RIVALS_THRESHOLD][0] - 0.02
    state.grievance[:, r, h] = below
    do(helpers.make_turn(static, state, params), "state_visit", visitor, host)
    resent = params[W.RIVALS_RESENT][0]
    assert state.grievance[0, r, h] == pytest.approx(below + resent)
    assert state.grievance[0, r, a] == pytest.approx(0.5), "rival was no rival of host"


def test_a_concession_forgives_pushes_pressure_and_leaves_state_pressure_alone() -> None:
    static, state, params = lab([0, 1])
    a, b = ab(static)
    g0 = state.grievance.copy()
    t = helpers.make_turn(static, state, params)
    do(t, "offer_concession", "alpha", "bravo")
    expected = g0.copy()
    expected[:, b, a] *= params[W.CONCESSION_FORGIVE]
    assert state.grievance == pytest.approx(expected), "the target forgives, the actor does not"
    push = np.zeros((2, static.n))
    push[:, a] = params[W.CONCESSION_PRESSURE]
    assert t.pressure_push == pytest.approx(push)
    assert params[W.CONCESSION_PRESSURE][0] == TABLE[W.CONCESSION_PRESSURE].value
    assert np.array_equal(state.pressure, np.broadcast_to(static.pressure0, state.pressure.shape))


def test_a_protest_vents_pressure_through_the_turn() -> None:
    static, state, params = lab()
    a, _ = ab(static)
    t = helpers.make_turn(static, state, params)
    do(t, "protest", "alpha", "bravo")
    assert t.pressure_push[0, a] == pytest.approx(-params[W.PROTEST_VENT][0])
    assert state.pressure[0, a] == static.pressure0[a]


# ----------------------------------------------------------------------------------------------
# Backing down after a public threat


@pytest.mark.parametrize(
    ("threat", "action", "backs_down"),
    [
        ("bravo", "offer_concession", True),
        ("bravo", "stand_down", True),
        (None, "offer_concession", False),
        (None, "stand_down", False),
        ("host", "offer_concession", False),  # a threat against someone else stands
        ("host", "stand_down", False),
    ],
    ids=[
        "concession_after_threat",
        "stand_down_after_threat",
        "concession_no_threat",
        "stand_down_no_threat",
        "concession_other_threat",
        "stand_down_other_threat",
    ],
)
def test_backing_down_after_a_public_threat_sets_backed_down_and_withdraws_it(
    threat: str | None, action: str, backs_down: bool
) -> None:
    static, state, params = lab()
    a, b = ab(static)
    state.posture[:, a, b] = Posture.ALERT  # so that a stand-down is legal
    if threat is not None:
        do(helpers.make_turn(static, state, params, 1), "threaten", "alpha", threat)
    t = helpers.make_turn(static, state, params, 2)
    do(t, action, "alpha", "bravo")
    assert t.backed_down[0, a] == backs_down
    assert not t.backed_down[0, np.arange(static.n) != a].any()
    assert not state.threatened[0, a, b], "the threat against bravo is withdrawn"
    if threat == "host":
        assert state.threatened[0, a, static.index("host")]


def test_threat_then_stand_down_in_the_engine_clears_the_threat() -> None:
    static, state, params = lab()
    a, b = ab(static)
    hold = hold_all(static)
    for action in ("threaten", "alert", "stand_down"):
        moves = engine.check_moves(static, state, {**hold, "alpha": (action, "bravo")})
        engine.step(static, state, params, moves=moves)
        if action == "threaten":
            assert state.threatened[0, a, b]
            assert state.rung[0, a, b] == Rung.THREAT
    assert not state.threatened[0, a, b]
    assert state.posture[0, a, b] == Posture.NONE


# ----------------------------------------------------------------------------------------------
# Legality


def _at_war(w, s) -> None:
    a, b = s.index("alpha"), s.index("bravo")
    w.at_war[:, a, b] = w.at_war[:, b, a] = True


def _grievance(value: float, who: str = "alpha", against: str = "bravo") -> Callable:
    def setup(w, s) -> None:
        w.grievance[:, s.index(who), s.index(against)] = value

    return setup


def _ties(code: Ties) -> Callable:
    def setup(w, s) -> None:
        i, j = s.index("alpha"), s.index("bravo")
        w.diplo[:, i, j] = w.diplo[:, j, i] = code

    return setup


def _posture(code: Posture) -> Callable:
    def setup(w, s) -> None:
        w.posture[:, s.index("alpha"), s.index("bravo")] = code

    return setup


def _set(field: str) -> Callable:
    def setup(w, s) -> None:
        getattr(w, field)[:, s.index("alpha"), s.index("bravo")] = True

    return setup


def _no_armour(w, s) -> None:
    w.armour[:, s.index("alpha")] = 0.5


def _collapsed(w, s) -> None:
    w.collapsed[:, s.index("alpha")] = True


LEGALITY: list[tuple[str, str, str, Callable | None, bool, str]] = [
    ("protest", "alpha", "bravo", None, True, "protest"),
    ("protest", "alpha", "patron", None, False, "protest_partner"),
    ("protest", "alpha", "bravo", _collapsed, False, "protest_collapsed"),
    ("state_visit", "alpha", "host", None, True, "visit"),
    ("state_visit", "alpha", "bravo", None, True, "visit_grievance_0.3"),
    ("state_visit", "alpha", "bravo", _grievance(0.4), False, "visit_grievance_0.4"),
    ("state_visit", "alpha", "bravo", _ties(Ties.DOWNGRADED), False, "visit_downgraded"),
    ("state_visit", "alpha", "bravo", _at_war, False, "visit_at_war"),
    ("open_consulate", "alpha", "host", None, True, "consulate_neighbour"),
    ("open_consulate", "alpha", "patron", None, True, "consulate_partner"),
    ("open_consulate", "alpha", "rival", None, False, "consulate_not_near"),
    ("open_consulate", "alpha", "bravo", None, False, "consulate_grievance_0.3"),
    ("expel_diplomats", "alpha", "bravo", None, True, "expel_full"),
    ("expel_diplomats", "alpha", "bravo", _ties(Ties.DOWNGRADED), False, "expel_downgraded"),
    ("expel_diplomats", "alpha", "patron", None, False, "expel_partner"),
    ("sever_ties", "alpha", "bravo", None, False, "sever_full"),
    ("sever_ties", "alpha", "bravo", _ties(Ties.DOWNGRADED), True, "sever_downgraded"),
    ("sever_ties", "alpha", "bravo", _ties(Ties.SEVERED), False, "sever_severed"),
    ("restore_ties", "alpha", "bravo", None, False, "restore_full"),
    ("restore_ties", "alpha", "bravo", _ties(Ties.DOWNGRADED), True, "restore_downgraded"),
    ("restore_ties", "alpha", "bravo", _ties(Ties.SEVERED), True, "restore_severed"),
    ("offer_concession", "alpha", "bravo", None, True, "concession_aggrieved_target"),
    ("offer_concession", "alpha", "host", None, False, "concession_no_grievance"),
    ("offer_concession", "alpha", "bravo", _grievance(0.1, "bravo", "alpha"), False, "conc_0.1"),
    ("impose_sanctions", "alpha", "bravo", None, True, "sanctions_trade"),
    ("impose_sanctions", "alpha", "host", None, False, "sanctions_no_trade"),
    ("impose_sanctions", "alpha", "patron", None, False, "sanctions_partner"),
    ("impose_sanctions", "alpha", "bravo", _set("sanctions"), False, "sanctions_already"),
    ("threaten", "alpha", "far", None, True, "threaten_anyone"),
    ("threaten", "alpha", "bravo", _at_war, False, "threaten_at_war"),
    ("threaten_war", "alpha", "bravo", None, True, "threaten_war_border"),
    ("threaten_war", "alpha", "rival", None, False, "threaten_war_800km"),
    ("threaten_war", "alpha", "bravo", _no_armour, False, "threaten_war_no_armour"),
    ("drills", "alpha", "rival", None, True, "drills_800km"),
    ("drills", "alpha", "far", None, False, "drills_2000km"),
    ("alert", "alpha", "bravo", None, True, "alert"),
    ("alert", "alpha", "bravo", _posture(Posture.ALERT), False, "alert_already"),
    ("alert", "alpha", "bravo", _posture(Posture.MOBILIZED), False, "alert_mobilized"),
    ("mobilize", "alpha", "bravo", _posture(Posture.ALERT), True, "mobilize_from_alert"),
    ("mobilize", "alpha", "bravo", _posture(Posture.MOBILIZED), False, "mobilize_already"),
    ("mobilize", "alpha", "bravo", _no_armour, False, "mobilize_no_armour"),
    ("fortify_border", "alpha", "bravo", None, True, "fortify_border"),
    ("fortify_border", "alpha", "rival", None, False, "fortify_no_border"),
    ("fortify_border", "alpha", "bravo", _set("fortified"), False, "fortify_already"),
    ("border_violation", "alpha", "host", None, True, "violation_border"),
    ("border_violation", "alpha", "rival", None, False, "violation_no_border"),
    ("border_violation", "alpha", "bravo", _at_war, False, "violation_at_war"),
    ("stand_down", "alpha", "bravo", None, False, "stand_down_nothing_to_stand_down"),
    ("stand_down", "alpha", "bravo", _posture(Posture.ALERT), True, "stand_down_alert"),
    ("stand_down", "alpha", "bravo", _posture(Posture.MOBILIZED), True, "stand_down_mobilized"),
]


@pytest.mark.parametrize(
    ("action", "actor", "target", "setup", "legal"),
    [row[:5] for row in LEGALITY],
    ids=[row[5] for row in LEGALITY],
)
def test_legality_follows_the_catalogue(
    action: str, actor: str, target: str, setup: Callable | None, legal: bool
) -> None:
    static, state, _ = lab()
    if setup is not None:
        setup(state, static)
    i, j = static.index(actor), static.index(target)
    assert actions.is_legal(actions.spec(action), static, state)[0, i, j] == legal


def test_every_action_of_the_rule_is_covered_by_the_legality_table() -> None:
    assert {row[0] for row in LEGALITY} == {a.id.value for a in diplomacy.SPEC.actions}


# ----------------------------------------------------------------------------------------------
# The rule switched off


def test_the_rule_is_on_unless_switched_off() -> None:
    static, _, _ = lab()
    assert diplomacy.SPEC.of(static) is not None
    static, _, _ = helpers.world(diplo_dict({"enabled": False}))
    assert diplomacy.SPEC.of(static) is None


def test_with_the_rule_off_its_actions_are_illegal() -> None:
    static, state, _ = helpers.world(diplo_dict({"enabled": False}))
    state.posture[:, 0, 1] = Posture.ALERT  # would make stand_down legal
    for a in diplomacy.SPEC.actions:
        assert not actions.is_legal(actions.spec(a.id), static, state).any(), a.id
    with pytest.raises(engine.IllegalMove):
        engine.check_moves(static, state, {"alpha": ("protest", "bravo")})
    menu = {x.action.value for x in actions.legal_actions(static, state, "alpha")}
    assert not menu & {a.id.value for a in diplomacy.SPEC.actions}


def test_with_the_rule_off_sanctions_and_mobilization_cost_nothing_in_the_engine() -> None:
    """Standing measures put in the state by hand accrue no cost: the steps do not run."""
    static, state, params = helpers.world(diplo_dict({"enabled": False}))
    a, b = ab(static)
    state.sanctions[:, a, b] = True
    state.posture[:, a, b] = Posture.MOBILIZED
    moves = engine.check_moves(static, state, hold_all(static))
    for _ in range(3):
        engine.step(static, state, params, moves=moves)
    assert not state.econ_cost.any()
    # the same with the rule on costs both
    static, state, params = lab()
    state.sanctions[:, a, b] = True
    state.posture[:, a, b] = Posture.MOBILIZED
    engine.step(static, state, params, moves=engine.check_moves(static, state, hold_all(static)))
    assert state.econ_cost[0, a] > 0 and state.econ_cost[0, b] > 0
