"""Mask personal data in free text before colleagues read it.

One scrubber serves the public customer form and survey comments turned into stories.
Each hit becomes a readable placeholder that names what was there, never any of it:

=============  ==================  ==================================================
kind           placeholder         rule
=============  ==================  ==================================================
email          ``[e-mail]``        local@domain.tld (plus-addressing, subdomains, NFD)
iban           ``[IBAN]``          known country, its length, mod-97 checksum
card           ``[card]``          13-19 digits (or 4-4-4-4, 4-6-5 groups), Luhn
order_number   ``[order number]``  only with a configured pattern
phone          ``[phone]``         Dutch 0/+31/0031 (10 digits), +cc/00cc 8-15 digits
bsn            ``[BSN]``           a standalone 9-digit number passing the 11-check
postcode       ``[postcode]``      1234 AB / 1234AB (+ house number), capitals only
=============  ==================  ==================================================

Detectors run in that order, each on the text as masked by the ones before it:
checksum-verified kinds go before phones, e-mail before everything that could match
inside an address. Hits are reported with offsets into the original, so a moderator can
see both versions side by side. Linear time, whatever the input: a pattern may only
start where a run of its characters starts (a negative lookbehind) and uses possessive
or bounded repetition, a rejected candidate gives up one character, and a phone
candidate is at most 25 characters; 100 KB of hostile text takes well under a second.

Not caught (a moderator still reads every story): names and street addresses; postcodes
in lower case ("1012 ab"); IBANs with dashes; BSNs with spaces; e-mail written as "jan at
example dot nl" or with quotes or apostrophes in it; phone numbers in words, with dots
("06.12.34.56.78") or with too few or too many digits; cards in other groupings;
non-ASCII digits. Over-masked: a 9-digit number passing the 11-check (one in eleven, old
bank account numbers too), four-digit groups that happen to pass Luhn ("4521 4522 4523
4524"), "2000 MB"-style capitals read as a postcode.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from types import MappingProxyType

# Also the order in which the kinds are looked for (see the module docstring).
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "email": "[e-mail]",
        "iban": "[IBAN]",
        "card": "[card]",
        "order_number": "[order number]",
        "phone": "[phone]",
        "bsn": "[BSN]",
        "postcode": "[postcode]",
    }
)
# A Dutch story reads Dutch masks. None of them contains anything a finder looks for, so
# scrubbing a scrubbed text again changes nothing in either language.
PLACEHOLDERS_BY_LANGUAGE: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": PLACEHOLDERS,
        "nl": MappingProxyType(
            {
                "email": "[e-mailadres]",
                "iban": "[IBAN]",
                "card": "[betaalkaart]",
                "order_number": "[ordernummer]",
                "phone": "[telefoonnummer]",
                "bsn": "[BSN]",
                "postcode": "[postcode]",
            }
        ),
    }
)


@dataclass(frozen=True)
class Hit:
    """One masked stretch, as offsets into the *original* text (for side-by-side review)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ScrubResult:
    """The masked text, how many hits per kind (only kinds found), and where they were."""

    text: str
    found: Mapping[str, int] = field(default_factory=dict)
    hits: tuple[Hit, ...] = ()
    # The masks used, in the text's language.
    placeholders: Mapping[str, str] = field(default_factory=lambda: PLACEHOLDERS)


Span = tuple[int, int]
Finder = Callable[[str], Iterator[Span]]

# Numbers and codes end at a letter or digit but not at "_" (Markdown emphasis: _1012 AB_).
_AN = r"[^\W_]"
# NFD text puts accents in their own code points, which \w does not match.
_W = r"\w\u0300-\u036f"
_EMAIL = re.compile(rf"(?<![{_W}.%+-])[{_W}.%+-]++@[{_W}-]++(?:\.[{_W}-]++)++")

