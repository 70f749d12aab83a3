"""Survey answers written straight into the database for the dashboard tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime

from flask import Flask
from sqlalchemy import select

from storyboard.db import db
from storyboard.models import Channel, Team
from storyboard.models.nps import SurveyAnswer

_ids = itertools.count(1)


def team(name: str) -> Team:
    """The team called ``name``, created when missing (inside an app context)."""
    row = db.session.scalar(select(Team).where(Team.name == name))
    if row is None:
        row = Team(name=name, slug=name.lower().replace(" ", "-"))
        db.session.add(row)
        db.session.flush()
    return row


def add_answers(app: Flask,
                rows: Iterable[tuple[datetime, int, str, Channel | None, str]]) -> None:
    """Insert (answered_at, score, team name, channel, comment) rows and commit."""
    with app.app_context():
        for answered_at, score, team_name, channel, comment in rows:
            db.session.add(SurveyAnswer(
                source="test", external_id=str(next(_ids)), answered_at=answered_at,
                score=score, team=team(team_name), channel=channel, comment=comment,
            ))
        db.session.commit()
