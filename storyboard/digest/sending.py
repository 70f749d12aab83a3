"""The weekly digest by e-mail: who gets it, what the message looks like, and sending it
once per person and week.

Everyone gets the organisation's digest (a team manager also gets a link to their own
team's). The send log (``digest_deliveries``) makes a run idempotent: a person marked
sent for that week is skipped, a person whose address the server refused is marked
failed and tried again by the next run; each delivery is committed as soon as it is
made, so a run that dies halfway resends nothing. When the mail server is down or
refuses the sign-in, nothing is sent and nothing is marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from storyboard.access import NUMBERS_READERS
from storyboard.db import db, utcnow
from storyboard.digest.builder import WeeklyDigest, build_digest, summary_line
from storyboard.i18n.locale import locale_for
from storyboard.labels import channel_names
from storyboard.mail import (
    Mailer,
    MailServerError,
    RecipientRefused,
    SmtpSettings,
    address_problem,
)
from storyboard.models import DeliveryStatus, DigestDelivery, User
from storyboard.reach.sharing import reader_token
from storyboard.weeks import IsoWeek

READER_ROLES = NUMBERS_READERS
UNSUBSCRIBE_SALT = "storyboard.digest.unsubscribe"


@dataclass
class SendSummary:
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)
    would_send: list[str] = field(default_factory=list)  # --dry-run

    @property
    def ok(self) -> bool:
        return not self.failed


# -- who ---------------------------------------------------------------------------------
def recipients() -> list[User]:
    """Active people who may read the digest and get it by e-mail (see ``gets_digest``)."""
    people = db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(READER_ROLES)).order_by(User.email)
    )
    return [person for person in people if person.gets_digest]


# -- unsubscribing -------------------------------------------------------------------------
def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user: User) -> str:
    """A signed, non-expiring token naming the user: one click in any old digest still
    unsubscribes. It only ever turns the digest off, so a leak costs nothing more."""
    return str(_serializer().dumps(user.id))


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def unsubscribe(user: User) -> None:
    user.digest_subscribed = False


# -- the message ---------------------------------------------------------------------------
def compose(digest: WeeklyDigest, address: str, user: User | None) -> EmailMessage:
    """A multipart/alternative message in the recipient's language: plain text first,
    HTML (inline styles, no images) second. Must run in a request context whose base
    URL is ``STORYBOARD_BASE_URL``."""
    with force_locale(locale_for(user)):
        return _compose(replace(digest, summary=summary_line(digest)), address, user)


def _story_link(story_id: int, user: User | None) -> str:
    """A link signed for the recipient, so opening it counts as their read (a click is a
    read; there is no tracking pixel). A test copy to a bare address links plainly."""
    if user is None:
        return url_for("stories.show", story_id=story_id, _external=True)
    return url_for(
        "reach.open_link", token=reader_token(story_id, user.id, "digest"), _external=True
    )


def _compose(digest: WeeklyDigest, address: str, user: User | None) -> EmailMessage:
    unsubscribe_url = (
        url_for("digest.unsubscribe", token=unsubscribe_token(user), _external=True)
        if user is not None
        else None
    )
    context = {
        "digest": digest,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "web_url": url_for("digest.week", week=str(digest.week), _external=True),
        "team_url": (
            url_for("digest.week", week=str(digest.week), team=user.team.slug, _external=True)
            if user is not None and user.team
            else None
        ),
        "story_url": lambda story: _story_link(story.id, user),
        "channels": channel_names(),
    }
    message = EmailMessage()
    message["Subject"] = _(
        "Storyboard, week %(week)s: %(summary)s", week=digest.week.week, summary=digest.summary
    )
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="storyboard")
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render_template("digest/email/digest.txt", **context))
    message.add_alternative(render_template("digest/email/digest.html", **context), subtype="html")
    return message


# -- sending -------------------------------------------------------------------------------
def _delivery(user: User, week: IsoWeek) -> DigestDelivery | None:
    return db.session.scalar(
        select(DigestDelivery).where(
            DigestDelivery.user_id == user.id, DigestDelivery.week_key == week.key
        )
    )


def _record(user: User, week: IsoWeek, status: DeliveryStatus, error: str = "") -> None:
    delivery = _delivery(user, week) or DigestDelivery(
        user_id=user.id, week_key=week.key, attempts=0, address=user.email
    )
    delivery.status = status
    delivery.attempts += 1
    delivery.error = error[:500]
    delivery.address = user.email
    delivery.updated_at = utcnow()
    db.session.add(delivery)
    db.session.commit()


Progress = Callable[[str], None]


def send_digest(
    week: IsoWeek,
    *,
    dry_run: bool = False,
    to: list[str] | None = None,
    progress: Progress | None = None,
) -> SendSummary:
    """Send the digest of ``week`` to the subscribers (or only to ``to``, unlogged).
    Raises ``MailServerError`` when the server cannot be used; nothing is marked then."""
    digest = build_digest(week)
    summary = SendSummary()
    base_url = current_app.config["BASE_URL"]
    people: list[tuple[str, User | None]] = (
        [(address, None) for address in to]
        if to is not None
        else [(person.email, person) for person in recipients()]
    )
    with current_app.test_request_context(base_url=base_url):
        if dry_run:
            for address, person in people:
                done = person is not None and _already_sent(person, week)
                (summary.already_sent if done else summary.would_send).append(address)
            return summary
        settings = SmtpSettings.from_config(current_app.config)
        with Mailer(settings) as mailer:
            for address, person in people:
                _send_one(mailer, digest, week, address, person, summary)
                if progress is not None:
                    progress(address)
    return summary


def _already_sent(person: User, week: IsoWeek) -> bool:
    delivery = _delivery(person, week)
    return delivery is not None and delivery.status is DeliveryStatus.SENT


def _send_one(
    mailer: Mailer,
    digest: WeeklyDigest,
    week: IsoWeek,
    address: str,
    person: User | None,
    summary: SendSummary,
) -> None:
    if person is not None and _already_sent(person, week):
        summary.already_sent.append(address)
        return
    problem = address_problem(address)
    if problem is not None:
        summary.failed.append((address, _("not an e-mail address: %(why)s", why=problem)))
        if person is not None:
            _record(person, week, DeliveryStatus.FAILED, problem)
        return
    try:
        mailer.send(compose(digest, address, person))
    except RecipientRefused as refused:
        summary.failed.append((address, str(refused)))
        if person is not None:
            _record(person, week, DeliveryStatus.FAILED, str(refused))
        return
    except MailServerError:
        raise
    summary.sent.append(address)
    if person is not None:
        _record(person, week, DeliveryStatus.SENT)
