"""Storyboard: the service stories behind the NPS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from storyboard.config import build_config, instance_path_from_env
from storyboard.request import StoryboardRequest

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_dir(name: str) -> str:
    """``templates``/``static`` live at the top of the repository and are copied into
    the package by the wheel build; use whichever exists."""
    installed = PACKAGE_DIR / name
    return str(installed if installed.is_dir() else PACKAGE_DIR.parent / name)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides ``STORYBOARD_*`` variables (tests use it)."""
    overrides = dict(config or {})
    instance_path = (
        Path(overrides["INSTANCE_PATH"]).resolve()
        if "INSTANCE_PATH" in overrides
        else instance_path_from_env()
    )
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=_asset_dir("templates"),
        static_folder=_asset_dir("static"),
    )
    app.request_class = StoryboardRequest
    app.config.update(build_config(instance_path, overrides))
    from storyboard.privacy.configured import check_pattern

    check_pattern(app.config.get("ORDER_NUMBER_PATTERN", ""))
    # As in Flask's tutorial: the SQLite file and the index live here, and with a
    # configured secret key nothing else would create the folder before `db upgrade`.
    instance_path.mkdir(parents=True, exist_ok=True)

    from storyboard import setup

    setup.configure_extensions(app)
    setup.configure_features(app)
    setup.configure_security(app)
    setup.configure_errors(app)
    setup.configure_templates(app)
    return app
