"""Giving and taking back kudos; the notifications page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard.access import signed_in
from storyboard.db import db, unit_of_work
from storyboard.forms import CsrfOnlyForm
from storyboard.models import Comment
from storyboard.reach.service import reach_note_count
from storyboard.reach.sharing import shares_for
from storyboard.recognition import comments, service
from storyboard.recognition.forms import CommentForm
from storyboard.rendering import MarkdownTooComplex, MarkdownTooLong
from storyboard.stories.page import visible_story_or_404
from storyboard.stories.service import can_view

bp = Blueprint("recognition", __name__)

STORY_ID = "<int(max=2147483647):story_id>"


@bp.post(f"/stories/{STORY_ID}/kudos")
@signed_in
def give(story_id: int) -> Response:
    story = visible_story_or_404(story_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            service.give_kudos(story, current_user)
    except service.KudosError as error:
        flash(str(error), "error")
    except IntegrityError:  # the same colleague's other click won: one kudo it is
        pass
    return redirect(url_for("stories.show", story_id=story_id) + "#kudos")


@bp.post(f"/stories/{STORY_ID}/kudos/remove")
@signed_in
def take_back(story_id: int) -> Response:
    story = visible_story_or_404(story_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    service.take_back_kudos(story, current_user)
    db.session.commit()
    return redirect(url_for("stories.show", story_id=story_id) + "#kudos")


@bp.get("/notifications")
@signed_in
def notifications() -> str:
    notes = service.notifications_for(current_user)
    unread = {note.id for note in notes if note.read_at is None}
    service.mark_all_read(current_user)  # seen now; the page still marks which were new
    page = render_template(
        "recognition/notifications.html",
        notes=notes,
        new_ids=unread,
        shares=shares_for(notes),
        reach_count=reach_note_count,
    )
    # After rendering: a commit expires every loaded notification, and the page would
    # load each one (and its actor) again, one query apiece.
    db.session.commit()
    return page


# -- comments ------------------------------------------------------------------------------
def _comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_view(current_user, comment.story_ref):
        abort(404)
    return comment


@bp.post(f"/stories/{STORY_ID}/comments")
@signed_in
def comment(story_id: int) -> Response:
    story = visible_story_or_404(story_id)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            comments.add_comment(story, current_user, form.body.data or "")
    except (comments.CommentError, MarkdownTooLong, MarkdownTooComplex) as error:
        flash(str(error) or gettext("That comment cannot be shown."), "error")
    return redirect(url_for("stories.show", story_id=story_id) + "#comments")


@bp.post("/comments/<int(max=2147483647):comment_id>/edit")
@signed_in
def edit_comment(comment_id: int) -> Response:
    found = _comment_or_404(comment_id)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            comments.edit_comment(found, current_user, form.body.data or "")
    except comments.CommentError as error:
        flash(str(error), "error")
    return redirect(url_for("stories.show", story_id=found.story_id) + f"#comment-{found.id}")


@bp.post("/comments/<int(max=2147483647):comment_id>/delete")
@signed_in
def delete_comment(comment_id: int) -> Response:
    found = _comment_or_404(comment_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    story_id = found.story_id
    try:
        with unit_of_work():
            comments.delete_comment(found, current_user)
    except comments.CommentError as error:
        flash(str(error), "error")
    return redirect(url_for("stories.show", story_id=story_id) + "#comments")
