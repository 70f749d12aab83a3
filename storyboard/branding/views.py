"""The organisation's stylesheet and logo, for the public pages (no account needed)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app
from werkzeug.wrappers import Response

from storyboard.access import public
from storyboard.branding.colours import stylesheet
from storyboard.branding.service import DEFAULT_COLOUR

bp = Blueprint("brand", __name__, url_prefix="/brand")

LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
# An SVG opened on its own is a document of this site: nothing in it may run or load.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
ONE_DAY = 86_400


@bp.get("/colours.css")
@public
def colours() -> Response:
    response = Response(
        stylesheet(str(current_app.config.get("ORG_COLOUR") or DEFAULT_COLOUR)),
        mimetype="text/css",
    )
    response.headers["Cache-Control"] = f"public, max-age={ONE_DAY}"
    return response


@bp.get("/logo")
@public
def logo() -> Response:
    path = str(current_app.config.get("ORG_LOGO") or "")
    if not path or not Path(path).is_file():
        abort(404)
    # At most 512 KB (checked at start): read whole, no file handle left to close.
    response = Response(Path(path).read_bytes(), mimetype=LOGO_TYPES.get(Path(path).suffix.lower()))
    response.headers["Cache-Control"] = f"public, max-age={ONE_DAY}"
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    return response
