"""Survey answer upload for managers and admins; the importer does the work."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from storyboard.access import roles_required
from storyboard.db import db
from storyboard.models import Role
from storyboard.nps.forms import ImportForm
from storyboard.nps.importer import (
    DEFAULT_SOURCE,
    FIELDS,
    ImportOptions,
    ImportReport,
    import_answers,
    parse_mapping,
)

bp = Blueprint("nps", __name__, url_prefix="/nps")

IMPORTERS = (Role.MANAGER, Role.ADMIN)


def _render(form: ImportForm, report: ImportReport | None = None,
            status: int = 200) -> tuple[str, int]:
    return render_template(
        "nps/import.html", form=form, report=report, fields=FIELDS,
        max_bytes=current_app.config.get("MAX_CONTENT_LENGTH"),
    ), status


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def upload() -> tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, status=400 if form.is_submitted() else 200)
    try:
        mapping = parse_mapping(re.split(r"[\n,]", form.mapping.data or ""))
    except ValueError as error:
        form.mapping.errors = [str(error)]
        return _render(form, status=400)
    options = ImportOptions(source=form.source.data or DEFAULT_SOURCE, mapping=mapping,
                            strict=form.strict.data, create_teams=form.create_teams.data)
    try:
        report = import_answers(form.file.data.stream, options)
    except IntegrityError:
        db.session.rollback()
        form.file.errors = [_("Another import wrote the same answers at the same time. "
                              "Send the file again.")]
        return _render(form, status=409)
    if report.accepted:
        db.session.commit()
    else:
        db.session.rollback()
    return _render(form, report, status=200 if report.accepted else 422)


@bp.errorhandler(413)
def too_large(error: Exception) -> tuple[str, int]:
    form = ImportForm(formdata=None)
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    form.file.errors = [_(
        "The file is larger than %(size)s MB, the limit for uploads. Split it, or import "
        "it on the server with: storyboard import-nps FILE", size=f"{limit / 1024 / 1024:g}")]
    return _render(form, status=413)
