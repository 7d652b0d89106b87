"""Crisis 4: Iran's cyberattack on Albania of July 2022 and the rupture of ties.

Only the attack is scripted (Iran's ``cyber_attack`` on Albania at turn 1). Whether it succeeds
and whether it is traced to Iran are the cyber rule's own random draws; what follows is what the
actors' AI chooses. "After attribution" is checked by :func:`attribution_turn`, which recomputes
the cyber rule's counter-based attribution draw for every successful Iranian attack on Albania
in the batch's event table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.batch import BatchResult
from sim.crises.base import Crisis, Fact, Measured, ai_events, share_of_runs
from sim.ladder import Rung
from sim.rng import Purpose, as_seeds, uniform_at
from sim.scenario import Scenario

ATTACKER = "iran"
VICTIM = "albania"
PARTNERS: tuple[str, ...] = ("united_states", "united_kingdom")
#: MID hostility level from which an action is militarized escalation (3: display of force).
MILITARIZED_LEVEL = 3


def attribution_turn(
    res: BatchResult, scenario: Scenario, attacker: str = ATTACKER, victim: str = VICTIM
) -> pd.Series:
    """The first turn at which a cyber attack by ``attacker`` on ``victim`` was attributed to
    it, indexed by seed; runs without an attribution are absent.

    An attack is attributed when it succeeded (the event's ``success``) and the cyber rule's
    attribution draw fell below ``rules.cyber.attribution``: the draw is the counter-based
    uniform of sim.rng for (seed, turn, ``Purpose.ATTRIBUTION``, attacker * N + victim), the
    very number sim.rules.cyber uses, so this reproduces the engine's attribution exactly.
    Scripted and AI-chosen attacks both count. Needs a recorded batch.
    """
    ev = res.events
    if ev is None:
        raise RuntimeError("the batch was not recorded")
    cyber = scenario.rules.cyber
    if cyber is None or not cyber.enabled:
        return pd.Series(dtype=np.int64, name="turn")
    ids = [a.id for a in scenario.actors]
    counter = ids.index(attacker) * len(ids) + ids.index(victim)
    hits = ev[
        (ev.actor == attacker) & (ev.target == victim) & (ev.action == "cyber_attack") & ev.success
    ]
    known = []
    for turn in sorted(set(hits.turn.tolist())):
        rows = hits[hits.turn == turn]
        seeds = rows.seed.to_numpy()
        u = uniform_at(as_seeds(seeds), turn, Purpose.ATTRIBUTION, np.full(len(seeds), counter))
        known.append(rows.loc[u < cyber.attribution, ["seed", "turn"]])
    if not known:
        return pd.Series(dtype=np.int64, name="turn")
    return pd.concat(known).groupby("seed").turn.min().astype(np.int64)


def _after(first: pd.Series, events: pd.DataFrame) -> pd.Series:
    """Seeds of ``events`` that happen on a turn after the run's attribution turn in ``first``."""
    att = events.seed.map(first)
    return events.seed[att.notna() & (events.turn > att)]


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    """The crisis's facts on one recorded batch, plus diagnostics the can-fail tests and the
    report use: ``attributed`` (share of runs with an attribution), ``severs`` (Albania's AI
    severs ties at any turn), and the partners' measures against Iran on turns after the first
    in runs with an attribution (``partners_attributed``) and without (``partners_unattributed``):
    attribution is an independent draw per run, so the two compare like with like."""
    first = attribution_turn(res, scenario)
    ai = ai_events(res)
    sever = ai[(ai.actor == VICTIM) & (ai.target == ATTACKER) & (ai.action == "sever_ties")]
    pair = ai[
        ((ai.actor == VICTIM) & (ai.target == ATTACKER))
        | ((ai.actor == ATTACKER) & (ai.target == VICTIM))
    ]
    militarized = pair[pair.mid_level >= MILITARIZED_LEVEL]
    # condemnation, expulsions, ruptures, sanctions: the diplomatic and economic register
    backing = ai[
        ai.actor.isin(PARTNERS)
        & (ai.target == ATTACKER)
        & (ai.rung >= Rung.PROTEST)
        & (ai.rung <= Rung.ECONOMIC_COERCION)
    ]
    out = res.outcomes
    unattributed = out.seed[~out.seed.isin(first.index)]
    later = backing[(backing.turn > 1) & backing.seed.isin(unattributed)]
    backed = _after(first, backing)
    return {
        "severs_after_attribution": share_of_runs(res, _after(first, sever)),
        "militarized": share_of_runs(res, militarized.seed),
        "partners_back_albania": share_of_runs(res, backed),
        "attributed": float(len(first) / len(out)),
        "severs": share_of_runs(res, sever.seed),
        "partners_attributed": (
            float(backed.nunique() / len(first)) if len(first) else float("nan")
        ),
        "partners_unattributed": (
            float(later.seed.nunique() / len(unattributed)) if len(unattributed) else float("nan")
        ),
    }


CRISIS = Crisis(
    scenario="albania_iran",
    order=4,
    calibration=False,
    trigger="Iran's cyberattack on Albania's e-government services (turn 1)",
    about=(
        "On 15 July 2022 four groups of hackers sponsored by Iran shut down Albania's online "
        "government services. Albania, which had expelled Iran's ambassador in 2018 and hosts "
        "about 3,000 members of the Iranian opposition MEK, traced the attack to Iran in an "
        "investigation with American support; on 7 September it severed diplomatic ties and "
        "gave Iran's embassy staff 24 hours to leave, and the United States and the United "
        "Kingdom backed the decision. The scenario scripts the attack alone, on ties already "
        "downgraded: whether it succeeds and is attributed is the cyber rule's draw, and the "
        "rupture, Iran's answer and the partners' support are the AI's."
    ),
    measure_batch=measure,
    facts=(
        Fact(
            "severs_after_attribution",
            0.5,
            1.0,
            "the attack is attributed to Iran and Albania's AI then severs ties with Iran",
        ),
        Fact(
            "militarized",
            0.0,
            0.1,
            "an AI-chosen action of MID hostility level 3 or more (a display of force or "
            "above) between Albania and Iran",
            weight=2.0,
        ),
        Fact(
            "partners_back_albania",
            0.5,
            1.0,
            "after the attribution the US or the UK AI condemns, expels, breaks with or "
            "sanctions Iran",
        ),
    ),
)
