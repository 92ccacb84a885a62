"""How an answer is shaped for its audience: plain language for patients, precise wording for staff.

**Patient** answers
- prefer short, plain sentences among near-equal candidates: the extractive answerer subtracts
  `readability_penalty` from each candidate's score (patients only; the refusal decision and the
  citation scores still use the unadjusted score): 0.015 per Flesch-Kincaid grade above 8 (words
  per sentence and vowel-group syllables), at most 0.2; a list unit is judged by the mean over its
  lead-in and items. Only candidates within the answerer's margin of the best unadjusted score can
  be chosen, so the penalty reorders near-equal candidates and never lets a much weaker sentence in.
  On eval/dev.jsonl (4 sentences, list units favoured, 2026-11-25): median grade 7.8 with facts met
  0.835 (0.02 per grade: 7.5 / 0.829; 0.01: 8.0 / 0.835). Before list units were favoured, 0.02 per
  grade gave 7.9 / 0.807 where the earlier word-count penalty (0.01 per word beyond 25, 0.5 × the
  share of long words beyond a tenth, at most 0.12, counted 1.5 times) gave 8.4 / 0.798;
- have at most `PATIENT_MAX_SENTENCES` (3) sentences and about 80 words (`extractive.PATIENT_WORDS`):
  a short answer that leads with what was asked;
- explain up to `MAX_EXPLANATIONS` (2) glossary terms that appear in the answer (by the term or one
  of its aliases; not the terms the question itself names): `Answer.explanations` holds
  {term, definition} with the first two sentences of the glossary definition, and
  `explanations_text` renders them as "What the words mean:" lines;
- carry the notice that this is general information, not medical advice, to discuss with the care
  team (`retriever.types.PATIENT_NOTICE`).

**Staff** answers keep the sources' precise wording and numbers: among near-equal candidates a
sentence with a figure gets `STAFF_NUMBER_BONUS`; they may have one sentence more than the configured
`max_answer_sentences` (`staff_sentence_limit`); each citation already carries the source's date.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from index.sentences import split_sentences
from retriever.glossary import EXPLANATION_SKIPS, is_short_form, name_pattern, read_glossary, resolve_glossary
from retriever.types import Audience

PATIENT_MAX_SENTENCES = 3
MAX_EXPLANATIONS = 2
LONG_SENTENCE_WORDS = 25
PER_EXTRA_WORD = 0.01
LONG_WORD_WEIGHT = 0.5
LONG_WORD_ALLOWANCE = 0.1
MAX_PENALTY = 0.12
STAFF_NUMBER_BONUS = 0.05
# patients: 0.02 per Flesch-Kincaid grade above 8, at most 0.2 (see readability_penalty)
GRADE_WEIGHT, GRADE_TARGET, MAX_PENALTY = 0.015, 8.0, 0.2


def syllables(word: str) -> int:
    """A vowel-group estimate of a word's syllables (a silent final e is not counted)."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def readability_penalty(sentence: str) -> float:
    """How much harder the sentence is to read than plain language (0 .. MAX_PENALTY): GRADE_WEIGHT
    per Flesch-Kincaid grade above GRADE_TARGET, the grade from words per sentence and `syllables`."""
    grade = sentence_grade(sentence)
    return min(MAX_PENALTY, max(0.0, grade - GRADE_TARGET) * GRADE_WEIGHT)


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


def audience_adjustment(sentence: str, audience: Audience) -> float:
    """What the extractive answerer adds to a candidate's score for this audience."""
    if audience == "patient":
        return -readability_penalty(sentence)
    return STAFF_NUMBER_BONUS if has_number(sentence) else 0.0


def sentence_limit(audience: Audience, max_sentences: int, staff_extra: int = 0) -> int:
    """Sentences in an answer: at most 3 for patients, the configured number (+ extra) for staff."""
    if audience == "patient":
        return min(max_sentences, PATIENT_MAX_SENTENCES)
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
