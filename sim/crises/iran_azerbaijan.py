"""Crisis 1: the Iran-Azerbaijan border tension of autumn 2021 (a calibration crisis)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim import actions as act
from sim.batch import BatchResult
from sim.crises.base import Crisis, Fact, Measured, ai_events, share_of_runs
from sim.decisions import action_probabilities
from sim.ladder import MidAction, Rung
from sim.rng import as_seeds
from sim.scenario import Scenario, load_scenario
from sim.validation import scale_drones
from sim.world import build_static, initial_state, make_params

#: Drone fleets of Azerbaijan for the willingness fact, as multiples of the scenario's.
DRONE_FACTORS: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
RIVALS: tuple[str, ...] = ("iran", "armenia")


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    del scenario
    out = res.outcomes
    ai = ai_events(res, "iran", "azerbaijan")
    shown = ai[
        (ai.mid_action >= MidAction.SHOW_OF_FORCE)
        & (ai.mid_action <= MidAction.FORTIFY_BORDER)
        & (ai.turn <= 3)  # the levy is on turn 1: within two turns of it
    ]
    settled = out[out.settled]
    return {
        "iran_display": share_of_runs(res, shown.seed),
        "settled": float(out.settled.mean()),
        "settle_turn": float(settled.turns.median()) if len(settled) else float("nan"),
        "war": float(out.war.mean()),
    }


def willingness_by_drones(
    factors: Sequence[float] = DRONE_FACTORS,
    seeds: Sequence[int] | range = range(500),
    params: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """Azerbaijan's willingness to escalate against each rival, with its drones scaled.

    All else fixed: the crisis's opening state on each seed (each seed draws its own
    misperception), Azerbaijan's drone fleet times ``factor``. Per factor and rival, the mean
    over seeds of the probability the AI gives to an action against that rival at the gray-zone
    rung or above (``p_escalate``: covert action, cyber, arrests, threats, displays, force) and
    at a display of force or above (``p_display``). Exact softmax probabilities, no sampling.
    """
    base = scenario if scenario is not None else load_scenario(CRISIS.scenario)
    seeds = list(seeds)
    rungs = act.RUNGS
    rows = []
    for factor in factors:
        scen = scale_drones(base, "azerbaijan", factor)
        static = build_static(scen)
        state = initial_state(static, as_seeds(seeds))
        weights = make_params(scen, len(seeds), dict(params or {}))
        probs = action_probabilities(static, state, weights, act.legal_mask(static, state), 1)
        i = static.index("azerbaijan")
        for rival in RIVALS:
            p = probs[:, i, :, static.index(rival)]
            rows.append(
                {
                    "drone_factor": float(factor),
                    "rival": rival,
                    "p_escalate": float(p[:, rungs >= Rung.GRAY_ZONE].sum(axis=1).mean()),
                    "p_display": float(p[:, rungs >= Rung.DISPLAY].sum(axis=1).mean()),
                }
            )
    return pd.DataFrame(rows)


def runs_by_drones(
    factors: Sequence[float] = DRONE_FACTORS, seeds: Sequence[int] | range = range(500)
) -> pd.DataFrame:
    """Whole runs with Azerbaijan's drones scaled: per factor, the share of runs that settle,
    in which Azerbaijan's AI shows force (rung >= 6) against a rival, and in which a rival's AI
    shows force against Azerbaijan. Unlike :func:`willingness_by_drones` this carries what the
    rivals do in answer, so it measures deterrence as well as willingness."""
    base = load_scenario(CRISIS.scenario)
    rows = []
    for factor in factors:
        res, _ = CRISIS.run(seeds=seeds, scenario=scale_drones(base, "azerbaijan", factor))
        ai = ai_events(res)
        shown = ai[ai.rung >= Rung.DISPLAY]
        by_az = shown[(shown.actor == "azerbaijan") & shown.target.isin(RIVALS)]
        at_az = shown[shown.actor.isin(RIVALS) & (shown.target == "azerbaijan")]
        rows.append(
            {
                "drone_factor": float(factor),
                "settled": float(res.outcomes.settled.mean()),
                "azerbaijan_shows_force": share_of_runs(res, by_az.seed),
                "rivals_show_force": share_of_runs(res, at_az.seed),
            }
        )
    return pd.DataFrame(rows)


def rises_strictly(table: pd.DataFrame, column: str = "p_escalate") -> dict[str, bool]:
    """Per rival: does ``column`` rise at every step of the drone factor?"""
    return {
        str(rival): bool((np.diff(t.sort_values("drone_factor")[column].to_numpy()) > 0).all())
        for rival, t in table.groupby("rival")
    }


CRISIS = Crisis(
    scenario="iran_azerbaijan",
    order=1,
    calibration=True,
    trigger="Azerbaijan's levy on Iranian trucks bound for Armenia (turn 1)",
    about=(
        "In September 2021 Azerbaijan began levying Iranian trucks on the Goris-Kapan road, "
        "which the 2020 war had left partly in Azerbaijani hands, and detained Iranian drivers. "
        "Iran answered with the Conquerors of Khaybar drills on the border, Azerbaijan and "
        "Turkey drilled in turn, and protesters gathered at Iran's embassy in Baku; Tehran "
        "named Israeli arms and Turkish drones as its fear. Within about two months both "
        "sides had stepped back. The scenario scripts the levy alone; the drills, the protest "
        "and the settling are the AI's."
    ),
    measure_batch=measure,
    facts=(
        Fact(
            "iran_display",
            0.5,
            1.0,
            "Iran answers the levy with a display of force (MID 7-11) of its own choosing "
            "within two turns",
        ),
        Fact("settled", 0.5, 1.0, "the crisis settles before the 26-turn horizon"),
        Fact("settle_turn", 6.0, 12.0, "median turn of settlement", unit="turns"),
        Fact("war", 0.0, 0.05, "runs with a war", weight=2.0),
    ),
)
