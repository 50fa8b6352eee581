"""Command line: `python -m layers extract FILE... [--published YYYY-MM-DD]`.

Prints one GeoJSON FeatureCollection (RFC 7946: lon/lat, no `crs`) of the events extracted
from the files, merged within and across them, with the export properties plus `origin`
("extracted") and `confidence`. A file listed in seeds/articles.csv takes its metadata
date unless --published is given; any other file needs --published.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

from .frame import EXPORT_COLUMNS

PROPERTIES = (*EXPORT_COLUMNS, "confidence")


class ExtractError(ValueError):
    """A file that cannot be extracted (unreadable, not text, no publication date)."""


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the `extract` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "extract", help="extract candidate events from article files (GeoJSON on stdout)",
        description="Extract candidate events from article text files and print one GeoJSON "
                    "FeatureCollection. Files in seeds/articles.csv use their metadata date "
                    "unless --published is given.")
    p.add_argument("files", nargs="+", metavar="FILE", type=Path, help="article text file(s)")
    p.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                   help="publication date (needed for files outside the corpus)")
    p.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                   help="seeds folder with articles.csv (default: the repo's seeds/)")
    p.set_defaults(func=run, parser=p)
    return p


def _corpus_index(seeds: Path | None) -> dict[str, dict]:
    """Metadata rows of seeds/articles.csv by resolved file path and by file name."""
    from .. import settings
    from .._table import read_table
    from ..corpus import parse_date

    seeds = seeds or settings.SEEDS
    table = read_table(seeds / settings.ARTICLES_CSV_NAME, ("article_id", "file", "published"))
    index: dict[str, dict] = {}
    for _, row in table.records:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        info = {"article_id": (row.get("article_id") or "").strip(),
                "published": parse_date(row.get("published") or ""),
                "source": _source(row)}
        index[str((seeds / settings.ARTICLES_DIR_NAME / name).resolve())] = info
    return index


def _source(row: dict) -> str:
    outlet, title, published = (row.get(k, "").strip() for k in ("outlet", "title", "published"))
    return f'{outlet}, "{title}" ({published})' if outlet and title else ""


def _article_id(path: Path) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in path.stem.lower()).strip("_")
    return f"file_{stem or 'article'}"


def articles_from_files(files, published: date | None = None, seeds: Path | None = None,
                        warnings: list | None = None):
    """(text, published, article_id, source) for each file.

    A missing or unreadable file, or one without a publication date, raises ExtractError
    naming every such file; a file that holds no article text (empty, JSON/GeoJSON) is
    skipped with a message appended to `warnings` (so one bad corpus file hides no other).
    """
    from ..corpus import text_problem

    index = _corpus_index(seeds)
    items, errors = [], []
    for path in files:
        path = Path(path)
        meta = index.get(str(path.resolve()))
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            errors.append(f"{path}: no such file")
            continue
        except UnicodeDecodeError:
            errors.append(f"{path}: not UTF-8 text")
            continue
        except OSError as exc:
            errors.append(f"{path}: cannot read ({exc.strerror or exc})")
            continue
        reason = text_problem(text)
        if reason:
            if warnings is None:
                errors.append(f"{path}: {reason}")
            else:
                warnings.append(f"{path}: {reason}; skipped")
            continue
        when = published or (meta["published"] if meta else None)
        if when is None:
            errors.append(f"{path}: not in seeds/articles.csv, so its publication date is "
                          f"unknown; pass --published YYYY-MM-DD")
            continue
        aid = meta["article_id"] if meta and meta["article_id"] else _article_id(path)
        items.append((text, when, aid, meta["source"] if meta else ""))
    if errors:
        raise ExtractError("\n".join(errors))
    return items


def feature_collection(gdf) -> dict:
    """RFC 7946 FeatureCollection (lon/lat Points, flat properties, no `crs`) of a frame."""
    features = []
    for row in gdf.to_dict("records"):
        props = {}
        for key in PROPERTIES:
            value = row.get(key)
            if isinstance(value, float) and math.isnan(value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            props[key] = value
        geom = row["geometry"]
        features.append({"type": "Feature", "id": row["event_id"],
                         "geometry": {"type": "Point",
                                      "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def run(args) -> int:
    """Extract the files and print the FeatureCollection; a missing file or date -> exit 2
    with its name on stderr; a file without article text -> a warning, skipped."""
    from . import extract_articles

    warnings: list[str] = []
    try:
        items = articles_from_files(args.files, args.published, getattr(args, "seeds", None),
                                    warnings)
    except ExtractError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    gdf = extract_articles(items)
    out = json.dumps(feature_collection(gdf), ensure_ascii=False, indent=1)
    try:
        sys.stdout.write(out + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return 0


def main(argv=None) -> int:
    """`python -m layers.extract FILE... [--published D]` (same as `python -m layers extract`)."""
    parser = argparse.ArgumentParser(prog="python -m layers")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "extract":
        argv = ["extract", *argv]
    args = parser.parse_args(argv)
    return args.func(args)
