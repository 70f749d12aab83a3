"""Learning moments: stories that should change the process, followed to the end."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.lessons.panel import lesson_panel
    from storyboard.lessons.views import bp
    from storyboard.stories.page import add_panel

    app.register_blueprint(bp)
    add_panel(app, lesson_panel)
