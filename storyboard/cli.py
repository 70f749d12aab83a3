"""The ``storyboard`` command: Flask's commands (run, db …) plus our own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, NoAppException, ScriptInfo
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy


class StoryboardGroup(FlaskGroup):
    """Flask's command group, with its own help in the organisation's language.

    Flask loads the app only when it looks up a subcommand, after the group's help text
    is written; this loads it first, so the text is translated like the rest.
    """

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException:
            app = None  # the help still shows, in English; running a command says why
        # flask types current_app as the app; it is the proxy in front of it.
        active = cast("LocalProxy[Flask]", current_app)
        unwrapped = active._get_current_object() if active else None  # noqa: SLF001 - how werkzeug unwraps a proxy
        if app is not None and unwrapped is not app:
            ctx.with_resource(app.app_context())
        super().format_help_text(ctx, formatter)


def storyboard_group(create_app: Callable[[], Flask] | None = None) -> StoryboardGroup:
    """The ``storyboard`` command group around ``create_app`` (the package's factory)."""
    if create_app is None:
        from storyboard import create_app
    return StoryboardGroup(
        create_app=create_app,
        load_dotenv=False,
        help=_l(
            "Storyboard: the service stories behind the NPS. Flask's commands (run, db …) "
            "plus our own."
        ),
    )


def main() -> None:
    """Console entry point: ``storyboard run``, ``storyboard db upgrade``, ``storyboard demo`` …"""
    storyboard_group().main(prog_name="storyboard")
