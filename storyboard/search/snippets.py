"""Snippets a person reads, made the same way for both backends.

A snippet is the best sentence of a story (the one with the most distinct query words,
the earliest of equals), followed by the next ones while they fit in ``SNIPPET_CHARS``;
it starts at the beginning of a sentence, or, when that sentence is too long, at a word
before the first match, with "…". Blocks of the story (a heading, a list item, a
paragraph) stay apart with " · ", so a heading never runs into the text. Only words
that match the query are marked: the same word (stemmed in Dutch or English), a
compound containing it, a word that starts with a ``prefix*``; never a stop word on its
own. The text is escaped here; the marks are the only markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import query as wq

from storyboard.search.analysis import build_schema, fold, split_compound
from storyboard.search.query import ANY_STOP_WORD, parse_query

SNIPPET_CHARS = 240
SCAN_CHARS = 4000
BLOCK_SEPARATOR = " · "
# A sentence ends at . ! ? (and closing quotes) followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_WORD = re.compile(r"\w+(?:\.?\w+)*")
_SCHEMA = build_schema()
_ANALYZERS = {"nl": _SCHEMA["body_nl"].analyzer, "en": _SCHEMA["body_en"].analyzer}
_PREFIX = re.compile(r"(?<![\w*])([^\W_][\w'-]{2,})\*")
# Answers per word a remembered query keeps at most.
KNOWN_WORDS = 20_000


@dataclass(frozen=True)
class QueryWords:
    """What marks a word in a snippet: stems per language and typed prefixes."""

    stems: dict[str, frozenset[str]] = field(default_factory=dict)
    prefixes: tuple[str, ...] = ()
    # Answers per word for this search: a page's snippets repeat most words.
    _known: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return any(self.stems.values()) or bool(self.prefixes)

    def matches(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= KNOWN_WORDS:  # kept between searches: stay bounded
                self._known.clear()
            known = self._known[word] = self._matches(word)
        return known

    def _matches(self, word: str) -> bool:
        folded = fold(word)
        if folded in ANY_STOP_WORD:
            return False
        if folded.startswith(self.prefixes) and self.prefixes:
            return True
        for lang, stems in self.stems.items():
            if not stems:
                continue
            stem = _stem(lang, folded)
            if stem in stems:
                return True
            if lang == "nl" and stems.intersection(split_compound(folded)):
                return True
        return False


@lru_cache(maxsize=100_000)
def _stem(lang: str, folded: str) -> str:
    tokens = [token.text for token in _ANALYZERS[lang](folded, removestops=False)]
    return tokens[0] if tokens else folded


@lru_cache(maxsize=256)
def query_words(text: str) -> QueryWords:
    """The positive words of a query (not those after ``-`` or ``NOT``), parsed as
    Whoosh parses them, whichever backend searched. Remembered per text (a pure function
    of it), with the answers per word: parsing costs as much as the search's own parse,
    and the queries people type repeat."""
    if not text:
        return QueryWords()
    parsed, _ = parse_query(_PREFIX.sub(" ", text), _SCHEMA)
    stems: dict[str, set[str]] = {"nl": set(), "en": set()}
    _collect(parsed, stems)
    prefixes = tuple(dict.fromkeys(fold(m) for m in _PREFIX.findall(text)))
    return QueryWords({k: frozenset(v) for k, v in stems.items()}, prefixes)


def _collect(query: wq.Query, stems: dict[str, set[str]]) -> None:
    if isinstance(query, wq.Not):
        return
    if isinstance(query, wq.Term | wq.Phrase):
        lang = query.fieldname.rsplit("_", 1)[-1] if query.fieldname else ""
        if lang in stems:
            words = [query.text] if isinstance(query, wq.Term) else list(query.words)
            stems[lang].update(str(word) for word in words)
        return
    for sub in query.children():
        _collect(sub, stems)


def _blocks(text: str) -> list[list[str]]:
    """The text's blocks (lines), each as its sentences."""
    blocks = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            blocks.append([s for s in _SENTENCE_END.split(line) if s])
    return blocks


def _mark(sentence: str, words: QueryWords) -> str:
    out, last = [], 0
    for match in _WORD.finditer(sentence):
        if words.matches(match.group(0)):
            out.append(html.escape(sentence[last : match.start()], quote=False))
            out.append(f"<mark>{html.escape(match.group(0), quote=False)}</mark>")
            last = match.end()
    out.append(html.escape(sentence[last:], quote=False))
    return "".join(out)


def _shortened(sentence: str, words: QueryWords, limit: int) -> str:
    """A too-long sentence cut at word boundaries around its first match."""
    first = next((m.start() for m in _WORD.finditer(sentence) if words.matches(m.group(0))), 0)
    start = 0
    if first > limit // 3:
        start = sentence.rfind(" ", 0, first - limit // 4) + 1
    end = sentence.rfind(" ", start, start + limit) if len(sentence) - start > limit else -1
    piece = sentence[start : end if end > start else len(sentence)]
    return ("… " if start else "") + _mark(piece, words) + (" …" if end > start else "")


def make_snippet(text: str, words: QueryWords, limit: int = SNIPPET_CHARS) -> str:
    """HTML for the best part of ``text`` (see the module docstring). Only the first
    ``SCAN_CHARS`` characters are searched for the best sentence: the cost of a page
    of snippets stays bounded however long the stories are."""
    sentences = [
        (b, sentence) for b, block in enumerate(_blocks(text[:SCAN_CHARS])) for sentence in block
    ]
    if not sentences:
        return ""
    best = 0
    if words:
        # Each distinct word is asked once; a sentence's score is a set intersection.
        found = [_WORD.findall(sentence) for _, sentence in sentences]
        marked = {word for word in set().union(*found) if words.matches(word)}
        scores = [len(marked.intersection(sentence_words)) for sentence_words in found]
        best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    block, sentence = sentences[best]
    if len(sentence) > limit:
        return _shortened(sentence, words, limit)
    parts, used, previous = [_mark(sentence, words)], len(sentence), block
    for block, sentence in sentences[best + 1 :]:
        joint = BLOCK_SEPARATOR if block != previous else " "
        if used + len(joint) + len(sentence) > limit:
            parts.append(" …")
            break
        parts.append(joint + _mark(sentence, words))
        used += len(joint) + len(sentence)
        previous = block
    else:
        if len(text) > SCAN_CHARS:
            parts.append(" …")
    return ("… " if best else "") + "".join(parts)
