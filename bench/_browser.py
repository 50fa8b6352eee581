"""A loopback page server and Debian's chromium under Playwright, for the bench and map tests.

`serve(pages)` answers `/<name>` with a page's HTML and `/app/static/...` from ./static (as
Streamlit does); `launched()` yields the browser; `block_outside(context)` aborts and lists
every non-loopback request; `chromium()` yields a page so blocked (`page.blocked`).
Helpers for the Streamlit app's own page are in bench/_app.py.
"""
from __future__ import annotations

import contextlib
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "static"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@contextlib.contextmanager
def serve(pages: dict[str, Path]):
    """Serve {name: html file} and /app/static on 127.0.0.1; yields the base URL."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            path = unquote(urlparse(path).path)
            if path.startswith("/app/static/"):
                target = (STATIC / path[len("/app/static/"):]).resolve()
                return str(target) if STATIC.resolve() in target.parents else "/nonexistent"
            page = pages.get(path.lstrip("/"))
            return str(page) if page else "/nonexistent"

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Blocked(list):
    """URLs of requests that left loopback (each was aborted)."""


def block_outside(context, blocked: list | None = None) -> list:
    """Abort every request of `context` (or a page) that leaves loopback; returns the list
    (`blocked`, else a new `Blocked`) each aborted URL is appended to."""
    blocked = Blocked() if blocked is None else blocked

    def handle(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return blocked


@contextlib.contextmanager
def launched():
    """Debian's chromium under Playwright; its sync API allows one running instance per
    thread, so close it (leave the block) before another one starts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium(viewport=(1200, 800)):
    """A fresh Playwright page in Debian's chromium; other hosts than loopback are blocked."""
    with launched() as browser:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.blocked = block_outside(page)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        yield page
