"""Dashboard components: the escalation ladder per dyad over time and the coded event log.

Each view comes in three layers so that most of it can be tested without a browser:

* a pure function that turns the model's tidy tables into what is shown (``rung_figure``,
  ``event_log_rows``);
* a Solara component that takes those values and renders them (``RungChart``, ``EventLog``);
* a Mesa adapter taking the model (``rung_chart``, ``event_log``) for ``SolaraViz(components=...)``.
  SolaraViz re-calls the adapters after every step, and they hand the components fresh snapshots
  of the model's tables, so the components never hold on to the model or change it.
"""

from __future__ import annotations

from html import escape
from typing import Protocol

import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.ladder import MID_ACTION_NAMES, MID_LEVEL_NAMES, RUNG_NAMES

#: At most this many dyads are drawn, the most escalated first; the rest are counted in a note.
MAX_DYADS_SHOWN = 8
#: The event log shows at most this many of the latest actions (it scrolls).
MAX_EVENTS_SHOWN = 200

#: Column headers of the event log, in order.
EVENT_LOG_COLUMNS: tuple[str, ...] = (
    "Turn",
    "Actor",
    "Action",
    "Target",
    "Rung",
    "MID action",
    "Hostility",
)

# Bands of the ladder: (lowest rung, highest rung, background, chip colour, label).
_BANDS: tuple[tuple[int, int, str, str, str], ...] = (
    (0, 4, "#eef4ea", "#d5e8cc", "non-militarized"),
    (5, 6, "#fbf1dc", "#f6dca5", "threat and display"),
    (7, 8, "#f7e1de", "#eeb4ab", "force"),
)


def _chip_colour(rung: int) -> str:
    for low, high, _, chip, _ in _BANDS:
        if low <= rung <= high:
            return chip
    return "#dddddd"


class CrisisView(Protocol):
    """What the components read from a model (``sim.model.CrisisModel`` provides it)."""

    @property
    def turn(self) -> int:
        """Number of turns played."""
        ...

    def dyad_table(self) -> pd.DataFrame:
        """One row per (turn, actor, target): rung, MID level and action, tension."""
        ...

    def event_table(self) -> pd.DataFrame:
        """One row per coded action, in the order the actions happened."""
        ...


def dyad_label(actor_name: str, target_name: str) -> str:
    """Label of an ordered dyad, e.g. ``"Azerbaijan → Iran"``."""
    return f"{actor_name} → {target_name}"


def _names(dyads: pd.DataFrame) -> dict[str, str]:
    """Map actor ids to display names, from the dyad table."""
    names: dict[str, str] = {}
    if dyads.empty:
        return names
    for id_col, name_col in (("actor", "actor_name"), ("target", "target_name")):
        pairs = dyads[[id_col, name_col]].drop_duplicates()
        names.update(zip(pairs[id_col].astype(str), pairs[name_col].astype(str), strict=True))
    return names


def _coded(code: int, names: tuple[str, ...]) -> str:
    """``"16 attack"`` from a code and the table of names it indexes."""
    i = int(code)
    name = names[i] if 0 <= i < len(names) else "?"
    return f"{i} {name}"


def _note(ax: Axes, text: str) -> None:
    """Grey message in the middle of an empty chart."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")


def rung_figure(dyads: pd.DataFrame, *, max_dyads: int = MAX_DYADS_SHOWN) -> Figure:
    """Draw each ordered dyad's rung over the turns on the escalation ladder.

    Dyads that never left rung 0 are left out; when more than ``max_dyads`` remain, the most
    escalated (highest peak, then highest current rung) are drawn and the rest counted in a note.

    Args:
        dyads: ``CrisisModel.dyad_table()``: columns turn, actor_name, target_name, rung.
        max_dyads: Most dyads to draw.

    Returns:
        A matplotlib figure (not registered with pyplot, so it needs no closing).
    """
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    top = len(RUNG_NAMES) - 1
    for low, high, colour, _, _ in _BANDS:
        ax.axhspan(low - 0.5, high + 0.5, color=colour, zorder=0, linewidth=0)
    ax.set_yticks(range(len(RUNG_NAMES)), [f"{i} {name}" for i, name in enumerate(RUNG_NAMES)])
    ax.set_ylim(-0.5, top + 0.5)
    ax.set_xlabel("turn")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="white", linewidth=1.0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    if dyads.empty:
        ax.set_xlim(0, 1)
        _note(ax, "No turn played yet: press Step")
        return fig

    pairs = zip(dyads["actor_name"], dyads["target_name"], strict=True)
    frame = dyads.assign(dyad=[dyad_label(a, t) for a, t in pairs])
    history = frame.pivot_table(index="turn", columns="dyad", values="rung", aggfunc="max")
    history = history.sort_index()
    active = [d for d in history.columns if history[d].max() > 0]
    ranked = sorted(active, key=lambda d: (-history[d].max(), -history[d].iloc[-1], d))
    shown = ranked[:max_dyads]

    for k, dyad in enumerate(shown):
        series = history[dyad].dropna()
        # a small vertical offset per dyad keeps lines on the same rung apart
        offset = (k - (len(shown) - 1) / 2) * 0.05
        ax.plot(
            series.index,
            series.to_numpy() + offset,
            drawstyle="steps-post",
            marker="o",
            markersize=3.5,
            linewidth=1.8,
            label=dyad,
            zorder=3,
        )
    turns = history.index
    ax.set_xlim(turns.min() - 0.2, max(turns.max(), turns.min() + 1) + 0.2)

    if shown:
        fig.legend(
            loc="outside lower center", ncols=min(len(shown), 3), fontsize="small", frameon=False
        )
    else:
        _note(ax, "All relations normal so far")
    hidden = len(active) - len(shown)
    if hidden > 0:
        ax.set_title(
            f"{len(shown)} most escalated dyads shown, {hidden} quieter ones left out",
            loc="right",
            fontsize="small",
            color="#555555",
        )
    return fig


def event_log_rows(events: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The coded event log as shown: newest first, one readable row per action.

    Args:
        events: ``CrisisModel.event_table()``, in the order the actions happened.
        names: Display name per actor id; ids are title-cased when missing.

    Returns:
        A frame with the columns ``EVENT_LOG_COLUMNS`` and "Description" (the event's label);
        "Rung", "MID action" and "Hostility" give the code and its name, e.g. ``"16 attack"``.
    """
    if events.empty:
        return pd.DataFrame(columns=[*EVENT_LOG_COLUMNS, "Description"])
    names = names or {}

    def name(actor_id: object) -> str:
        return names.get(str(actor_id), str(actor_id).replace("_", " ").title())

    # reversed first so that, after the stable sort, later actions within a turn come first
    newest = events.iloc[::-1].sort_values("turn", ascending=False, kind="stable")
    rows = pd.DataFrame(
        {
            "Turn": newest["turn"].astype(int).to_numpy(),
            "Actor": [name(a) for a in newest["actor"]],
            "Action": [str(a).replace("_", " ") for a in newest["action"]],
            "Target": [name(t) for t in newest["target"]],
            "Rung": [_coded(r, RUNG_NAMES) for r in newest["rung"]],
            "MID action": [_coded(m, MID_ACTION_NAMES) for m in newest["mid_action"]],
            "Hostility": [_coded(h, MID_LEVEL_NAMES) for h in newest["mid_level"]],
            "Description": [str(label) for label in newest["label"]],
        }
    )
    return rows.reset_index(drop=True)


