"""``storyboard import-nps FILE``: survey answers from a CSV export.

Exit codes (docs/nps.md has the table): 0 the import is done (rows imported, or all
were already there); 1 nothing imported: the file was refused, every row was refused,
``--strict`` with bad rows, or answers exist under another source without ``--force``;
2 a usage error (click's own).
"""

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

from storyboard import planner_statistics
from storyboard.audit import service as audit
from storyboard.db import db
from storyboard.i18n.cli import option
from storyboard.labels import IMPORT_COLUMN_LABELS
from storyboard.nps import mappings, rollup
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
        "Import NPS survey answers from a CSV file (UTF-8, Windows-1252 or UTF-16; ',', "
        "';' or tab separated). Re-importing the same file adds nothing. Bad rows are "
        "reported with their line number; the good ones are imported unless --strict. "
        "Exits 1 when nothing could be imported."
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
    help=_l(
        "Read a CSV column as a field (%(fields)s); repeatable. Remembered for the "
        "source: the next import from it needs no --map.",
        fields=", ".join(FIELDS),
    ),
)
@option("--strict", is_flag=True, help=_l("Import nothing when any row is bad."))
@option("--create-teams", is_flag=True, help=_l("Create teams the file names but we lack."))
@option(
    "--create-channels",
    is_flag=True,
    help=_l(
        "Create channels the file names but we lack (named as written; an admin can "
        "translate them or make them another name of a channel later)."
    ),
)
@option(
    "--force",
    is_flag=True,
    help=_l("Import even when answers with these ids exist under another source."),
)
@option(
    "--report",
    "report_file",
    type=click.File("w", encoding="utf-8-sig", lazy=False),
    metavar="FILE",
    help=_l("Write every refused and skipped row (line, reason, the row) to FILE as CSV."),
)
@with_appcontext
def import_nps_command(
    file: IO[bytes],
    source: str,
    mapping: dict[str, str],
    strict: bool,
    create_teams: bool,
    create_channels: bool,
    force: bool,
    report_file: IO[str] | None,
) -> None:
    source = source.strip() or DEFAULT_SOURCE
    options = ImportOptions(
        source=source,
        mapping=mapping,
        strict=strict,
        create_teams=create_teams,
        create_channels=create_channels,
        on_command_line=True,
        force=force,
        remembered=mappings.remembered(source),
        problems_out=report_file,
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
        mappings.remember(source, mapping)
        db.session.commit()
        if report.imported:
            rollup.warm()  # the dashboard's weekly numbers, counted once now
            planner_statistics.refresh(db.engine)  # a large import changes the best plans
    else:
        db.session.rollback()
    if report_file is not None:
        report_file.close()
    _print_report(report, source)
    if not report.succeeded:
        raise click.exceptions.Exit(1)


def _print_report(report: ImportReport, source: str) -> None:
    if report.file_error:
        click.echo(_("Nothing imported: %(why)s", why=report.file_error), err=True)
        return
    click.echo(
        _(
            "Read %(read)s rows (%(encoding)s): %(imported)s imported, %(duplicates)s "
            "already in the database, %(in_file)s duplicates within the file, "
            "%(rejected)s rejected.",
            read=format_decimal(report.read),
            encoding=report.encoding,
            imported=format_decimal(report.imported),
            duplicates=format_decimal(report.duplicates),
            in_file=format_decimal(report.file_duplicates),
            rejected=format_decimal(report.rejected_count),
        )
    )
    if report.layout:
        click.echo(_("Recognised as an export of %(tool)s.", tool=report.layout))
    click.echo(
        _("Columns:")
        + " "
        + "; ".join(
            f"{use.column} → {use.field} ({IMPORT_COLUMN_LABELS[use.how]})"
            for use in report.columns
        )
    )
    if report.teams_created:
        click.echo(_("Teams created: %(teams)s", teams=", ".join(report.teams_created)))
    if report.channels_created:
        click.echo(_("Channels created: %(channels)s", channels=", ".join(report.channels_created)))
    if report.ignored_columns:
        click.echo(_("Columns ignored: %(columns)s", columns=", ".join(report.ignored_columns)))
    for title, problems, count in (
        (_("Rejected"), report.rejected, report.rejected_count),
        (_("Skipped (duplicates within the file)"), report.skipped, report.file_duplicates),
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
            click.echo(
                "  "
                + _(
                    "… and %(num)s more (--report FILE lists them all)",
                    num=format_decimal(count - LISTED_ON_SCREEN),
                )
            )
    if report.needs_force:
        click.echo(
            _(
                "Nothing imported: %(num)s answers in this file already exist under "
                "another source (%(sources)s); under %(source)s they would be counted "
                "twice. Import them with --source of that system, or run again with "
                "--force to import them anyway.",
                num=format_decimal(report.elsewhere_count),
                sources=", ".join(
                    f"{name}: {format_decimal(n)}" for name, n in sorted(report.elsewhere.items())
                ),
                source=repr(source),
            ),
            err=True,
        )
    elif report.strict_rejected:
        click.echo(_("Nothing imported: --strict and some rows were rejected."), err=True)
    elif report.all_refused:
        click.echo(_("Nothing imported: every new row was rejected."), err=True)
