"""Story pages: list, read, write, edit, preview. Views parse input and call the service."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from storyboard import page_cache
from storyboard.access import EDITORS, READERS, landing_endpoint, roles_required, signed_in
from storyboard.db import db, unit_of_work
from storyboard.labels import (
    channel_choices,
    channel_names,
    sorted_themes,
    theme_choices,
    theme_name,
)
from storyboard.models import (
    AuthorKind,
    Language,
    Story,
    StoryStatus,
    Theme,
    ThemeKind,
)
from storyboard.pagination import parse_page
from storyboard.rendering import (
    MAX_MARKDOWN_CHARS,
    MarkdownTooComplex,
    MarkdownTooLong,
    render_markdown,
)
from storyboard.stories import cards, service
from storyboard.stories.forms import StoryForm
from storyboard.stories.page import (
    STORY_ID,
    render_story_page,
    story_shown,
    visible_story_or_404,
)
from storyboard.text import clean_body

bp = Blueprint("stories", __name__)

_SUBMISSION_KEY = re.compile(r"^[0-9a-f]{32}$")


@bp.route("/")
@signed_in
def home() -> Response:
    """Stakeholders and managers land on the dashboard; everyone else on the stories."""
    return redirect(url_for(landing_endpoint(current_user.role)))


def _filters_from_args(**overrides: Any) -> service.StoryFilters:
    args = request.args
    values: dict[str, Any] = {
        "team": args.get("team") or None,
        "channel": args.get("channel") or None,
        "theme": args.get("theme") or None,
        "author_kind": args.get("author_kind") or None,
    }
    values.update(overrides)
    return service.StoryFilters(**values)


def _filter_options() -> dict[str, Any]:
    return {
        "teams": page_cache.teams(),
        "themes": theme_choices(page_cache.themes()),
        "channels": channel_names(),
        "author_kinds": {AuthorKind.AGENT: _("Agent"), AuthorKind.CUSTOMER: _("Customer")},
    }


@bp.route("/stories/")
@roles_required(*READERS)
def index() -> str:
    filters = _filters_from_args()
    page = cards.card_page(
        filters, parse_page(request.args.get("page")), current_app.config["STORIES_PER_PAGE"]
    )
    return render_template(
        "stories/index.html", page=page, filters=filters, mine=False, **_filter_options()
    )


@bp.route("/stories/mine")
@roles_required(*EDITORS)
def mine() -> str:
    filters = _filters_from_args(
        author_id=current_user.id,
        statuses=(StoryStatus.DRAFT, StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN),
    )
    page = cards.card_page(
        filters, parse_page(request.args.get("page")), current_app.config["STORIES_PER_PAGE"]
    )
    return render_template(
        "stories/index.html", page=page, filters=filters, mine=True, **_filter_options()
    )


@bp.route(f"/stories/{STORY_ID}")
@roles_required(*READERS)
def show(story_id: int) -> tuple[str, int]:
    story = visible_story_or_404(story_id)
    story_shown(story)
    return render_story_page(story)


def _prepare_form(form: StoryForm, story: Story | None = None) -> None:
    form.keep_channel = story.channel if story else None
    form.channel.choices = channel_choices(keep=form.keep_channel)
    teams = page_cache.teams()
    form.team_id.choices = [SelectChoice("", _("No team"))] + [
        SelectChoice(str(t.id), t.name) for t in teams
    ]
    themes = sorted_themes(page_cache.themes())
    form.themes.choices = [SelectChoice(str(t.id), theme_name(t)) for t in themes]


def _theme_groups() -> dict[str, list[Theme]]:
    themes = sorted_themes(page_cache.themes())
    labels = {
        ThemeKind.HABIT: _("Humanification habits"),
        ThemeKind.SIX_T: _("The 6 T's"),
        ThemeKind.CUSTOM: _("Other themes"),
    }
    groups: dict[str, list[Theme]] = {}
    for kind, label in labels.items():
        members = [t for t in themes if t.kind is kind]
        if members:
            groups[label] = members
    return groups


def _input_from(form: StoryForm, publish: bool) -> service.StoryInput:
    key = form.submission_key.data or ""
    return service.StoryInput(
        title=form.title.data or "",
        body=form.body.data or "",
        channel=form.channel.data or "",
        language=Language(form.language.data),
        team_id=form.team_id.data,
        theme_ids=tuple(form.themes.data or ()),
        publish=publish,
        submission_key=key if _SUBMISSION_KEY.match(key) else None,
    )


def _render_editor(form: StoryForm, story: Story | None, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "stories/edit.html",
            form=form,
            story=story,
            theme_groups=_theme_groups(),
            max_body=MAX_MARKDOWN_CHARS,
        ),
        status,
    )


def _save(form: StoryForm, story: Story | None) -> Story | None:
    """Run the service; on a user-caused problem put the message on the form."""
    publish = request.form.get("action") == "publish"
    data = _input_from(form, publish)
    try:
        with unit_of_work():
            if story is None:
                story = service.create_story(current_user, data)
            else:
                story = service.update_story(story, data)
    except MarkdownTooLong:
        form.body.errors.append(_("The story is too long to show."))
        return None
    except MarkdownTooComplex:
        form.body.errors.append(
            _("This text is too complex to render. Remove long runs of brackets or symbols.")
        )
        return None
    except service.StoryError as error:
        form.form_errors.append(str(error))
        return None
    except IntegrityError:
        # Two identical submissions raced; the first one won. Show that one.
        existing = service.find_by_submission_key(data.submission_key, current_user)
        if existing is not None:
            return existing
        taken = data.submission_key and db.session.scalar(
            select(Story.id).where(Story.submission_key == data.submission_key)
        )
        if not taken:
            raise
        # A tampered form reused another author's key: refuse it, hand out a fresh one.
        form.submission_key.data = uuid.uuid4().hex
        form.form_errors.append(
            _("This form was already used for another story. Send it again to save yours.")
        )
        return None
    return story


@bp.route("/stories/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new() -> tuple[str, int] | Response:
    form = StoryForm()
    _prepare_form(form)
    if request.method == "GET":
        form.submission_key.data = uuid.uuid4().hex
        form.team_id.data = current_user.team_id
    elif form.validate_on_submit():
        existing = service.find_by_submission_key(form.submission_key.data, current_user)
        if existing is not None:
            flash(_("This story was already saved."), "info")
            return redirect(url_for("stories.show", story_id=existing.id))
        story = _save(form, None)
        if story is not None:
            flash(
                _("Your story is published.")
                if story.is_published
                else _("Draft saved. Only you and managers can see it."),
                "success",
            )
            return redirect(url_for("stories.show", story_id=story.id))
    return _render_editor(form, None, 400 if request.method == "POST" else 200)


@bp.route(f"/stories/{STORY_ID}/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(story_id: int) -> tuple[str, int] | Response:
    story = visible_story_or_404(story_id)
    if not service.can_edit(current_user, story):
        abort(403)
    form = StoryForm(obj=story if request.method == "GET" else None)
    _prepare_form(form, story)
    if request.method == "GET":
        form.channel.data = story.channel
        form.language.data = story.language.value
        form.themes.data = [t.id for t in story.themes]
    elif form.validate_on_submit() and _save(form, story) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for("stories.show", story_id=story.id))
    return _render_editor(form, story, 400 if request.method == "POST" else 200)


def _gone() -> Response:
    """The calm answer to an unpublish or delete of a story that is not there: deleted
    a moment ago (a double click, a reload) or never visible to this person. Both get
    the same words, so nobody learns that someone else's draft exists."""
    flash(_("That story is not there (any more); nothing changed."), "info")
    return redirect(url_for("stories.index"), 303)


