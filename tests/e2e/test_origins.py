"""Origins in chromium: curated and machine-extracted markers look different (and say so), and
an article added through the sidebar form shows its extracted events on the map.

The app runs on a private copy of tests/e2e/seeds (the form writes into it), offline.
"""
from __future__ import annotations

import re
import shutil

import pytest

from bench._app import map_frame, shown_count, wait_markers
from layers.filters import filter_events
from layers.sources import load_layers
from tests.e2e.conftest import ARTIFACTS, SEEDS, start_app, stop_app

ARTICLE = ("DEIR EZ-ZOR -- Islamic State fighters stormed army positions in Deir ez-Zor on "
           "Monday, killing at least nine soldiers, activists said.\n")
STYLE_JS = """sel => Array.from(document.querySelectorAll(sel)).map(e => {
    const s = getComputedStyle(e);
    return {id: e.dataset.eventId, origin: e.dataset.origin, radius: s.borderTopLeftRadius,
            border: s.borderTopStyle, background: s.backgroundColor};
})"""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return shutil.copytree(SEEDS, tmp_path_factory.mktemp("origins") / "seeds")


@pytest.fixture(scope="module")
def origins_url(seeds):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc, url = start_app(env_extra={"FRONTS_SEEDS": str(seeds)})
    yield url
    stop_app(proc)


def shot(page, name):
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def spread(frame):
    """Zoom the map in far enough that no two events share a cluster, then wait."""
    frame.evaluate("""() => {
        const m = Object.values(window).find(v => v && v._container && v.getZoom && v.setView);
        m.setZoom(13, {animate: false});
    }""")
    frame.wait_for_timeout(600)


def test_curated_and_extracted_markers_are_told_apart(page, origins_url, seeds):
    gdf, _ = load_layers(seeds, origins=["curated", "extracted"])
    assert set(gdf.origin) == {"curated", "extracted"}
    december = filter_events(gdf, "2014-12-01", "2014-12-31")
    assert set(december.origin) == {"curated", "extracted"}
    page.goto(f"{origins_url}/?start=2014-12-01&end=2014-12-31&origin=curated&origin=extracted")
    n = shown_count(page, len(december))
    frame = map_frame(page)
    wait_markers(frame, n)
    legend = frame.locator(".fronts-legend").inner_text()
    assert "hand-coded (curated)" in legend and "machine-extracted" in legend
    shot(page, "e2e_origins_december")
    # Deir ez-Zor holds a hand-coded and an extracted clash at one point: zoom in all the
    # way and open the cluster (spiderfy), so both markers are drawn side by side
    frame.evaluate("""() => {
        const m = Object.values(window).find(v => v && v._container && v.getZoom && v.setView);
        m.setView([35.3359, 40.1408], 18, {animate: false});
    }""")
    frame.wait_for_timeout(800)
    frame.locator(".marker-cluster").first.click()
    frame.wait_for_timeout(800)
    styles = frame.evaluate(STYLE_JS, ".fronts-marker")
    by_origin = {s["origin"]: s for s in styles}
    assert {"curated", "extracted"} <= set(by_origin), styles
    cur, ext = by_origin["curated"], by_origin["extracted"]
    assert cur["border"] == "solid" and ext["border"] == "dashed"
    assert re.match(r"rgba\(255, 255, 255, 0\.5", ext["background"])  # a hollow ring
    assert not cur["background"].startswith("rgba(255, 255, 255")  # a filled disc
    shot(page, "e2e_origins_deir")
    # the extracted marker's tooltip and popup say what it is
    ring = frame.locator('.fronts-marker[data-origin="extracted"]').first
    ring.hover()
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(state="visible")
    assert re.search(r"machine-extracted, confidence 0?\.\d+", tip.inner_text())
    ring.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert "machine-extracted, confidence" in popup.inner_text()
    shot(page, "e2e_origins_popup")


def test_added_article_shows_its_extracted_events(page, origins_url, seeds, tmp_path):
    page.goto(origins_url)
    before = shown_count(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add an article").click()
    path = tmp_path / "wire.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    sidebar.locator('input[type="file"]').set_input_files(str(path))
    sidebar.get_by_label("Outlet").fill("Fixture Wire")
    sidebar.get_by_label("Title").fill("IS storms army posts")
    for part, value in (("year", "2015"), ("month", "03"), ("day", "16")):
        field = sidebar.get_by_role("spinbutton", name=f"{part}, Published")
        field.click()
        field.type(value)
    sidebar.get_by_label("Title").click()
    shot(page, "e2e_add_article_form")
    sidebar.get_by_role("button", name="Add article").click()
    page.get_by_text(re.compile(r"Added article fixture_wire_2015_03_16")).wait_for(
        timeout=60_000)
    msg = page.get_by_text(re.compile(r"Added article fixture_wire_2015_03_16")).inner_text()
    added = int(re.search(r"(\d+) machine-extracted", msg).group(1))
    assert added >= 1
    gdf, _ = load_layers(seeds, origins=["curated", "extracted"])
    mine = gdf[gdf.article_ids.str.contains("fixture_wire_2015_03_16")]
    assert len(mine) == added
    n = shown_count(page, len(gdf))
    assert n == len(gdf) > before
    frame = map_frame(page)
    wait_markers(frame, n)
    assert sidebar.locator("[data-testid=stFileUploaderFile]").count() == 0  # form reset
    shot(page, "e2e_added_article")
    # a shared link to that article's events shows them, as extracted rings
    page.goto(f"{origins_url}/?origin=extracted&article=fixture_wire_2015_03_16")
    assert shown_count(page) == added
    frame = map_frame(page)
    wait_markers(frame, added)
    spread(frame)
    ids = {s["id"] for s in frame.evaluate(STYLE_JS, '.fronts-marker[data-origin="extracted"]')}
    assert ids and ids <= set(mine.event_id)
    shot(page, "e2e_added_article_only")
