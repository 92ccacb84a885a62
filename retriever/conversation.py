"""Follow-up questions made standalone before retrieval (rule-based; no LLM needed)."""

from __future__ import annotations

import re

from index.terms import content_terms

_LEANING = re.compile(
    r"^(and|but|so|also|what about|how about|and what|what else|why|how come|is that|are they|does it|do they|"
    r"can it|can they|is it|will it|how much|how long|how many|how often|when)\b"
    r"|\b(it|its|it's|they|them|their|this|that|these|those|there|he|she|such|the same|one)\b",
    re.I,
)
SHORT_QUESTION_TERMS = 4


def is_followup(question: str) -> bool:
    """A short question, or one that starts or points like a follow-up, leans on the conversation."""
    return len(content_terms(question)) <= SHORT_QUESTION_TERMS or bool(_LEANING.search(question))


def condense_followup(question: str, previous_questions: list[str]) -> str:
    """Carry the subject of the previous standalone question into a follow-up that leans on it."""
    question = question.strip()
    if not previous_questions or not is_followup(question):
        return question
    subject = previous_questions[-1].strip().rstrip("?.! ")
    new_terms = content_terms(question)
    if new_terms and new_terms <= content_terms(subject):
        return question
    return f"{question} (about: {subject})"
