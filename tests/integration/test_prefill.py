"""Evidence sentences embedded ahead of questions (retriever.prefill), on the real model and index."""

from __future__ import annotations

import gc
import time
from pathlib import Path

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


def test_a_prefilled_assistant_answers_the_same_without_embedding_evidence(
    built_index: Settings, tmp_path: Path
) -> None:
    built_index = built_index.model_copy(update={"cache_dir": tmp_path, "prefill_sentences": 30_000})
    plain = Assistant(built_index)
    before = plain.ask(QUESTION)
    assistant = Assistant(built_index)
    assert assistant.health()["prefill_state"] == "idle"
    prefill = assistant.start_prefill()
    gc.unfreeze()
    assert prefill is not None and prefill.start() is prefill.start()  # started once
    prefill.start().join(timeout=120)
    assert gc.get_freeze_count() > 0, "the models, indexes and vectors are out of the collector's walks"
    gc.unfreeze()
    health = assistant.health()
    assert health["prefill_state"] == "done" and health["prefill_ready"] == health["prefill_total"] > 20
    assert isinstance(assistant.answerer, ExtractiveAnswerer)
    calls = counted(assistant.answerer)
    after = assistant.ask(QUESTION)
    assert after.answer == before.answer and [c.quote for c in after.citations] == [
        c.quote for c in before.citations
    ]
    assert calls == [[QUESTION]], "only the question is new to the model; every evidence text was ready"


def test_the_background_work_waits_while_a_question_is_answered(
    built_index: Settings, tmp_path: Path
) -> None:
    assistant = Assistant(built_index.model_copy(update={"prefill_sentences": 10, "cache_dir": tmp_path}))
    prefill = assistant.prefill
    assert prefill is not None
    with prefill.paused():
        prefill.start()
        time.sleep(1.0)
        assert prefill.total == 10 and prefill.ready == 0, "no batch runs during a question"
    prefill.start().join(timeout=60)
    assert (prefill.state, prefill.ready) == ("done", 10)


def test_prefill_off_and_stop(built_index: Settings, tmp_path: Path) -> None:
    off = Assistant(built_index.model_copy(update={"prefill_sentences": 0}))
    assert off.start_prefill() is None and off.health()["prefill_state"] == "off"
    assistant = Assistant(built_index.model_copy(update={"cache_dir": tmp_path, "prefill_sentences": 30_000}))
    prefill = assistant.prefill
    assert prefill is not None
    with prefill.paused():
        prefill.start()
        prefill.stop()  # a stop during a question ends the thread before its first batch
    assert prefill.state == "stopped" and prefill.ready == 0


def test_the_next_start_takes_the_saved_vectors(built_index: Settings, tmp_path: Path) -> None:
    settings = built_index.model_copy(update={"cache_dir": tmp_path, "prefill_sentences": 30_000})
    first = Assistant(settings)
    prefill = first.start_prefill()
    assert prefill is not None and prefill.path is not None
    prefill.start().join(timeout=120)
    assert prefill.path.is_file() and prefill.saved == 0
    again = Assistant(settings)
    assert isinstance(again.answerer, ExtractiveAnswerer)
    calls = counted(again.answerer)
    loaded = again.start_prefill()
    assert loaded is not None
    loaded.start().join(timeout=60)
    assert calls == [] and loaded.status() == {**prefill.status(), "prefill_saved": prefill.total}
    assert again.ask(QUESTION).answer == first.ask(QUESTION).answer
    prefill.path.write_bytes(b"not a numpy file")  # damaged: ignored, everything embedded and saved anew
    third = Assistant(settings)
    redone = third.start_prefill()
    assert redone is not None
    redone.start().join(timeout=120)
    assert (redone.state, redone.saved, redone.ready) == ("done", 0, prefill.total)
    with np.load(prefill.path) as data:
        assert len(data["vectors"]) == prefill.total
