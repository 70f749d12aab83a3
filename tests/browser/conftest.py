"""Browser fixtures: the real app served over HTTP on loopback, driven by Debian's
Chromium through Playwright.

One server and one browser per session keep these tests fast; each test gets its own
browser context (its own cookies), so tests do not share a signed-in user.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from storyboard.db import db, upgrade_database
from storyboard.models import Role
from tests.conftest import PASSWORD, create_user, make_app, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as the machine notes run it: without the background-networking flags it keeps
# trying to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright waits at most this long for a page or an expectation (milliseconds).
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LiveServer:
    """The app served on ``url``, with one signed-up user per role."""

    app: Flask
    url: str
    emails: dict[Role, str]

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    instance = tmp_path_factory.mktemp("browser-instance")
    app = make_app(instance, SECURE_COOKIES=False)
    with app.app_context():
        upgrade_database()
    emails = {role: f"{role.value}@example.nl" for role in Role}
    for role, email in emails.items():
        create_user(app, role, email=email)

    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", emails)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Debian chromium not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory of pages, each in a fresh context; ``new_page(java_script_enabled=False)``
    gives a browser without JavaScript. Console errors (a CSP violation, a script error)
    fail the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts: list[Any] = []
    errors: list[str] = []

    def make(**context_options: Any) -> Any:
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    # A deliberate 403/404 page logs "Failed to load resource"; that is the page working.
    real_errors = [e for e in errors if "Failed to load resource" not in e]
    assert not real_errors, f"browser console errors: {real_errors}"


def sign_in(page: Any, server: LiveServer, role: Role) -> None:
    """Sign in through the real form, as a person would."""
    from playwright.sync_api import expect

    page.goto(server("/auth/login"))
    page.get_by_label("E-mail").fill(server.emails[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in: the header holds "Sign out" (under Account, or in the phone's menu).
    expect(page.locator("header form[action$='/auth/logout']").first).to_be_attached()
    # ...and its stylesheet applied: until then the phone's header links (hidden by
    # CSS on a wide screen) count as visible, and a role locator finds two of each.
    page.wait_for_load_state("load")
