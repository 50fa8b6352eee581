"""Big catalogs kept columnar: an ACLED CSV converted once to GeoParquet, read with filters.

`scan_events(path, start=..., factions=...)` converts the CSV on first use (cached under
.cache/acled/, keyed by the file's path, size and modification time), then lets Arrow apply
the filters while reading: row groups outside the date range are skipped from their
statistics, and type/faction/text tests run in Arrow's compute kernels, so only the selected
rows ever reach pandas. The result equals ``filter_events(events_from_acled(path)[0], ...)``.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import settings
from ._errors import Problem
from .acled import EVENT_COLUMNS, events_from_acled

#: Where converted files go (gitignored); functions take `cache_dir` to override it.
CACHE_DIR = settings.REPO / ".cache" / "acled"
#: Bumped when the stored layout changes, so stale conversions are not reused.
FORMAT_VERSION = "1"
ROW_GROUP = 65_536
#: Columns the free-text filter searches (as layers.filters.TEXT_COLUMNS).
TEXT_COLUMNS = ("notes", "quote", "location", "actor1", "actor2", "assoc_actors")
_DATA_COLUMNS = [c for c in EVENT_COLUMNS if c != "geometry"]


def cache_path(csv_path, cache_dir=None) -> Path:
    """The GeoParquet file a CSV converts to: named after it, keyed by path, size and mtime."""
    csv_path = Path(csv_path).resolve()
    stat = csv_path.stat()
    key = hashlib.sha1(f"{FORMAT_VERSION}|{csv_path}|{stat.st_size}|{stat.st_mtime_ns}"
                       .encode()).hexdigest()[:12]
    return Path(cache_dir or CACHE_DIR) / f"{csv_path.stem}-{key}.parquet"


def _problems_path(parquet: Path) -> Path:
    return parquet.with_suffix(".problems.json")


def day_number(iso) -> np.ndarray:
    """Days since 1970-01-01 (int32) of ISO date strings."""
    values = pd.to_datetime(pd.Series(iso, dtype=str), format="%Y-%m-%d")
    return values.to_numpy(dtype="datetime64[s]").astype("datetime64[D]").astype(np.int32)


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


def write_store(gdf: gpd.GeoDataFrame, path) -> Path:
    """Write events as GeoParquet sorted by date, with day numbers `day_start`/`day_end` for
    row-group pruning (a temporary name is renamed into place, so readers never see half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = gdf.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    for col in ("start", "end"):
        frame[f"day_{col}"] = day_number(frame[f"date_{col}"])
    tmp = path.with_suffix(".tmp")
    frame.to_parquet(tmp, index=False, compression="zstd", row_group_size=ROW_GROUP,
                     write_covering_bbox=False)
    tmp.replace(path)
    return path


def convert(csv_path, cache_dir=None, registry=None) -> tuple[Path, list[Problem]]:
    """The GeoParquet copy of an ACLED CSV (made now unless cached) and the load's problems."""
    target = cache_path(csv_path, cache_dir)
    sidecar = _problems_path(target)
    if target.exists() and sidecar.exists():
        stored = json.loads(sidecar.read_text(encoding="utf-8"))
        return target, [Problem(**p) for p in stored["problems"]]
    gdf, problems = events_from_acled(csv_path, registry)
    write_store(gdf, target)
    sidecar.write_text(json.dumps({"rows_loaded": len(gdf),
                                   "problems": [p.__dict__ for p in problems]}),
                       encoding="utf-8")
    return target, problems


def _as_iso(value, name: str) -> date | None:
    from .filters import as_date
    return as_date(value, name)


def _any_id(column: str, ids) -> pc.Expression:
    """`column` (a ;-joined id list) contains any of `ids` as a whole item."""
    alternatives = "|".join(re.escape(i) for i in ids)
    return pc.match_substring_regex(pc.field(column), f"(^|;)({alternatives})(;|$)")


def filter_expression(start=None, end=None, factions=(), types=(), articles=(), text=None):
    """An Arrow expression with the semantics of layers.filters.filter_events (None: all)."""
    start, end = _as_iso(start, "start"), _as_iso(end, "end")
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}")
    parts = []
    if start is not None:
        parts.append(pc.field("day_end") >= _day(start))
    if end is not None:
        parts.append(pc.field("day_start") <= _day(end))
    factions, types, articles = list(factions), list(types), list(articles)
    if factions:
        parts.append(_any_id("factions", factions))
    if types:
        parts.append(pc.field("event_type").isin(types))
    if articles:
        parts.append(_any_id("article_ids", articles))
    if text is not None and str(text).strip():
        needle = str(text).strip()
        hit = None
        for column in TEXT_COLUMNS:
            term = pc.match_substring(pc.field(column), needle, ignore_case=True)
            hit = term if hit is None else hit | term
        parts.append(hit)
    expr = None
    for part in parts:
        expr = part if expr is None else expr & part
    return expr


def _frame(table: pa.Table) -> gpd.GeoDataFrame:
    df = table.to_pandas()
    return gpd.GeoDataFrame(df[_DATA_COLUMNS], geometry=gpd.points_from_xy(
        df["longitude"], df["latitude"]), crs=settings.CRS)


def read_store(parquet, start=None, end=None, factions=(), types=(), articles=(), text=None,
               columns=None):
    """Events of a stored GeoParquet file matching the filters, with the catalog's columns
    (a GeoDataFrame), or only `columns` (a plain DataFrame, e.g. for the fast map)."""
    expr = filter_expression(start, end, factions, types, articles, text)
    dataset = ds.dataset(str(parquet), format="parquet")
    if columns is not None:
        return dataset.to_table(columns=list(columns), filter=expr).to_pandas()
    table = dataset.to_table(columns=_DATA_COLUMNS, filter=expr)
    return _frame(table)


def read_events(parquet) -> gpd.GeoDataFrame:
    """Every event of a stored GeoParquet file."""
    return read_store(parquet)


def scan_events(path, start=None, end=None, factions=(), types=(), articles=(), text=None, *,
                cache_dir=None, registry=None, columns=None) -> tuple[gpd.GeoDataFrame,
                                                                       list[Problem]]:
    """Filtered events of an ACLED CSV (converted once) or a stored GeoParquet file.

    Returns the events and the problems found when the CSV was loaded (bad rows are left out
    of the store, as in lenient loading). With `columns`, only those are read and a plain
    DataFrame comes back (`layers.fastmap.MAP_COLUMNS` is what the fast map needs).
    """
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        problems: list[Problem] = []
        parquet = path
    else:
        parquet, problems = convert(path, cache_dir, registry)
    return read_store(parquet, start, end, factions, types, articles, text, columns), problems


def store_metadata(parquet) -> dict:
    """Row count and row groups of a stored file, from its footer (no data read)."""
    meta = pq.ParquetFile(str(parquet)).metadata
    return {"rows": meta.num_rows, "row_groups": meta.num_row_groups}
