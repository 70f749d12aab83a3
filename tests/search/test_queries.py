"""What a query finds: Dutch and English inflections, folded accents, phrases, OR,
exclusion and field:value, and facet counts that agree with the database."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select, func, select

from storyboard.db import db
from storyboard.models import Role, Story, StoryStatus, Team, Theme, story_themes
from tests.conftest import Auth
from tests.search.conftest import Archive

NFD_CAFE = unicodedata.normalize("NFD", "café")
assert NFD_CAFE != "café"


@pytest.fixture(scope="module")
def words_archive(module_archive: Callable[[], Archive]) -> tuple[Archive, dict[str, int]]:
    """Stories that each carry one form of a word, in both languages."""
    archive = module_archive()
    add = archive.add
    return archive, {
        "nl_plural": add(
            "Op tijd", "Twee bestellingen kwamen op tijd voor de verjaardagen.", language="nl"
        ),
        "nl_single": add(
            "Een cadeau", "Zijn bestelling was een cadeau voor haar verjaardag.", language="nl"
        ),
        "en_plural": add(
            "Late deliveries", "The agent apologised for the deliveries.", language="en"
        ),
        "en_single": add(
            "One delivery", "We apologise: the delivery is on its way.", language="en"
        ),
        # A wrong language tag must not hide a word: Dutch words in an "en" story.
        "mixed": add("Mixed", "The klant had drie bestellingen open.", language="en"),
        "cafe_accent": add("Koffie", "Koffie in het café om de hoek.", language="nl"),
        "cafe_plain": add("Coffee", "We met at the cafe downtown.", language="en"),
        "other": add("Nothing alike", "A calm phone call about an invoice.", language="en"),
    }


@pytest.fixture
def words(words_archive: tuple[Archive, dict[str, int]]) -> dict[str, int]:
    return words_archive[1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bestelling", {"nl_plural", "nl_single", "mixed"}),
        ("bestellingen", {"nl_plural", "nl_single", "mixed"}),
        ("verjaardag", {"nl_plural", "nl_single"}),
        ("verjaardagen", {"nl_plural", "nl_single"}),
        ("delivery", {"en_plural", "en_single"}),
        ("deliveries", {"en_plural", "en_single"}),
        ("apologise", {"en_plural", "en_single"}),
        ("apologised", {"en_plural", "en_single"}),
        ("cafe", {"cafe_accent", "cafe_plain"}),
        ("café", {"cafe_accent", "cafe_plain"}),
        ("CAFÉ", {"cafe_accent", "cafe_plain"}),
        (NFD_CAFE, {"cafe_accent", "cafe_plain"}),
    ],
)
def test_inflections_and_accents_match_in_both_directions(
    words_archive: tuple[Archive, dict[str, int]], query: str, expected: set[str]
) -> None:
    archive, words = words_archive
    assert archive.ids(query) == {words[name] for name in expected}


def test_nfd_typed_in_the_search_page_finds_nfc_text(
    client: FlaskClient, auth: Auth, archive: Archive
) -> None:
    archive.add("Koffie", "Koffie in het café om de hoek.", language="nl")
    archive.add("Coffee", "We met at the cafe downtown.")
    archive.add("Nothing alike", "A calm phone call about an invoice.")
    auth.login_as(Role.STAKEHOLDER)
    page = client.get("/search", query_string={"q": NFD_CAFE})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Koffie" in html and "Coffee" in html
    assert "Nothing alike" not in html


@pytest.fixture(scope="module")
def phrase_archive(module_archive: Callable[[], Archive]) -> tuple[Archive, dict[str, int]]:
    archive = module_archive()
    add = archive.add
    return archive, {
        "late_deliveries": add("Complaint", "Late deliveries hurt our score."),
        "deliveries_late": add("Complaint again", "The deliveries were late twice."),
        "stood_up": add("Standing", "She stood up for the customer and called back."),
        "up_stood": add("Morning", "Up early, he stood by the door."),
        "op_tijd": add("Punctueel", "De bestelling kwam op tijd aan.", language="nl"),
        "tijd_op": add("Klok", "Het is tijd, op naar huis.", language="nl"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"late deliveries"', {"late_deliveries"}),
        ("late deliveries", {"late_deliveries", "deliveries_late"}),
        ('"deliveries were late"', {"deliveries_late"}),
        # "up" is an English stop word: the phrase must still need both words, adjacent.
        ('"stood up"', {"stood_up"}),
        ("stood up", {"stood_up", "up_stood"}),
        # "op" is a Dutch stop word; the English copy keeps the phrase exact.
        ('"op tijd"', {"op_tijd"}),
        ('title:"complaint again"', {"deliveries_late"}),
    ],
)
def test_an_exact_phrase_matches_only_adjacent_words(
    phrase_archive: tuple[Archive, dict[str, int]], query: str, expected: set[str]
) -> None:
    archive, phrases = phrase_archive
    assert archive.ids(query) == {phrases[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("late OR stood", {"late_deliveries", "deliveries_late", "stood_up", "up_stood"}),
        ("deliveries -hurt", {"deliveries_late"}),
        ("deliveries NOT hurt", {"deliveries_late"}),
        ('stood -"stood up"', {"up_stood"}),
        ("(late OR early) -twice", {"late_deliveries", "up_stood"}),
        # Exclusions alone: every story except those.
        ("-deliveries", {"stood_up", "up_stood", "op_tijd", "tijd_op"}),
        ("-deliveries -stood", {"op_tijd", "tijd_op"}),
    ],
)
def test_or_and_exclusion(
    phrase_archive: tuple[Archive, dict[str, int]], query: str, expected: set[str]
) -> None:
    archive, phrases = phrase_archive
    assert archive.ids(query) == {phrases[name] for name in expected}


@pytest.fixture(scope="module")
def field_archive(module_archive: Callable[[], Archive]) -> tuple[Archive, dict[str, int]]:
    archive = module_archive()
    add = archive.add
    return archive, {
        "retail_chat": add(
            "Birthday present",
            "Delivered today, whatever it took.",
            channel="chat",
            team="Retail",
            themes=("stand-up",),
        ),
        "webshop_phone": add(
            "Twee bestellingen",
            "Een cadeau voor een verjaardag.",
            language="nl",
            channel="phone",
            team="Webshop",
            themes=("storytelling", "stand-up"),
        ),
        "customer": add(
            "Thank you",
            "The agent listened; a birthday saved.",
            channel="email",
            team=None,
            author_kind="customer",
            themes=("real-conversation",),
        ),
        "body_only": add(
            "A call",
            "Nothing about presents in the title, birthday here.",
            channel="social",
            team="Webshop",
        ),
        "follow_up": add("A follow-up call", "The follow-up came by e-mail.", team="Retail"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("team:retail", {"retail_chat", "follow_up"}),
        ("team:Retail", {"retail_chat", "follow_up"}),
        ("team:webshop", {"webshop_phone", "body_only"}),
        ("channel:chat", {"retail_chat"}),
        ("channel:email", {"customer"}),
        ("theme:stand-up", {"retail_chat", "webshop_phone"}),
        ("theme:storytelling", {"webshop_phone"}),
        ("language:nl", {"webshop_phone"}),
        ("lang:en", {"retail_chat", "customer", "body_only", "follow_up"}),
        ("author:customer", {"customer"}),
        ("author:agent", {"retail_chat", "webshop_phone", "body_only", "follow_up"}),
        ("title:birthday", {"retail_chat"}),
        ("birthday", {"retail_chat", "customer", "body_only"}),
        ("body:birthday", {"customer", "body_only"}),
        # title: searches both language copies: a Dutch plural finds a Dutch title.
        ("title:bestelling", {"webshop_phone"}),
        ("body:verjaardagen", {"webshop_phone"}),
        ("title:verjaardag", set()),
        ("birthday team:webshop", {"body_only"}),
        ("birthday -team:retail", {"customer", "body_only"}),
        ("channel:chat OR channel:email", {"retail_chat", "customer"}),
        # A hyphen inside a word is part of the word, not an exclusion.
        ("follow-up", {"follow_up"}),
        ("e-mail", {"follow_up"}),
        ("channel:fax", set()),
    ],
)
def test_field_queries(
    field_archive: tuple[Archive, dict[str, int]], query: str, expected: set[str]
) -> None:
    archive, fielded = field_archive
    assert archive.ids(query) == {fielded[name] for name in expected}


def test_filters_narrow_like_field_queries(field_archive: tuple[Archive, dict[str, int]]) -> None:
    archive, fielded = field_archive
    assert archive.ids(team="retail") == archive.ids("team:retail")
    assert archive.ids("birthday", theme="stand-up") == {fielded["retail_chat"]}
    assert archive.ids(channel="nosuchchannel") == set()


# -- facets against the database ----------------------------------------------------
def _month(year: int, month: int) -> datetime:
    return datetime(year, month, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def facet_corpus(module_archive: Callable[[], Archive]) -> Archive:
    """A mix of teams, channels, themes, languages, authors and months, plus stories
    that are not published (they must count nowhere)."""
    archive = module_archive()
    combos = [
        ("Retail", "chat", ("stand-up",), "en", "agent", _month(2026, 9)),
        ("Retail", "chat", ("stand-up", "storytelling"), "nl", "agent", _month(2026, 10)),
        ("Retail", "phone", ("tools",), "nl", "customer", _month(2026, 10)),
        ("Webshop", "chat", (), "en", "agent", _month(2026, 11)),
        ("Webshop", "email", ("storytelling",), "en", "customer", _month(2026, 11)),
        ("Webshop", "phone", ("stand-up", "tools", "team"), "nl", "agent", _month(2026, 11)),
        (None, "social", ("real-conversation",), "en", "customer", _month(2025, 12)),
        ("Stores", "store", ("stand-up",), "nl", "agent", _month(2026, 1)),
    ]
    for number, (team, channel, themes, language, kind, when) in enumerate(combos * 2):
        archive.add(
            f"Story {number}",
            f"Een klant en een agent, verhaal {number}.",
            team=team,
            channel=channel,
            themes=themes,
            language=language,
            author_kind=kind,
            published_at=when,
        )
    for status in (
        StoryStatus.DRAFT,
        StoryStatus.PENDING,
        StoryStatus.REJECTED,
        StoryStatus.WITHDRAWN,
    ):
        archive.add(
            f"Hidden {status.value}",
            "Een klant die niet meetelt.",
            team="Retail",
            channel="chat",
            themes=("stand-up",),
            status=status,
        )
    gone = archive.add("Deleted", "Een klant.", team="Retail", channel="chat")
    archive.delete(gone)
    return archive


def _month_of(column: Any) -> Any:
    """``YYYY-MM`` of a UTC timestamp, in this database's dialect of SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _published(filters: dict[str, str]) -> Select[tuple[int]]:
    """Ids of published stories that match ``filters``, in SQL."""
    query = select(Story.id).where(Story.status == StoryStatus.PUBLISHED)
    for name, value in filters.items():
        if name == "team":
            query = query.where(Story.team.has(Team.slug == value))
        elif name == "theme":
            query = query.where(Story.themes.any(Theme.slug == value))
        elif name == "period":
            query = query.where(_month_of(Story.published_at) == value)
        else:
            query = query.where(getattr(Story, name) == value)
    return query