def _story_for_action(story_id: int) -> Story | None:
    """The story an unpublish or delete is about, or None when this person cannot see
    it (any more). A no-op UPDATE claims its row first (the row lock on PostgreSQL, the
    write lock on SQLite), so of two clicks that race, the second waits for the first
    to commit and then finds the story changed or gone, instead of acting again."""
    claimed = db.session.execute(
        update(Story)
        .where(Story.id == story_id)
        .values(title=Story.title, updated_at=Story.updated_at)  # changes nothing
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return None
    story = db.session.get(Story, story_id, populate_existing=True)
    if story is None or not service.can_view(current_user, story):
        return None
    return story


@bp.route(f"/stories/{STORY_ID}/unpublish", methods=["POST"])
@roles_required(*EDITORS)
def unpublish(story_id: int) -> Response:
    story = _story_for_action(story_id)
    if story is None:
        return _gone()
    if not service.can_edit(current_user, story):
        abort(403)
    if not story.is_published:  # a second click: it left the archive already
        flash(_("This story was already out of the archive; nothing changed."), "info")
        return redirect(url_for("stories.show", story_id=story.id), 303)
    service.unpublish_story(story)
    db.session.commit()
    flash(_("The story is back in drafts and no longer in the archive."), "info")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route(f"/stories/{STORY_ID}/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete(story_id: int) -> Response:
    story = _story_for_action(story_id)
    if story is None:
        return _gone()
    if not service.can_delete(current_user, story):
        abort(403)
    service.delete_story(story, current_user)
    db.session.commit()
    flash(_("The story was deleted."), "info")
    return redirect(url_for("stories.index"))


@bp.route("/stories/preview", methods=["POST"])
@roles_required(*EDITORS)
def preview() -> tuple[Response, int]:
    """The live preview: the same renderer as on save, so what you see is what you get."""
    body = clean_body(request.form.get("body", ""))
    try:
        return jsonify(html=render_markdown(body)), 200
    except MarkdownTooLong:
        return jsonify(error=_("The story is too long to preview.")), 413
    except MarkdownTooComplex:
        return jsonify(error=_("This text is too complex to preview.")), 422
