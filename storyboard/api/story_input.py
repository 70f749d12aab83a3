"""The body of ``POST /stories`` → the stories service's ``StoryInput``, every problem
named per field (the web form's rules: title, Markdown body, channel, language, team and
theme slugs)."""

from __future__ import annotations

from sqlalchemy import select

from storyboard.api.arguments import known_channel_keys
from storyboard.api.payload import Fields, raise_if
from storyboard.channels import channel_list
from storyboard.db import db
from storyboard.models import Language, Team, Theme
from storyboard.rendering import MAX_MARKDOWN_CHARS
from storyboard.stories.forms import TITLE_MAX
from storyboard.stories.service import StoryInput

THEMES_MAX = 20


def _channel_key(fields: Fields, value: str) -> str | None:
    """The key of the channel in use that ``value`` names (key, name or alias)."""
    found = channel_list().find(value)
    if found is None or not found.active:
        why = "no channel" if found is None else "a channel no longer in use:"
        fields.add("channel", f"{why} {value!r}; use one of: {known_channel_keys()}")
        return None
    return found.key


def story_input(data: object, key: str | None) -> StoryInput:
    fields = Fields(data)
    fields.only({"title", "body", "channel", "language", "team", "themes", "publish"})
    title = fields.text("title", required=True, max_length=TITLE_MAX)
    body = fields.text("body", required=True, max_length=MAX_MARKDOWN_CHARS, multiline=True)
    channel = fields.text("channel", required=True, max_length=80)
    if channel:
        channel = _channel_key(fields, channel)
    language = fields.choice("language", [lang.value for lang in Language], required=True)
    team_slug = fields.text("team", max_length=80)
    theme_slugs = fields.text_list("themes", max_items=THEMES_MAX, max_length=80)
    publish = fields.boolean("publish")
    team_id = None
    if team_slug:
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team_slug))
        if team_id is None:
            fields.add("team", f"no team {team_slug!r}; use a team's slug, e.g. 'retail'")
    theme_ids: list[int] = []
    if theme_slugs:
        found = {
            slug: theme_id
            for slug, theme_id in db.session.execute(
                select(Theme.slug, Theme.id).where(Theme.slug.in_(theme_slugs))
            )
        }
        for slug in theme_slugs:
            if slug not in found:
                fields.add("themes", f"no theme {slug!r}")
        theme_ids = sorted(set(found.values()))
    raise_if(fields.problems)
    assert title and body and channel and language
    return StoryInput(
        title=title,
        body=body,
        channel=channel,
        language=Language(language),
        team_id=team_id,
        theme_ids=tuple(theme_ids),
        publish=publish,
        submission_key=key,
    )
