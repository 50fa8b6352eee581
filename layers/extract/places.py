"""Choose where an event happened among the places a sentence (or its paragraph) names.

The most specific place governed by a locative preposition ("in", "at", "near") and close
to the event word wins; origins and destinations ("from", "toward") and possessive
modifiers ("Syria's") lose; "the countryside of X" means X's governorate, not X itself.
Datelines ("TRIPOLI, Lebanon --") name where the report was filed, not an event place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.place import Place

#: How specific a kind of place is (higher is better).
SPECIFICITY = {
    "bridge": 6, "oil_field": 6, "gas_field": 6, "mine": 6, "checkpoint": 6,
    "military_base": 6, "camp": 6, "border_crossing": 6, "airport": 6, "dam": 6,
    "neighbourhood": 6, "village": 5, "town": 5, "area": 4.5, "city": 4, "district": 3,
    "plain": 3, "valley": 3, "river": 3, "region": 2, "mountains": 2, "governorate": 1,
    "country": 0,
}
_LOCATIVE = re.compile(r"\b(?:in|at|near|around|outside|inside|into|on|over|across|throughout|"
                       r"within|of|for|toward\s+the\s+outskirts\s+of|besieging|besieged)\s+"
                       r"(?:the\s+)?(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)
_NEAR = re.compile(r"\b(?:near|around|outside|outskirts\s+of|vicinity\s+of|edge\s+of|area\s+of|"
                   r"close\s+to|hills\s+of|mountains\s+of|east\s+of|west\s+of|north\s+of|"
                   r"south\s+of)\s+(?:the\s+)?(?:[\w'-]+\s+){0,1}$", re.IGNORECASE)
_COUNTRYSIDE_BEFORE = re.compile(r"\b(?:countryside|province|outskirts\s+and\s+countryside|"
                                 r"rural\s+areas?|governorate)\s+of\s+(?:the\s+(?:city\s+of\s+)?)?$",
                                 re.IGNORECASE)
_COUNTRYSIDE_AFTER = re.compile(r"^(?:'s)?\s+(?:countryside|province|governorate)\b", re.IGNORECASE)
_AWAY = re.compile(r"\b(?:from|to|toward|towards|via|reach|reached|enter|into\s+Syria|"
                   r"head\s+to|on\s+its\s+way\s+to|way\s+to|regroup(?:ed)?\s+in|relocated?\s+to|"
                   r"moved?\s+to|fled\s+to|headed\s+to|sent\s+to|redeployed\s+to|left\s+for|headed\s+for|"
                   r"bound\s+for|set\s+off\s+for)\s+(?:the\s+)?(?:[\w'-]+\s+){0,1}$",
                   re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"^(?:'s|\u2019s)\b|^[ -](?:commander|emir|leader|region|"
                               r"front|operations|countryside)", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:,\s*[A-Z][\w .'-]+)?\s*(?:\([\w .'/&-]+\)\s*)?"
                       r"(?:--|-|\u2014|\u2013|:)\s")


@dataclass(frozen=True)
class PlaceChoice:
    """The place chosen for an event, how precise it is, and what text named it."""

    place: Place
    geo_precision: int
    surface: str
    score: float
    from_context: bool = False


_CLAUSE_BREAK = re.compile(r",\s+(?:as|while|whereas|but|although|though|after|before|when|"
                           r"even\s+as|amid)\b|\s(?:while|whereas|although)\s|;|\s[\u2014\u2013]\s|"
                           r"\s--\s", re.IGNORECASE)
#: Between a verb and its object place: "seized Palmyra", "overran the border town of X".
_OBJECT_PLACE = re.compile(r"^\s+(?:(?:the|a|an|its|their|back|control\s+of)\s+)?(?:[\w'-]+\s+){0,3}?"
                           r"(?:(?:city|town|village|area|district|region|camp|base|field)\s+of\s+)?$"
                           r"|^\s*$", re.IGNORECASE)


def dateline_end(paragraph_text: str) -> int:
    """Length of a leading dateline ("TRIPOLI, Lebanon -- "), 0 when there is none."""
    m = _DATELINE.match(paragraph_text)
    return m.end() if m else 0


def governorate_of(place: Place, gazetteer) -> Place | None:
    """The curated governorate place whose admin1 is this place's admin1."""
    for p in gazetteer.places:
        if p.kind == "governorate" and p.admin1 == place.admin1 and p.country == place.country:
            return p
    return None


def score_mention(text: str, start: int, end: int, place: Place, trigger: int,
                  movement: bool = False, trigger_end: int | None = None) -> tuple[float, int, str]:
    """Score one place mention of a sentence; returns (score, geo precision, role)."""
    before, after = text[max(0, start - 60):start], text[end:end + 20]
    score = SPECIFICITY.get(place.kind, 3)
    precision = max(1, place.precision)
    role = "place"
    if _COUNTRYSIDE_BEFORE.search(before) or _COUNTRYSIDE_AFTER.match(after):
        role, score, precision = "countryside", score - 1.5, 3
    elif _AWAY.search(before):
        score -= 0.5 if movement else 2.5
    elif _NEAR.search(before):
        score += 1.0
        precision = max(precision, 2)
    elif _LOCATIVE.search(before):
        score += 1.5
    if _POSSESSIVE_AFTER.match(after) and role == "place":
        score -= 1.5
    if trigger_end is not None and start >= trigger_end and _OBJECT_PLACE.match(text[trigger_end:start]):
        score += 2.0   # the verb's own object: "seized Palmyra", "stormed the town of X"
    lo, hi = (end, trigger) if end <= trigger else (trigger, start)
    if hi - lo > 400 or _CLAUSE_BREAK.search(text[lo:hi]):
        score -= 3.0   # named in another clause ("..., as the army pressed on in X")
    distance = abs(start - trigger) if start > trigger else abs(trigger - end)
    score -= min(distance / 80.0, 2.0)
    if place.kind == "country":
        score -= 5
    return score, precision, role


def choose_in(text: str, mentions, trigger: int, gazetteer, movement: bool = False,
              from_context: bool = False, focus: Place | None = None,
              trigger_end: int | None = None) -> PlaceChoice | None:
    """The best place among `mentions` (objects with surface/start/end/place, spans in `text`)."""
    best: PlaceChoice | None = None
    for m in mentions:
        score, precision, role = score_mention(text, m.start, m.end, m.place, trigger, movement,
                                               trigger_end)
        place = m.place
        if role == "countryside":
            gov = governorate_of(place, gazetteer)
            if gov is not None:
                place = gov
        if place.kind == "country":
            continue
        if from_context:
            precision = max(precision, 2)
            score -= 1.0
            if focus is not None and place == focus:
                score += 2.0
        if best is None or score > best.score:
            best = PlaceChoice(place, min(precision, 3), m.surface, score, from_context)
    return best
