"""Where an answer's text goes while it is generated, so `Assistant.ask_stream` can pass it on.

The chain calls `answerer.answer(...)`; an answerer that can stream writes each piece of text to the
sink set here (if any) while it generates. `Assistant.ask_stream` runs the whole chain (guardrails,
citation checking and all) in a worker thread with a sink set, and yields the pieces as they come.
A context variable, so concurrent requests (each in its own thread or context) never mix pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

TextSink = Callable[[str], None]

_SINK: ContextVar[TextSink | None] = ContextVar("aqa_text_sink", default=None)


@contextmanager
def text_sink(sink: TextSink) -> Iterator[None]:
    """Send the pieces of text generated inside this block (this context only) to `sink`."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def emit(piece: str) -> None:
    """Pass a piece of generated text to the current sink; nothing happens when none is set."""
    sink = _SINK.get()
    if sink is not None and piece:
        sink(piece)
