"""End to end: an invented article through `python -m layers.extract` (the same code as
`python -m layers extract`), the GeoJSON contract, corpus dates, errors, and the
GeoDataFrame API's columns."""
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from layers.extract import extract_articles, extract_events
from layers.extract.cli import PROPERTIES

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
ARTICLE = """Clashes near the border

BEIRUT, Lebanon -- Islamic State fighters seized two hilltop positions from Jabhat al-Nusra \
near Arsal on Tuesday, a security source said. At least nine militants from both groups were \
killed in the clashes.

Earlier this month, the Lebanese Army arrested a Nusra Front commander in Arsal.

The group wants to send more fighters to Raqqa next week.
"""
EXPORT = ("event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
          "sub_event_type", "actor1", "actor2", "assoc_actors", "factions", "location",
          "admin1", "country", "latitude", "longitude", "geo_precision", "fatalities",
          "article_ids", "sources", "notes", "quote")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "layers.extract", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def invented(tmp_path_factory):
    path = tmp_path_factory.mktemp("extract") / "new_article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def collection(invented):
    proc = _cli(invented, "--published", "2015-06-12")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_one_rfc7946_feature_collection(collection):
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    for feat in collection["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        assert feat["geometry"]["type"] == "Point"
        assert (lon, lat) == (feat["properties"]["longitude"], feat["properties"]["latitude"])
        assert 30 < lat < 40 and 34 < lon < 43          # lon/lat order, in the region


def test_properties_and_values(collection):
    feats = collection["features"]
    for feat in feats:
        props = feat["properties"]
        assert set(EXPORT) <= set(props) and props["origin"] == "extracted"
        assert 0 <= props["confidence"] <= 1
        for fragment in props["quote"].split(" \u2026 "):
            assert fragment in ARTICLE                     # quotes are verbatim sentences
    by_type = {f["properties"]["event_type"]: f["properties"] for f in feats}
    assert set(by_type) == {"Battles", "Strategic developments"}   # "next week" is no event
    battle = by_type["Battles"]
    assert battle["location"] == "Arsal" and battle["date_start"] == "2015-06-09"
    assert battle["time_precision"] == 1 and battle["fatalities"] == 9
    assert battle["actor1"] == "Islamic State" and battle["actor2"] == "Jabhat al-Nusra"
    arrest = by_type["Strategic developments"]
    assert arrest["sub_event_type"] == "Arrests" and arrest["actor1"] == "Lebanese Army"
    assert (arrest["date_start"], arrest["date_end"]) == ("2015-06-01", "2015-06-12")
    assert arrest["time_precision"] == 2


def test_outside_the_corpus_needs_published(invented):
    proc = _cli(invented)
    assert proc.returncode != 0 and proc.stdout == ""
    assert str(invented) in proc.stderr and "--published" in proc.stderr


def test_corpus_file_uses_its_metadata_date():
    proc = _cli(SEEDS / "articles" / "004_7cf19f37d543f2f3.txt")
    assert proc.returncode == 0, proc.stderr
    feats = json.loads(proc.stdout)["features"]
    assert feats and all(f["properties"]["article_ids"] == "dailystar_2016_01_29" for f in feats)
    # "Friday" in an article published on Friday 2016-01-29 is that day
    assert any(f["properties"]["date_start"] == "2016-01-29" for f in feats)


def test_file_without_text_is_skipped_with_a_warning_and_missing_file_is_an_error(tmp_path):
    bad = tmp_path / "data.txt"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    proc = _cli(bad, "--published", "2015-06-12")
    assert proc.returncode == 0 and str(bad) in proc.stderr
    assert json.loads(proc.stdout)["features"] == []
    proc = _cli(tmp_path / "missing.txt", "--published", "2015-06-12")
    assert proc.returncode != 0 and "missing.txt" in proc.stderr


def test_api_columns_match_the_catalog():
    from layers.catalog import OUTPUT_COLUMNS

    gdf = extract_events(ARTICLE, date(2015, 6, 12), "invented")
    cols = list(gdf.columns)
    assert [c for c in cols if c != "confidence"] == list(OUTPUT_COLUMNS)
    assert "confidence" in cols and (gdf["origin"] == "extracted").all()
    assert gdf.crs.to_epsg() == 4326 and str(gdf["fatalities"].dtype) == "int64"
    assert set(PROPERTIES) == set(EXPORT) | {"place_source", "origin", "confidence"}


def test_four_articles_take_seconds_not_minutes():
    from geo import default_gazetteer
    from layers.corpus import load_corpus

    default_gazetteer()
    corpus, _ = load_corpus()
    start = time.perf_counter()
    gdf = extract_articles([(a.text, a.published, a.article_id, a.source)
                            for a in corpus.values()])
    assert time.perf_counter() - start < 10
    assert len(gdf) >= 10
    for row in gdf.itertuples():      # each quote fragment is verbatim in its article
        for aid, quote in zip(row.article_ids.split(";"), row.quote.split(" || ")):
            for fragment in quote.split(" \u2026 "):
                assert fragment in corpus[aid].text
