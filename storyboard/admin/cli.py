"""``storyboard create-user``: an account from the command line (the first admin)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storyboard.admin.service import AdminError, UserInput, create_user
from storyboard.db import db
from storyboard.i18n.cli import option, password_option
from storyboard.models import Role, Team


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
    click.echo(
        _(
            "Created %(role)s %(email)s (id %(id)s).",
            role=user.role.value,
            email=user.email,
            id=user.id,
        )
    )