def database_facets(app: Flask, filters: dict[str, str]) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and the facet counts the database gives for the same filters."""
    with app.app_context():
        ids = _published(filters).subquery()
        story = select(Story).where(Story.id.in_(select(ids))).subquery()
        month = _month_of(story.c.published_at)
        grouped = {
            "team": select(Team.slug, func.count())
            .join(story, story.c.team_id == Team.id)
            .group_by(Team.slug),
            "channel": select(story.c.channel, func.count()).group_by(story.c.channel),
            "theme": select(Theme.slug, func.count())
            .join(story_themes, story_themes.c.theme_id == Theme.id)
            .join(story, story.c.id == story_themes.c.story_id)
            .group_by(Theme.slug),
            "author_kind": select(story.c.author_kind, func.count()).group_by(story.c.author_kind),
            "language": select(story.c.language, func.count()).group_by(story.c.language),
            "period": select(month, func.count()).group_by(month),
        }
        facets = {
            name: {
                str(getattr(key, "value", key)): int(count)
                for key, count in db.session.execute(query)
            }
            for name, query in grouped.items()
        }
        total = int(db.session.scalar(select(func.count()).select_from(ids)) or 0)
    return total, facets


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"channel": "chat"},
        {"team": "retail"},
        {"team": "webshop", "language": "nl"},
        {"theme": "stand-up"},
        {"theme": "stand-up", "author_kind": "agent"},
        {"author_kind": "customer"},
        {"period": "2026-11"},
        {"period": "2026-11", "channel": "phone"},
        {"team": "nosuchteam"},
    ],
)
def test_facet_counts_equal_database_counts(facet_corpus: Archive, filters: dict[str, str]) -> None:
    results = facet_corpus.search("", per_page=3, **filters)
    total, expected = database_facets(facet_corpus.app, filters)
    assert results.total == total
    assert {name: dict(values) for name, values in results.facets.items()} == expected


def test_facet_counts_follow_the_query_text(facet_corpus: Archive) -> None:
    """A field query narrows the facets exactly as the matching filter does."""
    by_query = facet_corpus.search("channel:chat klant")
    by_filter = facet_corpus.search("klant", channel="chat")
    assert (
        by_query.total
        == by_filter.total
        == database_facets(facet_corpus.app, {"channel": "chat"})[0]
    )
    assert by_query.facets == by_filter.facets


def test_date_range_filter(facet_corpus: Archive) -> None:
    from datetime import date

    in_october = facet_corpus.search(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    assert in_october.total == database_facets(facet_corpus.app, {"period": "2026-10"})[0]
    assert {hit.published_at.month for hit in in_october.hits} == {10}


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_words_within_a_date_range_match_the_same_month_s_period_filter(
    facet_corpus: Archive, sort: str
) -> None:
    """Words and a date range (on PostgreSQL: the words from the index, the dates on
    each match) find what the words and the month's period filter find."""
    from datetime import date

    by_dates = facet_corpus.search(
        "klant", date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), sort=sort
    )
    by_period = facet_corpus.search("klant", period="2026-10", sort=sort)
    assert by_dates.total == by_period.total > 0
    assert by_dates.facets == by_period.facets
    assert [hit.story_id for hit in by_dates.hits] == [hit.story_id for hit in by_period.hits]
    assert {hit.published_at.month for hit in by_dates.hits} == {10}


