"""The app in Debian's chromium, fully offline: markers render, filters change count and
markers, popups show escaped text, the GeoJSON download matches the count, URLs restore filters.

The app runs on tests/e2e/seeds (a small catalog with hostile markup in notes, quotes and
article metadata) with FRONTS_TILES=none, so not a single request may leave loopback.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from bench._app import map_frame, open_app, shown_count, wait_markers
from layers.catalog import load_events
from layers.filters import filter_events
from tests.e2e.conftest import ARTIFACTS, SEEDS


@pytest.fixture(scope="module")
def catalog():
    gdf, _ = load_events(strict=False, seeds_dir=SEEDS)
    return gdf


def shown_dates(page, timeout_ms: int = 30_000) -> list[str]:
    """The date range the sidebar widget shows (its text is split over several elements).

    Waits until the widget has rendered its dates: on a loaded machine the sidebar can still
    be a skeleton when the count is already visible.
    """
    widget = page.locator('[data-testid="stDateInput"]').first
    widget.wait_for(state="visible", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        found = re.findall(r"\d{4}-\d{2}-\d{2}", re.sub(r"\s+", "", widget.inner_text()))
        if found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def shot(page, name: str) -> None:
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_map_renders_every_marker_offline(page, app_url, catalog):
    n = open_app(page, app_url)
    assert n == len(catalog) == 6  # tests/e2e/seeds: 7 rows, one bad
    frame = map_frame(page)
    assert wait_markers(frame, n) == n
    # the bundled basemap is drawn (country borders, governorates) with no tile layer
    assert frame.locator("path.leaflet-interactive").count() >= 20
    assert frame.locator(".leaflet-tile").count() == 0
    assert "Jabhat al-Nusra" in frame.locator(".fronts-legend").inner_text()
    shot(page, "e2e_default")
    assert list(page.blocked) == []


def test_narrowing_dates_by_url_changes_count_and_markers(page, app_url, catalog):
    full = open_app(page, app_url)
    frame = map_frame(page)
    wait_markers(frame, full)
    expected = len(filter_events(catalog, "2014-12-01", "2014-12-31"))
    assert 0 < expected < full
    assert open_app(page, app_url, "?start=2014-12-01&end=2014-12-31") == expected
    frame = map_frame(page)
    assert wait_markers(frame, expected) == expected
    assert shown_dates(page) == ["2014-12-01", "2014-12-31"]
    shot(page, "e2e_december_2014")


def test_widget_change_updates_markers_and_url_without_remounting_the_map(page, app_url, catalog):
    full = open_app(page, app_url)
    frame = map_frame(page)
    wait_markers(frame, full)
    frame.evaluate("() => { window.__mounted_once = true; }")
    box = page.get_by_label("Search summaries, quotes, places, actors")
    box.fill("Qalamoun")
    box.press("Enter")
    expected = len(filter_events(catalog, text="Qalamoun"))
    assert 0 < expected < full
    assert shown_count(page, expected) == expected
    assert wait_markers(frame, expected) == expected
    # same iframe document: the map was updated in place, not rebuilt (no blink)
    assert frame.evaluate("() => window.__mounted_once === true")
    page.wait_for_function("() => location.search.includes('q=Qalamoun')")


def test_popup_shows_hostile_text_escaped(page, app_url):
    assert open_app(page, app_url, "?q=banner") == 1
    frame = map_frame(page)
    wait_markers(frame, 1)
    frame.locator(".fronts-marker").first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=3">' in text
    assert "${window.__pwned=4}" in text and "`tick`" in text
    assert 'Hostile <b>Press</b> & Co, "Banner <script>alert(1)</script> in Arsal" (2015-03-10)' in text
    assert popup.locator("script, img").count() == 0
    assert popup.locator("b", has_text="Press").count() == 0
    assert frame.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__pwned") is None
    shot(page, "e2e_popup")


def test_geojson_download_has_the_on_screen_count(page, app_url, catalog):
    n = open_app(page, app_url, "?start=2014-08-03&end=2014-12-31")
    assert n == len(filter_events(catalog, "2014-08-03", "2014-12-31"))
    with page.expect_download() as info:
        page.get_by_text(re.compile(r"^Download GeoJSON")).first.click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == n
    ids = sorted(f["properties"]["event_id"] for f in data["features"])
    assert ids == sorted(filter_events(catalog, "2014-08-03", "2014-12-31").event_id)


def test_url_with_filters_restores_them(page, app_url, catalog):
    n = open_app(page, app_url, "?faction=is&type=Battles&start=2014-08-01")
    assert n == len(filter_events(catalog, "2014-08-01", None, ["is"], ["Battles"]))
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Islamic State").first.wait_for()
    sidebar.get_by_text("Battles").first.wait_for()
    assert shown_dates(page)[0] == "2014-08-01"
    frame = map_frame(page)
    assert wait_markers(frame, n) == n
    assert "faction=is" in page.url and "type=Battles" in page.url
    shot(page, "e2e_url_filters")


def test_bad_url_values_show_a_notice(page, app_url, catalog):
    n = open_app(page, app_url, "?start=yesterday&faction=nobody")
    assert n == len(catalog)
    page.get_by_text(re.compile("Link parameter ignored: start")).first.wait_for()
    page.get_by_text(re.compile("unknown value 'nobody'")).first.wait_for()
