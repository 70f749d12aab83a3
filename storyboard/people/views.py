"""A page per colleague and per team."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from storyboard.access import signed_in
from storyboard.db import db
from storyboard.models import Role, Team, User
from storyboard.people import service

bp = Blueprint("people", __name__)


@bp.get("/people/<int(max=2147483647):user_id>")
@signed_in
def person(user_id: int) -> str:
    person = db.session.get(User, user_id)
    if person is None or not person.active:
        abort(404)
    return render_template(
        "people/person.html",
        person=person,
        page=service.person_page(person),
        named_in=service.named_in(person),
        show_trend=current_user.role is Role.MANAGER,
    )


@bp.get("/teams/<slug>")
@signed_in
def team(slug: str) -> str:
    team = db.session.scalar(select(Team).where(Team.slug == slug[:80]))
    if team is None:
        abort(404)
    members = service.team_members(team)
    return render_template(
        "people/team.html",
        team=team,
        page=service.team_page(team),
        members=members,
        counts=service.story_counts([m.id for m in members]),
        show_trend=current_user.role is Role.MANAGER,
    )
