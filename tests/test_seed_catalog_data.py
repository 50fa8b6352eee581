"""Data-only checks of the hand-coded seeds: seeds/factions.csv and seeds/events.csv.

They read the CSVs with the csv module only (no project code), so a broken loader cannot hide a
broken seed. Each test gathers every offending row before failing, so one bad row never hides
the others.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FACTION_COLUMNS = ["id", "name", "aliases", "kind", "parent", "colour", "notes"]
EVENT_COLUMNS = ["event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
                 "sub_event_type", "actor1", "actor2", "assoc_actors", "factions", "location",
                 "geo_precision", "fatalities", "article_ids", "notes", "quote"]
KINDS = {"jihadist", "rebel", "state_force", "militia", "foreign_force", "tribal", "other"}
MAJOR = ["nusra", "is", "fsa", "hezbollah", "lebanese_army", "regime"]
REQUIRED_FACTIONS = MAJOR + ["jaysh_al_islam", "ahrar_al_sham", "islamic_front", "yarmouk",
                             "muthanna", "srf", "kurdish_front", "maghaweer", "lions_of_islam",
                             "fajr_al_islam", "al_qaeda", "jaysh_al_mujahideen"]
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"},
}
# The article files the quotes are checked against (kept here on purpose: independent of corpus code).
ARTICLE_FILES = {
    "almonitor_2014_02_12": "001_b48055da36ed794a.txt",
    "now_2014_12": "002_b7d30180e4dc4172.txt",
    "tau_2014_12": "003_fe62d26ddacb36f4.txt",
    "dailystar_2016_01_29": "004_7cf19f37d543f2f3.txt",
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


@pytest.fixture(scope="module")
def factions() -> list[dict[str, str]]:
    header, rows = _read("factions.csv")
    assert header == FACTION_COLUMNS
    return rows


@pytest.fixture(scope="module")
def events() -> list[dict[str, str]]:
    header, rows = _read("events.csv")
    assert header == EVENT_COLUMNS
    return rows


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {aid: _norm((SEEDS / "articles" / f).read_text(encoding="utf-8"))
            for aid, f in ARTICLE_FILES.items()}


@pytest.fixture(scope="module")
def published_latest() -> dict[str, date]:
    _, rows = _read("articles.csv")
    return {r["article_id"]: date.fromisoformat(r["published_latest"]) for r in rows}


def _assert_none(bad: list[str]) -> None:
    assert not bad, f"{len(bad)} problem(s):\n" + "\n".join(bad)


# ---------------------------------------------------------------- factions.csv

def test_faction_rows_are_complete_and_ids_unique(factions):
    """Every row has a lower_snake id (unique), a name, a known kind and a known parent."""
    ids = [r["id"] for r in factions]
    bad = [f"factions.csv:{n}: duplicate id {i}" for n, i in enumerate(ids, 2) if ids.count(i) > 1]
    for n, r in enumerate(factions, 2):
        if not SNAKE.match(r["id"]):
            bad.append(f"factions.csv:{n}: id {r['id']!r} is not lower_snake")
        if not r["name"].strip():
            bad.append(f"factions.csv:{n}: empty name")
        if r["kind"] not in KINDS:
            bad.append(f"factions.csv:{n}: kind {r['kind']!r} not in {sorted(KINDS)}")
        if r["parent"] and (r["parent"] not in ids or r["parent"] == r["id"]):
            bad.append(f"factions.csv:{n}: parent {r['parent']!r} is not another faction id")
        if r["name"] not in _split(r["aliases"]):
            bad.append(f"factions.csv:{n}: the display name is not among the aliases")
    _assert_none(bad)


def test_required_factions_present(factions):
    """The factions the issue names (and the articles' named brigades) are all registered."""
    ids = {r["id"] for r in factions}
    assert not set(REQUIRED_FACTIONS) - ids


def test_colours_are_hex_and_major_factions_distinct(factions):
    """Colours are #rrggbb and the six major factions never share one."""
    bad = [f"factions.csv:{n}: colour {r['colour']!r}" for n, r in enumerate(factions, 2)
           if not HEX.match(r["colour"])]
    _assert_none(bad)
    major = {r["id"]: r["colour"].lower() for r in factions if r["id"] in MAJOR}
    assert len(set(major.values())) == len(MAJOR), major


def test_aliases_do_not_collide_across_factions(factions):
    """A name or alias (case-insensitive) points to exactly one faction, else matching is ambiguous."""
    owner: dict[str, str] = {}
    bad = []
    for r in factions:
        for alias in {a.lower() for a in _split(r["aliases"]) + [r["name"]]}:
            if alias in owner and owner[alias] != r["id"]:
                bad.append(f"alias {alias!r} is used by {owner[alias]} and {r['id']}")
            owner.setdefault(alias, r["id"])
    _assert_none(bad)


def test_article_spellings_are_aliases(factions):
    """The spellings the articles use for the main groups are registered aliases of the right id."""
    owner = {a.lower(): r["id"] for r in factions for a in _split(r["aliases"])}
    expected = {"Jabhat al-Nusra": "nusra", "Nusra Front": "nusra", "Al-Nusra Front": "nusra",
                "Jabat al-Nusra": "nusra", "ISIS": "is", "Daesh": "is", "IS": "is",
                "Islamic State of Iraq and al-Sham": "is", "Hizballah": "hezbollah",
                "Mujahedeen Army": "jaysh_al_mujahideen", "Syrian Revolutionary Front": "srf",
                "Syrian Kurdish Front": "kurdish_front", "Liwa Maghaweer": "maghaweer",
                "Dawn of Islam Brigade": "fajr_al_islam", "al-Qa'ida": "al_qaeda"}
    wrong = {k: owner.get(k.lower()) for k, v in expected.items() if owner.get(k.lower()) != v}
    assert not wrong


# ---------------------------------------------------------------- events.csv

def test_event_ids_unique_and_articles_known(events):
    """Event ids are unique; every article id is one of the four coded articles (000 has no text)."""
    ids = [r["event_id"] for r in events]
    bad = [f"events.csv:{n}: duplicate event_id {i}" for n, i in enumerate(ids, 2) if ids.count(i) > 1]
    for n, r in enumerate(events, 2):
        arts = _split(r["article_ids"])
        if not arts:
            bad.append(f"events.csv:{n}: no article_ids")
        bad += [f"events.csv:{n}: article_ids: unknown {a!r}" for a in arts if a not in ARTICLE_FILES]
        if len(set(arts)) != len(arts):
            bad.append(f"events.csv:{n}: article_ids repeats an article")
    _assert_none(bad)


def test_every_article_is_coded(events):
    """Each of the four articles with text contributes events (a coverage floor, not an exact count)."""
    per = {a: 0 for a in ARTICLE_FILES}
    for r in events:
        for a in _split(r["article_ids"]):
            per[a] = per.get(a, 0) + 1
    assert all(n >= 8 for n in per.values()), per


def test_quotes_are_verbatim(events, texts):
    """Every quote fragment occurs verbatim (whitespace-normalised) in the article it is attributed to."""
    bad = []
    for n, r in enumerate(events, 2):
        arts = _split(r["article_ids"])
        parts = r["quote"].split(" || ")
        if len(parts) != len(arts):
            bad.append(f"events.csv:{n}: quote: {len(parts)} part(s) for {len(arts)} article(s)")
            continue
        for aid, part in zip(arts, parts):
            for frag in part.split(" … "):
                if not _norm(frag) or _norm(frag) not in texts.get(aid, ""):
                    bad.append(f"events.csv:{n}: quote: not in {aid}: {frag[:70]!r}")
    _assert_none(bad)


def test_quote_checker_rejects_altered_text(texts):
    """The verbatim check is not vacuous: one changed word makes a real sentence fail."""
    real = "Daesh reportedly counterattacked, capturing four positions in the area."
    assert _norm(real) in texts["dailystar_2016_01_29"]
    assert _norm(real.replace("four", "five")) not in texts["dailystar_2016_01_29"]


def test_dates_are_iso_ordered_and_before_publication(events, published_latest):
    """Dates are ISO; start <= event_date <= end; event_date follows the ACLED rule; nothing postdates its article."""
    bad = []
    for n, r in enumerate(events, 2):
        try:
            start, ev, end = (date.fromisoformat(r[k]) for k in ("date_start", "event_date", "date_end"))
        except ValueError as exc:
            bad.append(f"events.csv:{n}: dates: {exc}")
            continue
        if not all(ISO.match(r[k]) for k in ("date_start", "event_date", "date_end")):
            bad.append(f"events.csv:{n}: dates: not YYYY-MM-DD")
        if not start <= ev <= end:
            bad.append(f"events.csv:{n}: event_date {ev} outside {start}..{end}")
        if ev != (start if start == end else end):
            bad.append(f"events.csv:{n}: event_date should be date_start when exact, else date_end")
        for aid in _split(r["article_ids"]):
            if aid in published_latest and end > published_latest[aid]:
                bad.append(f"events.csv:{n}: date_end {end} after {aid} was published")
    _assert_none(bad)


def test_time_precision_matches_the_range(events):
    """1 = one day, 2 = a range of at most 31 days, 3 = anything coarser."""
    bad = []
    for n, r in enumerate(events, 2):
        span = (date.fromisoformat(r["date_end"]) - date.fromisoformat(r["date_start"])).days
        p = r["time_precision"]
        ok = (p == "1" and span == 0) or (p == "2" and 0 < span <= 31) or (p == "3" and span > 0)
        if not ok:
            bad.append(f"events.csv:{n}: time_precision {p!r} for a {span}-day range")
    _assert_none(bad)


def test_types_precision_and_fatalities(events):
    """ACLED event/sub-event pairs, geo_precision 1-3, fatalities a non-negative integer."""
    bad = []
    for n, r in enumerate(events, 2):
        if r["sub_event_type"] not in ACLED.get(r["event_type"], set()):
            bad.append(f"events.csv:{n}: {r['event_type']!r}/{r['sub_event_type']!r} is not an ACLED pair")
        if r["geo_precision"] not in {"1", "2", "3"}:
            bad.append(f"events.csv:{n}: geo_precision {r['geo_precision']!r}")
        if not r["fatalities"].isdigit():
            bad.append(f"events.csv:{n}: fatalities {r['fatalities']!r}")
        if not r["notes"].strip() or not r["location"].strip():
            bad.append(f"events.csv:{n}: empty notes or location")
    _assert_none(bad)


def test_actors_and_factions_resolve_to_the_registry(events, factions):
    """Actors are registry display names; factions are registry ids and include every actor's id."""
    by_name = {r["name"]: r["id"] for r in factions}
    ids = {r["id"] for r in factions}
    bad = []
    for n, r in enumerate(events, 2):
        listed = _split(r["factions"])
        if not listed:
            bad.append(f"events.csv:{n}: factions: empty")
        bad += [f"events.csv:{n}: factions: unknown id {f!r}" for f in listed if f not in ids]
        if not r["actor1"]:
            bad.append(f"events.csv:{n}: actor1: empty")
        for field, names in (("actor1", [r["actor1"]]), ("actor2", [r["actor2"]]),
                             ("assoc_actors", _split(r["assoc_actors"]))):
            for name in filter(None, names):
                if name not in by_name:
                    bad.append(f"events.csv:{n}: {field}: {name!r} is not a registry name")
                elif by_name[name] not in listed:
                    bad.append(f"events.csv:{n}: factions: lacks {by_name[name]!r} ({field})")
    _assert_none(bad)


def test_locations_are_in_the_gazetteer(events):
    """Every location is a seeds/places.csv name or alternate name (case-insensitive)."""
    _, places = _read("places.csv")
    known = {r["name"].lower() for r in places}
    known |= {a.lower() for r in places for a in _split(r["alt_names"])}
    bad = [f"events.csv:{n}: location {r['location']!r} not in places.csv"
           for n, r in enumerate(events, 2) if r["location"].lower() not in known]
    _assert_none(bad)


def test_multi_article_events_are_merged(events):
    """The August 2014 Arsal battle is one row citing all three articles that report it."""
    rows = [r for r in events if r["location"] == "Arsal" and r["event_type"] == "Battles"
            and r["sub_event_type"] == "Armed clash" and r["date_start"].startswith("2014-08")]
    assert len(rows) == 1
    assert _split(rows[0]["article_ids"]) == ["now_2014_12", "tau_2014_12", "dailystar_2016_01_29"]
