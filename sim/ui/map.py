"""The map of the region and the alliance network of a game.

As in ``sim.ui.charts``, each view has two layers so that most of it is tested without a
browser:

* a pure function from a :class:`~sim.session.Session` to a matplotlib
  :class:`~matplotlib.figure.Figure` (:func:`map_figure`, :func:`alliance_figure`), built with the
  object-oriented API and never registered with pyplot, so nothing has to be closed: a figure is
  freed when the last reference to it goes;
* a thin Solara component (:func:`RegionMap`, :func:`AllianceNetwork`) that builds the figure of
  a session once per turn (``solara.use_memo``) and shows it as a PNG image.

The map is drawn in plain longitude and latitude, with the axes' aspect set to 1/cos(latitude)
at the middle of the map so that shapes are about right (an equirectangular projection). The
country outlines come from sim/ui/data/countries.geojson, cut out of Natural Earth's admin-0
countries (public domain) by scripts/make_map_data.py.

What the map shows, for the player's country:

* every country's outline, the player's country filled in its colour and the other countries of
  the crisis a little darker than bystanders;
* each actor's capital, a labelled dot; actors whose capitals are far from the theatre (more than
  :data:`THEATRE_KM` from its centre, such as the United States) are not drawn but named in a
  note, "Also in the crisis: United States (far away)";
* the transit corridors along their paths, coloured by status (open, levied, closed, seized);
  corridors without a path in the scenario are listed with their status in a note;
* the range of each of the player's drone types still in stock, a circle around its capital;
* hot spots: a line between the capitals of each pair at rung 5 (threat) or above, coloured by
  the band of the ladder: threat or display amber, use of force red, war thick dark red.
"""

from __future__ import annotations

import functools
import json
import math
import re
import textwrap
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import solara
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path as MplPath
from numpy.typing import NDArray

from sim.ladder import RUNG_NAMES
from sim.scenario.models import ActorKind
from sim.session import Session
from sim.ui.charts import OTHER_COLOURS, PLAYER_COLOUR
from sim.ui.figures import FigurePng
from sim.world import Ties

__all__ = [
    "CORRIDOR_COLOURS",
    "DATA_FILE",
    "FOCUS_KM",
    "THEATRE_KM",
    "AllianceNetwork",
    "Countries",
    "Country",
    "RegionMap",
    "Theatre",
    "alliance_figure",
    "circle",
    "countries",
    "haversine_km",
    "hot_spots",
    "map_extent",
    "map_figure",
    "theatre",
]

#: The committed country outlines (scripts/make_map_data.py writes it).
DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.geojson"
#: An actor is in the theatre if its capital is within this distance of the theatre's centre
#: (Tirana–Tehran, the two sides of albania_iran, is 2,800 km; Washington is 5,900 km or more
#: from every other capital of the scenarios).
THEATRE_KM = 3000.0
#: The map is framed on the capitals within this distance of the theatre's centre (and the
#: crisis's main parties); other capitals of the theatre may be off the map, marked at its edge.
FOCUS_KM = 1800.0
EARTH_KM = 6371.0088

#: Colour of a corridor by status.
CORRIDOR_COLOURS: dict[str, str] = {
    "open": "#2e8b57",
    "levied": "#e0a100",
    "closed": "#c0392b",
    "seized": "#6c3483",
}
#: Hot-spot lines by band: (lowest rung, label, colour, line width).
HOT_BANDS: tuple[tuple[int, str, str, float], ...] = (
    (5, "threat or display", "#e69f00", 2.0),
    (7, "use of force", "#d62728", 2.6),
    (8, "war", "#7b0000", 4.2),
)
_SEA = "#e3eef6"
_LAND = "#f5f3ee"
_LAND_ACTOR = "#e9e3d4"
_LAND_PLAYER = "#c9d8ef"
_BORDER = "#a09c94"
_GREY = "#555555"
_ARC = 0.12  # how much the alliance arrows bow
_DRONE_STYLES: tuple[Any, ...] = ("-", (0, (6, 3)), (0, (2, 2)), (0, (8, 2, 2, 2)))
#: The map keeps at least this much room (degrees of latitude) around what it shows.
_MARGIN = 2.0
#: The map is at least this many degrees of latitude tall.
_MIN_SPAN = 7.0
#: Width over height of the map (in kilometres on the ground, near enough).
_ASPECT = 1.45
#: The player's drone ranges up to this radius are inside the frame (longer ones, such as a
#: 1,000 km loitering munition, would shrink the crisis to a corner).
DRONE_FRAME_KM = 500.0
#: Corridors shorter than this share of the map's width also get a zoomed inset, where they
#: are drawn large enough to read with their names and status.
INSET_BELOW = 0.15


