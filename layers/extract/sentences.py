"""Split an article into paragraphs and sentences with character spans.

The quote of an extracted event is a sentence exactly as written (``text[start:end]``).
Page furniture that is not reporting (photo credits, footnotes and citations, bullet lists,
reader comments) is flagged so that no event rests on it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\r]*\n[\r\n]*")
# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before a space
# and a capital, an opening quote or a digit.
_BOUNDARY = re.compile(r"(?<=[.!?])([\"\u201d\u2019)\]]?[\u00b9\u00b2\u00b3\u2070-\u2079]*)\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])")
#: Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt capt maj sgt st jan feb mar apr jun jul aug sep sept oct nov "
    "dec no vs etc c ca approx u.s u.n e.g i.e al jr sr".split()
)
_FURNITURE = (
    re.compile(r"\((?:AFP|Reuters|AP|REUTERS|Getty)\s*/"),   # photo credit (agency/photographer)
    re.compile(r"\bPhoto (?:by|credit)\b", re.IGNORECASE),
    re.compile(r"\]\((?:#|https?:)"),                        # markdown citation link
    re.compile(r"^\s*[\u00b9\u00b2\u00b3\u2070-\u2079]"),     # footnote body
    re.compile(r"^\s*[\u2022*\u25cf-]\s"),                   # bullet / comment list
    re.compile(r"https?://|www\.|@\w+\.\w"),                  # addresses
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, its span in the article, its paragraph and position."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int
    furniture: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs (blocks separated by blank lines), stripped of whitespace."""
    spans, pos = [], 0
    for m in list(_PARAGRAPH_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        block = text[pos:end]
        lead = len(block) - len(block.lstrip())
        if block.strip():
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos = m.end() if m else len(text)
    return spans


def _ends_with_abbreviation(chunk: str) -> bool:
    word = re.search(r"([\w.]+)\.$", chunk.rstrip("\"\u201d\u2019)] \n"))
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text` in order, with spans such that ``text[s.start:s.end] == s.text``."""
    out: list[Sentence] = []
    for pno, (pstart, pend) in enumerate(paragraphs(text)):
        block = text[pstart:pend]
        furniture_par = any(p.search(block) for p in _FURNITURE[3:5])
        cuts, begin = [], 0
        for m in _BOUNDARY.finditer(block):
            if _ends_with_abbreviation(block[begin:m.start() + 1]):
                continue
            cuts.append((begin, m.start() + len(m.group(1))))
            begin = m.end()
        cuts.append((begin, len(block)))
        for s, e in cuts:
            chunk = block[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            if not chunk.strip():
                continue
            start, end = pstart + s + lead, pstart + s + trail
            sentence_text = text[start:end]
            furniture = furniture_par or any(p.search(sentence_text) for p in _FURNITURE)
            out.append(Sentence(sentence_text, start, end, pno, len(out), furniture))
    return out
