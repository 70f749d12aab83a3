"""Declarative access rules: every view says who may open it, and the app fails closed.

A view is decorated with ``@public``, ``@signed_in``, ``@roles_required(...)`` or, in the
API, ``@token_required(scope, roles)`` (a bearer token, never the session cookie). A
``before_request`` hook reads that rule; an endpoint without a rule answers 403, so a
forgotten decorator can never expose a page. ``tests/web/test_access.py`` walks the URL map
and checks every endpoint × role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_login import current_user

from storyboard.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTRIBUTE = "_storyboard_access"
PUBLIC = "public"
SIGNED_IN = "signed_in"

EDITORS = (Role.AGENT, Role.MANAGER)
READERS = (Role.AGENT, Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN)
# Who follows the numbers: the dashboard, the weekly digest and its e-mail and feed.
NUMBERS_READERS = (Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN)


# Stakeholders and managers land on the dashboard (numbers next to stories); everyone
# else on the stories.
DASHBOARD_FIRST = (Role.STAKEHOLDER, Role.MANAGER)


def landing_endpoint(role: Role) -> str:
    """The endpoint a signed-in user with ``role`` starts on ("/" and after sign-in)."""
    return "dashboard.index" if role in DASHBOARD_FIRST else "stories.index"


def _rule(value: object) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        setattr(view, ACCESS_ATTRIBUTE, value)
        return view

    return decorate


def public(view: F) -> F:
    """Anyone, signed in or not, may open this view."""
    return _rule(PUBLIC)(view)


def signed_in(view: F) -> F:
    """Any active, signed-in user may open this view."""
    return _rule(SIGNED_IN)(view)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Only signed-in users with one of ``roles`` may open this view."""
    return _rule(frozenset(roles))


@dataclass(frozen=True)
class TokenRule:
    """An API route: a bearer token with ``scope`` whose user has one of ``roles``.
    Checked by ``storyboard.api.auth``; a signed-in browser session counts for nothing."""

    scope: str
    roles: frozenset[Role]


def token_required(scope: str, roles: tuple[Role, ...]) -> Callable[[F], F]:
    """Only requests with a valid token that has ``scope``, of a user with one of ``roles``."""
    return _rule(TokenRule(scope, frozenset(roles)))


TOKEN_CHECK = "storyboard.token_check"


def check_tokens_with(app: Flask, check: Callable[[TokenRule], Any]) -> None:
    """Let ``check`` decide requests to API routes: it returns None to let one through,
    or the answer to refuse it with (``storyboard.api`` registers its bearer tokens)."""
    app.extensions[TOKEN_CHECK] = check


def access_rule(endpoint: str | None, app: Flask) -> object | None:
    """The declared rule of an endpoint, or None when it has none."""
    if endpoint is None:
        return None
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def enforce_access() -> Any:
    """``before_request`` hook: apply the endpoint's rule, failing closed."""
    if request.endpoint is None:  # no route matched: let Flask answer 404/405
        return None
    rule = access_rule(request.endpoint, current_app)
    if rule == PUBLIC:
        return None
    if isinstance(rule, TokenRule):
        check = current_app.extensions.get(TOKEN_CHECK)
        if check is None:  # no API wired into this app: fail closed
            abort(403)
        return check(rule)
    if rule is None:
        current_app.logger.error("endpoint %s has no access rule; refused", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if rule == SIGNED_IN:
        return None
    assert isinstance(rule, frozenset)
    if current_user.role not in rule:
        abort(403)
    return None


def signed_in_person() -> User:
    """The signed-in person itself, not the ``current_user`` proxy: code that reads the
    person many times in one request (a busy story's 200 comments) takes it once, since
    each attribute read through the proxy is a context look-up."""
    return current_user._get_current_object()  # noqa: SLF001 - how werkzeug unwraps a proxy


def is_safe_next_url(target: str | None) -> TypeGuard[str]:
    """True for a same-site path such as ``/stories/3``; false for anything that could
    leave the site (``//evil``, ``/\\evil``, ``https://…``, ``javascript:``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\\\r\n\t\x00"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
