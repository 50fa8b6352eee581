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


def _generic(matcher, text, country):
    from layers.extract.actors import generic_mentions

    found = matcher.find(text)
    return [(m.faction, m.surface) for m in generic_mentions(matcher, text, found, country)]


def test_demonyms_and_possessives_name_state_forces(matcher):
    assert _generic(matcher, "Lebanon's army launched an offensive", None) == [
        ("lebanese_army", "Lebanon's army")]
    assert ("syrian_army", "Syrian") in _generic(matcher, "Syrian and Russian warplanes struck", None)
    assert _generic(matcher, "a deal brokered by Russia", None) == [("russia", "Russia")]
    assert _generic(matcher, "the Syrian government said", None) == []   # a registry alias


def test_unqualified_forces_are_the_army_of_the_country_in_context(matcher):
    assert _generic(matcher, "Three soldiers were killed", "LB") == [("lebanese_army", "soldiers")]
    assert _generic(matcher, "Three soldiers were killed", "SY") == [("syrian_army", "soldiers")]
    assert _generic(matcher, "barrels dropped by government helicopters", "SY") == [
        ("regime", "government helicopters")]
    assert _generic(matcher, "Three soldiers were killed", None) == []
    # a group's own men are not a state's
    assert _generic(matcher, "Hezbollah troops and Nusra's soldiers advanced", "SY") == []


def test_rebels_are_the_umbrella_only_when_no_rebel_group_is_named(matcher):
    assert _generic(matcher, "Rebels in the town agreed", "SY") == [("fsa", "Rebels")]
    assert _generic(matcher, "Ahrar al-Sham rebels agreed", "SY") == []
    assert _generic(matcher, "rebel-held towns were hit", "SY") == []


def test_generic_forces_take_their_role_in_events():
    from datetime import date

    from layers.extract import extract_events

    gdf = extract_events("Syrian and Russian warplanes pounded Tafas on Thursday, killing six "
                         "civilians.", date(2018, 7, 7), "t")
    row = gdf.iloc[0]
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Air/drone strike"
    assert {"russia", "syrian_army", "civilians"} <= set(row["factions"].split(";"))
    assert row["date_start"] == "2018-07-05" and row["fatalities"] == 6


def test_victims_named_as_members_of_a_group_named_before():
    from datetime import date

    from layers.extract import extract_events

    text = ("The Yarmouk Martyrs Brigade fought Jabhat al-Nusra in Tasil on Sunday.\n\n"
            "This morning, Jabhat al-Nusra executed three members of the brigade.")
    gdf = extract_events(text, date(2016, 2, 22), "t")
    vac = gdf[gdf["event_type"] == "Violence against civilians"].iloc[0]
    assert vac["actor1"] == "Jabhat al-Nusra" and vac["actor2"] == "Yarmouk Martyrs Brigade"
    assert vac["location"] == "Tasil" and vac["fatalities"] == 3
