"""Digest pages: the last complete week, any week, the archive, a team's digest."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from storyboard.access import public, roles_required
from storyboard.db import db, utcnow
from storyboard.digest import feeds, sending
from storyboard.digest.builder import build_digest, first_week_with_data, last_complete_week
from storyboard.extensions import csrf
from storyboard.models import Team
from storyboard.stories.forms import CHANNEL_LABELS
from storyboard.weeks import IsoWeek, app_timezone

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
def latest() -> Response:
    """The last complete week (on Monday morning: the week that just ended)."""
    args = {key: value for key, value in request.args.items() if key == "team"}
    return redirect(url_for("digest.week", week=str(last_complete_week()), **args))


@bp.get("/<week>")
@roles_required(*READERS)
def week(week: str) -> tuple[str, int]:
    try:
        wanted = IsoWeek.parse(week)
    except ValueError:
        return render_template("digest/not_found.html", asked=week[:40], reason=_(
            "“%(week)s” is not a week. Weeks are written like 2026-W47.",
            week=week[:40])), 404
    current = IsoWeek.at(utcnow(), app_timezone())
    if wanted.key > current.key:
        return render_template("digest/not_found.html", asked=str(wanted), reason=_(
            "Week %(week)s has not started yet.", week=str(wanted))), 404
    team, unknown_team = _team_from_args()
    digest = build_digest(wanted, team)
    zone = app_timezone()
    return render_template(
        "digest/week.html", digest=digest, unknown_team=unknown_team,
        previous=wanted.previous(),
        next=wanted.next() if wanted.next().key <= current.key else None,
        monday=wanted.start(zone).date(), sunday=wanted.start(zone).date() + timedelta(days=6),
        teams=db.session.scalars(select(Team).order_by(Team.name)).all(),
        channels=CHANNEL_LABELS,
    ), 200


@bp.get("/archive")
@roles_required(*READERS)
def archive() -> str:
    """Every week from the first answer or story to the last complete week, by year."""
    last = last_complete_week()
    first = first_week_with_data() or last
    first = min(first, last, key=lambda w: w.key)
    years: dict[int, list[IsoWeek]] = {}
    week_ = last
    while week_.key >= first.key and sum(len(v) for v in years.values()) < 520:
        years.setdefault(week_.year, []).append(week_)
        week_ = week_.previous()
    return render_template("digest/archive.html", years=years, zone=app_timezone())


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
