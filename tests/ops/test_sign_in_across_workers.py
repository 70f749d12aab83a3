"""Sign-in limits hold across gunicorn workers: 30 wrong passwords against 4 workers
are checked 10 times, not 10 per worker (the attack of issue 18, finding 3)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_database
from tests.ops.serving import serving


def _post(
    opener: urllib.request.OpenerDirector, url: str, data: dict[str, str], headers: dict[str, str]
) -> int:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers=headers
    )
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.slow
def test_thirty_wrong_passwords_against_four_workers_are_checked_ten_times(
    tmp_path: Path, migrated_db: Path
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    copy_database(migrated_db, instance / "storyboard.db")
    settings = {"PROXY_COUNT": "1", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    with serving(instance, workers=4, settings=settings) as (port, output):
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(f"{base}/auth/login", timeout=10) as page:
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode()).group(1)  # type: ignore[union-attr]

        def attempt(email: str, address: str) -> int:
            return _post(
                opener,
                f"{base}/auth/login",
                {"email": email, "password": "wrong guess", "csrf_token": token},
                {"X-Forwarded-For": address},
            )

        # One address, 30 accounts: the address allows 10 attempts a minute in all.
        by_address = [attempt(f"guess{n}@example.nl", "198.51.100.1") for n in range(30)]
        # One account, 12 addresses: 5 failures, then a wait (2 s, 4 s, …).
        by_account = [attempt("target@example.nl", f"203.0.113.{n}") for n in range(12)]
    log = output[0]
    assert log.count("Booting worker") == 4, log
    # Limits other than sign-in would be per worker in memory: said loudly at start.
    assert "WARNING: with 4 workers and STORYBOARD_RATELIMIT_STORAGE_URI=memory://" in log
    assert by_address.count(200) == 10 and by_address.count(429) == 20, by_address
    # The first wait is 2 s: on a slow machine one more attempt may have come after it.
    assert 5 <= by_account.count(200) <= 6 and by_account[:5] == [200] * 5, by_account
