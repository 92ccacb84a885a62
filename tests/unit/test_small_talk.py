"""Small talk is answered with what the assistant does, without retrieval (retriever/guardrails/small_talk.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retriever.guardrails import screen
from retriever.guardrails.scope import ScopeVocabulary
from retriever.guardrails.small_talk import detect_small_talk, small_talk_answer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hi", "greeting"),
        ("Hello there!", "greeting"),
        ("hey, how are you?", "greeting"),
        ("good morning", "greeting"),
        ("thanks", "thanks"),
        ("thanks thats helpful", "thanks"),
        ("Thank you so much!", "thanks"),
        ("ok, got it!", "thanks"),
        ("what can you help me with", "about"),
        ("who are you?", "about"),
        ("are you a doctor", "identity"),
        ("r u a real person", "identity"),
        ("??", "nothing"),
    ],
)
def test_a_message_that_is_only_small_talk_is_recognised(message: str, kind: str) -> None:
    assert detect_small_talk(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "hi, my chest hurts",
        "thanks, and is it contagious?",
        "hi what is lupus",
        "ok so is lupus genetic",
        "what can car t do for lupus",
        "are you sure car t works",
        "is a doctor needed for ivig",
    ],
)
def test_a_question_with_small_talk_in_it_is_still_a_question(message: str) -> None:
    assert detect_small_talk(message) is None


def test_no_question_of_any_gold_or_safety_file_is_small_talk() -> None:
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                for turn in item.get("turns") or [item.get("question")]:
                    assert detect_small_talk(str(turn)) is None, (path.name, turn)


def test_the_screen_answers_small_talk_with_what_the_assistant_does() -> None:
    vocabulary = ScopeVocabulary.build()
    hello = screen("hi", "hi", "patient", vocabulary)
    assert hello.kind == "small_talk" and hello.answer is not None
    assert hello.answer.refusal_reason == "small_talk" and not hello.answer.citations
    assert "lupus" in hello.answer.answer and "cite" in hello.answer.answer
    doctor = small_talk_answer("are you a doctor", "identity", "patient")
    assert doctor.answer.startswith("No.") and "care team" in doctor.answer
    # an emergency comes first, whatever greets it
    assert screen("hi, i cant breathe right now", "q", "patient", vocabulary).kind == "emergency"
