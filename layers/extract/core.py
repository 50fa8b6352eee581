"""Article text -> event candidates: sentences, event words, actors, places, dates, deaths.

Every candidate rests on one sentence (its quote) and carries a confidence in 0..1 that
grows with how much the sentence itself says (a verb of action, named sides, a named
place, an explicit date, a count of dead) and shrinks with hedges ("reportedly", "rumours").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import dates as _dates
from .actors import ActorMatcher, pronoun_subject, roles
from .events import BATTLES, STRATEGIC, VAC, Trigger, find_triggers
from .numbers import fatalities as count_dead
from .places import PlaceChoice, choose_in, dateline_end
from .sentences import Sentence, paragraphs, split_sentences

_HEDGE = re.compile(r"\b(?:reportedly|rumou?rs?|allegedly|alleged|unconfirmed|said\s+to|"
                    r"supposition|denied|deny|claims?\s+that|may\s+have|might\s+have|"
                    r"it\s+seems|presumably)\b", re.IGNORECASE)
_TYPE_CODES = {"Battles": "bat", "Explosions/Remote violence": "exp",
               "Violence against civilians": "vac", "Strategic developments": "str",
               "Protests": "pro", "Riots": "rio"}


@dataclass
class Candidate:
    """One extracted event before merging: what, who, where, when, and the sentence."""

    article_id: str
    published: date
    sentence: Sentence
    trigger: Trigger
    event_type: str
    sub_event_type: str
    actor1: list[str]
    actor2: list[str]
    assoc: list[str]
    place: PlaceChoice
    when: _dates.DateRange
    fatalities: int
    confidence: float
    sources: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    members: int = 1

    @property
    def factions(self) -> list[str]:
        """Every faction of the event: sides first, then the others, without repeats."""
        return list(dict.fromkeys([*self.actor1, *self.actor2, *self.assoc]))

    @property
    def event_id(self) -> str:
        """Stable id: article, sentence number and type (same text -> same id)."""
        return (f"x_{self.article_id}_{self.sentence.index:03d}_"
                f"{_TYPE_CODES.get(self.event_type, 'evt')}")


@dataclass
class _Context:
    """What the paragraph so far has established: the last date and the last actors."""

    paragraph: int = -1
    when: _dates.DateRange | None = None
    actors: list[str] = field(default_factory=list)


def _best_per_type(triggers: list[Trigger]) -> list[Trigger]:
    """The strongest trigger of each event type (verbs before nouns on ties), in text order.
    A bare killing word joins another type of the same sentence instead of standing alone."""
    best: dict[str, Trigger] = {}
    for t in triggers:
        key = t.event_type
        cur = best.get(key)
        rank = (t.strength, not t.noun)
        if cur is None or rank > (cur.strength, not cur.noun):
            best[key] = t
    chosen = list(best.values())
    others = [t for t in chosen if t.word.lower() not in ("killed", "killing", "dead", "died")]
    if others:
        chosen = [t for t in chosen if t in others
                  or t.event_type not in {o.event_type for o in others}]
        chosen = [t for t in chosen if not (t.word.lower() in ("killed", "killing", "dead", "died")
                                            and any(o.event_type != t.event_type for o in others))]
    return sorted(chosen, key=lambda t: t.start)


def _pick_date(found: list[_dates.DateRange], trigger: Trigger,
               context: _dates.DateRange | None) -> tuple[_dates.DateRange | None, bool]:
    """The time expression nearest the trigger (anchored ones placed on `context`);
    returns (range, future) — future is True when the nearest expression is in the future."""
    if not found:
        return None, False
    nearest = min(found, key=lambda r: abs(r.offset - trigger.start))
    if nearest.future:
        return None, True
    if nearest.anchored:
        if context is None:
            return None, False
        return _dates.anchor(nearest, context), False
    return nearest, False


def _confidence(trigger: Trigger, sentence: str, own_actors: bool, sides: int,
                place: PlaceChoice, own_date: bool, dead: int | None) -> float:
    score = trigger.strength
    score += 0.1 if own_actors else -0.05
    score += 0.05 if sides >= 2 else 0.0
    score += 0.1 if not place.from_context else -0.1
    score += 0.05 if place.geo_precision == 1 else 0.0
    score += 0.1 if own_date else -0.05
    score += 0.05 if dead else 0.0
    if _HEDGE.search(sentence):
        score -= 0.15
    return round(max(0.05, min(0.98, score)), 2)


def candidates_from_text(text: str, published: date, article_id: str, *, gazetteer,
                         matcher: ActorMatcher, source: str = "") -> list[Candidate]:
    """Every event candidate of one article, in text order (not yet merged)."""
    from geo.mentions import default_masks, find_mentions

    sentences = [s for s in split_sentences(text)]
    spans = paragraphs(text)
    datelines = [(s, s + dateline_end(text[s:e])) for s, e in spans]
    mentions = [m for m in find_mentions(text, gazetteer, masks=_masks(default_masks))
                if not any(a <= m.start < b for a, b in datelines)]
    by_paragraph: dict[int, list] = {}
    for m in mentions:
        for pno, (s, e) in enumerate(spans):
            if s <= m.start < e:
                by_paragraph.setdefault(pno, []).append(m)
                break
    out: list[Candidate] = []
    ctx = _Context()
    for sentence in sentences:
        if sentence.paragraph != ctx.paragraph:
            ctx = _Context(paragraph=sentence.paragraph)
        found_dates = _dates.find_dates(sentence.text, published)
        actors = matcher.find(sentence.text)
        real_dates = [d for d in found_dates if not d.future and not d.anchored]
        if sentence.furniture:
            continue
        triggers = _best_per_type(find_triggers(sentence.text))
        for trig in triggers:
            when, future = _pick_date(found_dates, trig, ctx.when)
            if future:
                continue
            own_date = when is not None
            dead = count_dead(sentence.text)
            if trig.noun and not own_date and not dead:
                continue
            # sides: the sentence's factions, or the last-named group for "it"/"the group"
            before = [a for a in actors if a.end <= trig.start]
            a1, a2, assoc = roles(sentence.text, actors, (trig.start, trig.end), trig.passive)
            own_actors = bool(actors)
            if ctx.actors and not before and not (trig.passive and a1) and (
                    not actors or pronoun_subject(sentence.text, trig.start)):
                lead = ctx.actors[0]
                if lead not in a1:
                    assoc = [f for f in [*a2, *assoc] if f != lead]
                    a2 = [f for f in a1 if f != lead][:1] or a2
                    assoc = [f for f in assoc if f not in a2]
                    a1 = [lead]
            if not a1:
                continue
            place = _place_for(sentence, trig, by_paragraph, spans, text, gazetteer)
            if place is None:
                continue
            if when is None:
                when = ctx.when or _dates.default_range(published)
            etype, sub = trig.event_type, trig.sub_event_type
            if etype == BATTLES and sub == "Non-state actor overtakes territory" and \
                    matcher.is_state(a1[0]):
                sub = "Government regains territory"
            if etype == VAC and "civilians" in matcher.display and "civilians" not in a1 + a2:
                if not a2:
                    a2 = ["civilians"]
            if etype == STRATEGIC and sub == "Arrests" and trig.passive and not a1:
                continue
            extra = [matcher.parents.get(f) for f in a1 + a2 + assoc if matcher.is_state(f)]
            assoc += [p for p in extra if p and p in matcher.display and p not in a1 + a2 + assoc]
            conf = _confidence(trig, sentence.text, own_actors, len(a1) + len(a2), place,
                               own_date, dead)
            out.append(Candidate(article_id, published, sentence, trig, etype, sub, a1, a2,
                                 assoc, place, when, dead or 0, conf,
                                 [source] if source else [], [article_id], [sentence.text]))
        if real_dates:
            ctx.when = real_dates[-1]
        elif out and out[-1].sentence is sentence:
            ctx.when = out[-1].when
        named = [a.faction for a in actors]
        if named:
            ctx.actors = list(dict.fromkeys(named))
    return out


_MASKS: list[str] | None = None


def _masks(loader) -> list[str]:
    global _MASKS
    if _MASKS is None:
        _MASKS = loader()
    return _MASKS


def _place_for(sentence: Sentence, trig: Trigger, by_paragraph: dict, spans, text: str,
               gazetteer) -> PlaceChoice | None:
    """The place in the sentence, else the nearest usable one in its paragraph, else in
    the paragraphs either side."""
    own = [m for m in by_paragraph.get(sentence.paragraph, [])
           if sentence.start <= m.start < sentence.end]
    at = sentence.start + trig.start
    choice = choose_in(text, own, at, gazetteer, trig.movement)
    if choice is not None:
        return choice
    for pnos in ((sentence.paragraph,), (sentence.paragraph - 1, sentence.paragraph + 1)):
        pool = [m for p in pnos for m in by_paragraph.get(p, [])
                if not (sentence.start <= m.start < sentence.end)]
        choice = choose_in(text, pool, at, gazetteer, trig.movement, from_context=True)
        if choice is not None:
            return choice
    return None
