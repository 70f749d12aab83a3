"""The demo's prose is data: every content file loads into the specs the generator
combines, every slot a template uses is one the generator fills, and a mistake in a
file is refused with its file and entry named."""

from __future__ import annotations

import random
import re
import string
from datetime import time
from pathlib import Path

import pytest

from storyboard.demo import content
from storyboard.demo.content import ContentError, parse_scenarios, parse_stories, parse_voice
from storyboard.demo.frames import Scenario
from storyboard.demo.generator import _slots
from storyboard.demo.people import DELIVERY, PEOPLE, TEAMS
from storyboard.models import Language, SeededChannel

CONTENT = Path(content.__file__).parent

STORY = """
[moving-day]
title = "Delivered on moving day"
language = "en"
channel = "phone"
team = "bezorging"
author = "Kevin Bos"
themes = ["no-limits"]
days_ago = 63
at = 11:00:00
body = \"\"\"\\
We had a **fridge** to deliver.

> Thank you.\"\"\"
"""

SCENARIO = """
[late]
routes = [{ team = "bezorging", channel = "phone" }]
themes = ["no-limits"]
product = "big"
titles = ["In time for {occasion}"]
needs = ["{Intro} {reached_us} about {the_product}."]
actions = ["{Colleague} booked a courier."]
outcomes = ["It arrived."]
"""


def test_every_content_file_is_read_and_nothing_else_lies_there() -> None:
    assert {path.stem for path in CONTENT.glob("*.toml")} == set(content.SOURCES)
    for language in Language:
        assert content.voice(language).language is language
        assert len(content.scenarios(language)) >= 10
    assert len({scenario.key for scenario in content.scenarios(Language.NL)}) == len(
        content.scenarios(Language.NL)
    )
    stories = content.handwritten()
    assert len(stories) == len({story.title for story in stories}) >= 15
    assert {story.language for story in stories} == set(Language)
    assert any(story.author is None for story in stories)
    assert content.story(content.BIRTHDAY).title.startswith("A present for his daughter")


def test_a_story_in_the_data_becomes_its_spec() -> None:
    (key, story), *_ = parse_stories(STORY, "test.toml").items()
    assert key == "moving-day"
    assert story.body == "We had a **fridge** to deliver.\n\n> Thank you."
    assert (story.language, story.channel, story.team) == (
        Language.EN,
        SeededChannel.PHONE,
        DELIVERY,
    )
    assert story.author == next(p.email for p in PEOPLE if p.name == "Kevin Bos")
    assert (story.age.days_ago, story.age.at) == (63, time(11, 0))
    customer = parse_stories(STORY.replace('author = "Kevin Bos"\n', ""), "test.toml")
    assert customer["moving-day"].author is None


def test_a_scenario_in_the_data_becomes_its_spec() -> None:
    (scenario,) = parse_scenarios(SCENARIO, "test.toml")
    assert scenario == Scenario(
        key="late",
        routes=((DELIVERY, SeededChannel.PHONE),),
        themes=("no-limits",),
        product="big",
        titles=("In time for {occasion}",),
        needs=("{Intro} {reached_us} about {the_product}.",),
        actions=("{Colleague} booked a courier.",),
        outcomes=("It arrived.",),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (STORY.replace('team = "bezorging"', 'team = "sales"'), "no demo team 'sales'"),
        (STORY.replace('"Kevin Bos"', '"Kevin Bosch"'), "no demo person named 'Kevin Bosch'"),
        (
            STORY.replace('channel = "phone"', 'channel = "fax"'),
            "'fax' is not a valid SeededChannel",
        ),
        (STORY.replace("at = 11:00:00", 'at = "11:00"'), "expected a time of day"),
        (STORY.replace("days_ago = 63", 'days_ago = "63"'), "days_ago: expected a whole number"),
        (STORY.replace("themes =", "theme ="), "unknown key 'theme'"),
        (STORY.replace('title = "Delivered on moving day"\n', ""), "'title' is missing"),
        (SCENARIO.replace('"bezorging"', '"zakelijk-noord"'), "no demo team 'zakelijk-noord'"),
        (SCENARIO.replace('titles = ["In', 'titles = [1, "In'), "titles: expected a list of"),
        (SCENARIO.replace('product = "big"', "product = []"), "product: expected text"),
        (SCENARIO.replace('{ team = "bezorging", channel = "phone" }', '"x"'), "expected a table"),
    ],
)
def test_a_mistake_names_file_and_entry(text: str, message: str) -> None:
    parse = parse_stories if text.startswith("\n[moving-day]") else parse_scenarios
    with pytest.raises(ContentError, match=r"^test\.toml \[(moving-day|late)\]: ") as error:
        parse(text, "test.toml")
    assert message in str(error.value)


def test_broken_toml_and_a_short_voice_are_refused() -> None:
    with pytest.raises(ContentError, match=r"^test\.toml: .*line 3"):
        parse_stories('[a]\ntitle = "x"\nbody = not quoted\n', "test.toml")
    english = (CONTENT / "voice_en.toml").read_text(encoding="utf-8")
    assert parse_voice(english, "voice_en.toml") == content.voice(Language.EN)
    three = english.replace('    "What happened next",\n', "", 1)
    with pytest.raises(ContentError, match=r"^voice_en\.toml: headings: expected four texts"):
        parse_voice(three, "voice_en.toml")


@pytest.mark.parametrize("language", list(Language))
def test_every_slot_a_template_uses_is_filled(language: Language) -> None:
    voice = content.voice(language)
    scenario = content.scenarios(language)[0]
    filled = _slots(random.Random(1), voice, scenario, SeededChannel.PHONE)
    known = set(filled) | {key[:1].upper() + key[1:] for key in filled}
    templates = [
        text
        for scenario in content.scenarios(language)
        for part in (scenario.titles, scenario.needs, scenario.actions, scenario.outcomes)
        for text in part
    ]
    templates += [*voice.openers, *voice.asides, *voice.scores]
    used = {
        name
        for text in templates
        for _literal, name, _spec, _conversion in string.Formatter().parse(text)
        if name is not None
    }
    assert used <= known, used - known
    assert all(customer.intro.count("{city}") == 1 for customer in voice.customers)
    routes = {team for scenario in content.scenarios(language) for team, _ in scenario.routes}
    assert routes <= {team.slug for team in TEAMS}
    assert not any(re.search(r"\s$", text) for text in templates)
