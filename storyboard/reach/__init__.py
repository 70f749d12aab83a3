"""Reach: reads of stories, counted by role, and bringing stories to readers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.reach.panel import reach_panel, record_read
    from storyboard.reach.views import bp
    from storyboard.stories.page import add_panel, when_shown

    app.register_blueprint(bp)
    add_panel(app, reach_panel)
    when_shown(app, record_read)
