"""Page logic of app.py with Streamlit's AppTest: URL filters, the count, notices, problems."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.catalog import load_events
from layers.filters import filter_events

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "e2e" / "seeds"


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("FRONTS_SEEDS", str(SEEDS))
    monkeypatch.setenv("FRONTS_TILES", "none")
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=120)


def shown_count(at) -> int:
    for md in at.markdown:
        m = re.match(r"\*\*(\d+) events?\*\*", md.value)
        if m:
            return int(m.group(1))
    raise AssertionError("no 'N events' text on the page")


def qp(at, key) -> list[str]:
    """A query parameter's values as a list (AppTest keeps one value as a plain string)."""
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


def cli_count(tmp_path, *args) -> int:
    """What `python -m layers export` writes for the same filters."""
    out = tmp_path / "out.geojson"
    res = subprocess.run([sys.executable, "-m", "layers", "export", str(out), "--seeds", str(SEEDS),
                          *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return int(res.stdout.strip().splitlines()[-1])


def test_default_page_shows_every_event_and_lists_problems(app, tmp_path):
    at = app.run()
    assert not at.exception
    gdf, problems = load_events(strict=False, seeds_dir=SEEDS)
    assert shown_count(at) == len(gdf) == cli_count(tmp_path) == 6
    assert not at.warning
    assert problems and any(str(problems[0]) in t.value for t in at.text)
    assert at.expander[0].label.startswith(f"Data problems found while loading ({len(problems)}")
    assert len(at.get("download_button")) == 3


def test_url_filters_restore_widgets_and_count_matches_cli(app, tmp_path):
    app.query_params["start"] = "2014-08-03"
    app.query_params["end"] = "2014-12-31"
    app.query_params["faction"] = ["is", "lebanese_army"]
    at = app.run()
    assert not at.exception
    gdf, _ = load_events(strict=False, seeds_dir=SEEDS)
    expected = len(filter_events(gdf, "2014-08-03", "2014-12-31", ["is", "lebanese_army"]))
    assert 0 < expected < len(gdf)
    assert shown_count(at) == expected == cli_count(
        tmp_path, "--start", "2014-08-03", "--end", "2014-12-31", "--faction", "is",
        "--faction", "lebanese_army")
    assert [str(d) for d in at.date_input(key="dates").value] == ["2014-08-03", "2014-12-31"]
    assert at.multiselect(key="factions").value == ["is", "lebanese_army"]
    assert qp(at, "faction") == ["is", "lebanese_army"]


def test_bad_url_values_are_ignored_with_a_notice(app):
    app.query_params["start"] = "not-a-date"
    app.query_params["faction"] = ["nusra", "<script>"]
    app.query_params["type"] = "Picnics"
    at = app.run()
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "not-a-date" in notices and "<script>" in notices and "Picnics" in notices
    assert at.multiselect(key="factions").value == ["nusra"]
    gdf, _ = load_events(strict=False, seeds_dir=SEEDS)
    assert shown_count(at) == len(filter_events(gdf, factions=["nusra"]))


def test_widgets_write_filters_into_the_url(app):
    at = app.run()
    at.multiselect(key="types").select("Battles").run()
    assert not at.exception
    gdf, _ = load_events(strict=False, seeds_dir=SEEDS)
    assert shown_count(at) == len(filter_events(gdf, types=["Battles"])) < len(gdf)
    assert qp(at, "type") == ["Battles"]
    at.text_input(key="q").input("banner").run()
    assert shown_count(at) == 0  # text and type together: the banner event is not a battle
    assert qp(at, "q") == ["banner"]


def test_missing_catalog_is_reported_not_fatal(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTS_SEEDS", str(tmp_path))
    monkeypatch.setenv("FRONTS_TILES", "none")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert shown_count(at) == 0
    assert at.expander[0].label != "Data problems found while loading (0)"


def test_big_acled_catalog_from_env_uses_the_fast_layer_and_matches_cli(monkeypatch, tmp_path):
    """FRONTS_CATALOG (an ACLED export) is read as the CLI reads it; above FAST_ABOVE events
    the map gets the canvas layer and the table is capped, but the count is the full one."""
    from bench.synth_acled import write_synth
    from layers import mapview

    path = write_synth(3 * mapview.FAST_ABOVE, tmp_path)
    monkeypatch.delenv("FRONTS_SEEDS", raising=False)
    monkeypatch.setenv("FRONTS_CATALOG", str(path))
    monkeypatch.setenv("FRONTS_TILES", "none")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["type"] = "Battles"
    at.run()
    assert not at.exception
    out = tmp_path / "out.csv"
    res = subprocess.run([sys.executable, "-m", "layers", "export", str(out), "--type", "Battles"],
                         cwd=REPO, capture_output=True, text=True, timeout=300,
                         env={**__import__("os").environ, "FRONTS_CATALOG": str(path)})
    assert res.returncode == 0, res.stderr
    expected = int(res.stdout.strip().splitlines()[-1])
    assert mapview.FAST_ABOVE < shown_count(at) == expected
    assert any("First 1000 of" in c.value for c in at.caption)
