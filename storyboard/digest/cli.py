"""``storyboard send-digest``: the weekly digest by e-mail (cron: Monday 08:00)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storyboard.db import utcnow
from storyboard.digest.sending import SendSummary, recipients, send_digest
from storyboard.i18n.cli import option
from storyboard.mail import MailServerError
from storyboard.weeks import IsoWeek, app_timezone, last_complete_week


def _week(ctx: click.Context, param: click.Parameter, value: str | None) -> IsoWeek | None:
    if value is None:
        return None
    try:
        week = IsoWeek.parse(value.strip())
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a week; write it like 2026-W47") from error

    if week.key >= IsoWeek.at(utcnow(), app_timezone()).key:
        raise click.BadParameter(f"{week} has not ended yet; the digest is of a whole week")
    return week


@click.command(
    "send-digest",
    help=_l("E-mail the weekly digest to everyone subscribed, once per person and week."),
)
@option(
    "--week",
    callback=_week,
    metavar="YYYY-Www",
    help=_l("The week to send [default: the last complete week]."),
)
@option("--dry-run", is_flag=True, help=_l("Show who would get it; send nothing."))
@option(
    "--to",
    "addresses",
    multiple=True,
    metavar="ADDRESS",
    help=_l("Send only to this address (repeatable); not logged, for a test."),
)
@with_appcontext
def send_digest_command(week: IsoWeek | None, dry_run: bool, addresses: tuple[str, ...]) -> None:
    week = week or last_complete_week()
    count = len(addresses) if addresses else len(recipients())
    click.echo(
        _("Digest of %(week)s: %(count)s recipient(s) (dry run).", week=week, count=count)
        if dry_run
        else _("Digest of %(week)s: %(count)s recipient(s).", week=week, count=count)
    )
    try:
        with click.progressbar(length=max(count, 1), label=_("Sending"), show_pos=True) as bar:
            summary = send_digest(
                week,
                dry_run=dry_run,
                to=list(addresses) or None,
                progress=lambda _address: bar.update(1),
            )
    except MailServerError as error:
        raise click.ClickException(
            _("%(error)s. Nothing was sent or marked as sent.", error=error)
        ) from error
    _print(summary, dry_run)
    if not summary.ok:
        raise click.exceptions.Exit(1)


def _print(summary: SendSummary, dry_run: bool) -> None:
    if dry_run:
        for address in summary.would_send:
            click.echo("  " + _("would send to %(address)s", address=address))
        for address in summary.already_sent:
            click.echo("  " + _("already sent: %(address)s", address=address))
        click.echo(
            _(
                "Would send %(send)s; already sent %(sent)s.",
                send=len(summary.would_send),
                sent=len(summary.already_sent),
            )
        )
        return
    click.echo(
        _(
            "Sent %(sent)s; already sent before %(before)s; failed %(failed)s.",
            sent=len(summary.sent),
            before=len(summary.already_sent),
            failed=len(summary.failed),
        )
    )
    for address, reason in summary.failed:
        click.echo(
            "  "
            + _(
                "failed: %(address)s: %(reason)s (tried again on the next run)",
                address=address,
                reason=reason,
            ),
            err=True,
        )
