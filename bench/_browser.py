"""A loopback page server and Debian's chromium under Playwright, for the bench and map tests.

`serve(pages)` answers `/<name>` with a page's HTML and `/app/static/...` from ./static (as
Streamlit does); `chromium()` yields a page whose non-loopback requests are aborted and
listed in `page.blocked`.
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


@contextlib.contextmanager
def chromium(viewport=(1200, 800)):
    """A fresh Playwright page in Debian's chromium; other hosts than loopback are blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            page = context.new_page()
            page.blocked = []
            page.errors = []

            def route(r):
                host = urlparse(r.request.url).hostname or ""
                if r.request.url.startswith("data:") or host in LOOPBACK:
                    r.continue_()
                else:
                    page.blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            yield page
        finally:
            browser.close()
