"""Score the automatic extractor against the hand-coded catalog (seeds/events.csv).

Runs the extractor on every corpus article that has text, with its metadata date, and
matches extracted events to catalog events: a match needs places within 25 km, overlapping
date ranges, the same ACLED event type and at least one shared faction id. Prints recall
(catalog events found), precision (extracted events that are in the catalog), per article
and overall, and the time taken. With --unseen it scores the held-out articles of
tests/data/unseen/ (texts the rules were not written from) against the events coded by hand
in tests/data/unseen/expected.csv instead. Usage:

    .venv/bin/python bench/extract_score.py [--verbose] [--unseen [DIR]]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from layers.extract.merge import MERGE_KM, distance_km  # noqa: E402

COMMAND = ".venv/bin/python bench/extract_score.py"
UNSEEN = REPO / "tests" / "data" / "unseen"


def _matches(ext, cat) -> bool:
    """The issue's rule: within 25 km, date ranges overlap, same type, a shared faction."""
    if ext["event_type"] != cat["event_type"]:
        return False
    if not (ext["date_start"] <= cat["date_end"] and cat["date_start"] <= ext["date_end"]):
        return False
    if not set(str(ext["factions"]).split(";")) & set(str(cat["factions"]).split(";")):
        return False
    return distance_km(ext["latitude"], ext["longitude"],
                       cat["latitude"], cat["longitude"]) <= MERGE_KM


def score(extracted, catalog, articles) -> dict:
    """Recall and precision over the events of `articles` (catalog rows citing one of them,
    extracted rows drawn from one of them)."""
    def mine(frame):
        keep = frame["article_ids"].map(lambda s: bool(set(str(s).split(";")) & set(articles)))
        return frame[keep]
    ext, cat = mine(extracted), mine(catalog)
    ext_rows, cat_rows = ext.to_dict("records"), cat.to_dict("records")
    found = [c for c in cat_rows if any(_matches(e, c) for e in ext_rows)]
    right = [e for e in ext_rows if any(_matches(e, c) for c in cat_rows)]
    return {"catalog": len(cat_rows), "extracted": len(ext_rows), "found": len(found),
            "right": len(right),
            "recall": len(found) / len(cat_rows) if cat_rows else float("nan"),
            "precision": len(right) / len(ext_rows) if ext_rows else float("nan"),
            "missed": [c for c in cat_rows if c not in found],
            "spurious": [e for e in ext_rows if e not in right]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list missed and spurious events")
    parser.add_argument("--unseen", nargs="?", const=UNSEEN, type=Path, metavar="DIR",
                        help="score the held-out articles of DIR (default tests/data/unseen) "
                             "against DIR/expected.csv")
    args = parser.parse_args(argv)
    if args.unseen is not None:
        return main_unseen(args.unseen, args.verbose)

    from layers.catalog import load_events
    from layers.corpus import load_corpus
    from layers.extract import extract_articles

    corpus, _ = load_corpus()
    catalog, problems = load_events(strict=False)
    if problems:
        print(f"note: the catalog loaded with {len(problems)} problem(s); scoring the "
              f"{len(catalog)} events that loaded")
    t0 = time.perf_counter()
    extracted = extract_articles([(a.text, a.published, a.article_id, a.source)
                                  for a in corpus.values()])
    seconds = time.perf_counter() - t0
    coded = [aid for aid in corpus
             if catalog["article_ids"].map(lambda s: aid in str(s).split(";")).any()]
    print(f"command: {COMMAND}")
    print(f"articles with text: {', '.join(corpus)}; extraction took {seconds:.1f} s "
          f"(gazetteer and registry already loaded by the catalog)")
    print(f"{'article':<24} {'catalog':>7} {'extract':>7} {'recall':>7} {'precision':>9}")
    for aid in corpus:
        s = score(extracted, catalog, [aid])
        print(f"{aid:<24} {s['catalog']:>7} {s['extracted']:>7} {s['recall']:>7.0%} "
              f"{s['precision']:>9.0%}")
    total = score(extracted, catalog, coded)
    print(f"{'overall (coded articles)':<24} {total['catalog']:>7} {total['extracted']:>7} "
          f"{total['recall']:>7.0%} {total['precision']:>9.0%}")
    print(f"recall {total['recall']:.1%} ({total['found']}/{total['catalog']}), "
          f"precision {total['precision']:.1%} ({total['right']}/{total['extracted']})")
    if args.verbose:
        for c in total["missed"]:
            print(f"  missed   {c['event_id']} {c['event_type']} {c['location']} "
                  f"{c['date_start']}..{c['date_end']} {c['factions']}")
        for e in total["spurious"]:
            print(f"  spurious {e['event_id']} {e['event_type']} {e['location']} "
                  f"{e['date_start']}..{e['date_end']} {e['factions']} | {e['quote'][:90]}")
    return 0


def load_unseen(folder: Path):
    """(items for extract_articles, expected events as a DataFrame with coordinates) of a
    held-out folder: articles.csv (file, published, ...), the texts, expected.csv."""
    import pandas as pd
    from datetime import date

    from geo import default_gazetteer

    meta = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    items = []
    for row in meta.to_dict("records"):
        text = (folder / row["file"]).read_text(encoding="utf-8")
        items.append((text, date.fromisoformat(row["published"]), Path(row["file"]).stem, ""))
    expected = pd.read_csv(folder / "expected.csv", dtype=str, keep_default_na=False)
    gz = default_gazetteer()
    lat, lon = [], []
    for n, row in enumerate(expected.to_dict("records"), start=2):
        res = gz.resolve(row["location"])
        if not res.resolved:
            raise SystemExit(f"{folder / 'expected.csv'}:{n}: location: "
                             f"{row['location']!r} is not in the gazetteer")
        lat.append(res.place.lat)
        lon.append(res.place.lon)
    expected["latitude"], expected["longitude"] = lat, lon
    expected["article_ids"] = expected["file"].map(lambda f: Path(f).stem)
    expected["event_id"] = [f"{a}#{i}" for i, a in enumerate(expected["article_ids"], start=1)]
    return items, expected


def main_unseen(folder: Path, verbose: bool) -> int:
    """Score the extractor on the held-out articles of `folder`."""
    from layers.extract import extract_articles

    items, expected = load_unseen(folder)
    t0 = time.perf_counter()
    extracted = extract_articles(items)
    seconds = time.perf_counter() - t0
    ids = [aid for _, _, aid, _ in items]
    print(f"command: {COMMAND} --unseen")
    print(f"held-out articles in {folder}: {len(ids)}; extraction took {seconds:.1f} s")
    print(f"{'article':<28} {'expected':>8} {'extract':>7} {'recall':>7} {'precision':>9}")
    for aid in ids:
        s = score(extracted, expected, [aid])
        print(f"{aid:<28} {s['catalog']:>8} {s['extracted']:>7} {s['recall']:>7.0%} "
              f"{s['precision']:>9.0%}")
    total = score(extracted, expected, ids)
    print(f"recall {total['recall']:.1%} ({total['found']}/{total['catalog']}), "
          f"precision {total['precision']:.1%} ({total['right']}/{total['extracted']})")
    if verbose:
        for c in total["missed"]:
            print(f"  missed   {c['event_id']} {c['event_type']} {c['location']} "
                  f"{c['date_start']}..{c['date_end']} {c['factions']} | {c['note'][:80]}")
        for e in total["spurious"]:
            print(f"  spurious {e['event_id']} {e['event_type']} {e['location']} "
                  f"{e['date_start']}..{e['date_end']} {e['factions']} | {e['quote'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
