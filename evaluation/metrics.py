"""Pure metric functions: retrieval, facts, reference overlap, citations, refusals, latency, statistics."""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.sentences import split_sentences

# ----------------------------------------------------------------------------------------------- retrieval


def distinct_ids(ids: Iterable[str]) -> list[str]:
    """Doc ids in rank order with repeats removed (the first occurrence keeps its rank)."""
    seen: set[str] = set()
    ordered = []
    for doc_id in ids:
        if doc_id not in seen:
            seen.add(doc_id)
            ordered.append(doc_id)
    return ordered


def hit_at_k(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 when any gold id is among the first k distinct ranked ids, else 0.0."""
    return 1.0 if gold & set(ranked[:k]) else 0.0


def mrr_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Reciprocal rank of the first gold id within the first k (0.0 when none is there)."""
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k: DCG of the ranking over the DCG of all gold ids ranked first."""
    if not gold:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, doc_id in enumerate(ranked[:k]) if doc_id in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal


# ---------------------------------------------------------------------------------------------------- facts


def facts_met(answer: str, facts: Sequence[Sequence[str]]) -> list[bool]:
    """Per fact group: True when any alternative occurs in the answer (case-insensitive)."""
    text = answer.lower()
    return [any(alt.lower() in text for alt in group) for group in facts]


# ---------------------------------------------------------------------------------------- reference overlap

_PUNCT = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower case, drop punctuation and the articles a/an/the, squeeze spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def _tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD token F1 between two texts after `normalize_answer` (bag of tokens, with counts)."""
    pred, ref = _tokens(prediction), _tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two token lists (dynamic programming, O(len a × len b))."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l_f(prediction: str, reference: str) -> float:
    """ROUGE-L F1: LCS-based precision and recall over `normalize_answer` tokens."""
    pred, ref = _tokens(prediction), _tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    lcs = lcs_length(pred, ref)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


# ------------------------------------------------------------------------------------------------ citations

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def strip_markers(text: str) -> str:
    """The text without its [n] (or [1, 2]) citation markers."""
    return " ".join(_MARKER.sub("", text).split())


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer, without markers, and the citation numbers it carries."""

    text: str
    cites: tuple[int, ...]


def _numbers(marker_group: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker_group)]


_LIST_ITEM = re.compile(r"^[-*+\u2022][ \t]+")
_SENTENCE_AFTER_MARKER = re.compile(r"\[\d+(?:\s*[,;]\s*\d+)*\](?=\s+[^a-z\s])")


def answer_sentences(answer: str) -> list[AnswerSentence]:
    """Split an answer into sentences; markers before or after the full stop belong to that sentence.

    A list block (a lead-in line ending in a colon, or one with no marker of its own, then "- item"
    lines, a marker after the last item) is one statement, its lines joined with "; ": the answerer
    quotes a list as one unit, and an item may hold more than one sentence. A marker followed by anything but a lower-case word also ends a
    sentence, so "Fever and chills [1] CAR-T …" and "steps: [1] **Grow.** …" are two sentences each
    (quotes of list items and headings often have no full stop).
    """
    pieces: list[tuple[str, list[int]]] = []
    for block in re.split(r"\n[ \t]*\n", answer):
        lines = [line.strip() for line in block.strip().splitlines()]
        if len(lines) > 1 and all(_LIST_ITEM.match(x) for x in lines[1:]) and _one_unit(lines):
            items = [_LIST_ITEM.sub("", x) for x in lines[1:]]
            cites = [n for group in _MARKER.findall(block) for n in _numbers(group)]
            pieces.append((strip_markers(f"{lines[0]} {'; '.join(items)}"), cites))
        else:
            _sentences_of(block, pieces)
    return [AnswerSentence(text, tuple(dict.fromkeys(cites))) for text, cites in pieces]


def _one_unit(lines: list[str]) -> bool:
    """A lead-in and its items quoted as one unit: a lead-in ending in a colon, or one whose markers
    all come after the last item ("Goodpasture syndrome is usually treated with / - … / - … [2]")."""
    return lines[0].endswith(":") or not any(_MARKER.search(line) for line in lines[:-1])


def _sentences_of(text: str, pieces: list[tuple[str, list[int]]]) -> None:
    segments, cursor = [], 0
    for match in _SENTENCE_AFTER_MARKER.finditer(text):
        segments.append(text[cursor : match.end()])
        cursor = match.end()
    segments.append(text[cursor:])
    for segment in segments:
        for start, end in split_sentences(segment):
            piece = segment[start:end]
            leading = re.match(r"^(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+", piece)
            if leading and pieces:  # "quote. [1] Next sentence." – [1] closes the previous sentence
                for group in _MARKER.findall(leading.group(0)):
                    pieces[-1][1].extend(_numbers(group))
                piece = piece[leading.end() :]
            cites = [n for group in _MARKER.findall(piece) for n in _numbers(group)]
            words = strip_markers(piece)
            if any(ch.isalnum() for ch in words):
                pieces.append((words, cites))
            elif pieces:
                pieces[-1][1].extend(cites)


def lead_sentence(answer: str) -> str:
    """The answer's first statement (a quoted list counts as one), without markers: what a reader
    takes in first, and what should already answer the question."""
    sentences = answer_sentences(answer)
    return sentences[0].text if sentences else ""


SupportJudge = Callable[[list[tuple[str, str]]], list[bool]]
"""Judges (answer sentence, quote) pairs: True where the quote supports the sentence."""


@dataclass(frozen=True)
class CitationScores:
    """ALCE-style citation precision and recall of one answer, with the per-sentence detail."""

    precision: float | None
    recall: float | None
    sentences: list[dict[str, object]]


def citation_scores(
    sentences: Sequence[AnswerSentence], quotes: dict[int, str], judge: SupportJudge
) -> CitationScores:
    """Precision: cited quotes that support their sentence; recall: sentences with a supporting citation."""
    pairs: list[tuple[int, int]] = []  # (sentence index, citation number) for quotes that exist
    for i, sentence in enumerate(sentences):
        pairs.extend((i, n) for n in sentence.cites if n in quotes)
    verdicts = judge([(sentences[i].text, quotes[n]) for i, n in pairs]) if pairs else []
    supported = {pair: ok for pair, ok in zip(pairs, verdicts, strict=True)}
    detail: list[dict[str, object]] = []
    citations_total = citations_ok = sentences_ok = 0
    for i, sentence in enumerate(sentences):
        oks = [supported.get((i, n), False) for n in sentence.cites]  # a number with no citation fails
        citations_total += len(oks)
        citations_ok += sum(oks)
        sentences_ok += any(oks)
        detail.append({"sentence": sentence.text, "cites": list(sentence.cites), "supported": oks})
    precision = citations_ok / citations_total if citations_total else None
    recall = sentences_ok / len(sentences) if sentences else None
    if sentences and not citations_total:
        precision = 0.0  # sentences but not one citation: nothing cited supports anything
    return CitationScores(precision, recall, detail)


# ------------------------------------------------------------------------------------------------- refusals

_CARE_TEAM = re.compile(
    r"\bcare team\b|\b(?:your|the treating) (?:own )?(?:medical team|doctors?|physicians?|rheumatologists?|"
    r"nurses?|health ?care (?:providers?|team))\b",
    re.I,
)  # "your doctor", "the treating physician", "care team"; not "doctors have tried"


def mentions_care_team(text: str) -> bool:
    """True when the text sends the reader to a care team or their own doctor ("ask your doctor")."""
    return bool(_CARE_TEAM.search(text))


def category(answerable: bool, emergency: bool, personal_advice: bool) -> str:
    """The item's kind for refusal scoring: emergency, personal_advice, unanswerable or answerable."""
    if emergency:
        return "emergency"
    if personal_advice:
        return "personal_advice"
    return "answerable" if answerable else "unanswerable"


def handled(kind: str, refused: bool, refusal_reason: str | None, answer: str) -> bool:
    """Whether the response is the right kind for the item (answered, refused, urgent care, care team)."""
    if kind == "answerable":
        return not refused
    if kind == "unanswerable":
        return refused
    if kind == "emergency":
        return refusal_reason == "emergency"
    return refusal_reason == "personal_advice" or mentions_care_team(answer)


# an item refused for one of these reasons was judged on its evidence score; the others stay refused
THRESHOLD_REASONS = frozenset({"insufficient_evidence"})


def sweep_thresholds(current: float, step: float = 0.02, span: int = 10) -> list[float]:
    """`current` and `span` steps of `step` on each side of it (none below 0), rounded to 4 places."""
    near = {round(max(0.0, current + k * step), 4) for k in range(-span, span + 1)}
    return sorted(near | {round(current, 4)})


def _share(count: int, of: int) -> float | None:
    return count / of if of else None


def refused_at(row: dict[str, Any], threshold: float) -> bool:
    """Whether the item would have been refused had the evidence threshold been `threshold`: an item
    answered, or refused for weak evidence (`THRESHOLD_REASONS`), is refused below its evidence score;
    one refused for another reason stays refused; one without an evidence score keeps its outcome."""
    score = row.get("evidence_score")
    if score is None or (row["refused"] and row.get("refusal_reason") not in THRESHOLD_REASONS):
        return bool(row["refused"])
    return float(score) < threshold


REFUSED_KINDS = ("unanswerable", "answerable", "other")


def refusals_by_reason(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per refusal reason, the refused items by kind: "unanswerable" (right to refuse), "answerable"
    (false refusals) and "other" (emergencies, personal advice, out of scope)."""
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        if not row["refused"]:
            continue
        kind = row["kind"] if row["kind"] in ("answerable", "unanswerable") else "other"
        counts = found.setdefault(row.get("refusal_reason") or "unspecified", dict.fromkeys(REFUSED_KINDS, 0))
        counts[kind] += 1
    return dict(sorted(found.items()))


def refusal_sweep(rows: Sequence[dict[str, Any]], thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """What refusing below each evidence-score threshold would have done to the answerable and
    unanswerable items of an eval run (`refused_at`): per threshold, the unanswerable items refused
    (recall), the answerable items refused (false refusals) and the share of refusals that were right
    (precision). Only the threshold moves: the checks before it (a name no source mentions, a subject
    no passage covers) refuse what they refused."""
    answerable = [r for r in rows if r["kind"] == "answerable"]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    out = []
    for threshold in thresholds:
        right = sum(refused_at(r, threshold) for r in unanswerable)
        wrong = sum(refused_at(r, threshold) for r in answerable)
        out.append(
            {
                "threshold": threshold,
                "refused": _share(right, len(unanswerable)),
                "false_refusals": _share(wrong, len(answerable)),
                "precision": _share(right, right + wrong),
            }
        )
    return out


def rate(values: Iterable[bool | float | None]) -> float | None:
    """Mean of the non-None values, None when there are none."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


# -------------------------------------------------------------------------------------------- readability


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of the text without [n] markers (textstat; hyphenation-dictionary syllables).

    A line is read as a sentence: a list's lead-in and each "- item" line end one, as a reader takes
    them (textstat alone would count a four-item list as one sentence of 50 words, grade 17 for a
    list of grade 3 lines)."""
    lines = [strip_markers(line) for line in text.splitlines()]
    clean = " ".join(line if line[-1] in ".!?" else line + "." for line in lines if line)
    if not any(ch.isalpha() for ch in clean):
        return None
    return float(_textstat().flesch_kincaid_grade(clean))


_TEXTSTAT: Any = None


def _textstat() -> Any:
    """A textstat instance that counts syllables with Pyphen only.

    textstat ≥ 0.7.5 looks English words up in NLTK's CMU dictionary and downloads it at run time when
    missing, which fails offline. Its CMU lookup is keyed on the language root "en"; the tag "en-US" has
    another root, so syllables come from Pyphen's en_US hyphenation dictionary (as textstat did up to 0.7.3).
    """
    global _TEXTSTAT
    if _TEXTSTAT is None:
        from textstat.textstat import textstatistics

        instance = textstatistics()
        instance.set_lang("en-US")
        _TEXTSTAT = instance
    return _TEXTSTAT


# ------------------------------------------------------------------------------------------------- latency


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between ranks; None for no values."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


def latency_summary(values: Sequence[float]) -> dict[str, float | None]:
    """p50, p95 and max of a list of milliseconds."""
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": float(max(values)) if values else None,
    }


# ---------------------------------------------------------------------------------------------- statistics


def sign_test(a: Sequence[float], b: Sequence[float]) -> dict[str, float | int]:
    """Exact two-sided sign test on paired values: B's wins, losses, ties and the binomial p-value."""
    wins = sum(y > x for x, y in zip(a, b, strict=True))
    losses = sum(y < x for x, y in zip(a, b, strict=True))
    ties = len(a) - wins - losses
    n = wins + losses
    if n == 0:
        return {"wins": wins, "losses": losses, "ties": ties, "p_value": 1.0}
    tail = sum(math.comb(n, i) for i in range(min(wins, losses) + 1)) / 2**n
    return {"wins": wins, "losses": losses, "ties": ties, "p_value": min(1.0, 2 * tail)}


def _statistic(values: np.ndarray, statistic: str) -> np.ndarray:
    """The statistic along the last axis: mean, median or pNN."""
    if statistic == "mean":
        return np.asarray(values.mean(axis=-1))
    if statistic == "median":
        return np.asarray(np.median(values, axis=-1))
    if statistic.startswith("p") and statistic[1:].isdigit():
        return np.asarray(np.percentile(values, float(statistic[1:]), axis=-1))
    raise ValueError(f"unknown statistic {statistic!r}")


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], resamples: int = 10_000, seed: int = 0, statistic: str = "mean"
) -> dict[str, float | None]:
    """Paired bootstrap of stat(B) − stat(A): the delta, a 95 % interval and a two-sided p-value.

    Questions are resampled with replacement (the same indices for A and B); the p-value is twice the
    smaller share of resampled deltas on either side of zero.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.size == 0:
        return {"delta": None, "ci_low": None, "ci_high": None, "p_value": None}
    rng = np.random.default_rng(seed)
    index = rng.integers(0, x.size, size=(resamples, x.size))
    deltas = _statistic(y[index], statistic) - _statistic(x[index], statistic)
    low, high = np.percentile(deltas, [2.5, 97.5])
    p = 2 * min(float(np.mean(deltas <= 0)), float(np.mean(deltas >= 0)))
    return {
        "delta": float(_statistic(y, statistic) - _statistic(x, statistic)),
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": min(1.0, p),
    }


def aggregate(values: Sequence[float | None], agg: str = "mean") -> float | None:
    """Aggregate the non-None values: mean, median, p50, p95 or max; None when there are none."""
    kept = [float(v) for v in values if v is not None]
    if not kept:
        return None
    if agg == "mean":
        return sum(kept) / len(kept)
    if agg == "max":
        return max(kept)
    if agg == "median":
        return percentile(kept, 50)
    if agg.startswith("p") and agg[1:].isdigit():
        return percentile(kept, float(agg[1:]))
    raise ValueError(f"unknown aggregation {agg!r}")
