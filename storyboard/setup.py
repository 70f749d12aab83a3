"""The ``configure_*`` steps of ``create_app``, each small and side-effect free: the
extensions, every feature's ``init_app``, security, errors and template helpers."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from storyboard import (
    admin,
    api,
    auth,
    branding,
    curation,
    customers,
    dashboard,
    demo,
    digest,
    i18n,
    lessons,
    nps,
    ops,
    page_cache,
    people,
    profile,
    reach,
    recognition,
    search,
    static_files,
    stories,
    webhooks,
)
from storyboard.access import enforce_access
from storyboard.auth.sessions import user_for_session
from storyboard.db import MIGRATIONS_DIR, db, listen_for_sqlite_connections
from storyboard.errors import register_error_handlers
from storyboard.extensions import babel, csrf, limiter, login_manager, migrate
from storyboard.headers import security_header_values
from storyboard.i18n.locale import select_locale
from storyboard.problems import is_api_request
from storyboard.search import pg_schema
from storyboard.template_helpers import register_template_helpers


def configure_extensions(app: Flask) -> None:
    db.init_app(app)
    listen_for_sqlite_connections()
    page_cache.init_app(app)
    # Autogenerate leaves the PostgreSQL search backend's own tables alone.
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), include_object=pg_schema.include_object
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"

    # The user of a session or remember-me cookie, while that server-side session
    # exists, the account is active and the password unchanged (see auth.sessions).
    login_manager.user_loader(user_for_session)


# Each feature wires its own pages, commands, listeners and story-page panels in its
# ``init_app``; this list is the one place that says which features the portal has.
FEATURES = (
    auth,
    stories,
    search,
    curation,
    nps,
    dashboard,
    digest,
    profile,
    customers,
    branding,
    recognition,
    lessons,
    people,
    admin,
    i18n,
    reach,
    ops,
    api,
    webhooks,
    demo,
)


def configure_features(app: Flask) -> None:
    for feature in FEATURES:
        feature.init_app(app)


def configure_security(app: Flask) -> None:
    app.before_request(enforce_access)
    hops = app.config.get("PROXY_COUNT", 0)
    if hops:
        # Only behind a configured proxy: trusting X-Forwarded-* from anyone would let a
        # client fake its address (rate limits) and the scheme (secure cookies, HSTS).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )

    from flask_login import current_user

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in security_header_values(app, secure=request.is_secure):
            headers.setdefault(name, value)
        if is_api_request() or (request.endpoint != "static" and current_user.is_authenticated):
            # What a signed-in person or an API client was sent (pages, redirects,
            # downloads, errors) stays out of browser and proxy caches: no back button
            # on a shared computer shows it. Static files keep their caching.
            headers["Cache-Control"] = "no-store"
        return response


def configure_errors(app: Flask) -> None:
    register_error_handlers(app)


def configure_templates(app: Flask) -> None:
    register_template_helpers(app)
    static_files.init_app(app)
