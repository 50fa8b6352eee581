"""Gazetteer lookups: curated spellings, fallback towns, fuzzy matches, ties and bad tables."""
from pathlib import Path

import pytest

from geo import Gazetteer, Place
from geo._errors import GazetteerError
from geo.gazetteer import read_places_csv

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def gz():
    return Gazetteer.from_csv(DATA / "geo_places.csv", regions=DATA / "geo_regions.geojson")


@pytest.mark.parametrize("query,name", [
    ("Aarsal", "Arsal"), ("Irsal", "Arsal"), ("Deir el-Zour", "Deir ez-Zor"),
    ("Deir Ezzor", "Deir ez-Zor"), ("Dayr az Zawr", "Deir ez-Zor"), ("Bir Qassab", "Bir Qasab"),
    ("the Qalamoun", "Qalamoun mountains"), ("Tal Hamis", "Tell Hamis"),
])
def test_curated_spellings_resolve_exactly(gz, query, name):
    res = gz.resolve(query)
    assert res.resolved and res.place.name == name and res.via == "curated"
    assert res.score == 100


@pytest.mark.parametrize("query,geonames_id,admin1", [
    ("Nabk", 173193, "Rif Dimashq"), ("Tadmur", 163808, "Homs"), ("Palmyra", 163808, "Homs"),
    ("Yabrud", 162627, "Rif Dimashq"), ("Jarabulus", 169179, "Aleppo"),
    ("Al Qaryatayn", 173361, "Homs"), ("Zabadani", 172059, "Rif Dimashq"),
])
def test_towns_outside_the_table_resolve_through_geonames(gz, query, geonames_id, admin1):
    res = gz.resolve(query)
    assert res.resolved and res.via == "geonames"
    assert res.place.source == f"geonames:{geonames_id}"
    assert res.place.admin1 == admin1 and res.place.country == "SY"


def test_fuzzy_match_reports_its_score(gz):
    res = gz.resolve("Deir ez-Zoor")            # a typo no table lists
    assert res.resolved and res.place.name == "Deir ez-Zor"
    assert 86 <= res.score <= 100


def test_unknown_name_is_reported_with_candidates(gz):
    res = gz.resolve("Qalamunistan Heights")
    assert not res.resolved and res.place is None
    out = res.to_json()
    assert out["resolved"] is False and isinstance(out["candidates"], list)


def test_short_names_need_an_exact_match(gz):
    assert not gz.resolve("Qaro").resolved


def test_ties_are_broken_by_the_other_places_in_the_text(gz):
    arsal = gz.get("Arsal")
    near_akkar = (34.55, 36.10)
    assert gz.resolve("Qara").place.country == "SY"            # no context: Syria first
    assert gz.resolve("Qara", near=[near_akkar]).place.name == "Qara (Lebanon)"
    assert gz.resolve("Qara", near=[arsal]).place.name == "Qara"


def test_outline_of_a_region(gz):
    outline = gz.outline("Qalamoun")
    assert outline is not None and outline.geom_type == "Polygon"
    assert gz.outline("Arsal") is None


def test_resolution_json_has_the_contract_keys(gz):
    out = gz.resolve("Aarsal").to_json()
    assert {"query", "resolved", "name", "lat", "lon", "kind", "admin1", "country",
            "precision", "source", "score"} <= set(out)
    assert out["query"] == "Aarsal" and out["lat"] == pytest.approx(34.1794)


def test_bad_rows_are_all_named(tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text(
        "name,alt_names,kind,admin1,country,lat,lon,precision,source,notes\n"
        "Good,,town,X,SY,34,36,1,geonames:1,\n"
        "Far,,town,X,SY,200,36,1,geonames:2,\n"
        "Odd,,spaceport,X,SY,34,36,1,geonames:3,\n"
        "Nosource,,town,X,SY,34,36,1,,\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        read_places_csv(bad)
    text = str(err.value)
    assert f"{bad}:3: lat/lon" in text and f"{bad}:4: kind" in text and f"{bad}:5: source" in text


def test_missing_column_is_named(tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text("name,kind\nA,town\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="missing columns alt_names"):
        read_places_csv(bad)


def test_gazetteer_without_fallback_knows_only_its_table():
    gz = Gazetteer([Place("A town", (), "town", "", "SY", 34.0, 36.0, 1, "estimated: test")])
    assert gz.resolve("A-Town").resolved
    assert not gz.resolve("Aleppo").resolved
