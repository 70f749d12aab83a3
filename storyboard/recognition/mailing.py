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
from storyboard.i18n.locale import locale_for
from storyboard.mail import Mailer, RecipientRefused, SmtpSettings, address_problem
from storyboard.models import Notification, StoryShare, User
from storyboard.reach.service import reach_note_count
from storyboard.reach.sharing import reader_token, shares_for

KINDS = ("kudos", "comment", "feature", "lesson", "share", "reach", "named")
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
        select(Notification)
        .where(
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
            Notification.created_at >= utcnow() - MAX_AGE,
        )
        .options(
            selectinload(Notification.user),
            selectinload(Notification.story),
            selectinload(Notification.actor),
        )
        .order_by(Notification.user_id, Notification.id)
    )
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
    context = {
        "user": user,
        "notes": notes,
        "reach_count": reach_note_count,
        "profile_url": url_for("profile.index", _external=True),
        "story_url": lambda story: url_for("stories.show", story_id=story.id, _external=True),
    }
    message.set_content(render_template("recognition/email.txt", **context))
    return message


def compose_share(user: User, note: Notification, share: StoryShare | None) -> EmailMessage:
    """One e-mail for one share, in ``user``'s language, its link signed for them."""
    with force_locale(locale_for(user)):
        message = EmailMessage()
        who = note.actor.display_name if note.actor else _("A colleague")
        title = note.story.title if note.story else ""
        message["Subject"] = _("%(who)s shared a story with you: %(title)s", who=who, title=title)
        message["From"] = current_app.config["SMTP_FROM"]
        message["To"] = user.email
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="storyboard")
        link = url_for(
            "reach.open_link",
            _external=True,
            token=reader_token(note.story_id or 0, user.id, "share"),
        )
        message.set_content(
            render_template(
                "reach/share_email.txt",
                user=user,
                who=who,
                title=title,
                note=share.note if share else "",
                link=link,
                profile_url=url_for("profile.index", _external=True),
            )
        )
        return message


def _messages_for(
    user: User, notes: list[Notification]
) -> list[tuple[EmailMessage, list[Notification]]]:
    """One e-mail per share, and one for everything else."""
    shares = shares_for(notes)
    messages = [
        (compose_share(user, note, shares.get(note.id)), [note])
        for note in notes
        if note.kind == "share"
    ]
    others = [note for note in notes if note.kind != "share"]
    if others:
        messages.append((compose(user, others), others))
    return messages


def send_notification_emails() -> MailingSummary:
    """Raises ``MailServerError`` when the server cannot be used (nothing marked)."""
    summary = MailingSummary()
    work = pending()
    if not work:
        return summary
    with (
        current_app.test_request_context(base_url=current_app.config["BASE_URL"]),
        Mailer(SmtpSettings.from_config(current_app.config)) as mailer,
    ):
        for user, notes in work.items():
            problem = address_problem(user.email)
            if problem:
                summary.failed.append((user.email, problem))
                continue
            for message, covered in _messages_for(user, notes):
                try:
                    mailer.send(message)
                except RecipientRefused as refused:
                    summary.failed.append((user.email, str(refused)))
                    break
                now = utcnow()
                for note in covered:
                    note.emailed_at = now
                db.session.commit()
                summary.sent += 1
                summary.notifications += len(covered)
    return summary
