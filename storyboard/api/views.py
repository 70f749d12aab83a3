"""``/api/v1``: thin views over the same services as the web pages.

Every route declares its token scope and roles (``token_required``); errors are problem
details (``problems``); the OpenAPI description (``openapi``) documents each shape.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard.access import EDITORS, NUMBERS_READERS, READERS, public, token_required
from storyboard.api import serialize
from storyboard.api.arguments import (
    channel_arg,
    date_arg,
    idempotency_key,
    int_arg,
    team_arg,
    week_arg,
)
from storyboard.api.auth import api_user, rate_limit_key
from storyboard.api.cursor import fingerprint, make_cursor, read_cursor
from storyboard.api.nps_push import BATCH_MAX, BODY_MAX_BYTES, push_answers
from storyboard.api.nps_report import nps_report
from storyboard.api.openapi import openapi_document
from storyboard.api.payload import json_body
from storyboard.api.story_input import story_input
from storyboard.api.tokens import NPS_WRITERS, READ, WRITE_NPS, WRITE_STORIES
from storyboard.db import db, unit_of_work, utcnow
from storyboard.digest.builder import build_digest
from storyboard.extensions import limiter
from storyboard.models import Story, StoryStatus, Theme
from storyboard.problems import ApiProblem, from_exception
from storyboard.reach import service as reach
from storyboard.rendering import MarkdownTooComplex, MarkdownTooLong
from storyboard.search.backend import FACETS, SORTS, SearchRequest
from storyboard.search.query import clean_query_text
from storyboard.search.service import search_stories
from storyboard.stories import service as stories
from storyboard.weeks import IsoWeek, app_timezone

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ApiProblem, from_exception)
# Counted per token across workers and hosts (the limiter's shared storage).
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)

STORY_ID = "<int(max=2147483647):story_id>"
LIMIT_DEFAULT, LIMIT_MAX = 20, 100


# The description and its page: open to anyone, and outside the per-token limit.
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@docs_bp.get("/openapi.json")
@public
def openapi() -> Response:
    return jsonify(openapi_document())


@docs_bp.get("/")
@public
def docs() -> str:
    return render_template(
        "api/docs.html", spec=openapi_document(), spec_url=url_for("api_docs.openapi")
    )


@bp.get("/stories")
@token_required(READ, READERS)
def list_stories() -> Response:
    limit = int_arg("limit", LIMIT_DEFAULT, 1, LIMIT_MAX)
    query = fingerprint(request.args)
    page = read_cursor(request.args.get("cursor"), query)
    text, shortened = clean_query_text(request.args.get("q"))
    sort = request.args.get("sort") or "relevance"
    if sort not in SORTS:
        raise ApiProblem(
            422,
            f"sort must be one of: {', '.join(SORTS)}.",
            errors=[{"field": "sort", "message": "is not a known order"}],
        )
    date_from, date_to = date_arg("from"), date_arg("to")
    results = search_stories(
        SearchRequest(
            text=text,
            filters={
                name: request.args[name].strip()[:80]
                for name in FACETS
                if request.args.get(name, "").strip()
            },
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            per_page=limit,
        )
    )
    past_the_end = results.page != page
    more = not past_the_end and results.page < results.pages
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    body: dict[str, Any] = {
        "items": []
        if past_the_end
        else [serialize.story_summary(hit, themes) for hit in results.hits],
        "total": results.total,
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in results.facets.items()
        },
        "suggestion": results.suggestion,
        "notice": results.notice or ("The query was shortened." if shortened else None),
        "timed_out": results.timed_out,
        "next_cursor": make_cursor(page + 1, query) if more else None,
    }
    return jsonify(body)


@bp.get(f"/stories/{STORY_ID}")
@token_required(READ, READERS)
def get_story(story_id: int) -> Response:
    story = db.session.get(Story, story_id)
    user = api_user()
    # Waiting and refused customer stories stay in moderation, whatever the role.
    if (
        story is None
        or story.status in (StoryStatus.PENDING, StoryStatus.REJECTED)
        or not stories.can_view(user, story)
    ):
        raise ApiProblem(404, f"No story {story_id} that this token's user may see.")
    body = serialize.story_detail(story)
    if reach.may_see_reach(user, story):
        body["reach"] = serialize.reach(reach.reach_of(story))
    return jsonify(body)


def _created(story: Story, status: int) -> Response:
    response = jsonify(serialize.story_detail(story))
    response.status_code = status
    response.headers["Location"] = url_for("api.get_story", story_id=story.id)
    return response


@bp.post("/stories")
@token_required(WRITE_STORIES, EDITORS)
def create_story() -> Response:
    user = api_user()
    key = idempotency_key()
    existing = stories.find_by_submission_key(key, user)
    if existing is not None:
        return _created(existing, 200)
    data = story_input(json_body(), key)
    try:
        with unit_of_work():
            story = stories.create_story(user, data)
    except (MarkdownTooLong, MarkdownTooComplex):
        raise ApiProblem(
            422,
            "The body is too long or too complex to render.",
            errors=[{"field": "body", "message": "cannot be rendered"}],
        ) from None
    except stories.StoryError as error:
        raise ApiProblem(422, str(error)) from None
    except IntegrityError:
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
        raise ApiProblem(
            422,
            f"A batch holds at most {BATCH_MAX:,} answers; this one has {len(items):,}. Split it.",
        )
    try:
        result = push_answers(items, api_user())
    except IntegrityError:
        db.session.rollback()
        raise ApiProblem(
            409,
            "Another request stored some of the same answers at the same "
            "time. Send the batch again: what is stored now comes back "
            "as duplicate.",
        ) from None
    return jsonify(result.as_json())


@bp.get("/nps")
@token_required(READ, NUMBERS_READERS)
def get_nps() -> Response:
    zone = app_timezone()
    last = week_arg("to", IsoWeek.at(utcnow(), zone))
    first = week_arg("from", last.plus(-3))
    return jsonify(nps_report(first, last, team_arg(), channel_arg(), zone))


@bp.get("/digest/<iso_week>")
@token_required(READ, NUMBERS_READERS)
def get_digest(iso_week: str) -> Response:
    try:
        wanted = IsoWeek.parse(iso_week[:20])
    except ValueError:
        raise ApiProblem(404, f"{iso_week[:40]!r} is not a week; write it like 2026-W47.") from None
    if wanted > IsoWeek.at(utcnow(), app_timezone()):
        raise ApiProblem(404, f"Week {wanted} has not started yet.")
    return jsonify(serialize.digest(build_digest(wanted, team_arg())))
