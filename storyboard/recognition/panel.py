"""What the story page needs to show kudos: who gave them, and a button."""

from __future__ import annotations

from typing import Any

from storyboard.access import signed_in_person
from storyboard.db import utcnow
from storyboard.forms import CsrfOnlyForm
from storyboard.models import Story
from storyboard.recognition import comments, service
from storyboard.recognition.forms import CommentForm


def kudos_panel(story: Story) -> dict[str, Any]:
    """Kudos and comments: both only on published stories."""
    if not story.is_published:
        return {"kudos_givers": [], "kudos_form": None, "comments": [], "comment_form": None}
    # The person and the time, taken once: a busy story asks for each of its up to 200
    # givers and comments, and every ``current_user`` attribute is a context look-up.
    user, now = signed_in_person(), utcnow()
    givers = service.givers(story)
    mine = any(giver.id == user.id for giver in givers)
    can_give = story.author_id != user.id
    return {
        "kudos_givers": givers,
        "kudos_given": mine,
        "kudos_form": CsrfOnlyForm() if can_give else None,
        "comments": comments.comments_on(story),
        "comment_form": CommentForm(),
        "can_edit_comment": lambda c: comments.can_edit(c, user, now),
        "can_delete_comment": lambda c: comments.can_delete(c, user, now),
    }
