"""Archive search: a backend interface, the Whoosh backend, the outbox that feeds it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire this feature into ``app`` (called by ``create_app``)."""
    from storyboard.search import outbox
    from storyboard.search.cli import index_group, reindex_command, search_group
    from storyboard.search.service import configure_search
    from storyboard.search.views import bp

    outbox.listen()
    configure_search(app)
    app.register_blueprint(bp)
    app.cli.add_command(reindex_command)
    app.cli.add_command(index_group)
    app.cli.add_command(search_group)
