"""One language per page: every page of every role, read in Dutch, shows no English
string from the catalog that has a Dutch translation, and read in English no Dutch one.

The walk signs in as every role (and as nobody), opens every page the access MATRIX
lets that role GET (200, and the error pages it answers with), plus the public pages
and the pages a day of use makes (a customer's status page, a story in moderation, a
published customer story, this week's digest), with the browser asking for one
language. It reads the visible text nodes and the attributes meant for people (title,
placeholder, aria-label, alt, the value of buttons) and compares each whole node, after
collapsing white space, with the other language's catalog. Text inside an element whose
``lang`` says it is in the other language (a story in English, the footer's "English")
is meant to be there and is skipped, as is what people typed (the world's names and
titles). Every offending string is reported at once, with its page and role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from storyboard.db import db
from storyboard.models import CustomerSubmission, Feature, Lesson, Story, Team, Theme, User
from storyboard.models.nps import SurveyAnswer
from storyboard.weeks import IsoWeek
from tests.conftest import Auth, copy_database, make_app, post_form
from tests.pages import ADMIN, ANON, EMAIL_OF, MANAGER, NOT_PAGES, STAKEHOLDER, WHO
from tests.web.test_access import MATRIX, World
from tests.web.test_access import world as world

TRANSLATIONS = Path(__file__).resolve().parents[2] / "storyboard" / "translations"
# Shorter strings ("OK", "n", "%") say too little to tell a language by.
MIN_LENGTH = 4
# Pages that are no page to read: files, probes, the API and feeds.
PUBLIC_PAGES = ("/share/", "/auth/login", "/auth/forgot")
SHOWN_STATUSES = (200, 400, 403, 404, 410)
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_INPUTS = ("submit", "button", "reset")
SKIPPED_ELEMENTS = ("script", "style", "template")
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def pages_for(who: str, ids: dict[str, int]) -> list[tuple[str, int]]:
    """Every page ``who`` can be shown, with the status it answers: the matrix's GET
    rows that answer them with a page (200, or an error page: 400, 403, 404, 410),
    files, probes, the API, feeds and downloads aside, with the world's ids filled in;
    and the public pages. The one place that knows where pages come from."""
    column = WHO.index(who)
    pages = [
        (path.format(**ids), expected[column])
        for method, path, _data, expected in MATRIX
        if method == "GET"
        and expected[column] in SHOWN_STATUSES
        and not any(part in path for part in NOT_PAGES)
    ]
    public = [(path, 200) for path in PUBLIC_PAGES if who == ANON]
    return list(dict.fromkeys([*pages, *public]))


# --- the catalogs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """A catalog string as it may show on a page: exact text or, with placeholders, a
    pattern; ``source`` is the string as the catalog has it, for the report."""

    source: str
    pattern: re.Pattern[str] | None

    def matches(self, text: str) -> bool:
        return text == self.source if self.pattern is None else bool(self.pattern.fullmatch(text))


TYPED = "\u2063typed\u2063"  # marks where people's own words were in a text node
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _phrase(text: str) -> Phrase | None:
    text = _normalise(text.replace("%%", "%"))
    if "<" in text or len(PLACEHOLDER.sub("", text).strip()) < MIN_LENGTH:
        return None  # markup splits into several text nodes; too short to mean anything
    if not PLACEHOLDER.search(text):
        return Phrase(text, None)
    parts = PLACEHOLDER.split(text)
    # split() keeps the group: literal, name, literal, name, ... (None for %s).
    literal = [re.escape(part) for part in parts[::2]]
    return Phrase(text, re.compile(".+?".join(literal), re.DOTALL))


def _pairs(locale: str) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) of every translated message of ``locale``, plural forms too."""
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, string in enumerate(strings):
            yield ids[min(index, len(ids) - 1)], string