# Lengths from the SWIFT IBAN registry; an unknown country code is not an IBAN.
_IBAN_LENGTHS = {
    entry[:2]: int(entry[2:])
    for entry in [
        "NO15",
        "BE16",
        "DK18",
        "FI18",
        "FK18",
        "FO18",
        "GL18",
        "NL18",
        "SD18",
        "MK19",
        "SI19",
        "AT20",
        "BA20",
        "EE20",
        "KZ20",
        "LT20",
        "LU20",
        "MN20",
        "XK20",
        "CH21",
        "HR21",
        "LI21",
        "LV21",
        "BG22",
        "BH22",
        "CR22",
        "DE22",
        "GB22",
        "GE22",
        "IE22",
        "ME22",
        "RS22",
        "VA22",
        "AE23",
        "GI23",
        "IL23",
        "IQ23",
        "OM23",
        "SO23",
        "TL23",
        "AD24",
        "CZ24",
        "ES24",
        "MD24",
        "PK24",
        "RO24",
        "SA24",
        "SE24",
        "SK24",
        "TN24",
        "VG24",
        "LY25",
        "PT25",
        "ST25",
        "IS26",
        "TR26",
        "BI27",
        "DJ27",
        "FR27",
        "GR27",
        "IT27",
        "MC27",
        "MR27",
        "SM27",
        "AL28",
        "AZ28",
        "BY28",
        "CY28",
        "DO28",
        "GT28",
        "HU28",
        "LB28",
        "NI28",
        "PL28",
        "SV28",
        "BR29",
        "EG29",
        "PS29",
        "QA29",
        "UA29",
        "JO30",
        "KW30",
        "MU30",
        "YE30",
        "MT31",
        "SC31",
        "LC32",
        "RU33",
    ]
}
_IBAN = re.compile(
    rf"(?<!{_AN})[A-Za-z]{{2}}[0-9]{{2}}(?:[ ]?[A-Za-z0-9]{{4}}){{2,7}}"
    rf"(?:[ ]?[A-Za-z0-9]{{1,3}})?(?!{_AN})"
)

# Card numbers never start with 0, which keeps 0031... phone numbers out.
_CARD = re.compile(
    rf"(?<!{_AN})(?<![.,/+-])(?:[1-9][0-9]{{12,18}}"
    r"|[1-9][0-9]{3}(?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{3})?"
    rf"|[1-9][0-9]{{3}}(?P<a>[ -])[0-9]{{6}}(?P=a)[0-9]{{5}})(?!{_AN}|[.,][0-9])"
)

# A candidate starts like a phone number (+cc, (, or 0 and a digit) and runs over
# digits, spaces, dashes and parentheses; which prefix of it is a number is decided
# in Python. Dots and slashes are not separators: they belong to dates and amounts
# (but "tel.0612345678" and "06-12345678/020-1234567" are numbers).
_PHONE = re.compile(
    rf"(?<!{_AN})(?<![+-])(?<![0-9][.,])(?:\+[ ]?[1-9]|\(\+?[0-9]|00[1-9]|0[1-9])[0-9() -]{{4,22}}"
)
_PHONE_TOKEN = re.compile(r"(\(0\)|[0-9]+)|([^0-9(]+|\()")
# Between groups: a space, a dash, parentheses, as in "(020) 123-4567" or "06 - 1234".
_PHONE_SEPARATORS = frozenset(
    "".join(parts) for parts in product(*[("", c) for c in " ) - ("]) if any(parts)
)
_AREA_IN_PARENS = re.compile(r"\(\+?[0-9]{1,4}\)")
_DATE_START = re.compile(r"[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}(?![0-9])")

_BSN = re.compile(
    rf"(?<!{_AN})(?<![.,/+-])(?:[0-9]{{9}}|[0-9]{{4}}\.[0-9]{{2}}\.[0-9]{{3}})"
    rf"(?!{_AN}|[.,/-][0-9])"
)

# Dutch postcodes: 1000-9999, two capitals but never SA, SD or SS. Capitals only, so
# "in 2026 en later" stays; a house number right after it is masked with it.
_POSTCODE = re.compile(
    rf"(?<!{_AN})(?<![.,/-])(?:NL-?[ ]?)?[1-9][0-9]{{3}}[ ]?(?!S[ADS])[A-Z]{{2}}"
    rf"(?:[ ]?[0-9]{{1,5}}(?:-[0-9]{{1,4}}|-?[A-Za-z])?(?!{_AN}|[.,][0-9])|(?!{_AN}))"
)


