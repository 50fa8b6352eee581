"""Syria Fronts Map: the Streamlit page (widgets and URL state only; the work is in layers/).

Run: ``streamlit run app.py``. ``FRONTS_SEEDS`` points at another seeds folder (tests),
``FRONTS_TILES`` picks the tiles (``none`` for the bundled offline basemap only),
``FRONTS_CATALOG`` replaces the bundled catalog, ``FRONTS_ACLED`` adds an ACLED-format CSV
as the ``acled`` origin beside the curated and extracted events.
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import mapview, settings, sources, timeline
from layers.acled import catalog_path
from layers.corpus import ArticleError, add_article, load_corpus
from layers.export import to_bytes
from layers.factions import load_registry
from layers.filters import EVENT_TYPES, Filters

SEEDS_ENV = "FRONTS_SEEDS"
TABLE_ROWS = 1000
TABLE_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "location", "geo_precision", "fatalities", "origin",
                 "confidence", "sources", "notes"]
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


def acled_file() -> Path | None:
    """$FRONTS_ACLED: the ACLED-format CSV offered as the ``acled`` origin (None: not offered)."""
    return sources.acled_path()


def available_origins() -> list[str]:
    return [o for o in sources.ORIGINS if o != "acled" or acled_file() is not None]


# Resource caches (shared, not copied): the page only reads these objects, and st.cache_data
# would pickle a copy of a 100k-event frame on every rerun (~0.35 s measured). Each is keyed
# on the modification times of the files it reads, so edited or added files load again.

@st.cache_resource(show_spinner="Loading the faction registry and articles…", max_entries=4)
def load_base(seeds: str, stamp: tuple):
    """Registry and corpus, with their problems as text; never raises."""
    problems: list[str] = []
    try:
        registry = load_registry(Path(seeds) / settings.FACTIONS_CSV_NAME)
        problems += [str(p) for p in registry.problems]
    except Exception as exc:  # the page must still come up and say why
        registry = None
        problems.append(f"faction registry cannot be loaded: {type(exc).__name__}: {exc}")
    try:
        corpus, found = load_corpus(seeds)
        problems += [str(p) for p in found if str(p) not in problems]
    except Exception as exc:
        corpus = {}
        problems.append(f"articles cannot be loaded: {type(exc).__name__}: {exc}")
    return registry, corpus, problems


@st.cache_resource(show_spinner="Loading events…", max_entries=8)
def load_origin(origin: str, seeds: str, catalog: str | None, acled: str | None, stamp: tuple):
    """The events of one origin (lenient) and its problems as text; never raises."""
    try:
        gdf, found = sources.load_origin(origin, seeds, Path(catalog) if catalog else None,
                                         Path(acled) if acled else None)
        return gdf, [str(p) for p in found]
    except Exception as exc:
        return None, [f"{origin} events cannot be loaded: {type(exc).__name__}: {exc}"]


@st.cache_resource(max_entries=4)
def combined(keys: tuple):
    """The chosen origins' frames as one (cached: concatenating 100k rows is not free)."""
    return sources.combine(load_origin(*key)[0] for key in keys
                           if load_origin(*key)[0] is not None)


def origin_stamp(origin: str, seeds: Path, catalog: Path | None, acled: Path | None) -> tuple:
    """Modification times of what an origin is loaded from."""
    if origin == "curated":
        return _stamp(seeds) + sources.file_stamp(catalog)
    if origin == "extracted":
        return sources.corpus_stamp(seeds)
    return sources.file_stamp(acled)


def load_data(seeds: Path, catalog: Path | None, acled: Path | None, origins):
    """(events of `origins`, registry, corpus, problems as text), each part cached."""
    registry, corpus, problems = load_base(str(seeds), sources.corpus_stamp(seeds))
    problems = list(problems)
    keys = []
    for origin in origins:
        key = (origin, str(seeds), str(catalog) if catalog else None,
               str(acled) if acled else None, origin_stamp(origin, seeds, catalog, acled))
        gdf, found = load_origin(*key)
        problems += [p for p in found if p not in problems]
        keys.append(key)
    return combined(tuple(keys)), registry, corpus, problems


def clear_caches() -> None:
    for fn in (load_base, load_origin, combined):
        fn.clear()


def _date_bounds(gdf) -> tuple[date, date]:
    if gdf is None or len(gdf) == 0:
        return date(2014, 1, 1), date(2016, 12, 31)
    return (date.fromisoformat(str(gdf["date_start"].min())),
            date.fromisoformat(str(gdf["date_end"].max())))


