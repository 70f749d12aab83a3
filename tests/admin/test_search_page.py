"""Admin → Search: the search index's state, and "time to move" past Whoosh's limit."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from storyboard.models import Role, StoryStatus
from tests.conftest import Auth
from tests.factories import add_story

pytestmark = pytest.mark.usefixtures("users")

TIME_TO_MOVE = "Time to move to PostgreSQL search"


@pytest.fixture
def admin(auth: Auth) -> Auth:
    auth.login_as(Role.ADMIN)
    return auth


def test_the_page_shows_the_backend_and_the_index(app: Flask, admin: Auth) -> None:
    add_story(app, "The ferry rebooked at midnight", index=True)
    add_story(app, "A draft nobody searches", status=StoryStatus.DRAFT)
    page = admin.client.get("/admin/search").get_data(as_text=True)
    assert "Whoosh (an index on this host’s disk)" in page
    assert "chosen by STORYBOARD_SEARCH_BACKEND" in page
    assert re.search(r"Published stories</td>\s*<td[^>]*>1</td>", page)
    assert re.search(r"Stories in the index</td>\s*<td[^>]*>1</td>", page)
    assert "40,000 published stories (STORYBOARD_WHOOSH_STORY_LIMIT)" in page
    assert TIME_TO_MOVE not in page


def test_past_the_limit_the_page_says_it_is_time_to_move_and_how(app: Flask, admin: Auth) -> None:
    app.config["WHOOSH_STORY_LIMIT"] = 2  # injected: the real limit is 40,000 stories
    for number in range(2):
        add_story(app, f"Story {number}", index=True)
    assert TIME_TO_MOVE not in admin.client.get("/admin/search").get_data(as_text=True)
    add_story(app, "The one too many", index=True)
    page = admin.client.get("/admin/search").get_data(as_text=True)
    assert TIME_TO_MOVE in page
    assert "The archive holds 3 published stories: past 2," in page
    # This test database is SQLite (or PostgreSQL with STORYBOARD_TEST_DATABASE_URL).
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert "`storyboard search use postgresql` builds its index" in page
    else:
        assert "Move the database to PostgreSQL (STORYBOARD_DATABASE_URL)" in page


def test_a_missing_index_shows_as_not_usable_and_is_not_built_by_the_page(
    app: Flask, admin: Auth
) -> None:
    import shutil
    from pathlib import Path

    index_dir = Path(app.config["INDEX_DIR"])
    shutil.rmtree(index_dir)
    page = admin.client.get("/admin/search").get_data(as_text=True)
    assert "not usable: run `storyboard reindex` on the server" in page
    assert not index_dir.exists()
