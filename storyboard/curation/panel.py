"""The featuring part of a story page: its active features and, for managers, the form."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
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


def feature_panel(story: Story, form: FeatureForm | None = None) -> dict[str, Any]:
    """Template variables for ``stories/show.html``: ``features`` (active features of the
    story, for the badges), ``feature_form`` (managers, published stories only) and
    ``can_feature``."""
    can_feature = bool(
        current_user.is_authenticated and current_user.role is Role.MANAGER and story.is_published
    )
    if can_feature and form is None:
        form = new_feature_form(story)
    return {
        "features": service.active_features(story=story) if story.is_published else [],
        "feature_form": form if can_feature else None,
        "can_feature": can_feature,
        "feature_kinds": KIND_SHORT_LABELS,
    }
