"""Stories, NPS figures and digests as the API's JSON (shapes in ``openapi``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app

from storyboard.channels import channel_list
from storyboard.digest.builder import WeeklyDigest
from storyboard.models import Story, Theme
from storyboard.nps.math import NpsChange, NpsResult
from storyboard.reach.service import Reach
from storyboard.search.backend import SearchHit
from storyboard.stories.serialize import story_fields, when


def web_url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def round_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def theme_names(themes: Iterable[Theme]) -> dict[str, dict[str, str]]:
    """Each theme's name in both interface languages, by slug (``themes`` stays the
    list of slugs that filters and new stories use)."""
    return {theme.slug: {"nl": theme.name_nl, "en": theme.name_en} for theme in themes}


def channel_names(key: str) -> dict[str, str]:
    """A channel's name in both interface languages (``channel`` stays its key)."""
    info = channel_list().by_key.get(key)
    return {"nl": info.name_nl, "en": info.name_en} if info else {"nl": key, "en": key}


def story_summary(hit: SearchHit, themes: Mapping[str, Theme]) -> dict[str, Any]:
    """A search hit; ``themes`` are all themes by slug (a hit holds only slugs)."""
    return {
        "id": hit.story_id,
        "title": hit.title,
        "snippet_html": hit.snippet_html,
        "team": hit.team,
        "team_name": hit.team_name,
        "channel": hit.channel,
        "language": hit.language,
        "themes": list(hit.themes),
        "channel_names": channel_names(hit.channel),
        "theme_names": theme_names(themes[slug] for slug in hit.themes if slug in themes),
        "author_kind": hit.author_kind,
        "author_name": hit.author_name,
        "published_at": when(hit.published_at),
        "kudos": hit.kudos,
        "featured": hit.featured,
        "url": web_url(f"/stories/{hit.story_id}"),
    }


def story_detail(story: Story) -> dict[str, Any]:
    return {
        **story_fields(story, story.team.slug if story.team else None),
        "status": story.status.value,
        "body_markdown": story.body,
        "body_html": story.body_html,
        "team_name": story.team.name if story.team else None,
        "themes": [theme.slug for theme in story.themes],
        "channel_names": channel_names(story.channel),
        "theme_names": theme_names(story.themes),
        "author_name": story.teller_name,
        "created_at": when(story.created_at),
        "updated_at": when(story.updated_at),
        "kudos": story.kudos_count or 0,
        "url": web_url(f"/stories/{story.id}"),
    }


def reach(counts: Reach) -> dict[str, Any]:
    return {
        "readers": counts.total,
        "by_role": {role.value: count for role, count in sorted(counts.by_role.items())},
    }


def nps(result: NpsResult) -> dict[str, Any]:
    return {
        "nps": round_or_none(result.score),
        "margin": round_or_none(result.margin),
        "n": result.n,
        "promoters": result.promoters,
        "passives": result.passives,
        "detractors": result.detractors,
        "few_answers": result.few_answers,
    }


def change(value: NpsChange) -> dict[str, Any]:
    return {
        "kind": value.kind.value,
        "delta": round_or_none(value.delta),
        "noise": round_or_none(value.noise),
    }


def digest(value: WeeklyDigest) -> dict[str, Any]:
    return {
        "week": str(value.week),
        "team": value.team.slug if value.team else None,
        "complete": value.complete,
        "summary": value.summary,
        "nps": nps(value.nps),
        "previous_nps": nps(value.previous_nps),
        "change": change(value.change),
        "teams": [
            {
                "team": line.team.slug,
                "team_name": line.team.name,
                **nps(line.nps),
                "change": change(line.change),
                "new_stories": line.new_stories,
            }
            for line in value.teams
        ],
        "channels": [{"channel": channel, **nps(result)} for channel, result in value.channels],
        "featured": [
            {
                "story_id": feature.story_id,
                "title": feature.story.title,
                "note": feature.note,
                "kind": feature.kind.value,
                "team": feature.team.slug if feature.team else None,
                "url": web_url(f"/stories/{feature.story_id}"),
            }
            for feature in value.featured
        ],
        "new_story_count": value.new_story_count,
        "appreciated": [
            {
                "story_id": story.id,
                "title": story.title,
                "kudos": story.kudos_count or 0,
                "url": web_url(f"/stories/{story.id}"),
            }
            for story in value.appreciated
        ],
        "promoter_quotes": [quote(q) for q in value.promoter_quotes],
        "detractor_quotes": [quote(q) for q in value.detractor_quotes],
        "url": web_url(f"/digest/{value.week}"),
    }


def quote(value: Any) -> dict[str, Any]:
    return {
        "score": value.score,
        "text": value.text,
        "team": value.team,
        "channel": value.channel or None,
        "answered_at": when(value.answered_at),
    }
