"""Command line: `python -m layers export OUT [--start D] [--end D] [--faction ID]...
[--type TYPE]... [--article ID]... [--catalog PATH] [--origin ORIGIN]... [--acled PATH]`
writes the filtered events and prints how many; `python -m layers extract FILE...
[--published D]` prints extracted events; `python -m layers add-article FILE --outlet O
--title T --published D` adds an article to the corpus and prints its id.

Subcommands are registered in ``COMMANDS`` so others (e.g. `extract`) can be added.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import settings
from .extract.cli import add_parser as add_extract
from .sources import ORIGINS


def _iso_date(value: str):
    from .filters import as_date

    try:
        return as_date(value, "date")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def add_export(sub) -> None:
    """Register `export`."""
    p = sub.add_parser("export", help="write the (filtered) event catalog to a file",
                       description="Write the filtered events; the format follows OUT's "
                                   "extension (.geojson, .gpkg, .csv, .parquet). Prints the "
                                   "number of events written.")
    p.add_argument("out", metavar="OUT", help="output file (.geojson, .gpkg, .csv, .parquet)")
    p.add_argument("--start", type=_iso_date, metavar="YYYY-MM-DD",
                   help="events whose date range ends on or after this day")
    p.add_argument("--end", type=_iso_date, metavar="YYYY-MM-DD",
                   help="events whose date range starts on or before this day")
    p.add_argument("--faction", action="append", default=[], metavar="ID",
                   help="faction id (repeatable; any of)")
    p.add_argument("--type", action="append", default=[], metavar="TYPE",
                   help="ACLED event type (repeatable; any of)")
    p.add_argument("--article", action="append", default=[], metavar="ID",
                   help="article id (repeatable; any of)")
    p.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                   help=f"seeds folder (default {settings.SEEDS})")
    p.add_argument("--catalog", type=Path, default=None, metavar="PATH",
                   help="another catalog: an ACLED-format CSV, a file in seeds/events.csv's "
                        "format, or GeoParquet (default: $FRONTS_CATALOG, else the bundled one)")
    p.add_argument("--origin", action="append", default=[], metavar="ORIGIN",
                   choices=ORIGINS, help="events of this origin: curated (the catalog), "
                   "extracted (the extractor over the corpus) or acled ($FRONTS_ACLED or "
                   "--acled); repeatable, default curated")
    p.add_argument("--acled", type=Path, default=None, metavar="PATH",
                   help="ACLED-format CSV of --origin acled (default: $FRONTS_ACLED)")
    p.set_defaults(func=cmd_export, parser=p)


def cmd_export(args) -> int:
    """Load the catalog leniently (problems to stderr), filter, write, print the count."""
    from .catalog import ACLED_TYPES
    from .corpus import load_corpus
    from .export import format_for, write_events
    from .factions import load_registry
    from .filters import filter_events

    parser = args.parser
    try:
        format_for(args.out)
    except ValueError as exc:
        parser.error(f"argument OUT: {exc}")
    if args.start and args.end and args.start > args.end:
        parser.error(f"argument --start: {args.start} is after --end {args.end}")
    seeds = args.seeds or settings.SEEDS
    registry = load_registry(seeds / settings.FACTIONS_CSV_NAME)
    for fid in args.faction:
        if registry.get(fid) is None:
            parser.error(f"argument --faction: unknown faction id {fid!r} "
                         f"(known: {', '.join(registry.ids)})")
    for etype in args.type:
        if etype not in ACLED_TYPES:
            parser.error(f"argument --type: unknown event type {etype!r} "
                         f"(known: {', '.join(ACLED_TYPES)})")
    if args.article:
        corpus, _ = load_corpus(seeds)
        known = set(corpus) | _table_ids(seeds)
        for aid in args.article:
            if aid not in known:
                parser.error(f"argument --article: unknown article id {aid!r} "
                             f"(known: {', '.join(sorted(known))})")
    from .acled import catalog_path
    from .sources import acled_path, load_layers

    catalog = args.catalog or (None if args.seeds else catalog_path())
    if catalog is not None and not catalog.exists():
        parser.error(f"argument --catalog: no such file {str(catalog)!r}")
    origins = args.origin or ["curated"]
    acled = args.acled or acled_path()
    if "acled" in origins and (acled is None or not acled.exists()):
        parser.error("argument --origin: acled needs an existing ACLED-format file "
                     f"(--acled PATH or $FRONTS_ACLED; got {str(acled) if acled else 'none'})")
    gdf, problems = load_layers(args.seeds, catalog, acled, origins)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    selected = filter_events(gdf, args.start, args.end, args.faction, args.type, args.article)
    count = write_events(selected, args.out)
    print(count)
    return 0


def _table_ids(seeds: Path) -> set[str]:
    """Every article id in articles.csv, including articles whose text is unusable."""
    from ._table import read_table

    table = read_table(seeds / settings.ARTICLES_CSV_NAME, ("article_id",))
    return {row.get("article_id", "").strip() for _, row in table.records} - {""}


def add_add_article(sub) -> None:
    """Register `add-article`."""
    p = sub.add_parser("add-article", help="add an article (text file + metadata) to the corpus",
                       description="Copy a UTF-8 article text into seeds/articles/ and append "
                                   "its row to seeds/articles.csv; prints the new article id.")
    p.add_argument("file", metavar="FILE", type=Path, help="the article's UTF-8 text file")
    p.add_argument("--outlet", required=True, help="publication, e.g. 'Al-Monitor'")
    p.add_argument("--title", required=True)
    p.add_argument("--published", required=True, metavar="YYYY-MM-DD",
                   help="publication date (ISO)")
    p.add_argument("--author", default="")
    p.add_argument("--url", default="")
    p.add_argument("--date-confidence", default="confirmed", choices=("confirmed", "estimated"))
    p.add_argument("--date-basis", default="", help="why the date is what it is (needed when "
                                                    "estimated)")
    p.add_argument("--seeds", type=Path, default=None, metavar="DIR",
                   help=f"seeds folder (default {settings.SEEDS})")
    p.set_defaults(func=cmd_add_article, parser=p)


def cmd_add_article(args) -> int:
    """Add the article; print its id, or `error: FIELD: message` and exit 2."""
    from .corpus import ArticleError, add_article

    if not args.file.is_file():
        print(f"error: FILE: no such file {str(args.file)!r}", file=sys.stderr)
        return 2
    try:
        article = add_article(args.file, outlet=args.outlet, title=args.title,
                              published=args.published, author=args.author, url=args.url,
                              date_confidence=args.date_confidence, date_basis=args.date_basis,
                              seeds_dir=args.seeds)
    except ArticleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(article.article_id)
    return 0


#: Subcommand registrars; each adds its parser and sets ``func``.
COMMANDS = [add_export, add_extract, add_add_article]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="python -m layers",
                                     description="Syria Fronts Map event layers.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
