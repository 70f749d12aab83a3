"""The fixed query mix of the search benchmark, and its translation to SQLite FTS5.

Every query is written once in the archive's own syntax (what a stakeholder types:
words, "phrases", OR, -exclude, field:value) plus the facet filters, date range and
sort the search page sends in the URL. ``to_fts5`` turns it into an FTS5 MATCH string
and SQL filters for the reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    lang: str
    text: str
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    date_from: date | None = None
    date_to: date | None = None

    def url_params(self) -> dict[str, str]:
        params = {"q": self.text, **self.filters}
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        return params


def _many(kind: str, lang: str, texts: list[str], **extra: object) -> list[BenchQuery]:
    return [BenchQuery(kind, lang, text, **extra) for text in texts]  # type: ignore[arg-type]


QUERIES: list[BenchQuery] = [
    # single words: common, stemmed forms, rare
    *_many(
        "word",
        "nl",
        [
            "bestelling",
            "bestellingen",
            "bezorging",
            "verjaardag",
            "jarig",
            "excuses",
            "terugbetaling",
            "kinderwagen",
            "overlijdensakte",
            "aanmaning",
            "retour",
            "monteur",
            "cafe",
            "Leeuwarden",
        ],
    ),
    *_many(
        "word",
        "en",
        [
            "delivery",
            "deliveries",
            "refund",
            "birthday",
            "apologised",
            "parcel",
            "courier",
            "invoice",
            "subscription",
            "pram",
            "certificate",
            "technician",
        ],
    ),
    # two words
    *_many(
        "two words",
        "nl",
        [
            "bestelling verjaardag",
            "terugbetaling excuses",
            "bezorging vandaag",
            "dochter cadeau",
            "oprecht excuses",
            "retour magazijn",
            "abonnement opzeggen",
            "bloemen kaartje",
            "verkeerde maat",
            "depot gebeld",
        ],
    ),
    *_many(
        "two words",
        "en",
        [
            "birthday present",
            "refund warehouse",
            "apology compensation",
            "damaged parcel",
            "wrong shelf",
            "direct number",
            "debt collection",
            "team lead",
        ],
    ),
    # phrases
    *_many(
        "phrase",
        "nl",
        [
            '"vandaag jarig"',
            '"oprecht mijn excuses"',
            '"verkeerde plank"',
            '"eigen geld"',
            '"stond voorop"',
            '"dezelfde avond"',
        ],
    ),
    *_many(
        "phrase",
        "en",
        [
            '"birthday today"',
            '"sincere apology"',
            '"proof of postage"',
            '"felt heard"',
            '"customer for life"',
            '"death certificate"',
        ],
    ),
    # OR
    *_many(
        "or",
        "nl",
        [
            "verjaardag OR jarig",
            "terugbetaling OR retour",
            "bloemen OR tegoedbon",
            "(kinderwagen OR babyfoon) bezorging",
        ],
    ),
    *_many(
        "or",
        "en",
        [
            "birthday OR anniversary",
            "refund OR voucher",
            "pram OR scooter",
            "(wedding OR graduation) delivery",
        ],
    ),
    # exclusions
    *_many(
        "exclude",
        "nl",
        ["bestelling -retour", "excuses -bloemen", "bezorging -depot", "klant -enquête"],
    ),
    *_many(
        "exclude",
        "en",
        ["delivery -depot", "refund -warehouse", "apology -flowers", "customer -survey"],
    ),
    # field syntax typed in the query box
    *_many(
        "field syntax",
        "nl",
        [
            "team:bezorging verjaardag",
            "channel:chat terugbetaling",
            "theme:stand-up excuses",
            "lang:nl bestelling",
        ],
    ),
    *_many(
        "field syntax",
        "en",
        [
            "team:retouren refund",
            "channel:phone birthday",
            "theme:real-conversation apology",
            "author:customer delivery",
        ],
    ),
    # facet filters from the URL (what a click on a facet sends)
    BenchQuery("facet filter", "nl", "bestelling", {"team": "retail"}),
    BenchQuery("facet filter", "nl", "verjaardag", {"channel": "phone"}),
    BenchQuery("facet filter", "nl", "excuses", {"theme": "stand-up"}),
    BenchQuery("facet filter", "nl", "terugbetaling", {"author_kind": "customer"}),
    BenchQuery("facet filter", "nl", "bezorging", {"team": "bezorging", "channel": "chat"}),
    BenchQuery("facet filter", "nl", "klant", {"language": "nl", "theme": "team-support"}),
    BenchQuery("facet filter", "nl", "bloemen", {"period": "2025-12"}),
    BenchQuery("facet filter", "nl", "", {"team": "zakelijk"}),
    BenchQuery("facet filter", "en", "delivery", {"team": "online"}),
    BenchQuery("facet filter", "en", "refund", {"channel": "email"}),
    BenchQuery("facet filter", "en", "apology", {"theme": "tone-of-voice"}),
    BenchQuery("facet filter", "en", "parcel", {"author_kind": "agent", "team": "retail"}),
    BenchQuery("facet filter", "en", "customer", {"language": "en", "channel": "social"}),
    BenchQuery("facet filter", "en", "birthday", {"period": "2025-06"}),
    BenchQuery("facet filter", "en", "", {"channel": "store"}),
    # date ranges
    BenchQuery(
        "date range", "nl", "bestelling", date_from=date(2025, 1, 1), date_to=date(2025, 3, 31)
    ),
    BenchQuery("date range", "nl", "excuses", date_from=date(2026, 5, 1)),
    BenchQuery(
        "date range", "en", "refund", date_from=date(2024, 9, 1), date_to=date(2024, 12, 31)
    ),
    BenchQuery("date range", "en", "birthday present", date_to=date(2025, 1, 31)),
    # sort by newest
    *_many(
        "newest",
        "nl",
        [
            "bestelling",
            "verjaardag",
            "terugbetaling excuses",
            '"vandaag jarig"',
            "bezorging -depot",
            "kinderwagen",
        ],
        sort="newest",
    ),
    *_many(
        "newest",
        "en",
        [
            "delivery",
            "birthday",
            "refund warehouse",
            '"sincere apology"',
            "pram OR scooter",
            "invoice",
        ],
        sort="newest",
    ),
    BenchQuery("newest", "nl", "bestelling", {"team": "retail"}, sort="newest"),
    BenchQuery("newest", "en", "delivery", {"channel": "chat"}, sort="newest"),
    # the empty query: the newest stories (the page's landing view)
    BenchQuery("empty", "-", ""),
    BenchQuery("empty", "-", "", {"language": "en"}),
]

# field:value names typed in a query, and the facet column each one filters.
FIELD_SYNTAX = {
    "team": "team",
    "channel": "channel",
    "theme": "theme",
    "lang": "language",
    "language": "language",
    "author": "author_kind",
    "kind": "author_kind",
}
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Fts5Query:
    match: str | None
    filters: dict[str, str]


def to_fts5(query: BenchQuery) -> Fts5Query:
    """The same search for FTS5: operands are quoted strings joined by explicit AND
    (FTS5 has no implicit AND next to a parenthesis); ``-x`` is ``NOT x``."""
    filters = dict(query.filters)
    text = query.text.replace("(", " ( ").replace(")", " ) ")
    out: list[str] = []

    def operand(value: str) -> None:
        if out and out[-1] not in ("OR", "AND", "("):
            out.append("AND")
        out.append(value)

    for negative, phrase, word in _TOKEN.findall(text):
        if phrase:
            quoted = '"' + phrase.replace('"', "") + '"'
            if negative:
                out.append(f"NOT {quoted}")
            else:
                operand(quoted)
        elif word in ("OR", ")"):
            out.append(word)
        elif word == "(":
            operand("(")
        elif ":" in word and word.split(":", 1)[0] in FIELD_SYNTAX:
            name, value = word.split(":", 1)
            filters[FIELD_SYNTAX[name]] = value.lower()
        elif word.startswith("-") and len(word) > 1:
            out.append(f'NOT "{word[1:]}"')
        else:
            operand(f'"{word}"')
    return Fts5Query(match=" ".join(out) or None, filters=filters)


# Added to the mix on the "common" corpus profile (``corpus.COMMON_WORDS``): the words
# in 55-75 % of its stories, alone, together, in phrases, excluded and filtered.
COMMON_QUERIES: list[BenchQuery] = [
    *_many("common word", "nl", ["klant", "klanten", "contact", "service"]),
    *_many("common word", "en", ["customer", "customers"]),
    *_many("common two words", "nl", ["klant contact", "klant service", "klant bestelling"]),
    *_many("common two words", "en", ["customer service", "customer refund"]),
    *_many("common phrase", "nl", ['"klant bedankte"', '"eerste contact"']),
    *_many("common phrase", "en", ['"customer service"', '"the customer thanked"']),
    *_many("common OR", "-", ["klant OR customer", "contact OR service"]),
    *_many("common exclude", "-", ["klant -contact", "customer -service", "contact -klant"]),
    BenchQuery("common filter", "nl", "klant", {"team": "retail"}),
    BenchQuery("common filter", "en", "customer", {"channel": "phone"}),
    BenchQuery("common filter", "nl", "klant", {"period": "2025-12"}),
    BenchQuery("common newest", "nl", "klant", sort="newest"),
    BenchQuery("common newest", "en", "customer service", sort="newest"),
]
