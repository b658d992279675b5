"""Relations between articles: similar ones and near-duplicates.

* :func:`similar` asks the index for the articles sharing the most distinctive terms
  of one article ("more like this").
* :func:`near_duplicates` finds articles that are mostly the same text (one agency
  story in several outlets, lightly edited): word 5-gram shingles, MinHash signatures
  and LSH buckets (``datasketch``), candidate pairs checked against the threshold,
  and clusters by union-find. Exact copies never get this far: ingest rejects them.

Nothing here touches an engine: the store's ``iter_articles`` and ``more_like`` do.
numpy and datasketch are imported only when duplicates are looked for (datasketch
pulls in SciPy, over a second of start-up).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from corpus_cli.errors import UsageError
from corpus_cli.model import Filters, Hit
from corpus_cli.results import Cluster
from corpus_cli.storage.base import Store
from corpus_cli.text.analysis import fold, surface_words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Words per shingle: long enough that two unrelated articles share almost none,
#: short enough that one edited word spoils only five of them.
SHINGLE_WORDS = 5
#: MinHash permutations: the estimate of a Jaccard similarity J has a standard
#: error of sqrt(J(1-J)/128), about 0.035 at J = 0.8.
NUM_PERM = 128
#: datasketch's permutation seed; every signature of one run must share it.
MINHASH_SEED = 1
#: LSH buckets are built for a threshold this much lower than the one asked for, so
#: that pairs just above it are rarely missed; each candidate is then checked against
#: the real threshold on its signatures.
LSH_SLACK = 0.1
#: Key terms of an article that :func:`similar` searches for.
SIMILAR_TERMS = 25


# -- similar articles --------------------------------------------------------------


def similar(
    store: Store, article_id: str, limit: int = 10, filters: Filters | None = None
) -> list[Hit]:
    """The ``limit`` articles most like ``article_id``, most similar first (itself excluded).

    Similarity is "more like this": the article's most distinctive terms (title and
    text, weighted against the whole corpus) searched as one OR query; ``Hit.score``
    is that query's relevance score. Raises ArticleNotFound.
    """
    if limit < 1:
        raise UsageError("The number of similar articles must be at least 1.")
    return store.more_like(article_id, limit=limit, numterms=SIMILAR_TERMS, filters=filters)


# -- near-duplicates ---------------------------------------------------------------


def near_duplicates(store: Store, threshold: float = 0.8) -> list[Cluster]:
    """Clusters of two or more articles whose shingle sets overlap by ``threshold`` or more.

    Pairs are linked when their estimated Jaccard similarity (MinHash, 128
    permutations) is at least ``threshold``; clusters are the connected groups.
    An article with exact copies (kept on it by ingest) is a cluster too, of one
    article and similarity 1, unless it is in a cluster already; every cluster's
    articles carry their copies. Largest clusters (articles and copies) first,
    then by their earliest article.
    """
    if not 0.0 < threshold <= 1.0:
        raise UsageError(
            f"The similarity threshold must be above 0 and at most 1, not {threshold}."
        )
    import numpy as np

    keys: list[tuple[int, str, str]] = []
    sketcher = _Sketcher()
    #: Articles with exact copies: id -> (chronological key, copies).
    copied: dict[str, tuple[tuple[int, str, str], int]] = {}
    for article in store.iter_articles():
        if article.copies:
            copied[article.id] = (article.chronological_key, len(article.copies))
        signature = sketcher.signature(article.text)
        if signature is not None:
            keys.append(article.chronological_key)
            sketcher.keep(signature)
    if len(keys) < 2:
        return _exact_copies(store, copied, set())
    signatures = sketcher.matrix()
    pairs = _candidate_pairs(signatures, threshold)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        if _jaccard(signatures[i], signatures[j]) >= threshold:
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: keys[m])
        block = signatures[members]
        lowest = min(
            float(np.min(np.count_nonzero(block[n + 1 :] == block[n], axis=1))) / NUM_PERM
            for n in range(len(members) - 1)
        )
        clusters.append((members, lowest))
    found = []
    for members, lowest in clusters:
        ids = [keys[m][2] for m in members]
        found.append(Cluster(ids, lowest, [store.get(i) for i in ids]))
    return _exact_copies(store, copied, {i for c in found for i in c.ids}, found)


def _exact_copies(
    store: Store,
    copied: dict[str, tuple[tuple[int, str, str], int]],
    clustered: set[str],
    found: list[Cluster] | None = None,
) -> list[Cluster]:
    """``found`` with a cluster for each article with copies in none of them, ordered."""
    found = list(found or [])
    for article_id, (_, _) in sorted(copied.items(), key=lambda item: item[1][0]):
        if article_id not in clustered:
            found.append(Cluster([article_id], 1.0, [store.get(article_id)]))

    def size(cluster: Cluster) -> int:
        return len(cluster.ids) + sum(len(a.copies) for a in cluster.articles)

    found.sort(key=lambda c: (-size(c), c.articles[0].chronological_key))
    return found


def _jaccard(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
    import numpy as np

    return float(np.count_nonzero(a == b)) / NUM_PERM


def _candidate_pairs(signatures: npt.NDArray[np.uint32], threshold: float) -> set[tuple[int, int]]:
    """Pairs (i < j) that share at least one LSH band: the only ones worth comparing."""
    datasketch = _datasketch()
    MinHash = datasketch.MinHash
    permutations = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations
    lsh = datasketch.MinHashLSH(threshold=max(0.05, threshold - LSH_SLACK), num_perm=NUM_PERM)
    sketches = [
        MinHash(seed=MINHASH_SEED, hashvalues=row, permutations=permutations, scheme="affine32")
        for row in signatures
    ]
    with lsh.insertion_session() as session:
        for n, sketch in enumerate(sketches):
            session.insert(n, sketch, check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for n, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            if other > n:
                pairs.add((n, other))
    return pairs


def _datasketch() -> Any:
    import datasketch  # type: ignore[import-untyped]

    return datasketch


class _WordHashes(dict[str, int]):
    """Surface word -> stable 64-bit hash of its folded form (the same in every process)."""

    def __missing__(self, word: str) -> int:
        digest = hashlib.blake2b(fold(word).encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        self[word] = value
        return value


class _Sketcher:
    """MinHash signatures of texts, computed with numpy a whole text at a time.

    The result is what ``datasketch.MinHash(seed=1, scheme="affine32")`` gives after
    ``update_batch`` of the texts' 32-bit shingle hashes with an identity hash
    function: the same permutations (``h -> a * fmix32(h) + b mod 2**32``), without a
    Python call per shingle.
    """

    def __init__(self) -> None:
        import numpy as np

        a, b = _datasketch().MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations
        self._a = np.asarray(a, dtype=np.uint32)
        self._b = np.asarray(b, dtype=np.uint32)
        # Odd 64-bit multipliers, one per position in the shingle: a shingle's hash
        # is the wrapped sum of its words' hashes times these.
        odd = np.random.default_rng(20240501).integers(0, 2**63, SHINGLE_WORDS, np.uint64)
        self._mix = odd * np.uint64(2) + np.uint64(1)
        self._words = _WordHashes()
        self._rows: list[npt.NDArray[np.uint32]] = []

    def shingle_hashes(self, text: str) -> npt.NDArray[np.uint32]:
        """32-bit hashes of the text's word 5-grams (the whole text when shorter)."""
        import numpy as np

        values = np.fromiter(map(self._words.__getitem__, surface_words(text)), np.uint64)
        n = len(values)
        if n == 0:
            return np.empty(0, dtype=np.uint32)
        width = min(SHINGLE_WORDS, n)
        count = n - width + 1
        hashes = np.zeros(count, dtype=np.uint64)
        for k in range(width):
            hashes += values[k : k + count] * self._mix[k]
        hashes ^= hashes >> np.uint64(29)
        hashes *= np.uint64(0xBF58476D1CE4E5B9)
        return (hashes >> np.uint64(32)).astype(np.uint32)

    def signature(self, text: str) -> npt.NDArray[np.uint32] | None:
        """The MinHash signature of ``text``; None when it has no words."""
        import numpy as np

        hashes = self.shingle_hashes(text)
        if hashes.size == 0:
            return None
        mixed = _fmix32(np.unique(hashes))
        signature = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
        # Blocks keep the (shingles x permutations) temporary small for long texts.
        for start in range(0, mixed.size, 4096):
            block = mixed[start : start + 4096, None] * self._a + self._b
            np.minimum(signature, block.min(axis=0), out=signature)
        return signature

    def keep(self, signature: npt.NDArray[np.uint32]) -> None:
        self._rows.append(signature)

    def matrix(self) -> npt.NDArray[np.uint32]:
        import numpy as np

        return np.vstack(self._rows) if self._rows else np.empty((0, NUM_PERM), np.uint32)


def _fmix32(h: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MurmurHash3's 32-bit finalizer (as datasketch's affine32 scheme pre-mixes)."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))
