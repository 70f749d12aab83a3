"""Configuration: STORYBOARD_* variables, defaults, the instance folder, the secret key."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from storyboard import create_app
from storyboard.config import (
    ENV_PREFIX,
    SECRET_KEY_FILE,
    SETTINGS,
    build_config,
    instance_path_from_env,
)

CONFIGURATION_DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No STORYBOARD_* variable from the outside leaks in; the working directory is a
    temporary one so the default ``./instance`` lands there."""
    for key in list(os.environ):
        if key.startswith(ENV_PREFIX):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_put_database_index_and_secret_key_in_the_instance_folder(tmp_path):
    app = create_app()
    instance = tmp_path / "instance"
    assert Path(app.instance_path) == instance
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'storyboard.db'}"
    assert app.config["INDEX_DIR"] == str(instance / "index")
    assert (instance / SECRET_KEY_FILE).is_file()
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Amsterdam"
    assert app.config["STORIES_PER_PAGE"] == 20
    assert app.config["PAGE_CACHE_SECONDS"] == 30
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    assert app.config["WHOOSH_STORY_LIMIT"] == 40_000


def test_cookies_are_secure_http_only_and_same_site_by_default():
    config = create_app().config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_storyboard_variables_are_read(monkeypatch, tmp_path):
    settings = {
        "INSTANCE_PATH": str(tmp_path / "elsewhere"),
        "DATABASE_URL": "postgresql+psycopg://story@db.example/storyboard",
        "INDEX_DIR": str(tmp_path / "index-on-ssd"),
        "SEARCH_BACKEND": "PostgreSQL",
        "SECRET_KEY": "from-the-environment",
        "TIMEZONE": "Europe/London",
        "DEFAULT_LOCALE": "EN",
        "SECURE_COOKIES": "false",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "LOGIN_RATE_LIMIT": "5 per minute",
        "LOGIN_FREE_FAILURES": "4",
        "LOGIN_MAX_DELAY": "120",
        "PROXY_COUNT": "2",
        "STORIES_PER_PAGE": "7",
        "PAGE_CACHE_SECONDS": "0",
        "SEARCH_TIME_BUDGET": "1.5",
        "WHOOSH_STORY_LIMIT": "250000",
        "IMAGE_HOSTS": "cdn.example.nl",
        "WEBHOOK_ALLOW_PRIVATE": "yes",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:600000",
        "SHARE_RATE_LIMIT": "2 per hour",
        "RESET_RATE_LIMIT": "3 per hour",
        "API_RATE_LIMIT": "30 per minute",
        "CUSTOMER_RETENTION_DAYS": "7",
        "ORDER_NUMBER_PATTERN": r"\bORD-\d{6}\b",
        "BASE_URL": "https://stories.example.nl/",
        "SMTP_HOST": "smtp.example.nl",
        "SMTP_PORT": "465",
        "SMTP_SECURITY": "SSL",
        "SMTP_USER": "storyboard",
        "SMTP_PASSWORD": "s3cret",
        "SMTP_FROM": "digest@example.nl",
        "LINK_MAIL_RATE_LIMIT": "4 per hour",
        "ORG_NAME": "  Bakkerij   de Vries ",
        "ORG_LOGO": "logo.svg",
        "ORG_COLOUR": "#C30",
    }
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert set(settings) == {setting.name for setting in SETTINGS}, "a setting is untested"
    for name, value in settings.items():
        monkeypatch.setenv(ENV_PREFIX + name, value)

    # build_config, not create_app: the redis client the limiter would need is optional.
    config = build_config(instance_path_from_env())
    assert Path(instance_path_from_env()) == tmp_path / "elsewhere"
    assert config["SQLALCHEMY_DATABASE_URI"] == settings["DATABASE_URL"]
    assert config["INDEX_DIR"] == settings["INDEX_DIR"]
    assert config["SEARCH_BACKEND"] == "postgresql"
    assert config["SECRET_KEY"] == "from-the-environment"
    assert config["PROXY_COUNT"] == 2
    assert (config["LOGIN_FREE_FAILURES"], config["LOGIN_MAX_DELAY"]) == (4, 120)
    assert config["SEARCH_TIME_BUDGET"] == 1.5
    assert config["WHOOSH_STORY_LIMIT"] == 250_000
    assert config["IMAGE_HOSTS"] == ("cdn.example.nl",)
    assert config["WEBHOOK_ALLOW_PRIVATE"] is True
    assert config["BASE_URL"] == "https://stories.example.nl"
    assert (config["SHARE_RATE_LIMIT"], config["CUSTOMER_RETENTION_DAYS"]) == ("2 per hour", 7)
    assert config["RESET_RATE_LIMIT"] == "3 per hour"
    assert config["ORDER_NUMBER_PATTERN"] == r"\bORD-\d{6}\b"
    assert config["API_RATE_LIMIT"] == "30 per minute"
    assert (config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]) == (
        "smtp.example.nl",
        465,
        "ssl",
    )
    assert (config["SMTP_USER"], config["SMTP_PASSWORD"], config["SMTP_FROM"]) == (
        "storyboard",
        "s3cret",
        "digest@example.nl",
    )
    assert config["LINK_MAIL_RATE_LIMIT"] == "4 per hour"
    assert config["ORG_NAME"] == "Bakkerij de Vries"
    assert config["ORG_LOGO"] == str(tmp_path / "elsewhere" / "logo.svg")
    assert config["ORG_COLOUR"] == "#cc3300"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Europe/London"
    assert config["BABEL_DEFAULT_LOCALE"] == "en"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:600000"
    assert config["REMEMBER_COOKIE_SECURE"] is False
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    assert config["LOGIN_RATE_LIMIT"] == "5 per minute"
    assert config["STORIES_PER_PAGE"] == 7
    assert config["PAGE_CACHE_SECONDS"] == 0
    assert not (tmp_path / "elsewhere" / SECRET_KEY_FILE).exists()


