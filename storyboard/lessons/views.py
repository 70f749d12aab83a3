"""Raising learning moments, moving them along, and the Lessons page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard import page_cache
from storyboard.access import signed_in
from storyboard.db import db, unit_of_work
from storyboard.labels import LESSON_STATUS_LABELS
from storyboard.lessons import service
from storyboard.lessons.forms import MoveForm, RaiseForm
from storyboard.models import Lesson, LessonStatus, Role, User
from storyboard.stories.page import visible_story_or_404
from storyboard.stories.service import can_view

bp = Blueprint("lessons", __name__)

STATUS_LABELS = LESSON_STATUS_LABELS


@bp.post("/stories/<int(max=2147483647):story_id>/lesson")
@signed_in
def raise_lesson(story_id: int) -> Response:
    story = visible_story_or_404(story_id)
    form = RaiseForm()
    if not form.validate_on_submit():
        abort(400)
    owner = None
    if form.owner_id.data:
        try:
            owner = db.session.get(User, int(form.owner_id.data))
        except (TypeError, ValueError, OverflowError):
            owner = None
        if owner is None or owner.role is not Role.MANAGER:
            flash(_("Choose a manager to take it up."), "error")
            return redirect(url_for("stories.show", story_id=story_id) + "#lesson")
    if not service.can_raise(current_user, story):
        abort(403)
    try:
        with unit_of_work():
            service.raise_lesson(story, current_user, form.proposal.data or "", owner)
    except service.LessonError as error:
        flash(str(error), "error")
    except IntegrityError:  # raised twice at once: the first one stands
        pass
    return redirect(url_for("stories.show", story_id=story_id) + "#lesson")


@bp.post("/lessons/<int(max=2147483647):lesson_id>/status")
@signed_in
def move(lesson_id: int) -> Response:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not can_view(current_user, lesson.story):
        abort(404)
    if current_user.role is not Role.MANAGER:
        abort(403)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            target = LessonStatus(form.status.data)
            service.move(lesson, target, current_user, form.note.data or "")
    except ValueError as error:  # LessonError, or a status that does not exist
        flash(
            str(error)
            if isinstance(error, service.LessonError)
            else _("That status does not exist."),
            "error",
        )
    else:
        flash(_("The learning moment is now: %(status)s.", status=STATUS_LABELS[target]), "success")
    return redirect(url_for("stories.show", story_id=lesson.story_id) + "#lesson")


@bp.get("/lessons")
@signed_in
def index() -> str:
    try:
        status = LessonStatus(request.args.get("status") or "")
    except ValueError:
        status = None
    team = (request.args.get("team") or "").strip()[:80] or None
    lessons = service.list_lessons(service.LessonFilters(status=status, team=team))
    visible = [lesson for lesson in lessons if can_view(current_user, lesson.story)]
    return render_template(
        "lessons/index.html",
        lessons=visible,
        status=status,
        team=team,
        labels=STATUS_LABELS,
        teams=page_cache.teams(),
    )
