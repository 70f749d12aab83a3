"""Customer stories without a request: submitting, moderating, withdrawing, purging.

The path of a story: the public form → ``submit`` (text scrubbed of personal data, a
*pending* story only moderators see, a receipt with a private link) → a moderator
``approve``s it (publishes the possibly edited, scrubbed text as the customer's, with
their first name only if they allowed it) or ``reject``s it with a reason → the
customer (or a manager, on request) ``withdraw``s it whenever they like: the story and
every personal detail are erased at once, from the database and, through the outbox,
the search index; an audit record without content remains. ``purge_originals`` drops
what the customer typed once ``retention_days`` have passed since the decision.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from storyboard.audit import service as audit
from storyboard.channels import ChannelError, resolve_channel
from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.labels import reader_language
from storyboard.models import (
    AuthorKind,
    CustomerSubmission,
    Language,
    Story,
    StoryStatus,
    SubmissionStatus,
    Team,
    User,
)
from storyboard.privacy.configured import scrub
from storyboard.privacy.scrub import ScrubResult
from storyboard.stories.bodies import render_story_body
from storyboard.stories.naming import tell_named_agents
from storyboard.stories.service import StoryInput, build_story

DUPLICATE_WINDOW = timedelta(minutes=1)
DEFAULT_RETENTION_DAYS = 30
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
REASON_MAX = 500
CUSTOMER_ACTOR = "customer (private link)"


class CustomerStoryError(UserError):
    """A moderation step that cannot be done; the message says why."""


@dataclass(frozen=True)
class CustomerInput:
    """What the public form sends, already cleaned and checked by the form."""

    title: str
    body: str
    channel: str  # a channel key
    language: Language
    first_name: str = ""
    email: str = ""
    helped_by: str = ""
    show_first_name: bool = False


@dataclass(frozen=True)
class Receipt:
    """What the customer gets back. ``token`` exists only here: it is never stored."""

    submission: CustomerSubmission
    token: str
    duplicate: bool  # the same story came in a moment ago; this is its receipt again


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _content_hash(data: CustomerInput) -> str:
    text = unicodedata.normalize("NFC", f"{data.title}\n{data.body}").casefold()
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def _new_reference() -> str:
    while True:
        reference = "SB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if (
            db.session.scalar(
                select(CustomerSubmission.id).where(CustomerSubmission.reference == reference)
            )
            is None
        ):
            return reference


def scrubbed(data: CustomerInput) -> tuple[ScrubResult, ScrubResult, ScrubResult]:
    """Title, body and "who helped me", each with personal data masked (the masks in
    the story's language)."""
    language = data.language.value
    return scrub(data.title, language), scrub(data.body, language), scrub(data.helped_by, language)


def submit(
    data: CustomerInput, sent_from_this_browser: Collection[int] = (), now: datetime | None = None
) -> Receipt:
    """Store a customer's story as pending (scrubbed) with its original beside it.

    ``sent_from_this_browser``: ids of the submissions this browser sent before (the
    view keeps them in the signed session cookie). The same text sent again within
    ``DUPLICATE_WINDOW`` from the same browser with the same first name and e-mail (a
    double tap, a reload) is the same submission: its private link is replaced by a new
    one, since the old token cannot be shown again (only its hash is kept), and the page
    showing the new one is in front of the person who holds the old.

    Nothing else is ever merged: not the same text from another browser (two people may
    send the same words; merging them once handed one person's story to the other), and
    not the same e-mail address from another browser either, because an address typed
    into a public form proves nothing, and merging would cut off the link the first
    browser holds. Such a repeat becomes its own submission with its own reference, link,
    name and e-mail; moderators see it marked as the same text as the other
    (``same_text_as``) and can erase one.
    """
    now = now or utcnow()
    content = _content_hash(data)
    token = secrets.token_urlsafe(32)
    earlier = _same_browser_repeat(data, content, sent_from_this_browser, now)
    if earlier is not None:
        earlier.token_hash = token_hash(token)
        return Receipt(earlier, token, duplicate=True)
    title, body, helped_by = scrubbed(data)
    if data.helped_by:
        with force_locale(data.language.value):  # the story's language, not the page's
            helped = str(_l("Helped by: %(who)s", who=helped_by.text))
        body_text = body.text + "\n\n*" + helped + "*"
    else:
        body_text = body.text
    story = build_story(
        StoryInput(
            title=title.text,
            body=body_text,
            channel=data.channel,
            language=data.language,
            team_id=None,
        ),
        author=None,
        author_kind=AuthorKind.CUSTOMER,
        status=StoryStatus.PENDING,
    )
    submission = CustomerSubmission(
        reference=_new_reference(),
        token_hash=token_hash(token),
        status=SubmissionStatus.PENDING,
        story=story,
        original_title=data.title,
        original_body=data.body,
        helped_by=data.helped_by or None,
        first_name=data.first_name or None,
        contact_email=data.email or None,
        show_first_name=data.show_first_name,
        channel=story.channel,
        language=data.language,
        content_hash=content,
        submitted_at=now,
    )
    db.session.add_all([story, submission])
    return Receipt(submission, token, duplicate=False)


def _same_email(first: str | None, second: str | None) -> bool:
    return (first or "").strip().casefold() == (second or "").strip().casefold()


def _same_browser_repeat(
    data: CustomerInput, content: str, sent_from_this_browser: Collection[int], now: datetime
) -> CustomerSubmission | None:
    """The pending submission this browser sent a moment ago with the same text and the
    same name and e-mail, if any."""
    ids = [i for i in sent_from_this_browser if isinstance(i, int)]
    if not ids:
        return None
    candidates = db.session.scalars(
        select(CustomerSubmission)
        .where(
            CustomerSubmission.id.in_(ids),
            CustomerSubmission.content_hash == content,
            CustomerSubmission.status == SubmissionStatus.PENDING,
            CustomerSubmission.submitted_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(CustomerSubmission.id.desc())
    )
    for candidate in candidates:
        if (candidate.first_name or "") == (data.first_name or "") and _same_email(
            candidate.contact_email, data.email
        ):
            return candidate
    return None


def same_text_as(submission: CustomerSubmission) -> list[CustomerSubmission]:
    """Other pending submissions with the same text (whitespace and case aside): a
    customer who sent it again from another device, or two people with the same words."""
    return list(
        db.session.scalars(
            select(CustomerSubmission)
            .where(
                CustomerSubmission.content_hash == submission.content_hash,
                CustomerSubmission.id != submission.id,
                CustomerSubmission.status == SubmissionStatus.PENDING,
            )
            .order_by(CustomerSubmission.id)
        )
    )


def submission_for_token(token: str) -> CustomerSubmission | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(CustomerSubmission).where(CustomerSubmission.token_hash == token_hash(token))
    )


def pending_count() -> int:
    from sqlalchemy import func

    return (
        db.session.scalar(
            select(func.count(CustomerSubmission.id)).where(
                CustomerSubmission.status == SubmissionStatus.PENDING
            )
        )
        or 0
    )


def pending_submissions() -> list[CustomerSubmission]:
    return list(
        db.session.scalars(
            select(CustomerSubmission)
            .where(CustomerSubmission.status == SubmissionStatus.PENDING)
            .order_by(CustomerSubmission.submitted_at)
        )
    )


def same_text_references(submissions: list[CustomerSubmission]) -> dict[int, list[str]]:
    """For each of ``submissions``, the references of the others among them with the same
    text (see ``same_text_as``)."""
    by_text: dict[str, list[CustomerSubmission]] = {}
    for submission in submissions:
        by_text.setdefault(submission.content_hash, []).append(submission)
    return {
        s.id: [o.reference for o in by_text[s.content_hash] if o.id != s.id] for s in submissions
    }


@dataclass(frozen=True)
class ModeratedText:
    """The moderator's version: scrubbed text, possibly edited, and where it belongs."""

    title: str
    body: str
    channel: str  # a channel key
    language: Language
    team_id: int | None


def _require_pending(submission: CustomerSubmission) -> Story:
    if submission.status is not SubmissionStatus.PENDING or submission.story is None:
        raise CustomerStoryError(_l("This story was already decided on or withdrawn."))
    return submission.story


def save_edits(submission: CustomerSubmission, text: ModeratedText) -> Story:
    """Apply the moderator's edits; the story stays pending."""
    story = _require_pending(submission)
    story.title, story.body = text.title, text.body
    story.body_html = render_story_body(text.body, AuthorKind.CUSTOMER, text.language)
    try:
        story.channel = resolve_channel(text.channel, reader_language(), keep=story.channel)
    except ChannelError as error:
        raise CustomerStoryError(str(error)) from error
    story.language = text.language
    story.team = db.session.get(Team, text.team_id) if text.team_id else None
    return story


def approve(
    submission: CustomerSubmission,
    text: ModeratedText,
    moderator: User,
    now: datetime | None = None,
) -> Story:
    """Publish the moderated text as the customer's story."""
    story = save_edits(submission, text)
    now = now or utcnow()
    story.status = StoryStatus.PUBLISHED
    story.published_at = now
    story.customer_first_name = submission.first_name if submission.show_first_name else None
    submission.status = SubmissionStatus.APPROVED
    submission.decided_at, submission.decided_by = now, moderator
    tell_named_agents(story)
    audit.record(
        moderator,
        "customer_story.approve",
        "customer_submission",
        submission.id,
        submission.reference,
    )
    return story


def reject(
    submission: CustomerSubmission, reason: str, moderator: User, now: datetime | None = None
) -> None:
    """Refuse to publish, with a reason the customer sees on their status page."""
    story = _require_pending(submission)
    reason = " ".join(reason.split())
    if not reason:
        raise CustomerStoryError(_l("Give a reason: the customer will read it."))
    if len(reason) > REASON_MAX:
        raise CustomerStoryError(_l("Keep the reason under %(max)s characters.", max=REASON_MAX))
    story.status = StoryStatus.REJECTED
    submission.status = SubmissionStatus.REJECTED
    submission.reject_reason = reason
    submission.decided_at, submission.decided_by = now or utcnow(), moderator
    audit.record(
        moderator,
        "customer_story.reject",
        "customer_submission",
        submission.id,
        submission.reference,
    )


def withdraw(submission: CustomerSubmission, by: User | None = None) -> None:
    """Erase the story and everything the customer gave us, at once; ``by`` None means
    the customer did it through their private link. The outbox removes the story from
    the search index in the same commit."""
    if submission.status is SubmissionStatus.WITHDRAWN:
        return
    # Claim the row first with one conditional UPDATE: of two clicks that race, only
    # one erases (and is logged); the other finds it withdrawn.
    claimed = db.session.execute(
        update(CustomerSubmission)
        .where(
            CustomerSubmission.id == submission.id,
            CustomerSubmission.status != SubmissionStatus.WITHDRAWN,
        )
        .values(status=SubmissionStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        db.session.refresh(submission)
        return
    if submission.story is not None:
        db.session.delete(submission.story)
        submission.story = None
    submission.original_title = submission.original_body = None
    submission.helped_by = submission.first_name = submission.contact_email = None
    submission.reject_reason = None
    submission.status = SubmissionStatus.WITHDRAWN
    submission.decided_at = submission.decided_at or utcnow()
    submission.purged_at = utcnow()
    action = "customer_story.withdraw" if by is None else "customer_story.erase"
    audit.record(
        by,
        action,
        "customer_submission",
        submission.id,
        submission.reference,
        actor_label=CUSTOMER_ACTOR if by is None else None,
    )


def purge_originals(retention_days: int, now: datetime | None = None) -> int:
    """Drop the original text and contact details of stories decided more than
    ``retention_days`` ago; returns how many were purged."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    result = db.session.execute(
        update(CustomerSubmission)
        .where(
            CustomerSubmission.decided_at.is_not(None),
            CustomerSubmission.decided_at < cutoff,
            CustomerSubmission.purged_at.is_(None),
        )
        .values(
            original_title=None, original_body=None, contact_email=None, purged_at=now or utcnow()
        )
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        audit.record(
            None,
            "customer_story.purge",
            "customer_submission",
            None,
            f"{count} original(s) older than {retention_days} days",
        )
    return count
