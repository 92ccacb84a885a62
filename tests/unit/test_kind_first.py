"""A sentence that says it gives the kind of fact asked opens the answer (session 32)."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedder import get_embedder
from index.settings import Settings
from retriever.candidates import Candidate
from retriever.choice import Scores, _kind_first
from retriever.extractive import ExtractiveAnswerer
from retriever.types import Evidence

# the project's own wording about a made-up disease, shaped like a question-headed NIH page
PAGE = (
    "With treatment, most people with frost fever feel much better within a year. "
    "Frost fever treatments include warm baths, rest in a heated room and a short course of steroid pills. "
    "Frost fever can be controlled."
)


def _candidate(text: str, start: int, parts: tuple[str, ...] = ()) -> Candidate:
    evidence = Evidence(chunk_id="page#abc#0000", doc_id="page", text=PAGE, score=0.7, start=0, end=len(PAGE))
    return Candidate(evidence, 0, text, start, start + len(text), parts)


IMPROVES = _candidate("With treatment, most people with frost fever feel much better within a year.", 0)
GIVES = _candidate("Treatments for frost fever include warm baths and rest in a heated room.", 80)
OTHERS = _candidate("Other treatments include a short course of steroid pills.", 160)
LIST = _candidate("Treatments include:", 240, ("Treatments include:", "warm baths", "rest"))


def _scores(gives: tuple[bool, ...], yes_no: bool = False) -> Scores:
    n = len(gives)
    zeros = np.zeros(n, dtype=np.float32)
    return Scores(zeros, zeros, np.eye(n, dtype=np.float32), yes_no=yes_no, gives_kind=gives)


def test_the_sentence_saying_it_gives_the_kind_asked_opens() -> None:
    assert _kind_first([0, 1], [IMPROVES, GIVES], _scores((False, True))) == [1, 0]


def test_nothing_moves_when_no_kind_is_asked_or_the_opener_gives_it() -> None:
    assert _kind_first([0, 1], [IMPROVES, GIVES], _scores(())) == [0, 1]
    assert _kind_first([1, 0], [IMPROVES, GIVES], _scores((True, True))) == [1, 0]


def test_other_ones_and_a_list_for_a_yes_or_no_question_do_not_open() -> None:
    assert _kind_first([0, 1], [IMPROVES, OTHERS], _scores((False, True))) == [0, 1]
    assert _kind_first([0, 1], [IMPROVES, LIST], _scores((False, True), yes_no=True)) == [0, 1]
    assert _kind_first([0, 1], [IMPROVES, LIST], _scores((False, True))) == [1, 0]


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(get_embedder(Settings()), max_sentences=3, min_score=0.38)


def test_how_doctors_treat_it_opens_with_the_treatments(answerer: ExtractiveAnswerer) -> None:
    evidence = Evidence(
        chunk_id="frost-fever#abc#0000",
        doc_id="frost-fever",
        text=PAGE,
        score=0.7,
        title="Frost fever",
        headings="Frost fever > How is frost fever treated?",
        start=0,
        end=len(PAGE),
    )
    result = answerer.answer("how do doctors treat frost fever", [evidence], "patient")
    assert not result.refused
    assert result.answer.startswith("Frost fever treatments include warm baths")


def test_an_other_opener_gives_way_to_the_main_sentence_of_the_kind() -> None:
    # session 32: "how do they treat ms" had opened with "Other FDA approved drugs … include …"
    others = _candidate("Other treatments for frost fever include steroid pills.", 0)
    main = _candidate("Frost fever has no cure, but medicines can ease it.", 80)
    assert _kind_first([0, 1], [others, main], _scores((True, True))) == [1, 0]
