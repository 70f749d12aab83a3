"""Dutch past participles and past tenses, and the verbs they come from.

The Dutch stemmer leaves a participle as it is: "opgelost" stays "opgelost" while
"oplossen" becomes "oploss", so a search for the verb misses the story that says the
problem *was* solved. At index time (``analysis.added_stems``) each participle in a
story adds its verb's stem after the field's own words, as a compound adds its parts:
``oplossen`` finds "opgelost", ``bellen`` "gebeld", ``helpen`` "geholpen".

A participle is recognised by its shape — an optional separable prefix ("op", "terug"),
``ge``, a root, and ``t``/``d`` (weak verbs: ge-bel-d) or an irregular form from the
table below (strong verbs: geholpen) — and only kept when the verb it gives is a word
of the OpenTaal list. Verbs with an unstressed prefix ("vergoed", "herstart") need
nothing: their participle and verb share a stem already.

The simple past has the same trouble ("belde", "hielp"): a weak verb's is its root and
``de``/``te`` by the same 't kofschip rule, a strong verb's a form of its own
(``STRONG_PAST``, singular and plural). With no "ge" to mark it, many nouns and
adjectives have a past tense's shape ("beste", "liefde"), so a weak past tense is only
kept when its verb's stem is in the OpenTaal list, never on the rules' word alone, and
only in the singular: the plural ("belden") looks like a noun's plural ("banden").
"""

from __future__ import annotations

# Words a verb's particle may be (separable verbs put "ge" after it: "op-ge-lost").
SEPARABLE_PREFIXES = (
    "aan", "achter", "af", "bij", "binnen", "buiten", "dicht", "door", "in", "klaar",
    "langs", "los", "mee", "mis", "na", "neer", "om", "onder", "op", "open", "over",
    "rond", "samen", "tegen", "terecht", "terug", "thuis", "toe", "uit", "vast", "voor",
    "voorbij", "vrij", "weer", "weg",
)  # fmt: skip

# Strong and irregular verbs a service story uses: participle (without a particle) → verb.
STRONG_PARTICIPLES = {
    "gebeden": "bidden", "gebleven": "blijven", "geboden": "bieden", "gebogen": "buigen",
    "gebonden": "binden", "gebracht": "brengen", "gebroken": "breken", "gedaan": "doen",
    "gedacht": "denken", "gedragen": "dragen", "gedreven": "drijven", "gedronken": "drinken",
    "gegaan": "gaan", "gegeten": "eten", "gegeven": "geven", "gehad": "hebben",
    "gehangen": "hangen", "geheten": "heten", "geholpen": "helpen", "gehouden": "houden",
    "gekeken": "kijken", "gekocht": "kopen", "gekomen": "komen", "gekozen": "kiezen",
    "gekregen": "krijgen", "gelaten": "laten", "gelegen": "liggen",
    "gelezen": "lezen", "gelopen": "lopen", "gemeten": "meten", "genomen": "nemen",
    "genoten": "genieten", "geraden": "raden", "gereden": "rijden", "geroepen": "roepen",
    "geschoten": "schieten", "geschoven": "schuiven", "geschreven": "schrijven",
    "gesloten": "sluiten", "gesproken": "spreken", "gesprongen": "springen",
    "gestaan": "staan", "gestegen": "stijgen", "gestolen": "stelen", "gestorven": "sterven",
    "getrokken": "trekken", "gevallen": "vallen", "gevangen": "vangen", "gevochten": "vechten",
    "gevonden": "vinden", "gevraagd": "vragen", "gevlogen": "vliegen", "geweest": "zijn",
    "geweten": "weten", "gewezen": "wijzen", "gewogen": "wegen", "gewonnen": "winnen",
    "geworden": "worden", "gezegd": "zeggen", "gezeten": "zitten", "gezien": "zien",
    "gezocht": "zoeken", "gezonden": "zenden",
}  # fmt: skip

