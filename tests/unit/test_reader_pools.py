"""Groups from the assistant's own evidence: which kept sentences count as answers, which as wrong."""

from __future__ import annotations

import random
from pathlib import Path

from tools.reader_data import article_pages
from tools.reader_pools import _kind_of, _may_answer, shared_questions

PAGE = """---
id: medquad-test-0001
title: "Frost fever"
---

# Frost fever

## What is (are) Frost fever?
Frost fever is a made-up illness used in this test. It affects the hands and feet in winter.

## What causes Frost fever?
Cold air makes the small vessels of the fingers narrow for too long. Nobody catches it from another person.

## Who is at risk for Frost fever??
People who work outside in the cold get frost fever most often.
"""

ARTICLE = """---
id: aqa-frost
title: "Frost fever"
---

# All about frost fever

## Why do fingers go white?

The vessels narrow in the cold.[^src] Less blood reaches the skin.

## How is it treated?

- warm gloves
- rest

Warm water brings the colour back within minutes.[^src]
"""


def test_each_question_headed_section_of_a_corpus_page_asks_one_question(tmp_path: Path) -> None:
    (tmp_path / "medquad").mkdir()
    (tmp_path / "medquad" / "medquad-test-0001.md").write_text(PAGE, encoding="utf-8")
    asked = shared_questions(random.Random(0), tmp_path)
    assert [a.kind for a in asked] == ["what", "causes", "risk"]  # "X??" is the risk heading's form
    causes = asked[1]
    assert causes.doc_id == "medquad-test-0001" and causes.topic == "Frost fever"
    assert causes.answers[0].startswith("Cold air makes")
    assert "Frost fever is a made-up illness used in this test." in causes.others
    assert not set(causes.answers) & set(causes.others)


def test_article_sections_lose_source_markers_and_list_items(tmp_path: Path) -> None:
    (tmp_path / "frost.md").write_text(ARTICLE, encoding="utf-8")
    (page,) = article_pages(tmp_path)
    assert page.title == "All about frost fever"
    why, how = page.sections
    assert why.question == "Why do fingers go white?"
    assert why.sentences == ("The vessels narrow in the cold.", "Less blood reaches the skin.")
    assert how.sentences == ("Warm water brings the colour back within minutes.",)


def test_a_sentence_that_may_still_answer_is_not_a_negative() -> None:
    assert _may_answer("The cause of dermatomyositis is unknown.", "causes", "Dermatomyositis")
    assert _may_answer("Dermatomyositis is one of a group of muscle diseases.", "what", "Dermatomyositis")
    assert not _may_answer("Physical therapy helps regain strength.", "causes", "Dermatomyositis")
    assert not _may_answer("Physical therapy helps regain strength.", None, "Dermatomyositis")
    assert _kind_of("What are the symptoms of lupus?") == "symptoms"
    assert _kind_of("What causes Lupus ?") == "causes"
    assert _kind_of("Key points") is None


def test_a_kept_list_unit_of_the_section_counts_as_its_answer() -> None:
    from retriever.candidates import Candidate
    from retriever.types import Evidence
    from tools.reader_pools import Asked, _is_own, _own_place

    body = (
        "Frost fever starts in the fingers.\n\nCommon signs include:\n- white fingers\n- numb toes\n\n"
        "The signs go away in a warm room.\n"
    )
    asked = Asked(
        "pool-0000",
        "what are the signs of frost fever",
        "symptoms",
        "medquad-test-0001",
        "What are the symptoms of Frost fever?",
        "Frost fever",
        ("Frost fever starts in the fingers.", "The signs go away in a warm room."),
        ("Cold air makes the small vessels of the fingers narrow for too long.",),
        body,
    )
    evidence = Evidence(chunk_id="c1", doc_id="medquad-test-0001", text=body, score=0.5, title="Frost fever")

    def unit(*parts: str) -> Candidate:
        return Candidate(evidence, 0, f"{parts[0]} {'; '.join(parts[1:])}", 0, 1, parts=parts)

    answers = {" ".join(s.lower().split()): i for i, s in enumerate(asked.answers)}
    own_list = unit("Common signs include:", "white fingers", "numb toes")
    other_list = unit("Treatments include:", "warm gloves for the hands", "rest in a warm room")
    assert _is_own(own_list, answers, asked) and _own_place(own_list, answers, asked) == 1
    assert not _is_own(other_list, answers, asked)
    sentence = Candidate(evidence, 0, "The signs go away in a warm room.", 0, 1)
    assert _is_own(sentence, answers, asked) and _own_place(sentence, answers, asked) == 1
