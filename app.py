"""Syria Fronts Map: the Streamlit page (widgets and URL state only; the work is in layers/).

Run: ``streamlit run app.py``. ``FRONTS_SEEDS`` points at another seeds folder (tests),
``FRONTS_TILES`` picks the tiles (``none`` for the bundled offline basemap only).
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import mapview, settings, timeline
from layers.acled import catalog_path, load_catalog
from layers.catalog import load_events
from layers.corpus import load_corpus
from layers.export import to_bytes
from layers.factions import load_registry
from layers.filters import EVENT_TYPES, Filters

SEEDS_ENV = "FRONTS_SEEDS"
TABLE_ROWS = 1000
TABLE_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "location", "geo_precision", "fatalities", "sources", "notes"]
DOWNLOADS = [("geojson", "GeoJSON", "application/geo+json"),
             ("gpkg", "GeoPackage", "application/geopackage+sqlite3"),
             ("csv", "CSV", "text/csv")]


def seeds_dir() -> Path:
    return Path(os.environ.get(SEEDS_ENV) or settings.SEEDS)


def catalog_file() -> Path | None:
    """$FRONTS_CATALOG unless $FRONTS_SEEDS is set: the same choice as `python -m layers export`
    (whose --seeds overrides the catalog), so the page and the CLI count the same events."""
    return None if os.environ.get(SEEDS_ENV) else catalog_path()


def _stamp(seeds: Path) -> tuple:
    """Modification times of the seed files, so edited seeds invalidate the caches."""
    files = [p for p in seeds.rglob("*") if p.is_file()] if seeds.is_dir() else []
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files))


@st.cache_resource(show_spinner="Loading the event catalog…", max_entries=4)
def load_data(seeds: str, catalog: str | None, stamp: tuple):
    """Events (lenient), registry, corpus and every problem as text; never raises.

    A resource cache (shared, not copied): the page only reads these objects. ``stamp``
    (file modification times) makes edited seeds load again.
    """
    problems: list[str] = []
    try:
        registry = load_registry(Path(seeds) / settings.FACTIONS_CSV_NAME)
        problems += [str(p) for p in registry.problems]
    except Exception as exc:  # the page must still come up and say why
        registry = None
        problems.append(f"faction registry cannot be loaded: {type(exc).__name__}: {exc}")
    try:
        if catalog:
            gdf, found = load_catalog(Path(catalog), registry=registry)
        else:
            gdf, found = load_events(strict=False, seeds_dir=seeds)
        problems += [str(p) for p in found if str(p) not in problems]
    except Exception as exc:
        gdf = None
        problems.append(f"events cannot be loaded: {type(exc).__name__}: {exc}")
    try:
        corpus, found = load_corpus(seeds)
        problems += [str(p) for p in found if str(p) not in problems]
    except Exception as exc:
        corpus = {}
        problems.append(f"articles cannot be loaded: {type(exc).__name__}: {exc}")
    return gdf, registry, corpus, problems


def _date_bounds(gdf) -> tuple[date, date]:
    if gdf is None or len(gdf) == 0:
        return date(2014, 1, 1), date(2016, 12, 31)
    return (date.fromisoformat(str(gdf["date_start"].min())),
            date.fromisoformat(str(gdf["date_end"].max())))


def _article_ids(gdf, corpus) -> list[str]:
    ids = set(corpus)
    if gdf is not None:
        for cell in gdf["article_ids"]:
            ids.update(a.strip() for a in str(cell).split(";") if a.strip())
    return sorted(ids)


def _init_state_from_url(lo: date, hi: date, faction_ids, article_ids) -> None:
    """On a session's first run, seed the widgets from the URL and keep the notices."""
    if st.session_state.get("_init"):
        return
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    filters, notices = Filters.from_query(query, factions=faction_ids, types=EVENT_TYPES,
                                          articles=article_ids)
    st.session_state.update({
        "_init": True, "_notices": notices,
        "dates": (filters.start or lo, filters.end or hi),
        "factions": list(filters.factions), "types": list(filters.types),
        "articles": list(filters.articles), "q": filters.text or ""})


def sidebar(lo: date, hi: date, registry, corpus, article_ids) -> Filters:
    """The filter widgets; returns what they select (whole-catalog dates become None)."""
    picked = st.session_state.get("dates", (lo, hi))
    with st.sidebar:
        st.header("Filters")
        dates = st.date_input("Dates", key="dates", min_value=min(lo, *picked[:1]),
                              max_value=max(hi, *picked[-1:]), format="YYYY-MM-DD")
        st.multiselect("Factions (any of)", registry.ids if registry else [], key="factions",
                       format_func=lambda f: registry.name(f) if registry else f)
        st.multiselect("Event types", list(EVENT_TYPES), key="types")
        st.multiselect("Articles", article_ids, key="articles",
                       format_func=lambda a: _article_label(corpus, a))
        st.text_input("Search summaries, quotes, places, actors", key="q")
    dates = tuple(dates) if isinstance(dates, (tuple, list)) else (dates,)
    start = dates[0] if dates else None
    end = dates[1] if len(dates) > 1 else None
    return Filters(start if start and start != lo else None, end if end and end != hi else None,
                   tuple(st.session_state["factions"]), tuple(st.session_state["types"]),
                   tuple(st.session_state["articles"]), st.session_state["q"].strip() or None)


