"""Digest pages: the running week, any week, the archive, a team's digest."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from storyboard import page_cache
from storyboard.access import public, roles_required
from storyboard.db import db, utcnow
from storyboard.digest import feeds, sending
from storyboard.digest.builder import archive_weeks, build_digest, first_week_with_data
from storyboard.extensions import csrf
from storyboard.labels import channel_names
from storyboard.models import Role, Team
from storyboard.reach import service as reach
from storyboard.weeks import IsoWeek, app_timezone, running_week

bp = Blueprint("digest", __name__, url_prefix="/digest")

READERS = sending.READER_ROLES


def _team_from_args() -> tuple[Team | None, bool]:
    """The team asked for with ``?team=slug``; (None, True) when the slug is unknown."""
    slug = (request.args.get("team") or "").strip()
    if not slug:
        return None, False
    team = db.session.scalar(select(Team).where(Team.slug == slug[:80]))
    return team, team is None


@bp.get("/")
@roles_required(*READERS)
def latest() -> WerkzeugResponse:
    """The running week, so far (the e-mail still brings the last complete week)."""
    args: dict[str, Any] = {key: value for key, value in request.args.items() if key == "team"}
    return redirect(url_for("digest.week", week=str(running_week()), **args))


@bp.get("/<week>")
@roles_required(*READERS)
def week(week: str) -> tuple[str, int]:
    try:
        wanted = IsoWeek.parse(week)
    except ValueError:
        return render_template(
            "digest/not_found.html",
            asked=week[:40],
            reason=_("“%(week)s” is not a week. Weeks are written like 2026-W47.", week=week[:40]),
        ), 404
    now = utcnow()
    current = running_week(now)
    if wanted.key > current.key:
        return render_template(
            "digest/not_found.html",
            asked=str(wanted),
            reason=_("Week %(week)s has not started yet.", week=str(wanted)),
        ), 404
    team, unknown_team = _team_from_args()
    digest = build_digest(wanted, team, now=now)
    # Managers see whether the people who decide opened what was featured.
    stakeholder_reads = (
        reach.stakeholder_reads_in_week(
            (feature.story_id for feature in digest.featured), wanted, app_timezone()
        )
        if current_user.role is Role.MANAGER
        else None
    )
    return render_template(
        "digest/week.html",
        digest=digest,
        unknown_team=unknown_team,
        stakeholder_reads=stakeholder_reads,
        unread_ids=[
            story_id for story_id, count in (stakeholder_reads or {}).items() if count == 0
        ],
        previous=wanted.previous(),
        next=wanted.next() if wanted.next().key <= current.key else None,
        teams=page_cache.teams(),
        channels=channel_names(),
    ), 200


@bp.get("/archive")
@roles_required(*READERS)
def archive() -> str:
    """Every week from the running one back to the first answer or story, by year."""
    current = running_week()
    return render_template(
        "digest/archive.html", running=current, years=archive_weeks(first_week_with_data(), current)
    )


# -- unsubscribing (public: the link in the e-mail must work without signing in) ----------
@bp.get("/unsubscribe/<token>")
@public
def unsubscribe(token: str) -> tuple[str, int]:
    """A page that asks first: a GET must not change anything (link scanners follow
    every link in a mail)."""
    user = sending.user_for_unsubscribe_token(token[:200])
    if user is None:
        return render_template("digest/unsubscribe.html", user=None), 404
    return render_template("digest/unsubscribe.html", user=user, token=token, done=False), 200


@bp.post("/unsubscribe/<token>")
@public
@csrf.exempt
def unsubscribe_post(token: str) -> tuple[str, int]:
    """RFC 8058 one-click unsubscribe: mail clients POST here without a CSRF token (they
    cannot have one). Exempting this one view is safe: the signed token in the address
    is the proof, and all it can do is turn the digest off."""
    user = sending.user_for_unsubscribe_token(token[:200])
    if user is None:
        return render_template("digest/unsubscribe.html", user=None), 404
    sending.unsubscribe(user)
    db.session.commit()
    return render_template("digest/unsubscribe.html", user=user, done=True), 200


# -- the Atom feed (public: feed readers cannot sign in; the secret address is the key) ---
@bp.get("/feed/<token>.atom")
@public
def feed(token: str) -> Response:
    user = feeds.user_for_feed_token(token)
    if user is None:
        abort(404)
    body = feeds.render_feed(user, feeds.feed_url(token))
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "private, max-age=900"
    return response