# -- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One country's outline: the GeoJSON feature's polygons as arrays of (lon, lat)."""

    name: str
    code: str
    #: each polygon: its outer ring first, then its holes
    polygons: tuple[tuple[NDArray[np.float64], ...], ...]

    @functools.cached_property
    def path(self) -> MplPath:
        """All the country's rings as one compound path (outer rings counter-clockwise and
        holes clockwise, so matplotlib's nonzero fill leaves the holes empty)."""
        rings = [ring for poly in self.polygons for ring in poly]
        return MplPath.make_compound_path(*(MplPath(r, closed=True) for r in rings))

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies in the country (in an outer ring and no hole of it)."""
        for poly in self.polygons:
            if _in_ring(poly[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in poly[1:]):
                return True
        return False


@dataclass(frozen=True)
class Countries:
    """The country outlines of the map data, with the region they cover and their source."""

    countries: tuple[Country, ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north
    source: dict[str, Any]
    license: str


def _in_ring(ring: NDArray[np.float64], lon: float, lat: float) -> bool:
    x, y = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = (y > lat) != (y2 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = x + (lat - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (lon < xi)) % 2)


@functools.cache
def countries(path: Path = DATA_FILE) -> Countries:
    """The country outlines of ``path`` (read once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        polys = tuple(
            tuple(np.asarray(ring, dtype=np.float64) for ring in poly)
            for poly in feature["geometry"]["coordinates"]
        )
        out.append(Country(str(props["name"]), str(props["adm0_a3"]), polys))
    west, south, east, north = (float(v) for v in data["bbox"])
    return Countries(tuple(out), (west, south, east, north), data["source"], data["license"])


# -- geometry ---------------------------------------------------------------------------------


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def circle(lat: float, lon: float, radius_km: float, n: int = 181) -> NDArray[np.float64]:
    """The points (lon, lat) at ``radius_km`` from a centre on the sphere, closed."""
    bearing = np.linspace(0.0, 2 * np.pi, n)
    d = radius_km / EARTH_KM
    la, lo = math.radians(lat), math.radians(lon)
    lat2 = np.arcsin(np.sin(la) * np.cos(d) + np.cos(la) * np.sin(d) * np.cos(bearing))
    lon2 = lo + np.arctan2(
        np.sin(bearing) * np.sin(d) * np.cos(la), np.cos(d) - np.sin(la) * np.sin(lat2)
    )
    return np.column_stack([np.degrees(lon2), np.degrees(lat2)])


def map_extent(
    points: Sequence[tuple[float, float]],
    limit: tuple[float, float, float, float] | None = None,
) -> tuple[float, float, float, float]:
    """The map's (west, east, south, north): ``points`` (lat, lon) with a margin, widened to the
    map's proportions, and kept inside ``limit`` (west, south, east, north) if given."""
    lats = [p[0] for p in points] or [40.0]
    lons = [p[1] for p in points] or [45.0]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    pad = max(_MARGIN, 0.12 * max(north - south, east - west))
    # a degree of longitude is shorter than one of latitude: the same margin on the ground
    pad_lon = pad / math.cos(math.radians(min(80.0, max(abs(south), abs(north)))))
    south, north, west, east = south - pad, north + pad, west - pad_lon, east + pad_lon
    if north - south < _MIN_SPAN:
        mid = (north + south) / 2
        south, north = mid - _MIN_SPAN / 2, mid + _MIN_SPAN / 2
    scale = math.cos(math.radians((north + south) / 2))
    width, height = (east - west) * scale, north - south
    if width < _ASPECT * height:
        grow = (_ASPECT * height / scale - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / _ASPECT - height) / 2
        south, north = south - grow, north + grow
    if limit is not None:
        lw, ls, le, ln = limit
        west, east = _fit(west, east, lw, le)
        south, north = _fit(south, north, ls, ln)
    return (west, east, south, north)


def _fit(low: float, high: float, lo: float, hi: float) -> tuple[float, float]:
    """Shift the interval [low, high] into [lo, hi], cutting it if it is longer."""
    if high - low >= hi - lo:
        return (lo, hi)
    if low < lo:
        return (lo, lo + high - low)
    if high > hi:
        return (hi - (high - low), hi)
    return (low, high)


# -- the theatre ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theatre:
    """Which actors the map draws: those with capitals near the crisis."""

    #: the actor whose capital is the theatre's centre (the player, unless far from everyone)
    centre: str
    #: capitals within :data:`THEATRE_KM` of the centre: drawn (on the map or at its edge)
    inside: tuple[str, ...]
    #: the capitals the map is framed on: the scenario's roles in the theatre and every capital
    #: within :data:`FOCUS_KM` of the centre; the rest of ``inside`` may lie off the map
    focus: tuple[str, ...]
    #: capitals farther away: named in a note
    far: tuple[str, ...]
    no_capital: tuple[str, ...]


def _capitals(session: Session) -> dict[str, tuple[float, float]]:
    return {
        a.id: (a.capital.lat, a.capital.lon)
        for a in session.prepared.scenario.actors
        if a.capital is not None
    }


def theatre(session: Session, radius_km: float = THEATRE_KM, focus_km: float = FOCUS_KM) -> Theatre:
    """The actors in the theatre of the crisis and those far away (or without a capital).

    The theatre is every capital within ``radius_km`` of its centre. The centre is the player's
    capital, unless no other capital is that close to it (the United States in
    us_iran_soleimani); then it is the capital with the most others within ``radius_km``, the
    first such in the scenario's order. The map is framed on the theatre's playable countries
    (the scenario's roles, the crisis's main parties) and the capitals within ``focus_km`` of
    the centre.
    """
    caps = _capitals(session)
    ids = [a.id for a in session.prepared.scenario.actors]
    roles = {r.actor for r in session.prepared.scenario.roles} | {session.role}

    def near(a: str, km: float) -> list[str]:
        return [b for b in caps if haversine_km(caps[a], caps[b]) <= km]

    centre = session.role
    if centre not in caps or len(near(centre, radius_km)) < 2:
        ranked = sorted(caps, key=lambda a: (-len(near(a, radius_km)), ids.index(a)))
        centre = ranked[0] if ranked else session.role
    inside = set(near(centre, radius_km)) if centre in caps else set()
    focus = (set(near(centre, focus_km)) | roles) & inside if centre in caps else set()
    return Theatre(
        centre=centre,
        inside=tuple(a for a in ids if a in inside),
        focus=tuple(a for a in ids if a in focus),
        far=tuple(a for a in ids if a in caps and a not in inside),
        no_capital=tuple(a for a in ids if a not in caps),
    )


def hot_spots(session: Session) -> list[tuple[str, str, int, bool]]:
    """Every pair of actors at rung 5 (threat) or above: (id, id, highest rung of the pair,
    at war), the most escalated first."""
    s, w = session.prepared.static, session.state
    out = []
    for i in range(s.n):
        for j in range(i + 1, s.n):
            rung = int(max(w.rung[0, i, j], w.rung[0, j, i]))
            war = bool(w.at_war[0, i, j] or w.at_war[0, j, i])
            if war:
                rung = max(rung, len(RUNG_NAMES) - 1)
            if rung >= HOT_BANDS[0][0]:
                out.append((s.ids[i], s.ids[j], rung, war))
    return sorted(out, key=lambda h: (-h[2], h[0], h[1]))


def _band(rung: int) -> tuple[int, str, str, float]:
    return [b for b in HOT_BANDS if rung >= b[0]][-1]


# -- colours and names ------------------------------------------------------------------------


def _short(name: str) -> str:
    """A name without a trailing remark in brackets ("Armenia (with ...)")."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name) or name


def _colours(session: Session) -> dict[str, str]:
    """The colour of each actor, as in the charts: the player's, then the others in turn."""
    out: dict[str, str] = {}
    k = 0
    for actor in session.prepared.static.ids:
        if actor == session.role:
            out[actor] = PLAYER_COLOUR
        else:
            out[actor] = OTHER_COLOURS[k % len(OTHER_COLOURS)]
            k += 1
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _short(text).lower()).strip("_")


