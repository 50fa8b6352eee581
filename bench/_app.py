"""The Streamlit app's page in a browser, for the benches and tests/e2e: start and stop
`streamlit run` on a free loopback port, read the event count, find the map's iframe and
count the events it draws (single markers plus cluster counts)."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 60
#: the page's count text, e.g. "6 events"
COUNT = re.compile(r"^(\d+) events?$")
FOLIUM_IFRAME = 'iframe[title*="st_folium"]'
#: single markers plus the counts inside clusters, in the map iframe
MARKERS_JS = """() => {
    let n = document.querySelectorAll('.fronts-marker').length;
    document.querySelectorAll('.marker-cluster span').forEach(s => n += parseInt(s.textContent) || 0);
    return n;
}"""
#: true while Leaflet animates a zoom or a cluster split/merge
ANIMATING_JS = "() => !!document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(script: str | Path = "app.py", env: dict | None = None, cwd: Path = REPO,
              log_dir: Path | None = None):
    """Start `streamlit run SCRIPT` (os.environ plus `env`) on a free loopback port, its output
    in log_dir/streamlit-<stem>-<port>.log (else discarded); returns (process, base URL)."""
    port = free_port()
    log_name = f"streamlit-{Path(script).stem}-{port}.log"
    log = open(log_dir / log_name, "w") if log_dir else subprocess.DEVNULL  # noqa: SIM115
    where = f"see {log_dir / log_name}" if log_dir else "its output was discarded"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit run {script} exited with {proc.returncode}; {where}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit run {script} did not answer within {STARTUP_TIMEOUT} s; "
                       f"{where}")


def stop_app(proc) -> None:
    """Terminate a server from `start_app`, killing it if it lingers 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def count_locator(page, expected: int | None = None):
    """The page's "N events" text (any N, or exactly `expected`)."""
    text = COUNT if expected is None else re.compile(rf"^{expected} events?$")
    return page.locator("strong", has_text=text).first


def shown_count(page, expected: int | None = None) -> int:
    """Wait for the count text (`expected` events if given) to be visible; return its N."""
    loc = count_locator(page, expected)
    loc.wait_for(state="visible")
    return int(COUNT.match(loc.inner_text().strip()).group(1))


def open_app(page, url: str, query: str = "") -> int:
    """Navigate to the app with `query` ("?start=..."); return the count it shows."""
    page.goto(f"{url}/{query}")
    return shown_count(page)


def folium_frame_now(page):
    """The streamlit-folium iframe's frame if the page has one yet, else None."""
    return next((f for f in page.frames if "st_folium" in f.url), None)


def find_frame(page, timeout_ms: int = 60_000, poll_ms: int = 20):
    """The streamlit-folium frame: waits for its iframe to be visible, then polls the page's
    frames every `poll_ms` (the frame object can lag the element) until `timeout_ms`."""
    page.locator(FOLIUM_IFRAME).first.wait_for(state="visible", timeout=timeout_ms)
    for _ in range(max(1, timeout_ms // poll_ms)):
        frame = folium_frame_now(page)
        if frame is not None:
            return frame
        page.wait_for_timeout(poll_ms)
    raise AssertionError("no streamlit-folium iframe")


def map_frame(page):
    """The map's frame once Leaflet's container is in it."""
    frame = find_frame(page, timeout_ms=60_000, poll_ms=100)
    frame.wait_for_selector(".leaflet-container", state="attached")
    return frame


def wait_markers(frame, expected: int) -> int:
    """Wait until the map shows `expected` events (single markers + cluster counts) with no
    zoom or cluster animation running, and still does half a second later; return the count."""
    settled = f"n => !({ANIMATING_JS})() && ({MARKERS_JS})() === n"
    frame.wait_for_function(settled, arg=expected, timeout=60_000)
    frame.wait_for_timeout(500)
    frame.wait_for_function(settled, arg=expected, timeout=60_000)
    return frame.evaluate(MARKERS_JS)
