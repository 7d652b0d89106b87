"""Readable reports of a run: the coded turn log and the outcome summary (runners layer).

The log is meant for a student: one line per coded action with who did what to whom, the rung of
the ladder and the MID action code, then what the rules did that turn (arms delivered, mediation
offered or agreed, a front collapsing, a war ending), then the state of each tense pair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim import actions as act
from sim.engine import TurnRecord, mid_levels
from sim.ladder import MID_ACTION_NAMES, RUNG_NAMES, Rung
from sim.world import Source, Static

NOTE_TEXT = {
    "delivery": "{actor} received {amount:.0f} tanks and armoured vehicles from its partners",
    "mediation_offer": "a mediator offered talks to {actor} and {target}",
    "mediation_success": "mediated talks between {actor} and {target} succeeded",
    "collapse": "{actor}'s front collapsed",
    "war_end_1": "the war between {actor} and {target} ended in a collapse",
    "war_end_5": "{actor} and {target} agreed a ceasefire",
    "war_end_6": "a mediated agreement ended the war between {actor} and {target}",
}


#: The chip of a news line, by kind (what the rules did that turn is not an act of a country,
#: so it has no rung or MID code: the chip says what kind of news it is).
NEWS_CODE = {
    "delivery": "arms delivery",
    "mediation_offer": "mediation",
    "mediation_success": "agreement",
    "collapse": "front collapse",
    "war_end_1": "war over",
    "war_end_5": "ceasefire",
    "war_end_6": "agreement",
}
#: Acts that move arms between partners: not militarized acts in the MID coding (rung 0, MID 0),
#: so their chip says what they are rather than "normal relations".
ARMS_CODE = {"buy_arms": "arms order", "supply_arms": "arms delivery"}


def act_code(action: str, rung: int, mid_action: int) -> str:
    """The chip of a coded act: its rung of the ladder and MID action code, as in
    "threat of force, MID 1 (threat to use force)"; an arms order or delivery is named as such,
    "arms delivery, not a militarized act"."""
    if action in ARMS_CODE:
        return f"{ARMS_CODE[action]}, not a militarized act"
    code = RUNG_NAMES[rung]
    if mid_action:
        code += f", MID {mid_action} ({MID_ACTION_NAMES[mid_action]})"
    return code


def _effect_text(spec_id: str, success: bool, amount: float) -> str:
    if spec_id in ("drone_strike", "missile_strike", "border_clash"):
        return f" — {amount:.0f} items destroyed" if success else " — no effect"
    if spec_id in ("cyber_attack", "covert_operation"):
        return f" — damage ${amount * 1000:.0f}M" if success else " — failed"
    return ""


def turn_lines(
    static: Static,
    rec: TurnRecord,
    replicate: int = 0,
    start: dt.date | None = None,
) -> Iterator[str]:
    """Lines of the log for one turn of one replicate."""
    date = ""
    if start is not None:
        day = start + dt.timedelta(days=(rec.turn - 1) * static.turn_days)
        date = f" ({day.isoformat()})"
    yield f"Turn {rec.turn}{date}"
    names = static.names
    for i in range(static.n):
        k = int(rec.action[replicate, i])
        if k == act.HOLD:
            continue
        spec = act.CATALOGUE[k]
        j = int(rec.target[replicate, i])
        code = f"rung {spec.rung} {RUNG_NAMES[spec.rung]}; MID {spec.mid_action}"
        if spec.mid_action:
            code += f" {MID_ACTION_NAMES[spec.mid_action]}"
        tag = {Source.SCRIPTED: " [scripted]", Source.PLAYER: " [player]"}.get(
            Source(int(rec.source[replicate, i])), ""
        )
        effect = _effect_text(
            spec.id.value, bool(rec.success[replicate, i]), float(rec.amount[replicate, i])
        )
        yield f"  {names[i]} {spec.verb} {names[j]}{effect}  ({code}){tag}"
    for note in rec.notes:
        for pos in np.flatnonzero(note.replicates == replicate):
            template = NOTE_TEXT.get(note.kind, note.kind)
            yield "  * " + template.format(
                actor=names[int(note.actor[pos])],
                target=names[int(note.target[pos])],
                amount=float(np.asarray(note.amount).reshape(-1)[pos])
                if np.size(note.amount)
                else 0.0,
            )


def dyad_summary(
    static: Static, rung: np.ndarray, mid: np.ndarray, tension: np.ndarray
) -> Iterator[str]:
    """Lines for the pairs above normal relations: rung, MID level and tension."""
    levels = mid_levels(mid.astype(np.int8))
    for i in range(static.n):
        for j in range(static.n):
            if i != j and rung[i, j] >= Rung.DIPLOMATIC_SANCTION:
                yield (
                    f"    {static.names[i]} → {static.names[j]}: rung {int(rung[i, j])} "
                    f"({RUNG_NAMES[int(rung[i, j])]}), MID level {int(levels[i, j])}, "
                    f"tension {tension[i, j]:.2f}"
                )


def outcome_lines(outcome: dict[str, Any]) -> Iterator[str]:
    """The outcome record in words."""
    yield "Outcome"
    yield f"  turns played: {outcome['turns']}" + (" (settled)" if outcome["settled"] else "")
    yield (
        f"  peak: rung {outcome['peak_rung']} ({outcome['peak_rung_name']}), "
        f"MID hostility level {outcome['peak_mid_level']}"
    )
    if outcome["war"]:
        end = outcome["war_end_turn"]
        yield (
            f"  war: from turn {outcome['war_start_turn']}"
            + (f" to turn {end}" if end >= 0 else ", still going")
            + f", {outcome['war_days']} days of fighting"
        )
        yield f"  prevailed: {outcome['prevailed'] or 'nobody'}"
    else:
        yield "  war: no"
    yield f"  MID outcome: {outcome['mid_outcome']} {outcome['mid_outcome_name']}"
    yield (
        f"  losses: {outcome['armour_lost']:.0f} armour items, about {outcome['deaths']:.0f} "
        f"battle deaths (MID fatality level {outcome['fatality_level']})"
    )
    yield (
        f"  economic cost: ${outcome['econ_cost_busd']:.1f} billion net over all actors "
        f"(gains offset costs); at most "
        f"{100 * outcome['max_econ_cost_share_gdp']:.2f}% of one actor's GDP"
    )
    corridors = [
        f"{k[len('corridor_') :]} {v}"
        + (f" (held by {outcome[k + '_controller']})" if k + "_controller" in outcome else "")
        for k, v in outcome.items()
        if k.startswith("corridor_") and not k.endswith("_controller")
    ]
    if corridors:
        yield "  corridors: " + ", ".join(corridors)
    yield (
        f"  diplomatic ruptures: {outcome['ruptures']}; mediation: {outcome['mediation_offers']} "
        f"offers, {outcome['mediation_successes']} agreements"
    )
    yield (
        f"  escalation score (Rivera et al. 2024): {outcome['escalation_score']:.0f} in all, "
        f"{outcome['escalation_score_daily']:.2f} per actor per day"
    )


def events_frame_for_display(events: pd.DataFrame) -> pd.DataFrame:
    """The event table with the columns a person reads, newest first."""
    cols = ["turn", "label", "rung", "mid_action", "mid_action_name", "mid_level", "source"]
    return events[cols].iloc[::-1].reset_index(drop=True)


@dataclass(frozen=True)
class Sentence:
    """One line of a situation report: a plain sentence, then its code.

    ``kind`` is ``action`` (a coded act, with ``rung`` and ``mid_action``), ``news`` (what the
    rules did: deliveries, mediation, a front collapsing, a war ending) or ``war`` (a war going
    on). ``source`` says who chose an action: ``ai``, ``scripted`` or ``player``.
    """

    text: str
    code: str
    kind: str
    actor: str
    target: str
    rung: int = 0
    mid_action: int = 0
    mid_level: int = 1
    source: str = "ai"


def turn_date(static: Static, start: dt.date, turn: int) -> dt.date:
    """The date a turn begins (turn 1 is the start date)."""
    return start + dt.timedelta(days=(turn - 1) * static.turn_days)


def sitrep(
    static: Static, rec: TurnRecord, at_war: np.ndarray, replicate: int = 0
) -> list[Sentence]:
    """The situation report of one turn of one replicate, in plain sentences with their codes.

    Args:
        static: the compiled scenario.
        rec: the turn's record (verbose, so the rules' news is in it).
        at_war: (N, N) who is at war with whom after the turn.
        replicate: which replicate of the record.
    """
    names, ids = static.names, static.ids
    out: list[Sentence] = []
    for i in range(static.n):
        k = int(rec.action[replicate, i])
        source = Source(int(rec.source[replicate, i])).name.lower()
        if k == act.HOLD:
            if source == "player":  # the player sees that their move was played
                out.append(
                    Sentence(
                        f"{names[i]} held back: no move this turn.",
                        "no move",
                        "action",
                        ids[i],
                        ids[i],
                        source=source,
                    )
                )
            continue
        spec = act.CATALOGUE[k]
        j = int(rec.target[replicate, i])
        effect = _effect_text(
            spec.id.value, bool(rec.success[replicate, i]), float(rec.amount[replicate, i])
        )
        code = act_code(spec.id.value, int(spec.rung), spec.mid_action)
        out.append(
            Sentence(
                text=f"{names[i]} {spec.verb} {names[j]}{effect}.",
                code=code,
                kind="action",
                actor=ids[i],
                target=ids[j],
                rung=int(spec.rung),
                mid_action=spec.mid_action,
                mid_level=spec.mid_level,
                source=source,
            )
        )
    for note in rec.notes:
        for pos in np.flatnonzero(note.replicates == replicate):
            a, b = int(note.actor[pos]), int(note.target[pos])
            amount = (
                float(np.asarray(note.amount).reshape(-1)[pos]) if np.size(note.amount) else 0.0
            )
            text = NOTE_TEXT.get(note.kind, note.kind).format(
                actor=names[a], target=names[b], amount=amount
            )
            out.append(
                Sentence(
                    text[0].upper() + text[1:] + ".",
                    NEWS_CODE.get(note.kind, ""),
                    "news",
                    ids[a],
                    ids[b],
                )
            )
    for i in range(static.n):
        for j in range(i + 1, static.n):
            if at_war[i, j] or at_war[j, i]:
                out.append(
                    Sentence(
                        f"{names[i]} and {names[j]} are at war.",
                        "war, MID hostility level 5",
                        "war",
                        ids[i],
                        ids[j],
                        rung=int(Rung.WAR),
                        mid_level=5,
                    )
                )
    return out
