"""Survey answers and the stories they inspire: a manager turns a customer's comment into
a draft customer story (personal data masked first), or links an existing story to the
answer behind it; the story page then shows the score.

Functions change the session but never commit; the view that calls them is the unit of
work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from storyboard.channels import channel_list, default_channel
from storyboard.db import db
from storyboard.errors import UserError
from storyboard.models import AuthorKind, Language, Story, StoryStatus, Team, User
from storyboard.models.nps import SurveyAnswer
from storyboard.nps.math import DETRACTOR_MAX, PROMOTER_MIN
from storyboard.pagination import Page
from storyboard.privacy.configured import scrub
from storyboard.privacy.scrub import ScrubResult
from storyboard.rendering import MAX_MARKDOWN_CHARS
from storyboard.stories.service import StoryInput, build_story

TITLE_WORDS_MAX = 80
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_ANSWER_NUMBER = re.compile(r"^\s*#?\s*(\d{1,9})\s*$")


class AnswerStoryError(UserError):
    """What the manager asked cannot be done; the message says why."""


@dataclass(frozen=True)
class DraftResult:
    """The draft for an answer; ``created`` is False when one existed already (a double
    click, or a colleague who was quicker) and ``scrub`` is None then."""

    story: Story
    created: bool
    scrub: ScrubResult | None


def score_kind(score: int) -> str:
    """``promoter``, ``passive`` or ``detractor``: the NPS bucket of a 0–10 score."""
    if score >= PROMOTER_MIN:
        return "promoter"
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


def proposed_title(text: str, score: int) -> str:
    """The comment's first sentence, cut at a word near ``TITLE_WORDS_MAX`` characters;
    the manager edits it before publishing."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    first = " ".join(first.split())
    if not first:
        return str(_l("A customer's score of %(score)s", score=score))
    if len(first) <= TITLE_WORDS_MAX:
        return first
    cut = first[:TITLE_WORDS_MAX].rsplit(" ", 1)[0] or first[:TITLE_WORDS_MAX]
    return cut.rstrip(",;:-–") + "…"


def existing_story_for(answer: SurveyAnswer) -> Story | None:
    """The newest story already linked to this answer, withdrawn ones aside."""
    return db.session.scalar(
        select(Story)
        .where(Story.survey_answer_id == answer.id, Story.status != StoryStatus.WITHDRAWN)
        .order_by(Story.id.desc())
        .limit(1)
    )


def _story_channel(key: str | None) -> str:
    """The answer's channel, or the first in use when it named none or its channel is
    no longer offered (the manager can change it in the draft)."""
    info = channel_list().by_key.get(key or "")
    return info.key if info is not None and info.active else default_channel()


def draft_story_from_answer(answer: SurveyAnswer, manager: User) -> DraftResult:
    """A draft customer story from the answer's comment, with personal data masked.

    The manager owns the draft (it appears under "My stories", they edit and publish
    it), but readers see it as the customer's: ``Story.teller_name`` is None.
    """
    existing = existing_story_for(answer)
    if existing is not None:
        return DraftResult(existing, created=False, scrub=None)
    comment = (answer.comment or "").strip()
    if not comment:
        raise AnswerStoryError(_l("This answer has no comment to turn into a story."))
    if len(comment) > MAX_MARKDOWN_CHARS:
        raise AnswerStoryError(
            _l(
                "This comment is too long for a story (%(length)s characters; at most %(max)s).",
                length=format_decimal(len(comment)),
                max=format_decimal(MAX_MARKDOWN_CHARS),
            )
        )
    scrubbed = scrub(comment, (answer.language or Language.NL).value)
    story = build_story(
        StoryInput(
            title=proposed_title(scrubbed.text, answer.score),
            body=scrubbed.text,
            channel=_story_channel(answer.channel),
            language=answer.language or Language.NL,
            team_id=answer.team_id,
        ),
        author=manager,
        author_kind=AuthorKind.CUSTOMER,
        status=StoryStatus.DRAFT,
        survey_answer=answer,
    )
    return DraftResult(story, created=True, scrub=scrubbed)


def masked_summary(scrub: ScrubResult) -> str:
    """ "2 × [phone], 1 × [e-mail]": what the scrubber masked, for the manager to check."""
    return ", ".join(f"{count} × {scrub.placeholders[kind]}" for kind, count in scrub.found.items())


def find_answer(reference: str) -> SurveyAnswer:
    """The answer a manager refers to by its number as shown on the answers page."""
    match = _ANSWER_NUMBER.match(reference or "")
    answer = db.session.get(SurveyAnswer, int(match.group(1))) if match else None
    if answer is None:
        raise AnswerStoryError(
            _l(
                "There is no survey answer number %(ref)s.",
                ref=(reference or "").strip()[:20] or "?",
            )
        )
    return answer


def link_story(story: Story, answer: SurveyAnswer) -> None:
    story.survey_answer = answer


def unlink_story(story: Story) -> None:
    story.survey_answer = None


@dataclass(frozen=True)
class AnswerFilters:
    """The answers page's filters; unknown values are ignored rather than refused."""

    team: str | None = None
    kind: str | None = None  # promoter / passive / detractor
    with_comment: bool = True

    @classmethod
    def from_args(cls, team: str | None, kind: str | None, everything: str | None) -> AnswerFilters:
        kind = kind if kind in ("promoter", "passive", "detractor") else None
        return cls(team=(team or "").strip() or None, kind=kind, with_comment=not everything)


def _filtered(query: Select[SurveyAnswer], filters: AnswerFilters) -> Select[SurveyAnswer]:
    if filters.team:
        query = query.join(Team, SurveyAnswer.team_id == Team.id).where(Team.slug == filters.team)
    if filters.kind == "promoter":
        query = query.where(SurveyAnswer.score >= PROMOTER_MIN)
    elif filters.kind == "detractor":
        query = query.where(SurveyAnswer.score <= DETRACTOR_MAX)
    elif filters.kind == "passive":
        query = query.where(SurveyAnswer.score > DETRACTOR_MAX, SurveyAnswer.score < PROMOTER_MIN)
    if filters.with_comment:
        query = query.where(SurveyAnswer.comment != "")
    return query


def list_answers(filters: AnswerFilters, page: int, per_page: int) -> Page[SurveyAnswer]:
    """Newest answers first, with their team; the page is clamped to the last one."""
    base = _filtered(select(SurveyAnswer), filters)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = min(page, max(1, -(-total // per_page)))
    rows = db.session.scalars(
        base.options(selectinload(SurveyAnswer.team))
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(rows), page, per_page, total)


def stories_by_answer(answer_ids: list[int]) -> dict[int, Story]:
    """The story linked to each of these answers (one per answer, newest), for the list."""
    if not answer_ids:
        return {}
    stories = db.session.scalars(
        select(Story)
        .where(Story.survey_answer_id.in_(answer_ids), Story.status != StoryStatus.WITHDRAWN)
        .order_by(Story.id)
    )
    return {
        story.survey_answer_id: story for story in stories if story.survey_answer_id is not None
    }