@functools.cache
def foreign_phrases(page_language: str) -> tuple[Phrase, ...]:
    """Strings of the other language that differ from this language's words for them:
    English msgids with another Dutch msgstr on a Dutch page, and those Dutch msgstrs
    on an English page. A string that is the same in both ("Team") is fine anywhere."""
    pairs = [(english, dutch) for english, dutch in _pairs("nl")]
    own = {_normalise(dutch if page_language == "nl" else english) for english, dutch in pairs}
    foreign = {
        _normalise(english if page_language == "nl" else dutch)
        for english, dutch in pairs
        if _normalise(english) != _normalise(dutch)
    }
    # A word that is also one of this language's own strings is no evidence.
    phrases = (_phrase(text) for text in sorted(foreign - own))
    return tuple(phrase for phrase in phrases if phrase is not None)


def first_match(phrases: tuple[Phrase, ...], text: str) -> Phrase | None:
    """The phrase ``text`` is, if any: exact strings by lookup, patterns one by one."""
    exact, patterns = _split(phrases)
    if text in exact:
        return exact[text]
    return next((phrase for phrase in patterns if phrase.matches(text)), None)


@functools.cache
def _split(phrases: tuple[Phrase, ...]) -> tuple[dict[str, Phrase], tuple[Phrase, ...]]:
    exact = {phrase.source: phrase for phrase in phrases if phrase.pattern is None}
    return exact, tuple(phrase for phrase in phrases if phrase.pattern is not None)


# --- the pages ----------------------------------------------------------------------------


class PeopleText(HTMLParser):
    """Collects (where, text) for every text node and people-meant attribute that is in
    the page's language (not inside an element with another ``lang``)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("#document", language, False)]
        self.found: list[tuple[str, str]] = []

    @property
    def _foreign(self) -> bool:
        return self.stack[-1][1] != self.stack[0][1] or self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        language = values.get("lang", "").split("-")[0] or self.stack[-1][1]
        skipped = self.stack[-1][2] or tag in SKIPPED_ELEMENTS
        if tag == "html":
            self.stack[0] = ("#document", self.stack[0][1], False)
            language = self.stack[0][1]  # the page's own lang is what is being checked
        inside = (tag, language, skipped)
        if tag not in VOID_ELEMENTS:
            self.stack.append(inside)
        if language != self.stack[0][1] or skipped:
            return
        for name in ATTRIBUTES:
            if values.get(name):
                self.found.append((f"<{tag} {name}>", values[name]))
        if tag == "input" and values.get("type") in BUTTON_INPUTS and values.get("value"):
            self.found.append((f"<{tag} value>", values["value"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        text = _normalise(data)
        if text and not self._foreign:
            self.found.append((f"<{self.stack[-1][0]}>", text))


def people_text(html: str, language: str) -> list[tuple[str, str]]:
    parser = PeopleText(language)
    parser.feed(html)
    parser.close()
    return parser.found


def typed_by_people(app: Flask) -> set[str]:
    """What the world's people typed (names, titles, notes): theirs, in any language."""
    with app.app_context():
        texts: set[str] = set()
        for user in db.session.scalars(db.select(User)):
            texts |= {user.display_name, user.email}
        for team in db.session.scalars(db.select(Team)):
            texts |= {team.name, team.description}
        for story in db.session.scalars(db.select(Story)):
            texts |= {story.title, story.body}
        texts |= {f.note for f in db.session.scalars(db.select(Feature))}
        texts |= {a.comment or "" for a in db.session.scalars(db.select(SurveyAnswer))}
        texts |= {lesson.proposal for lesson in db.session.scalars(db.select(Lesson))}
        texts |= {"Mooi gedaan, dit onthoud ik.", "Jeroen", "Mila"}
    return {_normalise(text) for text in texts if len(text or "") >= MIN_LENGTH}


@dataclass(frozen=True)
class Offence:
    who: str
    page: str
    where: str
    text: str
    catalog: str

    def __str__(self) -> str:
        shown = self.text if self.text == self.catalog else f"{self.text!r} ~ {self.catalog!r}"
        return f"{self.page} as {self.who}: {self.where} {shown}"


