"""``storyboard send-digest``: the weekly digest by e-mail (cron: Monday 08:00)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from storyboard.digest.builder import last_complete_week
from storyboard.digest.sending import SendSummary, recipients, send_digest
from storyboard.mail import MailServerError
from storyboard.weeks import IsoWeek, app_timezone


def _week(ctx: click.Context, param: click.Parameter, value: str | None) -> IsoWeek | None:
    if value is None:
        return None
    try:
        week = IsoWeek.parse(value.strip())
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a week; write it like 2026-W47") from error
    from storyboard.db import utcnow

    if week.key >= IsoWeek.at(utcnow(), app_timezone()).key:
        raise click.BadParameter(f"{week} has not ended yet; the digest is of a whole week")
    return week


@click.command("send-digest")
@click.option("--week", callback=_week, metavar="YYYY-Www",
              help="The week to send [default: the last complete week].")
@click.option("--dry-run", is_flag=True, help="Show who would get it; send nothing.")
@click.option("--to", "addresses", multiple=True, metavar="ADDRESS",
              help="Send only to this address (repeatable); not logged, for a test.")
@with_appcontext
def send_digest_command(week: IsoWeek | None, dry_run: bool,
                        addresses: tuple[str, ...]) -> None:
    """E-mail the weekly digest to everyone subscribed, once per person and week."""
    week = week or last_complete_week()
    count = len(addresses) if addresses else len(recipients())
    click.echo(f"Digest of {week}: {count} recipient(s){' (dry run)' if dry_run else ''}.")
    try:
        with click.progressbar(length=max(count, 1), label="Sending", show_pos=True) as bar:
            summary = send_digest(week, dry_run=dry_run, to=list(addresses) or None,
                                  progress=lambda _address: bar.update(1))
    except MailServerError as error:
        raise click.ClickException(f"{error}. Nothing was sent or marked as sent.") from error
    _print(summary, dry_run)
    if not summary.ok:
        raise click.exceptions.Exit(1)


def _print(summary: SendSummary, dry_run: bool) -> None:
    if dry_run:
        for address in summary.would_send:
            click.echo(f"  would send to {address}")
        for address in summary.already_sent:
            click.echo(f"  already sent: {address}")
        click.echo(f"Would send {len(summary.would_send)}; already sent "
                   f"{len(summary.already_sent)}.")
        return
    click.echo(f"Sent {len(summary.sent)}; already sent before {len(summary.already_sent)}; "
               f"failed {len(summary.failed)}.")
    for address, reason in summary.failed:
        click.echo(f"  failed: {address}: {reason} (tried again on the next run)", err=True)
