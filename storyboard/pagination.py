"""Page numbers from untrusted query strings, and the page object templates use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE = 100_000


def parse_page(raw: str | None) -> int:
    """``page=abc``, ``-1``, ``0`` and absurd numbers all become a usable page ≥ 1."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results; ``number`` is clamped to the last page that exists."""

    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages
