"""The ``storyboard`` command: Flask's commands (run, db …) plus our own."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, NoAppException, ScriptInfo, with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storyboard.db import db
from storyboard.i18n.cli import option, password_option


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    from storyboard.demo.cli import demo_command
    from storyboard.nps.cli import import_nps_command
    from storyboard.search.cli import index_group, reindex_command

    app.cli.add_command(demo_command)
    app.cli.add_command(import_nps_command)
    app.cli.add_command(reindex_command)
    app.cli.add_command(index_group)
    from storyboard.ops.cli import backup_command, restore_command, serve_command

    app.cli.add_command(serve_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from storyboard.digest.cli import send_digest_command

    app.cli.add_command(send_digest_command)
    from storyboard.customers.cli import purge_originals_command, rerender_stories_command

    app.cli.add_command(purge_originals_command)
    app.cli.add_command(rerender_stories_command)
    from storyboard.recognition.views import send_notifications_command

    app.cli.add_command(send_notifications_command)
    from storyboard.webhooks.cli import worker_command

    app.cli.add_command(worker_command)


def _valid_email(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The address as typed (trimmed), refused when it is not an e-mail address."""
    from email_validator import EmailNotValidError, validate_email

    value = value.strip()
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(f"{value!r} is not an e-mail address ({error})") from error
    return value


@click.command("create-user", help=_l("Create a user account (the first admin, for instance)."))
@option("--email", required=True, callback=_valid_email, help=_l("Sign-in e-mail address."))
@option("--name", "display_name", help=_l("Display name (defaults to the e-mail's name)."))
@option(
    "--role",
    type=click.Choice(["agent", "manager", "stakeholder", "admin"]),
    required=True,
)
@option("--team", "team_slug", help=_l("Team slug, e.g. 'retail'."))
@password_option(help=_l("Asked for when not given; never echoed."))
@with_appcontext
def create_user_command(
    email: str, display_name: str | None, role: str, team_slug: str | None, password: str
) -> None:
    from storyboard.admin.service import AdminError, UserInput, create_user
    from storyboard.models import Role, Team

    team_id = None
    if team_slug:
        team = db.session.scalar(select(Team).where(Team.slug == team_slug))
        if team is None:
            raise click.BadParameter(f"no team with slug {team_slug!r}", param_hint="--team")
        team_id = team.id
    data = UserInput(
        email=email.strip(),
        display_name=(display_name or email.split("@")[0]).strip(),
        role=Role(role),
        team_id=team_id,
        password=password,
    )
    try:
        user = create_user(data)
        db.session.commit()
    except AdminError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(_("Created %(role)s %(email)s (id %(id)s).", role=user.role.value, email=user.email,
                 id=user.id))


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
        if app is not None and not (current_app and current_app._get_current_object() is app):
            ctx.with_resource(app.app_context())
        super().format_help_text(ctx, formatter)


def storyboard_group(create_app: Callable[[], Flask] | None = None) -> StoryboardGroup:
    """The ``storyboard`` command group around ``create_app`` (the package's factory)."""
    if create_app is None:
        from storyboard import create_app
    return StoryboardGroup(create_app=create_app, load_dotenv=False, help=_l(
        "Storyboard: the service stories behind the NPS. Flask's commands (run, db …) "
        "plus our own."))


def main() -> None:
    """Console entry point: ``storyboard run``, ``storyboard db upgrade``, ``storyboard demo`` …"""
    storyboard_group().main(prog_name="storyboard")
