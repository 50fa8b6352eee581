"""Find the places a text names, with character spans and the place each resolves to.

Two passes: every curated spelling (longest first, word-bounded, capitalised in the text),
then runs of capitalised words the curated table lacks, kept only when they match an offline
GeoNames name exactly. Spans inside organisation names (`masks`) are not place mentions.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import settings
from .gazetteer import Gazetteer
from .normalize import ARTICLES
from .place import Place

_ARTICLE_PREFIX = r"(?:(?:[Aa]l|[Ee]l|[Aa][dtzsrn]|[Aa]sh)[-\u2010 ])?"
# A run of capitalised words, allowing al-/el- links and apostrophes inside (Deir el-Zour, Jum'a).
_CAPITALISED = re.compile(
    r"\b(?:(?:al|el|ad|as|ash|az|an|ar)-)?[A-Z][\w'\u2019]+"
    r"(?:(?:[ -](?:(?:al|el|ad|as|ash|az|an|ar|ez)-)?|-)[A-Z][\w'\u2019]+)*"
)
#: Capitalised words that begin sentences or name things other than places.
_STOPWORDS = frozenset(
    "the a an in on at of and but for from to with by as this that these those it its his her "
    "their they he she we our there here when while after before since until during however "
    "meanwhile today yesterday friday saturday sunday monday tuesday wednesday thursday "
    "january february march april may june july august september october november december "
    "mr emir sheikh abu abi umm ibn bin photo reuters afp according".split()
)


def default_masks(seeds: Path = settings.SEEDS) -> list[str]:
    """Phrases that are not place mentions even when they contain one.

    Faction names and aliases of several words (Liwa Maghaweer al-Qalamoun) from
    seeds/factions.csv, and the curated list in seeds/not_places.csv (outlets, demonyms).
    """
    phrases: list[str] = []
    factions = seeds / "factions.csv"
    if factions.exists():
        with open(factions, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names = [row.get("name") or ""] + (row.get("aliases") or "").split(";")
                phrases += [n.strip() for n in names if " " in n.strip()]
    not_places = seeds / "not_places.csv"
    if not_places.exists():
        with open(not_places, newline="", encoding="utf-8") as fh:
            phrases += [r["phrase"].strip() for r in csv.DictReader(fh) if r["phrase"].strip()]
    return phrases


@dataclass(frozen=True)
class Mention:
    """One place named in a text: the surface string, its span and the resolved place."""

    surface: str
    start: int
    end: int
    place: Place

    def to_json(self, file: str = "") -> dict:
        """The object `python -m geo mentions` prints."""
        return {"file": file, "surface": self.surface, "start": self.start, "end": self.end,
                "name": self.place.name, "lat": self.place.lat, "lon": self.place.lon}


@lru_cache(maxsize=8)
def _curated_pattern(gazetteer: Gazetteer) -> re.Pattern:
    """One alternation of every curated spelling, longest first (built once per gazetteer)."""
    spellings = {s for p in gazetteer.places for s in p.names if len(s) >= 3}
    alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w-]){_ARTICLE_PREFIX}(?:{alternation})(?![\w])", re.IGNORECASE)


class _Occupied:
    """Characters already claimed by a mask or a mention: overlap tests cost O(span)."""

    def __init__(self, size: int):
        self._marks = bytearray(size)

    def claim(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._marks[start:end])


def _claim_masks(text: str, masks: Iterable[str], occupied: _Occupied) -> None:
    phrases = sorted({m for m in masks if m}, key=len, reverse=True)
    if not phrases:
        return
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
    for m in pattern.finditer(text):
        occupied.claim(*m.span())


def _looks_like_name(surface: str) -> bool:
    """At least one word is capitalised ("western Qalamoun" yes, "the arsal" no)."""
    return any(w[:1].isupper() for w in re.split(r"[\s\-\u2010]+", surface))


def find_mentions(text: str, gazetteer: Gazetteer, masks: Iterable[str] = (),
                  use_fallback: bool = True) -> list[Mention]:
    """Every place mention in `text`, in order, without overlaps."""
    occupied = _Occupied(len(text))
    _claim_masks(text, masks, occupied)
    found: list[Mention] = []
    for m in _curated_pattern(gazetteer).finditer(text):
        surface = m.group(0)
        if not _looks_like_name(surface) or occupied.overlaps(*m.span()):
            continue
        place = gazetteer.get(surface)
        if place is None:
            continue
        occupied.claim(*m.span())
        found.append(Mention(surface, m.start(), m.end(), place))
    if use_fallback:
        for m in _CAPITALISED.finditer(text):
            for start, end in _subspans(text, m.start(), m.end()):
                if occupied.overlaps(start, end):
                    continue
                surface = text[start:end]
                place = _fallback_exact(gazetteer, surface)
                if place is not None:
                    occupied.claim(start, end)
                    found.append(Mention(surface, start, end, place))
                    break
    near = list(dict.fromkeys(f.place for f in found))
    return sorted((_rescore(f, gazetteer, near) for f in found), key=lambda f: f.start)


def _subspans(text: str, start: int, end: int):
    """The whole capitalised run first, then its single words (a run may join two names)."""
    yield start, end
    for w in re.finditer(r"[\w'\u2019]+", text[start:end]):
        yield start + w.start(), start + w.end()


def _fallback_exact(gazetteer: Gazetteer, surface: str) -> Place | None:
    words = [w.lower() for w in re.split(r"[\s-]+", surface)]
    if all(w in _STOPWORDS or w in ARTICLES for w in words) or len(surface) < 4:
        return None
    return gazetteer.fallback_exact(surface)


def _rescore(mention: Mention, gazetteer: Gazetteer, near: list[Place]) -> Mention:
    """Re-resolve ambiguous names (one spelling, several places) near the text's other places."""
    if len(gazetteer.exact_matches(mention.surface)) < 2:
        return mention
    res = gazetteer.resolve(mention.surface, near=[p for p in near if p is not mention.place])
    if res.resolved and res.place is not None and res.place is not mention.place and res.score >= 100:
        return Mention(mention.surface, mention.start, mention.end, res.place)
    return mention
