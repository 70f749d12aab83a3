"""Analyzers and the Whoosh schema.

Every story is indexed twice: once with the Dutch Snowball stemmer and once with the
English Porter stemmer, whatever its language tag. Dutch service stories are full of
English words ("refund", "deliveries") and vice versa, and a wrong language tag must not
make a story unfindable; a query is matched against both fields, each analysed with its
own stemmer. Accents are folded before stemming, so ``cafe`` finds ``café``.

Dutch compounds are split at index time (``added_stems``): the Dutch copy of a story
also holds the stems of the two parts of each compound, after a gap of
``PARTS_GAP`` positions (so no phrase runs into them), so ``verjaardag`` finds
"verjaardagscadeau". A part must be a word of the OpenTaal Dutch word list
(``data/nl_stems.txt.gz``, see ``data/README.md``), never just a substring. Past
participles add their verb's stem the same way (``participles``): ``oplossen`` finds
"opgelost", ``helpen`` "geholpen".
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from pickle import dumps
from typing import Any

from whoosh.analysis import Analyzer, SpaceSeparatedTokenizer, Token
from whoosh.analysis.tokenizers import default_pattern as _TOKEN
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from storyboard.search.participles import (
    STRONG_PAST,
    infinitive_candidates,
    past_tense_candidates,
)

# Whoosh's RegexTokenizer's default pattern: the words the other fields see.
_WORDS = re.compile(r"\w+(?:\.?\w+)*")
# The analyzers' tokens: Whoosh's default tokenizer pattern (``_TOKEN``, which keeps
# ``*`` for wildcards) with its group made non-capturing, so ``findall`` returns tokens.
_TOKENS = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


# -- Dutch compounds ------------------------------------------------------------------
STEMS_FILE = Path(__file__).with_name("data") / "nl_stems.txt.gz"
# Only words this long are tried; each part needs at least these many letters: shorter
# parts ("rek", "dag", "ring") are mostly not parts but pieces of other words.
MIN_COMPOUND_CHARS = 9
MIN_HEAD_CHARS = 4
MIN_TAIL_CHARS = 5
# A last part of 4 letters ("wacht|tijd", "adres|boek", "achter|deur") counts after a
# first part this long: behind a short one it is mostly the end of another word
# ("leve|ring"). Suffixes that are also words never count: "vriendelijk" is not
# "vriend" + "lijk" (a corpse), "belangrijk" not "… rijk", and neither do the ends of
# -ing nouns and present participles: "reservering" is not "reserv" + "ring",
# "verzending" not "… ding", "vervelend" not "verve" + "lend".
SHORT_TAIL_CHARS = 4
MIN_HEAD_BEFORE_SHORT_TAIL = 5
SUFFIX_WORDS = frozenset({"baar", "heid", "lijk", "ling", "loos", "rijk", "ster", "zaam"})
# The word list's stems are this long at least (data/README.md).
MIN_LISTED_STEM = 4
# What may join two parts: "verjaardag-s-cadeau", "boek-en-kast", "zonne-bril".
LINKS = ("", "s", "en", "e")
# The -ing noun of a verb with an unstressed prefix is not split after the prefix and a
# letter or two, whatever stem those match: "verze|kering" is verzekering (insurance),
# "verg|adering" vergadering, "herin|nering" herinnering, "verw|achting" verwachting.
PREFIXES = ("ver", "her", "ont")
PREFIX_REST_CHARS = 2
# Positions between a field's own words and its compound parts.
PARTS_GAP = 64
# Separates a field's text from its parts in the value Whoosh analyses.
PARTS_MARK = "\ue002"


@cache
def known_stems() -> frozenset[str]:
    """Dutch Snowball stems of the OpenTaal word list (loaded once, ~20 MB)."""
    with gzip.open(STEMS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


_dutch_stem = lru_cache(maxsize=200_000)(stemmer_for_language("nl"))


def _not_a_head(word: str, head: str) -> bool:
    """``head`` cannot be ``word``'s first part: a prefix and a letter or two of an -ing
    noun, or a word with the joint "s" of the split one letter shorter stuck to it
    ("overs|tappen" is over|s|tappen, which loses to over|stappen; "fiets|koerier" is
    found as fiet|s|koerier, the same stems)."""
    if word.endswith(("ing", "ingen")) and head.startswith(PREFIXES):
        return len(head) - 3 <= PREFIX_REST_CHARS
    return head.endswith("s") and _dutch_stem(head[:-1]) == _dutch_stem(head)


def _suffix(tail: str) -> bool:
    """A short last part that is a word's ending rather than a word of its own."""
    return len(tail) == SHORT_TAIL_CHARS and (tail in SUFFIX_WORDS or tail.endswith(("end", "ing")))


