"""Every HTML-producing function of layers.mapview (and the fast canvas layer) escapes the
hostile strings of tests/data/hostile/hostile.json: no tag, attribute or script they carry
survives, and once the HTML is parsed the reader sees each string literally."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers import fastmap, mapview
from layers.factions import Faction, FactionRegistry

HOSTILE_JSON = Path(__file__).parent / "data" / "hostile" / "hostile.json"


def load_hostile() -> list[dict]:
    """The hostile strings: [{"name", "text", "in_article"}]."""
    return json.loads(HOSTILE_JSON.read_text(encoding="utf-8"))["strings"]


HOSTILE = load_hostile()
IDS = [h["name"] for h in HOSTILE]
#: What a payload that survived escaping would look like in markup.


class Parsed(HTMLParser):
    """Tags, attributes and text of an HTML fragment, as a browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((k, v or "") for k, v in attrs)

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def registry_with(name: str) -> FactionRegistry:
    """A registry whose faction `evil` has the hostile display name."""
    return FactionRegistry([Faction("evil", name, ("Evil Alias",), "jihadist", "", "#123456"),
                            Faction("nusra", "Jabhat al-Nusra", ("Nusra",), "jihadist", "",
                                    "#E69F00")])


def hostile_row(text: str) -> dict:
    """A catalog row whose every text field holds the hostile string."""
    return {"event_id": text, "event_date": "2014-12-16", "date_start": "2014-12-16",
            "date_end": "2014-12-16", "time_precision": 1, "event_type": text,
            "sub_event_type": text, "actor1": text, "actor2": text, "assoc_actors": text,
            "factions": "evil", "location": text, "admin1": text, "country": text,
            "latitude": 34.1, "longitude": 36.4, "geo_precision": 1, "fatalities": 3,
            "article_ids": "a", "sources": text, "notes": text, "quote": text,
            "place_source": text, "origin": "curated", "outline": ""}


def parts(text: str, sep: str) -> list[str]:
    return [p.strip() for p in text.split(sep) if p.strip()]


def assert_inert(html: str, allowed_tags: set[str]) -> Parsed:
    """Only the template's own tags, no event-handler attribute, no javascript: URL."""
    parsed = Parsed(html)
    assert set(parsed.tags) <= allowed_tags, set(parsed.tags) - allowed_tags
    assert not [k for k, _ in parsed.attrs if k.lower().startswith("on")]
    assert not [v for k, v in parsed.attrs if k in ("href", "src")]
    return parsed


def assert_template_literal_safe(html: str) -> None:
    """folium puts popups and tooltips in JS template literals: nothing may end one or
    interpolate (backtick, ${, backslash escapes)."""
    assert "`" not in html and "${" not in html and "\\" not in html


POPUP_TAGS = {"div", "b", "br", "p", "blockquote", "ul", "li", "small", "span", "i"}


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_popup_shows_every_field_literally(h):
    text = h["text"]
    html = mapview.popup_html(hostile_row(text), registry_with(text))
    parsed = assert_inert(html, POPUP_TAGS)
    assert_template_literal_safe(html)
    shown = parsed.text
    assert shown.count(text) >= 5  # notes, event type, sub-type, actor1, actor2 at least
    assert dict(parsed.attrs)["data-event-id"] == text
    for piece in parts(text, "||") + parts(text, "|") + parts(text, ";"):
        assert piece in shown  # quotes, sources and assoc actors are split on their separators


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_tooltip_and_dates_and_places_are_literal(h):
    text = h["text"]
    row = hostile_row(text)
    tip = mapview.tooltip_text(row)
    assert_template_literal_safe(tip)
    assert Parsed(tip).tags == []
    assert Parsed(tip).text == f"2014-12-16 · {text} · {text}"
    row.update(date_start=text, date_end=text + "x", time_precision=text, geo_precision=text)
    html = mapview.popup_html(row, None)
    assert_inert(html, POPUP_TAGS)
    assert f"{text} – {text}x" in Parsed(html).text


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_legend_shows_names_literally_and_refuses_hostile_colours(h):
    text = h["text"]
    html = mapview.legend_html([(text, text), ("Jabhat al-Nusra", "#E69F00")])
    parsed = assert_inert(html, {"details", "summary", "b", "div", "span"})
    assert text in parsed.text
    styles = [v for k, v in parsed.attrs if k == "style"]
    assert all(text not in s for s in styles)
    assert sum("background:#777777" in s for s in styles) == 1  # the hostile colour fell back


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_region_labels_are_escaped_before_the_tooltip_sees_them(h):
    text = h["text"]
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": text},
        "geometry": {"type": "Polygon", "coordinates": [[[36, 34], [37, 34], [37, 35], [36, 34]]]}}]}
    label = mapview._labelled(json.dumps(doc))["features"][0]["properties"]["label"]
    assert Parsed(label).tags == [] and Parsed(label).text == text
    assert_template_literal_safe(label)


