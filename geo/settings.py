"""Paths and matching thresholds for the gazetteer (static defaults, overridable per call)."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
PLACES_CSV = SEEDS / "places.csv"
REGIONS_GEOJSON = SEEDS / "regions.geojson"
ADMIN1_CSV = SEEDS / "geonames_admin1.csv"

#: Derived, rebuildable files (the GeoNames extract, the geocoder cache); never committed.
CACHE_DIR = Path(os.environ.get("FRONTS_CACHE_DIR", REPO / ".cache"))

#: Countries the offline GeoNames fallback covers, in order of preference.
FALLBACK_COUNTRIES = ("SY", "LB")

#: rapidfuzz score (0-100) a fuzzy match must reach to count as resolved.
FUZZY_THRESHOLD = 86.0
#: Candidates within this many points of the best are treated as a tie and
#: disambiguated by curation, country and distance to the other places named.
TIE_MARGIN = 4.0
#: How many candidates an unresolved name reports.
CANDIDATE_LIMIT = 5

#: Opt-in online geocoder: off unless FRONTS_GEOCODER=nominatim.
ONLINE_GEOCODER = os.environ.get("FRONTS_GEOCODER", "").strip().lower()
NOMINATIM_URL = os.environ.get("FRONTS_NOMINATIM_URL", "https://nominatim.openstreetmap.org")
GEOCODE_CACHE = Path(os.environ.get("FRONTS_GEOCODE_CACHE", CACHE_DIR / "geocode.json"))
