"""The archive search page: everything is in the URL, so a search can be shared."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from storyboard import page_cache
from storyboard.access import READERS, roles_required
from storyboard.labels import channel_names, theme_choices
from storyboard.pagination import parse_page
from storyboard.search.backend import FACETS, SORTS, SearchRequest
from storyboard.search.query import MAX_PREFIX_WORDS, MIN_PREFIX_CHARS, clean_query_text
from storyboard.search.service import search_stories

bp = Blueprint("search", __name__)


def _parse_date(raw: str | None) -> tuple[date | None, bool]:
    """A ``YYYY-MM-DD`` date, and False when something unreadable was given."""
    if not raw:
        return None, True
    try:
        return date.fromisoformat(raw.strip()[:10]), True
    except ValueError:
        return None, False


def search_request_from_args() -> tuple[SearchRequest, list[str]]:
    """The search the URL asks for, plus notices about parts that were ignored."""
    args = request.args
    notices: list[str] = []
    text, shortened = clean_query_text(args.get("q"))
    if shortened:
        notices.append(_("Your search was very long; only its beginning was used."))
    date_from, ok_from = _parse_date(args.get("from"))
    date_to, ok_to = _parse_date(args.get("to"))
    if not (ok_from and ok_to):
        notices.append(_("A date could not be read and was ignored; use YYYY-MM-DD."))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    filters = {name: args.get(name, "").strip()[:80] for name in FACETS if args.get(name)}
    requested_sort = args.get("sort", "")
    sort = requested_sort if requested_sort in SORTS else "relevance"
    return (
        SearchRequest(
            text=text,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=parse_page(args.get("page")),
            per_page=current_app.config["STORIES_PER_PAGE"],
        ),
        notices,
    )


def facet_labels() -> dict[str, dict[str, str]]:
    """Readable names for facet values (slugs and codes are what the index holds)."""
    teams = {t.slug: t.name for t in page_cache.teams()}
    themes = dict(theme_choices(page_cache.themes()))
    return {
        "team": teams,
        "theme": themes,
        "channel": channel_names(),
        "author_kind": {"agent": _("Agent"), "customer": _("Customer")},
        "language": {"nl": _("Dutch"), "en": _("English")},
        "period": {},
    }


@bp.route("/search")
@roles_required(*READERS)
def index() -> str:
    search, notices = search_request_from_args()
    results = search_stories(search)
    if results.notice == "malformed":
        notices.append(
            _(
                "Part of your search could not be read (check quotes and brackets); "
                "these are the closest results."
            )
        )
    if results.notice == "prefix_limited":
        notices.append(
            _(
                "Many words start with the letters before the *; only the %(count)d "
                "shortest were searched. More letters give a narrower search.",
                count=MAX_PREFIX_WORDS,
            )
        )
    if results.notice == "prefix_too_short":
        notices.append(
            _(
                "A word with * needs at least %(count)d letters before the *; "
                "it was searched as a whole word.",
                count=MIN_PREFIX_CHARS,
            )
        )
    if results.timed_out:
        notices.append(
            _(
                "This search took too long and was stopped; the results may be incomplete. "
                "Fewer or more specific words help."
            )
        )
    return render_template(
        "search/index.html",
        search=search,
        results=results,
        notices=notices,
        labels=facet_labels(),
        facet_titles={
            "team": _("Team"),
            "channel": _("Channel"),
            "theme": _("Theme"),
            "author_kind": _("Told by"),
            "language": _("Language"),
            "period": _("Month"),
        },
    )
