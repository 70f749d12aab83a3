"""Command-line help in the organisation's language.

Commands and options take their help as ``lazy_gettext`` strings, so the text is looked
up when the help is printed (inside the app, in ``STORYBOARD_DEFAULT_LOCALE``), not when
the module is imported. Click cleans an option's help text in ``Option.__init__``, which
would turn the lazy string into English for good; ``LocalizedOption`` keeps it lazy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class LocalizedOption(click.Option):
    """A ``click.Option`` whose help text is translated when the help is shown."""

    def __init__(self, *args: Any, help: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        lazy = self.help
        self.help = None if lazy is None else str(lazy)  # Click measures it as a str
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = lazy


def option(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` with a help text that may be a ``lazy_gettext`` string."""
    attrs.setdefault("cls", LocalizedOption)
    return click.option(*param_decls, **attrs)


def password_option(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.password_option`` with a translatable help text."""
    attrs.setdefault("cls", LocalizedOption)
    return click.password_option(*param_decls, **attrs)
