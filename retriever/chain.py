"""The chain: condense the follow-up → retrieve evidence → answer with citations (a LangChain Runnable)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from index.embedder import get_embedder
from index.settings import Settings
from index.store import Store, open_store
from retriever.answerers import Answerer, make_answerer
from retriever.conversation import condense_followup
from retriever.extractive import refusal
from retriever.filters import Filters
from retriever.query import rewrite_query
from retriever.search import IndexRetriever
from retriever.types import Answer, Audience, Retrieved

Message = dict[str, Any]  # {"role": "user" | "assistant", "content": str}


def standalone_question(question: str, history: list[Message] | None) -> str:
    """The question made standalone by carrying the conversation's subject forward, turn by turn."""
    previous: list[str] = []
    for message in history or []:
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            previous.append(condense_followup(str(message["content"]), previous))
    return condense_followup(question, previous)


def build_chain(retriever: IndexRetriever, answerer: Answerer) -> Runnable[dict[str, Any], Answer]:
    """{question, history, audience} → Answer. Swap `answerer` to change how answers are written."""

    def condense(state: dict[str, Any]) -> dict[str, Any]:
        standalone = standalone_question(state["question"], state.get("history"))
        settings = retriever.settings
        if settings.rewrite_queries:
            standalone = rewrite_query(standalone, settings.glossary, retriever.vocabulary())
        return {**state, "standalone": standalone}

    def retrieve(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        evidence = retriever.search(state["standalone"], where=state.get("where"))
        return {**state, "evidence": evidence, "retrieve_ms": (time.perf_counter() - started) * 1000}

    def answer(state: dict[str, Any]) -> Answer:
        started = time.perf_counter()
        result = answerer.answer(state["standalone"], state["evidence"], state["audience"])
        result.question = state["question"]
        result.standalone_question = state["standalone"]
        result.retrieved = [
            Retrieved(doc_id=e.doc_id, chunk_id=e.chunk_id, score=e.score) for e in state["evidence"]
        ]
        result.timings_ms.retrieve = round(state["retrieve_ms"], 2)
        result.timings_ms.answer = round((time.perf_counter() - started) * 1000, 2)
        return result

    return RunnableLambda(condense) | RunnableLambda(retrieve) | RunnableLambda(answer)


class Assistant:
    """The one object front ends hold: loads the model once, answers questions with citations."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store or open_store(settings, create=False)
        self.retriever = IndexRetriever(store=self.store, embedder=get_embedder(settings), settings=settings)
        self.answerer = make_answerer(settings)
        self.chain = build_chain(self.retriever, self.answerer)

    def ask(
        self,
        question: str,
        history: list[Message] | None = None,
        audience: Audience | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        audience = audience or self.settings.audience
        started = time.perf_counter()
        if not question or not question.strip():
            result = refusal(question or "", audience, "empty_question")
            result.answer = "Please type a question."
        else:
            where = filters.to_where() if filters else None
            state = {
                "question": question.strip(),
                "history": history or [],
                "audience": audience,
                "where": where,
            }
            result = self.chain.invoke(state)
        result.timings_ms.total = round((time.perf_counter() - started) * 1000, 2)
        return result

    def ask_stream(
        self,
        question: str,
        history: list[Message] | None = None,
        audience: Audience | None = None,
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """Pieces of the answer text as they are ready (sentence by sentence), then the final Answer,
        which is what `ask` returns and what a front end should show once it arrives."""
        result = self.ask(question, history, audience, filters)
        # one cited sentence at a time: the text up to and including its [n] markers
        pieces = [p for p in re.split(r"(?<=\])\s+(?=[^\[\s])", result.answer) if p] or [result.answer]
        for i, piece in enumerate(pieces):
            yield piece if i == 0 else " " + piece
        yield result

    def ask_turns(
        self, turns: list[str], audience: Audience | None = None, filters: Filters | None = None
    ) -> Answer:
        """Ask each turn in order in one conversation; the result is the last turn's."""
        history: list[Message] = []
        result = self.ask(turns[0], history, audience, filters)
        for turn in turns[1:]:
            history += [
                {"role": "user", "content": result.question},
                {"role": "assistant", "content": result.answer},
            ]
            result = self.ask(turn, history, audience, filters)
        return result

    def facets(self) -> dict[str, list[str]]:
        """The sources and topics in the index, for filter menus."""
        got = self.store.documents().get(include=["metadatas"])
        sources: set[str] = set()
        topics: set[str] = set()
        for meta in got["metadatas"] or []:
            if meta and meta.get("source"):
                sources.add(str(meta["source"]))
            tags = (meta or {}).get("topic_tags")
            if isinstance(tags, list):
                topics.update(str(t) for t in tags)
        return {"source": sorted(sources), "topic": sorted(topics)}
