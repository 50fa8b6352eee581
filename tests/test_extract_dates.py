"""Relative and explicit time expressions resolve against the publication date to a range
with a precision, never to a guessed day."""
from datetime import date

import pytest

from layers.extract.dates import anchor, find_dates, resolve_single

FRI = date(2016, 1, 29)      # a Friday
MON = date(2015, 3, 2)       # a Monday


@pytest.mark.parametrize("text, published, start, end, precision", [
    ("seven were killed Friday in renewed clashes", FRI, "2016-01-29", "2016-01-29", 1),
    ("the group said late Thursday that", FRI, "2016-01-28", "2016-01-28", 1),
    ("fighting broke out on Friday", MON, "2015-02-27", "2015-02-27", 1),
    ("a raid yesterday", MON, "2015-03-01", "2015-03-01", 1),
    ("seized last week", date(2014, 2, 12), "2014-02-03", "2014-02-09", 2),
    ("Earlier this week, fighters attacked", FRI, "2016-01-25", "2016-01-29", 2),
    ("it happened two months ago", FRI, "2015-11-14", "2015-12-14", 3),
    ("Around two weeks ago, the group attacked", date(2014, 12, 29), "2014-12-11", "2014-12-19", 2),
    ("captured in late July by the army", date(2014, 12, 26), "2014-07-21", "2014-07-31", 2),
    ("released in December", FRI, "2015-12-01", "2015-12-31", 3),
    ("In August 2014, militants overran the town", FRI, "2014-08-01", "2014-08-31", 3),
    ("since the start of the year", FRI, "2016-01-01", "2016-01-29", 3),
    ("on Feb. 5, 2014, fighters", FRI, "2014-02-05", "2014-02-05", 1),
    ("in the spring and summer of 2013", FRI, "2013-03-01", "2013-08-31", 3),
])
def test_expressions_resolve_to_ranges(text, published, start, end, precision):
    got = resolve_single(text, published)
    assert got is not None, text
    assert (got.start.isoformat(), got.end.isoformat(), got.precision) == (start, end, precision)


def test_month_without_year_is_the_last_one_not_after_publication():
    # "in August" read in January 2016 is August 2015; read in December 2014, August 2014
    assert resolve_single("fighting stopped in August", FRI).start == date(2015, 8, 1)
    assert resolve_single("fighting stopped in August", date(2014, 12, 29)).start == date(2014, 8, 1)


def test_may_the_verb_is_not_a_month_but_in_may_is():
    assert find_dates("the deal may fail", FRI) == []
    assert resolve_single("the battle of Yabrud [in May]", date(2014, 12, 29)).start == date(2014, 5, 1)


def test_future_is_flagged_and_later_is_anchored():
    future = find_dates("they will attack next week", FRI)
    assert future and future[0].future
    later = find_dates("he was released a few days later", FRI)[0]
    assert later.anchored
    base = resolve_single("detained on Friday", MON)
    placed = anchor(later, base)
    assert placed.start > base.start and placed.precision == 2


@pytest.mark.parametrize("text, published, start, end", [
    ("yesterday, Tuesday the 5th of September 2017, the arrival", date(2017, 9, 6),
     "2017-09-05", "2017-09-05"),
    ("fighting on July 21 spread", date(2017, 7, 25), "2017-07-21", "2017-07-21"),
    ("on 21 July fighters", date(2017, 7, 25), "2017-07-21", "2017-07-21"),
    ("on December 30 the group", date(2016, 1, 29), "2015-12-30", "2015-12-30"),   # last year's
    ("strikes in the past 24 hours", date(2017, 3, 3), "2017-03-02", "2017-03-03"),
    ("captured overnight", date(2017, 3, 3), "2017-03-02", "2017-03-03"),
])
def test_day_month_without_year_and_hours(text, published, start, end):
    got = resolve_single(text, published)
    assert got is not None, text
    assert (got.start.isoformat(), got.end.isoformat()) == (start, end)


def test_impossible_day_gives_no_exact_day():
    """'31st of February 2015' falls back to the month it names, never a made-up day."""
    found = find_dates("on the 31st of February 2015 and September 45", FRI)
    assert all(r.precision > 1 for r in found)
    assert [(r.start.isoformat(), r.end.isoformat()) for r in found][:1] == [
        ("2015-02-01", "2015-02-28")]
