"""Slowing down password guessing without locking the real person out.

Attempts are rows in the database (``sign_in_attempts``), so every worker and every
host counts the same attempts on SQLite and PostgreSQL alike, with no extra server.

Two rules, both answered with the exact wait:

- **per client address**: at most ``LOGIN_RATE_LIMIT`` attempts (e.g. 10 per minute);
- **per account**: after ``LOGIN_FREE_FAILURES`` failures within an hour, each further
  attempt waits 2 s, 4 s, 8 s … (at most ``LOGIN_MAX_DELAY``) after the latest
  failure. Failures from browsers that have signed in to the account before (a signed
  device cookie, see ``auth.devices``) are counted per browser, not for the account:
  someone guessing from elsewhere slows down only themselves and other strangers, and
  never turns the throttle into an hour-long lock-out of the person who owns the
  account (OWASP's "device cookies").

An attempt is written (and committed by the caller) *before* the password is checked,
with ``failed`` set, so simultaneous attempts in several workers see each other; of
two at once the later one (higher id) waits. A success clears the flag.

Functions change the session but never commit; the caller is the unit of work.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse
from sqlalchemy import ColumnElement, delete, func, select

from storyboard.db import db, utcnow
from storyboard.models import SignInAttempt

ACCOUNT_WINDOW = timedelta(hours=1)
FIRST_DELAY_SECONDS = 2
# Attempts older than this are never looked at again.
KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits, from the app's settings."""

    per_address: int
    address_window: timedelta
    free_failures: int
    max_delay: int

    @classmethod
    def from_config(cls, config: dict[str, object]) -> ThrottlePolicy:
        limit = parse(str(config["LOGIN_RATE_LIMIT"]))
        return cls(
            per_address=limit.amount,
            address_window=timedelta(seconds=limit.get_expiry()),
            free_failures=int(str(config["LOGIN_FREE_FAILURES"])),
            max_delay=int(str(config["LOGIN_MAX_DELAY"])),
        )

    def delay_after(self, failures: int) -> int:
        """Seconds to wait after the latest of ``failures`` failures."""
        if failures < self.free_failures:
            return 0
        return min(FIRST_DELAY_SECONDS * 2 ** (failures - self.free_failures), self.max_delay)


class SignInThrottled(Exception):
    """Too many attempts: try again in ``wait_seconds`` seconds (always at least 1)."""

    def __init__(self, wait_seconds: int, per_address: bool) -> None:
        super().__init__(f"wait {wait_seconds} s")
        self.wait_seconds = max(1, wait_seconds)
        self.per_address = per_address


def account_key(email: str) -> str:
    """What is stored of the e-mail address tried: its digest, not the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, math.ceil((moment - now).total_seconds()))


def begin_attempt(
    email: str,
    address: str,
    device: str | None,
    policy: ThrottlePolicy,
    now: datetime | None = None,
) -> SignInAttempt:
    """Record an attempt, or raise ``SignInThrottled`` (recording nothing) when it
    must wait. The caller commits before checking the password (see the module
    docstring), then calls ``succeeded`` or leaves the attempt counted as failed."""
    now = now or utcnow()
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.created_at < now - KEPT_FOR))
    attempt = SignInAttempt(
        account=account_key(email), address=address[:64], device=device, failed=True, created_at=now
    )
    db.session.add(attempt)
    db.session.flush()
    wait = _required_wait(attempt, policy, now)
    if wait is not None:
        db.session.delete(attempt)
        db.session.flush()
        raise wait
    return attempt


def _required_wait(
    attempt: SignInAttempt, policy: ThrottlePolicy, now: datetime
) -> SignInThrottled | None:
    earlier = SignInAttempt.id < attempt.id
    from_address = db.session.scalars(
        select(SignInAttempt.created_at)
        .where(
            earlier,
            SignInAttempt.address == attempt.address,
            SignInAttempt.created_at > now - policy.address_window,
        )
        .order_by(SignInAttempt.created_at.desc())
        .limit(policy.per_address)
    ).all()
    if len(from_address) >= policy.per_address:
        oldest_counted = from_address[-1]
        return SignInThrottled(
            _seconds_until(oldest_counted + policy.address_window, now), per_address=True
        )
    same_browser: ColumnElement[bool] = (
        SignInAttempt.device == attempt.device
        if attempt.device is not None
        else SignInAttempt.device.is_(None)
    )
    failures, latest = db.session.execute(
        select(func.count(), func.max(SignInAttempt.created_at)).where(
            earlier,
            SignInAttempt.account == attempt.account,
            SignInAttempt.failed,
            same_browser,
            SignInAttempt.created_at > now - ACCOUNT_WINDOW,
        )
    ).one()
    delay = policy.delay_after(int(failures or 0))
    if delay and latest is not None:
        wait = _seconds_until(latest + timedelta(seconds=delay), now)
        if wait:
            return SignInThrottled(wait, per_address=False)
    return None


def succeeded(attempt: SignInAttempt) -> None:
    """The password was right: this attempt, and this browser's earlier failures on the
    account (typos by the owner), stop counting."""
    attempt.failed = False
    if attempt.device is not None:
        db.session.execute(
            delete(SignInAttempt).where(
                SignInAttempt.account == attempt.account,
                SignInAttempt.device == attempt.device,
                SignInAttempt.failed,
            )
        )
