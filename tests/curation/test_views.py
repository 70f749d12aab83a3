"""Featuring through the test client: the form on the story page, the badge, withdrawal,
the featuring page, and every tampered input ending in a clear 4xx or message."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.curation import service
from storyboard.db import db
from storyboard.models import AuthorKind, Feature, FeatureKind, Role, StoryStatus
from tests.conftest import Auth, csrf_token
from tests.factories import add_story, add_team

pytestmark = pytest.mark.usefixtures("users")


def this_week(app: Flask) -> str:
    with app.app_context():
        return str(service.current_week())


def feature_form(app: Flask, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "team_id": str(add_team(app, "Retail")),
        "week": this_week(app),
        "kind": "praise",
        "note": "One father, not a 99% score",
    }
    form.update(changes)
    return form


def post_feature(client: FlaskClient, story_id: int, **data: Any) -> Any:
    payload = dict(data)
    payload.setdefault("csrf_token", csrf_token(client, f"/stories/{story_id}"))
    return client.post(f"/stories/{story_id}/feature", data=payload)


def features(app: Flask) -> list[Feature]:
    with app.app_context():
        found = list(db.session.scalars(select(Feature).order_by(Feature.id)))
        db.session.expunge_all()
        return found


def feature_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Feature)) or 0


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


# -- featuring from the story page -------------------------------------------------
def test_a_manager_sees_the_form_with_the_current_week_and_the_story_s_team(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    page = text(client.get(f"/stories/{story_id}"))
    assert "Feature this story" in page
    assert f'value="{this_week(app)}"' in page and 'type="week"' in page
    assert re.search(rf'<option selected value="{add_team(app, "Retail")}">Retail', page)
    assert "Whole organisation" in page


def test_a_manager_features_a_story_and_the_page_shows_the_badge_with_the_note(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    response = post_feature(
        client, story_id, **feature_form(app, kind="lesson", note="<b>Do</b> call back")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/stories/{story_id}"
    [made] = features(app)
    assert (made.story_id, made.kind, made.note) == (
        story_id,
        FeatureKind.LESSON,
        "<b>Do</b> call back",
    )
    assert f"{made.iso_year}-W{made.iso_week:02d}" == this_week(app)

    page = text(client.get(f"/stories/{story_id}"))
    assert "is featured for" in page  # the flash
    assert 'class="badge badge-featured">Featured' in page
    assert "&lt;b&gt;Do&lt;/b&gt; call back" in page  # a plain-text note is escaped
    assert "<b>Do</b>" not in page
    assert "Lesson" in page and "Retail" in page


def test_every_reader_sees_the_badge_but_only_managers_the_form(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    post_feature(client, story_id, **feature_form(app, team_id=""))
    auth.logout()
    for role in (Role.AGENT, Role.STAKEHOLDER, Role.ADMIN):
        auth.login_as(role)
        page = text(client.get(f"/stories/{story_id}"))
        assert "badge-featured" in page and "Whole organisation" in page
        assert "Feature this story" not in page and "Withdraw" not in page
        auth.logout()


@pytest.mark.parametrize("role", [Role.AGENT, Role.STAKEHOLDER, Role.ADMIN])
def test_other_roles_cannot_feature_or_withdraw(
    app: Flask, client: FlaskClient, auth: Auth, role: Role
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    post_feature(client, story_id, **feature_form(app, team_id=""))
    auth.logout()
    [made] = features(app)
    auth.login_as(role)
    assert post_feature(client, story_id, **feature_form(app)).status_code == 403
    token = csrf_token(client, "/stories/")
    response = client.post(f"/features/{made.id}/withdraw", data={"csrf_token": token})
    assert response.status_code == 403
    assert feature_count(app) == 1 and features(app)[0].withdrawn_at is None


def test_the_same_form_posted_twice_makes_one_feature(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    data = feature_form(app)
    first, second = post_feature(client, story_id, **data), post_feature(client, story_id, **data)
    assert first.status_code == second.status_code == 302
    assert feature_count(app) == 1
    page = text(client.get(f"/stories/{story_id}"))
    assert "already featured for Retail" in page


def test_without_a_csrf_token_nothing_is_featured(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    for token in ("", "forged", None):
        data = feature_form(app)
        if token is not None:
            data["csrf_token"] = token
        response = client.post(f"/stories/{story_id}/feature", data=data)
        assert response.status_code == 400
    assert feature_count(app) == 0


def test_a_manager_withdraws_a_feature(app: Flask, client: FlaskClient, auth: Auth) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    post_feature(client, story_id, **feature_form(app))
    [made] = features(app)
    page = text(client.get(f"/stories/{story_id}"))
    assert f'action="/features/{made.id}/withdraw"' in page
    token = csrf_token(client, f"/stories/{story_id}")
    response = client.post(
        f"/features/{made.id}/withdraw", data={"csrf_token": token, "next": f"/stories/{story_id}"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/stories/{story_id}"
    page = text(client.get(f"/stories/{story_id}"))
    assert "The feature was withdrawn." in page and "badge-featured" not in page
    assert features(app)[0].withdrawn_at is not None
    again = client.post(
        f"/features/{made.id}/withdraw", data={"csrf_token": token, "next": "//evil.example"}
    )
    assert again.status_code == 302 and again.headers["Location"] == "/features"
    assert "already withdrawn" in text(client.get("/features"))


# -- tampered and bad input ----------------------------------------------------------
BAD_FORMS = [
    ({"team_id": "99999"}, "Not a valid choice"),
    ({"team_id": "abc"}, "Invalid Choice"),
    ({"team_id": "-1"}, "Not a valid choice"),
    ({"kind": "featured"}, "Not a valid choice"),
    ({"kind": ""}, "Choose praise or lesson"),
    ({"week": ""}, "Choose a week"),
    ({"week": "2026-W54"}, "for example 2026-W48"),
    ({"week": "2025-W53"}, "for example 2026-W48"),
    ({"week": "next week"}, "for example 2026-W48"),
    ({"week": "1999-W01"}, "Pick a week between"),
    ({"week": "2099-W01"}, "Pick a week between"),
    ({"week": "9999-W01"}, "for example 2026-W48"),
    ({"week": "2026-\x00W54"}, "for example 2026-W48"),  # NUL dropped: still W54
    ({"note": ""}, "why this story matters"),
    ({"note": "   \u200b "}, "why this story matters"),
    ({"note": "x" * 201}, "at most 200 allowed"),
    ({"note": "x" * 20_000}, "at most 200 allowed"),
]


@pytest.mark.parametrize(
    ("changes", "message"),
    BAD_FORMS,
    ids=[f"{k}={v[:12]!r}" for (c, _m) in BAD_FORMS for k, v in c.items()],
)
def test_bad_or_tampered_fields_give_a_message_and_save_nothing(
    app: Flask, client: FlaskClient, auth: Auth, changes: dict[str, str], message: str
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    response = post_feature(client, story_id, **feature_form(app, **changes))
    assert response.status_code == 400
    page = text(response)
    assert message in page, page[page.find("feature-panel") :][:2000]
    assert "Feature this story" in page  # the form is shown again, with the story
    assert feature_count(app) == 0


@pytest.mark.parametrize("status", [StoryStatus.DRAFT, StoryStatus.PENDING, StoryStatus.WITHDRAWN])
def test_an_unpublished_story_cannot_be_featured_even_by_a_tampered_post(
    app: Flask, client: FlaskClient, auth: Auth, status: StoryStatus
) -> None:
    story_id = add_story(app, status=status, team="Retail")
    auth.login_as(Role.MANAGER)
    page = text(client.get(f"/stories/{story_id}"))
    assert "Feature this story" not in page
    token = csrf_token(client, "/stories/")
    response = client.post(
        f"/stories/{story_id}/feature", data={**feature_form(app), "csrf_token": token}
    )
    assert response.status_code == 400
    assert "Only published stories can be featured." in text(response)
    assert feature_count(app) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/stories/99999/feature",
        "/stories/0/feature",
        "/stories/-1/feature",
        "/stories/abc/feature",
        "/stories/99999999999999999999/feature",
        "/features/99999/withdraw",
        "/features/abc/withdraw",
        "/features/-1/withdraw",
        "/features/99999999999999999999/withdraw",
    ],
)
def test_unknown_ids_answer_404(app: Flask, client: FlaskClient, auth: Auth, path: str) -> None:
    auth.login_as(Role.MANAGER)
    token = csrf_token(client, "/stories/")
    response = client.post(path, data={**feature_form(app), "csrf_token": token})
    assert response.status_code == 404


def test_get_on_the_post_only_routes_answers_405(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    assert client.get(f"/stories/{story_id}/feature").status_code == 405
    assert client.get("/features/1/withdraw").status_code == 405


# -- the featuring page -------------------------------------------------------------
def test_the_featuring_page_lists_features_with_the_balance_and_its_warnings(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    add_team(app, "Webshop")
    auth.login_as(Role.MANAGER)
    empty = text(client.get("/features"))
    assert "Nothing was featured in these weeks." in empty
    for i in range(3):
        post_feature(
            client,
            add_story(app, f"Story {i}", team="Retail"),
            **feature_form(app, note=f"Note {i}"),
        )
    page = text(client.get("/features"))
    for i in range(3):
        assert f"Story {i}" in page and f"Note {i}" in page
    assert 'data-warning="team_dominates"' in page and "Retail has 3 of the 3 features" in page
    assert 'data-warning="only_praise"' in page
    assert 'data-warning="no_customer_stories"' in page
    assert page.count('action="/features/') == 3  # withdraw buttons


def test_a_balanced_period_has_no_warnings(app: Flask, client: FlaskClient, auth: Auth) -> None:
    add_team(app, "Webshop")
    auth.login_as(Role.MANAGER)
    post_feature(client, add_story(app, "a", team="Retail"), **feature_form(app))
    post_feature(
        client,
        add_story(app, "b", author_kind=AuthorKind.CUSTOMER, team="Webshop"),
        **feature_form(app, team_id=str(add_team(app, "Webshop")), kind="lesson"),
    )
    post_feature(client, add_story(app, "c", team="Retail"), **feature_form(app, team_id=""))
    page = text(client.get("/features"))
    assert "data-warning" not in page and "No team dominates" in page


def test_stakeholders_view_the_featuring_page_read_only(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.login_as(Role.MANAGER)
    post_feature(client, add_story(app, team="Retail"), **feature_form(app))
    auth.logout()
    auth.login_as(Role.STAKEHOLDER)
    page = text(client.get("/features"))
    assert "One father, not a 99% score" in page
    assert "Withdraw" not in page and 'action="/features/' not in page
    assert 'href="/features"' in page  # in the navigation


@pytest.mark.parametrize("role", [Role.AGENT, Role.ADMIN])
def test_agents_and_admins_do_not_open_the_featuring_page(
    client: FlaskClient, auth: Auth, role: Role
) -> None:
    auth.login_as(role)
    assert client.get("/features").status_code == 403
    assert 'href="/features"' not in text(client.get("/stories/"))


def test_a_duplicate_that_races_past_the_check_makes_one_feature_and_a_message(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two posts in the same instant both pass the service's check; the database's
    unique index refuses the second, which ends as a message, not a 500."""
    story_id = add_story(app, team="Retail")
    auth.login_as(Role.MANAGER)
    monkeypatch.setattr(service, "find_active", lambda *args: None)
    data = feature_form(app, team_id="")
    assert post_feature(client, story_id, **data).status_code == 302
    second = post_feature(client, story_id, **data)
    assert second.status_code == 302 and second.headers["Location"] == f"/stories/{story_id}"
    assert feature_count(app) == 1
    page = text(client.get(f"/stories/{story_id}"))
    assert "already featured for the whole organisation" in page


def test_managers_see_which_featured_stories_stakeholders_read_this_week(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    read = add_story(app, "The father and the birthday present", team="Retail")
    unread = add_story(app, "The ferry that waited", team="Retail")
    auth.login_as(Role.MANAGER)
    for story in (read, unread):
        assert post_feature(client, story, **feature_form(app)).status_code == 302
    stakeholder = Auth(app.test_client())
    stakeholder.login_as(Role.STAKEHOLDER)
    stakeholder.client.get(f"/stories/{read}")
    page = text(client.get("/features"))
    unread_block = page.split('data-testid="unread-features"')[1].split("</section>")[0]
    assert "The ferry that waited" in unread_block
    assert "The father and the birthday present" not in unread_block
    assert re.findall(r'data-testid="stakeholder-reads">(\d+)<', page) == ["1", "0"] or re.findall(
        r'data-testid="stakeholder-reads">(\d+)<', page
    ) == ["0", "1"]
    # Stakeholders see the features but not the reach figures.
    assert "stakeholder-reads" not in text(stakeholder.client.get("/features"))
