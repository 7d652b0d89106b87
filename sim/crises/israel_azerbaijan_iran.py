"""Crisis 3: Israel, Azerbaijan and Iran after the Israeli president's visit to Baku (May 2023).

Only the state visit is scripted (turn 1); every fact is measured on what the AI chose
(:func:`sim.crises.base.ai_events`), never on the scripted visit:

* ``partnership``: the share of runs in which Israel and Azerbaijan deepen the partnership by
  their own choice: at least one arms transfer (Israel ships arms, or Azerbaijan orders them from
  Israel), state visit or consulate between the two, in either direction.
* ``gray_zone``: of all the hostile acts the AI chose between Iran and Israel, in either
  direction, over all runs (every act above rung 0, normal relations: protests and ruptures up
  to war), the share at rung 4, the gray zone (cyber attacks, covert operations, arrests of
  networks, arming proxies). The issue's claim is about interaction ("most Iran-Israel
  interaction stays in the gray zone"), so the unit is the act, pooled over runs: every act
  weighs the same, and a run with one cyber attack does not count as much as a run of months of
  them. Standing measures (ties left severed, an alert left in place) are not acts and are not
  counted. NaN when no run has a hostile act between the two.
* ``direct_war``: the share of runs with an act of war (rung 8: an offensive, or joining a war)
  chosen by Iran against Israel or by Israel against Iran. The two share no border and are
  1,600 km apart, so neither can open a war on the other; a war between them can only come
  from Israel, Azerbaijan's patron, joining a war between Azerbaijan and Iran.
"""

from __future__ import annotations

import pandas as pd

from sim.batch import BatchResult
from sim.crises.base import Crisis, Fact, Measured, ai_events, share_of_runs
from sim.ladder import Rung
from sim.scenario import Scenario
from sim.scenario.models import ActionId

#: The AI's acts that count as deepening the Israel-Azerbaijan partnership (either direction).
COOPERATION: frozenset[str] = frozenset(
    {ActionId.SUPPLY_ARMS, ActionId.BUY_ARMS, ActionId.STATE_VISIT, ActionId.OPEN_CONSULATE}
)


def between(res: BatchResult, a: str, b: str) -> pd.DataFrame:
    """The AI-chosen events of ``a`` against ``b`` and of ``b`` against ``a``."""
    ev = ai_events(res)
    return ev[((ev.actor == a) & (ev.target == b)) | ((ev.actor == b) & (ev.target == a))]


def iran_israel_rungs(res: BatchResult) -> pd.Series:
    """Hostile acts (rung >= 1) the AI chose between Iran and Israel, counted by rung (0-8,
    missing rungs as 0): the distribution behind the ``gray_zone`` fact."""
    ev = between(res, "iran", "israel")
    hostile = ev[ev.rung >= Rung.PROTEST]
    counts = hostile.rung.value_counts().reindex(range(1, int(Rung.WAR) + 1), fill_value=0)
    return counts.rename("acts")


def measure(res: BatchResult, scenario: Scenario) -> Measured:
    """The three facts of the crisis on one recorded batch (see the module docstring)."""
    del scenario
    ties = between(res, "israel", "azerbaijan")
    coop = ties[ties.action.isin(COOPERATION)]
    rungs = iran_israel_rungs(res)
    total = int(rungs.sum())
    enemies = between(res, "iran", "israel")
    war = enemies[enemies.rung >= Rung.WAR]
    return {
        "partnership": share_of_runs(res, coop.seed),
        "gray_zone": float(rungs[int(Rung.GRAY_ZONE)] / total) if total else float("nan"),
        "direct_war": share_of_runs(res, war.seed),
    }


CRISIS = Crisis(
    scenario="israel_azerbaijan_iran",
    order=3,
    calibration=False,
    trigger="Israeli President Herzog's state visit to Azerbaijan (turn 1, 30 May 2023)",
    about=(
        "On 30-31 May 2023 Isaac Herzog made the first state visit of an Israeli head of state "
        "to Azerbaijan, weeks after Baku opened its embassy in Israel and while Azerbaijan and "
        "Iran were expelling each other's diplomats. Israel supplied 69% of Azerbaijan's arms "
        "imports in 2016-2020 (SIPRI) and Azerbaijan about 40% of Israel's petroleum imports; on "
        "the eve of the visit Iran reported arresting 14 members of a network linked to Israel. "
        "The scenario scripts the visit alone. Israel and Azerbaijan choose whether to deepen "
        "the partnership (arms, visits); Iran and Israel, 1,600 km apart and without ties, "
        "choose how to fight their rivalry: in the gray zone (cyber attacks, covert operations, "
        "arrests), with threats and alerts, or with missiles and drones."
    ),
    measure_batch=measure,
    facts=(
        Fact(
            "partnership",
            0.5,
            1.0,
            "Israel and Azerbaijan deepen the partnership by their own choice (an arms "
            "transfer, a visit or a consulate between them)",
        ),
        Fact(
            "gray_zone",
            0.5,
            1.0,
            "hostile Iran-Israel acts (rung >= 1, both directions, pooled over runs) that are "
            "at rung 4, the gray zone",
            unit="share of acts",
        ),
        Fact("direct_war", 0.0, 0.03, "runs with a direct Iran-Israel war", weight=2.0),
    ),
)
