"""Event layers of several origins, side by side: curated, extracted and ACLED.

- ``curated``: the hand-coded catalog (``seeds/events.csv``, or the file ``catalog`` names,
  as FRONTS_CATALOG does for the app and ``python -m layers export``);
- ``extracted``: the extractor run over every article of the corpus (merged across
  articles), cached on the modification times of the corpus, registry and gazetteer files;
- ``acled``: an ACLED-format CSV (FRONTS_ACLED) read through the GeoParquet store of
  ``layers.acled_store`` (converted once, then read columnar).

:func:`load_layers` concatenates the chosen origins into one GeoDataFrame with the catalog's
columns plus ``confidence`` (the extractor's 0..1; NaN for curated and ACLED events).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import settings
from ._errors import Problem
from .acled import EVENT_COLUMNS, INT_COLUMNS, empty_events
from .settings import display_path

#: Every origin a layer can have, in the order they are drawn (later on top).
ORIGINS = ("curated", "extracted", "acled")
DEFAULT_ORIGINS = ("curated",)
#: Environment variable naming an ACLED-format CSV shown beside the article events.
ACLED_ENV = "FRONTS_ACLED"
#: Columns of :func:`load_layers`' frame: the catalog's, then ``confidence``, then geometry.
COLUMNS = (*EVENT_COLUMNS[:-1], "confidence", "geometry")
ORIGIN_LABELS = {"curated": "curated (hand-coded from the articles)",
                 "extracted": "extracted (machine, from the articles)",
                 "acled": "ACLED (imported dataset)"}


def acled_path(environ=None) -> Path | None:
    """The ACLED file named by FRONTS_ACLED, or None."""
    value = (os.environ if environ is None else environ).get(ACLED_ENV, "").strip()
    return Path(value) if value else None


def check_origins(origins) -> tuple[str, ...]:
    """The origins in the canonical order, or ValueError naming an unknown one."""
    origins = tuple(origins)
    for origin in origins:
        if origin not in ORIGINS:
            raise ValueError(f"origin: unknown origin {origin!r} (known: {', '.join(ORIGINS)})")
    return tuple(o for o in ORIGINS if o in origins)


def corpus_stamp(seeds_dir=None) -> tuple:
    """(path, mtime_ns) of every file the extracted layer depends on; a changed article,
    metadata row, registry or gazetteer makes a new stamp."""
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    files = [seeds / name for name in (settings.ARTICLES_CSV_NAME, settings.FACTIONS_CSV_NAME,
                                       settings.PLACES_CSV_NAME, settings.REGIONS_GEOJSON_NAME)]
    folder = seeds / settings.ARTICLES_DIR_NAME
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.is_file())
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else None) for f in files)


def file_stamp(path) -> tuple:
    """(path, size, mtime_ns) of one file, or (path, None, None) when it is missing."""
    if path is None:
        return ()
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return (str(p), None, None)
    return (str(p.resolve()), st.st_size, st.st_mtime_ns)


def _conform(gdf, origin: str | None = None) -> gpd.GeoDataFrame:
    """`gdf` with exactly COLUMNS (``confidence`` NaN when absent), ints as int64."""
    frame = pd.DataFrame({c: gdf[c] if c in gdf.columns else
                          (np.nan if c == "confidence" else "") for c in COLUMNS[:-1]},
                         index=gdf.index)
    frame["confidence"] = pd.to_numeric(frame["confidence"], errors="coerce").astype("float64")
    for col in INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype("int64")
    if origin is not None and len(frame):
        frame["origin"] = frame["origin"].replace("", origin)
    geometry = gpd.GeoSeries(gdf.geometry.values, index=gdf.index, crs=settings.CRS) \
        if len(gdf) else gpd.GeoSeries([], crs=settings.CRS)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=settings.CRS)


def load_curated(seeds_dir=None, catalog=None, registry=None):
    """The catalog (lenient): `catalog` (ACLED CSV, own format or GeoParquet) when given,
    else ``<seeds_dir>/events.csv``. Returns (frame, problems)."""
    from .acled import load_catalog
    from .catalog import load_events

    if catalog is not None:
        return load_catalog(Path(catalog), registry=registry)
    return load_events(strict=False, seeds_dir=seeds_dir)


@lru_cache(maxsize=4)
def _extracted_cached(seeds: str, stamp: tuple):
    from .catalog import _gazetteer_for
    from .corpus import load_corpus
    from .extract import extract_articles
    from .factions import load_registry

    seeds_path = Path(seeds)
    corpus, problems = load_corpus(seeds_path)
    if not corpus:
        return _conform(empty_events()), tuple(problems)
    registry = load_registry(seeds_path / settings.FACTIONS_CSV_NAME)
    gazetteer = _gazetteer_for(seeds_path)
    items = [(a.text, a.published, a.article_id, a.source) for a in corpus.values()]
    return _conform(extract_articles(items, gazetteer, registry), "extracted"), tuple(problems)


def load_extracted(seeds_dir=None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Events the extractor finds in every usable article of the corpus, merged across
    articles (origin "extracted", with ``confidence``). Cached on :func:`corpus_stamp`;
    each call returns a fresh copy."""
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    try:
        gdf, problems = _extracted_cached(str(seeds.resolve()), corpus_stamp(seeds))
    except Exception as exc:  # one broken origin must not hide the others
        return _conform(empty_events()), [Problem(display_path(seeds), 0, "extracted",
                                                  f"extraction failed: {type(exc).__name__}: "
                                                  f"{exc}")]
    return gdf.copy(), list(problems)


