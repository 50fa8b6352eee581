"""`python -m layers export` as other checks call it: the count printed equals the filter's."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from layers.catalog import load_events
from layers.filters import filter_events

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "layers_seeds"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layers", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def fixture_events():
    events, _ = load_events(seeds_dir=DATA)
    return events


@pytest.mark.parametrize("args, kwargs", [
    ([], {}),
    (["--faction", "is", "--faction", "regime"], {"factions": ["is", "regime"]}),
    (["--start", "2014-08-04", "--end", "2014-12-13"],
     {"start": "2014-08-04", "end": "2014-12-13"}),
    (["--type", "Battles", "--article", "beta"], {"types": ["Battles"], "articles": ["beta"]}),
    (["--faction", "civilians"], {"factions": ["civilians"]}),
])
@pytest.mark.parametrize("ext", ["geojson", "csv"])
def test_export_prints_the_filtered_count(tmp_path, fixture_events, args, kwargs, ext):
    out = tmp_path / f"out.{ext}"
    proc = run("export", str(out), *args, "--seeds", str(DATA))
    assert proc.returncode == 0, proc.stderr
    expected = filter_events(fixture_events, **kwargs)
    assert proc.stdout == f"{len(expected)}\n"
    if len(expected):
        back = pyogrio.read_dataframe(out)
        assert sorted(back["event_id"]) == sorted(expected["event_id"])
    if ext == "geojson":
        assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == len(expected)


@pytest.mark.parametrize("args, named", [
    (["out.shp"], "OUT"),
    (["out.csv", "--start", "2014-02-30"], "--start"),
    (["out.csv", "--end", "yesterday"], "--end"),
    (["out.csv", "--start", "2015-01-01", "--end", "2014-01-01"], "--start"),
    (["out.csv", "--faction", "hezbollah"], "--faction"),
    (["out.csv", "--type", "Sieges"], "--type"),
    (["out.csv", "--article", "gamma"], "--article"),
    (["out.csv", "--colour", "red"], "--colour"),
])
def test_bad_arguments_are_argparse_errors_naming_them(tmp_path, args, named):
    args = [str(tmp_path / args[0]), *args[1:]]
    proc = run("export", *args, "--seeds", str(DATA))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert named in proc.stderr and "error" in proc.stderr
    assert not (tmp_path / "out.csv").exists()


def test_problems_go_to_stderr_and_good_rows_are_still_written(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA, seeds)
    events = seeds / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "Déir ez-Zôr,1,5", "Atlantis,1,5"), encoding="utf-8")
    out = tmp_path / "out.gpkg"
    proc = run("export", str(out), "--seeds", str(seeds))
    assert proc.returncode == 0
    assert proc.stdout == "4\n"
    assert "events.csv:5: location: unknown place 'Atlantis'" in proc.stderr
    assert len(pyogrio.read_dataframe(out)) == 4


def test_export_of_the_bundled_catalog(tmp_path):
    events, problems = load_events(strict=False)
    out = tmp_path / "all.geojson"
    proc = run("export", str(out), "--faction", "nusra")
    assert proc.returncode == 0, proc.stderr
    expected = filter_events(events, factions=["nusra"])
    assert int(proc.stdout) == len(expected) > 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc and len(doc["features"]) == len(expected)


def test_help_lists_the_export_command():
    proc = run("--help")
    assert proc.returncode == 0 and "export" in proc.stdout
    proc = run()
    assert proc.returncode == 2 and "COMMAND" in proc.stderr


ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
                "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
                "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
                "location,latitude,longitude,geo_precision,source,source_scale,notes,"
                "fatalities,tags,timestamp")


def _acled_row(eid, day, actor1, actor2, lat, lon):
    return (f"{eid},{day},2015,1,Political violence,Battles,Armed clash,{actor1},,2,{actor2},,"
            f"2,22,,760,Middle East,Syria,Rif Dimashq,Yabroud,Yabroud,Yabroud,{lat},{lon},1,"
            f"SOHR,National,Clashes near the town,2,,1618528617")


def test_export_takes_another_catalog(tmp_path):
    acled = tmp_path / "acled.csv"
    acled.write_text("\n".join([
        ACLED_HEADER,
        _acled_row("SYR1", "2015-03-01", "Jabhat al Nusra", "Islamic State (Syria)", 33.97, 36.66),
        _acled_row("SYR2", "2015-05-01", "Islamic State (Syria)", "Hezbollah", 34.0, 36.6),
        _acled_row("SYR3", "2015-06-01", "Jabhat al Nusra", "Hezbollah", 200, 36.6),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    res = run("export", str(out), "--catalog", str(acled), "--faction", "nusra")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "1"                 # SYR3's latitude 200 is reported, not kept
    assert "latitude" in res.stderr
    feats = json.loads(out.read_text())["features"]
    assert [f["properties"]["event_id"] for f in feats] == ["SYR1"]
    assert feats[0]["properties"]["origin"] == "acled"


def test_export_with_a_missing_catalog_names_it(tmp_path):
    res = run("export", str(tmp_path / "o.csv"), "--catalog", str(tmp_path / "nope.csv"))
    assert res.returncode == 2 and "nope.csv" in res.stderr


def test_extract_is_a_subcommand(tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("At least four fighters were killed on Friday when the Islamic State "
                       "attacked Nusra Front positions near Arsal.\n", encoding="utf-8")
    res = run("extract", str(article), "--published", "2015-06-12")
    assert res.returncode == 0, res.stderr
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    (feat,) = fc["features"]
    props = feat["properties"]
    assert props["origin"] == "extracted" and props["location"] == "Arsal"
    assert props["date_start"] == props["date_end"] == "2015-06-12"
    assert props["fatalities"] == 4 and {"is", "nusra"} <= set(props["factions"].split(";"))
    lon, lat = feat["geometry"]["coordinates"]
    assert abs(lat - 34.18) < 0.05 and abs(lon - 36.42) < 0.05
