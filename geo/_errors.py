"""Exceptions raised by the gazetteer; each names the file, row or field at fault."""
from __future__ import annotations


class GazetteerError(ValueError):
    """The curated table or an outline file is malformed (message names file, row, field)."""


class UnknownPlaceError(LookupError):
    """A name that neither the curated table nor a fallback resolves."""

    def __init__(self, query: str, candidates=()):
        self.query = query
        self.candidates = list(candidates)
        names = ", ".join(f"{p.name} ({s:.0f})" for p, s in self.candidates) or "none"
        super().__init__(f"unknown place {query!r}; best candidates: {names}")