@solara.component
def RungChart(dyads: pd.DataFrame, turn: int) -> None:
    """Card with the escalation ladder of each dyad over time.

    Args:
        dyads: Snapshot of ``CrisisModel.dyad_table()``.
        turn: Turns played (re-renders the chart when it changes).
    """
    with solara.Card("Escalation ladder by dyad", subtitle=f"after turn {turn}"):
        solara.FigureMatplotlib(rung_figure(dyads), format="svg")


def event_log_html(rows: pd.DataFrame, *, limit: int = MAX_EVENTS_SHOWN) -> str:
    """Render ``event_log_rows`` output as a compact HTML table (text escaped).

    Each row carries ``data-mid-action`` and ``data-rung`` attributes and its description as a
    tooltip; the rung cell is coloured by the band of the ladder it falls in. To fit half a screen,
    MID code 0 reads "0 none" and the hostility level shows its number only; the full codebook
    names are in the cells' tooltips.
    """
    cell = "padding:2px 5px;border-bottom:1px solid #e3e3e3;vertical-align:top;"
    header_titles = {"Hostility": "MID hostility level: 1 none, 2 threat, 3 display, 4 use, 5 war"}
    header_text = {"Hostility": "Level"}
    head = "".join(
        f'<th style="{cell}text-align:left;position:sticky;top:0;background:#fafafa" '
        f'title="{escape(header_titles.get(c, c))}">{escape(header_text.get(c, c))}</th>'
        for c in EVENT_LOG_COLUMNS
    )
    body = []
    for record in rows.head(limit).itertuples(index=False):
        values = dict(zip(rows.columns, record, strict=True))
        rung = int(str(values["Rung"]).split(" ", 1)[0])
        mid = str(values["MID action"]).split(" ", 1)[0]
        cells = []
        for column in EVENT_LOG_COLUMNS:
            text = str(values[column])
            style, title = cell, ""
            if column == "Rung":
                style += f"background:{_chip_colour(rung)};"
            elif column == "MID action":
                title = f' title="MID action {escape(text)}"'
                if mid == "0":  # most rows: keep "no militarized action" for the tooltip
                    text = "0 none"
            elif column == "Hostility":
                # the number only, to fit half a screen; the name is in the tooltip
                title = f' title="hostility level {escape(text)}"'
                text = text.split(" ", 1)[0]
            cells.append(f'<td style="{style}"{title}>{escape(text)}</td>')
        body.append(
            f'<tr class="event-row" data-rung="{rung}" data-mid-action="{escape(mid)}" '
            f'title="{escape(str(values["Description"]))}">{"".join(cells)}</tr>'
        )
    note = ""
    if len(rows) > limit:
        note = f'<p style="font-size:12px;color:#666">latest {limit} of {len(rows)} actions</p>'
    return (
        '<div style="max-height:440px;overflow:auto">'
        '<table class="event-log" style="border-collapse:collapse;font-size:12.5px;width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}"
    )


@solara.component
def EventLog(events: pd.DataFrame, names: dict[str, str], turn: int) -> None:
    """Card with the coded event log, newest first.

    Args:
        events: Snapshot of ``CrisisModel.event_table()``.
        names: Display name per actor id.
        turn: Turns played.
    """
    rows = event_log_rows(events, names)
    with solara.Card("Coded event log", subtitle="Correlates of War MID coding, newest first"):
        if rows.empty:
            solara.Text("No actions yet: press Step to play a turn.")
        else:
            solara.HTML(tag="div", unsafe_innerHTML=event_log_html(rows))


def rung_chart(model: CrisisView) -> solara.Element:
    """SolaraViz component: the escalation ladder per dyad of ``model``."""
    return RungChart(dyads=model.dyad_table(), turn=model.turn)


def event_log(model: CrisisView) -> solara.Element:
    """SolaraViz component: the coded event log of ``model``."""
    dyads = model.dyad_table()
    return EventLog(events=model.event_table(), names=_names(dyads), turn=model.turn)
