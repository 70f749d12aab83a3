"""The scrubber with the organisation's settings: its order/customer number pattern
(``STORYBOARD_ORDER_NUMBER_PATTERN``, a regular expression; empty: none)."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app, has_app_context

from storyboard.privacy.scrub import ScrubResult, scrub_personal_data


@lru_cache(maxsize=8)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def check_pattern(pattern: str) -> None:
    """Refuse a broken pattern when the app starts, not when a customer submits."""
    try:
        _compiled(pattern)
    except re.error as error:
        raise ValueError(
            f"STORYBOARD_ORDER_NUMBER_PATTERN is not a valid regular expression: {error}"
        ) from error


def scrub(text: str, language: str = "en") -> ScrubResult:
    """``text`` masked with the organisation's settings, the masks in ``language``."""
    pattern = str(current_app.config.get("ORDER_NUMBER_PATTERN", "")) if has_app_context() else ""
    return scrub_personal_data(text, order_number_pattern=_compiled(pattern), language=language)
