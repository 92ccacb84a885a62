"""Citation checking on hand-made answers, with the real packaged embedder."""

from __future__ import annotations

import re

import pytest

from index.embedder import Embedder, get_embedder
from index.settings import Settings
from retriever.citecheck import (
    UNSUPPORTED_MARK,
    CiteCheckSettings,
    answer_sentences,
    check_citations,
    is_supported,
    support_score,
)
from retriever.extractive import ExtractiveAnswerer
from retriever.messages import REFUSAL_TEXT
from retriever.types import Answer, Citation, Evidence

STUDY = (
    "A research group in Germany gave CAR-T cells to five people whose lupus was severe. "
    "All five went into complete remission after the treatment."
)
HOW = "The engineered T cells seek out B cells and destroy them. When B cells come back later, the new ones no longer attack the body."
COST = "For cancer, one CAR-T treatment costs roughly $500,000."


def evidence(text: str, doc_id: str, score: float = 0.6) -> Evidence:
    return Evidence(chunk_id=f"{doc_id}#h#0000", doc_id=doc_id, text=text, score=score, title=doc_id)


def citation(n: int, ev: Evidence, quote: str) -> Citation:
    return Citation(
        n=n, doc_id=ev.doc_id, chunk_id=ev.chunk_id, title=ev.title, url="", source="", quote=quote, score=0.5
    )


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder(Settings())


@pytest.fixture(scope="module")
def pool() -> list[Evidence]:
    return [evidence(STUDY, "study"), evidence(HOW, "how"), evidence(COST, "cost")]


def test_a_paraphrase_sharing_few_words_is_supported_by_cosine(embedder: Embedder) -> None:
    sentence = "After treatment, the five patients all reached full remission."
    quote = "All five went into complete remission after the treatment."
    assert support_score(sentence, quote, embedder) >= 0.7
    assert is_supported(sentence, quote, embedder)


def test_a_loose_paraphrase_or_a_changed_number_is_not_supported(embedder: Embedder) -> None:
    quote = "All five went into complete remission after the treatment."
    assert not is_supported("All of the patients got better and stopped having symptoms.", quote, embedder)
    assert not is_supported("All twelve went into complete remission after the treatment.", quote, embedder)


def test_a_quote_cut_down_is_supported_by_overlap(embedder: Embedder) -> None:
    assert support_score("All five went into complete remission.", STUDY, embedder) == 1.0


def test_an_unrelated_claim_is_not_supported(embedder: Embedder) -> None:
    claim = "Teclistamab was approved for lupus in Europe in 2020."
    assert not is_supported(claim, COST, embedder)
    assert support_score(claim, COST, embedder) < 0.5


def test_unsupported_sentence_is_removed_and_citations_renumbered(
    embedder: Embedder, pool: list[Evidence]
) -> None:
    study, how, cost = pool
    answer = Answer(
        question="q",
        answer=(
            "Teclistamab was approved for lupus in Europe in 2020. [1] "
            "Five people with severe lupus went into complete remission after CAR-T. [2] "
            "The engineered cells hunt down and kill B cells. [3]"
        ),
        citations=[citation(1, cost, COST), citation(2, study, STUDY), citation(3, how, HOW)],
    )
    checked = check_citations(answer, pool, embedder)
    assert not checked.refused
    assert "Teclistamab" not in checked.answer
    assert [c.n for c in checked.citations] == [1, 2]
    assert [c.doc_id for c in checked.citations] == ["study", "how"]
    assert re.findall(r"\[(\d+)\]", checked.answer) == ["1", "2"]
    assert [s.citations for s in checked.sentences] == [[1], [2]]
    assert all(s.supported and s.support >= 0.6 for s in checked.sentences)


def test_citation_to_a_chunk_that_was_not_retrieved_is_dropped(
    embedder: Embedder, pool: list[Evidence]
) -> None:
    stranger = evidence("All five went into complete remission after the treatment.", "elsewhere")
    answer = Answer(
        question="q",
        answer="All five went into complete remission after the treatment. [1] "
        "The engineered T cells seek out B cells and destroy them. [2]",
        citations=[citation(1, stranger, stranger.text), citation(2, pool[1], HOW)],
    )
    checked = check_citations(answer, pool, embedder)
    assert [c.doc_id for c in checked.citations] == ["how"]
    assert checked.answer == "The engineered T cells seek out B cells and destroy them. [1]"


