"""The weekly digest: numbers and stories of one ISO week, on the web, by e-mail, as a feed."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.digest.cli import send_digest_command
    from storyboard.digest.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(send_digest_command)
