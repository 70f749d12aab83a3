"""A customer story in a real browser, from a phone to the archive and back out: the
customer shares it on a phone-sized screen and keeps the receipt, a manager publishes
it with the phone number masked, a stakeholder finds it by search, and the customer
takes it back: it is gone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import CustomerSubmission, Role
from tests.browser.conftest import LiveServer, sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_customer_shares_manager_publishes_stakeholder_finds_customer_withdraws(
    new_page: Any, live_server: LiveServer
) -> None:
    customer = new_page(**PHONE, permissions=["clipboard-read", "clipboard-write"], locale="en-GB")
    customer.goto(live_server("/share/"))
    # The organisation's page, not the portal's (no navigation, no "Storyboard").
    expect(customer.get_by_test_id("org-name")).to_have_text("Customer service")
    expect(customer.locator(".main-nav")).to_have_count(0)
    customer.get_by_label("A short title").fill("The technician came back on Sunday")
    customer.get_by_label("Your story").fill(
        "My router died. Call me on 06-12345678 said Priya, and she did: quokkawise help."
    )
    customer.get_by_label("How did you contact us?").select_option(label="Phone")
    customer.get_by_label("English").check()
    customer.get_by_label("You may share my story inside the company.").check()
    customer.get_by_role("button", name="Send my story").click()
    expect(customer.get_by_role("heading", level=1)).to_have_text("Thank you for your story")
    reference = customer.get_by_test_id("reference").inner_text()
    status_url = customer.get_by_test_id("status-url").input_value()
    assert reference.startswith("SB-") and "/share/status/" in status_url
    # One tap copies the private link, and a screen reader hears that it did.
    customer.get_by_role("button", name="Copy link").click()
    expect(customer.get_by_test_id("copy-status")).to_have_text("Copied")
    assert customer.evaluate("navigator.clipboard.readText()") == status_url

    manager = new_page()
    sign_in(manager, live_server, Role.MANAGER)
    expect(manager.locator(".main-nav").get_by_test_id("pending-count")).to_have_text("1")
    manager.get_by_role("link", name="Customer stories").click()
    manager.get_by_role("link", name="The technician came back on Sunday").click()
    expect(manager.locator("mark.hit")).to_have_text("06-12345678")
    expect(manager.get_by_label("Story", exact=True)).to_contain_text("[phone]")
    manager.get_by_role("button", name="Publish", exact=True).click()
    expect(manager.locator(".flash-success")).to_contain_text("Published")

    stakeholder = new_page()
    sign_in(stakeholder, live_server, Role.STAKEHOLDER)
    stakeholder.goto(live_server("/search?q=quokkawise"))
    result = stakeholder.get_by_role("link", name="The technician came back on Sunday")
    expect(result).to_be_visible()
    result.click()
    expect(stakeholder.locator(".story-body")).to_contain_text("[phone]")
    expect(stakeholder.locator(".story-body")).not_to_contain_text("06-12345678")

    customer.goto(status_url)
    expect(customer.get_by_test_id("status")).to_contain_text("Shared with our colleagues")
    expect(customer.get_by_test_id("next")).to_contain_text("not published on the internet")
    # Taking it back asks for a tick first, in the page itself (no dialog, no script).
    customer.get_by_role("button", name="Take my story back").click()
    expect(customer.get_by_role("alert")).to_contain_text("Tick the box to confirm")
    expect(customer.get_by_test_id("status")).to_contain_text("Shared with our colleagues")
    customer.get_by_label("Yes, erase my story and my details for good.").check()
    customer.get_by_role("button", name="Take my story back").click()
    expect(customer.get_by_test_id("status")).to_contain_text("Taken back and erased")

    stakeholder.goto(live_server("/search?q=quokkawise"))
    expect(stakeholder.get_by_text("No stories match")).to_be_visible()
    with live_server.app.app_context():
        row = db.session.scalar(
            select(CustomerSubmission).where(CustomerSubmission.reference == reference)
        )
        assert row is not None and row.story_id is None and row.original_body is None
        db.session.delete(row)  # the shared live server's data stays as it was
        db.session.commit()
