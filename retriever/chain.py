"""The chain: condense the follow-up → screen → retrieve evidence → answer with citations (a LangChain Runnable).

The screen (`retriever.guardrails`) runs before retrieval on every path (ask, ask_stream, ask_turns):
an emergency gets the urgent-care message and an out-of-scope question a polite refusal, both without
retrieval; a personal medical decision is answered with the general facts of its depersonalised
question (dosing sentences blanked out of the evidence) behind a line sending the person to their
care team, or, when the sources give none, with the care-team redirect alone (`personal_advice`).
After the answerer, whichever it is, citation checking (`retriever.citecheck`) keeps only supported,
correctly numbered sentences, and patients get glossary explanations (`retriever.audience`).
Each step is a function of `retriever.steps` from one small frozen value to the next.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import nullcontext
from functools import partial

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from index.embedder import get_embedder
from index.settings import Settings
from index.store import Store, open_store
from retriever.answerers import Answerer, StreamingAnswerer, WritingAnswerer, make_answerer
from retriever.citecheck import CiteCheckSettings
from retriever.conversation import CONDENSE_MAX_TOKENS, Generate
from retriever.english import warm_in_background
from retriever.filters import Filters
from retriever.guardrails.scope import ScopeVocabulary
from retriever.messages import EMPTY_QUESTION_TEXT, refusal
from retriever.prefill import Prefill, Prefillable, cache_file
from retriever.search import IndexRetriever
from retriever.steps import (
    ChainParts,
    Message,
    Question,
    Screened,
    answer,
    condense,
    screen_question,
    screened_answer,
    search,
    unknown_names_answer,
)
from retriever.types import Answer, Audience, Evidence


def llm_generate(answerer: Answerer) -> Generate | None:
    """The answerer's model as a plain text generator for condensing, if it has one."""
    if isinstance(answerer, WritingAnswerer):
        return partial(answerer.write, max_tokens=CONDENSE_MAX_TOKENS)
    return None


def build_chain(
    retriever: IndexRetriever, answerer: Answerer, vocabulary: ScopeVocabulary | None = None
) -> Runnable[Question, Answer]:
    """Question → Answer. Swap `answerer` to change how answers are written; `vocabulary` is the
    in-scope vocabulary of the screen (default: glossary and fixed word list)."""
    settings = retriever.settings
    parts = ChainParts(
        retriever=retriever,
        answerer=answerer,
        scope=vocabulary or ScopeVocabulary.build(settings.glossary),
        checking=CiteCheckSettings(settings.support, settings.answering.citecheck),
        generate=llm_generate(answerer),
    )
    condensing = RunnableLambda(partial(condense, parts))
    screening = RunnableLambda(partial(screen_question, parts))
    searching = RunnableLambda(partial(search, parts))
    answering = RunnableLambda(partial(answer, parts))
    answered: Runnable[Screened, Answer] = RunnableBranch(
        (lambda screened: screened.screening.answer is not None, RunnableLambda(screened_answer)),
        (lambda screened: bool(screened.unknown_names), RunnableLambda(unknown_names_answer)),
        searching | answering,
    )
    return condensing | screening | answered