@pytest.fixture(scope="module")
def hostile_frame() -> gpd.GeoDataFrame:
    """One event per hostile string, at distinct points, every text field hostile."""
    rows = []
    for i, h in enumerate(HOSTILE):
        row = hostile_row(h["text"])
        row.update(event_id=f"ev{i}<b>{i}</b>", latitude=33.0 + 0.2 * i, longitude=36.0 + 0.2 * i,
                   factions="evil;nusra")
        rows.append(row)
    df = pd.DataFrame(rows)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.longitude, df.latitude),
                            crs="EPSG:4326")


#: Fragments of the payloads that a rendered page may never hold (folium's own markup has none).
FORBIDDEN = ("<script>window", "<img", "<svg", "<iframe", "<style>*", "<a href",
             '" onmouseover="', "' onfocus='", "\\u003cimg", "\\u003cscript", "\\u003csvg")


def assert_page_holds_no_payload(page: str, *, json_only: bool = False) -> None:
    """No hostile string appears raw in a rendered page, nor any piece of a payload.

    With `json_only` the strings sit in JSON inside a script and are shown as DOM text (the
    canvas layer): there only '<', '>' and Jinja/template syntax must not appear raw.
    """
    unsafe = "<>`{" if json_only else "<>\"'`{"
    for h in HOSTILE:
        if any(c in h["text"] for c in unsafe):
            assert h["text"] not in page, h["name"]
    low = page.lower()
    forbidden = [f for f in FORBIDDEN if f.startswith("<")] if json_only else FORBIDDEN
    assert [f for f in forbidden if f in low] == []


def test_rendered_map_page_holds_every_string_inert(hostile_frame):
    """The whole standalone map (markers, popups, tooltips, legend) as the browser gets it."""
    registry = registry_with(HOSTILE[0]["text"])
    page = mapview.build_map(hostile_frame, registry, tiles=None).get_root().render()
    assert_page_holds_no_payload(page)
    assert page.count("fronts-marker") >= len(HOSTILE)
    # every script block still ends where folium ended it: payloads did not open new ones
    assert len(re.findall(r"<script\b", page, flags=re.I)) == len(re.findall(r"</script>", page,
                                                                               flags=re.I))


def test_layer_sent_to_streamlit_holds_every_string_inert(hostile_frame):
    """The FeatureGroup app.py sends through st_folium (small and big catalogs)."""
    registry = registry_with(HOSTILE[1]["text"])
    for fast_above in (mapview.FAST_ABOVE, 1):
        m = mapview.base_map(None, legend=mapview.legend_entries(hostile_frame, registry))
        mapview.map_layer(hostile_frame, registry, fast_above=fast_above).add_to(m)
        page = m.get_root().render()
        assert_page_holds_no_payload(page, json_only=fast_above == 1)
        assert "jinjaran" not in page


def test_fast_layer_payload_is_json_that_cannot_close_its_script(hostile_frame):
    """The canvas layer embeds names as JSON inside <script>: '<' and '>' must be escaped and
    the parsed payload must give back every string unchanged."""
    registry = registry_with(HOSTILE[0]["text"])
    data = fastmap.js_json(fastmap.payload(hostile_frame, registry))
    assert "<" not in data and ">" not in data and "\u2028" not in data
    assert not re.search(r"\{[{%#]", data)
    places = json.loads(data)["places"]
    assert sorted(places) == sorted({h["text"] for h in HOSTILE})


def test_jinja_tags_in_data_are_not_evaluated_by_folium():
    """folium compiles a rendered popup as a Jinja template once more: data holding '{{ }}',
    '{% %}' or '{#' must be shown, not evaluated on the server (nor break the page)."""
    text = "{{ 'jinja' ~ 'ran' }} {% for x in 'abc' %}{{ x ~ 'q' }}{% endfor %} {# unclosed"
    frame = gpd.GeoDataFrame(pd.DataFrame([{**hostile_row(text), "event_id": "e1"}]),
                             geometry=gpd.points_from_xy([36.4], [34.1]), crs="EPSG:4326")
    page = mapview.build_map(frame, registry_with(text), tiles=None).get_root().render()
    assert "jinjaran" not in page and "aqbqcq" not in page
    shown = Parsed(mapview.popup_html(hostile_row(text), None)).text
    assert text in shown
