"""The organisation's own look on the customer's side: its name, logo and colour
(``STORYBOARD_ORG_*``) on the public form, its receipt and status page and the e-mails
customers get."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.branding.service import organisation
    from storyboard.branding.views import bp

    app.register_blueprint(bp)
    app.context_processor(lambda: {"org": organisation(app.config)})
