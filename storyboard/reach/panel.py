"""What the story page shows of reach (how many read it, for those who may see that),
the Share button, and the read that opening the page records."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from storyboard.models import Story
from storyboard.reach import service
from storyboard.reach.sharing import can_share


def reach_panel(story: Story) -> dict[str, Any]:
    return {
        "reach": service.reach_of(story) if service.may_see_reach(current_user, story) else None,
        "can_share": can_share(current_user, story),
    }


def record_read(story: Story) -> None:
    """A person (not a link preview or a crawler) opened the story."""
    if service.is_a_person(request.headers):
        service.record_read_now(story, current_user)
