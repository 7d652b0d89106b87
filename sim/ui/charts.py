"""The game's charts: military balance, economy, tension, score, the ladder and the advisor.

Each view has two layers so that most of it is tested without a
browser:

* a pure function from the session's tidy tables (``Session.history()``, its objectives, a
  ``Forecast`` and the legal moves) to a matplotlib :class:`~matplotlib.figure.Figure`
  (``balance_figure``, ``economy_figure``, ``tension_figure``, ``score_figure``,
  ``ladder_figure``, ``ladder_history_figure``, ``advisor_figure``). Figures are built with the
  object-oriented API and never registered with pyplot, so nothing has to be closed: a figure is
  freed when the last reference to it goes;
* a thin Solara component (``Charts``, ``Ladder``, ``AdvisorChart``) that builds the figures of a
  session once per turn (``solara.use_memo``) and shows them as PNG images.

Colours are the same in every chart: the player is dark blue and drawn thicker, each other
country keeps its colour (in the scenario's order of actors), and the ladder's background bands
are those of the event log and the rung chart (non-militarized, threat and display, force).
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, PercentFormatter
from numpy.typing import NDArray

from sim.ladder import RUNG_NAMES
from sim.objectives import Gauge
from sim.session import Forecast, MoveForecast, MoveOption, Session
from sim.ui.figures import FigurePng

# Bands of the ladder: (lowest rung, highest rung, background, chip colour, label).
_BANDS: tuple[tuple[int, int, str, str, str], ...] = (
    (0, 4, "#eef4ea", "#d5e8cc", "non-militarized"),
    (5, 6, "#fbf1dc", "#f6dca5", "threat and display"),
    (7, 8, "#f7e1de", "#eeb4ab", "force"),
)

__all__ = [
    "ADVISOR_MEASURES",
    "CHART_TABS",
    "MAX_LADDER_PAIRS",
    "MAX_MOVES_SHOWN",
    "PLAYER_COLOUR",
    "AdvisorChart",
    "Charts",
    "Ladder",
    "actor_colours",
    "advisor_figure",
    "balance_figure",
    "economy_figure",
    "ladder_figure",
    "ladder_history_figure",
    "quiet_sentence",
    "quiet_war",
    "score_figure",
    "tension_figure",
]

#: The player's colour in every chart.
PLAYER_COLOUR = "#1f3f74"
#: The other countries' colours, in the scenario's order of actors (Tableau 10 without its blue,
#: ordered so that neighbours differ most).
OTHER_COLOURS: tuple[str, ...] = (
    "#e8702a",
    "#2ca02c",
    "#9467bd",
    "#d62728",
    "#8c564b",
    "#17becf",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
#: The advisor shows at most this many moves (the riskiest, and holding back); the rest are noted.
MAX_MOVES_SHOWN = 15
#: The ladder's history shows the rungs of at most this many pairs, the most escalated.
MAX_LADDER_PAIRS = 3
#: The tabs of :func:`Charts`, in order.
CHART_TABS: tuple[str, ...] = ("Balance", "Economy", "Tension", "Score")

_WIDTH = 6.4  # inches: the width of every chart but the ladder (640 px at 100 dpi)
_GREY = "#555555"
_THEIRS_MARKER = "D"
_MINE_MARKER = "o"


# -- shared helpers -------------------------------------------------------------------------


def actor_colours(history: pd.DataFrame, role: str) -> dict[str, str]:
    """The colour of each actor id: the player's :data:`PLAYER_COLOUR`, the others in turn."""
    out: dict[str, str] = {}
    k = 0
    for actor in dict.fromkeys(history["actor"].astype(str)):
        if actor == role:
            out[actor] = PLAYER_COLOUR
        else:
            out[actor] = OTHER_COLOURS[k % len(OTHER_COLOURS)]
            k += 1
    return out


def _short(name: str) -> str:
    """A name for a legend: without a trailing remark in brackets ("Armenia (with ...)")."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name) or name


def _names(history: pd.DataFrame) -> dict[str, str]:
    """Short display name of each actor id, in the scenario's order."""
    pairs = history[["actor", "name"]].drop_duplicates("actor")
    return {str(a): _short(str(n)) for a, n in zip(pairs["actor"], pairs["name"], strict=True)}


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _note(ax: Axes, text: str) -> None:
    """Grey message in the middle of a chart."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=_GREY)


def _style(ax: Axes) -> None:
    """Light frame: no top and right spines, a faint horizontal grid."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize="small")


