"""The lexical side of the index: a BM25 index over the same chunks, kept next to Chroma.

It is derived data: ingest rebuilds it when the set of documents changes, and a reader whose copy
does not match the index's fingerprint (a crashed ingest, an index built elsewhere) rebuilds it
from the chunks stored in Chroma. bm25s has no incremental update; a rebuild of 2,300 chunks takes
well under a second, which is cheaper than tracking deltas.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.terms import STOPWORDS, fold

if TYPE_CHECKING:
    from index.settings import Settings
    from index.store import Store

_WORD = re.compile(r"[a-z0-9]+")
_SURFACE = re.compile(r"[a-z][a-z']*[a-z]")
# 2: accents folded before splitting ("Sjögren" had been split into "sj" and "gren")
TOKENIZER_VERSION = "2"


@functools.cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word stems without stopwords; 'CAR-T' gives 'car' and 't'."""
    words = [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]
    return list(_stemmer().stemWords(words))


def fingerprint(manifest: dict[str, str]) -> str:
    """Identifies one state of the index: the documents and their hashes (and how words are split:
    a saved copy from another tokenizer version is rebuilt)."""
    payload = json.dumps([TOKENIZER_VERSION, sorted(manifest.items())]).encode()
    return hashlib.sha256(payload).hexdigest()[:16]


def bm25_dir(settings: Settings) -> Path:
    """Local folder of the BM25 copy: beside the embedded index, or in the cache for a server."""
    if settings.chroma_host:  # no local index folder: a per-server copy in the cache
        name = f"bm25-{settings.chroma_host}-{settings.chroma_port}-{settings.collection}"
        return settings.cache_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return settings.index_dir / f"bm25-{settings.collection}"


@dataclass
class LexicalIndex:
    chunk_ids: list[str]
    fingerprint: str
    model: Any  # bm25s.BM25
    words: dict[str, int] = field(default_factory=dict)  # surface words and counts, for spelling

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) best first; terms the corpus never uses are ignored."""
        vocab = self.model.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab]
        if not tokens or not self.chunk_ids:
            return []
        k = min(k, len(self.chunk_ids))
        docs, scores = self.model.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [(self.chunk_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def _bm25s() -> Any:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
    return bm25s


def surface_words(text: str) -> list[str]:
    """Lower-cased words, accents folded, as `LexicalIndex.words` counts them (not stemmed)."""
    return _SURFACE.findall(fold(text))


def build(chunk_ids: list[str], texts: list[str], index_fingerprint: str) -> LexicalIndex:
    bm25s = _bm25s()

    model = bm25s.BM25()
    model.index([tokenize(t) for t in texts] or [[]], show_progress=False)
    words = Counter(w for t in texts for w in surface_words(t))
    return LexicalIndex(chunk_ids, index_fingerprint, model, dict(words))


def save(index: LexicalIndex, folder: Path) -> None:
    """Written beside, then swapped in, so a reader never sees half a copy."""
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    index.model.save(str(tmp), show_progress=False)
    meta = {"fingerprint": index.fingerprint, "chunk_ids": index.chunk_ids, "words": index.words}
    (tmp / "aqa.json").write_text(json.dumps(meta))
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load(folder: Path) -> LexicalIndex | None:
    bm25s = _bm25s()

    meta_file = folder / "aqa.json"
    if not meta_file.is_file():
        return None
    try:
        meta = json.loads(meta_file.read_text())
        model = bm25s.BM25.load(str(folder), show_progress=False)
    except (OSError, ValueError, KeyError):
        return None
    words = dict(meta.get("words") or {})
    return LexicalIndex(list(meta["chunk_ids"]), str(meta["fingerprint"]), model, words)


def current_fingerprint(store: Store) -> str:
    got = store.documents().get(include=["metadatas"])
    manifest = {
        i: str((m or {}).get("doc_hash", ""))
        for i, m in zip(got["ids"], got["metadatas"] or [], strict=False)
    }
    return fingerprint(manifest)


def rebuild(store: Store, settings: Settings) -> LexicalIndex:
    """Rebuild from the chunks in Chroma and save the copy."""
    now = current_fingerprint(store)
    collection = store.chunks(create=False)
    ids: list[str] = []
    texts: list[str] = []
    if collection is not None:
        total = collection.count()
        for offset in range(0, total, 5000):
            got = collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
            for chunk_id, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False
            ):
                ids.append(chunk_id)
                # titles and headings count, as they do in the embedded text
                texts.append(f"{(meta or {}).get('title', '')} {(meta or {}).get('headings', '')} {text}")
    index = build(ids, texts, now)
    save(index, bm25_dir(settings))
    return index


def open_lexical(store: Store, settings: Settings) -> LexicalIndex:
    """The saved copy when it matches the index, else a fresh rebuild."""
    index = load(bm25_dir(settings))
    if index is not None and index.fingerprint == current_fingerprint(store):
        return index
    return rebuild(store, settings)
