"""Retrieval from the index as a LangChain retriever: dense (Chroma), BM25, or both fused.

Hybrid search asks each side for `candidates` chunks and orders their union either by a calibrated
rerank score (default: cosine + rerank_bm25 × BM25 / best BM25 + rerank_coverage × share of the
question's content words in the chunk's title, headings and text) or by weighted reciprocal rank
fusion (rerank off: Σ weight / (rrf_k + rank)). Then at most `max_chunks_per_doc` chunks of any one
document are kept, so the top k are not k slices of one page. Evidence.score is always the chunk's
cosine similarity to the question (fetched for chunks only BM25 found), which the answerer uses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from errors import UserError
from index.bm25 import LexicalIndex, open_lexical
from index.embedder import Embedder
from index.settings import Settings
from index.settings_groups import RetrievalSettings
from index.store import Store
from index.terms import content_terms, term_coverage
from retriever.sections import is_findings_section, restates, section_heading
from retriever.types import Evidence

FINDINGS_AHEAD = 4  # chunks past the neighbours where an abstract's RESULTS may stand


def fuse(rankings: list[tuple[list[str], float]], rrf_k: int) -> dict[str, float]:
    """Weighted reciprocal rank fusion of several rankings of ids (best first)."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (rrf_k + rank)
    return fused


def rerank_scores(
    query: str, pool: list[Evidence], bm25: dict[str, float], s: RetrievalSettings
) -> dict[str, float]:
    """Cosine + weighted BM25 (relative to the best candidate) + weighted question-term coverage."""
    best = max(bm25.values(), default=0.0) or 1.0
    terms = content_terms(query)
    return {
        e.chunk_id: e.score
        + s.rerank_bm25 * bm25.get(e.chunk_id, 0.0) / best
        + s.rerank_coverage * term_coverage(terms, f"{e.title} {e.headings} {e.text}")
        for e in pool
    }


def heading_says(query: str, evidence: Evidence) -> bool:
    """Does the chunk's section heading restate the question (`restates`)?"""
    return restates(query, section_heading(evidence.headings))


def heading_first(query: str, evidence: list[Evidence], lift: float) -> list[Evidence]:
    """`evidence` (best first) with `lift` added to the cosine of each chunk whose section heading
    restates the question (`heading_says`): "who gets rheumatoid arthritis" found the article's
    definition and treatment chunks while its "Who gets rheumatoid arthritis?" section, lower by
    cosine, lost to the per-document cap."""
    if not lift:
        return evidence
    return sorted(evidence, key=lambda e: -(e.score + lift * heading_says(query, e)))


def cap_per_document(evidence: list[Evidence], cap: int, k: int) -> list[Evidence]:
    """The first k items with at most `cap` from any one document (cap 0: no limit)."""
    kept: list[Evidence] = []
    per_doc: dict[str, int] = {}
    for ev in evidence:
        if cap and per_doc.get(ev.doc_id, 0) >= cap:
            continue
        per_doc[ev.doc_id] = per_doc.get(ev.doc_id, 0) + 1
        kept.append(ev)
        if len(kept) == k:
            break
    return kept


