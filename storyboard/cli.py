"""The ``storyboard`` command: Flask's commands (run, db …) plus our own."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from storyboard.db import db


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
    from storyboard.customers.cli import purge_originals_command

    app.cli.add_command(purge_originals_command)
    from storyboard.recognition.views import send_notifications_command

    app.cli.add_command(send_notifications_command)


def _valid_email(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The address as typed (trimmed), refused when it is not an e-mail address."""
    from email_validator import EmailNotValidError, validate_email

    value = value.strip()
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(f"{value!r} is not an e-mail address ({error})") from error
    return value


@click.command("create-user")
@click.option("--email", required=True, callback=_valid_email, help="Sign-in e-mail address.")
@click.option("--name", "display_name", help="Display name (defaults to the e-mail's name).")
@click.option(
    "--role",
    type=click.Choice(["agent", "manager", "stakeholder", "admin"]),
    required=True,
)
@click.option("--team", "team_slug", help="Team slug, e.g. 'retail'.")
@click.password_option(help="Asked for when not given; never echoed.")
@with_appcontext
def create_user_command(
    email: str, display_name: str | None, role: str, team_slug: str | None, password: str
) -> None:
    """Create a user account (the first admin, for instance)."""
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


def main() -> None:
    """Console entry point: ``storyboard run``, ``storyboard db upgrade``, ``storyboard demo`` …"""
    from storyboard import create_app

    cli = FlaskGroup(create_app=create_app, load_dotenv=False, help=__doc__)
    cli.main(prog_name="storyboard")
