"""The fused analyzer gives exactly what Whoosh's filter chain gives: the same words,
positions, character offsets and stop-word marks, in every mode the index, the query
parser and the highlighter use."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import TEXT as WhooshText
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

from storyboard.search.analysis import (
    PARTS_MARK,
    FoldedStemAnalyzer,
    TermPositions,
    TermText,
    fold,
)

MODES: list[dict[str, Any]] = [
    {"positions": True, "mode": "index"},
    {"positions": True, "chars": True, "removestops": False, "mode": "index"},
    {"positions": True, "chars": True, "start_pos": 3, "start_char": 7},
    {"mode": "query"},
    {"mode": "query", "no_morph": True},
    {"tokenize": False, "positions": True, "chars": True},
    {"keeporiginal": True, "positions": True},
]
SAMPLES = [
    "De bestellingen waren te laat, maar de klant kreeg een verjaardagscadeau!",
    "Late deliveries: she apologised and refunded the café order (3.141 big-time).",
    "**Wat ik deed** — ik belde terug; *niet* volgens het script. e-mail: a.b@c.nl",
    "  ",
    "",
    "de het een",
    "ÉÉN café ÇA ñandú straße İstanbul ΟΔΟΣ ǅ",
    "wild*card te?t under_score 1.2.3 ...dots... x" * 3,
]
# Text a story could hold: Dutch and English letters, accents, digits, punctuation,
# Markdown marks, whitespace, and a few scripts and symbols beyond.
TEXT = st.lists(
    st.sampled_from(
        [
            *list("abcdeèéëfghijklmnopqrstuvwxyzABCDÉZ0123456789 .,;:!?*_-'\"()\n\t"),
            "de ",
            "het ",
            "the ",
            "and ",
            "één",
            "ß",
            "İ",
            "Σ",
            "ς",
            "ǅ",
            "ﬁ",
            "²",
            "🎂",
            "مرحبا",
        ]
    ),
    max_size=120,
).map("".join)


def whoosh_chain(lang: str) -> Analyzer:
    """The chain the fused analyzer replaces, built from Whoosh's own parts."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=frozenset(stopwords_for_language(lang)), minsize=1, renumber=False)
        | StemFilter(stemfn=stemmer_for_language(lang), cachesize=50000)
    )


def tokens(analyzer: Analyzer, text: str, options: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            t.text,
            getattr(t, "pos", None) if options.get("positions") else None,
            (t.startchar, t.endchar) if options.get("chars") else None,
            t.stopped,
            t.boost,
            getattr(t, "original", None),
        )
        for t in analyzer(text, **options)
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("options", MODES)
@pytest.mark.parametrize("text", SAMPLES)
def test_the_fused_analyzer_equals_whooshs_chain(
    lang: str, options: dict[str, Any], text: str
) -> None:
    assert tokens(FoldedStemAnalyzer(lang), text, options) == tokens(
        whoosh_chain(lang), text, options
    )


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXT, lang=st.sampled_from(["nl", "en"]), options=st.sampled_from(MODES))
def test_the_fused_analyzer_equals_whooshs_chain_on_any_text(
    text: str, lang: str, options: dict[str, Any]
) -> None:
    assert tokens(FoldedStemAnalyzer(lang), text, options) == tokens(
        whoosh_chain(lang), text, options
    )


def index_values(fmt: Positions, analyzer: Analyzer, text: str) -> list[tuple[Any, ...]]:
    return sorted(fmt.word_values(text, analyzer, mode="index"))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    text=TEXT | st.sampled_from(SAMPLES),
    parts=st.sampled_from(["", f"{PARTS_MARK}verjaardag cadeau", f"{PARTS_MARK}bel"]),
    lang=st.sampled_from(["nl", "en"]),
)
def test_term_positions_index_what_the_analyzer_yields(text: str, parts: str, lang: str) -> None:
    """The one-loop index path writes the same terms, positions and bytes as Whoosh's
    Positions format does over the analyzer's tokens, compound parts included; and
    again for the same words (the second time from the analyzer's word cache)."""
    analyzer = FoldedStemAnalyzer(lang)
    for _ in range(2):
        fast = index_values(TermPositions(field_boost=3.0), analyzer, text + parts)
        assert fast == index_values(Positions(field_boost=3.0), analyzer, text + parts)
    whooshs = WhooshText(analyzer=analyzer, field_boost=3.0)
    assert sorted(TermText(analyzer, 3.0).index(text + parts)) == sorted(
        whooshs.index(text + parts)
    )


def test_term_positions_leave_other_modes_to_the_tokens() -> None:
    """Outside indexing (a query) compound parts are not added: the tokens decide."""
    analyzer, text = FoldedStemAnalyzer("nl"), f"de klant belde{PARTS_MARK}bel"
    words = list(TermPositions().word_values(text, analyzer, mode="query"))
    assert words == list(Positions().word_values(text, analyzer, mode="query"))
    assert "bel" not in {word for word, *_ in words}