@lru_cache(maxsize=200_000)
def compound_words(word: str) -> tuple[str, ...]:
    """The parts of ``word`` (folded, lowercase) as words, or () when it is not a
    compound of two known words. Of the possible splits the most even one wins
    (``pakket|bezorging``); a long first part is split once more
    (``pakketbezorging|s|dienst`` → pakket, bezorging, pakketbezorging, dienst)."""
    if len(word) < MIN_COMPOUND_CHARS or not word.isalpha():
        return ()
    stems = known_stems()
    # The most even split; of equals the longer last part, then the shorter first part
    # (the joint "s" belongs to neither: "verjaardag|s|cadeau", not "verjaardags|cadeau").
    best: tuple[int, int, int, str, str] | None = None
    for cut in range(MIN_HEAD_CHARS, len(word) - SHORT_TAIL_CHARS + 1):
        head = word[:cut]
        if _not_a_head(word, head) or (_dutch_stem(head) not in stems and not compound_words(head)):
            continue
        rest = word[cut:]
        shortest = SHORT_TAIL_CHARS if cut >= MIN_HEAD_BEFORE_SHORT_TAIL else MIN_TAIL_CHARS
        for link in LINKS:
            tail = rest[len(link) :]
            fits = rest.startswith(link) and len(tail) >= shortest and not _suffix(tail)
            if fits and _dutch_stem(tail) in stems:
                score = (min(len(head), len(tail)), len(tail), -len(head), head, tail)
                best = score if best is None or score > best else best
    if best is None:
        return ()
    head, tail = best[3], best[4]
    return tuple(dict.fromkeys([*compound_words(head), head, tail]))


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The stems of ``compound_words(word)``: what the Dutch copy indexes."""
    return tuple(dict.fromkeys(_dutch_stem(part) for part in compound_words(word)))


@lru_cache(maxsize=200_000)
def verb_stem(word: str) -> str | None:
    """The stem of the verb ``word`` (folded) is the past participle or past tense of,
    when that verb is a word of the Dutch list and its stem is not the word's own
    (``vergoed``); see ``participles``. The list leaves out stems under four letters, so
    a participle's short one is taken on the rules' word when it is their first guess
    (ge-zet → zetten); a past tense's only from the strong verbs' table (kwam → komen)."""
    stems = known_stems()
    for index, verb in enumerate(infinitive_candidates(word)):
        stem = _dutch_stem(verb)
        if stem in stems or (index == 0 and len(stem) < MIN_LISTED_STEM):
            return None if stem == _dutch_stem(word) else stem
    if word.endswith("ende") and _dutch_stem(word[:-2]) in stems:
        return None  # a present participle: "volgende" is volgen-de, not a past tense
    for verb in past_tense_candidates(word):
        stem = _dutch_stem(verb)
        if stem in stems or word in STRONG_PAST:
            return None if stem == _dutch_stem(word) else stem
    return None


def added_stems(words: Iterable[str]) -> list[str]:
    """What the Dutch copy of a text holds after its own words (``PARTS_GAP``): the
    stems of its compounds' parts and of the verbs of its past participles."""
    added: dict[str, None] = {}
    for word in dict.fromkeys(words):
        for part in split_compound(word):
            added[part] = None
        verb = verb_stem(word)
        if verb is not None:
            added[verb] = None
    return list(added)


