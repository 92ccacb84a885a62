"""Sentence vectors computed ahead of questions, so that a warm chat answers without the model.

Most of a warm answer's time is the extractive answerer embedding the ~20 evidence sentences it
weighs (plain and "title: sentence"; docs/benchmarks.md, Speed). Those texts depend only on the
indexed chunks, so the chat and the API (`app.api.serve`) embed every chunk's quotable texts once,
on a background thread, after they start: 20,791 texts (158 s on 2 busy cores) for the shared
documents plus the bundled articles, 1.5 KB of memory each, at most `prefill_sentences` texts.

It works only while no question is being answered: `Assistant.ask` holds `paused()`, and the thread
waits for it between small batches, so a question never queues behind more than one batch. Vectors
are the same model's (a text's vector can differ from one computed beside other texts in rounding
only). Nothing is written to disk: a restart computes them again.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from index.store import Store
from retriever.types import Evidence

BATCH = 8  # texts per step: a question waits for at most one step of 8 short texts
PAGE = 500  # chunks read from the store at a time


@runtime_checkable
class Prefillable(Protocol):
    """An answerer that embeds evidence sentences and can take them ahead of time."""

    def quotable(self, evidence: Evidence) -> list[str]: ...

    def pin(self, texts: list[str], batch_size: int) -> int: ...


class Prefill:
    """The background work and its progress: state is "idle" (not started), "running", "done" or
    "failed: …"; `ready` of `total` texts are embedded."""

    def __init__(self, store: Store, answerer: Prefillable, limit: int) -> None:
        self.store = store
        self.answerer = answerer
        self.limit = limit
        self.state = "idle"
        self.ready = 0
        self.total = 0
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
        return {"prefill_state": self.state, "prefill_ready": self.ready, "prefill_total": self.total}

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
        try:
            texts = self.texts()
            self.total = len(texts)
            for start in range(0, len(texts), BATCH):
                with self._idle:
                    self._idle.wait_for(lambda: self._asks == 0 or self._stop.is_set())
                if self._stop.is_set():
                    self.state = "stopped"
                    return
                self.answerer.pin(texts[start : start + BATCH], BATCH // 2)
                self.ready = min(self.total, start + BATCH)
            self.state = "done"
        except Exception as exc:  # answering still works, only slower: say why in health and on stderr
            self.state = f"failed: {type(exc).__name__}: {exc}"
            print(f"autoimmune-qa: computing sentence vectors ahead failed ({exc})", file=sys.stderr)
