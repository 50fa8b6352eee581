"""The extractor on articles its rules were not written from: the held-out texts of
tests/data/unseen (and unseen/fresh, written after tuning) against events coded by hand,
scored with the issue's rule (25 km, overlapping dates, same type, a shared faction)."""
import importlib.util
from pathlib import Path

import pytest

from layers.extract import extract_articles

REPO = Path(__file__).resolve().parent.parent
UNSEEN = REPO / "tests" / "data" / "unseen"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("extract_score", REPO / "bench" / "extract_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("folder", [UNSEEN, UNSEEN / "fresh"], ids=["unseen", "fresh"])
def test_recall_and_precision_on_held_out_articles(bench, folder):
    items, expected = bench.load_unseen(folder)
    extracted = extract_articles(items)
    s = bench.score(extracted, expected, [aid for _, _, aid, _ in items])
    assert s["recall"] >= 0.7, s["missed"]
    assert s["precision"] >= 0.7, s["spurious"]


def test_expected_events_are_well_formed(bench):
    """Every hand-coded row names a file of the set, a known type, ordered dates, registry ids."""
    from layers.factions import load_registry

    ids = set(load_registry().ids)
    types = {"Battles", "Explosions/Remote violence", "Violence against civilians",
             "Strategic developments", "Protests", "Riots"}
    for folder in (UNSEEN, UNSEEN / "fresh"):
        items, expected = bench.load_unseen(folder)
        names = {aid for _, _, aid, _ in items}
        for row in expected.to_dict("records"):
            assert row["article_ids"] in names
            assert row["event_type"] in types
            assert row["date_start"] <= row["date_end"]
            assert set(row["factions"].split(";")) <= ids, row
