"""Recognition: kudos for stories and the notifications that tell their authors."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.recognition.cli import send_notifications_command
    from storyboard.recognition.panel import kudos_panel
    from storyboard.recognition.views import bp
    from storyboard.stories.page import add_panel

    app.register_blueprint(bp)
    app.cli.add_command(send_notifications_command)
    add_panel(app, kudos_panel)
