"""Customer stories: the public form, moderation, the customer's own status page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.customers.cli import purge_originals_command, rerender_stories_command
    from storyboard.customers.views import moderation_bp, share_bp

    app.register_blueprint(share_bp)
    app.register_blueprint(moderation_bp)
    app.cli.add_command(purge_originals_command)
    app.cli.add_command(rerender_stories_command)
