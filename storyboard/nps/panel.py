"""What the story page shows of a survey answer: the score's kind and, for managers, the
form that links a story to the answer it came from."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storyboard.models import Role, Story
from storyboard.nps.answer_stories import score_kind
from storyboard.nps.forms import LinkAnswerForm

SCORE_KIND_LABELS = {
    "promoter": _l("a promoter"),
    "passive": _l("a passive"),
    "detractor": _l("a detractor"),
}


def answer_panel(story: Story) -> dict[str, Any]:
    return {
        "score_kind": score_kind,
        "score_kind_labels": SCORE_KIND_LABELS,
        "link_answer_form": LinkAnswerForm() if current_user.role is Role.MANAGER else None,
    }
