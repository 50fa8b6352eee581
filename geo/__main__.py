"""Command line: `python -m geo resolve NAME...` and `python -m geo mentions FILE...`.

Both print one JSON object per line (see issue 3's contract). A file that cannot be read
is reported on stderr by name; the others are still processed and the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .gazetteer import default_gazetteer
from .mentions import default_masks, find_mentions


def _print(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_resolve(names: list[str]) -> int:
    gz = default_gazetteer()
    for name in names:
        _print(gz.resolve(name).to_json())
    return 0


def cmd_mentions(files: list[str]) -> int:
    gz = default_gazetteer()
    masks = default_masks()
    status = 0
    for file in files:
        try:
            text = Path(file).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{file}: cannot read as UTF-8 text: {exc}", file=sys.stderr)
            status = 1
            continue
        for mention in find_mentions(text, gz, masks=masks):
            _print(mention.to_json(file))
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("resolve", help="resolve place names to coordinates")
    p.add_argument("names", nargs="+", metavar="NAME")
    p = sub.add_parser("mentions", help="list the place mentions in text files")
    p.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    if args.command == "resolve":
        return cmd_resolve(args.names)
    return cmd_mentions(args.files)


if __name__ == "__main__":
    sys.exit(main())
