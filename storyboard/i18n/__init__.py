"""Dutch and English: which language a page speaks, and the switch in the footer."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.i18n.locale import install_template_gettext
    from storyboard.i18n.views import bp

    app.register_blueprint(bp)
    install_template_gettext(app)