class Assistant:
    """The one object front ends hold: loads the model once, answers questions with citations."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        warm_in_background()  # the word list the screening and coverage checks read (retriever.english)
        self.store = store or open_store(settings, create=False)
        self.retriever = IndexRetriever(store=self.store, embedder=get_embedder(settings), settings=settings)
        self.answerer = make_answerer(settings)
        titles = self._titles() if settings.guardrails else []
        self.vocabulary = ScopeVocabulary.build(settings.glossary, titles)
        self.chain = build_chain(self.retriever, self.answerer, self.vocabulary)
        self.prefill = (
            Prefill(
                self.store,
                self.answerer,
                settings.answering.prefill_sentences,
                cache_file(settings.store.cache_dir, self.retriever.embedder.model_id, self.store.where()),
            )
            if isinstance(self.answerer, Prefillable) and settings.answering.prefill_sentences > 0
            else None
        )

    def start_prefill(self) -> Prefill | None:
        """Embed the index's evidence sentences on a background thread while no question is being
        answered (`retriever.prefill`); long-running front ends call this once they are up."""
        if self.prefill is not None:
            self.prefill.start()
        return self.prefill

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
            result = refusal(question or "", audience, "empty_question", EMPTY_QUESTION_TEXT)
        else:
            with self.prefill.paused() if self.prefill is not None else nullcontext():
                result = self.chain.invoke(
                    Question(question.strip(), audience, tuple(history or []), filters)
                )
        total = round((time.perf_counter() - started) * 1000, 2)
        return result.model_copy(update={"timings_ms": result.timings_ms.model_copy(update={"total": total})})

    def ask_stream(
        self,
        question: str,
        history: list[Message] | None = None,
        audience: Audience | None = None,
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """Pieces of the answer text as they are ready, then the final Answer, which is what `ask`
        returns and what a front end should show once it arrives (it replaces the pieces).

        An answerer with a `stream` method (the LLM answerers) gives the model's text token by token:
        `ask` runs in a worker thread with a text sink set (retriever.llm.streaming), so every step of
        the chain still applies to the final Answer. Otherwise the answer comes sentence by sentence."""
        if not isinstance(self.answerer, StreamingAnswerer):
            result = self.ask(question, history, audience, filters)
            # one cited sentence (or list) at a time: the text up to and including its [n] markers, each
            # piece after the first with the whitespace that preceded it (a blank line before a list)
            parts = re.split(r"(?<=\])(\s+)(?=[^\[\s])", result.answer)
            yield parts[0]
            for i in range(1, len(parts) - 1, 2):
                yield parts[i] + parts[i + 1]
            yield result
            return

        import queue
        import threading

        from retriever.llm.streaming import text_sink

        items: queue.SimpleQueue[str | Answer | BaseException] = queue.SimpleQueue()

        def work() -> None:
            try:
                with text_sink(items.put):
                    items.put(self.ask(question, history, audience, filters))
            except BaseException as exc:  # re-raised in the caller's thread
                items.put(exc)

        threading.Thread(target=work, name="aqa-ask-stream", daemon=True).start()
        streamed = False
        while True:
            item = items.get()
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, Answer):
                if not streamed:  # refused or answered before the model ran: the text in one piece
                    yield item.answer
                yield item
                return
            streamed = True
            yield item

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

    def _titles(self) -> list[str]:
        """The indexed documents' titles: their words count as in scope for the screen."""
        try:
            got = self.store.documents().get(include=["metadatas"])
        except Exception:  # an index without a documents table: the glossary and word list still apply
            return []
        return [str(m["title"]) for m in got["metadatas"] or [] if m and m.get("title")]

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

    def health(self) -> dict[str, int | str]:
        """The index's size, the answerer's name and how far `start_prefill` has got: {documents,
        chunks, answerer, prefill_state, prefill_ready, prefill_total, prefill_saved}."""
        chunks = self.store.chunks(create=False)
        prefill = self.prefill.status() if self.prefill else {"prefill_state": "off"}
        return {
            "documents": int(self.store.documents().count()),
            "chunks": int(chunks.count()) if chunks is not None else 0,
            "answerer": str(getattr(self.answerer, "name", self.settings.answerer)),
            "prefill_ready": 0,
            "prefill_total": 0,
            "prefill_saved": 0,
            **prefill,
        }

    def chunk_views(self, chunk_ids: list[str]) -> dict[str, Evidence]:
        """The stored text, offset and headings of these chunks by id, for showing a quote in its
        chunk (score 0: not a search result); empty when the index cannot be read."""
        ids = list(dict.fromkeys(i for i in chunk_ids if i))
        if not ids:
            return {}
        try:
            collection = self.store.chunks(create=False)
            if collection is None:
                return {}
            got = collection.get(ids=ids, include=["documents", "metadatas"])
        except Exception:  # a front end then shows the quote alone
            return {}
        rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False)
        views = {}
        for chunk_id, text, meta in rows:
            meta = dict(meta or {})
            start = meta.get("start")
            views[chunk_id] = Evidence(
                chunk_id=chunk_id,
                doc_id=str(meta.get("doc_id") or ""),
                text=text or "",
                score=0.0,
                start=int(start) if isinstance(start, int | float) else 0,
                headings=str(meta.get("headings") or ""),
            )
        return views