def _turn_axis(ax: Axes, turns: Sequence[int] | NDArray[Any]) -> None:
    """Whole turns on the x axis, with a little room at the ends (and some at turn 0)."""
    first = int(min(turns)) if len(turns) else 0
    last = int(max(turns)) if len(turns) else 0
    ax.set_xlim(first - 0.3, max(last, first + 1) + 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _title(ax: Axes, text: str) -> None:
    ax.set_title(text, loc="left", fontsize="medium")


def _last_turn(history: pd.DataFrame) -> int:
    return int(history["turn"].max()) if not history.empty else 0


def _mine(history: pd.DataFrame, role: str) -> pd.DataFrame:
    """The player's rows, by turn."""
    return history[history["actor"] == role].sort_values("turn")


def _others(history: pd.DataFrame, role: str) -> list[str]:
    """The other actors' ids, in the scenario's order."""
    return [a for a in dict.fromkeys(history["actor"].astype(str)) if a != role]


def _series(history: pd.DataFrame, actor: str, column: str) -> pd.Series:
    rows = history[history["actor"] == actor].sort_values("turn")
    return pd.Series(rows[column].to_numpy(dtype=float), index=rows["turn"].to_numpy())


def _actor_lines(
    ax: Axes, history: pd.DataFrame, role: str, column: str, colours: dict[str, str]
) -> None:
    """One line per actor of ``column`` over the turns, the player's thick and on top."""
    names = _names(history)
    for actor in dict.fromkeys(history["actor"].astype(str)):
        series = _series(history, actor, column)
        mine = actor == role
        ax.plot(
            series.index,
            series.to_numpy(),
            color=colours[actor],
            linewidth=2.8 if mine else 1.4,
            marker="o",
            markersize=4 if mine else 2.5,
            zorder=4 if mine else 3,
            label=f"{_clip(names[actor], 16)} (you)" if mine else _clip(names[actor], 20),
            gid=actor,
        )


def _legend_right(fig: Figure, ax: Axes) -> None:
    """The legend of ``ax``'s lines to the right of the figure, the player first."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda k: not labels[k].endswith("(you)"))
    _legend_at_right(fig, [handles[k] for k in order], [labels[k] for k in order], handlelength=1.6)


def _figure(
    width: float,
    height: float,
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    hspace: float | None = None,
) -> Figure:
    """A figure with fixed margins in inches (drawing is twice as fast as a constrained layout,
    and the sizes here are known: tick labels, legends and notes are short and clipped)."""
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=hspace,
    )
    return fig


def _legend_at_right(fig: Figure, handles: list[Any], labels: list[str], **kwargs: Any) -> None:
    """The legend in the figure's right margin, level with the top of the axes."""
    par = fig.subplotpars
    fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(par.right + 0.015, par.top + 0.01),
        fontsize="small",
        frameon=False,
        borderaxespad=0.0,
        **kwargs,
    )


