"""``/api/v1``: the JSON API for survey tools, CRM and other systems (see ``views``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.access import check_tokens_with
    from storyboard.api.auth import authenticate
    from storyboard.api.views import bp, docs_bp
    from storyboard.extensions import csrf

    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    csrf.exempt(bp)  # bearer tokens only, no cookies: nothing for CSRF to forge
    check_tokens_with(app, authenticate)
