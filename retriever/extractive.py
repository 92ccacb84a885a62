"""The default answerer: no LLM; it picks the sentences of the evidence that best answer the question.

A sentence's score blends its embedding similarity to the question, the similarity of the chunk it
came from, and how many of the question's content words it contains. The best score is the evidence
sufficiency signal: below `min_evidence_score` (calibrated on eval/dev.jsonl) the answerer refuses.

The audience then shapes the selection (`retriever.audience`): for patients a readability penalty
(long sentences, long words) is subtracted before choosing, so plain sentences win among near-equal
ones, and at most 3 are kept; for staff a sentence with a figure gets a small bonus and
`staff_extra_sentences` more may be kept. The refusal decision and the citation scores use the
unadjusted score. Sentences are quoted verbatim, so citation checking finds every one supported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.sentences import split_sentences
from index.terms import content_terms, term_coverage
from retriever.audience import audience_adjustment, sentence_limit
from retriever.types import (
    PATIENT_NOTICE,
    REFUSAL_TEXT,
    Answer,
    Audience,
    Citation,
    Evidence,
    RefusalReason,
    cite,
)

W_SENTENCE, W_CHUNK, W_TERMS = 0.55, 0.30, 0.15
REDUNDANT_COSINE = 0.85  # a candidate this close to a chosen sentence adds nothing
MARGIN = 0.12  # sentences scoring this far below the best are off-topic for the answer
MIN_WORDS, MAX_WORDS = 4, 90


@dataclass(frozen=True)
class Candidate:
    evidence: Evidence
    rank: int
    text: str
    start: int  # offset in the document
    end: int


def candidates(evidence: list[Evidence]) -> list[Candidate]:
    """Every usable sentence of the evidence, once, with its offsets in its document."""
    seen: set[str] = set()
    found = []
    for rank, ev in enumerate(evidence):
        for start, end in split_sentences(ev.text):
            sentence = ev.text[start:end]
            key = " ".join(sentence.lower().split())
            words = len(sentence.split())
            if key in seen or words < MIN_WORDS or words > MAX_WORDS or sentence.rstrip().endswith("?"):
                continue
            seen.add(key)
            found.append(Candidate(ev, rank, sentence, ev.start + start, ev.start + end))
    return found


class ExtractiveAnswerer:
    """Selects, orders and cites the few sentences that answer the question."""

    name = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        max_sentences: int = 3,
        min_score: float = 0.4,
        staff_extra_sentences: int = 0,
    ) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.min_score = min_score
        self.staff_extra_sentences = staff_extra_sentences  # the Assistant sets it from settings

    def score(self, question: str, pool: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        """(blended score per candidate, candidate-by-candidate cosine matrix)."""
        vectors = self.embedder.encode([question] + [c.text for c in pool])
        q, s = vectors[0], vectors[1:]
        terms = content_terms(question)
        sentence_sim = s @ q
        chunk_sim = np.array([c.evidence.score for c in pool], dtype=np.float32)
        coverage = np.array([term_coverage(terms, c.text) for c in pool], dtype=np.float32)
        return W_SENTENCE * sentence_sim + W_CHUNK * chunk_sim + W_TERMS * coverage, s @ s.T

    def answer(self, question: str, evidence: list[Evidence], audience: Audience) -> Answer:
        pool = candidates(evidence)
        if not pool:
            return refusal(question, audience, "no_evidence")
        scores, similarity = self.score(question, pool)
        best = int(np.argmax(scores))
        if float(scores[best]) < self.min_score:
            refused = refusal(question, audience, "insufficient_evidence")
            refused.evidence_score = round(float(scores[best]), 4)
            return refused
        # the audience reorders near-equal candidates (plain words for patients, figures for staff)
        adjusted = scores + np.array([audience_adjustment(c.text, audience) for c in pool], dtype=np.float32)
        top = float(adjusted.max())
        limit = sentence_limit(audience, self.max_sentences, self.staff_extra_sentences)
        chosen: list[int] = []
        for i in np.argsort(-adjusted, kind="stable"):
            if len(chosen) >= limit or adjusted[i] < top - MARGIN:
                break
            if scores[i] < scores[best] - MARGIN:  # off-topic however plain: never chosen
                continue
            if all(similarity[i, j] < REDUNDANT_COSINE for j in chosen):
                chosen.append(int(i))
        ordered = _reading_order(chosen, pool, scores)
        citations = [_cite(n, pool[i], float(scores[i])) for n, i in enumerate(ordered, start=1)]
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(
            question=question,
            answer=text,
            citations=citations,
            audience=audience,
            evidence_score=round(float(scores[best]), 4),
            answerer=self.name,
            notice=PATIENT_NOTICE if audience == "patient" else "",
        )


def _reading_order(chosen: list[int], pool: list[Candidate], scores: np.ndarray) -> list[int]:
    """Chunks in order of their best sentence; sentences of one chunk in document order."""
    best_of_chunk: dict[str, float] = {}
    for i in chosen:
        key = pool[i].evidence.chunk_id
        best_of_chunk[key] = max(best_of_chunk.get(key, -1.0), float(scores[i]))
    return sorted(chosen, key=lambda i: (-best_of_chunk[pool[i].evidence.chunk_id], pool[i].start))


def refusal(question: str, audience: Audience, reason: RefusalReason) -> Answer:
    """The refusal; patients get the not-medical-advice notice on every answer, refusals included."""
    return Answer(
        question=question,
        answer=REFUSAL_TEXT,
        refused=True,
        refusal_reason=reason,
        audience=audience,
        notice=PATIENT_NOTICE if audience == "patient" else "",
    )


def _cite(n: int, candidate: Candidate, score: float) -> Citation:
    ev = candidate.evidence
    return cite(n, ev, candidate.start - ev.start, candidate.end - ev.start, score)
