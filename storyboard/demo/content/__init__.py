"""The demo's prose, kept as data: scenarios, hand-written stories and each language's
words for the generator live in the TOML files next to this module.

Content is not code: a writer edits a story or adds a scenario variant without touching
Python, and an English table and its Dutch twin are two files of the same shape, not
two modules. This loader turns the files into the frozen ``Scenario``, ``Voice`` and
``StorySpec`` values the generator combines. It checks what a typo would break (an
unknown key, a team, channel or person that does not exist) and names the file and
entry; it reads a file once, when first asked, not when the app starts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import time
from functools import cache
from importlib.resources import files
from typing import Any, ParamSpec, TypeVar

from storyboard.demo.frames import Customer, Product, Scenario, Voice
from storyboard.demo.people import PEOPLE, TEAMS
from storyboard.demo.spec import Moment, StorySpec
from storyboard.models import Language, SeededChannel

T = TypeVar("T")
P = ParamSpec("P")
Table = Mapping[str, Any]

SCENARIO_FILES = {
    Language.EN: ("scenarios_en",),
    Language.NL: ("scenarios_nl", "scenarios_nl_contact"),
}
# Agents' stories in both languages first, then those customers told; this is also the
# order in which they are loaded.
STORY_FILES = ("stories_en", "stories_nl", "stories_customers")
VOICE_FILES = {Language.EN: "voice_en", Language.NL: "voice_nl"}
SOURCES = (
    *STORY_FILES,
    *(name for names in SCENARIO_FILES.values() for name in names),
    *VOICE_FILES.values(),
)
BIRTHDAY = "birthday"  # the story the organisation features this week

_SCENARIO_KEYS = ("routes", "themes", "product", "titles", "needs", "actions", "outcomes")
_STORY_KEYS = ("title", "language", "channel", "team", "author", "themes", "days_ago", "at")
_VOICE_KEYS = (
    *("language", "decimal_comma", "lesson_label", "headings", "lead_ins", "cities"),
    *("occasions", "bulk", "organisations", "openers", "asides", "reactions", "scores"),
    *("customers", "products", "pronouns", "reached_us", "lessons"),
)


class ContentError(ValueError):
    """A content file does not have the shape the demo needs."""


@cache
def scenarios(language: Language) -> tuple[Scenario, ...]:
    """The scenarios the generator draws from for stories in ``language``."""
    return tuple(
        scenario
        for name in SCENARIO_FILES[language]
        for scenario in parse_scenarios(_read(name), f"{name}.toml")
    )


@cache
def voice(language: Language) -> Voice:
    """Everything language-specific the generator needs that is not a scenario."""
    name = VOICE_FILES[language]
    built = parse_voice(_read(name), f"{name}.toml")
    if built.language is not language:
        raise ContentError(f"{name}.toml: language is {built.language.value}")
    return built


def handwritten() -> tuple[StorySpec, ...]:
    """The hand-written stories, in load order."""
    return tuple(_stories().values())


def story(key: str) -> StorySpec:
    """A hand-written story by its key in the data (``birthday``)."""
    return _stories()[key]


@cache
def _stories() -> dict[str, StorySpec]:
    stories: dict[str, StorySpec] = {}
    for name in STORY_FILES:
        for key, spec in parse_stories(_read(name), f"{name}.toml").items():
            if key in stories:
                raise ContentError(f"{name}.toml [{key}]: a story with this key exists already")
            stories[key] = spec
    return stories


def parse_scenarios(text: str, source: str) -> tuple[Scenario, ...]:
    """Scenarios from TOML ``text``, one table each; a mistake names ``source`` and entry."""
    return tuple(
        _build(f"{source} [{key}]", _scenario, key, table)
        for key, table in _parse(text, source).items()
    )


def parse_stories(text: str, source: str) -> dict[str, StorySpec]:
    """Hand-written stories from TOML ``text``, by key, in the order they are written."""
    return {
        key: _build(f"{source} [{key}]", _story, table)
        for key, table in _parse(text, source).items()
    }


def parse_voice(text: str, source: str) -> Voice:
    """One language's words for the generator from TOML ``text``."""
    return _build(source, _voice, _parse(text, source))


def _read(name: str) -> str:
    return files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{source}: {error}") from error


