"""Running Storyboard in production: health checks, serving with gunicorn, backups,
``storyboard doctor``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.ops.cli import (
        backup_command,
        doctor_command,
        restore_command,
        serve_command,
    )
    from storyboard.ops.health import bp

    app.register_blueprint(bp)
    app.cli.add_command(serve_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(doctor_command)
