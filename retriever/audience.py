"""How an answer is shaped for its audience: plain language for patients, precise wording for staff.

**Patient** answers prefer short, plain sentences among near-equal candidates (the extractive answerer
subtracts `readability_penalty`; the refusal decision and the citation scores keep the unadjusted
score), have at most `patient_max_sentences` sentences and about `patient_words` words, explain up
to `MAX_EXPLANATIONS` glossary terms the answer uses (`explain_terms`, rendered by
`explanations_text`) and carry the notice that this is general information, not medical advice
(`retriever.messages.PATIENT_NOTICE`). **Staff** answers keep the sources' wording and numbers: a
sentence with a figure gets `staff_number_bonus`, and they may have more sentences
(`sentence_limit`); each citation carries the source's date. The numbers are `AudienceWeights`
(`retriever.weights`); how they were found: docs/answer-choice-history.md.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from index.sentences import split_sentences
from retriever.glossary import EXPLANATION_SKIPS, is_short_form, name_pattern, read_glossary, resolve_glossary
from retriever.types import Audience
from retriever.weights import SHIPPED, AudienceWeights

MAX_EXPLANATIONS = 2  # glossary terms explained under a patient answer


def syllables(word: str) -> int:
    """A vowel-group estimate of a word's syllables (a silent final e is not counted)."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def readability_penalty(sentence: str, weights: AudienceWeights = SHIPPED.audience) -> float:
    """How much harder the sentence is to read than plain language (0 .. max_penalty): grade_weight
    per Flesch-Kincaid grade above grade_target, the grade from words per sentence and `syllables`."""
    grade = sentence_grade(sentence)
    return min(weights.max_penalty, max(0.0, grade - weights.grade_target) * weights.grade_weight)


def sentence_grade(sentence: str) -> float:
    """The Flesch-Kincaid grade of one sentence (words per sentence and `syllables`); 0 for no words."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", sentence)
    if not words:
        return 0.0
    return 0.39 * len(words) + 11.8 * sum(syllables(w) for w in words) / len(words) - 15.59


_NUMBER = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|million|half|third|quarter|percent)\b",
    re.I,
)


def has_number(sentence: str) -> bool:
    return bool(_NUMBER.search(sentence))


def audience_adjustment(
    sentence: str, audience: Audience, weights: AudienceWeights = SHIPPED.audience
) -> float:
    """What the extractive answerer adds to a candidate's score for this audience."""
    if audience == "patient":
        return -readability_penalty(sentence, weights)
    return weights.staff_number_bonus if has_number(sentence) else 0.0


def sentence_limit(
    audience: Audience, max_sentences: int, staff_extra: int = 0, weights: AudienceWeights = SHIPPED.audience
) -> int:
    """Sentences in an answer: at most `patient_max_sentences` for patients, the configured number
    (+ extra) for staff."""
    if audience == "patient":
        return min(max_sentences, weights.patient_max_sentences)
    return max_sentences + staff_extra


# ------------------------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    patterns: tuple[re.Pattern[str], ...]

    def first_position(self, text: str) -> int | None:
        found = [m.start() for p in self.patterns for m in [p.search(text)] if m]
        return min(found) if found else None


def _short_definition(definition: str, sentences: int = 2) -> str:
    text = " ".join(definition.split())
    spans = split_sentences(text)
    if len(spans) <= sentences:
        return text
    return text[: spans[sentences - 1][1]]


@functools.cache
def load_glossary(path: Path | None) -> tuple[GlossaryTerm, ...]:
    """The glossary's terms with whole-word patterns for the term and its specific aliases."""
    terms = []
    for entry in read_glossary(resolve_glossary(path)):
        if not entry.term or not entry.definition:
            continue
        names = [entry.bare_term(), *entry.specific_aliases(EXPLANATION_SKIPS), *entry.term_short_forms()]
        patterns = tuple(name_pattern(n, is_short_form(n)) for n in dict.fromkeys(names) if len(n) >= 2)
        terms.append(GlossaryTerm(entry.term, _short_definition(entry.definition), patterns))
    return tuple(terms)


def explain_terms(
    answer_text: str, question: str, glossary: Path | None, limit: int = MAX_EXPLANATIONS
) -> list[dict[str, str]]:
    """{term, definition} for up to `limit` glossary terms used in the answer, in order of first use;
    terms the question itself names are left out (the person already used the word)."""
    found: list[tuple[int, GlossaryTerm]] = []
    for entry in load_glossary(glossary):
        position = entry.first_position(answer_text)
        if position is not None and entry.first_position(question) is None:
            found.append((position, entry))
    found.sort(key=lambda item: item[0])
    return [{"term": entry.term, "definition": entry.definition} for _, entry in found[:limit]]


def explanations_text(explanations: list[dict[str, str]]) -> str:
    """The explanations as lines for a plain-text front end ("" when there are none)."""
    if not explanations:
        return ""
    lines = ["What the words mean:"] + [f"- {e['term']}: {e['definition']}" for e in explanations]
    return "\n".join(lines)
