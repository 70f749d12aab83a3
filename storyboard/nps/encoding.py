"""Which text encoding a survey export is in: UTF-8 (with or without BOM), Windows-1252
(what Excel writes as "CSV" on a Dutch Windows machine) or UTF-16 (Excel's "Unicode
text"). Part of the importer; reads the file once, before any row is imported, so a bad
byte on the last line refuses the file before anything is written.

A file with an invalid UTF-8 byte counts as Windows-1252 only when it holds no valid
UTF-8 multi-byte sequences (mostly): otherwise it is a damaged UTF-8 file, and guessing
would silently turn ``café`` into ``cafÃ©``. A file that is none of the three is refused
with the line and column of the first byte that cannot be read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import IO

from flask_babel import gettext as _

from storyboard.errors import UserError

CHUNK = 1024 * 1024
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A valid UTF-8 multi-byte sequence (lead byte and its continuation bytes).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH = bytes(range(0x80, 0x100))


class EncodingError(UserError):
    """The file is not text in any encoding we read."""


@dataclass(frozen=True)
class Encoding:
    """How to read the file: Python's codec and the name people know it by."""

    codec: str
    label: str


UTF8 = Encoding("utf-8", "UTF-8")
UTF8_SIG = Encoding("utf-8-sig", "UTF-8 (BOM)")
CP1252 = Encoding("cp1252", "Windows-1252")


@dataclass(frozen=True)
class BadByte:
    """Where the first unreadable byte sits: line and column (both from 1)."""

    byte: int
    line: int
    column: int


def looks_like_utf16(head: bytes) -> Encoding | None:
    """UTF-16 by its BOM, or (without one) by the zero byte in every other position that
    ASCII text in UTF-16 has."""
    if head.startswith(UTF16_BOMS):
        return Encoding("utf-16", "UTF-16")
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return Encoding("utf-16-le", "UTF-16")
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return Encoding("utf-16-be", "UTF-16")
    return None


def detect(stream: IO[bytes], head: bytes) -> Encoding:
    """The encoding of a seekable binary ``stream`` (read to its end and rewound)."""
    utf16 = looks_like_utf16(head)
    if utf16 is not None:
        bad = _first_bad(stream, utf16.codec)
        if bad is not None:
            raise _refused(bad, utf16.label)
        return utf16
    utf8 = UTF8_SIG if head.startswith(UTF8_BOM) else UTF8
    bad = _first_bad(stream, utf8.codec)
    if bad is None:
        return utf8
    if _mostly_utf8(stream):
        raise _refused(bad, "UTF-8")
    bad_cp1252 = _first_bad(stream, CP1252.codec)
    if bad_cp1252 is not None:
        raise EncodingError(
            _(
                "The file is not text in UTF-8, Windows-1252 or UTF-16: byte 0x%(byte)s on "
                "line %(line)s, column %(column)s cannot be read. Save it as CSV UTF-8 and "
                "try again.",
                byte=f"{bad_cp1252.byte:02X}",
                line=bad_cp1252.line,
                column=bad_cp1252.column,
            )
        )
    return CP1252


def _refused(bad: BadByte, label: str) -> EncodingError:
    return EncodingError(
        _(
            "The file is %(encoding)s text with a damaged byte: 0x%(byte)s on line "
            "%(line)s, column %(column)s. Fix that line (or save the file again as CSV "
            "UTF-8) and try again.",
            encoding=label,
            byte=f"{bad.byte:02X}",
            line=bad.line,
            column=bad.column,
        )
    )


def _first_bad(stream: IO[bytes], codec: str) -> BadByte | None:
    """Decode the whole stream; the first byte that fails, or None. Rewinds."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 0  # line breaks before the current chunk
    column = 0  # characters of the current line before the current chunk
    try:
        while True:
            chunk = stream.read(CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as error:
                before = codecs.decode(error.object[: error.start], codec, "replace")
                if "\n" in before:
                    lines += before.count("\n")
                    column = len(before) - before.rfind("\n") - 1
                else:
                    column += len(before)
                byte = error.object[error.start] if error.start < len(error.object) else 0
                return BadByte(byte, lines + 1, column + 1)
            if "\n" in text:
                lines += text.count("\n")
                column = len(text) - text.rfind("\n") - 1
            else:
                column += len(text)
            if final:
                return None
    finally:
        stream.seek(0)


def _mostly_utf8(stream: IO[bytes]) -> bool:
    """True when most bytes above 0x7F are parts of valid UTF-8 sequences. Rewinds."""
    stream.seek(0)
    high = in_sequences = 0
    try:
        while chunk := stream.read(CHUNK):
            high += len(chunk) - len(chunk.translate(None, _HIGH))
            in_sequences += sum(len(m) for m in _UTF8_SEQUENCE.findall(chunk))
    finally:
        stream.seek(0)
    return high > 0 and in_sequences * 2 > high
