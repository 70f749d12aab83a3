"""Featured demo stories: what managers picked for their teams over the last eight
weeks, and the birthday present for the whole organisation this week.

Features go through ``feature_story``, the same path a manager's click takes. Like the
survey answers they are placed relative to the day of loading, so they are added once:
when a demo manager has featured anything, nothing is added. Nothing here commits.
"""

from __future__ import annotations

import random
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from storyboard.curation.service import feature_story
from storyboard.db import db
from storyboard.demo import content
from storyboard.demo.people import DEMO_DOMAIN, PEOPLE, TEAMS, email_of
from storyboard.models import (
    AuthorKind,
    Feature,
    FeatureKind,
    Language,
    Role,
    Story,
    StoryStatus,
    Team,
    User,
)
from storyboard.weeks import IsoWeek

FEATURE_SEED = 20_251_125
FEATURE_WEEKS = 8
ORGANISATION_MANAGER = email_of("Marloes Jansen")
BIRTHDAY_NOTE = (
    "A tracking page said tomorrow; Lotte heard 'her birthday is today'. "
    "This is what listening looks like."
)

NOTES = {
    (FeatureKind.PRAISE, Language.NL): (
        "Zo ziet meedenken eruit: lees hoe {name} dit aanpakte.",
        "Een klant die zich gehoord voelde. Dit willen we vaker.",
        "Mooi voorbeeld van verder kijken dan de vraag.",
        "Lees dit voor in de stand-up: hier worden we blij van.",
    ),
    (FeatureKind.PRAISE, Language.EN): (
        "This is what thinking along looks like: read how {name} handled it.",
        "A customer who felt heard. More of this, please.",
        "Looking past the question to the person: worth a read.",
    ),
    (FeatureKind.LESSON, Language.NL): (
        "Hier ging iets mis; wat doen we voortaan anders? Bespreken we donderdag.",
        "Wat nemen we hieruit mee? Staat op de agenda van het teamoverleg.",
        "Goed om te lezen voordat je de volgende klacht oppakt.",
    ),
    (FeatureKind.LESSON, Language.EN): (
        "Something went wrong here; what do we do differently next time?",
        "What do we take from this? On the agenda for the team meeting.",
        "Read this before the next complaint lands on your desk.",
    ),
}


def team_manager(team_slug: str) -> str:
    """The demo manager of a team, or the organisation's manager for teams without one."""
    for person in PEOPLE:
        if person.role is Role.MANAGER and person.team == team_slug:
            return person.email
    return ORGANISATION_MANAGER


def load_features(now: datetime, zone: tzinfo, seed: int = FEATURE_SEED) -> int:
    """Feature 2–4 published stories per team in the last eight weeks and the birthday
    story for the organisation this week; returns how many features were added."""
    session = db.session
    demo_managers = select(User.id).where(
        User.role == Role.MANAGER, func.lower(User.email).like(f"%@{DEMO_DOMAIN}")
    )
    if (
        session.scalar(select(Feature.id).where(Feature.featured_by_id.in_(demo_managers)).limit(1))
        is not None
    ):
        return 0
    session.flush()
    today = IsoWeek.of(now.astimezone(zone).date())
    users = {
        user.email: user
        for user in session.scalars(
            select(User).where(func.lower(User.email).like(f"%@{DEMO_DOMAIN}"))
        )
    }
    rng = random.Random(seed)
    birthday_title = content.story(content.BIRTHDAY).title
    added = 0
    for team_spec in TEAMS:
        team = session.scalar(select(Team).where(Team.slug == team_spec.slug))
        manager = users.get(team_manager(team_spec.slug))
        if team is None or manager is None:
            continue
        stories = list(
            session.scalars(
                select(Story)
                .where(
                    Story.team_id == team.id,
                    Story.status == StoryStatus.PUBLISHED,
                    Story.title != birthday_title,
                )
                .order_by(Story.published_at, Story.title)
            )
        )
        weeks = sorted(rng.sample(range(FEATURE_WEEKS), rng.randint(2, 4)), reverse=True)
        used: set[int] = set()
        for number, weeks_ago in enumerate(weeks):
            week = today.plus(-weeks_ago)
            # local_zone() falls back to datetime.UTC, which IsoWeek takes as ZoneInfo.
            end = week.end(zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC"))
            candidates = [
                story
                for story in stories
                if story.id not in used
                and story.published_at is not None
                and story.published_at < end
                and (end - story.published_at).days <= 28
            ]
            if not candidates:
                continue
            customer = [story for story in candidates if story.author_kind is AuthorKind.CUSTOMER]
            story = customer[0] if customer and number == 0 else rng.choice(candidates)
            used.add(story.id)
            kind = FeatureKind.LESSON if number == 1 else FeatureKind.PRAISE
            feature_story(story, team, week, _note(rng, story, kind), kind, manager, today)
            added += 1

    birthday = session.scalar(
        select(Story).where(Story.title == birthday_title, Story.status == StoryStatus.PUBLISHED)
    )
    organiser = users.get(ORGANISATION_MANAGER)
    if birthday is not None and organiser is not None:
        feature_story(birthday, None, today, BIRTHDAY_NOTE, FeatureKind.PRAISE, organiser, today)
        added += 1
    session.flush()
    return added


def _note(rng: random.Random, story: Story, kind: FeatureKind) -> str:
    name = story.author.display_name.split()[0] if story.author is not None else "de klant"
    if story.author is None and story.language is Language.EN:
        name = "the customer"
    return rng.choice(NOTES[(kind, story.language)]).format(name=name)