def _build(where: str, build: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``build(…)``, with any mistake in the data named by where it stands."""
    try:
        return build(*args, **kwargs)
    except KeyError as error:
        raise ContentError(f"{where}: {error.args[0]!r} is missing") from error
    except (TypeError, ValueError) as error:
        raise ContentError(f"{where}: {error}") from error


def _as_table(value: Any) -> Table:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {value!r}")
    return value


def _scenario(key: str, value: Any) -> Scenario:
    table = _as_table(value)
    _only(table, _SCENARIO_KEYS)
    return Scenario(
        key=key,
        routes=tuple(_route(_as_table(route)) for route in _list(table, "routes")),
        themes=_texts(table, "themes"),
        product=_text(table, "product"),
        titles=_texts(table, "titles"),
        needs=_texts(table, "needs"),
        actions=_texts(table, "actions"),
        outcomes=_texts(table, "outcomes"),
    )


def _route(table: Table) -> tuple[str, SeededChannel]:
    _only(table, ("team", "channel"))
    return _team(table), SeededChannel(_text(table, "channel"))


def _story(value: Any) -> StorySpec:
    """An agent's story names its ``author``; a customer's story has none."""
    table = _as_table(value)
    _only(table, (*_STORY_KEYS, "body"))
    people = {person.name: person.email for person in PEOPLE}
    at = _value(table, "at", time, "a time of day such as 11:20:00")
    author = table.get("author")
    if author is not None and author not in people:
        raise ValueError(f"author: no demo person named {author!r}")
    return StorySpec(
        title=_text(table, "title"),
        body=_text(table, "body"),
        language=Language(_text(table, "language")),
        channel=SeededChannel(_text(table, "channel")),
        team=_team(table),
        author=None if author is None else people[author],
        themes=_texts(table, "themes"),
        age=Moment(_number(table, "days_ago"), at),
    )


def _voice(value: Any) -> Voice:
    table = _as_table(value)
    _only(table, _VOICE_KEYS)
    pronouns = _table(table, "pronouns")
    _only(pronouns, ("male", "female"))
    lessons = _table(table, "lessons")
    return Voice(
        language=Language(_text(table, "language")),
        headings=_four(table, "headings"),
        lead_ins=_four(table, "lead_ins"),
        lesson_label=_text(table, "lesson_label"),
        pronouns={False: _words(pronouns, "male"), True: _words(pronouns, "female")},
        reached_us={
            SeededChannel(channel): words for channel, words in _words(table, "reached_us").items()
        },
        customers=tuple(_customer(_as_table(customer)) for customer in _list(table, "customers")),
        products=tuple(_product(_as_table(product)) for product in _list(table, "products")),
        cities=_texts(table, "cities"),
        occasions=_texts(table, "occasions"),
        bulk=_texts(table, "bulk"),
        organisations=_texts(table, "organisations"),
        openers=_texts(table, "openers"),
        asides=_texts(table, "asides"),
        reactions=_texts(table, "reactions"),
        scores=_texts(table, "scores"),
        lessons={theme: _texts(lessons, theme) for theme in lessons},
        decimal_comma=_flag(table, "decimal_comma"),
    )


def _customer(table: Table) -> Customer:
    _only(table, ("intro", "short", "female"))
    return Customer(_text(table, "intro"), _text(table, "short"), _flag(table, "female"))


def _product(table: Table) -> Product:
    """``article`` may be left out: ``de``, the Dutch article of most products."""
    _only(table, ("name", "kind", "article"))
    if "article" not in table:
        return Product(_text(table, "name"), _text(table, "kind"))
    return Product(_text(table, "name"), _text(table, "kind"), _text(table, "article"))


def _team(table: Table) -> str:
    slug = _text(table, "team")
    if slug not in {team.slug for team in TEAMS}:
        raise ValueError(f"team: no demo team {slug!r}")
    return slug


def _only(table: Table, keys: tuple[str, ...]) -> None:
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")


def _value(table: Table, key: str, kind: type[T], expected: str) -> T:
    """``table[key]``, refused unless it is a ``kind``; ``expected`` says what to write."""
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{key}: expected {expected}, got {value!r}")
    return value


def _text(table: Table, key: str) -> str:
    return _value(table, key, str, "text")


def _texts(table: Table, key: str) -> tuple[str, ...]:
    values = _list(table, key)
    if not all(isinstance(value, str) for value in values):
        raise TypeError(f"{key}: expected a list of texts")
    return tuple(values)


def _four(table: Table, key: str) -> tuple[str, str, str, str]:
    texts = _texts(table, key)
    if len(texts) != 4:
        raise ValueError(f"{key}: expected four texts, one per part of the story frame")
    return texts[0], texts[1], texts[2], texts[3]


def _words(table: Table, key: str) -> dict[str, str]:
    words = _table(table, key)
    return {name: _text(words, name) for name in words}


def _list(table: Table, key: str) -> list[Any]:
    return _value(table, key, list, "a list")


def _table(table: Table, key: str) -> Table:
    return _value(table, key, dict, "a table")


def _number(table: Table, key: str) -> int:
    return _value(table, key, int, "a whole number")


def _flag(table: Table, key: str) -> bool:
    return _value(table, key, bool, "true or false")