def _article_ids(gdf, corpus) -> list[str]:
    ids = set(corpus)
    if gdf is not None and len(gdf):
        for cell in gdf["article_ids"].astype(str).unique():  # distinct cells only
            ids.update(a.strip() for a in cell.split(";") if a.strip())
    return sorted(ids)


def _init_origins_from_url() -> None:
    """On a session's first run, the Origin widget from ``origin=`` (bad values noticed)."""
    if "origins" in st.session_state:
        return
    wanted = st.query_params.get_all("origin")
    known = available_origins()
    picked = [o for o in known if o in wanted]
    notices = [f"origin: unknown value {o!r} (known: {', '.join(known)})"
               for o in wanted if o not in known]
    st.session_state["origins"] = picked or list(sources.DEFAULT_ORIGINS)
    st.session_state["_origin_notices"] = notices


def _init_state_from_url(lo: date, hi: date, faction_ids, article_ids) -> None:
    """On a session's first run, seed the widgets from the URL and keep the notices; later,
    keep a whole-range date selection whole when the range grows (another origin shown)."""
    if st.session_state.get("_init"):
        old = st.session_state.get("_bounds")
        if old != (lo, hi) and tuple(st.session_state.get("dates", ())) == old:
            st.session_state["dates"] = (lo, hi)
        st.session_state["_bounds"] = (lo, hi)
        return
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    filters, notices = Filters.from_query(query, factions=faction_ids, types=EVENT_TYPES,
                                          articles=article_ids)
    st.session_state.update({
        "_init": True, "_notices": notices + st.session_state.get("_origin_notices", []),
        "_bounds": (lo, hi), "dates": (filters.start or lo, filters.end or hi),
        "factions": list(filters.factions), "types": list(filters.types),
        "articles": list(filters.articles), "q": filters.text or ""})


def sidebar(lo: date, hi: date, registry, corpus, article_ids) -> Filters:
    """The filter widgets; returns what they select (whole-catalog dates become None)."""
    picked = st.session_state.get("dates", (lo, hi))
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Origin", available_origins(), key="origins",
                       help="curated: hand-coded events; extracted: found by the extractor in "
                            "the same articles (with a confidence); acled: $FRONTS_ACLED")
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


def _sync_url(filters: Filters, origins) -> None:
    query = filters.to_query()
    if list(origins) != list(sources.DEFAULT_ORIGINS):
        query["origin"] = list(origins)
    current = {k: (st.query_params.get_all(k) if isinstance(query.get(k), list)
                   else st.query_params.get(k)) for k in st.query_params.keys()}
    if current != query:
        st.query_params.from_dict(query)


def articles_table(corpus, filtered) -> pd.DataFrame:
    cited: dict[str, int] = {}
    if filtered is not None and len(filtered):
        # per distinct cell, weighted by how often it occurs (no per-event Python loop)
        for cell, n in filtered["article_ids"].astype(str).value_counts().items():
            for a in {x.strip() for x in cell.split(";") if x.strip()}:
                cited[a] = cited.get(a, 0) + int(n)
    rows = [{"article": a.article_id, "outlet": a.outlet, "author": a.author, "title": a.title,
             "published": a.published, "date confidence": a.date_confidence,
             "window": f"{a.published_earliest} – {a.published_latest}",
             "filtered events": cited.get(a.article_id, 0), "url": a.url, "notes": a.notes}
            for a in sorted(corpus.values(), key=lambda a: (a.published, a.article_id))]
    return pd.DataFrame(rows)


def _submit_article() -> None:
    """Form callback: add the article, clear the caches, show the extracted origin."""
    state = st.session_state
    upload = state.get(f"add_file_{state.get('_uploads', 0)}")
    text = upload.getvalue() if upload is not None else state.get("add_text", "")
    try:
        article = add_article(text, outlet=state.get("add_outlet", ""),
                              title=state.get("add_title", ""),
                              published=state.get("add_published"),
                              author=state.get("add_author", ""), url=state.get("add_url", ""),
                              seeds_dir=seeds_dir())
    except ArticleError as exc:
        state["_added"] = {"error": str(exc)}
        return
    clear_caches()
    state["_added"] = {"id": article.article_id, "title": article.title}
    if "extracted" not in state.get("origins", []):
        state["origins"] = [o for o in sources.ORIGINS
                            if o in [*state.get("origins", []), "extracted"]]
    for key in ("add_text", "add_outlet", "add_title", "add_author", "add_url"):
        state[key] = ""
    state["_uploads"] = state.get("_uploads", 0) + 1  # a fresh, empty file uploader


