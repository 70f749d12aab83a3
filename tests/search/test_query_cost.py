"""A search cannot stall the server: its work is bounded whatever is typed (issue 18,
finding 1). Bounds are checked as work units (terms, spelling look-ups), and the time
budget by injecting a tiny one, never by measuring elapsed time."""

from __future__ import annotations

import random
import string

import pytest

from storyboard.search.query import MAX_QUERY_TERMS, bounded_query_text, clean_query_text
from storyboard.search.spelling import MAX_SUGGESTED_WORDS
from tests.conftest import Auth
from tests.search.conftest import Archive


def made_up_words(count: int, seed: int = 18) -> str:
    rnd = random.Random(seed)
    return " ".join(
        "".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(7, 12)))
        for _ in range(count)
    )


@pytest.fixture
def stories(archive: Archive) -> Archive:
    archive.add(
        "Verjaardagscadeau op tijd bezorgd",
        "De klant wilde een cadeau voor zijn dochter. Het pakket kwam dezelfde dag.",
        language="nl",
    )
    archive.add("Refund without a fight", "The customer got a refund within the hour.")
    return archive


def test_a_query_is_cut_to_a_fixed_number_of_terms() -> None:
    text, shortened = clean_query_text(made_up_words(160))
    assert shortened and len(text.split()) == MAX_QUERY_TERMS
    assert bounded_query_text("bezorging pakket") == ("bezorging pakket", False)
    text, shortened = bounded_query_text("a " * (MAX_QUERY_TERMS + 1))
    assert shortened and len(text.split()) == MAX_QUERY_TERMS


def test_one_hundred_sixty_unknown_words_cost_a_bounded_amount_of_work(stories: Archive) -> None:
    """The attack of the finding: 160 made-up words once cost a spelling look-up each."""
    results = stories.search(made_up_words(160))
    assert results.total == 0
    assert results.work.terms == MAX_QUERY_TERMS
    assert results.work.spelling_lookups == 0  # 24 unknown words are not a typo
    assert results.suggestion is None


def test_spelling_look_ups_stay_within_the_bound_for_any_query(stories: Archive) -> None:
    for count in range(1, 8):
        results = stories.search(made_up_words(count, seed=count))
        assert results.work.spelling_lookups <= MAX_SUGGESTED_WORDS, count
        if count > MAX_SUGGESTED_WORDS:
            assert results.work.spelling_lookups == 0


def test_a_typo_still_gets_its_suggestion_and_the_second_time_it_is_cached(
    stories: Archive,
) -> None:
    first = stories.search("pakkett")
    assert first.suggestion == "pakket"
    assert first.work.spelling_lookups == 1
    again = stories.search("pakkett")
    assert again.suggestion == "pakket"
    assert again.work.spelling_lookups == 0 and again.work.spelling_cache_hits == 1


def test_a_search_past_its_time_budget_returns_what_it_has_with_a_notice(stories: Archive) -> None:
    with stories.app.app_context():
        stories.app.config["SEARCH_TIME_BUDGET"] = 0.0
    results = stories.search("klant cadeau")
    assert results.timed_out
    assert results.suggestion is None
    stories.app.config["SEARCH_TIME_BUDGET"] = 60.0
    assert not stories.search("klant").timed_out


def test_the_search_page_and_the_api_say_when_the_budget_ran_out(
    stories: Archive, users: dict
) -> None:
    from storyboard.models import Role

    stories.app.config["SEARCH_TIME_BUDGET"] = 0.0
    client = stories.app.test_client()
    Auth(client).login_as(Role.STAKEHOLDER)
    page = client.get("/search", query_string={"q": "cadeau"})
    assert page.status_code == 200
    assert "This search took too long and was stopped" in page.get_data(as_text=True)


def test_a_long_pasted_query_says_only_its_beginning_was_used(
    stories: Archive, users: dict
) -> None:
    from storyboard.models import Role

    client = stories.app.test_client()
    Auth(client).login_as(Role.STAKEHOLDER)
    page = client.get("/search", query_string={"q": "cadeau " + made_up_words(60)})
    assert page.status_code == 200
    assert "only its beginning was used" in page.get_data(as_text=True)
