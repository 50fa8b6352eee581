"""Numbers written as digits or words, and the fatalities a sentence reports.

ACLED's conventions for vague counts are used where no figure is given ("several" 10,
"dozens" 12, "hundreds" 100), and the lowest figure a phrase gives ("at least seven" -> 7,
"more than 170" -> 170). Wounded and captured people are not fatalities.
"""
from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: Counts without a figure, as ACLED codes them.
VAGUE = {
    "a couple of": 2, "a couple": 2, "a few": 3, "few": 3, "some": 3, "a handful of": 3,
    "several": 10, "many": 10, "a number of": 10, "numerous": 10, "scores of": 20,
    "dozens of": 12, "dozens": 12, "tens of": 12, "a dozen": 12, "dozen": 12,
    "half a dozen": 6, "hundreds of": 100, "hundreds": 100, "thousands of": 1000,
    "thousands": 1000,
}
_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, "and"], key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))
#: A figure: digits (1,200), number words (twenty-five, two hundred), or a vague count.
NUMBER = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_VAGUE})(?![\w-])"
          rf"|(?:(?:{_WORD})(?:[\s-]+(?={_WORD}))?)+)")
_NUMBER_RE = re.compile(rf"(?<![\w-])(?:{NUMBER})(?![\w-])", re.IGNORECASE)
QUALIFIER = (r"(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|"
             r"approximately|roughly|an\s+estimated|no\s+fewer\s+than|as\s+many\s+as|"
             r"no\s+more\s+than|fewer\s+than|less\s+than|c\.)")


def parse_number(text: str) -> int | None:
    """The value of a figure: '170', '1,200', 'seven', 'twenty-five', 'two hundred',
    'dozens' (12), 'several' (10); None when it is not a number."""
    t = " ".join(text.lower().replace("-", " ").split())
    if not t:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    vague = {" ".join(k.replace("-", " ").split()): v for k, v in VAGUE.items()}
    if t in vague:
        return vague[t]
    total, current, seen = 0, 0, False
    for word in t.split():
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def find_numbers(text: str) -> list[tuple[int, int, int]]:
    """Every figure in `text` as (value, start, end), skipping lone 'a'/'an'/'one' articles
    and years."""
    out = []
    for m in _NUMBER_RE.finditer(text):
        surface = m.group(0).strip()
        if surface.lower() in ("a", "an", "and", "some"):
            continue
        value = parse_number(surface)
        if value is None:
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", surface):
            continue
        out.append((value, m.start(), m.start() + len(m.group(0).rstrip())))
    return out


_DEATH = (r"(?:killed|dead|died|deaths?|lives|bodies|slain|fatalities|martyred|"
          r"perished|executed|beheaded|massacred|casualties)")
# after a figure: up to nine words (no clause break), then a death word
# ("seven militants were killed", "left at least three Nusra militants dead")
_TAIL = re.compile(
    rf"(?P<gap>(?:\s+[\w'\u2019()-]+){{0,9}}?)"
    rf"\s+(?:(?:were|was|have\s+been|had\s+been|are|being|been|reportedly|later|also)\s+)*"
    rf"{_DEATH}\b", re.IGNORECASE)
# a death verb, then a figure ("killed at least 13", "the lives of five Nusra and two Daesh")
_AFTER = re.compile(
    rf"\b(?:kill(?:ed|ing|s)?|claim(?:ed|ing)?\s+the\s+lives\s+of|execut(?:ed|ing)|"
    rf"behead(?:ed|ing)|death\s+toll\s+(?:rose\s+to|of|at)|massacr(?:ed|ing))"
    rf"\s+(?:{QUALIFIER}\s+)?(?P<n>{NUMBER})(?P<more>(?:\s+[\w'\u2019-]+){{0,3}}?"
    rf"\s+and\s+(?:{QUALIFIER}\s+)?{NUMBER})?", re.IGNORECASE)
#: No report counts more dead than this in one event; bigger figures are not tolls.
MAX_DEAD = 1_000_000
_NOT_DEATH = re.compile(r"\b(?:wounded|injured|hurt|captured|arrested|detained|missing)\b",
                        re.IGNORECASE)


def fatalities(text: str) -> int | None:
    """Deaths a sentence reports: the largest count tied to a death word, the lowest
    figure of each phrase; None when the sentence gives no count of dead."""
    counts: list[int] = []
    for value, start, end in find_numbers(text):
        if re.search(r"\bno\s*$", text[max(0, start - 4):start], re.IGNORECASE):
            continue
        m = _TAIL.match(text, end)
        if m and not _NOT_DEATH.search(m.group("gap") or ""):
            counts.append(value)
    for m in _AFTER.finditer(text):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        if m.group("more"):
            extra = [v for v, _, _ in find_numbers(m.group("more"))]
            value += sum(extra[-1:])
        counts.append(value)
    counts = [c for c in counts if c <= MAX_DEAD]
    return max(counts) if counts else None
