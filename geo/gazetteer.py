"""The gazetteer: curated places first, then offline GeoNames, then (opt-in) an online geocoder.

Names are compared by transliteration-tolerant keys (`normalize.name_key`), exactly first and
then fuzzily with rapidfuzz; ties are broken by curation, country and by distance to the other
places named in the same text. A name nothing matches well is reported with its candidates.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from geopy.distance import great_circle
from rapidfuzz import fuzz, process
from shapely.geometry import shape

from . import settings
from ._errors import GazetteerError
from .normalize import name_key
from .place import Place, Resolution

COLUMNS = ("name", "alt_names", "kind", "admin1", "country", "lat", "lon", "precision",
           "source", "notes")
KINDS = frozenset(
    "country governorate district region mountains city town village oil_field gas_field "
    "mine bridge border_crossing camp checkpoint military_base area river plain valley "
    "neighbourhood airport dam".split()
)
_GENERIC_PREFIXES = ("the ",)


def _min_score(key: str) -> float:
    """Short keys need a closer match: one letter off in 'Nawa' is another town."""
    if len(key) <= 4:
        return 100.0
    if len(key) <= 7:
        return max(settings.FUZZY_THRESHOLD, 90.0)
    return settings.FUZZY_THRESHOLD


def read_places_csv(path: Path, errors: list | None = None) -> list[Place]:
    """Parse the curated table; every bad row raises a GazetteerError naming file, row, field.

    With an `errors` list, bad rows are left out and appended to it as ``(line, field,
    message)`` instead, so one bad row does not hide the others (a missing column still
    raises: no row can be read then).
    """
    problems: list[tuple[int, str, str, str]] = []  # line, field, why, full message
    places: list[Place] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise GazetteerError(f"{path}: missing columns {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                why = "row has the wrong number of fields"
                problems.append((line, "", why, why))
                continue
            try:
                places.append(_place_from_row(row))
            except ValueError as exc:
                field, _, why = str(exc).partition(": ")
                if field == "lat/lon":
                    field = "lat" if not _coordinate_ok(row["lat"], 90) else "lon"
                problems.append((line, field, why, str(exc)))
    if errors is not None:
        errors.extend(p[:3] for p in problems)
    elif problems:
        raise GazetteerError("\n".join(f"{path}:{p[0]}: {p[3]}" for p in problems))
    return places


def _coordinate_ok(text: str, limit: float) -> bool:
    try:
        return -limit <= float(text) <= limit
    except ValueError:
        return False


def _place_from_row(row: dict) -> Place:
    name = row["name"].strip()
    if not name:
        raise ValueError("name: empty")
    if row["kind"] not in KINDS:
        raise ValueError(f"kind: {row['kind']!r} is not one of the known kinds")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise ValueError(f"lat/lon: not numbers ({row['lat']!r}, {row['lon']!r})") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"lat/lon: out of range ({lat}, {lon})")
    if row["precision"] not in ("1", "2", "3"):
        raise ValueError(f"precision: {row['precision']!r} is not 1, 2 or 3")
    if not row["source"].strip():
        raise ValueError("source: empty")
    alts = tuple(a.strip() for a in row["alt_names"].split(";") if a.strip())
    return Place(name=name, alt_names=alts, kind=row["kind"], admin1=row["admin1"].strip(),
                 country=row["country"].strip(), lat=lat, lon=lon,
                 precision=int(row["precision"]), source=row["source"].strip(),
                 notes=row["notes"].strip())


def read_outlines(path: Path, errors: list | None = None) -> dict[str, object]:
    """Region outlines by place name, as shapely geometries.

    With an `errors` list, a file that is not a GeoJSON FeatureCollection or a bad feature is
    appended to it as ``(feature index or 0, field, message)`` and left out, instead of raising.
    """
    if not Path(path).exists():
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or not isinstance(data.get("features", []), list):
            raise ValueError("not a GeoJSON FeatureCollection")
    except ValueError as exc:
        if errors is None:
            raise GazetteerError(f"{path}: not a GeoJSON FeatureCollection: {exc}") from None
        errors.append((0, "", f"not a GeoJSON FeatureCollection, no outline used: {exc}"))
        return {}
    outlines = {}
    for i, feat in enumerate(data.get("features", [])):
        name = (feat.get("properties") or {}).get("name") if isinstance(feat, dict) else None
        try:
            if not name or not feat.get("geometry"):
                raise ValueError("needs a name and a geometry")
            outlines[name] = shape(feat["geometry"])
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            if errors is None:
                raise GazetteerError(f"{path}: feature {i}: {exc}") from None
            errors.append((i, "geometry", f"feature {i}: {exc}"))
    return outlines


def _point(p) -> tuple[float, float]:
    return (p.lat, p.lon) if isinstance(p, Place) else (float(p[0]), float(p[1]))


class Gazetteer:
    """Name lookups over curated places plus fallback places (GeoNames, online)."""

    def __init__(self, places: Iterable[Place], fallback: Iterable[Place] = (),
                 outlines: dict | None = None, online=None):
        self.places: list[Place] = list(places)
        self.fallback: list[Place] = list(fallback)
        self.outlines = dict(outlines or {})
        self.online = online
        self._curated = self._index(self.places)
        self._geonames = self._index(self.fallback)
        self._curated_keys = list(self._curated)
        self._geonames_keys = list(self._geonames)
        self._by_name = {p.name: p for p in self.places}
        self._curated_set = frozenset(self.places)

    @staticmethod
    def _index(places: Iterable[Place]) -> dict[str, list[Place]]:
        index: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            for name in place.names:
                key = name_key(name)
                if key and place not in index[key]:
                    index[key].append(place)
        return dict(index)

    @classmethod
    def from_csv(cls, path: Path = settings.PLACES_CSV, *, regions: Path | None = None,
                 fallback: bool = True, online=None, errors: list | None = None) -> "Gazetteer":
        """The curated table at `path`, its outlines, and the offline GeoNames fallback.

        `errors`: collect bad rows of both files as ``(file path, line, field, message)``
        and leave them out instead of raising.
        """
        from .fallback import geonames_places

        regions = settings.REGIONS_GEOJSON if regions is None else regions
        if errors is None:
            return cls(read_places_csv(Path(path)), geonames_places() if fallback else (),
                       read_outlines(Path(regions)), online=online)
        rows: list = []
        features: list = []
        places = read_places_csv(Path(path), rows)
        outlines = read_outlines(Path(regions), features)
        errors.extend([(Path(path), *e) for e in rows] + [(Path(regions), *e) for e in features])
        return cls(places, geonames_places() if fallback else (), outlines, online=online)

    # -- lookups -----------------------------------------------------------------
    def get(self, name: str) -> Place | None:
        """The curated place whose name or spelling has exactly this key, if one."""
        hits = self._curated.get(name_key(name), [])
        return hits[0] if len(hits) == 1 else (self._by_name.get(name) or (hits[0] if hits else None))

    def exact_matches(self, name: str) -> list[Place]:
        """Every place (curated, then fallback) whose spelling has exactly this key."""
        key = name_key(name)
        return [*self._curated.get(key, ()), *self._geonames.get(key, ())]

    def fallback_exact(self, name: str) -> Place | None:
        """The fallback (GeoNames) place whose spelling has exactly this key, if any."""
        hits = self._geonames.get(name_key(name))
        return hits[0] if hits else None

    def outline(self, name: str):
        """The approximate outline of a region (shapely geometry), or None."""
        place = self.get(name)
        return self.outlines.get(place.name if place else name)

    def resolve(self, name: str, near: Sequence = ()) -> Resolution:
        """Resolve one name: curated exact, GeoNames exact, fuzzy, then the online geocoder."""
        query = name
        cleaned = name.strip()
        for prefix in _GENERIC_PREFIXES:
            if cleaned.lower().startswith(prefix):
                cleaned = cleaned[len(prefix):]
        key = name_key(cleaned)
        if not key:
            return Resolution(query, False)
        for index, via in ((self._curated, "curated"), (self._geonames, "geonames")):
            if key in index:
                best = self._pick(index[key], near)
                others = [(p, 100.0) for p in index[key] if p is not best]
                return Resolution(query, True, best, 100.0, others, via)
        scored = self._fuzzy(key)
        if scored and scored[0][1] >= _min_score(key):
            top = scored[0][1]
            tied = [p for p, s in scored if s >= top - settings.TIE_MARGIN]
            best = self._pick(tied, near)
            score = next(s for p, s in scored if p is best)
            via = "curated" if best in self._curated_set else "geonames"
            return Resolution(query, True, best, score,
                              [(p, s) for p, s in scored if p is not best][: settings.CANDIDATE_LIMIT], via)
        if self.online is not None:
            place = self.online.geocode(cleaned)
            if place is not None:
                return Resolution(query, True, place, 100.0, [], "nominatim")
        return Resolution(query, False, None, 0.0, scored[: settings.CANDIDATE_LIMIT])

    def _fuzzy(self, key: str) -> list[tuple[Place, float]]:
        """Places whose keys are closest to `key`, best first (curated before fallback on ties)."""
        best: dict[int, tuple[Place, float]] = {}
        for index, keys, bonus in ((self._curated, self._curated_keys, 0.01),
                                   (self._geonames, self._geonames_keys, 0.0)):
            for match, score, _ in process.extract(key, keys, scorer=fuzz.ratio,
                                                   limit=10, score_cutoff=60):
                for place in index[match]:
                    pid = id(place)
                    if pid not in best or best[pid][1] < score + bonus:
                        best[pid] = (place, score + bonus)
        ranked = sorted(best.values(), key=lambda ps: -ps[1])
        return [(p, min(100.0, round(s, 2))) for p, s in ranked]

    def _pick(self, places: Sequence[Place], near: Sequence) -> Place:
        """Disambiguate: curated first, then nearest to `near`, then SY/LB order, then population."""
        if len(places) == 1:
            return places[0]
        anchors = [_point(p) for p in near]
        order = {c: i for i, c in enumerate(settings.FALLBACK_COUNTRIES)}

        def rank(p: Place):
            dist = min((great_circle((p.lat, p.lon), a).km for a in anchors), default=0.0)
            return (p not in self._curated_set, round(dist), order.get(p.country, len(order)), -p.population)

        return min(places, key=rank)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer (seeds/places.csv, seeds/regions.geojson, offline GeoNames)."""
    online = None
    if settings.ONLINE_GEOCODER == "nominatim":
        from .online import NominatimFallback
        online = NominatimFallback()
    return Gazetteer.from_csv(settings.PLACES_CSV, online=online)
