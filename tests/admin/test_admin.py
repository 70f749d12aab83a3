"""Admin pages: users, teams and themes."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import Role, Team, Theme, ThemeKind, User
from tests.conftest import PASSWORD_HASH_PREFIX, Auth, post_form

pytestmark = pytest.mark.usefixtures("users")

TAKEN_EMAIL = "Someone already has that e-mail address."
TAKEN_NAME = "That name is already taken (or too close to an existing one)."
SELF_LOCKOUT = "You cannot remove your own admin role or deactivate yourself."


@pytest.fixture
def admin(auth: Auth) -> Auth:
    auth.login_as(Role.ADMIN)
    return auth


def user_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "email": "new.agent@example.nl",
        "display_name": "New Agent",
        "role": "agent",
        "team_id": "",
        "active": "y",
        "password": "a long enough password",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def user_by_email(app: Flask, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def team_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.slug == slug))


def page_text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- users ------------------------------------------------------------------------------


def test_admin_creates_a_user_who_can_then_sign_in(app, client, admin):
    retail = team_id(app, "retail")
    response = post_form(client, "/admin/users/new", user_form(team_id=str(retail), role="manager"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"

    user = user_by_email(app, "new.agent@example.nl")
    assert user.role is Role.MANAGER
    assert user.team_id == retail
    assert user.active
    assert user.password_hash.startswith(PASSWORD_HASH_PREFIX)
    assert "New Agent" in client.get("/admin/users").get_data(as_text=True)

    admin.logout()
    assert admin.login("new.agent@example.nl", "a long enough password").status_code == 302


def test_a_new_user_needs_a_password_of_ten_characters(app, client, admin):
    for password, message in [
        ("", "A new user needs a password."),
        ("short", "A password needs at least 10 characters."),
    ]:
        response = post_form(client, "/admin/users/new", user_form(password=password))
        assert response.status_code == 400
        assert message in page_text(response)
    assert user_by_email(app, "new.agent@example.nl") is None


def test_duplicate_e_mail_is_refused_with_a_message(app, client, admin):
    before = count(app, User)
    response = post_form(client, "/admin/users/new", user_form(email="Agent@Example.nl"))
    assert response.status_code == 400
    page = page_text(response)
    assert TAKEN_EMAIL in page
    assert 'value="Agent@Example.nl"' in page  # what the admin typed stays
    assert count(app, User) == before


def test_changing_an_e_mail_to_a_taken_one_is_refused(app, client, users, admin):
    stakeholder = users[Role.STAKEHOLDER]
    response = post_form(
        client,
        f"/admin/users/{stakeholder}/edit",
        user_form(email="manager@example.nl", role="stakeholder", password=""),
    )
    assert response.status_code == 400
    assert TAKEN_EMAIL in page_text(response)
    assert user_by_email(app, "stakeholder@example.nl") is not None


def test_invalid_e_mail_is_shown_next_to_the_field(app, client, admin):
    response = post_form(client, "/admin/users/new", user_form(email="not an address"))
    assert response.status_code == 400
    assert "Not a valid e-mail address." in page_text(response)
    assert count(app, User) == 4


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "superuser"},
        {"team_id": "999999"},
        {"team_id": "abc"},
    ],
)
def test_tampered_user_fields_are_refused(app, client, admin, changes):
    response = post_form(client, "/admin/users/new", user_form(**changes))
    assert response.status_code == 400
    assert user_by_email(app, "new.agent@example.nl") is None


def test_admin_edits_a_user_and_keeps_the_password_when_left_empty(app, client, users, admin):
    agent = users[Role.AGENT]
    old_hash = user_by_email(app, "agent@example.nl").password_hash
    edit_page = client.get(f"/admin/users/{agent}/edit").get_data(as_text=True)
    assert 'value="agent@example.nl"' in edit_page

    response = post_form(
        client,
        f"/admin/users/{agent}/edit",
        user_form(
            email="agent@example.nl", display_name="Renamed Agent", role="manager", password=""
        ),
    )
    assert response.status_code == 302
    user = user_by_email(app, "agent@example.nl")
    assert user.display_name == "Renamed Agent"
    assert user.role is Role.MANAGER
    assert user.team_id is None
    assert user.password_hash == old_hash


def test_admin_sets_a_new_password(app, client, users, admin):
    post_form(
        client,
        f"/admin/users/{users[Role.AGENT]}/edit",
        user_form(email="agent@example.nl", password="a brand new password"),
    )
    with app.app_context():
        user = db.session.get(User, users[Role.AGENT])
        assert user.check_password("a brand new password")


def test_admin_deactivates_a_user_who_can_no_longer_sign_in(app, client, users, admin):
    response = post_form(
        client,
        f"/admin/users/{users[Role.AGENT]}/edit",
        user_form(email="agent@example.nl", active=None, password=""),
    )  # unchecked box: not sent
    assert response.status_code == 302
    assert not user_by_email(app, "agent@example.nl").active

    admin.logout()
    page = page_text(admin.login("agent@example.nl"))
    assert "This account has been deactivated." in page


@pytest.mark.parametrize("changes", [{"role": "manager"}, {"active": None}])
def test_admin_cannot_demote_or_deactivate_themself(app, client, users, admin, changes):
    own = {"email": "admin@example.nl", "role": "admin", "password": ""}
    response = post_form(
        client, f"/admin/users/{users[Role.ADMIN]}/edit", user_form(**{**own, **changes})
    )
    assert response.status_code == 400
    assert SELF_LOCKOUT in page_text(response)
    me = user_by_email(app, "admin@example.nl")
    assert me.role is Role.ADMIN
    assert me.active


def test_admin_can_change_their_own_name(app, client, users, admin):
    response = post_form(
        client,
        f"/admin/users/{users[Role.ADMIN]}/edit",
        user_form(email="admin@example.nl", display_name="Head Admin", role="admin", password=""),
    )
    assert response.status_code == 302
    assert user_by_email(app, "admin@example.nl").display_name == "Head Admin"


def test_editing_a_missing_user_answers_404(client, admin):
    assert client.get("/admin/users/999999/edit").status_code == 404


# --- teams and themes ---------------------------------------------------------------------


def test_admin_creates_and_renames_a_team(app, client, admin):
    response = post_form(
        client, "/admin/teams/new", {"name": "Webshop Care", "description": "Online orders"}
    )
    assert response.status_code == 302
    new_id = team_id(app, "webshop-care")
    assert new_id is not None
    assert "Webshop Care" in client.get("/admin/teams").get_data(as_text=True)

    response = post_form(
        client, f"/admin/teams/{new_id}/edit", {"name": "Online Care", "description": ""}
    )
    assert response.status_code == 302
    with app.app_context():
        team = db.session.get(Team, new_id)
        assert (team.name, team.slug, team.description) == ("Online Care", "online-care", "")


@pytest.mark.parametrize("name", ["Retail", "retail", "RETAIL!"])
def test_duplicate_team_names_are_refused(app, client, admin, name):
    before = count(app, Team)
    response = post_form(client, "/admin/teams/new", {"name": name})
    assert response.status_code == 400
    assert TAKEN_NAME in page_text(response)
    assert count(app, Team) == before


def test_renaming_a_team_to_another_teams_name_is_refused(app, client, admin):
    post_form(client, "/admin/teams/new", {"name": "Webshop"})
    webshop = team_id(app, "webshop")
    response = post_form(client, f"/admin/teams/{webshop}/edit", {"name": "Retail"})
    assert response.status_code == 400
    assert TAKEN_NAME in page_text(response)
    with app.app_context():
        assert db.session.get(Team, webshop).name == "Webshop"


def test_a_team_keeps_its_name_when_saved_unchanged(app, client, admin):
    retail = team_id(app, "retail")
    response = post_form(
        client, f"/admin/teams/{retail}/edit", {"name": "Retail", "description": "Shops"}
    )
    assert response.status_code == 302


def test_empty_team_name_is_refused(app, client, admin):
    before = count(app, Team)
    response = post_form(client, "/admin/teams/new", {"name": "   "})
    assert response.status_code == 400
    assert count(app, Team) == before


def theme_form(**changes: str) -> dict[str, str]:
    form = {
        "name_nl": "Inlevingsvermogen",
        "name_en": "Empathy",
        "description_nl": "Voelen wat de klant voelt",
        "description_en": "Feeling with the customer",
    }
    form.update(changes)
    return form


def theme_by_slug(app: Flask, slug: str) -> Theme | None:
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is not None:
            db.session.expunge(theme)
        return theme


def test_admin_creates_a_custom_theme_that_writers_see_in_their_language(app, client, auth, admin):
    response = post_form(client, "/admin/themes/new", theme_form())
    assert response.status_code == 302
    theme = theme_by_slug(app, "empathy")
    assert theme is not None and theme.kind is ThemeKind.CUSTOM
    assert (theme.name_nl, theme.name_en) == ("Inlevingsvermogen", "Empathy")
    listing = page_text(client.get("/admin/themes"))
    assert "Inlevingsvermogen" in listing and "Empathy" in listing
    admin.logout()
    auth.login_as(Role.AGENT)
    english = page_text(client.get("/stories/new", headers={"Accept-Language": "en"}))
    dutch = page_text(client.get("/stories/new", headers={"Accept-Language": "nl"}))
    assert "> Empathy</label>" in english and "Inlevingsvermogen" not in english
    assert "> Inlevingsvermogen</label>" in dutch and "Empathy" not in dutch


def test_admin_renames_a_seeded_theme_in_both_languages(app, client, admin):
    theme = theme_by_slug(app, "stand-up")
    assert theme is not None
    assert (theme.name_nl, theme.name_en) == ("Opkomen voor de klant", "Stand up")
    edit_page = page_text(client.get(f"/admin/themes/{theme.id}/edit"))
    assert 'value="Opkomen voor de klant"' in edit_page and 'value="Stand up"' in edit_page
    response = post_form(
        client,
        f"/admin/themes/{theme.id}/edit",
        theme_form(name_nl="Sta op voor ze", name_en="Stand up for them"),
    )
    assert response.status_code == 302
    with app.app_context():
        renamed = db.session.get(Theme, theme.id)
        assert (renamed.name_nl, renamed.name_en, renamed.slug, renamed.kind) == (
            "Sta op voor ze",
            "Stand up for them",
            "stand-up-for-them",
            ThemeKind.HABIT,
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_nl": "Opkomen voor de klant"}, "Another theme is already called"),
        ({"name_nl": "opkomen voor de KLANT!"}, "Another theme is already called"),
        ({"name_en": "stand-up"}, "Another theme is already called"),
        ({"name_en": "Time & Place"}, "Another theme is already called"),
        ({"name_nl": "   "}, "Give the theme a name in Dutch."),
        ({"name_en": ""}, "Give the theme a name in English."),
        ({"name_nl": "x" * 5000}, "Too long: 5,000 characters, at most 80 allowed."),
        ({"description_en": "x" * 5000}, "Too long: 5,000 characters, at most 500 allowed."),
    ],
)
def test_bad_theme_names_are_refused_with_a_message(app, client, admin, changes, message):
    before = count(app, Theme)
    response = post_form(client, "/admin/themes/new", theme_form(**changes))
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    if "already" in message:
        language = "Dutch" if "name_nl" in changes else "English"
        assert f"in {language}." in text
    assert count(app, Theme) == before
    # What the admin typed stays in the form.
    for value in changes.values():
        if value.strip() and len(value) < 100:
            assert f'value="{html.escape(value)}"' in response.get_data(as_text=True)


def test_renaming_a_theme_to_another_themes_name_changes_nothing(app, client, admin):
    tools = theme_by_slug(app, "tools")
    assert tools is not None
    response = post_form(
        client,
        f"/admin/themes/{tools.id}/edit",
        theme_form(name_nl="Toon", name_en="Better tools"),
    )
    assert response.status_code == 400
    assert "Another theme is already called “Toon” in Dutch." in page_text(response)
    unchanged = theme_by_slug(app, "tools")
    assert unchanged is not None
    assert (unchanged.name_nl, unchanged.name_en) == ("Tools", "Tools")


def test_a_theme_keeps_its_names_when_saved_unchanged(app, client, admin):
    team_support = theme_by_slug(app, "team-support")
    assert team_support is not None
    response = post_form(
        client,
        f"/admin/themes/{team_support.id}/edit",
        theme_form(name_nl="Teamondersteuning", name_en="Team support"),
    )
    assert response.status_code == 302


def test_admin_lists_show_users_teams_and_themes(client, admin):
    assert "stakeholder@example.nl" in client.get("/admin/users").get_data(as_text=True)
    assert "Retail" in client.get("/admin/teams").get_data(as_text=True)
    themes = client.get("/admin/themes").get_data(as_text=True)
    assert "Tone of voice" in themes and "Toon" in themes
    assert client.get("/admin/").headers["Location"] == "/admin/users"


def test_a_dutch_admin_reads_the_themes_messages_in_dutch(app, client, admin):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    clash = post_form(client, "/admin/themes/new", theme_form(name_nl="toon"))
    assert clash.status_code == 400
    assert "Er is al een thema dat in het Nederlands “Toon” heet." in page_text(clash)
    empty = post_form(client, "/admin/themes/new", theme_form(name_en=" "))
    assert "Geef het thema een Engelse naam." in page_text(empty)
    assert count(app, Theme) == 10
