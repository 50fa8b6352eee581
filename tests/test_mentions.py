"""Place mentions: spans, curated spellings, GeoNames-checked capitalised words, masks, and
recall/precision against a careful reader's list for the bundled articles."""
import csv
from pathlib import Path

import pytest

from geo import Gazetteer, default_gazetteer
from geo.mentions import default_masks, find_mentions

HERE = Path(__file__).parent
DATA = HERE / "data"
ARTICLES = HERE.parent / "seeds" / "articles"


@pytest.fixture(scope="module")
def gz():
    return Gazetteer.from_csv(DATA / "geo_places.csv", regions=DATA / "geo_regions.geojson")


def test_spans_and_places(gz):
    text = "Fighters left Aarsal for the Qalamoun and later reached Deir el-Zour."
    found = find_mentions(text, gz)
    assert [(m.surface, m.place.name) for m in found] == [
        ("Aarsal", "Arsal"), ("Qalamoun", "Qalamoun mountains"), ("Deir el-Zour", "Deir ez-Zor")]
    for m in found:
        assert text[m.start:m.end] == m.surface


def test_towns_only_geonames_knows_are_found(gz):
    text = "Clashes spread from Yabrud to Nabk, the Interior Ministry said on Friday."
    names = [(m.surface, m.place.source) for m in find_mentions(text, gz)]
    assert ("Yabrud", "geonames:162627") in names and ("Nabk", "geonames:173193") in names
    assert all(s not in ("Interior Ministry", "Friday") for s, _ in names)


def test_lowercase_words_are_not_mentions(gz):
    assert find_mentions("the arsal of words", gz) == []


def test_place_inside_an_organisation_name_is_masked(gz):
    text = "Liwa Maghaweer al-Qalamoun fought in Qalamoun."
    found = find_mentions(text, gz, masks=["Liwa Maghaweer al-Qalamoun"])
    assert [(m.start, m.surface) for m in found] == [(text.rindex("Qalamoun"), "Qalamoun")]


def test_article_prefix_belongs_to_the_mention(gz):
    text = "He was seen in al-Qalamoun."
    (m,) = find_mentions(text, gz)
    assert m.surface == "al-Qalamoun" and m.place.name == "Qalamoun mountains"


def _reader_rows():
    with open(DATA / "reader_mentions.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_recall_and_precision_against_a_careful_reader():
    """At least 90% of the reader's mentions found, 90% of ours in the reader's list.

    A found mention matches a reader's mention when the spans overlap and the places agree.
    """
    gz = default_gazetteer()
    masks = default_masks()
    rows = _reader_rows()
    files = sorted({r["file"] for r in rows})
    assert len(files) == 4
    hit_reader = hit_found = n_found = 0
    misses, extras = [], []
    for file in files:
        text = (ARTICLES / file).read_text(encoding="utf-8")
        truth = [(int(r["start"]), int(r["end"]), gz.get(r["name"]).name) for r in rows if r["file"] == file]
        found = find_mentions(text, gz, masks=masks)
        n_found += len(found)
        for s, e, name in truth:
            if any(m.start < e and s < m.end and m.place.name == name for m in found):
                hit_reader += 1
            else:
                misses.append((file, text[s:e], name))
        for m in found:
            if any(m.start < e and s < m.end and m.place.name == name for s, e, name in truth):
                hit_found += 1
            else:
                extras.append((file, m.surface, m.place.name))
    recall, precision = hit_reader / len(rows), hit_found / max(n_found, 1)
    print(f"mentions: recall {recall:.1%} ({hit_reader}/{len(rows)}), "
          f"precision {precision:.1%} ({hit_found}/{n_found})")
    assert recall >= 0.90, misses[:40]
    assert precision >= 0.90, extras[:40]