def fold(text: str) -> str:
    """``text`` lowercase without accents: ``text.lower().translate(accent_map)``, with
    only the runs of non-ASCII letters translated (the map leaves lowercase ASCII as it
    is), because translating a whole story letter by letter is slow."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _NON_ASCII.sub(lambda run: run.group(0).translate(accent_map), lowered)


def folded_words(text: str) -> list[str]:
    """The words of ``text`` as the analyzers see them, lowercase without accents."""
    return _WORDS.findall(fold(text))


class FoldedStemAnalyzer(Analyzer):
    """Whoosh's ``RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map) |
    StopFilter(minsize=1) | StemFilter`` in one generator: the same tokens, positions,
    offsets and stop-word marks (``tests/search/test_analysis.py`` compares the two on
    generated text), in about 60 % of the time. Each story is analysed for two
    languages and four fields, so this is most of a reindex's analysis work: five
    chained Python generators per token cost more than the stemming itself.
    """

    is_morph = True

    def __init__(self, lang: str, cachesize: int = 50_000) -> None:
        self.lang = lang
        self.cachesize = cachesize
        self.stops = frozenset(stopwords_for_language(lang))
        self._stem = self._cached_stemmer()
        # Each word as written → its indexed term ("": none, a stop word); term_positions.
        self._terms: dict[str, str] = {}

    def _cached_stemmer(self) -> Callable[[str], str]:
        return lru_cache(maxsize=self.cachesize)(stemmer_for_language(self.lang))

    # The index keeps its schema pickled; the cached stemmer is rebuilt, not stored.
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_stem", "_terms")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._stem = self._cached_stemmer()
        self._terms = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldedStemAnalyzer) and other.lang == self.lang

    def __hash__(self) -> int:
        return hash((type(self), self.lang))

    def has_morph(self) -> bool:
        return True

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        value, _, parts = value.partition(PARTS_MARK)
        last = yield from self._words(
            token,
            value,
            positions,
            chars,
            keeporiginal,
            removestops,
            start_pos,
            start_char,
            tokenize,
            no_morph,
        )
        if parts and mode == "index" and not chars:
            # Compound parts and verbs (already stems), after a gap: ``added_stems``.
            position = (last if last is not None else start_pos) + PARTS_GAP
            for index, part in enumerate(parts.split()):
                token.boost, token.stopped, token.text = 1.0, False, part
                if positions:
                    token.pos = position + index
                yield token

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each indexed term of ``value`` with its positions: what indexing through
        ``__call__`` (``mode="index"``, positions, stop words removed) yields, computed
        in one loop. Whoosh's Positions format asks for a Token per word and a rebuild
        makes over a million of them for 3,000 stories; here a word seen before costs
        one dictionary look-up (``tests/search/test_analysis.py`` compares the two)."""
        text, _, parts = value.partition(PARTS_MARK)
        terms, stops, stem = self._terms, self.stops, self._stem
        positions: dict[str, list[int]] = {}
        position = None
        for index, original in enumerate(_TOKENS.findall(text)):
            term = terms.get(original)
            if term is None:
                folded = fold(original)
                term = stem(folded) if folded and folded not in stops else ""
                if len(terms) >= self.cachesize:
                    terms.clear()
                terms[original] = term
            if not term:
                continue
            position = index
            found = positions.get(term)
            if found is None:
                positions[term] = [position]
            else:
                found.append(position)
        if parts:
            first = (position if position is not None else 0) + PARTS_GAP
            for index, part in enumerate(parts.split()):
                positions.setdefault(part, []).append(first + index)
        return positions

    def _words(
        self,
        token: Token,
        value: str,
        positions: bool,
        chars: bool,
        keeporiginal: bool,
        removestops: bool,
        start_pos: int,
        start_char: int,
        tokenize: bool,
        no_morph: bool,
    ) -> Generator[Token, None, int | None]:
        """The field's own words; returns the last position used (None: no words)."""
        stops, stem = self.stops, (None if no_morph else self._stem)
        spans: Iterator[tuple[str, int, int]]
        if tokenize:
            spans = ((m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(value))
        else:
            spans = iter(((value, 0, len(value)),))
            keeporiginal = True  # as RegexTokenizer does for an untokenized value
        # StopFilter(renumber=False): a word keeps its place, a stop word leaves a gap
        # (``phrases``).
        position = None
        for index, (original, start, end) in enumerate(spans):
            text = original.lower().translate(accent_map)
            token.boost = 1.0
            if keeporiginal:
                token.original = original
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            if text and text not in stops:
                if positions:
                    position = start_pos + index
                    token.pos = position
                token.stopped = False
                token.text = stem(text) if stem is not None else text
                yield token
            elif not removestops:
                if positions:
                    token.pos = start_pos + index
                token.stopped = True
                token.text = text
                yield token
        return position


class TermPositions(Positions):
    """Whoosh's Positions format (the same bytes), taking each term's positions from
    ``FoldedStemAnalyzer.term_positions`` when a document is indexed."""

    def word_values(
        self, value: str, analyzer: Analyzer, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if kwargs.get("mode") != "index" or not isinstance(analyzer, FoldedStemAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        for term, freq, weight, encoded in self.postings(value, analyzer):
            yield term.decode("utf-8"), freq, weight, encoded

    def postings(
        self, value: str, analyzer: FoldedStemAnalyzer
    ) -> list[tuple[bytes, int, float, bytes]]:
        """(term as UTF-8, frequency, weight, encoded positions) of each term of
        ``value``: what ``TermText.index`` hands the writer."""
        boost = self.field_boost
        out = []
        for term, found in analyzer.term_positions(value).items():
            if len(found) == 1:  # most words occur once in a field: encoded once
                out.append((term.encode("utf-8"), 1, boost, _one_position(found[0])))
                continue
            deltas, last = [], 0
            for position in found:
                deltas.append(position - last)
                last = position
            out.append((term.encode("utf-8"), len(found), len(found) * boost, _encoded(deltas)))
        return out


class TermText(TEXT):
    """A text field with positions (for phrases) that indexes a story's text through
    ``TermPositions.postings`` in one call, not Whoosh's generator per term."""

    def __init__(self, analyzer: Analyzer, boost: float = 1.0) -> None:
        super().__init__(analyzer=analyzer, field_boost=boost)
        self.format = TermPositions(field_boost=boost)

    def index(self, value: Any, **kwargs: Any) -> Any:
        fmt, analyzer = self.format, self.analyzer
        plain = isinstance(value, str) and kwargs.get("mode", "index") == "index"
        if plain and isinstance(fmt, TermPositions) and isinstance(analyzer, FoldedStemAnalyzer):
            return fmt.postings(value, analyzer)
        return super().index(value, **kwargs)


def _encoded(deltas: list[int]) -> bytes:
    """Whoosh's Positions encoding of a posting's position deltas."""
    return pack_uint(len(deltas)) + dumps(deltas, 2)


@lru_cache(maxsize=65_536)
def _one_position(position: int) -> bytes:
    return _encoded([position])


def dutch_analyzer() -> Analyzer:
    return FoldedStemAnalyzer("nl")


def english_analyzer() -> Analyzer:
    return FoldedStemAnalyzer("en")


def spelling_words(text: str) -> str:
    """The distinct folded words of ``text``, space-separated: the dictionary behind
    "did you mean". Folded and deduplicated here, in C-speed string operations, because
    analysing a whole story a third time in Whoosh's Python filters cost a quarter of
    every reindex; the field only needs to know which words exist."""
    return " ".join(dict.fromkeys(folded_words(text)))


def dictionary_words(words: list[str]) -> str:
    """The distinct ``words`` (``folded_words`` of a story) plus the parts of their
    compounds, space-separated: the word list behind "did you mean" and ``word*`` (so
    ``bezorgi*`` finds "pakketbezorging"). Takes the words already folded, as the
    compound split needs them too: folding a story's text once, not three times, is a
    measurable part of a rebuild."""
    known = dict.fromkeys(words)
    parts = {part for word in known for part in compound_words(word)}.difference(known)
    return " ".join([*known, *sorted(parts)])


def spelling_analyzer() -> Analyzer:
    """Splits what ``spelling_words`` made (it is already lowercase and folded)."""
    return SpaceSeparatedTokenizer()


# A rebuild writes the "did you mean" words of each batch of stories into one word-list
# document (``WORD_LIST``, only ``spelling`` besides), not into every story's own
# ``spelling`` field: a story's words made a third of the postings a rebuild writes.
# Saves keep writing a story's words into its own document.
WORD_LIST_FIELD = "word_list"
WORD_LIST = "1"

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
        title_nl=TermText(dutch, TEXT_FIELDS["title_nl"]),
        title_en=TermText(english, TEXT_FIELDS["title_en"]),
        body_nl=TermText(dutch),
        body_en=TermText(english),
        spelling=TEXT(analyzer=spelling_analyzer(), phrase=False, spelling=True),
        word_list=ID(),
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
