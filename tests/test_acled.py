"""ACLED import: column mapping, dates and precisions, bad rows reported, the columnar store."""
from __future__ import annotations

import csv
import io
import os
from datetime import date

import geopandas.testing as gpd_testing
import pytest

from layers import acled, acled_store
from layers.acled import (ACLED_COLUMNS, date_range, events_from_acled, events_from_acled_bytes,
                          load_catalog, parse_acled_date)
from layers.catalog import OUTPUT_COLUMNS
from layers.filters import filter_events


def acled_row(**values) -> dict:
    """A complete ACLED row with plausible defaults, overridden by `values`."""
    row = {c: "" for c in ACLED_COLUMNS}
    row.update({
        "event_id_cnty": "SYR1", "event_date": "16 December 2014", "year": "2014",
        "time_precision": "1", "disorder_type": "Political violence", "event_type": "Battles",
        "sub_event_type": "Armed clash", "actor1": "Jabhat al Nusra",
        "assoc_actor_1": "Ahrar al Sham; Liwa Fajr al-Islam", "inter1": "2",
        "actor2": "Islamic State (Syria)", "inter2": "2", "interaction": "22", "iso": "760",
        "region": "Middle East", "country": "Syria", "admin1": "Dara", "admin2": "Dara",
        "location": "Nawa", "latitude": "32.8889", "longitude": "36.0431",
        "geo_precision": "1", "source": "SOHR; Syria Direct", "source_scale": "National",
        "notes": "On 16 December 2014, Jabhat al Nusra clashed with IS near Nawa.",
        "fatalities": "4", "timestamp": "1618000000",
    })
    row.update(values)
    return row


def acled_csv(rows, columns=ACLED_COLUMNS) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def test_columns_and_mapping(registry):
    gdf, problems = events_from_acled_bytes(acled_csv([acled_row()]), "x.csv", registry)
    assert problems == []
    assert list(gdf.columns) == list(OUTPUT_COLUMNS)
    row = gdf.iloc[0]
    assert row["event_id"] == "SYR1"
    assert (row["event_date"], row["date_start"], row["date_end"]) == ("2014-12-16",) * 3
    assert row["time_precision"] == 1 and row["geo_precision"] == 1
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert (row["actor1"], row["actor2"]) == ("Jabhat al Nusra", "Islamic State (Syria)")
    assert row["assoc_actors"] == "Ahrar al Sham;Liwa Fajr al-Islam"
    # ACLED spells names without hyphens: matched through the registry's aliases anyway
    assert row["factions"] == "nusra;is;ahrar_al_sham;fajr_al_islam"
    assert (row["location"], row["admin1"], row["country"]) == ("Nawa", "Dara", "SY")
    assert (row["latitude"], row["longitude"]) == (32.8889, 36.0431)
    assert (row.geometry.x, row.geometry.y) == (36.0431, 32.8889)
    assert row["fatalities"] == 4
    assert row["sources"] == "ACLED: SOHR; Syria Direct"
    assert row["notes"].startswith("On 16 December 2014")
    assert (row["origin"], row["place_source"], row["article_ids"], row["quote"],
            row["outline"]) == ("acled", "acled", "", "", "")
    assert str(gdf.crs) == "EPSG:4326"
    for col in ("time_precision", "geo_precision", "fatalities"):
        assert str(gdf[col].dtype) == "int64"


def test_unmatched_actor_has_no_faction(registry):
    row = acled_row(actor1="Military Forces of Syria (2000-)", actor2="", assoc_actor_1="")
    gdf, problems = events_from_acled_bytes(acled_csv([row]), "x.csv", registry)
    assert problems == [] and gdf.iloc[0]["factions"] == ""


@pytest.mark.parametrize("text, expected", [
    ("16 December 2014", date(2014, 12, 16)), ("2014-12-16", date(2014, 12, 16)),
    ("3 Feb 2016", date(2016, 2, 3)), ("29-January-2016", date(2016, 1, 29)),
    ("2014-13-01", None), ("December 2014", None), ("", None)])
def test_parse_acled_date(text, expected):
    assert parse_acled_date(text) == expected


