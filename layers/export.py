"""Writing events to GeoJSON (RFC 7946), GeoPackage, CSV (ACLED-like) and GeoParquet.

Every format carries the export columns plus `place_source` and `origin`; the region
outline (`outline`, WKT) stays in the app and is not exported. CSV has latitude/longitude
and no geometry column; the other formats hold Point geometries in EPSG:4326.
"""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from . import settings

#: Columns every export carries, in order (geometry is added for the spatial formats).
EXPORT_COLUMNS = ("event_id", "event_date", "date_start", "date_end", "time_precision",
                  "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors",
                  "factions", "location", "admin1", "country", "latitude", "longitude",
                  "geo_precision", "fatalities", "article_ids", "sources", "notes", "quote",
                  "place_source", "origin")
FORMATS = {".geojson": "geojson", ".gpkg": "gpkg", ".csv": "csv", ".parquet": "parquet"}
LAYER = "events"


def format_for(path) -> str:
    """The export format for a file name (by extension), or ValueError naming it."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown export extension {suffix or '(none)'!r}; "
                         f"use one of {', '.join(FORMATS)}")
    return FORMATS[suffix]


def export_frame(gdf) -> gpd.GeoDataFrame:
    """The columns that are exported, geometry last, in WGS84."""
    missing = [c for c in EXPORT_COLUMNS if c not in gdf.columns]
    if missing:
        raise ValueError(f"cannot export: missing column(s) {', '.join(missing)}")
    out = gpd.GeoDataFrame(pd.DataFrame(gdf[list(EXPORT_COLUMNS)]).copy(),
                           geometry=gpd.GeoSeries(gdf.geometry.values, index=gdf.index,
                                                  crs=gdf.crs or settings.CRS))
    if out.crs is not None and not out.crs.equals(settings.CRS):
        out = out.to_crs(settings.CRS)
    return out.reset_index(drop=True)


def _csv_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """UTF-8 CSV with a plain header; every text value is quoted and numbers are not, so a
    reader that guesses types (GDAL's AUTODETECT_TYPE with QUOTED_FIELDS_AS_STRING, a
    spreadsheet) keeps a note such as "12" or "2014-12-16" as text."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    body = table.to_csv(index=False, header=False, lineterminator="\n",
                        quoting=csv.QUOTE_NONNUMERIC)
    return (",".join(table.columns) + "\n" + body).encode("utf-8")


def _write(frame: gpd.GeoDataFrame, path: Path, fmt: str) -> None:
    if fmt == "geojson":
        pyogrio.write_dataframe(frame, path, driver="GeoJSON", geometry_type="Point",
                                layer_options={"RFC7946": "YES", "WRITE_NAME": "NO"})
    elif fmt == "gpkg":
        pyogrio.write_dataframe(frame, path, driver="GPKG", layer=LAYER,
                                geometry_type="Point")
    elif fmt == "csv":
        Path(path).write_bytes(_csv_bytes(frame))
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of "
                         f"{', '.join(FORMATS.values())}")


def write_events(gdf, path) -> int:
    """Write `gdf` to `path` in the format its extension names; returns the rows written."""
    path = Path(path)
    fmt = format_for(path)
    frame = export_frame(gdf)
    if path.exists():
        path.unlink()  # GDAL refuses to overwrite some formats in place
    _write(frame, path, fmt)
    return len(frame)


def to_bytes(gdf, fmt: str) -> bytes:
    """The file content of `gdf` exported as `geojson`, `gpkg`, `csv` or `parquet`."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS.values():
        raise ValueError(f"unknown export format {fmt!r}; use one of "
                         f"{', '.join(FORMATS.values())}")
    frame = export_frame(gdf)
    if fmt == "csv":
        return _csv_bytes(frame)
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{LAYER}.{fmt}"
        _write(frame, path, fmt)
        return path.read_bytes()
