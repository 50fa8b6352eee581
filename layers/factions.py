"""The faction registry (seeds/factions.csv): ids, names, aliases, colours, alias matching.

Aliases written without lower-case letters (IS, ISIS, FSA) are acronyms and match
case-sensitively, so the English word "is" never counts as the Islamic State; every other
alias matches case-insensitively. Matching takes whole words and, where aliases overlap
("Islamic State of Iraq" / "Islamic State"), the longest one at each position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import settings
from ._errors import CatalogError, Problem
from ._table import read_table

COLUMNS = ("id", "name", "aliases", "kind", "parent", "colour", "notes")
REQUIRED = ("id", "name", "aliases", "colour")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u02bf": "'"})


@dataclass(frozen=True)
class Faction:
    """One armed group or force."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    parent: str
    colour: str
    notes: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The display name followed by every alias."""
        return (self.name, *self.aliases)


def is_acronym(alias: str) -> bool:
    """True for aliases with letters but no lower-case ones (IS, ISIS, FSA): case-sensitive."""
    return any(c.isalpha() for c in alias) and not any(c.islower() for c in alias)


def _key(alias: str) -> str:
    """Lookup key: whitespace collapsed, curly apostrophes straightened, case folded
    unless the alias is an acronym."""
    text = " ".join(alias.translate(_QUOTES).split())
    return text if is_acronym(text) else text.casefold()


def _alias_pattern(alias: str) -> str:
    words = [re.escape(w) for w in alias.translate(_QUOTES).split()]
    body = r"\s+".join(words)
    return body if is_acronym(alias) else f"(?i:{body})"


class FactionRegistry:
    """Factions by id, with name/alias lookup and alias matching in free text."""

    def __init__(self, factions, problems=()):
        self.factions: dict[str, Faction] = {f.id: f for f in factions}
        self.problems: list[Problem] = list(problems)
        self._by_key: dict[str, str] = {}
        alias_to_id: dict[str, str] = {}
        for faction in self.factions.values():
            for name in faction.names:
                self._by_key.setdefault(_key(name), faction.id)
                alias_to_id.setdefault(name.translate(_QUOTES), faction.id)
        ordered = sorted(alias_to_id, key=lambda a: (-len(a), a))
        self._alias_ids = [alias_to_id[a] for a in ordered]
        self._pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(f"({_alias_pattern(a)})" for a in ordered) + r")(?!\w)"
        ) if ordered else None

    @property
    def ids(self) -> list[str]:
        """Every faction id, in the order of the CSV file."""
        return list(self.factions)

    def get(self, faction_id: str) -> Faction | None:
        """The faction with this id, or None."""
        return self.factions.get(faction_id)

    def name(self, faction_id: str) -> str:
        """Display name of a faction (the id itself when unknown)."""
        faction = self.factions.get(faction_id)
        return faction.name if faction else faction_id

    def colour(self, faction_id: str, default: str = "#777777") -> str:
        """Map colour (`#rrggbb`) of a faction, or `default` when unknown."""
        faction = self.factions.get(faction_id)
        return faction.colour if faction else default

    def resolve(self, name_or_alias: str) -> str | None:
        """The id whose name or alias equals this text (case rules as for match), or the
        text itself when it is an id; None when nothing matches."""
        if name_or_alias in self.factions:
            return name_or_alias
        return self._by_key.get(_key(name_or_alias))

    def match(self, text: str) -> list[str]:
        """Ids of factions whose name or aliases occur as whole words, in order of first mention."""
        if self._pattern is None:
            return []
        found: list[str] = []
        for m in self._pattern.finditer(text.translate(_QUOTES)):
            fid = self._alias_ids[m.lastindex - 1]
            if fid not in found:
                found.append(fid)
        return found


def registry_from_table(table) -> FactionRegistry:
    """Validate the rows of a factions table; bad rows are reported and left out."""
    problems = list(table.problems)
    factions: list[Faction] = []
    seen: dict[str, int] = {}
    owner: dict[str, tuple[str, int]] = {}
    rows: list[tuple[int, Faction]] = []
    for line, row in table.records:
        values = {c: row.get(c, "").strip() for c in COLUMNS}
        before = len(problems)

        def bad(field: str, message: str) -> None:
            problems.append(Problem(table.file, line, field, message))

        for name in REQUIRED:
            if name != "aliases" and not values[name]:
                bad(name, "empty")
        fid = values["id"]
        if fid and not _ID.match(fid):
            bad("id", f"{fid!r} is not a lower_snake id")
        elif fid in seen:
            bad("id", f"duplicate id {fid!r} (first on line {seen[fid]})")
        if values["colour"] and not _COLOUR.match(values["colour"]):
            bad("colour", f"{values['colour']!r} is not a #rrggbb colour")
        aliases = tuple(a.strip() for a in values["aliases"].split(";") if a.strip())
        for alias in (values["name"], *aliases):
            if not alias:
                continue
            key = _key(alias)
            if key in owner and owner[key][0] != fid:
                other, other_line = owner[key]
                bad("aliases", f"{alias!r} is also a name of {other!r} (line {other_line})")
        if len(problems) > before:
            continue
        seen[fid] = line
        for alias in (values["name"], *aliases):
            owner.setdefault(_key(alias), (fid, line))
        rows.append((line, Faction(fid, values["name"], aliases, values["kind"],
                                   values["parent"], values["colour"], values["notes"])))
    ids = {f.id for _, f in rows}
    for line, faction in rows:
        parents = [p.strip() for p in faction.parent.split(";") if p.strip()]
        unknown = [p for p in parents if p not in ids]
        if unknown:
            problems.append(Problem(table.file, line, "parent",
                                    f"unknown faction id(s): {', '.join(unknown)}"))
        factions.append(faction)
    return FactionRegistry(factions, problems)


def load_registry(path=None, *, strict: bool = False) -> FactionRegistry:
    """Load seeds/factions.csv (or `path`); its `.problems` lists bad rows, which are skipped.

    With ``strict=True`` any problem raises :class:`CatalogError` instead.
    """
    path = Path(path) if path is not None else settings.SEEDS / settings.FACTIONS_CSV_NAME
    registry = registry_from_table(read_table(path, REQUIRED))
    if strict and registry.problems:
        raise CatalogError(registry.problems)
    return registry
