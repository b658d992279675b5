"""Files as streams: decompressed and decoded a block at a time, split into capped lines.

A dump of gigabytes is read the way a small file is, record by record: nothing here
holds more than a block of the file and one record in memory. Compressed files
(``.gz``, ``.bz2``, ``.xz``, ``.zst``) are read as the format their inner name says
(``a.jsonl.gz`` is JSON Lines).
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from corpus_cli.readers.decoding import BOMS, legacy_codec, looks_binary, megabytes, os_reason
from corpus_cli.readers.record import UnreadableFile

#: Compression suffixes, each read through the standard library or zstandard.
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst")

#: The largest record of a multi-record file (a line of JSON Lines, a CSV row, an
#: item of a JSON array), in characters: the same bound as a one-article file.
MAX_RECORD_CHARS = 16 * 1024 * 1024

#: Bytes looked at to choose the encoding (and to tell text from binary data).
SAMPLE_BYTES = 1 << 20


def split_name(path: Path) -> tuple[str, str | None]:
    """The format suffix (lower case) and the compression suffix, if any, of a file."""
    name = path.name.lower()
    for compression in COMPRESSIONS:
        if name.endswith(compression):
            return Path(name[: -len(compression)]).suffix, compression
    return Path(name).suffix, None


def record_stem(path: Path) -> str:
    """The name a file's articles are called after: ``a`` for ``a.jsonl.gz`` too."""
    stem = path.name
    _, compression = split_name(path)
    if compression is not None:
        stem = stem[: -len(compression)]
    return Path(stem).stem


def too_large_record(limit: int) -> str:
    return f"too large (the limit for one record is {megabytes(limit)})"


#: What a damaged or truncated compressed stream raises while it is read.
DAMAGED: tuple[type[BaseException], ...] = (EOFError, zlib.error, lzma.LZMAError, OSError)


def damaged_reason(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "the compressed file ends early"
    if isinstance(error, OSError) and error.strerror:
        return os_reason(error)
    return f"damaged compressed data ({error})"


def open_binary(path: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed when its name says it is compressed."""
    _, compression = split_name(path)
    try:
        if compression == ".gz":
            return gzip.open(path, "rb")
        if compression == ".bz2":
            return bz2.open(path, "rb")
        if compression == ".xz":
            return lzma.open(path, "rb")
        handle = path.open("rb")
    except OSError as error:
        raise UnreadableFile(os_reason(error)) from None
    if compression == ".zst":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(handle, closefd=True)
        return io.BufferedReader(reader)
    return handle


def read_bounded_stream(path: Path, limit: int) -> bytes:
    """The decompressed bytes of a compressed one-article file, at most ``limit``."""
    with open_binary(path) as stream:
        try:
            data = stream.read(limit + 1)
        except DAMAGED as error:
            raise UnreadableFile(damaged_reason(error)) from None
    if len(data) > limit:
        from corpus_cli.readers.decoding import too_large

        raise UnreadableFile(too_large(None, limit))
    return data


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """The file as text, decoded incrementally; raises :class:`UnreadableFile`.

    The encoding is chosen on the first megabyte as :func:`~.decoding.decode` would
    choose it for a whole file; a byte further on that does not fit it is read as
    Windows-1252 rather than failing the file (dumps are often concatenations).
    Newlines are normalised to ``\\n``.
    """
    binary = open_binary(path)
    try:
        # In blocks: a damaged file's first records are kept, and its damage is
        # met again (and reported) after them.
        blocks: list[bytes] = []
        size = 0
        damage: BaseException | None = None
        while size < SAMPLE_BYTES:
            try:
                block = binary.read1(1 << 16)
            except DAMAGED as error:
                damage = error
                break
            if not block:
                break
            blocks.append(block)
            size += len(block)
        sample = b"".join(blocks)
        if damage is not None and not sample:
            raise UnreadableFile(damaged_reason(damage))
        codec, skip = sniff(sample, complete=size < SAMPLE_BYTES)
        raw = _Prefixed(sample[skip:], binary, damage)
        text = io.TextIOWrapper(
            io.BufferedReader(raw, 1 << 16), encoding=codec, errors=_FALLBACK, newline=None
        )
    except BaseException:
        binary.close()
        raise
    with text:
        yield text


def sniff(sample: bytes, complete: bool) -> tuple[str, int]:
    """The codec of a file that starts with ``sample``, and the length of its BOM."""
    if not sample:
        raise UnreadableFile("empty file")
    for bom, codec in BOMS:
        if sample.startswith(bom):
            if looks_binary(sample[len(bom) :].decode(codec, errors="replace")):
                raise UnreadableFile(f"binary file (not {codec} text despite its byte-order mark)")
            return codec, len(bom)
    if b"\x00" in sample:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        # Incremental: the sample may end inside a character.
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        codec = "utf-8"
    except UnicodeDecodeError:
        codec = legacy_codec(sample)
        text = sample.decode(codec, errors="replace")
    if looks_binary(text):
        raise UnreadableFile("binary file (not text in any known encoding)")
    if complete and not text.strip():
        raise UnreadableFile("no text (only blank space)")
    return codec, 0


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: the offending bytes as Windows-1252 (Latin-1 where undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    chars = []
    for byte in bad:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), error.end


_FALLBACK = "corpus-cp1252"
codecs.register_error(_FALLBACK, _cp1252_bytes)


class _Prefixed(io.RawIOBase):
    """A stream that gives ``head`` first, then the rest of ``rest`` (or ``damage``)."""

    def __init__(self, head: bytes, rest: io.BufferedIOBase, damage: BaseException | None) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest
        self._damage = damage

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        if self._damage is not None:
            raise self._damage
        data = self._rest.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


class RecordTooLarge(Exception):
    """A line longer than the cap; it was skipped whole (``number`` is its line)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


class Lines:
    """The lines of a text, none read whole if it is longer than ``cap`` characters.

    An overlong line is skipped a block at a time and raises :class:`RecordTooLarge`
    once; iterating again goes on with the next line, so a CSV reader over these
    lines reports that row and carries on. ``number`` is the last line's number.
    """

    def __init__(self, stream: IO[str], cap: int) -> None:
        self._stream = stream
        self._cap = cap
        self._back: str | None = None
        self.number = 0

    def __iter__(self) -> Lines:
        return self

    def unread(self, line: str) -> None:
        """Give ``line`` (the last one read) again on the next call."""
        self._back = line
        self.number -= 1

    def __next__(self) -> str:
        if self._back is not None:
            line, self._back = self._back, None
            self.number += 1
            return line
        line = self._stream.readline(self._cap + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self._cap and not line.endswith("\n"):
            while True:
                rest = self._stream.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            raise RecordTooLarge(self.number)
        return line