def _article_label(corpus, article_id: str) -> str:
    a = corpus.get(article_id)
    return f"{a.outlet} ({a.published}): {a.title}" if a else article_id


def _sync_url(filters: Filters) -> None:
    query = filters.to_query()
    current = {k: (st.query_params.get_all(k) if isinstance(query.get(k), list)
                   else st.query_params.get(k)) for k in st.query_params.keys()}
    if current != query:
        st.query_params.from_dict(query)


def articles_table(corpus, filtered) -> pd.DataFrame:
    cited: dict[str, int] = {}
    for cell in filtered["article_ids"] if filtered is not None else []:
        for a in {x.strip() for x in str(cell).split(";") if x.strip()}:
            cited[a] = cited.get(a, 0) + 1
    rows = [{"article": a.article_id, "outlet": a.outlet, "author": a.author, "title": a.title,
             "published": a.published, "date confidence": a.date_confidence,
             "window": f"{a.published_earliest} – {a.published_latest}",
             "filtered events": cited.get(a.article_id, 0), "url": a.url, "notes": a.notes}
            for a in sorted(corpus.values(), key=lambda a: (a.published, a.article_id))]
    return pd.DataFrame(rows)


def main() -> None:
    st.set_page_config(page_title="Syria Fronts Map", layout="wide")
    seeds = seeds_dir()
    catalog = catalog_file()
    stamp = _stamp(seeds) + ((str(catalog), catalog.stat().st_mtime_ns)
                             if catalog and catalog.exists() else ())
    gdf, registry, corpus, problems = load_data(str(seeds), str(catalog) if catalog else None, stamp)
    if gdf is None:
        gdf = mapview_empty()
    lo, hi = _date_bounds(gdf)
    article_ids = _article_ids(gdf, corpus)
    _init_state_from_url(lo, hi, registry.ids if registry else [], article_ids)

    st.title("Syria Fronts Map, 2014–2016")
    for notice in st.session_state.get("_notices", []):
        st.warning(f"Link parameter ignored: {notice}")
    filters = sidebar(lo, hi, registry, corpus, article_ids)
    _sync_url(filters)
    filtered = filters.apply(gdf)

    st.markdown(f"**{len(filtered)} event{'' if len(filtered) == 1 else 's'}** of {len(gdf)} in the catalog")
    left, right = st.columns([3, 2])
    with left:
        base = mapview.base_map("env", legend=mapview.legend_entries(gdf, registry) if registry else (),
                                regions_path=seeds / settings.REGIONS_GEOJSON_NAME)
        st_folium(base, key="map", feature_group_to_add=mapview.map_layer(filtered, registry),
                  returned_objects=[], height=560, use_container_width=True)
    with right:
        table = pd.DataFrame(filtered[[c for c in TABLE_COLUMNS if c in filtered.columns]])
        st.dataframe(table.head(TABLE_ROWS), hide_index=True, height=560)
        if len(table) > TABLE_ROWS:
            st.caption(f"First {TABLE_ROWS} of {len(table)} events; the downloads hold all.")

    cols = st.columns(len(DOWNLOADS))
    for col, (fmt, label, mime) in zip(cols, DOWNLOADS):
        # a callable: the file is written when the button is clicked, not on every rerun
        col.download_button(f"Download {label} ({len(filtered)} events)",
                            lambda sel=filtered, f=fmt: to_bytes(sel, f),
                            file_name=f"syria_fronts_events.{fmt}", mime=mime,
                            key=f"download_{fmt}", on_click="ignore")

    st.subheader("Timeline")
    freq = st.radio("Events per", ["month", "week"], horizontal=True, key="freq")
    counts = timeline.events_per_period(filtered, registry, freq)
    if counts.empty:
        st.info("No events in the selection.")
    else:
        st.altair_chart(timeline.timeline_chart(counts, freq), width="stretch")

    st.subheader("Articles")
    st.dataframe(articles_table(corpus, filtered), hide_index=True)
    with st.expander(f"Data problems found while loading ({len(problems)})", expanded=False):
        if problems:
            st.text("\n".join(problems))
        else:
            st.write("None.")


def mapview_empty():
    """An empty frame with the catalog's columns (when the catalog cannot be loaded at all)."""
    import geopandas as gpd

    from layers.export import EXPORT_COLUMNS
    cols = list(EXPORT_COLUMNS) + ["outline"]
    return gpd.GeoDataFrame(pd.DataFrame({c: pd.Series(dtype=object) for c in cols}),
                            geometry=gpd.GeoSeries([], crs=settings.CRS))


main()
