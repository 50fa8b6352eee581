"""Tests of layers.mapview: escaping, colours, sizes, outlines, offline assets, legend."""
from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers import mapview
from layers.factions import Faction, FactionRegistry

DATA = Path(__file__).parent / "data" / "mapview_events.csv"
HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"quoted" & \'single\'',
           "${alert(2)}", "`backtick`", "back\\slash"]


def fixture_events(path=DATA) -> gpd.GeoDataFrame:
    """The catalog columns of docs/architecture.md, read from a small CSV owned by these tests."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("time_precision", "geo_precision", "fatalities"):
        df[col] = df[col].astype("int64")
    for col in ("latitude", "longitude"):
        df[col] = df[col].astype(float)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs="EPSG:4326")


@pytest.fixture(scope="module")
def events():
    return fixture_events()


def _row(events, event_id):
    return next(r for r in mapview._rows(events) if r["event_id"] == event_id)


def _no_raw_markup(text: str) -> None:
    for bad in ("<script", "<img", "onerror=alert(1)>", "${", "`"):
        assert bad not in text, bad


@pytest.mark.parametrize("value", HOSTILE)
def test_esc_neutralises_html_and_template_literal_syntax(value):
    """Markup and JS template-literal syntax never survive esc()."""
    out = mapview.esc(value)
    _no_raw_markup(out)
    assert "\\" not in out and '"' not in out and "'" not in out


def test_esc_of_missing_values_is_empty():
    assert mapview.esc(None) == "" and mapview.esc(float("nan")) == ""


def test_popup_has_every_field_escaped(events, registry):
    """The popup shows date + precision, type, actors, fatalities, place + precision, notes,
    quote and sources, and no hostile string reaches it unescaped."""
    row = _row(events, "T004")
    html = mapview.popup_html(row, registry)
    _no_raw_markup(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&quot;quotes&quot;" in html and "&#x27;single&#x27;" in html
    assert "&#36;{alert(2)}" in html and "&#96;tick&#96;" in html
    assert "2016-01-29 (day)" in html
    assert "Battles" in html and "Armed clash" in html
    assert "Islamic State vs Jabhat al-Nusra" in html
    assert "Fatalities: 25" in html
    assert "Arsal, Baalbek-Hermel, LB (near the place (approximate))" in html
    assert "Clashes &lt;resumed&gt; &amp; more" in html
    assert "ISIS-Nusra Clashes Resume Along Lebanese Border" in html


def test_popup_lists_each_source_and_quote_and_date_range(events, registry):
    row = _row(events, "T003")
    html = mapview.popup_html(row, registry)
    assert html.count("<li>") == 2
    assert html.count("<blockquote>") == 2
    assert "2014-12-01 – 2014-12-31 (month or coarser)" in html
    assert "region (representative point)" in html
    assert "&lt;b&gt;bold&lt;/b&gt; ally" in html and "<b>bold</b>" not in html
    _no_raw_markup(html)


def test_tooltip_escaped():
    tip = mapview.tooltip_text({"event_date": "2014-01-01", "event_type": "<script>x</script>",
                                "location": "`${x}`"})
    _no_raw_markup(tip)
    assert "&lt;script&gt;" in tip


def test_colour_is_registry_colour_of_first_known_faction(registry):
    assert mapview.event_colour("nusra;is", registry) == registry.colour("nusra")
    assert mapview.event_colour("is;nusra", registry) == registry.colour("is")
    assert mapview.event_colour("unknown;fsa", registry) == registry.colour("fsa")
    assert mapview.event_colour("unknown", registry) == mapview.DEFAULT_COLOUR
    assert mapview.event_colour("", registry) == mapview.DEFAULT_COLOUR


def test_hostile_registry_colour_and_name_never_reach_markup():
    reg = FactionRegistry([Faction("x", "<script>evil()</script>", (), "rebel", "",
                                   "red;background:url(http://evil)")])
    assert mapview.event_colour("x", reg) == mapview.DEFAULT_COLOUR
    html = mapview.legend_html([(reg.name("x"), reg.colour("x"))])
    assert "<script>" not in html and "evil" in html and "http://evil" not in html


def test_marker_radius_grows_with_fatalities_and_is_capped():
    sizes = [mapview.marker_radius(n) for n in (0, 1, 5, 25, 100, 10_000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes) - 1
    assert sizes[0] == 6.0 and sizes[-1] == 24.0
    assert mapview.marker_radius(None) == 6.0 and mapview.marker_radius("x") == 6.0


def test_rendered_map_has_one_marker_per_event_sized_by_fatalities(events, registry):
    html = mapview.build_map(events, registry, tiles=None).get_root().render()
    ids = re.findall(r'data-event-id=\\"(T\d+)\\"', html)
    assert sorted(set(ids)) == sorted(events.event_id)
    # T004 (25 deaths) has a bigger marker than T002 (0 deaths)
    def width(eid):
        return int(re.search(rf'data-event-id=\\"{eid}\\" style=\\"width:(\d+)px', html).group(1))
    assert width("T004") > width("T001") > width("T002")
    assert "L.markerClusterGroup" in html


def test_region_events_are_drawn_as_outline_and_distinct_marker(events, registry):
    layer = mapview.events_layer(events, registry)
    geojsons = [c for c in layer._children.values() if isinstance(c, mapview.folium.GeoJson)]
    assert len(geojsons) == 1  # only T003 is geo_precision 3 with an outline
    assert geojsons[0].data["features"][0]["geometry"]["type"] == "Polygon"
    html = mapview.build_map(events, registry, tiles=None).get_root().render()
    assert html.count("fronts-marker fronts-region") == 1


def test_bad_or_missing_outline_is_ignored_not_fatal(events, registry):
    broken = events.copy()
    broken.loc[broken.event_id == "T003", "outline"] = "POLYGON ((not wkt"
    layer = mapview.events_layer(broken, registry)
    assert not [c for c in layer._children.values() if isinstance(c, mapview.folium.GeoJson)]
    assert mapview.event_bounds(broken) is not None


def test_bounds_cover_points_and_outlines(events):
    (south, west), (north, east) = mapview.event_bounds(events)
    assert south == pytest.approx(33.7) and north == pytest.approx(35.336)
    assert west == pytest.approx(36.3) and east == pytest.approx(40.145)
    assert mapview.event_bounds(events.iloc[0:0]) is None


def test_fit_bounds_follows_the_filtered_events(events, registry):
    html = mapview.build_map(events[events.country == "LB"], registry, tiles=None).get_root().render()
    assert re.search(r"\.fitBounds\(\[\[34\.179, 36\.421\], \[34\.179, 36\.421\]\]", html)


def test_offline_assets_exist_and_map_has_no_remote_url_but_tiles(events, registry):
    """Every JS/CSS file is vendored under static/; the only http(s) URL is the tile template."""
    for path in mapview.asset_paths():
        assert path.is_file() and path.stat().st_size > 300, path
    tiles = "https://tile.example.org/{z}/{x}/{y}.png"
    html = mapview.build_map(events, registry, tiles=tiles).get_root().render()
    urls = set(re.findall(r"https?://[^\s\"'<>)\\]+", html))
    assert urls == {tiles}, urls
    for _, url in sum(mapview.offline_assets().values(), []):
        assert url.startswith("/app/static/vendor/") and url in html
    none = mapview.build_map(events, registry, tiles=None).get_root().render()
    assert not re.findall(r"https?://", none)
    assert "cdn" not in none.lower() and "glyphicon" not in none and "bootstrap" not in none


def test_tiles_from_env():
    assert mapview.tiles_from_env({}) == mapview.settings.TILE_URL
    assert mapview.tiles_from_env({"FRONTS_TILES": "none"}) is None
    assert mapview.tiles_from_env({"FRONTS_TILES": "osm"}) == mapview.settings.TILE_URL
    assert mapview.tiles_from_env({"FRONTS_TILES": "http://127.0.0.1/{z}/{x}/{y}.png"}) \
        == "http://127.0.0.1/{z}/{x}/{y}.png"


def test_basemap_layers_are_bundled_and_labels_escaped(tmp_path):
    regions = tmp_path / "regions.geojson"
    regions.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                       '{"name":"<img src=x onerror=alert(1)>"},"geometry":{"type":"Polygon",'
                       '"coordinates":[[[36,34],[37,34],[37,35],[36,34]]]}}]}')
    layers = mapview.basemap_layers(regions)
    assert [layer.layer_name for layer in layers] == ["Countries", "Governorates", "Regions (approximate)"]
    html = mapview.base_map(None, regions_path=regions).get_root().render()
    assert "Syria" in html and "Lebanon" in html and "Rif Dimashq" in html
    assert "<img" not in html and "\\u0026lt;img src=x" in html  # escaped, then JSON-encoded


def test_legend_lists_primary_factions_in_registry_order(events, registry):
    entries = mapview.legend_entries(events, registry)
    assert entries == [(registry.name(f), registry.colour(f))
                       for f in registry.ids if f in {"nusra", "is", "lebanese_army"}]


def test_map_sets_max_zoom_itself_so_clusters_work_without_tiles():
    """Leaflet.markercluster throws 'Map has no maxZoom specified' when only tiles carry it."""
    html = mapview.base_map(None).get_root().render()
    assert '"maxZoom": 18' in html


def test_big_sets_use_the_canvas_layer_with_a_fit(events, registry):
    """Above the threshold the layer is fastmap's canvas layer, still offline and fitted."""
    from layers.fastmap import FastEvents

    small = mapview.map_layer(events, registry, fast_above=len(events))
    assert not any(isinstance(c, FastEvents) for c in small._children.values())
    big = mapview.map_layer(events, registry, fast_above=2)
    kinds = [type(c) for c in big._children.values()]
    assert FastEvents in kinds and mapview.FitBounds in kinds
    m = mapview.base_map(None)
    big.add_to(m)
    html = m.get_root().render()
    assert not re.findall(r"https?://", html)
    assert "window.FrontsFast" in html and ".fitBounds([[33.95, 36.421], [35.336, 40.145]]" in html


