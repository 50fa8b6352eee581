"""Selecting events: date overlap (inclusive), factions, event types, articles, free text.

`Filters` round-trips through URL query parameters (start, end, faction, type, article, q)
so that a filtered view can be shared as a link.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

import pandas as pd

#: ACLED's six event types, in ACLED's order.
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
               "Protests", "Riots", "Strategic developments")
#: Columns searched by the free-text filter.
TEXT_COLUMNS = ("notes", "quote", "location", "actor1", "actor2", "assoc_actors")


def as_date(value, name: str = "date") -> date | None:
    """A `date` from a date or an ISO `YYYY-MM-DD` string (None stays None)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _any_of(series: pd.Series, wanted: set[str]) -> pd.Series:
    """Whether each `;`-joined cell holds any wanted id; decided once per distinct cell, since
    big layers repeat a few faction combinations over many rows."""
    cells = series.fillna("").astype(str)
    decided = {cell: not wanted.isdisjoint(v.strip() for v in cell.split(";"))
               for cell in cells.unique()}
    return cells.map(decided).astype(bool)


def filter_events(gdf, start=None, end=None, factions: Iterable[str] = (),
                  types: Iterable[str] = (), articles: Iterable[str] = (), text=None):
    """The events matching every given criterion (empty criteria select everything).

    Parameters
    ----------
    gdf : GeoDataFrame from ``load_events``
    start, end : date or ISO string; an event matches when ``[date_start, date_end]``
        overlaps ``[start, end]``, both bounds inclusive
    factions : any of these faction ids
    types : any of these event types
    articles : any of these article ids
    text : case-insensitive substring of notes, quote, location or actors
    """
    start, end = as_date(start, "start"), as_date(end, "end")
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}")
    keep = pd.Series(True, index=gdf.index)
    if start is not None:
        keep &= gdf["date_end"].astype(str) >= start.isoformat()
    if end is not None:
        keep &= gdf["date_start"].astype(str) <= end.isoformat()
    wanted = set(factions)
    if wanted:
        keep &= _any_of(gdf["factions"], wanted)
    wanted_types = set(types)
    if wanted_types:
        keep &= gdf["event_type"].isin(wanted_types)
    wanted_articles = set(articles)
    if wanted_articles:
        keep &= _any_of(gdf["article_ids"], wanted_articles)
    if text is not None and str(text).strip():
        needle = str(text).strip().casefold()
        hit = pd.Series(False, index=gdf.index)
        for column in TEXT_COLUMNS:
            if column in gdf.columns:
                hit |= gdf[column].fillna("").astype(str).str.casefold().str.contains(
                    needle, regex=False)
        keep &= hit
    return gdf[keep.astype(bool)]


def _values(query: Mapping, key: str) -> list[str]:
    """Every value of a query key, whether the mapping holds a string or a list of them."""
    return [str(v).strip() for v in _raw_list(query, key) if str(v).strip()]


@dataclass(frozen=True)
class Filters:
    """What the user selected; empty fields select everything."""

    start: date | None = None
    end: date | None = None
    factions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    text: str | None = None

    @classmethod
    def from_query(cls, query: Mapping, *, factions: Iterable[str] | None = None,
                   types: Iterable[str] | None = EVENT_TYPES,
                   articles: Iterable[str] | None = None) -> tuple["Filters", list[str]]:
        """Filters from URL query parameters, and a notice for every value ignored.

        ``query`` maps keys to a string or a list of strings (``st.query_params.to_dict()``
        or ``{k: st.query_params.get_all(k)}``). ``factions``, ``types`` and ``articles`` are
        the accepted values (None accepts any); unknown values are dropped with a notice.
        """
        notices: list[str] = []
        dates: dict[str, date | None] = {}
        for key in ("start", "end"):
            values = _values(query, key)
            dates[key] = None
            if len(values) > 1:
                notices.append(f"{key}: several values given, using the last ({values[-1]!r})")
            if values:
                try:
                    dates[key] = as_date(values[-1], key)
                except ValueError as exc:
                    notices.append(f"{exc}; ignored")
        if dates["start"] and dates["end"] and dates["start"] > dates["end"]:
            notices.append(f"start {dates['start']} is after end {dates['end']}; swapped")
            dates["start"], dates["end"] = dates["end"], dates["start"]

        def accepted(key: str, allowed) -> tuple[str, ...]:
            allowed = None if allowed is None else set(allowed)
            kept: list[str] = []
            for value in _values(query, key):
                if allowed is not None and value not in allowed:
                    notices.append(f"{key}: unknown value {value!r}; ignored")
                elif value not in kept:
                    kept.append(value)
            return tuple(kept)

        q_values = _values(query, "q")
        text = q_values[-1] if q_values else None
        return cls(dates["start"], dates["end"], accepted("faction", factions),
                   accepted("type", types), accepted("article", articles), text), notices

    def to_query(self) -> dict[str, str | list[str]]:
        """URL query parameters for these filters (empty ones left out)."""
        query: dict[str, str | list[str]] = {}
        if self.start:
            query["start"] = self.start.isoformat()
        if self.end:
            query["end"] = self.end.isoformat()
        for key, values in (("faction", self.factions), ("type", self.types),
                            ("article", self.articles)):
            if values:
                query[key] = list(values)
        if self.text:
            query["q"] = self.text
        return query

    def apply(self, gdf):
        """The events of `gdf` that these filters select."""
        return filter_events(gdf, self.start, self.end, self.factions, self.types,
                             self.articles, self.text)


def _raw_list(query: Mapping, key: str) -> list[str]:
    raw = query.get(key)
    if raw is None:
        return []
    return [raw] if isinstance(raw, str) else list(raw)
