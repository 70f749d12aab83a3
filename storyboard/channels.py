"""The organisation's channels: finding one by what people write, and keeping the
list consistent. No request, no commit: callers commit.

Every name a channel answers to (its key, both names, its aliases) is compared by
``match_key``: no case, accents, spaces or punctuation, so "E-mail", "e mail" and
"EMAIL" are one name, and no two channels may share one. Pages read the list through
``channel_list``, loaded once per app context (a request, a command); changing a
channel here forgets that copy.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from storyboard import page_cache
from storyboard.db import db
from storyboard.models import Channel
from storyboard.models.channels import CHANNEL_KEY_MAX, CHANNEL_NAME_MAX
from storyboard.text import clean_line, slugify

ALIAS_MAX = CHANNEL_NAME_MAX
ALIASES_MAX = 50  # per channel; an export's spellings of one channel are a handful


class ChannelError(ValueError):
    """A channel value or change that cannot be used; the message says why."""


def match_key(value: str) -> str:
    """A name as it is compared: "Télé-foon " and "telefoon" give the same key."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed.casefold() if c.isalnum() and c.isascii())


@dataclass(frozen=True)
class ChannelInfo:
    """One channel as pages and importers read it (detached from the session)."""

    key: str
    name_nl: str
    name_en: str
    aliases: tuple[str, ...]
    position: int
    active: bool

    def name_in(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl


@dataclass
class ChannelList:
    """Every channel, by key and by each name it answers to."""

    by_key: dict[str, ChannelInfo] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)  # match_key -> channel key

    def add(self, info: ChannelInfo) -> None:
        self.by_key[info.key] = info
        for name in (info.key, info.name_nl, info.name_en, *info.aliases):
            self.by_name.setdefault(match_key(name), info.key)

    def find(self, value: str) -> ChannelInfo | None:
        """The channel ``value`` names (key, name or alias), active or not."""
        key = self.by_name.get(match_key(value))
        return self.by_key[key] if key is not None else None

    def active(self) -> list[ChannelInfo]:
        """The channels offered for new stories and answers, in the admins' order."""
        return [info for info in self.by_key.values() if info.active]

    def name(self, key: str, language: str) -> str:
        """A stored key in words; a key without a channel (never expected) as itself."""
        info = self.by_key.get(key)
        return info.name_in(language) if info else key

    def known(self, language: str) -> str:
        """The active channels' names, for messages that say what would be accepted."""
        return ", ".join(info.name_in(language) for info in self.active())


def _info(channel: Channel) -> ChannelInfo:
    return ChannelInfo(
        key=channel.key,
        name_nl=channel.name_nl,
        name_en=channel.name_en,
        aliases=tuple(channel.alias_list),
        position=channel.position,
        active=channel.active,
    )


def load_channels() -> ChannelList:
    """Read the table (ordered by position, then name)."""
    found = ChannelList()
    for channel in db.session.scalars(select(Channel).order_by(Channel.position, Channel.name_en)):
        found.add(_info(channel))
    return found


def channel_list() -> ChannelList:
    """The channels: the same copy for a whole request or command, taken from the
    process's page cache (``storyboard.page_cache``: every page names channels, and the
    copy is dropped when this process commits a change to the table)."""
    if not has_app_context():
        return load_channels()
    cached: ChannelList | None = g.get("storyboard_channels")
    if cached is None:
        cached = g.storyboard_channels = page_cache.shared("channels", {"channels"}, load_channels)
    return cached


def default_channel() -> str:
    """The first channel in use: for a story made from an answer that named none."""
    channels = channel_list()
    first = next(iter(channels.active()), None) or next(iter(channels.by_key.values()))
    return first.key


def forget_channels() -> None:
    """Drop this app context's copy after a change."""
    if has_app_context():
        g.pop("storyboard_channels", None)
        page_cache.cache_of(current_app).forget({"channels"})


def resolve_channel(value: str, language: str, keep: str | None = None) -> str:
    """The key of the active channel ``value`` names; ``keep`` (a story's current
    channel) is accepted even when deactivated, so editing an old story works."""
    channels = channel_list()
    info = channels.find(value)
    if info is None:
        raise ChannelError(
            _l(
                "Unknown channel “%(value)s”. Use one of: %(known)s (an admin can add "
                "channels and other names for them).",
                value=value[:40],
                known=channels.known(language),
            )
        )
    if not info.active and info.key != keep:
        raise ChannelError(
            _l(
                "The channel “%(name)s” is no longer in use. Use one of: %(known)s.",
                name=info.name_in(language),
                known=channels.known(language),
            )
        )
    return info.key


