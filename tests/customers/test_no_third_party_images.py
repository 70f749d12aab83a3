"""No page makes a reader's browser fetch an image from a third party (issue 18, finding 6).

The attack it prevents: a public submission with ``![x](https://tracker.example/p.png)``
was fetched by the moderator's browser when they opened the pending story, and by every
reader after publication: a tracking pixel. Pages are checked as a browser parses them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.db import db
from storyboard.models import Role, Story
from storyboard.rendering import render_markdown
from storyboard.stories.bodies import rerender_stored_bodies
from tests.conftest import Auth, copy_database, make_app, post_form
from tests.customers.test_customer_stories import approve, manager, share, submissions

TRACKER = "https://tracker.example/p.png?who=moderator"
TRACKING_BODY = f'Zebrafinch kindness. ![x]({TRACKER})\n\n<img src="{TRACKER}&raw=1">'


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def external_images(page: str) -> list[str]:
    """Image sources on the page that are not on the portal itself."""
    parser = _Images()
    parser.feed(page)
    return [src for src in parser.sources if not (src.startswith("/") and not src.startswith("//"))]


def img_src_of(response: Any) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("img-src")]
    return directive.split()[1:]


def reader(app: Flask, role: Role = Role.STAKEHOLDER) -> FlaskClient:
    auth = Auth(app.test_client())
    auth.login_as(role)
    return auth.client


def test_a_tracking_image_in_a_customer_story_loads_nowhere(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    app.config["IMAGE_HOSTS"] = ("tracker.example",)  # not even from an allowed host
    share(client, body=TRACKING_BODY)
    [submission] = submissions(app)
    moderator = manager(app).client
    pages = {
        "queue": moderator.get("/moderation/"),
        "review": moderator.get(f"/moderation/{submission.id}"),
        "pending story": moderator.get(f"/stories/{submission.story_id}"),
    }
    assert "x (image: tracker.example)" in pages["pending story"].get_data(as_text=True)
    assert approve(app, submission.id).status_code == 302
    stakeholder = reader(app)
    pages["published story"] = stakeholder.get(f"/stories/{submission.story_id}")
    pages["search"] = stakeholder.get("/search?q=zebrafinch")
    pages["story list"] = stakeholder.get("/stories/")
    assert "Zebrafinch" in pages["search"].get_data(as_text=True)
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert external_images(response.get_data(as_text=True)) == [], name
    page = pages["published story"].get_data(as_text=True)
    assert f'href="{TRACKER.replace("&", "&amp;")}"' in page  # still reachable as a link
    with app.app_context():
        assert "<img" not in db.session.get(Story, submission.story_id).body_html


def test_a_customer_writing_in_dutch_gets_a_dutch_label(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    share(client, language="nl", body=f"Fijn geholpen. ![taart]({TRACKER})")
    [submission] = submissions(app)
    with app.app_context():
        assert (
            "taart (afbeelding: tracker.example)"
            in db.session.get(Story, submission.story_id).body_html
        )


def test_the_csp_allows_no_image_source_but_the_portal_and_configured_hosts(
    tmp_path: Path, migrated_db: Any, client: FlaskClient
) -> None:
    sources = img_src_of(client.get("/auth/login"))
    assert "https:" not in sources and "http:" not in sources and "*" not in sources
    assert sources == ["'self'", "data:"]
    instance = tmp_path / "hosts"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    configured = make_app(instance, IMAGE_HOSTS="cdn.example.nl,Photos.Example.com")
    assert img_src_of(configured.test_client().get("/auth/login")) == [
        "'self'",
        "data:",
        "https://cdn.example.nl",
        "https://photos.example.com",
    ]


def story_form(body: str) -> dict[str, str]:
    return {
        "title": "Een taart",
        "body": body,
        "channel": "phone",
        "language": "en",
        "team_id": "",
        "action": "publish",
    }


def test_an_agent_story_shows_images_only_from_configured_hosts(
    app: Flask, users: dict[Role, int]
) -> None:
    app.config["IMAGE_HOSTS"] = ("cdn.example.nl",)
    agent = reader(app, Role.AGENT)
    body = "![cake](https://cdn.example.nl/cake.png) and ![pixel](https://tracker.example/p.png)"
    response = post_form(agent, "/stories/new", story_form(body))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = agent.get(response.headers["Location"]).get_data(as_text=True)
    assert external_images(page) == ["https://cdn.example.nl/cake.png"]
    assert "pixel (image: tracker.example)" in page
    # The live preview shows exactly what was stored.
    preview = post_form(agent, "/stories/preview", {"body": body}, token_from="/stories/new")
    with app.app_context():
        [story] = [s for s in db.session.query(Story).all() if s.title == "Een taart"]
        assert preview.get_json()["html"] == story.body_html


def test_without_configured_hosts_an_agents_external_image_is_a_link(
    app: Flask, users: dict[Role, int]
) -> None:
    agent = reader(app, Role.AGENT)
    body = "![cake](https://cdn.example.nl/cake.png) ![logo](/static/img/logo.svg)"
    preview = post_form(agent, "/stories/preview", {"body": body}, token_from="/stories/new")
    html = preview.get_json()["html"]
    assert external_images(html) == []
    assert '<img alt="logo" src="/static/img/logo.svg">' in html
    assert "cake (image: cdn.example.nl)" in html


@pytest.mark.parametrize("hosts", [(), ("cdn.example.nl",)])
def test_stories_stored_before_the_rule_are_brought_in_line(
    app: Flask, client: FlaskClient, users: dict[Role, int], hosts: tuple[str, ...]
) -> None:
    share(client, body=f"Zebrafinch ![x]({TRACKER}) ![y](https://cdn.example.nl/y.png)")
    [submission] = submissions(app)
    old_html = render_markdown(f"Zebrafinch ![x]({TRACKER})", image_hosts={"tracker.example"})
    app.config["IMAGE_HOSTS"] = hosts
    with app.app_context():
        customer_story = db.session.get(Story, submission.story_id)
        customer_story.body_html = old_html  # as saved by an older version
        agent_story = Story(
            title="Oud",
            body="Old ![y](https://cdn.example.nl/y.png) ![x](" + TRACKER + ")",
            body_html='<p>Old <img src="https://cdn.example.nl/y.png" alt="y"> '
            f'<img src="{TRACKER}" alt="x"></p>',
            channel=customer_story.channel,
            language=customer_story.language,
            author_kind=customer_story.author_kind.AGENT,
            status=customer_story.status,
        )
        db.session.add(agent_story)
        db.session.commit()
        report = rerender_stored_bodies()
        db.session.commit()
        assert (report.stories, report.skipped) == (2, 0)
        assert external_images(db.session.get(Story, submission.story_id).body_html) == []
        assert external_images(db.session.get(Story, agent_story.id).body_html) == (
            ["https://cdn.example.nl/y.png"] if hosts else []
        )
        assert rerender_stored_bodies().stories == 0  # nothing left to change


def test_the_rerender_command_reports_what_it_changed(
    app: Flask, client: FlaskClient, users: dict[Role, int]
) -> None:
    from storyboard.customers.cli import rerender_stories_command

    share(client, body=f"Zebrafinch ![x]({TRACKER})")
    [submission] = submissions(app)
    with app.app_context():
        db.session.get(Story, submission.story_id).body_html = f'<img src="{TRACKER}">'
        db.session.commit()
    result = app.test_cli_runner().invoke(rerender_stories_command)
    assert result.exit_code == 0, result.output
    assert re.search(r"\b1 story\b", result.output), result.output
    with app.app_context():
        assert external_images(db.session.get(Story, submission.story_id).body_html) == []