def test_folding_changes_only_what_translating_every_letter_does() -> None:
    every_letter = "".join(map(chr, range(0x2FF))) + "".join(SAMPLES) + "ΟΔΟΣ ǅ ﬁ İ ẞ"
    assert fold(every_letter) == every_letter.lower().translate(accent_map)
    assert fold("Klant") == "klant"


def test_it_survives_the_index_pickling_its_schema() -> None:
    import pickle

    analyzer = pickle.loads(pickle.dumps(FoldedStemAnalyzer("nl")))
    assert analyzer == FoldedStemAnalyzer("nl") != FoldedStemAnalyzer("en")
    assert [t.text for t in analyzer("verjaardagen bestellingen")] == ["verjaardag", "bestell"]
    assert analyzer.term_positions("de verjaardagen") == {"verjaardag": [1]}
    assert "_terms" not in pickle.loads(pickle.dumps(analyzer)).__getstate__()


# Compound splitting, measured on a set of our own: (compound, word typed, should find).
COMPOUNDS = [
    ("verjaardagscadeau", "verjaardag", True),
    ("verjaardagscadeau", "cadeau", True),
    ("pakketbezorging", "bezorging", True),
    ("pakketbezorging", "pakket", True),
    ("klantvriendelijkheid", "klant", True),
    ("klantvriendelijkheid", "vriendelijkheid", True),
    ("huisbezoek", "bezoek", True),
    ("reiskosten", "reis", True),
    ("reiskosten", "kosten", True),
    ("retourzending", "zending", True),
    ("internetverbinding", "internet", True),
    ("internetverbinding", "verbinding", True),
    ("ordernummer", "nummer", True),
    ("wachtwoord", "woord", True),
    ("klantenservice", "klant", True),
    ("klantenservice", "service", True),
    ("terugbetaling", "betaling", True),
    ("pakketbezorgingsdienst", "bezorging", True),
    ("pakketbezorgingsdienst", "dienst", True),
    ("telefoonnummer", "telefoon", True),
    ("telefoonnummer", "nummer", True),
    ("betaalverzoek", "verzoek", True),
    ("energierekening", "rekening", True),
    ("klachtenformulier", "formulier", True),
    ("bezorgadres", "adres", True),
    ("wachttijd", "tijd", True),  # a last part of 4 letters after a first of 5 or more
    ("tussentijd", "tijd", True),
    ("adresboek", "boek", True),
    ("achterdeur", "deur", True),
    ("spoedklus", "klus", True),
    ("overstappen", "stappen", True),  # not overs|tappen
    ("verzekeringsmaatschappij", "verzekering", True),
    ("verzekeringsmaatschappij", "maatschappij", True),
    ("verrekijker", "kijker", True),
    # Pieces that are not parts: substrings, suffixes and words inside words.
    ("rekening", "rek", False),
    ("rekening", "ring", False),
    ("levering", "ring", False),
    ("leveringen", "ringen", False),
    ("verjaardagscadeau", "jaar", False),
    ("verjaardagscadeau", "dag", False),
    ("klantvriendelijkheid", "vriend", False),
    ("bestelling", "telling", False),
    ("bestelling", "stel", False),
    ("retourzending", "ending", False),
    ("wasmachine", "was", False),
    ("magazijn", "zijn", False),
    ("vertraging", "raging", False),
    ("verdieping", "pingen", False),
    ("honderden", "honden", False),
    ("afgehandeld", "handel", False),
    ("telefoontje", "foon", False),
    ("servicedesk", "ice", False),
    ("gefactureerd", "tureer", False),
    ("abonnement", "nement", False),
    ("vriendelijk", "lijk", False),  # suffixes that are words too
    ("vriendelijkheid", "heid", False),
    ("bestelling", "ling", False),
    ("betaalbaar", "baar", False),
    ("vervelend", "lend", False),  # a present participle's end
    ("opvallend", "lend", False),
    ("afdeling", "ling", False),
    ("reservering", "ring", False),  # -ing nouns' ends
    ("waardering", "ring", False),
    ("verzending", "ding", False),
    ("verpakking", "king", False),
    ("opzegging", "ging", False),
    ("belangrijk", "rijk", False),
    ("medewerkster", "ster", False),
    # A verb's prefix and a letter or two are no first part of its -ing noun.
    ("verzekering", "kering", False),
    ("vergadering", "adering", False),
    ("verwachting", "achting", False),
    ("herinnering", "nering", False),
    ("overstappen", "tappen", False),
    ("sindsdien", "dien", False),
]


