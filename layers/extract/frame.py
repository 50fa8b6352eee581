"""Merged candidates -> a GeoDataFrame with the catalog's columns, origin "extracted"."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .. import settings
from ..export import EXPORT_COLUMNS

COLUMNS = (*EXPORT_COLUMNS, "outline", "confidence", "geometry")
INT_COLUMNS = ("time_precision", "geo_precision", "fatalities")


def _note(c, name) -> str:
    sides = name(c.actor1[0]) if c.actor1 else "?"
    if c.actor2:
        sides += f" vs {name(c.actor2[0])}"
    dead = f", {c.fatalities} killed" if c.fatalities else ""
    return (f"{c.sub_event_type}: {sides} at {c.place.place.name}{dead} "
            f"(machine-extracted from '{c.trigger.word}'; {c.members} report(s))")


def to_frame(candidates, matcher, gazetteer) -> gpd.GeoDataFrame:
    """The GeoDataFrame (EPSG:4326) of merged candidates, sorted by date then id."""
    rows = []
    for c in candidates:
        p = c.place.place
        outline = gazetteer.outline(p.name) if hasattr(gazetteer, "outline") else None
        rows.append({
            "event_id": c.event_id, "event_date": c.when.event_date.isoformat(),
            "date_start": c.when.start.isoformat(), "date_end": c.when.end.isoformat(),
            "time_precision": c.when.precision, "event_type": c.event_type,
            "sub_event_type": c.sub_event_type,
            "actor1": matcher.name(c.actor1[0]) if c.actor1 else "",
            "actor2": matcher.name(c.actor2[0]) if c.actor2 else "",
            "assoc_actors": ";".join(matcher.name(f) for f in c.assoc),
            "factions": ";".join(c.factions), "location": p.name, "admin1": p.admin1,
            "country": p.country, "latitude": float(p.lat), "longitude": float(p.lon),
            "geo_precision": c.place.geo_precision, "fatalities": int(c.fatalities),
            "article_ids": ";".join(c.article_ids),
            "sources": " | ".join(c.sources) if c.sources else ";".join(c.article_ids),
            "notes": _note(c, matcher.name), "quote": " || ".join(c.quotes),
            "place_source": p.source, "origin": "extracted",
            "outline": outline.wkt if outline is not None else "",
            "confidence": float(c.confidence),
            "geometry": Point(float(p.lon), float(p.lat)),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    for col in ("latitude", "longitude", "confidence"):
        frame[col] = frame[col].astype("float64")
    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.CRS)
    if len(gdf):
        gdf = gdf.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    return gdf
