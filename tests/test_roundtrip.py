"""Exports read back with identical rows, values and types, Arabic names included, and the
GeoJSON export is valid RFC 7946 by the validator below (not by trusting GDAL's writer).

GDAL (pyogrio) reads GeoJSON, GeoPackage and CSV; the GDAL in pyogrio's wheel has no Parquet
driver, so GeoParquet is read by pyarrow (geopandas) and its "geo" metadata is checked.
GeoJSON and CSV carry no integer width, so there ints must come back as integers (any width);
GeoPackage and GeoParquet must give back the exact dtypes.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest

from layers.catalog import load_events
from layers.export import EXPORT_COLUMNS, to_bytes, write_events

DATA = Path(__file__).parent / "data" / "layers_seeds"
HOSTILE = Path(__file__).parent / "data" / "hostile" / "hostile.json"
INTS = ("time_precision", "geo_precision", "fatalities")
FLOATS = ("latitude", "longitude")
#: GDAL open options that make each text format say what it holds, and nothing more
READ_OPTIONS = {
    "geojson": {"DATE_AS_STRING": "YES"},
    "csv": {"AUTODETECT_TYPE": "YES", "QUOTED_FIELDS_AS_STRING": "YES",
            "EMPTY_STRING_AS_NULL": "NO", "KEEP_GEOM_COLUMNS": "NO"},
    "gpkg": {},
}


# ---------------------------------------------------------------- RFC 7946 validator

GEOMETRY_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
                  "Polygon": 2, "MultiPolygon": 3}


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _signed_area(ring) -> float:
    """Shoelace area in lon/lat: > 0 counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:])) / 2


