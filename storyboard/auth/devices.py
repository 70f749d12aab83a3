"""Device cookies: a browser that has signed in to an account before says so.

After a successful sign-in the browser gets a signed, HttpOnly cookie naming the
account and a random device id. Failed sign-ins that carry it are throttled per
device instead of per account (``auth.throttle``), so a stranger's guessing cannot
lock the owner out. The cookie is no credential: it never signs anyone in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Request, Response

COOKIE_NAME = "storyboard_device"
LIFETIME = timedelta(days=365)
# Accounts remembered per browser (a shared office PC); the oldest are forgotten first.
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="sign-in-device")


def known_devices(request: Request) -> dict[str, str]:
    """Account digest → device id, from the browser's cookie (empty when missing,
    forged or from another secret key)."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return {}
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(key): str(item) for key, item in value.items()}


def remember_device(request: Request, response: Response, account: str) -> str:
    """Make sure the browser's cookie names ``account``; returns its device id."""
    devices = known_devices(request)
    device = devices.pop(account, None) or secrets.token_urlsafe(16)
    devices[account] = device
    while len(devices) > MAX_ACCOUNTS:
        devices.pop(next(iter(devices)))
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps(devices),
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        path="/auth/",
    )
    return device