@pytest.mark.parametrize(
    ("backend", "url", "message"),
    [
        ("solr", "sqlite:///x.db", "must be one of whoosh, postgresql, not 'solr'"),
        ("postgresql", "sqlite:///x.db", "STORYBOARD_DATABASE_URL must point to PostgreSQL"),
    ],
)
def test_a_search_backend_that_cannot_work_is_refused_at_start(monkeypatch, backend, url, message):
    monkeypatch.setenv(ENV_PREFIX + "SEARCH_BACKEND", backend)
    monkeypatch.setenv(ENV_PREFIX + "DATABASE_URL", url)
    with pytest.raises(ValueError, match=re.escape(message)):
        create_app()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ORG_COLOUR", "red", "STORYBOARD_ORG_COLOUR must be a hex colour such as #1f5f5b"),
        ("ORG_COLOUR", "#12345", "must be a hex colour"),
        ("ORG_COLOUR", "#1f5f5b; } body { display: none", "must be a hex colour"),
        ("ORG_NAME", "x" * 81, "STORYBOARD_ORG_NAME must be one line of at most 80 characters"),
        ("ORG_NAME", "Bakkerij\r\nBcc: x@example.nl", "must be one line"),
        ("ORG_LOGO", "logo.gif", "STORYBOARD_ORG_LOGO must be a .png, .jpg, .webp or .svg file"),
        ("ORG_LOGO", "missing.png", "STORYBOARD_ORG_LOGO: no such file"),
        ("ORG_LOGO", "fake.png", "is not a PNG image"),
        ("ORG_LOGO", "huge.svg", "at most 512 KB allowed"),
    ],
)
def test_a_branding_setting_that_cannot_work_is_refused_at_start(
    monkeypatch, tmp_path, name, value, message
):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "fake.png").write_text("<html>not an image</html>")
    (instance / "huge.svg").write_text("<svg>" + " " * 600_000 + "</svg>")
    monkeypatch.setenv(ENV_PREFIX + name, value)
    with pytest.raises(ValueError, match=re.escape(message)):
        create_app()


def test_the_public_pages_have_a_neutral_look_without_branding_settings():
    config = create_app().config
    assert (config["ORG_NAME"], config["ORG_LOGO"], config["ORG_COLOUR"]) == ("", "", "#1f5f5b")


