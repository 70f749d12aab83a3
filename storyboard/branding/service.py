"""What the public pages and the customer e-mails show of the organisation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

DEFAULT_COLOUR = "#1f5f5b"


@dataclass(frozen=True)
class Organisation:
    """What the public pages and the customer e-mails show of the organisation. The
    URLs are worked out only when a page asks for them (an e-mail rendered by a
    command has no request to build them with)."""

    configured_name: str
    logo_path: str
    colour: str

    @property
    def name(self) -> str:
        """The configured name, or a neutral "Customer service"."""
        return self.configured_name or str(_l("Customer service"))

    @property
    def logo_url(self) -> str | None:
        if not self.logo_path:
            return None
        logo = Path(self.logo_path)
        stamp = logo.stat().st_mtime_ns if logo.exists() else 0
        return url_for("brand.logo", v=_version(self.logo_path, str(stamp)))

    @property
    def colours_url(self) -> str:
        return url_for("brand.colours", v=_version(self.colour))


def _version(*parts: str) -> str:
    """A short fingerprint, so a changed setting reaches browsers despite caching."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:10]


def organisation(config: Any) -> Organisation:
    """The organisation as configured (``STORYBOARD_ORG_*``)."""
    return Organisation(
        configured_name=str(config.get("ORG_NAME") or ""),
        logo_path=str(config.get("ORG_LOGO") or ""),
        colour=str(config.get("ORG_COLOUR") or DEFAULT_COLOUR),
    )
