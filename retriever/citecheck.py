"""Citation checking, after any answerer: every sentence kept in an answer is supported by a quote it cites.

**The support criterion** (the one implementation; evaluation/support.py uses it too). A cited
quote supports an answer sentence when

    (embedding cosine(sentence, quote) >= support_cosine (AQA_SUPPORT_COSINE, default 0.70)
     OR content-word overlap(sentence, quote) >= support_overlap (AQA_SUPPORT_OVERLAP, default 0.75))
    AND every number the sentence states also appears in the quote

The thresholds and the number check agree with 0.86 of the hand-labelled pairs in
tests/data/support_labels.jsonl (0.6/0.5 without the number check: 0.68); the number check rejects a
paraphrase that changes a figure ("twelve patients" for "five patients").

The cosine is that of the normalised embeddings of the assistant's own embedder
(`index.embedder.get_embedder(settings).encode`), so a paraphrase that shares few words still counts.
The overlap is the share of the sentence's content words (`index.terms.content_terms`: lower case,
stopwords dropped, a plural "s" removed) that the quote contains, so a sentence quoted verbatim or cut
down from its quote scores 1.0 (a sentence with no content words scores 1.0 too). `support_score` is
the larger of the two signals (0..1), the number shown in `SentenceSupport.support`; `is_supported`
applies the two thresholds.

**The check** (`check_citations`):

1. Split the answer into sentences (`answer_sentences`): a run of sentences ends at each group of
   citation markers ("[1]", "[1, 2]", "[1][3]"); a marker placed after the full stop belongs to the
   sentence before it; sentences of a run without their own marker take the run's markers (a quote
   of several sentences followed by one [n], a list with one [n] after its last item). Marker-free text after the last marker is uncited.
2. Drop every citation number that does not map to a `Citation` whose `chunk_id` is among the
   retrieved evidence.
3. Judge each sentence against the quotes of its remaining citations; its support is the best one.
4. Remove the unsupported sentences (AQA_CITECHECK=remove, the default), or keep them with an
   "[unsupported]" mark (AQA_CITECHECK=flag). A sentence `drop` matches (e.g. a dose, for personal
   questions) is removed in both modes.
5. Renumber the citations still cited 1..n in order of first use, drop the others, and rewrite the
   markers where they stood (after a run; a sentence whose run lost its end gets its own), keeping
   paragraph breaks and "- " list items. An answer left without one supported sentence becomes a refusal ("unsupported").

`Answer.sentences` lists the sentences of the final answer with their citations (new numbers), their
support and verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.sentences import split_sentences
from index.settings_groups import SupportThresholds
from index.terms import content_terms
from retriever.messages import REFUSAL_TEXT
from retriever.types import Answer, Citation, Evidence, SentenceSupport

DEFAULT_SUPPORT = SupportThresholds()  # the defaults of AQA_SUPPORT_COSINE and AQA_SUPPORT_OVERLAP

_NUMBER_WORDS = {
    w: str(v)
    for v, w in enumerate(
        [
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ],
        start=2,
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"}  # "one" is a pronoun too often
UNSUPPORTED_MARK = "[unsupported]"

_GROUP = r"\[\d+(?:\s*[,;]\s*\d+)*\]"
_MARKERS = re.compile(rf"(?:\s*{_GROUP})+")
_LEADING = re.compile(rf"^(?:\s*{_GROUP})+\s*[.!?]?")


# -------------------------------------------------------------------------------------------- criterion


def numbers(text: str) -> set[str]:
    """The numbers a text states: digits ("500,000" → "500000") and number words."""
    found = {m.replace(",", "").rstrip(".") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    found.update(_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS)
    return found


def overlap(sentence: str, quote: str) -> float:
    """Share of the sentence's content words that the quote contains (1.0 for a sentence of none)."""
    terms = content_terms(sentence)
    return len(terms & content_terms(quote)) / len(terms) if terms else 1.0


