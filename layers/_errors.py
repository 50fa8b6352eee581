"""Problems found in the seed files, and the exception that carries them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where (file, row, field) and what (message).

    ``row`` is the 1-based line of the CSV record (the header is line 1), or 0 when the
    problem concerns the whole file.
    """

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field}: {self.message}"


class CatalogError(ValueError):
    """Raised by strict loaders; ``.problems`` lists every problem found, not only the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s):\n{shown}{tail}")
