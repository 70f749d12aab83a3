"""Personal data in free text: one scrubber for customer stories and survey comments."""

from __future__ import annotations

from storyboard.privacy.scrub import PLACEHOLDERS, Hit, ScrubResult, scrub_personal_data

__all__ = ["PLACEHOLDERS", "Hit", "ScrubResult", "scrub_personal_data"]