@dataclass(frozen=True)
class Support:
    """The signals behind one (sentence, quote) verdict."""

    cosine: float | None  # None where it was not computed (overlap decided, or a number is missing)
    overlap: float
    numbers_ok: bool  # every number the sentence states is in the quote
    supported: bool

    @property
    def score(self) -> float:
        return max(self.cosine or 0.0, self.overlap)


def judge_pairs(
    pairs: Sequence[tuple[str, str]],
    embedder: Embedder,
    thresholds: SupportThresholds = DEFAULT_SUPPORT,
    all_cosines: bool = False,
) -> list[Support]:
    """The verdict for each (sentence, quote) pair; one encode call, only for the pairs whose verdict
    the cosine can still change (overlap below its threshold, numbers in agreement) unless `all_cosines`."""
    if not pairs:
        return []
    lexical = [overlap(s, q) for s, q in pairs]
    numbers_ok = [numbers(s) <= numbers(q) for s, q in pairs]
    need = [
        i for i in range(len(pairs)) if all_cosines or (numbers_ok[i] and lexical[i] < thresholds.overlap)
    ]
    cosines: list[float | None] = [None] * len(pairs)
    if need:
        texts = list(dict.fromkeys([pairs[i][0] for i in need] + [pairs[i][1] for i in need]))
        vectors = embedder.encode(texts)
        index = {text: i for i, text in enumerate(texts)}
        for i in need:
            cosines[i] = float(np.dot(vectors[index[pairs[i][0]]], vectors[index[pairs[i][1]]]))
    found = []
    for i, cosine in enumerate(cosines):
        close = lexical[i] >= thresholds.overlap or (cosine is not None and cosine >= thresholds.cosine)
        shown = round(cosine, 4) if cosine is not None else None
        found.append(Support(shown, round(lexical[i], 4), numbers_ok[i], close and numbers_ok[i]))
    return found


def support_score(sentence: str, quote: str, embedder: Embedder) -> float:
    """How well the quote supports the sentence: max(embedding cosine, content-word overlap), 0..1."""
    return max(0.0, min(1.0, judge_pairs([(sentence, quote)], embedder)[0].score))


def is_supported(
    sentence: str, quote: str, embedder: Embedder, thresholds: SupportThresholds = DEFAULT_SUPPORT
) -> bool:
    """cosine >= thresholds.cosine or overlap >= thresholds.overlap (see the module docstring)."""
    return judge_pairs([(sentence, quote)], embedder, thresholds)[0].supported


# ------------------------------------------------------------------------------------------- splitting


@dataclass
class AnswerSentence:
    """One sentence of an answer: its text without markers, its citation numbers, what came before it."""

    text: str
    cites: list[int]
    separator: str = " "  # what preceded it: whitespace ("\n" keeps paragraphs), a list item's "- "
    ends_run: bool = True  # its markers were written after it (a run's earlier sentences share them)


