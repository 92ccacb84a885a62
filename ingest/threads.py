"""Ingest's two background threads: one prepares the next batch while this one embeds
(`in_background`), one writes embedded batches while the next embeds (`Writer`)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

import numpy as np

B = TypeVar("B")
T = TypeVar("T")


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def in_background(items: Generator[T, None, None], ahead: int) -> Generator[T, None, None]:
    """Runs a generator on a daemon thread at most `ahead` items ahead of the consumer; its errors are
    raised here. Closing this generator (or an error here) stops the thread at its next item."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(_DONE)
        except BaseException as exc:  # handed to the consumer, which raises it
            offer(_Failed(exc))
        finally:
            items.close()

    thread = threading.Thread(target=work, name="ingest-prepare", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join(timeout=30)


class Writer(Generic[B]):
    """Runs `write(batch, vectors)` on one thread, in the order given, with at most `queued` batches
    waiting behind the one being written: batch N is written while batch N+1 is embedded. A write's
    error stops the writing and is raised in the caller at its next `put` or at `close`."""

    def __init__(self, write: Callable[[B, np.ndarray], None], queued: int) -> None:
        self._write = write
        self._queue: queue.Queue[tuple[B, np.ndarray] | None] = queue.Queue(maxsize=queued)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="ingest-write", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after an error the rest is drained, not written
                try:
                    self._write(*item)
                except BaseException as exc:  # handed to the caller, which raises it
                    self._error = exc

    def put(self, batch: B, vectors: np.ndarray) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((batch, vectors))

    def close(self, raise_error: bool = True) -> None:
        """Waits until every batch put is written (or a write failed)."""
        self._queue.put(None)
        self._thread.join()
        if raise_error and self._error is not None:
            raise self._error
