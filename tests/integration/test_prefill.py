"""Evidence sentences embedded ahead of questions (retriever.prefill), on the real model and index."""

from __future__ import annotations

import time

import numpy as np

from index.settings import Settings
from retriever.chain import Assistant
from retriever.extractive import ExtractiveAnswerer

QUESTION = "What is lupus nephritis?"


def counted(answerer: ExtractiveAnswerer) -> list[list[str]]:
    """Every text list the answerer's sentence cache sends to the model, from now on."""
    calls: list[list[str]] = []
    embedder = answerer.vectors.embedder
    original = embedder.encode

    def encode(texts: list[str], batch_size: int | None = None) -> np.ndarray:
        calls.append(list(texts))
        return original(texts, batch_size=batch_size)

    answerer.vectors.embedder = type("Counting", (), {"encode": staticmethod(encode), "dimension": 384})()  # type: ignore[assignment]
    return calls


def test_a_prefilled_assistant_answers_the_same_without_embedding_evidence(built_index: Settings) -> None:
    plain = Assistant(built_index)
    before = plain.ask(QUESTION)
    assistant = Assistant(built_index)
    assert assistant.health()["prefill_state"] == "idle"
    prefill = assistant.start_prefill()
    assert prefill is not None and prefill.start() is prefill.start()  # started once
    prefill.start().join(timeout=120)
    health = assistant.health()
    assert health["prefill_state"] == "done" and health["prefill_ready"] == health["prefill_total"] > 20
    assert isinstance(assistant.answerer, ExtractiveAnswerer)
    calls = counted(assistant.answerer)
    after = assistant.ask(QUESTION)
    assert after.answer == before.answer and [c.quote for c in after.citations] == [
        c.quote for c in before.citations
    ]
    assert calls == [[QUESTION]], "only the question is new to the model; every evidence text was ready"


def test_the_background_work_waits_while_a_question_is_answered(built_index: Settings) -> None:
    assistant = Assistant(built_index.model_copy(update={"prefill_sentences": 10}))
    prefill = assistant.prefill
    assert prefill is not None
    with prefill.paused():
        prefill.start()
        time.sleep(1.0)
        assert prefill.total == 10 and prefill.ready == 0, "no batch runs during a question"
    prefill.start().join(timeout=60)
    assert (prefill.state, prefill.ready) == ("done", 10)


def test_prefill_off_and_stop(built_index: Settings) -> None:
    off = Assistant(built_index.model_copy(update={"prefill_sentences": 0}))
    assert off.start_prefill() is None and off.health()["prefill_state"] == "off"
    assistant = Assistant(built_index)
    prefill = assistant.prefill
    assert prefill is not None
    with prefill.paused():
        prefill.start()
        prefill.stop()  # a stop during a question ends the thread before its first batch
    assert prefill.state == "stopped" and prefill.ready == 0
