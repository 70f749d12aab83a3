"""The demo plan: hand-written stories plus a seeded season of generated ones.

Everything here is a pure function of the seed, so every run of ``storyboard demo``
describes the same organisation and the same stories; only the dates move with the
day of loading (``Moment`` is relative). Nothing here touches the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import time

from storyboard.demo import content
from storyboard.demo.frames import Scenario, Voice, fill
from storyboard.demo.people import PEOPLE, TEAMS, agents_of
from storyboard.demo.spec import Moment, PersonSpec, StorySpec, TeamSpec
from storyboard.models import Language, SeededChannel, StoryStatus

SEED = 20_250_403
GENERATED_STORIES = 300
DUTCH_SHARE = 0.6
DRAFTS = 6
# Sixteen weeks are 112 days; a story placed "today" but later than now moves back a
# day, so 110 keeps every date inside the window.
MAX_DAYS_AGO = 110
MIN_WORDS = 130

THEME_SLUGS = (
    "real-conversation",
    "stand-up",
    "storytelling",
    "no-limits",
    "team",
    "training",
    "tools",
    "time-place",
    "tone-of-voice",
    "team-support",
)
# Colleagues in other departments (warehouse, finance, installers) named in stories.
COLLEAGUES = (
    "Sandra",
    "Rachid",
    "Wouter",
    "Esther",
    "Joost",
    "Fatima",
    "Niels",
    "Ilse",
    "Mark",
    "Samira",
    "Gert-Jan",
    "Linda",
    "Dennis",
    "Hanneke",
    "Koen",
    "Yara",
)


@dataclass(frozen=True)
class DemoPlan:
    """Everything ``storyboard demo`` loads, in load order."""

    teams: tuple[TeamSpec, ...]
    people: tuple[PersonSpec, ...]
    stories: tuple[StorySpec, ...]

    @property
    def size(self) -> int:
        """Number of rows to load: the length of the progress bar."""
        return len(self.teams) + len(self.people) + len(self.stories)


def build_plan(seed: int = SEED, generated: int = GENERATED_STORIES) -> DemoPlan:
    """The demo organisation: hand-written stories first, then ``generated`` more."""
    handwritten = content.handwritten()
    taken = {story.title for story in handwritten}
    stories = generate_stories(random.Random(seed), generated, taken)
    return DemoPlan(TEAMS, PEOPLE, handwritten + tuple(stories))


def generate_stories(rng: random.Random, count: int, taken: set[str]) -> list[StorySpec]:
    """``count`` stories, 60% Dutch, a few of the most recent left as drafts. Titles are
    unique (also against ``taken``, which is updated)."""
    dutch = round(count * DUTCH_SHARE)
    languages = [Language.NL] * dutch + [Language.EN] * (count - dutch)
    rng.shuffle(languages)
    stories = [
        _story(rng, content.voice(language), content.scenarios(language), taken)
        for language in languages
    ]
    for index in rng.sample(range(count), min(DRAFTS, count)):
        draft_age = Moment(rng.randint(0, 6), stories[index].age.at)
        stories[index] = replace(stories[index], status=StoryStatus.DRAFT, age=draft_age)
    return stories


def _story(
    rng: random.Random, voice: Voice, scenarios: tuple[Scenario, ...], taken: set[str]
) -> StorySpec:
    for _attempt in range(200):
        scenario = rng.choice(scenarios)
        team, channel = rng.choice(scenario.routes)
        slots = _slots(rng, voice, scenario, channel)
        title = fill(rng.choice(scenario.titles), slots)
        if title in taken:
            continue
        taken.add(title)
        themes = list(scenario.themes)
        if rng.random() < 0.35:
            themes.append(rng.choice([slug for slug in THEME_SLUGS if slug not in themes]))
        return StorySpec(
            title=title,
            body=compose_body(rng, voice, scenario, slots, themes),
            language=voice.language,
            channel=channel,
            team=team,
            author=rng.choice(agents_of(team)),
            themes=tuple(themes),
            age=Moment(rng.randint(0, MAX_DAYS_AGO), time(rng.randint(8, 20), rng.randint(0, 59))),
            writing_minutes=rng.randint(8, 90),
        )
    raise RuntimeError("the demo generator ran out of unique titles; add title templates")


def _slots(
    rng: random.Random, voice: Voice, scenario: Scenario, channel: SeededChannel
) -> dict[str, str]:
    """Values for every template slot, drawn once per story so the parts agree."""
    customer = rng.choice(voice.customers)
    city = rng.choice(voice.cities)
    wanted = "any" if scenario.product == "none" else scenario.product
    product = rng.choice([p for p in voice.products if p.fits(wanted)])
    slots = {
        "intro": customer.intro.format(city=city),
        "short": customer.short,
        "city": rng.choice(voice.cities),
        "colleague": rng.choice(COLLEAGUES),
        "days": str(rng.randint(2, 9)),
        "minutes": str(rng.randint(12, 55)),
        "amount": voice.money(
            rng.choice((1999, 2995, 4950, 7999, 8995, 12900, 14999, 24900, 34900, 59900))
        ),
        "gift": f"€{rng.choice((10, 15, 20, 25, 30, 50))}",
        "occasion": rng.choice(voice.occasions),
        "bulk": rng.choice(voice.bulk),
        "count": str(rng.choice((12, 15, 18, 20, 24, 30, 40))),
        "org": rng.choice(voice.organisations),
        "code": str(rng.randint(11, 98)),
        "score": str(rng.choice((8, 9, 9, 10, 10, 10))),
        "reached_us": voice.reached_us[channel],
        **voice.pronouns[customer.female],
        **voice.product_forms(product),
    }
    return slots


def compose_body(
    rng: random.Random, voice: Voice, scenario: Scenario, slots: dict[str, str], themes: list[str]
) -> str:
    """Markdown in the story frame, in one of three layouts so lists look varied:
    four headings, bold lead-ins, or a plain narrative that ends with the lesson."""
    need = fill(rng.choice(scenario.needs), slots)
    if rng.random() < 0.5:
        need = f"{fill(rng.choice(voice.openers), slots)} {need}"
    action = fill(rng.choice(scenario.actions), slots)
    if rng.random() < 0.55:
        action = f"{action}\n\n{fill(rng.choice(voice.asides), slots)}"
    outcome = fill(rng.choice(scenario.outcomes), slots)
    reaction = rng.choice(voice.reactions)
    score = fill(rng.choice(voice.scores), slots)
    if rng.random() < 0.5:
        outcome = f"{outcome}\n\n> {reaction}\n\n{score}"
    else:
        outcome = f'{outcome} {score} *"{reaction}"*'

    pool = [lesson for theme in themes for lesson in voice.lessons.get(theme, ())]
    lessons = rng.sample(pool, 2 if rng.random() < 0.5 else 1)
    lesson = _lesson_text(rng, lessons)
    parts = (need, action, outcome, lesson)
    body = _layout(rng, voice, parts)
    if _words(body) < MIN_WORDS:
        extra = [item for item in pool if item not in lessons]
        if extra:
            parts = (need, action, outcome, _lesson_text(rng, [*lessons, rng.choice(extra)]))
            body = _layout(rng, voice, parts)
    return body


def _lesson_text(rng: random.Random, lessons: list[str]) -> str:
    if len(lessons) > 1 and rng.random() < 0.6:
        return "\n".join(f"- {lesson}" for lesson in lessons)
    return " ".join(lessons)


def _layout(rng: random.Random, voice: Voice, parts: tuple[str, str, str, str]) -> str:
    style = rng.random()
    if style < 0.6:
        return "\n\n".join(
            f"## {heading}\n\n{part}" for heading, part in zip(voice.headings, parts, strict=True)
        )
    if style < 0.85:
        return "\n\n".join(
            f"**{lead}** {part}" if not part.startswith("- ") else f"**{lead}**\n\n{part}"
            for lead, part in zip(voice.lead_ins, parts, strict=True)
        )
    need, action, outcome, lesson = parts
    label = f"**{voice.lesson_label}**"
    closing = f"{label}\n\n{lesson}" if lesson.startswith("- ") else f"{label} {lesson}"
    return f"{need}\n\n{action}\n\n{outcome}\n\n{closing}"


def _words(text: str) -> int:
    return len(text.split())
