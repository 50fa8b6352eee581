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
from .actors import ActorMatcher, generic_mentions, pronoun_subject, roles, state_country
from .events import BATTLES, VAC, Trigger, find_triggers
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
    dated: bool = True   # False when the date is only the undated default
    own_date: bool = True   # the sentence itself dates the event
    spread: int = 0         # n-th extra place of a list of places ("expanded to X and Y")

    @property
    def factions(self) -> list[str]:
        """Every faction of the event: sides first, then the others, without repeats."""
        return list(dict.fromkeys([*self.actor1, *self.actor2, *self.assoc]))

    @property
    def event_id(self) -> str:
        """Stable id: article, sentence number and type (same text -> same id)."""
        tail = f"_{self.spread}" if self.spread else ""
        return (f"x_{self.article_id}_{self.sentence.index:03d}_"
                f"{_TYPE_CODES.get(self.event_type, 'evt')}{tail}")


@dataclass
class _Context:
    """What the paragraph so far has established: the last date and the last actors."""

    paragraph: int = -1
    when: _dates.DateRange | None = None
    actors: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)   # factions named lately, newest first
    actors_paragraph: int = -1   # the paragraph where `actors` were named
    age: int = 0          # paragraphs since the last date
    country: str | None = None   # the state whose forces were named last (SY, LB)
    place: PlaceChoice | None = None   # the place of the last event placed by its own text
    place_paragraph: int = -1


_KILL_WORDS = ("killed", "killing", "dead", "died")


def _best_per_type(triggers: list[Trigger]) -> list[Trigger]:
    """The strongest trigger of each event type (verbs before nouns on ties), in text order.
    A bare killing word stands alone only when no other violent event word is present."""
    violent = {"Battles", "Violence against civilians", "Explosions/Remote violence"}
    if any(not t.reference for t in triggers):
        triggers = [t for t in triggers if not t.reference]
    has_violent = any(t.event_type in violent and t.word.lower() not in _KILL_WORDS
                      for t in triggers)
    battle = any(t.event_type == "Battles" and t.word.lower() not in _KILL_WORDS for t in triggers)
    best: dict[tuple[str, str], Trigger] = {}
    for t in triggers:
        if t.word.lower() in _KILL_WORDS and has_violent:
            continue
        if has_violent and t.sub_event_type == "Non-violent transfer of territory":
            continue   # a withdrawal under fire is part of the fight
        if battle and t.sub_event_type == "Arrests" and t.passive:
            continue   # fighters captured in a battle are part of it
        key = (t.event_type, t.sub_event_type if t.event_type == "Strategic developments" else "")
        cur = best.get(key)
        if cur is None or (t.strength, not t.noun) > (cur.strength, not cur.noun):
            best[key] = t
    return sorted(best.values(), key=lambda t: t.start)


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


