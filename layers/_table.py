"""Reading a seed CSV into records that keep their line numbers, reporting malformed lines.

Shared by the corpus, the faction registry and the catalog: a missing or undecodable file,
a missing column, or a line with too many or too few fields becomes a Problem, and every
other line is still returned.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import Problem
from .settings import display_path


@dataclass
class Table:
    """The records of one CSV file, each with the line it starts on (the header is line 1)."""

    file: str
    header: list[str] = field(default_factory=list)
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: data lines that were not blank, including the malformed ones
    rows_in: int = 0
    #: lines rejected here (wrong field count, or every line when a column is missing)
    rows_rejected: int = 0


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of a file, or None with a Problem saying why it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [Problem(file, 0, "", "file not found")]
    except OSError as exc:
        return None, [Problem(file, 0, "", f"cannot read file: {exc.strerror or exc}")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(file, 0, "", "UTF-16 text (byte-order mark), not UTF-8; "
                                           "save it as UTF-8")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, "", f"not valid UTF-8 (byte {exc.start}: "
                                              f"{data[exc.start:exc.start + 1]!r}); another "
                                              "encoding (e.g. Windows-1256) or binary data")]


def table_from_text(text: str, file: str, required: tuple[str, ...]) -> Table:
    """Parse CSV text; records whose field count differs from the header's are reported."""
    table = Table(file)
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not table.header:
                if not record:
                    continue
                table.header = [h.strip() for h in record]
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            table.rows_in += 1
            if len(record) != len(table.header):
                n, width = len(record), len(table.header)
                # the first column without a value, or the position of the first surplus one
                where = table.header[n] if n < width else f"(field {width + 1})"
                table.problems.append(Problem(
                    file, line, where, f"{n} fields where the header has {width}" +
                    (f": {where!r} and the columns after it are missing" if n < width
                     else ": a value too many (a stray comma or quote?)")))
                table.rows_rejected += 1
                continue
            table.records.append((line, dict(zip(table.header, record))))
    except csv.Error as exc:
        table.problems.append(Problem(file, reader.line_num, "", f"malformed CSV: {exc}"))
    if not table.header:
        table.problems.append(Problem(file, 0, "", "empty file: no header"))
        return table
    seen = set()
    for name in table.header:
        if name in seen:
            table.problems.append(Problem(file, 1, name, "duplicate column"))
        seen.add(name)
    missing = [c for c in required if c not in table.header]
    for name in missing:
        table.problems.append(Problem(file, 1, name, "missing column"))
    if missing:
        table.rows_rejected = table.rows_in
        table.records = []
    return table


def read_table(path: Path, required: tuple[str, ...]) -> Table:
    """Open a CSV file and parse it with :func:`table_from_text`."""
    file = display_path(path)
    text, problems = read_text(path, file)
    if text is None:
        return Table(file, problems=problems)
    return table_from_text(text, file, required)
