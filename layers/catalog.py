"""The event catalog (seeds/events.csv) loaded and validated into a GeoDataFrame.

Every row is checked field by field (ids, dates, ACLED types, factions, actors, place,
precision codes, fatalities, articles and the quotes they rest on). Strict mode raises
:class:`CatalogError` listing every problem; lenient mode returns the good rows and the
problems. Either way ``gdf.attrs`` holds ``rows_in`` = ``rows_loaded`` + ``rows_rejected``.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from . import settings
from ._errors import CatalogError, Problem
from ._table import read_table, table_from_text
from .corpus import load_corpus, parse_date
from .export import EXPORT_COLUMNS
from .factions import load_registry

COLUMNS = ("event_id", "event_date", "date_start", "date_end", "time_precision",
           "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors", "factions",
           "location", "geo_precision", "fatalities", "article_ids", "notes", "quote")
#: Columns of the loaded GeoDataFrame, in order.
OUTPUT_COLUMNS = (*EXPORT_COLUMNS, "outline", "geometry")
INT_COLUMNS = ("time_precision", "geo_precision", "fatalities")

#: ACLED event types and the sub-event types each allows.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
QUOTE_ARTICLE_SEP = " || "
QUOTE_FRAGMENT_SEP = " \u2026 "
_WS = re.compile(r"\s+")
_COUNTRY_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, ends stripped (quotes are compared so)."""
    return _WS.sub(" ", text).strip()


def _ids(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(";") if v.strip()]


def _resolve_actor(registry, actor: str) -> str | None:
    """Registry id of an actor name, also in ACLED's `Name (Country)` form."""
    return registry.resolve(actor) or registry.resolve(_COUNTRY_SUFFIX.sub("", actor))