def walk(
    app: Flask, client: FlaskClient, who: str, language: str, pages: list[tuple[str, int]]
) -> Iterator[Offence]:
    phrases = foreign_phrases(language)
    ignored = typed_by_people(app)
    for page, status in pages:
        response = client.get(page)
        assert response.status_code == status, f"{page} as {who}: {response.status_code}"
        html = response.get_data(as_text=True)
        lang = re.search(r'<html[^>]*\blang="([a-z]+)', html)
        assert lang and lang.group(1) == language, f"{page} as {who} is not marked {language}"
        for where, text in people_text(html, language):
            # What people typed stands in for a placeholder: "Welcome back, Ann." is
            # still "Welcome back, %(name)s.", but a title alone is nobody's catalog.
            for typed in sorted(ignored, key=len, reverse=True):
                text = text.replace(typed, TYPED)
            if len(text.replace(TYPED, "").strip(" ·:,.←→-")) < MIN_LENGTH and TYPED in text:
                continue
            if len(text) < MIN_LENGTH:
                continue
            phrase = first_match(phrases, text)
            if phrase is not None:
                yield Offence(who, page, where, text.replace(TYPED, "…"), phrase.source)


# The matrix's people are called after their roles ("Admin"), which would hide a role
# label left untranslated; on the walk's copy they have names of people.
PEOPLE_NAMES = {
    "author": "Fatima el Amrani",
    "agent": "Jeroen Bakker",
    "manager": "Ingrid Visser",
    "stakeholder": "Tom Jansen",
    "admin": "Sanne de Groot",
}


# Themes on the matrix's published story, so its pages, cards and digest name them.
WALK_THEMES = ("stand-up", "tone-of-voice")


@dataclass(frozen=True)
class Walk:
    """The walk's app, and the pages its day made that the matrix cannot name (a
    customer's status page, a story waiting in moderation, a published customer story)."""

    app: Flask
    extra: dict[str, list[tuple[str, int]]]


