"""Merge candidates that describe the same event, within an article and across articles.

Two candidates are one event when their types agree, their date ranges overlap, their
places lie within 25 km of each other and they share at least one faction. The merged
event keeps the most precise place and date, the highest death toll, every faction,
article and quote, and a confidence that grows with each independent report.
"""
from __future__ import annotations

import math
from dataclasses import replace

from . import dates as _dates

#: Places closer than this (km) can be the same event.
MERGE_KM = 25.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


#: A report dated only by its context may join an event dated elsewhere this many days away.
WEAK_DATE_DAYS = 45


def _close_enough(a, b) -> bool:
    """True when one report has no date of its own, the other has, they come from
    different articles and their ranges are at most WEAK_DATE_DAYS apart."""
    if a.own_date == b.own_date or not set(a.article_ids).isdisjoint(b.article_ids) is True:
        return False
    gap = max((a.when.start - b.when.end).days, (b.when.start - a.when.end).days)
    return gap <= WEAK_DATE_DAYS


def same_event(a, b, km: float = MERGE_KM) -> bool:
    """True when candidates `a` and `b` (type, when, place, factions) are one event."""
    if a.event_type != b.event_type:
        return False
    if a.article_ids == b.article_ids and a.sentence.index == b.sentence.index:
        return False   # one sentence, two events on purpose (an arrest and a release)
    if not a.when.overlaps(b.when) and not _close_enough(a, b):
        return False
    if not set(a.factions) & set(b.factions):
        return False
    pa, pb = a.place.place, b.place.place
    return distance_km(pa.lat, pa.lon, pb.lat, pb.lon) <= km


def combine(a, b):
    """One candidate from two reports of the same event."""
    first, second = (a, b) if (a.confidence, -a.sentence.index) >= (b.confidence, -b.sentence.index) else (b, a)
    place = min((a.place, b.place), key=lambda p: (p.from_context, p.geo_precision, -p.score))
    if (a.own_date, a.dated) != (b.own_date, b.dated):
        when = a.when if (a.own_date, a.dated) > (b.own_date, b.dated) else b.when
    elif a.when.overlaps(b.when):
        start, end = max(a.when.start, b.when.start), min(a.when.end, b.when.end)
        when = _dates.make_range(start, end, a.when.expression or b.when.expression)
    else:
        when = a.when
    actor1 = first.actor1 or second.actor1
    actor2 = first.actor2 or [f for f in second.actor2 + second.actor1 if f not in actor1][:1]
    assoc = [f for f in dict.fromkeys(first.assoc + second.assoc + second.actor1 + second.actor2)
             if f not in actor1 and f not in actor2]
    articles = list(dict.fromkeys(a.article_ids + b.article_ids))
    sources = list(dict.fromkeys(a.sources + b.sources))
    quotes = _join_quotes(a, b)
    conf = round(min(0.99, 1 - (1 - a.confidence) * (1 - b.confidence) ** 0.5), 2)
    keep = a if a.article_ids[0] == articles[0] and a.sentence.index <= b.sentence.index \
        or a.article_ids[0] != b.article_ids[0] else b
    return replace(keep, event_type=first.event_type, sub_event_type=first.sub_event_type,
                   actor1=actor1, actor2=actor2, assoc=assoc, place=place, when=when,
                   fatalities=max(a.fatalities, b.fatalities), confidence=conf,
                   article_ids=articles, sources=sources, quotes=quotes,
                   members=a.members + b.members, trigger=first.trigger,
                   dated=a.dated or b.dated, own_date=a.own_date or b.own_date)


def _join_quotes(a, b) -> list[str]:
    """Quotes per article in article order: one entry per article, fragments joined by ' … '."""
    per: dict[str, list[str]] = {}
    for cand in (a, b):
        for aid, quote in zip(cand.article_ids, cand.quotes):
            for fragment in quote.split(" \u2026 "):
                bucket = per.setdefault(aid, [])
                if fragment not in bucket:
                    bucket.append(fragment)
    order = list(dict.fromkeys(a.article_ids + b.article_ids))
    return [" \u2026 ".join(per[aid]) for aid in order]


def merge_candidates(candidates, km: float = MERGE_KM) -> list:
    """Each candidate joins the first earlier event it matches; passes repeat until no two
    events match (a merge can make an event match one it did not match before)."""
    events = list(candidates)
    while True:
        merged: list = []
        for cand in events:
            for i, event in enumerate(merged):
                if same_event(event, cand, km):
                    merged[i] = combine(event, cand)
                    break
            else:
                merged.append(cand)
        if len(merged) == len(events):
            return merged
        events = merged
