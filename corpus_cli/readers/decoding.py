"""Bytes to text, bounded reads, and the plain reasons a file cannot be read."""

from __future__ import annotations

import re
from pathlib import Path

from corpus_cli.readers.record import UnreadableFile


def too_large(size: int | None, limit: int) -> str:
    """The reason given for a file over its format's size limit (``size`` if known)."""
    how_big = "over the limit" if size is None else megabytes(size)
    return f"too large ({how_big}; the limit for this kind of file is {megabytes(limit)})"


def megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size < 10 * 1048576 else f"{size // 1048576} MB"


def decode(data: bytes) -> str:
    """Bytes to text: BOMs honoured, UTF-8 first, then a detected legacy encoding.

    Raises :class:`UnreadableFile` for data that is not text at all.
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"invalid {codec} text ({error.reason})") from None
            if looks_binary(text):
                raise UnreadableFile(f"binary file (not {codec} text despite its byte-order mark)")
            return _normalise_newlines(text)
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    if looks_binary(text):
        raise UnreadableFile("binary file (not text in any known encoding)")
    return _normalise_newlines(text)


# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _decode_legacy(data: bytes) -> str:
    """Text that is not UTF-8, in the encoding :func:`legacy_codec` finds for it."""
    return data.decode(legacy_codec(data), errors="replace")


def legacy_codec(data: bytes) -> str:
    """The encoding of bytes that are not UTF-8: Windows-1252 when they read as Western
    text, else detected.

    Windows-1252 (a superset of Latin-1's printable characters) or ISO-8859-15 is
    what Italian and other Western European text not in UTF-8 nearly always is.
    charset-normalizer alone guesses wrongly on short Italian texts ("città" comes
    back as "cittŕ" in Windows-1250), so it is asked only when those readings are
    implausible: undefined bytes, stray symbols, or mostly non-ASCII letters
    (Cyrillic or Greek in a single-byte code page).
    """
    western = None
    for codec in _WESTERN_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_western(text):
            return codec
        western = western or codec
    from charset_normalizer import from_bytes  # only for the rare non-Western file

    best = from_bytes(data).best()
    if best is None:
        if western is not None:
            return western
        raise UnreadableFile("binary file (not text in any known encoding)")
    return str(best.encoding)


#: ISO-8859-15 is Latin-1 with the euro sign (and Œ, Š, Ž) where Latin-1 has ¤ and such;
#: its 0x80-0x9F are controls, so it only wins where Windows-1252 reads "¤".
_WESTERN_CODECS = ("cp1252", "iso8859_15")
#: Non-letters outside ASCII that Western European news text uses.
_WESTERN_SYMBOLS = frozenset("€‚„…†‡‰‹›‘’“”•–—˜™«»¡¿°§©®¢£¥ª·±×÷½¼¾µ¶\xa0\xad")


def _reads_as_western(text: str) -> bool:
    beyond_ascii: list[str] = _NON_ASCII.findall(text)
    if any(not c.isalpha() and c not in _WESTERN_SYMBOLS for c in beyond_ascii):
        return False
    non_ascii_letters = sum(c.isalpha() for c in beyond_ascii)
    letters = non_ascii_letters + len(_ASCII_LETTERS.findall(text))
    # Accented letters are a few percent of Western text; in a Cyrillic or Greek
    # text read as Windows-1252 nearly every letter is one.
    return non_ascii_letters <= 0.3 * letters


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    # Real text may carry a few stray controls (an ESC pasted from a terminal);
    # binary data decoded as a code page is full of them.
    return len(_CONTROL.findall(sample)) > 4 + len(sample) // 20


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than ``limit`` + 1 of them in memory.

    The size is checked before reading and again by reading at most one byte past
    the limit, so a file that grows meanwhile cannot slip through.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnreadableFile(too_large(size, limit))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(os_reason(error)) from None
    if len(data) > limit:
        raise UnreadableFile(too_large(None, limit))  # it grew meanwhile
    return data


def os_reason(error: OSError) -> str:
    """The plain reason a file could not be read, for the skipped list."""
    reason = error.strerror or str(error)
    return f"cannot be read ({reason.lower()})"


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
