"""Only published stories are ever in the index, so search can show nothing else, to
anyone; taking a story off the archive takes it out of the index."""

from __future__ import annotations

import pytest

from storyboard.db import db
from storyboard.models import Role, Story, StoryStatus, Team
from storyboard.stories.service import unpublish_story
from tests.conftest import Auth
from tests.search.conftest import Archive

HIDDEN = [StoryStatus.DRAFT, StoryStatus.PENDING, StoryStatus.REJECTED, StoryStatus.WITHDRAWN]


@pytest.fixture
def mixed(archive: Archive) -> dict[str, int]:
    """One story per status, all about the same zebra."""
    stories = {
        status.value: archive.add(
            f"Zebra {status.value}",
            "A zebra at the counter.",
            status=status,
            author_kind="customer"
            if status in (StoryStatus.PENDING, StoryStatus.REJECTED)
            else "agent",
        )
        for status in [StoryStatus.PUBLISHED, *HIDDEN]
    }
    stories["deleted"] = archive.add("Zebra deleted", "A zebra at the counter.")
    archive.delete(stories["deleted"])
    return stories


@pytest.mark.parametrize("query", ["zebra", "", "counter", "title:zebra", "author:customer"])
def test_only_published_stories_are_found(
    archive: Archive, mixed: dict[str, int], query: str
) -> None:
    found = archive.ids(query)
    assert mixed["published"] in found or query == "author:customer"
    assert found <= {mixed["published"]}
    assert archive.indexed_ids() == {mixed["published"]} == archive.published_ids()


def test_the_search_page_shows_no_hidden_story_to_any_role(
    archive: Archive, mixed: dict[str, int]
) -> None:
    """Managers and authors may open some hidden stories elsewhere; search lists none."""
    for role in (Role.STAKEHOLDER, Role.AGENT, Role.MANAGER, Role.ADMIN):
        client = archive.app.test_client()
        Auth(client).login_as(role)
        for query in ("zebra", "", "author:customer", "counter"):
            page = client.get("/search", query_string={"q": query})
            html = page.get_data(as_text=True)
            assert page.status_code == 200
            assert ("Zebra published" in html) == (query != "author:customer")
            for name in ("draft", "pending", "rejected", "withdrawn", "deleted"):
                assert f"Zebra {name}" not in html, (role, query)
                assert f'href="/stories/{mixed[name]}"' not in html


def test_unpublishing_withdrawing_and_deleting_remove_a_story(archive: Archive) -> None:
    first = archive.add("Giraffe one", "A giraffe in the shop.")
    second = archive.add("Giraffe two", "Another giraffe in the shop.")
    third = archive.add("Giraffe three", "A third giraffe in the shop.")
    assert archive.ids("giraffe") == {first, second, third}

    with archive.app.app_context():
        story = db.session.get(Story, first)
        assert story is not None
        unpublish_story(story)
        db.session.commit()
    assert archive.ids("giraffe") == {second, third}

    archive.set_status(second, StoryStatus.WITHDRAWN)
    assert archive.ids("giraffe") == {third}

    archive.delete(third)
    assert archive.ids("giraffe") == set()
    assert archive.indexed_ids() == archive.published_ids() == set()
    assert archive.pending() == 0

    # Published again: back in the archive.
    archive.set_status(first, StoryStatus.PUBLISHED)
    assert archive.ids("giraffe") == {first}


def test_an_edit_replaces_the_indexed_text(archive: Archive) -> None:
    story = archive.add("Parcel", "The parcel was lost.")
    archive.edit(
        story,
        title="Parcel found",
        body="The parcel was found.",
        body_html="<p>The parcel was found.</p>",
    )
    assert archive.ids("found") == {story}
    assert archive.ids("lost") == set()
    assert archive.search("parcel").total == 1


def test_renaming_a_team_refreshes_its_stories(archive: Archive) -> None:
    story = archive.add("Renamed", "A story of a team that changes its name.", team="Retail")
    with archive.app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.slug == "retail"))
        assert team is not None
        team.name, team.slug = "Stores", "stores"
        db.session.commit()
    assert archive.ids("team:stores") == {story}
    assert archive.ids("team:retail") == set()
    hit = archive.search("renamed").hits[0]
    assert (hit.team, hit.team_name) == ("stores", "Stores")
