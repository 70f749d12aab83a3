"""Shared fixtures: a fresh app on a real SQLite file per test, users of every role,
and a client that signs in and carries CSRF tokens like a browser."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import URL, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlalchemy.util import LRUCache
from werkzeug.routing import Rule

from storyboard import create_app
from storyboard.db import db, upgrade_database
from storyboard.models import Role
from tests.factories import PASSWORD, create_user, create_users  # noqa: F401 (create_user: re-exported, tests import it from here)
from tests.mail_server import MailServer, start_mail_server

# The suite hashes with a cheap method (see make_app); hashes start with this.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
PASSWORD_HASH_PREFIX = "pbkdf2:sha256:1000$"
ROLES = [Role.AGENT, Role.MANAGER, Role.STAKEHOLDER, Role.ADMIN]


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run. Every test builds an app of
    its own, and each app's Jinja environment would compile every template it renders
    again (a fifth of the suite's time); Jinja checks each entry against the template's
    source, so an edited template is still compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = SharedBytecodeCache()


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per run instead of once per app.

    Werkzeug generates Python source for every rule's URL builder when a blueprint is
    registered (about 60 ms of the 70 ms that building an app costs, and every test
    builds one). The generated function depends only on the rule's text, its parsed
    parts and its defaults, and takes the rule as its first argument, so one function
    serves every app's copy of the rule. Werkzeug's own code still builds every URL."""
    original = Rule._compile_builder
    builders: dict[tuple[Any, ...], Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Any:
        key = (
            self.rule,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
        )
        if key not in builders:
            builders[key] = original(self, append_unknown)
        return builders[key]

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


_share_url_builders()


def _share_rule_parsing() -> None:
    """Parse each URL rule's text once per run instead of once per app.

    After the builders, parsing the rules' text (``Rule._parse_rule``: converter
    arguments, regular expressions, weights) is most of what registering blueprints
    costs. The parts it yields depend only on the text and the map's converter classes;
    what it sets on the rule (its trace, its converters, bound to this rule's map, and
    its argument names) is replayed for every later rule with the same text."""
    original = Rule._parse_rule
    parsed: dict[tuple[Any, ...], tuple[list[Any], list[Any], list[Any]]] = {}

    def parse_rule(self: Rule, rule: str) -> list[Any]:
        assert self.map is not None
        key = (rule, frozenset(self.map.converters.items()))
        known = parsed.get(key)
        if known is None:
            trace_start = len(self._trace)
            calls: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
            get_converter = self.get_converter

            def recording(variable: str, name: str, args: Any, kwargs: Any) -> Any:
                calls.append((variable, name, args, kwargs))
                return get_converter(variable, name, args, kwargs)

            self.get_converter = recording  # type: ignore[method-assign]
            try:
                parts = list(original(self, rule))
            finally:
                del self.get_converter
            parsed[key] = (parts, self._trace[trace_start:], calls)
            return parts
        parts, trace, calls = known
        self._trace.extend(trace)
        for variable, name, args, kwargs in calls:
            self._converters[variable] = self.get_converter(variable, name, args, kwargs)
            self.arguments.add(variable)
        return list(parts)

    Rule._parse_rule = parse_rule  # type: ignore[method-assign]


_share_rule_parsing()


class SharedStatementCache:
    """SQL statements compiled once per run instead of once per app.

    SQLAlchemy caches a compiled statement per engine, keyed by the engine's dialect
    object, and every test builds an app with an engine of its own: each test compiled
    every statement it ran afresh (about a sixth of a page test's time). All test
    engines of one kind (SQLite files, databases on the one PostgreSQL server) behave
    alike, so each new engine gets the first one's dialect, already initialized by a
    connection, and one shared cache. The engine still connects to its own database."""

    def __init__(self) -> None:
        self.dialects: dict[tuple[type, Any], Any] = {}
        self.compiled: Any = LRUCache(20_000)

    def adopt(self, engine: Engine) -> None:
        kind = (type(engine.dialect), getattr(engine.dialect, "isolation_level", None))
        shared = self.dialects.get(kind)
        if shared is None:
            try:
                self._initialize(engine)
            except DBAPIError:  # a test of a database that cannot be reached
                return
            self.dialects[kind] = shared = engine.dialect
        engine.dialect = shared
        engine.pool._dialect = shared
        engine._compiled_cache = self.compiled

    @staticmethod
    def _initialize(engine: Engine) -> None:
        """Run the dialect's first-connect initialization through a probe connection:
        connecting the app's own engine would create its SQLite file, which a test of
        creating that file must find absent (an in-memory database stands in)."""
        url = engine.url
        if engine.dialect.name == "sqlite":
            url = URL.create(url.drivername)  # in memory
        probe = create_engine(url, poolclass=NullPool)
        try:
            with probe.connect() as connection:
                engine.dialect.initialize(connection)
        finally:
            probe.dispose()


COMPILED_STATEMENTS = SharedStatementCache()


def make_app(instance: Path, **overrides: Any) -> Flask:
    config: dict[str, Any] = {
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "SECURE_COOKIES": False,
        "RATELIMIT_ENABLED": False,
        "TESTING": True,
        # Real hashing, cheaply: thousands of sign-ins with scrypt would take minutes.
        # test_auth.py checks that the default is scrypt.
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
        # Most tests read the English pages; tests/i18n/test_i18n.py covers Dutch, the
        # organisation's default.
        "DEFAULT_LOCALE": "en",
        # Production's 3 s is wall time: on a busy shared machine an ordinary search could
        # run past it and come back cut short. Tests of the budget set a tiny one.
        "SEARCH_TIME_BUDGET": 60.0,
    }
    config.update(overrides)
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        for engine in db.engines.values():
            COMPILED_STATEMENTS.adopt(engine)
    return app


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test gets a copy (migrations run once)."""
    instance = tmp_path_factory.mktemp("template")
    app = make_app(instance)
    with app.app_context():
        upgrade_database()
        db.engine.dispose()
    return instance / "storyboard.db"


@pytest.fixture(scope="session")
def empty_index(migrated_db: Path) -> Path:
    """An empty Whoosh index, built once; each test gets a copy. Building one takes
    Whoosh ~0.75 s, which every test that saved a story used to pay on first use."""
    from storyboard.search.service import backend

    app = make_app(migrated_db.parent)
    with app.app_context():
        backend()  # finds no index and builds the empty one from the empty database
        db.engine.dispose()
    return Path(app.config["INDEX_DIR"])


def detached_rows(app: Flask, model: Any) -> list[Any]:
    """Every row of ``model`` in id order, detached so a test can read them after the
    app context is gone."""
    with app.app_context():
        rows = list(db.session.scalars(db.select(model).order_by(model.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database with its backup API, which includes WAL content that a
    plain file copy could miss."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


# With STORYBOARD_TEST_DATABASE_URL (a PostgreSQL server, e.g. the one POSTGRES_URL
# names) every test that uses ``app`` runs on a database of its own on that server,
# copied from a migrated template, instead of on a SQLite file. CI runs the suite both ways.
TEST_DATABASE_URL = os.environ.get("STORYBOARD_TEST_DATABASE_URL", "")


class ResettableDatabase:
    """One migrated PostgreSQL database for the whole session, emptied back to its
    just-migrated state before each test: a TRUNCATE of every table and the seed rows
    (themes, …) put back costs a few milliseconds, a fresh database from a template
    a few hundred."""

    def __init__(self, server: PostgresServer, folder: Path) -> None:
        self.server = server
        self.folder = folder
        self._create()

    def _create(self) -> None:
        """A new database, migrated to head, with its tables and seed rows noted."""
        import psycopg
        from sqlalchemy.engine import make_url

        self.url = self.server.create()
        app = make_app(self.folder, DATABASE_URL=self.url)
        with app.app_context():
            upgrade_database()
            db.session.remove()
            db.engine.dispose()
        conninfo = (
            make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        self.connection = psycopg.connect(conninfo, autocommit=True)
        self.connection.execute("SET lock_timeout = '20s'")
        self.superuser = bool(
            self.connection.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()[0]  # type: ignore[index]
        )
        self.shape = self._shape()
        self.tables = [table for table in self.shape[1] if table != "alembic_version"]
        self.seed = {table: self._rows(table) for table in self.tables}

    def _shape(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The migration version and the tables: what a test must not have changed."""
        version = tuple(
            row[0] for row in self.connection.execute("SELECT version_num FROM alembic_version")
        )
        tables = tuple(
            row[0]
            for row in self.connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        )
        return version, tables

    def _rows(self, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = self.connection.execute(f'SELECT * FROM "{table}"')
        return [column.name for column in cursor.description or []], cursor.fetchall()

    def reset(self) -> None:
        if self._shape() != self.shape:  # a test migrated up or down: start afresh
            self.close()
            self._create()
            return
        with self.connection.transaction():
            self._empty()
            for table, (columns, rows) in self.seed.items():
                if not rows:
                    continue
                listed = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                with self.connection.cursor() as cursor:
                    cursor.executemany(f'INSERT INTO "{table}" ({listed}) VALUES ({marks})', rows)
                if "id" in columns:
                    self.connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table}"))'
                    )

    def _empty(self) -> None:
        """Every table emptied and every sequence back at 1. DELETE with the foreign-key
        triggers off (``session_replication_role``, a superuser's setting, as the test
        server's is): a few tens of rows go in milliseconds, where TRUNCATE makes new
        files for all tables (~100 ms a test). TRUNCATE where the role may not."""
        if not self.superuser:
            names = ", ".join(f'"{table}"' for table in self.tables)
            self.connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        self.connection.execute("SET LOCAL session_replication_role = replica")
        self.connection.execute("; ".join(f'DELETE FROM "{table}"' for table in self.tables))
        self.connection.execute("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")

    def close(self) -> None:
        self.connection.close()
        self.server.drop(self.url)


