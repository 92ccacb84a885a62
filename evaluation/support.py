"""When does a cited quote support the answer sentence that cites it? The criterion and its agreement.

A quote supports a sentence when (embedding cosine ≥ the cosine threshold or content-word overlap ≥
the overlap threshold) and every number the sentence states also appears in the quote. The verdict is
`retriever.citecheck.judge_pairs`, the app's own citation check, with the same `SupportThresholds`
(`Settings.support`). Overlap is the share of the sentence's content words the quote contains, so a
sentence quoted verbatim, or cut down from its quote, scores 1. The cosine catches paraphrases that share
few words. The number check rejects a paraphrase that changes a figure ("twelve patients" for "five
patients"), which cosine and overlap both miss. Thresholds were chosen on tests/data/support_labels.jsonl
(hand-labelled pairs); `agreement()` measures the criterion against those labels.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.embedder import Embedder
from index.settings_groups import SupportThresholds
from retriever.citecheck import Support, judge_pairs
from retriever.citecheck import numbers as numbers
from retriever.citecheck import overlap as overlap

LABELS_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "support_labels.jsonl"


class SupportCriterion:
    """Judges (sentence, quote) pairs with the embedder the Assistant uses (a `SupportJudge`)."""

    def __init__(self, embedder: Embedder, thresholds: SupportThresholds | None = None) -> None:
        self.embedder = embedder
        self.thresholds = thresholds or SupportThresholds()

    def scores(self, pairs: Sequence[tuple[str, str]], all_cosines: bool = False) -> list[Support]:
        """Cosine, overlap, number check and verdict for each pair (`retriever.citecheck.judge_pairs`);
        the cosine only where it can change the verdict, unless `all_cosines`."""
        return judge_pairs(pairs, self.embedder, self.thresholds, all_cosines)

    def __call__(self, pairs: list[tuple[str, str]]) -> list[bool]:
        """True where the quote supports the sentence."""
        return [s.supported for s in self.scores(pairs)]

    def describe(self) -> dict[str, Any]:
        """The thresholds, for metrics.json and the report."""
        return {
            "cosine_threshold": self.thresholds.cosine,
            "overlap_threshold": self.thresholds.overlap,
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
