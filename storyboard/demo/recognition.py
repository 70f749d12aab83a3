"""Demo recognition: kudos and comments on recent stories, three learning moments at
different stages, and two customer stories waiting for moderation, so every page has
something to show on first run. Added once (when the demo has no kudos yet), through the
same service functions a click uses. Nothing here commits."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from storyboard.customers.service import CustomerInput, submit
from storyboard.db import db
from storyboard.demo.people import email_of
from storyboard.lessons.service import move, raise_lesson
from storyboard.models import (
    AuthorKind,
    CustomerSubmission,
    Kudo,
    Language,
    LessonStatus,
    Role,
    SeededChannel,
    Story,
    StoryStatus,
    User,
)
from storyboard.recognition.comments import add_comment
from storyboard.recognition.service import give_kudos

SEED = 20_261_124
COMMENTS = {
    Language.NL: [
        "Dit is precies waarom we dit werk doen.",
        "Mooi opgelost, dank je!",
        "Hier kan ons hele team van leren.",
        "Wat een geduld, petje af.",
    ],
    Language.EN: [
        "This is exactly why we do this work.",
        "Beautifully handled, thank you!",
        "The whole team can learn from this one.",
        "Such patience. Hats off.",
    ],
}
LESSONS = [
    (
        "Let agents refund up to 50 euro without a supervisor",
        LessonStatus.CHANGED,
        "Since this month agents decide up to 50 euro themselves.",
    ),
    (
        "Call back when a chat drops instead of waiting for the customer",
        LessonStatus.IN_PROGRESS,
        "",
    ),
    ("Stop asking for the order number three times in one call", LessonStatus.OPEN, ""),
]
CUSTOMER_STORIES = [
    CustomerInput(
        title="De monteur kwam op zondag terug",
        body=(
            "Onze wifi lag eruit en ik werk thuis. Ayşe zei: bel me op 06-12345678 als "
            "het vanavond niet werkt. Het werkte niet, ik belde, en zondag stond er "
            "een monteur op de stoep. Mijn mail is k.devries@example.nl."
        ),
        channel=SeededChannel.PHONE,
        language=Language.NL,
        first_name="Karin",
        helped_by="Ayşe",
        show_first_name=True,
    ),
    CustomerInput(
        title="They found my parcel when the tracking page gave up",
        body=(
            "The tracking page said 'delivered' for four days. Kevin called the depot "
            "himself and rang me back at +31 20 123 4567 the same afternoon."
        ),
        channel=SeededChannel.CHAT,
        language=Language.EN,
        helped_by="Kevin",
    ),
]


def load_recognition(now: datetime) -> int:
    """Add the demo's kudos, comments, lessons and pending customer stories once;
    returns how many kudos were given (0 when the demo already has recognition)."""
    if db.session.scalar(select(func.count(Kudo.id))):
        return 0
    rng = random.Random(SEED)
    colleagues = list(db.session.scalars(select(User).where(User.active.is_(True))))
    recent = list(
        db.session.scalars(
            select(Story)
            .where(
                Story.status == StoryStatus.PUBLISHED,
                Story.author_kind == AuthorKind.AGENT,
                Story.published_at >= now - timedelta(weeks=8),
            )
            .order_by(Story.id)
        )
    )
    given = 0
    for story in rng.sample(recent, min(40, len(recent))):
        for giver in rng.sample(colleagues, rng.randint(1, 6)):
            if giver.id != story.author_id and give_kudos(story, giver):
                given += 1
    for story in rng.sample(recent, min(12, len(recent))):
        writer = rng.choice([c for c in colleagues if c.id != story.author_id])
        add_comment(story, writer, rng.choice(COMMENTS[story.language]))
    manager = db.session.scalar(select(User).where(User.email == email_of("Marloes Jansen")))
    assert manager is not None, "the demo's people are loaded before its recognition"
    managers = [c for c in colleagues if c.role is Role.MANAGER]
    for story, (proposal, status, note) in zip(rng.sample(recent, 3), LESSONS, strict=False):
        lesson = raise_lesson(story, manager, proposal, rng.choice(managers))
        if status is not LessonStatus.OPEN:
            move(lesson, LessonStatus.IN_PROGRESS, manager)
        if status is LessonStatus.CHANGED:
            move(lesson, LessonStatus.CHANGED, manager, note=note)
    if not db.session.scalar(select(func.count(CustomerSubmission.id))):
        for number, data in enumerate(CUSTOMER_STORIES):
            submit(data, now=now - timedelta(hours=number + 1))
    return given
