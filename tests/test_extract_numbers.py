"""Fatalities from digits and number words, with ACLED's conventions for vague counts."""
import pytest

from layers.extract.numbers import fatalities, parse_number


@pytest.mark.parametrize("text, value", [
    ("170", 170), ("1,200", 1200), ("seven", 7), ("twenty-five", 25), ("two hundred", 200),
    ("one hundred and five", 105), ("dozens", 12), ("several", 10), ("a few", 3),
    ("hundreds", 100), ("thirteen", 13),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("sentence, dead", [
    ("At least seven militants were killed Friday in renewed clashes.", 7),
    ("More than 170 people from both sides were killed in the fighting.", 170),
    ("The attack claimed the lives of five fighters and two gunmen.", 7),
    ("The clashes killed at least 13.", 13),
    ("The clashes left at least three militants dead.", 3),
    ("The fighting left dozens dead before the army drove them out.", 12),
    ("The militants executed dozens of people.", 12),
    ("Several fighters were wounded and one was killed.", 1),
    ("At least 60 militants from two allied brigades and their rivals were killed.", 60),
])
def test_fatalities(sentence, dead):
    assert fatalities(sentence) == dead


@pytest.mark.parametrize("sentence", [
    "Twelve fighters were wounded in the clash.",
    "Nearly 50 soldiers were captured.",
    "No one died.",
    "In 2014 the town was attacked.",
])
def test_no_fatalities(sentence):
    assert fatalities(sentence) is None
