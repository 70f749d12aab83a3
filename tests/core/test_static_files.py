"""Static files are addressed by a fingerprint of their content and cached for a year:
a page's stylesheet then comes from the browser's cache, applied before the page is
drawn, and a changed file gets a new address."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from storyboard import static_files
from storyboard.static_files import IMMUTABLE_CACHE_CONTROL, fingerprint

STYLESHEET = re.compile(r'href="(/static/css/storyboard\.css\?v=([0-9a-f]{12}))"')


def test_a_page_links_its_stylesheet_by_fingerprint(client: FlaskClient) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    match = STYLESHEET.search(html)
    assert match, "the stylesheet's address carries no fingerprint"
    static_folder = client.application.static_folder or ""
    assert match.group(2) == fingerprint(static_folder, "css/storyboard.css")


def test_the_fingerprinted_address_is_cached_for_a_year(client: FlaskClient) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    match = STYLESHEET.search(html)
    assert match
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE_CACHE_CONTROL
    response.close()


def test_an_old_or_missing_fingerprint_is_served_but_revalidated(client: FlaskClient) -> None:
    for address in ("/static/css/storyboard.css?v=000000000000", "/static/css/storyboard.css"):
        response = client.get(address)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        response.close()


def test_a_changed_file_gets_a_new_fingerprint(tmp_path: Path) -> None:
    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black; }", encoding="utf-8")
    before = fingerprint(str(tmp_path), "site.css")
    sheet.write_text("body { color: navy; }", encoding="utf-8")
    # Same second on a coarse clock: the size differs here, but move the time too.
    os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 1_000_000_000))
    after = fingerprint(str(tmp_path), "site.css")
    assert before and after and before != after


def test_no_fingerprint_for_a_missing_file_or_a_path_outside(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    assert fingerprint(str(tmp_path), "nothing.css") is None
    assert fingerprint(str(tmp_path), "../etc/passwd") is None
    assert fingerprint(str(tmp_path), "folder") is None


def test_url_for_a_missing_file_has_no_fingerprint(app: Flask) -> None:
    with app.test_request_context():
        assert url_for("static", filename="css/nothing.css") == "/static/css/nothing.css"


def test_links_trust_a_fingerprint_for_a_short_time_then_look_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black; }", encoding="utf-8")
    app = Flask(__name__, static_folder=str(tmp_path))
    static_files.init_app(app)

    def link() -> str:
        with app.test_request_context("/"):
            return url_for("static", filename="site.css")

    first = link()
    assert first.endswith("v=" + str(fingerprint(str(tmp_path), "site.css")))
    sheet.write_text("body { color: navy; }", encoding="utf-8")
    os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 1_000_000_000))
    monkeypatch.setattr(static_files, "RECHECK_SECONDS", 3600.0)
    assert link() == first  # within the time: the file is not looked at
    monkeypatch.setattr(static_files, "RECHECK_SECONDS", 0.0)
    changed = link()
    assert changed != first
    assert changed.endswith("v=" + str(fingerprint(str(tmp_path), "site.css")))
