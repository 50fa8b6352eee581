"""Synthetic ACLED-format exports (1k, 10k, 100k, 1M events) across Syria and Lebanon.

Places are GeoNames towns from geo's offline fallback (weighted by population, jittered by
their geo_precision), dates 2012-2020, actors from the faction registry written as ACLED does
("Islamic State (Syria)"). A seeded RNG makes every file reproducible. Usage:

    .venv/bin/python -m bench.synth_acled [--sizes 1000 10000 ...] [--out bench/out]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from layers.acled import ACLED_COLUMNS  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
OUT = REPO / "bench" / "out"
SEED = 20141216
FIRST, LAST = date(2012, 1, 1), date(2020, 12, 31)

#: event_type -> (weight, sub-event types, disorder_type)
TYPES = {
    "Battles": (0.42, ("Armed clash", "Government regains territory",
                       "Non-state actor overtakes territory"), "Political violence"),
    "Explosions/Remote violence": (0.33, ("Shelling/artillery/missile attack", "Air/drone strike",
                                          "Remote explosive/landmine/IED", "Suicide bomb"),
                                   "Political violence"),
    "Violence against civilians": (0.1, ("Attack", "Abduction/forced disappearance"),
                                   "Political violence"),
    "Protests": (0.06, ("Peaceful protest", "Protest with intervention"), "Demonstrations"),
    "Riots": (0.02, ("Violent demonstration", "Mob violence"), "Demonstrations"),
    "Strategic developments": (0.07, ("Agreement", "Arrests", "Change to group/activity",
                                      "Looting/property destruction"), "Strategic developments"),
}
SOURCES = ("SOHR", "Syria Direct", "SANA", "Enab Baladi", "Step News Agency", "NNA",
           "Daily Star (Lebanon)", "Al-Monitor", "Orient News", "Smart News Agency")
SCALES = ("National", "Subnational", "International", "Local partner-National")
COUNTRY = {"SY": ("Syria", 760), "LB": ("Lebanon", 422)}


def _places():
    from geo.fallback import geonames_places

    places = [p for p in geonames_places() if p.country in COUNTRY]
    weight = np.sqrt(np.array([max(p.population, 2_000) for p in places], dtype=float))
    weight *= np.array([0.25 if p.country == "LB" else 1.0 for p in places])  # mostly Syria
    return places, weight / weight.sum()


def _actors():
    """Actor names in ACLED's style from the registry, with how often each acts."""
    from layers.factions import load_registry

    registry = load_registry()
    often = {"regime": 8, "syrian_army": 6, "is": 7, "nusra": 5, "fsa": 5, "hezbollah": 2,
             "ahrar_al_sham": 2, "jaysh_al_islam": 2, "russia": 2, "civilians": 0}
    names, weights = [], []
    for fid in registry.ids:
        faction = registry.get(fid)
        if fid == "civilians":
            continue
        suffix = " (Lebanon)" if fid.startswith("lebanese") else " (Syria)"
        names.append(faction.name + (suffix if fid in ("is", "regime", "syrian_army",
                                                        "lebanese_army") else ""))
        weights.append(often.get(fid, 1))
    w = np.array(weights, dtype=float)
    return np.array(names, dtype=object), w / w.sum()


