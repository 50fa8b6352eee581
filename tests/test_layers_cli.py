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
