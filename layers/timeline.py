"""Timeline data: events per week or month by faction (tidy), and an Altair chart of it.

By default an event counts once, under its primary (first known) faction -- the faction whose
colour its marker has -- so the bars of a period add up to the events in it. With
``by="all"`` an event counts once for each of its factions (a Nusra-IS clash for both).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .mapview import DEFAULT_COLOUR, safe_colour

COLUMNS = ["period", "faction", "faction_name", "colour", "events"]
FREQS = {"week": "W-SUN", "month": "M"}
UNKNOWN = "(none)"


def _ids(cell, registry) -> list[str]:
    ids = [f.strip() for f in str(cell or "").split(";") if f.strip()]
    if registry is not None:
        ids = [f for f in ids if registry.get(f) is not None]
    return ids or [UNKNOWN]


def events_per_period(gdf, registry=None, freq: str = "month", by: str = "primary") -> pd.DataFrame:
    """Tidy counts: one row per (period start, faction) with at least one event.

    Parameters
    ----------
    gdf : events with ``event_date`` (ISO) and ``factions`` (``;``-joined ids)
    freq : ``"week"`` (weeks starting Monday) or ``"month"``
    by : ``"primary"`` (first known faction only) or ``"all"`` (every faction of the event)
    """
    if freq not in FREQS:
        raise ValueError(f"freq: {freq!r} is not one of {', '.join(FREQS)}")
    if by not in ("primary", "all"):
        raise ValueError(f"by: {by!r} is not 'primary' or 'all'")
    if gdf is None or len(gdf) == 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            COLUMNS, ["datetime64[ns]", "object", "object", "object", "int64"])})
    dates = pd.to_datetime(gdf["event_date"].astype(str), errors="coerce", format="%Y-%m-%d")
    periods = dates.dt.to_period(FREQS[freq]).dt.start_time
    rows = []
    for period, cell in zip(periods, gdf["factions"]):
        if pd.isna(period):
            continue
        ids = _ids(cell, registry)
        for fid in ids[:1] if by == "primary" else ids:
            rows.append((period, fid))
    df = pd.DataFrame(rows, columns=["period", "faction"])
    out = df.groupby(["period", "faction"], sort=True).size().rename("events").reset_index()
    out["faction_name"] = [registry.name(f) if registry is not None and f != UNKNOWN else f
                           for f in out["faction"]]
    out["colour"] = [safe_colour(registry.colour(f)) if registry is not None and f != UNKNOWN
                     else DEFAULT_COLOUR for f in out["faction"]]
    out["events"] = out["events"].astype("int64")
    out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    return out[COLUMNS]


def timeline_chart(counts: pd.DataFrame, freq: str = "month") -> alt.Chart:
    """Stacked bars of :func:`events_per_period` output, coloured with the registry colours."""
    legend = counts.drop_duplicates("faction_name")[["faction_name", "colour"]]
    unit = "yearmonth" if freq == "month" else "yearmonthdate"
    label = "Month" if freq == "month" else "Week (starting Monday)"
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(period):T", title=label),
            y=alt.Y("sum(events):Q", title="Events"),
            color=alt.Color("faction_name:N", title="Faction",
                            scale=alt.Scale(domain=list(legend["faction_name"]),
                                            range=list(legend["colour"]))),
            tooltip=[alt.Tooltip(f"{unit}(period):T", title=label),
                     alt.Tooltip("faction_name:N", title="Faction"),
                     alt.Tooltip("sum(events):Q", title="Events")],
        )
        .properties(height=220)
    )
