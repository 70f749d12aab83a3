"""The net under every save: when the database refuses what a form's own checks let
through (two requests racing to make the same theme, the same story), the person gets
a calm 409 that says what happened, nothing is half-saved, and the next request works.

The race is made real on the database side (``factories.inserts_refused``): a trigger
refuses the insert as a unique index refuses the second of two racing requests, so the
app's own code runs unchanged. The API's answer: tests/api/test_auth_and_errors.py.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from storyboard.models import Role, Theme
from tests.conftest import Auth, post_form
from tests.factories import count_rows, inserts_refused


def test_a_form_save_the_database_refuses_gets_a_calm_409(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    auth.login_as(Role.ADMIN)
    themes = count_rows(app, Theme)
    form = {"name_nl": "Geduld", "name_en": "Patience", "description_nl": "", "description_en": ""}
    with inserts_refused(app, "themes"):
        response = post_form(auth.client, "/admin/themes/new", form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Saved at the same moment" in page and "nothing was half-saved" in page
    assert count_rows(app, Theme) == themes
    # The session was rolled back: the same admin saves the theme now.
    again = post_form(auth.client, "/admin/themes/new", form)
    assert again.status_code == 302 and count_rows(app, Theme) == themes + 1


def test_any_other_refusal_is_a_bug_not_a_conflict(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    """Only a duplicate is a race; a missing value the database refuses is a bug, which
    must surface (a 500, here the exception itself: tests run with TESTING)."""
    auth.login_as(Role.ADMIN)
    form = {"name_nl": "Geduld", "name_en": "Patience", "description_nl": "", "description_en": ""}
    with inserts_refused(app, "themes", duplicate=False), pytest.raises(IntegrityError):
        post_form(auth.client, "/admin/themes/new", form)
