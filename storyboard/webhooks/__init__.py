"""Outgoing webhooks: a signed POST to other systems when a story is published or
featured, queued in the event's transaction and sent by ``storyboard worker``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.webhooks import events
    from storyboard.webhooks.cli import worker_command

    events.listen()
    app.cli.add_command(worker_command)
