"""Exports read back through GDAL with the same rows and values; GeoJSON follows RFC 7946."""
from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LinearRing

from layers.catalog import load_events
from layers.export import EXPORT_COLUMNS, format_for, to_bytes, write_events
from layers.filters import filter_events

DATA = Path(__file__).parent / "data" / "layers_seeds"
INTS = ("time_precision", "geo_precision", "fatalities")
FLOATS = ("latitude", "longitude")


@pytest.fixture(scope="module")
def gdf():
    events, _ = load_events(seeds_dir=DATA)
    return events


def rfc7946_problems(doc: dict) -> list[str]:
    """What in a GeoJSON document breaks RFC 7946 (as far as these exports can)."""
    out = []
    if doc.get("type") != "FeatureCollection":
        out.append("not a FeatureCollection")
    if "crs" in doc:
        out.append("has a crs member")

    def positions(geom):
        coords = geom["coordinates"]
        depth = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2,
                 "MultiLineString": 2, "MultiPolygon": 3}[geom["type"]]
        stack = [(coords, depth)]
        while stack:
            item, d = stack.pop()
            if d == 0:
                yield item
            else:
                stack.extend((c, d - 1) for c in item)

    for i, feat in enumerate(doc.get("features", [])):
        if feat.get("type") != "Feature":
            out.append(f"feature {i}: not a Feature")
        geom = feat.get("geometry")
        for pos in positions(geom) if geom else ():
            lon, lat = pos[0], pos[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                out.append(f"feature {i}: position {pos} out of lon/lat range")
        polygons = {"Polygon": [geom["coordinates"]] if geom else [],
                    "MultiPolygon": geom["coordinates"] if geom else []}.get(
                        geom["type"] if geom else "", [])
        for rings in polygons:
            if not LinearRing(rings[0]).is_ccw:
                out.append(f"feature {i}: exterior ring is clockwise")
            if any(LinearRing(r).is_ccw for r in rings[1:]):
                out.append(f"feature {i}: hole is counter-clockwise")
        for key, value in (feat.get("properties") or {}).items():
            if isinstance(value, (dict, list)):
                out.append(f"feature {i}: property {key} is not flat")
    return out


def test_rfc7946_checker_catches_what_it_should():
    bad = {"type": "FeatureCollection", "crs": {"type": "name"}, "features": [
        {"type": "Feature", "properties": {"a": {"b": 1}},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                           "coordinates": [34.1, 236.4]}}]}
    found = rfc7946_problems(bad)
    assert len(found) == 4
    assert any("crs" in f for f in found) and any("clockwise" in f for f in found)
    assert any("flat" in f for f in found) and any("range" in f for f in found)


def test_geojson_is_rfc7946(gdf):
    doc = json.loads(to_bytes(gdf, "geojson").decode("utf-8"))
    assert rfc7946_problems(doc) == []
    assert len(doc["features"]) == len(gdf)
    for feat, row in zip(doc["features"], gdf.itertuples()):
        lon, lat = feat["geometry"]["coordinates"]
        assert (lon, lat) == pytest.approx((row.longitude, row.latitude))  # lon first
        props = feat["properties"]
        assert list(props) == list(EXPORT_COLUMNS)
        assert props["factions"] == row.factions and ";" in gdf["factions"].str.cat()
    arabic = next(f for f in doc["features"] if f["properties"]["event_id"] == "ev_is_withdraw")
    assert arabic["properties"]["location"] == "القلمون"
    assert b"\\u0627" not in to_bytes(gdf, "geojson")  # UTF-8 text, not escapes


def _same_rows(back: pd.DataFrame, gdf, csv: bool = False) -> None:
    assert list(back["event_id"]) == list(gdf["event_id"])
    for column in EXPORT_COLUMNS:
        got = list(back[column])
        want = list(gdf[column])
        if column in INTS:
            got = [int(v) for v in got]
        elif column in FLOATS:
            got = [float(v) for v in got]
        else:
            got = ["" if v is None or (not csv and pd.isna(v)) else str(v) for v in got]
        assert got == want, column


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "csv"])
def test_round_trip_through_gdal(gdf, tmp_path, ext):
    path = tmp_path / f"events.{ext}"
    assert write_events(gdf, path) == len(gdf)
    back = pyogrio.read_dataframe(path, datetime_as_string=True)
    _same_rows(back, gdf, csv=ext == "csv")
    names = set(back["location"]) | set(back["notes"]) | set(back["sources"])
    assert "القلمون" in names and "Déir ez-Zôr" in names
    assert any("عرسال" in n for n in names) and any("Éditions" in n for n in names)
    if ext == "csv":
        assert "geometry" not in back.columns and "outline" not in back.columns
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == list(EXPORT_COLUMNS)
    else:
        assert back.crs.to_epsg() == 4326
        assert [c for p in back.geometry for c in (p.x, p.y)] == \
            pytest.approx([c for p in gdf.geometry for c in (p.x, p.y)])
        assert "outline" not in back.columns


def test_geoparquet_round_trip(gdf, tmp_path):
    path = tmp_path / "events.parquet"
    assert write_events(gdf, path) == len(gdf)
    back = gpd.read_parquet(path)
    _same_rows(back, gdf)
    assert back.crs.to_epsg() == 4326
    assert list(back.geometry) == list(gdf.geometry)
    same = gpd.read_parquet(io.BytesIO(to_bytes(gdf, "parquet")))
    assert list(same["event_id"]) == list(gdf["event_id"])


def test_to_bytes_matches_the_file_for_every_format(gdf, tmp_path):
    for fmt in ("geojson", "csv"):
        path = tmp_path / f"e.{fmt}"
        write_events(gdf, path)
        assert path.read_bytes() == to_bytes(gdf, fmt)
    gpkg = tmp_path / "from_bytes.gpkg"
    gpkg.write_bytes(to_bytes(gdf, "gpkg"))
    assert list(pyogrio.read_dataframe(gpkg)["event_id"]) == list(gdf["event_id"])


def test_filtered_and_empty_exports_keep_their_counts(gdf, tmp_path):
    for kwargs in ({"factions": ["is"]}, {"start": "2014-12-01"}, {"types": ["Riots"]}):
        selected = filter_events(gdf, **kwargs)
        assert len(selected) == {"factions": 3, "start": 2, "types": 0}[next(iter(kwargs))]
        for ext in ("geojson", "gpkg", "csv", "parquet"):
            path = tmp_path / f"sel.{ext}"
            assert write_events(selected, path) == len(selected)
            back = (gpd.read_parquet(path) if ext == "parquet"
                    else pyogrio.read_dataframe(path))
            assert len(back) == len(selected), (kwargs, ext)
            if len(selected):
                assert sorted(back["event_id"]) == sorted(selected["event_id"]), (kwargs, ext)


def test_unknown_extension_or_format_is_named(gdf, tmp_path):
    with pytest.raises(ValueError, match=r"events\.shp.*'\.shp'"):
        write_events(gdf, tmp_path / "events.shp")
    with pytest.raises(ValueError, match="'kml'"):
        to_bytes(gdf, "kml")
    assert format_for("OUT.GeoJSON") == "geojson"
    with pytest.raises(ValueError, match="missing column"):
        write_events(gdf.drop(columns=["quote"]), tmp_path / "x.csv")
