"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written by hand next to the views (one place per route), checked against the running
API by Schemathesis in ``tests/api/test_schema.py``: every answer must match it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from storyboard.api.nps_push import BATCH_MAX
from storyboard.api.tokens import READ, SCOPES, WRITE_NPS, WRITE_STORIES
from storyboard.models import Language
from storyboard.models.nps import EXTERNAL_ID_MAX, SOURCE_MAX
from storyboard.nps.answer_rows import COMMENT_MAX
from storyboard.rendering import MAX_MARKDOWN_CHARS
from storyboard.search.backend import SORTS
from storyboard.stories.forms import TITLE_MAX

# Channels are the organisation's own (the admins' channels page): a key such as
# "phone" in output; on input also any of a channel's names or aliases.
CHANNEL = {
    "type": "string",
    "description": (
        "A channel's key (phone, chat, email, social, store, or one an admin added). On "
        "input any of the channel's names or aliases is accepted too, without case or "
        "accents (Telefoon, WhatsApp, Balie)."
    ),
}
LANGUAGES = [language.value for language in Language]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {
        400: "The body is not valid JSON.",
        401: "No token, or an unknown, revoked or expired one.",
        403: "The token lacks the scope, or its user's role may not do this.",
        404: "Not found, or not visible to the token's user.",
        409: "A conflicting request ran at the same time; send it again.",
        413: "The body is too large.",
        415: "The body is not JSON.",
        422: "Some input is not valid; `errors` lists each field.",
        429: "Too many requests for this token; see Retry-After.",
    }
    answers = {str(code): _problem(texts[code]) for code in (401, 403, 429, *codes)}
    answers["429"]["headers"] = {
        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
    }
    return answers


NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}

