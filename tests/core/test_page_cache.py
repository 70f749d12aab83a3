"""storyboard.page_cache: values shared by everyone, kept briefly, dropped on a commit
that touches their tables."""

from __future__ import annotations

import re

from storyboard import page_cache
from storyboard.db import db
from storyboard.models import Team
from tests.factories import add_team


def loader(calls: list[int]) -> object:
    def load() -> list[str]:
        calls.append(1)
        return sorted(db.session.scalars(db.select(Team.name)))

    return load


def test_a_value_is_loaded_once_until_its_table_changes(app):
    add_team(app, "Retail")
    calls: list[int] = []
    with app.app_context():
        load = loader(calls)
        assert page_cache.shared("names", {"teams"}, load) == ["Retail"]
        assert page_cache.shared("names", {"teams"}, load) == ["Retail"]
        assert len(calls) == 1
        db.session.add(Team(name="Webshop", slug="webshop"))
        db.session.commit()
        assert page_cache.shared("names", {"teams"}, load) == ["Retail", "Webshop"]
        assert len(calls) == 2


def test_a_change_to_another_table_or_a_rollback_keeps_the_value(app, users):
    calls: list[int] = []
    with app.app_context():
        load = loader(calls)
        page_cache.shared("names", {"teams"}, load)
        db.session.add(Team(name="Never", slug="never"))
        db.session.flush()
        db.session.rollback()
        db.session.execute(db.select(Team)).all()
        db.session.commit()  # nothing touched since the rollback
        page_cache.shared("names", {"teams"}, load)
        assert len(calls) == 1


def test_an_orm_update_statement_drops_the_value(app):
    add_team(app, "Retail")
    calls: list[int] = []
    with app.app_context():
        load = loader(calls)
        page_cache.shared("names", {"teams"}, load)
        db.session.execute(db.update(Team).values(name="Winkel"))
        db.session.commit()
        assert page_cache.shared("names", {"teams"}, load) == ["Winkel"]
        assert len(calls) == 2


def test_zero_seconds_turns_the_cache_off(app):
    app.config["PAGE_CACHE_SECONDS"] = 0
    app.extensions.pop("storyboard.page_cache", None)
    calls: list[int] = []
    with app.app_context():
        load = loader(calls)
        page_cache.shared("names", {"teams"}, load)
        page_cache.shared("names", {"teams"}, load)
        assert len(calls) == 2


def test_many_names_do_not_grow_the_cache_without_bound(app):
    with app.app_context():
        for n in range(page_cache.MAX_ENTRIES * 2):
            page_cache.shared(f"count:{n}", {"stories"}, lambda: 0)
        assert len(page_cache.cache_of(app).entries) <= page_cache.MAX_ENTRIES


def test_cached_rows_survive_a_commit(app):
    """Detached rows keep their columns when the request's session commits."""
    add_team(app, "Retail")
    with app.app_context():
        teams = page_cache.teams()
        db.session.add(Team(name="Webshop", slug="webshop"))
        db.session.commit()
        assert [team.name for team in teams] == ["Retail"]
        assert [team.name for team in page_cache.teams()] == ["Retail", "Webshop"]


def test_rows_loaded_apart_keep_what_was_loaded_and_leave_the_requests_rows_alone(app, users):
    from sqlalchemy import inspect, select
    from sqlalchemy.orm import joinedload

    from storyboard.models import Role, User

    with app.app_context():
        me = db.session.get(User, users[Role.MANAGER])
        shared = page_cache.loaded_apart(
            lambda session: list(
                session.scalars(
                    select(User).options(joinedload(User.team)).order_by(User.id)
                ).unique()
            )
        )
        # The shared rows are detached with their team loaded; the request's own copy of
        # the same person is still in the request's session.
        assert all(inspect(user).detached for user in shared)
        assert {user.team.name for user in shared if user.team} == {"Retail"}
        assert me in db.session and not inspect(me).detached
        db.session.commit()
        assert all(user.email for user in shared)  # still readable after a commit
        assert me.email == "manager@example.nl"  # reloads in the request's session


# -- rendered fragments ----------------------------------------------------------------------
def test_a_fragment_is_rendered_once_and_its_holes_filled_per_request(app):
    renders: list[int] = []

    def render() -> str:
        renders.append(1)
        return f"<p>shared</p>{page_cache.hole('who')}<form>{page_cache.hole('csrf')}</form>"

    tokens = []
    for who in ("Anna", "Bram"):
        with app.test_request_context("/"):
            html = page_cache.fragment("card", {"teams"}, render, holes={"who": f"<b>{who}</b>"})
            assert f"<p>shared</p><b>{who}</b>" in html
            token = re.search(r'name="csrf_token" value="([^"]+)"', html)
            assert token, html
            tokens.append(token.group(1))
            assert "storyboard-hole" not in html
    assert len(renders) == 1
    assert tokens[0] != tokens[1]  # each request its own session's token


def test_a_fragment_is_kept_per_language_and_rendered_again_after_a_change(app):
    from flask_babel import force_locale

    renders: list[str] = []

    def render() -> str:
        renders.append(str(page_cache.get_locale()))
        return ",".join(sorted(db.session.scalars(db.select(Team.name))))

    add_team(app, "Retail")
    with app.test_request_context("/"):
        with force_locale("en"):
            assert page_cache.fragment("teams", {"teams"}, render) == "Retail"
        with force_locale("nl"):
            assert page_cache.fragment("teams", {"teams"}, render) == "Retail"
        with force_locale("en"):
            page_cache.fragment("teams", {"teams"}, render)
        assert renders == ["en", "nl"]
        db.session.add(Team(name="Webshop", slug="webshop"))
        db.session.commit()
        with force_locale("en"):
            assert page_cache.fragment("teams", {"teams"}, render) == "Retail,Webshop"


def test_a_full_cache_forgets_the_values_loaded_longest_ago(app):
    with app.app_context():
        for n in range(page_cache.MAX_ENTRIES):
            page_cache.shared(f"count:{n}", {"stories"}, lambda: 0)
        page_cache.shared("one more", {"stories"}, lambda: 2)
        entries = page_cache.cache_of(app).entries
        assert len(entries) == page_cache.MAX_ENTRIES
        assert "count:0" not in entries and "count:1" in entries and "one more" in entries
