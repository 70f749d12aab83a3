"""Access control: every endpoint declares a rule, and every route × role answers as the
table below says. The table is the specification; a new route without a row fails
``test_matrix_covers_every_route_and_method``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storyboard.access import PUBLIC, access_rule, public, roles_required
from storyboard.db import db
from storyboard.models import Role, Story
from storyboard.weeks import IsoWeek
from tests.conftest import Auth, csrf_token, make_app
from tests.pages import ANON, EMAIL_OF, WHO, MatrixRow, seed_world

LOGIN = "→login"  # 302 to /auth/login?next=<the asked path>
# Allowed requests whose point is to land on the sign-in page.
SIGNING_OUT = {"/auth/logout", "/profile/sessions/end"}

STORY_FORM = {
    "title": "A present for today",
    "body": "The customer asked **where**.",
    "channel": "phone",
    "language": "en",
    "team_id": "",
    "action": "publish",
}
USER_FORM = {
    "email": "new.person@example.nl",
    "display_name": "New Person",
    "role": "agent",
    "team_id": "",
    "active": "y",
    "password": "long enough password",
}
WEBHOOK_FORM = {
    "url": "https://crm.example.nl/hooks/storyboard",
    "secret": "",
    "events": "story.published",
    "active": "y",
}
THEME_FORM = {"name_nl": "Zorg", "name_en": "Care"}
TOKEN_FORM = {"name": "Survey platform", "scopes": "read", "expires": "90"}
BAD_LOGIN = {"email": "nobody@example.nl", "password": "wrong"}
SHARE_FORM = {"recipients": "stakeholder@example.nl", "note": "Read this one"}
FEATURE_FORM = {
    "team_id": "",
    "kind": "praise",
    "note": "One father, not a 99% score",
    "week": str(IsoWeek.current("Europe/Amsterdam")),
}
NEW_CHANNEL_FORM = {"name_nl": "Videobellen", "name_en": "Video call", "aliases": "Teams, Zoom"}
CHANNEL_FORM = {"name_nl": "Winkel", "name_en": "Store", "aliases": "Balie\nFiliaal"}
EDIT_USER_FORM = {
    "email": "stakeholder@example.nl",
    "display_name": "Renamed Stakeholder",
    "role": "stakeholder",
    "team_id": "",
    "active": "y",
    "password": "",
}

# Placeholders in paths: {story} published by the author, {draft} the author's draft,
# {user} the stakeholder, {team} Retail, {theme} a seeded theme, {feature} the published
# story featured for Retail, {channel} the store channel.
# fmt: off
MATRIX: list[MatrixRow] = [
    # Columns: anonymous, the author of the stories, another agent, manager,
    # stakeholder, admin. LOGIN = 302 to /auth/login?next=<path>.
    # method path                          form data          anon   aut  agt  mgr  stk  adm
    ("GET",  "/static/css/storyboard.css", None,             (200,   200, 200, 200, 200, 200)),
    # The load balancer's probe: public, and it says nothing but "ok" or what is down.
    ("GET",  "/healthz",                   None,             (200,   200, 200, 200, 200, 200)),
    ("GET",  "/auth/login",                None,             (200,   302, 302, 302, 302, 302)),
    ("GET",  "/login",                     None,             (302,   302, 302, 302, 302, 302)),
    # A forgotten password: the same answer for everyone; a link that does not work is gone.
    ("GET",  "/auth/forgot",               None,             (200,   200, 200, 200, 200, 200)),
    ("POST", "/auth/forgot",               {"email": "nobody@example.nl"}, (200, 200, 200, 200, 200, 200)),
    ("GET",  "/auth/reset/not-a-token",    None,             (410,   410, 410, 410, 410, 410)),
    ("POST", "/auth/reset/not-a-token",    {},               (410,   410, 410, 410, 410, 410)),
    ("GET",  "/auth/welcome/not-a-token",  None,             (410,   410, 410, 410, 410, 410)),
    ("POST", "/auth/welcome/not-a-token",  {},               (410,   410, 410, 410, 410, 410)),
    ("GET",  "/signin",                    None,             (302,   302, 302, 302, 302, 302)),
    ("POST", "/auth/login",                BAD_LOGIN,        (200,   302, 302, 302, 302, 302)),
    ("POST", "/auth/logout",               {},               (302,   302, 302, 302, 302, 302)),
    # The footer's language switch works for everyone, signed in or not.
    ("POST", "/language",                  {"locale": "en"}, (302,   302, 302, 302, 302, 302)),
    ("GET",  "/",                          None,             (LOGIN, 302, 302, 302, 302, 302)),
    ("GET",  "/stories/",                  None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/stories/mine",              None,             (LOGIN, 200, 200, 200, 403, 403)),
    ("GET",  "/stories/{story}",           None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/stories/{draft}",           None,             (LOGIN, 200, 404, 200, 404, 404)),
    ("GET",  "/stories/new",               None,             (LOGIN, 200, 200, 200, 403, 403)),
    ("POST", "/stories/new",               STORY_FORM,       (LOGIN, 302, 302, 302, 403, 403)),
    ("GET",  "/stories/{story}/edit",      None,             (LOGIN, 200, 403, 200, 403, 403)),
    ("POST", "/stories/{story}/edit",      STORY_FORM,       (LOGIN, 302, 403, 302, 403, 403)),
    ("GET",  "/stories/{draft}/edit",      None,             (LOGIN, 200, 404, 200, 403, 403)),
    ("POST", "/stories/{story}/unpublish", {},               (LOGIN, 302, 403, 302, 403, 403)),
    # An agent deletes only their own drafts; a published story needs a manager.
    ("POST", "/stories/{story}/delete",    {},               (LOGIN, 403, 403, 302, 403, 403)),
    # Someone else's draft, like a story deleted a moment ago: a calm redirect, no hint.
    ("POST", "/stories/{draft}/delete",    {},               (LOGIN, 302, 303, 302, 403, 403)),
    ("POST", "/stories/preview",           {"body": "*hi*"}, (LOGIN, 200, 200, 200, 403, 403)),
    # Managers feature and withdraw; stakeholders view the featuring page read-only.
    ("POST", "/stories/{story}/feature",   FEATURE_FORM,     (LOGIN, 403, 403, 302, 403, 403)),
    ("POST", "/stories/{draft}/feature",   FEATURE_FORM,     (LOGIN, 403, 403, 400, 403, 403)),
    ("GET",  "/features",                  None,             (LOGIN, 403, 403, 200, 200, 403)),
    ("POST", "/features/{feature}/withdraw", {},             (LOGIN, 403, 403, 302, 403, 403)),
    ("GET",  "/search",                    None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/search?q=present",          None,             (LOGIN, 200, 200, 200, 200, 200)),
    # The dashboard: stakeholders' and managers' landing page ("/" sends them there).
    ("GET",  "/dashboard/",                None,             (LOGIN, 403, 403, 200, 200, 200)),
    ("GET",  "/dashboard/?team=retail&channel=fax&period=9", None, (LOGIN, 403, 403, 200, 200, 200)),
    ("GET",  "/dashboard/how-we-count",    None,             (LOGIN, 403, 403, 200, 200, 200)),
    # The weekly digest: for managers, stakeholders and admins (agents read stories).
    ("GET",  "/digest/",                   None,             (LOGIN, 403, 403, 302, 302, 302)),
    ("GET",  "/digest/2026-W40",           None,             (LOGIN, 403, 403, 200, 200, 200)),
    ("GET",  "/digest/2026-W99",           None,             (LOGIN, 403, 403, 404, 404, 404)),
    ("GET",  "/digest/archive",            None,             (LOGIN, 403, 403, 200, 200, 200)),
    # Public, but only with a valid signed token / feed secret (tests/digest).
    ("GET",  "/digest/unsubscribe/forged", None,             (404,   404, 404, 404, 404, 404)),
    ("POST", "/digest/unsubscribe/forged", {},               (404,   404, 404, 404, 404, 404)),
    ("GET",  "/digest/feed/nope.atom",     None,             (404,   404, 404, 404, 404, 404)),
    # Customers share without an account; the status page needs the private token.
    ("GET",  "/share/",                    None,             (200,   200, 200, 200, 200, 200)),
    ("POST", "/share/",                    {"title": ""},    (400,   400, 400, 400, 400, 400)),
    ("GET",  "/share/status/forged",       None,             (404,   404, 404, 404, 404, 404)),
    ("POST", "/share/status/forged/withdraw", {},            (404,   404, 404, 404, 404, 404)),
    # "E-mail me this link": the same answer for any link (here: no mail server, 400).
    ("POST", "/share/status/forged/email", {"email": "a@example.nl"}, (400, 400, 400, 400, 400, 400)),
    # The organisation's colours and logo for the public pages (no logo configured: 404).
    ("GET",  "/brand/colours.css",         None,             (200,   200, 200, 200, 200, 200)),
    ("GET",  "/brand/logo",                None,             (404,   404, 404, 404, 404, 404)),
    # Moderation is a manager's job.
    ("GET",  "/moderation/",               None,             (LOGIN, 403, 403, 200, 403, 403)),
    ("GET",  "/moderation/99999",          None,             (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/99999",          {},               (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/99999/reject",   {"reason": "x"},  (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/99999/erase",    {},               (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/99999/named/1",  {},               (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/99999/named/1/unlink", {},         (LOGIN, 403, 403, 404, 403, 403)),
    # From a customer's story page; an agent's story names nobody (404 for managers).
    ("POST", "/moderation/stories/{story}/named/1", {},      (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/moderation/stories/{story}/named/1/unlink", {}, (LOGIN, 403, 403, 404, 403, 403)),
    # Kudos: any colleague for a published story that is not their own (the author gets
    # a message instead); a draft is invisible (404) to all but its author and managers.
    ("POST", "/stories/{story}/kudos",     {},               (LOGIN, 302, 302, 302, 302, 302)),
    # Sharing: the author and managers; another agent is not told the page exists.
    ("GET",  "/stories/{story}/share",     None,             (LOGIN, 200, 404, 200, 403, 403)),
    ("POST", "/stories/{story}/share",     SHARE_FORM,       (LOGIN, 302, 404, 302, 403, 403)),
    ("GET",  "/r/not-a-signed-link",       None,             (LOGIN, 400, 400, 400, 400, 400)),
    ("POST", "/stories/{story}/kudos/remove", {},            (LOGIN, 302, 302, 302, 302, 302)),
    ("POST", "/stories/{draft}/kudos",     {},               (LOGIN, 302, 404, 302, 404, 404)),
    ("GET",  "/notifications",             None,             (LOGIN, 200, 200, 200, 200, 200)),
    # Colleague and team pages: for every signed-in colleague.
    ("GET",  "/people/{user}",             None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/teams/retail",              None,             (LOGIN, 200, 200, 200, 200, 200)),
    # Learning moments: raised by the story's author or a manager, moved on by managers.
    ("GET",  "/lessons",                   None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/lessons?status=x&team=%00", None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/stories/{story}/lesson",    {"proposal": "Change the refund rule"}, (LOGIN, 302, 403, 302, 403, 403)),
    ("POST", "/lessons/99999/status",      {"status": "open"}, (LOGIN, 404, 404, 404, 404, 404)),
    ("POST", "/stories/{story}/comments",  {"body": "Well done"}, (LOGIN, 302, 302, 302, 302, 302)),
    ("POST", "/stories/{draft}/comments",  {"body": "Hi"},   (LOGIN, 302, 404, 302, 404, 404)),
    ("POST", "/comments/99999/edit",       {"body": "x"},    (LOGIN, 404, 404, 404, 404, 404)),
    ("POST", "/comments/99999/delete",     {},               (LOGIN, 404, 404, 404, 404, 404)),
    # Everyone's own profile; the digest settings are for digest readers.
    ("GET",  "/profile/",                  None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("GET",  "/profile/password",          None,             (LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/profile/password",          {},               (LOGIN, 400, 400, 400, 400, 400)),
    ("POST", "/profile/digest",            {"subscribed": "y"}, (LOGIN, 403, 403, 302, 302, 302)),
    ("POST", "/profile/emails",            {"kudos": "y"},   (LOGIN, 302, 302, 302, 302, 302)),
    ("POST", "/profile/feed",              {},               (LOGIN, 403, 403, 200, 200, 200)),
    ("POST", "/profile/feed/revoke",       {},               (LOGIN, 403, 403, 302, 302, 302)),
    ("POST", "/profile/sessions/end",      {},               (LOGIN, 302, 302, 302, 302, 302)),
    ("GET",  "/nps/import",                None,             (LOGIN, 403, 403, 200, 403, 200)),
    # Without a file the upload form is refused (400); the upload itself: tests/nps.
    ("POST", "/nps/import",                {},               (LOGIN, 403, 403, 400, 403, 400)),
    # The refused rows of one's own upload only (tests/nps); an unknown list is a 404.
    ("GET",  "/nps/import/reports/nope.csv", None,           (LOGIN, 403, 403, 404, 403, 404)),
    # Survey comments: managers and admins read them; only managers turn them into stories.
    ("GET",  "/nps/answers",               None,             (LOGIN, 403, 403, 200, 403, 200)),
    ("GET",  "/nps/answers?kind=x&page=-1", None,            (LOGIN, 403, 403, 200, 403, 200)),
    ("POST", "/nps/answers/{answer}/story", {},              (LOGIN, 403, 403, 302, 403, 403)),
    ("POST", "/nps/answers/99999/story",   {},               (LOGIN, 403, 403, 404, 403, 403)),
    ("POST", "/nps/stories/{story}/answer", {"answer": "1"},   (LOGIN, 403, 403, 302, 403, 403)),
    ("POST", "/nps/stories/{draft}/answer", {"unlink": "1"}, (LOGIN, 403, 403, 302, 403, 403)),
    ("GET",  "/admin/",                    None,             (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/users",               None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/users/new",           None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/users/new",           USER_FORM,        (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/users/{user}/edit",   None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/users/{user}/edit",   EDIT_USER_FORM,   (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/teams",               None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/teams/new",           None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/teams/new",           {"name": "Web"},  (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/teams/{team}/edit",   None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/teams/{team}/edit",   {"name": "Shop"}, (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/themes",              None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/audit",               None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/audit?action=%25&actor=_&page=0", None, (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/themes/new",          None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/themes/new",          THEME_FORM,       (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/themes/{theme}/edit", None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/themes/{theme}/edit", THEME_FORM,       (LOGIN, 403, 403, 403, 403, 302)),
    # The organisation's channels: named, given other names, no longer offered, again.
    ("GET",  "/admin/channels",            None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/channels/new",        None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/channels/new",        NEW_CHANNEL_FORM, (LOGIN, 403, 403, 403, 403, 302)),
    ("GET",  "/admin/channels/{channel}/edit", None,         (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/channels/{channel}/edit", CHANNEL_FORM, (LOGIN, 403, 403, 403, 403, 302)),
    ("POST", "/admin/channels/{channel}/deactivate", {},     (LOGIN, 403, 403, 403, 403, 302)),
    ("POST", "/admin/channels/{channel}/activate", {},       (LOGIN, 403, 403, 403, 403, 302)),
    # Every user's API tokens, and the webhooks with their delivery log: admins only.
    ("GET",  "/admin/tokens",              None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/webhooks",            None,             (LOGIN, 403, 403, 403, 403, 200)),
    # The search index's state and the advice to move a large archive: admins only.
    ("GET",  "/admin/search",              None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("GET",  "/admin/webhooks/new",        None,             (LOGIN, 403, 403, 403, 403, 200)),
    ("POST", "/admin/webhooks/new",        WEBHOOK_FORM,     (LOGIN, 403, 403, 403, 403, 201)),
    ("GET",  "/admin/webhooks/999999/edit", None,            (LOGIN, 403, 403, 403, 403, 404)),
    ("POST", "/admin/webhooks/999999/edit", WEBHOOK_FORM,    (LOGIN, 403, 403, 403, 403, 404)),
    ("POST", "/admin/webhooks/999999/delete", {},            (LOGIN, 403, 403, 403, 403, 404)),
    ("POST", "/admin/webhooks/deliveries/999999/retry", {},  (LOGIN, 403, 403, 403, 403, 404)),
    # Everyone makes API tokens for their own account, within their role's permissions.
    ("POST", "/profile/tokens",            TOKEN_FORM,       (LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/profile/tokens/999999/revoke", {},            (LOGIN, 404, 404, 404, 404, 404)),
    # The API: its description is open; every other route wants a bearer token, and a
    # signed-in browser session (cookie) is not one.
    ("GET",  "/api/v1/",                   None,             (200,   200, 200, 200, 200, 200)),
    ("GET",  "/api/v1/openapi.json",       None,             (200,   200, 200, 200, 200, 200)),
    ("GET",  "/api/v1/stories",            None,             (401,   401, 401, 401, 401, 401)),
    ("POST", "/api/v1/stories",            STORY_FORM,       (401,   401, 401, 401, 401, 401)),
    ("GET",  "/api/v1/stories/{story}",    None,             (401,   401, 401, 401, 401, 401)),
    ("POST", "/api/v1/nps-responses",      {},               (401,   401, 401, 401, 401, 401)),
    ("GET",  "/api/v1/nps",                None,             (401,   401, 401, 401, 401, 401)),
    ("GET",  "/api/v1/digest/2026-W40",    None,             (401,   401, 401, 401, 401, 401)),
]
# fmt: on


@dataclass(frozen=True)
class World:
    """The template database of the matrix and the ids its paths refer to."""

    database: Path
    ids: dict[str, int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> World:
    """The world of ``tests/pages.py`` (users, a team, two stories, a feature, an
    answer), made once; each test gets a copy of the file."""
    instance = tmp_path_factory.mktemp("matrix")
    shutil.copy(migrated_db, instance / "storyboard.db")
    app = make_app(instance)
    with app.app_context():
        ids = seed_world()
        db.engine.dispose()
    return World(instance / "storyboard.db", ids)


@pytest.fixture
def matrix_app(tmp_path: Path, world: World) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    instance.mkdir()
    # sqlite3's backup, not a file copy: the template runs in WAL mode, and a plain copy
    # could miss commits still waiting in its -wal file.
    with (
        closing(sqlite3.connect(world.database)) as source,
        closing(sqlite3.connect(instance / "storyboard.db")) as target,
    ):
        source.backup(target)
    app = make_app(instance)
    yield app
    with app.app_context():
        db.engine.dispose()


def _signed_in_client(app: Flask, who: str) -> FlaskClient:
    client = app.test_client()
    if who != ANON:
        response = Auth(client).login(EMAIL_OF[who])
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _cases() -> Iterator[Any]:
    for method, path, data, expected in MATRIX:
        assert len(expected) == len(WHO), f"row {method} {path} needs {len(WHO)} columns"
        for who, status in zip(WHO, expected, strict=True):
            yield pytest.param(method, path, data, who, status, id=f"{method} {path} as {who}")


@pytest.mark.parametrize(("method", "path", "data", "who", "expected"), list(_cases()))
def test_route_answers_each_role_as_the_matrix_says(
    matrix_app: Flask,
    world: World,
    method: str,
    path: str,
    data: dict[str, str] | None,
    who: str,
    expected: object,
) -> None:
    client = _signed_in_client(matrix_app, who)
    url = path.format(**world.ids)
    if method == "GET":
        response = client.get(url)
    else:
        # A browser sends the CSRF token of its own session; any page carries it.
        token = csrf_token(client, "/auth/login" if who == ANON else "/stories/")
        response = client.post(url, data={**(data or {}), "csrf_token": token})
    response.close()  # static files are streamed from an open file

    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/auth/login"
        assert parse_qs(location.query)["next"] == [url]
        return
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if expected == 302 and who != ANON and path not in SIGNING_OUT:
        # An allowed request is never bounced to the sign-in page.
        assert not response.headers["Location"].startswith("/auth/login")


def test_every_endpoint_declares_an_access_rule(app: Flask) -> None:
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_rule(rule.endpoint, app) is None
    ]
    assert missing == []


def test_only_these_endpoints_are_public(app: Flask) -> None:
    public_endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_rule(rule.endpoint, app) == PUBLIC
    }
    # The digest's unsubscribe link and feed carry their own signed or secret token; the
    # customer's form is for everyone, their status page needs its secret token; the API's
    # description is open (its routes check bearer tokens, see TokenRule).
    assert public_endpoints == {
        "static",
        "auth.login",
        "auth.logout",
        "auth_shortcuts.login_shortcut",  # /login and /signin lead to the sign-in page
        "auth.forgot",  # a link by e-mail; the same answer for any address
        "auth.reset",  # behind a signed, single-use link
        "auth.welcome",  # a new colleague's invitation link
        "ops.healthz",
        "digest.unsubscribe",
        "digest.unsubscribe_post",
        "digest.feed",
        "share.form",
        "share.status",
        "share.withdraw",
        "share.email_link",  # the same answer whether the link exists or not; rate-limited
        "brand.colours",  # the organisation's colours and logo, for the public pages
        "brand.logo",
        "i18n.switch",
        "api_docs.openapi",
        "api_docs.docs",
    }


def test_admin_endpoints_are_for_admins_only(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            assert access_rule(rule.endpoint, app) == frozenset({Role.ADMIN}), rule.endpoint


def test_matrix_covers_every_route_and_method(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    ids = {
        "story": 1,
        "draft": 2,
        "user": 1,
        "team": 1,
        "theme": 1,
        "feature": 1,
        "answer": 1,
        "channel": 1,
    }
    covered = set()
    for method, path, _data, _expected in MATRIX:
        url = urlsplit(path.format(**ids)).path
        rule, _args = adapter.match(url, method=method, return_rule=True)
        covered.add((rule.rule, method))
    wanted = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods or ())
        if method in {"GET", "POST"}
    }
    assert wanted - covered == set()


def test_endpoint_without_a_rule_is_refused_even_to_admins(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    auth.login_as(Role.ADMIN)
    response = auth.client.get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_declared_rules_apply_to_new_views(app: Flask, auth: Auth, users: dict[Role, int]) -> None:
    app.add_url_rule("/open", "open", public(lambda: "open to all"))
    app.add_url_rule("/managers", "managers", roles_required(Role.MANAGER)(lambda: "managers"))
    client = auth.client
    assert client.get("/open").status_code == 200
    auth.login_as(Role.AGENT)
    assert client.get("/managers").status_code == 403
    auth.logout()
    auth.login_as(Role.MANAGER)
    assert client.get("/managers").get_data(as_text=True) == "managers"


def test_unknown_address_answers_404_not_a_sign_in_redirect(client: FlaskClient) -> None:
    assert client.get("/no/such/page").status_code == 404


def test_anonymous_post_without_csrf_token_is_refused_before_anything_runs(
    matrix_app: Flask, world: World
) -> None:
    client = matrix_app.test_client()
    response = client.post(f"/stories/{world.ids['story']}/delete")
    assert response.status_code == 400
    with matrix_app.app_context():
        assert db.session.get(Story, world.ids["story"]) is not None