def test_precisions_give_week_and_month_ranges(registry):
    rows = [acled_row(event_id_cnty="A", event_date="16 December 2014", time_precision="1"),
            acled_row(event_id_cnty="B", event_date="2014-12-16", time_precision="2"),
            acled_row(event_id_cnty="C", event_date="16 December 2014", time_precision="3"),
            acled_row(event_id_cnty="D", event_date="2016-02-10", time_precision="3"),
            acled_row(event_id_cnty="E", event_date="31 December 2014", time_precision="2")]
    gdf, problems = events_from_acled_bytes(acled_csv(rows), "x.csv", registry)
    assert problems == []
    got = {r.event_id: (r.event_date, r.date_start, r.date_end, r.time_precision)
           for r in gdf.itertuples()}
    assert got == {
        "A": ("2014-12-16", "2014-12-16", "2014-12-16", 1),
        "B": ("2014-12-16", "2014-12-15", "2014-12-21", 2),  # Monday to Sunday
        "C": ("2014-12-16", "2014-12-01", "2014-12-31", 3),
        "D": ("2016-02-10", "2016-02-01", "2016-02-29", 3),  # leap year
        "E": ("2014-12-31", "2014-12-29", "2015-01-04", 2),  # week across the new year
    }
    assert date_range(date(2014, 12, 16), 3) == (date(2014, 12, 1), date(2014, 12, 31))


def test_bad_rows_reported_with_file_row_field_and_others_load(registry, tmp_path):
    rows = [acled_row(event_id_cnty="OK1", notes="two\nlines"),       # lines 2-3
            acled_row(event_id_cnty="BAD_DATE", event_date="32 December 2014"),  # line 4
            acled_row(event_id_cnty="BAD_LAT", latitude="200"),        # line 5
            acled_row(event_id_cnty="BAD_FAT", fatalities="many"),     # line 6
            acled_row(event_id_cnty="OK2", event_date="2015-01-02"),   # line 7
            acled_row(event_id_cnty="BAD_TP", time_precision="4"),     # line 8
            acled_row(event_id_cnty="OK1"),                            # line 9: duplicate
            acled_row(event_id_cnty="BAD_TYPE", event_type="Fighting")]  # line 10
    data = acled_csv(rows)
    data += b"SHORT,16 December 2014,2014\n"                           # line 11: too few fields
    data += acled_csv([acled_row(event_id_cnty="OK3")]).split(b"\n", 1)[1]  # line 12
    path = tmp_path / "acled.csv"
    path.write_bytes(data)
    gdf, problems = events_from_acled(path, registry)
    assert sorted(gdf["event_id"]) == ["OK1", "OK2", "OK3"]
    where = {(p.row, p.field) for p in problems}
    assert {(4, "event_date"), (5, "latitude"), (6, "fatalities"), (8, "time_precision"),
            (9, "event_id_cnty"), (10, "event_type"), (11, "")} <= where
    assert all(p.file.endswith("acled.csv") for p in problems)
    assert "200" in next(p.message for p in problems if p.field == "latitude")
    assert "3 fields" in next(p.message for p in problems if p.row == 11)
    rows_in = 10
    assert rows_in == len(gdf) + len({p.row for p in problems})
    with pytest.raises(ValueError, match="latitude"):
        events_from_acled(path, registry, strict=True)


def test_missing_column_is_reported_and_nothing_loads(registry):
    columns = [c for c in ACLED_COLUMNS if c != "fatalities"]
    gdf, problems = events_from_acled_bytes(acled_csv([acled_row()], columns), "f.csv",
                                            registry)
    assert len(gdf) == 0 and list(gdf.columns) == list(OUTPUT_COLUMNS)
    assert [(p.file, p.row, p.field, p.message) for p in problems] == [
        ("f.csv", 1, "fatalities", "missing column")]


def test_optional_columns_may_be_absent(registry):
    columns = [c for c in ACLED_COLUMNS if c not in ("assoc_actor_1", "notes", "geo_precision",
                                                      "admin1", "tags", "iso")]
    gdf, problems = events_from_acled_bytes(acled_csv([acled_row()], columns), "f.csv",
                                            registry)
    assert problems == []
    assert (gdf.iloc[0]["notes"], gdf.iloc[0]["geo_precision"], gdf.iloc[0]["country"]) == (
        "", 1, "SY")


