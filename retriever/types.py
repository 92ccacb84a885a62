"""Data that crosses the seams: evidence in, a cited answer out. The CLI's JSON is `Answer.model_dump()`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from retriever.attribution import attribute

Audience = Literal["patient", "staff"]
RefusalReason = Literal[
    "insufficient_evidence",
    "no_evidence",
    "not_in_sources",
    "not_covered",
    "empty_question",
    "unsupported",
    "emergency",
    "personal_advice",
    "out_of_scope",
    "small_talk",
]
# what each reason means, for the eval report (a test keeps the keys equal to RefusalReason's)
REFUSAL_REASONS: dict[str, str] = {
    "insufficient_evidence": "the best evidence is too weak (below min_evidence_score)",
    "no_evidence": "nothing usable was retrieved",
    "not_in_sources": "the question names something no retrieved or indexed source mentions",
    "not_covered": "the evidence never addresses what the question asks for (a price, a hospital stay, …)",
    "empty_question": "the question was empty",
    "unsupported": "citation checking removed every sentence of the answer",
    "emergency": "the urgent-care message was given instead of an answer",
    "personal_advice": "a personal medical decision, redirected to the care team",
    "out_of_scope": "not about autoimmune disease or its treatment",
    "small_talk": "a greeting, thanks or a question about the assistant, answered with what it does",
}


class Evidence(BaseModel):
    """One retrieved chunk with its similarity to the question and what a citation needs."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    text: str
    score: float  # cosine similarity of the chunk's embedded text to the question
    bm25: float = 0.0  # BM25 score (0 when the lexical side did not find it)
    rank_score: float = 0.0  # the score that ordered the evidence (fusion or rerank)
    title: str = ""
    url: str = ""
    source: str = ""
    publisher: str = ""
    date: str = ""
    license: str = ""
    headings: str = ""
    upstream: str = ""  # "publisher | title | date | url" per line, for the project's own articles
    source_spans: str = ""  # JSON [[start, end, [upstream line, ...]], ...]: an article's marked sources
    start: int = 0  # offset of the chunk in its document
    end: int = 0
    context: bool = False  # not found by the search: beside the best chunk, added for answering

    @classmethod
    def from_chroma(cls, chunk_id: str, text: str, metadata: dict[str, Any], distance: float) -> Evidence:
        fields = {
            k: metadata[k]
            for k in cls.model_fields
            if k in metadata and k not in {"chunk_id", "text", "score", "bm25", "rank_score"}
        }
        return cls(chunk_id=chunk_id, text=text, score=round(1.0 - float(distance), 6), **fields)


class Citation(BaseModel):
    """[n] in the answer: the exact quoted sentence and the source it stands in."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    url: str
    source: str
    quote: str
    score: float = Field(description="How well the quoted sentence answers the question (0..1).")
    publisher: str = ""
    date: str = ""
    license: str = ""
    upstream: list[str] = Field(
        default_factory=list,
        description="Public sources of a project article: exactly those its quoted sentence is marked "
        "with, else all of them, those the quote names first.",
    )
    upstream_named: int = Field(
        default=0,
        description="How many of `upstream`, from the first, the quoted sentence is marked with or "
        "names; 0: none, and all are the article's sources (retriever.attribution).",
    )
    quote_start: int = Field(default=0, description="Offset of the quote in the document's text.")
    quote_end: int = 0


class SentenceSupport(BaseModel):
    """One sentence of the answer and how well its cited quotes support it (citation checking)."""

    text: str
    citations: list[int] = Field(default_factory=list)
    support: float = Field(default=0.0, description="Best support score of its citations (0..1).")
    supported: bool = False


class Retrieved(BaseModel):
    doc_id: str
    chunk_id: str
    score: float
    context: bool = Field(
        False, description="Not found by the search: a chunk beside the best one, added for answering."
    )


class Timings(BaseModel):
    retrieve: float = 0.0
    answer: float = 0.0
    total: float = 0.0


class Answer(BaseModel):
    """What every front end shows and the evaluator scores."""

    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Retrieved] = Field(default_factory=list)
    refused: bool = False
    refusal_reason: RefusalReason | None = None
    audience: Audience = "patient"
    standalone_question: str = ""
    evidence_score: float = Field(
        default=0.0, description="Best sentence score; below min_evidence_score the answer is refused."
    )
    notice: str = ""
    answerer: str = Field(default="", description="Name of the answerer that wrote the answer.")
    sentences: list[SentenceSupport] = Field(default_factory=list)
    explanations: list[dict[str, str]] = Field(
        default_factory=list,
        description="Patients: {term, definition} of up to 2 glossary terms the answer uses (retriever.audience).",
    )
    timings_ms: Timings = Field(default_factory=Timings)


def cite(n: int, ev: Evidence, start: int, end: int, score: float) -> Citation:
    """Citation n quoting ev.text[start:end] (offsets in the chunk; the citation's are in the document);
    a project article's sources that the quote names come first (`retriever.attribution`)."""
    upstream, named = attribute(
        [line for line in ev.upstream.splitlines() if line.strip()],
        ev.text,
        start,
        end,
        ev.source_spans,
        ev.start,
    )
    return Citation(
        n=n,
        doc_id=ev.doc_id,
        chunk_id=ev.chunk_id,
        title=ev.title,
        url=ev.url,
        source=ev.source,
        publisher=ev.publisher,
        date=ev.date,
        license=ev.license,
        upstream=upstream,
        upstream_named=named,
        quote=ev.text[start:end],
        score=round(max(0.0, min(1.0, score)), 4),
        quote_start=ev.start + start,
        quote_end=ev.start + end,
    )
