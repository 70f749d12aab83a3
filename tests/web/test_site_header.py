"""The signed-in header is kept by what it shows (storyboard.template_helpers.site_header):
each person sees their own name and token, the current page is marked wherever they go,
and the language switch sends them back to the page they were on."""

from __future__ import annotations

import re

from flask import Flask

from storyboard.models import Role
from tests.conftest import signed_in
from tests.factories import create_user

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">')
SWITCH_NEXT = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')
LOGOUT_TOKEN = re.compile(
    r'action="/auth/logout"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)">'
)


def test_two_people_of_one_role_each_see_themselves(app: Flask, users: dict[Role, int]) -> None:
    create_user(app, Role.AGENT, email="second.agent@example.nl")
    with app.app_context():
        from storyboard.db import db
        from storyboard.models import User

        second = db.session.scalar(db.select(User).filter_by(email="second.agent@example.nl"))
        second.display_name = "Bram Tweede"
        db.session.commit()
    first_page = signed_in(app, Role.AGENT).client.get("/stories/").get_data(as_text=True)
    second_client = signed_in(app, Role.AGENT, email="second.agent@example.nl").client
    second_page = second_client.get("/stories/").get_data(as_text=True)
    assert "agent@example.nl" in first_page and "Bram Tweede" not in first_page
    assert "second.agent@example.nl" in second_page and "Bram Tweede" in second_page
    # Sign-out works with the token written into the kept header.
    token = LOGOUT_TOKEN.search(second_page)
    assert token
    response = second_client.post("/auth/logout", data={"csrf_token": token.group(1)})
    assert response.status_code == 302
    assert second_client.get("/stories/").status_code == 302  # signed out


def test_the_current_page_and_the_switchs_return_address_follow_the_page(
    app: Flask, users: dict[Role, int]
) -> None:
    client = signed_in(app, Role.MANAGER).client
    for path, current in [
        ("/stories/?page=2", "/stories/"),
        ("/dashboard/", "/dashboard/"),
        ("/stories/", "/stories/"),
        ("/search?q=klant", "/search"),
    ]:
        html = client.get(path).get_data(as_text=True)
        assert set(CURRENT.findall(html)) == {current}, path
        assert set(SWITCH_NEXT.findall(html)) == {path}, path
        assert "storyboard-hole" not in html
