"""Analyzers and the Whoosh schema.

Every story is indexed twice: once with the Dutch Snowball stemmer and once with the
English Porter stemmer, whatever its language tag. Dutch service stories are full of
English words ("refund", "deliveries") and vice versa, and a wrong language tag must not
make a story unfindable; a query is matched against both fields, each analysed with its
own stemmer. Accents are folded before stemming, so ``cafe`` finds ``café``.
"""

from __future__ import annotations

import re

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    SpaceSeparatedTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map


def _folded_tokens() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def dutch_analyzer() -> Analyzer:
    return (
        _folded_tokens()
        | StopFilter(stoplist=frozenset(stopwords_for_language("nl")), minsize=1)
        | StemFilter(stemfn=stemmer_for_language("nl"), cachesize=50000)
    )


def english_analyzer() -> Analyzer:
    return (
        _folded_tokens()
        | StopFilter(stoplist=frozenset(stopwords_for_language("en")), minsize=1)
        | StemFilter(stemfn=stemmer_for_language("en"), cachesize=50000)
    )


# Whoosh's RegexTokenizer's default pattern: the words the other fields see.
_WORDS = re.compile(r"\w+(?:\.?\w+)*")


def spelling_words(text: str) -> str:
    """The distinct folded words of ``text``, space-separated: the dictionary behind
    "did you mean". Folded and deduplicated here, in C-speed string operations, because
    analysing a whole story a third time in Whoosh's Python filters cost a quarter of
    every reindex; the field only needs to know which words exist."""
    return " ".join(dict.fromkeys(_WORDS.findall(text.lower().translate(accent_map))))


def spelling_analyzer() -> Analyzer:
    """Splits what ``spelling_words`` made (it is already lowercase and folded)."""
    return SpaceSeparatedTokenizer()


# Text fields a query searches, with their weight.
TEXT_FIELDS = {"title_nl": 3.0, "title_en": 3.0, "body_nl": 1.0, "body_en": 1.0}
# Names a person may type before a colon, and the field each one means.
FIELD_ALIASES = {
    "title": "title_en",
    "body": "body_en",
    "theme": "themes",
    "author": "author_kind",
    "kind": "author_kind",
    "lang": "language",
}
USER_FIELDS = ("team", "channel", "theme", "language", "author", "title", "body")


def _label() -> KEYWORD:
    """A single lowercase value (slug) for filters and facets; ``team:Retail`` works."""
    return KEYWORD(stored=True, lowercase=True, sortable=True, scorable=False)


def build_schema() -> Schema:
    dutch, english = dutch_analyzer(), english_analyzer()
    return Schema(
        story_id=ID(stored=True, unique=True),
        title_nl=TEXT(analyzer=dutch, field_boost=TEXT_FIELDS["title_nl"]),
        title_en=TEXT(analyzer=english, field_boost=TEXT_FIELDS["title_en"]),
        body_nl=TEXT(analyzer=dutch),
        body_en=TEXT(analyzer=english),
        spelling=TEXT(analyzer=spelling_analyzer(), phrase=False, spelling=True),
        title=STORED(),
        text=STORED(),
        team=_label(),
        team_name=STORED(),
        channel=_label(),
        themes=KEYWORD(stored=True, commas=True, scorable=False, lowercase=True),
        author_kind=_label(),
        author_name=STORED(),
        language=_label(),
        period=ID(stored=True, sortable=True),
        published=DATETIME(stored=True, sortable=True),
        kudos=NUMERIC(stored=True, sortable=True),
        featured=BOOLEAN(stored=True),
    )
