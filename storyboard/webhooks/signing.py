"""The signature receivers check: HMAC-SHA256 over ``"<timestamp>.<body>"``.

Headers: ``X-Storyboard-Timestamp`` (Unix seconds) and ``X-Storyboard-Signature``
(``sha256=<hex>``). Signing the timestamp with the body lets a receiver refuse replays of
old deliveries (``verify`` accepts five minutes by default).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Storyboard-Signature"
TIMESTAMP_HEADER = "X-Storyboard-Timestamp"
EVENT_HEADER = "X-Storyboard-Event"
DELIVERY_HEADER = "X-Storyboard-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signed: str,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - moment) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signed)