class IndexRetriever(BaseRetriever):
    """Top-k evidence chunks for a question; each LangChain Document carries the scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embedder: Embedder
    settings: Settings
    lexical: LexicalIndex | None = None
    # the last text embedded and its vector: a question's look-ups (rare words, a definition, every
    # word asked) score their chunks against the same query, which was embedded once per look-up
    _last_query: tuple[str, np.ndarray] | None = PrivateAttr(default=None)
    # the chunk collection and its size, once found non-empty: looking it up and counting it cost ~2 ms
    # each time, and a question looked them up about five times (session 41). Like the BM25 copy
    # (`lexical`), they stand for the retriever's life: an index re-ingested under a running
    # assistant is read after a restart.
    _chunks: tuple[Any, int] | None = PrivateAttr(default=None)

    def _vector(self, query: str) -> np.ndarray:
        """The query's vector, embedded once for as long as the same query is asked."""
        last = self._last_query  # one read: another thread may replace it
        if last is not None and last[0] == query:
            return last[1]
        vector = self.embedder.encode([query])[0]
        self._last_query = (query, vector)
        return vector

    def _collection(self) -> Any:
        return self._found()[0]

    def _found(self) -> tuple[Any, int]:
        """The chunk collection and how many chunks it holds; UserError when it is empty or missing."""
        found = self._chunks
        if found is not None:
            return found
        collection = self.store.chunks(self.embedder.model_id, create=False)  # refuses other models' vectors
        size = collection.count() if collection is not None else 0
        if size == 0:
            raise UserError(
                f"the index at '{self.store.where()}' is empty or missing; run `autoimmune-qa ingest PATH` first"
            )
        self._chunks = (collection, size)
        return collection, size

    def _lexical(self) -> LexicalIndex:
        if self.lexical is None:  # loaded (or rebuilt) once, on first use
            self.lexical = open_lexical(self.store, self.settings)
        return self.lexical

    def vocabulary(self) -> dict[str, int]:
        """Words the indexed chunks use, with counts (from the BM25 copy); UserError if it is empty."""
        self._collection()
        return self._lexical().words

    def search(self, query: str, k: int | None = None, where: dict[str, Any] | None = None) -> list[Evidence]:
        """The top k chunks (`top_k`) for the query, best first."""
        return self._search(query, self._vector(query), k, where)

    def search_with_context(self, query: str, where: dict[str, Any] | None = None) -> list[Evidence]:
        """The top k chunks, then the `neighbour_chunks` on each side of the best one and the first
        chunk of its document (`context`).

        A short document is cut into small chunks (a PubMed abstract: background, methods, results),
        and the search often finds only some of them: the methods say how many patients there were,
        the results what was found. On eval/dev.jsonl the neighbours lifted facts met with the
        extractive answerer (README "Answer quality"). The first chunk is where articles and NIH
        pages say what their subject is and who it affects: "what is scleroderma?" found the systemic
        sclerosis article's diagnosis chunks and "who gets lupus" its causes chunks, and two chunks
        per document left out the opening one (session 6: dev facts met 0.9096 → 0.9177, the
        corpus-only questions 0.909 → 0.939, lay and seed unchanged). Context chunks do not count as
        retrieved in the retrieval metrics."""
        collection = self._collection()
        vector = self._vector(query)
        evidence = self._search(query, vector, None, where)
        return evidence + self._neighbours(collection, evidence, vector, where)

    def search_words(
        self, words: str, query: str, k: int, where: dict[str, Any] | None = None
    ) -> list[Evidence]:
        """The top k chunks the BM25 copy finds for `words` alone, scored (cosine) against `query`."""
        collection = self._collection()
        ids = [c for c, _ in self._lexical().search(words, k)]
        found = self._fetch(collection, self._vector(query), ids, where)
        return [found[i] for i in ids if i in found]

    def _neighbours(
        self, collection: Any, evidence: list[Evidence], vector: np.ndarray, where: dict[str, Any] | None
    ) -> list[Evidence]:
        """Chunks beside the best chunk, its document's first chunk, and the findings of a study whose
        abstract the best chunk opens (up to `FINDINGS_AHEAD` chunks further on, under RESULTS or
        CONCLUSIONS), that are not in `evidence`, scored against `vector`. "does calprotectin predict
        ibd relapse" found the abstract's OBJECTIVE and METHODS chunks; its RESULTS chunk, two on,
        was neither among them nor a neighbour (session 25)."""
        n = self.settings.retrieving.neighbour_chunks
        if not evidence or n == 0:
            return []
        base, _, number = evidence[0].chunk_id.rpartition("#")
        if not base or not number.isdigit():
            return []
        have = {e.chunk_id for e in evidence}
        at = int(number)
        ids = [f"{base}#{at + d:0{len(number)}d}" for d in range(-n, n + 1) if d and at + d >= 0]
        if at > n:
            ids.append(f"{base}#{0:0{len(number)}d}")
        ahead = [f"{base}#{at + d:0{len(number)}d}" for d in range(n + 1, n + 1 + FINDINGS_AHEAD)]
        ids = [i for i in ids if i not in have]
        found = self._fetch(collection, vector, ids + [i for i in ahead if i not in have], where)
        findings = [
            i for i in ahead if i in found and is_findings_section(section_heading(found[i].headings))
        ]
        return [found[i].model_copy(update={"context": True}) for i in [*ids, *findings] if i in found]

    def _search(
        self, query: str, vector: np.ndarray, k: int | None, where: dict[str, Any] | None
    ) -> list[Evidence]:
        s = self.settings.retrieving
        k = k or s.top_k
        collection, size = self._found()
        depth = min(max(s.candidates, k), size)
        dense: list[Evidence] = []
        if s.retrieval != "bm25":
            dense = self._dense(collection, vector, depth, where)
        if s.retrieval == "dense":
            return cap_per_document(heading_first(query, dense, s.heading_lift), s.max_chunks_per_doc, k)
        lexical = self._lexical().search(query, depth)
        fused = fuse(
            [([e.chunk_id for e in dense], s.dense_weight), ([c for c, _ in lexical], s.bm25_weight)],
            s.rrf_k,
        )
        pool = {e.chunk_id: e for e in dense}
        missing = [c for c, _ in lexical if c not in pool]
        pool.update(self._fetch(collection, vector, missing, where))
        bm25 = dict(lexical)
        if s.retrieval == "bm25":
            order = bm25
        elif s.rerank:
            order = rerank_scores(query, list(pool.values()), bm25, s)
        else:
            order = fused
        if s.heading_lift:
            order = dict(order)  # not the BM25 scores themselves
            for c, e in pool.items():
                order[c] = order[c] + s.heading_lift * heading_says(query, e)
        ranked = sorted(
            (
                e.model_copy(update={"bm25": round(bm25.get(c, 0.0), 4), "rank_score": round(order[c], 6)})
                for c, e in pool.items()
            ),
            key=lambda e: -e.rank_score,
        )
        return cap_per_document(ranked, s.max_chunks_per_doc, k)

    @staticmethod
    def _dense(collection: Any, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[Evidence]:
        result = collection.query(
            query_embeddings=[vector.tolist()],
            n_results=n,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(
            result["ids"][0],
            (result["documents"] or [[]])[0],
            (result["metadatas"] or [[]])[0],
            (result["distances"] or [[]])[0],
            strict=True,
        )
        return [Evidence.from_chroma(i, d or "", dict(m), dist) for i, d, m, dist in rows if _stored(m)]

    @staticmethod
    def _fetch(
        collection: Any, vector: np.ndarray, ids: list[str], where: dict[str, Any] | None
    ) -> dict[str, Evidence]:
        """Chunks found only by BM25, with their cosine similarity computed from stored vectors."""
        if not ids:
            return {}
        got = collection.get(ids=ids, where=where, include=["documents", "metadatas", "embeddings"])
        found = {}
        for chunk_id, text, meta, emb in zip(
            got["ids"], got["documents"] or [], got["metadatas"] or [], got["embeddings"], strict=True
        ):
            if not _stored(meta):
                continue
            similarity = float(np.dot(np.asarray(emb, dtype=np.float32), vector))
            found[chunk_id] = Evidence.from_chroma(chunk_id, text or "", dict(meta), 1.0 - similarity)
        return found

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(page_content=e.text, id=e.chunk_id, metadata=e.model_dump(exclude={"text"}))
            for e in self.search(query)
        ]


def _stored(metadata: Any) -> bool:
    """A row Chroma returned for a chunk that still has its record: an ingest running beside a
    search deletes a changed document's chunks, and a query at that moment can return an id whose
    metadata is already gone (seen as an eval's crash while the index was re-ingested). Such a row
    is left out, not a stack trace."""
    return bool(metadata) and "doc_id" in metadata
