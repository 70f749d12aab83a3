"""Colours derived from the organisation's one colour, readable whatever it is.

A light brand colour (a yellow) cannot carry white button text, and a dark one cannot
carry black; WCAG 2.1 asks 4.5:1 for text. ``palette`` keeps the colour itself for the
header band (with black or white text, whichever reads better) and darkens it, only as
far as needed, for buttons and links on the light page.
"""

from __future__ import annotations

from dataclasses import dataclass

WHITE = "#ffffff"
BLACK = "#000000"
PAPER = "#fbfaf7"  # the page's background in storyboard.css
TEXT_CONTRAST = 4.5


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0–1) of ``other`` mixed in."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def readable_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


def darkened_for_text(colour: str, background: str = PAPER) -> str:
    """``colour``, darkened in small steps until it reads as text on ``background`` and
    carries white text itself."""
    current = colour
    for step in range(21):
        current = mix(colour, BLACK, step / 20)
        if contrast(current, background) >= TEXT_CONTRAST and contrast(current, WHITE) >= (
            TEXT_CONTRAST
        ):
            return current
    return current


@dataclass(frozen=True)
class Palette:
    band: str  # the colour itself: the header band
    band_ink: str  # text on the band
    brand: str  # buttons and links: readable on the page, white text on it
    brand_dark: str  # hover
    brand_soft: str  # light tints


def palette(colour: str) -> Palette:
    brand = darkened_for_text(colour)
    return Palette(
        band=colour,
        band_ink=readable_on(colour),
        brand=brand,
        brand_dark=mix(brand, BLACK, 0.25),
        brand_soft=mix(colour, WHITE, 0.9),
    )


def stylesheet(colour: str) -> str:
    """The public pages' colours as CSS custom properties (a file, since the CSP
    forbids inline styles)."""
    p = palette(colour)
    return (
        ".public-page {\n"
        f"  --org-band: {p.band};\n"
        f"  --org-band-ink: {p.band_ink};\n"
        f"  --brand: {p.brand};\n"
        f"  --brand-dark: {p.brand_dark};\n"
        f"  --brand-soft: {p.brand_soft};\n"
        "}\n"
    )
