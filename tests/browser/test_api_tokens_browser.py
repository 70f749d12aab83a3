"""A manager makes an API token on their profile, copies it into a tool (here: a plain
HTTP client), and revokes it again; the tool is refused from then on."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from storyboard.models import Role
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser


def api_status(server: LiveServer, secret: str) -> int:
    request = urllib.request.Request(
        server("/api/v1/nps"), headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_token_is_made_used_and_revoked_from_the_profile(
    live_server: LiveServer, new_page: Any
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    sign_in(page, live_server, Role.MANAGER)
    page.goto(live_server("/profile/"))
    page.get_by_label("Name", exact=True).fill("Survey platform")
    page.get_by_label("Read stories, NPS and digests").check()
    page.get_by_label("Valid for").select_option(label="30 days")
    page.get_by_role("button", name="Make a token").click()

    shown = page.get_by_test_id("new-token")
    expect(shown).to_be_visible()
    secret = shown.input_value()
    assert secret.startswith("sbt_")
    assert api_status(live_server, secret) == 200

    page.goto(live_server("/profile/"))
    expect(page.get_by_test_id("new-token")).to_have_count(0)  # shown only once
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke Survey platform").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    assert api_status(live_server, secret) == 401
