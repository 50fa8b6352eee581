"""Time expressions in a sentence, resolved against the publication date to a range.

"Friday" is the last Friday on or before publication; "last week" the previous calendar
week; "two months ago" a window around that point; "in August" the last August not after
publication. Each result is a range with a precision (1 day, 2 week or part of a month,
3 month or coarser), never a guessed day.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numbers import NUMBER, parse_number

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
           "winter": (12, 2)}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PART = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|end\s+of|beginning\s+of)"
_UNIT = r"(?:day|week|month|year)s?"
_VAGUE_N = r"(?:a\s+few|a\s+couple\s+of|several|some|a|an|one|few)"


@dataclass(frozen=True)
class DateRange:
    """A resolved time span with its precision and where in the sentence it was read."""

    start: date
    end: date
    precision: int
    expression: str = ""
    offset: int = -1
    future: bool = False
    anchored: bool = False   # relative to an earlier date in the text ("a few days later")

    @property
    def event_date(self) -> date:
        """ACLED style: the day itself when exact, else the latest date the text supports."""
        return self.end

    def overlaps(self, other: "DateRange") -> bool:
        """True when the two ranges share at least one day (bounds inclusive)."""
        return self.start <= other.end and other.start <= self.end


def precision_of(start: date, end: date) -> int:
    """1 for one day, 2 for a week or a part of a month (up to 20 days), 3 for longer."""
    days = (end - start).days
    return 1 if days <= 0 else 2 if days <= 20 else 3


def make_range(start: date, end: date, expression: str = "", offset: int = -1,
               **kw) -> DateRange:
    """A DateRange whose precision follows from its length."""
    if end < start:
        start, end = end, start
    return DateRange(start, end, precision_of(start, end), expression, offset, **kw)


def month_range(year: int, month: int, part: str = "") -> tuple[date, date]:
    """The days of a month, or of its early (1-10), mid (11-20) or late (21-end) part."""
    last = calendar.monthrange(year, month)[1]
    part = " ".join(part.lower().split())
    if part in ("early", "the beginning of", "beginning of", "the start of"):
        return date(year, month, 1), date(year, month, 10)
    if part in ("mid", "the middle of"):
        return date(year, month, 11), date(year, month, 20)
    if part in ("late", "the end of", "end of"):
        return date(year, month, 21), date(year, month, last)
    return date(year, month, 1), date(year, month, last)


def _last_month_year(month: int, published: date) -> int:
    """The year of the most recent `month` not after publication."""
    return published.year if month <= published.month else published.year - 1


def _amount(text: str) -> tuple[int, int]:
    """A count as (low, high): 'two' -> (2, 2), 'a few' -> (2, 4), 'several' -> (2, 6)."""
    t = " ".join(text.lower().split())
    if t in ("a few", "few", "a couple of"):
        return 2, 4
    if t in ("several", "some"):
        return 2, 6
    if t in ("a", "an", "one"):
        return 1, 1
    value = parse_number(t)
    return (value, value) if value is not None else (1, 1)


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.5, "year": 365.25}


def _ago(published: date, low: int, high: int, unit: str) -> tuple[date, date]:
    """The window `low`..`high` units before publication, widened by half a unit."""
    days = _UNIT_DAYS[unit.rstrip("s")]
    if days == 1:
        return published - timedelta(days=high + 1), published - timedelta(days=max(low - 1, 0))
    return (published - timedelta(days=round((high + 0.5) * days)),
            published - timedelta(days=round(max(low - 0.5, 0) * days)))


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _relative(m: re.Match, published: date) -> tuple[date, date] | None:
    """'last week', 'earlier this month', 'in the past few days', 'recently', ..."""
    t = " ".join(m.group(0).lower().split())
    p = published
    monday = _week_of(p)
    if re.search(r"\b(?:last|previous|past)\s+week\b", t) and "weeks" not in t:
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if "this week" in t:
        return monday, p
    if re.search(r"\b(?:last|previous)\s+month\b", t):
        first = p.replace(day=1)
        prev = first - timedelta(days=1)
        return prev.replace(day=1), prev
    if "this month" in t:
        return p.replace(day=1), p
    if re.search(r"\b(?:last|previous)\s+year\b", t):
        return date(p.year - 1, 1, 1), date(p.year - 1, 12, 31)
    if "this year" in t or re.search(r"(?:start|beginning)\s+of\s+the\s+year", t):
        return date(p.year, 1, 1), p
    if t.endswith("hours") or t == "overnight":
        hours = re.search(r"(\d+|twenty-four|forty-eight)\s+hours", t)
        n = {"twenty-four": 24, "forty-eight": 48}.get(hours.group(1), 0) if hours else 24
        n = n or int(hours.group(1))
        return p - timedelta(days=max(1, -(-n // 24))), p
    if re.search(r"past\s+(?:few\s+|couple\s+of\s+)?days|recent\s+days|last\s+few\s+days", t):
        return p - timedelta(days=7), p
    if re.search(r"past\s+(?:few\s+)?weeks|recent\s+weeks", t):
        return p - timedelta(days=31), p
    if re.search(r"past\s+(?:few\s+|several\s+)?months|recent\s+months", t):
        return p - timedelta(days=183), p
    if re.search(r"past\s+year|last\s+year|past\s+twelve\s+months", t):
        return p - timedelta(days=365), p
    if re.search(r"past\s+(?:two|2)\s+years", t):
        return p - timedelta(days=730), p
    if "recent" in t or "lately" in t:
        return p - timedelta(days=31), p
    return None


_PATTERNS = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    # 5th of September 2017 / the 21st of July (no year: the last one not after publication)
    ("dmy", re.compile(rf"\b(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+of\s+(?P<mon>{_MONTH})"
                       rf"(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?\b", re.IGNORECASE)),
    # 5 February 2014 / Feb. 5, 2014 / February 2014 / late July 2014
    ("full", re.compile(rf"\b(?:(?P<part>{_PART})[\s-]+)?(?:(?P<d1>\d{{1,2}})\s+)?(?P<mon>{_MONTH})"
                        rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?P<y>(?:19|20)\d{{2}})\b",
                        re.IGNORECASE)),
    # July 21 / 21 July / Sept. 5th, without a year
    ("dm", re.compile(rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon1>{_MONTH})(?!\w)"
                      rf"|(?P<mon2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?)"
                      r"(?![\w,]*\s*(?:19|20)\d{2})(?!\s*(?:km|kilomet|miles|%))",
                      re.IGNORECASE)),
    ("season", re.compile(r"\b(?:(?:the|in|during)\s+)?(?P<s1>spring|summer|autumn|fall|winter)"
                          r"(?:\s+and\s+(?:the\s+)?(?P<s2>spring|summer|autumn|fall|winter))?"
                          r"\s+of\s+(?P<y>(?:19|20)\d{2})\b", re.IGNORECASE)),
    ("year", re.compile(rf"\b(?:(?P<part>early|mid|late|the\s+end\s+of)[\s-]+|(?:in|since|during|of|by)\s+)"
                        r"(?P<y>(?:19|20)\d{2})\b", re.IGNORECASE)),
    # in August / late July / [in May] / stopped August — May and March need a cue
    ("month", re.compile(rf"(?:(?P<part>{_PART})[\s-]+|(?P<prep>\b(?:in|since|during|until|of|by|"
                         rf"last|this|early|late)\s+))?\b(?P<mon>{_MONTH})(?![\w-]|\s+\d)", re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?P<q>(?:last|on|late|early|this\s+past|this)\s+)?"
                           r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                           r"(?:'s|\u2019s)?\b")),
    ("day", re.compile(r"\b(?P<w>today|tonight|this\s+morning|yesterday|the\s+day\s+before\s+yesterday)\b",
                       re.IGNORECASE)),
    ("ago", re.compile(rf"\b(?:(?:around|about|nearly|almost|some|roughly|over|more\s+than|less\s+than|"
                       rf"only)\s+)?(?P<n>{_VAGUE_N}|{NUMBER})\s+(?P<u>{_UNIT})\s+(?P<dir>ago|earlier|later|"
                       rf"before|after)\b", re.IGNORECASE)),
    ("relative", re.compile(
        r"\b(?:(?:earlier|later)\s+)?this\s+(?:week|month|year)\b|\b(?:last|previous)\s+(?:week|month|year)\b"
        r"|\b(?:in|over|during|for)\s+the\s+(?:past|last)\s+(?:few\s+|couple\s+of\s+|several\s+|two\s+|2\s+|twelve\s+)?"
        r"(?:days?|weeks?|months?|years?)\b|\b(?:since|from)\s+the\s+(?:start|beginning)\s+of\s+the\s+year\b"
        r"|\b(?:in|over|during|for|within)\s+the\s+(?:past|last)\s+(?:\d{1,2}|twenty-four|forty-eight|"
        r"few|several)\s+hours\b|\bovernight\b"
        r"|\brecent\s+(?:days|weeks|months)\b|\b(?:more\s+)?recently\b|\blately\b", re.IGNORECASE)),
    ("future", re.compile(r"\b(?:tomorrow|next\s+(?:week|month|year|Monday|Tuesday|Wednesday|Thursday|"
                          r"Friday|Saturday|Sunday)|(?:the\s+)?coming\s+(?:days|weeks|months))\b",
                          re.IGNORECASE)),
]


def _resolve(kind: str, m: re.Match, published: date, offset: int) -> DateRange | None:
    expr = m.group(0)
    g = m.groupdict()
    p = published
    if kind == "iso":
        try:
            d = date(int(g["y"]), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
        return make_range(d, d, expr, offset)
    if kind == "full":
        month, year = MONTHS[g["mon"].lower().rstrip(".")], int(g["y"])
        day = g.get("d1") or g.get("d2")
        if day:
            try:
                d = date(year, month, int(day))
            except ValueError:
                return None
            return make_range(d, d, expr, offset)
        return make_range(*month_range(year, month, g.get("part") or ""), expr, offset)
    if kind in ("dmy", "dm"):
        word = (g.get("mon") or g.get("mon1") or g.get("mon2") or "").rstrip(".")
        if not word[:1].isupper():
            return None
        if kind == "dm" and word.lower() in ("may", "march", "mar") and g.get("mon1") is None \
                and not re.match(r"(?i)(?:may|march)\s+\d", expr):
            return None
        month = MONTHS[word.lower()]
        day = int(g.get("d1") or g.get("d2"))
        year = int(g["y"]) if g.get("y") else None
        if year is None:
            year = p.year
            try:
                if date(year, month, day) > p:
                    year -= 1
            except ValueError:
                return None
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        return make_range(d, d, expr, offset)
    if kind == "season":
        year = int(g["y"])
        first, last = SEASONS[g["s1"].lower()], SEASONS[(g["s2"] or g["s1"]).lower()]
        start = date(year, first[0], 1)
        end_year = year + 1 if last[1] < last[0] else year
        end = date(end_year, last[1], calendar.monthrange(end_year, last[1])[1])
        return make_range(start, end, expr, offset)
    if kind == "year":
        year, part = int(g["y"]), (g.get("part") or "").lower()
        if part == "early":
            return make_range(date(year, 1, 1), date(year, 4, 30), expr, offset)
        if part == "mid":
            return make_range(date(year, 5, 1), date(year, 8, 31), expr, offset)
        if part:
            return make_range(date(year, 9, 1), date(year, 12, 31), expr, offset)
        return make_range(date(year, 1, 1), date(year, 12, 31), expr, offset)
    if kind == "month":
        word = g["mon"].rstrip(".")
        if not word[0].isupper():
            return None
        if word.lower() in ("may", "march", "mar", "jan", "dec", "sat", "sun") and not (g.get("part") or g.get("prep")):
            return None
        if len(word) <= 3 and not (g.get("part") or g.get("prep")):
            return None
        month = MONTHS[word.lower()]
        prep = (g.get("prep") or "").strip().lower()
        year = _last_month_year(month, p)
        if prep == "this":
            year = p.year
        start, end = month_range(year, month, g.get("part") or "")
        if start > p:
            return None
        return make_range(start, min(end, p), expr, offset)
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        q = (g.get("q") or "").strip().lower()
        back = (p.weekday() - wd) % 7
        if q == "last" and back == 0:
            back = 7
        d = p - timedelta(days=back)
        return make_range(d, d, expr, offset)
    if kind == "day":
        w = " ".join(g["w"].lower().split())
        back = {"yesterday": 1, "the day before yesterday": 2}.get(w, 0)
        d = p - timedelta(days=back)
        return make_range(d, d, expr, offset)
    if kind == "ago":
        low, high = _amount(g["n"])
        unit = g["u"].lower()
        if g["dir"].lower() in ("ago",):
            return make_range(*_ago(p, low, high, unit), expr, offset)
        days = _UNIT_DAYS[unit.rstrip("s")]
        shift = (round(low * days), round(high * days))
        # offsets from date.min, placed by anchor() on the earlier date the text gives
        label = expr if g["dir"].lower() in ("later", "after") else expr + " (before)"
        return make_range(date.min + timedelta(days=shift[0]), date.min + timedelta(days=shift[1]),
                          label, offset, anchored=True)
    if kind == "relative":
        span = _relative(m, p)
        return make_range(*span, expr, offset) if span else None
    if kind == "future":
        return DateRange(p + timedelta(days=1), p + timedelta(days=60), 3, expr, offset, future=True)
    return None


def anchor(relative: DateRange, base: DateRange) -> DateRange:
    """Shift an anchored range ("a few days later") from the earlier date it follows."""
    low = (relative.start - date.min).days
    high = (relative.end - date.min).days
    if relative.expression.endswith("(before)"):
        start, end = base.start - timedelta(days=high), base.end - timedelta(days=low)
    else:
        start, end = base.start + timedelta(days=low), base.end + timedelta(days=high)
    return make_range(start, end, relative.expression, relative.offset)


def find_dates(text: str, published: date) -> list[DateRange]:
    """Every time expression in `text`, resolved, in order; overlapping matches keep the
    longest. Anchored ranges ("two days later") carry offsets from `date.min` until
    :func:`anchor` places them."""
    found: list[tuple[int, int, DateRange]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < fe and fs < e for fs, fe, _ in found):
                continue
            resolved = _resolve(kind, m, published, s)
            if resolved is not None:
                found.append((s, e, resolved))
    return [r for _, _, r in sorted(found, key=lambda x: x[0])]


def resolve_single(text: str, published: date) -> DateRange | None:
    """The first resolvable, non-anchored expression in `text` (convenience for tests)."""
    for r in find_dates(text, published):
        if not r.anchored:
            return r
    return None


def default_range(published: date, days: int = 31) -> DateRange:
    """What an undated report supports: the month before publication (precision 3)."""
    return make_range(published - timedelta(days=days), published, "(undated)")


__all__ = ["DateRange", "find_dates", "anchor", "default_range", "make_range",
           "precision_of", "month_range", "resolve_single"]