def _signed_in(app: Flask, who: str, language: str = "en") -> FlaskClient:
    """A client of ``who`` whose browser asks for ``language`` from the start."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    if who != ANON:
        response = Auth(client).login(EMAIL_OF[who])
        assert response.status_code == 302, f"{who} could not sign in"
    return client


def _share(client: FlaskClient, title: str) -> str:
    """A customer tells a Dutch story with a phone number; the path of its status page."""
    response = post_form(
        client,
        "/share/",
        {
            "title": title,
            "body": f"{title}: bel me gerust op 06 12345678 of mail klant@example.nl.",
            "channel": "phone",
            "helped_by": "Jeroen",
            "first_name": "Mila",
            "language": "nl",
            "consent_share": "y",
            "consent_name": "y",
            "website": "",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    status = re.search(r'(/share/status/[A-Za-z0-9_-]+)"', response.get_data(as_text=True))
    assert status, "the customer sees no status link"
    return status.group(1)


def live_a_day(app: Flask, ids: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """What a day brings, done through the pages: kudos and a comment on the story, a
    learning moment moved on, two customer stories (one published, one waiting)."""
    story = ids["story"]
    agent = _signed_in(app, "agent")
    assert post_form(agent, f"/stories/{story}/kudos", {}, f"/stories/{story}").status_code == 302
    comment = {"body": "Mooi gedaan, dit onthoud ik."}
    assert (
        post_form(agent, f"/stories/{story}/comments", comment, f"/stories/{story}").status_code
        == 302
    )

    manager = _signed_in(app, "manager")
    lesson = {"proposal": "Terugbetalen zonder bon toestaan", "owner_id": ""}
    assert (
        post_form(manager, f"/stories/{story}/lesson", lesson, f"/stories/{story}").status_code
        == 302
    )
    with app.app_context():
        lesson_id = db.session.scalar(db.select(Lesson.id))
    for status in ("in_progress", "changed"):
        move = {"status": status, "note": "Zo doen we het voortaan."}
        response = post_form(manager, f"/lessons/{lesson_id}/status", move, "/lessons")
        assert response.status_code == 302

    customer = app.test_client()
    waiting = _share(customer, "Geholpen met mijn pakket")
    published = _share(customer, "Een nieuwe pas binnen een dag")
    with app.app_context():
        submissions = list(
            db.session.scalars(db.select(CustomerSubmission).order_by(CustomerSubmission.id))
        )
        waiting_id, published_id = (submission.id for submission in submissions)
        draft = submissions[1].story
        approve = {
            "title": draft.title,
            "body": draft.body,
            "channel": "phone",
            "language": "nl",
            "team_id": str(ids["team"]),
            "action": "approve",
        }
    response = post_form(manager, f"/moderation/{published_id}", approve)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    customer_story = response.headers["Location"].split("#")[0].split("?")[0]
    readers = {who: [(customer_story, 200)] for who in WHO if who != ANON}
    readers[MANAGER] += [(f"/moderation/{waiting_id}", 200)]
    # This week's digest: the story's themes, the closed learning moment.
    for who in (MANAGER, STAKEHOLDER, ADMIN):
        readers[who] += [(f"/digest/{IsoWeek.current('Europe/Amsterdam')}", 200)]
    readers[ANON] = [(waiting, 200), (published, 200)]
    return readers


@pytest.fixture
def walk_app(tmp_path: Path, world: World) -> Iterator[Walk]:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(world.database, instance / "storyboard.db")
    app = make_app(instance)
    with app.app_context():
        for who, name in PEOPLE_NAMES.items():
            user = db.session.scalar(db.select(User).where(User.email == EMAIL_OF[who]))
            assert user is not None
            user.display_name = name
        story = db.session.get(Story, world.ids["story"])
        assert story is not None
        story.themes = list(db.session.scalars(db.select(Theme).where(Theme.slug.in_(WALK_THEMES))))
        db.session.commit()
    yield Walk(app, live_a_day(app, world.ids))
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_of_every_role_speaks_one_language(
    walk_app: Walk,
    world: World,
    language: str,
) -> None:
    offences: list[Offence] = []
    for who in WHO:
        client = _signed_in(walk_app.app, who, language)
        pages = [*pages_for(who, world.ids), *walk_app.extra.get(who, [])]
        offences.extend(walk(walk_app.app, client, who, language, pages))
    report = "\n".join(sorted({str(offence) for offence in offences}))
    other = "English" if language == "nl" else "Dutch"
    assert not offences, f"{other} strings on {language} pages:\n{report}"


# --- the walk's own parts -----------------------------------------------------------------


def test_the_walk_covers_every_role_and_the_public_pages(world: World) -> None:
    for who in WHO:
        pages = pages_for(who, world.ids)
        assert [page for page, status in pages if status == 200], who
        assert not [page for page, _ in pages if any(part in page for part in NOT_PAGES)]
    assert {(page, 200) for page in PUBLIC_PAGES} <= set(pages_for(ANON, world.ids))
    assert ("/admin/themes", 200) in pages_for(ADMIN, world.ids)
    assert ("/admin/themes", 403) in pages_for(MANAGER, world.ids)
    assert (f"/stories/{world.ids['story']}", 200) in pages_for(STAKEHOLDER, world.ids)


def test_formatted_strings_are_matched_with_their_values_filled_in() -> None:
    phrase = _phrase("Saved %(name)s.")
    assert phrase is not None and phrase.matches("Saved Retail.")
    assert not phrase.matches("Saved")
    assert phrase.matches(f"Saved {TYPED}.")
    assert _phrase("OK") is None
    assert _phrase("Read <a href='x'>more</a>") is None


def test_a_dutch_page_with_an_english_label_is_caught() -> None:
    """The check finds what it is for: an English catalog string left on a Dutch page
    (text or attribute), and leaves alone what is marked as another language."""
    phrases = foreign_phrases("nl")
    page = (
        '<html lang="nl"><body><p>  Waiting   for moderation </p>'
        '<input type="submit" value="Sign in"><a title="Sign out" href="/">x</a>'
        '<p lang="en">Waiting for moderation</p><script>var a = "Sign in";</script></body></html>'
    )
    found = [
        (where, text)
        for where, text in people_text(page, "nl")
        if first_match(phrases, text) is not None
    ]
    assert found == [
        ("<p>", "Waiting for moderation"),
        ("<input value>", "Sign in"),
        ("<a title>", "Sign out"),
    ]
