"""Faction aliases from the registry (case rules, longest alias) and the sides they take."""
import pytest

from layers.extract.actors import ActorMatcher, default_matcher, roles
from layers.factions import load_registry


@pytest.fixture(scope="module")
def matcher():
    return default_matcher()


def test_aliases_map_to_registry_ids(matcher):
    text = ("Daesh (ISIS) and the Nusra Front clashed; Hizballah and Lebanese soldiers "
            "watched, and the Islamic State of Iraq and al-Sham withdrew.")
    found = [(m.faction, m.surface) for m in matcher.find(text)]
    assert found == [("is", "Daesh"), ("is", "ISIS"), ("nusra", "Nusra Front"),
                     ("hezbollah", "Hizballah"), ("lebanese_army", "Lebanese soldiers"),
                     ("is", "Islamic State of Iraq and al-Sham")]
    for m in matcher.find(text):
        assert text[m.start:m.end] == m.surface


def test_acronyms_are_case_sensitive(matcher):
    assert matcher.find("This is what it is.") == []
    assert [m.faction for m in matcher.find("IS fighters")] == ["is"]


def test_every_registry_alias_is_found():
    registry = load_registry()
    matcher = ActorMatcher.from_registry(registry)
    for fid in registry.ids:
        for alias in registry.get(fid).names:
            hits = matcher.find(f"Reports said {alias} moved.")
            assert hits and hits[0].surface == alias, (fid, alias)


def test_roles_between_active_and_passive(matcher):
    s = "Clashes between Daesh and the Nusra Front erupted."
    ms = matcher.find(s)
    a1, a2, _ = roles(s, ms, (0, 7), passive=False)
    assert (a1, a2) == (["is"], ["nusra"])
    s = "The positions of Jabhat al-Nusra were seized by ISIS last week."
    i = s.index("seized")
    a1, a2, _ = roles(s, matcher.find(s), (i, i + 6), passive=True)
    assert (a1, a2) == (["is"], ["nusra"])
    s = "The Lebanese Army arrested a commander of Jabhat al-Nusra."
    i = s.index("arrested")
    a1, a2, _ = roles(s, matcher.find(s), (i, i + 8), passive=False)
    assert (a1, a2) == (["lebanese_army"], ["nusra"])