def rfc7946_errors(doc) -> list[str]:
    """Every way `doc` (parsed JSON) breaks RFC 7946, as messages with a JSON path."""
    errors: list[str] = []

    def err(path: str, message: str) -> None:
        errors.append(f"{path}: {message}")

    def position(p, path: str) -> None:
        if not isinstance(p, list) or len(p) not in (2, 3):
            return err(path, "a position is an array of 2 or 3 numbers")
        if not all(_is_number(v) for v in p):
            return err(path, f"position {p!r} holds a non-number")
        lon, lat = p[0], p[1]
        if not -180 <= lon <= 180:
            err(path, f"longitude {lon} out of range (lon/lat order?)")
        if not -90 <= lat <= 90:
            err(path, f"latitude {lat} out of range (lon/lat order?)")

    def ring(r, path: str, exterior: bool) -> None:
        if not isinstance(r, list) or len(r) < 4:
            return err(path, "a linear ring has at least 4 positions")
        for i, p in enumerate(r):
            position(p, f"{path}[{i}]")
        if r[0] != r[-1]:
            err(path, "ring is not closed (first and last positions differ)")
        elif all(isinstance(p, list) and len(p) >= 2 and all(map(_is_number, p)) for p in r):
            area = _signed_area(r)
            if exterior and area < 0:
                err(path, "exterior ring is clockwise (right-hand rule: counter-clockwise)")
            if not exterior and area > 0:
                err(path, "hole is counter-clockwise (right-hand rule: clockwise)")

    def coordinates(kind: str, coords, path: str) -> None:
        if kind == "Point":
            return position(coords, path)
        if not isinstance(coords, list):
            return err(path, "coordinates must be an array")
        if kind in ("MultiPoint", "LineString"):
            if kind == "LineString" and len(coords) < 2:
                err(path, "a LineString has at least 2 positions")
            for i, p in enumerate(coords):
                position(p, f"{path}[{i}]")
        elif kind == "MultiLineString":
            for i, line in enumerate(coords):
                coordinates("LineString", line, f"{path}[{i}]")
        elif kind == "Polygon":
            for i, r in enumerate(coords):
                ring(r, f"{path}[{i}]", exterior=i == 0)
        elif kind == "MultiPolygon":
            for i, poly in enumerate(coords):
                coordinates("Polygon", poly, f"{path}[{i}]")

    def geometry(g, path: str) -> None:
        if g is None:
            return
        if not isinstance(g, dict):
            return err(path, "geometry must be an object or null")
        if "crs" in g:
            err(path, "'crs' is not part of RFC 7946")
        kind = g.get("type")
        if kind == "GeometryCollection":
            for i, sub in enumerate(g.get("geometries", [])):
                geometry(sub, f"{path}.geometries[{i}]")
        elif kind in GEOMETRY_DEPTH:
            if "coordinates" not in g:
                err(path, "geometry without coordinates")
            else:
                coordinates(kind, g["coordinates"], f"{path}.coordinates")
        else:
            err(path, f"unknown geometry type {kind!r}")

    def bbox(b, path: str) -> None:
        if not (isinstance(b, list) and len(b) in (4, 6) and all(map(_is_number, b))):
            err(path, "bbox must be 4 or 6 numbers")

    if not isinstance(doc, dict):
        return ["$: not a JSON object"]
    if "crs" in doc:
        err("$", "'crs' member is not part of RFC 7946 (coordinates are WGS84 lon/lat)")
    if "bbox" in doc:
        bbox(doc["bbox"], "$.bbox")
    if doc.get("type") != "FeatureCollection":
        err("$", "not a FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        return errors + ["$.features: must be an array"]
    for i, f in enumerate(features):
        path = f"$.features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            err(path, "not a Feature")
            continue
        if "geometry" not in f or "properties" not in f:
            err(path, "a Feature has 'geometry' and 'properties' members")
        if "id" in f and not (isinstance(f["id"], str) or _is_number(f["id"])):
            err(path, "id must be a string or a number")
        if "coordinates" in f or "geometries" in f:
            err(path, "a Feature must not hold 'coordinates' or 'geometries'")
        props = f.get("properties")
        if props is not None and not isinstance(props, dict):
            err(path, "properties must be an object or null")
        geometry(f.get("geometry"), f"{path}.geometry")
    return errors


def _fc(*geoms, **top) -> dict:
    return {"type": "FeatureCollection", **top, "features": [
        {"type": "Feature", "properties": {}, "geometry": g} for g in geoms]}


CCW = [[36, 33], [37, 33], [37, 34], [36, 34], [36, 33]]
HOLE_CW = [[36.2, 33.2], [36.2, 33.8], [36.8, 33.8], [36.8, 33.2], [36.2, 33.2]]


@pytest.mark.parametrize("doc, words", [
    (_fc({"type": "Point", "coordinates": [36.4, 34.1]}, crs={"type": "name"}), "'crs'"),
    (_fc({"type": "Point", "coordinates": [234.1, 36.4]}), "longitude 234.1"),
    (_fc({"type": "Point", "coordinates": [36.4, 94.1]}), "latitude 94.1"),
    (_fc({"type": "Point", "coordinates": ["36.4", 34.1]}), "non-number"),
    (_fc({"type": "Point", "coordinates": [True, 34.1]}), "non-number"),
    (_fc({"type": "Point", "coordinates": [36.4]}), "2 or 3 numbers"),
    (_fc({"type": "Polygon", "coordinates": [CCW[::-1]]}), "exterior ring is clockwise"),
    (_fc({"type": "Polygon", "coordinates": [CCW, HOLE_CW[::-1]]}), "hole is counter-clockwise"),
    (_fc({"type": "Polygon", "coordinates": [CCW[:-1]]}), "not closed"),
    (_fc({"type": "MultiPolygon", "coordinates": [[CCW], [CCW[::-1]]]}), "clockwise"),
    (_fc({"type": "LineString", "coordinates": [[36, 33]]}), "at least 2"),
    (_fc({"type": "Circle", "coordinates": [36, 33]}), "unknown geometry"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]},
     "'properties'"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "id": [1], "properties": {},
                                                 "geometry": None}]}, "id must be"),
])
def test_validator_catches_each_violation(doc, words):
    found = rfc7946_errors(doc)
    assert found and any(words in e for e in found), found


def test_validator_accepts_valid_documents():
    doc = _fc({"type": "Point", "coordinates": [36.4, 34.1]},
              {"type": "Polygon", "coordinates": [CCW, HOLE_CW]},
              {"type": "GeometryCollection", "geometries": [
                  {"type": "LineString", "coordinates": [[36, 33], [37, 34.5, 120.0]]}]},
              None, bbox=[36, 33, 37, 34])
    assert rfc7946_errors(doc) == []


# ---------------------------------------------------------------- the exports


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    """The fixture catalog plus rows whose text would fool a type-guessing reader: a note that
    is a number, a note that is a date, an empty actor, Arabic names, hostile strings."""
    gdf, problems = load_events(seeds_dir=DATA)
    assert problems == []
    hostile = [h["text"].replace("\x00", "") for h in json.loads(HOSTILE.read_text())["strings"]]
    extra = []
    for i, (notes, actor2) in enumerate([("12", ""), ("2014-12-16", "الدولة الإسلامية"),
                                         ("3.5", "Nusra Front"), *((h, h) for h in hostile[:6]),
                                         ("جبهة النصرة في القلمون", "")]):
        row = gdf.iloc[i % len(gdf)].copy()
        row["event_id"] = f"ev_extra_{i}"
        row["notes"], row["actor2"] = notes, actor2
        extra.append(row)
    out = pd.concat([gdf, gpd.GeoDataFrame(extra, crs=gdf.crs)], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)