def synth_table(n: int, seed: int = SEED) -> pa.Table:
    """An Arrow table of `n` ACLED-format rows (every column as text)."""
    rng = np.random.default_rng(seed + n)
    places, pweight = _places()
    actors, aweight = _actors()
    pi = rng.choice(len(places), size=n, p=pweight)
    plat = np.array([p.lat for p in places])[pi]
    plon = np.array([p.lon for p in places])[pi]
    geo_prec = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
    spread = np.array([0.0, 0.004, 0.03, 0.08])[geo_prec]
    lat = np.round(plat + rng.normal(0, 1, n) * spread, 4)
    lon = np.round(plon + rng.normal(0, 1, n) * spread, 4)
    span = (LAST - FIRST).days + 1
    # more events in the war's busiest years (2013-2017) than at its edges
    day = np.clip(rng.normal(span * 0.45, span * 0.25, n), 0, span - 1).astype(int)
    time_prec = rng.choice([1, 2, 3], size=n, p=[0.86, 0.1, 0.04])
    ordinal = FIRST.toordinal() + day
    udays, inv = np.unique(ordinal, return_inverse=True)
    ud = [date.fromordinal(int(o)) for o in udays]
    event_date = np.array([f"{d.day:02d} {d:%B %Y}" for d in ud], dtype=object)[inv]
    year = np.array([str(d.year) for d in ud], dtype=object)[inv]
    tnames = list(TYPES)
    ti = rng.choice(len(tnames), size=n, p=[TYPES[t][0] for t in tnames])
    sub = np.empty(n, dtype=object)
    disorder = np.empty(n, dtype=object)
    for k, t in enumerate(tnames):
        idx = np.flatnonzero(ti == k)
        sub[idx] = np.array(TYPES[t][1], dtype=object)[rng.integers(0, len(TYPES[t][1]),
                                                                     idx.size)]
        disorder[idx] = TYPES[t][2]
    etype = np.array(tnames, dtype=object)[ti]
    a1 = actors[rng.choice(len(actors), size=n, p=aweight)]
    a2 = actors[rng.choice(len(actors), size=n, p=aweight)]
    country_code = np.array([p.country for p in places], dtype=object)[pi]
    cname = np.where(country_code == "LB", "Lebanon", "Syria").astype(object)
    civ = np.where(country_code == "LB", "Civilians (Lebanon)", "Civilians (Syria)")
    vac = (etype == "Violence against civilians")
    a2 = np.where(vac, civ, a2)
    protest = np.isin(etype, ["Protests", "Riots"])
    a1 = np.where(protest, np.where(country_code == "LB", "Protesters (Lebanon)",
                                    "Protesters (Syria)"), a1)
    a2 = np.where(protest | (rng.random(n) < 0.05), "", a2)
    assoc = np.where(rng.random(n) < 0.08, actors[rng.integers(0, len(actors), n)], "")
    fatal = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.25, n)).astype(int)
    fatal = np.where(rng.random(n) < 0.005, rng.integers(20, 400, n), fatal)
    location = np.array([p.name for p in places], dtype=object)[pi]
    admin1 = np.array([p.admin1 for p in places], dtype=object)[pi]
    source = np.array(SOURCES, dtype=object)[rng.integers(0, len(SOURCES), n)]
    verb = {"Battles": "clashed with", "Explosions/Remote violence": "shelled positions of",
            "Violence against civilians": "attacked", "Protests": "demonstrated against",
            "Riots": "rioted against", "Strategic developments": "reached terms with"}
    notes = (np.array(["On "], dtype=object) + event_date + ", " + a1 + " "
             + np.vectorize(verb.get, otypes=[object])(etype) + " "
             + np.where(a2 == "", "the authorities", a2) + " in " + location + " ("
             + admin1 + "). " + np.where(fatal > 0, fatal.astype(str) + " killed.",
                                         "No fatalities reported.").astype(object))
    inter = {"Civilians (Syria)": "7", "Civilians (Lebanon)": "7", "Protesters (Syria)": "6",
             "Protesters (Lebanon)": "6", "": "0"}
    inter1 = np.array([inter.get(a, "2") for a in a1], dtype=object)
    inter2 = np.array([inter.get(a, "2") for a in a2], dtype=object)
    stamp = (datetime(2021, 3, 1).timestamp() + rng.integers(0, 10**7, n)).astype(np.int64)
    columns = {
        "event_id_cnty": np.char.add(np.where(country_code == "LB", "LBN", "SYR"),
                                     np.arange(1, n + 1).astype(str)),
        "event_date": event_date, "year": year, "time_precision": time_prec.astype(str),
        "disorder_type": disorder, "event_type": etype, "sub_event_type": sub,
        "actor1": a1, "assoc_actor_1": assoc, "inter1": inter1, "actor2": a2,
        "assoc_actor_2": np.full(n, "", dtype=object), "inter2": inter2,
        "interaction": np.char.add(inter1.astype(str), inter2.astype(str)),
        "civilian_targeting": np.where(vac, "Civilian targeting", ""),
        "iso": np.array([str(COUNTRY[c][1]) for c in ("SY", "LB")], dtype=object)[
            (country_code == "LB").astype(int)],
        "region": np.full(n, "Middle East", dtype=object), "country": cname,
        "admin1": admin1, "admin2": np.full(n, "", dtype=object),
        "admin3": np.full(n, "", dtype=object), "location": location,
        "latitude": lat.astype(str), "longitude": lon.astype(str),
        "geo_precision": geo_prec.astype(str), "source": source,
        "source_scale": np.array(SCALES, dtype=object)[rng.integers(0, len(SCALES), n)],
        "notes": notes, "fatalities": fatal.astype(str), "tags": np.full(n, "", dtype=object),
        "timestamp": stamp.astype(str),
    }
    return pa.table({c: pa.array(np.asarray(columns[c]).astype(str), pa.string())
                     for c in ACLED_COLUMNS})


def write_synth(n: int, out: Path = OUT, seed: int = SEED) -> Path:
    """Write `acled_synth_<n>.csv` under `out` (created) and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"acled_synth_{n}.csv"
    pa_csv.write_csv(synth_table(n, seed), path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for n in args.sizes:
        t0 = time.perf_counter()
        path = write_synth(n, args.out, args.seed)
        print(f"{path}  {n:>9,} events  {path.stat().st_size / 1e6:7.1f} MB  "
              f"{time.perf_counter() - t0:5.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
