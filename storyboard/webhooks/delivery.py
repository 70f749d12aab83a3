"""Sending queued webhook deliveries: claim, POST, record; retry with backoff.

A worker claims a due delivery with a conditional UPDATE (so two workers, on one host or
several, never send the same one at once; a claim expires if its worker dies), sends it
outside any transaction, and records the answer. A 2xx answer marks it sent; anything
else (error status, refused connection, timeout, redirect) schedules a retry after
30 s, 1, 2, 4 … minutes, until ``MAX_ATTEMPTS`` have failed; then it is marked failed.

Each delivery resolves the receiver's name, refuses it (a failed attempt, the reason in
the log) when an address is on this server or a private network and
``STORYBOARD_WEBHOOK_ALLOW_PRIVATE`` is off, and connects only to the addresses it
checked (see ``storyboard.webhooks.addresses``).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import CursorResult, or_, select, update

from storyboard.db import db, utcnow
from storyboard.models import Webhook, WebhookDelivery, WebhookDeliveryStatus
from storyboard.webhooks import addresses
from storyboard.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
CLAIM_FOR = timedelta(minutes=2)
SEND_TIMEOUT = 10.0  # seconds; well inside CLAIM_FOR
BATCH = 20
USER_AGENT = "Storyboard-Webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: the secret-signed body goes only where the admin
    said, never on to another address."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _CheckedConnection(http.client.HTTPConnection):
    """Resolves its host once, checks every address, then connects to those very
    addresses (a second lookup could answer differently: DNS rebinding)."""

    def __init__(self, *args: Any, allow_private: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private
        # http.client opens its socket through this hook; HTTPS then wraps the socket
        # for the host's name, so the certificate is still checked against the name.
        self._create_connection = self._connect_checked

    def _connect_checked(
        self, address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        host, port = address
        resolved = addresses.resolve(host, port)
        if not self.allow_private:
            addresses.check(host, resolved)
        failure = OSError(f"{host} has no address")
        for _family, sockaddr in resolved:
            try:  # a numeric address: nothing is looked up again
                return socket.create_connection((str(sockaddr[0]), port), timeout, source_address)
            except OSError as error:
                failure = error
        raise failure


class _CheckedHTTPSConnection(_CheckedConnection, http.client.HTTPSConnection):
    pass


class _CheckedHTTP(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(partial(_CheckedConnection, allow_private=self.allow_private), req)


class _CheckedHTTPS(urllib.request.HTTPSHandler):
    _context: ssl.SSLContext | None  # set by HTTPSHandler.__init__; typeshed leaves it out

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(
            partial(
                _CheckedHTTPSConnection, allow_private=self.allow_private, context=self._context
            ),
            req,
        )


def _direct_opener(allow_private: bool) -> urllib.request.OpenerDirector:
    # No proxy from the environment: the connection itself must be the checked one.
    return urllib.request.build_opener(
        _NoRedirects,
        urllib.request.ProxyHandler({}),
        _CheckedHTTP(allow_private),
        _CheckedHTTPS(allow_private),
    )


_OPENERS = {allow: _direct_opener(allow) for allow in (False, True)}
# Through a proxy the environment names (it resolves the name itself, so the name is
# checked here first; see the limit stated in storyboard.webhooks.addresses).
_PROXIED_OPENER = urllib.request.build_opener(_NoRedirects)


def _uses_proxy(scheme: str, host: str) -> bool:
    return scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(host)


@dataclass(frozen=True)
class Attempt:
    status: int | None  # HTTP status, None when no answer came
    error: str  # empty on success

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min … at most an hour."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)


def post(
    url: str,
    secret: str,
    delivery_id: int,
    event: str,
    body: bytes,
    timeout: float = SEND_TIMEOUT,
    allow_private: bool = False,
) -> Attempt:
    """One signed POST; never raises for a receiver's failure. Refused without a
    connection when ``url``'s host resolves to a private address and ``allow_private``
    is false."""
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: event,
            DELIVERY_HEADER: str(delivery_id),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    parts = urlsplit(url)
    opener = _OPENERS[allow_private]
    try:
        if _uses_proxy(parts.scheme, parts.hostname or ""):
            opener = _PROXIED_OPENER
            if not allow_private:
                _check_before_proxy(parts.hostname or "", parts.port or 80)
        with opener.open(request, timeout=timeout) as response:
            response.read(64 * 1024)
            return Attempt(response.status, "")
    except urllib.error.HTTPError as error:
        return Attempt(error.code, f"HTTP {error.code} {error.reason}"[:500])
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, addresses.RefusedAddress):
            return Attempt(None, f"Refused: {reason}"[:500])
        return Attempt(None, f"{type(error).__name__}: {reason}"[:500])


def _check_before_proxy(host: str, port: int) -> None:
    try:
        resolved = addresses.resolve(host, port)
    except OSError:
        return  # the proxy may know the name; it resolves it either way
    addresses.check(host, resolved)


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == WebhookDeliveryStatus.PENDING,
                or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM_FOR)
        ),
    )
    db.session.commit()
    return claimed.rowcount == 1


def _record(delivery: WebhookDelivery, attempt: Attempt, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_status = attempt.status
    delivery.claimed_until = None
    if attempt.ok:
        delivery.status = WebhookDeliveryStatus.SENT
        delivery.delivered_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = attempt.error
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = WebhookDeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    db.session.commit()


def send_due(now: datetime | None = None, limit: int = BATCH, timeout: float = SEND_TIMEOUT) -> int:
    """Send up to ``limit`` deliveries that are due; returns how many were attempted."""
    now = now or utcnow()
    allow_private = bool(current_app.config.get(addresses.ALLOW_SETTING, False))
    due = list(
        db.session.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == WebhookDeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
    )
    db.session.rollback()  # end the read; each claim is its own short transaction
    attempted = 0
    for delivery_id in due:
        if not _claim(delivery_id, now):
            continue  # another worker has it
        delivery = db.session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        hook: Webhook = delivery.webhook
        url, secret, event, body = hook.url, hook.secret, delivery.event, delivery.payload
        db.session.rollback()  # no transaction open while waiting on the receiver
        attempt = post(
            url, secret, delivery_id, event, body.encode("utf-8"), timeout, allow_private
        )
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is not None:  # None: its webhook was deleted while it was sent
            _record(delivery, attempt, now)
        attempted += 1
    return attempted
