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