def test_load_catalog_chooses_format_by_header(registry, tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    path.write_bytes(acled_csv([acled_row(), acled_row(event_id_cnty="SYR2")]))
    gdf, problems = load_catalog(path, registry=registry)
    assert problems == [] and set(gdf["origin"]) == {"acled"} and len(gdf) == 2
    monkeypatch.setenv("FRONTS_CATALOG", str(path))
    assert acled.catalog_path() == path
    assert len(load_catalog()[0]) == 2
    monkeypatch.delenv("FRONTS_CATALOG")
    assert acled.catalog_path() is None
    # our own format goes to layers.catalog.load_events
    from layers import settings
    ours, _ = load_catalog(settings.EVENTS_CSV)
    assert len(ours) > 0 and set(ours["origin"]) == {"curated"}
    assert list(ours.columns) == list(gdf.columns)


def test_store_reads_with_filters_like_filter_events(registry, tmp_path):
    rows = []
    for i in range(300):
        rows.append(acled_row(
            event_id_cnty=f"SYR{i}", event_date=date.fromordinal(735000 + 7 * i).isoformat(),
            time_precision=str(1 + i % 3), event_type=("Battles", "Riots")[i % 2],
            sub_event_type=("Armed clash", "Mob violence")[i % 2],
            actor1=("Jabhat al Nusra", "Hezbollah", "Free Syrian Army")[i % 3],
            actor2=("Islamic State (Syria)", "")[i % 2], assoc_actor_1="",
            fatalities=str(i % 5), notes=f"event {i} near Nawa" + (" Qalamoun" * (i % 4 == 0))))
    rows.append(acled_row(event_id_cnty="BAD", latitude="x"))
    path = tmp_path / "a.csv"
    path.write_bytes(acled_csv(rows))
    full, problems = events_from_acled(path, registry)
    assert len(full) == 300 and [p.field for p in problems] == ["latitude"]
    cache = tmp_path / "cache"
    for kw in ({}, {"start": "2014-01-01", "end": "2015-06-30"},
               {"factions": ["nusra", "is"]}, {"types": ["Riots"], "end": "2016-01-01"},
               {"text": "qalamoun", "factions": ["hezbollah"]}, {"articles": ["x"]}):
        got, got_problems = acled_store.scan_events(path, cache_dir=cache, registry=registry,
                                                     **kw)
        want = filter_events(full, **kw)
        assert len(got) == len(want), kw
        key = ["event_id"]
        gpd_testing.assert_geodataframe_equal(
            got.sort_values(key).reset_index(drop=True),
            want.sort_values(key).reset_index(drop=True))
        assert got_problems == problems
        few, _ = acled_store.scan_events(path, cache_dir=cache, columns=["event_id", "latitude"],
                                         **kw)
        assert list(few.columns) == ["event_id", "latitude"]
        assert sorted(few["event_id"]) == sorted(want["event_id"])
    stored = list(cache.glob("*.parquet"))
    assert len(stored) == 1  # converted once, then reused
    mtime = stored[0].stat().st_mtime_ns
    acled_store.scan_events(path, cache_dir=cache, registry=registry)
    assert stored[0].stat().st_mtime_ns == mtime
    # a changed source is converted again
    path.write_bytes(acled_csv(rows[:10]))
    os.utime(path, ns=(mtime + 10**9, mtime + 10**9))
    again, _ = acled_store.scan_events(path, cache_dir=cache, registry=registry)
    assert len(again) == 10


def test_synthetic_generator_writes_valid_acled(registry, tmp_path):
    from bench.synth_acled import write_synth

    path = write_synth(1000, tmp_path)
    gdf, problems = events_from_acled(path, registry)
    assert problems == [] and len(gdf) == 1000
    assert gdf["event_date"].min() >= "2012-01-01" and gdf["event_date"].max() <= "2020-12-31"
    assert set(gdf["country"]) == {"SY", "LB"}
    assert gdf["longitude"].between(34.5, 42.5).all() and gdf["latitude"].between(32, 37.5).all()
    assert (gdf["factions"] != "").mean() > 0.8
    assert set(gdf["time_precision"]) == {1, 2, 3}
    assert path.read_bytes() == write_synth(1000, tmp_path / "again").read_bytes()  # seeded
