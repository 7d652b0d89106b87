"""Crisis 2: Syunik, Iran's consulate in Kapan and Armenia's Iranian drones (autumn 2022).

Out of sample: the weights were fitted to crises 1 and 6, not to this one. Only Armenia's order
of Iranian drones is scripted (turn 1); every fact is measured on what the AI chose.

The order is public once made: its drones sit in the alliances rule's delivery pipeline, and a
large, fast shift of the balance towards Armenia gives Azerbaijan a preventive motive for war
(Powell 2004; sim.decisions, the ``shift_discount`` weight). :func:`delivery_sweep` measures the
war odds over the size of the order and the time it takes to arrive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from sim.batch import BatchResult, Prepared, run_batch
from sim.crises.base import Crisis, Fact, Measured, ai_events, share_of_runs
from sim.scenario import Scenario, load_scenario
from sim.scenario.models import ActionId

SCENARIO = "armenia_iran_azerbaijan"
#: The corridor Azerbaijan wants through Armenia's Syunik province.
CORRIDOR = "syunik_road"
#: The patron whose drones Armenia orders and whose warning guards the border.
PATRON, CLIENT, RIVAL = "iran", "armenia", "azerbaijan"
#: The columns of :func:`delivery_sweep`, in order.
SWEEP_COLUMNS: tuple[str, ...] = ("delivery_turns", "drones", "runs", "wars", "rate", "lo", "hi")
#: Actions that start or widen a war; none of them may be scripted, so every war is the AI's.
WAR_ACTIONS = frozenset({ActionId.LAUNCH_OFFENSIVE, ActionId.JOIN_WAR})


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    """The crisis's facts on one recorded batch: ``war``, the share of runs with a war the AI
    launched, and ``no_seizure``, the share in which Azerbaijan's AI never seizes the Syunik
    corridor (MID 15)."""
    del scenario
    ai = ai_events(res)
    wars = ai[ai.action == ActionId.LAUNCH_OFFENSIVE.value]
    seized = ai_events(res, RIVAL, CLIENT)
    seized = seized[seized.action == ActionId.SEIZE_CORRIDOR.value]
    return {
        "war": share_of_runs(res, wars.seed),
        "no_seizure": 1.0 - share_of_runs(res, seized.seed),
    }


def wilson(successes: int, runs: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of a share ``successes / runs``."""
    if runs <= 0 or not 0 <= successes <= runs:
        raise ValueError(f"need 0 <= successes <= runs and runs > 0, got {successes}, {runs}")
    p = successes / runs
    z2 = z * z
    centre = p + z2 / (2 * runs)
    half = z * math.sqrt(p * (1 - p) / runs + z2 / (4 * runs * runs))
    scale = 1 + z2 / runs
    lo = 0.0 if successes == 0 else max((centre - half) / scale, 0.0)
    hi = 1.0 if successes == runs else min((centre + half) / scale, 1.0)
    return lo, hi


def with_order(scenario: Scenario, delivery_turns: int, drones: int) -> Scenario:
    """The scenario with Iran's drones for Armenia set to ``drones`` per order, arriving in equal
    parts over ``delivery_turns`` turns (the alliances rule's ``delivery_turns``, which applies
    to every order of the run). With 0 drones Iran has nothing to sell and the scripted order
    does not happen: the no-deal baseline."""
    if isinstance(delivery_turns, bool) or not 1 <= int(delivery_turns) <= 52:
        raise ValueError(f"delivery_turns must be an integer from 1 to 52, got {delivery_turns!r}")
    if isinstance(drones, bool) or int(drones) < 0:
        raise ValueError(f"drones must be a non-negative integer, got {drones!r}")
    alliances = [
        a.model_copy(update={"drone_supply": float(drones)})
        if (a.patron, a.client) == (PATRON, CLIENT)
        else a
        for a in scenario.alliances
    ]
    rule = scenario.rules.alliances
    if rule is None:
        raise ValueError(f"{scenario.metadata.id}: the alliances rule is off")
    rules = scenario.rules.model_copy(
        update={"alliances": rule.model_copy(update={"delivery_turns": int(delivery_turns)})}
    )
    return scenario.model_copy(update={"alliances": alliances, "rules": rules})


def delivery_sweep(
    delivery_turns: Sequence[int],
    drones: Sequence[int],
    seeds: Sequence[int] | range = range(500),
    *,
    params: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """War odds against the size and speed of the drone order announced at turn 1.

    One row per (delivery_turns, drones), in the order given: the same ``seeds`` run with Iran's
    order for Armenia set to ``drones`` Mohajer-6 arriving over ``delivery_turns`` turns (see
    :func:`with_order`), everything else as in the scenario (or ``scenario``) at ``params``
    (defaults if None). Columns ``delivery_turns, drones, runs, wars, rate, lo, hi``: ``wars``
    counts the runs with a war, ``rate = wars / runs`` and ``lo``/``hi`` its 95% Wilson
    interval. No war action is scripted (checked), so every war counted is the AI's.
    """
    base = scenario if scenario is not None else load_scenario(SCENARIO)
    scripted = {ev.action for ev in base.events} & WAR_ACTIONS
    if scripted:
        raise ValueError(f"{base.metadata.id}: war actions are scripted: {sorted(scripted)}")
    seeds = list(seeds)
    rows = []
    for turns in delivery_turns:
        for count in drones:
            prep = Prepared.from_ref(with_order(base, turns, count))
            res = run_batch(prep, seeds, dict(params or {}))
            wars = int(res.outcomes.war.sum())
            lo, hi = wilson(wars, len(seeds))
            rows.append(
                {
                    "delivery_turns": int(turns),
                    "drones": int(count),
                    "runs": len(seeds),
                    "wars": wars,
                    "rate": wars / len(seeds),
                    "lo": lo,
                    "hi": hi,
                }
            )
    return pd.DataFrame(rows, columns=list(SWEEP_COLUMNS))


CRISIS = Crisis(
    scenario=SCENARIO,
    order=2,
    calibration=False,
    trigger="Armenia's order of Iranian Mohajer-6 drones (turn 1)",
    about=(
        "Point 9 of the November 2020 ceasefire promised a land link between western "
        "Azerbaijan and Nakhchivan through Syunik, Armenia's only province on the Iranian "
        "border; Baku and Ankara press for this 'Zangezur corridor' and Yerevan has not "
        "accepted it. On 21 October 2022 Iran's foreign minister opened a consulate in Kapan "
        "and said Iran would not tolerate changes to the Armenia-Iran border, and an Iranian "
        "general said Armenia wanted Iranian drones to restore parity with Azerbaijan's "
        "Turkish ones. The run starts from Iran's warning (its commitment to Armenia) and "
        "scripts Armenia's order of drones; whether Azerbaijan strikes before they arrive, or "
        "takes the corridor by force, is the AI's choice. The war odds over the size and "
        "speed of the order are the sweep below."
    ),
    measure_batch=measure,
    facts=(
        Fact(
            "war",
            0.0,
            0.15,
            "runs with a war (an estimate: the crisis of 2022 did not become one)",
            weight=2.0,
        ),
        Fact(
            "no_seizure",
            0.5,
            1.0,
            "runs in which Azerbaijan does not seize the Syunik corridor: Iran's commitment "
            "deters it",
        ),
    ),
)
