"""An answerer that has a chat model write the answer from the numbered evidence, then cites it.

After generation the [n] markers are read (retriever.prompts.cited_sentences). For each answer
sentence and each evidence block it cites, the citation quotes the sentence of that chunk closest to
the answer sentence by embedding similarity, so a quote is always an exact sentence of the chunk,
with its offsets in the document. Citations are numbered in order of first use and the markers are
rewritten to those numbers; markers that point to no evidence block are dropped, and so are
sentences left without a citation. With no cited sentence left the answer is a refusal
("insufficient_evidence").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.sentences import split_sentences
from retriever.llm.backends import ChatBackend
from retriever.llm.streaming import emit
from retriever.messages import PATIENT_NOTICE, REFUSAL_TEXT
from retriever.prompts import (
    MAX_SENTENCES,
    STAFF_EXTRA,
    Prompt,
    build_prompt,
    cited_sentences,
    is_refusal_sentence,
    strip_markers,
)
from retriever.types import (
    Answer,
    Audience,
    Citation,
    Evidence,
    RefusalReason,
    cite,
)

log = logging.getLogger("autoimmune_qa.llm")

MIN_QUOTE_WORDS = 3  # shorter chunk sentences (headings, list stubs) are quoted only when nothing else is


@dataclass(frozen=True)
class GenerationStats:
    """How one generation went (also logged at INFO on `autoimmune_qa.llm`)."""

    prompt_tokens: int  # the model's tokens where its tokenizer is at hand, else cl100k
    completion_tokens: int  # the model's tokens, else streamed pieces (one token each on llama.cpp servers)
    evidence_blocks: int
    left_out: int
    first_token_s: float
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        """Decoding speed: tokens after the first over the time after the first."""
        decoding = self.seconds - self.first_token_s
        return (self.completion_tokens - 1) / decoding if self.completion_tokens > 1 and decoding > 0 else 0.0


class LLMAnswerer:
    """`answer()` and `stream()` (text deltas, then the Answer) over any ChatBackend."""

    def __init__(
        self,
        name: str,
        backend: ChatBackend,
        embedder: Embedder,
        *,
        context_tokens: int = 2048,
        max_tokens: int = 256,
        temperature: float = 0.0,
        max_sentences: int = MAX_SENTENCES,
        staff_extra_sentences: int = STAFF_EXTRA,
    ) -> None:
        self.name = name
        self.backend = backend
        self.embedder = embedder
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.max_sentences = max_sentences
        self.staff_extra_sentences = staff_extra_sentences
        self.last_stats: GenerationStats | None = None

    def prompt(self, question: str, evidence: Sequence[Evidence], audience: Audience) -> Prompt:
        """The prompt within the context budget; rechecked with the model's tokenizer where there is one
        (cl100k can undercount another model's tokens), dropping the lowest-ranked block until it fits."""
        prompt = self._build(question, evidence, audience, None)
        while prompt.evidence:
            exact = self._model_tokens(prompt)
            if exact is None or exact <= prompt.budget:
                break
            prompt = self._build(question, evidence, audience, len(prompt.evidence) - 1)
        return prompt

    def _build(
        self, question: str, evidence: Sequence[Evidence], audience: Audience, max_evidence: int | None
    ) -> Prompt:
        return build_prompt(
            question,
            evidence,
            audience,
            context_tokens=self.context_tokens,
            answer_tokens=self.max_tokens,
            max_evidence=max_evidence,
            max_sentences=self.max_sentences,
            staff_extra=self.staff_extra_sentences,
        )

    def _model_tokens(self, prompt: Prompt) -> int | None:
        counts = [self.backend.count_tokens(m["content"]) for m in prompt.messages]
        if any(c is None for c in counts):
            return None
        return sum(c for c in counts if c is not None) + 8 * len(counts)

    def write(self, messages: list[dict[str, str]], max_tokens: int) -> str:
        """The model's greedy reply to `messages`, for side tasks such as condensing a follow-up."""
        return "".join(self.backend.generate(messages, max_tokens, 0.0))

    def answer(self, question: str, evidence: list[Evidence], audience: Audience) -> Answer:
        """The final Answer; while generating, each text delta goes to the current text sink, if any."""
        final: Answer | None = None
        for item in self.stream(question, evidence, audience):
            if isinstance(item, Answer):
                final = item
            else:
                emit(item)
        assert final is not None  # stream() always ends with the Answer
        return final

    def stream(self, question: str, evidence: list[Evidence], audience: Audience) -> Iterator[str | Answer]:
        """Text deltas as the model writes them, then the final Answer (markers renumbered to its
        citations, uncited sentences dropped, or a refusal): show the Answer once it arrives."""
        if not evidence:
            yield self._refusal(question, audience, "no_evidence", [])
            return
        prompt = self.prompt(question, evidence, audience)
        if not prompt.evidence:
            log.warning("no evidence block fits in llm_context_tokens=%d", self.context_tokens)
            yield self._refusal(question, audience, "no_evidence", [])
            return
        started = time.perf_counter()
        first = 0.0
        pieces: list[str] = []
        generation = self.backend.generate(prompt.messages, self.max_tokens, self.temperature)
        try:
            for piece in generation:
                if not pieces:
                    first = time.perf_counter() - started
                pieces.append(piece)
                yield piece
                if ("\n" in piece or "." in piece) and _repeating("".join(pieces)):
                    log.info("%s: stopped a repetition loop after %d pieces", self.name, len(pieces))
                    break
        finally:
            close = getattr(generation, "close", None)
            if close is not None:
                close()  # frees the model (and its lock) when stopped early or abandoned
        text = "".join(pieces)
        self._record(prompt, text, len(pieces), first, time.perf_counter() - started)
        yield self.finish(question, text, prompt.evidence, audience)

    def _record(self, prompt: Prompt, text: str, pieces: int, first: float, seconds: float) -> None:
        exact_prompt = self._model_tokens(prompt)
        exact_completion = self.backend.count_tokens(text) if text else 0
        stats = GenerationStats(
            prompt_tokens=exact_prompt if exact_prompt is not None else prompt.prompt_tokens,
            completion_tokens=exact_completion if exact_completion is not None else pieces,
            evidence_blocks=len(prompt.evidence),
            left_out=prompt.left_out,
            first_token_s=round(first, 4),
            seconds=round(seconds, 4),
        )
        self.last_stats = stats
        log.info(
            "%s %s: %d prompt tokens (%d blocks, %d left out), %d completion tokens in %.2f s "
            "(first token %.2f s, %.1f tokens/s)",
            self.name,
            getattr(self.backend, "model", "?"),
            stats.prompt_tokens,
            stats.evidence_blocks,
            stats.left_out,
            stats.completion_tokens,
            stats.seconds,
            stats.first_token_s,
            stats.tokens_per_s,
        )

    def finish(self, question: str, text: str, evidence: Sequence[Evidence], audience: Audience) -> Answer:
        """The Answer for the model's text over the evidence blocks it was shown (block n = evidence[n-1])."""
        kept: list[tuple[str, list[int]]] = []
        seen: set[str] = set()
        for cited in cited_sentences(text):
            valid = [n for n in cited.cites if 1 <= n <= len(evidence)]
            normal = " ".join(cited.text.lower().split())
            if not valid or normal in seen or is_refusal_sentence(cited.text):
                continue
            seen.add(normal)
            kept.append((cited.text, valid))
        if not kept:
            return self._refusal(question, audience, "insufficient_evidence", evidence)
        quotes = self._quotes(kept, evidence)
        numbers: dict[tuple[int, int], int] = {}
        citations: list[Citation] = []
        parts: list[str] = []
        for i, (sentence, cites) in enumerate(kept):
            marks: list[int] = []
            for n in cites:
                start, end, score = quotes[i, n]
                key = (n, start)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    citations.append(cite(numbers[key], evidence[n - 1], start, end, score))
                if numbers[key] not in marks:
                    marks.append(numbers[key])
            parts.append(sentence + " " + " ".join(f"[{m}]" for m in marks))
        return Answer(
            question=question,
            answer=" ".join(parts),
            citations=citations,
            audience=audience,
            evidence_score=_evidence_score(evidence),
            answerer=self.name,
            notice=PATIENT_NOTICE if audience == "patient" else "",
        )

    def _quotes(
        self, kept: list[tuple[str, list[int]]], evidence: Sequence[Evidence]
    ) -> dict[tuple[int, int], tuple[int, int, float]]:
        """(answer sentence i, block n) → (start, end, cosine) of the chunk sentence that best supports it."""
        cited = sorted({n for _, cites in kept for n in cites})
        spans: dict[int, list[tuple[int, int]]] = {}
        for n in cited:
            text = evidence[n - 1].text
            found = split_sentences(text) or [(0, len(text))]
            long_enough = [(s, e) for s, e in found if len(text[s:e].split()) >= MIN_QUOTE_WORDS]
            spans[n] = long_enough or found
        texts = [sentence for sentence, _ in kept] + [
            evidence[n - 1].text[s:e] for n in cited for s, e in spans[n]
        ]
        vectors = self.embedder.encode(texts)
        answers, rest = vectors[: len(kept)], vectors[len(kept) :]
        offset = 0
        by_block: dict[int, np.ndarray] = {}
        for n in cited:
            by_block[n] = rest[offset : offset + len(spans[n])]
            offset += len(spans[n])
        quotes: dict[tuple[int, int], tuple[int, int, float]] = {}
        for i, (_, cites) in enumerate(kept):
            for n in cites:
                similarity = by_block[n] @ answers[i]
                best = int(np.argmax(similarity))
                start, end = spans[n][best]
                quotes[i, n] = (start, end, float(similarity[best]))
        return quotes

    def _refusal(
        self, question: str, audience: Audience, reason: RefusalReason, evidence: Sequence[Evidence]
    ) -> Answer:
        return Answer(
            question=question,
            answer=REFUSAL_TEXT,
            refused=True,
            refusal_reason=reason,
            audience=audience,
            answerer=self.name,
            evidence_score=_evidence_score(evidence),
        )


def _repeating(text: str) -> bool:
    """A finished sentence said a second time: small models loop ("4. X is complex. 5. X is complex.")."""
    sentences = cited_sentences(text)
    # the last one may still be growing, unless the text already ends on a full stop or a marker
    finished = sentences if text.rstrip()[-1:] in {".", "!", "?", "]"} else sentences[:-1]
    said = [" ".join(strip_markers(c.text).lower().split()) for c in finished]
    return len(said) != len(set(said))


def _evidence_score(evidence: Sequence[Evidence]) -> float:
    """The best cosine similarity of a chunk the model was shown (the LLM answerers score no sentences)."""
    return round(max((e.score for e in evidence), default=0.0), 4)
