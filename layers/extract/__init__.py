"""Automatic extraction: an article's text and publication date -> candidate events.

Public surface: ``extract_events(text, published, article_id, gazetteer=None,
registry=None)`` (one article -> GeoDataFrame with the catalog's columns, origin
"extracted", plus ``confidence``) and ``extract_articles(items, ...)`` (several articles,
merged across them). The command line is ``python -m layers extract FILE...``.
Rules come from the faction registry, the gazetteer and general English, never from
the text of particular articles.
"""
from __future__ import annotations

from datetime import date


def _tools(gazetteer=None, registry=None):
    from .actors import ActorMatcher, default_matcher

    if gazetteer is None:
        from geo import default_gazetteer

        gazetteer = default_gazetteer()
    matcher = default_matcher() if registry is None else (
        registry if isinstance(registry, ActorMatcher) else ActorMatcher.from_registry(registry))
    return gazetteer, matcher


def extract_articles(items, gazetteer=None, registry=None):
    """Candidates of several articles, merged within and across them, as a GeoDataFrame.

    Parameters
    ----------
    items : iterable of (text, published: date, article_id, source) tuples; `source` is the
        `Outlet, "Title" (date)` citation or "".
    gazetteer : geo.Gazetteer, default the bundled one
    registry : layers.factions.FactionRegistry (or an ActorMatcher), default seeds/factions.csv
    """
    from .core import candidates_from_text
    from .frame import to_frame
    from .merge import merge_candidates

    gazetteer, matcher = _tools(gazetteer, registry)
    candidates = []
    for text, published, article_id, source in items:
        candidates += candidates_from_text(text, published, article_id, gazetteer=gazetteer,
                                           matcher=matcher, source=source)
    return to_frame(merge_candidates(candidates), matcher, gazetteer)


def extract_events(text: str, published: date, article_id: str, gazetteer=None,
                   registry=None, *, source: str = ""):
    """Candidate events of one article (merged within it) as a GeoDataFrame in EPSG:4326
    with the columns of ``layers.catalog.load_events`` (origin "extracted") plus
    ``confidence`` (0..1)."""
    return extract_articles([(text, published, article_id, source)], gazetteer, registry)


__all__ = ["extract_events", "extract_articles"]
