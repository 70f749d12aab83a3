"""Friendly error pages (and JSON for fetch requests); nothing user-caused shows a trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from storyboard.db import db
from storyboard.problems import HTTP_DETAILS, is_api_request, problem


class UserError(ValueError):
    """A problem the person caused and can fix (a taken name, a week in the past, a
    story too long to show). Its message says what to do and is shown as it is; every
    service's own error class derives from this one."""


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("That request did not make sense"),
            _("Something in the form or the address was not as expected. Go back and try again."),
        ),
        403: (
            _("Not for your role"),
            _("Your account cannot open this page. Ask an admin if you think it should."),
        ),
        404: (
            _("Page not found"),
            _(
                "This page does not exist, or you cannot see it. The story may have been "
                "unpublished or deleted."
            ),
        ),
        405: (_("Not allowed that way"), _("This page cannot be used like that.")),
        409: (
            _("Saved at the same moment"),
            _(
                "Someone else, or a second click, saved the same thing at the same moment. "
                "The first one stands and nothing was half-saved: reload the page to see it."
            ),
        ),
        413: (_("Too large"), _("What you sent is too large. Shorten it and try again.")),
        429: (
            _("Slow down a little"),
            _("Too many attempts in a short time. Wait a minute and try again."),
        ),
        500: (
            _("Something went wrong on our side"),
            _(
                "The problem has been logged. Nothing you saved before is lost; try again "
                "in a moment."
            ),
        ),
    }


def render_error(code: int, detail: str | None = None) -> tuple[str | Response, int]:
    title, message = _messages().get(code, (_("Error"), ""))
    if _wants_json():
        from flask import jsonify

        return jsonify(error=detail or message, status=code), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        return render_error(
            400,
            _(
                "This form has expired or was sent from somewhere else. Reload the page "
                "and send it again; what you typed is still in your browser's back button."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int] | HTTPException | Response:
        if error.code is None or error.code < 400:
            return error
        if is_api_request():
            return api_problem(error)
        return render_error(error.code)

    @app.errorhandler(IntegrityError)
    def conflict(error: IntegrityError) -> tuple[str | Response, int] | Response:
        """A save the database refused as a duplicate after the form's own checks had
        passed: two requests raced (a double click, two admins naming a theme alike).
        Views that expect a race answer it themselves; this is the net under all the
        others. Any other refusal (a missing value, a broken reference) is a bug: a 500."""
        db.session.rollback()
        if not is_duplicate(error):
            raise error
        current_app.logger.warning("a save refused by the database: %s", error.orig)
        if is_api_request():
            return problem(409, HTTP_DETAILS[409])
        return render_error(409)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str | Response, int] | Response:
        db.session.rollback()
        if is_api_request():
            return api_problem(error)
        return render_error(500)


def is_duplicate(error: IntegrityError) -> bool:
    """Whether the database refused a row because a unique index already holds its key
    (PostgreSQL's SQLSTATE 23505; SQLite says so in its message)."""
    if getattr(error.orig, "sqlstate", None) == "23505":
        return True
    return "UNIQUE constraint failed" in str(error.orig)


def api_problem(error: HTTPException) -> Response:
    """An HTTP error under /api/ as problem+json, keeping its headers (Retry-After)."""
    code = error.code or 500
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in {"content-type", "content-length"}
    }
    valid_methods = getattr(error, "valid_methods", None)  # MethodNotAllowed's
    if code == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    return problem(
        code, HTTP_DETAILS.get(code, error.description or "The request failed."), headers=headers
    )
