"""Sending e-mail over SMTP as configured by ``STORYBOARD_SMTP_*``.

One connection per run (``Mailer`` is a context manager), so a digest to hundreds of
people is one sign-in, and a recipient the server refuses does not stop the others:
``send`` raises ``RecipientRefused`` for that message only, while a server that is down
or refuses the sign-in raises ``MailServerError`` before anything is sent.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Flask

SECURITY_MODES = ("starttls", "ssl", "none")
TIMEOUT_SECONDS = 30


class MailServerError(RuntimeError):
    """The mail server cannot be used at all (down, TLS or sign-in refused)."""


class RecipientRefused(RuntimeError):
    """The server would not take this one message (e.g. an unknown address)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings:
        security = str(config.get("SMTP_SECURITY", "starttls")).lower()
        if security not in SECURITY_MODES:
            raise MailServerError(
                f"STORYBOARD_SMTP_SECURITY must be one of "
                f"{', '.join(SECURITY_MODES)}, not {security!r}"
            )
        if not config.get("SMTP_HOST"):
            raise MailServerError("no mail server configured: set STORYBOARD_SMTP_HOST")
        return cls(
            host=str(config["SMTP_HOST"]),
            port=int(config.get("SMTP_PORT", 587)),
            security=security,
            user=str(config.get("SMTP_USER", "")),
            password=str(config.get("SMTP_PASSWORD", "")),
            sender=str(config.get("SMTP_FROM", "storyboard@localhost")),
        )


class Mailer:
    """An open, signed-in SMTP connection for the length of a ``with`` block."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        try:
            if s.security == "ssl":
                self.smtp = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                self.smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
                if s.security == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if s.user:
                self.smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as error:
            self._close()
            raise MailServerError(
                f"the mail server refused the sign-in of {s.user!r}: "
                f"{error.smtp_code} {_text(error.smtp_error)}"
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            self._close()
            raise MailServerError(
                f"cannot use the mail server {s.host}:{s.port} ({s.security}): {error}"
            ) from error
        return self

    def send(self, message: EmailMessage) -> None:
        assert self.smtp is not None, "use Mailer in a with block"
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            reasons = "; ".join(f"{code} {_text(text)}" for code, text in error.recipients.values())
            raise RecipientRefused(reasons) from error
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            raise RecipientRefused(f"{error.smtp_code} {_text(error.smtp_error)}") from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            raise MailServerError(f"the connection to the mail server broke: {error}") from error

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def address_problem(address: str) -> str | None:
    """Why an address cannot be mailed, or None when it looks deliverable."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def mail_configured(config: Any) -> bool:
    """Whether this portal can send e-mail at all (``STORYBOARD_SMTP_HOST`` is set)."""
    return bool(config.get("SMTP_HOST"))


def send_in_background(app: Flask, message: EmailMessage, name: str = "mail") -> threading.Thread:
    """Send one message without making the request wait on the mail server; a failure
    is logged, never shown (the page's answer must not depend on it)."""

    def send() -> None:
        with app.app_context():
            try:
                with Mailer(SmtpSettings.from_config(app.config)) as mailer:
                    mailer.send(message)
            except (MailServerError, RecipientRefused) as error:
                app.logger.error("could not send %s: %s", message["Subject"], error)

    thread = threading.Thread(target=send, name=f"storyboard-{name}", daemon=True)
    thread.start()
    return thread
