"""What promoters and detractors wrote: the survey comments the dashboard shows as recent
comments (``storyboard.dashboard.service``) and the digest quotes
(``storyboard.digest.builder``), read by one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Team
from storyboard.models.nps import SurveyAnswer
from storyboard.nps.math import DETRACTOR_MAX, PROMOTER_MIN


@dataclass(frozen=True)
class SurveyComment:
    """One non-empty survey comment with its score, team name and channel."""

    answer_id: int
    answered_at: datetime
    score: int
    team: str
    channel: str | None  # a channel key
    text: str


def survey_comments(
    start: datetime,
    end: datetime,
    *,
    promoters: bool,
    limit: int,
    team_id: int | None = None,
    channel: str | None = None,
    strongest_first: bool = False,
) -> list[SurveyComment]:
    """The non-empty comments of promoters (9–10) or detractors (0–6) answered in
    ``[start, end)``, of one team and one channel when given. The newest first; with
    ``strongest_first`` the strongest voices before that (10s before 9s, 0s before 6s)."""
    score = SurveyAnswer.score >= PROMOTER_MIN if promoters else SurveyAnswer.score <= DETRACTOR_MAX
    query = (
        select(
            SurveyAnswer.id,
            SurveyAnswer.answered_at,
            SurveyAnswer.score,
            Team.name,
            SurveyAnswer.channel,
            SurveyAnswer.comment,
        )
        .join(Team, SurveyAnswer.team_id == Team.id)
        .where(
            score,
            SurveyAnswer.comment != "",
            SurveyAnswer.answered_at >= start,
            SurveyAnswer.answered_at < end,
        )
        .limit(limit)
    )
    if team_id is not None:
        query = query.where(SurveyAnswer.team_id == team_id)
    if channel is not None:
        query = query.where(SurveyAnswer.channel == channel)
    if strongest_first:
        query = query.order_by(SurveyAnswer.score.desc() if promoters else SurveyAnswer.score.asc())
    query = query.order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc())
    return [
        SurveyComment(answer_id, at, value, name, where or None, text)
        for answer_id, at, value, name, where, text in db.session.execute(query)
    ]
