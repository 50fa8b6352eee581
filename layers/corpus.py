"""The articles and their metadata (seeds/articles.csv + seeds/articles/*.txt).

A file that is missing, not UTF-8, empty, binary or not article text (e.g. JSON) is reported
as a Problem naming the file and its metadata row; the other articles still load.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import settings
from ._errors import Problem
from ._table import read_table, read_text
from .settings import display_path

COLUMNS = ("article_id", "file", "outlet", "author", "title", "published",
           "published_earliest", "published_latest", "date_confidence", "date_basis",
           "url", "notes")
#: Columns without which a row cannot be used.
REQUIRED = ("article_id", "file", "outlet", "title", "published")
DATE_CONFIDENCE = ("confirmed", "estimated")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@dataclass(frozen=True)
class Article:
    """One article: its metadata row and its text."""

    article_id: str
    file: str
    outlet: str
    author: str
    title: str
    published: date
    published_earliest: date
    published_latest: date
    date_confidence: str
    date_basis: str
    url: str
    notes: str
    text: str

    @property
    def source(self) -> str:
        """`Outlet, "Title" (YYYY-MM-DD)`, as the catalog's `sources` column cites it."""
        return f'{self.outlet}, "{self.title}" ({self.published.isoformat()})'


def parse_date(value: str) -> date | None:
    """An ISO `YYYY-MM-DD` date that exists in the calendar, else None."""
    value = value.strip()
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def text_problem(text: str) -> str | None:
    """Why `text` is not article text (empty, binary, JSON/GeoJSON), or None when it is."""
    if "\x00" in text:
        return "binary content (NUL bytes), not article text"
    stripped = text.strip()
    if not stripped:
        return "empty file, no article text"
    if stripped[0] in "{[":
        try:
            data = json.loads(stripped)
        except ValueError:
            return None
        kind = data.get("type") if isinstance(data, dict) else None
        if kind in ("FeatureCollection", "Feature", "GeometryCollection"):
            return f"holds a GeoJSON {kind}, not article text"
        return "holds JSON data, not article text"
    return None


def _metadata(line: int, row: dict[str, str], file: str,
              problems: list[Problem]) -> dict | None:
    """Check one metadata row; append its problems; return the cleaned fields or None."""
    start = len(problems)

    def bad(field: str, message: str) -> None:
        problems.append(Problem(file, line, field, message))

    values = {c: row.get(c, "").strip() for c in COLUMNS}
    for name in REQUIRED:
        if not values[name]:
            bad(name, "empty")
    if values["article_id"] and not _ID.match(values["article_id"]):
        bad("article_id", f"{values['article_id']!r} is not a lower_snake id")
    if values["file"] and (Path(values["file"]).name != values["file"]):
        bad("file", f"{values['file']!r} must be a file name inside the articles folder")
    dates = {}
    for name in ("published", "published_earliest", "published_latest"):
        if not values[name]:
            dates[name] = None
            continue
        dates[name] = parse_date(values[name])
        if dates[name] is None:
            bad(name, f"{values[name]!r} is not a real ISO date (YYYY-MM-DD)")
    published = dates["published"]
    earliest = dates["published_earliest"] or published
    latest = dates["published_latest"] or published
    if published and earliest and latest and not earliest <= published <= latest:
        bad("published", f"{published} is outside the window {earliest}..{latest}")
    if values["date_confidence"] and values["date_confidence"] not in DATE_CONFIDENCE:
        bad("date_confidence", f"{values['date_confidence']!r} is not one of "
                               f"{', '.join(DATE_CONFIDENCE)}")
    if values["date_confidence"] == "estimated" and not values["date_basis"]:
        bad("date_basis", "an estimated date needs its reason")
    if len(problems) > start:
        return None
    values.update(published=published, published_earliest=earliest,
                  published_latest=latest)
    values["date_confidence"] = values["date_confidence"] or "confirmed"
    return values


def load_corpus(seeds_dir=None) -> tuple[dict[str, Article], list[Problem]]:
    """Load every usable article of `seeds_dir` (default: the repo's seeds/).

    Returns
    -------
    articles : dict mapping article_id to Article, in the order of articles.csv
    problems : list of Problem; each bad row or unreadable text file is reported and skipped
    """
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    table = read_table(seeds / settings.ARTICLES_CSV_NAME, REQUIRED)
    problems = list(table.problems)
    articles: dict[str, Article] = {}
    first_line: dict[str, int] = {}
    folder = seeds / settings.ARTICLES_DIR_NAME
    for line, row in table.records:
        values = _metadata(line, row, table.file, problems)
        if values is None:
            continue
        aid = values["article_id"]
        if aid in first_line:
            problems.append(Problem(table.file, line, "article_id",
                                    f"duplicate id {aid!r} (first on line {first_line[aid]})"))
            continue
        first_line[aid] = line
        path = folder / values["file"]
        text, read_problems = read_text(path, display_path(path))
        reason = read_problems[0].message if read_problems else text_problem(text)
        if reason:
            problems.append(Problem(table.file, line, "file",
                                    f"article {aid}: {display_path(path)}: {reason}"))
            continue
        articles[aid] = Article(text=text, **values)
    return articles, problems
