"""Survey answers for managers and admins: upload (the importer does the work), browse
the comments, turn one into a draft story, link a story to the answer behind it."""

from __future__ import annotations

import io
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard import page_cache
from storyboard.access import roles_required
from storyboard.audit import service as audit
from storyboard.db import db, unit_of_work
from storyboard.labels import IMPORT_COLUMN_LABELS, channel_names
from storyboard.models import Role, Story
from storyboard.models.nps import SurveyAnswer
from storyboard.nps import answer_stories, import_files, mappings, rollup
from storyboard.nps.forms import ImportForm, LinkAnswerForm
from storyboard.nps.importer import (
    DEFAULT_SOURCE,
    FIELDS,
    ImportOptions,
    ImportReport,
    import_answers,
    import_summary,
    parse_mapping,
)
from storyboard.pagination import parse_page

bp = Blueprint("nps", __name__, url_prefix="/nps")

IMPORTERS = (Role.MANAGER, Role.ADMIN)
# Drafting and linking stories is a manager's editorial work (admins do not write).
STORY_MAKERS = (Role.MANAGER,)
ID = "<int(max=2147483647):{}>"
ANSWERS_PER_PAGE = 25


def _render(
    form: ImportForm,
    report: ImportReport | None = None,
    status: int = 200,
    problems_token: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "nps/import.html",
        form=form,
        report=report,
        fields=FIELDS,
        column_labels=IMPORT_COLUMN_LABELS,
        problems_token=problems_token,
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
    pending = "" if form.file.data else (form.pending.data or "")
    if form.file.data:
        data = form.file.data.read()
    elif pending:
        found = import_files.pending_upload(current_user, pending)
        if found is None:
            form.pending.data = ""
            form.file.errors = [_("That upload is no longer kept. Choose the file again.")]
            return _render(form, status=400)
        data = found
    else:
        form.file.errors = [_("Choose a CSV file to import.")]
        return _render(form, status=400)
    source = form.source.data or DEFAULT_SOURCE
    problems = io.StringIO()
    options = ImportOptions(
        source=source,
        mapping=mapping,
        strict=form.strict.data,
        create_teams=form.create_teams.data,
        create_channels=form.create_channels.data,
        force=bool(pending and form.force.data),
        remembered=mappings.remembered(source),
        problems_out=problems,
    )
    try:
        report = import_answers(io.BytesIO(data), options)
    except IntegrityError:
        db.session.rollback()
        form.file.errors = [
            _("Another import wrote the same answers at the same time. Send the file again.")
        ]
        return _render(form, status=409)
    if report.accepted:
        audit.record(
            current_user,
            "nps.import",
            "survey_answers",
            None,
            import_summary(report, options.source),
        )
        mappings.remember(source, mapping)
        if pending:
            import_files.discard(current_user, pending)
        db.session.commit()
        if report.imported:
            rollup.warm()  # the dashboard's weekly numbers, counted once now
    else:
        db.session.rollback()
    form.force.data = False
    if report.needs_force:
        form.pending.data = pending or import_files.keep_upload(
            current_user, data, form.file.data.filename if form.file.data else ""
        )
    token = None
    if report.rejected_count or report.file_duplicates:
        token = import_files.keep_report(current_user, problems.getvalue())
    db.session.commit()
    return _render(form, report, status=200 if report.accepted else 422, problems_token=token)


@bp.route("/import/reports/<token>.csv")
@roles_required(*IMPORTERS)
def problems_csv(token: str) -> Response:
    """The full list of refused and skipped rows of one's own upload, for Excel."""
    data = import_files.report(current_user, token)
    if data is None:
        abort(404)
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="refused-rows.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.errorhandler(413)
def too_large(error: Exception) -> tuple[str, int]:
    form = ImportForm(formdata=None)
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    form.file.errors = [
        _(
            "The file is larger than %(size)s MB, the limit for uploads. Split it, or import "
            "it on the server with: storyboard import-nps FILE",
            size=f"{limit / 1024 / 1024:g}",
        )
    ]
    return _render(form, status=413)


@bp.route("/answers")
@roles_required(*IMPORTERS)
def answers() -> str:
    filters = answer_stories.AnswerFilters.from_args(
        request.args.get("team"), request.args.get("kind"), request.args.get("all")
    )
    page = answer_stories.list_answers(
        filters, parse_page(request.args.get("page")), ANSWERS_PER_PAGE
    )
    return render_template(
        "nps/answers.html",
        page=page,
        filters=filters,
        teams=page_cache.teams(),
        stories=answer_stories.stories_by_answer([answer.id for answer in page.items]),
        score_kind=answer_stories.score_kind,
        channels=channel_names(),
    )


def _answer_or_404(answer_id: int) -> SurveyAnswer:
    answer = db.session.get(SurveyAnswer, answer_id)
    if answer is None:
        abort(404)
    return answer


@bp.route(f"/answers/{ID.format('answer_id')}/story", methods=["POST"])
@roles_required(*STORY_MAKERS)
def draft_story(answer_id: int) -> Response:
    """Turn the answer's comment into a draft customer story and open it for editing."""
    answer = _answer_or_404(answer_id)
    try:
        with unit_of_work():
            result = answer_stories.draft_story_from_answer(answer, current_user)
    except answer_stories.AnswerStoryError as error:
        flash(str(error), "error")
        return redirect(request.referrer or url_for("nps.answers"))
    except IntegrityError:  # a colleague's draft for the same answer won the race
        existing = answer_stories.existing_story_for(answer)
        if existing is None:
            raise
        result = answer_stories.DraftResult(existing, created=False, scrub=None)
    if not result.created:
        flash(_("This answer already has a story; here it is."), "info")
        return redirect(url_for("stories.show", story_id=result.story.id))
    assert result.scrub is not None
    if result.scrub.found:
        flash(
            _(
                "Draft made. Masked before anyone reads it: %(what)s. Check the text, "
                "then publish.",
                what=answer_stories.masked_summary(result.scrub),
            ),
            "success",
        )
    else:
        flash(_("Draft made; no personal data found. Check the text, then publish."), "success")
    if answer.channel is None:
        flash(_("The answer did not say which channel it came from: choose it below."), "info")
    return redirect(url_for("stories.edit", story_id=result.story.id))


@bp.route(f"/stories/{ID.format('story_id')}/answer", methods=["POST"])
@roles_required(*STORY_MAKERS)
def link_answer(story_id: int) -> Response:
    """Link (or, with ``unlink``, unlink) a story and the survey answer behind it."""
    story = db.session.get(Story, story_id)
    if story is None:
        abort(404)
    form = LinkAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("unlink"):
        answer_stories.unlink_story(story)
        db.session.commit()
        flash(_("The story is no longer linked to a survey answer."), "info")
        return redirect(url_for("stories.show", story_id=story.id))
    try:
        answer = answer_stories.find_answer(form.answer.data or "")
    except answer_stories.AnswerStoryError as error:
        flash(str(error), "error")
        return redirect(url_for("stories.show", story_id=story.id))
    answer_stories.link_story(story, answer)
    db.session.commit()
    flash(
        _(
            "Linked to survey answer %(number)s (score %(score)s).",
            number=answer.id,
            score=answer.score,
        ),
        "success",
    )
    return redirect(url_for("stories.show", story_id=story.id))