# Words of a participle's shape that a story uses as nouns or adjectives: "gezond" is
# not "zonnen", "gewicht" not "wichten" (tests/search/test_analysis.py, PARTICIPLES).
NOT_PARTICIPLES = frozenset({
    "gebed", "gebied", "gebit", "gebod", "gedicht", "geleden", "geluid", "gemiddeld",
    "genot", "gerecht", "gerucht", "geslacht", "gevecht", "geweld", "gewest", "gewicht",
    "gezicht", "gezond", "gebeurt", "geeft",
})  # fmt: skip

# Strong and irregular verbs' simple past, singular and plural → verb. Left out: forms
# that are as often a noun or adjective in a service story ("namen" names, "reden"
# reason, "vroeg" early, "sloten" locks, "vocht" damp, "maten" sizes, "stal" stable,
# "bond" union, "steeg" alley, "schoot" lap, "boog" arch, "dreef" lane) and those of
# verbs on the stop lists (was, had, werd, kon, zou, ...).
STRONG_PAST = {
    "bleef": "blijven", "bleven": "blijven", "bood": "bieden", "boden": "bieden",
    "bracht": "brengen", "brachten": "brengen", "brak": "breken", "braken": "breken",
    "deed": "doen", "deden": "doen", "dacht": "denken", "dachten": "denken",
    "droeg": "dragen", "droegen": "dragen", "dronk": "drinken", "ging": "gaan",
    "gingen": "gaan", "gaf": "geven", "gaven": "geven", "hing": "hangen",
    "hingen": "hangen", "hielp": "helpen", "hielpen": "helpen", "hield": "houden",
    "hielden": "houden", "keek": "kijken", "keken": "kijken", "kocht": "kopen",
    "kochten": "kopen", "kwam": "komen", "kwamen": "komen", "koos": "kiezen",
    "kozen": "kiezen", "kreeg": "krijgen", "kregen": "krijgen", "liet": "laten",
    "lieten": "laten", "lag": "liggen", "las": "lezen", "lazen": "lezen", "liep": "lopen",
    "liepen": "lopen", "nam": "nemen", "genoot": "genieten", "reed": "rijden",
    "riep": "roepen", "riepen": "roepen", "schoof": "schuiven", "schoven": "schuiven",
    "schreef": "schrijven", "schreven": "schrijven", "sprak": "spreken",
    "spraken": "spreken", "sprong": "springen", "sprongen": "springen", "stond": "staan",
    "stonden": "staan", "stierf": "sterven", "trok": "trekken", "trokken": "trekken",
    "viel": "vallen", "vielen": "vallen", "ving": "vangen", "vingen": "vangen",
    "vochten": "vechten", "vond": "vinden", "vonden": "vinden", "vroegen": "vragen",
    "vloog": "vliegen", "vlogen": "vliegen", "wist": "weten", "wisten": "weten",
    "woog": "wegen", "wogen": "wegen", "wonnen": "winnen", "zei": "zeggen",
    "zeiden": "zeggen", "zat": "zitten", "zaten": "zitten", "zag": "zien", "zagen": "zien",
    "zocht": "zoeken", "zochten": "zoeken", "zond": "zenden", "zonden": "zenden",
}  # fmt: skip
# Words of a weak past tense's shape whose "verb" is a word too: "beste" is not "bessen",
# "verkeerde" (wrong) not "verkeren", ordinals not verbs.
NOT_PAST = frozenset({
    "aarde", "bekende", "beste", "brede", "dezelfde", "harde", "hetzelfde", "liefde",
    "milde", "verkeerde", "zonde", "tweede", "derde", "vierde", "vijfde", "zesde",
    "zevende", "achtste", "negende", "tiende", "elfde", "twaalfde",
})  # fmt: skip

