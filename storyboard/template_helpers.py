"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_login import current_user

from storyboard.access import EDITORS, READERS
from storyboard.models import Role
from storyboard.rendering import html_to_text


def excerpt(html: str, length: int = 220) -> str:
    """The first words of a rendered story, cut at a word boundary."""
    text = html_to_text(html)
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _datetime(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


def _user_can(*roles: Role) -> bool:
    return bool(current_user.is_authenticated and current_user.role in roles)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["excerpt"] = excerpt
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.globals.update(
        Role=Role,
        user_can=_user_can,
        EDITORS=EDITORS,
        READERS=READERS,
    )
