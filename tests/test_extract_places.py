"""Choosing where an event happened: the most specific place under a locative preposition,
not the dateline, not an origin or destination, and 'the countryside of X' as X's
governorate. Uses a small invented gazetteer, so only the rules are tested."""
from datetime import date

import pytest

from geo import Gazetteer, Place
from layers.extract import extract_events


def _p(name, kind, admin1, country, lat, lon, precision=1, alts=()):
    return Place(name, tuple(alts), kind, admin1, country, lat, lon, precision, "test")


PLACES = [
    _p("Arsal", "town", "Baalbek-Hermel", "LB", 34.1794, 36.4208, alts=("Aarsal",)),
    _p("Ras Baalbek", "village", "Baalbek-Hermel", "LB", 34.2589, 36.4181),
    _p("Qalamoun mountains", "mountains", "Rif Dimashq", "SY", 33.95, 36.65, 3, ("Qalamoun",)),
    _p("Deir ez-Zor", "city", "Deir ez-Zor", "SY", 35.3359, 40.1408, alts=("Deir el-Zour",)),
    _p("Deir ez-Zor Governorate", "governorate", "Deir ez-Zor", "SY", 35.0, 40.4, 3),
    _p("Raqqa", "city", "Raqqa", "SY", 35.9528, 39.0079),
    _p("Tripoli", "city", "North Lebanon", "LB", 34.4335, 35.8442),
    _p("Lebanon", "country", "", "LB", 33.83, 35.83, 3),
    _p("Syria", "country", "", "SY", 35.0, 38.0, 3),
]


@pytest.fixture(scope="module")
def gz():
    return Gazetteer(PLACES)


def _locations(gz, text, published=date(2015, 6, 12)):
    gdf = extract_events(text, published, "test_article", gazetteer=gz)
    return list(gdf["location"]), gdf


def test_most_specific_locative_place_wins(gz):
    locs, _ = _locations(gz, "Islamic State fighters attacked Jabhat al-Nusra positions in "
                             "Ras Baalbek, in the Qalamoun, on Tuesday.")
    assert locs == ["Ras Baalbek"]


def test_dateline_is_not_the_event_place(gz):
    locs, _ = _locations(gz, "TRIPOLI, Lebanon -- Islamic State fighters stormed a Nusra Front "
                             "camp near Arsal on Tuesday.")
    assert locs == ["Arsal"]


def test_destination_is_not_the_event_place(gz):
    locs, _ = _locations(gz, "On Tuesday ISIS fighters who clashed with the Nusra Front in "
                             "Arsal were sent to Raqqa.")
    assert locs == ["Arsal"]


def test_countryside_means_the_governorate(gz):
    locs, gdf = _locations(gz, "Jabhat al-Nusra seized ISIS positions in the countryside of "
                               "Deir el-Zour on Tuesday.")
    assert locs == ["Deir ez-Zor Governorate"]
    assert gdf["geo_precision"].iloc[0] == 3


def test_no_place_in_sentence_takes_the_paragraph_place(gz):
    text = ("Islamic State fighters stormed a Nusra Front camp in Arsal on Tuesday. "
            "The Nusra Front withdrew its fighters on Wednesday after a truce was agreed to.")
    _, gdf = _locations(gz, text)
    row = gdf[gdf["event_type"] == "Strategic developments"].iloc[0]
    assert row["location"] == "Arsal" and row["geo_precision"] >= 2


def test_a_country_alone_counts_only_as_the_place_it_says(gz):
    locs, gdf = _locations(gz, "On Tuesday the Lebanese Army arrested a Nusra Front commander "
                               "in Lebanon.")
    assert locs == ["Lebanon"] and gdf["geo_precision"].iloc[0] == 3


def test_the_verbs_object_beats_a_place_in_another_clause(gz):
    locs, _ = _locations(gz, "IS fighters seized Arsal on Tuesday while the army was fighting "
                             "in Ras Baalbek.")
    assert locs == ["Arsal"]


def test_a_destination_after_left_for_is_not_the_event_place(gz):
    locs, _ = _locations(gz, "On Tuesday the Nusra Front clashed with ISIS in Arsal and then "
                             "left for Raqqa.")
    assert locs == ["Arsal"]


def test_a_placeless_sentence_keeps_the_place_of_the_event_before_it(gz):
    text = ("ISIS stormed Ras Baalbek on Tuesday after a week in Arsal.\n\n"
            "On Wednesday the Nusra Front executed two captured ISIS members.")
    _, gdf = _locations(gz, text)
    row = gdf[gdf["event_type"] == "Violence against civilians"].iloc[0]
    assert row["location"] == "Ras Baalbek" and row["geo_precision"] >= 2
