"""Notifications by e-mail: ``storyboard send-notifications`` (cron, every few minutes)
sends each person one message with what happened to their stories since the last run,
leaving out the kinds they switched off on their profile. Requests never wait on a
mail server, and a notification is marked e-mailed only once the server took it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storyboard.db import db, utcnow
from storyboard.digest.sending import address_problem
from storyboard.i18n.locale import locale_for
from storyboard.mail import Mailer, RecipientRefused, SmtpSettings
from storyboard.models import Notification, User

KINDS = ("kudos", "comment", "feature", "lesson")
# Older notifications are not mailed any more (the person has seen the bell by then).
MAX_AGE = timedelta(days=2)


@dataclass
class MailingSummary:
    sent: int = 0
    notifications: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def pending() -> dict[User, list[Notification]]:
    """Unmailed, unread notifications of the last two days, per active person, minus the
    kinds each switched off."""
    rows = db.session.scalars(
        select(Notification).where(Notification.emailed_at.is_(None),
                                   Notification.read_at.is_(None),
                                   Notification.created_at >= utcnow() - MAX_AGE)
        .options(selectinload(Notification.user), selectinload(Notification.story),
                 selectinload(Notification.actor))
        .order_by(Notification.user_id, Notification.id))
    per_user: dict[User, list[Notification]] = {}
    for note in rows:
        if note.user.active and note.user.wants_email(note.kind):
            per_user.setdefault(note.user, []).append(note)
    return per_user


def compose(user: User, notes: list[Notification]) -> EmailMessage:
    """The e-mail about ``notes``, in ``user``'s language."""
    with force_locale(locale_for(user)):
        return _compose(user, notes)


def _compose(user: User, notes: list[Notification]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = _("Storyboard: %(num)s new on your stories", num=len(notes))
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = user.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="storyboard")
    context = {"user": user, "notes": notes,
               "profile_url": url_for("profile.index", _external=True),
               "story_url": lambda story: url_for("stories.show", story_id=story.id,
                                                  _external=True)}
    message.set_content(render_template("recognition/email.txt", **context))
    return message


def send_notification_emails() -> MailingSummary:
    """Raises ``MailServerError`` when the server cannot be used (nothing marked)."""
    summary = MailingSummary()
    work = pending()
    if not work:
        return summary
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        with Mailer(SmtpSettings.from_config(current_app.config)) as mailer:
            for user, notes in work.items():
                problem = address_problem(user.email)
                if problem:
                    summary.failed.append((user.email, problem))
                    continue
                try:
                    mailer.send(compose(user, notes))
                except RecipientRefused as refused:
                    summary.failed.append((user.email, str(refused)))
                    continue
                now = utcnow()
                for note in notes:
                    note.emailed_at = now
                db.session.commit()
                summary.sent += 1
                summary.notifications += len(notes)
    return summary
