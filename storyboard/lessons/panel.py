"""What the story page shows of a learning moment: the lesson with its history, and the
forms the reader may use."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectChoice

from storyboard import page_cache
from storyboard.db import db
from storyboard.forms import select_option
from storyboard.labels import LESSON_STATUS_LABELS as STATUS_LABELS
from storyboard.lessons import service
from storyboard.lessons.forms import MoveForm, RaiseForm
from storyboard.models import LessonStatus, Role, Story, User


def active_managers() -> list[SelectChoice]:
    """The managers a lesson can be given to (id, name): the same for every reader."""
    return page_cache.shared(
        "active_managers",
        {"users"},
        lambda: [
            SelectChoice(str(user_id), name)
            for user_id, name in db.session.execute(
                select(User.id, User.display_name)
                .where(User.role == Role.MANAGER, User.active.is_(True))
                .order_by(User.display_name)
            )
        ],
    )


def raise_fields() -> Markup:
    """The raise form's fields as markup: "What should change?" and "Who takes it up?"
    with "Nobody yet" and every active manager. The same for every story and reader of a
    language, so written once and shared for a short time: an organisation with 500
    managers spent 2 ms of every manager's story page writing them. (The form is never
    shown again with a choice made: a refused raise redirects to the story page.)"""
    locale = str(get_locale() or "")
    return page_cache.shared(
        f"lesson_raise_fields:{locale}",
        {"users"},
        lambda: Markup(
            render_template(
                "lessons/_raise_fields.html",
                form=RaiseForm(formdata=None, meta={"csrf": False}),
                owners=[SelectChoice("", _("Nobody yet")), *active_managers()],
                select_option=select_option,
            )
        ),
    )


def lesson_panel(story: Story) -> dict[str, object]:
    """What the story page needs: the lesson (with history) and the forms allowed."""
    lesson = service.lesson_for(story)
    move_form = None
    can_raise = lesson is None and service.can_raise(current_user, story)
    if lesson is not None and current_user.role is Role.MANAGER and service.ALLOWED[lesson.status]:
        move_form = MoveForm()
        move_form.status.choices = [
            (s.value, str(STATUS_LABELS[s]))
            for s in LessonStatus
            if s in service.ALLOWED[lesson.status]
        ]
    return {
        "lesson": lesson,
        "lesson_raise_fields": raise_fields() if can_raise else None,
        "lesson_move_form": move_form,
        "lesson_labels": STATUS_LABELS,
    }
