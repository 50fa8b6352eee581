"""Tests of layers.timeline: per-week / per-month counts by faction and the chart spec."""
from __future__ import annotations

import pandas as pd
import pytest

from layers import timeline
from tests.test_mapview import events  # noqa: F401 - the shared events fixture


def test_monthly_counts_by_primary_faction_add_up_to_events(events, registry):
    counts = timeline.events_per_period(events, registry, "month")
    assert list(counts.columns) == timeline.COLUMNS
    assert counts["events"].sum() == len(events)
    feb = counts[counts.period == pd.Timestamp("2014-02-01")]
    assert dict(zip(feb.faction, feb.events)) == {"nusra": 1, "is": 1}
    dec = counts[counts.period == pd.Timestamp("2014-12-01")]
    assert list(dec.faction_name) == [registry.name("nusra")]
    assert set(counts.colour) == {registry.colour(f) for f in ("nusra", "is", "lebanese_army")}


def test_weekly_periods_start_on_monday(events, registry):
    counts = timeline.events_per_period(events, registry, "week")
    assert (counts.period.dt.day_of_week == 0).all()
    # 2014-02-10 (Mon) and 2014-02-11 (Tue) fall in the same week
    week = counts[counts.period == pd.Timestamp("2014-02-10")]
    assert week.events.sum() == 2


def test_all_factions_counts_each_faction_of_an_event(events, registry):
    counts = timeline.events_per_period(events, registry, "month", by="all")
    expected = sum(len(c.split(";")) for c in events.factions)
    assert counts.events.sum() == expected


def test_unknown_factions_and_empty_input(registry):
    df = pd.DataFrame({"event_date": ["2015-01-03", "bad"], "factions": ["nobody", "is"]})
    counts = timeline.events_per_period(df, registry, "month")
    assert list(counts.faction) == [timeline.UNKNOWN]  # the bad date is skipped, not fatal
    empty = timeline.events_per_period(df.iloc[0:0], registry)
    assert empty.empty and list(empty.columns) == timeline.COLUMNS
    with pytest.raises(ValueError, match="freq"):
        timeline.events_per_period(df, registry, "year")


def test_chart_spec_uses_registry_colours(events, registry):
    counts = timeline.events_per_period(events, registry, "month")
    spec = timeline.timeline_chart(counts, "month").to_dict()
    assert spec["mark"]["type"] == "bar"
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == {
        registry.name(f): registry.colour(f) for f in ("nusra", "is", "lebanese_army")}
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonth"
