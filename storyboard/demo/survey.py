"""The demo's survey answers: a seeded season of NPS scores per team, so the dashboard
tells a story on the first run.

Each team has a profile: how many answers a week, on which channels and in which
language, during which office hours, and where its NPS lies week by week:

- Klantenservice Online and Social & Chat improve steadily over the sixteen weeks;
- Retail is the steady high performer;
- Bezorging dips for three weeks while new hires find their feet, then recovers;
- Zakelijk is small and steady.

Like the rest of the plan this is a pure function of the seed and names no dates: an
answer says how many weeks ago (0 is the current week), on which weekday and at which
local time it was given; ``loader`` turns that into a UTC instant and leaves out what
still lies in the future. Nothing here touches the database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from storyboard.demo.people import BUSINESS, DELIVERY, ONLINE, PEOPLE, RETAIL, SOCIAL, agents_of
from storyboard.models import Language, SeededChannel

SURVEY_SEED = 20_251_124
SOURCE = "demo"
# Sixteen complete weeks before the current one, and the current week so far.
FULL_WEEKS = 16
# Weeks (counted from the oldest full week, 0-based) in which Bezorging's new hires start.
DIP_WEEKS = (6, 7, 8)
COMMENT_SHARE = 0.28
AGENT_SHARE = 0.45
PASSIVE_SHARE = 0.24


@dataclass(frozen=True)
class TeamProfile:
    """How one team's customers answer. ``nps`` maps the week's position (0 = the oldest
    full week, ``FULL_WEEKS`` = the current week) to the NPS the scores are drawn for."""

    team: str
    volume: tuple[int, int]  # answers in a whole week, low and high
    channels: dict[SeededChannel, float]
    dutch: float  # share of answers in Dutch
    days: tuple[int, ...]  # weekdays, Monday = 0
    hours: tuple[int, int]  # first and last hour (local) in which answers arrive
    nps: Callable[[int], float]


def _improving(start: float, end: float) -> Callable[[int], float]:
    return lambda week: start + (end - start) * min(week, FULL_WEEKS - 1) / (FULL_WEEKS - 1)


def _steady(level: float) -> Callable[[int], float]:
    return lambda _week: level


def _new_hires(level: float, dip: float) -> Callable[[int], float]:
    def nps(week: int) -> float:
        if week in DIP_WEEKS:
            return dip
        if week == DIP_WEEKS[-1] + 1:  # recovering
            return (level + dip) / 2 + 5
        return level + (4 if week > DIP_WEEKS[-1] else 0)

    return nps


PROFILES: tuple[TeamProfile, ...] = (
    TeamProfile(
        RETAIL,
        (110, 170),
        {SeededChannel.STORE: 0.7, SeededChannel.PHONE: 0.2, SeededChannel.EMAIL: 0.1},
        0.9,
        (0, 1, 2, 3, 4, 5),
        (9, 17),
        _steady(55),
    ),
    TeamProfile(
        DELIVERY,
        (90, 140),
        {SeededChannel.PHONE: 0.6, SeededChannel.EMAIL: 0.3, SeededChannel.CHAT: 0.1},
        0.85,
        (0, 1, 2, 3, 4, 5),
        (8, 19),
        _new_hires(32, -2),
    ),
    TeamProfile(
        ONLINE,
        (200, 320),
        {SeededChannel.PHONE: 0.5, SeededChannel.EMAIL: 0.35, SeededChannel.CHAT: 0.15},
        0.75,
        (0, 1, 2, 3, 4, 5),
        (8, 19),
        _improving(12, 44),
    ),
    TeamProfile(
        BUSINESS,
        (18, 36),
        {SeededChannel.EMAIL: 0.55, SeededChannel.PHONE: 0.45},
        0.8,
        (0, 1, 2, 3, 4),
        (8, 17),
        _steady(36),
    ),
    TeamProfile(
        SOCIAL,
        (60, 110),
        {SeededChannel.CHAT: 0.5, SeededChannel.SOCIAL: 0.5},
        0.65,
        (0, 1, 2, 3, 4, 5, 6),
        (8, 21),
        _improving(14, 42),
    ),
)
# Fewer answers at the weekend, the most on Monday.
DAY_WEIGHTS = (1.3, 1.15, 1.05, 1.0, 1.0, 0.6, 0.4)


@dataclass(frozen=True)
class AnswerSpec:
    """One survey answer, relative to the day of loading."""

    external_id: str
    team: str
    weeks_ago: int  # 0: the current ISO week
    weekday: int  # Monday = 0
    at: time  # local time
    score: int
    channel: SeededChannel
    language: Language
    agent: str | None  # e-mail address of an agent of the team
    comment: str


COMMENTS: dict[tuple[str, Language], tuple[str, ...]] = {
    ("promoter", Language.NL): (
        "Snel geholpen, top!",
        "Heel vriendelijk en duidelijk.",
        "Precies wat ik nodig had.",
        "Fijn dat er echt geluisterd werd.",
        "Binnen vijf minuten opgelost.",
        "Prettig contact, dank jullie wel.",
        "Eindelijk een bedrijf dat terugbelt!",
        "Super service, ik kom zeker terug.",
        "Netjes op tijd en alles klopte.",
    ),
    ("promoter", Language.EN): (
        "Quick and friendly, thanks!",
        "Really helpful, sorted in minutes.",
        "Great service, will order again.",
        "They actually listened.",
        "Clear answers and no waiting.",
    ),
    ("passive", Language.NL): (
        "Prima, maar het duurde even.",
        "Goed geholpen, wachttijd was lang.",
        "Redelijk, wel twee keer moeten bellen.",
        "Oké, niets bijzonders.",
        "Antwoord klopte, maar was wat kortaf.",
    ),
    ("passive", Language.EN): (
        "Fine, but I had to wait a while.",
        "Okay in the end.",
        "Helpful, though I had to explain twice.",
    ),
    ("detractor", Language.NL): (
        "Bezorging was te laat.",
        "Drie keer doorverbonden, niemand wist het.",
        "Niet teruggebeld zoals beloofd.",
        "Pakket beschadigd en nog geen oplossing.",
        "Veel te lang in de wacht gestaan.",
        "Standaardantwoord, er werd niet meegedacht.",
        "Retour duurt al drie weken.",
    ),
    ("detractor", Language.EN): (
        "Delivery was late and nobody told me.",
        "Waited forty minutes on hold.",
        "Promised a call back that never came.",
        "Copy-paste answer, no real help.",
    ),
}
AGENT_PRAISE = {
    Language.NL: (
        "Agent {name} dacht echt mee.",
        "{name} heeft me geweldig geholpen!",
        "Dank aan {name}, heel geduldig.",
    ),
    Language.EN: ("{name} really went the extra mile.", "Thanks to {name}, very patient."),
}
TEAM_COMMENTS: dict[tuple[str, str, Language], tuple[str, ...]] = {
    (DELIVERY, "detractor", Language.NL): (
        "Bezorger kwam niet in het tijdvak.",
        "Wasmachine niet aangesloten, monteur weg.",
        "Bezorging was te laat.",
    ),
    (DELIVERY, "promoter", Language.NL): ("Bezorgers waren vriendelijk en netjes.",),
    (RETAIL, "promoter", Language.NL): (
        "Fijne uitleg in de winkel.",
        "Medewerker in de winkel nam echt de tijd.",
    ),
    (BUSINESS, "promoter", Language.NL): ("Accountmanager regelde het direct.",),
    (SOCIAL, "promoter", Language.NL): ("Via WhatsApp binnen een kwartier antwoord.",),
}
FIRST_NAMES = {person.email: person.name.split()[0] for person in PEOPLE}


def build_answers(seed: int = SURVEY_SEED) -> tuple[AnswerSpec, ...]:
    """Every team's answers, oldest week first; the same tuple for the same seed."""
    answers: list[AnswerSpec] = []
    for index, profile in enumerate(PROFILES):
        rng = random.Random(seed * 10 + index)
        answers.extend(_team_answers(rng, profile))
    return tuple(answers)


