"""``storyboard purge-originals``: forget what customers typed once it is no longer
needed (run daily from cron). ``storyboard rerender-stories``: render stored stories and
comments again under today's image rule (after an upgrade or a change of
``STORYBOARD_IMAGE_HOSTS``)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from storyboard.customers.service import purge_originals
from storyboard.db import db
from storyboard.i18n.cli import option
from storyboard.reach.service import fold_old_reads
from storyboard.stories.bodies import rerender_stored_bodies


@click.command(
    "purge-originals",
    help=_l(
        "Drop customers' original texts and e-mail addresses after the retention time, and "
        "fold story reads older than 13 months into counts."
    ),
)
@option(
    "--days",
    type=click.IntRange(0, 3650),
    default=None,
    help=_l(
        "Keep originals this many days after the decision "
        "[default: STORYBOARD_CUSTOMER_RETENTION_DAYS, 30]."
    ),
)
@with_appcontext
def purge_originals_command(days: int | None) -> None:
    keep = days if days is not None else int(current_app.config["CUSTOMER_RETENTION_DAYS"])
    count = purge_originals(keep)
    folded = fold_old_reads()
    db.session.commit()
    click.echo(
        ngettext(
            "Purged the original text of %(num)s customer story decided more than "
            "%(days)s days ago.",
            "Purged the original text of %(num)s customer stories decided more than "
            "%(days)s days ago.",
            count,
            days=keep,
        )
    )
    click.echo(
        ngettext(
            "Folded %(num)s story read older than 13 months into counts.",
            "Folded %(num)s story reads older than 13 months into counts.",
            folded,
        )
    )


@click.command(
    "rerender-stories",
    help=_l(
        "Render stored stories and comments again under the current image rule "
        "(STORYBOARD_IMAGE_HOSTS)."
    ),
)
@with_appcontext
def rerender_stories_command() -> None:
    report = rerender_stored_bodies()
    db.session.commit()
    click.echo(
        ngettext("Rendered %(num)s story again.", "Rendered %(num)s stories again.", report.stories)
    )
    click.echo(
        ngettext(
            "Rendered %(num)s comment again.", "Rendered %(num)s comments again.", report.comments
        )
    )
    if report.skipped:
        click.echo(
            ngettext(
                "Left %(num)s body as it was: it is too long or too complex to render.",
                "Left %(num)s bodies as they were: they are too long or too complex to render.",
                report.skipped,
            )
        )
