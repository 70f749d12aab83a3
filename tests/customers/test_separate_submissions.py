"""Two people who send the same words stay two submissions (issue 18, finding 5).

The attack it prevents: a second visitor who sends the same title and body within the
minute used to get the first visitor's reference, cut off the first visitor's private
link, lose their own name and e-mail, and be able to erase the first visitor's story."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from storyboard.models import Role, SubmissionStatus
from tests.conftest import post_form
from tests.customers.test_customer_stories import (
    FORM,
    manager,
    share,
    status_path,
    submissions,
)


def reference(response: Any) -> str:
    match = re.search(r'data-testid="reference">(SB-[A-Z2-9]{6})<', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_two_visitors_with_the_same_text_keep_their_own_story_link_name_and_email(
    app: Flask, users: dict[Role, int]
) -> None:
    anna, bram = app.test_client(), app.test_client()  # two browsers, two cookie jars
    first = share(anna)
    second = share(bram, first_name="Bram", email="bram@example.nl")
    assert "already received" not in second.get_data(as_text=True)
    assert reference(first) != reference(second)
    anna_link, bram_link = status_path(first), status_path(second)
    assert anna_link != bram_link

    by_reference = {s.reference: s for s in submissions(app)}
    assert len(by_reference) == 2
    anna_row, bram_row = by_reference[reference(first)], by_reference[reference(second)]
    assert (anna_row.first_name, anna_row.contact_email) == ("Anna", "anna@example.nl")
    assert (bram_row.first_name, bram_row.contact_email) == ("Bram", "bram@example.nl")
    assert anna_row.story_id != bram_row.story_id

    # Each private link shows its own story, from either browser.
    for link, ref in ((anna_link, reference(first)), (bram_link, reference(second))):
        for browser in (anna, bram):
            page = browser.get(link)
            assert page.status_code == 200 and ref in page.get_data(as_text=True)

    # Bram's link erases Bram's story only.
    withdrawn = post_form(bram, f"{bram_link}/withdraw", {"confirm": "y"}, token_from=bram_link)
    assert withdrawn.status_code == 303
    by_reference = {s.reference: s for s in submissions(app)}
    assert by_reference[reference(second)].status is SubmissionStatus.WITHDRAWN
    anna_row = by_reference[reference(first)]
    assert anna_row.status is SubmissionStatus.PENDING and anna_row.story_id is not None
    assert (anna_row.first_name, anna_row.contact_email) == ("Anna", "anna@example.nl")
    assert "Waiting for a colleague to read it." in anna.get(anna_link).get_data(as_text=True)


def test_the_same_email_from_another_browser_does_not_take_over_the_first_link(
    app: Flask, users: dict[Role, int]
) -> None:
    """An address typed into a public form proves nothing: someone who knows Anna's
    address and words must not cut off her link or get one that erases her story."""
    anna, impostor = app.test_client(), app.test_client()
    first = share(anna)
    second = share(impostor, email=FORM["email"].upper())
    assert reference(first) != reference(second)
    assert anna.get(status_path(first)).status_code == 200
    post_form(
        impostor,
        f"{status_path(second)}/withdraw",
        {"confirm": "y"},
        token_from=status_path(second),
    )
    statuses = {s.reference: s.status for s in submissions(app)}
    assert statuses[reference(first)] is SubmissionStatus.PENDING
    # The moderator sees that the same text came in twice.
    auth = manager(app)
    queue = auth.client.get("/moderation/").get_data(as_text=True)
    assert queue.count(reference(first)) == 1  # the withdrawn one is no longer waiting
    third = share(app.test_client(), first_name="Bram", email="bram@example.nl")
    queue = auth.client.get("/moderation/").get_data(as_text=True)
    assert f"Same text as {reference(third)}" in queue
    [pending] = [s for s in submissions(app) if s.reference == reference(first)]
    review = auth.client.get(f"/moderation/{pending.id}").get_data(as_text=True)
    assert f"The same text also came in as {reference(third)}" in review


def test_a_double_tap_in_one_browser_is_still_one_submission(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    first = share(client)
    again = share(client, email=" ANNA@example.nl ")
    assert "already received this story" in again.get_data(as_text=True)
    assert reference(first) == reference(again)
    assert len(submissions(app)) == 1
    assert client.get(status_path(again)).status_code == 200


def test_another_person_in_the_same_browser_gets_their_own_submission(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    """A shared computer: the same words under another name or address are not a
    double tap, so nobody's name or e-mail is dropped."""
    first = share(client)
    second = share(client, first_name="Bram", email="bram@example.nl")
    assert reference(first) != reference(second)
    assert client.get(status_path(first)).status_code == 200
    assert {(s.first_name, s.contact_email) for s in submissions(app)} == {
        ("Anna", "anna@example.nl"),
        ("Bram", "bram@example.nl"),
    }
