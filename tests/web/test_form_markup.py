"""Form fields carry only the ARIA attributes that mean something: WTForms writes a None
value as the text "None" (axe-core: aria-describedby="None" points at nothing, and
aria-invalid="None" is not a valid value; critical on every form)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from storyboard.models import Role
from tests.conftest import Auth, post_form
from tests.factories import add_story

NONE_ATTRIBUTE = re.compile(r'\s[\w-]+="None"')


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (None, "/auth/login"),
        (None, "/share/"),
        (Role.AGENT, "/stories/new"),
        (Role.AGENT, "/profile/"),
        (Role.MANAGER, "/nps/import"),
        (Role.ADMIN, "/admin/users/new"),
    ],
)
def test_form_pages_have_no_attribute_that_says_none(
    app: Flask, users: dict[Role, int], role: Role | None, path: str
) -> None:
    client = app.test_client()
    if role is not None:
        Auth(client).login_as(role)
    page = client.get(path).get_data(as_text=True)
    assert NONE_ATTRIBUTE.findall(page) == []


def test_a_field_with_an_error_is_marked_invalid_and_described(
    app: Flask, users: dict[Role, int]
) -> None:
    story = add_story(app, "Worth sharing")
    auth = Auth(app.test_client())
    auth.login_as(Role.AGENT)
    page = post_form(
        auth.client,
        "/stories/new",
        {"title": "", "body": "x", "channel": "phone", "language": "en", "action": "draft"},
    ).get_data(as_text=True)
    title = re.search(r'<input[^>]*name="title"[^>]*>', page)
    assert title and 'aria-invalid="true"' in title.group(0)
    assert 'aria-describedby="title-' in title.group(0)
    assert NONE_ATTRIBUTE.findall(page) == []
    assert story


@pytest.mark.parametrize(("locale", "expected"), [("nl", "nl"), ("en", "en")])
def test_a_story_s_language_starts_as_the_page_s_language(
    app: Flask, users: dict[Role, int], locale: str, expected: str
) -> None:
    """A Dutch story left as it is must not be tagged English (and the other way round),
    in the editor and on the customers' form."""
    agent = Auth(app.test_client())
    agent.login_as(Role.AGENT)
    visitor = app.test_client()
    for client, path in ((agent.client, "/stories/new"), (visitor, "/share/")):
        page = client.get(path, headers={"Accept-Language": locale}).get_data(as_text=True)
        checked = re.findall(
            r'<input[^>]*checked[^>]*name="language"[^>]*value="(\w+)"'
            r'|<input[^>]*name="language"[^>]*value="(\w+)"[^>]*checked',
            page,
        )
        assert [a or b for a, b in checked] == [expected], (path, checked)


def test_statuses_and_channels_are_written_in_the_page_s_language(
    app: Flask, users: dict[Role, int]
) -> None:
    """No "draft", "pending" or "phone" on a Dutch page (one language per page)."""
    from storyboard.models import StoryStatus

    add_story(app, "Nog niet klaar", status=StoryStatus.DRAFT)
    agent = Auth(app.test_client())
    agent.login_as(Role.AGENT)
    mine = agent.client.get("/stories/mine", headers={"Accept-Language": "nl"}).get_data(
        as_text=True
    )
    assert ">Concept<" in mine and ">draft<" not in mine
    english = agent.client.get("/stories/mine", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert ">Draft<" in english