def test_an_answer_with_no_supported_sentence_becomes_a_refusal(
    embedder: Embedder, pool: list[Evidence]
) -> None:
    answer = Answer(
        question="q",
        answer="Bananas are rich in potassium. [1] Teclistamab was approved for lupus in Europe in 2020. [2]",
        citations=[citation(1, pool[1], HOW), citation(2, pool[2], COST)],
        notice="notice",
    )
    checked = check_citations(answer, pool, embedder)
    assert checked.refused and checked.refusal_reason == "unsupported"
    assert checked.answer == REFUSAL_TEXT and checked.citations == [] and checked.sentences == []
    assert checked.notice == "notice"


def test_uncited_sentences_are_removed(embedder: Embedder, pool: list[Evidence]) -> None:
    answer = Answer(
        question="q",
        answer="The engineered T cells seek out B cells and destroy them [1]. This is surely a cure.",
        citations=[citation(1, pool[1], HOW)],
    )
    checked = check_citations(answer, pool, embedder)
    assert checked.answer == "The engineered T cells seek out B cells and destroy them. [1]"


def test_flag_mode_keeps_unsupported_sentences_marked(embedder: Embedder, pool: list[Evidence]) -> None:
    answer = Answer(
        question="q",
        answer="Bananas are rich in potassium. [1] The engineered T cells seek out B cells and destroy them. [2]",
        citations=[citation(1, pool[2], COST), citation(2, pool[1], HOW)],
    )
    checked = check_citations(answer, pool, embedder, CiteCheckSettings(mode="flag"))
    # the mark says the cited quote does not back the sentence; the citation stays for inspection
    assert checked.answer.startswith(f"Bananas are rich in potassium. {UNSUPPORTED_MARK} [1] The engineered")
    assert [s.supported for s in checked.sentences] == [False, True]
    assert [c.doc_id for c in checked.citations] == ["cost", "how"]


def test_a_drop_rule_removes_sentences_in_any_mode(embedder: Embedder, pool: list[Evidence]) -> None:
    answer = Answer(
        question="q",
        answer=f"{COST} [1] The engineered T cells seek out B cells and destroy them. [2]",
        citations=[citation(1, pool[2], COST), citation(2, pool[1], HOW)],
    )
    checked = check_citations(answer, pool, embedder, drop=lambda s: "$" in s)
    assert "$500,000" not in checked.answer and [c.doc_id for c in checked.citations] == ["how"]


def test_markers_are_mapped_to_their_sentences() -> None:
    found = answer_sentences("Alpha one. [1] Beta two [2]. Gamma three [1, 3] Delta four.", {1, 2, 3})
    assert [(s.text, s.cites) for s in found] == [
        ("Alpha one.", [1]),
        ("Beta two.", [2]),
        ("Gamma three", [1, 3]),
        ("Delta four.", []),
    ]
    # a source's own reference mark inside a quote is text, not a citation
    quoted = answer_sentences("Lupus affects 20 in 100,000 people [12]. [1]", {1})
    assert [(s.text, s.cites) for s in quoted] == [("Lupus affects 20 in 100,000 people [12].", [1])]


@pytest.mark.parametrize("audience", ["patient", "staff"])
def test_extractive_answers_stay_fully_supported(
    embedder: Embedder, pool: list[Evidence], audience: str
) -> None:
    answerer = ExtractiveAnswerer(embedder, max_sentences=3, min_score=0.0, staff_extra_sentences=1)
    for question in ("What happened to the lupus patients given CAR-T cells?", "How does CAR-T work?"):
        drafted = answerer.answer(question, pool, audience)  # type: ignore[arg-type]
        text, citations = drafted.answer, [c.model_copy() for c in drafted.citations]
        checked = check_citations(drafted, pool, embedder)
        assert checked.answer == text and checked.citations == citations
        assert checked.sentences and all(s.supported for s in checked.sentences)


def test_checking_returns_a_new_answer_and_leaves_the_one_it_is_given(
    embedder: Embedder, pool: list[Evidence]
) -> None:
    study, _, cost = pool
    text = (
        "Teclistamab was approved for lupus in Europe in 2020. [1] All five went into complete remission. [2]"
    )
    answer = Answer(question="q", answer=text, citations=[citation(1, cost, COST), citation(2, study, STUDY)])
    before = answer.model_dump()
    checked = check_citations(answer, pool, embedder)
    assert checked is not answer and checked.answer == "All five went into complete remission. [1]"
    assert answer.model_dump() == before
