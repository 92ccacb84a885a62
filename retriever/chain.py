"""The chain: condense the follow-up → screen → retrieve evidence → answer with citations (a LangChain Runnable).

The screen (`retriever.guardrails`) runs before retrieval on every path (ask, ask_stream, ask_turns):
an emergency gets the urgent-care message and an out-of-scope question a polite refusal, both without
retrieval; a personal medical decision is answered with the general facts of its depersonalised
question (dosing sentences blanked out of the evidence) behind a line sending the person to their
care team, or, when the sources give none, with the care-team redirect alone (`personal_advice`).
After the answerer, whichever it is, citation checking (`retriever.citecheck`) keeps only supported,
correctly numbered sentences, and patients get glossary explanations (`retriever.audience`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from index.embedder import get_embedder
from index.settings import Settings
from index.store import Store, open_store
from retriever.answerers import Answerer, make_answerer
from retriever.audience import explain_terms
from retriever.citecheck import CiteCheckSettings, check_citations
from retriever.conversation import (
    CONDENSE_MAX_TOKENS,
    Generate,
    condense_followup,
    llm_condense_followup,
)
from retriever.coverage import (
    Ask,
    covered_topics,
    not_covered_text,
    uncovered_asks,
    unknown_words,
    unmentioned_places,
)
from retriever.extractive import ExtractiveAnswerer, refusal
from retriever.filters import Filters
from retriever.guardrails import Screening, screen
from retriever.guardrails.dosing import is_dosing_text, redact_dosing
from retriever.guardrails.personal import personal_prefix, personal_redirect
from retriever.guardrails.scope import ScopeVocabulary
from retriever.query import (
    name_candidates,
    not_in_sources_text,
    rewrite_query,
    subject_terms,
    unknown_names,
    unmentioned,
    unmentioned_text,
)
from retriever.search import IndexRetriever
from retriever.types import PATIENT_NOTICE, Answer, Audience, Evidence, Retrieved

Message = dict[str, Any]  # {"role": "user" | "assistant", "content": str}


def standalone_question(
    question: str, history: list[Message] | None, generate: Generate | None = None
) -> str:
    """The question made standalone by carrying the conversation's subject forward, turn by turn:
    by the rule, or, with `generate` (an LLM), by the model where its rewrite is usable. Earlier
    turns are condensed by the rule only, so a conversation costs one model call a question."""
    previous: list[str] = []
    for message in history or []:
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            previous.append(condense_followup(str(message["content"]), previous))
    if generate is not None:
        return llm_condense_followup(question, previous, generate)
    return condense_followup(question, previous)


def llm_generate(answerer: Answerer) -> Generate | None:
    """The answerer's model as a plain text generator for condensing, if it has one."""
    backend = getattr(answerer, "backend", None)
    if backend is None:
        return None

    def generate(messages: list[dict[str, str]]) -> str:
        return "".join(backend.generate(messages, CONDENSE_MAX_TOKENS, 0.0))

    return generate


