"""Pages per colleague and per team: their stories, kudos and features (recognition,
never a ranking)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.people.views import bp

    app.register_blueprint(bp)