Accept = Callable[[str, int, str], Span | None]
# Longer than any e-mail address (254), IBAN or phone number.
_GLUE_WINDOW = 320


def _scan(pattern: re.Pattern[str], accept: Accept) -> Finder:
    """A finder: each match of ``pattern`` that ``accept(text, start, candidate)`` turns
    into a span. A rejected match gives up one character only, so a number hidden in a
    longer look-alike ("7946 0958 4012 8888 8888 1881") is still tried."""

    def find(text: str) -> Iterator[Span]:
        position = 0
        while match := pattern.search(text, position):
            span = accept(text, match.start(), match.group())
            if span is None:
                position = match.start() + 1
                continue
            yield span
            # A hit glued to the next one ("a@x.nl+b@y.nl"): the lookbehind saw the last
            # character of this hit, which its placeholder will not have, so look again
            # as if it were masked already; only here, to stay linear.
            while glued := pattern.match("]" + text[span[1] : span[1] + _GLUE_WINDOW], 1):
                if glued.end() > _GLUE_WINDOW and span[1] + _GLUE_WINDOW < len(text):
                    break
                next_span = accept(text, span[1] + glued.start() - 1, glued.group())
                if next_span is None:
                    break
                yield (span := next_span)
            position = span[1]

    return find


def _email(text: str, start: int, candidate: str) -> Span | None:
    tld = candidate.rsplit(".", 1)[1]
    return (start, start + len(candidate)) if len(tld) >= 2 and tld.isalpha() else None


def _iban(text: str, start: int, candidate: str) -> Span | None:
    length = _IBAN_LENGTHS.get(candidate[:2].upper())
    if length is None:
        return None
    # The pattern may take a following 4-character group ("... 7034 2026"); cut the
    # candidate at the country's length, at a group boundary.
    seen = 0
    offset = -1
    for offset, char in enumerate(candidate):  # noqa: B007 - ``offset`` is read after the loop
        seen += char != " "
        if seen == length:
            break
    cut = candidate[: offset + 1]
    if seen != length or (cut != candidate and candidate[offset + 1] != " "):
        return None
    compact = cut.replace(" ", "").upper()
    if int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 != 1:
        return None
    return start, start + len(cut)


def _card(text: str, start: int, candidate: str) -> Span | None:
    total = 0
    for index, char in enumerate(reversed(candidate.replace(" ", "").replace("-", ""))):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return (start, start + len(candidate)) if total % 10 == 0 else None


def _valid_phone(international: bool, digits: str, groups: list[int]) -> bool:
    """Dutch numbers have 10 digits (0 + 9), +31/0031 is followed by those 9; other
    countries by 8-15 digits (E.164). Single digits only right after the country code,
    so "0 1 2 3 4 5 6 7 8 9" or a list of scores is not a phone number."""
    if international:
        if digits.startswith("31"):
            rest = digits[2:].removeprefix("0")
            return len(rest) == 9 and rest[0] != "0" and min(groups[2:], default=2) >= 2
        return digits[0] != "0" and 8 <= len(digits) <= 15 and min(groups[2:], default=2) >= 2
    return len(digits) == 10 and digits[0] == "0" != digits[1] and min(groups) >= 2


def _ends_number(text: str, end: int) -> bool:
    following = text[end : end + 2]
    return not following[:1].isalnum() and not (
        following[:1] in "-.,:" and following[1:2].isdigit()
    )


def _phone(text: str, start: int, candidate: str) -> Span | None:
    if candidate.startswith("(") and not _AREA_IN_PARENS.match(candidate):
        # "(0612345678)" in prose or a Markdown link target: keep the parenthesis.
        start, candidate = start + 1, candidate[1:]
    after = start + len(candidate)
    length = _phone_length(candidate, text[after : after + 2])
    return None if length is None else (start, start + length)


