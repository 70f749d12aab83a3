"""Admins configure webhooks: address, shared secret, events, on or off.

An address on this server or a private network is refused unless
``STORYBOARD_WEBHOOK_ALLOW_PRIVATE`` is set (see ``storyboard.webhooks.addresses``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import SplitResult, urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storyboard.audit import service as audit
from storyboard.db import db, utcnow
from storyboard.errors import UserError
from storyboard.models import User, Webhook, WebhookDelivery, WebhookDeliveryStatus
from storyboard.webhooks import addresses
from storyboard.webhooks.events import EVENTS

URL_MAX = 2000
SECRET_MIN, SECRET_MAX = 16, 200
LOG_SHOWN = 100


class WebhookError(UserError):
    """A webhook setting that cannot be saved; the message says why."""


@dataclass(frozen=True)
class WebhookInput:
    url: str
    secret: str  # empty: keep the current one, or make one for a new webhook
    events: tuple[str, ...]
    active: bool


def _port(parts: SplitResult) -> int | None:
    """The address's port (the scheme's default when none is given); None when invalid."""
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # not a number, or out of range
        return None


def _check(data: WebhookInput) -> None:
    parts = urlsplit(data.url)
    port = _port(parts)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(data.url) > URL_MAX
        or port is None
    ):
        raise WebhookError(_l("Give a web address that starts with https:// (or http://)."))
    if parts.username or parts.password:
        raise WebhookError(
            _l(
                "Leave the user name and password out of the address; the "
                "shared secret signs every delivery."
            )
        )
    if not current_app.config.get(addresses.ALLOW_SETTING, False):
        _refuse_private(parts.hostname, port)
    if data.secret and not SECRET_MIN <= len(data.secret) <= SECRET_MAX:
        raise WebhookError(
            _l(
                "The shared secret needs %(min)s to %(max)s characters.",
                min=SECRET_MIN,
                max=SECRET_MAX,
            )
        )
    if not data.events or any(event not in EVENTS for event in data.events):
        raise WebhookError(_l("Choose at least one event."))


def _refuse_private(host: str, port: int) -> None:
    try:
        addresses.check(host, addresses.resolve(host, port))
    except addresses.RefusedAddress as refused:
        raise WebhookError(
            _l(
                "Webhooks go to public internet addresses only: %(host)s is %(address)s, an "
                "address on this server or a private network. (The server's administrator can "
                "allow those with STORYBOARD_WEBHOOK_ALLOW_PRIVATE.)",
                host=host,
                address=refused.address,
            )
        ) from refused
    except OSError:
        pass  # does not resolve now; every delivery resolves and checks again


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
    audit.record(
        by,
        "webhook.save",
        "webhook",
        hook.id,
        f"{data.url}, {hook.events}, {'on' if data.active else 'off'}",
    )
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
    return list(
        db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit))
    )
