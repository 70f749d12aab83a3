"""Curation: featuring stories for a team and a week, and the balance of what was featured."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.curation.panel import feature_panel
    from storyboard.curation.views import bp
    from storyboard.stories.page import add_panel

    app.register_blueprint(bp)
    add_panel(app, feature_panel)