_BOTH = re.compile(r"\b(?:both\s+(?:sides|groups|organi[sz]ations|factions)|the\s+two\s+"
                   r"(?:sides|groups|organi[sz]ations|factions|rivals)|each\s+other)\b", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*(?:which|who)\s+[^,]*?(?:,|$)", re.IGNORECASE)
_QUOTED = re.compile(r"\u201c[^\u201d]*(?:\u201d|$)|(?<!\w)\"[^\"\n]*(?:\"|$)")
_GERUND_OR_NOUN_CUE = re.compile(r"\b(?:from|of|for|by|about|without|the|a|an|its|their|his)\s+$",
                                 re.IGNORECASE)
_NEAR_OCCURRENCE = re.compile(
    r"\b(?:took\s+place|erupted|broke\s+out|resumed|renewed|raged|escalated|launched|"
    r"left|claimed|sparking|sparked|fierce|heavy|intense|entered|continued)\b", re.IGNORECASE)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct speech (inside quotation marks) of each paragraph."""
    out = []
    for ps, pe in paragraphs(text):
        for m in _QUOTED.finditer(text[ps:pe]):
            if m.end() - m.start() > 60:     # short quoted names ("Base 26") are not speech
                out.append((ps + m.start(), ps + m.end()))
    return out


def _focus(mentions) -> object | None:
    """The place an article is about: the one named most often (not a country)."""
    counts: dict[str, list] = {}
    for m in mentions:
        if m.place.kind != "country":
            counts.setdefault(m.place.name, []).append(m)
    if not counts:
        return None
    from .places import SPECIFICITY
    name = max(counts, key=lambda n: (len(counts[n]), SPECIFICITY.get(counts[n][0].place.kind, 3)))
    return counts[name][0]


def candidates_from_text(text: str, published: date, article_id: str, *, gazetteer,
                         matcher: ActorMatcher, source: str = "") -> list[Candidate]:
    """Every event candidate of one article, in text order (not yet merged)."""
    from geo.mentions import default_masks, find_mentions

    sentences = split_sentences(text)
    spans = paragraphs(text)
    datelines = [(s, s + dateline_end(text[s:e])) for s, e in spans]
    furniture = [(s.start, s.end) for s in sentences if s.furniture]
    mentions = [m for m in _mentions(text, spans, gazetteer, find_mentions, default_masks)
                if not any(a <= m.start < b for a, b in datelines + furniture)]
    focus = _focus(mentions)
    quoted = _quoted_spans(text)
    by_paragraph: dict[int, list] = {}
    for m in mentions:
        for pno, (s, e) in enumerate(spans):
            if s <= m.start < e:
                by_paragraph.setdefault(pno, []).append(m)
                break
    out: list[Candidate] = []
    ctx = _Context()
    for sentence in sentences:
        if sentence.furniture:
            continue
        if sentence.paragraph != ctx.paragraph:
            ctx.paragraph = sentence.paragraph
            ctx.age += 1
            if ctx.age > 1:
                ctx.when = None
        found_dates = _dates.find_dates(sentence.text, published)
        real_dates = [d for d in found_dates if not d.future and not d.anchored]
        relative = [(m.start(), m.end()) for m in _RELATIVE.finditer(sentence.text)]
        actors = matcher.find(sentence.text)
        actors = sorted(actors + generic_mentions(
            matcher, sentence.text, actors,
            _country_of(sentence, by_paragraph, ctx, focus, matcher, actors)),
            key=lambda a: a.start)
        for trig in _best_per_type(find_triggers(sentence.text)):
            at = sentence.start + trig.start
            if any(a <= at < b for a, b in quoted):
                continue
            own = [a for a in actors if not any(s <= a.start < e and not s <= trig.start < e
                                                 for s, e in relative)]
            gerund = trig.word.lower().endswith("ing") or trig.noun
            if trig.word.lower().endswith("ing") and _GERUND_OR_NOUN_CUE.search(
                    sentence.text[max(0, trig.start - 12):trig.start]) and not trig.noun:
                continue
            when, future = _pick_date(found_dates, trig, ctx.when)
            if future:
                continue
            own_date = when is not None
            dead = count_dead(sentence.text)
            if trig.noun and not own_date and not dead and not _NEAR_OCCURRENCE.search(
                    sentence.text[max(0, trig.start - 40):trig.end + 40]):
                continue
            if gerund and not own and not (_SPREAD.search(sentence.text) or _BOTH.search(sentence.text)):
                continue
            a1, a2, assoc = _sides(sentence.text, own, trig, ctx)
            if not a1:
                continue
            last = ctx.place if ctx.place_paragraph in (sentence.paragraph - 1,
                                                        sentence.paragraph) else None
            place = _place_for(sentence, trig, by_paragraph, text, gazetteer, focus, last,
                               ctx.place_paragraph == sentence.paragraph)
            if place is None:
                continue
            if when is None:
                when = ctx.when or _dates.default_range(published)
            etype, sub = trig.event_type, trig.sub_event_type
            if etype == BATTLES and sub == "Non-state actor overtakes territory" and \
                    matcher.is_state(a1[0]):
                sub = "Government regains territory"
            if etype == VAC and not any(x.start >= trig.end for x in own):
                victim = _group_object(sentence.text[trig.end:], ctx, matcher, a1)
                if victim:
                    assoc = [f for f in [*a2, *assoc] if f not in a1 + [victim]]
                    a2 = [victim]
                elif "civilians" in matcher.display:
                    assoc = [f for f in [*a2, *assoc] if f not in a1]
                    a2 = ["civilians"]
            extra = [matcher.parents.get(f) for f in a1 + a2 + assoc if matcher.is_state(f)]
            assoc += [p for p in dict.fromkeys(extra)
                      if p and p in matcher.display and p not in a1 + a2 + assoc]
            conf = _confidence(trig, sentence.text, bool(own), len(a1) + len(a2), place,
                               own_date, dead)
            cand = Candidate(article_id, published, sentence, trig, etype, sub, a1, a2,
                             assoc, place, when, dead or 0, conf,
                             [source] if source else [], [article_id], [sentence.text])
            cand.dated = own_date or ctx.when is not None
            cand.own_date = own_date
            out.append(cand)
            if not place.from_context:
                ctx.place, ctx.place_paragraph = place, sentence.paragraph
            if trig.event_type == BATTLES and _SPREAD.search(sentence.text):
                out += _spread(cand, by_paragraph, gazetteer, text)
        if real_dates:
            ctx.when, ctx.age = real_dates[-1], 0
        for a in actors:
            code = state_country(matcher, a.faction)
            if code in ("SY", "LB"):
                ctx.country = code
        named = [a.faction for a in actors]
        if named:
            ctx.actors = list(dict.fromkeys(named))
            ctx.actors_paragraph = sentence.paragraph
            ctx.recent = list(dict.fromkeys([*reversed(named), *ctx.recent]))[:6]
    return out


#: "members of the brigade", "a commander of the group": people of a group named earlier.
_GROUP_OBJECT = re.compile(r"^\s+(?:[\w-]+\s+){0,3}?(?:members?|fighters?|commanders?|leaders?|"
                           r"officials?|emirs?|men|militants|officers?|soldiers)\s+(?:of|from)\s+"
                           r"(?:the|a|its|their)\s+(?:rival\s+|same\s+)?(?P<head>[a-z]+)\b", re.IGNORECASE)


def _group_object(after: str, ctx: "_Context", matcher: ActorMatcher, sides) -> str | None:
    """The faction that "members of the brigade" (after a trigger) means: the latest-named
    faction, other than the perpetrators, whose name has that head noun ("... Brigade");
    else the latest-named other faction when the head is a generic group word."""
    m = _GROUP_OBJECT.match(after)
    if not m:
        return None
    head = m.group("head").lower()
    others = [f for f in ctx.recent if f not in sides]
    for f in others:
        if head in matcher.name(f).lower().split():
            return f
    if head in ("group", "organization", "organisation", "faction", "movement", "brigade",
                "front", "battalion", "militia") and others:
        return others[0]
    return None


def _country_of(sentence: Sentence, by_paragraph: dict, ctx: "_Context", focus,
                matcher: ActorMatcher, actors) -> str | None:
    """The country whose forces "the army" or "troops" means in a sentence: a state named
    in the sentence itself, else the country of the sentence's places, else the state named
    last, else the country of the place the article is about."""
    for a in actors:
        code = state_country(matcher, a.faction)
        if code in ("SY", "LB"):
            return code
    own = [m.place.country for m in by_paragraph.get(sentence.paragraph, [])
           if sentence.start <= m.start < sentence.end and m.place.kind != "country"]
    if own:
        return max(set(own), key=own.count)
    if ctx.country:
        return ctx.country
    return focus.place.country if focus is not None else None


_SPREAD = re.compile(r"\b(?:expanded|spread|extended|stretched)\s+(?:from|to|into|across)\b",
                     re.IGNORECASE)


def _spread(cand: Candidate, by_paragraph: dict, gazetteer, text: str) -> list[Candidate]:
    """Fighting that "expanded from X to Y and Z": one event at each other place listed."""
    from dataclasses import replace

    from .places import choose_in

    s = cand.sentence
    own = [m for m in by_paragraph.get(s.paragraph, []) if s.start <= m.start < s.end]
    out, seen = [], {cand.place.place.name}
    for m in own:
        choice = choose_in(text, [m], m.start, gazetteer)
        if choice is None or choice.place.name in seen or choice.place.kind == "country":
            continue
        seen.add(choice.place.name)
        out.append(replace(cand, place=choice, confidence=round(cand.confidence * 0.8, 2),
                           spread=len(out) + 1))
    return out


def _sides(text: str, own, trig: Trigger, ctx: _Context) -> tuple[list, list, list]:
    """Sides of an event: from the sentence's factions and roles, with "the group" / "it"
    standing for the last-named group and "both groups" for the last two."""
    before = [a for a in own if a.end <= trig.start]
    a1, a2, assoc = roles(text, own, (trig.start, trig.end), trig.passive)
    if _BOTH.search(text) and len(ctx.recent) >= 2:
        pair = [f for f in ctx.recent if f not in a1 + a2][:2] if a1 and not before else ctx.recent[:2]
        named = [f for f in a1 + a2 + assoc if f not in pair]
        return [pair[0]], [pair[1]], named if a1 else []
    if ctx.actors and not before and not (trig.passive and a1) and (
            pronoun_subject(text, trig.start) or (not own and ctx.actors_paragraph == ctx.paragraph)):
        lead = ctx.actors[0]
        if lead not in a1:
            rest = [f for f in a1 + a2 + assoc if f != lead]
            return [lead], rest[:1], rest[1:]
    return a1, a2, assoc


#: Place mentions are looked up a paragraph (or this many characters) at a time, so that a
#: pathological text (one line of 100 000 characters) costs linear time.
CHUNK = 4000
WHOLE_TEXT = 30000


def _chunks(text: str, spans) -> list[tuple[int, int]]:
    """Paragraph spans, long ones cut at the last sentence end or space before CHUNK chars."""
    out = []
    for s, e in spans:
        while e - s > CHUNK:
            window = text[s:s + CHUNK]
            cut = max(window.rfind(". "), window.rfind(" "))
            cut = cut + 1 if cut > CHUNK // 2 else CHUNK
            out.append((s, s + cut))
            s += cut
        out.append((s, e))
    return out


def _mentions(text, spans, gazetteer, find_mentions, default_masks) -> list:
    """find_mentions over `text` (an article of ordinary length, whose places disambiguate
    each other) or, for very long texts, over each chunk, spans shifted back onto `text`."""
    from dataclasses import replace

    if len(text) <= WHOLE_TEXT:
        return find_mentions(text, gazetteer, masks=_masks(default_masks))
    out = []
    for s, e in _chunks(text, spans):
        for m in find_mentions(text[s:e], gazetteer, masks=_masks(default_masks)):
            out.append(replace(m, start=m.start + s, end=m.end + s) if s else m)
    return out


_MASKS: list[str] | None = None


def _masks(loader) -> list[str]:
    global _MASKS
    if _MASKS is None:
        _MASKS = loader()
    return _MASKS


_IN_COUNTRY = re.compile(r"\b(?:in|inside|across|throughout)\s+(?:northern\s+|southern\s+|eastern\s+|"
                         r"western\s+|central\s+)?$", re.IGNORECASE)


def _place_for(sentence: Sentence, trig: Trigger, by_paragraph: dict, text: str,
               gazetteer, focus, last: PlaceChoice | None = None,
               last_here: bool = False) -> PlaceChoice | None:
    """The place in the sentence; else the country it says the event was in; else the
    nearest usable place in its paragraph; else the place of the previous event told in the
    paragraph before (the story goes on there); else the place the article is about."""
    own = [m for m in by_paragraph.get(sentence.paragraph, [])
           if sentence.start <= m.start < sentence.end]
    at = sentence.start + trig.start
    choice = choose_in(text, [m for m in own if m.place.kind != "country"], at, gazetteer,
                       trig.movement, trigger_end=sentence.start + trig.end)
    if choice is not None:
        return choice
    for m in own:
        if m.place.kind == "country" and _IN_COUNTRY.search(text[max(0, m.start - 30):m.start]):
            return PlaceChoice(m.place, 3, m.surface, 0.0)
    if last is not None and not last.from_context and last_here:
        return PlaceChoice(last.place, max(2, last.geo_precision), last.surface, -4.0, True)
    pool = [m for m in by_paragraph.get(sentence.paragraph, [])
            if not (sentence.start <= m.start < sentence.end) and m.place.kind != "country"]
    choice = choose_in(text, pool, at, gazetteer, trig.movement, from_context=True,
                       focus=focus.place if focus is not None else None)
    if choice is not None:
        return choice
    if last is not None:
        return PlaceChoice(last.place, max(2, last.geo_precision), last.surface, -5.0, True)
    if focus is not None:
        return PlaceChoice(focus.place, max(2, focus.place.precision), focus.surface, -5.0, True)
    return None