def test_newest_first_and_pages(facet_corpus: Archive) -> None:
    everything = facet_corpus.search("", sort="newest")
    dates = [hit.published_at for hit in everything.hits]
    assert dates == sorted(dates, reverse=True)
    pages = [facet_corpus.search("", per_page=5, page=n).hits for n in (1, 2, 3, 4)]
    paged = [hit.story_id for page in pages for hit in page]
    assert paged == [hit.story_id for hit in everything.hits]
    assert len(pages[-1]) == everything.total - 15


def test_a_phrase_does_not_jump_over_stop_words(archive: Archive) -> None:
    """A stop word keeps its place: a phrase without it does not match across it, a
    phrase with it matches only where it stands (Whoosh: ``phrases``; PostgreSQL keeps
    the gaps in its own phrase search)."""
    gap = archive.add("Gap", "Late for the deliveries, again.")
    adjacent = archive.add("Adjacent", "Late deliveries again.")
    other_gap = archive.add("Other gap", "Late with two deliveries.")
    assert archive.ids('"late deliveries"') == {adjacent}
    assert archive.ids('"late for the deliveries"') == {gap}
    assert archive.ids("late deliveries") == {gap, adjacent, other_gap}


def test_a_phrase_with_stop_words_in_either_language(archive: Archive) -> None:
    sorry = archive.add("Sorry", "We said sorry for the delay and meant it.")
    archive.add("Sorry too", "Sorry, the delay was ours.")
    dutch = archive.add("Snel", "De klant werd snel geholpen.", language="nl")
    archive.add("Snel ook", "De klant snel geholpen.", language="nl")
    assert archive.ids('"sorry for the delay"') == {sorry}
    assert archive.ids('"klant werd snel geholpen"') == {dutch}
    assert archive.ids('"de klant werd snel"') == {dutch}  # a leading stop word


