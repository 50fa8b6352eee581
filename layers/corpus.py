"""The articles and their metadata (seeds/articles.csv + seeds/articles/*.txt).

A file that is missing, not UTF-8, empty, binary or not article text (e.g. JSON) is reported
as a Problem naming the file and its metadata row; the other articles still load.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
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


# ---------------------------------------------------------------- adding an article

class ArticleError(ValueError):
    """An article that cannot be added; ``field`` names the argument at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:40].strip("_")


def _article_text(text_or_path) -> str:
    """Article text from a str (text, or the path of a file), a Path or bytes; UTF-8 only."""
    if isinstance(text_or_path, Path) or (
            isinstance(text_or_path, str) and "\n" not in text_or_path
            and len(text_or_path) < 4096 and text_or_path.strip()
            and Path(text_or_path).is_file()):
        path = Path(text_or_path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ArticleError("text", f"{path}: cannot read file: {exc.strerror or exc}") from None
    elif isinstance(text_or_path, (bytes, bytearray)):
        data = bytes(text_or_path)
    elif isinstance(text_or_path, str):
        data = None
        text = text_or_path
    else:
        raise ArticleError("text", f"expected text, bytes or a file path, not "
                                   f"{type(text_or_path).__name__}")
    if data is not None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError("text", f"not valid UTF-8 text (byte {exc.start}: "
                                       f"{data[exc.start:exc.start + 1]!r})") from None
    reason = text_problem(text)
    if reason:
        raise ArticleError("text", reason)
    return text.replace("\r\n", "\n")


def _squash_text(text: str) -> str:
    return " ".join(text.split())


def add_article(text_or_path, *, outlet: str, title: str, published, author: str = "",
                url: str = "", date_confidence: str = "confirmed", date_basis: str = "",
                notes: str = "", article_id: str | None = None, seeds_dir=None) -> Article:
    """Add an article to the corpus: write ``articles/<id>.txt`` and append its row to
    articles.csv (csv quoting); return the Article as :func:`load_corpus` now reads it.

    ``text_or_path`` is the text, the bytes of a UTF-8 file, or a file's path. The id is
    ``<outlet>_<yyyy_mm_dd>`` (``_2``, ``_3`` … when that is taken by another article)
    unless ``article_id`` is given. Raises ArticleError naming the field for: text that is
    not UTF-8, empty, binary or JSON; a missing outlet or title; a date that is not ISO; an
    unknown date_confidence; an estimated date without date_basis; a URL that is not
    http(s); an id (or text) already in the corpus.
    """
    seeds = Path(seeds_dir) if seeds_dir is not None else settings.SEEDS
    text = _article_text(text_or_path)
    outlet, title, author = _one_line(outlet), _one_line(title), _one_line(author)
    url, date_basis, notes = _one_line(url), _one_line(date_basis), _one_line(notes)
    if not outlet:
        raise ArticleError("outlet", "empty")
    if not title:
        raise ArticleError("title", "empty")
    if isinstance(published, datetime):
        published = published.date()
    day = published if isinstance(published, date) else parse_date(str(published or ""))
    if day is None:
        raise ArticleError("published", f"{published!r} is not a real ISO date (YYYY-MM-DD)")
    if date_confidence not in DATE_CONFIDENCE:
        raise ArticleError("date_confidence", f"{date_confidence!r} is not one of "
                                              f"{', '.join(DATE_CONFIDENCE)}")
    if date_confidence == "estimated" and not date_basis:
        raise ArticleError("date_basis", "an estimated date needs its reason")
    if url and not re.match(r"^https?://\S+$", url):
        raise ArticleError("url", f"{url!r} is not an http(s) URL")

    csv_path = seeds / settings.ARTICLES_CSV_NAME
    folder = seeds / settings.ARTICLES_DIR_NAME
    table = read_table(csv_path, REQUIRED) if csv_path.exists() else None
    rows = [row for _, row in table.records] if table else []
    taken = {row.get("article_id", "").strip() for row in rows}
    files = {row.get("file", "").strip() for row in rows}
    corpus, _ = load_corpus(seeds) if table else ({}, [])
    same = _squash_text(text)
    for other in corpus.values():
        if _squash_text(other.text) == same:
            raise ArticleError("text", f"the same text is already article {other.article_id!r}")
    if article_id is not None:
        aid = str(article_id).strip()
        if not _ID.match(aid):
            raise ArticleError("article_id", f"{aid!r} is not a lower_snake id")
        if aid in taken:
            raise ArticleError("article_id", f"duplicate id {aid!r}: already in "
                                             f"{display_path(csv_path)}")
    else:
        base = f"{_slug(outlet) or 'article'}_{day.strftime('%Y_%m_%d')}"
        base = base if _ID.match(base) else f"a_{base}"
        for row in rows:
            if (row.get("article_id", "").strip() == base
                    and _one_line(row.get("title")).casefold() == title.casefold()):
                raise ArticleError("article_id", f"duplicate: {base!r} is already this "
                                                 f"outlet's article {title!r} of {day}")
        aid, n = base, 1
        while aid in taken or f"{aid}.txt" in files or (folder / f"{aid}.txt").exists():
            n += 1
            aid = f"{base}_{n}"
    name = f"{aid}.txt"
    if name in files or (folder / name).exists():
        raise ArticleError("article_id", f"{display_path(folder / name)} already exists")

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")
    iso = day.isoformat()
    record = {"article_id": aid, "file": name, "outlet": outlet, "author": author,
              "title": title, "published": iso, "published_earliest": iso,
              "published_latest": iso, "date_confidence": date_confidence,
              "date_basis": date_basis or ("given when the article was added"
                                           if date_confidence == "confirmed" else ""),
              "url": url, "notes": notes or "added with layers.corpus.add_article"}
    size = csv_path.stat().st_size if csv_path.exists() else None
    try:
        _append_row(csv_path, record, table.header if table and table.header else list(COLUMNS))
        added, problems = load_corpus(seeds)
        if aid not in added:
            mine = [str(p) for p in problems if aid in str(p)]
            raise ArticleError("article_id", f"{aid} was written but does not load: "
                                             f"{'; '.join(mine) or 'unknown reason'}")
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        if size is None:
            csv_path.unlink(missing_ok=True)
        else:
            with open(csv_path, "r+b") as fh:
                fh.truncate(size)
        raise
    return added[aid]


def _append_row(path: Path, record: dict, header: list[str]) -> None:
    """Append one CSV record (quoted as needed), starting a new line if the file lacks one."""
    exists = path.exists() and path.stat().st_size > 0
    with open(path, "a+b") as fh:
        if exists:
            fh.seek(-1, 2)
            if fh.read(1) not in (b"\n", b"\r"):
                fh.write(b"\n")
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n",
                                extrasaction="ignore")
        if not exists:
            writer.writeheader()
        writer.writerow({h: record.get(h, "") for h in header})
        fh.write(buf.getvalue().encode("utf-8"))
