"""Seeds for tests/e2e/test_hostile_browser.py, written at test time from tests/data/hostile/hostile.json:
every hostile string becomes an event (its summary, quote, actor and faction name, place name)
and the articles' titles, outlets and authors carry them too."""
from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

HOSTILE_JSON = Path(__file__).resolve().parents[1] / "data" / "hostile" / "hostile.json"
EVENTS_COLUMNS = ("event_id", "event_date", "date_start", "date_end", "time_precision",
                  "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors", "factions",
                  "location", "geo_precision", "fatalities", "article_ids", "notes", "quote")
FIRST_DAY = date(2014, 12, 1)
#: the place whose outline (a region) is drawn: its name is a hostile string too
REGION = 0


def hostile() -> list[dict]:
    return json.loads(HOSTILE_JSON.read_text(encoding="utf-8"))["strings"]


def place_name(i: int, h: dict) -> str:
    """A hostile place name where the string can be one (no NUL), else a plain one."""
    return h["text"] if h["in_article"] else f"Town {i}"


def faction_name(i: int, h: dict) -> str:
    return h["text"] if h["in_article"] else f"Group {i}"


def write(seeds: Path) -> list[dict]:
    """Write the seeds folder; returns the expected events: [{event_id, notes, quote, actor1,
    location, date, name}] in file order."""
    items = hostile()
    (seeds / "articles").mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(h["text"] for h in items if h["in_article"])
    (seeds / "articles" / "hostile.txt").write_text("Reported from Arsal.\n\n" + body + "\n",
                                                   encoding="utf-8")
    titles = [h for h in items if h["name"] in ("script", "img_onerror", "markdown_link")]
    with open(seeds / "articles.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["article_id", "file", "outlet", "author", "title", "published",
                    "published_earliest", "published_latest", "date_confidence", "date_basis",
                    "url", "notes"])
        w.writerow(["hostile", "hostile.txt", titles[1]["text"], titles[2]["text"],
                    titles[0]["text"], "2015-01-31", "2015-01-31", "2015-01-31", "confirmed",
                    "dateline", "", "hostile fixture"])
    with open(seeds / "factions.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "aliases", "kind", "parent", "colour", "notes"])
        w.writerow(["nusra", "Jabhat al-Nusra", "Nusra Front;Nusra", "jihadist", "", "#E69F00",
                    ""])
        for i, h in enumerate(items):
            w.writerow([f"h{i}", faction_name(i, h), "", "jihadist", "",
                        "#%02x%02x%02x" % (40 + 10 * i, 200 - 8 * i, (90 * i) % 256), ""])
    with open(seeds / "places.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "alt_names", "kind", "admin1", "country", "lat", "lon", "precision",
                    "source", "notes"])
        for i, h in enumerate(items):
            lat, lon = 32.6 + (i // 5) * 1.1, 35.9 + (i % 5) * 1.3
            kind, precision = ("region", 3) if i == REGION else ("town", 1)
            w.writerow([place_name(i, h), "", kind, "Rif Dimashq", "SY", f"{lat:.4f}",
                        f"{lon:.4f}", precision, "estimated: hostile fixture", ""])
    lat, lon = 32.6, 35.9
    region = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": place_name(REGION, items[REGION]),
                                          "note": "approximate (fixture)"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - .3, lat - .2], [lon + .3, lat - .2], [lon + .3, lat + .2], [lon - .3, lat + .2],
            [lon - .3, lat - .2]]]}}]}
    (seeds / "regions.geojson").write_text(json.dumps(region, ensure_ascii=False),
                                           encoding="utf-8")
    expected = []
    with open(seeds / "events.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(EVENTS_COLUMNS)
        for i, h in enumerate(items):
            day = (FIRST_DAY + timedelta(days=i)).isoformat()
            quote = h["text"] if h["in_article"] else "Reported from Arsal."
            row = {"event_id": f"ev_{h['name']}", "event_date": day, "date_start": day,
                   "date_end": day, "time_precision": 1, "event_type": "Battles",
                   "sub_event_type": "Armed clash", "actor1": faction_name(i, h),
                   "actor2": "Nusra Front", "assoc_actors": "", "factions": f"h{i};nusra",
                   "location": place_name(i, h), "geo_precision": 3 if i == REGION else 1,
                   "fatalities": i, "article_ids": "hostile", "notes": h["text"],
                   "quote": quote}
            w.writerow([row[c] for c in EVENTS_COLUMNS])
            expected.append({**row, "name": h["name"]})
    return expected