def _kind(dtype) -> str:
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_string_dtype(dtype) or dtype == object:
        return "str"
    return str(dtype)


def assert_same_table(back: pd.DataFrame, want: pd.DataFrame, exact_dtypes: bool) -> None:
    """Same columns in order, same rows in order, same values, same types."""
    assert [c for c in back.columns if c != "geometry"] == list(EXPORT_COLUMNS)
    assert len(back) == len(want)
    for column in EXPORT_COLUMNS:
        got, exp = back[column], want[column]
        if exact_dtypes:
            assert got.dtype == exp.dtype, (column, got.dtype, exp.dtype)
        assert _kind(got.dtype) == _kind(exp.dtype), (column, got.dtype, exp.dtype)
        if column in FLOATS:
            assert np.array_equal(got.to_numpy(float), exp.to_numpy(float)), column
        else:
            assert got.tolist() == exp.tolist(), column


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_gdal_reads_back_identical_rows_values_and_types(events, tmp_path, fmt):
    path = tmp_path / f"events.{fmt}"
    assert write_events(events, path) == len(events)
    back = pyogrio.read_dataframe(path, **READ_OPTIONS[fmt])
    assert_same_table(back, events, exact_dtypes=fmt == "gpkg")
    assert "القلمون" in set(back["location"]) and "الدولة الإسلامية" in set(back["actor2"])
    if fmt == "csv":
        assert "geometry" not in back.columns
        return
    assert back.crs.to_epsg() == 4326
    assert [(p.x, p.y) for p in back.geometry] == [(p.x, p.y) for p in events.geometry]
    info = pyogrio.read_info(path)
    assert info["geometry_type"] == "Point" and info["features"] == len(events)


def test_geoparquet_reads_back_identical_with_geo_metadata(events, tmp_path):
    path = tmp_path / "events.parquet"
    assert write_events(events, path) == len(events)
    back = gpd.read_parquet(path)
    assert_same_table(back, events, exact_dtypes=True)
    assert back.crs.to_epsg() == 4326
    assert list(back.geometry) == list(events.geometry)
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    column = geo["columns"][geo["primary_column"]]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]


def test_geojson_export_is_valid_rfc7946_with_lon_lat_order(events):
    raw = to_bytes(events, "geojson")
    doc = json.loads(raw.decode("utf-8"))
    assert rfc7946_errors(doc) == []
    assert len(doc["features"]) == len(events)
    for feature, row in zip(doc["features"], events.itertuples()):
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [row.longitude, row.latitude]
        assert feature["properties"]["event_id"] == row.event_id
        assert isinstance(feature["properties"]["fatalities"], int)
    assert "القلمون".encode() in raw  # UTF-8 text, not \\u escapes


def test_exports_of_one_numeric_looking_row_keep_their_types(events, tmp_path):
    """A single event whose note is '12': a type-guessing reader must still see text."""
    one = events[events["event_id"] == "ev_extra_0"]
    for fmt in ("geojson", "csv", "gpkg"):
        path = tmp_path / f"one.{fmt}"
        write_events(one, path)
        back = pyogrio.read_dataframe(path, **READ_OPTIONS[fmt])
        assert back["notes"].tolist() == ["12"], fmt
        assert back["actor2"].tolist() == [""], fmt
        assert_same_table(back, one.reset_index(drop=True), exact_dtypes=fmt == "gpkg")


def test_region_outlines_the_catalog_uses_are_valid_rfc7946():
    """seeds/regions.geojson gives the outlines of region-level events (the map draws them)."""
    doc = json.loads((Path(__file__).parent.parent / "seeds" / "regions.geojson").read_text())
    assert doc["features"] and rfc7946_errors(doc) == []


@pytest.mark.parametrize("name", ["countries", "governorates"])
def test_bundled_basemap_is_valid_rfc7946(name):
    """The offline basemap (seeds/basemap/) is GeoJSON others may reuse: same rules."""
    doc = json.loads((Path(__file__).parent.parent / "seeds" / "basemap" / f"{name}.geojson").read_text())
    assert doc["features"] and rfc7946_errors(doc) == []
