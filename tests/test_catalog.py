"""Event catalog: every field of every row validated; strict raises, lenient keeps good rows."""
from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import wkt
from shapely.geometry import Point, Polygon

from layers._errors import CatalogError
from layers.catalog import COLUMNS, OUTPUT_COLUMNS, load_events, squash
from layers.corpus import load_corpus
from layers.factions import load_registry

DATA = Path(__file__).parent / "data" / "layers_seeds"


def _rows() -> list[dict]:
    with open(DATA / "events.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture()
def seeds(tmp_path):
    """A private copy of the fixture seeds (tests edit events.csv)."""
    target = tmp_path / "seeds"
    shutil.copytree(DATA, target)
    return target


def test_fixture_catalog_loads_strictly_with_the_contract_columns():
    gdf, problems = load_events(seeds_dir=DATA)
    assert problems == []
    assert list(gdf.columns) == list(OUTPUT_COLUMNS)
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert gdf.attrs["rows_in"] == 5 and gdf.attrs["rows_rejected"] == 0
    assert gdf.attrs["rows_loaded"] == 5
    for column in ("time_precision", "geo_precision", "fatalities"):
        assert str(gdf[column].dtype) == "int64"
    row = gdf.set_index("event_id").loc["ev_arsal_attack"]
    assert row.geometry.equals(Point(36.4206, 34.1794))          # lon, lat
    assert (row.latitude, row.longitude) == (34.1794, 36.4206)
    assert (row.admin1, row.country, row.place_source) == ("Baalbek-Hermel", "LB",
                                                           "geonames:278913")
    assert row.origin == "curated" and row.outline == ""
    assert row.factions == "nusra;is;lebanese_army" and row.article_ids == "alpha;beta"
    assert row.sources == ('Fixture Times, "Attack on Arsal, ""army posts""" (2014-08-04) | '
                           'Gazette Éditions, "Clashes near Déir ez-Zôr" (2014-12-20)'
                           ).replace('""', '"')
    assert row.fatalities == 12 and row.event_date == "2014-08-02"
    region = gdf.set_index("event_id").loc["ev_shelling"]
    assert region.location == "Qalamoun" and region.geo_precision == 3
    outline = wkt.loads(region.outline)
    assert isinstance(outline, Polygon) and outline.contains(region.geometry)
    deir = gdf.set_index("event_id").loc["ev_deir_clash"]
    assert deir.location == "Déir ez-Zôr" and deir.country == "SY"


def _problem_fields(problems, line):
    return {p.field for p in problems if p.row == line}


BAD_ROWS = [  # (changes to the first fixture row, field expected to be reported)
    ({"event_id": ""}, "event_id"),
    ({"event_date": "2014-02-30"}, "event_date"),
    ({"date_start": "2/8/2014"}, "date_start"),
    ({"date_end": "2014-08-01"}, "event_date"),              # date_end before event_date
    ({"time_precision": "4"}, "time_precision"),
    ({"time_precision": "x"}, "time_precision"),
    ({"date_end": "2014-08-03", "time_precision": "1"}, "time_precision"),  # a day, 2 days
    ({"event_type": "Battle"}, "event_type"),
    ({"sub_event_type": "Arrests"}, "sub_event_type"),
    ({"factions": "nusra;hezbollah"}, "factions"),
    ({"factions": ""}, "factions"),
    ({"actor1": "Hezbollah"}, "actor1"),
    ({"actor1": ""}, "actor1"),
    ({"actor2": "Lebanese Navy"}, "actor2"),
    ({"assoc_actors": "Islamic State;Martians"}, "assoc_actors"),
    ({"actor2": "Syrian Army"}, "factions"),                 # regime is not listed
    ({"location": "Atlantis"}, "location"),
    ({"location": "Qalamoun mountainz"}, "location"),        # fuzzy only: not a table spelling
    ({"geo_precision": "0"}, "geo_precision"),
    ({"fatalities": "-1"}, "fatalities"),
    ({"fatalities": "several"}, "fatalities"),
    ({"article_ids": "alpha;gamma"}, "article_ids"),
    ({"article_ids": ""}, "article_ids"),
    ({"quote": ""}, "quote"),
    ({"article_ids": "alpha", "quote": "Fighters of the Nusra Front attacked army posts "
                                       "in Arsal"}, "quote"),  # words left out
    ({"quote": "Fighters of the Nusra Front and the Islamic State attacked army posts in "
               "Arsal on Saturday."}, "quote"),           # one part for two articles
    ({"quote": "Fighters of the Nusra Front and the Islamic State attacked army posts in "
               "Arsal on Saturday. … At least 13 soldiers || Fighters attacked army posts "
               "in Arsal on Saturday"}, "quote"),         # second fragment altered
    ({"date_start": "2014-12-30", "event_date": "2014-12-30", "date_end": "2014-12-30"},
     "date_end"),                                          # after the articles' publication
]


def test_each_bad_field_is_reported_with_row_and_field(seeds):
    base = _rows()[0]
    rows = [base] + [{**base, **change, "event_id": change.get("event_id", f"bad_{i}")}
                     for i, (change, _) in enumerate(BAD_ROWS)]
    (seeds / "events.csv").write_text(_csv(rows), encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert list(gdf["event_id"]) == [base["event_id"]]
    for i, (change, field) in enumerate(BAD_ROWS):
        line = i + 3  # header is line 1, the good row line 2
        fields = _problem_fields(problems, line)
        assert field in fields, (change, [str(p) for p in problems if p.row == line])
        assert {p.field for p in problems if p.row == line} <= {field, "time_precision"}
    assert all(p.file.endswith("events.csv") for p in problems)
    assert gdf.attrs["rows_in"] == len(rows) == gdf.attrs["rows_loaded"] + \
        gdf.attrs["rows_rejected"]
    assert gdf.attrs["rows_rejected"] == len(BAD_ROWS)
    with pytest.raises(CatalogError) as err:
        load_events(seeds_dir=seeds)
    assert [str(p) for p in err.value.problems] == [str(p) for p in problems]
    assert "events.csv:3: event_id: empty" in str(err.value)


def test_duplicate_id_reports_the_second_row(seeds):
    rows = _rows()
    rows.append(dict(rows[1]))
    (seeds / "events.csv").write_text(_csv(rows), encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert len(gdf) == 5 and gdf.attrs["rows_rejected"] == 1
    assert [(p.row, p.field) for p in problems] == [(7, "event_id")]
    assert "first on line 3" in problems[0].message


def test_lines_with_missing_or_extra_fields_are_reported_with_their_line(seeds):
    text = (DATA / "events.csv").read_text(encoding="utf-8").splitlines()
    header, first, rest = text[0], text[1], text[2:]
    multiline = first.replace("ev_arsal_attack", "ev_multi").replace(
        "Nusra and IS attack army posts in عرسال", '"two\nline note"')
    lines = [header, multiline, "short,row,only", first + ",extra", *rest]
    (seeds / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert [p.row for p in problems] == [4, 5]  # the quoted note spans lines 2-3
    assert "3 fields" in problems[0].message and "18 fields" in problems[1].message
    assert gdf.attrs["rows_in"] == 7 and len(gdf) == 5 and gdf.attrs["rows_rejected"] == 2
    assert "ev_multi" in set(gdf["event_id"])
    assert gdf.set_index("event_id").loc["ev_multi", "notes"] == "two\nline note"


def test_missing_column_rejects_every_row_and_names_the_column(seeds):
    rows = _rows()
    text = _csv(rows).replace(",fatalities,", ",deaths,", 1)
    (seeds / "events.csv").write_text(text, encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert len(gdf) == 0 and list(gdf.columns) == list(OUTPUT_COLUMNS)
    assert [(p.row, p.field, p.message) for p in problems] == [(1, "fatalities",
                                                                "missing column")]
    assert gdf.attrs["rows_in"] == 5 == gdf.attrs["rows_rejected"]


def test_unreadable_events_file(seeds):
    (seeds / "events.csv").write_bytes("event_id\nDéir".encode("latin-1"))
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert len(gdf) == 0 and "UTF-8" in problems[0].message
    (seeds / "events.csv").unlink()
    with pytest.raises(CatalogError, match="events.csv:0: : file not found"):
        load_events(seeds_dir=seeds)


def test_quotes_compare_whitespace_only(seeds):
    rows = _rows()
    spaced = dict(rows[1], event_id="ev_spaced",
                 quote=rows[1]["quote"].replace("In Yabroud,", "In\n  Yabroud,"))
    curly = dict(rows[1], event_id="ev_quote_marks",
                    quote="the Lebanese Army arrested a man carrying \u201cexplosives\u201d")
    (seeds / "events.csv").write_text(_csv([spaced, curly]), encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert list(gdf["event_id"]) == ["ev_spaced"]
    assert [(p.row, p.field) for p in problems] == [(4, "quote")]  # row 2 spans lines 2-3
    assert squash(" a \n\t b  ") == "a b"


def test_an_article_whose_text_is_unusable_is_named_in_the_problem(seeds):
    (seeds / "articles" / "beta.txt").write_text('{"type": "FeatureCollection"}',
                                                 encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert set(gdf["event_id"]) == {"ev_yabroud_arrest", "ev_is_withdraw"}
    beta_rows = [p for p in problems if p.field == "article_ids"]
    assert {p.row for p in beta_rows} == {2, 5, 6}
    assert all("GeoJSON" in p.message and "beta" in p.message for p in beta_rows)


class _Place:
    def __init__(self, name, lat, lon, kind="town"):
        self.name, self.lat, self.lon, self.kind = name, lat, lon, kind
        self.admin1, self.country, self.precision, self.source = "Adm", "SY", 1, "fake:1"


class _Resolution:
    def __init__(self, place, via="curated"):
        self.resolved, self.place, self.via = place is not None, place, via
        self.score, self.candidates = (100.0 if place else 0.0), []


class FakeGazetteer:
    """The two methods the catalog uses, per the geo contract, over a dict of places."""

    def __init__(self, places, outlines=None):
        self.places, self.outlines = places, outlines or {}

    def resolve(self, name, near=()):
        place = self.places.get(name)
        return _Resolution(place, "geonames" if name == "Yabrud" else "curated")

    def outline(self, name):
        return self.outlines.get(name)


def test_sources_can_be_injected_and_fallback_places_are_refused():
    gz = FakeGazetteer({"Arsal": _Place("Arsal", 34.0, 36.0),
                        "Yabrud": _Place("Yabroud", 33.9, 36.6),
                        "القلمون": _Place("Qalamoun mountains", 33.9, 36.5),
                        "Déir ez-Zôr": _Place("Deir ez-Zor", 35.3, 40.1),
                        "Qalamoun": _Place("Qalamoun mountains", 33.9, 36.5, "mountains")},
                       {"Qalamoun mountains": Polygon([(36, 33), (37, 33), (37, 34)])})
    corpus, _ = load_corpus(DATA)
    gdf, problems = load_events(DATA / "events.csv", strict=False, gazetteer=gz,
                                registry=load_registry(DATA / "factions.csv"), corpus=corpus)
    assert [(p.row, p.field) for p in problems] == [(3, "location")]
    assert "geonames" in problems[0].message
    assert len(gdf) == 4 and gdf.set_index("event_id").loc["ev_shelling", "outline"] \
        .startswith("POLYGON")
    assert gdf.set_index("event_id").loc["ev_arsal_attack"].geometry.equals(Point(36, 34))


def test_default_load_is_cached_and_reloads_when_a_file_changes(seeds):
    first, _ = load_events(seeds_dir=seeds)
    first.loc[first.index[0], "notes"] = "mutated by a caller"
    second, _ = load_events(seeds_dir=seeds)
    assert second.iloc[0]["notes"] != "mutated by a caller"
    assert second.attrs["rows_in"] == 5
    rows = _rows()[:2]
    path = seeds / "events.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    third, _ = load_events(seeds_dir=seeds)
    assert len(third) == 2


def test_bundled_catalog_loads_strictly_with_no_problems():
    gdf, problems = load_events()
    assert problems == []
    assert len(gdf) > 0 and gdf.attrs["rows_in"] == len(gdf)
    assert list(gdf.columns) == list(OUTPUT_COLUMNS) and gdf.crs.to_epsg() == 4326
    corpus, _ = load_corpus()
    assert "almonitor_2014_12_16" not in set(
        a for cell in gdf["article_ids"] for a in cell.split(";"))
    for row in gdf.itertuples():
        for aid, part in zip(row.article_ids.split(";"), row.quote.split(" || ")):
            for fragment in part.split(" … "):
                assert squash(fragment) in squash(corpus[aid].text), (row.event_id, fragment)
        assert row.geometry.x == row.longitude and row.geometry.y == row.latitude
        assert 32 < row.latitude < 38 and 35 < row.longitude < 43, row.event_id
        if row.outline:
            assert wkt.loads(row.outline).area > 0


def test_bundled_catalog_every_faction_and_place_resolves():
    from geo import default_gazetteer

    gdf, _ = load_events()
    registry = load_registry(strict=True)
    gz = default_gazetteer()
    for row in gdf.itertuples():
        assert all(registry.get(f) for f in row.factions.split(";")), row.event_id
        res = gz.resolve(row.location)
        assert res.resolved and res.via == "curated", row.location
        assert (res.place.lat, res.place.lon) == (row.latitude, row.longitude)
