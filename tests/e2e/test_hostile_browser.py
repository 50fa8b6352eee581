"""Hostile text in a real browser: the app runs on seeds where every string of
tests/data/hostile/hostile.json is an event's summary, quote, actor/faction and place name, and
the article's title, outlet and author hold more. No script runs (a dialog handler and the
window.__pwned flag every payload would set, checked in every frame), popups, tooltips,
tables, the legend and notices show the text literally, and the page still works."""
from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import expect

from bench._app import MARKERS_JS, map_frame, open_app, shown_count
from layers.catalog import load_events
from layers.filters import filter_events
from tests.e2e.conftest import ARTIFACTS, block_outside, start_app, stop_app
from tests.e2e.hostile_seeds import hostile, write


def norm(text: str) -> str:
    """What a reader sees: whitespace runs as one space; NUL is dropped by every HTML parser."""
    return " ".join(text.replace("\x00", "").split())


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """One `streamlit run app.py` on the hostile seeds: (url, expected events, catalog)."""
    seeds = tmp_path_factory.mktemp("hostile") / "seeds"
    expected = write(seeds)
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert problems == [] and len(gdf) == len(expected)  # every hostile row is valid data
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc, url = start_app(env_extra={"FRONTS_SEEDS": str(seeds)})
    yield url, expected, gdf
    stop_app(proc)


@pytest.fixture
def page(browser):
    """A wide page (so the tables show the actor columns) that records dialogs; afterwards no
    dialog opened, no frame has window.__pwned, and nothing left loopback."""
    context = browser.new_context(viewport={"width": 3200, "height": 1400})
    context.set_default_timeout(60_000)
    blocked = block_outside(context)
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    flags = [f.evaluate("() => [window.__pwned, window.top.__pwned]") for f in pg.frames]
    context.close()
    assert pg.dialogs == [], pg.dialogs
    assert all(v == [None, None] for v in flags), flags
    assert list(blocked) == []


def drawn(page, want: int, timeout_s: float = 60) -> int | None:
    """Events on the map (single markers plus cluster counts), polled until `want` (the iframe
    may be replaced while the page reruns, so it is looked up again on every poll)."""
    n = None
    for _ in range(int(timeout_s * 4)):
        try:
            n = map_frame(page).evaluate(MARKERS_JS)
        except Exception:  # noqa: BLE001 - a frame detached mid-poll: look again
            n = None
        if n == want:
            break
        page.wait_for_timeout(250)
    return n


def test_popups_and_tooltips_show_every_string_literally(page, hostile_app):
    url, expected, _ = hostile_app
    assert open_app(page, url) == len(expected)
    frame = map_frame(page)
    frame.wait_for_function("n => document.querySelectorAll('.fronts-marker').length === n",
                            arg=len(expected), timeout=60_000)
    by_id = {e["event_id"]: e for e in expected}
    seen = set()
    for marker in frame.locator(".fronts-marker").all():
        event_id = marker.get_attribute("data-event-id")
        event = by_id[event_id]
        marker.dispatch_event("click")
        popup = frame.locator(f'.leaflet-popup-content .fronts-popup[data-event-id="{event_id}"]')
        popup.wait_for(state="attached")
        shown = norm(popup.inner_text())
        for field in ("notes", "quote", "actor1", "location"):
            assert norm(event[field]) in shown, (event["name"], field)
        assert norm(hostile()[0]["text"]) in shown  # the article title, in the sources
        assert popup.locator("script, img, svg, iframe, style, a").count() == 0
        marker.dispatch_event("mouseover")
        tip = frame.locator(".leaflet-tooltip").last
        tip.wait_for(state="visible")
        assert norm(tip.inner_text()) == norm(
            f"{event['event_date']} · Battles · {event['location']}"), event["name"]
        marker.dispatch_event("mouseout")
        seen.add(event_id)
    assert seen == set(by_id)
    page.screenshot(path=str(ARTIFACTS / "e2e_hostile_popup.png"))


def test_legend_and_tables_show_every_string_literally(page, hostile_app):
    url, expected, _ = hostile_app
    open_app(page, url)
    frame = map_frame(page)
    legend = norm(frame.locator(".fronts-legend").inner_text())
    for e in expected:
        assert norm(e["actor1"]) in legend, e["name"]  # each event's faction is in the legend
    assert frame.locator(".fronts-legend").locator("script, img, svg, iframe, a").count() == 0

    grids = page.locator('[data-testid="stDataFrame"]')
    events_table, articles_table = grids.nth(0).locator("table"), grids.nth(1).locator("table")
    events_table.locator("td").first.wait_for(state="attached")  # a visually hidden a11y table
    header = [norm(th.text_content()) for th in events_table.locator("th").all()]
    col = header.index("actor1")
    names = {norm(e["actor1"]) for e in expected}
    cells = [norm(row.locator("td").nth(col).text_content())
             for row in events_table.locator("tr").all() if row.locator("td").count() > col]
    assert len(cells) >= 5 and set(cells) <= names, set(cells) - names
    art_header = [norm(th.text_content()) for th in articles_table.locator("th").all()]
    art_cells = [norm(td.text_content()) for td in articles_table.locator("td").all()]
    row = dict(zip(art_header, art_cells))
    by_name = {h["name"]: norm(h["text"]) for h in hostile()}
    assert (row["title"], row["outlet"], row["author"]) == (
        by_name["script"], by_name["img_onerror"], by_name["markdown_link"])


def test_hostile_url_parameters_are_shown_literally_and_the_page_still_works(page, hostile_app):
    url, expected, gdf = hostile_app
    by_name = {h["name"]: h["text"] for h in hostile()}
    q = by_name["arabic"]
    bad = [by_name[n] for n in ("script", "img_onerror", "markdown_link", "jinja_braces")]
    query = "?" + urllib.parse.urlencode(
        [("q", q), *(("faction", b) for b in bad), ("article", bad[1]), ("start", bad[0])])
    want = len(filter_events(gdf, text=q))
    assert want == 1 and open_app(page, url, query) == want
    box = page.get_by_label("Search summaries, quotes, places, actors")
    expect(box).to_have_value(q, timeout=60_000)
    alerts = page.locator('[data-testid="stAlert"]')
    alerts.first.wait_for()
    notices = " ".join(norm(a.inner_text()) for a in alerts.all())
    for value in bad:
        assert norm(repr(value)) in notices, value
    assert page.locator('[data-testid="stAlert"] a, [data-testid="stAlert"] img').count() == 0
    # still a working page: a new search narrows the map and the count
    box.fill("Nusra")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=Nusra')")
    want = len(filter_events(gdf, text="Nusra"))
    assert want == len(expected)  # every event's actor2 is the Nusra Front
    shown_count(page, want)
    # the search is in the URL: reopening it draws the narrowed map (the in-place redraw of a
    # widget change is checked by test_browser.py's widget test)
    page.goto(page.url)
    shown_count(page, want)
    assert drawn(page, want) == want
