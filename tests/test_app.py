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


# ---------------------------------------------------------------- origins and adding articles

def cli_origin_count(tmp_path, seeds, origins, *args, env=None) -> int:
    """`python -m layers export --origin ...` on `seeds` (and $FRONTS_ACLED from `env`)."""
    import os
    out = tmp_path / "out.csv"
    cmd = [sys.executable, "-m", "layers", "export", str(out), "--seeds", str(seeds), *args]
    for o in origins:
        cmd += ["--origin", o]
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})})
    assert res.returncode == 0, res.stderr
    return int(res.stdout.strip().splitlines()[-1])


def test_origin_widget_counts_equal_cli_export_per_origin(app, tmp_path):
    """Each choice of origins shows what `export --origin` writes; the URL carries it."""
    at = app.run()
    assert at.multiselect(key="origins").value == ["curated"]
    assert at.multiselect(key="origins").options == ["curated", "extracted"]  # no FRONTS_ACLED
    assert "origin" not in at.query_params  # the default keeps the URL as before
    curated = shown_count(at)
    at.multiselect(key="origins").set_value(["extracted"]).run()
    assert not at.exception
    extracted = shown_count(at)
    assert 0 < extracted == cli_origin_count(tmp_path, SEEDS, ["extracted"])
    assert qp(at, "origin") == ["extracted"]
    at.multiselect(key="origins").set_value(["curated", "extracted"]).run()
    assert shown_count(at) == curated + extracted == cli_origin_count(
        tmp_path, SEEDS, ["curated", "extracted"])
    at.multiselect(key="factions").set_value(["nusra"]).run()
    assert shown_count(at) == cli_origin_count(tmp_path, SEEDS, ["curated", "extracted"],
                                               "--faction", "nusra")
    assert qp(at, "origin") == ["curated", "extracted"] and qp(at, "faction") == ["nusra"]
    table = at.dataframe[0].value
    assert set(table["origin"]) == {"curated", "extracted"}
    assert table.loc[table.origin == "extracted", "confidence"].between(0, 1).all()


def test_origin_from_url_restores_and_bad_values_get_a_notice(app, tmp_path):
    app.query_params["origin"] = ["extracted", "acled", "rumours"]
    at = app.run()
    assert not at.exception
    assert at.multiselect(key="origins").value == ["extracted"]
    notices = " ".join(w.value for w in at.warning)
    assert "'acled'" in notices and "'rumours'" in notices  # acled: no FRONTS_ACLED here
    assert shown_count(at) == cli_origin_count(tmp_path, SEEDS, ["extracted"])


def test_acled_origin_beside_curated_matches_cli(monkeypatch, tmp_path):
    """FRONTS_ACLED adds the acled origin; the big mixed set keeps the count and caps the table."""
    from bench.synth_acled import write_synth
    from layers import mapview

    path = write_synth(3 * mapview.FAST_ABOVE, tmp_path)
    monkeypatch.setenv("FRONTS_SEEDS", str(SEEDS))
    monkeypatch.setenv("FRONTS_ACLED", str(path))
    monkeypatch.setenv("FRONTS_TILES", "none")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["origin"] = ["curated", "acled"]
    at.query_params["start"] = "2014-01-01"
    at.run()
    assert not at.exception
    expected = cli_origin_count(tmp_path, SEEDS, ["curated", "acled"], "--start", "2014-01-01",
                                env={"FRONTS_ACLED": str(path)})
    assert mapview.FAST_ABOVE < shown_count(at) == expected
    assert any("First 1000 of" in c.value for c in at.caption)
    assert [str(d) for d in at.date_input(key="dates").value][0] == "2014-01-01"
    # dropping the filter: the whole range now spans the ACLED years too
    at.query_params.clear()
    at2 = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at2.query_params["origin"] = ["curated", "acled"]
    at2.run()
    assert shown_count(at2) == cli_origin_count(tmp_path, SEEDS, ["curated", "acled"],
                                                env={"FRONTS_ACLED": str(path)})


@pytest.fixture
def seeds_copy(tmp_path, monkeypatch):
    """A private copy of the e2e seeds: adding an article never writes into a shared folder."""
    import shutil
    copy = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    monkeypatch.setenv("FRONTS_SEEDS", str(copy))
    monkeypatch.setenv("FRONTS_TILES", "none")
    return copy


ARTICLE = ("DEIR EZ-ZOR -- Islamic State fighters stormed army positions in Deir ez-Zor on "
           "Monday, killing at least nine soldiers, activists said.\n\n"
           "The Nusra Front clashed with the Islamic State near Yabroud on Sunday.\n")


def _fill_article_form(at, text, outlet, title, published):
    at.text_area(key="add_text").input(text)
    at.text_input(key="add_outlet").input(outlet)
    at.text_input(key="add_title").input(title)
    at.date_input(key="add_published").set_value(published)
    submit = next(b for b in at.button if b.label == "Add article")
    return submit.click().run()


def test_add_article_form_adds_it_and_its_extracted_events_show(seeds_copy, tmp_path):
    from datetime import date

    from layers.corpus import load_corpus

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300).run()
    before = shown_count(at)
    at = _fill_article_form(at, ARTICLE, "Fixture Wire", "IS storms army posts",
                            date(2015, 3, 16))
    assert not at.exception
    corpus, problems = load_corpus(seeds_copy)
    assert "fixture_wire_2015_03_16" in corpus and problems == []
    success = " ".join(s.value for s in at.success)
    m = re.search(r"Added article fixture_wire_2015_03_16 .*: (\d+) machine-extracted", success)
    assert m and int(m.group(1)) >= 1
    # the extracted origin is switched on, and the count equals the CLI on the same seeds
    assert at.multiselect(key="origins").value == ["curated", "extracted"]
    assert shown_count(at) > before
    assert shown_count(at) == cli_origin_count(tmp_path, seeds_copy, ["curated", "extracted"])
    table = at.dataframe[0].value
    added = table[table.origin == "extracted"]
    assert "Deir ez-Zor" in set(added.location)
    assert "Fixture Wire (2015-03-16): IS storms army posts" in at.multiselect(key="articles").options


def test_add_article_form_reports_the_bad_field_and_writes_nothing(seeds_copy):
    from datetime import date

    before = (seeds_copy / "articles.csv").read_bytes()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300).run()
    at = _fill_article_form(at, '{"type": "FeatureCollection", "features": []}', "Wire", "T",
                            date(2015, 3, 16))
    assert not at.exception
    assert any(e.value.startswith("Not added: `") and "text: holds a GeoJSON FeatureCollection" in e.value
               for e in at.error)
    at = _fill_article_form(at, ARTICLE, "Wire", "", date(2015, 3, 16))
    assert any(e.value.startswith("Not added: `") and "title: empty" in e.value for e in at.error)
    assert (seeds_copy / "articles.csv").read_bytes() == before
    assert sorted(p.name for p in (seeds_copy / "articles").iterdir()) == [
        "alpha.txt", "beta.txt", "gamma.txt"]