class _RowChecker:
    """Validates one events.csv row against the registry, gazetteer and corpus."""

    def __init__(self, file: str, gazetteer, registry, corpus: dict, corpus_problems=()):
        self.file = file
        self.gz = gazetteer
        self.registry = registry
        self.corpus = corpus
        self.corpus_problems = list(corpus_problems)
        self.squashed = {aid: squash(a.text) for aid, a in corpus.items()}
        self.seen: dict[str, int] = {}

    def check(self, line: int, raw: dict[str, str]) -> tuple[dict | None, list[Problem]]:
        """The output record for a row, or None, with the row's problems."""
        problems: list[Problem] = []
        row = {c: raw.get(c, "").strip() for c in COLUMNS}
        row["quote"] = raw.get("quote", "")

        def bad(field: str, message: str) -> None:
            problems.append(Problem(self.file, line, field, message))

        eid = row["event_id"]
        if not eid:
            bad("event_id", "empty")
        elif eid in self.seen:
            bad("event_id", f"duplicate id {eid!r} (first on line {self.seen[eid]})")
        else:
            self.seen[eid] = line

        dates: dict[str, date | None] = {}
        for name in ("event_date", "date_start", "date_end"):
            dates[name] = parse_date(row[name])
            if dates[name] is None:
                bad(name, f"{row[name]!r} is not a real ISO date (YYYY-MM-DD)")
        start, when, end = dates["date_start"], dates["event_date"], dates["date_end"]
        if start and when and end and not start <= when <= end:
            bad("event_date", f"{when} is not within date_start..date_end ({start}..{end})")
        ints = {}
        for name, allowed in (("time_precision", (1, 2, 3)), ("geo_precision", (1, 2, 3)),
                              ("fatalities", None)):
            value = row[name]
            if not re.fullmatch(r"\d+", value):
                bad(name, f"{value!r} is not a whole number >= 0")
            elif allowed and int(value) not in allowed:
                bad(name, f"{value} is not one of 1, 2, 3")
            else:
                ints[name] = int(value)
        if ints.get("time_precision") == 1 and start and end and start != end:
            bad("time_precision", f"1 (a day) but the range is {start}..{end}")

        etype, sub = row["event_type"], row["sub_event_type"]
        if etype not in ACLED_TYPES:
            bad("event_type", f"{etype!r} is not an ACLED event type")
        elif sub not in ACLED_TYPES[etype]:
            bad("sub_event_type", f"{sub!r} is not a sub-event type of {etype!r}")

        factions = _ids(row["factions"])
        if not factions:
            bad("factions", "empty: at least one faction id")
        unknown = [f for f in factions if self.registry.get(f) is None]
        if unknown:
            bad("factions", f"unknown faction id(s): {', '.join(unknown)}")
        if not row["actor1"]:
            bad("actor1", "empty")
        actors = [(name, row[name]) for name in ("actor1", "actor2") if row[name]]
        actors += [("assoc_actors", actor) for actor in _ids(row["assoc_actors"])]
        for name, actor in actors:
            fid = _resolve_actor(self.registry, actor)
            if fid is None:
                bad(name, f"{actor!r} is not a faction name or alias")
            elif factions and not unknown and fid not in factions:
                bad("factions", f"{name} {actor!r} is faction {fid!r}, which is not listed")

        place = self._place(row["location"], bad)
        articles = self._articles(row, dates, bad)
        if problems:
            return None, problems
        outline = self.gz.outline(place.name)
        record = {
            **{c: row[c] for c in COLUMNS}, **ints,
            "factions": ";".join(factions),
            "article_ids": ";".join(a.article_id for a in articles),
            "sources": " | ".join(a.source for a in articles),
            "admin1": place.admin1, "country": place.country,
            "latitude": float(place.lat), "longitude": float(place.lon),
            "place_source": place.source, "origin": "curated",
            "outline": outline.wkt if outline is not None else "",
            "geometry": Point(float(place.lon), float(place.lat)),
        }
        return record, []

    def _place(self, location: str, bad):
        if not location:
            bad("location", "empty")
            return None
        res = self.gz.resolve(location)
        if not res.resolved or res.place is None:
            cands = ", ".join(f"{p.name} ({s:.0f})" for p, s in (res.candidates or [])[:3])
            bad("location", f"unknown place {location!r}; best candidates: {cands or 'none'}")
            return None
        if res.via != "curated":
            bad("location", f"{location!r} resolves only through {res.via or 'a fallback'} "
                            f"({res.place.name}); add it to places.csv")
            return None
        if res.score < 100:
            bad("location", f"{location!r} is not a places.csv spelling (closest: "
                            f"{res.place.name}, score {res.score:.0f})")
            return None
        return res.place

    def _articles(self, row: dict, dates: dict, bad) -> list:
        ids = _ids(row["article_ids"])
        if not ids:
            bad("article_ids", "empty: at least one article id")
            return []
        if len(set(ids)) != len(ids):
            bad("article_ids", "an article id is listed twice")
        articles = []
        for aid in ids:
            if aid in self.corpus:
                articles.append(self.corpus[aid])
                continue
            why = [p.message for p in self.corpus_problems if f"article {aid}:" in p.message]
            bad("article_ids", f"{aid!r}: " + (f"its text is unusable ({why[0]})" if why
                                               else "not an article of the corpus"))
        if len(articles) != len(ids):
            return []
        end = dates.get("date_end")
        latest = max(a.published_latest for a in articles)
        if end and end > latest:
            bad("date_end", f"{end} is after the latest publication date of its "
                            f"article(s) ({latest})")
        if not row["quote"].strip():
            bad("quote", "empty: the sentence(s) the event rests on")
            return articles
        parts = row["quote"].split(QUOTE_ARTICLE_SEP)
        if len(parts) != len(ids):
            bad("quote", f"{len(parts)} quote part(s) joined by '||' for {len(ids)} "
                         f"article(s); give one part per article, in article_ids order")
            return articles
        for aid, part in zip(ids, parts):
            for fragment in part.split(QUOTE_FRAGMENT_SEP):
                needle = squash(fragment)
                if not needle:
                    bad("quote", f"empty fragment in the part for {aid}")
                elif needle not in self.squashed[aid]:
                    shown = needle if len(needle) <= 80 else needle[:77] + "..."
                    bad("quote", f"not found verbatim in {aid}: {shown!r}")
        return articles


def _empty_frame() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in INT_COLUMNS else
                                       "float64" if c in ("latitude", "longitude") else
                                       object) for c in OUTPUT_COLUMNS[:-1]})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=settings.CRS),
                            crs=settings.CRS)


