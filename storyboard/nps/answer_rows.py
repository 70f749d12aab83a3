"""One CSV row → the values of one survey answer, or every reason it is rejected.

Part of the importer (``storyboard.nps.importer``, whose docstring describes the format);
no request, no commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from storyboard.channels import ChannelError, channel_list, create_named_channel, match_key
from storyboard.db import db
from storyboard.labels import reader_language
from storyboard.models import Language, Team, User
from storyboard.models.channels import CHANNEL_NAME_MAX
from storyboard.models.nps import EXTERNAL_ID_MAX, SOURCE_MAX
from storyboard.text import clean_body, clean_line, slugify

# The fields of an answer, in the order parse_row reads them; also the default headers.
FIELDS = (
    "external_id",
    "answered_at",
    "score",
    "team",
    "agent_email",
    "channel",
    "language",
    "comment",
    "source",
)
REQUIRED_FIELDS = ("external_id", "answered_at", "score", "team")
COMMENT_MAX = 5_000
TEAM_NAME_MAX = 80
SHOWN_VALUE_MAX = 40


LANGUAGE_NAMES: dict[str, Language] = {
    "nl": Language.NL,
    "dutch": Language.NL,
    "nederlands": Language.NL,
    "en": Language.EN,
    "english": Language.EN,
    "engels": Language.EN,
}

_SCORE = re.compile(r"(\d{1,2})(?:[.,]0+)?")  # Excel's number format may add ",0"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?")
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
# Google Forms' download: 2026/11/22 2:05:09 PM GMT+1 (year first, so never ambiguous).
_GOOGLE = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.?[Mm]\.?)?"
    r"(?: ?(?:GMT|UTC) ?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)?)?"
)


class RowRejected(ValueError):
    """One row cannot be imported; the message says why."""


def clean_cell(value: str) -> str:
    """``clean_line`` with a fast path: most cells are short printable ASCII."""
    if value.isascii() and value.isprintable():
        return " ".join(value.split())
    return clean_line(value)


def shown(value: str) -> str:
    """A value quoted for a message, cut short (a 10 MB cell stays out of reports)."""
    if len(value) > SHOWN_VALUE_MAX:
        value = value[:SHOWN_VALUE_MAX] + "…"
    return repr(value)


@dataclass(frozen=True)
class Columns:
    """Where each field sits in a record, and how many cells the header has."""

    positions: dict[str, int]  # field -> index in a record
    width: int

    @cached_property
    def indexes(self) -> tuple[int, ...]:
        """The index of each of ``FIELDS`` in a record, −1 when the file lacks it."""
        return tuple(self.positions.get(name, -1) for name in FIELDS)


class Lookups:
    """Teams, channels and agents by name, loaded once; teams and channels created on
    demand when asked. ``asked_by`` says how a person would ask for that ("cli": the
    command's options, "upload": the upload page's checkboxes, "api": no such option),
    so a refusal names the way out."""

    def __init__(
        self, create_teams: bool, create_channels: bool = False, asked_by: str = "upload"
    ) -> None:
        self.create_teams = create_teams
        self.create_channels = create_channels
        self.asked_by = asked_by
        self.created: list[str] = []
        self.channels_created: list[str] = []
        self.teams: dict[str, int] = {}
        self.slugs: set[str] = set()
        for team in db.session.scalars(select(Team)):
            self.teams[team.name.lower()] = team.id
            self.teams[team.slug.lower()] = team.id
            self.slugs.add(team.slug)
        self.agents = {
            email.lower(): user_id
            for user_id, email in db.session.execute(select(User.id, User.email))
        }
        # A file has a few distinct channel values: each is looked up once.
        self.channels: dict[str, str | RowRejected] = {}

    def channel(self, value: str) -> str:
        """The key of the channel a cell names (key, name or alias, without case or
        accents); ``RowRejected`` names an unknown or retired one and the way out."""
        found = self.channels.get(value)
        if found is None:
            try:
                found = self._channel(value)
            except RowRejected as error:
                found = error
            self.channels[value] = found
        if isinstance(found, RowRejected):
            raise found
        return found

    def _channel(self, value: str) -> str:
        channels = channel_list()
        info = channels.find(value)
        if info is not None and info.active:
            return info.key
        if info is not None:
            raise RowRejected(
                _(
                    "channel %(value)s is no longer in use (an admin can bring it back on "
                    "the channels page)",
                    value=shown(value),
                )
            )
        if self.create_channels and match_key(value) and len(value) <= CHANNEL_NAME_MAX:
            try:
                channel = create_named_channel(value)
            except ChannelError as error:
                raise RowRejected(str(error)) from error
            self.channels_created.append(value)
            return channel.key
        known = channels.known(reader_language())
        if self.asked_by == "cli":
            hint = _(
                "add it as another name of a channel on the admin's channels page, or "
                "import with --create-channels"
            )
        elif self.asked_by == "upload":
            hint = _(
                "add it as another name of a channel on the admin's channels page, or tick "
                "“Create missing channels”"
            )
        else:
            hint = _("an admin can add it as another name of a channel")
        raise RowRejected(
            _(
                "unknown channel %(value)s (use one of: %(known)s, or %(hint)s)",
                value=shown(value),
                known=known,
                hint=hint,
            )
        )

    def team_id(self, raw: str) -> int:
        name = clean_cell(raw)
        if not name:
            raise RowRejected(_("team is empty"))
        found = self.teams.get(name.lower())
        if found is not None:
            return found
        if not self.create_teams:
            raise RowRejected(
                _(
                    "unknown team %(team)s (create it first, or import with --create-teams)",
                    team=shown(name),
                )
                if self.asked_by == "cli"
                else _(
                    "unknown team %(team)s (create it first, or import with “create teams”)",
                    team=shown(name),
                )
            )
        if len(name) > TEAM_NAME_MAX:
            raise RowRejected(_("team name longer than %(max)s characters", max=TEAM_NAME_MAX))
        slug = base = slugify(name) or "team"
        counter = 2
        while slug in self.slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        team = Team(name=name, slug=slug)
        db.session.add(team)
        db.session.flush()
        self.teams[name.lower()] = self.teams[slug] = team.id
        self.slugs.add(slug)
        self.created.append(name)
        return team.id


def _parse_moment(raw: str, tz: ZoneInfo) -> datetime:
    value = raw.strip()
    if not value:
        raise RowRejected(_("answered_at is empty"))
    try:
        if _ISO_DATE.fullmatch(value):
            moment = datetime.fromisoformat(value)
        elif match := _GOOGLE.fullmatch(value):
            moment = _google_moment(match)
        elif match := _DMY.fullmatch(value):
            day, month, year, hour, minute, second = match.groups()
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        else:
            raise RowRejected(
                _(
                    "answered_at %(value)s is not a date like 2026-11-22 or 22-11-2026 "
                    "(a time such as 14:05 may follow)",
                    value=shown(value),
                )
            )
    except ValueError as error:
        if isinstance(error, RowRejected):
            raise
        raise RowRejected(
            _("answered_at %(value)s is not a real date or time", value=shown(value))
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)  # fold=0: the first of a repeated DST hour
    return moment.astimezone(UTC)


def _google_moment(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, half, sign, off_h, off_m = match.groups()
    hours = int(hour or 0)
    if half:
        if not 1 <= hours <= 12:
            raise ValueError("hour out of range for AM/PM")
        hours = hours % 12 + (12 if half.lower() == "p" else 0)
    moment = datetime(int(year), int(month), int(day), hours, int(minute or 0), int(second or 0))
    if "GMT" in match.group(0) or "UTC" in match.group(0):
        offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
        moment = moment.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    return moment


def _parse_score(raw: str) -> int:
    value = raw.strip()
    if not value:
        raise RowRejected(_("score is empty"))
    if (match := _SCORE.fullmatch(value)) and int(match.group(1)) <= 10:
        return int(match.group(1))
    raise RowRejected(_("score %(value)s is not a whole number from 0 to 10", value=shown(value)))


def parse_row(
    record: list[str],
    line: int,
    columns: Columns,
    default_source: str,
    lookups: Lookups,
    warn: Callable[[int, str], None],
    tz: ZoneInfo,
    latest: datetime,
    imported_at: datetime,
) -> dict[str, Any]:
    """The column values of one answer; ``RowRejected`` names every problem of the row."""
    if len(record) < columns.width:
        raise RowRejected(
            _(
                "%(found)s fields where the header has %(expected)s (an unquoted line break "
                "or delimiter?)",
                found=len(record),
                expected=columns.width,
            )
        )
    if len(record) > columns.width and any(cell.strip() for cell in record[columns.width :]):
        raise RowRejected(
            _(
                "%(found)s fields where the header has %(expected)s (a delimiter inside an "
                "unquoted field?)",
                found=len(record),
                expected=columns.width,
            )
        )
    # One pass over the cells, in FIELDS order; a column the file lacks reads as "".
    (
        raw_id,
        raw_moment,
        raw_score,
        raw_team,
        raw_agent,
        raw_channel,
        raw_language,
        comment,
        raw_source,
    ) = [record[i] if i >= 0 else "" for i in columns.indexes]

    problems: list[str] = []
    external_id = clean_cell(raw_id)
    if not external_id:
        problems.append(_("external_id is empty"))
    elif len(external_id) > EXTERNAL_ID_MAX:
        problems.append(_("external_id longer than %(max)s characters", max=EXTERNAL_ID_MAX))
    source = clean_cell(raw_source) or default_source
    if len(source) > SOURCE_MAX:
        problems.append(_("source longer than %(max)s characters", max=SOURCE_MAX))

    answered_at = score = team_id = None
    try:
        answered_at = _parse_moment(raw_moment, tz)
        if answered_at > latest:
            problems.append(
                _("answered_at %(value)s lies in the future", value=shown(raw_moment.strip()))
            )
    except RowRejected as error:
        problems.append(str(error))
    try:
        score = _parse_score(raw_score)
    except RowRejected as error:
        problems.append(str(error))
    try:
        team_id = lookups.team_id(raw_team)
    except RowRejected as error:
        problems.append(str(error))

    channel = None
    if channel_name := clean_cell(raw_channel):
        try:
            channel = lookups.channel(channel_name)
        except RowRejected as error:
            problems.append(str(error))
    language_name = clean_cell(raw_language).lower()
    language = (
        LANGUAGE_NAMES.get(language_name) or LANGUAGE_NAMES.get(language_name.split("-")[0])
        if language_name
        else None
    )
    if language_name and language is None:
        problems.append(_("unknown language %(value)s (use nl or en)", value=shown(language_name)))
    if problems:
        raise RowRejected("; ".join(problems))

    agent_email = clean_cell(raw_agent).lower()
    agent_id = lookups.agents.get(agent_email) if agent_email else None
    if agent_email and agent_id is None:
        warn(
            line, _("agent %(email)s is not a user; saved without agent", email=shown(agent_email))
        )
    if comment:
        if len(comment) > COMMENT_MAX:
            warn(
                line,
                _(
                    "comment of %(length)s characters cut to %(max)s",
                    length=format_decimal(len(comment)),
                    max=format_decimal(COMMENT_MAX),
                ),
            )
            comment = comment[:COMMENT_MAX]
        comment = clean_body(comment).strip()
    return {
        "source": source,
        "external_id": external_id,
        "answered_at": answered_at,
        "score": score,
        "team_id": team_id,
        "agent_id": agent_id,
        "channel": channel,
        "language": language,
        "comment": comment,
        "imported_at": imported_at,
    }
