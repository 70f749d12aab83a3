"""Admins configure webhooks: address, shared secret, events, on or off."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storyboard.audit import service as audit
from storyboard.db import db, utcnow
from storyboard.models import User, Webhook, WebhookDelivery, WebhookDeliveryStatus
from storyboard.webhooks.events import EVENTS

URL_MAX = 2000
SECRET_MIN, SECRET_MAX = 16, 200
LOG_SHOWN = 100


class WebhookError(ValueError):
    """A webhook setting that cannot be saved; the message says why."""


@dataclass(frozen=True)
class WebhookInput:
    url: str
    secret: str  # empty: keep the current one, or make one for a new webhook
    events: tuple[str, ...]
    active: bool


def _check(data: WebhookInput) -> None:
    parts = urlsplit(data.url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(data.url) > URL_MAX:
        raise WebhookError(_l("Give a web address that starts with https:// (or http://)."))
    if parts.username or parts.password:
        raise WebhookError(_l("Leave the user name and password out of the address; the "
                              "shared secret signs every delivery."))
    if data.secret and not SECRET_MIN <= len(data.secret) <= SECRET_MAX:
        raise WebhookError(_l("The shared secret needs %(min)s to %(max)s characters.",
                              min=SECRET_MIN, max=SECRET_MAX))
    if not data.events or any(event not in EVENTS for event in data.events):
        raise WebhookError(_l("Choose at least one event."))


def save_webhook(hook: Webhook | None, data: WebhookInput, by: User) -> tuple[Webhook, str | None]:
    """Create or update; returns the webhook and, when one was made, the new secret (to
    show once). Does not commit."""
    _check(data)
    made_secret = None
    if hook is None:
        hook = Webhook(created_at=utcnow())
        db.session.add(hook)
        if not data.secret:
            made_secret = secrets.token_urlsafe(32)
    hook.url = data.url
    if data.secret or made_secret:
        hook.secret = data.secret or made_secret or ""
    hook.events = " ".join(sorted(set(data.events)))
    hook.active = data.active
    db.session.flush()
    audit.record(by, "webhook.save", "webhook", hook.id,
                 f"{data.url}, {hook.events}, {'on' if data.active else 'off'}")
    return hook, made_secret


def delete_webhook(hook: Webhook, by: User) -> None:
    audit.record(by, "webhook.delete", "webhook", hook.id, hook.url)
    db.session.delete(hook)


def retry_delivery(delivery: WebhookDelivery, now: datetime | None = None) -> None:
    """Send a failed delivery again at the next worker round, with fresh attempts."""
    delivery.status = WebhookDeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now or utcnow()
    delivery.claimed_until = None


def recent_deliveries(limit: int = LOG_SHOWN) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)))