def _with_origins(events):
    """T001 curated, T002 extracted (confidence 0.8), T004 ACLED; the rest curated."""
    mixed = events.copy()
    mixed["confidence"] = float("nan")
    mixed.loc[mixed.event_id == "T002", ["origin", "confidence"]] = ["extracted", 0.8]
    mixed.loc[mixed.event_id == "T004", "origin"] = "acled"
    return mixed


def test_markers_are_told_apart_by_origin(events, registry):
    """Curated: filled circle; extracted: hollow dashed ring; ACLED: small muted square."""
    html = mapview.build_map(_with_origins(events), registry, tiles=None).get_root().render()

    def marker(eid):
        return re.search(rf'div class=\\"([^"\\]+)\\" data-event-id=\\"{eid}\\" '
                         rf'style=\\"([^"\\]+)\\"', html).groups()
    cls1, style1 = marker("T001")
    cls2, style2 = marker("T002")
    cls4, style4 = marker("T004")
    assert "fronts-curated" in cls1 and "border-radius:50%" in style1 and "dashed" not in style1
    assert "fronts-extracted" in cls2 and "dashed" in style2 and "rgba(255,255,255" in style2
    assert "fronts-acled" in cls4 and "border-radius" not in style4 and "width:8px" in style4


def test_popup_and_tooltip_say_machine_extracted_with_confidence(events, registry):
    mixed = _with_origins(events)
    row = _row(mixed, "T002")
    assert mapview.origin_text(row) == "machine-extracted, confidence 0.8"
    assert "machine-extracted, confidence 0.8" in mapview.popup_html(row, registry)
    assert mapview.tooltip_text(row).endswith("machine-extracted, confidence 0.8")
    curated = _row(mixed, "T001")
    assert "hand-coded" in mapview.popup_html(curated, registry)
    assert "hand-coded" not in mapview.tooltip_text(curated)  # the default stays terse
    assert mapview.origin_text({"origin": "<b>x</b>"}) == "<b>x</b>"
    assert "<b>x" not in mapview.popup_html({"origin": "<b>x</b>"})


