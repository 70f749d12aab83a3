"""Deterministic demo organisation: teams, people and a season of stories.

``people`` (teams, users, the shared password), ``content`` (the prose as TOML data:
hand-written stories, and the scenarios and words per language the generator
combines), ``generator`` (the seeded plan, no database), ``loader`` (the plan into
the database, idempotently) and ``cli`` (``storyboard demo``). ``survey`` plans
sixteen weeks of NPS answers per team and ``features`` features stories per team and
for the organisation; both are loaded once.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.demo.cli import demo_command

    app.cli.add_command(demo_command)
