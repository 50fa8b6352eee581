"""Faction mentions with spans, from the registry's names and aliases, and their roles.

Matching follows the registry's rules (acronyms such as IS or FSA match case-sensitively,
other aliases case-insensitively, whole words, the longest alias at each position). Roles
come from the sentence's shape: "between A and B", "X attacked Y", "Y was seized by X".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u02bf": "'"})
#: Words that stand for the last-named armed group when they are a sentence's subject.
PRONOUN_SUBJECT = re.compile(
    r"\b(?:the\s+group|the\s+organi[sz]ation|the\s+militants|the\s+jihadists|the\s+brigade|"
    r"the\s+movement|the\s+faction|the\s+latter|its\s+(?:fighters|members|militants|men)|"
    r"it|they|their\s+(?:fighters|members|militants))\b", re.IGNORECASE)


@dataclass(frozen=True)
class ActorMention:
    """One faction named in a text: its registry id and the span of the alias."""

    faction: str
    start: int
    end: int
    surface: str


def _is_acronym(alias: str) -> bool:
    return any(c.isalpha() for c in alias) and not any(c.islower() for c in alias)


def _alias_pattern(alias: str) -> str:
    body = r"\s+".join(re.escape(w) for w in alias.translate(_QUOTES).split())
    return body if _is_acronym(alias) else f"(?i:{body})"


class ActorMatcher:
    """Finds every faction alias in a text, with spans; built from a faction registry."""

    def __init__(self, names_by_id: dict[str, tuple[str, ...]], kinds: dict[str, str] | None = None,
                 parents: dict[str, str] | None = None, display: dict[str, str] | None = None):
        self.kinds = dict(kinds or {})
        self.parents = dict(parents or {})
        self.display = dict(display or {})
        owner: dict[str, str] = {}
        for fid, names in names_by_id.items():
            for name in names:
                name = " ".join(name.translate(_QUOTES).split())
                if name:
                    owner.setdefault(name, fid)
        ordered = sorted(owner, key=lambda a: (-len(a), a))
        self._ids = [owner[a] for a in ordered]
        self._pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(f"({_alias_pattern(a)})" for a in ordered) + r")(?![\w])"
        ) if ordered else None

    @classmethod
    def from_registry(cls, registry) -> "ActorMatcher":
        """From a `layers.factions.FactionRegistry` (or anything with `.factions` by id)."""
        factions = registry.factions
        return cls({fid: tuple(f.names) for fid, f in factions.items()},
                   {fid: f.kind for fid, f in factions.items()},
                   {fid: f.parent for fid, f in factions.items()},
                   {fid: f.name for fid, f in factions.items()})

    def find(self, text: str) -> list[ActorMention]:
        """Every faction mention in `text`, in order (spans index `text` itself)."""
        if self._pattern is None:
            return []
        return [ActorMention(self._ids[m.lastindex - 1], m.start(), m.end(), m.group(0))
                for m in self._pattern.finditer(text.translate(_QUOTES))]

    def name(self, fid: str) -> str:
        """Display name of a faction id."""
        return self.display.get(fid, fid)

    def is_state(self, fid: str) -> bool:
        """True for state forces (their events take the parent state as well)."""
        return self.kinds.get(fid) == "state_force"


@lru_cache(maxsize=1)
def default_matcher() -> ActorMatcher:
    """The matcher over seeds/factions.csv (via layers.factions.load_registry)."""
    from ..factions import load_registry

    return ActorMatcher.from_registry(load_registry())


def pronoun_subject(text: str, before: int) -> bool:
    """True when a group pronoun ("the group", "it", "they") stands before offset `before`
    with no faction named in between — the sentence continues about the last-named group."""
    return bool(PRONOUN_SUBJECT.search(text[:before]))


#: A faction right after one of these is an object or a companion, not the subject.
_OBJECT_OF = re.compile(r"\b(?:with|against|from|of|to|on|toward|towards|for|at|by|into|"
                        r"targeting|attacking)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){0,1}$",
                        re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|from)\s*$", re.IGNORECASE)
_AGAINST = re.compile(r"\b(?:against|on|targeting|with)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def roles(text: str, mentions: list[ActorMention], trigger: tuple[int, int],
          passive: bool) -> tuple[list[str], list[str], list[str]]:
    """Split a sentence's factions into (side 1, side 2, others) around a trigger word.

    "between A and B" gives A then B; in the passive voice the agent after "by" is side 1;
    otherwise the last faction before the trigger is side 1 and the first after it side 2.
    """
    ids = list(dict.fromkeys(m.faction for m in mentions))
    if not ids:
        return [], [], []
    before = [m for m in mentions if m.end <= trigger[0]]
    after = [m for m in mentions if m.start >= trigger[1]]
    between = _BETWEEN.search(text)
    side1: list[str] = []
    side2: list[str] = []
    if between:
        inside = [m for m in mentions if m.start > between.end()]
        split = re.search(r"\b(?:and|on the other hand|against)\b", text[between.end():])
        if inside and split:
            cut = between.end() + split.start()
            first = [m.faction for m in inside if m.start < cut]
            second = [m.faction for m in inside if m.start > cut and m.faction not in first]
            if first and second:
                side1, side2 = first[:1], second[:1]
    if not side1:
        agents = [m for m in after if _BY.search(text[max(0, m.start - 12):m.start])]
        if passive and agents:
            side1 = [agents[0].faction]
            rest = [m.faction for m in before if m.faction != side1[0]]
            side2 = rest[-1:] if rest else [m.faction for m in after if m.faction != side1[0]][:1]
        elif before:
            free = [m for m in before if not _OBJECT_OF.search(text[max(0, m.start - 30):m.start])]
            side1 = [(free or before)[-1].faction]
            rest = [m.faction for m in after if m.faction != side1[0]]
            if rest:
                side2 = rest[:1]
            else:
                earlier = [m.faction for m in before[:-1] if m.faction != side1[0]]
                side2 = earlier[-1:]
        else:
            side1 = [(after or mentions)[0].faction]
            rest = [m.faction for m in (after or mentions)[1:] if m.faction != side1[0]]
            side2 = rest[:1]
    others = [f for f in ids if f not in side1 and f not in side2]
    return side1, side2, others


# --- generic wording: "Syrian troops", "Lebanon's army", "government forces", "rebels" ---------

_DEMONYMS = {"syrian": "Syrian", "syria": "Syrian", "lebanese": "Lebanese", "lebanon": "Lebanese",
             "russian": "Russian", "russia": "Russian", "iranian": "Iranian", "iran": "Iranian",
             "turkish": "Turkish", "turkey": "Turkish", "iraqi": "Iraqi", "iraq": "Iraqi",
             "jordanian": "Jordanian", "israeli": "Israeli"}
_COUNTRY_DEMONYM = {"SY": "Syrian", "LB": "Lebanese", "RU": "Russian", "IQ": "Iraqi",
                    "TR": "Turkish", "JO": "Jordanian", "IL": "Israeli", "IR": "Iranian"}
_FORCE_NOUN = (r"(?:army|armed\s+forces|military|troops|soldiers|servicemen|forces|units|"
               r"special\s+forces|artillery|tanks|(?:war)?planes|jets|fighter\s+jets|aircraft|"
               r"helicopters?|gunships?|drones?|air\s+force|air\s+power|air\s*strikes|air\s+raids|"
               r"navy|warships?|government|authorities|regime|state)")
_GOVERNMENT_NOUN = re.compile(r"government|authorities|regime|state$", re.IGNORECASE)
#: "Syrian and Russian warplanes", "Lebanon's army", "Russian-backed Syrian troops"
_QUALIFIED = re.compile(
    r"(?<![\w-])(?P<d>(?:(?:Syrian|Lebanese|Russian|Iranian|Turkish|Iraqi|Jordanian|Israeli)"
    r"(?:\s*(?:,|and|-)\s*(?:Syrian|Lebanese|Russian|Iranian|Turkish|Iraqi|Jordanian|Israeli))*)"
    r"|(?:Syria|Lebanon|Russia|Iran|Turkey|Iraq)(?:'s|\u2019s))"
    rf"\s+(?:(?:government|regime|state|pro-government|army|air|ground|special|elite)\s+)?"
    rf"(?P<n>{_FORCE_NOUN})(?![\w-])")
#: Countries that act ("brokered by Russia", "Moscow said") — foreign states only.
_STATE_NAME = re.compile(r"(?<![\w-])(?P<d>Russia|Moscow|Iran|Tehran|Turkey|Ankara)(?!['\u2019\w-])")
_CAPITALS = {"moscow": "Russian", "tehran": "Iranian", "ankara": "Turkish"}
#: Unqualified forces: the army of the country the text is about.
_UNQUALIFIED = re.compile(
    r"(?<![\w-])(?:(?P<gov>(?:pro-)?government(?:-backed)?|regime|state|loyalist)\s+(?P<gn>forces|troops|"
    r"soldiers|units|helicopters|warplanes|(?:war)?planes|jets|aircraft|artillery|tanks|gunships)|"
    r"(?:the\s+)?(?P<n>army|military|troops|soldiers|servicemen|security\s+forces))(?![\w-])",
    re.IGNORECASE)
_REBELS = re.compile(r"(?<![\w-])(?:rebels?|rebel\s+(?:fighters|groups|factions|forces|brigades|units)|"
                     r"opposition\s+(?:fighters|groups|factions|forces)|insurgents)(?![\w-])",
                     re.IGNORECASE)


def state_country(matcher: ActorMatcher, fid: str) -> str | None:
    """ISO code of the state a state force belongs to, from its display name ("Lebanese
    Army" -> LB), following parents; None for other factions."""
    seen = set()
    while fid and fid not in seen:
        seen.add(fid)
        if matcher.kinds.get(fid) in ("state_force", "foreign_force"):
            first = matcher.display.get(fid, "").split()[:1]
            for code, demonym in _COUNTRY_DEMONYM.items():
                if first and first[0] == demonym:
                    return code
        fid = matcher.parents.get(fid)
    return None


def _state_ids(matcher: ActorMatcher, demonym: str, noun: str) -> list[str]:
    """Registry ids for "<demonym> <noun>": the state (government) faction for government
    words, else the armed force (army, armed forces, military) of that country."""
    mine = [f for f, name in matcher.display.items()
            if matcher.kinds.get(f) in ("state_force", "foreign_force")
            and name.split()[0].lower() in (demonym.lower(), demonym.lower().rstrip("n"))]
    if not mine:
        return []
    govern = bool(_GOVERNMENT_NOUN.search(noun))
    armed = [f for f in mine if re.search(r"army|armed|military|forces", matcher.display[f],
                                          re.IGNORECASE)]
    civil = [f for f in mine if f not in armed]
    pick = (civil or armed) if govern else (armed or civil)
    return pick[:1]


def _umbrella_rebel(matcher: ActorMatcher) -> str | None:
    """The rebel faction that most other factions have as parent (an umbrella like the FSA)."""
    counts: dict[str, int] = {}
    for f, parent in matcher.parents.items():
        if parent and matcher.kinds.get(parent) == "rebel":
            counts[parent] = counts.get(parent, 0) + 1
    return max(counts, key=counts.get) if counts else None


def generic_mentions(matcher: ActorMatcher, text: str, found: list[ActorMention],
                     country: str | None) -> list[ActorMention]:
    """Forces named by generic wording, resolved through the registry: "Syrian and Russian
    warplanes" (both states), "Lebanon's army", "brokered by Russia", and — in a text about
    `country` (ISO code) — "government forces", "the army", "troops"; "rebels" is the rebel
    umbrella when the text names no rebel group. Spans overlapping `found` are skipped."""
    taken = [(m.start, m.end) for m in found]
    out: list[ActorMention] = []

    def add(fid, s, e):
        if fid and not any(s < te and ts < e for ts, te in taken):
            out.append(ActorMention(fid, s, e, text[s:e]))

    def free(s, e):
        return not any(s < te and ts < e for ts, te in taken)

    for m in _QUALIFIED.finditer(text):
        inside = [f.faction for f in found if m.start() < f.end and f.start < m.end()]
        for w in re.finditer(r"[A-Z][a-z]+", m.group("d")):
            s, e = m.start("d") + w.start(), m.start("d") + w.end()
            for fid in _state_ids(matcher, _DEMONYMS.get(w.group(0).lower(), w.group(0)),
                                  m.group("n")):
                if fid in inside:
                    continue
                span = (m.start(), m.end()) if not inside else (s, e)
                if free(*span) or not inside:
                    out.append(ActorMention(fid, span[0], span[1], text[span[0]:span[1]]))
        taken.append(m.span())
    for m in _STATE_NAME.finditer(text):
        d = m.group("d")
        demonym = _CAPITALS.get(d.lower()) or _DEMONYMS.get(d.lower())
        if demonym and free(*m.span()):
            for fid in _state_ids(matcher, demonym, "forces"):
                add(fid, *m.span())
    demonym = _COUNTRY_DEMONYM.get(country or "")
    if demonym:
        for m in _UNQUALIFIED.finditer(text):
            if not free(*m.span()):
                continue
            before = text[max(0, m.start() - 25):m.start()]
            if any(0 <= m.start() - f.end <= 3 for f in found) or re.search(
                    r"(?:'s|\u2019s|\bof)\s*$", before):
                continue   # "Nusra's soldiers", "Hezbollah troops": that group's own men
            if m.group("n") and m.group("n").lower() == "army" and re.match(r"\s+of\b", text[m.end():]):
                continue   # "Army of Islam" and the like
            noun = m.group("gov") or m.group("n") or ""
            for fid in _state_ids(matcher, demonym, noun):
                add(fid, *m.span())
            taken.append(m.span())
    umbrella = _umbrella_rebel(matcher)
    if umbrella and not any(matcher.kinds.get(f.faction) == "rebel" for f in found):
        for m in _REBELS.finditer(text):
            add(umbrella, *m.span())
    return sorted(out, key=lambda a: a.start)
