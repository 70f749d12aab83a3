"""Featuring fixtures: two teams, a manager, and stories written straight into the database."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from storyboard.db import db, utcnow
from storyboard.models import AuthorKind, Channel, Language, Story, StoryStatus, Team, User


def team_id(app: Flask, name: str) -> int:
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == name))
        if team is None:
            team = Team(name=name, slug=name.lower().replace(" ", "-"))
            db.session.add(team)
            db.session.commit()
        return int(team.id)


def add_story(app: Flask, title: str = "A present for today", *,
              status: StoryStatus = StoryStatus.PUBLISHED, team: str | None = "Retail",
              author_kind: AuthorKind = AuthorKind.AGENT) -> int:
    """A story straight into the database; returns its id."""
    with app.app_context():
        team_row = db.session.get(Team, team_id(app, team)) if team else None
        author = None
        if author_kind is AuthorKind.AGENT:
            author = db.session.scalar(select(User).where(User.email == "agent@example.nl"))
        story = Story(
            title=title, body=title, body_html=f"<p>{title}</p>", channel=Channel.PHONE,
            language=Language.EN, author_kind=author_kind, status=status, author=author,
            team=team_row, published_at=utcnow() if status is StoryStatus.PUBLISHED else None,
        )
        db.session.add(story)
        db.session.commit()
        return int(story.id)
