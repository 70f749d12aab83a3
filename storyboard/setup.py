"""The ``configure_*`` steps of ``create_app``, each small and side-effect free."""

from __future__ import annotations

import hmac
from pathlib import Path

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from storyboard.access import enforce_access
from storyboard.db import db
from storyboard.extensions import babel, csrf, limiter, login_manager, migrate
from storyboard.i18n.locale import select_locale

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https: data:",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def configure_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"

    from storyboard.models import User

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a session or remember-me cookie, unless deactivated since or the
        password changed since (``User.get_id`` carries a tag of the password hash)."""
        user_id, _dot, tag = str(session_id).partition(".")
        try:
            user = db.session.get(User, int(user_id))
        except (TypeError, ValueError, OverflowError):
            return None
        if user is None or not user.active:
            return None
        return user if hmac.compare_digest(tag, user.session_tag()) else None


def configure_blueprints(app: Flask) -> None:
    from storyboard.admin.views import bp as admin_bp
    from storyboard.api.views import bp as api_bp
    from storyboard.api.views import docs_bp as api_docs_bp
    from storyboard.auth.views import bp as auth_bp
    from storyboard.curation.views import bp as curation_bp
    from storyboard.customers.views import moderation_bp, share_bp
    from storyboard.dashboard.views import bp as dashboard_bp
    from storyboard.digest.views import bp as digest_bp
    from storyboard.i18n.views import bp as i18n_bp
    from storyboard.nps.views import bp as nps_bp
    from storyboard.lessons.views import bp as lessons_bp
    from storyboard.people.views import bp as people_bp
    from storyboard.profile.views import bp as profile_bp
    from storyboard.recognition.views import bp as recognition_bp
    from storyboard.ops.health import bp as ops_bp
    from storyboard.search.views import bp as search_bp
    from storyboard.stories.views import bp as stories_bp

    for blueprint in (auth_bp, stories_bp, search_bp, curation_bp, nps_bp, dashboard_bp,
                      digest_bp, profile_bp, share_bp, moderation_bp, recognition_bp,
                      lessons_bp, people_bp, admin_bp, i18n_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(ops_bp)
    app.register_blueprint(api_bp)
    from storyboard.webhooks import events  # noqa: F401 - registers the delivery queue
    app.register_blueprint(api_docs_bp)
    csrf.exempt(api_bp)  # bearer tokens only, no cookies: nothing for CSRF to forge


def configure_security(app: Flask) -> None:
    app.before_request(enforce_access)
    hops = app.config.get("PROXY_COUNT", 0)
    if hops:
        # Only behind a configured proxy: trusting X-Forwarded-* from anyone would let a
        # client fake its address (rate limits) and the scheme (secure cookies, HSTS).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def configure_search(app: Flask) -> None:
    from storyboard.search.service import configure_search as configure

    configure(app)


def configure_errors(app: Flask) -> None:
    from storyboard.errors import register_error_handlers

    register_error_handlers(app)


def configure_templates(app: Flask) -> None:
    from storyboard.template_helpers import register_template_helpers

    register_template_helpers(app)


def configure_cli(app: Flask) -> None:
    from storyboard.cli import register_commands

    register_commands(app)
