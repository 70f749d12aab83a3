"""The /search page through the test client: results, facets in the URL, and every
bad input from shared/bad-inputs.md answered calmly (200, a notice, never a 500)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from storyboard.models import Role
from tests.conftest import Auth
from tests.search.conftest import Archive

MALFORMED = "could not be read"
LONG = "only its beginning was used"
BAD_DATE = "A date could not be read"


@pytest.fixture(scope="module")
def site(module_archive: Callable[[], Archive]) -> Archive:
    archive = module_archive()
    for number in range(25):  # more than one page (20 per page)
        archive.add(
            f"Routine call {number}",
            "A calm call about an invoice.",
            published_at=datetime(2026, 1, 1 + number, 9, tzinfo=UTC),
        )
    archive.add(
        "Verjaardag op tijd",
        "Het cadeau kwam op zijn verjaardag, vandaag nog.",
        language="nl",
        channel="chat",
        themes=("stand-up",),
        published_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    archive.add(
        "Birthday present",
        "The agent stood up and delivered the present today.",
        channel="phone",
        team="Webshop",
        themes=("stand-up", "storytelling"),
        published_at=datetime(2026, 11, 21, 9, tzinfo=UTC),
    )
    archive.add(
        "Escaped <b>title</b>",
        "Text with `<script>alert(1)</script>` in code.",
        published_at=datetime(2026, 11, 22, 9, tzinfo=UTC),
    )
    return archive


@pytest.fixture(scope="module")
def stakeholder(site: Archive) -> FlaskClient:
    client = site.app.test_client()
    Auth(client).login_as(Role.STAKEHOLDER)
    return client


def calm(response: Any) -> str:
    """The page answered 200 with the search form and no error page."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert 'role="search"' in html
    assert "Traceback" not in html and "Internal Server Error" not in html
    return html


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/stories/\d+"[^>]*>([^<]*)</a>', html)


def test_empty_query_lists_the_newest_stories(stakeholder: FlaskClient) -> None:
    html = calm(stakeholder.get("/search"))
    shown = titles(html)
    assert shown[:3] == [
        "Escaped &lt;b&gt;title&lt;/b&gt;",
        "Birthday present",
        "Verjaardag op tijd",
    ]
    assert len(shown) == 20
    assert "28 stories, newest first" in html
    assert "Page 1 of 2" in html


def test_results_are_highlighted_and_escaped(stakeholder: FlaskClient) -> None:
    html = calm(stakeholder.get("/search?q=verjaardagen"))
    assert titles(html) == ["Verjaardag op tijd"]
    assert re.search(r"<mark[^>]*>verjaardag</mark>", html)
    html = calm(stakeholder.get("/search?q=script"))
    assert "<script>" not in html.split("<main", 1)[1]
    assert re.search(r"&lt;<mark[^>]*>script</mark>&gt;alert\(1\)&lt;/", html)
    assert "Escaped &lt;b&gt;title&lt;/b&gt;" in html


def test_facets_link_to_urls_that_combine(stakeholder: FlaskClient) -> None:
    html = calm(stakeholder.get("/search?theme=stand-up"))
    assert set(titles(html)) == {"Verjaardag op tijd", "Birthday present"}
    # The "Chat" facet link keeps the theme filter and adds the channel.
    link = re.search(r'<a href="(/search\?[^"]+)"[^>]*>\s*<span>Chat</span>', html)
    assert link, html
    url = link.group(1).replace("&amp;", "&")
    assert "theme=stand-up" in url and "channel=chat" in url
    html = calm(stakeholder.get(url))
    assert titles(html) == ["Verjaardag op tijd"]
    assert html.count('aria-current="true"') == 2  # both active facets are marked


def test_a_search_is_a_shareable_url(stakeholder: FlaskClient) -> None:
    url = "/search?q=present&sort=newest&team=webshop&from=2026-11-01&to=2026-11-30"
    html = calm(stakeholder.get(url))
    assert titles(html) == ["Birthday present"]
    assert 'value="present"' in html and 'value="2026-11-01"' in html
    assert 'name="team" value="webshop"' in html


