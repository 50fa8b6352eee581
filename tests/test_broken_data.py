"""Broken input never crashes and never hides good data: each fault becomes a Problem naming
file, row and field; the good rows still load; rows in = rows loaded + rows reported; and the
app lists every problem.

The seeds are a private copy of tests/data/layers_seeds (5 good events, 2 good articles) with
one fault of each kind added.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.acled import events_from_acled_bytes
from layers.catalog import COLUMNS, load_events
from layers.corpus import load_corpus
from layers.factions import load_registry

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "layers_seeds"
GOOD_EVENTS = 5
GOOD_ARTICLES = 2

#: name, file content, the words the problem must contain
BAD_ARTICLES = [
    ("empty", b"", "empty file"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe", "not valid UTF-8"),
    ("arabic_1256", "اشتباكات بين جبهة النصرة وتنظيم الدولة في درعا".encode("cp1256"),
     "Windows-1256"),
    ("english_utf16", "Clashes in Arsal on Saturday.".encode("utf-16"), "UTF-16"),
]


def _events() -> list[dict]:
    with open(DATA / "events.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _line(row: dict) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[c] for c in COLUMNS])
    return out.getvalue().rstrip("\n")


def bad_event_lines() -> list[tuple[str, str, str]]:
    """(CSV line, field the problem must name, words of the message) for each bad row."""
    good = _events()[0]  # ev_arsal_attack, Arsal, articles alpha;beta

    def variant(**changes) -> str:
        return _line({**good, **changes})

    full = variant(event_id="ev_short")
    return [
        (full.rsplit(",", 1)[0] if not full.endswith('"') else full[: full.rindex(',"')],
         "quote", "16 fields where the header has 17"),
        (variant(event_id="ev_extra") + ",surplus", "(field 18)", "18 fields"),
        (variant(event_id="ev_month13", event_date="2014-13-40"), "event_date", "2014-13-40"),
        (variant(event_id="ev_yesterday", date_start="yesterday"), "date_start", "yesterday"),
        (variant(event_id="ev_faction", factions="nusra;is;lebanese_army;no_such_faction"),
         "factions", "no_such_faction"),
        (variant(event_id="ev_atlantis", location="Atlantis"), "location", "Atlantis"),
        (variant(), "event_id", "duplicate id 'ev_arsal_attack'"),
        (variant(event_id="ev_far", location="Far Away"), "location", "Far Away"),
        (variant(event_id="ev_empty_article", article_ids="empty", quote="Anything"),
         "article_ids", "unusable"),
    ]


@pytest.fixture
def broken(tmp_path) -> Path:
    """A copy of the fixture seeds with one fault of each kind."""
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA, seeds)
    with open(seeds / "articles.csv", "a", encoding="utf-8", newline="") as fh:
        for name, content, _ in BAD_ARTICLES:
            fh.write(f"{name},{name}.txt,Broken Outlet,,Broken {name},2014-12-20,,,confirmed,,,\n")
            (seeds / "articles" / f"{name}.txt").write_bytes(content)
    with open(seeds / "places.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write("Far Away,,town,Nowhere,SY,200,36.5,1,estimated: test,latitude out of range\n")
    text = (seeds / "events.csv").read_text(encoding="utf-8").rstrip("\n")
    lines = [line for line, _, _ in bad_event_lines()]
    (seeds / "events.csv").write_text(text + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return seeds


def test_each_bad_event_row_names_file_row_and_field(broken):
    gdf, problems = load_events(strict=False, seeds_dir=broken)
    first_bad_line = GOOD_EVENTS + 2  # header + the good rows
    for i, (_, field, words) in enumerate(bad_event_lines()):
        line = first_bad_line + i
        found = [p for p in problems if p.file.endswith("events.csv") and p.row == line]
        assert [p.field for p in found if p.field == field], (line, field, found)
        assert any(words in p.message for p in found if p.field == field), (words, found)
    assert sorted(gdf["event_id"]) == sorted(r["event_id"] for r in _events())


def test_rows_in_equal_rows_loaded_plus_rows_reported(broken):
    gdf, problems = load_events(strict=False, seeds_dir=broken)
    reported = {p.row for p in problems if p.file.endswith("events.csv") and p.row > 1}
    n_bad = len(bad_event_lines())
    assert len(gdf) == gdf.attrs["rows_loaded"] == GOOD_EVENTS
    assert gdf.attrs["rows_in"] == GOOD_EVENTS + n_bad
    assert gdf.attrs["rows_in"] == gdf.attrs["rows_loaded"] + len(reported)
    assert gdf.attrs["rows_rejected"] == len(reported) == n_bad


def test_latitude_200_in_the_gazetteer_names_its_row_and_hides_no_other_place(broken):
    gdf, problems = load_events(strict=False, seeds_dir=broken)
    bad = [p for p in problems if p.file.endswith("places.csv")]
    assert [(p.row, p.field) for p in bad] == [(6, "lat")]
    assert "200" in bad[0].message
    assert set(gdf["location"]) >= {"Arsal", "Yabrud", "Déir ez-Zôr"}  # other places still work


def test_bad_article_files_name_their_metadata_row_and_the_others_load(broken):
    articles, problems = load_corpus(broken)
    assert sorted(articles) == ["alpha", "beta"]
    for i, (name, _, words) in enumerate(BAD_ARTICLES):
        line = GOOD_ARTICLES + 2 + i
        found = [p for p in problems if p.row == line]
        assert len(found) == 1, (name, problems)
        p = found[0]
        assert p.file.endswith("articles.csv") and p.field == "file"
        assert f"{name}.txt" in p.message and words in p.message, p
    with open(broken / "articles.csv", newline="", encoding="utf-8") as fh:
        rows_in = sum(1 for _ in csv.DictReader(fh))
    assert rows_in == len(articles) + len({p.row for p in problems})


def test_empty_catalogs_are_reported_not_silent(broken):
    (broken / "events.csv").write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    gdf, problems = load_events(strict=False, seeds_dir=broken)
    assert len(gdf) == 0 and gdf.attrs["rows_in"] == 0 == gdf.attrs["rows_rejected"]
    assert [(p.row, p.field) for p in problems if p.file.endswith("events.csv")] == [(0, "")]
    assert "no events" in str(problems[-1])
    (broken / "events.csv").write_bytes(b"")
    _, problems = load_events(strict=False, seeds_dir=broken)
    assert any(p.file.endswith("events.csv") and "empty file" in p.message for p in problems)


@pytest.mark.parametrize("encoding, words", [("utf-16", "UTF-16"), ("cp1256", "Windows-1256")])
def test_catalog_in_another_encoding_is_named(broken, encoding, words):
    text = (DATA / "events.csv").read_text(encoding="utf-8").replace("عرسال", "درعا")
    data = text.encode(encoding, errors="replace")
    (broken / "events.csv").write_bytes(data)
    gdf, problems = load_events(strict=False, seeds_dir=broken)
    assert len(gdf) == 0
    hit = [p for p in problems if p.file.endswith("events.csv")]
    assert len(hit) == 1 and words in hit[0].message


def test_factions_file_with_bad_rows_keeps_the_good_ones(broken):
    with open(broken / "factions.csv", "a", encoding="utf-8") as fh:
        fh.write("Bad Id,Some group,,jihadist,,#123456,\n")
        fh.write("shorty,Short row\n")
        fh.write("pinky,Pink group,,other,,pink,\n")
    registry = load_registry(broken / "factions.csv")
    assert {"nusra", "is", "regime"} <= set(registry.ids) and "pinky" not in registry.ids
    where = {(p.row, p.field) for p in registry.problems}
    assert where == {(8, "id"), (9, "aliases"), (10, "colour")}


def test_acled_rows_with_latitude_200_or_bad_dates_are_named_and_the_rest_load():
    header = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
              "actor2,country,location,latitude,longitude,geo_precision,source,notes,fatalities")
    good = ("SYR1,16 December 2014,2014,1,Battles,Armed clash,Jabhat al-Nusra,Islamic State,"
            "Syria,Daraa,32.6,36.1,1,Al-Monitor,clash,3")
    rows = [good,
            good.replace("SYR1", "SYR2").replace("32.6", "200"),
            good.replace("SYR1", "SYR3").replace("16 December 2014", "2014-13-40"),
            good.replace("SYR1", "SYR4").replace("16 December 2014", "yesterday"),
            good,  # duplicate id
            good.replace("SYR1", "SYR6")]
    data = (header + "\n" + "\n".join(rows) + "\n").encode("utf-8")
    gdf, problems = events_from_acled_bytes(data, "acled.csv", load_registry())
    assert list(gdf["event_id"]) == ["SYR1", "SYR6"]
    assert [(p.file, p.row, p.field) for p in problems] == [
        ("acled.csv", 3, "latitude"), ("acled.csv", 4, "event_date"),
        ("acled.csv", 5, "event_date"), ("acled.csv", 6, "event_id_cnty")]
    assert len(rows) == len(gdf) + len({p.row for p in problems})


def test_app_lists_every_problem_and_shows_the_good_events(broken, monkeypatch):
    monkeypatch.setenv("FRONTS_SEEDS", str(broken))
    monkeypatch.setenv("FRONTS_TILES", "none")
    monkeypatch.delenv("FRONTS_CATALOG", raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any(md.value.startswith(f"**{GOOD_EVENTS} events**") for md in at.markdown)
    _, problems = load_events(strict=False, seeds_dir=broken)
    problems += load_corpus(broken)[1]
    shown = "\n".join(t.value for t in at.text)
    missing = [str(p) for p in problems if str(p) not in shown]
    assert missing == []
    assert len(problems) >= len(bad_event_lines()) + len(BAD_ARTICLES) + 1
    label = next(e.label for e in at.expander if e.label.startswith("Data problems"))
    assert f"({len(set(map(str, problems)))})" in label


@pytest.mark.parametrize("content", ['{"type": "FeatureCollection", "features": []}', "",
                                     "not json", '[1, 2]'])
def test_app_survives_an_empty_or_broken_regions_file(broken, monkeypatch, content):
    """regions.geojson with no features, empty or not GeoJSON: the map still renders."""
    (broken / "regions.geojson").write_text(content, encoding="utf-8")
    monkeypatch.setenv("FRONTS_SEEDS", str(broken))
    monkeypatch.setenv("FRONTS_TILES", "none")
    monkeypatch.delenv("FRONTS_CATALOG", raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert any(md.value.startswith(f"**{GOOD_EVENTS} events**") for md in at.markdown)
    _, problems = load_events(strict=False, seeds_dir=broken)
    named = [p for p in problems if p.file.endswith("regions.geojson")]
    assert bool(named) == (content != '{"type": "FeatureCollection", "features": []}'), problems