def test_legend_explains_the_origins_shown():
    html = mapview.legend_html([("Jabhat al-Nusra", "#123456")], origins=("curated", "extracted"))
    assert 'data-origin="curated"' in html and 'data-origin="extracted"' in html
    assert "machine-extracted" in html and "ACLED" not in html
    assert "Origin" not in mapview.legend_html([("A", "#123456")])
    page = mapview.base_map(None, legend=[("A", "#123456")], origins=("acled",)).get_root().render()
    assert "ACLED (small, muted)" in page


def test_big_mixed_sets_draw_acled_on_canvas_and_article_events_as_markers(events, registry):
    """With many ACLED events, the curated and extracted ones stay individual markers."""
    from layers.fastmap import FastEvents

    mixed = _with_origins(events)
    big = pd.concat([mixed] + [mixed[mixed.origin == "acled"]] * 5, ignore_index=True)
    layer = mapview.map_layer(big, registry, fast_above=4)
    fast = [c for c in layer._children.values() if isinstance(c, FastEvents)]
    assert len(fast) == 1 and fast[0].payload["n"] == 6  # only the ACLED events
    assert fast[0].js_options == '{"radius":2.5,"opacity":0.6}'  # muted
    m = mapview.base_map(None)
    layer.add_to(m)
    html = m.get_root().render()
    ids = set(re.findall(r'data-event-id=\\"(T\d+)\\"', html))
    assert ids == {"T001", "T002", "T003", "T005"}
    assert "L.markerClusterGroup" in html and "window.FrontsFast" in html
    # too many article events for markers: everything goes to the canvas, unmuted
    layer = mapview.map_layer(big, registry, fast_above=1)
    fast = [c for c in layer._children.values() if isinstance(c, FastEvents)]
    assert fast[0].payload["n"] == len(big) and fast[0].js_options == '{"radius":3.0,"opacity":0.75}'
