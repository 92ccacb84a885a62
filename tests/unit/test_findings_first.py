"""An answer on a study opens with what the study found, not with its background or aim."""

from __future__ import annotations

import numpy as np

from retriever.candidates import Candidate
from retriever.choice import Scores, _findings_first
from retriever.types import Evidence


def _evidence(doc: str, section: str, n: int) -> Evidence:
    return Evidence(
        chunk_id=f"{doc}#abc#{n:04d}",
        doc_id=doc,
        text="",
        score=0.5,
        headings=f"A study > {section}",
        start=n * 1000,
    )


# the project's own wording, shaped like a PubMed abstract split under its labels
BACKGROUND = Candidate(
    _evidence("study", "BACKGROUND", 0), 0, "Checking how a bowel disease goes needs visits.", 0, 40
)
AIM = Candidate(
    _evidence("study", "OBJECTIVE", 1), 0, "We aimed to see if a stool test predicts flares.", 1000, 1050
)
RESULT_1 = Candidate(
    _evidence("study", "RESULTS", 3), 0, "Of 40 people with a positive test, 20 flared.", 3000, 3050
)
RESULT_2 = Candidate(
    _evidence("study", "RESULTS", 3), 0, "A positive test went with more flares.", 3060, 3100
)
LATER = Candidate(_evidence("study", "RESULTS", 3), 0, "However, the test missed some flares.", 3110, 3150)
PAGE = Candidate(_evidence("nih-page", "What causes it?", 0), 0, "No one knows what causes it.", 0, 30)


def _scores(n: int, asks_study: bool = False) -> Scores:
    zeros = np.zeros(n, dtype=np.float32)
    return Scores(zeros, zeros, np.eye(n, dtype=np.float32), asks_study=asks_study)


def test_the_same_studys_results_move_ahead_of_its_background_in_reading_order() -> None:
    pool = [BACKGROUND, AIM, RESULT_2, RESULT_1, PAGE]
    assert _findings_first([0, 1, 2, 3, 4], pool, _scores(5)) == [3, 2, 0, 1, 4]


def test_nothing_moves_when_the_question_asks_how_the_study_was_done() -> None:
    pool = [BACKGROUND, AIM, RESULT_1]
    assert _findings_first([0, 1, 2], pool, _scores(3, asks_study=True)) == [0, 1, 2]


def test_nothing_moves_without_a_result_of_the_leading_study_or_when_a_result_leads() -> None:
    assert _findings_first([0, 1], [BACKGROUND, AIM], _scores(2)) == [0, 1]
    assert _findings_first([0, 1], [PAGE, RESULT_1], _scores(2)) == [0, 1]  # another document leads
    assert _findings_first([1, 0], [BACKGROUND, RESULT_1], _scores(2)) == [1, 0]
    # a result that goes on from one before it ("However, …") cannot open
    assert _findings_first([0, 1], [BACKGROUND, LATER], _scores(2)) == [0, 1]


def test_a_result_saying_who_took_part_does_not_lead() -> None:
    from retriever.sections import reports_a_finding

    took_part = Candidate(
        _evidence("study", "RESULTS", 3), 0, "Forty people (60% women) completed the trial.", 2990, 2999
    )
    pool = [BACKGROUND, took_part, RESULT_1, LATER]
    assert _findings_first([0, 1, 3, 2], pool, _scores(4)) == [2, 3, 0, 1]
    assert _findings_first([0, 1], [BACKGROUND, took_part], _scores(2)) == [0, 1]
    assert not reports_a_finding("Overall, 25 (33%) patients concluded the study early, eight in one group.")
    assert not reports_a_finding("Ninety people were enrolled.")
    assert reports_a_finding("A positive test went with more flares.")


def test_a_definition_of_what_is_asked_keeps_the_lead() -> None:
    # "what is avascular necrosis": the background defines it; the results only count it (session 31)
    pool = [BACKGROUND, RESULT_1]
    defined = Scores(np.arange(2, 0, -1, dtype=np.float32), np.zeros(2), np.eye(2), definitions=(True, False))
    assert _findings_first([0, 1], pool, defined) == [0, 1]
    assert _findings_first([0, 1], pool, _scores(2)) == [1, 0]
