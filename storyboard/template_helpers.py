"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from storyboard import page_cache
from storyboard.access import EDITORS, READERS, signed_in_person
from storyboard.customers.service import pending_count
from storyboard.i18n.formatting import (
    date_text,
    datetime_text,
    number_text,
    week_days,
    week_label,
    week_range,
)
from storyboard.i18n.locale import LOCALE_NAMES
from storyboard.labels import (
    channel_name,
    language_label,
    personal_data_label,
    role_label,
    sorted_themes,
    status_label,
    theme_description,
    theme_name,
)
from storyboard.models import Role
from storyboard.nps.figure_html import nps_cells, web_nps_figure
from storyboard.nps.math import MIN_RELIABLE_N, ChangeKind, signed_points
from storyboard.recognition.service import unread_count
from storyboard.rendering import excerpt
from storyboard.stories import card_html
from storyboard.table_cells import label_cells


def url_with(endpoint: str, **changes: Any) -> str:
    """This page's URL with some query arguments changed (``None`` removes one) and the
    page number reset: facet links and "did you mean" keep the rest of the search."""
    args: dict[str, Any] = request.args.to_dict()
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    paths: dict[str, str] = g.setdefault("storyboard_endpoint_paths", {})
    path = paths.get(endpoint)
    if path is None:  # once per page: a search page writes ~30 facet links
        path = paths[endpoint] = url_for(endpoint)
    # As werkzeug writes a URL's query (``werkzeug.urls._urlencode``).
    query = urlencode([(key, value) for key, value in args.items()], safe="!$'()*,/:;?@")
    return f"{path}?{query}" if query else path


def _user_can(*roles: Role) -> bool:
    user = signed_in_person()  # one context look-up: pages ask this dozens of times
    return bool(user.is_authenticated and user.role in roles)


def _pending_customer_stories() -> int:
    """For the navigation's badge; called only for managers. The same for every
    manager, so shared for a short time (storyboard.page_cache)."""
    return page_cache.shared("pending_customer_stories", {"customer_submissions"}, pending_count)


def first_on_page(name: str) -> bool:
    """True the first time this request's page asks for ``name``: a script that many
    parts of a page need is written once (``kit/forms.html``'s ``confirm_script``)."""
    written: set[str] = g.setdefault("storyboard_written_once", set())
    if name in written:
        return False
    written.add(name)
    return True


def _unread_notifications() -> int:
    return unread_count(current_user) if current_user.is_authenticated else 0


def site_header(switch: str) -> Markup:
    """The signed-in person's part of the header (``kit/site_header.html``), kept by
    everything it shows: the same person, role, page and badge counts get the same
    HTML, so the badges are counted every time and the markup written once. The
    language switch (``switch``, with this page's address) and the CSRF field are
    filled in per request."""
    user = signed_in_person()
    endpoint = request.endpoint or ""
    unread = _unread_notifications()
    waiting = _pending_customer_stories() if user.role is Role.MANAGER else 0
    parts = (user.id, user.role.value, user.display_name, user.email, endpoint, unread, waiting)
    return page_cache.fragment(
        "header:" + "\x1f".join(map(str, parts)),
        {"users"},
        lambda: render_template(
            "kit/site_header.html", endpoint=endpoint, unread_total=unread, waiting=waiting
        ),
        holes={"switch": switch},
    )


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["excerpt"] = excerpt
    app.jinja_env.filters["label_cells"] = label_cells
    app.jinja_env.filters["date"] = date_text
    app.jinja_env.filters["datetime"] = datetime_text
    app.jinja_env.filters["week_range"] = week_range
    app.jinja_env.filters["week_days"] = week_days
    app.jinja_env.globals["week_label"] = week_label
    # 1,234 in English and 1.234 in Dutch.
    app.jinja_env.filters["number"] = number_text
    app.jinja_env.filters["points"] = signed_points
    # A theme's name and description in the reader's language.
    app.jinja_env.filters["theme_name"] = theme_name
    app.jinja_env.filters["channel_name"] = channel_name
    app.jinja_env.filters["theme_description"] = theme_description
    app.jinja_env.filters["sorted_themes"] = sorted_themes
    app.jinja_env.globals.update(
        LOCALE_NAMES=LOCALE_NAMES,
        current_locale=lambda: str(get_locale() or "en"),
        pending_customer_stories=_pending_customer_stories,
        unread_notifications=_unread_notifications,
        Role=Role,
        role_label=role_label,
        language_label=language_label,
        personal_data_label=personal_data_label,
        status_label=status_label,
        ChangeKind=ChangeKind,
        MIN_RELIABLE_N=MIN_RELIABLE_N,
        web_nps_figure=web_nps_figure,
        nps_cells=nps_cells,
        user_can=_user_can,
        first_on_page=first_on_page,
        url_with=url_with,
        EDITORS=EDITORS,
        READERS=READERS,
        hole=page_cache.hole,
        # The session's CSRF field without building a form (a story page has up to four).
        csrf_field=page_cache.csrf_field,
        site_header=site_header,
        story_card=card_html.story_card,
        hit_card=card_html.hit_card,
        story_meta=card_html.story_meta,
    )
