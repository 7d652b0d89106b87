"""The game's charts and ladder views (sim.ui.charts), checked against the session's history."""

from __future__ import annotations

import time
from collections.abc import Callable

import ipywidgets as widgets  # type: ignore[import-untyped]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import solara
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from sim.ladder import RUNG_NAMES
from sim.session import Forecast, MoveForecast, MoveOption, Session, playable, wilson
from sim.ui.charts import (
    CHART_TABS,
    MAX_LADDER_PAIRS,
    MAX_MOVES_SHOWN,
    PLAYER_COLOUR,
    AdvisorChart,
    Charts,
    Ladder,
    actor_colours,
    advisor_figure,
    balance_figure,
    economy_figure,
    ladder_figure,
    ladder_history_figure,
    quiet_sentence,
    quiet_war,
    score_figure,
    tension_figure,
)

# -- games ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def azerbaijan() -> Session:
    """Iran-Azerbaijan 2021 as Azerbaijan, three turns: hold, a protest, then drills at Iran."""
    s = Session.start("iran_azerbaijan", role="azerbaijan", seed=7)
    s.play("hold")
    s.play("protest", "armenia")
    s.play("drills", "iran")
    return s


@pytest.fixture(scope="module")
def armenia_over() -> Session:
    """Nagorno-Karabakh 2020 as Armenia, starting at war, played (holding) to the end."""
    s = Session.start("nagorno_karabakh_2020", role="armenia", seed=3)
    while not s.over:
        s.play("hold")
    return s


@pytest.fixture(scope="module")
def fresh() -> Session:
    """Iran-Azerbaijan at turn 0: no turn played."""
    return Session.start("iran_azerbaijan", role="azerbaijan", seed=7)


def _lines(ax: Axes) -> dict[str, Line2D]:
    return {str(line.get_gid()): line for line in ax.get_lines() if line.get_gid()}


def _x(line: Line2D) -> NDArray[np.float64]:
    return np.asarray(line.get_xdata(), dtype=float)


def _y(line: Line2D) -> NDArray[np.float64]:
    return np.asarray(line.get_ydata(), dtype=float)


def _column(history: pd.DataFrame, actor: str, column: str) -> list[float]:
    rows = history[history["actor"] == actor].sort_values("turn")
    return rows[column].astype(float).tolist()


def _legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


# -- the figures show the history -----------------------------------------------------------


