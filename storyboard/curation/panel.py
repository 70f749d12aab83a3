"""The featuring part of a story page: its active features and, for managers, the form."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from storyboard import page_cache
from storyboard.curation import service
from storyboard.curation.forms import KIND_SHORT_LABELS, FeatureForm
from storyboard.models import Role, Story


def prepare_feature_form(form: FeatureForm) -> None:
    teams = page_cache.teams()
    form.team_id.choices = [SelectChoice("", _("Whole organisation"))] + [
        SelectChoice(str(team.id), team.name) for team in teams
    ]


def new_feature_form(story: Story) -> FeatureForm:
    """An empty form: the story's team and the current week preselected."""
    form = FeatureForm(formdata=None)
    prepare_feature_form(form)
    form.team_id.data = story.team_id
    form.week.data = str(service.current_week())
    return form


def _fields_markup(form: FeatureForm) -> Markup:
    return Markup(render_template("curation/_feature_fields.html", feature_form=form))


def feature_fields(story: Story, form: FeatureForm | None = None) -> Markup:
    """The form's fields as markup. A fresh form is the same for every story of a team
    in a week, so it is built and written once per language, team and week and shared
    for a short time (building and writing it cost a manager's story page ~1.7 ms of its
    ~10); a form shown again with what was entered and its errors is written for itself."""
    if form is not None:
        return _fields_markup(form)
    key = f"feature_fields:{get_locale() or ''}:{story.team_id or ''}:{service.current_week()}"
    return page_cache.shared(key, {"teams"}, lambda: _fields_markup(new_feature_form(story)))


def feature_panel(story: Story, form: FeatureForm | None = None) -> dict[str, Any]:
    """Template variables for ``stories/show.html``: ``features`` (active features of the
    story, for the badges), ``feature_fields`` (managers, published stories only: the
    form's fields, ``form`` when it is shown again with its errors) and ``can_feature``."""
    can_feature = bool(
        current_user.is_authenticated and current_user.role is Role.MANAGER and story.is_published
    )
    return {
        "features": service.features_of(story) if story.is_published else [],
        "feature_fields": feature_fields(story, form) if can_feature else None,
        "can_feature": can_feature,
        "feature_kinds": KIND_SHORT_LABELS,
    }
