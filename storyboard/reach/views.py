"""Sharing a story with colleagues, and opening a link signed for its recipient."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard.access import READERS, roles_required
from storyboard.db import db, unit_of_work
from storyboard.errors import render_error
from storyboard.models import Role, Story
from storyboard.reach import service as reach
from storyboard.reach import sharing
from storyboard.reach.forms import ShareForm
from storyboard.stories.service import can_view

bp = Blueprint("reach", __name__)

STORY_ID = "<int(max=2147483647):story_id>"
# What a signed link may be at most (its token is ~80 characters).
TOKEN = "<string(maxlength=400):token>"


def _shareable_or_404(story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None or not sharing.can_share(current_user, story):
        abort(404)
    return story


def _render(story: Story, form: ShareForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "reach/share.html",
        story=story,
        form=form,
        candidates=sharing.share_candidates(current_user),
        note_max=sharing.NOTE_MAX,
    ), status


@bp.route(f"/stories/{STORY_ID}/share", methods=["GET", "POST"])
@roles_required(Role.AGENT, Role.MANAGER)
def share(story_id: int) -> tuple[str, int] | Response:
    story = _shareable_or_404(story_id)
    form = ShareForm()
    if not form.validate_on_submit():
        return _render(story, form, 400 if form.is_submitted() else 200)
    try:
        with unit_of_work():
            recipients = sharing.resolve_recipients(form.recipients.data or "", current_user)
            result = sharing.share_story(story, current_user, recipients, form.note.data or "")
    except sharing.ShareError as error:
        form.form_errors.append(str(error))
        return _render(story, form, 400)
    except IntegrityError:  # the same share posted twice at once: the first one counts
        flash(_("This story was just shared; nothing was sent twice."), "info")
        return redirect(url_for("stories.show", story_id=story.id))
    if result.shared:
        flash(
            _(
                "Shared with %(names)s. They see it in their notifications and get an e-mail.",
                names=", ".join(p.display_name for p in result.shared),
            ),
            "success",
        )
    if result.already:
        flash(
            _(
                "You had already shared it with %(names)s; nothing was sent again.",
                names=", ".join(p.display_name for p in result.already),
            ),
            "info",
        )
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route(f"/r/{TOKEN}")
@roles_required(*READERS)
def open_link(token: str) -> tuple[str | Response, int] | Response:
    """A link from an e-mail, signed for its recipient: opening it is a read of whoever
    is signed in (a forwarded link counts for the person who opens it)."""
    try:
        story_id, via = sharing.open_reader_token(token)
    except sharing.BadReaderLink as error:
        message = (
            _("This link has expired. Find the story in the archive instead.")
            if str(error) == "expired"
            else _("This link is damaged or incomplete. Find the story in the archive instead.")
        )
        return render_error(400, message)
    story = db.session.get(Story, story_id)
    if story is None or not can_view(current_user, story):
        abort(404)
    reach.record_read_now(story, current_user, via=via)
    return redirect(url_for("stories.show", story_id=story.id))
