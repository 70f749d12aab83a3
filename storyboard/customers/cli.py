"""``storyboard purge-originals``: forget what customers typed once it is no longer
needed (run daily from cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l

from storyboard.customers.service import purge_originals
from storyboard.db import db
from storyboard.i18n.cli import option


@click.command("purge-originals", help=_l(
    "Drop customers' original texts and e-mail addresses after the retention time."))
@option("--days", type=click.IntRange(0, 3650), default=None,
        help=_l("Keep originals this many days after the decision "
                "[default: STORYBOARD_CUSTOMER_RETENTION_DAYS, 30]."))
@with_appcontext
def purge_originals_command(days: int | None) -> None:
    keep = days if days is not None else int(current_app.config["CUSTOMER_RETENTION_DAYS"])
    count = purge_originals(keep)
    db.session.commit()
    click.echo(ngettext("Purged the original text of %(num)s customer story decided more than "
                        "%(days)s days ago.",
                        "Purged the original text of %(num)s customer stories decided more than "
                        "%(days)s days ago.", count, days=keep))