# What a story looks like in a search hit and on its own.
STORY_COMMON: dict[str, Any] = {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "team": NULLABLE_STRING,
    "team_name": NULLABLE_STRING,
    "channel": CHANNEL,
    "channel_names": {
        "type": "object",
        "description": "The channel's name in Dutch (nl) and English (en), as admins named it.",
        "required": ["nl", "en"],
        "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
    },
    "language": {"type": "string", "enum": LANGUAGES},
    "themes": {"type": "array", "items": {"type": "string"}, "description": "Theme slugs."},
    "theme_names": {
        "type": "object",
        "description": (
            "The story's themes by slug, each with its name in Dutch (nl) and English "
            "(en), as admins named them; show the one in your reader's language."
        ),
        "additionalProperties": {
            "type": "object",
            "required": ["nl", "en"],
            "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
        },
    },
    "author_kind": {"type": "string", "enum": ["agent", "customer"]},
    "author_name": NULLABLE_STRING,
    "kudos": {"type": "integer"},
    "url": {"type": "string"},
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "StorySummary": {
        "type": "object",
        "required": [
            "id",
            "title",
            "snippet_html",
            "channel",
            "language",
            "themes",
            "theme_names",
            "author_kind",
            "published_at",
            "kudos",
            "featured",
            "url",
        ],
        "properties": {
            **STORY_COMMON,
            "snippet_html": {"type": "string", "description": "Sanitized HTML; matches in <mark>."},
            "published_at": {"type": "string", "format": "date-time"},
            "featured": {"type": "boolean"},
        },
    },
    "Story": {
        "type": "object",
        "required": [
            "id",
            "title",
            "status",
            "body_markdown",
            "body_html",
            "channel",
            "language",
            "themes",
            "theme_names",
            "author_kind",
            "created_at",
            "kudos",
            "url",
        ],
        "properties": {
            **STORY_COMMON,
            "status": {"type": "string", "enum": ["draft", "published", "withdrawn"]},
            "body_markdown": {"type": "string"},
            "body_html": {"type": "string", "description": "Sanitized HTML."},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": ["string", "null"], "format": "date-time"},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "reach": {
                "type": "object",
                "description": (
                    "Only for the story's author, managers and admins: how many people "
                    "have read the published story (first openings, the author's own not "
                    "counted), in all and by their role when they read it. Counts, never "
                    "names."
                ),
                "required": ["readers", "by_role"],
                "properties": {
                    "readers": {"type": "integer", "minimum": 0},
                    "by_role": {
                        "type": "object",
                        "additionalProperties": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    },
    "NewStory": {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "body", "channel", "language"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": TITLE_MAX},
            "body": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_MARKDOWN_CHARS,
                "description": "Markdown.",
            },
            "channel": CHANNEL,
            "language": {"type": "string", "enum": LANGUAGES},
            "team": {"type": ["string", "null"], "description": "A team's slug."},
            "themes": {
                "type": "array",
                "items": {"type": "string"},
                "maxItems": 20,
                "description": "Theme slugs.",
            },
            "publish": {
                "type": "boolean",
                "default": False,
                "description": "Publish at once; otherwise a draft.",
            },
        },
    },
    "NpsAnswer": {
        "type": "object",
        "additionalProperties": False,
        "required": ["external_id", "answered_at", "score", "team"],
        "properties": {
            "external_id": {"type": "string", "maxLength": EXTERNAL_ID_MAX},
            "answered_at": {
                "type": "string",
                "description": "2026-11-22, 2026-11-22T14:05:00+01:00 or 22-11-2026 14:05 "
                "(local time unless an offset is given); not in the future.",
            },
            "score": {"type": ["integer", "string"], "description": "0 to 10."},
            "team": {"type": "string", "description": "Team name or slug."},
            "agent_email": {"type": ["string", "null"]},
            "channel": {"type": ["string", "null"]},
            "language": {"type": ["string", "null"], "description": "nl or en"},
            "comment": {"type": ["string", "null"], "maxLength": COMMENT_MAX},
            "source": {
                "type": ["string", "null"],
                "maxLength": SOURCE_MAX,
                "description": "The survey system; default `api`.",
            },
        },
    },
    "NpsPushResult": {
        "type": "object",
        "required": ["created", "duplicates", "rejected", "results"],
        "properties": {
            "created": {"type": "integer"},
            "duplicates": {"type": "integer"},
            "rejected": {"type": "integer"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "status"],
                    "properties": {
                        "index": {"type": "integer"},
                        "status": {"type": "string", "enum": ["created", "duplicate", "rejected"]},
                        "source": {"type": "string"},
                        "external_id": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "string"}},
                        "warnings": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Nps": {
        "type": "object",
        "required": ["nps", "margin", "n", "promoters", "passives", "detractors", "few_answers"],
        "properties": {
            "nps": {**NULLABLE_NUMBER, "description": "-100 to 100; null without answers."},
            "margin": {**NULLABLE_NUMBER, "description": "95 % margin, in points."},
            "n": {"type": "integer"},
            "promoters": {"type": "integer"},
            "passives": {"type": "integer"},
            "detractors": {"type": "integer"},
            "few_answers": {"type": "boolean"},
        },
    },
}

SCHEMAS["NpsReport"] = {
    "allOf": [
        _ref("Nps"),
        {
            "type": "object",
            "required": ["from", "to", "weeks"],
            "properties": {
                "from": {"type": "string"},
                "to": {"type": "string"},
                "team": NULLABLE_STRING,
                "channel": NULLABLE_STRING,
                "weeks": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            _ref("Nps"),
                            {
                                "type": "object",
                                "required": ["week"],
                                "properties": {"week": {"type": "string"}},
                            },
                        ]
                    },
                },
            },
        },
    ],
}
SCHEMAS["Digest"] = {
    "type": "object",
    "required": [
        "week",
        "complete",
        "summary",
        "nps",
        "previous_nps",
        "change",
        "teams",
        "channels",
        "featured",
        "new_story_count",
        "appreciated",
        "url",
    ],
    "properties": {
        "week": {"type": "string"},
        "team": NULLABLE_STRING,
        "complete": {"type": "boolean"},
        "summary": {"type": "string"},
        "nps": _ref("Nps"),
        "previous_nps": _ref("Nps"),
        "change": {"type": "object"},
        "teams": {"type": "array"},
        "channels": {"type": "array"},
        "featured": {"type": "array"},
        "new_story_count": {"type": "integer"},
        "appreciated": {"type": "array"},
        "promoter_quotes": {"type": "array"},
        "detractor_quotes": {"type": "array"},
        "url": {"type": "string"},
    },
}
SCHEMAS["StoryPage"] = {
    "type": "object",
    "required": ["items", "total", "facets", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": _ref("StorySummary")},
        "total": {"type": "integer"},
        "facets": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "count"],
                    "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
                },
            },
        },
        "suggestion": NULLABLE_STRING,
        "notice": NULLABLE_STRING,
        "timed_out": {
            "type": "boolean",
            "description": (
                "The search ran out of its time budget: items and counts are what it found "
                "until then."
            ),
        },
        "next_cursor": {
            **NULLABLE_STRING,
            "description": "Pass as `cursor` for the next page; null at the end.",
        },
    },
}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _security(scope: str) -> list[dict[str, list[str]]]:
    return [{"bearer": [scope]}]