def _team_answers(rng: random.Random, profile: TeamProfile) -> list[AnswerSpec]:
    agents = agents_of(profile.team)
    channels, channel_weights = zip(*profile.channels.items(), strict=True)
    day_weights = [DAY_WEIGHTS[day] for day in profile.days]
    answers: list[AnswerSpec] = []
    for week in range(FULL_WEEKS + 1):
        weeks_ago = FULL_WEEKS - week
        low, high = profile.volume
        growth = 1 + 0.01 * week  # the survey reaches a few more customers every week
        count = round(rng.randint(low, high) * growth)
        target = max(-100.0, min(100.0, profile.nps(week) + rng.uniform(-4, 4))) / 100
        promoter = (1 - PASSIVE_SHARE + target) / 2
        detractor = (1 - PASSIVE_SHARE - target) / 2
        for _ in range(count):
            kind = rng.choices(
                ("promoter", "passive", "detractor"), (promoter, PASSIVE_SHARE, detractor)
            )[0]
            score = _score(rng, kind)
            language = Language.NL if rng.random() < profile.dutch else Language.EN
            agent = rng.choice(agents) if agents and rng.random() < AGENT_SHARE else None
            hour = rng.randint(*profile.hours)
            answers.append(
                AnswerSpec(
                    external_id=f"demo-{profile.team}-{len(answers) + 1}",
                    team=profile.team,
                    weeks_ago=weeks_ago,
                    weekday=rng.choices(profile.days, day_weights)[0],
                    at=time(hour, rng.randint(0, 59), rng.randint(0, 59)),
                    score=score,
                    channel=rng.choices(channels, channel_weights)[0],
                    language=language,
                    agent=agent,
                    comment=_comment(rng, profile.team, kind, language, agent),
                )
            )
    return answers


def _score(rng: random.Random, kind: str) -> int:
    if kind == "promoter":
        return rng.choices((9, 10), (0.45, 0.55))[0]
    if kind == "passive":
        return rng.choice((7, 8))
    return rng.choices(range(7), (4, 1, 2, 3, 4, 8, 10))[0]


def _comment(
    rng: random.Random, team: str, kind: str, language: Language, agent: str | None
) -> str:
    if rng.random() >= COMMENT_SHARE:
        return ""
    if agent is not None and kind == "promoter" and rng.random() < 0.35:
        return rng.choice(AGENT_PRAISE[language]).format(name=FIRST_NAMES[agent])
    pool = COMMENTS[(kind, language)] + TEAM_COMMENTS.get((team, kind, language), ())
    return rng.choice(pool)
