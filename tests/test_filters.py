"""Filters: date-range overlap with inclusive bounds, factions (any of), types, articles, text,
and the URL query round trip."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from layers.catalog import load_events
from layers.filters import EVENT_TYPES, Filters, filter_events

DATA = Path(__file__).parent / "data" / "layers_seeds"


@pytest.fixture(scope="module")
def gdf():
    events, _ = load_events(seeds_dir=DATA)
    return events


def ids(frame):
    return sorted(frame["event_id"])


def test_no_criteria_selects_everything(gdf):
    assert ids(filter_events(gdf)) == ids(gdf)


def test_bounds_are_inclusive(gdf):
    # ev_is_withdraw runs 2014-08-02..2014-08-04; ev_deir_clash 2014-12-07..2014-12-13
    assert ids(filter_events(gdf, start="2014-08-04", end="2014-08-04")) == ["ev_is_withdraw"]
    assert ids(filter_events(gdf, end="2014-08-02")) == ["ev_arsal_attack", "ev_is_withdraw"]
    assert ids(filter_events(gdf, start="2014-12-13")) == ["ev_deir_clash", "ev_shelling"]
    assert ids(filter_events(gdf, start=date(2014, 12, 18), end=date(2014, 12, 18))) == \
        ["ev_shelling"]


def test_ranges_that_only_partly_overlap(gdf):
    # window inside an event's range, and a window straddling its start
    assert ids(filter_events(gdf, start="2014-12-10", end="2014-12-11")) == ["ev_deir_clash"]
    assert ids(filter_events(gdf, start="2014-12-01", end="2014-12-07")) == ["ev_deir_clash"]
    assert ids(filter_events(gdf, start="2014-08-03", end="2014-08-03")) == \
        ["ev_is_withdraw", "ev_yabroud_arrest"]


def test_dates_match_an_independent_overlap_rule(gdf):
    spans = {r.event_id: (date.fromisoformat(r.date_start), date.fromisoformat(r.date_end))
             for r in gdf.itertuples()}
    day = date(2014, 7, 30)
    while day <= date(2014, 12, 22):
        for length in (0, 1, 3, 10):
            end = day + timedelta(days=length)
            expected = sorted(e for e, (s, f) in spans.items() if s <= end and f >= day)
            assert ids(filter_events(gdf, start=day, end=end)) == expected, (day, end)
        day += timedelta(days=1)


def test_several_factions_match_any_of_them(gdf):
    assert ids(filter_events(gdf, factions=["regime", "lebanese_army"])) == \
        ["ev_arsal_attack", "ev_shelling", "ev_yabroud_arrest"]
    assert ids(filter_events(gdf, factions=["nusra"])) == ["ev_arsal_attack", "ev_deir_clash"]
    assert ids(filter_events(gdf, factions=["is"], start="2014-12-01")) == ["ev_deir_clash"]


def test_types_articles_and_text(gdf):
    assert ids(filter_events(gdf, types=["Battles"])) == ["ev_arsal_attack", "ev_deir_clash"]
    assert ids(filter_events(gdf, types=["Strategic developments",
                                         "Explosions/Remote violence"])) == \
        ["ev_is_withdraw", "ev_shelling", "ev_yabroud_arrest"]
    assert ids(filter_events(gdf, articles=["beta"])) == \
        ["ev_arsal_attack", "ev_deir_clash", "ev_shelling"]
    assert ids(filter_events(gdf, text="عرسال")) == ["ev_arsal_attack"]       # notes
    assert ids(filter_events(gdf, text="DÉIR EZ")) == ["ev_deir_clash"]        # location
    assert ids(filter_events(gdf, text="yabroud")) == ["ev_yabroud_arrest"]    # quote
    assert ids(filter_events(gdf, text="civilians (syria)")) == ["ev_yabroud_arrest"]  # actor2
    assert ids(filter_events(gdf, text="  ")) == ids(gdf)


def test_empty_results_keep_the_columns(gdf):
    for kwargs in ({"factions": ["hezbollah"]}, {"start": "2015-01-01"},
                   {"end": "2014-01-01"}, {"types": ["Riots"]}, {"articles": ["gamma"]},
                   {"text": "no such words"},
                   {"factions": ["regime"], "types": ["Battles"]}):
        out = filter_events(gdf, **kwargs)
        assert len(out) == 0, kwargs
        assert list(out.columns) == list(gdf.columns) and out.crs == gdf.crs


def test_bad_dates_are_errors_that_name_the_argument(gdf):
    with pytest.raises(ValueError, match="start: '2014-13-01'"):
        filter_events(gdf, start="2014-13-01")
    with pytest.raises(ValueError, match="after end"):
        filter_events(gdf, start="2014-12-02", end="2014-12-01")


def test_filters_from_query_with_notices():
    query = {"start": ["2014-08-01"], "end": "2014-12-31", "faction": ["nusra", "hezbollah"],
             "type": ["Battles", "Sieges"], "article": ["alpha"], "q": ["arsal"]}
    filters, notices = Filters.from_query(query, factions=["nusra", "is"],
                                          articles=["alpha", "beta"])
    assert filters == Filters(date(2014, 8, 1), date(2014, 12, 31), ("nusra",), ("Battles",),
                              ("alpha",), "arsal")
    assert len(notices) == 2
    assert any("hezbollah" in n for n in notices) and any("Sieges" in n for n in notices)


def test_filters_from_query_bad_and_swapped_dates():
    filters, notices = Filters.from_query({"start": "2014-02-30", "end": "yesterday"})
    assert filters.start is None and filters.end is None and len(notices) == 2
    assert "start" in notices[0] and "end" in notices[1]
    filters, notices = Filters.from_query({"start": "2015-01-01", "end": "2014-01-01"})
    assert (filters.start, filters.end) == (date(2014, 1, 1), date(2015, 1, 1))
    assert "swapped" in notices[0]
    assert Filters.from_query({}) == (Filters(), [])


def test_filters_round_trip_through_the_query_and_apply(gdf):
    filters = Filters(date(2014, 8, 3), None, ("is", "regime"), tuple(EVENT_TYPES[:1]),
                      (), "déir")
    query = filters.to_query()
    assert query == {"start": "2014-08-03", "faction": ["is", "regime"], "type": ["Battles"],
                     "q": "déir"}
    again, notices = Filters.from_query(query)
    assert again == filters and notices == []
    assert ids(filters.apply(gdf)) == ["ev_deir_clash"] == ids(filter_events(
        gdf, start="2014-08-03", factions=["is", "regime"], types=["Battles"], text="déir"))
    assert Filters().to_query() == {}
