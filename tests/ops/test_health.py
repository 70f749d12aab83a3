"""``/healthz`` for load balancers: 200 when the database and index work, 503 and the
failing part otherwise, and nothing about the error itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from storyboard.db import db
from storyboard.ops.health import check_health


def test_healthy_host_answers_ok_without_signing_in(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "index": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_host_whose_database_is_not_migrated_is_unavailable(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "not migrated"
    assert response.json["status"] == "unavailable"


def test_an_unreachable_database_is_reported_without_details(tmp_path: Path) -> None:
    from tests.conftest import make_app

    missing = tmp_path / "no-such-folder" / "storyboard.db"
    app = make_app(tmp_path / "instance", DATABASE_URL=f"sqlite:///{missing}")
    with app.app_context():
        report = check_health()
    response = app.test_client().get("/healthz")
    with app.app_context():
        db.engine.dispose()
    assert report.database == "unreachable"
    assert not report.healthy
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    assert "no-such-folder" not in response.get_data(as_text=True)


def test_a_damaged_index_is_rebuilt_before_the_host_reports_healthy(
    app: Flask, client: FlaskClient
) -> None:
    assert client.get("/healthz").status_code == 200
    index_dir = Path(app.config["INDEX_DIR"])
    for entry in index_dir.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    with app.app_context():
        from storyboard.search import service

        assert not service.state_for(app).backend.is_healthy()
    # A fresh app on the same folders: its first check rebuilds the index.
    from tests.conftest import make_app

    fresh = make_app(Path(app.instance_path), DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    assert fresh.test_client().get("/healthz").status_code == 200
    with fresh.app_context():
        db.engine.dispose()
