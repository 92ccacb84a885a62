"""Fusion, reranking and the per-document cap, on hand-made evidence."""

from __future__ import annotations

from index.bm25 import build, fingerprint, load, save, tokenize
from index.settings import Settings
from retriever.search import cap_per_document, fuse, rerank_scores
from retriever.types import Evidence


def ev(chunk_id: str, doc_id: str, score: float, text: str = "text") -> Evidence:
    return Evidence(chunk_id=chunk_id, doc_id=doc_id, text=text, score=score)


def test_rrf_rewards_ids_both_rankings_agree_on() -> None:
    fused = fuse([(["a", "b", "c"], 1.0), (["b", "d"], 1.0)], rrf_k=60)
    assert max(fused, key=fused.__getitem__) == "b"
    assert fused["a"] == 1 / 61 and fused["d"] == 1 / 62


def test_rrf_weight_zero_ignores_a_ranking() -> None:
    fused = fuse([(["a"], 1.0), (["z"], 0.0)], rrf_k=60)
    assert fused["z"] == 0.0


def test_cap_keeps_at_most_n_chunks_of_one_document() -> None:
    items = [ev("a1", "a", 0.9), ev("a2", "a", 0.8), ev("a3", "a", 0.7), ev("b1", "b", 0.6)]
    assert [e.chunk_id for e in cap_per_document(items, 2, 3)] == ["a1", "a2", "b1"]
    assert [e.chunk_id for e in cap_per_document(items, 0, 3)] == ["a1", "a2", "a3"]


def test_rerank_lifts_the_chunk_that_has_the_question_terms() -> None:
    settings = Settings(rerank_bm25=0.1, rerank_coverage=0.1)
    pool = [ev("x", "x", 0.50, "General notes on the immune system."), ev("y", "y", 0.48, "Teclistamab cost")]
    scores = rerank_scores("teclistamab cost", pool, {"y": 7.0}, settings.retrieving)
    assert scores["y"] > scores["x"]
    assert abs(scores["y"] - (0.48 + 0.1 * 1.0 + 0.1 * 1.0)) < 1e-9


def test_bm25_tokens_are_stems_without_stopwords() -> None:
    assert tokenize("What are the depleting CAR-T cells?") == ["deplet", "car", "t", "cell"]


def test_accented_words_are_one_word_with_their_accents_folded(tmp_path) -> None:
    from index.bm25 import surface_words

    assert tokenize("Sjögren syndrome") == ["sjogren", "syndrom"]  # was "sj" and "gren"
    assert surface_words("Sjögren syndrome") == ["sjogren", "syndrome"]
    index = build(["c1", "c2"], ["Sjögren syndrome dries the eyes", "lupus kidney"], fingerprint({"d": "h"}))
    assert [c for c, _ in index.search("sjogren", 5)] == ["c1"]
    assert "sjogren" in index.words
    # a copy saved by the earlier tokenizer has another fingerprint, so it is rebuilt
    assert fingerprint({"d": "h"}) != __import__("hashlib").sha256(b'[["d", "h"]]').hexdigest()[:16]


def test_lexical_index_round_trips_and_ignores_unknown_terms(tmp_path) -> None:
    index = build(["c1", "c2"], ["lupus kidney nephritis", "teclistamab engager"], fingerprint({"d": "h"}))
    save(index, tmp_path / "bm25")
    loaded = load(tmp_path / "bm25")
    assert loaded is not None and loaded.fingerprint == index.fingerprint
    assert [c for c, _ in loaded.search("nephritis and zebras", 5)] == ["c1"]
    assert loaded.search("zebras", 5) == []


def test_a_row_whose_chunk_was_deleted_during_the_search_is_left_out() -> None:
    """Chroma's answer shape when an ingest deleted a chunk between the vector search and the
    metadata read: the id is there, its document and metadata are None."""
    import numpy as np

    from retriever.search import IndexRetriever

    class Answered:
        def query(self, **_: object) -> dict[str, list[list[object]]]:
            return {
                "ids": [["a#h#0000", "gone#h#0001"]],
                "documents": [["CAR-T cells are made for one person.", None]],
                "metadatas": [[{"doc_id": "a", "title": "A"}, None]],
                "distances": [[0.2, 0.3]],
            }

    found = IndexRetriever._dense(Answered(), np.zeros(3, dtype=np.float32), 2, None)
    assert [e.chunk_id for e in found] == ["a#h#0000"] and found[0].score == 0.8


def test_a_chunk_under_a_heading_restating_the_question_is_lifted_before_the_cap() -> None:
    """Session 29: "who gets rheumatoid arthritis" found the article's definition and treatment chunks
    (cosine 0.72, 0.64) while its "Who gets rheumatoid arthritis?" section (0.60) lost to the cap."""
    from retriever.search import heading_first

    items = [
        Evidence(
            chunk_id="d", doc_id="ra", text="t", score=0.72, headings="RA > What is rheumatoid arthritis?"
        ),
        Evidence(chunk_id="t", doc_id="ra", text="t", score=0.64, headings="RA > How is RA treated?"),
        Evidence(
            chunk_id="w", doc_id="ra", text="t", score=0.60, headings="RA > Who gets rheumatoid arthritis?"
        ),
    ]
    lifted = heading_first("who gets rheumatoid arthritis", items, 0.15)
    assert [e.chunk_id for e in cap_per_document(lifted, 2, 3)] == ["w", "d"]
    assert heading_first("who gets rheumatoid arthritis", items, 0.0) == items
    assert heading_first("how common is rheumatoid arthritis", items, 0.15) == items  # no heading says it