VOWELS = "aeiou"
# A root at least this long: shorter ones ("ge-l-d", "ge-m-d") are not verbs.
MIN_ROOT_CHARS = 3
# 't kofschip: a root ending in one of these takes -t (ge-werk-t), any other -d (ge-bel-d).
VOICELESS = ("t", "k", "f", "s", "ch", "p", "x")
# ...except an f or s written for the v or z of the verb: "ge-leef-d" (leven).
TAKES_D = ("f", "s")


def _weak_infinitives(root: str, ending: str) -> list[str]:
    """The infinitives a weak verb's root can come from, most likely first:
    ``stuur`` → sturen, ``leef`` → leven, ``reis`` → reizen, ``bel`` → bellen,
    ``werk`` → werken. A root ending in f or s before a d had a v or z (ge-reis-d)."""
    last, before = root[-1], root[-2]
    if before in VOWELS and root[-3] == before and last not in VOWELS:
        root = root[:-2] + last  # a long vowel written double: "stuur" → "stu-ren"
    elif before in VOWELS and last not in VOWELS + "wj" and root[-3] not in VOWELS:
        return [root + last + "en", root + "en"]  # a short vowel: "bel" → "bel-len"
    voiced = {"f": "v", "s": "z"}.get(last)
    if voiced is None:
        return [root + "en"]
    written = [root + "en", root[:-1] + voiced + "en"]
    return written[::-1] if ending == "d" else written


def _roots(participle: str) -> list[str]:
    """The verb roots a weak participle ("ge" + root + t/d) can hold: without its last
    letter where 't kofschip allows that ending, and with it, for a root that ends in t
    or d and takes no ending of its own: "ge-stort" (storten), "ge-land" (landen)."""
    ending, without = participle[-1], participle[2:-1]
    fits = without.endswith(VOICELESS) if ending == "t" else not without.endswith(VOICELESS)
    roots = [without] if fits or (ending == "d" and without.endswith(TAKES_D)) else []
    roots.append(participle[2:])
    return [root for root in roots if len(root) >= MIN_ROOT_CHARS]


def _without_particle(word: str) -> tuple[str, str]:
    """``word`` split into a separable prefix and the participle after it."""
    for prefix in SEPARABLE_PREFIXES:
        if word.startswith(prefix + "ge") and len(word) > len(prefix) + 4:
            return prefix, word[len(prefix) :]
    return "", word


def infinitive_candidates(word: str) -> list[str]:
    """The verbs ``word`` (folded, lowercase) may be the past participle of, most
    likely first; empty when it has no participle's shape. The caller keeps the first
    that is a word (``analysis.added_stems``)."""
    if word in NOT_PARTICIPLES or not word.isalpha() or len(word) < 5:
        return []
    prefix, participle = _without_particle(word)
    strong = STRONG_PARTICIPLES.get(participle)
    if strong is not None:
        return [prefix + strong]
    if not participle.startswith("ge") or participle[-1] not in "td":
        return []
    return [
        prefix + verb
        for root in _roots(participle)
        for verb in _weak_infinitives(root, participle[-1])
    ]


def past_tense_candidates(word: str) -> list[str]:
    """The verbs ``word`` (folded, lowercase) may be the simple past of, most likely
    first; empty when it has no past tense's shape. A strong verb's form is certain; a
    weak one's candidates must be words of the list (``analysis.verb_stem``)."""
    strong = STRONG_PAST.get(word)
    if strong is not None:
        return [strong]
    if word in NOT_PAST or word in NOT_PARTICIPLES or not word.isalpha() or len(word) < 5:
        return []
    # Singular only: a plural ("belden") has the shape of a noun's plural ("banden",
    # "kasten"), and the word list cannot tell the two apart.
    for suffix in ("de", "te"):
        if word.endswith(suffix):
            root, ending = word[: -len(suffix)], suffix[0]
            break
    else:
        return []
    fits = root.endswith(VOICELESS) if ending == "t" else not root.endswith(VOICELESS)
    if len(root) < MIN_ROOT_CHARS or not (fits or (ending == "d" and root.endswith(TAKES_D))):
        return []
    return _weak_infinitives(root, ending)
