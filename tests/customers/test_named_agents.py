"""A customer names a colleague ("Lotte dacht echt mee"): moderation offers the matching
colleagues, a manager links one, the agent is told once the story is published and their
page shows it; links are made once, can be undone, and go with the story when it is
erased."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import (
    CustomerSubmission,
    Notification,
    Role,
    Story,
    StoryNamedAgent,
    Team,
    User,
)
from storyboard.recognition.mailing import compose
from storyboard.stories import naming
from tests.conftest import PASSWORD, Auth, create_user, detached_rows, post_form

FORM = {
    "title": "My order arrived today",
    "channel": "phone",
    "language": "nl",
    "body": "Lotte dacht echt mee en belde de bezorger zelf.",
    "first_name": "Anna",
    "email": "anna@example.nl",
    "helped_by": "",
    "consent_share": "y",
    "consent_name": "y",
}


def person(
    app: Flask, name: str, role: Role = Role.AGENT, team: str | None = "Retail", active: bool = True
) -> int:
    email = (
        re.sub(
            r"\W+",
            ".",
            unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower(),
        )
        + "@example.nl"
    )
    user_id = create_user(app, role, email=email, team=team, active=active)
    with app.app_context():
        db.session.get(User, user_id).display_name = name
        db.session.commit()
    return user_id


@pytest.fixture
def people(app: Flask, users: dict[Role, int]) -> dict[str, int]:
    """Colleagues with first names a customer might write, in two teams."""
    return {
        "lotte": person(app, "Lotte de Vries"),
        "lois": person(app, "Loïs Bakker"),
        "sanne": person(app, "Sanne Jansen", Role.MANAGER),
        "other_lotte": person(app, "Lotte Pieters", team="Online"),
        "mark": person(app, "Mark Smit", active=False),
        "stakeholder": person(app, "Lotte Stakeholder", Role.STAKEHOLDER),
    }


def candidates(app: Flask, text: str, team: str | None = "Retail") -> list[str]:
    with app.app_context():
        team_row = db.session.scalar(select(Team).where(Team.name == team)) if team else None
        return [user.display_name for user in naming.named_candidates(text, team_row)]


def test_candidates_by_first_name_in_dutch_and_english(app: Flask, people: dict[str, int]) -> None:
    assert candidates(app, "Lotte dacht echt mee") == ["Lotte de Vries"]
    assert candidates(app, "Sanne and LOTTE solved it, thanks!") == [
        "Lotte de Vries",
        "Sanne Jansen",
    ]
    assert candidates(app, "Nobody in particular helped me.") == []
    # Whole words only: "Lotteria" is no Lotte, "Sanneke" no Sanne.
    assert candidates(app, "De Lotteria-bon en Sanneke") == []


def test_candidates_ignore_accents_case_and_unicode_normal_form(
    app: Flask, people: dict[str, int]
) -> None:
    assert candidates(app, "lois belde terug") == ["Loïs Bakker"]
    assert candidates(app, unicodedata.normalize("NFD", "LOÏS was geweldig")) == ["Loïs Bakker"]
    assert candidates(app, "Thanks to Loïs!") == ["Loïs Bakker"]
    with app.app_context():  # a name stored decomposed matches a composed text
        db.session.get(User, people["lois"]).display_name = unicodedata.normalize(
            "NFD", "Loïs Bakker"
        )
        db.session.commit()
    assert len(candidates(app, "Loïs was geweldig")) == 1


def test_candidates_only_of_the_team_when_set_and_never_deactivated_or_stakeholders(
    app: Flask, people: dict[str, int]
) -> None:
    assert candidates(app, "Lotte dacht echt mee", team="Online") == ["Lotte Pieters"]
    assert candidates(app, "Lotte dacht echt mee", team=None) == ["Lotte de Vries", "Lotte Pieters"]
    assert candidates(app, "Mark helped me", team=None) == []


# -- through moderation ---------------------------------------------------------------------
def share(client: FlaskClient, **changes: Any) -> int:
    response = post_form(client, "/share/", {**FORM, **changes})
    assert response.status_code == 200
    with client.application.app_context():
        return int(db.session.scalar(select(func.max(CustomerSubmission.id))) or 0)


def signed_in(app: Flask, email: str) -> FlaskClient:
    auth = Auth(app.test_client())
    response = auth.login(email, PASSWORD)
    assert response.status_code == 302
    return auth.client


def manager(app: Flask) -> FlaskClient:
    return signed_in(app, "manager@example.nl")


def review_page(client: FlaskClient, submission_id: int) -> str:
    response = client.get(f"/moderation/{submission_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def link(client: FlaskClient, submission_id: int, user_id: int, unlink: bool = False) -> Any:
    path = f"/moderation/{submission_id}/named/{user_id}" + ("/unlink" if unlink else "")
    return post_form(client, path, {}, token_from=f"/moderation/{submission_id}")


def approve(client: FlaskClient, submission_id: int, team_id: int | str = "") -> Any:
    page = review_page(client, submission_id)
    title = re.search(r'id="title"[^>]*value="([^"]*)"', page)
    body = re.search(r'<textarea[^>]*id="body"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert title and body
    return post_form(
        client,
        f"/moderation/{submission_id}",
        {
            "title": html.unescape(title.group(1)),
            "body": html.unescape(body.group(1)),
            "channel": "phone",
            "language": "nl",
            "team_id": str(team_id),
            "action": "approve",
        },
    )


def links(app: Flask) -> list[tuple[int, int]]:
    return [(row.story_id, row.user_id) for row in detached_rows(app, StoryNamedAgent)]


def named_notes(app: Flask, user_id: int) -> list[Notification]:
    return [
        note
        for note in detached_rows(app, Notification)
        if note.kind == "named" and note.user_id == user_id
    ]


def story_of(app: Flask, submission_id: int) -> int:
    with app.app_context():
        story_id = db.session.get(CustomerSubmission, submission_id).story_id
        assert story_id is not None
        return int(story_id)


def test_a_manager_links_the_named_agent_who_is_told_once_the_story_is_published(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client, helped_by="Loïs")
    moderator = manager(app)
    page = review_page(moderator, submission_id)
    assert "Did the customer name a colleague?" in page
    assert "Lotte de Vries" in page and "Loïs Bakker" in page  # body and "who helped"
    assert "Lotte Pieters" in page  # no team chosen yet: every team
    assert "Mark Smit" not in page and "Lotte Stakeholder" not in page

    response = link(moderator, submission_id, people["lotte"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/{submission_id}#named")
    assert link(moderator, submission_id, people["lotte"]).status_code == 302  # double click
    story_id = story_of(app, submission_id)
    assert links(app) == [(story_id, people["lotte"])]
    assert named_notes(app, people["lotte"]) == []  # pending: nobody is told yet
    page = review_page(moderator, submission_id)
    assert f'action="/moderation/{submission_id}/named/{people["lotte"]}/unlink"' in page

    with app.app_context():
        retail = db.session.scalar(select(Team).where(Team.name == "Retail"))
        assert retail is not None
        retail_id = retail.id
    assert approve(moderator, submission_id, retail_id).status_code == 302
    [note] = named_notes(app, people["lotte"])
    assert note.story_id == story_id and note.actor_id is not None
    assert named_notes(app, people["other_lotte"]) == []

    lotte = signed_in(app, "lotte.de.vries@example.nl")
    notifications = lotte.get("/notifications").get_data(as_text=True)
    assert "A customer named you in a story:" in notifications
    assert "My order arrived today" in notifications
    own_page = lotte.get(f"/people/{people['lotte']}").get_data(as_text=True)
    assert "A customer named you" in own_page and "My order arrived today" in own_page
    profile = lotte.get("/profile/").get_data(as_text=True)
    named = profile.split('data-testid="named-in"')[1].split("</section>")[0]
    assert "A customer named you" in named and "My order arrived today" in named
    colleague_page = (
        signed_in(app, "stakeholder@example.nl")
        .get(f"/people/{people['lotte']}")
        .get_data(as_text=True)
    )
    assert "Customers named Lotte de Vries" in colleague_page
    assert f'href="/stories/{story_id}"' in colleague_page
    # Not named: no such section on Loïs's page.
    lois_page = lotte.get(f"/people/{people['lois']}").get_data(as_text=True)
    assert "Customers named" not in lois_page and "My order arrived today" not in lois_page


def test_linking_a_published_story_tells_the_agent_at_once_and_only_once(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client)
    moderator = manager(app)
    approve(moderator, submission_id)
    link(moderator, submission_id, people["lotte"])
    link(moderator, submission_id, people["lotte"])
    assert len(named_notes(app, people["lotte"])) == 1
    assert len(links(app)) == 1


def test_the_named_email_says_so(app: Flask, client: FlaskClient, people: dict[str, int]) -> None:
    submission_id = share(client)
    moderator = manager(app)
    approve(moderator, submission_id)
    link(moderator, submission_id, people["lotte"])
    with app.test_request_context():
        lotte = db.session.get(User, people["lotte"])
        notes = list(
            db.session.scalars(select(Notification).where(Notification.user_id == people["lotte"]))
        )
        text = compose(lotte, notes).get_content()
    assert "A customer named you in a story:" in text and "My order arrived today" in text


@pytest.mark.parametrize("role", [Role.AGENT, Role.STAKEHOLDER, Role.ADMIN])
def test_only_managers_link_and_unlink(
    app: Flask, client: FlaskClient, people: dict[str, int], role: Role
) -> None:
    submission_id = share(client)
    other = signed_in(app, f"{role.value}@example.nl")
    for suffix in ("", "/unlink"):
        path = f"/moderation/{submission_id}/named/{people['lotte']}{suffix}"
        token = re.search(
            r'name="csrf-token" content="([^"]+)"', other.get("/stories/").get_data(as_text=True)
        )
        assert token
        response = other.post(path, data={"csrf_token": token.group(1)})
        assert response.status_code == 403
    assert links(app) == []


def test_a_link_needs_its_csrf_token(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client)
    moderator = manager(app)
    response = moderator.post(f"/moderation/{submission_id}/named/{people['lotte']}")
    assert response.status_code == 400
    assert links(app) == []


def test_a_stakeholder_or_deactivated_person_cannot_be_linked(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client)
    moderator = manager(app)
    for who in ("stakeholder", "mark"):
        response = link(moderator, submission_id, people[who])
        assert response.status_code == 302
    assert links(app) == []
    assert "only active agents and managers" in review_page(moderator, submission_id)


def test_unlink_removes_the_link_and_its_notification(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client)
    moderator = manager(app)
    approve(moderator, submission_id)
    link(moderator, submission_id, people["lotte"])
    assert len(named_notes(app, people["lotte"])) == 1
    assert link(moderator, submission_id, people["lotte"], unlink=True).status_code == 302
    assert links(app) == [] and named_notes(app, people["lotte"]) == []
    page = review_page(moderator, submission_id)
    lotte_path = f"/moderation/{submission_id}/named/{people['lotte']}"
    assert f'action="{lotte_path}/unlink"' not in page
    assert f'action="{lotte_path}"' in page  # offered again
    with app.app_context():
        assert naming.named_in(db.session.get(User, people["lotte"])) == []


@pytest.mark.parametrize("by", ["customer", "manager"])
def test_erasing_the_story_removes_the_link(
    app: Flask, client: FlaskClient, people: dict[str, int], by: str
) -> None:
    response = post_form(client, "/share/", FORM)
    status = re.search(
        r'value="http://localhost(/share/status/[^"]+)"', response.get_data(as_text=True)
    )
    assert status
    with app.app_context():
        submission_id = int(db.session.scalar(select(func.max(CustomerSubmission.id))) or 0)
    moderator = manager(app)
    approve(moderator, submission_id)
    link(moderator, submission_id, people["lotte"])
    assert len(links(app)) == 1
    if by == "customer":
        assert (
            post_form(
                client, status.group(1) + "/withdraw", {"confirm": "y"}, token_from=status.group(1)
            ).status_code
            == 303
        )
    else:
        assert (
            post_form(
                moderator,
                f"/moderation/{submission_id}/erase",
                {},
                token_from=f"/moderation/{submission_id}",
            ).status_code
            == 302
        )
    assert links(app) == [] and named_notes(app, people["lotte"]) == []
    assert detached_rows(app, Story) == []
    page = (
        signed_in(app, "lotte.de.vries@example.nl")
        .get(f"/people/{people['lotte']}")
        .get_data(as_text=True)
    )
    assert "A customer named you" not in page


def test_service_links_once_without_committing(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    submission_id = share(client)
    with app.app_context():
        story = db.session.get(CustomerSubmission, submission_id).story
        lotte = db.session.get(User, people["lotte"])
        by = db.session.get(User, people["sanne"])
        first = naming.link_named_agent(story, lotte, by)
        second = naming.link_named_agent(story, lotte, by)
        assert first is second
        db.session.rollback()
        assert db.session.scalar(select(func.count(StoryNamedAgent.id))) == 0


def test_a_survey_comment_story_names_an_agent_from_the_story_page(
    app: Flask, people: dict[str, int]
) -> None:
    """A comment turned into a draft has no submission: the story page offers the link,
    and publishing the draft tells the agent."""
    from storyboard.models import AuthorKind, Language, SeededChannel, StoryStatus

    with app.app_context():
        manager = db.session.scalar(
            select(User).where(User.role == Role.MANAGER, User.email == "manager@example.nl")
        )
        retail = db.session.scalar(select(Team).where(Team.name == "Retail"))
        story = Story(
            title="Score 10",
            body="Lotte dacht echt mee.",
            body_html="<p>Lotte dacht echt mee.</p>",
            channel=SeededChannel.PHONE,
            language=Language.NL,
            author=manager,
            team=retail,
            author_kind=AuthorKind.CUSTOMER,
            status=StoryStatus.DRAFT,
        )
        db.session.add(story)
        db.session.commit()
        story_id = story.id
    auth = Auth(app.test_client())
    auth.login_as(Role.MANAGER)
    page = auth.client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "Did the customer name a colleague?" in page and "Lotte de Vries" in page
    linked = post_form(
        auth.client,
        f"/moderation/stories/{story_id}/named/{people['lotte']}",
        {},
        token_from=f"/stories/{story_id}",
    )
    assert linked.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Notification).where(Notification.kind == "named")
            )
            == 0
        )  # a draft: not told yet
    published = post_form(
        auth.client,
        f"/stories/{story_id}/edit",
        {
            "title": "Score 10",
            "body": "Lotte dacht echt mee.",
            "channel": "phone",
            "language": "nl",
            "team_id": "",
            "action": "publish",
        },
        token_from=f"/stories/{story_id}/edit",
    )
    assert published.status_code == 302, published.get_data(as_text=True)[:300]
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.kind == "named")).all()
        assert [n.user_id for n in notes] == [people["lotte"]]
