"""RFC 9457 problem details: every API error is ``application/problem+json``.

The body says what went wrong in words a developer can act on (``detail``) and, for
invalid input, which fields (``errors``). Used by the API views and by the app's error
handlers for any request under ``/api/``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"


class ApiProblem(Exception):
    """Raised inside an API view; answered as a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response: type, title, status, detail (and errors, if any)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_exception(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, errors=error.errors, headers=error.headers)


# What the standard HTTP errors mean for an API client.
HTTP_DETAILS = {
    400: "The request could not be read.",
    401: "Send a valid API token: Authorization: Bearer <token>.",
    403: "Your token or its user may not do this.",
    404: "There is nothing at this address, or your token's user may not see it.",
    405: "This address does not accept that method.",
    409: "Another request saved the same thing at the same moment; the first one stands.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    429: "Too many requests for this token; wait as Retry-After says.",
    500: "Something went wrong on our side; it has been logged. Try again later.",
}