def test_a_phrase_whose_stop_words_both_languages_drop(archive: Archive) -> None:
    """ "in" is a stop word in Dutch and English: every copy leaves a gap, and the phrase
    must stand with the same gaps (``GappedPhrase`` on Whoosh)."""
    late = archive.add("Late", "The parcel came late in the day.")
    archive.add("Not", "Late in a day like that.")
    archive.add("Nor", "Late day, in the end.")
    assert archive.ids('"late in the day"') == {late}
    assert archive.ids('"came late in the"') == {late}


def test_a_phrase_never_crosses_fields_or_language_copies(archive: Archive) -> None:
    """Title and body, and the Dutch and English copies, are separate (Whoosh: fields;
    PostgreSQL: weights and a gap of positions in one vector)."""
    wrong = archive.add("Wrong address", "Address unknown at the depot.")
    quick = archive.add("Snel", "Geholpen door een collega.", language="nl")
    both = archive.add("Heel fijn", "Ik werd snel geholpen.", language="nl")
    assert archive.ids('"wrong address"') == {wrong}
    assert archive.ids('"address wrong"') == set()
    assert archive.ids('"address address"') == set()  # title's last, body's first word
    assert archive.ids('"snel geholpen"') == {both}
    assert quick in archive.ids("snel geholpen")


