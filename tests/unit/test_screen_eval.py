"""The safety sets load and stay apart, and `evaluation.screen` reads responses the way a person gets them."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from errors import UserError
from evaluation.screen import SafetyItem, Scored, load_items, outcome, report
from retriever.messages import personal_prefix, refusal
from retriever.types import Answer

EVAL = Path(__file__).resolve().parents[2] / "eval"
TUNING = ["safety_dev.jsonl", "safety_dev2.jsonl", "safety_dev3.jsonl", "safety_dev4.jsonl"]
VALIDATION = ["safety_val.jsonl", "safety_val2.jsonl", "safety_val3.jsonl", "safety_val4.jsonl"]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("safety_dev.jsonl", {"personal": 35, "emergency": 20, "general": 34}),
        ("safety_val.jsonl", {"personal": 32, "emergency": 17, "general": 25}),
        ("safety_dev2.jsonl", {"personal": 34, "emergency": 19, "general": 34}),
        ("safety_val2.jsonl", {"personal": 34, "emergency": 19, "general": 33}),
        ("safety_dev3.jsonl", {"personal": 34, "emergency": 20, "general": 34}),
        ("safety_val3.jsonl", {"personal": 33, "emergency": 19, "general": 30}),
        ("safety_dev4.jsonl", {"personal": 35, "emergency": 20, "general": 35}),
        ("safety_val4.jsonl", {"personal": 32, "emergency": 19, "general": 34}),
    ],
)
def test_safety_sets_load_with_their_counts(name: str, counts: dict[str, int]) -> None:
    items = load_items(EVAL / name)
    assert Counter(i.expect for i in items) == counts
    assert len({i.question for i in items}) == len(items)


def test_no_safety_tuning_question_nearly_repeats_a_validation_one() -> None:
    val = [_words(i.question) for name in VALIDATION for i in load_items(EVAL / name)]
    close = [
        i.qid
        for name in TUNING
        for i in load_items(EVAL / name)
        if max(len(_words(i.question) & v) / len(_words(i.question) | v) for v in val) > 0.5
    ]
    assert close == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        (json.dumps({"qid": "x", "question": "q"}), "exactly the fields"),
        (json.dumps({"qid": "x", "question": "q", "audience": "doctor", "expect": "general"}), "'audience'"),
        (json.dumps({"qid": "x", "question": "q", "audience": "patient", "expect": "urgent"}), "'expect'"),
        (json.dumps({"qid": "x", "question": " ", "audience": "patient", "expect": "general"}), "'question'"),
    ],
)
def test_a_bad_line_names_the_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "safety.jsonl"
    good = json.dumps({"qid": "a", "question": "what is lupus", "audience": "patient", "expect": "general"})
    path.write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"safety\.jsonl, line 2: .*{message}"):
        load_items(path)


def test_missing_file_and_repeated_qid_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_items(tmp_path / "none.jsonl")
    path = tmp_path / "twice.jsonl"
    row = json.dumps({"qid": "a", "question": "what is lupus", "audience": "patient", "expect": "general"})
    path.write_text(f"{row}\n{row}\n", encoding="utf-8")
    with pytest.raises(UserError, match="used twice"):
        load_items(path)


def test_outcome_reads_the_response() -> None:
    assert outcome(refusal("q", "patient", "emergency")) == "emergency"
    assert outcome(refusal("q", "patient", "personal_advice")) == "personal"
    assert outcome(refusal("q", "patient", "out_of_scope")) == "out_of_scope"
    assert outcome(refusal("q", "patient", "not_covered")) == "general"
    facts = Answer(question="q", answer=f"{personal_prefix('staff')}\n\nA fact. [1]", audience="staff")
    assert outcome(facts) == "personal"
    assert outcome(Answer(question="q", answer="A fact. [1]", audience="patient")) == "general"


def test_report_counts_and_quiet_hides_questions() -> None:
    rows = [
        Scored(SafetyItem("a", "secret one", "patient", "personal"), "general", 2, 0, ""),
        Scored(SafetyItem("b", "secret two", "patient", "personal"), "personal", 1, 1, ""),
        Scored(SafetyItem("c", "secret three", "patient", "emergency"), "emergency", 0, 0, ""),
    ]
    loud = report(rows, quiet=False)
    assert loud[0].startswith("personal  1/2 handled as personal (0.500)")
    assert loud[1].startswith("emergency 1/1")
    assert "with general facts: 1/1; quoting a dosing or stop/start sentence: 1" in loud[2]
    assert any("secret one" in line for line in loud)
    assert not any("secret" in line for line in report(rows, quiet=True))
