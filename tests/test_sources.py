"""Tests of layers.sources: origins side by side (curated, extracted, ACLED), one schema, the
extraction cache following the corpus files, and the vectorised timeline counts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from layers import sources, timeline
from layers.catalog import load_events
from layers.factions import load_registry

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "e2e" / "seeds"


@pytest.fixture
def seeds(tmp_path):
    """A private copy of the small e2e seeds (tests never write into a shared folder)."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture(scope="module")
def acled_csv(tmp_path_factory):
    from bench.synth_acled import write_synth
    return write_synth(300, tmp_path_factory.mktemp("acled"))


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """ACLED conversions go to a tmp folder, not the repo's .cache/."""
    import layers.acled_store as store
    monkeypatch.setattr(store, "CACHE_DIR", tmp_path / "acled-cache")


def test_default_is_the_curated_catalog_with_the_extra_confidence_column():
    gdf, problems = sources.load_layers(SEEDS)
    curated, expected = load_events(strict=False, seeds_dir=SEEDS)
    assert list(gdf.columns) == list(sources.COLUMNS)
    assert sorted(gdf.event_id) == sorted(curated.event_id) and len(gdf) == 6
    assert set(gdf.origin) == {"curated"}
    assert gdf["confidence"].isna().all()
    assert [str(p) for p in problems] == [str(p) for p in expected]
    assert gdf.crs.to_epsg() == 4326


def test_extracted_origin_runs_the_extractor_over_every_article():
    gdf, _ = sources.load_layers(SEEDS, origins=["extracted"])
    assert len(gdf) > 0 and set(gdf.origin) == {"extracted"}
    assert gdf["confidence"].between(0, 1).all()
    cited = {a for cell in gdf.article_ids for a in cell.split(";")}
    assert cited <= {"alpha", "beta", "gamma"} and "alpha" in cited
    # every extracted event quotes its article
    for quote in gdf.quote:
        assert quote.strip()


def test_origins_concatenate_with_one_schema_and_dtypes(acled_csv):
    both, _ = sources.load_layers(SEEDS, acled=acled_csv, origins=("acled", "curated", "extracted"))
    cur, _ = sources.load_layers(SEEDS)
    ext, _ = sources.load_layers(SEEDS, origins=["extracted"])
    acl, _ = sources.load_layers(SEEDS, acled=acled_csv, origins=["acled"])
    assert len(acl) == 300 and set(acl.origin) == {"acled"}
    assert len(both) == len(cur) + len(ext) + len(acl)
    # curated first, then extracted, then ACLED, whatever order was asked
    assert list(both.origin.drop_duplicates()) == ["curated", "extracted", "acled"]
    assert list(both.columns) == list(sources.COLUMNS)
    for col in ("time_precision", "geo_precision", "fatalities"):
        assert both[col].dtype == "int64", col
    assert both.confidence.dtype == "float64"
    assert both.loc[both.origin != "extracted", "confidence"].isna().all()
    assert both.index.is_unique and both.geometry.notna().all()


def test_unknown_origin_is_an_error_naming_it():
    with pytest.raises(ValueError, match="origin: unknown origin 'rumours'"):
        sources.load_layers(SEEDS, origins=["curated", "rumours"])


def test_acled_without_a_file_is_a_problem_not_a_crash(monkeypatch):
    monkeypatch.delenv(sources.ACLED_ENV, raising=False)
    gdf, problems = sources.load_layers(SEEDS, origins=["curated", "acled"])
    assert len(gdf) == 6
    assert any(p.field == sources.ACLED_ENV for p in problems)
    gdf, problems = sources.load_layers(SEEDS, acled=SEEDS / "missing.csv", origins=["acled"])
    assert len(gdf) == 0 and "no such file" in str(problems[0])


def test_acled_path_comes_from_the_environment(acled_csv, monkeypatch):
    assert sources.acled_path({}) is None
    assert sources.acled_path({"FRONTS_ACLED": str(acled_csv)}) == acled_csv
    monkeypatch.setenv("FRONTS_ACLED", str(acled_csv))
    gdf, _ = sources.load_layers(SEEDS, origins=["acled"])
    assert len(gdf) == 300


def test_catalog_replaces_the_curated_layer(acled_csv):
    gdf, _ = sources.load_layers(SEEDS, catalog=acled_csv)
    assert len(gdf) == 300  # FRONTS_CATALOG keeps its meaning: it *is* the curated slot


