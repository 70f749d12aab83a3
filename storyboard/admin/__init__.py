"""Admin area."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.admin.cli import create_user_command
    from storyboard.admin.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_user_command)
