"""Score the automatic extractor against the hand-coded catalog (seeds/events.csv).

Runs the extractor on every corpus article that has text, with its metadata date, and
matches extracted events to catalog events: a match needs places within 25 km, overlapping
date ranges, the same ACLED event type and at least one shared faction id. Prints recall
(catalog events found), precision (extracted events that are in the catalog), per article
and overall, and the time taken. Usage:

    .venv/bin/python bench/extract_score.py [--verbose]
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
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
