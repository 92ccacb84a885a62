"""What kind of section a question asks for, and what kind a heading opens.

The NIH pages and the project's articles are written as question-headed sections ("How to diagnose
Myasthenia Gravis?", "What are the treatments for Scleroderma?", "What is the outlook for …?"). A
question asking how a disease is diagnosed is answered in the diagnosis section, not by the
sentence that shares its words ("Myasthenia gravis is most often diagnosed in women younger than
40"). `kinds_asked` and `kinds_of_heading` name the kinds; the extractive answerer lifts sentences
of a section whose kind the question asks for (`ExtractiveWeights.w_section`).

Only diagnosis is a kind. Treatment, cause, symptoms, outlook, who gets it, inheritance and
prevention were tried the same way (session 13) and lowered facts met on plain_dev and dev: their
words ("treat", "cause", "signs") are in too many questions that ask something narrower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionKind:
    name: str
    question: re.Pattern[str]
    heading: re.Pattern[str]


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


KINDS: tuple[SectionKind, ...] = (
    SectionKind(
        "diagnosis",
        _p(
            r"\bdiagnos\w*|\btests?\b|\btested\b|\btesting\b|\b(know|tell|find out|check) (if|whether) "
            r"(i|you|u|someone|they|he|she|a person) (have|has|got)\b|\bcheck(ed)? for\b"
        ),
        _p(r"\bdiagnos\w*|\btests?\b|\bstages?\b"),
    ),
)


def kinds_asked(question: str) -> frozenset[str]:
    """The kinds of section the question asks for: "how do they diagnose mg" → {"diagnosis"}."""
    return frozenset(k.name for k in KINDS if k.question.search(question))


def kinds_of_heading(heading: str) -> frozenset[str]:
    """The kinds of section a heading opens: "How to diagnose Myasthenia Gravis?" → {"diagnosis"}."""
    return frozenset(k.name for k in KINDS if k.heading.search(heading)) if heading else frozenset()
