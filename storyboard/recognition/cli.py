"""``storyboard send-notifications`` (cron, every few minutes): last week's reach notes,
then each person's unmailed notifications in one e-mail."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from storyboard.db import db
from storyboard.mail import MailServerError
from storyboard.reach.service import notify_weekly_reach
from storyboard.recognition.mailing import send_notification_emails
from storyboard.weeks import app_timezone, last_complete_week


@click.command(
    "send-notifications",
    help=_l("E-mail people what happened to their stories (run from cron every few minutes)."),
)
@with_appcontext
def send_notifications_command() -> None:
    # Last week's reach, once per story (the first run after Sunday midnight makes it).
    notify_weekly_reach(last_complete_week(), app_timezone())
    db.session.commit()
    try:
        summary = send_notification_emails()
    except MailServerError as error:
        raise click.ClickException(
            gettext("%(error)s. Nothing was marked as sent.", error=error)
        ) from error
    click.echo(
        gettext(
            "Sent %(sent)s e-mail(s) with %(notes)s notification(s); failed %(failed)s.",
            sent=summary.sent,
            notes=summary.notifications,
            failed=len(summary.failed),
        )
    )
    for address, reason in summary.failed:
        click.echo(
            "  "
            + gettext(
                "failed: %(address)s: %(reason)s (tried again on the next run)",
                address=address,
                reason=reason,
            ),
            err=True,
        )
    if summary.failed:
        raise click.exceptions.Exit(1)