@pytest.fixture(scope="session")
def postgres_migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ResettableDatabase]:
    """The session's database on the test server, migrated to head."""
    database = ResettableDatabase(
        request.getfixturevalue("postgres"), tmp_path_factory.mktemp("pg-template")
    )
    yield database
    database.close()


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    instance.mkdir()
    if TEST_DATABASE_URL:
        database: ResettableDatabase = request.getfixturevalue("postgres_migrated")
        database.reset()
        app = make_app(instance, DATABASE_URL=database.url)
    else:
        copy_database(request.getfixturevalue("migrated_db"), instance / "storyboard.db")
        app = make_app(instance)
    if app.config["SEARCH_BACKEND"] == "whoosh":
        shutil.copytree(request.getfixturevalue("empty_index"), app.config["INDEX_DIR"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests on the suite's database (the ``app`` fixture): CI's "
        "PostgreSQL pass, where every other test would repeat the SQLite pass exactly",
    )


def uses_suite_database(item: pytest.Item) -> bool:
    """Whether ``item`` runs on the database STORYBOARD_TEST_DATABASE_URL chooses: its
    fixtures include this module's ``app`` (not a folder's own ``app``, such as the search
    tests' one per backend, which chooses its databases itself)."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get("app") if info else None
    return bool(definitions) and definitions[-1].func.__module__ == __name__


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("database_tests_only"):
        return
    repeated = [item for item in items if not uses_suite_database(item)]
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = [item for item in items if uses_suite_database(item)]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def users(app: Flask) -> dict[Role, int]:
    """One user per role, all in team Retail."""
    return create_users(app, ROLES)


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The token a browser would send, read from the page's meta tag."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real sign-in form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> Any:
        token = csrf_token(self.client)
        return self.client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def login_as(self, role: Role) -> Any:
        response = self.login(f"{role.value}@example.nl")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self) -> Any:
        # "/" only redirects a signed-in user; the story list carries the token.
        token = csrf_token(self.client, "/stories/")
        return self.client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


def signed_in(app: Flask, role: Role, email: str | None = None) -> Auth:
    """A new client of its own, signed in as the ``users`` fixture's user of ``role``
    (or as ``email``)."""
    auth = Auth(app.test_client())
    if email:
        auth.login(email)
    else:
        auth.login_as(role)
    return auth


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any], token_from: str | None = None
) -> Any:
    """POST like a browser: fetch the form page first for its CSRF token."""
    payload = dict(data)
    payload.setdefault("csrf_token", csrf_token(client, token_from or path))
    return client.post(path, data=payload)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


REQUIRE_SERVICES = os.environ.get("STORYBOARD_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose server or browser is missing, with a visible reason; in CI
    (``STORYBOARD_REQUIRE_SERVICES=1``) fail instead, so nothing is skipped there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (required because STORYBOARD_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


# -- PostgreSQL ----------------------------------------------------------------------
POSTGRES_URL = (
    os.environ.get("STORYBOARD_TEST_DATABASE_URL")
    or os.environ.get("STORYBOARD_TEST_POSTGRES_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class PostgresServer:
    """Makes and drops whole databases on the test server. ``CREATE DATABASE … TEMPLATE``
    copies files, so a migrated database with users is ready in a fraction of a second."""

    def __init__(self, admin: Any, url: Any) -> None:
        self.admin = admin
        self.url = url

    def create(self, template: str | None = None) -> str:
        import secrets

        name = f"storyboard_test_{secrets.token_hex(5)}"
        self.admin.execute(
            f'CREATE DATABASE "{name}"'
            + (f' TEMPLATE "{self.database(template)}"' if template else "")
        )
        return str(self.url.set(database=name).render_as_string(hide_password=False))

    def drop(self, url: str) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.database(url)}" WITH (FORCE)')

    @staticmethod
    def database(url: str) -> str:
        from sqlalchemy.engine import make_url

        return str(make_url(url).database)


@contextmanager
def app_on_new_database(
    server: PostgresServer, instance: Path, template: str | None = None, **overrides: Any
) -> Iterator[Flask]:
    """An app on a fresh database of its own on the test server (a copy of ``template``
    when given), disposed and dropped afterwards."""
    url = server.create(template=template)
    app = make_app(instance, DATABASE_URL=url, **overrides)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        server.drop(url)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The test server (``STORYBOARD_TEST_POSTGRES_URL``); skipped with the reason when
    it does not answer, failed instead under ``STORYBOARD_REQUIRE_SERVICES=1``."""
    from sqlalchemy.engine import make_url

    psycopg = pytest.importorskip("psycopg")
    server = make_url(POSTGRES_URL)
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable at {server.render_as_string()}: {error}")
    with admin:
        yield PostgresServer(admin, server)


@pytest.fixture
def postgres_app(postgres: PostgresServer, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own on the test server, dropped after."""
    with app_on_new_database(postgres, tmp_path / "instance") as app:
        yield app


# -- SMTP ----------------------------------------------------------------------------
@pytest.fixture
def smtp_server(app: Flask) -> Iterator[MailServer]:
    """A real SMTP server on loopback, and the app configured to send through it."""
    server = MailServer(port=free_port())
    controller = start_mail_server(server)
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_SECURITY="none",
        SMTP_USER="",
        SMTP_FROM="digest@storyboard.example",
        BASE_URL="https://stories.example.nl",
    )
    yield server
    controller.stop()
