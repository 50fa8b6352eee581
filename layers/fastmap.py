"""A compact canvas layer for big event sets: one columnar payload, drawn and clicked in JS.

folium's per-marker layers cost ~1 KB of HTML and a Python object per event. Here the events
become a handful of little-endian typed arrays (base64) plus small lookup tables, embedded once:
quantised lon/lat (uint16 over the data's extent), day number, a faction-combination index, a
kind index (type, sub-type, date and place precision, origin), a place index and fatalities,
about 17 bytes per event. A Leaflet layer decodes them and draws circles on one canvas; popups
are built on click with DOM text nodes (never innerHTML), listing every event under the
pointer. Above `MAX_POINTS` events the payload holds hexagonal bins instead of points.
The layer uses no asset of its own: only Leaflet, which the base map loads from /app/static.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from folium.map import Layer
from jinja2 import Template

#: Above this many events the layer draws hexagonal bins instead of points.
MAX_POINTS = 250_000
#: Hexagons across the larger side of the data's extent when binning.
HEX_ACROSS = 140
DEFAULT_COLOUR = "#777777"
#: The columns a payload is built from (read only these from a big store).
MAP_COLUMNS = ("longitude", "latitude", "event_date", "factions", "event_type", "sub_event_type",
               "time_precision", "geo_precision", "origin", "location", "fatalities")
_JS = (Path(__file__).with_name("fastmap.js"))


# ---------------------------------------------------------------- encoding

def _pack(values: np.ndarray) -> dict:
    """Unsigned ints as the narrowest typed array that holds them: {"t": u1|u2|u4, "b": base64}."""
    values = np.asarray(values)
    top = int(values.max()) if values.size else 0
    if values.size and int(values.min()) < 0:
        raise ValueError("negative value in an unsigned column")
    kind, dtype = (("u1", "<u1") if top < 1 << 8 else ("u2", "<u2") if top < 1 << 16
                   else ("u4", "<u4"))
    return {"t": kind, "b": base64.b64encode(values.astype(dtype).tobytes()).decode("ascii")}


def _quantise(values: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(origin, step, ints): uint16 steps over the extent, uint32 at ~1 m when that is coarse."""
    lo = float(values.min()) if values.size else 0.0
    span = float(values.max()) - lo if values.size else 0.0
    step = max(span / 65535.0, 1e-6)
    if step > 2e-4:  # more than ~20 m per step: keep metre precision instead
        step = 1e-5
    return lo, step, np.rint((values - lo) / step).astype(np.int64)


def _table(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(series.astype(str), sort=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _groups(labels: list[str], registry) -> tuple[list[list[str]], list[list[int]]]:
    """Factions as [name, colour] and each combination as indexes into them (the first
    faction gives the colour)."""
    factions: list[list[str]] = []
    index: dict[str, int] = {}
    groups: list[list[int]] = []
    for key in labels:
        combo = []
        for fid in (f for f in key.split(";") if f):
            if fid not in index:
                known = registry is not None and registry.get(fid) is not None
                index[fid] = len(factions)
                factions.append([registry.name(fid) if known else fid,
                                 _safe_colour(registry.colour(fid)) if known else DEFAULT_COLOUR])
            combo.append(index[fid])
        groups.append(combo)
    return factions, groups


def _safe_colour(colour) -> str:
    text = str(colour)
    ok = len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])
    return text if ok else DEFAULT_COLOUR


def _int_column(gdf, name: str, default: int = 0) -> np.ndarray:
    if name not in gdf:
        return np.full(len(gdf), default, np.int64)
    return pd.to_numeric(gdf[name], errors="coerce").fillna(default).to_numpy(np.int64)


def _days(gdf) -> np.ndarray:
    values = pd.to_datetime(gdf["event_date"].astype(str), format="%Y-%m-%d", errors="coerce")
    days = values.to_numpy(dtype="datetime64[s]").astype("datetime64[D]").astype(np.int64)
    return np.where(values.isna().to_numpy(), 0, days)


