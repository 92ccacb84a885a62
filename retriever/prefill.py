"""Sentence vectors computed ahead of questions, so that a warm chat answers without the model.

Most of a warm answer's time is the extractive answerer embedding the ~20 evidence sentences it
weighs (plain and "title: sentence"; docs/benchmarks.md, Speed). Those texts depend only on the
indexed chunks, so the chat and the API (`app.api.serve`) embed every chunk's quotable texts once,
on a background thread, after they start: 20,791 texts (158 s on 2 busy cores) for the shared
documents plus the bundled articles, 1.5 KB of memory each, at most `prefill_sentences` texts.

It works only while no question is being answered: `Assistant.ask` holds `paused()`, and the thread
waits for it between small batches, so a question never queues behind more than one batch. Vectors
are the same model's (a text's vector can differ from one computed beside other texts in rounding
only). When done they are saved (`cache_file`, one file per model and index in the cache folder,
written whole or not at all), and the next start takes every vector whose text it still needs from
there, embedding only the rest; a damaged or foreign file is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.store import Store
from retriever.extractive import SentenceVectors
from retriever.types import Evidence

BATCH = 8  # texts per step: a question waits for at most one step of 8 short texts
PAGE = 500  # chunks read from the store at a time


def settle_heap() -> None:
    """Move every object alive into the garbage collector's permanent generation (`gc.freeze()`), so
    a full collection no longer walks the models, indexes and pinned vectors (~150k objects; 100–200 ms
    a collection on 2 cores). In `eval --prefill` such collections came due in the first question after
    the prefill and every few dozen questions after it, and added their time to the answer they fell
    in (session 44: the eval's slowest answers); a long-running chat or API meets them as its own
    objects pile up. The prefill does it at its start and its end, so only long-running front ends
    do (the chat, the API, `eval --prefill`); objects frozen are still freed when their last
    reference goes."""
    gc.freeze()


@runtime_checkable
class Prefillable(Protocol):
    """An answerer that embeds evidence sentences and can take them ahead of time."""

    vectors: SentenceVectors

    def quotable(self, evidence: Evidence) -> list[str]: ...


def cache_file(cache_dir: Path, model_id: str, index: str) -> Path:
    """Where the vectors of this model's texts of this index are kept between starts."""
    key = hashlib.sha256(f"{model_id}|{index}".encode()).hexdigest()[:20]
    return cache_dir / "sentence-vectors" / f"{key}.npz"


class Prefill:
    """The background work and its progress: state is "idle" (not started), "running", "done" or
    "failed: …"; `ready` of `total` texts are embedded, `saved` of them came from `path`."""

    def __init__(self, store: Store, answerer: Prefillable, limit: int, path: Path | None = None) -> None:
        self.store = store
        self.answerer = answerer
        self.limit = limit
        self.path = path
        self.state = "idle"
        self.ready = 0
        self.total = 0
        self.saved = 0
        self._asks = 0
        self._idle = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> threading.Thread:
        """Start once (later calls return the same thread)."""
        if self._thread is None:
            self.state = "running"
            self._thread = threading.Thread(target=self._run, name="aqa-prefill", daemon=True)
            self._thread.start()
        return self._thread

    def stop(self) -> None:
        self._stop.set()
        with self._idle:
            self._idle.notify_all()
        if self._thread is not None:
            self._thread.join()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Held while a question is answered: the background work waits."""
        with self._idle:
            self._asks += 1
        try:
            yield
        finally:
            with self._idle:
                self._asks -= 1
                self._idle.notify_all()

    def status(self) -> dict[str, int | str]:
        return {
            "prefill_state": self.state,
            "prefill_ready": self.ready,
            "prefill_total": self.total,
            "prefill_saved": self.saved,
        }

    def texts(self) -> list[str]:
        """Every chunk's quotable texts, once each, at most `limit`, shortest first (batches of
        similar length pad little)."""
        collection = self.store.chunks(create=False)
        found: dict[str, None] = {}
        offset = 0
        while collection is not None and len(found) < self.limit:
            page = collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            rows = list(zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=False))
            if not rows:
                break
            for chunk_id, text, meta in rows:
                evidence = Evidence.from_chroma(chunk_id, text or "", dict(meta or {}), 1.0)
                found.update(dict.fromkeys(self.answerer.quotable(evidence)))
            offset += len(rows)
        return sorted(list(found)[: self.limit], key=len)

    def _run(self) -> None:
        settle_heap()  # the models and indexes loaded at start
        try:
            texts = self.texts()
            self.total = len(texts)
            saved = self._load(set(texts))
            self.answerer.vectors.pin_vectors(saved)
            self.saved = len(saved)
            todo = [t for t in texts if t not in saved]
            self.ready = self.saved
            for start in range(0, len(todo), BATCH):
                with self._idle:
                    self._idle.wait_for(lambda: self._asks == 0 or self._stop.is_set())
                if self._stop.is_set():
                    self.state = "stopped"
                    return
                self.answerer.vectors.pin(todo[start : start + BATCH], BATCH // 2)
                self.ready = self.saved + min(len(todo), start + BATCH)
            if todo:
                self._save(texts)
            settle_heap()  # and the vectors
            self.state = "done"
        except Exception as exc:  # answering still works, only slower: say why in health and on stderr
            self.state = f"failed: {type(exc).__name__}: {exc}"
            print(f"autoimmune-qa: computing sentence vectors ahead failed ({exc})", file=sys.stderr)

    def _load(self, wanted: set[str]) -> dict[str, np.ndarray]:
        """The saved vectors of the wanted texts ({} without a readable file of the right shape)."""
        if self.path is None or not self.path.is_file():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                texts = json.loads(bytes(data["texts"]).decode("utf-8"))
                vectors = data["vectors"]
                if len(texts) != len(vectors) or vectors.shape[1] != self.answerer.vectors.embedder.dimension:
                    return {}
                return {t: vectors[i] for i, t in enumerate(texts) if t in wanted}
        except Exception as exc:  # a damaged file: embed everything, then write it anew
            print(f"autoimmune-qa: ignoring the saved sentence vectors {self.path} ({exc})", file=sys.stderr)
            return {}

    def _save(self, texts: list[str]) -> None:
        """Write the vectors of these texts whole (a temporary file renamed into place); a cache only,
        so a folder that cannot be written is skipped with a note."""
        if self.path is None:
            return
        pinned = self.answerer.vectors.pinned()
        kept = [t for t in texts if t in pinned]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    texts=np.frombuffer(json.dumps(kept).encode("utf-8"), dtype=np.uint8),
                    vectors=np.stack([pinned[t] for t in kept]).astype(np.float32),
                )
            os.replace(tmp, self.path)
        except OSError as exc:
            print(f"autoimmune-qa: could not save sentence vectors to {self.path} ({exc})", file=sys.stderr)
