"""Featuring pages: feature a story from its page, withdraw a feature, and the featuring
overview with the balance of the last weeks.

Who may do what: managers feature and withdraw. Stakeholders may open ``/features``
read-only — the balance and its warnings are there so that they can judge how honest the
featured picture is. Agents and admins see the badges on story pages only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from storyboard.access import is_safe_next_url, roles_required
from storyboard.curation import service
from storyboard.curation.forms import KIND_SHORT_LABELS, FeatureForm
from storyboard.curation.panel import feature_panel, prepare_feature_form
from storyboard.db import db, unit_of_work
from storyboard.errors import render_error
from storyboard.models import Feature, FeatureKind, Role, Story, Team
from storyboard.reach import service as reach
from storyboard.stories.page import STORY_ID, render_story_page

bp = Blueprint("curation", __name__)

FEATURE_ID = "<int(max=2147483647):feature_id>"


@bp.route("/features")
@roles_required(Role.MANAGER, Role.STAKEHOLDER)
def index() -> str:
    this_week = service.current_week()
    balance = service.feature_balance(this_week)
    features = service.active_features(first=balance.first, last=balance.last)
    can_manage = current_user.role is Role.MANAGER
    stakeholder_reads = (
        reach.stakeholder_reads_of_features(features, service.time_zone()) if can_manage else {}
    )
    return render_template(
        "curation/index.html",
        features=features,
        stakeholder_reads=stakeholder_reads,
        unread_this_week=[
            f
            for f in features
            if f.iso_year == this_week.year
            and f.iso_week == this_week.week
            and stakeholder_reads.get(f.id) == 0
        ],
        balance=balance,
        this_week=this_week,
        can_manage=can_manage,
        kinds=KIND_SHORT_LABELS,
        min_features=service.MIN_FEATURES_FOR_WARNINGS,
        balance_weeks=service.BALANCE_WEEKS,
    )


@bp.route(f"/stories/{STORY_ID}/feature", methods=["POST"])
@roles_required(Role.MANAGER)
def feature(story_id: int) -> tuple[str | Response, int] | Response:
    story = db.session.get(Story, story_id)
    if story is None:
        abort(404)
    if not story.is_published:
        # The page of an unpublished story has no featuring form to show a message on.
        return render_error(400, _("Only published stories can be featured."))
    form = FeatureForm()
    prepare_feature_form(form)
    if not form.validate_on_submit():
        return render_story_page(story, 400, **feature_panel(story, form))
    assert form.week.week is not None
    team = db.session.get(Team, form.team_id.data) if form.team_id.data is not None else None
    try:
        with unit_of_work():
            service.feature_story(
                story,
                team,
                form.week.week,
                form.note.data or "",
                FeatureKind(form.kind.data),
                current_user,
            )
    except service.AlreadyFeatured as error:
        # A double click, or another manager was first: the feature exists, say so.
        flash(str(error), "info")
        return redirect(url_for("stories.show", story_id=story.id))
    except IntegrityError:
        # The same feature raced past the check in another request; the first one won.
        flash(service.already_featured_message(team, form.week.week), "info")
        return redirect(url_for("stories.show", story_id=story.id))
    except service.FeatureError as error:
        form.form_errors.append(str(error))
        return render_story_page(story, 400, **feature_panel(story, form))
    flash(_("The story is featured for %(week)s.", week=str(form.week.week)), "success")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route(f"/features/{FEATURE_ID}/withdraw", methods=["POST"])
@roles_required(Role.MANAGER)
def withdraw(feature_id: int) -> Response:
    feature = db.session.get(Feature, feature_id)
    if feature is None:
        abort(404)
    try:
        with unit_of_work():
            service.withdraw_feature(feature, current_user)
    except service.FeatureError as error:
        flash(str(error), "info")
    else:
        flash(_("The feature was withdrawn."), "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next_url(target) else url_for("curation.index"))
