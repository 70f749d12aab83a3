"""Words for values people see, in their language: one home for labels that several
areas show (a role on the header, the profile, people pages and the admin's forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from storyboard.models import Channel, Language, LessonStatus, Role, StoryStatus, SubmissionStatus

ROLE_LABELS = {
    Role.AGENT: _l("Agent"),
    Role.MANAGER: _l("Manager"),
    Role.STAKEHOLDER: _l("Stakeholder"),
    Role.ADMIN: _l("Admin"),
}

CHANNEL_LABELS = {
    Channel.PHONE: _l("Phone"),
    Channel.CHAT: _l("Chat"),
    Channel.EMAIL: _l("E-mail"),
    Channel.SOCIAL: _l("Social media"),
    Channel.STORE: _l("Store"),
}
# How the NPS importer matched a column to a field (storyboard.nps.importer.ColumnUse).
IMPORT_COLUMN_LABELS = {
    "name": _l("its name"),
    "recognised": _l("recognised"),
    "mapped": _l("your mapping"),
    "remembered": _l("remembered from the last import of this source"),
    "made": _l("made from the row's content"),
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


def role_label(role: Role) -> str:
    return str(ROLE_LABELS.get(role, role.value))


def status_label(status: StoryStatus | SubmissionStatus | LessonStatus) -> str:
    """A story's, a customer submission's or a learning moment's status, in words."""
    for labels in (STORY_STATUS_LABELS, SUBMISSION_STATUS_LABELS, LESSON_STATUS_LABELS):
        if type(status) is type(next(iter(labels))):
            return str(labels[status])  # type: ignore[index]
    return str(status.value)