def _numbers(markers: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", markers)]


def strip_markers(text: str) -> str:
    return " ".join(_MARKERS.sub("", text).split())


_LIST_ITEM = re.compile(r"\n[ \t]*([-*+\u2022]|\d{1,3}[.)])[ \t]+$")


def answer_sentences(answer: str, known: set[int] | None = None) -> list[AnswerSentence]:
    """Sentences with the citation numbers that cover them (see step 1 of the module docstring).

    With `known`, a bracketed number group naming none of those citations is text, not a marker (a
    quote may carry its source's own reference marks, "… in 2010 [12].")."""
    runs: list[tuple[str, list[int]]] = []  # (text, markers closing the run)
    cursor = 0
    for match in _MARKERS.finditer(answer):
        numbers = _numbers(match.group(0))
        if known is not None and not set(numbers) & known:
            continue
        runs.append((answer[cursor : match.start()], numbers))
        cursor = match.end()
    runs.append((answer[cursor:], []))
    found: list[AnswerSentence] = []
    for chunk, markers in runs:
        trail = re.match(r"^\s*[.!?]", chunk)  # "quote [1]. Next" – a full stop after the marker
        if trail and found:
            if found[-1].text[-1:] not in ".!?":  # the full stop moves before the marker
                found[-1].text += trail.group(0).strip()
            chunk = chunk[trail.end() :]
        pieces: list[AnswerSentence] = []
        previous_end = 0
        for start, end in split_sentences(chunk):
            text = " ".join(chunk[start:end].split())
            gap = chunk[previous_end:start]
            previous_end = end
            if any(ch.isalnum() for ch in text):
                separator = "\n\n" if "\n\n" in gap else ("\n" if "\n" in gap else " ")
                item = _LIST_ITEM.search(gap)
                if item and separator != " ":
                    separator += item.group(1) + " "
                pieces.append(AnswerSentence(text, list(dict.fromkeys(markers)), separator, False))
        if pieces:
            pieces[-1].ends_run = True
        if not pieces and markers and found:  # markers with no text of their own close the sentence before
            found[-1].cites.extend(n for n in markers if n not in found[-1].cites)
        found.extend(pieces)
    return found


# ---------------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class CiteCheckSettings:
    thresholds: SupportThresholds = DEFAULT_SUPPORT
    mode: str = "remove"  # or "flag"


def check_citations(
    answer: Answer,
    evidence: list[Evidence],
    embedder: Embedder,
    settings: CiteCheckSettings | None = None,
    drop: Callable[[str], bool] | None = None,
) -> Answer:
    """A new answer with only the supported, correctly cited sentences (see the module docstring)."""
    config = settings or CiteCheckSettings()
    if answer.refused or not answer.answer.strip():
        return answer.model_copy(update={"sentences": []})
    retrieved = {e.chunk_id for e in evidence}
    valid: dict[int, Citation] = {c.n: c for c in answer.citations if c.chunk_id in retrieved}
    sentences = answer_sentences(answer.answer, {c.n for c in answer.citations})
    for sentence in sentences:
        sentence.cites = [n for n in sentence.cites if n in valid]
    pairs = [(s.text, valid[n].quote) for s in sentences for n in s.cites]
    verdicts = iter(judge_pairs(pairs, embedder, config.thresholds))
    judged: list[tuple[AnswerSentence, float, bool]] = []
    for sentence in sentences:
        mine = [next(verdicts) for _ in sentence.cites]
        support = max((v.score for v in mine), default=0.0)
        supported = any(v.supported for v in mine)
        # keep only the citations that support it, when some do
        if supported:
            sentence.cites = [n for n, v in zip(sentence.cites, mine, strict=True) if v.supported]
        judged.append((sentence, support, supported))
    kept = [
        (s, support, ok)
        for s, support, ok in judged
        if not (drop and drop(s.text)) and (ok or config.mode == "flag")
    ]
    if not any(ok for _, _, ok in kept):
        return Answer(
            question=answer.question,
            answer=REFUSAL_TEXT,
            refused=True,
            refusal_reason="unsupported",
            audience=answer.audience,
            evidence_score=answer.evidence_score,
            notice=answer.notice,
            answerer=answer.answerer,
        )
    renumber: dict[int, int] = {}
    for sentence, _, _ in kept:
        for n in sentence.cites:
            renumber.setdefault(n, len(renumber) + 1)
    citations = [valid[old].model_copy(update={"n": new}) for old, new in renumber.items()]
    parts: list[str] = []
    records: list[SentenceSupport] = []
    for i, (sentence, support, ok) in enumerate(kept):
        numbers = [renumber[n] for n in sentence.cites]
        text = sentence.text + ("" if ok else f" {UNSUPPORTED_MARK}")
        # markers where the answer had them: after a run, or wherever the next kept sentence differs
        following = kept[i + 1][0] if i + 1 < len(kept) else None
        if (
            sentence.ends_run
            or following is None
            or following.cites != sentence.cites
            or not ok
            or not kept[i + 1][2]
        ):
            text += "".join(f" [{n}]" for n in numbers)
        parts.append(text if i == 0 else sentence.separator + text)
        records.append(
            SentenceSupport(
                text=sentence.text,
                citations=numbers,
                support=round(max(0.0, min(1.0, support)), 4),
                supported=ok,
            )
        )
    return answer.model_copy(update={"answer": "".join(parts), "citations": citations, "sentences": records})