def _country_of(session: Session, actor: str, data: Countries) -> Country | None:
    """The country of an actor: by its id or name, else the one containing its capital (none for
    a non-state actor)."""
    spec = next(a for a in session.prepared.scenario.actors if a.id == actor)
    if spec.kind == ActorKind.NON_STATE:
        return None
    wanted = {_slug(spec.id), _slug(spec.name)}
    for c in data.countries:
        if _slug(c.name) in wanted:
            return c
    if spec.capital is not None:
        for c in data.countries:
            if c.contains(spec.capital.lon, spec.capital.lat):
                return c
    return None


def _halo(width: float = 2.5) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


# -- the map ----------------------------------------------------------------------------------


def map_figure(session: Session) -> Figure:
    """The map of the region of ``session``'s crisis as the player sees it now.

    Country outlines with the player's country highlighted, the capitals of the theatre
    (labelled dots; those off the frame marked at its edge, far ones named in a note), the
    corridors coloured by status, the player's drone ranges and the hot spots (pairs at rung 5
    or above), with a legend. Artists carry a ``gid`` naming what they are
    (``capital:<id>``, ``offmap:<id>``, ``corridor:<id>``, ``drone:<type>``, ``hot:<id>:<id>``,
    ``note``), for tests.
    """
    data = countries()
    scenario = session.prepared.scenario
    view = session.state_view()
    names = {a.id: _short(a.name) for a in scenario.actors}
    colours = _colours(session)
    caps = _capitals(session)
    th = theatre(session)
    drawn = {a: caps[a] for a in th.inside}

    extent = map_extent(frame_points(session, th), data.bbox)
    west, east, south, north = extent

    fig = Figure(figsize=(7.2, 6.0), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor(_SEA)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / math.cos(math.radians((north + south) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#b8c4cc")
    handles: list[Any] = []

    _draw_countries(ax, session, data, th, handles, names[session.role])
    _draw_hot_spots(ax, session, drawn, handles)
    pathless = _draw_corridors(ax, session, handles)
    corner = _draw_corridor_inset(ax, session, data, th, extent)
    notes = _draw_drone_ranges(ax, session, drawn, extent, handles)

    # capitals: on the map, or marked at its edge
    for a, (lat, lon) in drawn.items():
        if west <= lon <= east and south <= lat <= north:
            _draw_capital(ax, a, lat, lon, names[a], colours[a], a == session.role)
        else:
            km = haversine_km(caps[th.centre], (lat, lon))
            _draw_off_map(ax, a, lat, lon, f"{names[a]}, {km:,.0f} km", colours[a], extent)

    # notes, under the map
    if th.far:
        hot = {frozenset((a, b)): _band(rung)[1] for a, b, rung, _war in hot_spots(session)}
        far = []
        for a in th.far:
            with_ = [
                f"{hot[frozenset((a, b))]} with {names[b]}"
                for b in th.inside
                if frozenset((a, b)) in hot
            ]
            who = "you, far away" if a == session.role else "far away"
            far.append(f"{names[a]} ({who}{'; ' + ', '.join(with_) if with_ else ''})")
        notes.insert(0, f"Also in the crisis: {', '.join(far)}.")
    if th.no_capital:
        notes.append(
            "Not on the map (no capital): " + ", ".join(names[a] for a in th.no_capital) + "."
        )
    if pathless:
        notes.append("Corridors (route not on the map): " + "; ".join(pathless) + ".")
    if notes:
        wrapped = "\n".join(textwrap.fill(n, 105) for n in notes)
        ax.set_xlabel(
            wrapped, loc="left", fontsize="small", color="#333333", labelpad=4, gid="note"
        )
    fig.suptitle(
        f"{view.title}: the region on {view.date:%d %b %Y}", fontsize="medium", x=0.02, ha="left"
    )
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=2 if len(handles) > 2 else len(handles),
            fontsize="small",
            frameon=False,
        )
    left = corner == (1.0, 0.0)  # not under the inset
    ax.text(
        0.005 if left else 0.995,
        0.005,
        "Borders: Natural Earth",
        transform=ax.transAxes,
        fontsize=6.5,
        color="#777777",
        ha="left" if left else "right",
        va="bottom",
        zorder=9,
    )
    return fig


def _draw_countries(
    ax: Axes, session: Session, data: Countries, th: Theatre, handles: list[Any], you: str
) -> None:
    """Every country's outline; the player's filled in its colour, the others of the crisis a
    little darker than bystanders."""
    player_country = _country_of(session, session.role, data)
    actor_countries = {
        c.code
        for a in th.inside
        if a != session.role and (c := _country_of(session, a, data)) is not None
    }
    fills = []
    for c in data.countries:
        if player_country is not None and c.code == player_country.code:
            fills.append(_LAND_PLAYER)
        elif c.code in actor_countries:
            fills.append(_LAND_ACTOR)
        else:
            fills.append(_LAND)
    land = PathCollection(
        [c.path for c in data.countries],
        facecolors=fills,
        edgecolors=_BORDER,
        linewidths=0.45,
        zorder=1,
    )
    land.set_gid("countries")
    ax.add_collection(land)
    if player_country is not None:
        outline = PathCollection(
            [player_country.path],
            facecolors="none",
            edgecolors=PLAYER_COLOUR,
            linewidths=1.1,
            zorder=2,
        )
        outline.set_gid(f"country:{session.role}")
        ax.add_collection(outline)
        handles.append(Patch(facecolor=_LAND_PLAYER, edgecolor=PLAYER_COLOUR, label=f"{you} (you)"))


def _draw_hot_spots(
    ax: Axes, session: Session, drawn: dict[str, tuple[float, float]], handles: list[Any]
) -> None:
    """A line between the capitals of each pair at rung 5 or above (clipped at the frame)."""
    bands = set()
    for a, b, rung, _war in hot_spots(session):
        if a not in drawn or b not in drawn:
            continue
        low, _label, colour, width = _band(rung)
        (la1, lo1), (la2, lo2) = drawn[a], drawn[b]
        ax.plot(
            [lo1, lo2],
            [la1, la2],
            color=colour,
            linewidth=width,
            solid_capstyle="round",
            alpha=0.9,
            zorder=4,
            gid=f"hot:{a}:{b}",
        )
        bands.add(low)
    for low, label, colour, width in HOT_BANDS:
        if low in bands:
            handles.append(
                Line2D([], [], color=colour, linewidth=width, label=f"hot spot: {label}")
            )


def frame_points(session: Session, th: Theatre | None = None) -> list[tuple[float, float]]:
    """The (lat, lon) points the map must show with a margin: the capitals it is framed on
    (:attr:`Theatre.focus`), both ends of every hot spot in the theatre, every corridor's path,
    and the player's drone ranges up to :data:`DRONE_FRAME_KM` around its capital."""
    th = th or theatre(session)
    caps = _capitals(session)
    points = [caps[a] for a in th.focus]
    for a, b, _rung, _war in hot_spots(session):
        points += [caps[x] for x in (a, b) if x in th.inside]
    for corr in session.prepared.scenario.corridors:
        points += [(p.lat, p.lon) for p in corr.path]
    static, state = session.prepared.static, session.state
    i = static.index(session.role)
    if session.role in th.focus:
        lat, lon = caps[session.role]
        for d in range(len(static.drone_type)):
            rng = float(static.drone_range[d])
            mine = int(static.drone_owner[d]) == i and float(state.drones[0, d]) >= 0.5
            if mine and rng <= DRONE_FRAME_KM:
                ring = circle(lat, lon, rng, n=37)
                points += [(float(y), float(x)) for x, y in ring]
    return points


def _corridor_status(session: Session) -> dict[str, str]:
    """Each corridor's status now: open, levied, closed, or seized (held by another actor)."""
    static = session.prepared.static
    first = {
        static.corridor_ids[k]: static.ids[int(static.corridor_controller0[k])]
        for k in range(len(static.corridor_ids))
    }
    out = {}
    for c in session.state_view().corridors:
        out[c["id"]] = "seized" if c["controller"] != first[c["id"]] else str(c["status"])
    return out


def _corridor_name(name: str) -> str:
    """A corridor's name for a label: without remarks in brackets."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip(" ,") or name


def _draw_corridor_inset(
    ax: Axes,
    session: Session,
    data: Countries,
    th: Theatre,
    extent: tuple[float, float, float, float],
) -> tuple[float, float] | None:
    """When the corridors are too small to read at the map's scale, a zoomed inset in the
    corner farthest from the capitals: each corridor thick in its status colour with its name
    and status, and a box on the map where the inset is. Returns the corner ((0, 0) lower left
    to (1, 1) upper right), or None when there is no inset."""
    paths = [c for c in session.prepared.scenario.corridors if len(c.path) >= 2]
    if not paths:
        return None
    west, east, south, north = extent
    lons = [p.lon for c in paths for p in c.path]
    lats = [p.lat for c in paths for p in c.path]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) / math.cos(math.radians(north)))
    if span >= INSET_BELOW * (east - west):
        return None
    mid_lat = (max(lats) + min(lats)) / 2
    scale = math.cos(math.radians(mid_lat))
    # twice as wide as tall: room for the labels on both sides of the roads
    half_h = max(0.6 * (max(lats) - min(lats)) + 0.12, 0.3)
    half_w = max(0.6 * (max(lons) - min(lons)) + 0.12, 2 * half_h / scale)
    half_h = max(half_h, half_w * scale / 2)
    cx, cy = (max(lons) + min(lons)) / 2, mid_lat
    box = (cx - half_w, cx + half_w, cy - half_h, cy + half_h)
    caps = _capitals(session)
    drawn = [caps[a] for a in th.inside if a in caps]

    def crowd(corner: tuple[float, float]) -> float:
        fx, fy = corner
        x = west + fx * (east - west)
        y = south + fy * (north - south)
        return min((math.hypot((lon - x) * scale, lat - y) for lat, lon in drawn), default=math.inf)

    w, h = 0.44, 0.44 * (east - west) * math.cos(math.radians((north + south) / 2))
    h = h / (north - south) / 2  # the inset's height, as a share of the map's, for 2:1
    corners = {
        (0.0, 0.0): (0.01, 0.01),
        (1.0, 0.0): (0.99 - w, 0.01),
        (0.0, 1.0): (0.01, 0.99 - h),
        (1.0, 1.0): (0.99 - w, 0.99 - h),
    }
    best = max(corners, key=crowd)
    x0, y0 = corners[best]
    inset = ax.inset_axes((x0, y0, w, h), zorder=10)
    inset.set_gid("corridor-inset")
    inset.set_facecolor(_SEA)
    inset.set_xlim(box[0], box[1])
    inset.set_ylim(box[2], box[3])
    inset.set_aspect(1.0 / scale)
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_color("#555555")
    player = _country_of(session, session.role, data)
    near = [
        c
        for c in data.countries
        if any(
            ring[:, 0].min() < box[1]
            and ring[:, 0].max() > box[0]
            and ring[:, 1].min() < box[3]
            and ring[:, 1].max() > box[2]
            for poly in c.polygons
            for ring in poly[:1]
        )
    ]
    fills = [_LAND_PLAYER if player is not None and c.code == player.code else _LAND for c in near]
    inset.add_collection(
        PathCollection([c.path for c in near], facecolors=fills, edgecolors=_BORDER, linewidths=0.6)
    )
    status = _corridor_status(session)
    for k, corr in enumerate(paths):
        colour = CORRIDOR_COLOURS.get(status[corr.id], _GREY)
        xs, ys = [p.lon for p in corr.path], [p.lat for p in corr.path]
        inset.plot(
            xs,
            ys,
            color=colour,
            linewidth=3.2,
            linestyle=_corridor_style(status[corr.id]),
            solid_capstyle="round",
            zorder=5,
            gid=f"corridor-zoom:{corr.id}",
            path_effects=_halo(5.5),
        )
        m = len(xs) // 2
        side = 1 if xs[m] >= cx or (xs[m] == cx and k % 2 == 0) else -1
        inset.annotate(
            textwrap.fill(f"{_corridor_name(corr.name)}: {status[corr.id]}", 17),
            (xs[m], ys[m]),
            xytext=(6 * side, 0),
            textcoords="offset points",
            ha="left" if side > 0 else "right",
            va="center",
            fontsize=7,
            color=colour,
            fontweight="bold",
            zorder=6,
            path_effects=_halo(2.2),
            gid=f"corridor-label:{corr.id}",
        )
    inset.text(
        0.02,
        0.98,
        "Corridors (zoom)",
        transform=inset.transAxes,
        fontsize=7,
        va="top",
        color="#333333",
        path_effects=_halo(2.0),
    )
    ax.indicate_inset(
        (box[0], box[2], box[1] - box[0], box[3] - box[2]), inset, edgecolor="#555555"
    )
    return best


def _draw_corridors(ax: Axes, session: Session, handles: list[Any]) -> list[str]:
    """Each corridor along its path, coloured by status; "name: status" of those without one."""
    static = session.prepared.static
    status_of = {c["id"]: c for c in session.state_view().corridors}
    first = {
        static.corridor_ids[k]: static.ids[int(static.corridor_controller0[k])]
        for k in range(len(static.corridor_ids))
    }
    pathless: list[str] = []
    shown: set[str] = set()
    for corr in session.prepared.scenario.corridors:
        now = status_of[corr.id]
        status = "seized" if now["controller"] != first[corr.id] else str(now["status"])
        if len(corr.path) < 2:
            pathless.append(f"{corr.name}: {status}")
            continue
        ax.plot(
            [p.lon for p in corr.path],
            [p.lat for p in corr.path],
            color=CORRIDOR_COLOURS.get(status, _GREY),
            linewidth=3.0,
            linestyle=_corridor_style(status),
            solid_capstyle="round",
            zorder=5,
            gid=f"corridor:{corr.id}",
            path_effects=_halo(5.0),
        )
        shown.add(status)
    for status, colour in CORRIDOR_COLOURS.items():
        if status in shown:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour,
                    linewidth=3.0,
                    linestyle=_corridor_style(status),
                    label=f"corridor {status}",
                )
            )
    return pathless


def _corridor_style(status: str) -> Any:
    return "-" if status == "open" else (0, (3, 1.5))


def _draw_drone_ranges(
    ax: Axes,
    session: Session,
    drawn: dict[str, tuple[float, float]],
    extent: tuple[float, float, float, float],
    handles: list[Any],
) -> list[str]:
    """A circle of each of the player's drone types still in stock around its capital (or a
    note if the capital is not on the map)."""
    static, state = session.prepared.static, session.state
    i = static.index(session.role)
    in_stock = [
        d
        for d in range(len(static.drone_type))
        if int(static.drone_owner[d]) == i and float(state.drones[0, d]) >= 0.5
    ]
    if not in_stock:
        return []
    west, east, south, north = extent
    centre = drawn.get(session.role)
    if centre is None or not (west <= centre[1] <= east and south <= centre[0] <= north):
        kinds = ", ".join(
            f"{static.drone_type[d]} {float(static.drone_range[d]):,.0f} km" for d in in_stock
        )
        return [f"Your drones ({kinds}) are based at home, off this map."]
    for k, d in enumerate(sorted(in_stock, key=lambda d: float(static.drone_range[d]))):
        rng = float(static.drone_range[d])
        ring = circle(centre[0], centre[1], rng)
        (line,) = ax.plot(
            ring[:, 0],
            ring[:, 1],
            color=PLAYER_COLOUR,
            linewidth=1.3,
            linestyle=_DRONE_STYLES[k % len(_DRONE_STYLES)],
            alpha=0.85,
            zorder=3,
            label=f"your {static.drone_type[d]}: range {rng:,.0f} km "
            f"({float(state.drones[0, d]):.0f} in stock)",
            gid=f"drone:{static.drone_type[d]}",
        )
        handles.append(line)
        _range_label(ax, ring, f"{static.drone_type[d]} {rng:,.0f} km", extent, k)
    return []


def _draw_capital(
    ax: Axes, actor: str, lat: float, lon: float, name: str, colour: str, me: bool
) -> None:
    ax.plot(
        lon,
        lat,
        marker="*" if me else "o",
        markersize=14 if me else 7.5,
        color=colour,
        markeredgecolor="white",
        markeredgewidth=0.9,
        linestyle="none",
        zorder=7,
        gid=f"capital:{actor}",
    )
    west, east = ax.get_xlim()
    left = lon > west + 0.8 * (east - west)
    ax.annotate(
        name + (" (you)" if me else ""),
        (lon, lat),
        xytext=(-7 if left else 7, 5),
        ha="right" if left else "left",
        textcoords="offset points",
        fontsize=9.5 if me else 8.5,
        fontweight="bold" if me else "normal",
        color=colour if me else "#222222",
        zorder=8,
        path_effects=_halo(),
        gid=f"label:{actor}",
    )


def _draw_off_map(
    ax: Axes,
    actor: str,
    lat: float,
    lon: float,
    text: str,
    colour: str,
    extent: tuple[float, float, float, float],
) -> None:
    """An arrow at the edge of the map pointing to a capital beyond it, with its name."""
    west, east, south, north = extent
    cx, cy = (west + east) / 2, (south + north) / 2
    scale = math.cos(math.radians(cy))
    dx, dy = (lon - cx) * scale, lat - cy
    half_w, half_h = (east - west) / 2 * scale, (north - south) / 2
    t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    tip = (cx + 0.97 * t * dx / scale, cy + 0.97 * t * dy)
    tail = (cx + 0.80 * t * dx / scale, cy + 0.80 * t * dy)
    ax.annotate(
        text,
        xy=tip,
        xytext=tail,
        fontsize=8,
        color="#222222",
        ha="center",
        va="center",
        zorder=8,
        arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.4},
        bbox={
            "boxstyle": "round,pad=0.25",
            "facecolor": "white",
            "alpha": 0.8,
            "edgecolor": colour,
        },
        gid=f"offmap:{actor}",
    )


def _range_label(
    ax: Axes,
    ring: NDArray[np.float64],
    text: str,
    extent: tuple[float, float, float, float],
    k: int,
) -> None:
    """Write ``text`` on the circle inside the map: the ``k``-th drone type's label at its own
    bearing (south-east, south-west, north-east, north-west, ...) so that labels do not meet."""
    west, east, south, north = extent
    n = len(ring)
    prefs = (0.375, 0.625, 0.125, 0.875, 0.5, 0.0, 0.25, 0.75)
    start = k % 4
    for frac in (*prefs[start:4], *prefs[:start], *prefs[4:]):
        lon, lat = ring[int(frac * (n - 1))]
        dx, dy = 0.04 * (east - west), 0.04 * (north - south)
        if west + dx < lon < east - dx and south + dy < lat < north - dy:
            ax.text(
                lon,
                lat,
                text,
                fontsize=7.5,
                color=PLAYER_COLOUR,
                ha="center",
                va="center",
                zorder=6,
                path_effects=_halo(2.2),
            )
            return


# -- the alliance network ---------------------------------------------------------------------


def alliance_figure(session: Session) -> Figure:
    """The alliance network now: actors in a circle (the player at the top), an arrow from
    each patron to its client as wide as the commitment is credible, dashed grey edges between
    pairs whose ties are downgraded or severed, and red edges between pairs at war.

    Artists carry a ``gid`` (``node:<id>``, ``alliance:<patron>:<client>``,
    ``ties:<id>:<id>``, ``war:<id>:<id>``), for tests.
    """
    scenario = session.prepared.scenario
    static = session.prepared.static
    state = session.state
    ids = list(static.ids)
    names = {a.id: _short(a.name) for a in scenario.actors}
    colours = _colours(session)
    n = len(ids)
    start = ids.index(session.role)
    pos: dict[str, tuple[float, float]] = {}
    for k in range(n):
        a = ids[(start + k) % n]
        angle = math.pi / 2 - 2 * math.pi * k / n
        pos[a] = (math.cos(angle), math.sin(angle))

    fig = Figure(figsize=(6.4, 5.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-1.4, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    node_size = 0.13

    def edge(a: str, b: str, **kw: Any) -> FancyArrowPatch:
        patch = FancyArrowPatch(pos[a], pos[b], shrinkA=22, shrinkB=22, mutation_scale=14, **kw)
        ax.add_patch(patch)
        return patch

    # ties and wars
    handles: list[Any] = []
    kinds_seen: set[str] = set()
    for i in range(n):
        for j in range(i + 1, n):
            a, b = ids[i], ids[j]
            if bool(state.at_war[0, i, j] or state.at_war[0, j, i]):
                edge(
                    a,
                    b,
                    arrowstyle="-",
                    color="#c0392b",
                    linewidth=3.5,
                    zorder=2,
                    gid=f"war:{a}:{b}",
                )
                kinds_seen.add("war")
                continue
            ties = max(int(state.diplo[0, i, j]), int(state.diplo[0, j, i]))
            if ties != Ties.FULL:
                word = Ties(ties).name.lower()
                edge(
                    a,
                    b,
                    arrowstyle="-",
                    color="#8a8a8a" if ties == Ties.SEVERED else "#b5b5b5",
                    linewidth=1.8 if ties == Ties.SEVERED else 1.3,
                    linestyle=(0, (5, 3)) if ties == Ties.SEVERED else (0, (2, 2)),
                    zorder=1,
                    gid=f"ties:{a}:{b}",
                )
                kinds_seen.add(word)
    # commitments
    placed: list[tuple[float, float]] = []
    for al in scenario.alliances:
        p, c = static.index(al.patron), static.index(al.client)
        cred = float(static.credibility[p, c])
        formal = al.kind.value == "alliance"
        width = 0.8 + 6.0 * cred
        edge(
            al.patron,
            al.client,
            arrowstyle=f"-|>,head_length={0.5 + 0.1 * width:.2f},"
            f"head_width={0.25 + 0.06 * width:.2f}",
            color=colours[al.patron],
            alpha=0.85 if formal else 0.6,
            linewidth=width,
            connectionstyle=f"arc3,rad={_ARC}",
            zorder=3,
            gid=f"alliance:{al.patron}:{al.client}",
        )
        # on the arc two thirds of the way to the client (arrows often cross in the middle);
        # arc3 is a quadratic Bezier whose control point is bowed by rad across the chord
        (x1, y1), (x2, y2) = pos[al.patron], pos[al.client]
        cx = (x1 + x2) / 2 + _ARC * (y2 - y1)
        cy = (y1 + y2) / 2 - _ARC * (x2 - x1)
        spots = [
            (
                (1 - t) ** 2 * x1 + 2 * t * (1 - t) * cx + t**2 * x2,
                (1 - t) ** 2 * y1 + 2 * t * (1 - t) * cy + t**2 * y2,
            )
            for t in (0.68, 0.55, 0.8, 0.42, 0.3)
        ]
        mx, my = _free_spot(spots, placed)
        placed.append((mx, my))
        ax.text(
            mx,
            my,
            f"{'alliance' if formal else 'partner'} {100 * cred:.0f}%",
            fontsize=7.5,
            color=colours[al.patron],
            ha="center",
            va="center",
            zorder=4,
            path_effects=_halo(2.5),
        )
        kinds_seen.add("alliance" if formal else "partnership")

    # nodes
    for a in ids:
        me = a == session.role
        x, y = pos[a]
        ax.add_patch(
            _disc(x, y, node_size * (1.25 if me else 1.0), colours[a], me, gid=f"node:{a}")
        )
        gap = node_size * (1.25 if me else 1.0) + 0.05
        ox, oy = x * (1 + gap), y * (1 + gap)
        ax.text(
            ox,
            oy,
            names[a] + (" (you)" if me else ""),
            ha="center" if abs(x) < 0.3 else ("left" if x > 0 else "right"),
            va="center" if abs(y) < 0.3 else ("bottom" if y > 0 else "top"),
            fontsize=10 if me else 9,
            fontweight="bold" if me else "normal",
            color=colours[a] if me else "#222222",
            zorder=6,
        )

    legend = {
        "alliance": Line2D(
            [],
            [],
            color="#555555",
            linewidth=3.0,
            label="alliance → client (width, %: credibility)",
        ),
        "partnership": Line2D(
            [], [], color="#555555", alpha=0.6, linewidth=2.0, label="partnership → client"
        ),
        "downgraded": Line2D(
            [], [], color="#b5b5b5", linewidth=1.3, linestyle=(0, (2, 2)), label="ties downgraded"
        ),
        "severed": Line2D(
            [], [], color="#8a8a8a", linewidth=1.8, linestyle=(0, (5, 3)), label="ties severed"
        ),
        "war": Line2D([], [], color="#c0392b", linewidth=3.5, label="at war"),
    }
    handles = [h for k, h in legend.items() if k in kinds_seen]
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=2,
            fontsize="small",
            frameon=False,
        )
    if not scenario.alliances:
        ax.text(
            0,
            -1.35,
            "No alliances or partnerships in this crisis",
            ha="center",
            va="center",
            color=_GREY,
        )
    fig.suptitle(
        f"Alliances and ties after turn {session.turn}", fontsize="medium", x=0.02, ha="left"
    )
    return fig


def _free_spot(
    spots: Sequence[tuple[float, float]], placed: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """The first of ``spots`` clear of every label ``placed`` (in order of preference), else
    the one farthest from them: a label's width is about 0.5 and its height 0.1."""

    def clearance(p: tuple[float, float]) -> float:
        return min(
            (max(abs(p[0] - q[0]) / 0.5, abs(p[1] - q[1]) / 0.1) for q in placed),
            default=math.inf,
        )

    for p in spots:
        if clearance(p) >= 1.0:
            return p
    return max(spots, key=clearance)


def _disc(x: float, y: float, r: float, colour: str, me: bool, gid: str) -> Any:
    from matplotlib.patches import Circle

    return Circle(
        (x, y),
        r,
        facecolor=colour,
        edgecolor="#1a1a1a" if me else "white",
        linewidth=2.0 if me else 1.2,
        zorder=5,
        gid=gid,
    )


# -- Solara components ------------------------------------------------------------------------


def _key(session: Session, turn: int) -> list[Hashable]:
    """What a session's figures depend on: the session, its moves so far and ``turn``."""
    return [id(session), turn, session.turn, session.moves]


@solara.component
def _Png(session: Session, turn: int, kind: str) -> None:
    deps = [*_key(session, turn), kind]
    build = map_figure if kind == "map" else alliance_figure
    FigurePng(lambda: build(session), deps)


@solara.component
def RegionMap(session: Session, turn: int) -> None:
    """Card with the map of the region: borders, capitals, corridors, drone ranges, hot spots.

    Args:
        session: The game (only read).
        turn: Redraws the map when it changes (the turn, or any version counter).
    """
    with solara.Card(
        "Map of the region", subtitle=f"after turn {session.turn}", classes=["region-map"]
    ):
        _Png(session, turn, "map")


@solara.component
def AllianceNetwork(session: Session, turn: int) -> None:
    """Card with the alliance network: commitments, downgraded or severed ties, wars.

    Args:
        session: The game (only read).
        turn: Redraws the network when it changes (the turn, or any version counter).
    """
    with solara.Card(
        "Alliance network", subtitle=f"after turn {session.turn}", classes=["alliance-network"]
    ):
        _Png(session, turn, "alliances")
