"""When does a cited quote support the answer sentence that cites it? The criterion and its agreement.

A quote supports a sentence when (embedding cosine ≥ COSINE_THRESHOLD or content-word overlap ≥
OVERLAP_THRESHOLD) and every number the sentence states also appears in the quote. Overlap is the share of
the sentence's content words (`retriever.extractive.content_terms`) that the quote contains, so a sentence
quoted verbatim, or cut down from its quote, scores 1. The cosine catches paraphrases that share few words.
The number check rejects a paraphrase that changes a figure ("twelve patients" for "five patients"),
which cosine and overlap both miss. Thresholds were chosen on tests/data/support_labels.jsonl (hand-
labelled pairs); `agreement()` measures the criterion against those labels.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import Embedder
from retriever.citecheck import SUPPORT_COSINE as COSINE_THRESHOLD
from retriever.citecheck import SUPPORT_OVERLAP as OVERLAP_THRESHOLD
from retriever.citecheck import numbers, overlap

LABELS_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "support_labels.jsonl"


@dataclass(frozen=True)
class SupportScore:
    """The signals behind one verdict."""

    cosine: float | None  # None where it was not needed (overlap decided, or a number is missing)
    overlap: float
    numbers_ok: bool
    supported: bool


class SupportCriterion:
    """Judges (sentence, quote) pairs with the embedder the Assistant uses (a `SupportJudge`)."""

    def __init__(
        self,
        embedder: Embedder,
        cosine_threshold: float = COSINE_THRESHOLD,
        overlap_threshold: float = OVERLAP_THRESHOLD,
    ) -> None:
        self.embedder = embedder
        self.cosine_threshold = cosine_threshold
        self.overlap_threshold = overlap_threshold

    def scores(self, pairs: Sequence[tuple[str, str]], all_cosines: bool = False) -> list[SupportScore]:
        """Cosine, overlap, number check and verdict for each pair.

        The cosine is only computed where it can change the verdict (overlap below its threshold and the
        numbers agree), unless `all_cosines`; elsewhere it is None.
        """
        lexical = [overlap(s, q) for s, q in pairs]
        numbers_ok = [numbers(s) <= numbers(q) for s, q in pairs]
        need = [
            i
            for i in range(len(pairs))
            if all_cosines or (numbers_ok[i] and lexical[i] < self.overlap_threshold)
        ]
        cosines: dict[int, float | None] = dict.fromkeys(range(len(pairs)))
        if need:
            vectors = self.embedder.encode([pairs[i][0] for i in need] + [pairs[i][1] for i in need])
            left, right = vectors[: len(need)], vectors[len(need) :]
            cosines.update(zip(need, (float(c) for c in np.sum(left * right, axis=1)), strict=True))
        result = []
        for i in range(len(pairs)):
            cosine = cosines[i]
            close = lexical[i] >= self.overlap_threshold or (
                cosine is not None and cosine >= self.cosine_threshold
            )
            shown = round(cosine, 4) if cosine is not None else None
            result.append(SupportScore(shown, round(lexical[i], 4), numbers_ok[i], close and numbers_ok[i]))
        return result

    def __call__(self, pairs: list[tuple[str, str]]) -> list[bool]:
        """True where the quote supports the sentence."""
        return [s.supported for s in self.scores(pairs)]

    def describe(self) -> dict[str, Any]:
        """The thresholds, for metrics.json and the report."""
        return {
            "cosine_threshold": self.cosine_threshold,
            "overlap_threshold": self.overlap_threshold,
            "rule": "(cosine >= cosine_threshold or content-word overlap >= overlap_threshold) "
            "and every number in the sentence appears in the quote",
        }


def load_labels(path: Path = LABELS_PATH) -> list[dict[str, Any]]:
    """The hand-labelled {id, kind, sentence, quote, supported} pairs."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def agreement(criterion: SupportCriterion, labels: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of labelled pairs where the criterion agrees with the label, with the disagreements listed."""
    scores = criterion.scores([(row["sentence"], row["quote"]) for row in labels], all_cosines=True)
    wrong = [
        {
            "id": row.get("id"),
            "kind": row.get("kind"),
            "label": row["supported"],
            "cosine": s.cosine,
            "overlap": s.overlap,
        }
        for row, s in zip(labels, scores, strict=True)
        if s.supported != row["supported"]
    ]
    return {
        "agreement": round(1 - len(wrong) / len(labels), 4) if labels else None,
        "pairs": len(labels),
        "supported_pairs": sum(bool(row["supported"]) for row in labels),
        "disagreements": wrong,
    }


def label_agreement(criterion: SupportCriterion, path: Path = LABELS_PATH) -> dict[str, Any] | None:
    """`agreement` on the bundled labels, or None when the labels file is not there (an installed copy)."""
    if not path.is_file():
        return None
    return {"labels": str(path), **agreement(criterion, load_labels(path))}
