"""What a format reader hands on: one raw record, or the reason a record or file failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawRecord:
    """What a format reader found in one record, before dates and sources are resolved.

    Every field a reader could not find stays ``None``: an unknown value is honest,
    a made-up one is a bug.
    """

    text: str
    title: str | None = None
    #: The date exactly as the metadata wrote it ("2022-12", "3 marzo 2021", ...).
    date: str | None = None
    #: The words the metadata date was read from (a header line), if not ``date`` itself.
    date_evidence: str | None = None
    #: ``date`` was read from the record's visible words (a web page's bylines, by htmldate),
    #: not from its metadata: it is shown as inferred, and a dateline in the text that gives
    #: another day leaves the record undated rather than picking one.
    date_inferred: bool = False
    #: ``date`` was read from the visible words but already weighed against every other
    #: signal of the page (a byline, "Veröffentlicht am 16.08.2019"): the text does not
    #: second-guess it.
    date_weighed: bool = False
    #: Whether any date mentioned in the text may date the record. False for web pages: their
    #: own signals were read already, and the dates in an article's body are its events.
    dates_in_body: bool = True
    source: str | None = None
    url: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RecordError:
    """One record of a multi-record file that could not be read; the rest still is."""

    reason: str


class UnreadableFile(Exception):
    """A whole file cannot be read; ``str()`` is the reason shown to the user."""
