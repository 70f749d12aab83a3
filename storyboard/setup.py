"""The ``configure_*`` steps of ``create_app``, each small and side-effect free."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from storyboard.access import enforce_access
from storyboard.db import db
from storyboard.extensions import babel, csrf, limiter, login_manager, migrate
from storyboard.i18n.locale import select_locale

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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

    from storyboard.auth.sessions import user_for_session

    # The user of a session or remember-me cookie, while that server-side session
    # exists, the account is active and the password unchanged (see auth.sessions).
    login_manager.user_loader(user_for_session)


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
    from storyboard.reach.views import bp as reach_bp
    from storyboard.recognition.views import bp as recognition_bp
    from storyboard.ops.health import bp as ops_bp
    from storyboard.search.views import bp as search_bp
    from storyboard.stories.views import bp as stories_bp

    for blueprint in (auth_bp, stories_bp, search_bp, curation_bp, nps_bp, dashboard_bp,
                      digest_bp, profile_bp, share_bp, moderation_bp, recognition_bp,
                      lessons_bp, people_bp, admin_bp, i18n_bp, reach_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(ops_bp)
    app.register_blueprint(api_bp)
    from storyboard.webhooks import events  # noqa: F401 - registers the delivery queue
    app.register_blueprint(api_docs_bp)
    csrf.exempt(api_bp)  # bearer tokens only, no cookies: nothing for CSRF to forge


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


def configure_security(app: Flask) -> None:
    app.before_request(enforce_access)
    hops = app.config.get("PROXY_COUNT", 0)
    if hops:
        # Only behind a configured proxy: trusting X-Forwarded-* from anyone would let a
        # client fake its address (rate limits) and the scheme (secure cookies, HSTS).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    from flask_login import current_user

    from storyboard.api.problems import is_api_request

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in security_header_values(app, secure=request.is_secure):
            headers.setdefault(name, value)
        if is_api_request() or (request.endpoint != "static"
                                and current_user.is_authenticated):
            # What a signed-in person or an API client was sent (pages, redirects,
            # downloads, errors) stays out of browser and proxy caches: no back button
            # on a shared computer shows it. Static files keep their caching.
            headers["Cache-Control"] = "no-store"
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
