"""NPS: survey answers in (import), honest numbers out (math with a margin of error)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.nps import rollup
    from storyboard.nps.cli import import_nps_command
    from storyboard.nps.panel import answer_panel
    from storyboard.nps.views import bp
    from storyboard.stories.page import add_panel

    rollup.listen()
    app.register_blueprint(bp)
    app.cli.add_command(import_nps_command)
    add_panel(app, answer_panel)
