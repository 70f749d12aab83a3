"""``storyboard serve`` starts gunicorn workers that answer; ProxyFix only when a proxy
count is configured; gunicorn's own error pages carry the app's security headers and
nobody is told the server's name."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from storyboard.db import db
from storyboard.models import Role
from storyboard.ops.serve import MAX_DEFAULT_WORKERS, REQUEST_LINE_LIMIT, default_workers
from tests.conftest import PASSWORD, copy_database, create_user, make_app
from tests.ops.serving import serving


def test_default_workers_follow_the_cores_within_limits() -> None:
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(64) == MAX_DEFAULT_WORKERS


@pytest.mark.slow
def test_serve_runs_gunicorn_workers_that_answer(tmp_path: Path, migrated_db: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    with (
        serving(instance) as (port, output),
        urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=5) as r,
    ):
        assert b"Sign in" in r.read()
    assert "with 2 workers" in output[0]
    assert output[0].count("Booting worker") == 2


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    app = make_app(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["serve", "--bind", "127.0.0.1:1"])
    assert result.exit_code == 1
    assert "storyboard db upgrade" in result.output


def test_forwarded_headers_count_only_behind_a_configured_proxy(app: Flask, tmp_path: Path) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = app.test_client().get("/auth/login", headers=headers)
    assert "Strict-Transport-Security" not in direct.headers

    proxied = make_app(
        Path(app.instance_path), PROXY_COUNT=1, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    response = proxied.test_client().get("/auth/login", headers=headers)
    with proxied.app_context():
        db.engine.dispose()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def raw_request(port: int, data: bytes) -> bytes:
    """Send bytes as they are (no client library tidies them) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def status_and_headers(answer: bytes) -> tuple[int, dict[str, str]]:
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:])
    return int(head[0].split()[1]), {name.lower(): value for name, value in headers.items()}


def request_line(path: str) -> bytes:
    return f"GET {path} HTTP/1.1".encode("ascii")


@pytest.mark.slow
def test_gunicorns_own_answers_carry_our_headers_and_not_its_name(
    tmp_path: Path, migrated_db: Path
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    app = make_app(instance)
    create_user(app, Role.AGENT)
    with app.app_context():
        db.engine.dispose()

    with serving(instance, locale="nl") as (port, _output):
        too_long = raw_request(
            port,
            request_line("/search?q=" + "a" * (REQUEST_LINE_LIMIT + 10)) + b"\r\nHost: x\r\n\r\n",
        )
        malformed = raw_request(port, b"GET / HTTP/1.1 and more\r\nHost: x\r\n\r\n")
        bad_header = raw_request(port, b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n")
        huge_header = raw_request(
            port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n"
        )
        normal = raw_request(
            port, b"GET /auth/login HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n"
        )

        # The longest address that fits, and a 5,000-character search, reach the app:
        # signed in, the search page answers with its "only the beginning" notice.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        browser.addheaders = [("Accept-Language", "en")]
        with browser.open(f"{base}/auth/login", timeout=10) as page:
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode()).group(1)  # type: ignore[union-attr]
        form = urllib.parse.urlencode(
            {"email": "agent@example.nl", "password": PASSWORD, "csrf_token": token}
        ).encode()
        with browser.open(f"{base}/auth/login", data=form, timeout=10) as signed_in:
            assert "/auth/login" not in signed_in.url
        long_search = "/search?q=" + "+".join(["service"] * 626)[:5000]
        with browser.open(base + long_search, timeout=30) as page:
            assert page.status == 200
            assert "only its beginning was used" in page.read().decode()
        # 5,000 characters of 4 UTF-8 bytes each, percent-encoded: 60,000 bytes.
        emoji_search = "/search?q=" + urllib.parse.quote("🚚" * 5000)
        with browser.open(base + emoji_search, timeout=30) as page:
            assert page.status == 200
            assert "only its beginning was used" in page.read().decode()
        path = "/search?q=" + "x" * (REQUEST_LINE_LIMIT - len(request_line("/search?q=")))
        assert len(request_line(path)) == REQUEST_LINE_LIMIT
        with browser.open(base + path, timeout=30) as page:
            assert page.status == 200
            assert "only its beginning was used" in page.read().decode()
        one_more = raw_request(port, request_line(path + "x") + b"\r\nHost: x\r\n\r\n")

    for answer, expected in [
        (too_long, 414),
        (one_more, 414),
        (malformed, 400),
        (bad_header, 400),
        (huge_header, 431),
    ]:
        status, headers = status_and_headers(answer)
        assert status == expected, answer[:300]
        assert b"gunicorn" not in answer.lower()
        assert "server" not in headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        assert b'<html lang="nl">' in answer  # the organisation's language
        assert b"aaaa" not in answer and b"Bad Name" not in answer  # nothing echoed
    assert b"Dat adres is te lang" in too_long

    status, headers = status_and_headers(normal)
    assert status == 200 and b"Sign in" in normal
    assert "server" not in headers and b"gunicorn" not in normal.lower()
