"""The fast canvas layer: payload size and round trip, escaping, assets, bins, and a browser."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import folium
import numpy as np
import pytest

from layers.acled import events_from_acled_table
from layers.fastmap import (FastEvents, add_fast_layer, fast_map, js_json, library_js,
                            payload)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EVIL = "</script><img src=x onerror=\"window.pwned=1\">{{'x'}} & `${1}`"


@pytest.fixture(scope="module")
def events_100k(registry):
    from bench.synth_acled import synth_table

    gdf, problems = events_from_acled_table(synth_table(100_000), "synth", registry)
    assert problems == []
    return gdf


@pytest.fixture()
def evil_events(registry):
    from bench.synth_acled import synth_table

    gdf, _ = events_from_acled_table(synth_table(50), "synth", registry)
    gdf = gdf.copy()
    gdf.loc[gdf.index[0], "location"] = EVIL
    gdf.loc[gdf.index[0], "sub_event_type"] = EVIL
    gdf.loc[gdf.index[0], "factions"] = "nusra;<b>bold</b>"
    return gdf


def column(p: dict, name: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(p[name]["b"]), dtype="<" + p[name]["t"])


def test_payload_is_at_most_20_bytes_per_event_at_100k(events_100k, registry):
    n = len(events_100k)
    data = js_json(payload(events_100k, registry))
    html = fast_map(events_100k, registry).get_root().render()
    print(f"payload {len(data) / n:.2f} B/event, whole page {len(html) / n:.2f} B/event")
    assert len(data) / n <= 20
    assert len(html) / n <= 20  # the whole page: Leaflet tags, layer code and styling tables


def test_payload_round_trips_every_field(events_100k, registry):
    gdf = events_100k.iloc[:5000]
    p = payload(gdf, registry)
    assert p["mode"] == "points" and p["n"] == len(gdf)
    lon = p["x0"] + column(p, "x") * p["dx"]
    lat = p["y0"] + column(p, "y") * p["dy"]
    assert np.abs(lon - gdf["longitude"].to_numpy()).max() <= p["dx"] / 2 + 1e-9
    assert np.abs(lat - gdf["latitude"].to_numpy()).max() <= p["dy"] / 2 + 1e-9
    assert p["dx"] < 2.5e-4  # ~20 m or better
    days = (p["day0"] + column(p, "day")).astype("datetime64[D]").astype(str)
    assert list(days) == list(gdf["event_date"])
    kinds = [p["kinds"][k] for k in column(p, "kind")]
    assert [k[0] for k in kinds] == list(gdf["event_type"])
    assert [k[1] for k in kinds] == list(gdf["sub_event_type"])
    assert [k[2] for k in kinds] == list(gdf["time_precision"])
    assert [k[3] for k in kinds] == list(gdf["geo_precision"])
    assert [p["places"][i] for i in column(p, "loc")] == list(gdf["location"])
    assert list(column(p, "fat")) == list(gdf["fatalities"])
    names = [" / ".join(p["factions"][f][0] for f in p["groups"][g]) for g in column(p, "grp")]
    want = [" / ".join(registry.name(f) for f in cell.split(";") if f)
            for cell in gdf["factions"]]
    assert names == want
    first = [p["factions"][p["groups"][g][0]][1] if p["groups"][g] else None
             for g in column(p, "grp")]
    assert all(c is None or re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in first)


def test_names_are_escaped_in_the_page(evil_events, registry):
    data = js_json(payload(evil_events, registry))
    assert json.loads(data)["places"][0] == EVIL  # same text once parsed
    for bad in ("<", ">", "{{"):
        assert bad not in data
    html = fast_map(evil_events, registry).get_root().render()
    assert "<img src=x" not in html and "<b>bold" not in html
    assert "innerHTML" not in library_js() and "insertAdjacentHTML" not in library_js()


def test_page_loads_only_app_static_assets(evil_events, registry):
    html = fast_map(evil_events, registry).get_root().render()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    urls += re.findall(r"url\(([^)]+)\)", html)
    assert urls, "the page should load Leaflet"
    assert all(u.startswith("/app/static/") for u in urls), urls
    layer = add_fast_layer(folium.Map(tiles=None), evil_events, registry)
    assert isinstance(layer, FastEvents)
    script = layer._template.module.script(layer)
    assert not re.search(r"https?://|//[a-z]|src=|import\(", script.replace(layer.data, ""))


def test_many_events_become_hex_bins(events_100k, registry):
    p = payload(events_100k, registry, max_points=50_000)
    assert p["mode"] == "bins" and p["events"] == len(events_100k)
    count = column(p, "count")
    assert count.sum() == len(events_100k) and 100 < p["n"] < 20_000
    assert column(p, "fat").sum() == events_100k["fatalities"].sum()
    assert len(js_json(p)) < 200_000


def test_dominant_faction_of_a_bin(registry):
    from bench.synth_acled import synth_table

    gdf, _ = events_from_acled_table(synth_table(30), "synth", registry)
    gdf = gdf.copy()
    gdf["longitude"], gdf["latitude"] = 36.3, 33.5   # all in one hexagon
    gdf["factions"] = ["is"] * 17 + ["nusra"] * 13
    p = payload(gdf, registry, max_points=10)
    assert p["n"] == 1 and column(p, "count")[0] == 30
    assert p["factions"][p["groups"][column(p, "grp")[0]][0]][0] == "Islamic State"


def test_layer_goes_into_a_feature_group(evil_events, registry):
    m = folium.Map(tiles=None)
    group = folium.FeatureGroup(name="events").add_to(m)
    layer = add_fast_layer(group, evil_events, registry)
    html = m.get_root().render()
    assert f"{layer.get_name()}.addTo({group.get_name()})" in html
    assert html.count("window.FrontsFast = window.FrontsFast ||") == 1


def test_browser_draws_points_and_popup_shows_text_not_html(evil_events, registry, tmp_path):
    pytest.importorskip("playwright")
    from bench._browser import chromium, serve

    page_file = tmp_path / "fast.html"
    fast_map(evil_events, registry).save(str(page_file))
    ARTIFACTS.mkdir(exist_ok=True)
    with serve({"fast.html": page_file}) as base, chromium() as page:
        page.goto(f"{base}/fast.html")
        page.wait_for_selector("canvas.fronts-fast[data-drawn]")
        drawn = int(page.get_attribute("canvas.fronts-fast", "data-drawn"))
        assert drawn == len(evil_events)
        name = next(k for k in re.findall(r"var (fast_events_\w+) =", page.content()))
        x, y, idx = page.evaluate(f"""() => {{
            const l = window.{name}; const s = l._s;
            for (let k = 0; k < l._nvis; k++) if (s.loc[l._vis[k]] === 0)
                return [l._px[k], l._py[k], l._vis[k]];
            return null; }}""")
        page.mouse.click(x, y)
        page.wait_for_selector(".leaflet-popup-content .fronts-fast-event")
        text = page.inner_text(".leaflet-popup-content")
        page.wait_for_timeout(400)  # let the popup fade in before the screenshot
        page.screenshot(path=str(ARTIFACTS / "fastmap_popup.png"))
        assert EVIL.split("{{")[0] in text and "<b>bold</b>" in text
        assert page.query_selector(".leaflet-popup-content img") is None
        assert page.query_selector(".leaflet-popup-content b:text('bold')") is None
        assert page.evaluate("() => window.pwned") is None
        assert page.blocked == [] and page.errors == []