def build_chain(
    retriever: IndexRetriever, answerer: Answerer, vocabulary: ScopeVocabulary | None = None
) -> Runnable[dict[str, Any], Answer]:
    """{question, history, audience} → Answer. Swap `answerer` to change how answers are written;
    `vocabulary` is the in-scope vocabulary of the screen (default: glossary and fixed word list)."""
    settings = retriever.settings
    scope = vocabulary or ScopeVocabulary.build(settings.glossary)
    checking = CiteCheckSettings(settings.support_cosine, settings.support_overlap, settings.citecheck)
    generate = llm_generate(answerer)

    def condense(state: dict[str, Any]) -> dict[str, Any]:
        standalone = standalone_question(state["question"], state.get("history"), generate)
        unrewritten = standalone
        if settings.rewrite_queries:
            standalone = rewrite_query(standalone, settings.glossary, retriever.vocabulary())
        return {**state, "standalone": standalone, "unrewritten": unrewritten}

    def guard(state: dict[str, Any]) -> dict[str, Any]:
        names: list[str] = []
        if settings.refuse_unknown_names and name_candidates(state["question"]):
            names = unknown_names(state["question"], retriever.vocabulary())
        if not settings.guardrails:
            return {**state, "screening": Screening(None, None, state["standalone"]), "unknown_names": names}
        screening = screen(state["question"], state["standalone"], state["audience"], scope)
        return {**state, "screening": screening, "standalone": screening.question, "unknown_names": names}

    def guarded(state: dict[str, Any]) -> Answer:
        result = state["screening"].answer
        result.question = state["question"]
        result.standalone_question = state["standalone"]
        return result  # type: ignore[no-any-return]

    def unknown(state: dict[str, Any]) -> Answer:
        result = refusal(state["question"], state["audience"], "not_in_sources")
        result.answer = not_in_sources_text(state["unknown_names"])
        result.standalone_question = state["standalone"]
        return result

    def retrieve(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        evidence = retriever.search_with_context(state["standalone"], where=state.get("where"))
        return {**state, "evidence": evidence, "retrieve_ms": (time.perf_counter() - started) * 1000}

    def answer(state: dict[str, Any]) -> Answer:
        started = time.perf_counter()
        audience: Audience = state["audience"]
        personal = state["screening"].kind == "personal_advice"
        evidence = state["evidence"]
        # the rewritten question (aliases, corrected spelling) is a search query; the answerer judges
        # sentences against what the person asked (a personal question: its depersonalised form)
        asked = state["standalone"] if personal else state.get("unrewritten", state["standalone"])
        # "what is lymphodepletion?": a term that no retrieved text uses is not what nearby sentences
        # about "B-cell depletion" answer
        missing = (
            unmentioned(subject_terms(asked), [f"{e.title} {e.text}" for e in evidence])
            if settings.refuse_unknown_names
            else []
        )
        # a personal question's general facts only when they answer its depersonalised form; else the
        # care-team redirect alone (`_personal`)
        asks, names = _uncovered(asked, evidence) if settings.refuse_uncovered else ([], [])
        if missing:
            result = refusal(asked, audience, "not_in_sources")
            result.answer = unmentioned_text(missing)
        elif asks or names:
            result = refusal(asked, audience, "not_covered")
            result.answer = not_covered_text(asks, names, covered_topics(evidence), audience)
        else:
            result = answerer.answer(asked, redact_dosing(evidence) if personal else evidence, audience)
        result = check_citations(
            result, evidence, retriever.embedder, checking, drop=is_dosing_text if personal else None
        )
        if audience == "patient" and not result.refused:
            result.explanations = explain_terms(result.answer, state["standalone"], settings.glossary)
        if personal:
            result = _personal(result, state["question"], audience)
        if audience == "patient" and not result.notice:
            result.notice = PATIENT_NOTICE
        result.question = state["question"]
        result.standalone_question = state["standalone"]
        result.retrieved = [
            Retrieved(doc_id=e.doc_id, chunk_id=e.chunk_id, score=e.score, context=e.context)
            for e in evidence
        ]
        result.timings_ms.retrieve = round(state["retrieve_ms"], 2)
        result.timings_ms.answer = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _uncovered(asked: str, evidence: list[Evidence]) -> tuple[list[Ask], list[str]]:
        texts = [f"{e.title} {e.headings} {e.text}" for e in evidence]
        names = unknown_words(asked, retriever.vocabulary())
        names += [w for w in unmentioned_places(asked, texts) if w not in names]
        return uncovered_asks(asked, texts), names

    answered: Runnable[dict[str, Any], Answer] = RunnableLambda(retrieve) | RunnableLambda(answer)
    branch: Runnable[dict[str, Any], Answer] = RunnableBranch(
        (lambda state: state["screening"].answer is not None, RunnableLambda(guarded)),
        (lambda state: bool(state["unknown_names"]), RunnableLambda(unknown)),
        answered,
    )
    return RunnableLambda(condense) | RunnableLambda(guard) | branch


def _personal(result: Answer, question: str, audience: Audience) -> Answer:
    """A personal decision: the general facts behind the care-team line, or the redirect alone."""
    if result.refused:
        redirect = personal_redirect(question, audience)
        redirect.evidence_score = result.evidence_score
        return redirect
    result.answer = f"{personal_prefix(audience)}\n\n{result.answer}"
    return result


class Assistant:
    """The one object front ends hold: loads the model once, answers questions with citations."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store or open_store(settings, create=False)
        self.retriever = IndexRetriever(store=self.store, embedder=get_embedder(settings), settings=settings)
        self.answerer = make_answerer(settings)
        if isinstance(self.answerer, ExtractiveAnswerer):
            self.answerer.staff_extra_sentences = settings.staff_extra_sentences
        titles = self._titles() if settings.guardrails else []
        self.vocabulary = ScopeVocabulary.build(settings.glossary, titles)
        self.chain = build_chain(self.retriever, self.answerer, self.vocabulary)

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
        """Pieces of the answer text as they are ready, then the final Answer, which is what `ask`
        returns and what a front end should show once it arrives (it replaces the pieces).

        An answerer with a `stream` method (the LLM answerers) gives the model's text token by token:
        `ask` runs in a worker thread with a text sink set (retriever.llm.streaming), so every step of
        the chain still applies to the final Answer. Otherwise the answer comes sentence by sentence."""
        if not callable(getattr(self.answerer, "stream", None)):
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
        """The index's size and the answerer's name: {documents, chunks, answerer}."""
        chunks = self.store.chunks(create=False)
        return {
            "documents": int(self.store.documents().count()),
            "chunks": int(chunks.count()) if chunks is not None else 0,
            "answerer": str(getattr(self.answerer, "name", self.settings.answerer)),
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