def openapi_document() -> dict[str, Any]:
    base = current_app.config["BASE_URL"]
    team = _query("team", "A team's slug, e.g. `retail`.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Storyboard API",
            "version": "1.0.0",
            "description": (
                "Service stories and NPS for survey tools, CRM and other systems. "
                "Authenticate with a personal token (profile page) as "
                "`Authorization: Bearer <token>`; a token acts as its user and never sees "
                "more. Errors are RFC 9457 problem details. Scopes: "
                + "; ".join(f"`{name}`: {scope.label}" for name, scope in SCOPES.items())
                + "."
            ),
        },
        "servers": [{"url": f"{base}/api/v1"}],
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Storyboard API token.",
                }
            },
            "schemas": SCHEMAS,
        },
        "paths": {
            "/stories": {
                "get": {
                    "operationId": "listStories",
                    "summary": "Search published stories (the search page's syntax and facets).",
                    "security": _security(READ),
                    "parameters": [
                        _query("q", 'Words, "exact phrase", OR, -exclude, field:value.'),
                        team,
                        _query("channel", "Channel: a key, name or alias.", CHANNEL),
                        _query("theme", "A theme's slug."),
                        _query("author_kind", "agent or customer."),
                        _query("language", "nl or en."),
                        _query("period", "A month facet value such as 2026-11."),
                        _query(
                            "from",
                            "Published on or after (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _query(
                            "to",
                            "Published on or before (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _query("sort", "Order.", {"type": "string", "enum": list(SORTS)}),
                        _query(
                            "limit",
                            "Stories per page.",
                            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        ),
                        _query("cursor", "`next_cursor` of the previous page."),
                    ],
                    "responses": {
                        "200": _json("One page of matches.", _ref("StoryPage")),
                        **_errors(422),
                    },
                },
                "post": {
                    "operationId": "createStory",
                    "summary": "Write a story as the token's user (a draft unless publish).",
                    "security": _security(WRITE_STORIES),
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 200},
                            "description": "Sending the same key again returns "
                            "the story made the first time (200).",
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("NewStory")}},
                    },
                    "responses": {
                        "201": _json("Created.", _ref("Story")),
                        "200": _json("Already created with this Idempotency-Key.", _ref("Story")),
                        **_errors(400, 413, 415, 422),
                    },
                },
            },
            "/stories/{story_id}": {
                "get": {
                    "operationId": "getStory",
                    "summary": "One story the token's user may see.",
                    "security": _security(READ),
                    "parameters": [
                        {
                            "name": "story_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        }
                    ],
                    "responses": {"200": _json("The story.", _ref("Story")), **_errors(404)},
                },
            },
            "/nps-responses": {
                "post": {
                    "operationId": "pushNpsResponses",
                    "summary": f"Store one survey answer or a batch of up to {BATCH_MAX:,}; "
                    "idempotent on source + external_id.",
                    "security": _security(WRITE_NPS),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        _ref("NpsAnswer"),
                                        {
                                            "type": "array",
                                            "items": _ref("NpsAnswer"),
                                            "minItems": 1,
                                            "maxItems": BATCH_MAX,
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json(
                            "A result per answer, in the order sent.", _ref("NpsPushResult")
                        ),
                        **_errors(400, 409, 413, 415, 422),
                    },
                },
            },
            "/nps": {
                "get": {
                    "operationId": "getNps",
                    "summary": "NPS with n and 95 % margin for a filter and a run of weeks.",
                    "security": _security(READ),
                    "parameters": [
                        _query("from", "First ISO week (default: 3 weeks before `to`)."),
                        _query("to", "Last ISO week (default: this week)."),
                        team,
                        _query("channel", "Channel: a key, name or alias.", CHANNEL),
                    ],
                    "responses": {"200": _json("The NPS.", _ref("NpsReport")), **_errors(422)},
                },
            },
            "/digest/{iso_week}": {
                "get": {
                    "operationId": "getDigest",
                    "summary": "The weekly digest of an ISO week (e.g. 2026-W47).",
                    "security": _security(READ),
                    "parameters": [
                        {
                            "name": "iso_week",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": r"^\d{4}-W\d{2}$"},
                        },
                        team,
                    ],
                    "responses": {"200": _json("The digest.", _ref("Digest")), **_errors(404, 422)},
                },
            },
        },
    }
