"""Auth area."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.auth.views import bp, shortcuts_bp

    app.register_blueprint(bp)
    app.register_blueprint(shortcuts_bp)
