"""Reading JSON request bodies and query parameters with clear, per-field messages.

Every check adds to a list of ``{"field", "message"}`` problems instead of stopping at
the first, so a client fixes all of them in one go; ``ApiProblem(422)`` carries them.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from storyboard.problems import ApiProblem
from storyboard.text import clean_body, clean_line

JSON_TYPES = ("application/json", "application/merge-patch+json")


def json_body(max_bytes: int | None = None) -> Any:
    """The parsed JSON body; 415 for another content type, 400 for broken JSON, 413 when
    larger than ``max_bytes`` (default: the app's ``MAX_CONTENT_LENGTH``)."""
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        raise ApiProblem(
            415,
            "Send the body as JSON with Content-Type: application/json "
            f"(got {request.mimetype or 'none'!r}).",
        )
    if max_bytes is not None:
        request.max_content_length = max_bytes
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise ApiProblem(
            413,
            f"The body is larger than {request.max_content_length:,} "
            "bytes; send fewer items per request.",
        ) from None
    if not raw.strip():
        raise ApiProblem(400, "The body is empty; send a JSON document.")
    try:
        import json

        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise ApiProblem(400, f"The body is not valid JSON: {str(error)[:200]}") from None


class Fields:
    """Checks the members of one JSON object, collecting problems under ``prefix``."""

    def __init__(
        self, data: object, prefix: str = "", problems: list[dict[str, Any]] | None = None
    ) -> None:
        self.problems: list[dict[str, Any]] = problems if problems is not None else []
        self.prefix = prefix
        if not isinstance(data, dict):
            self.add("", f"must be a JSON object, not {json_type(data)}")
            raise ApiProblem(422, "The body must be a JSON object.", errors=self.problems[:100])
        self.data: dict[str, Any] = data

    def add(self, name: str, message: str) -> None:
        field = f"{self.prefix}.{name}" if self.prefix and name else (self.prefix or name)
        self.problems.append({"field": field or "(body)", "message": message})

    def only(self, allowed: set[str]) -> None:
        for name in sorted(set(self.data) - allowed):
            self.add(str(name)[:80], "is not a known field")

    def text(
        self, name: str, *, required: bool = False, max_length: int, multiline: bool = False
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.add(name, "is required")
            return None
        if not isinstance(value, str):
            self.add(name, f"must be a string, not {json_type(value)}")
            return None
        cleaned = clean_body(value).strip() if multiline else clean_line(value)
        if required and not cleaned:
            self.add(name, "must not be empty")
            return None
        if len(cleaned) > max_length:
            self.add(name, f"is {len(cleaned):,} characters long; at most {max_length:,}")
            return None
        return cleaned

    def choice(self, name: str, choices: list[str], *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=80)
        if value is not None and value not in choices:
            self.add(name, f"must be one of: {', '.join(choices)}")
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.add(name, f"must be true or false, not {json_type(value)}")
            return default
        return value

    def text_list(self, name: str, *, max_items: int, max_length: int) -> list[str]:
        value = self.data.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(name, "must be a list of strings")
            return []
        if len(value) > max_items:
            self.add(name, f"has {len(value):,} items; at most {max_items}")
            return []
        return [clean_line(v)[:max_length] for v in value]


def json_type(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def raise_if(problems: list[dict[str, Any]], detail: str = "Some fields are not valid.") -> None:
    if problems:
        raise ApiProblem(422, detail, errors=problems[:100])
