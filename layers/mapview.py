"""The folium map: an offline base map plus an events layer built from a (filtered) GeoDataFrame.

The map is split so that streamlit-folium can keep it mounted: :func:`base_map` takes only
fixed arguments (tiles, basemap, legend), and :func:`events_layer` returns a FeatureGroup
(clustered markers, region outlines and a fit-to-bounds step) that the page sends through
``st_folium(feature_group_to_add=...)``. :func:`build_map` joins both for a standalone page.

Every JavaScript and CSS file comes from ``static/vendor`` (served by Streamlit at
``/app/static``); the only remote URL a map may hold is the tile template, and
``FRONTS_TILES=none`` drops that too. Every value taken from the data is HTML-escaped by
:func:`esc`, which also neutralises the characters that matter inside the JavaScript template
literals folium wraps popups and tooltips in.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path

import folium
from folium.plugins import MarkerCluster
from jinja2 import Template
from shapely import wkt
from shapely.geometry import mapping

from . import settings

REPO = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO / "static"
BASEMAP_DIR = REPO / "seeds" / "basemap"
#: URL prefix under which Streamlit serves ./static (server.enableStaticServing).
STATIC_URL = "/app/static"
DEFAULT_COLOUR = "#777777"
TILES_ENV = "FRONTS_TILES"

# (folium resource name, vendored file under static/) -- names match folium's own so that
# they replace, not add to, the CDN entries.
_MAP_JS = [("leaflet", "vendor/leaflet@1.9.3/leaflet.js"),
           ("jquery", "vendor/jquery@3.7.1/jquery.min.js")]
_MAP_CSS = [("leaflet_css", "vendor/leaflet@1.9.3/leaflet.css")]
_CLUSTER_JS = [("markerclusterjs", "vendor/leaflet.markercluster@1.1.0/leaflet.markercluster.js")]
_CLUSTER_CSS = [("markerclustercss", "vendor/leaflet.markercluster@1.1.0/MarkerCluster.css"),
                ("markerclusterdefaultcss",
                 "vendor/leaflet.markercluster@1.1.0/MarkerCluster.Default.css")]

DATE_PRECISION = {1: "day", 2: "week or range within a month", 3: "month or coarser"}
PLACE_PRECISION = {1: "the place itself", 2: "near the place (approximate)",
                   3: "somewhere in the region (representative point)"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_JS_TEMPLATE_UNSAFE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
#: "{" before "{", "%" or "#" (or at the end, where the next text could supply them)
_JINJA_OPEN = re.compile(r"\{(?=[{%#]|$)")


# ---------------------------------------------------------------- escaping and styling

def esc(value) -> str:
    """HTML-escape any value for a popup, tooltip or legend ("" for None/NaN).

    Besides ``& < > " '`` it encodes backtick, ``$`` and backslash as entities, because folium
    places popup and tooltip HTML inside JavaScript template literals, and a ``{`` that could
    open a Jinja tag (``{{ {% {#``), because folium compiles rendered popups as templates again.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = html.escape(str(value), quote=True).translate(_JS_TEMPLATE_UNSAFE)
    return _JINJA_OPEN.sub("&#123;", text)


def _split(cell, sep: str = ";") -> list[str]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [p.strip() for p in str(cell).split(sep) if p.strip()]


def safe_colour(colour) -> str:
    """The colour when it is a plain ``#rrggbb``, else the default grey (never raw CSS)."""
    return colour if isinstance(colour, str) and _COLOUR.match(colour) else DEFAULT_COLOUR


def event_colour(factions, registry) -> str:
    """Colour of an event: the registry colour of its first (primary) known faction."""
    for fid in _split(factions):
        if registry is not None and registry.get(fid) is not None:
            return safe_colour(registry.colour(fid))
    return DEFAULT_COLOUR


def marker_radius(fatalities) -> float:
    """Marker radius in pixels: 6 with no deaths, growing with the square root, capped at 24."""
    try:
        n = max(0.0, float(fatalities))
    except (TypeError, ValueError):
        n = 0.0
    if math.isnan(n):
        n = 0.0
    return round(min(24.0, 6.0 + 2.5 * math.sqrt(n)), 1)


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def date_text(row) -> str:
    """The event's date with its precision, e.g. ``2014-12-10 – 2014-12-16 (week ...)``."""
    prec = _int(row.get("time_precision"), 1)
    start, end = row.get("date_start") or row.get("event_date"), row.get("date_end")
    when = str(start) if not end or end == start else f"{start} – {end}"
    return f"{when} ({DATE_PRECISION.get(prec, f'precision {prec}')})"


def place_text(row) -> str:
    """Place, governorate and country with the place precision."""
    parts = [p for p in (row.get("location"), row.get("admin1"), row.get("country")) if p]
    prec = _int(row.get("geo_precision"), 1)
    return f"{', '.join(str(p) for p in parts)} ({PLACE_PRECISION.get(prec, f'precision {prec}')})"


#: How each origin is named in popups, tooltips and the legend.
ORIGIN_NAMES = {"curated": "hand-coded from the articles", "extracted": "machine-extracted",
                "acled": "ACLED dataset"}


def origin_text(row) -> str:
    """Where the event comes from, e.g. ``machine-extracted, confidence 0.8`` (not escaped)."""
    origin = str(row.get("origin") or "curated")
    text = ORIGIN_NAMES.get(origin, origin)
    conf = row.get("confidence")
    try:
        conf = float(conf)
    except (TypeError, ValueError):
        conf = float("nan")
    if origin == "extracted" and not math.isnan(conf):
        text += f", confidence {round(conf, 2):g}"
    return text


def popup_html(row, registry=None) -> str:
    """Popup body for one event (a mapping of the catalog columns); every value escaped."""
    actors = " vs ".join(esc(a) for a in (row.get("actor1"), row.get("actor2")) if a)
    assoc = esc(row.get("assoc_actors"))
    factions = ", ".join(esc(registry.name(f) if registry else f) for f in _split(row.get("factions")))
    sources = "".join(f"<li>{esc(s)}</li>" for s in _split(row.get("sources"), "|"))
    quote = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in _split(row.get("quote"), "||"))
    sub = esc(row.get("sub_event_type"))
    return (
        f'<div class="fronts-popup" data-event-id="{esc(row.get("event_id"))}" '
        'style="font:12px/1.4 sans-serif;max-height:280px;overflow:auto">'
        f"<b>{esc(date_text(row))}</b><br>"
        f'<span class="fronts-origin"><i>{esc(origin_text(row))}</i></span><br>'
        f"<b>{esc(row.get('event_type'))}</b>{' – ' + sub if sub else ''}<br>"
        f"Actors: {actors}{' (with ' + assoc + ')' if assoc else ''}<br>"
        f"Factions: {factions}<br>"
        f"Fatalities: {esc(_int(row.get('fatalities')))}<br>"
        f"Place: {esc(place_text(row))}"
        f"<p>{esc(row.get('notes'))}</p>{quote}"
        f"<div>Source(s):<ul>{sources}</ul></div>"
        f"<small>{esc(row.get('event_id'))}</small></div>"
    )


def tooltip_text(row) -> str:
    """One-line hover text: date, type, place, and the origin unless hand-coded (escaped)."""
    text = f"{row.get('event_date')} · {row.get('event_type')} · {row.get('location')}"
    if str(row.get("origin") or "curated") != "curated":
        text += f" · {origin_text(row)}"
    return esc(text)


# ---------------------------------------------------------------- offline assets and tiles

def offline_assets(static_url: str = STATIC_URL) -> dict[str, list[tuple[str, str]]]:
    """The (name, URL) pairs of every JS/CSS file the map loads, all under ``static_url``."""
    def urls(pairs):
        return [(name, f"{static_url}/{rel}") for name, rel in pairs]
    return {"map_js": urls(_MAP_JS), "map_css": urls(_MAP_CSS),
            "cluster_js": urls(_CLUSTER_JS), "cluster_css": urls(_CLUSTER_CSS)}


def asset_paths() -> list[Path]:
    """Local files behind :func:`offline_assets` (so tests can check they are committed)."""
    return [STATIC_DIR / rel for _, rel in (*_MAP_JS, *_MAP_CSS, *_CLUSTER_JS, *_CLUSTER_CSS)]


def tiles_from_env(environ=None) -> str | None:
    """Tile URL template: ``$FRONTS_TILES`` (``none`` = no tiles, ``osm`` or unset = default)."""
    value = (environ if environ is not None else os.environ).get(TILES_ENV, "").strip()
    if value.lower() == "none":
        return None
    if not value or value.lower() in ("osm", "openstreetmap", "default"):
        return settings.TILE_URL
    return value


def _offline(element, js, css):
    element.default_js = list(js)
    element.default_css = list(css)
    return element


# ---------------------------------------------------------------- base map

@lru_cache(maxsize=4)
def _read_geojson(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _labelled(geojson_text: str, label_key: str = "name") -> dict:
    """A FeatureCollection keeping only geometry and an escaped ``label`` property."""
    data = json.loads(geojson_text)
    feats = [{"type": "Feature", "geometry": f.get("geometry"),
              "properties": {"label": esc((f.get("properties") or {}).get(label_key, ""))}}
             for f in data.get("features", []) if f.get("geometry")]
    return {"type": "FeatureCollection", "features": feats}


def basemap_layers(regions_path=None) -> list[folium.FeatureGroup]:
    """The bundled offline basemap: country borders, governorates, approximate region outlines."""
    layers = []
    specs = [
        ("Countries", BASEMAP_DIR / "countries.geojson",
         {"color": "#555555", "weight": 1.5, "fillColor": "#f2efe9", "fillOpacity": 0.6}),
        ("Governorates", BASEMAP_DIR / "governorates.geojson",
         {"color": "#8a8a8a", "weight": 0.8, "dashArray": "4 3", "fillOpacity": 0}),
        ("Regions (approximate)", Path(regions_path) if regions_path else
         settings.SEEDS / settings.REGIONS_GEOJSON_NAME,
         {"color": "#6a51a3", "weight": 1, "dashArray": "2 4", "fillColor": "#6a51a3",
          "fillOpacity": 0.05}),
    ]
    for name, path, style in specs:
        if not Path(path).is_file():
            continue
        try:
            data = _labelled(_read_geojson(str(path)))
        except (OSError, ValueError, AttributeError):
            continue
        if not data["features"]:  # folium's tooltip refuses a layer without features
            continue
        group = folium.FeatureGroup(name=name, control=True)
        folium.GeoJson(data, style_function=lambda _f, s=style: s, interactive=True,
                       tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False)).add_to(group)
        layers.append(group)
    return layers


class Legend(folium.MacroElement):
    """A Leaflet control listing faction names and colours (built from escaped HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "fronts-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, entries, origins=()):
        super().__init__()
        self._name = "Legend"
        self.html = legend_html(entries, origins)


#: The marker of each origin in the legend (fixed HTML, no data in it).
_ORIGIN_KEYS = {
    "curated": ('<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                'background:#777;border:1px solid #333"></span>', "hand-coded (curated)"),
    "extracted": ('<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                  'background:rgba(255,255,255,.6);border:2px dashed #555;box-sizing:border-box">'
                  '</span>', "machine-extracted (see confidence)"),
    "acled": ('<span style="display:inline-block;width:7px;height:7px;background:#777;'
              'opacity:.6;border:1px solid #555"></span>', "ACLED (small, muted)"),
}


def legend_html(entries, origins=()) -> str:
    """Legend HTML for (name, colour) pairs, escaped, plus the size and outline keys and, when
    `origins` are given, how each origin's markers look; a <details> box, so a reader can
    fold it away from the map."""
    keys = "".join(f'<div class="fronts-legend-origin" data-origin="{esc(o)}">'
                   f'{_ORIGIN_KEYS[o][0]} {esc(_ORIGIN_KEYS[o][1])}</div>'
                   for o in origins if o in _ORIGIN_KEYS)
    keys = f"<div style='margin-top:4px'><b>Origin</b>{keys}</div>" if keys else ""
    rows = "".join(
        f'<div class="fronts-legend-row"><span style="display:inline-block;width:9px;'
        f'height:9px;border-radius:50%;background:{safe_colour(c)};margin-right:4px;'
        f'border:1px solid #333"></span>{esc(n)}</div>' for n, c in entries)
    return ('<details open style="background:rgba(255,255,255,.9);padding:4px 8px;'
            'font:11px/1.35 sans-serif;max-height:200px;overflow:auto;border-radius:4px;'
            'box-shadow:0 0 4px #888;max-width:210px"><summary style="cursor:pointer">'
            f"<b>Factions</b></summary>{rows}<div style='margin-top:4px'>size ∝ fatalities; "
            f"dashed dark border or outline: region-level event</div>{keys}</details>")


def base_map(tiles: str | None = "env", *, legend=(), regions_path=None,
             basemap: bool = True, static_url: str = STATIC_URL, origins=()) -> folium.Map:
    """The fixed part of the map: offline assets, tiles, basemap layers, legend.

    Parameters
    ----------
    tiles : tile URL template, None for no tiles, or "env" to read ``$FRONTS_TILES``.
    legend : (name, colour) pairs, e.g. from :func:`legend_entries`.
    origins : origins whose marker style the legend explains (e.g. curated, extracted).
    """
    assets = offline_assets(static_url)
    if tiles == "env":
        tiles = tiles_from_env()
    # maxZoom must be set on the map itself: markercluster refuses a map without one (no tiles)
    m = folium.Map(location=[34.8, 38.5], zoom_start=7, tiles=None, control_scale=True,
                   maxZoom=18, minZoom=4)
    _offline(m, assets["map_js"], assets["map_css"])
    if tiles:
        attr = settings.TILE_ATTRIBUTION if tiles == settings.TILE_URL else "tiles: " + esc(tiles)
        folium.TileLayer(tiles, attr=attr, name="Tiles", max_zoom=18).add_to(m)
    if basemap:
        for layer in basemap_layers(regions_path):
            layer.add_to(m)
    m.fit_bounds([[32.3, 35.1], [37.3, 42.4]])  # Syria and Lebanon
    if legend or origins:
        Legend(list(legend), origins).add_to(m)
    if basemap or tiles:
        folium.LayerControl(collapsed=True).add_to(m)
    return m


def legend_entries(gdf, registry) -> list[tuple[str, str]]:
    """(name, colour) of each faction that is some event's primary faction, in registry order
    (worked out once per distinct ``factions`` value, so big catalogs cost little)."""
    primary = set()
    cells = gdf["factions"].fillna("").astype(str).unique() if "factions" in gdf else []
    for cell in cells:
        ids = [f for f in _split(cell) if registry.get(f) is not None]
        if ids:
            primary.add(ids[0])
    return [(registry.name(f), safe_colour(registry.colour(f))) for f in registry.ids if f in primary]


# ---------------------------------------------------------------- events layer

class FitBounds(folium.MacroElement):
    """Fit the enclosing map to bounds when this element's script runs (also when the layer
    is added dynamically by streamlit-folium)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.map_name }}.invalidateSize();
        {{ this.map_name }}.fitBounds({{ this.bounds|tojson }}, {"padding": [30, 30], "maxZoom": 11});
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.map_name = "map"

    def render(self, **kwargs):
        from folium.utilities import get_obj_in_upper_tree
        self.map_name = get_obj_in_upper_tree(self, folium.Map).get_name()
        super().render(**kwargs)


def event_bounds(gdf) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the events (points and outlines), or None if empty."""
    if gdf is None or len(gdf) == 0:
        return None
    xs, ys = [], []
    for row in _rows(gdf):
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is not None and lon is not None and not (math.isnan(lat) or math.isnan(lon)):
            xs.append(float(lon))
            ys.append(float(lat))
        shape = _outline(row)
        if shape is not None:
            minx, miny, maxx, maxy = shape.bounds
            xs += [minx, maxx]
            ys += [miny, maxy]
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _rows(gdf):
    cols = [c for c in gdf.columns if c != "geometry"]
    for values in gdf[cols].itertuples(index=False, name=None):
        yield {c: (None if isinstance(v, float) and math.isnan(v) and c not in ("latitude", "longitude")
                   else v) for c, v in zip(cols, values)}


def _outline(row):
    text = row.get("outline")
    if not text or _int(row.get("geo_precision"), 1) != 3:
        return None
    try:
        shape = wkt.loads(str(text))
    except Exception:  # shapely raises its own GEOSException for bad WKT
        return None
    return None if shape.is_empty else shape


def marker_html(row, colour: str) -> tuple[str, int]:
    """The DivIcon HTML of one event and its size in pixels, told apart by origin: curated a
    filled circle, extracted a hollow dashed ring, ACLED a small muted square; region-level
    events get a dark dashed border."""
    origin = str(row.get("origin") or "curated")
    region = _int(row.get("geo_precision"), 1) == 3
    classes = "fronts-marker" + (" fronts-region" if region else "")
    if origin == "extracted":
        d = int(round(2 * marker_radius(row.get("fatalities")))) + 4
        style = (f"border-radius:50%;background:rgba(255,255,255,.55);"
                 f"border:3px {'dotted' if region else 'dashed'} {colour};opacity:.95")
        classes += " fronts-extracted"
    elif origin == "acled":
        d = 8
        style = f"background:{colour};opacity:.6;border:1px solid #555"
        classes += " fronts-acled"
    else:
        d = int(round(2 * marker_radius(row.get("fatalities"))))
        border = "2px dashed #222" if region else "2px solid #fff"
        style = f"border-radius:50%;background:{colour};opacity:.85;border:{border}"
        classes += " fronts-curated"
    return (f'<div class="{classes}" data-event-id="{esc(row.get("event_id"))}" '
            f'style="width:{d}px;height:{d}px;{style};box-shadow:0 0 2px #000;'
            f'box-sizing:border-box" data-origin="{esc(origin)}"></div>'), d


def _add_markers(group, gdf, registry, static_url: str = STATIC_URL) -> None:
    """Clustered markers (and region outlines) of every event of `gdf`, added to `group`."""
    assets = offline_assets(static_url)
    cluster = MarkerCluster(name="event clusters", control=False, options={
        "showCoverageOnHover": False, "maxClusterRadius": 40, "spiderfyOnMaxZoom": True})
    _offline(cluster, assets["cluster_js"], assets["cluster_css"])
    for row in _rows(gdf):
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
            continue
        colour = event_colour(row.get("factions"), registry)
        popup, tip = popup_html(row, registry), tooltip_text(row)
        shape = _outline(row)
        if shape is not None:
            dash = "2 4" if row.get("origin") == "extracted" else "6 4"
            folium.GeoJson(
                {"type": "Feature", "properties": {}, "geometry": mapping(shape)},
                style_function=lambda _f, c=colour, a=dash: {
                    "color": c, "weight": 2, "dashArray": a, "fillColor": c,
                    "fillOpacity": 0.12},
                popup=folium.Popup(popup, max_width=380), tooltip=folium.Tooltip(tip),
            ).add_to(group)
        html_, d = marker_html(row, colour)
        icon = folium.DivIcon(html=html_, icon_size=(d, d), icon_anchor=(d // 2, d // 2),
                              class_name="fronts-icon")
        folium.Marker([float(lat), float(lon)], icon=icon,
                      popup=folium.Popup(popup, max_width=380),
                      tooltip=folium.Tooltip(tip)).add_to(cluster)
    cluster.add_to(group)


def events_layer(gdf, registry=None, *, name: str = "Events",
                 static_url: str = STATIC_URL) -> folium.FeatureGroup:
    """Clustered event markers (coloured by primary faction, sized by fatalities, shaped by
    origin), region-level events also drawn as their outline, and a fit to the events' bounds."""
    group = folium.FeatureGroup(name=name, control=False)
    _add_markers(group, gdf, registry, static_url)
    bounds = event_bounds(gdf)
    if bounds is not None:
        FitBounds(bounds).add_to(group)
    return group


#: Above this many events the map uses layers.fastmap's canvas layer instead of markers.
FAST_ABOVE = 2000


def map_layer(gdf, registry=None, *, fast_above: int = FAST_ABOVE) -> folium.FeatureGroup:
    """:func:`events_layer` for up to `fast_above` events. Above that, the ACLED events (or
    every event, when the others alone are too many) go to layers.fastmap's canvas layer (one
    payload, popups built from DOM text nodes), the article events stay markers drawn on top,
    and the map fits all of them: big catalogs stay fast and article events stay visible."""
    if len(gdf) <= fast_above:
        return events_layer(gdf, registry)
    from .fastmap import FastEvents

    origin = gdf["origin"].astype(str) if "origin" in gdf else None
    is_acled = (origin == "acled").to_numpy() if origin is not None else None
    if is_acled is not None and (~is_acled).sum() <= fast_above:
        big, small = gdf[is_acled], gdf[~is_acled]
    else:
        big, small = gdf, gdf.iloc[0:0]
    group = folium.FeatureGroup(name="Events", control=False)
    muted = is_acled is not None and bool(is_acled.any()) and len(big) == int(is_acled.sum())
    FastEvents(big, registry, control=False,
               **({"radius": 2.5, "opacity": 0.6} if muted else {})).add_to(group)
    if len(small):
        _add_markers(group, small, registry)
    lat = gdf["latitude"].astype(float)
    lon = gdf["longitude"].astype(float)
    if lat.notna().any() and lon.notna().any():
        FitBounds([[float(lat.min()), float(lon.min())],
                   [float(lat.max()), float(lon.max())]]).add_to(group)
    return group


def build_map(gdf, registry=None, *, tiles: str | None = "env", regions_path=None,
              static_url: str = STATIC_URL) -> folium.Map:
    """A complete standalone map: :func:`base_map` plus :func:`events_layer`."""
    legend = legend_entries(gdf, registry) if registry is not None else ()
    m = base_map(tiles, legend=legend, regions_path=regions_path, static_url=static_url)
    events_layer(gdf, registry, static_url=static_url).add_to(m)
    return m
