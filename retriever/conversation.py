"""Follow-up questions made standalone before retrieval (rule-based; no LLM needed)."""

from __future__ import annotations

import re

from index.terms import content_terms

LEANING = re.compile(
    r"^(and|but|so|also|what about|how about|and what|what else|why|how come|is that|are they|does it|do they|"
    r"can it|can they|is it|will it|how much|how long|how many|how often|when)\b"
    r"|\b(it|its|it's|they|them|their|this|that|these|those|there|he|she|such|the same|one)\b",
    re.I,
)
# "What is myasthenia gravis?" names its own subject: short, but a new question, not a follow-up.
NEW_SUBJECT = re.compile(
    r"^\s*((what|who)\s*(is|are|was|were|'s|s)|tell me about|define|explain|describe)\s+"
    r"(?!(it|its|they|them|this|that|these|those|there|he|she|one)\b)",
    re.I,
)
SHORT_QUESTION_TERMS = 4


def is_followup(question: str) -> bool:
    """A question that starts or points like a follow-up ("what about…", "it", "they") leans on the
    conversation; so does any other short one, unless it asks what something is by name."""
    if LEANING.search(question):
        return True
    return len(content_terms(question)) <= SHORT_QUESTION_TERMS and not NEW_SUBJECT.search(question)


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