def test_balance_figure_draws_armour_and_drones_of_every_actor(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    fig = balance_figure(h, "azerbaijan")
    armour_ax, drones_ax = fig.axes
    actors = list(dict.fromkeys(h["actor"]))
    for ax, column in ((armour_ax, "armour"), (drones_ax, "drones")):
        lines = _lines(ax)
        assert set(lines) == set(actors)
        for actor, line in lines.items():
            assert list(_x(line)) == list(range(azerbaijan.turn + 1))
            np.testing.assert_allclose(_y(line), _column(h, actor, column))
        mine = lines["azerbaijan"]
        assert mine.get_color() == PLAYER_COLOUR
        assert mine.get_linewidth() > max(
            ln.get_linewidth() for a, ln in lines.items() if a != "azerbaijan"
        )
    legend = _legend_texts(fig)
    assert legend[0] == "Azerbaijan (you)" and "Iran" in legend
    assert plt.get_fignums() == []  # never registered with pyplot


def test_economy_figure_draws_costs_and_the_players_pressure(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    cost_ax, pressure_ax = economy_figure(h, "azerbaijan").axes
    for actor, line in _lines(cost_ax).items():
        np.testing.assert_allclose(_y(line), _column(h, actor, "econ_cost_busd"))
    assert set(_lines(pressure_ax)) == {"azerbaijan"}
    np.testing.assert_allclose(
        _y(_lines(pressure_ax)["azerbaijan"]), _column(h, "azerbaijan", "pressure")
    )
    assert pressure_ax.get_ylim() == (0, 1)
    assert f"{_column(h, 'azerbaijan', 'pressure')[-1]:.2f}" in pressure_ax.get_title(loc="left")


def test_tension_figure_draws_each_pair_with_the_player(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    fig = tension_figure(h, "azerbaijan")
    lines = _lines(fig.axes[0])
    others = [a for a in dict.fromkeys(h["actor"]) if a != "azerbaijan"]
    assert set(lines) == set(others)
    for actor, line in lines.items():
        np.testing.assert_allclose(_y(line), _column(h, actor, "tension"))
        assert all(0 <= y <= 1 for y in _y(line))
    # the legend lists the tensest pair now first
    last = {a: _column(h, a, "tension")[-1] for a in others}
    tensest = max(others, key=lambda a: last[a])
    names = dict(zip(h["actor"], h["name"], strict=False))
    assert _legend_texts(fig)[0].startswith(names[tensest])


def test_score_figure_draws_the_score_and_every_gauge(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    fig = score_figure(h, azerbaijan.objectives)
    lines = _lines(fig.axes[0])
    assert set(lines) == {"score", *(f"gauge_{k}" for k in range(len(azerbaijan.objectives)))}
    np.testing.assert_allclose(_y(lines["score"]), _column(h, "azerbaijan", "score"))
    np.testing.assert_allclose(_y(lines["score"])[1:], azerbaijan.scores)
    for k in range(len(azerbaijan.objectives)):
        np.testing.assert_allclose(_y(lines[f"gauge_{k}"]), _column(h, "azerbaijan", f"gauge_{k}"))
    assert lines["score"].get_linewidth() > lines["gauge_0"].get_linewidth()
    legend = " ".join(_legend_texts(fig))
    for gauge in azerbaijan.objectives:
        assert gauge.text[:30] in legend
    assert f"{azerbaijan.score:.0f} for the game" in fig.axes[0].get_title(loc="left")


def _ladder_points(fig: Figure) -> tuple[list[str], dict[str, dict[str, float]]]:
    ax = fig.axes[0]
    columns = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    points: dict[str, dict[str, float]] = {}
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_gid():
            xy = coll.get_offsets()
            for x, y in np.asarray(xy):
                points.setdefault(columns[round(x)], {})[str(coll.get_gid())] = float(y)
    return columns, points


def test_ladder_figure_puts_both_rungs_of_each_pair_on_the_ladder(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    fig = ladder_figure(h, "azerbaijan")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        f"{i} {name}" for i, name in enumerate(RUNG_NAMES)
    ]
    columns, points = _ladder_points(fig)
    now = h[(h["turn"] == azerbaijan.turn) & (h["actor"] != "azerbaijan")]
    assert sorted(columns) == sorted(now["name"])
    for row in now.itertuples():
        assert points[str(row.name)] == {
            "rung_mine": row.rung_mine,
            "rung_theirs": row.rung_theirs,
        }
    # the player held drills aimed at Iran this turn: display of force, rung 6, the most
    # escalated pair, drawn first
    assert points["Iran"]["rung_mine"] == 6
    assert columns[0] == "Iran"
    assert "after turn 3" in ax.get_title(loc="left")


def test_ladder_figure_of_a_war_shows_both_sides_at_war(armenia_over: Session) -> None:
    view = armenia_over.state_view()
    _, points = _ladder_points(ladder_figure(armenia_over.history(), "armenia"))
    for dyad in view.dyads:
        assert points[dyad["other_name"].split(" (")[0]] == {
            "rung_mine": dyad["rung_mine"],
            "rung_theirs": dyad["rung_theirs"],
        }
    start = Session.start("nagorno_karabakh_2020", role="armenia", seed=3)
    _, first = _ladder_points(ladder_figure(start.history(), "armenia"))
    assert max(first["Azerbaijan"].values()) >= 7  # the game starts in the war


def test_ladder_history_figure_draws_the_most_escalated_pairs(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    fig = ladder_history_figure(h, "azerbaijan")
    lines = _lines(fig.axes[0])
    actors = {gid.split(":")[0] for gid in lines}
    assert 1 <= len(actors) <= MAX_LADDER_PAIRS
    assert "iran" in actors
    for gid, line in lines.items():
        actor, side = gid.split(":")
        # nudged apart by a fraction of a rung so that overlapping lines stay visible
        assert list(np.round(_y(line))) == _column(h, actor, f"rung_{side}")
        assert _y(line)[0] == pytest.approx(_column(h, actor, f"rung_{side}")[0], abs=0.2)
    one = ladder_history_figure(h, "azerbaijan", max_pairs=1)
    assert {gid.split(":")[0] for gid in _lines(one.axes[0])} == {"iran"}
    assert "more left out" in one.axes[0].get_title(loc="left")


def test_colours_are_the_same_in_every_chart(azerbaijan: Session) -> None:
    h = azerbaijan.history()
    colours = actor_colours(h, "azerbaijan")
    assert colours["azerbaijan"] == PLAYER_COLOUR
    assert len(set(colours.values())) == len(colours)
    for fig in (balance_figure(h, "azerbaijan"), tension_figure(h, "azerbaijan")):
        for actor, line in _lines(fig.axes[0]).items():
            assert line.get_color() == colours[actor]


# -- the advisor ----------------------------------------------------------------------------


def _forecast(options: list[MoveOption], wars: list[int], futures: int = 100) -> Forecast:
    moves = tuple(
        MoveForecast(
            action=o.action,
            target=o.target,
            futures=futures,
            war=k / futures,
            war_interval=wilson(k, futures),
            war_at_end=0.0,
            war_at_end_interval=(0.0, 0.0),
            settled=0.0,
            settled_interval=(0.0, 0.0),
            peak_mid_level=(1.0, 0.0, 0.0, 0.0, 0.0),
            score=50.0,
            score_interval=(50.0, 50.0),
        )
        for o, k in zip(options, wars, strict=True)
    )
    return Forecast(turn=0, horizon=8, futures=futures, seeds=(), moves=moves)


def _shown(label: str) -> str:
    """A move's label as the advisor shows it (cut at 40 characters)."""
    return label if len(label) <= 40 else label[:39].rstrip() + "…"


def _bars(fig: Figure) -> tuple[list[str], dict[str, float]]:
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = {
        str(p.get_gid()): p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_gid()
    }
    return labels, widths


def test_advisor_figure_shows_the_riskiest_moves_with_intervals(fresh: Session) -> None:
    options = fresh.legal_actions()
    wars = [(7 * k) % 101 for k in range(len(options))]
    forecast = _forecast(options, wars)
    quiet = next(o for o, w in zip(options, wars, strict=True) if w == min(wars[1:]) and o.rung)
    fig = advisor_figure(forecast, options, selected=(quiet.action, quiet.target))
    labels, widths = _bars(fig)
    assert len(labels) == len(widths) == MAX_MOVES_SHOWN
    assert "Hold: do nothing this turn" in labels and _shown(quiet.label) in labels
    by_label = {_shown(o.label): f"{o.action}:{o.target}" for o in options}
    shares = [widths[by_label[label]] for label in labels if label in by_label]
    assert shares == sorted(shares, reverse=True)  # riskiest on top
    top = sorted(wars, reverse=True)[: MAX_MOVES_SHOWN - 2]
    assert sorted(shares, reverse=True)[: len(top)] == [w / 100 for w in top]
    # whiskers: the Wilson interval of each bar
    (whiskers,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    assert len(whiskers.get_segments()) == len(labels)
    for seg in whiskers.get_segments():
        lo, hi = sorted(seg[:, 0])
        assert 0 <= lo <= hi <= 1
    notes = " ".join(t.get_text() for t in fig.texts)
    assert f"{len(options) - MAX_MOVES_SHOWN} more moves not shown" in notes
    bold = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == [_shown(quiet.label)]


def test_advisor_figure_of_a_real_forecast(azerbaijan: Session) -> None:
    options = azerbaijan.legal_actions()
    forecast = azerbaijan.forecast(futures=6, horizon=2)
    labels, widths = _bars(advisor_figure(forecast, options, max_moves=len(options)))
    assert len(labels) == len(options)
    for m in forecast.moves:
        assert widths[f"{m.action}:{m.target}"] == pytest.approx(m.war)
    small = advisor_figure(forecast, options, max_moves=3)
    assert len(_bars(small)[0]) == 3
    empty = advisor_figure(Forecast(0, 8, 10, (), ()), [])
    assert "No moves" in " ".join(t.get_text() for t in empty.axes[0].texts)


# -- every view works at the start, during and after a game ----------------------------------


def _figures(session: Session) -> dict[str, Callable[[], Figure]]:
    h, role = session.history(), session.role
    return {
        "balance": lambda: balance_figure(h, role),
        "economy": lambda: economy_figure(h, role),
        "tension": lambda: tension_figure(h, role),
        "score": lambda: score_figure(h, session.objectives),
        "ladder": lambda: ladder_figure(h, role),
        "ladder_history": lambda: ladder_history_figure(h, role),
    }


def _inside(fig: Figure) -> list[str]:
    """The texts and legends of a figure that stick out of it (a fixed layout can clip)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    out = []
    parts = [(f"axes {ax.get_title(loc='left')!r}", ax.get_tightbbox(renderer)) for ax in fig.axes]
    parts += [(f"text {t.get_text()!r}", t.get_window_extent(renderer)) for t in fig.texts]
    parts += [("legend", legend.get_window_extent(renderer)) for legend in fig.legends]
    for what, ext in parts:
        if ext is None:
            continue
        if ext.x0 < box.x0 - 1 or ext.y0 < box.y0 - 1 or ext.x1 > box.x1 + 1 or ext.y1 > box.y1 + 1:
            out.append(what)
    # legends beside or below the axes do not cover them
    for legend in fig.legends:
        ext = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if ext.overlaps(ax.get_window_extent(renderer)):
                out.append(f"legend over axes: {[t.get_text() for t in legend.get_texts()][:2]}")
    return out


@pytest.mark.parametrize("game", ["fresh", "azerbaijan", "armenia_over"])
def test_every_figure_builds_and_fits_at_start_during_and_after(
    game: str, request: pytest.FixtureRequest
) -> None:
    session: Session = request.getfixturevalue(game)
    for name, build in _figures(session).items():
        fig = build()
        assert isinstance(fig, Figure), name
        assert _inside(fig) == [], name
        last = max(session.turn, 0)
        for ax in fig.axes:
            for line in ax.get_lines():
                xs = list(_x(line))
                if line.get_gid() and name not in ("ladder",):
                    assert xs[-1] == last, name
    assert plt.get_fignums() == []


def test_advisor_figure_fits(fresh: Session) -> None:
    options = fresh.legal_actions()
    forecast = _forecast(options, [k % 40 for k in range(len(options))])
    for fig in (
        advisor_figure(forecast, options),
        advisor_figure(forecast, options, selected=(options[-1].action, options[-1].target)),
        advisor_figure(forecast, options[:3]),
    ):
        assert _inside(fig) == []


# -- components -----------------------------------------------------------------------------


def _images(rc: object, count: int = 1, other_than: bytes | None = None) -> list[bytes]:
    """The PNGs shown, once ``count`` images are there (figures are drawn in the background,
    sim.ui.figures) and, with ``other_than``, once the first is no longer that one."""
    deadline = time.monotonic() + 30
    values: list[bytes] = []
    while time.monotonic() < deadline:
        found = rc.find(widgets.Image)  # type: ignore[attr-defined]
        values = [bytes(w.value) for w in found.widgets]
        if len(values) >= count and (other_than is None or values[0] != other_than):
            return values
        time.sleep(0.05)
    raise AssertionError(f"{count} new image(s) not drawn in 30 s; got {len(values)}")


def test_components_render_without_a_browser(azerbaijan: Session, armenia_over: Session) -> None:
    for session in (azerbaijan, armenia_over):
        for element in (Charts(session, session.turn), Ladder(session, session.turn)):
            _box, rc = solara.render(element, handle_error=False)
            expected = 2 if "Ladder" in str(element.component) else 1
            images = _images(rc, expected)
            assert len(images) == expected
            assert all(img.startswith(b"\x89PNG") for img in images)
            rc.close()
    options = azerbaijan.legal_actions()
    forecast = _forecast(options, [k % 30 for k in range(len(options))])
    _box, rc = solara.render(AdvisorChart(forecast, options), handle_error=False)
    assert _images(rc)[0].startswith(b"\x89PNG")
    rc.close()
    assert plt.get_fignums() == []


def test_charts_switch_tabs(fresh: Session) -> None:
    _box, rc = solara.render(Charts(fresh, 0), handle_error=False)
    first = _images(rc)[0]
    toggle = rc.find(v_model=0).widget  # the chart tabs, on the first
    seen = {first}
    for k in range(1, len(CHART_TABS)):
        before = _images(rc)[0]
        toggle.v_model = k
        seen.add(_images(rc, other_than=before)[0])
    assert len(seen) == len(CHART_TABS)  # each tab draws a different chart
    rc.close()


def test_views_redraw_when_the_game_changes(azerbaijan: Session) -> None:
    """A move taken back and replaced gives the same turn but other charts."""
    game = azerbaijan.upto(2)
    _box, rc = solara.render(Ladder(game, game.turn), handle_error=False)
    before = _images(rc, 2)
    rc.close()
    game.play("threaten", "armenia")
    game.undo()
    game.play("drills", "armenia")
    _box, rc = solara.render(Ladder(game, game.turn), handle_error=False)
    assert _images(rc, 2, other_than=before[0])[0] != before[0]
    rc.close()


@pytest.mark.parametrize("crisis", [c.id for c in playable()])
def test_names_of_every_crisis_fit(crisis: str) -> None:
    """The legends and labels that carry country names fit, in every playable crisis."""
    entry = next(c for c in playable() if c.id == crisis)
    session = Session.start(crisis, role=entry.roles[-1].actor, seed=1)
    session.play_ai()
    h, role = session.history(), session.role
    options = session.legal_actions()
    forecast = _forecast(options, [k % 50 for k in range(len(options))])
    last = (options[-1].action, options[-1].target)
    for fig in (
        balance_figure(h, role),
        tension_figure(h, role),
        ladder_figure(h, role),
        ladder_history_figure(h, role),
        advisor_figure(forecast, options, selected=last),
    ):
        assert _inside(fig) == [], crisis


def test_advisor_figure_shows_settling_score_and_peak_level(fresh: Session) -> None:
    """When war says nothing, the advisor can show what differs: each measure's bars are the
    forecast's values, in the measure's order (best first for settling and the score)."""
    options = fresh.legal_actions()
    n = len(options)
    moves = tuple(
        MoveForecast(
            action=o.action,
            target=o.target,
            futures=100,
            war=0.0,
            war_interval=wilson(0, 100),
            war_at_end=0.0,
            war_at_end_interval=(0.0, 0.0),
            settled=k / n,
            settled_interval=wilson(k * 100 // n, 100),
            peak_mid_level=(1 - k / n, 0.0, k / n, 0.0, 0.0),
            score=60.0 + 20 * k / n,
            score_interval=(59.0 + 20 * k / n, 61.0 + 20 * k / n),
        )
        for k, o in enumerate(options)
    )
    forecast = Forecast(turn=0, horizon=8, futures=100, seeds=(), moves=moves)
    by_gid = {f"{m.action}:{m.target}": m for m in moves}
    for measure, value in (("settled", "settled"), ("score", "score")):
        fig = advisor_figure(forecast, options, measure=measure, max_moves=n)
        labels, _widths = _bars(fig)
        assert len(labels) == n
        patches = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_gid()]
        ends = [p.get_x() + p.get_width() for p in patches]
        for p, end in zip(patches, ends, strict=True):
            assert end == pytest.approx(getattr(by_gid[str(p.get_gid())], value))
        assert ends == sorted(ends, reverse=True)  # the best first
        assert _inside(fig) == []
    peak = advisor_figure(forecast, options, measure="peak", max_moves=5)
    gids = {str(p.get_gid()) for p in peak.axes[0].patches if p.get_gid()}
    top = max(moves, key=lambda m: m.peak_mid_level[2])
    assert f"{top.action}:{top.target}:3" in gids and len(gids) == 5 * 5
    assert "Highest MID hostility level" in " ".join(t.get_text() for t in peak.texts)
    with pytest.raises(ValueError, match="measure"):
        advisor_figure(forecast, options, measure="luck")


def test_quiet_war_ignores_starting_a_war_yourself(fresh: Session) -> None:
    options = fresh.legal_actions()
    wars = [100 if o.kind == "war" else 0 for o in options]
    assert quiet_war(_forecast(options, wars), options)
    assert "unless you start one yourself" in quiet_sentence(_forecast(options, wars), options)
    wars[next(k for k, o in enumerate(options) if o.kind == "force")] = 10
    assert not quiet_war(_forecast(options, wars), options)
    assert quiet_sentence(_forecast(options, wars), options) == ""