def _empty(history: pd.DataFrame) -> Figure | None:
    """A figure saying there is nothing to show, for an empty history."""
    if not history.empty:
        return None
    fig = Figure(figsize=(_WIDTH, 2.0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    _note(ax, "Nothing to show yet")
    return fig


# -- military balance, economy, tension, score -----------------------------------------------


def balance_figure(history: pd.DataFrame, role: str) -> Figure:
    """The military balance over the turns: armour in service and drones in stock per actor.

    Args:
        history: ``Session.history()``: one row per turn (0 = the start) and actor.
        role: The player's actor id (its lines are drawn thick and dark blue).

    Returns:
        A figure with two panels sharing the turn axis (armour above, drones below) and the
        legend on the right; each line's ``gid`` is its actor id.
    """
    if (fig := _empty(history)) is not None:
        return fig
    fig = _figure(_WIDTH, 4.4, left=0.55, right=1.75, top=0.3, bottom=0.5, hspace=0.35)
    top, bottom = fig.subplots(2, 1, sharex=True)
    colours = actor_colours(history, role)
    for ax, column, title in (
        (top, "armour", "Armour in service (tanks and armoured vehicles)"),
        (bottom, "drones", "Drones in stock"),
    ):
        _actor_lines(ax, history, role, column, colours)
        _style(ax)
        _title(ax, title)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    _turn_axis(bottom, history["turn"].unique())
    bottom.set_xlabel("turn", fontsize="small")
    _legend_right(fig, top)
    return fig


def economy_figure(history: pd.DataFrame, role: str) -> Figure:
    """The economic cost of the crisis per actor and the domestic pressure on the player.

    Args:
        history: ``Session.history()``.
        role: The player's actor id.

    Returns:
        A figure with the cost so far in billion USD per actor (above; negative is a gain) and
        the player's domestic pressure from 0 (calm) to 1 (unrest) below.
    """
    if (fig := _empty(history)) is not None:
        return fig
    fig = _figure(_WIDTH, 4.4, left=0.7, right=1.75, top=0.3, bottom=0.5, hspace=0.4)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    colours = actor_colours(history, role)
    _actor_lines(top, history, role, "econ_cost_busd", colours)
    top.axhline(0, color="#999999", linewidth=0.8, zorder=1)
    _style(top)
    _title(top, "Economic cost of the crisis so far (billion USD)")

    mine = _series(history, role, "pressure")
    bottom.fill_between(mine.index, mine.to_numpy(), color=PLAYER_COLOUR, alpha=0.15, linewidth=0)
    bottom.plot(
        mine.index,
        mine.to_numpy(),
        color=PLAYER_COLOUR,
        linewidth=2.4,
        marker="o",
        markersize=3.5,
        gid=role,
    )
    bottom.set_ylim(0, 1)
    bottom.set_yticks([0, 0.5, 1], ["0 calm", "0.5", "1 unrest"])
    _style(bottom)
    _title(bottom, f"Domestic pressure on your government: {mine.iloc[-1]:.2f}")
    _turn_axis(bottom, history["turn"].unique())
    bottom.set_xlabel("turn", fontsize="small")
    _legend_right(fig, top)
    return fig


def tension_figure(history: pd.DataFrame, role: str) -> Figure:
    """The tension of each pair of the player with another country over the turns (0-1).

    Args:
        history: ``Session.history()``.
        role: The player's actor id.

    Returns:
        A figure with one line per other country (``gid`` its actor id), the legend on the
        right from the tensest pair now to the calmest.
    """
    if (fig := _empty(history)) is not None:
        return fig
    fig = _figure(_WIDTH, 3.4, left=0.55, right=1.75, top=0.3, bottom=0.5)
    ax = fig.add_subplot()
    colours = actor_colours(history, role)
    names = _names(history)
    me = names.get(role, role)
    others = _others(history, role)
    last = {a: float(_series(history, a, "tension").iloc[-1]) for a in others}
    for actor in sorted(others, key=lambda a: (-last[a], others.index(a))):
        series = _series(history, actor, "tension")
        ax.plot(
            series.index,
            series.to_numpy(),
            color=colours[actor],
            linewidth=1.8,
            marker="o",
            markersize=3,
            label=f"{_clip(names[actor], 13)}  {last[actor]:.2f}",
            gid=actor,
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0 calm", "0.25", "0.5", "0.75", "1 brink"])
    _style(ax)
    _title(ax, f"Tension between {me} and each country")
    _turn_axis(ax, history["turn"].unique())
    ax.set_xlabel("turn", fontsize="small")
    if others:
        handles, labels = ax.get_legend_handles_labels()
        _legend_at_right(
            fig, handles, labels, handlelength=1.6, title="now", title_fontsize="small"
        )
    else:
        _note(ax, "No other country in this crisis")
    return fig


def score_figure(history: pd.DataFrame, objectives: Sequence[Gauge]) -> Figure:
    """The player's score (0-100) over the turns, with each objective's gauge as a thin line.

    Args:
        history: ``Session.history()``: the player's rows carry ``score`` and ``gauge_<k>``.
        objectives: ``Session.objectives``, in the order of the ``gauge_<k>`` columns; each
            line is labelled with the objective's text and weight.

    Returns:
        A figure with the score (``gid`` "score") and one line per gauge (``gid``
        "gauge_<k>"), the legend below.
    """
    if (fig := _empty(history)) is not None:
        return fig
    mine = history[history["score"].notna()].sort_values("turn")
    labels = [f"{_clip(g.text, 44)} (weight {g.weight:g})" for g in objectives]
    cols = 2 if max(map(len, labels), default=0) <= 36 else 1
    rows = math.ceil((len(objectives) + 1) / cols)
    bottom = 0.55 + 0.19 * rows
    fig = _figure(_WIDTH, 3.0 + bottom, left=0.55, right=0.2, top=0.3, bottom=bottom)
    ax = fig.add_subplot()
    turns = mine["turn"].to_numpy()
    for k, label in enumerate(labels):
        ax.plot(
            turns,
            mine[f"gauge_{k}"].to_numpy(dtype=float),
            color=OTHER_COLOURS[k % len(OTHER_COLOURS)],
            linewidth=1.1,
            linestyle=(0, (4, 1.5)),
            marker="o",
            markersize=2,
            label=label,
            gid=f"gauge_{k}",
        )
    scores = mine["score"].to_numpy(dtype=float)
    ax.plot(
        turns,
        scores,
        color=PLAYER_COLOUR,
        linewidth=3,
        marker="o",
        markersize=4,
        label="Your score (weighted mean of the objectives)",
        gid="score",
        zorder=4,
    )
    ax.set_ylim(-2, 102)
    ax.set_yticks([0, 25, 50, 75, 100])
    _style(ax)
    played = scores[turns >= 1]
    game = float(played.mean()) if len(played) else float(scores[-1])
    _title(ax, f"Your score: {scores[-1]:.0f} this turn · {game:.0f} for the game (mean of turns)")
    _turn_axis(ax, turns)
    ax.set_xlabel("turn", fontsize="small")
    handles, texts = ax.get_legend_handles_labels()
    fig.legend(
        handles[-1:] + handles[:-1],
        texts[-1:] + texts[:-1],
        loc="lower left",
        bbox_to_anchor=(0.02, 0.01),
        ncols=cols,
        fontsize="small",
        frameon=False,
        handlelength=2.0,
        borderaxespad=0.0,
    )
    return fig


# -- the escalation ladder -------------------------------------------------------------------


def _ladder_axis(ax: Axes, *, names: bool = True) -> None:
    """Rows for the nine rungs on their coloured bands."""
    for low, high, colour, _, _ in _BANDS:
        ax.axhspan(low - 0.5, high + 0.5, color=colour, zorder=0, linewidth=0)
    ax.set_ylim(-0.5, len(RUNG_NAMES) - 0.5)
    labels = [f"{i} {name}" for i, name in enumerate(RUNG_NAMES)] if names else []
    ax.set_yticks(range(len(RUNG_NAMES)), labels)
    ax.tick_params(axis="y", length=0, labelsize="small")
    ax.grid(axis="y", color="white", linewidth=1.0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _band_labels(ax: Axes) -> None:
    """The names of the ladder's bands, small, at the right edge."""
    for low, high, _, _, label in _BANDS:
        ax.text(
            1.01,
            (low + high) / 2,
            textwrap.fill(label, 12),
            transform=ax.get_yaxis_transform(),
            rotation=270,
            ha="left",
            va="center",
            fontsize="x-small",
            color=_GREY,
        )


def _rungs_now(history: pd.DataFrame, role: str) -> pd.DataFrame:
    """The other actors at the latest turn with their rungs, the most escalated pair first."""
    now = history[(history["turn"] == _last_turn(history)) & (history["actor"] != role)]
    now = now.assign(
        mine=now["rung_mine"].astype(int),
        theirs=now["rung_theirs"].astype(int),
        order=range(len(now)),
    )
    now = now.assign(peak=np.maximum(now["mine"], now["theirs"]), total=now["mine"] + now["theirs"])
    return now.sort_values(["peak", "total", "order"], ascending=[False, False, True])


def ladder_figure(history: pd.DataFrame, role: str) -> Figure:
    """Where each pair of the player with another country stands on the ladder now.

    The nine rungs are rows on their bands; each other country is a column (the most escalated
    pair on the left) with two markers: a dark blue circle at the player's rung against it and a
    diamond in its colour at its rung against the player.

    Args:
        history: ``Session.history()``; the latest turn is drawn.
        role: The player's actor id.

    Returns:
        A figure whose two scatter collections have ``gid`` "rung_mine" and "rung_theirs", one
        point per column, the columns named by the x tick labels.
    """
    if (fig := _empty(history)) is not None:
        return fig
    now = _rungs_now(history, role)
    names = _names(history)
    me = names.get(role, role)
    colours = actor_colours(history, role)
    n = len(now)
    width = min(8.0, max(5.4, 1.8 + 0.85 * n))
    fig = _figure(width, 4.0, left=1.45, right=0.45, top=0.3, bottom=0.75)
    ax = fig.add_subplot()
    _ladder_axis(ax)
    _band_labels(ax)
    xs = np.arange(n, dtype=float)
    for x, mine, theirs in zip(xs, now["mine"], now["theirs"], strict=True):
        if mine != theirs:
            ax.plot([x, x], [mine, theirs], color="#888888", linewidth=1.2, zorder=2)
    ax.scatter(
        xs - 0.14,
        now["mine"].to_numpy(),
        s=130,
        marker=_MINE_MARKER,
        color=PLAYER_COLOUR,
        edgecolors="white",
        linewidths=1.0,
        zorder=4,
        gid="rung_mine",
    )
    ax.scatter(
        xs + 0.14,
        now["theirs"].to_numpy(),
        s=110,
        marker=_THEIRS_MARKER,
        color=[colours[str(a)] for a in now["actor"]],
        edgecolors="black",
        linewidths=0.8,
        zorder=4,
        gid="rung_theirs",
    )
    ax.set_xticks(xs, [textwrap.fill(names[str(a)], 12) for a in now["actor"]], fontsize="small")
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, max(n, 1) - 0.4)
    for x in xs[1:]:
        ax.axvline(x - 0.5, color="white", linewidth=2, zorder=1)
    _title(ax, f"Where each pair stands after turn {_last_turn(history)}")
    if not n:
        _note(ax, "No other country in this crisis")
    fig.legend(
        handles=[
            Line2D([], [], marker=_MINE_MARKER, color=PLAYER_COLOUR, linestyle="", markersize=9),
            Line2D(
                [],
                [],
                marker=_THEIRS_MARKER,
                color="#bbbbbb",
                markeredgecolor="black",
                linestyle="",
                markersize=8,
            ),
        ],
        labels=[f"{me} → them (your rung)", f"them → {me} (their rung)"],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.01),
        ncols=2,
        fontsize="small",
        frameon=False,
        borderaxespad=0.0,
    )
    return fig


def ladder_history_figure(
    history: pd.DataFrame, role: str, *, max_pairs: int = MAX_LADDER_PAIRS
) -> Figure:
    """The rungs over the turns of the player's most escalated pairs.

    Pairs are ranked by their highest rung so far (either side), then by their rung now; pairs
    that never left normal relations are left out, and pairs beyond ``max_pairs`` are counted in
    a note. For each pair a solid line is the player's rung against the other country and a
    dashed line the other's against the player, both in the other's colour (nudged a little
    apart so that both stay visible on the same rung).

    Args:
        history: ``Session.history()``.
        role: The player's actor id.
        max_pairs: Most pairs to draw.

    Returns:
        A figure whose lines have ``gid`` "<actor>:mine" and "<actor>:theirs".
    """
    if (fig := _empty(history)) is not None:
        return fig
    names = _names(history)
    me = names.get(role, role)
    colours = actor_colours(history, role)
    others = _others(history, role)
    peak = {}
    for actor in others:
        mine, theirs = _series(history, actor, "rung_mine"), _series(history, actor, "rung_theirs")
        both = np.maximum(mine.to_numpy(), theirs.to_numpy())
        peak[actor] = (float(both.max()), float(both[-1]))
    active = [a for a in others if peak[a][0] > 0]
    ranked = sorted(active, key=lambda a: (-peak[a][0], -peak[a][1], others.index(a)))
    shown = ranked[:max_pairs]

    fig = _figure(_WIDTH, 3.6, left=1.45, right=1.95, top=0.3, bottom=0.5)
    ax = fig.add_subplot()
    _ladder_axis(ax)
    for k, actor in enumerate(shown):
        nudge = (k - (len(shown) - 1) / 2) * 0.06
        for column, style, offset, label in (
            ("rung_mine", "-", 0.05, f"{_clip(me, 12)} → {_clip(names[actor], 12)}"),
            ("rung_theirs", (0, (3, 1.5)), -0.05, f"{_clip(names[actor], 12)} → {_clip(me, 12)}"),
        ):
            series = _series(history, actor, column)
            ax.plot(
                series.index,
                series.to_numpy() + offset + nudge,
                color=colours[actor],
                linestyle=style,
                linewidth=2.0 if column == "rung_mine" else 1.6,
                drawstyle="steps-post",
                marker="o" if column == "rung_mine" else "D",
                markersize=3,
                label=label,
                gid=f"{actor}:{column.removeprefix('rung_')}",
                zorder=3,
            )
    _turn_axis(ax, history["turn"].unique())
    ax.set_xlabel("turn", fontsize="small")
    ax.tick_params(axis="x", labelsize="small")
    hidden = len(active) - len(shown)
    title = "Rungs over the turns" + (
        f": the {len(shown)} most escalated pairs ({hidden} more left out)" if hidden else ""
    )
    _title(ax, title)
    if shown:
        handles, labels = ax.get_legend_handles_labels()
        _legend_at_right(fig, handles, labels, handlelength=2.2)
    else:
        _note(ax, "Relations with every country are normal so far")
    return fig


# -- the advisor -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    forecast: MoveForecast
    label: str
    rung: int
    hold: bool


#: What the advisor's chart can show of each move's futures (``advisor_figure(measure=...)``),
#: with the name of its button on the page.
ADVISOR_MEASURES: dict[str, str] = {
    "war": "Chance of war",
    "settled": "Chance it settles",
    "score": "Your expected score",
    "peak": "Highest hostility",
}
#: Below this share of futures with a war (for every move but starting a war yourself), the
#: advisor says that no move leads to war and shows what does differ between the moves.
QUIET_WAR = 0.02
#: Colours of the MID hostility levels 1-5 in the advisor's "highest hostility" bars.
LEVEL_COLOURS: tuple[str, ...] = ("#d5e8cc", "#c6d7ec", "#f6dca5", "#eeb4ab", "#8b1a1a")
_LEVEL_SHORT: tuple[str, ...] = ("none", "threat", "display", "force", "war")


def _is_war_move(option: MoveOption | None, m: MoveForecast) -> bool:
    """Whether a move starts or joins a war itself (its futures are wars by definition)."""
    if option is not None:
        return option.kind == "war"
    return m.action in ("declare_war", "join_war")


def quiet_war(forecast: Forecast, options: Sequence[MoveOption], limit: float = QUIET_WAR) -> bool:
    """Whether no move but starting a war yourself leads to war in the forecast's futures (in
    less than ``limit`` of them): then the war chances say nothing and the advisor shows what
    differs between the moves instead."""
    by_move = {(o.action, o.target): o for o in options}
    others = [m for m in forecast.moves if not _is_war_move(by_move.get((m.action, m.target)), m)]
    return bool(others) and max(m.war for m in others) < limit


def quiet_sentence(forecast: Forecast, options: Sequence[MoveOption]) -> str:
    """The advisor's plain words when :func:`quiet_war` holds ('' otherwise)."""
    if not quiet_war(forecast, options):
        return ""
    by_move = {(o.action, o.target): o for o in options}
    starts = any(_is_war_move(by_move.get((m.action, m.target)), m) for m in forecast.moves)
    return (
        f"No move leads to war in these {forecast.futures} futures"
        + (", unless you start one yourself" if starts else "")
        + f" (the next {forecast.horizon} turns). The moves differ in how often the crisis "
        "settles, in your expected score and in how far the crisis climbs: pick what to compare."
    )


def _expected_level(m: MoveForecast) -> float:
    return float(sum((k + 1) * share for k, share in enumerate(m.peak_mid_level)))


def _value(m: MoveForecast, measure: str) -> float:
    if measure == "settled":
        return m.settled
    if measure == "score":
        return m.score
    if measure == "peak":
        return _expected_level(m)
    return m.war


def _bars(forecast: Forecast, options: Sequence[MoveOption], measure: str = "war") -> list[_Bar]:
    """The moves forecast, with their labels and rungs: the riskiest first (for ``war`` and
    ``peak``), the most likely to settle or the best score first (``settled``, ``score``)."""
    by_move = {(o.action, o.target): o for o in options}
    bars = []
    for m in forecast.moves:
        option = by_move.get((m.action, m.target))
        if option is None:
            label = f"{m.action.replace('_', ' ')} {m.target}"
        else:  # "... to Armenia (with Artsakh forces)" -> "... to Armenia"
            label = option.label.replace(option.target_name, _short(option.target_name))
        rung = option.rung if option else 0
        bars.append(_Bar(m, label, rung, m.action == "hold"))
    if measure in ("settled", "score"):
        return sorted(bars, key=lambda b: (-_value(b.forecast, measure), b.rung, b.label))
    if measure == "peak":
        return sorted(bars, key=lambda b: (-_value(b.forecast, "peak"), -b.rung, b.label))
    return sorted(bars, key=lambda b: (-b.forecast.war, -b.rung, b.label))


def _text_width(texts: Sequence[str], *, bold: bool = False) -> float:
    """The width in inches of the widest of some tick labels (font size "small"), as Agg draws
    them."""
    measure = RendererAgg(1, 1, 72)  # at 72 dpi a point is a pixel
    font = FontProperties(size="small", weight="bold" if bold else "normal")
    widths = [measure.get_text_width_height_descent(t, font, ismath=False)[0] for t in texts]
    return float(max(widths, default=72.0)) / 72.0


def _chip(rung: int) -> str:
    for low, high, _, chip, _ in _BANDS:
        if low <= rung <= high:
            return chip
    return "#dddddd"


def _advisor_title(forecast: Forecast, measure: str) -> str:
    per = f"{forecast.futures} simulated futures per move"
    return {
        "war": f"War within {forecast.horizon} turns, in {per}",
        "settled": f"Crisis settled within {forecast.horizon} turns, in {per}",
        "score": f"Your expected score (0-100) over {forecast.horizon} turns, {per}",
        "peak": f"Highest MID hostility level within {forecast.horizon} turns, {per}",
    }[measure]


def _format(value: float, measure: str) -> str:
    if measure == "score":
        return f"{value:.0f}"
    if measure == "peak":
        return f"{value:.1f}"
    return f"{100 * value:.0f}%"


def advisor_figure(
    forecast: Forecast,
    options: Sequence[MoveOption],
    *,
    selected: tuple[str, str] | None = None,
    max_moves: int = MAX_MOVES_SHOWN,
    measure: str = "war",
) -> Figure:
    """The advisor's chart: one measure of each move's simulated futures, one bar per move.

    ``measure`` is one of :data:`ADVISOR_MEASURES`:

    * ``war`` (the default): the share of futures with a war, riskiest first, with whiskers for
      the 95% Wilson interval;
    * ``settled``: the share of futures in which the crisis settles, with its interval;
    * ``score``: the player's expected score (0-100), with its 95% interval;
    * ``peak``: the highest MID hostility level the futures reach, a stacked bar of the shares
      of futures peaking at each level from 1 (no militarized action) to 5 (war).

    Bars are coloured by the move's band of the ladder (the ``peak`` bars by level), and a
    dashed line marks holding back's value for comparison. At most ``max_moves`` bars are
    drawn: the first in the measure's order, with holding back and the ``selected`` move always
    among them; the others are summed up in a note with the range of their values.

    Args:
        forecast: ``Session.forecast()``.
        options: ``Session.legal_actions()``, for the moves' labels and rungs.
        selected: The (action, target) the player has chosen, drawn in bold.
        max_moves: Most bars to draw.
        measure: What to show of each move's futures.

    Returns:
        A figure whose y tick labels are the moves shown, top to bottom, and whose bars (gid
        "<action>:<target>"; for ``peak``, "<action>:<target>:<level>") are their values.
    """
    if measure not in ADVISOR_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(ADVISOR_MEASURES)}, got {measure!r}")
    bars = _bars(forecast, options, measure)
    must = [b for b in bars if b.hold or (b.forecast.action, b.forecast.target) == selected]
    shown = bars[: max(1, max_moves, len(must))]
    for b in must:  # holding back and the chosen move replace the last others shown
        if b not in shown:
            k = max(k for k, c in enumerate(shown) if c not in must)
            shown[k] = b
    shown.sort(key=bars.index)
    rest = [b for b in bars if b not in shown]

    labels = [_clip(b.label, 40) for b in shown]
    notes = []
    hold = next((b for b in bars if b.hold), None)
    if measure == "peak":
        notes.append(
            "levels: 1 no militarized action · 2 threat · 3 display of force · 4 use of force · "
            "5 war"
        )
        if hold is not None:
            notes.append(
                f"holding back: average highest level {_expected_level(hold.forecast):.1f}"
            )
    else:
        head = (
            f"dashed line: holding back ({_format(_value(hold.forecast, measure), measure)}) · "
            if hold is not None
            else ""
        )
        notes.append(head + "whiskers: 95% interval")
    if rest:
        values = [_value(b.forecast, measure) for b in rest]
        low_v, high_v = _format(min(values), measure), _format(max(values), measure)
        span = low_v if low_v == high_v else f"{low_v} to {high_v}"
        what = {
            "war": f"war in {span} of their futures",
            "settled": f"settles in {span} of their futures",
            "score": f"expected score {span}",
            "peak": f"average highest level {span}",
        }[measure]
        notes.append(f"{len(rest)} more moves not shown: {what}")
    left = 0.25 + _text_width(labels, bold=selected is not None)
    bottom = 0.4 + 0.16 * len(notes)
    height = 0.4 + 0.26 * max(len(shown), 1) + bottom
    fig = _figure(_WIDTH, height, left=min(left, 3.2), right=0.3, top=0.4, bottom=bottom)
    ax = fig.add_subplot()
    fig.text(
        0.015,
        1 - 0.1 / height,
        _advisor_title(forecast, measure),
        ha="left",
        va="top",
        fontsize="medium",
    )
    if not bars:
        ax.set_axis_off()
        _note(ax, "No moves to forecast")
        return fig
    ys = np.arange(len(shown))[::-1]
    if measure == "peak":
        _peak_bars(ax, shown, ys)
        ax.set_xlim(0, 1.0)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    else:
        _value_bars(ax, shown, ys, measure, hold)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_yticks(ys, labels)
    for tick, b in zip(ax.get_yticklabels(), shown, strict=True):
        if selected is not None and (b.forecast.action, b.forecast.target) == selected:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0, labelsize="small")
    ax.tick_params(axis="x", labelsize="small")
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.015, 0.08 / height, "\n".join(notes), fontsize="x-small", color=_GREY, va="bottom")
    return fig


