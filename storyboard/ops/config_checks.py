"""``storyboard doctor``'s configuration checks: the secret key, cookies, rate-limit
storage, mail and the base URL, with what ``storyboard serve`` already warns about."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from storyboard.config import SECRET_KEY_FILE
from storyboard.mail import Mailer, MailServerError, SmtpSettings
from storyboard.ops.findings import OK, PROBLEM, WARNING, Finding, first_line
from storyboard.ops.serve import rate_limit_problem
from storyboard.search import switch

# Keys shorter than this are guessable; the generated key has 64 hex characters.
SECRET_KEY_MIN_LENGTH = 32
PLACEHOLDER_KEYS = frozenset(
    {"changeme", "change-me", "secret", "dev", "development", "test", "test-secret", "..."}
)


def check_secret_key(app: Flask) -> Finding:
    key = str(app.config.get("SECRET_KEY") or "")
    key_file = Path(app.instance_path) / SECRET_KEY_FILE
    generated = key_file.is_file() and secrets.compare_digest(
        key_file.read_text(encoding="ascii", errors="replace").strip(), key
    )
    if key.lower() in PLACEHOLDER_KEYS or len(key) < SECRET_KEY_MIN_LENGTH:
        return Finding(
            "secret_key",
            PROBLEM,
            _(
                "STORYBOARD_SECRET_KEY is short or a placeholder, so sessions can be forged: "
                'set %(length)s or more random characters (`python -c "import secrets; '
                'print(secrets.token_hex(32))"`), the same on every host.',
                length=SECRET_KEY_MIN_LENGTH,
            ),
        )
    if generated and os.stat(key_file).st_mode & 0o077:
        return Finding(
            "secret_key",
            PROBLEM,
            _("%(file)s can be read by other users: `chmod 600 %(file)s`.", file=key_file),
        )
    if generated and switch.on_postgresql(app.config):
        return Finding(
            "secret_key",
            WARNING,
            _(
                "generated on this host (%(file)s). With more than one app host, set "
                "STORYBOARD_SECRET_KEY to one value on all of them, or a session started on "
                "one host is refused by another.",
                file=key_file,
            ),
        )
    if generated:
        return Finding("secret_key", OK, _("generated on this host (%(file)s).", file=key_file))
    return Finding("secret_key", OK, _("set by STORYBOARD_SECRET_KEY."))


def check_cookies(app: Flask) -> Finding:
    if app.config.get("SESSION_COOKIE_SECURE"):
        return Finding("cookies", OK, _("sent over HTTPS only."))
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        return Finding(
            "cookies",
            PROBLEM,
            _(
                "STORYBOARD_SECURE_COOKIES is off on an HTTPS portal, so a session cookie "
                "can leak over plain http: remove the setting."
            ),
        )
    return Finding(
        "cookies",
        WARNING,
        _(
            "sent over plain http too (STORYBOARD_SECURE_COOKIES=false): fine for a demo on "
            "your own machine; in production serve over HTTPS and remove the setting."
        ),
    )


def check_rate_limits(app: Flask, workers: int) -> Finding:
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    problem = rate_limit_problem(app.config, workers)
    if problem:
        return Finding("rate_limits", WARNING, problem)
    if storage.startswith("memory://"):
        return Finding("rate_limits", OK, _("counted in memory (one worker)."))
    where = make_url(storage).render_as_string(hide_password=True) if "://" in storage else storage
    try:
        from limits.storage import storage_from_string

        answers = bool(storage_from_string(storage).check())
    except Exception as error:  # noqa: BLE001 - any failure means "cannot count there"
        answers, where = False, f"{where} ({first_line(error)})"
    if not answers:
        return Finding(
            "rate_limits",
            PROBLEM,
            _(
                "the rate-limit storage %(where)s does not answer: start it, or fix "
                "STORYBOARD_RATELIMIT_STORAGE_URI.",
                where=where,
            ),
        )
    return Finding(
        "rate_limits", OK, _("counted in %(where)s, shared by all workers.", where=where)
    )


def check_mail(app: Flask) -> Finding:
    if not app.config.get("SMTP_HOST"):
        return Finding(
            "mail",
            WARNING,
            _(
                "e-mail is off (no STORYBOARD_SMTP_HOST): no weekly digest, notifications or "
                "password-reset e-mails are sent."
            ),
        )
    try:
        settings = SmtpSettings.from_config(app.config)
        with Mailer(settings):
            pass
    except MailServerError as error:
        return Finding("mail", PROBLEM, _("%(error)s: check STORYBOARD_SMTP_*.", error=str(error)))
    return Finding(
        "mail",
        OK,
        _(
            "the mail server %(host)s:%(port)s accepts a connection (%(security)s).",
            host=settings.host,
            port=settings.port,
            security=settings.security,
        ),
    )


def check_base_url(app: Flask) -> Finding:
    base = str(app.config.get("BASE_URL", ""))
    host = (urlsplit(base).hostname or "").lower()
    if host in {"127.0.0.1", "localhost", "::1"}:
        return Finding(
            "base_url",
            WARNING,
            _(
                "links in e-mails and feeds point at %(url)s: set STORYBOARD_BASE_URL to the "
                "portal's public address.",
                url=base,
            ),
        )
    return Finding("base_url", OK, _("links in e-mails and feeds point at %(url)s.", url=base))


def configuration_findings(app: Flask, workers: int) -> list[Finding]:
    return [
        check_secret_key(app),
        check_cookies(app),
        check_rate_limits(app, workers),
        check_mail(app),
        check_base_url(app),
    ]
