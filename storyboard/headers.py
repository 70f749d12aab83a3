"""The security headers every answer carries: the app's pages and gunicorn's own error
pages (``storyboard.ops.worker``) alike."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask


def content_security_policy(image_hosts: Iterable[str] = ()) -> str:
    """The CSP header: images only from the portal, ``data:`` and the configured
    ``IMAGE_HOSTS`` over https (the same rule ``storyboard.rendering`` applies to story
    bodies), so no page makes a reader's browser call a third party."""
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["img-src 'self' data:", *(f"https://{host}" for host in image_hosts)]),
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_header_values(app: Flask, secure: bool) -> list[tuple[str, str]]:
    """The headers every answer carries: the app's, and gunicorn's own error pages
    (``storyboard.ops.worker``). HSTS only over HTTPS."""
    values = [
        ("Content-Security-Policy", content_security_policy(app.config.get("IMAGE_HOSTS", ()))),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if secure:
        values.append(("Strict-Transport-Security", "max-age=31536000"))
    return values
