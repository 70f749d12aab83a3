"""Bearer authentication for ``/api/v1``: called by ``access.enforce_access`` for every
API endpoint before its view runs; the session cookie is never looked at."""

from __future__ import annotations

from flask import g, request
from werkzeug.wrappers import Response

from storyboard.access import TokenRule
from storyboard.api.tokens import digest_of, mark_used, usable_token
from storyboard.models import ApiToken, User
from storyboard.problems import problem

_CHALLENGE = 'Bearer realm="storyboard"'


def _unauthorized(detail: str, error: str | None = None) -> Response:
    challenge = _CHALLENGE + (f', error="{error}"' if error else "")
    return problem(401, detail, headers={"WWW-Authenticate": challenge})


def authenticate(rule: TokenRule) -> Response | None:
    """None when the request carries a usable token with the rule's scope and role;
    otherwise the 401 or 403 problem to answer with."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.strip().partition(" ")
    if not header:
        return _unauthorized(
            "This API needs a token: send Authorization: Bearer <token>. "
            "Create one on your profile page."
        )
    if scheme.lower() != "bearer" or not secret.strip():
        return _unauthorized("Send the token as Authorization: Bearer <token>.", "invalid_request")
    token = usable_token(secret.strip())
    if token is None:
        return _unauthorized(
            "This token is unknown, revoked or expired, or its user is deactivated.",
            "invalid_token",
        )
    if rule.scope not in token.scope_set:
        return problem(
            403,
            f"This token lacks the {rule.scope!r} permission; create a "
            "token with it on your profile page.",
            headers={
                "WWW-Authenticate": _CHALLENGE
                + f', error="insufficient_scope", scope="{rule.scope}"'
            },
        )
    if token.user.role not in rule.roles:
        return problem(403, f"A {token.user.role.value}'s token cannot use this route.")
    mark_used(token)
    g.api_token = token
    return None


def api_user() -> User:
    """The user the current API request acts as (set by ``authenticate``)."""
    token: ApiToken = g.api_token
    return token.user


def rate_limit_key() -> str:
    """Requests are counted per token: the key is a digest of the Authorization header
    (the same for every request with one token; known before authentication runs)."""
    return "api:" + digest_of(request.headers.get("Authorization", ""))[:24]