def test_did_you_mean(stakeholder: FlaskClient) -> None:
    html = calm(stakeholder.get("/search?q=verjardag"))
    assert titles(html) == []
    match = re.search(r'Did you mean <a href="([^"]+)">([^<]+)</a>', html)
    assert match, html[:3000]
    assert match.group(2) == "verjaardag"
    followed = calm(stakeholder.get(match.group(1).replace("&amp;", "&")))
    assert titles(followed) == ["Verjaardag op tijd"]


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("birthdy", "birthday"),
        ("prsent tody", "present today"),
        ("foo", None),
        ("zq", None),
        ('"foo', None),
        ("c++", None),
        ("birthday", None),
    ],
)
def test_suggestions_are_near_misses_only(
    site: Archive, query: str, suggestion: str | None
) -> None:
    assert site.search(query).suggestion == suggestion


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ('"foo', MALFORMED),
        ('"birthday present', MALFORMED),
        ("(((", MALFORMED),
        (")", MALFORMED),
        ("(birthday", MALFORMED),
        ("title:", None),
        ("title:*", None),
        ("*", None),
        ("?", None),
        ("nosuchfield:x", None),
        ("AND", None),
        ("OR OR", None),
        ("NOT", None),
        ("-", None),
        ("--birthday", None),
        ("+", None),
        ("^", None),
        ("~", None),
        ("birthday~2", None),
        ("birthday^5", None),
        ("[a TO", None),
        ("{}", None),
        ("published:>2026", None),
        ("title:(((", MALFORMED),
        ("مرحبا بالعالم", None),
        ("🎂🎁", None),
        ("cadeau 🎂", None),
        ("\u200b", None),
        ("a\x00b", None),
        ("x" * 5000, LONG),
        ("verjaardag " * 500, LONG),
        ('"' * 5000, LONG),
        ("(" * 5000, LONG),
        ("<script>alert(1)</script>", None),
        ("**", None),
        ("a*", "needs at least 3 letters"),
        ("bi*", "needs at least 3 letters"),
        ('"unbalanced', MALFORMED),
        ("((", MALFORMED),
        ("field:", None),
        ("é*", None),
    ],
)
def test_bad_queries_get_a_calm_answer(
    stakeholder: FlaskClient, query: str, notice: str | None
) -> None:
    html = calm(stakeholder.get("/search", query_string={"q": query}))
    if notice:
        assert notice in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ff%fe",
        "q=caf%e9",
        "q=%c3%28&page=%ff",
        "team=%ff&channel=%80",
        "q=%00",
        "q=%",
        "q=%zz",
        "%ff=%ff",
    ],
)
def test_non_utf8_in_the_url(stakeholder: FlaskClient, raw: str) -> None:
    calm(stakeholder.get(f"/search?{raw}"))


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("-1", 1),
        ("0", 1),
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("2", 2),
        ("999999", 2),
        ("99999999999999999999999", 2),
    ],
)
def test_odd_page_numbers(stakeholder: FlaskClient, page: str, expected: int) -> None:
    html = calm(stakeholder.get("/search", query_string={"page": page}))
    assert f"Page {expected} of 2" in html
    assert titles(html)  # never an empty page beyond the last


@pytest.mark.parametrize(
    "args",
    [
        {"team": "nosuchteam"},
        {"channel": "fax"},
        {"theme": "<script>alert(1)</script>"},
        {"author_kind": "robot"},
        {"language": "xx"},
        {"period": "not-a-month"},
        {"team": "x" * 5000},
        {"sort": "sideways"},
        {"nosuchfacet": "value"},
    ],
)
def test_unknown_facet_values(stakeholder: FlaskClient, args: dict[str, str]) -> None:
    html = calm(stakeholder.get("/search", query_string=args))
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("args", "notice"),
    [
        ({"from": "2026-13-45"}, BAD_DATE),
        ({"to": "yesterday"}, BAD_DATE),
        ({"from": "31-02-2026"}, BAD_DATE),
        ({"from": "2026-02-31"}, BAD_DATE),
        ({"from": "2026-13-\x0045"}, BAD_DATE),
        ({"from": "\x00"}, None),  # NUL is dropped: an empty date, no filter
        ({"from": "0001-01-01", "to": "9999-12-31"}, None),
        ({"from": "9999-12-31"}, None),
        ({"to": "0001-01-01"}, None),
        ({"from": "2026-11-30", "to": "2026-11-01"}, None),  # swapped: read the right way
    ],
)
def test_bad_dates(stakeholder: FlaskClient, args: dict[str, str], notice: str | None) -> None:
    html = calm(stakeholder.get("/search", query_string=args))
    if notice:
        assert notice in html


