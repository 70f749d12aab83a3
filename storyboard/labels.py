"""Words for values people see, in their language: one home for labels that several
areas show (a role on the header, the profile, people pages and the admin's forms)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from storyboard.channels import channel_list
from storyboard.models import (
    Language,
    LessonStatus,
    Role,
    StoryStatus,
    SubmissionStatus,
    Theme,
)

ROLE_LABELS = {
    Role.AGENT: _l("Agent"),
    Role.MANAGER: _l("Manager"),
    Role.STAKEHOLDER: _l("Stakeholder"),
    Role.ADMIN: _l("Admin"),
}

LANGUAGE_LABELS = {Language.EN: _l("English"), Language.NL: _l("Dutch")}

STORY_STATUS_LABELS = {
    StoryStatus.DRAFT: _l("Draft"),
    StoryStatus.PENDING: _l("Waiting for moderation"),
    StoryStatus.PUBLISHED: _l("Published"),
    StoryStatus.REJECTED: _l("Not published"),
    StoryStatus.WITHDRAWN: _l("Withdrawn"),
}
SUBMISSION_STATUS_LABELS = {
    SubmissionStatus.PENDING: _l("waiting for a decision"),
    SubmissionStatus.APPROVED: _l("published"),
    SubmissionStatus.REJECTED: _l("not published"),
    SubmissionStatus.WITHDRAWN: _l("withdrawn"),
}
LESSON_STATUS_LABELS = {
    LessonStatus.OPEN: _l("Open"),
    LessonStatus.IN_PROGRESS: _l("In progress"),
    LessonStatus.CHANGED: _l("Changed"),
    LessonStatus.DECLINED: _l("Declined"),
}
# What the privacy scrubber found, by its kind (storyboard.privacy.scrub.PLACEHOLDERS).
PERSONAL_DATA_LABELS = {
    "email": _l("e-mail address"),
    "iban": _l("bank account number (IBAN)"),
    "card": _l("payment card number"),
    "order_number": _l("order number"),
    "phone": _l("phone number"),
    "bsn": _l("citizen service number (BSN)"),
    "postcode": _l("postcode"),
}
# How the NPS importer matched a column to a field (storyboard.nps.importer.ColumnUse).
IMPORT_COLUMN_LABELS = {
    "name": _l("its name"),
    "recognised": _l("recognised"),
    "mapped": _l("your mapping"),
    "remembered": _l("remembered from the last import of this source"),
    "made": _l("made from the row's content"),
}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS.get(role, role.value))


def language_label(code: str) -> str:
    """A story's language in words ("English", "Nederlands" …) from its code ("en"):
    what a tag showing "EN" says to a screen reader, which would read "en" as a word.
    Kept per reader's language: every card of a list asks, twice."""
    return _language_label(reader_language(), code)


@cache
def _language_label(reader: str, code: str) -> str:
    try:
        language = Language(code)
    except ValueError:
        return code
    with force_locale(reader):
        return str(LANGUAGE_LABELS[language])


def status_label(status: StoryStatus | SubmissionStatus | LessonStatus) -> str:
    """A story's, a customer submission's or a learning moment's status, in words."""
    for labels in (STORY_STATUS_LABELS, SUBMISSION_STATUS_LABELS, LESSON_STATUS_LABELS):
        if type(status) is type(next(iter(labels))):
            return str(labels[status])  # type: ignore[index]
    return str(status.value)


def personal_data_label(kind: str) -> str:
    """What kind of personal data the scrubber masked, in words ("phone number")."""
    return str(PERSONAL_DATA_LABELS.get(kind, kind))


def reader_language() -> str:
    """The language of the page or e-mail being written ("nl" or "en"); also the
    default for a story's own language, since people write in the language they read
    the portal in."""
    locale = get_locale()
    return Language.EN.value if locale is not None and locale.language == "en" else "nl"


def theme_name(theme: Theme) -> str:
    """A theme's name in the reader's language: the one place pages, e-mails, facets
    and forms take a theme's name from."""
    return theme.name_in(reader_language())


def theme_description(theme: Theme) -> str:
    return theme.description_in(reader_language())


def sorted_themes(themes: Iterable[Theme]) -> list[Theme]:
    """Themes by kind, then alphabetically in the reader's language."""
    reader = reader_language()
    return sorted(themes, key=lambda theme: (theme.kind.value, theme.name_in(reader).casefold()))


def theme_choices(themes: Iterable[Theme]) -> list[tuple[str, str]]:
    """(slug, name) pairs for a filter's choices, in the reader's language."""
    return [(theme.slug, theme_name(theme)) for theme in sorted_themes(themes)]


def channel_name(key: str | None) -> str:
    """A stored channel key in the reader's language (the channels table's names): the
    one place pages, e-mails, facets and exports take a channel's name from."""
    return channel_list().name(key, reader_language()) if key else ""


def channel_names() -> dict[str, str]:
    """Every channel's key and name in the reader's language (deactivated ones too:
    old stories keep theirs), in the admins' order: for pages' labels and filters."""
    language = reader_language()
    return {key: info.name_in(language) for key, info in channel_list().by_key.items()}


def channel_choices(keep: str | None = None) -> list[tuple[str, str]]:
    """(key, name) pairs of the channels in use, in the admins' order, for a form or a
    filter; ``keep`` (an old story's deactivated channel) stays choosable."""
    language = reader_language()
    channels = channel_list()
    shown = [info for info in channels.by_key.values() if info.active or info.key == keep]
    return [(info.key, info.name_in(language)) for info in shown]
