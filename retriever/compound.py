"""Compound questions: the second part's best sentence too (session 34).

"what is itp and how is it treated" asks two things; one search and one choice of sentences for the
whole answered what ITP is and never how it is treated. A question of two parts joined by "and" + a
question word ("… and how …", "… and is it …") is answered as one, as before, and its second part
is asked on its own too, carrying the first's subject when it leans on it ("how is it treated
(about: itp)", `conversation.condense_followup`): when the answer does not already give the second
part's best sentence, that sentence takes the place of the answer's last one, the citations of both
checked together.

Nothing else changes: when either is refused, or the second part is screened (an emergency, a
personal decision) or names something no source has, the answer is the whole question's. Only the
extractive answerer: a language model reads both parts itself.
"""

from __future__ import annotations

import re
import time

from index.terms import content_terms
from retriever.audience import sentence_limit
from retriever.citecheck import check_citations
from retriever.conversation import condense_followup
from retriever.extractive import ExtractiveAnswerer
from retriever.steps import (
    ChainParts,
    Question,
    Screened,
    Searched,
    answer,
    condense,
    draft,
    finish,
    screen_question,
    search,
)
from retriever.types import Answer, Citation, Evidence

# "<a question> and <a question word> …": the second part starts like a question of its own
COMPOUND = re.compile(
    r"^(?P<first>\S.*?\S)\s*,?\s+(?:and|&)\s+(?P<second>(?:is|are|does|do|can|could|how|what|whats|what's|"
    r"will|would|should|did|why|when|who|where|which)\b.*\S)\s*$",
    re.IGNORECASE,
)
# the first part is a question too, not a subject ("lupus and what it does" is one ask)
QUESTION_START = re.compile(
    r"^\s*(?:is|are|does|do|can|could|how|what|whats|what's|will|would|should|did|why|when|who|where|which|"
    r"tell me about|explain|define)\b",
    re.IGNORECASE,
)


def split_compound(question: str) -> tuple[str, str] | None:
    """The two questions of "<question> and <question word> …", the second made standalone when it
    leans on the first ("what is itp and how is it treated" → "what is itp", "how is it treated
    (about: itp)"); None for one question, a follow-up already carrying a subject, or "what is the
    difference between lupus and ra"."""
    if "(about:" in question:
        return None
    match = COMPOUND.match(question)
    if not match or not QUESTION_START.match(match.group("first")):
        return None
    first, second = match.group("first").strip(), match.group("second").strip()
    return first, condense_followup(second, [first])


def units(drafted: Answer) -> list[tuple[str, Citation]]:
    """An extractive draft's units (a sentence or a list, each closed by its own " [n]", in order)
    with their citations."""
    found: list[tuple[str, Citation]] = []
    start = 0
    for c in sorted(drafted.citations, key=lambda c: c.n):
        end = drafted.answer.find(f" [{c.n}]", start)
        if end < 0:
            break
        found.append((drafted.answer[start:end].strip(), c))
        start = end + len(f" [{c.n}]")
    return found


def _same(a: str, b: str) -> bool:
    """Whether two sentences say the same in nearly the same words (as restated across documents)."""
    x, y = content_terms(a), content_terms(b)
    return bool(x and y) and len(x & y) / len(x | y) >= SAME_WORDS


SAME_WORDS = 0.7  # the share of content words two sentences have in common to say the same


def pick(drafted: Answer, k: int, offset: int, given: list[str]) -> tuple[list[str], list[Citation]]:
    """The draft's first `k` units that do not restate one of `given`, each text closed by its
    citation's marker renumbered from `offset` + 1, and those citations."""
    texts: list[str] = []
    cites: list[Citation] = []
    for text, c in units(drafted):
        if len(texts) == k:
            break
        if any(_same(text, other) for other in given):
            continue
        n = offset + len(cites) + 1
        texts.append(f"{text} [{n}]")
        cites.append(c.model_copy(update={"n": n}))
    return texts, cites


def answer_question(parts: ChainParts, screened: Screened) -> Answer:
    """The answer to a screened question, searched and drafted as one; for a compound question (see
    the module docstring) with the second part's best sentence in place of the last one, when the
    answer does not already give it."""
    answerer = parts.answerer
    whole = search(parts, screened)
    split = None
    if isinstance(answerer, ExtractiveAnswerer) and not screened.personal:
        split = split_compound(screened.unrewritten)
    if split is None or not isinstance(answerer, ExtractiveAnswerer):
        return answer(parts, whole)
    asked = screened.asked
    sub = screen_question(parts, condense(parts, Question(split[1], asked.audience, (), asked.filters)))
    if sub.screening.answer is not None or sub.unknown_names or sub.personal:
        return answer(parts, whole)
    second = search(parts, sub)
    started = time.perf_counter()
    drafted, other = draft(parts, whole), draft(parts, second)
    given = [text for text, _ in units(drafted)]
    best = [text for text, _ in units(other)][:1]
    if drafted.refused or other.refused or not best or any(_same(best[0], text) for text in given):
        return _checked(parts, whole, drafted, started)
    limit = sentence_limit(
        asked.audience, answerer.max_sentences, answerer.staff_extra_sentences, answerer.weights.audience
    )
    texts, cites = pick(drafted, limit - 1, 0, [])
    added, added_cites = pick(other, 1, len(cites), [])
    pieces = texts + added
    text = pieces[0]
    for before, piece in zip(pieces, pieces[1:], strict=False):  # a list stands apart, as drafted
        text += ("\n\n" if "\n" in before or "\n" in piece else " ") + piece
    evidence = _joined(whole.evidence + second.evidence)
    merged = drafted.model_copy(update={"answer": text, "citations": cites + added_cites})
    return _checked(
        parts, Searched(screened, evidence, whole.retrieve_ms + second.retrieve_ms), merged, started
    )


def _checked(parts: ChainParts, searched: Searched, drafted: Answer, started: float) -> Answer:
    """A draft's citations checked and the answer finished, as `steps.answer` does."""
    checked = check_citations(drafted, searched.evidence, parts.retriever.embedder, parts.checking)
    return finish(parts, searched, checked, started)


def _joined(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence of both parts, each chunk once, in the order found."""
    first: dict[str, Evidence] = {}
    for e in evidence:
        first.setdefault(e.chunk_id, e)
    return list(first.values())
