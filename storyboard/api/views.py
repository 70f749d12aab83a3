"""``/api/v1``: thin views over the same services as the web pages.

Every route declares its token scope and roles (``token_required``); errors are problem
details (``problems``); the OpenAPI description (``openapi``) documents each shape.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard.access import EDITORS, READERS, public, token_required
from storyboard.api import serialize
from storyboard.api.auth import api_user, rate_limit_key
from storyboard.api.cursor import fingerprint, make_cursor, read_cursor
from storyboard.api.nps_push import BATCH_MAX, BODY_MAX_BYTES, push_answers
from storyboard.api.openapi import openapi_document
from storyboard.api.payload import Fields, int_arg, json_body, raise_if
from storyboard.api.problems import ApiProblem, from_exception
from storyboard.api.tokens import NPS_WRITERS, READ, WRITE_NPS, WRITE_STORIES
from storyboard.dashboard.service import DashboardFilters, weekly_counts
from storyboard.dashboard.views import VIEWERS
from storyboard.db import db, utcnow
from storyboard.digest.builder import build_digest
from storyboard.digest.views import READERS as DIGEST_READERS
from storyboard.extensions import limiter
from storyboard.models import Channel, Language, Story, StoryStatus, Team, Theme
from storyboard.nps.math import NO_DATA, nps_from_counts
from storyboard.rendering import MAX_MARKDOWN_CHARS, MarkdownTooComplex, MarkdownTooLong
from storyboard.search.backend import FACETS, SORTS, SearchRequest
from storyboard.search.query import clean_query_text
from storyboard.search.service import search_stories
from storyboard.stories import service as stories
from storyboard.stories.forms import TITLE_MAX
from storyboard.weeks import IsoWeek, app_timezone

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ApiProblem, from_exception)
# Counted per token across workers and hosts (the limiter's shared storage).
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)

STORY_ID = "<int(max=2147483647):story_id>"
LIMIT_DEFAULT, LIMIT_MAX = 20, 100
NPS_WEEKS_MAX = 105
THEMES_MAX = 20


# The description and its page: open to anyone, and outside the per-token limit.
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@docs_bp.get("/openapi.json")
@public
def openapi() -> Response:
    return jsonify(openapi_document())


@docs_bp.get("/")
@public
def docs() -> str:
    return render_template("api/docs.html", spec=openapi_document(),
                           spec_url=url_for("api_docs.openapi"))


def _date_arg(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10]) if len(raw) == 10 else date.fromisoformat(raw)
    except ValueError:
        raise ApiProblem(422, f"{name} must be a date like 2026-11-24.",
                         errors=[{"field": name, "message": "is not a YYYY-MM-DD date"}]) from None


@bp.get("/stories")
@token_required(READ, READERS)
def list_stories() -> Response:
    limit = int_arg("limit", LIMIT_DEFAULT, 1, LIMIT_MAX)
    query = fingerprint(request.args)
    page = read_cursor(request.args.get("cursor"), query)
    text, shortened = clean_query_text(request.args.get("q"))
    sort = request.args.get("sort") or "relevance"
    if sort not in SORTS:
        raise ApiProblem(422, f"sort must be one of: {', '.join(SORTS)}.",
                         errors=[{"field": "sort", "message": "is not a known order"}])
    date_from, date_to = _date_arg("from"), _date_arg("to")
    results = search_stories(SearchRequest(
        text=text,
        filters={name: request.args[name].strip()[:80] for name in FACETS
                 if request.args.get(name, "").strip()},
        date_from=date_from, date_to=date_to, sort=sort, page=page, per_page=limit))
    past_the_end = results.page != page
    more = not past_the_end and results.page < results.pages
    body: dict[str, Any] = {
        "items": [] if past_the_end else [serialize.story_summary(hit) for hit in results.hits],
        "total": results.total,
        "facets": {name: [{"value": value, "count": count} for value, count in values]
                   for name, values in results.facets.items()},
        "suggestion": results.suggestion,
        "notice": results.notice or ("The query was shortened." if shortened else None),
        "next_cursor": make_cursor(page + 1, query) if more else None,
    }
    return jsonify(body)


@bp.get(f"/stories/{STORY_ID}")
@token_required(READ, READERS)
def get_story(story_id: int) -> Response:
    story = db.session.get(Story, story_id)
    user = api_user()
    # Waiting and refused customer stories stay in moderation, whatever the role.
    if (story is None or story.status in (StoryStatus.PENDING, StoryStatus.REJECTED)
            or not stories.can_view(user, story)):
        raise ApiProblem(404, f"No story {story_id} that this token's user may see.")
    return jsonify(serialize.story_detail(story))


def _story_input(data: object, key: str | None) -> stories.StoryInput:
    fields = Fields(data)
    fields.only({"title", "body", "channel", "language", "team", "themes", "publish"})
    title = fields.text("title", required=True, max_length=TITLE_MAX)
    body = fields.text("body", required=True, max_length=MAX_MARKDOWN_CHARS, multiline=True)
    channel = fields.choice("channel", [c.value for c in Channel], required=True)
    language = fields.choice("language", [lang.value for lang in Language], required=True)
    team_slug = fields.text("team", max_length=80)
    theme_slugs = fields.text_list("themes", max_items=THEMES_MAX, max_length=80)
    publish = fields.boolean("publish")
    team_id = None
    if team_slug:
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team_slug))
        if team_id is None:
            fields.add("team", f"no team {team_slug!r}; use a team's slug, e.g. 'retail'")
    theme_ids: list[int] = []
    if theme_slugs:
        found = {slug: theme_id for slug, theme_id in db.session.execute(
            select(Theme.slug, Theme.id).where(Theme.slug.in_(theme_slugs)))}
        for slug in theme_slugs:
            if slug not in found:
                fields.add("themes", f"no theme {slug!r}")
        theme_ids = sorted(set(found.values()))
    raise_if(fields.problems)
    assert title and body and channel and language
    return stories.StoryInput(title=title, body=body, channel=Channel(channel),
                              language=Language(language), team_id=team_id,
                              theme_ids=tuple(theme_ids), publish=publish, submission_key=key)


def _idempotency_key() -> str | None:
    """``Idempotency-Key`` header → the story's submission key (per user, so two users'
    keys never collide)."""
    raw = request.headers.get("Idempotency-Key", "").strip()
    if not raw:
        return None
    if len(raw) > 200:
        raise ApiProblem(422, "Idempotency-Key is longer than 200 characters.")
    user = api_user()
    return hashlib.sha256(f"api:{user.id}:{raw}".encode("utf-8", "surrogatepass")).hexdigest()


def _created(story: Story, status: int) -> Response:
    response = jsonify(serialize.story_detail(story))
    response.status_code = status
    response.headers["Location"] = url_for("api.get_story", story_id=story.id)
    return response


@bp.post("/stories")
@token_required(WRITE_STORIES, EDITORS)
def create_story() -> Response:
    user = api_user()
    key = _idempotency_key()
    existing = stories.find_by_submission_key(key, user)
    if existing is not None:
        return _created(existing, 200)
    data = _story_input(json_body(), key)
    try:
        story = stories.create_story(user, data)
        db.session.commit()
    except (MarkdownTooLong, MarkdownTooComplex):
        db.session.rollback()
        raise ApiProblem(422, "The body is too long or too complex to render.",
                         errors=[{"field": "body", "message": "cannot be rendered"}]) from None
    except stories.StoryError as error:
        db.session.rollback()
        raise ApiProblem(422, str(error)) from None
    except IntegrityError:
        db.session.rollback()
        existing = stories.find_by_submission_key(key, user)
        if existing is None:
            raise
        return _created(existing, 200)  # the same key raced in twice: one story
    return _created(story, 201)


@bp.post("/nps-responses")
@token_required(WRITE_NPS, NPS_WRITERS)
def push_nps() -> Response:
    body = json_body(max_bytes=BODY_MAX_BYTES)
    items = body if isinstance(body, list) else [body]
    if not items:
        raise ApiProblem(422, "The batch is empty; send one answer or a list of them.")
    if len(items) > BATCH_MAX:
        raise ApiProblem(422, f"A batch holds at most {BATCH_MAX:,} answers; this one has "
                              f"{len(items):,}. Split it.")
    try:
        result = push_answers(items, api_user())
    except IntegrityError:
        db.session.rollback()
        raise ApiProblem(409, "Another request stored some of the same answers at the same "
                              "time. Send the batch again: what is stored now comes back "
                              "as duplicate.") from None
    return jsonify(result.as_json())


def _week_arg(name: str, default: IsoWeek) -> IsoWeek:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return IsoWeek.parse(raw[:20])
    except ValueError:
        raise ApiProblem(422, f"{name} must be an ISO week like 2026-W47.",
                         errors=[{"field": name, "message": "is not an ISO week"}]) from None


def _team_arg() -> Team | None:
    slug = (request.args.get("team") or "").strip()
    if not slug:
        return None
    team = db.session.scalar(select(Team).where(Team.slug == slug[:80]))
    if team is None:
        raise ApiProblem(422, f"No team {slug[:80]!r}; use a team's slug, e.g. 'retail'.",
                         errors=[{"field": "team", "message": "is not a team"}])
    return team


@bp.get("/nps")
@token_required(READ, VIEWERS)
def get_nps() -> Response:
    zone = app_timezone()
    current = IsoWeek.at(utcnow(), zone)
    last = _week_arg("to", current)
    first = _week_arg("from", last.plus(-3))
    if first > last:
        first, last = last, first
    if (last.start(zone) - first.start(zone)) > timedelta(weeks=NPS_WEEKS_MAX - 1):
        raise ApiProblem(422, f"Ask for at most {NPS_WEEKS_MAX} weeks at a time.")
    channel_name = (request.args.get("channel") or "").strip()
    if channel_name and channel_name not in {c.value for c in Channel}:
        raise ApiProblem(422, "channel must be one of: " + ", ".join(c.value for c in Channel),
                         errors=[{"field": "channel", "message": "is not a channel"}])
    team = _team_arg()
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(weeks[-1].plus(1))
    filters = DashboardFilters(team=team.slug if team else None,
                               channel=Channel(channel_name) if channel_name else None)
    rows = weekly_counts(weeks, filters, team, zone)
    total = NO_DATA
    for row in rows:
        total = nps_from_counts(total.promoters + row.total.promoters,
                                total.passives + row.total.passives,
                                total.detractors + row.total.detractors)
    return jsonify({
        "from": str(first), "to": str(last),
        "team": team.slug if team else None, "channel": channel_name or None,
        **serialize.nps(total),
        "weeks": [{"week": str(row.week), **serialize.nps(row.total)} for row in rows],
    })


@bp.get("/digest/<iso_week>")
@token_required(READ, DIGEST_READERS)
def get_digest(iso_week: str) -> Response:
    try:
        wanted = IsoWeek.parse(iso_week[:20])
    except ValueError:
        raise ApiProblem(404, f"{iso_week[:40]!r} is not a week; write it like 2026-W47.") \
            from None
    if wanted > IsoWeek.at(utcnow(), app_timezone()):
        raise ApiProblem(404, f"Week {wanted} has not started yet.")
    return jsonify(serialize.digest(build_digest(wanted, _team_arg())))
