"""Candidates that describe one event (same type, overlapping dates, within 25 km, a shared
faction) are merged, within an article and across articles; others stay apart."""
from datetime import date

import pytest

from geo import Gazetteer
from layers.extract import extract_articles
from layers.extract.merge import distance_km
from test_extract_places import PLACES

PUB = date(2015, 6, 12)   # a Friday


@pytest.fixture(scope="module")
def gz():
    return Gazetteer(PLACES)


def _run(gz, *texts):
    items = [(t, PUB, f"art{i}", f'Outlet {i}, "Title {i}" (2015-06-12)')
             for i, t in enumerate(texts)]
    return extract_articles(items, gazetteer=gz)


def test_distance():
    assert distance_km(34.1794, 36.4208, 34.2589, 36.4181) == pytest.approx(8.8, abs=0.3)


def test_same_event_in_two_articles_is_one_event_with_both_sources(gz):
    a = "Islamic State fighters seized a Nusra Front camp in Arsal on Tuesday."
    b = "On Tuesday Daesh overran positions of Jabhat al-Nusra in Ras Baalbek, killing four."
    gdf = _run(gz, a, b)
    assert len(gdf) == 1
    row = gdf.iloc[0]
    assert row["article_ids"] == "art0;art1"
    assert row["quote"] == f"{a} || {b}"
    assert row["sources"].count(" | ") == 1
    assert row["fatalities"] == 4
    assert row["location"] in ("Arsal", "Ras Baalbek")
    assert set(row["factions"].split(";")) == {"is", "nusra"}


def test_same_event_twice_in_one_article_merges_quotes_with_ellipsis(gz):
    text = ("Islamic State fighters seized a Nusra Front camp in Arsal on Tuesday. "
            "At least nine militants from both groups were killed in the clashes.")
    gdf = _run(gz, text)
    battles = gdf[gdf["event_type"] == "Battles"]
    assert len(battles) == 1
    assert " \u2026 " in battles.iloc[0]["quote"]
    assert battles.iloc[0]["fatalities"] == 9


@pytest.mark.parametrize("b", [
    # another type: an arrest, not a battle
    "On Tuesday the Lebanese Army arrested a Nusra Front commander in Arsal.",
    # too far: Deir ez-Zor is hundreds of km away
    "Islamic State fighters seized a Nusra Front camp in Deir el-Zour on Tuesday.",
    # dates that do not overlap (both stated)
    "In August 2014 Islamic State fighters seized a Nusra Front camp in Arsal.",
    # no shared faction
    "On Tuesday the Lebanese Army clashed with Hezbollah in Arsal.",
])
def test_different_events_stay_apart(gz, b):
    a = "Islamic State fighters seized a Nusra Front camp in Arsal on Tuesday."
    gdf = _run(gz, a, b)
    assert len(gdf) == 2, gdf[["event_type", "location", "date_start", "factions"]]