@dataclass(frozen=True)
class ChannelInput:
    """A channel's words: its name per language and the other names exports use."""

    name_nl: str
    name_en: str
    aliases: tuple[str, ...] = ()
    position: int | None = None  # None: after the last one


def parse_aliases(text: str) -> tuple[str, ...]:
    """Aliases as an admin types them: one per line or separated by commas."""
    parts = (clean_line(part) for line in text.splitlines() for part in line.split(","))
    return tuple(part for part in parts if part)


def save_channel(channel: Channel | None, data: ChannelInput) -> Channel:
    """Create (``channel=None``) or change a channel. Its key never changes; every name
    it answers to must be new to the other channels (so an import value always means
    one channel)."""
    name_nl, name_en = clean_line(data.name_nl), clean_line(data.name_en)
    aliases = _checked_aliases(data.aliases)
    for name, message in (
        (name_nl, _l("Give the channel a name in Dutch.")),
        (name_en, _l("Give the channel a name in English.")),
    ):
        if not match_key(name):
            raise ChannelError(message)
        if len(name) > CHANNEL_NAME_MAX:
            raise ChannelError(
                _l("A channel's name has at most %(n)s characters.", n=CHANNEL_NAME_MAX)
            )
    item = channel or Channel(key=_new_key(name_en), active=True)
    _check_clashes(item, (name_nl, name_en, *aliases))
    item.name_nl, item.name_en = name_nl, name_en
    # Drop aliases that repeat the channel's own names: they add nothing.
    own = {match_key(item.key), match_key(name_nl), match_key(name_en)}
    kept: dict[str, str] = {}
    for alias in aliases:
        if match_key(alias) not in own:
            kept.setdefault(match_key(alias), alias)
    item.aliases = "\n".join(kept.values())
    if data.position is not None:
        item.position = data.position
    elif item.id is None:
        item.position = (db.session.scalar(select(func.max(Channel.position))) or 0) + 1
    if item.id is None:
        db.session.add(item)
    db.session.flush()
    forget_channels()
    return item


def create_named_channel(name: str) -> Channel:
    """A channel an import names but the organisation lacks: the value as written is
    its name in both languages (an admin can translate it later)."""
    return save_channel(None, ChannelInput(name_nl=name, name_en=name))


def set_channel_active(channel: Channel, active: bool) -> None:
    """Deactivate (offered nowhere new; old stories and answers keep it) or bring back."""
    if not active and channel.active:
        others = db.session.scalar(
            select(func.count(Channel.id)).where(Channel.active, Channel.id != channel.id)
        )
        if not others:
            raise ChannelError(_l("At least one channel stays in use."))
    channel.active = active
    db.session.flush()
    forget_channels()


def _checked_aliases(aliases: Iterable[str]) -> list[str]:
    cleaned = [clean_line(alias) for alias in aliases]
    cleaned = [alias for alias in cleaned if alias]
    if len(cleaned) > ALIASES_MAX:
        raise ChannelError(_l("A channel has at most %(n)s other names.", n=ALIASES_MAX))
    for alias in cleaned:
        if len(alias) > ALIAS_MAX:
            raise ChannelError(_l("Another name has at most %(n)s characters.", n=ALIAS_MAX))
        if not match_key(alias):
            raise ChannelError(
                _l("“%(alias)s” has no letter or digit to match on.", alias=alias[:40])
            )
    return cleaned


def _check_clashes(item: Channel, names: Iterable[str]) -> None:
    """Refuse a name another channel already answers to, naming that channel."""
    others = load_channels()
    for name in names:
        owner = others.find(name)
        if owner is not None and owner.key != item.key:
            raise ChannelError(
                _l(
                    "“%(name)s” already means the channel “%(other)s”: remove it there "
                    "first, or choose another name.",
                    name=name[:40],
                    other=_both_names(owner),
                )
            )


def _both_names(info: ChannelInfo) -> str:
    return info.name_nl if info.name_nl == info.name_en else f"{info.name_nl} / {info.name_en}"


def _new_key(name: str) -> str:
    """A stable slug for a new channel, unique, within the columns' width."""
    base = slugify(name)[:CHANNEL_KEY_MAX].strip("-") or "channel"
    taken = set(db.session.scalars(select(Channel.key)))
    key, counter = base, 2
    while key in taken:
        suffix = f"-{counter}"
        key = base[: CHANNEL_KEY_MAX - len(suffix)].strip("-") + suffix
        counter += 1
    return key
