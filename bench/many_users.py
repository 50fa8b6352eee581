"""Many users at once: N chromium sessions against one `streamlit run app.py` on loopback, each
with its own filters in the URL; prints the median and worst response time (navigation until
the session's own count is shown and its markers are drawn) for 1, 5 and 20 sessions, and the
server's memory.

Run:  .venv/bin/python bench/many_users.py [--sessions 1 5 20] [--events 40]

tests/e2e/test_many_users.py uses the same helpers with assertions.
"""
from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench._app import (ANIMATING_JS, MARKERS_JS, folium_frame_now, start_app,  # noqa: E402
                        stop_app)
from bench._browser import block_outside, launched  # noqa: E402

FIRST_DAY = date(2014, 11, 1)
PLACES = [("Arsal", 34.1794, 36.4206), ("Yabroud", 33.9675, 36.6577),
          ("Deir ez-Zor", 35.3359, 40.1408), ("Daraa", 32.6189, 36.1021)]
#: the page's count text and the map's drawn markers, read without waiting
STATE_JS = """() => {
    const s = [...document.querySelectorAll('strong')].map(e => e.textContent.trim())
        .find(t => /^\\d+ events?$/.test(t));
    return s === undefined ? null : parseInt(s);
}"""


def write_seeds(seeds: Path, n_events: int = 40) -> None:
    """A seeds folder with `n_events` valid events, one a day from FIRST_DAY, so that an end
    date selects a known number of them."""
    (seeds / "articles").mkdir(parents=True, exist_ok=True)
    sentences = [f"On day {i} fighters clashed near {PLACES[i % len(PLACES)][0]}."
                 for i in range(n_events)]
    (seeds / "articles" / "wire.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    last = FIRST_DAY + timedelta(days=n_events)

    def table(name: str, header: list[str], rows: list[list]) -> None:
        with open(seeds / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    table("articles.csv", ["article_id", "file", "outlet", "author", "title", "published",
                           "published_earliest", "published_latest", "date_confidence",
                           "date_basis", "url", "notes"],
          [["wire", "wire.txt", "Bench Wire", "", "Daily clashes", last.isoformat(),
            last.isoformat(), last.isoformat(), "confirmed", "dateline", "", "bench fixture"]])
    table("factions.csv", ["id", "name", "aliases", "kind", "parent", "colour", "notes"],
          [["nusra", "Jabhat al-Nusra", "Nusra Front;Nusra", "jihadist", "", "#E69F00", ""],
           ["is", "Islamic State", "IS;ISIS", "jihadist", "", "#000000", ""]])
    table("places.csv", ["name", "alt_names", "kind", "admin1", "country", "lat", "lon",
                         "precision", "source", "notes"],
          [[p, "", "town", "Rif Dimashq", "SY", lat, lon, 1, "estimated: bench", ""]
           for p, lat, lon in PLACES])
    (seeds / "regions.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    rows = []
    for i, sentence in enumerate(sentences):
        day = (FIRST_DAY + timedelta(days=i)).isoformat()
        battle = i % 3 != 2
        rows.append([f"ev{i:03d}", day, day, day, 1,
                     "Battles" if battle else "Strategic developments",
                     "Armed clash" if battle else "Other", "Jabhat al-Nusra",
                     "Islamic State" if battle else "", "", "nusra;is" if battle else "nusra",
                     PLACES[i % len(PLACES)][0], 1, i % 7, "wire", f"bench event {i}", sentence])
    table("events.csv", ["event_id", "event_date", "date_start", "date_end", "time_precision",
                         "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors",
                         "factions", "location", "geo_precision", "fatalities", "article_ids",
                         "notes", "quote"], rows)


def session_queries(n: int) -> list[str]:
    """A different filter for each of `n` sessions: end dates, some with an event type."""
    out = []
    for k in range(n):
        end = (FIRST_DAY + timedelta(days=k)).isoformat()
        out.append(f"?end={end}" + ("&type=Battles" if k % 2 else ""))
    return out


def expected_count(gdf, query: str) -> int:
    from urllib.parse import parse_qs

    from layers.filters import filter_events

    q = parse_qs(query.lstrip("?"))
    return len(filter_events(gdf, q.get("start", [None])[0], q.get("end", [None])[0],
                             types=q.get("type", [])))


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (psutil when installed, else /proc)."""
    try:
        import psutil
        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        text = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)) / 1024


def run_sessions(browser, url: str, queries: list[str], timeout_s: float = 240,
                 on_poll=None) -> list[dict]:
    """Open one browser context per query at once and wait until each shows a count and has
    drawn that many markers. Returns, per session: query, count, markers, seconds (from its
    navigation start). Contexts stay open until every session is done."""
    sessions = []
    try:
        for query in queries:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(int(timeout_s * 1000))
            blocked = block_outside(context)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            sessions.append({"query": query, "context": context, "page": page,
                             "blocked": blocked, "errors": errors, "count": None,
                             "markers": None, "seconds": None, "t0": time.perf_counter()})
            page.goto(f"{url}/{query}", wait_until="commit")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and any(s["seconds"] is None for s in sessions):
            for s in sessions:
                if s["seconds"] is not None:
                    continue
                page = s["page"]
                try:
                    count = page.evaluate(STATE_JS)
                    frame = folium_frame_now(page)
                    markers = frame.evaluate(MARKERS_JS) if frame and count is not None else None
                except Exception:  # noqa: BLE001 - page still loading or rerunning
                    continue
                if count is not None and markers == count:
                    if not frame.evaluate(ANIMATING_JS):
                        s.update(count=count, markers=markers,
                                 seconds=time.perf_counter() - s["t0"])
            if on_poll:
                on_poll()
            time.sleep(0.05)
        return [{k: s[k] for k in ("query", "count", "markers", "seconds", "errors")}
                | {"blocked": list(s["blocked"])} for s in sessions]
    finally:
        for s in sessions:
            s["context"].close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--events", type=int, default=40)
    args = ap.parse_args(argv)

    import tempfile

    from layers.catalog import load_events

    logs = REPO / "tests" / "artifacts"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        write_seeds(seeds, args.events)
        gdf, problems = load_events(strict=False, seeds_dir=seeds)
        assert not problems, problems
        proc, url = start_app(env={"FRONTS_SEEDS": str(seeds), "FRONTS_TILES": "none"},
                              log_dir=logs)
        try:
            with launched() as browser:
                run_sessions(browser, url, session_queries(1))  # warm the caches
                print(f"server RSS after warm-up: {rss_mb(proc.pid):.0f} MB")
                print(f"{'sessions':>8} {'median s':>9} {'worst s':>8} {'ok':>6} "
                      f"{'server RSS MB':>14}")
                for n in args.sessions:
                    peak = [rss_mb(proc.pid)]
                    results = run_sessions(browser, url, session_queries(n),
                                           on_poll=lambda: peak.append(rss_mb(proc.pid)))
                    times = [r["seconds"] for r in results if r["seconds"] is not None]
                    ok = sum(r["count"] == expected_count(gdf, r["query"]) for r in results)
                    print(f"{n:>8} {statistics.median(times) if times else float('nan'):>9.2f} "
                          f"{max(times) if times else float('nan'):>8.2f} {ok:>3}/{n:<2} "
                          f"{max(peak):>14.0f}")
        finally:
            stop_app(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