def test_extracted_cache_follows_the_corpus_files(seeds):
    first, _ = sources.load_extracted(seeds)
    again, _ = sources.load_extracted(seeds)
    pd.testing.assert_frame_equal(pd.DataFrame(first.drop(columns="geometry")),
                                  pd.DataFrame(again.drop(columns="geometry")))
    again.loc[:, "notes"] = "changed by the caller"
    assert (sources.load_extracted(seeds)[0].notes != "changed by the caller").all()  # copies
    stamp = sources.corpus_stamp(seeds)
    (seeds / "articles" / "gamma.txt").write_text(
        "DEIR EZ-ZOR -- Islamic State fighters stormed Deir ez-Zor on Monday, killing "
        "at least 9 soldiers of the Syrian Army.\n", encoding="utf-8")
    assert sources.corpus_stamp(seeds) != stamp
    changed, _ = sources.load_extracted(seeds)
    gamma = changed[changed.article_ids.str.contains("gamma")]
    assert len(gamma) >= 1 and (gamma.location == "Deir ez-Zor").any()


def test_period_counts_equal_the_timeline_module(acled_csv):
    registry = load_registry(SEEDS / "factions.csv")
    gdf, _ = sources.load_layers(SEEDS, acled=acled_csv, origins=sources.ORIGINS)
    for freq in ("month", "week"):
        fast = sources.period_counts(gdf, registry, freq)
        slow = timeline.events_per_period(gdf, registry, freq)
        pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True))
    empty = sources.period_counts(gdf.iloc[0:0], registry)
    assert empty.empty and list(empty.columns) == timeline.COLUMNS


def test_primary_faction_is_the_first_known_one():
    registry = load_registry(SEEDS / "factions.csv")
    cells = pd.Series(["nobody;is;nusra", "", None, "nusra"])
    assert list(sources.primary_factions(cells, registry)) == ["is", "(none)", "(none)", "nusra"]


def test_file_stamp_changes_with_the_file(tmp_path):
    f = tmp_path / "a.csv"
    assert sources.file_stamp(f)[1:] == (None, None)
    f.write_text("x")
    one = sources.file_stamp(f)
    f.write_text("xy")
    assert sources.file_stamp(f) != one and sources.file_stamp(None) == ()
    assert one[1] == 1


def _export(tmp_path, *args, env=None) -> tuple[int, str]:
    import os
    import subprocess
    import sys
    out = tmp_path / "out.csv"
    res = subprocess.run([sys.executable, "-m", "layers", "export", str(out), *args], cwd=REPO,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})})
    return res.returncode, (res.stdout if res.returncode == 0 else res.stderr)


def test_cli_export_origin_counts_equal_load_layers(tmp_path, acled_csv):
    """`export --origin` selects the same events as load_layers, per origin and combined."""
    from layers.filters import filter_events

    env = {"FRONTS_ACLED": str(acled_csv)}
    for origins in (["extracted"], ["curated", "extracted"], ["acled"], ["curated", "acled"]):
        gdf, _ = sources.load_layers(SEEDS, acled=acled_csv, origins=origins)
        want = len(filter_events(gdf, "2014-08-03", None))
        args = ["--seeds", str(SEEDS), "--start", "2014-08-03"]
        for o in origins:
            args += ["--origin", o]
        code, out = _export(tmp_path, *args, env=env)
        assert code == 0, out
        assert int(out.strip().splitlines()[-1]) == want > 0, origins
    # the default is the curated catalog alone
    code, out = _export(tmp_path, "--seeds", str(SEEDS))
    assert int(out.strip().splitlines()[-1]) == len(load_events(strict=False, seeds_dir=SEEDS)[0])
    # the written file carries the origin column
    code, out = _export(tmp_path, "--seeds", str(SEEDS), "--origin", "extracted")
    written = pd.read_csv(tmp_path / "out.csv")
    assert set(written.origin) == {"extracted"}


def test_cli_export_bad_origin_or_missing_acled_file(tmp_path, monkeypatch):
    code, err = _export(tmp_path, "--seeds", str(SEEDS), "--origin", "rumours")
    assert code == 2 and "--origin" in err and "rumours" in err
    code, err = _export(tmp_path, "--seeds", str(SEEDS), "--origin", "acled",
                        env={"FRONTS_ACLED": ""})
    assert code == 2 and "acled needs an existing ACLED-format file" in err