def test_swapped_dates_still_find_the_stories_in_between(stakeholder: FlaskClient) -> None:
    html = calm(stakeholder.get("/search?from=2026-11-30&to=2026-11-21"))
    assert set(titles(html)) == {"Birthday present", "Escaped &lt;b&gt;title&lt;/b&gt;"}


def test_anonymous_visitors_are_sent_to_sign_in(site: Archive) -> None:
    response = site.app.test_client().get("/search?q=birthday")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.fixture
def each_role(site: Archive) -> Iterator[Callable[[Role], FlaskClient]]:
    def sign_in(role: Role) -> FlaskClient:
        client = site.app.test_client()
        Auth(client).login_as(role)
        return client

    yield sign_in


def test_every_signed_in_role_may_search(each_role: Callable[[Role], FlaskClient]) -> None:
    for role in (Role.AGENT, Role.MANAGER, Role.ADMIN):
        html = calm(each_role(role).get("/search?q=birthday"))
        assert "Birthday present" in html


def test_a_prefix_with_too_many_words_gives_results_and_says_so(archive: Archive) -> None:
    """More known words start with "plak" than a prefix expands to: the shortest are
    searched (the story with "plakband" is found) and the page says so."""
    from storyboard.search.query import MAX_PREFIX_WORDS

    # Longer than "plakband" (so it is among the shortest), none starting "plakb".
    many = [f"plak{a}{b}ster" for a in "acdefgh" for b in "abcdefghijklmnopqrstuvwxyz"]
    archive.add("Plakband", "Een rol plakband voor de doos.", language="nl")
    archive.add("Woorden", " ".join(many[: MAX_PREFIX_WORDS + 10]), language="nl")
    results = archive.search("plak*")
    assert results.notice == "prefix_limited"
    assert "Plakband" in {hit.title for hit in results.hits}
    assert archive.search("plakb*").notice is None
    client = archive.app.test_client()
    Auth(client).login_as(Role.AGENT)
    html = calm(client.get("/search", query_string={"q": "plak*"}))
    assert "only the 40 shortest were searched" in html and "Plakband" in html
    # Inside a phrase too: the phrase with each of the 40 shortest words ("Woorden" has
    # plak… words, never after "rol").
    archive.add("Rol", "Een rol plakband en een schaar.", language="nl")
    results = archive.search('"rol plak*"')
    assert results.notice == "prefix_limited"
    assert {hit.title for hit in results.hits} == {"Rol", "Plakband"}


def test_snippets_start_at_a_sentence_keep_headings_apart_and_mark_query_words(
    archive: Archive,
) -> None:
    body = (
        "## Wat er gebeurde\n\n"
        "De klant belde om negen uur. Ze was te laat geholpen door de vorige collega, "
        "zei ze. Daarna werd ze snel te woord gestaan door Sam.\n\n"
        "Een verjaardagscadeau kwam zo toch op tijd."
    )
    archive.add("Snel geholpen", body, language="nl")
    snippet = archive.search("verjaardag").hits[0].snippet_html
    assert snippet.startswith("… Een <mark>verjaardagscadeau</mark>")  # a sentence start
    phrase = archive.search('"snel te woord"').hits[0].snippet_html
    assert phrase.startswith("… Daarna werd ze <mark>snel</mark> te <mark>woord</mark>")
    assert "<mark>te</mark>" not in phrase and "<mark>door</mark>" not in phrase
    heading = archive.search("gebeurde").hits[0].snippet_html
    assert heading.startswith("Wat er <mark>gebeurde</mark> · De klant belde")
    assert "##" not in heading
