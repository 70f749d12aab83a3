"""Cleaning user-typed text: invisible characters go, real characters stay, and the same
word typed two ways (NFC/NFD) becomes the same string."""

from __future__ import annotations

import unicodedata

import pytest

from storyboard.text import clean_body, clean_line, slugify

CAFE_NFC = "caf\u00e9"
CAFE_NFD = "cafe\u0301"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, "", id="none"),
        pytest.param("", "", id="empty"),
        pytest.param("   \t  ", "", id="only-whitespace"),
        pytest.param("\u00a0\u2003\u3000", "", id="only-unicode-spaces"),
        pytest.param("\u200b", "", id="only-zero-width-space"),
        pytest.param("\u200b\u200c\u200d\u2060\ufeff", "", id="only-invisible-mix"),
        pytest.param(" \u200d \u200c ", "", id="loose-joiners"),
        pytest.param("\x00", "", id="only-nul"),
        pytest.param("Cadeau\x00 voor vandaag", "Cadeau voor vandaag", id="nul-inside"),
        pytest.param("\ufeffHallo", "Hallo", id="bom-at-start"),
        pytest.param("a\x07b\x1bc\x7fd", "abcd", id="control-characters"),
        pytest.param(
            "  Een   cadeau\tvoor\n\nvandaag  ",
            "Een cadeau voor vandaag",
            id="whitespace-collapsed",
        ),
        pytest.param("a\u2028b\u2029c", "a b c", id="unicode-line-separators"),
        pytest.param(CAFE_NFD, CAFE_NFC, id="nfd-to-nfc"),
        pytest.param("e\u200b\u0301", "\u00e9", id="accent-after-removed-zero-width"),
        pytest.param("Zoë en Chloë", "Zoë en Chloë", id="dutch-diaeresis"),
        pytest.param("مرحبا بك", "مرحبا بك", id="right-to-left"),
        pytest.param(
            "Hallo \u200fمرحبا\u200e!", "Hallo \u200fمرحبا\u200e!", id="direction-marks-kept"
        ),
        pytest.param("🎂🎁", "🎂🎁", id="emoji"),
        pytest.param(
            "👨\u200d👩\u200d👧 gezin", "👨\u200d👩\u200d👧 gezin", id="zwj-emoji-sequence"
        ),
        pytest.param("👍🏽", "👍🏽", id="emoji-skin-tone"),
        pytest.param("\u2764\ufe0f", "\u2764\ufe0f", id="variation-selector"),
        pytest.param("q\u0307\u0323", "q\u0323\u0307", id="combining-marks-reordered-canonically"),
        pytest.param("a\ud800b", "a\ufffdb", id="lone-surrogate"),
        pytest.param('<b>vet</b> & "quotes"', '<b>vet</b> & "quotes"', id="html-kept-as-text"),
    ],
)
def test_clean_line(raw: str | None, expected: str) -> None:
    assert clean_line(raw) == expected


def test_nfd_and_nfc_compare_equal_after_cleaning() -> None:
    assert CAFE_NFD != CAFE_NFC
    assert clean_line(CAFE_NFD) == clean_line(CAFE_NFC)
    assert clean_body(f"Koffie in het {CAFE_NFD}") == clean_body(f"Koffie in het {CAFE_NFC}")


@pytest.mark.parametrize("raw", ["\u200b", "\x00", "\ufeff", " \u200b\n\t", "\u200d"])
def test_invisible_only_input_is_empty(raw: str) -> None:
    assert clean_line(raw) == ""
    assert clean_body(raw) == ""


@pytest.mark.parametrize(
    "raw",
    ["Een 🎂 voor vandaag", "مرحبا", CAFE_NFC, "Geëmotioneerd", "👨\u200d👩\u200d👧", "x" * 1000],
)
def test_clean_line_is_idempotent_and_nfc(raw: str) -> None:
    once = clean_line(raw)
    assert clean_line(once) == once
    assert unicodedata.is_normalized("NFC", once)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, "", id="none"),
        pytest.param("  \n\t\n  ", "", id="only-whitespace"),
        pytest.param(
            "regel 1\r\nregel 2\rregel 3\n",
            "regel 1\nregel 2\nregel 3",
            id="line-endings-normalised",
        ),
        pytest.param(
            "Alinea een.\n\n\nAlinea twee.", "Alinea een.\n\n\nAlinea twee.", id="blank-lines-kept"
        ),
        pytest.param(
            "- een\n    - twee\n\tcode", "- een\n    - twee\n\tcode", id="indentation-kept"
        ),
        pytest.param(
            "\n\n    print('hallo')\n    print('dag')\n",
            "    print('hallo')\n    print('dag')",
            id="leading-code-block-indent-kept",
        ),
        pytest.param("\ufeff# Titel\n\nTekst", "# Titel\n\nTekst", id="bom-at-start"),
        pytest.param("Tekst\x00 met\u200b nul", "Tekst met nul", id="nul-and-zero-width"),
        pytest.param(f"Het {CAFE_NFD}\n", f"Het {CAFE_NFC}", id="nfd-to-nfc"),
        pytest.param("🎂🎁\nمرحبا", "🎂🎁\nمرحبا", id="emoji-and-rtl"),
        pytest.param("a\x0bb\x0cc", "abc", id="vertical-tab-and-form-feed"),
        pytest.param("slot  \n", "slot", id="trailing-whitespace"),
    ],
)
def test_clean_body(raw: str | None, expected: str) -> None:
    assert clean_body(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Time & place", "time-place"),
        ("Tone of voice", "tone-of-voice"),
        (CAFE_NFD, "cafe"),
        ("Één team", "een-team"),
        ("🎂🎁", "item"),
        ("مرحبا", "item"),
        ("", "item"),
    ],
)
def test_slugify(raw: str, expected: str) -> None:
    assert slugify(raw) == expected
