"""Static defaults for the layers package: data paths, CRS and the base-map tiles.

Functions read these at call time, so tests may point them elsewhere.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
ARTICLES_DIR_NAME = "articles"
ARTICLES_CSV_NAME = "articles.csv"
FACTIONS_CSV_NAME = "factions.csv"
EVENTS_CSV_NAME = "events.csv"
PLACES_CSV_NAME = "places.csv"
REGIONS_GEOJSON_NAME = "regions.geojson"

ARTICLES_CSV = SEEDS / ARTICLES_CSV_NAME
FACTIONS_CSV = SEEDS / FACTIONS_CSV_NAME
EVENTS_CSV = SEEDS / EVENTS_CSV_NAME

#: Coordinate reference system of every layer and export (WGS84 lon/lat).
CRS = "EPSG:4326"

#: Base-map tiles and their attribution (used by the map view).
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"


def display_path(path) -> str:
    """The path relative to the repository when it lies inside it (for messages)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)
