"""The importer on a real PostgreSQL server: batches, duplicates, strict rollback."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db, upgrade_database
from storyboard.models import Language, SeededChannel, SurveyAnswer, Team
from storyboard.nps.importer import BATCH_SIZE, ImportOptions, import_answers

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.mark.postgres
def test_import_on_postgres(postgres_app: Flask) -> None:
    rows = "".join(
        f"r{i};2026-11-{1 + i % 20:02d} 10:00;{i % 11};Retail;chat;nl;café {i}\r\n"
        for i in range(BATCH_SIZE + 500)
    )
    data = (
        "\ufeffexternal_id;answered_at;score;team;channel;language;comment\r\n"
        + rows
        + "bad;someday;11;Mars;;;\r\n"
    ).encode()
    with postgres_app.app_context():
        upgrade_database()
        db.session.add(Team(name="Retail", slug="retail"))
        db.session.commit()

        first = import_answers(io.BytesIO(data), ImportOptions(now=NOW))
        db.session.commit()
        assert (first.imported, first.rejected_count) == (BATCH_SIZE + 500, 1)

        again = import_answers(io.BytesIO(data), ImportOptions(now=NOW))
        db.session.commit()
        assert (again.imported, again.duplicates) == (0, BATCH_SIZE + 500)

        strict = import_answers(
            io.BytesIO(data.replace(b"r1;", b"n1;")),
            ImportOptions(now=NOW, strict=True, create_teams=True),
        )
        db.session.rollback()
        assert not strict.accepted
        assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == BATCH_SIZE + 500
        assert db.session.scalar(select(Team).where(Team.name == "Mars")) is None

        answer = db.session.scalar(select(SurveyAnswer).where(SurveyAnswer.external_id == "r5"))
        assert answer is not None
        assert answer.answered_at == datetime(2026, 11, 6, 9, 0, tzinfo=UTC)
        assert (answer.comment, answer.channel, answer.language) == (
            "café 5",
            SeededChannel.CHAT,
            Language.NL,
        )
