"""The building blocks the generator combines into stories.

A ``Scenario`` is one kind of service moment (a late delivery, a stuck refund …) with
a few hand-written variants of each part of the story frame; a ``Voice`` holds what
differs per language (headings, customers, products, lessons). Templates use
``str.format`` slots; a capitalised slot (``{He}``, ``{The_product}``) gives the same
value with a capital, for the start of a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storyboard.models import Language, SeededChannel


@dataclass(frozen=True)
class Customer:
    """How a story names its customer: ``intro`` the first time, ``short`` after."""

    intro: str
    short: str
    female: bool


@dataclass(frozen=True)
class Product:
    """Something the retailer sells. ``kind`` is ``appliance``, ``furniture`` (both
    delivered by van) or ``parcel``; ``article`` is the Dutch article (empty in English)."""

    name: str
    kind: str
    article: str = "de"

    def fits(self, wanted: str) -> bool:
        """Whether a scenario asking for ``wanted`` can use this product."""
        if wanted == "any":
            return True
        if wanted == "big":
            return self.kind in ("appliance", "furniture")
        return self.kind == wanted


@dataclass(frozen=True)
class Scenario:
    """One kind of service moment. ``routes`` are believable (team, channel) pairs;
    ``product`` is what ``Product.fits`` accepts, or ``none``."""

    key: str
    routes: tuple[tuple[str, SeededChannel], ...]
    themes: tuple[str, ...]
    product: str
    titles: tuple[str, ...]
    needs: tuple[str, ...]
    actions: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Voice:
    """Everything language-specific that is not a scenario."""

    language: Language
    headings: tuple[str, str, str, str]
    lead_ins: tuple[str, str, str, str]
    lesson_label: str
    pronouns: Mapping[bool, Mapping[str, str]]  # female? → he/him/his
    reached_us: Mapping[SeededChannel, str]
    customers: tuple[Customer, ...]
    products: tuple[Product, ...]
    cities: tuple[str, ...]
    occasions: tuple[str, ...]
    bulk: tuple[str, ...]
    organisations: tuple[str, ...]
    openers: tuple[str, ...]  # optional scene-setting before the customer's question
    asides: tuple[str, ...]  # optional reflection of the agent after what they did
    reactions: tuple[str, ...]
    scores: tuple[str, ...]
    lessons: Mapping[str, tuple[str, ...]]  # theme slug → lesson sentences
    decimal_comma: bool

    def money(self, cents: int) -> str:
        euros, rest = divmod(cents, 100)
        return f"€{euros},{rest:02d}" if self.decimal_comma else f"€{euros}.{rest:02d}"

    def product_forms(self, product: Product) -> dict[str, str]:
        """``product``, ``the_product`` and ``a_product`` in this language."""
        if self.language is Language.NL:
            return {
                "product": product.name,
                "the_product": f"{product.article} {product.name}",
                "a_product": f"een {product.name}",
            }
        article = "an" if product.name[0] in "aeiou" else "a"
        return {
            "product": product.name,
            "the_product": f"the {product.name}",
            "a_product": f"{article} {product.name}",
        }


def fill(template: str, slots: Mapping[str, str]) -> str:
    """Fill a template; every slot also exists capitalised (``{He}`` for ``he``)."""
    values = dict(slots)
    for key, value in slots.items():
        values[key[:1].upper() + key[1:]] = value[:1].upper() + value[1:]
    return template.format_map(values)