def points_payload(gdf, registry=None) -> dict:
    """The columnar payload of a GeoDataFrame with the catalog's columns (one point each)."""
    lon = gdf["longitude"].to_numpy(float)
    lat = gdf["latitude"].to_numpy(float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.all():
        gdf, lon, lat = gdf[ok], lon[ok], lat[ok]
    x0, dx, xq = _quantise(lon)
    y0, dy, yq = _quantise(lat)
    days = _days(gdf)
    day0 = int(days.min()) if len(days) else 0
    grp, grp_labels = _table(gdf["factions"])
    factions, groups = _groups(grp_labels, registry)
    kind_key = (gdf["event_type"].astype(str) + "\x1f" + gdf["sub_event_type"].astype(str)
                + "\x1f" + pd.Series(_int_column(gdf, "time_precision", 1), index=gdf.index)
                .astype(str) + "\x1f" + pd.Series(_int_column(gdf, "geo_precision", 1),
                                                  index=gdf.index).astype(str)
                + "\x1f" + (gdf["origin"].astype(str) if "origin" in gdf else ""))
    kind, kind_labels = _table(kind_key)
    loc, places = _table(gdf["location"])
    fat = np.clip(_int_column(gdf, "fatalities"), 0, None)
    kinds = []
    for label in kind_labels:
        etype, sub, tp, gp, origin = label.split("\x1f")
        kinds.append([etype, sub, int(tp), int(gp), origin])
    return {
        "mode": "points", "n": int(len(xq)),
        "x0": x0, "dx": dx, "y0": y0, "dy": dy, "day0": day0,
        "x": _pack(xq), "y": _pack(yq), "day": _pack(days - day0), "grp": _pack(grp),
        "kind": _pack(kind), "loc": _pack(loc), "fat": _pack(fat),
        "factions": factions, "groups": groups, "kinds": kinds, "places": places,
    }


def _merc_y(lat: np.ndarray) -> np.ndarray:
    """Web-Mercator y in degree-like units (equal to longitude degrees in scale)."""
    phi = np.radians(np.clip(lat, -85.0511, 85.0511))
    return np.degrees(np.log(np.tan(np.pi / 4 + phi / 2)))


def hexbins(lon: np.ndarray, lat: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray,
                                                                      np.ndarray]:
    """Pointy-top hexagon of each point (radius `size` in Mercator degrees): (q, r, centres)."""
    x, y = lon, _merc_y(lat)
    qf = (np.sqrt(3) / 3 * x - y / 3) / size
    rf = (2 / 3 * y) / size
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    cx = size * np.sqrt(3) * (q + r / 2)
    cy = size * 1.5 * r
    centre_lat = np.degrees(2 * np.arctan(np.exp(np.radians(cy))) - np.pi / 2)
    return q.astype(np.int64), r.astype(np.int64), np.stack([cx, centre_lat], axis=1)


def bins_payload(gdf, registry=None, across: int = HEX_ACROSS) -> dict:
    """Hexagonal bins: count, fatalities, dominant faction combination, first and last day."""
    lon = gdf["longitude"].to_numpy(float)
    lat = gdf["latitude"].to_numpy(float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    gdf, lon, lat = gdf[ok], lon[ok], lat[ok]
    span = max(float(np.ptp(lon)) if lon.size else 1.0,
               float(np.ptp(_merc_y(lat))) if lat.size else 1.0, 1e-3)
    size = span / across / np.sqrt(3)
    q, r, centres = hexbins(lon, lat, size)
    key = q * 1_000_003 + r
    cells, inverse = np.unique(key, return_inverse=True)
    inverse = inverse.reshape(-1)
    nb = len(cells)
    count = np.bincount(inverse, minlength=nb)
    fat = np.bincount(inverse, weights=np.clip(_int_column(gdf, "fatalities"), 0, None),
                      minlength=nb).astype(np.int64)
    days = _days(gdf)
    day0 = int(days.min()) if len(days) else 0
    dmin = np.full(nb, np.iinfo(np.int64).max)
    dmax = np.full(nb, np.iinfo(np.int64).min)
    np.minimum.at(dmin, inverse, days)
    np.maximum.at(dmax, inverse, days)
    grp, grp_labels = _table(gdf["factions"])
    factions, groups = _groups(grp_labels, registry)
    pair = inverse * (len(grp_labels) + 1) + grp
    pairs, pair_count = np.unique(pair, return_counts=True)
    order = np.lexsort((-pair_count, pairs // (len(grp_labels) + 1)))
    best = pairs[order]
    bin_of = best // (len(grp_labels) + 1)
    keep = np.r_[True, bin_of[1:] != bin_of[:-1]] if len(best) else np.zeros(0, bool)
    dominant = np.zeros(nb, np.int64)
    dominant[bin_of[keep]] = best[keep] % (len(grp_labels) + 1)
    centre = np.zeros((nb, 2))
    centre[inverse] = centres
    x0, dx, xq = _quantise(centre[:, 0])
    y0, dy, yq = _quantise(centre[:, 1])
    return {
        "mode": "bins", "n": int(nb), "events": int(len(gdf)), "radius": float(size),
        "x0": x0, "dx": dx, "y0": y0, "dy": dy, "day0": day0,
        "x": _pack(xq), "y": _pack(yq), "count": _pack(count), "fat": _pack(fat),
        "grp": _pack(dominant), "dmin": _pack(dmin - day0), "dmax": _pack(dmax - day0),
        "factions": factions, "groups": groups,
    }


def payload(gdf, registry=None, max_points: int = MAX_POINTS) -> dict:
    """Points when there are at most `max_points` events, hexagonal bins above that."""
    if len(gdf) > max_points:
        return bins_payload(gdf, registry)
    return points_payload(gdf, registry)


def js_json(obj) -> str:
    """JSON safe inside an HTML <script>: no `<`, `>`, `&`, line separators or Jinja tags
    (`{{`, `{%`, `{#`: folium compiles rendered elements as templates again)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("{{", "{\\u007b"),
                      ("{%", "{\\u0025"), ("{#", "{\\u0023")):
        text = text.replace(raw, safe)
    return text


# ---------------------------------------------------------------- folium element

def library_js() -> str:
    """The layer's JavaScript (defines window.FrontsFast once per page)."""
    return _JS.read_text(encoding="utf-8")


class FastEvents(Layer):
    """A folium layer drawing `payload(gdf)` on a Leaflet canvas; add it to a Map or a
    FeatureGroup (for ``st_folium(feature_group_to_add=...)``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.library }}
var {{ this.get_name() }} = window.FrontsFast.layer({{ this.data }}, {{ this.js_options }});
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}
""")

    def __init__(self, gdf, registry=None, *, name: str = "Events (fast)",
                 max_points: int = MAX_POINTS, overlay: bool = True, control: bool = True,
                 show: bool = True, radius: float = 3.0, opacity: float = 0.75):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "FastEvents"
        self.payload = payload(gdf, registry, max_points)
        self.data = js_json(self.payload)
        self.js_options = js_json({"radius": float(radius), "opacity": float(opacity)})
        self.library = library_js()

    @property
    def bounds(self) -> list[list[float]] | None:
        """[[south, west], [north, east]] of what is drawn, or None when empty."""
        p = self.payload
        if not p["n"]:
            return None
        xs = np.frombuffer(base64.b64decode(p["x"]["b"]), dtype="<" + p["x"]["t"])
        ys = np.frombuffer(base64.b64decode(p["y"]["b"]), dtype="<" + p["y"]["t"])
        return [[p["y0"] + int(ys.min()) * p["dy"], p["x0"] + int(xs.min()) * p["dx"]],
                [p["y0"] + int(ys.max()) * p["dy"], p["x0"] + int(xs.max()) * p["dx"]]]


def add_fast_layer(m, gdf, registry=None, **options) -> FastEvents:
    """Add a FastEvents layer of `gdf` to a folium Map or FeatureGroup and return it."""
    layer = FastEvents(gdf, registry, **options)
    layer.add_to(m)
    return layer


def fast_map(gdf, registry=None, *, m=None, tiles=None, fit: bool = True,
             **options) -> folium.Map:
    """A map (the app's offline base map unless `m` is given) with a FastEvents layer."""
    if m is None:
        from .mapview import base_map
        m = base_map(tiles, basemap=False)
    layer = add_fast_layer(m, gdf, registry, **options)
    if fit and layer.bounds is not None:
        m.fit_bounds(layer.bounds)
    return m
