"""ACLED's CSV export as an events layer (origin "acled"), and the catalog chosen by header.

`events_from_acled(path)` validates an ACLED-format CSV into a GeoDataFrame with exactly the
columns of :func:`layers.catalog.load_events`; bad rows become `Problem`s naming file, row and
field while every good row still loads. Work is columnar: values that repeat (dates, actors,
countries) are parsed once per distinct value, so a million rows never become a million Python
objects. `layers.acled_store` keeps big files as GeoParquet for filtered reads.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from . import settings
from ._errors import CatalogError, Problem
from .settings import display_path

#: The columns of ACLED's CSV export, in its order.
ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                 "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso",
                 "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
                 "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
                 "tags", "timestamp")
#: Columns without which a row cannot become an event; the others may be absent.
REQUIRED = ("event_id_cnty", "event_date", "time_precision", "event_type", "actor1",
            "latitude", "longitude", "fatalities")
#: Columns of the GeoDataFrame, identical to layers.catalog.load_events.
EVENT_COLUMNS = ("event_id", "event_date", "date_start", "date_end", "time_precision",
                 "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors", "factions",
                 "location", "admin1", "country", "latitude", "longitude", "geo_precision",
                 "fatalities", "article_ids", "sources", "notes", "quote", "place_source",
                 "origin", "outline", "geometry")
INT_COLUMNS = ("time_precision", "geo_precision", "fatalities")
ORIGIN = "acled"
#: Environment variable naming a catalog that replaces the bundled one.
CATALOG_ENV = "FRONTS_CATALOG"
#: Date formats ACLED has used in exports ("16 December 2014", "16-December-2014", ISO).
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")
#: ACLED's six event types (the same list as layers.filters.EVENT_TYPES).
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
               "Protests", "Riots", "Strategic developments")
#: Country names and ISO 3166 numeric codes ACLED uses -> our alpha-2 codes.
COUNTRIES = {"syria": "SY", "lebanon": "LB", "iraq": "IQ", "turkey": "TR", "turkiye": "TR",
             "jordan": "JO", "israel": "IL", "palestine": "PS", "egypt": "EG",
             "760": "SY", "422": "LB", "368": "IQ", "792": "TR", "400": "JO", "376": "IL",
             "275": "PS", "818": "EG"}


def parse_acled_date(text: str) -> date | None:
    """A date from any of ACLED's export formats, or None when it is not one."""
    text = " ".join(str(text).split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_range(day: date, precision: int) -> tuple[date, date]:
    """The span an ACLED date stands for: the day (1), its Monday-Sunday week (2), its month (3)."""
    if precision == 2:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if precision == 3:
        start = day.replace(day=1)
        nxt = (start.replace(year=start.year + 1, month=1) if start.month == 12
               else start.replace(month=start.month + 1))
        return start, nxt - timedelta(days=1)
    return day, day


def is_acled_header(header) -> bool:
    """True when a CSV header is ACLED's (it names event_id_cnty and its coordinates)."""
    names = {str(h).strip().lstrip("\ufeff") for h in header}
    return {"event_id_cnty", "latitude", "longitude"} <= names


def read_header(path) -> list[str]:
    """The first CSV record of a file (its header), or [] when it is empty."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        for record in csv.reader(fh):
            if record:
                return [h.strip() for h in record]
    return []


# -- reading ---------------------------------------------------------------------------------

def _record_lines(data: bytes, width: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Start line of every well-formed record, and (line, fields) of each of the wrong width.

    Only run when something must be reported, as it walks the file in Python.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    lines: list[int] = []
    bad: list[tuple[int, int]] = []
    start, first = 1, True
    for record in reader:
        line, start = start, reader.line_num + 1
        if first:
            first = not record
            continue
        if not record:
            continue
        if len(record) == width:
            lines.append(line)
        else:
            bad.append((line, len(record)))
    return lines, bad


def table_from_acled_bytes(data: bytes, file: str) -> tuple[pa.Table | None, list[int] | None,
                                                              list[Problem]]:
    """Parse ACLED CSV bytes with Arrow (every column as text).

    Returns the table, the CSV line of each of its rows when rows were skipped (else None,
    meaning line = index + 2), and the problems: a missing column, or rows with the wrong
    number of fields.
    """
    try:
        header = next(csv.reader(io.StringIO(data[:1 << 16].decode("utf-8-sig", "replace"))), [])
    except (StopIteration, csv.Error):
        header = []
    header = [h.strip() for h in header]
    if not header:
        return None, None, [Problem(file, 0, "", "empty file: no header")]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return None, None, [Problem(file, 1, c, "missing column") for c in missing]
    skipped = [0]

    def skip(_row) -> str:
        skipped[0] += 1
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1,
                                            block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True,
                                              invalid_row_handler=skip),
            convert_options=pa_csv.ConvertOptions(
                column_types={c: pa.string() for c in header}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        return None, None, [Problem(file, 0, "", f"cannot parse CSV: {exc}")]
    problems: list[Problem] = []
    lines = None
    if skipped[0]:
        lines, bad = _record_lines(data, len(header))
        problems += [Problem(file, line, "", f"{n} fields where the header has {len(header)}")
                     for line, n in bad]
        if len(lines) != table.num_rows:  # parsers disagree: fall back to record order
            lines = None
    return table, lines, problems


# -- validating and mapping ------------------------------------------------------------------

def _codes(series: pd.Series):
    """Integer codes and the distinct values of a text column (for parse-once-per-value)."""
    codes, uniques = pd.factorize(series.astype(str), sort=False)
    return codes, [str(u) for u in uniques]


def _split_actors(*cells: str) -> list[str]:
    names: list[str] = []
    for cell in cells:
        for name in str(cell).split(";"):
            name = " ".join(name.split())
            if name and name not in names:
                names.append(name)
    return names


def _faction_matcher(registry):
    """A function actor-name -> [faction ids], tolerant of ACLED's spelling ("al Nusra")."""
    from .factions import Faction, FactionRegistry

    def loose(text: str) -> str:
        return " ".join(text.replace("-", " ").replace("'", "").replace("\u2019", "").split())

    relaxed = FactionRegistry([Faction(f.id, loose(f.name), tuple(loose(a) for a in f.aliases),
                                       f.kind, f.parent, f.colour)
                               for f in registry.factions.values()])
    cache: dict[str, list[str]] = {}

    def match(name: str) -> list[str]:
        if name not in cache:
            found = registry.match(name)
            for fid in relaxed.match(loose(name)):
                if fid not in found:
                    found.append(fid)
            cache[name] = found
        return cache[name]

    return match


def events_from_acled_table(table: pa.Table, file: str, registry=None, lines=None,
                            ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Validate and map an Arrow table of ACLED text columns to the catalog's columns.

    Parameters
    ----------
    table : every ACLED column as text (missing optional columns count as empty)
    file : name used in problems
    registry : FactionRegistry mapping actor names to faction ids (default: seeds/factions.csv)
    lines : CSV line of each row, or a function giving them (called only when a row is
        reported); default: row index + 2 (a header and one line per record)
    """
    if registry is None:
        from .factions import load_registry
        registry = load_registry()
    n = table.num_rows
    text = {}  # every ACLED column, trimmed by Arrow's kernels (absent ones empty)
    for col in ACLED_COLUMNS:
        if col in table.column_names:
            values = pc.utf8_trim_whitespace(table.column(col).cast(pa.string()))
            text[col] = values.to_pandas()
        else:
            text[col] = pd.Series([""] * n, dtype=str)
    errors: list[tuple[int, str, str]] = []  # (row index, field, message)

    def report(mask, field: str, message) -> None:
        for i in np.flatnonzero(np.asarray(mask)):
            errors.append((int(i), field, message(int(i)) if callable(message) else message))

    ids = text["event_id_cnty"]
    report(ids == "", "event_id_cnty", "empty")
    dup = ids.duplicated(keep="first") & (ids != "")
    report(dup, "event_id_cnty", lambda i: f"duplicate id {ids.iat[i]!r}")

    # dates: parsed once per distinct value
    codes, uniques = _codes(text["event_date"])
    parsed = [parse_acled_date(u) for u in uniques]
    day_of_unique = np.array([(d - date(1970, 1, 1)).days if d else -10**9 for d in parsed],
                             dtype=np.int64)
    day = day_of_unique[codes] if n else np.zeros(0, np.int64)
    bad_date = day == -10**9
    report(bad_date, "event_date", lambda i: f"{text['event_date'].iat[i]!r} is not a date "
                                             "(dd Month yyyy or YYYY-MM-DD)")

    def integer(col: str, allowed=None, minimum=None):
        raw = text[col]
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(num) & (np.floor(num) == num)
        if allowed is not None:
            ok &= np.isin(num, allowed)
        if minimum is not None:
            ok &= num >= minimum
        what = (f"one of {', '.join(map(str, allowed))}" if allowed is not None
                else "a whole number >= 0")
        report(~ok, col, lambda i: f"{raw.iat[i]!r} is not {what}")
        return np.where(ok, num, 0).astype(np.int64), ~ok

    tprec, bad_tp = integer("time_precision", allowed=(1, 2, 3))
    fatalities, bad_fat = integer("fatalities", minimum=0)
    if (text["geo_precision"] == "").all():
        gprec, bad_gp = np.ones(n, np.int64), np.zeros(n, bool)
    else:
        gprec, bad_gp = integer("geo_precision", allowed=(1, 2, 3))

    def coordinate(col: str, limit: float):
        raw = text[col]
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(num) & (np.abs(num) <= limit)
        report(~ok, col, lambda i: f"{raw.iat[i]!r} is not a {col} in "
                                   f"[-{limit:g}, {limit:g}]")
        return num, ~ok

    lat, bad_lat = coordinate("latitude", 90)
    lon, bad_lon = coordinate("longitude", 180)
    etype = text["event_type"]
    bad_type = ~etype.isin(EVENT_TYPES).to_numpy()
    report(bad_type, "event_type", lambda i: f"{etype.iat[i]!r} is not an ACLED event type")
    bad_actor = (text["actor1"] == "").to_numpy()
    report(bad_actor, "actor1", "empty")

    bad = (bad_date | bad_tp | bad_fat | bad_gp | bad_lat | bad_lon | bad_type | bad_actor
           | (ids == "").to_numpy() | dup.to_numpy())
    keep = ~bad
    if callable(lines):
        lines = lines() if errors else None
    row_line = np.asarray(lines, dtype=np.int64) if lines is not None and len(lines) == n \
        else np.arange(n) + 2
    problems = [Problem(file, int(row_line[i]), field, message)
                for i, field, message in sorted(errors, key=lambda e: (e[0], e[1]))]

    # date ranges, formatted once per distinct (day, precision)
    day_k, tp_k = day[keep], tprec[keep]
    pair_idx, pairs = pd.factorize(day_k * 4 + tp_k)
    iso = {"date": [], "start": [], "end": []}
    for d, p in zip(np.asarray(pairs) // 4, np.asarray(pairs) % 4):
        when = date(1970, 1, 1) + timedelta(days=int(d))
        s, e = date_range(when, int(p))
        iso["date"].append(when.isoformat())
        iso["start"].append(s.isoformat())
        iso["end"].append(e.isoformat())

    def take(values) -> np.ndarray:
        return np.asarray(values, dtype=object)[pair_idx] if len(pair_idx) else \
            np.zeros(0, dtype=object)

    # actors -> assoc_actors and factions, once per distinct combination
    match = _faction_matcher(registry)
    kept = {c: text[c][keep].reset_index(drop=True) for c in ACLED_COLUMNS}
    combo = (kept["actor1"] + "\x1f" + kept["actor2"] + "\x1f" + kept["assoc_actor_1"] + "\x1f"
             + kept["assoc_actor_2"])
    ccodes, cuniques = _codes(combo)
    assoc_u, faction_u = [], []
    for key in cuniques:
        a1, a2, s1, s2 = key.split("\x1f")
        assoc = _split_actors(s1, s2)
        found: list[str] = []
        for name in [a1, a2, *assoc]:
            for fid in match(name) if name else ():
                if fid not in found:
                    found.append(fid)
        assoc_u.append(";".join(assoc))
        faction_u.append(";".join(found))
    country_codes, country_u = _codes(kept["country"])
    iso_codes, iso_u = _codes(kept["iso"])
    country = np.asarray([COUNTRIES.get(c.casefold(), c) for c in country_u],
                         dtype=object)[country_codes] if len(country_codes) else np.zeros(0, object)
    by_iso = np.asarray([COUNTRIES.get(c.split(".")[0], "") for c in iso_u],
                        dtype=object)[iso_codes] if len(iso_codes) else np.zeros(0, object)
    country = np.where(by_iso != "", by_iso, country)
    source = kept["source"]
    m = int(keep.sum())
    out = pd.DataFrame({
        "event_id": kept["event_id_cnty"],
        "event_date": take(iso["date"]),
        "date_start": take(iso["start"]),
        "date_end": take(iso["end"]),
        "time_precision": tp_k,
        "event_type": kept["event_type"],
        "sub_event_type": kept["sub_event_type"],
        "actor1": kept["actor1"],
        "actor2": kept["actor2"],
        "assoc_actors": np.asarray(assoc_u, dtype=object)[ccodes] if m else [],
        "factions": np.asarray(faction_u, dtype=object)[ccodes] if m else [],
        "location": kept["location"],
        "admin1": kept["admin1"],
        "country": country,
        "latitude": lat[keep],
        "longitude": lon[keep],
        "geo_precision": gprec[keep],
        "fatalities": fatalities[keep],
        "article_ids": "",
        "sources": ("ACLED: " + source).where(source != "", "ACLED"),
        "notes": kept["notes"],
        "quote": "",
        "place_source": ORIGIN,
        "origin": ORIGIN,
        "outline": "",
    })
    for col in EVENT_COLUMNS[:-1]:
        if col in INT_COLUMNS:
            out[col] = out[col].astype(np.int64)
        elif col not in ("latitude", "longitude"):
            out[col] = out[col].astype(str)
    out["latitude"] = out["latitude"].astype(float)
    out["longitude"] = out["longitude"].astype(float)
    gdf = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["longitude"], out["latitude"]),
                           crs=settings.CRS)
    return gdf[list(EVENT_COLUMNS)], problems


def events_from_acled_bytes(data: bytes, file: str = "<acled>", registry=None,
                            ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Events from the bytes of an ACLED CSV export; see :func:`events_from_acled`."""
    table, lines, problems = table_from_acled_bytes(data, file)
    if table is None:
        return empty_events(), problems
    if lines is None:
        width = table.num_columns

        def lines():  # only walked when a row must be reported
            return _record_lines(data, width)[0]
    gdf, more = events_from_acled_table(table, file, registry, lines)
    return gdf, sorted(problems + more, key=lambda p: (p.row, p.field))


def events_from_acled(path, registry=None, *, strict: bool = False,
                      ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Load an ACLED CSV export as events with origin "acled".

    Bad rows are left out and reported (file, CSV line, field); every row is either loaded
    or named in at least one problem. With ``strict=True`` any problem raises CatalogError.
    """
    file = display_path(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problems = [Problem(file, 0, "", f"cannot read file: {exc.strerror or exc}")]
        gdf = empty_events()
    else:
        gdf, problems = events_from_acled_bytes(data, file, registry)
    if strict and problems:
        raise CatalogError(problems)
    return gdf, problems


def empty_events() -> gpd.GeoDataFrame:
    """A GeoDataFrame with the catalog's columns and no rows."""
    frame = pd.DataFrame({c: pd.Series([], dtype=np.int64 if c in INT_COLUMNS else
                                       float if c in ("latitude", "longitude") else str)
                          for c in EVENT_COLUMNS[:-1]})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=settings.CRS),
                            crs=settings.CRS)


# -- choosing the catalog --------------------------------------------------------------------

def catalog_path(environ=None) -> Path | None:
    """The catalog named by FRONTS_CATALOG, or None for the bundled seeds/events.csv."""
    value = (os.environ if environ is None else environ).get(CATALOG_ENV, "").strip()
    return Path(value) if value else None


def load_catalog(path=None, *, registry=None, columnar: bool = False
                 ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Events from an ACLED export or a file in our own catalog format, chosen by its header.

    ``path`` defaults to FRONTS_CATALOG, then to the bundled catalog. Loading is lenient:
    bad rows come back as problems. With ``columnar``, ACLED CSVs go through the GeoParquet
    store (converted once, then read in milliseconds), which big files want.
    """
    from .catalog import load_events

    path = path if path is not None else catalog_path()
    if path is None:
        return load_events(None, strict=False)
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        from .acled_store import scan_events
        return scan_events(path, registry=registry)
    try:
        header = read_header(path)
    except OSError as exc:
        return empty_events(), [Problem(display_path(path), 0, "",
                                        f"cannot read file: {exc.strerror or exc}")]
    if is_acled_header(header):
        if columnar:
            from .acled_store import scan_events
            return scan_events(path, registry=registry)
        return events_from_acled(path, registry)
    return load_events(path, strict=False)
