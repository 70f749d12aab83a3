"""Two systems push the same answer at the same moment: one stores it, the other gets a
409 problem telling it to send again (and then sees it as a duplicate). On PostgreSQL,
where the second insert waits for the first transaction and then hits the unique key."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storyboard.db import db, upgrade_database
from storyboard.models import Role
from tests.api.conftest import ALL_SCOPES, Api
from tests.api.test_auth_and_errors import assert_problem
from tests.api.test_nps_api import answer
from tests.conftest import PostgresServer, app_on_new_database
from tests.factories import create_user, make_token

pytestmark = pytest.mark.postgres


def test_a_concurrent_identical_answer_gets_409_then_duplicate(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    with app_on_new_database(postgres, tmp_path / "instance") as app:
        with app.app_context():
            upgrade_database()
        users = {Role.MANAGER: create_user(app, Role.MANAGER)}
        api = Api(
            app,
            app.test_client(),
            users,
            {Role.MANAGER: make_token(app, users[Role.MANAGER], ALL_SCOPES[Role.MANAGER])},
        )
        with app.app_context():
            team_id = db.session.execute(text("SELECT id FROM teams")).scalar()
            url = db.engine.url
        other = create_engine(url)
        try:
            with other.connect() as connection:
                # Another request's transaction has stored "race-1" but not committed yet.
                connection.execute(
                    text(
                        "INSERT INTO survey_answers (source, external_id, answered_at, score, "
                        "team_id, comment, imported_at) VALUES ('api', 'race-1', now(), 9, "
                        ":team, '', now())"
                    ),
                    {"team": team_id},
                )
                answers: list[object] = []
                pushing = threading.Thread(
                    target=lambda: answers.append(
                        api.call("POST", "/nps-responses", Role.MANAGER, json=answer("race-1"))
                    )
                )
                pushing.start()
                time.sleep(1.0)  # the push now waits on the uncommitted unique key
                assert pushing.is_alive()
                connection.commit()
                pushing.join(timeout=30)
        finally:
            other.dispose()
        body = assert_problem(answers[0], 409)
        assert "again" in body["detail"]
        replay = api.call("POST", "/nps-responses", Role.MANAGER, json=answer("race-1"))
        assert replay.get_json()["results"][0]["status"] == "duplicate"
