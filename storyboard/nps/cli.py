"""``storyboard import-nps FILE``: survey answers from a CSV export."""

from __future__ import annotations

import io
import os
from typing import IO

import click
from flask.cli import with_appcontext
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from storyboard.audit import service as audit
from storyboard.db import db
from storyboard.i18n.cli import option
from storyboard.nps import rollup
from storyboard.nps.importer import (
    DEFAULT_SOURCE,
    FIELDS,
    ImportOptions,
    ImportReport,
    import_answers,
    import_summary,
    parse_mapping,
)

LISTED_ON_SCREEN = 50


def _mapping(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    try:
        return parse_mapping(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@click.command(
    "import-nps",
    help=_l(
        "Import NPS survey answers from a CSV file (UTF-8, ',' or ';' separated). "
        "Re-importing the same file adds nothing. Bad rows are reported with their line "
        "number; the good ones are imported unless --strict."
    ),
)
@click.argument("file", type=click.File("rb"))
@option(
    "--source",
    default=DEFAULT_SOURCE,
    show_default=True,
    help=_l(
        "Survey system the answers come from; with the external id it makes "
        "an answer unique. A 'source' column overrides it per row."
    ),
)
@option(
    "--map",
    "mapping",
    multiple=True,
    callback=_mapping,
    metavar="COLUMN=FIELD",
    help=_l("Read a CSV column as a field (%(fields)s); repeatable.", fields=", ".join(FIELDS)),
)
@option("--strict", is_flag=True, help=_l("Import nothing when any row is bad."))
@option("--create-teams", is_flag=True, help=_l("Create teams the file names but we lack."))
@with_appcontext
def import_nps_command(
    file: IO[bytes], source: str, mapping: dict[str, str], strict: bool, create_teams: bool
) -> None:
    options = ImportOptions(
        source=source.strip() or DEFAULT_SOURCE,
        mapping=mapping,
        strict=strict,
        create_teams=create_teams,
    )
    try:
        size = os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        size = 0
    with click.progressbar(
        length=size or 1,
        label=_("Importing answers"),
        show_pos=False,
        show_percent=True,
        show_eta=True,
    ) as bar:
        try:
            report = import_answers(file, options, progress=bar.update)
        except IntegrityError as error:
            db.session.rollback()
            raise click.ClickException(
                _("another import wrote the same answers at the same time; run it again")
            ) from error
    if report.accepted:
        audit.record(
            None, "nps.import", "survey_answers", None, import_summary(report, options.source)
        )
        db.session.commit()
        if report.imported:
            rollup.warm()  # the dashboard's weekly numbers, counted once now
    else:
        db.session.rollback()
    _print_report(report)
    if not report.accepted:
        raise click.exceptions.Exit(1)


def _print_report(report: ImportReport) -> None:
    if report.file_error:
        click.echo(_("Nothing imported: %(why)s", why=report.file_error), err=True)
        return
    click.echo(
        _(
            "Read %(read)s rows: %(imported)s imported, %(duplicates)s duplicates, "
            "%(rejected)s rejected.",
            read=format_decimal(report.read),
            imported=format_decimal(report.imported),
            duplicates=format_decimal(report.duplicates),
            rejected=format_decimal(report.rejected_count),
        )
    )
    if report.teams_created:
        click.echo(_("Teams created: %(teams)s", teams=", ".join(report.teams_created)))
    if report.ignored_columns:
        click.echo(_("Columns ignored: %(columns)s", columns=", ".join(report.ignored_columns)))
    for title, problems, count in (
        (_("Rejected"), report.rejected, report.rejected_count),
        (_("Warnings"), report.warnings, report.warning_count),
    ):
        if not count:
            continue
        click.echo(f"{title}:")
        for problem in problems[:LISTED_ON_SCREEN]:
            click.echo(
                "  " + _("line %(line)s: %(reason)s", line=problem.line, reason=problem.reason)
            )
        if count > LISTED_ON_SCREEN:
            click.echo("  " + _("… and %(num)s more", num=format_decimal(count - LISTED_ON_SCREEN)))
    if report.strict_rejected:
        click.echo(_("Nothing imported: --strict and some rows were rejected."), err=True)
