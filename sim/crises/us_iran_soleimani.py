"""Crisis 5: the killing of Soleimani and Iran's missile strike on Ain al-Asad (January 2020).

Out of sample: the weights were fitted to crises 1 and 6, not to this one. Only the US drone
strike at Baghdad airport is scripted (turn 1); every fact is measured on what the AI chose.

Turns are three days long (the scenario's ``time:``), so the real missile strike of 8 January
falls on turn 2 and "within one or two turns" of the strike means turns 2 and 3. The mediation
fact compares the same seeds with Qatar mediating and with the mediation rule off
(:func:`mediation_comparison`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.batch import BatchResult, Prepared, run_batch
from sim.crises.base import Crisis, Fact, Measured, ai_events, share_of_runs
from sim.ladder import Rung
from sim.scenario import Scenario, load_scenario

SCENARIO = "us_iran_soleimani"
#: The striker, the retaliator and the mediator.
US, IRAN, MEDIATOR = "united_states", "iran", "qatar"
#: The scripted strike is on turn 1; Iran's answer counts on this turn or before.
ANSWER_BY_TURN = 3
#: The first turn over which the mediation fact averages the tension gap, to the horizon (turn 1
#: is the strike, before any talks can be offered).
GAP_FROM = 2
#: The columns of :func:`mediation_comparison`, in order.
COMPARISON_COLUMNS: tuple[str, ...] = ("turn", "mediator_on", "mediator_off")


def without_mediation(scenario: Scenario) -> Scenario:
    """The scenario with the mediation rule off: Qatar stays an actor but nobody can offer,
    ask for or accept talks."""
    return scenario.model_copy(
        update={"rules": scenario.rules.model_copy(update={"mediation": None})}
    )


def tension_by_turn(res: BatchResult, horizon: int) -> pd.DataFrame:
    """US-Iran tension per seed (rows) and turn 1..horizon (columns) of a recorded batch.

    A run that settled before the horizon keeps its last tension to the horizon (its state no
    longer changes), so every seed counts at every turn.
    """
    dy = res.dyads
    if dy is None:
        raise RuntimeError("the batch was not recorded")
    pair = dy[(dy.actor == US) & (dy.target == IRAN)]
    wide = pair.pivot(index="seed", columns="turn", values="tension")
    return wide.reindex(columns=range(1, horizon + 1)).ffill(axis=1)


def _params_of(res: BatchResult) -> dict[str, float | list[float]]:
    """The parameters a batch was run with (the names it varied, per replicate)."""
    out: dict[str, float | list[float]] = {}
    for name in res.manifest.get("parameters_varied", []):
        values = res.outcomes[f"param_{name}"].to_numpy(dtype=np.float64)
        out[name] = float(values[0]) if np.all(values == values[0]) else values.tolist()
    return out


def _comparison(on: BatchResult, off: BatchResult, horizon: int) -> pd.DataFrame:
    t_on = tension_by_turn(on, horizon).mean(axis=0)
    t_off = tension_by_turn(off, horizon).mean(axis=0)
    return pd.DataFrame(
        {
            "turn": np.arange(1, horizon + 1),
            "mediator_on": t_on.to_numpy(),
            "mediator_off": t_off.reindex(t_on.index).to_numpy(),
        }
    )


def tension_gap(table: pd.DataFrame, first: int = GAP_FROM) -> float:
    """How much lower the mean US-Iran tension is with the mediator than without, averaged over
    the turns from ``first`` to the last of a :func:`mediation_comparison` table: positive when
    mediation lowers tension faster."""
    rows = table[table.turn >= first]
    return float((rows.mediator_off - rows.mediator_on).mean())


def mediation_comparison(
    seeds: Sequence[int] | range = range(500),
    params: Mapping[str, float | Sequence[float]] | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """Mean US-Iran tension per turn over the same seeds, with Qatar mediating and without.

    Columns ``turn, mediator_on, mediator_off``: ``mediator_on`` is the scenario as written
    (or ``scenario``), ``mediator_off`` the same with the mediation rule off
    (:func:`without_mediation`); both at ``params`` (defaults if None) on ``seeds``. Runs that
    settle early keep their last tension (:func:`tension_by_turn`).
    """
    base = scenario if scenario is not None else load_scenario(SCENARIO)
    seeds = list(seeds)
    on = run_batch(Prepared.from_ref(base), seeds=seeds, params=dict(params or {}), record=True)
    off = run_batch(
        Prepared.from_ref(without_mediation(base)),
        seeds=seeds,
        params=dict(params or {}),
        record=True,
    )
    return _comparison(on, off, base.time.horizon_turns)


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    """The crisis's facts on one recorded batch.

    ``iran_retaliates``: the share of runs in which Iran's AI uses force against the US (rung 7
    or above: a missile or drone strike, a clash, war) by turn 3. ``war``: the share of runs
    with a war. ``mediation_gap``: :func:`tension_gap` between this batch and a second batch on
    the same seeds and parameters with the mediation rule off.
    """
    ai = ai_events(res, IRAN, US)
    answered = ai[(ai.rung >= Rung.USE_OF_FORCE) & (ai.turn <= ANSWER_BY_TURN)]
    seeds = [int(s) for s in res.outcomes.seed]
    off = run_batch(
        Prepared.from_ref(without_mediation(scenario)),
        seeds=seeds,
        params=_params_of(res),
        record=True,
    )
    table = _comparison(res, off, scenario.time.horizon_turns)
    return {
        "iran_retaliates": share_of_runs(res, answered.seed),
        "war": float(res.outcomes.war.mean()),
        "mediation_gap": tension_gap(table),
    }


CRISIS = Crisis(
    scenario=SCENARIO,
    order=5,
    calibration=False,
    trigger="the US drone strike that killed Qasem Soleimani at Baghdad airport (turn 1)",
    about=(
        "On 3 January 2020 a US drone strike at Baghdad International Airport killed General "
        "Qasem Soleimani, commander of the IRGC's Quds Force. Iran vowed revenge, and on "
        "8 January fired 16 ballistic missiles at bases in Iraq housing US troops, 11 of them "
        "hitting Ain al-Asad: no one was killed, over 100 were injured, and the US did not "
        "strike back. Days after the killing the Emir of Qatar flew to Tehran, the start of "
        "Qatar's shuttle diplomacy between the two. The scenario scripts the strike alone, in "
        "three-day turns; Iran's answer, the war that did not come and the talks are the AI's. "
        "The mediation fact compares the same seeds with Qatar mediating and without."
    ),
    measure_batch=measure,
    facts=(
        Fact(
            "iran_retaliates",
            0.5,
            1.0,
            "Iran answers the strike with a use of force (rung 7 or above) of its own choosing "
            "within two turns (by turn 3, day 9)",
        ),
        Fact("war", 0.0, 0.1, "runs with a war", weight=2.0),
        Fact(
            "mediation_gap",
            0.02,
            1.0,
            "mean US-Iran tension from turn 2 to the horizon lower with Qatar mediating than "
            "without, same seeds (mean difference)",
            unit="tension",
        ),
    ),
)
