"""A person switches the portal to Dutch in the footer; it stays Dutch on the next
visit, in this browser (a cookie) and, once signed in, on any device (their profile)."""

from __future__ import annotations

from typing import Any

import pytest

from storyboard.models import Role
from tests.browser.conftest import LiveServer
from tests.conftest import PASSWORD, create_user

pytestmark = pytest.mark.browser
# The sign-in form's password label and button, as the page shows them.
DUTCH_FORM = ("Wachtwoord", "Inloggen")
ENGLISH_FORM = ("Password", "Sign in")


def sign_in_reading(page: Any, server: LiveServer, email: str, form: tuple[str, str]) -> None:
    """Sign in through the form, finding its fields by the labels ``form`` names (the
    page must already be in that language)."""
    from playwright.sync_api import expect

    password_label, button = form
    page.goto(server("/auth/login"))
    expect(page.get_by_role("button", name=button)).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.wait_for_load_state("load")


def test_switching_the_language_switches_the_page_and_sticks(
    live_server: LiveServer, new_page: Any
) -> None:
    from playwright.sync_api import expect

    email = "taalwissel@example.nl"
    create_user(live_server.app, Role.AGENT, email=email)
    page = new_page(locale="en-US")
    page.goto(live_server("/auth/login"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    # The next visit in this browser: still Dutch, although the browser asks for English.
    sign_in_reading(page, live_server, email, DUTCH_FORM)
    expect(page.get_by_role("link", name="Leermomenten")).to_be_visible()
    # Chosen again while signed in: now it is kept in the profile too.
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", name="Serviceverhalen")).to_be_visible()

    # Another device (no cookie, an English browser): Dutch as soon as they sign in.
    other = new_page(locale="en-US")
    sign_in_reading(other, live_server, email, ENGLISH_FORM)
    expect(other.get_by_role("link", name="Leermomenten")).to_be_visible()

    # And back to English with one click.
    other.get_by_role("button", name="English").click()
    expect(other.get_by_role("link", name="Lessons")).to_be_visible()
