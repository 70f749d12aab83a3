"""Settings: every knob is a ``STORYBOARD_*`` environment variable, documented here once.

The table in docs/configuration.md mirrors ``SETTINGS``; ``tests/core/test_config.py``
checks that the two agree.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "STORYBOARD_"
# Stories beyond which the Whoosh backend's measured search p95 passes 250 ms on a
# 2-core machine (bench/RESULTS.md, "Search"): p95 grows with the number of matches,
# so linearly with the archive; between the two measured sizes of the run of
# 2026-11-24 19:10 UTC (53.5 ms at 10,000 stories, 387.9 ms at 100,000) 250 ms falls at
# about 62,900 stories, in the run of 13:23 UTC (75.7 / 551.9 ms) at about 42,900. The
# lower, rounded down, so the admin hears it before searches get slow. Beyond it the
# admin page and `storyboard doctor` advise moving to PostgreSQL search.
WHOOSH_STORY_LIMIT = 40_000


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name without prefix, default and meaning."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INSTANCE_PATH", "./instance", "Folder for the SQLite file, the index and the secret key."
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///<instance>/storyboard.db",
        "SQLAlchemy database URL, e.g. postgresql+psycopg://user@host/db.",
    ),
    Setting("INDEX_DIR", "<instance>/index", "Folder of the Whoosh search index."),
    Setting(
        "SEARCH_BACKEND",
        "whoosh",
        "`whoosh` (index on this host's disk) or `postgresql` (in the database; needs a "
        "PostgreSQL `DATABASE_URL`; for more than one app host).",
    ),
    Setting(
        "SECRET_KEY",
        "generated into <instance>/secret_key (0600)",
        "Signs sessions and CSRF tokens; set the same value on every host.",
    ),
    Setting("TIMEZONE", "Europe/Amsterdam", "Time zone in which dates are shown."),
    Setting(
        "DEFAULT_LOCALE",
        "nl",
        "Language (`nl` or `en`) for people who chose none and whose browser asks for neither.",
    ),
    Setting(
        "SECURE_COOKIES",
        "true",
        "Send session cookies over HTTPS only; `storyboard demo` turns it off for plain http.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "Where the public form's and the API's rate limits are counted, e.g. "
        "redis://127.0.0.1:6379 (sign-ins are counted in the database).",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "10 per minute",
        "Sign-in attempts allowed per client address (counted in the database, so "
        "across workers and hosts).",
    ),
    Setting(
        "LOGIN_FREE_FAILURES",
        "5",
        "Failed sign-ins to one account within an hour before each further attempt "
        "from a browser not signed in to it before has to wait.",
    ),
    Setting(
        "LOGIN_MAX_DELAY",
        "300",
        "Longest such wait in seconds; it doubles from 2 s with every further failure.",
    ),
    Setting(
        "PROXY_COUNT",
        "0",
        "Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.",
    ),
    Setting("STORIES_PER_PAGE", "20", "Stories per page in lists."),
    Setting(
        "PAGE_CACHE_SECONDS",
        "30",
        "Seconds a worker keeps what every page shows everyone (teams, themes, the "
        "moderation badge); 0 turns that cache off.",
    ),
    Setting(
        "SEARCH_TIME_BUDGET",
        "3",
        "Seconds a search may take; then it stops and shows what it found, with a notice.",
    ),
    Setting(
        "WHOOSH_STORY_LIMIT",
        str(WHOOSH_STORY_LIMIT),
        "Published stories beyond which the admin page and `storyboard doctor` advise "
        "moving from Whoosh to PostgreSQL search (where Whoosh's measured p95 passes 250 ms "
        "on 2 cores).",
    ),
    Setting(
        "PASSWORD_HASH_METHOD",
        "scrypt",
        "werkzeug hashing method for new passwords; keep the default in production.",
    ),
    Setting(
        "API_RATE_LIMIT",
        "120 per minute",
        "Requests allowed per API token (answered 429 with Retry-After beyond it).",
    ),
    Setting(
        "SHARE_RATE_LIMIT",
        "5 per hour",
        "Customer stories accepted per address through the public form.",
    ),
    Setting(
        "RESET_RATE_LIMIT",
        "5 per hour",
        '"Forgot your password?" requests accepted per address (the link itself '
        "works once, for an hour).",
    ),
    Setting(
        "LINK_MAIL_RATE_LIMIT",
        "5 per hour",
        "E-mails of a customer's private status link accepted per address.",
    ),
    Setting(
        "ORG_NAME",
        "(none: “Customer service”)",
        "Your organisation's name, the heading of the public pages (the customer form, "
        "its receipt and status page) and the sender's name of the customer e-mails.",
    ),
    Setting(
        "ORG_LOGO",
        "(none)",
        "A PNG, JPEG, WebP or SVG file (at most 512 KB; a path absolute or relative to the "
        "instance folder) shown beside the name on the public pages, served by the app.",
    ),
    Setting(
        "ORG_COLOUR",
        "#1f5f5b",
        "Your organisation's colour as `#rrggbb` or `#rgb`, for the public pages' header "
        "and buttons (darkened where needed to stay readable).",
    ),
    Setting(
        "CUSTOMER_RETENTION_DAYS",
        "30",
        "Days after the decision that a customer's original text is kept.",
    ),
    Setting(
        "ORDER_NUMBER_PATTERN",
        "(none)",
        "Regular expression for your order/customer numbers, masked like phone numbers.",
    ),
    Setting(
        "IMAGE_HOSTS",
        "(none)",
        "Comma-separated host names (e.g. `cdn.example.nl`) whose https images may show "
        "in colleagues' stories; other images, and all in customer stories, show as links.",
    ),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        "The portal's public address, for links in e-mails and feeds.",
    ),
    Setting("SMTP_HOST", "(none: e-mail off)", "Mail server for the weekly digest."),
    Setting("SMTP_PORT", "587", "Its port (465 for SSL, 25 without encryption)."),
    Setting("SMTP_SECURITY", "starttls", "`starttls`, `ssl` or `none`."),
    Setting("SMTP_USER", "(none)", "Sign-in name at the mail server, if it asks for one."),
    Setting("SMTP_PASSWORD", "(none)", "Its password."),
    Setting("SMTP_FROM", "storyboard@localhost", "Sender address of the digest e-mails."),
    Setting(
        "WEBHOOK_ALLOW_PRIVATE",
        "false",
        "Allow webhooks to this server and private networks (loopback, 10.x, 192.168.x, "
        "link-local …); off, such addresses are refused when saved and when sent.",
    ),
)

SECRET_KEY_FILE = "secret_key"


def instance_path_from_env() -> Path:
    """The instance folder, absolute, from ``STORYBOARD_INSTANCE_PATH`` or ``./instance``."""
    return Path(os.environ.get(ENV_PREFIX + "INSTANCE_PATH", "instance")).resolve()


def load_or_create_secret_key(instance_path: Path) -> str:
    """Return the instance's secret key, creating it (mode 0600) on first run.

    Keeping it on disk means sessions and "remember me" survive restarts without a
    hard-coded fallback in the code.
    """
    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


SEARCH_BACKENDS = ("whoosh", "postgresql")
LOCALES = ("nl", "en")


def default_locale(value: str) -> str:
    name = value.strip().lower()
    if name not in LOCALES:
        raise ValueError(f"STORYBOARD_DEFAULT_LOCALE must be nl or en, not {value!r}")
    return name


def search_backend(value: str, database_url: str) -> str:
    """The search backend's name, refused at start-up when it cannot work."""
    name = value.strip().lower()
    if name not in SEARCH_BACKENDS:
        raise ValueError(
            f"STORYBOARD_SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS)}, not {value!r}"
        )
    if name == "postgresql" and not database_url.startswith("postgresql"):
        raise ValueError(
            "STORYBOARD_SEARCH_BACKEND=postgresql searches in the database, so "
            "STORYBOARD_DATABASE_URL must point to PostgreSQL"
        )
    return name