def load_acled(path, registry=None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """An ACLED-format CSV (through the GeoParquet store, converted once), a stored
    GeoParquet file, or a file in the catalog's own format (chosen by its header)."""
    from .acled import load_catalog

    path = Path(path)
    if not path.exists():
        return empty_events(), [Problem(display_path(path), 0, ACLED_ENV, "no such file")]
    return load_catalog(path, registry=registry, columnar=True)


def load_origin(origin: str, seeds_dir=None, catalog=None, acled=None, registry=None,
                ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The events of one origin with :data:`COLUMNS` (see :func:`load_layers`)."""
    check_origins([origin])
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    if registry is None and (origin == "acled" or catalog is not None):
        from .factions import load_registry
        registry = load_registry(seeds / settings.FACTIONS_CSV_NAME)
    if origin == "curated":
        gdf, found = load_curated(seeds_dir, catalog, registry)
    elif origin == "extracted":
        gdf, found = load_extracted(seeds)
    else:
        path = acled if acled is not None else acled_path()
        if path is None:
            gdf, found = empty_events(), [Problem("", 0, ACLED_ENV, "origin 'acled' needs an "
                                                  f"ACLED-format file (set {ACLED_ENV})")]
        else:
            gdf, found = load_acled(path, registry)
    return _conform(gdf, origin), list(found)


def combine(frames) -> gpd.GeoDataFrame:
    """Frames of :func:`load_origin` as one (in the given order, a fresh 0..n-1 index)."""
    frames = list(frames)
    if not frames:
        return _conform(empty_events())
    frames = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else \
        frames[0].reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=settings.CRS)


def load_layers(seeds_dir=None, catalog=None, acled=None, origins=DEFAULT_ORIGINS,
                ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Events of the chosen origins in one GeoDataFrame (EPSG:4326), curated first.

    Parameters
    ----------
    seeds_dir : seeds folder (articles, registry, gazetteer, events.csv); default seeds/
    catalog : a file replacing ``<seeds_dir>/events.csv`` as the curated layer (None: that)
    acled : the ACLED-format CSV of the ``acled`` origin (None: $FRONTS_ACLED)
    origins : any of :data:`ORIGINS` (ValueError for another)

    Returns
    -------
    (frame with :data:`COLUMNS`, problems of every origin, each listed once). Loading is
    lenient: bad rows and unusable files become problems, never exceptions.
    """
    origins = check_origins(origins)
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    registry = None
    if "acled" in origins or catalog is not None:
        from .factions import load_registry
        registry = load_registry(seeds / settings.FACTIONS_CSV_NAME)
    frames, problems = [], []
    for origin in origins:
        gdf, found = load_origin(origin, seeds_dir, catalog, acled, registry)
        frames.append(gdf)
        seen = {str(p) for p in problems}
        problems += [p for p in found if str(p) not in seen]
    return combine(frames), problems


def period_counts(gdf, registry=None, freq: str = "month") -> pd.DataFrame:
    """The same table as ``layers.timeline.events_per_period(gdf, registry, freq)`` (primary
    faction), computed per distinct ``factions`` value and per column, so 100k events
    never become 100k Python tuples."""
    from .timeline import COLUMNS as TCOLS
    from .timeline import FREQS, UNKNOWN, events_per_period
    from .mapview import DEFAULT_COLOUR, safe_colour

    if freq not in FREQS:
        raise ValueError(f"freq: {freq!r} is not one of {', '.join(FREQS)}")
    if gdf is None or len(gdf) == 0:
        return events_per_period(gdf, registry, freq)
    primary = primary_factions(gdf["factions"], registry)
    dates = pd.to_datetime(gdf["event_date"].astype(str), errors="coerce", format="%Y-%m-%d")
    periods = dates.dt.to_period(FREQS[freq]).dt.start_time
    df = pd.DataFrame({"period": periods.to_numpy(), "faction": primary.to_numpy()})
    df = df[df["period"].notna()]
    out = df.groupby(["period", "faction"], sort=True).size().rename("events").reset_index()
    known = registry is not None
    out["faction_name"] = out["faction"].map(
        lambda f: registry.name(f) if known and f != UNKNOWN else f)
    out["colour"] = out["faction"].map(
        lambda f: safe_colour(registry.colour(f)) if known and f != UNKNOWN else DEFAULT_COLOUR)
    out["events"] = out["events"].astype("int64")
    out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    return out[list(TCOLS)]


def primary_factions(factions: pd.Series, registry=None) -> pd.Series:
    """The first known faction id of each ``;``-joined cell ("(none)" when none is known),
    worked out once per distinct cell."""
    from .timeline import UNKNOWN

    cells = factions.fillna("").astype(str)
    firsts = {}
    for cell in cells.unique():
        ids = [f.strip() for f in cell.split(";") if f.strip()]
        if registry is not None:
            ids = [f for f in ids if registry.get(f) is not None]
        firsts[cell] = ids[0] if ids else UNKNOWN
    return cells.map(firsts)
