"""Browser fixtures: one `streamlit run app.py` per session on a free loopback port, Debian's
chromium through Playwright, and every non-loopback request blocked and recorded (the helpers
live in bench/_app.py and bench/_browser.py, shared with the benches)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import _app
from bench._app import stop_app
from bench._browser import CHROMIUM, block_outside, launched

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parent / "seeds"
ARTIFACTS = REPO / "tests" / "artifacts"


def start_app(script: str = "app.py", env_extra: dict | None = None, cwd: Path = REPO):
    """`streamlit run SCRIPT` on tests/e2e/seeds without tiles (unless `env_extra` says
    otherwise), logged to tests/artifacts; returns (process, base URL)."""
    env = {"FRONTS_SEEDS": str(SEEDS), "FRONTS_TILES": "none", **(env_extra or {})}
    return _app.start_app(script, env, cwd, log_dir=ARTIFACTS)


@pytest.fixture(scope="session")
def app_url():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc, url = start_app()
    yield url
    stop_app(proc)


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: Playwright's sync API allows one running instance per
    thread, so it must be closed before other modules start their own."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does it)")
    with launched() as b:
        yield b


@pytest.fixture
def page(browser):
    """A fresh page; after the test, asserts that no request tried to leave loopback."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(60_000)
    blocked = block_outside(context)
    pg = context.new_page()
    pg.blocked = blocked
    yield pg
    context.close()
    assert list(blocked) == [], f"non-loopback requests: {list(blocked)}"