# A DNS name in lower case (IDN as punycode): it goes into the CSP header, so nothing
# else (a scheme, a path, ";", a wildcard) may get through.
_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def image_hosts(value: Any) -> tuple[str, ...]:
    """``IMAGE_HOSTS`` as a tuple of host names, refused at start-up when one is not a
    plain host name."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    hosts: list[str] = []
    for item in items:
        host = str(item).strip().lower()
        if not host:
            continue
        if not _HOST_NAME.match(host):
            raise ValueError(
                f"STORYBOARD_IMAGE_HOSTS takes host names such as cdn.example.nl "
                f"(no scheme, port, path or wildcard), not {item!r}"
            )
        if host not in hosts:
            hosts.append(host)
    return tuple(hosts)


ORG_NAME_MAX = 80
ORG_LOGO_MAX_BYTES = 512 * 1024
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# The file types a logo may be, by their first bytes (the name's suffix proves nothing).
_LOGO_TYPES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
    ".svg": (b"<svg", b"<?xml", b"<!"),
}


def org_name(value: Any) -> str:
    """The organisation's name, refused at start-up when it is too long or holds
    control characters (it goes into page headings and an e-mail header)."""
    name = " ".join(str(value or "").split())
    if len(name) > ORG_NAME_MAX or any(ord(ch) < 32 or ord(ch) == 127 for ch in str(value or "")):
        raise ValueError(
            f"STORYBOARD_ORG_NAME must be one line of at most {ORG_NAME_MAX} characters, "
            f"not {str(value)[:100]!r}"
        )
    return name


def org_colour(value: Any) -> str:
    """The organisation's colour as ``#rrggbb`` in lower case, refused at start-up when
    it is anything else than a hex colour (it goes into a stylesheet)."""
    text = str(value or "").strip()
    if not _HEX_COLOUR.match(text):
        raise ValueError(
            f"STORYBOARD_ORG_COLOUR must be a hex colour such as #1f5f5b or #c30, "
            f"not {str(value)[:100]!r}"
        )
    if len(text) == 4:
        text = "#" + "".join(ch * 2 for ch in text[1:])
    return text.lower()


def org_logo(value: Any, instance_path: Path) -> str:
    """The logo file's absolute path ('' for none), refused at start-up when it is
    missing, too large or not a PNG, JPEG, WebP or SVG image."""
    text = str(value or "").strip()
    if not text:
        return ""
    path = Path(text)
    if not path.is_absolute():
        path = instance_path / path
    path = path.resolve()
    suffix = path.suffix.lower()
    prefix = "STORYBOARD_ORG_LOGO"
    if suffix not in _LOGO_TYPES:
        raise ValueError(f"{prefix} must be a .png, .jpg, .webp or .svg file, not {text!r}")
    if not path.is_file():
        raise ValueError(f"{prefix}: no such file {str(path)!r}")
    size = path.stat().st_size
    if size > ORG_LOGO_MAX_BYTES:
        raise ValueError(f"{prefix}: {str(path)!r} is {size} bytes, at most 512 KB allowed")
    head = path.read_bytes()[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(_LOGO_TYPES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        raise ValueError(f"{prefix}: {str(path)!r} is not a {suffix[1:].upper()} image")
    return str(path)


def build_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Flask config from defaults, then ``STORYBOARD_*`` variables, then ``overrides``.

    ``overrides`` use the same names as the variables (without prefix), plus any raw
    Flask config key, so tests can pass ``{"DATABASE_URL": ..., "WTF_CSRF_ENABLED": False}``.
    """
    raw: dict[str, Any] = {
        key[len(ENV_PREFIX) :]: value
        for key, value in os.environ.items()
        if key.startswith(ENV_PREFIX)
    }
    known = {setting.name for setting in SETTINGS}
    for key, value in raw.items():
        if key not in known:  # other Flask keys: JSON where it parses, like from_prefixed_env
            raw[key] = _json_or_text(value)
    raw.update(overrides or {})

    database_url = raw.pop("DATABASE_URL", None) or f"sqlite:///{instance_path / 'storyboard.db'}"
    secret_key = raw.pop("SECRET_KEY", None) or load_or_create_secret_key(instance_path)
    secure = _as_bool(raw.pop("SECURE_COOKIES", True))
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server connection can drop between requests (a restart, an idle timeout):
        # checked before use. An SQLite file cannot, and the check is a statement on
        # every request's first query.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "INDEX_DIR": str(raw.pop("INDEX_DIR", None) or instance_path / "index"),
        "SEARCH_BACKEND": search_backend(str(raw.pop("SEARCH_BACKEND", "whoosh")), database_url),
        "SECRET_KEY": secret_key,
        "BABEL_DEFAULT_TIMEZONE": raw.pop("TIMEZONE", "Europe/Amsterdam"),
        "BABEL_DEFAULT_LOCALE": default_locale(str(raw.pop("DEFAULT_LOCALE", "nl"))),
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": raw.pop("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": raw.pop("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_FREE_FAILURES": int(raw.pop("LOGIN_FREE_FAILURES", 5)),
        "LOGIN_MAX_DELAY": int(raw.pop("LOGIN_MAX_DELAY", 300)),
        "SEARCH_TIME_BUDGET": float(raw.pop("SEARCH_TIME_BUDGET", 3)),
        "WHOOSH_STORY_LIMIT": int(raw.pop("WHOOSH_STORY_LIMIT", WHOOSH_STORY_LIMIT)),
        "STORIES_PER_PAGE": int(raw.pop("STORIES_PER_PAGE", 20)),
        "PAGE_CACHE_SECONDS": float(raw.pop("PAGE_CACHE_SECONDS", 30)),
        "PROXY_COUNT": int(raw.pop("PROXY_COUNT", 0)),
        "PASSWORD_HASH_METHOD": raw.pop("PASSWORD_HASH_METHOD", "scrypt"),
        "SHARE_RATE_LIMIT": raw.pop("SHARE_RATE_LIMIT", "5 per hour"),
        "RESET_RATE_LIMIT": raw.pop("RESET_RATE_LIMIT", "5 per hour"),
        "API_RATE_LIMIT": raw.pop("API_RATE_LIMIT", "120 per minute"),
        "LINK_MAIL_RATE_LIMIT": raw.pop("LINK_MAIL_RATE_LIMIT", "5 per hour"),
        "ORG_NAME": org_name(raw.pop("ORG_NAME", "")),
        "ORG_LOGO": org_logo(raw.pop("ORG_LOGO", ""), instance_path),
        "ORG_COLOUR": org_colour(raw.pop("ORG_COLOUR", "#1f5f5b")),
        "CUSTOMER_RETENTION_DAYS": int(raw.pop("CUSTOMER_RETENTION_DAYS", 30)),
        "ORDER_NUMBER_PATTERN": str(raw.pop("ORDER_NUMBER_PATTERN", "")),
        "IMAGE_HOSTS": image_hosts(raw.pop("IMAGE_HOSTS", "")),
        "BASE_URL": str(raw.pop("BASE_URL", "http://127.0.0.1:5000")).rstrip("/"),
        "SMTP_HOST": str(raw.pop("SMTP_HOST", "")),
        "SMTP_PORT": int(raw.pop("SMTP_PORT", 587)),
        "SMTP_SECURITY": str(raw.pop("SMTP_SECURITY", "starttls")).lower(),
        "SMTP_USER": str(raw.pop("SMTP_USER", "")),
        "SMTP_PASSWORD": str(raw.pop("SMTP_PASSWORD", "")),
        "SMTP_FROM": str(raw.pop("SMTP_FROM", "storyboard@localhost")),
        "WEBHOOK_ALLOW_PRIVATE": _as_bool(raw.pop("WEBHOOK_ALLOW_PRIVATE", False)),
        # A story body is capped far below this; the cap stops 10 MB posts early.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
    }
    raw.pop("INSTANCE_PATH", None)
    config.update(raw)
    return config
