"""``storyboard demo``: database, demo data, and the server."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Start the server afterwards.")
def demo_command(serve: bool) -> None:
    """Create the database if missing, load the demo organisation, serve it."""
    raise click.ClickException("demo data is not written yet")
