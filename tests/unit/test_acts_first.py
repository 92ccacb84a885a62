"""A question asking what a named treatment does opens with a sentence saying what it does (session 43)."""

from __future__ import annotations

import numpy as np

from retriever.candidates import Candidate
from retriever.choice import Scores, _acts_first
from retriever.extractive import _acts
from retriever.types import Evidence
from retriever.weights import SHIPPED

# the project's own wording, shaped like the articles on BiTEs
TEXT = (
    "A BiTE called teclistamab has been used to treat lupus. "
    "BiTEs are molecules that bind T cells to B cells so that the B cells are destroyed. "
    "Patients need chemotherapy to deplete their T cells before CAR-T. "
    "Lupus was one of the diseases in the case reports."
)


def _candidate(text: str) -> Candidate:
    evidence = Evidence(
        chunk_id="bites#abc#0000", doc_id="bites", text=TEXT, score=0.7, start=0, end=len(TEXT)
    )
    start = TEXT.index(text)
    return Candidate(evidence, 0, text, start, start + len(text))


USED = _candidate("A BiTE called teclistamab has been used to treat lupus.")
BINDS = _candidate("BiTEs are molecules that bind T cells to B cells so that the B cells are destroyed.")
BEFORE = _candidate("Patients need chemotherapy to deplete their T cells before CAR-T.")
REPORTS = _candidate("Lupus was one of the diseases in the case reports.")
POOL = [USED, BINDS, BEFORE, REPORTS]


def test_a_sentence_naming_the_treatment_or_its_kind_then_what_it_does_acts() -> None:
    assert _acts(POOL, "how does teclistamab help lupus", [False] * 4) == (False, True, False, False)
    # "deplete" comes before CAR-T is named: what chemotherapy does, not CAR-T
    assert _acts(POOL, "what does car t do for lupus", [False] * 4) == (False, False, False, False)
    assert _acts(POOL, "how does teclistamab help lupus", [False, True, False, False]) == (False,) * 4
    assert _acts(POOL, "how is lupus treated", [False] * 4) == ()  # no treatment named


def _scores(acts: tuple[bool, ...]) -> Scores:
    n = len(acts)
    zeros = np.zeros(n, dtype=np.float32)
    return Scores(zeros, zeros, np.eye(n, dtype=np.float32), acts=acts)


def test_the_best_sentence_saying_what_it_does_opens_chosen_or_not() -> None:
    acts = _scores((False, True, False, False))
    close = np.array([0.97, 0.70, 0.5, 0.88], dtype=np.float32)  # within acts_margin (0.3) of the opener
    assert _acts_first(SHIPPED, [0, 3], POOL, acts, close) == [1, 0]  # not chosen: takes the last one's place
    assert _acts_first(SHIPPED, [0, 1, 3], POOL, acts, close) == [1, 0, 3]  # chosen: moves first
    far = np.array([0.97, 0.60, 0.5, 0.88], dtype=np.float32)
    assert _acts_first(SHIPPED, [0, 3], POOL, acts, far) == [0, 3]
    assert _acts_first(SHIPPED, [1, 0], POOL, acts, close) == [1, 0]  # the opener says it already
    assert _acts_first(SHIPPED, [0, 3], POOL, _scores(()), close) == [0, 3]  # not asked