def add_article_form() -> None:
    """Sidebar expander: a text file or pasted text, outlet, title, date -> the corpus."""
    added = st.session_state.get("_added") or {}
    with st.sidebar.expander("Add an article", expanded=bool(added.get("error"))):
        with st.form("add_article_form", clear_on_submit=False, border=False):
            st.file_uploader("Article text file (UTF-8 .txt)", type=["txt"],
                             key=f"add_file_{st.session_state.get('_uploads', 0)}")
            st.text_area("…or paste the text", key="add_text", height=120)
            st.text_input("Outlet", key="add_outlet")
            st.text_input("Title", key="add_title")
            st.date_input("Published", key="add_published", value=None, format="YYYY-MM-DD",
                          min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
            st.text_input("Author (optional)", key="add_author")
            st.text_input("URL (optional)", key="add_url")
            st.form_submit_button("Add article", on_click=_submit_article)
        if added.get("error"):
            st.error(f"Not added: {md_code(added['error'])}")


def md_code(text) -> str:
    """`text` as a markdown code span, so st.warning/st.success show it exactly as typed (no
    markdown, link, HTML, LaTeX or emoji syntax): URL parameters and titles come from outside."""
    text = re.sub(r"[\r\n]+", " ", str(text))
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def main() -> None:
    st.set_page_config(page_title="Syria Fronts Map", layout="wide")
    seeds = seeds_dir()
    catalog = catalog_file()
    acled = acled_file()
    _init_origins_from_url()
    origins = [o for o in st.session_state["origins"] if o in available_origins()]
    gdf, registry, corpus, problems = load_data(seeds, catalog, acled, origins)
    if gdf is None:
        gdf = mapview_empty()
    lo, hi = _date_bounds(gdf)
    article_ids = _article_ids(gdf, corpus)
    _init_state_from_url(lo, hi, registry.ids if registry else [], article_ids)

    st.title("Syria Fronts Map, 2014–2016")
    for notice in st.session_state.get("_notices", []):
        st.warning(f"Link parameter ignored: {md_code(notice)}")
    added = st.session_state.get("_added") or {}
    if added.get("id"):
        n = int(gdf["article_ids"].astype(str).str.split(";").map(
            lambda ids: added["id"] in ids).sum()) if "extracted" in origins else 0
        st.success(f"Added article {added['id']} ({md_code(added['title'])}): {n} "
                   "machine-extracted "
                   f"event{'' if n == 1 else 's'} from it on the map (origin: extracted).")
    filters = sidebar(lo, hi, registry, corpus, article_ids)
    add_article_form()
    _sync_url(filters, origins)
    filtered = filters.apply(gdf)

    by_origin = filtered["origin"].value_counts() if len(filtered) else {}
    detail = (" (" + ", ".join(f"{int(by_origin.get(o, 0))} {o}" for o in origins) + ")"
              if len(origins) > 1 else "")
    st.markdown(f"**{len(filtered)} event{'' if len(filtered) == 1 else 's'}** of {len(gdf)} "
                f"shown{detail}; origin: {', '.join(origins) or 'none'}")
    left, right = st.columns([3, 2])
    with left:
        legend = mapview.legend_entries(gdf, registry) if registry else ()
        base = mapview.base_map("env", legend=legend, origins=origins,
                                regions_path=seeds / settings.REGIONS_GEOJSON_NAME)
        st_folium(base, key="map", feature_group_to_add=mapview.map_layer(filtered, registry),
                  returned_objects=[], height=560, use_container_width=True)
    with right:
        columns = [c for c in TABLE_COLUMNS if c in filtered.columns
                   and (c != "confidence" or "extracted" in origins)]
        # only the rows shown are copied out of the (possibly 100k-row) frame
        st.dataframe(pd.DataFrame(filtered[columns].head(TABLE_ROWS)), hide_index=True,
                     height=560)
        if len(filtered) > TABLE_ROWS:
            st.caption(f"First {TABLE_ROWS} of {len(filtered)} events; the downloads hold all.")

    cols = st.columns(len(DOWNLOADS))
    for col, (fmt, label, mime) in zip(cols, DOWNLOADS):
        # a callable: the file is written when the button is clicked, not on every rerun
        col.download_button(f"Download {label} ({len(filtered)} events)",
                            lambda sel=filtered, f=fmt: to_bytes(sel, f),
                            file_name=f"syria_fronts_events.{fmt}", mime=mime,
                            key=f"download_{fmt}", on_click="ignore")

    st.subheader("Timeline")
    freq = st.radio("Events per", ["month", "week"], horizontal=True, key="freq")
    counts = sources.period_counts(filtered, registry, freq)
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