def test_the_default_search_backend_is_whoosh():
    assert create_app().config["SEARCH_BACKEND"] == "whoosh"


def test_instance_path_comes_from_storyboard_instance_path(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_INSTANCE_PATH", str(tmp_path / "data" / "storyboard"))
    app = create_app()
    instance = tmp_path / "data" / "storyboard"
    assert Path(app.instance_path) == instance
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'storyboard.db'}"
    assert (instance / SECRET_KEY_FILE).is_file()


def test_a_relative_instance_path_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_INSTANCE_PATH", "relative/instance")
    assert Path(create_app().instance_path) == tmp_path / "relative" / "instance"


def test_create_app_config_overrides_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_STORIES_PER_PAGE", "7")
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path / "mine"), "STORIES_PER_PAGE": 3, "SECRET_KEY": "given"}
    )
    assert app.config["STORIES_PER_PAGE"] == 3
    assert Path(app.instance_path) == tmp_path / "mine"


@pytest.mark.parametrize(
    ("raw", "secure"),
    [
        ("true", True),
        ("1", True),
        ("yes", True),
        ("ON", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("off", False),
    ],
)
def test_secure_cookies_reads_common_boolean_words(monkeypatch, raw, secure):
    monkeypatch.setenv("STORYBOARD_SECURE_COOKIES", raw)
    assert create_app().config["SESSION_COOKIE_SECURE"] is secure


def test_secret_key_is_generated_once_with_mode_0600_and_reused(tmp_path):
    first = create_app()
    key_file = tmp_path / "instance" / SECRET_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key_file.read_text(encoding="ascii").strip() == key

    second = create_app()
    assert second.config["SECRET_KEY"] == key


def test_sessions_survive_a_restart_because_the_key_is_kept(tmp_path):
    first = create_app()
    with first.test_request_context():
        from flask.sessions import SecureCookieSessionInterface

        serializer = SecureCookieSessionInterface().get_signing_serializer(first)
        cookie = serializer.dumps({"hello": "world"})
    restarted = create_app()
    serializer = SecureCookieSessionInterface().get_signing_serializer(restarted)
    assert serializer.loads(cookie) == {"hello": "world"}


def test_different_instances_get_different_secret_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_INSTANCE_PATH", str(tmp_path / "one"))
    one = create_app().config["SECRET_KEY"]
    monkeypatch.setenv("STORYBOARD_INSTANCE_PATH", str(tmp_path / "two"))
    two = create_app().config["SECRET_KEY"]
    assert one != two


def test_the_factory_creates_no_tables(tmp_path):
    """Tables come from migrations only; building the app leaves the database alone."""
    create_app()
    assert not (tmp_path / "instance" / "storyboard.db").exists()


def test_readme_documents_every_setting():
    readme = CONFIGURATION_DOC.read_text(encoding="utf-8")
    undocumented = [s.name for s in SETTINGS if f"{ENV_PREFIX}{s.name}" not in readme]
    assert undocumented == [], "add these to the table in docs/configuration.md"


def test_other_storyboard_variables_set_flask_keys_parsed_as_json(monkeypatch):
    monkeypatch.setenv("STORYBOARD_MAX_CONTENT_LENGTH", "4194304")
    monkeypatch.setenv("STORYBOARD_WTF_CSRF_SSL_STRICT", "false")
    monkeypatch.setenv("STORYBOARD_SERVER_NAME", "stories.example.nl")
    config = create_app().config
    assert config["MAX_CONTENT_LENGTH"] == 4194304
    assert config["WTF_CSRF_SSL_STRICT"] is False
    assert config["SERVER_NAME"] == "stories.example.nl"


def test_connections_are_pinged_before_use_on_a_server_only(tmp_path):
    """A PostgreSQL connection can drop between requests; an SQLite file cannot, and the
    ping would be one more statement on every request."""
    sqlite = build_config(tmp_path)
    server = build_config(tmp_path, {"DATABASE_URL": "postgresql+psycopg://db.example/storyboard"})
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}
    assert server["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
