"""The answer reader's training groups: one answer and seven sentences on the same topic that answer
something else, from question-headed pages, with pages on the evaluation's topics left out."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from tools.reader_data import GROUP, groups, pages, plain

PAGE = """# Frost fever

## What is (are) Frost fever ?
Frost fever is a made-up illness used in this test. It affects the hands and feet in winter. Doctors first named it in a small village.

## What are the symptoms of Frost fever ?
People with frost fever have cold fingers and a mild fever. Some also feel very tired for weeks. The skin may turn pale or blue.

## What are the treatments for Frost fever ?
Warm gloves and rest are the usual treatment for frost fever. Most people need no medicine at all. A doctor may suggest warm baths.

## How many people are affected by Frost fever ?
About 1 in 5,000 people get frost fever each winter. It is more common in northern towns. Children get it less often than adults.
"""


def _write(path: Path, docs: list[dict[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc) + "\n")
    return path


def _doc(title: str) -> dict[str, str]:
    return {
        "id": title,
        "title": title,
        "text": PAGE.replace("Frost fever", title).replace("frost fever", title),
    }


def test_pages_keep_question_headed_sections_and_leave_out_the_evaluation_topics(tmp_path: Path) -> None:
    bench = _write(tmp_path / "b.jsonl.gz", [_doc("Frost fever"), _doc("Sand rash")])
    found = pages(bench, leave_out={"sand rash"})
    assert [p.title for p in found] == ["Frost fever"]
    kinds = [s.kind for s in found[0].sections]
    assert kinds == ["what", "symptoms", "treatments", "how_many"]
    assert found[0].sections[3].sentences[0] == "About 1 in 5,000 people get Frost fever each winter."


def test_a_group_puts_its_answer_first_and_the_same_pages_other_answers_after(tmp_path: Path) -> None:
    docs = [_doc(name) for name in ("Frost fever", "Sand rash", "Moon itch")]
    found = pages(_write(tmp_path / "b.jsonl.gz", docs), leave_out=set())
    made = groups(found, seed=0)
    assert made and all(len(g.texts) == GROUP for g in made)
    for g in made:
        page = next(p for p in found if p.title == g.title)
        own = next(s for s in page.sections if s.kind == g.kind)
        assert g.texts[0] in own.sentences[:2]  # the answer: one of its section's first two sentences
        assert not set(g.texts[1:]) & set(own.sentences)  # no other sentence of the answering section
    assert groups(found, seed=0) == made  # the seed fixes the data


def test_plain_rewrites_sound_like_people_typing() -> None:
    rng = random.Random(1)
    asked = [plain("Frost Fever", "how_many", rng) for _ in range(40)]
    assert all(q == q.lower() for q in asked)
    assert any("how common" in q or "how many" in q or "rare" in q for q in asked)
    assert all("(are)" not in q and " ?" not in q for q in asked)
