"""Reader groups labelled by the tuning sets' facts: a kept sentence holding a fact answers, one
holding none is wrong, and a short group is topped up from another question of the same set."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.replay import Capture, Record
from index.embedder import get_embedder
from index.settings import Settings
from retriever.candidates import candidates
from retriever.extractive import with_title
from retriever.types import Evidence
from retriever.weights import SHIPPED
from tools.reader_data import GROUP
from tools.reader_facts import fact_groups

FROST = (
    "Frost fever is a made-up illness used in this test. "
    "Cold air makes the small vessels of the fingers narrow for too long. "
    "Warm gloves and rest are the usual treatment. "
    "Nobody catches frost fever from another person."
)
SAND = (
    "Sand rash is another made-up illness of this test. "
    "It follows long days on hot beaches without shade. "
    "Cool water and shade ease it within a day. "
    "Children get sand rash more often than adults."
)


def _record(qid: str, question: str, text: str, facts: list[list[str]]) -> Record:
    evidence = [Evidence(chunk_id=f"{qid}-c", doc_id=f"{qid}-d", text=text, score=0.6, title=qid)]
    return Record(qid, question, evidence, "patient", facts, answer="")


@pytest.fixture(scope="module")
def capture() -> Capture:
    records = [
        _record("frost", "what causes frost fever", FROST, [["cold air"], ["narrow"]]),
        _record("sand", "how is sand rash treated", SAND, [["cool water"]]),
        _record("none", "is sand rash catching", SAND, [["no such fact"]]),
    ]
    texts: list[str] = []
    for r in records:
        pool = candidates(r.evidence, SHIPPED)
        texts += [r.question] + [c.text for c in pool] + [with_title(c) for c in pool]
    unique = list(dict.fromkeys(texts))
    vectors = get_embedder(Settings()).encode(unique)
    return Capture(
        gold="test", index="test", records=records, vectors=dict(zip(unique, vectors, strict=True))
    )


def test_a_sentence_holding_a_fact_answers_and_the_rest_are_wrong(capture: Capture) -> None:
    groups = fact_groups([("test", capture)])
    by_question = {g.question: g for g in groups}
    frost = by_question["what causes frost fever"]
    assert (
        frost.texts[0].startswith("Cold air makes") and frost.kind == "facts-test" and frost.title == "frost"
    )
    assert len(frost.texts) == GROUP and len(set(frost.texts)) == GROUP
    assert not any("cold air" in t.lower() or "narrow" in t.lower() for t in frost.texts[1:])
    # four kept sentences of its own page: the other four wrong ones come from another question's
    assert sum(t in FROST for t in frost.texts[1:]) == 3 and sum(t in SAND for t in frost.texts[1:]) == 4
    assert by_question["how is sand rash treated"].texts[0].startswith("Cool water and shade")
    assert "is sand rash catching" not in by_question  # no kept sentence holds its fact: no group
    assert len(groups) == 2


def test_the_groups_are_the_same_for_the_same_seed(capture: Capture) -> None:
    assert fact_groups([("test", capture)]) == fact_groups([("test", capture)])


def test_every_set_the_groups_come_from_is_answerable_gold_and_none_is_judged_on() -> None:
    """The tuning sets and the reader's own training sets: each file is there, holds answerable items
    with facts, and is none of the sets that judge (validation, held-out, safety)."""
    from evaluation.gold import load_gold
    from tools.reader_facts import ROOT, SETS, TRAINING_SETS

    names = [Path(gold).stem for gold, _ in SETS + TRAINING_SETS]
    assert [Path(gold).stem for gold, _ in TRAINING_SETS] == [f"reader_train_{p}" for p in "abcd"]
    assert not [n for n in names if n.startswith(("plain_val", "heldout", "refuse_val", "safety"))]
    for gold, _ in SETS + TRAINING_SETS:
        items = load_gold(ROOT / gold)
        assert sum(1 for i in items if i.answerable and i.facts) >= 24, gold


def test_only_asks_the_sets_named_and_rejects_an_unknown_one(capsys: pytest.CaptureFixture[str]) -> None:
    from tools.reader_facts import main

    with pytest.raises(SystemExit) as exit_:
        main(["--index", "i", "--corpus-index", "c", "--out", "o.jsonl", "--only", "plain_val"])
    assert exit_.value.code == 2 and "invalid choice: 'plain_val'" in capsys.readouterr().err