def events_from_table(table, *, gazetteer, registry, corpus: dict, corpus_problems=(),
                      extra_problems=()) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Validate the records of an events table; the GeoDataFrame holds the good rows."""
    problems = [*extra_problems, *table.problems]
    checker = _RowChecker(table.file, gazetteer, registry, corpus, corpus_problems)
    records, rejected = [], table.rows_rejected
    for line, raw in table.records:
        if gazetteer is None:
            rejected += 1
            continue
        record, row_problems = checker.check(line, raw)
        if record is None:
            rejected += 1
            problems.extend(row_problems)
        else:
            records.append(record)
    if table.header and table.rows_in == 0 and not table.problems:
        problems.append(Problem(table.file, 0, "", "no events: the file has a header and no "
                                                   "rows"))
    if records:
        frame = pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS))
        for column in INT_COLUMNS:
            frame[column] = frame[column].astype("int64")
        gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.CRS)
    else:
        gdf = _empty_frame()
    gdf.attrs.update(rows_in=table.rows_in, rows_loaded=len(gdf), rows_rejected=rejected)
    return gdf, problems


def events_from_text(text: str, file: str = "events.csv", **sources):
    """Validate events.csv content given as text (tests, uploads); see events_from_table."""
    return events_from_table(table_from_text(text, file, COLUMNS), **sources)


def _gazetteer_for(seeds: Path, problems: list[Problem] | None = None):
    """The default gazetteer for the repo's seeds, else one built from `seeds`' own table,
    whose bad rows are left out and appended to `problems` (one bad place hides no other)."""
    from geo import Gazetteer, default_gazetteer

    if seeds.resolve() == settings.SEEDS.resolve():
        return default_gazetteer()
    errors: list[tuple[Path, int, str, str]] = []
    gazetteer = Gazetteer.from_csv(seeds / settings.PLACES_CSV_NAME,
                                   regions=seeds / settings.REGIONS_GEOJSON_NAME,
                                   fallback=False, errors=errors)
    if problems is not None:
        problems.extend(Problem(settings.display_path(file), line, field, message)
                        for file, line, field, message in errors)
    return gazetteer


def _load(path: Path, seeds: Path, gazetteer=None, registry=None, corpus=None):
    extra: list[Problem] = []
    if registry is None:
        registry = load_registry(seeds / settings.FACTIONS_CSV_NAME)
        extra.extend(registry.problems)
    corpus_problems: list[Problem] = []
    if corpus is None:
        corpus, corpus_problems = load_corpus(seeds)
    if gazetteer is None:
        try:
            gazetteer = _gazetteer_for(seeds, extra)
        except (ValueError, OSError) as exc:
            extra.append(Problem(settings.display_path(seeds / settings.PLACES_CSV_NAME), 0,
                                 "", f"gazetteer cannot be loaded, no event placed: {exc}"))
    table = read_table(path, COLUMNS)
    return events_from_table(table, gazetteer=gazetteer, registry=registry, corpus=corpus,
                             corpus_problems=corpus_problems, extra_problems=extra)


def _mtimes(path: Path, seeds: Path) -> tuple:
    files = [path, seeds / settings.FACTIONS_CSV_NAME, seeds / settings.ARTICLES_CSV_NAME,
             seeds / settings.PLACES_CSV_NAME, seeds / settings.REGIONS_GEOJSON_NAME]
    folder = seeds / settings.ARTICLES_DIR_NAME
    if folder.is_dir():
        files.extend(sorted(folder.iterdir()))
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else None) for f in files)


@lru_cache(maxsize=8)
def _load_cached(path: Path, seeds: Path, key: tuple):
    return _load(path, seeds)


def load_events(path=None, *, strict: bool = True, seeds_dir=None, gazetteer=None,
                registry=None, corpus=None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Load and validate seeds/events.csv (or `path`) into a GeoDataFrame (EPSG:4326).

    Parameters
    ----------
    path : events CSV; default ``<seeds_dir>/events.csv``
    strict : raise CatalogError when any problem is found (else return it in the list)
    seeds_dir : folder with articles.csv, articles/, factions.csv, places.csv,
        regions.geojson; default the repo's seeds/
    gazetteer, registry, corpus : ready-made sources (tests); default loaded from seeds_dir
        (the repo's seeds use ``geo.default_gazetteer()``)

    Returns
    -------
    (GeoDataFrame with OUTPUT_COLUMNS, list of Problem). The default load is cached on the
    files' modification times; each call returns a fresh copy.
    """
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    path = Path(path) if path is not None else seeds / settings.EVENTS_CSV_NAME
    if gazetteer is None and registry is None and corpus is None:
        gdf, problems = _load_cached(path.resolve(), seeds.resolve(), _mtimes(path, seeds))
        attrs = dict(gdf.attrs)
        gdf = gdf.copy()
        gdf.attrs = attrs
        problems = list(problems)
    else:
        gdf, problems = _load(path, seeds, gazetteer, registry, corpus)
    if strict and problems:
        raise CatalogError(problems)
    return gdf, problems
