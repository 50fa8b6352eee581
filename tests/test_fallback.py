"""Offline GeoNames fallback: Syria and Lebanon only, admin1 names, and the on-disk extract."""
from geo import fallback, settings


def test_places_are_syrian_or_lebanese_with_governorates():
    places = fallback.geonames_places()
    assert len(places) > 300
    assert {p.country for p in places} == {"SY", "LB"}
    assert all(p.source.startswith("geonames:") and p.admin1 for p in places)
    arsal = next(p for p in places if p.source == "geonames:273675")
    assert arsal.admin1 == "Baalbek-Hermel" and abs(arsal.lat - 34.18) < 0.02


def test_extract_is_written_once_and_matches_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path)
    fresh = fallback._country_records(("LB",))
    (extract,) = tmp_path.glob("geonames_LB_*.json")
    assert fallback._country_records(("LB",)) == fresh          # now read from the extract
    assert {r["countrycode"] for r in fresh} == {"LB"} and len(fresh) > 20


def test_a_corrupt_extract_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path)
    good = fallback._country_records(("LB",))
    (extract,) = tmp_path.glob("geonames_LB_*.json")
    extract.write_text("{not json", encoding="utf-8")
    assert fallback._country_records(("LB",)) == good


def test_an_unwritable_cache_still_resolves(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(settings, "CACHE_DIR", blocker / "sub")   # cannot be created
    assert len(fallback._country_records(("LB",))) > 20