def _value_bars(
    ax: Axes, shown: Sequence[_Bar], ys: NDArray[Any], measure: str, hold: _Bar | None
) -> None:
    """Bars of a share (war, settled) or of the score, with their 95% intervals as whiskers."""
    value = np.array([_value(b.forecast, measure) for b in shown])
    if measure == "war":
        iv = [b.forecast.war_interval for b in shown]
    elif measure == "settled":
        iv = [b.forecast.settled_interval for b in shown]
    else:
        iv = [b.forecast.score_interval for b in shown]
    low = np.array([i[0] for i in iv])
    high = np.array([i[1] for i in iv])
    # scores differ by a few points: the score's axis starts near the lowest shown
    base = max(0.0, 5 * math.floor((float(low.min()) - 3) / 5)) if measure == "score" else 0.0
    full = 100.0 if measure == "score" else 1.0
    container = ax.barh(
        ys,
        value - base,
        left=base,
        height=0.7,
        color=[_chip(b.rung) for b in shown],
        edgecolor=[PLAYER_COLOUR if b.hold else "#999999" for b in shown],
        linewidth=0.8,
        zorder=2,
    )
    for patch, b in zip(container.patches, shown, strict=True):
        patch.set_gid(f"{b.forecast.action}:{b.forecast.target}")
    ax.errorbar(
        value,
        ys,
        xerr=np.vstack([np.maximum(value - low, 0), np.maximum(high - value, 0)]),
        fmt="none",
        ecolor="#333333",
        elinewidth=1.0,
        capsize=2.5,
        zorder=3,
    )
    right = min(1.0, max(0.25, float(high.max()) * 1.12)) if measure == "war" else full
    step = 0.6 if measure == "score" else right * 0.015
    for y, w, h in zip(ys, value, high, strict=True):
        ax.text(
            min(h, right) + step,
            y,
            _format(w, measure),
            va="center",
            fontsize="x-small",
            color="#333333",
        )
    if hold is not None:
        ax.axvline(
            _value(hold.forecast, measure),
            color=PLAYER_COLOUR,
            linestyle="--",
            linewidth=1,
            zorder=1,
        )
    if measure == "score":
        ax.set_xlim(base, min(105.0, max(float(high.max()) + 4, base + 10)))
    else:
        ax.set_xlim(0, right * 1.12)
    if measure != "score":
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def _peak_bars(ax: Axes, shown: Sequence[_Bar], ys: NDArray[Any]) -> None:
    """Stacked bars: the share of each move's futures whose highest MID level is 1, ..., 5."""
    left = np.zeros(len(shown))
    for level in range(5):
        share = np.array([b.forecast.peak_mid_level[level] for b in shown])
        container = ax.barh(
            ys,
            share,
            left=left,
            height=0.7,
            color=LEVEL_COLOURS[level],
            edgecolor="white",
            linewidth=0.5,
            zorder=2,
            label=f"{level + 1} {_LEVEL_SHORT[level]}",
        )
        for patch, b in zip(container.patches, shown, strict=True):
            patch.set_gid(f"{b.forecast.action}:{b.forecast.target}:{level + 1}")
        left = left + share