def test_compound_parts_find_their_words_and_nothing_else() -> None:
    """Precision must stay perfect on this set; recall is measured (and bounded)."""
    from whoosh.lang import stemmer_for_language

    from storyboard.search.analysis import split_compound

    stem = stemmer_for_language("nl")
    found = {
        (compound, word): stem(word) in split_compound(compound) for compound, word, _ in COMPOUNDS
    }
    wrong = [(c, w) for c, w, expected in COMPOUNDS if not expected and found[(c, w)]]
    positives = [(c, w) for c, w, expected in COMPOUNDS if expected]
    recall = sum(found[pair] for pair in positives) / len(positives)
    assert not wrong, f"parts that are not parts: {wrong}"
    assert recall >= 0.9, f"recall {recall:.2f}: {[p for p in positives if not found[p]]}"


# Past participles and the verb a search for it should find them by (None: not a
# participle, or one whose verb shares its stem already).
PARTICIPLES = [
    ("opgelost", "oplossen"),
    ("geholpen", "helpen"),
    ("gebeld", "bellen"),
    ("teruggebeld", "terugbellen"),
    ("gestuurd", "sturen"),
    ("doorgestuurd", "doorsturen"),
    ("teruggestort", "terugstorten"),
    ("geannuleerd", "annuleren"),
    ("gewerkt", "werken"),
    ("gezet", "zetten"),
    ("geland", "landen"),
    ("gereisd", "reizen"),
    ("geleefd", "leven"),
    ("opgehaald", "ophalen"),
    ("uitgelegd", "uitleggen"),
    ("aangenomen", "aannemen"),
    ("gekocht", "kopen"),
    ("gebracht", "brengen"),
    ("gevonden", "vinden"),
    ("gemaild", "mailen"),
    ("gefietst", "fietsen"),
    ("gecontroleerd", "controleren"),
    ("vergoed", None),  # vergoeden: the same stem already
    ("herstart", None),
    ("gezond", None),
    ("gesprek", None),
    ("gezicht", None),
    ("gewicht", None),
    ("gebied", None),
    ("geleden", None),  # "two weeks ago", not "suffered" in a service story
    ("gemiddeld", None),
    ("gebouw", None),
    ("geld", None),
    ("gedicht", None),
    ("gebruikt", None),  # gebruiken: "ge" is part of the verb
    ("gebed", None),
    ("gebit", None),
    ("geluid", None),
    ("gerecht", None),
    ("geweld", None),
    ("geschenk", None),
    ("getal", None),
]


# Simple past tenses and the verb they should be found by (None: not a past tense, or
# one whose verb shares its stem already).
PAST_TENSES = [
    ("belde", "bellen"),
    ("belden", None),  # plurals: the shape of a noun's plural ("banden")
    ("banden", None),
    ("kasten", None),
    ("wenden", None),
    ("werkte", "werken"),
    ("stuurde", "sturen"),
    ("reisde", "reizen"),
    ("regelde", "regelen"),
    ("mailde", "mailen"),
    ("annuleerde", "annuleren"),
    ("rekende", "rekenen"),
    ("kende", "kennen"),
    ("hielp", "helpen"),
    ("kwam", "komen"),
    ("kreeg", "krijgen"),
    ("zocht", "zoeken"),
    ("wachtte", None),  # wachten: the same stem already
    ("meldde", None),
    ("beste", None),
    ("harde", None),
    ("verkeerde", None),  # wrong, not verkeren
    ("tweede", None),
    ("vierde", None),
    ("dezelfde", None),
    ("volgende", None),  # volgen-de: a present participle
    ("werkende", None),
    ("handen", None),
    ("tijden", None),
    ("klanten", None),
    ("minuten", None),
    ("pakketten", None),
    ("goede", None),
    ("laatste", None),
    ("geleden", None),
    ("namen", None),  # names, not nemen
    ("reden", None),  # a reason, not rijden
    ("vroeg", None),  # early, as often as asked
    ("liefde", None),
    ("bekende", None),
    ("zonde", None),
    ("steeg", None),  # an alley as often as rose
    ("bond", None),
    ("hielpen", "helpen"),  # strong verbs' plurals come from the table
    ("kwamen", "komen"),
]


@pytest.mark.parametrize(("word", "verb"), PARTICIPLES + PAST_TENSES)
def test_a_participle_or_past_tense_adds_its_verbs_stem_and_nothing_else_does(
    word: str, verb: str | None
) -> None:
    from whoosh.lang import stemmer_for_language

    from storyboard.search.analysis import added_stems, verb_stem

    stem = stemmer_for_language("nl")
    expected = None if verb is None else stem(verb)
    assert verb_stem(word) == expected
    if expected is not None:
        assert expected in added_stems(["de", word, "klant"])
