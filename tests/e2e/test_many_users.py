"""20 browser sessions at once against one `streamlit run app.py` on loopback, each with its
own filters in the URL: each sees its own count and draws that many markers, the server logs
no error, and its memory stays bounded. Timings: bench/many_users.py."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from bench.many_users import (expected_count, rss_mb, run_sessions, session_queries,
                              write_seeds)
from layers.catalog import load_events
from tests.e2e.conftest import ARTIFACTS, start_app, stop_app

SESSIONS = 20
#: server memory allowed per concurrent session (measured: under 1 MB each)
MB_PER_SESSION = 7.5


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(process, url, log file, catalog) of one server on a 40-event catalog."""
    seeds = tmp_path_factory.mktemp("many") / "seeds"
    write_seeds(seeds, 40)
    gdf, problems = load_events(strict=False, seeds_dir=seeds)
    assert problems == [] and len(gdf) == 40
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc, url = start_app(env_extra={"FRONTS_SEEDS": str(seeds)})
    log = ARTIFACTS / f"streamlit-app-{urlparse(url).port}.log"
    yield proc, url, log, gdf
    stop_app(proc)


def test_twenty_sessions_each_see_their_own_filters(browser, server):
    proc, url, log, gdf = server
    run_sessions(browser, url, session_queries(1))  # caches warm, as after the first visitor
    base = rss_mb(proc.pid)
    peak = [base]
    queries = session_queries(SESSIONS)
    results = run_sessions(browser, url, queries, timeout_s=300,
                           on_poll=lambda: peak.append(rss_mb(proc.pid)))
    want = {q: expected_count(gdf, q) for q in queries}
    assert len(set(want.values())) >= SESSIONS // 2  # the sessions really differ
    got = {r["query"]: r["count"] for r in results}
    assert got == want
    assert all(r["markers"] == r["count"] for r in results)
    assert all(r["blocked"] == [] for r in results)
    assert [r["errors"] for r in results if r["errors"]] == []
    grown = max(peak) - base
    assert grown < MB_PER_SESSION * SESSIONS, f"server RSS grew {grown:.0f} MB for {SESSIONS}"
    text = log.read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"Traceback|Error|Exception|CRITICAL", text), text[-3000:]