# -- Solara components -----------------------------------------------------------------------


def _session_key(session: Session, turn: int) -> list[Hashable]:
    """What the charts of a session depend on: the game (its crisis, role, seed, parameters and
    moves: a game is determined by them) and ``turn``."""
    return [
        session.prepared.content_hash,
        session.role,
        session.seed,
        tuple(sorted(session.params.items())),
        session.moves,
        session.turn,
        turn,
    ]


@solara.component
def _Figure(build: Callable[[], Figure], dependencies: list[Hashable]) -> None:
    """A figure built once per change of ``dependencies`` and shown as a PNG image."""
    FigurePng(build, dependencies)


def _chart(session: Session, tab: str) -> Figure:
    history = session.history()
    if tab == "Balance":
        return balance_figure(history, session.role)
    if tab == "Economy":
        return economy_figure(history, session.role)
    if tab == "Tension":
        return tension_figure(history, session.role)
    return score_figure(history, session.objectives)


@solara.component
def Charts(session: Session, turn: int) -> None:
    """The charts of a game, one at a time: military balance, economy, tension and score.

    Args:
        session: The game (only read).
        turn: Redraws the charts when it changes (the turn, or any version counter).
    """
    tab, set_tab = solara.use_state(CHART_TABS[0])
    with solara.Card("Charts", subtitle=f"after turn {session.turn}", classes=["charts"]):
        solara.ToggleButtonsSingle(
            value=tab, values=list(CHART_TABS), on_value=set_tab, dense=True, classes=["chart-tabs"]
        )
        _Figure(lambda: _chart(session, tab), [*_session_key(session, turn), tab])


