"""gunicorn's sync worker, made to answer like the app.

gunicorn answers some requests itself, before the app sees them: a request line over
``limit_request_line`` (414), one it cannot parse (400), headers over their limits
(431). Its own pages for those carry none of the app's security headers and name the
server; here they are small pages of our own, in the organisation's language
(``STORYBOARD_DEFAULT_LOCALE``), with the app's security headers
(``storyboard.headers.security_header_values``), ``Cache-Control: no-store`` and no
``Server`` header. gunicorn's own answers to the app's responses drop ``Server`` too.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from ssl import SSLError
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from gunicorn import util
from gunicorn.http import parser, wsgi
from gunicorn.http.errors import (  # type: ignore[attr-defined]  # stubs lag, see below
    ConfigurationProblem,
    ExpectationFailed,
    ForbiddenProxyRequest,
    InvalidResponseHeader,  # gunicorn 27's; the types-gunicorn stubs (26.2) lack it
    InvalidResponseHeaderName,  # likewise
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
    UnsupportedTransferCoding,
)
from gunicorn.http.message import Request
from gunicorn.workers.sync import SyncWorker

from storyboard.headers import security_header_values
from storyboard.ops.serve import REQUEST_LINE_LIMIT

REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    414: "URI Too Long",
    417: "Expectation Failed",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}

BAD_REQUEST = (
    _l("That request did not make sense"),
    _l("Something in the form or the address was not as expected. Go back and try again."),
)
PAGE_TEXTS = {
    400: BAD_REQUEST,
    414: (
        _l("That address is too long"),
        _l(
            "The address (for a search: the words you typed) is longer than this server "
            "accepts. Shorten it and try again."
        ),
    ),
    431: (
        _l("Too much was sent with the request"),
        _l(
            "Your browser sent more than this server accepts alongside the address. "
            "Clearing this site's cookies usually helps."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The problem has been logged. Nothing you saved before is lost; try again in a moment."),
    ),
}
HOME_LINK = _l("Back to the stories")


def error_status(exc: BaseException) -> int:
    """The status gunicorn gives each error it answers itself (``Worker.handle_error``)."""
    if isinstance(exc, (InvalidResponseHeader, InvalidResponseHeaderName, ConfigurationProblem)):
        return 500  # the app's or the setup's fault, not the client's
    if isinstance(exc, LimitRequestLine):
        return 414
    if isinstance(exc, LimitRequestHeaders):
        return 431
    if isinstance(exc, (ForbiddenProxyRequest, SSLError)):
        return 403
    if isinstance(exc, UnsupportedTransferCoding):
        return 501
    if isinstance(exc, ExpectationFailed):
        return 417
    if isinstance(exc, ParseException):
        return 400
    return 500


class QuietResponse(wsgi.Response):
    """gunicorn's response writer without the ``Server: gunicorn`` header."""

    def default_headers(self) -> list[str]:
        return [
            line for line in super().default_headers() if not line.lower().startswith("server:")
        ]


# Called with whatever gunicorn's sync worker passes (see its two overloads in the stubs).
_GUNICORN_CREATE: Callable[..., Any] = wsgi.create


def _create_quietly(*args: Any, response_class: Any = None, **kwargs: Any) -> Any:
    return _GUNICORN_CREATE(*args, response_class=response_class or QuietResponse, **kwargs)


class LongLineRequest(Request):
    """gunicorn's request with ``REQUEST_LINE_LIMIT`` as its request-line limit: gunicorn
    caps its own setting at 8,190 bytes (``Request.__init__`` assigns both attributes;
    these properties keep ours)."""

    @property
    def limit_request_line(self) -> int:
        return REQUEST_LINE_LIMIT

    @limit_request_line.setter
    def limit_request_line(self, value: int) -> None:
        """gunicorn's capped value is ignored."""

    @property
    def _fast_limit_request_line(self) -> int:
        return REQUEST_LINE_LIMIT

    @_fast_limit_request_line.setter
    def _fast_limit_request_line(self, value: int) -> None:
        """gunicorn's capped value is ignored."""


class StoryboardWorker(SyncWorker):
    """``worker_class`` of ``storyboard serve``."""

    error_pages: dict[int, bytes]

    def load_wsgi(self) -> None:
        super().load_wsgi()
        # The sync worker builds each response with gunicorn.http.wsgi.create and offers
        # no other way to choose the writer; this process is ours alone (after the fork).
        wsgi.create = _create_quietly
        # Likewise the request class: the parser has no other way to choose it.
        parser.RequestParser.mesg_class = LongLineRequest
        # Made at start-up, so a mistake shows when a worker boots, not on an attack.
        self.error_pages = {status: self._page(status) for status in REASONS}

    def _page(self, status: int) -> bytes:
        app = self.wsgi
        assert isinstance(app, Flask), "storyboard serve runs the Flask app itself"
        with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
            title, message = (str(text) for text in PAGE_TEXTS.get(status, BAD_REQUEST))
            home = str(HOME_LINK)
            language = app.config["BABEL_DEFAULT_LOCALE"]
        body = (
            f'<!doctype html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head>\n<body>\n"
            f"<p>{status}</p>\n<h1>{html.escape(title)}</h1>\n"
            f"<p>{html.escape(message)}</p>\n"
            f'<p><a href="/">{html.escape(home)}</a></p>\n</body>\n</html>\n'
        ).encode()
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
            ("Cache-Control", "no-store"),
            *security_header_values(app, secure=bool(self.cfg.is_ssl)),
        ]
        head = (
            f"HTTP/1.1 {status} {REASONS[status]}\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in headers)
            + "\r\n"
        )
        return head.encode("latin-1") + body

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Like gunicorn's: the same status, log lines and access-log entry, but our page
        (which, unlike gunicorn's, does not echo the bad request back)."""
        started = datetime.now()
        addr = addr or ("", -1)  # a unix socket
        status = error_status(exc)
        if status == 500:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
        else:
            self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
            req = req or getattr(exc, "req", None)
        page = self.error_pages[status]
        if req is not None:
            environ = wsgi.default_environ(req, client, self.cfg)
            environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = addr[0], str(addr[1])
            logged = wsgi.Response(req, client, self.cfg)
            logged.status = f"{status} {REASONS[status]}"
            logged.response_length = len(page)
            self.log.access(logged, req, environ, datetime.now() - started)
        try:
            util.write_nonblock(client, page)
        except Exception:  # noqa: BLE001 - the client may be gone; nothing to tell it
            self.log.debug("Failed to send error message.")