@lru_cache(maxsize=4096)
def _phone_length(candidate: str, tail: str) -> int | None:
    """Length of the longest prefix of ``candidate`` that is a phone number; ``tail``
    is what follows it. Cached: hostile input repeats the same candidates."""
    if _DATE_START.match(candidate):
        return None
    international = candidate.startswith(("+", "(+", "00"))
    digits, groups, best, offset, padded = "", [], None, 0, candidate + tail
    for number_part, other in _PHONE_TOKEN.findall(candidate):
        offset += len(number_part or other)
        if not number_part:
            if digits and other not in _PHONE_SEPARATORS:
                break
            continue
        if number_part == "(0)":
            if international:
                continue  # "+31 (0)6 ...": the trunk prefix is written but not dialled
            number_part = "0"
        digits += number_part
        groups.append(len(number_part))
        if len(digits) > 17 or len(groups) > 7:
            break
        number = digits[2:] if international and digits.startswith("00") else digits
        if 8 <= len(number) <= 15 and _valid_phone(international, number, groups):
            best = offset if _ends_number(padded, offset) else best
    return best


def _bsn(text: str, start: int, candidate: str) -> Span | None:
    digits = candidate.replace(".", "")
    checksum = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(
        digits[8]
    )
    if checksum % 11 or digits == "000000000":
        return None
    return start, start + len(candidate)


def _pattern_finder(pattern: re.Pattern[str]) -> Finder:
    def find(text: str) -> Iterator[Span]:
        return (m.span() for m in pattern.finditer(text) if m.end() > m.start())

    return find


def _offset_map(hits: list[Hit], placeholders: Mapping[str, str]) -> Callable[[int], int]:
    """Maps a position in the masked text (outside placeholders) to the original, given
    the ``hits`` (sorted) that made it."""
    ends, shifts, delta = [0], [0], 0
    for hit in hits:
        delta += len(placeholders[hit.kind]) - (hit.end - hit.start)
        ends.append(hit.end + delta)
        shifts.append(delta)
    return lambda position: position - shifts[bisect_right(ends, position) - 1]


def scrub_personal_data(
    text: str, *, order_number_pattern: re.Pattern[str] | None = None, language: str = "en"
) -> ScrubResult:
    """``text`` with every detected piece of personal data replaced by its placeholder,
    in the text's ``language`` ("[phone]", "[telefoonnummer]").

    Order numbers are only masked when the organisation configures their pattern (it
    runs as given: keep it simple, it is not checked for slow backtracking). Scrubbing
    the result again changes nothing.
    """
    finders: list[tuple[str, Finder]] = [
        ("email", _scan(_EMAIL, _email)),
        ("iban", _scan(_IBAN, _iban)),
        ("card", _scan(_CARD, _card)),
    ]
    if order_number_pattern is not None:
        finders.append(("order_number", _pattern_finder(order_number_pattern)))
    finders += [
        ("phone", _scan(_PHONE, _phone)),
        ("bsn", _scan(_BSN, _bsn)),
        ("postcode", _scan(_POSTCODE, lambda _, start, match: (start, start + len(match)))),
    ]

    # Each kind runs on the text as masked so far, so an earlier hit never hides a later
    # one glued to it ("NL91ABNA0417164300+31 6 12345678"). A later kind's hit can still
    # have hidden an earlier kind's ("2100 TE+1-555-123-4567"): passes repeat until one
    # finds nothing (at most one per kind), which is also what makes scrubbing the result
    # again a no-op.
    placeholders = PLACEHOLDERS_BY_LANGUAGE.get(language, PLACEHOLDERS)
    current, hits = text, list[Hit]()
    for _ in range(2 * len(finders)):
        found_before = len(hits)
        for kind, find in finders:
            spans = list(find(current))
            if not spans:
                continue
            to_original = _offset_map(hits, placeholders)
            pieces, position = list[str](), 0
            for start, end in spans:
                if start >= position:
                    hits.append(Hit(kind, to_original(start), to_original(end)))
                    pieces += [current[position:start], placeholders[kind]]
                    position = end
            pieces.append(current[position:])
            current = "".join(pieces)
            hits.sort(key=lambda hit: hit.start)
        if len(hits) == found_before:
            break

    found = {kind: sum(hit.kind == kind for hit in hits) for kind in PLACEHOLDERS}
    return ScrubResult(
        text=current,
        found={kind: count for kind, count in found.items() if count},
        hits=tuple(hits),
        placeholders=placeholders,
    )