@solara.component
def Ladder(session: Session, turn: int) -> None:
    """The escalation ladder of each pair involving the player: now, and over the turns.

    Args:
        session: The game (only read).
        turn: Redraws the figures when it changes.
    """
    key = _session_key(session, turn)
    with solara.Card(
        "Escalation ladder", subtitle=f"after turn {session.turn}", classes=["ladder"]
    ):
        _Figure(lambda: ladder_figure(session.history(), session.role), [*key, "now"])
        _Figure(lambda: ladder_history_figure(session.history(), session.role), [*key, "history"])


@solara.component
def AdvisorChart(
    forecast: Forecast,
    options: list[MoveOption],
    selected: tuple[str, str] | None = None,
    measure: str = "war",
) -> None:
    """The advisor's chart of one measure of every move's futures (:func:`advisor_figure`).

    Args:
        forecast: ``Session.forecast()``.
        options: ``Session.legal_actions()`` (the moves' labels and rungs).
        selected: The move the player has chosen, if any (drawn in bold, always shown).
        measure: What to show: one of :data:`ADVISOR_MEASURES`.
    """
    key: list[Hashable] = [forecast, tuple(options), selected, measure]  # frozen: by value
    _Figure(lambda: advisor_figure(forecast, options, selected=selected, measure=measure), key)