def test_a_prefix_finds_the_parts_of_compounds(archive: Archive) -> None:
    parcel = archive.add("Pakketbezorging", "Pakketbezorging op zondag.", language="nl")
    courier = archive.add("Bezorger", "De bezorger belde aan.", language="nl")
    assert parcel in archive.ids("bezorgi*")  # "bezorging" is a part, not a word here
    assert archive.ids("bezorg*") == {parcel, courier}
    assert archive.ids("pakketb*") == {parcel}


def test_a_prefix_inside_a_phrase_keeps_the_phrase(archive: Archive) -> None:
    """``"pakket bezorg*"``: the phrase with each word the prefix expands to, in order."""
    delivered = archive.add("Op tijd", "Het pakket bezorgd bij de buren.", language="nl")
    courier = archive.add("Vriendelijk", "Pakket bezorger was erg vriendelijk.", language="nl")
    worried = archive.add("Zorgen", "Bezorgde klant, pakket kwijt.", language="nl")
    english = archive.add("Late parcel", "The parcel was delivered late.")
    assert archive.ids('"pakket bezorg*"') == {delivered, courier}
    assert archive.ids('"bezorg* pakket"') == set()  # "Bezorgde klant, pakket": not adjacent
    assert archive.ids('"parcel was deliv*"') == {english}
    assert archive.ids('"pakket bezorgx*"') == set()
    assert archive.ids('-"pakket bezorg*"') == {worried, english}
    assert archive.search('"pakket bezorg*"').notice is None
