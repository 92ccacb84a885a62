"""Sentences embedded past `preselect` (`preselect_follow`) may follow the answer's first sentence but
never be it."""

from __future__ import annotations

import numpy as np

from retriever.candidates import Candidate
from retriever.choice import Scores, compose
from retriever.types import Evidence
from retriever.weights import ExtractiveWeights

CHUNK = Evidence(chunk_id="page#abc#0000", doc_id="page", text="", score=0.5, headings="Lupus > Treatment")
# the project's own wording, in reading order
FOLLOWER = Candidate(CHUNK, 0, "Hydroxychloroquine is taken by mouth every day for lupus.", 0, 60)
OPENER = Candidate(CHUNK, 0, "Lupus is treated with medicines that calm the immune system.", 61, 120)
OTHER = Candidate(CHUNK, 0, "Sunscreen helps people whose skin reacts to light.", 121, 170)
POOL = [FOLLOWER, OPENER, OTHER]
CHOICE = np.array([0.9, 0.6, 0.55], dtype=np.float32)  # the follower scores best by far


def _scores(opens: tuple[bool, ...]) -> Scores:
    return Scores(CHOICE, CHOICE, np.eye(3, dtype=np.float32), opens=opens)


def _answer(opens: tuple[bool, ...]) -> list[int]:
    return compose(ExtractiveWeights(), POOL, _scores(opens), CHOICE.copy(), 3, "staff")


def test_a_follower_is_quoted_after_the_first_sentence_not_as_it() -> None:
    ordered = _answer((False, True, True))
    assert ordered[0] == 1
    assert 0 in ordered  # still quoted: it adds a fact


def test_without_followers_every_kept_sentence_may_open() -> None:
    assert _answer(())[0] == 0
    assert _scores(()).may_open(0) and not _scores((False, True, True)).may_open(0)
