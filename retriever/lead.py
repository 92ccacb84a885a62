"""Which sentence answers the question: a small trained linear model over features of (question, sentence).

The extractive answerer keeps a few candidate sentences on cheap signals and embeds them; this module
turns what it knows of each one (similarities to the question, to the section heading, word
coverage, what the question asks for and whether the sentence has it, position, plainness) into a
feature row, and `LeadModel` scores the rows. The best-scoring sentence leads the answer, and the
others must score near it to follow. The weights are trained by `python -m tools.train_lead`
(a listwise softmax over each question's candidates, labelled by the gold facts they hold) and ship
in `retriever/models/lead.json`; `retriever/models/LEAD.md` is the model card.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "lead.json"

# what a question asks for → what a sentence that answers it contains
_ASKS = {
    "figure": re.compile(
        r"\b(how (many|much|often|common|likely)|what (percent|percentage|proportion|share|fraction|number|"
        r"rate)|prevalence|rate of|chances?|odds|%)\b",
        re.I,
    ),
    "time": re.compile(r"\b(how long|how soon|when|how old|what age|age|years?|months?|weeks?|yrs?)\b", re.I),
    "money": re.compile(
        r"\b(cost|costs|price|pricey|expensive|afford|pay|charge|insurance|covered|cover)\b", re.I
    ),
    "reason": re.compile(
        r"\b(why|how come|what causes|cause|causes|reasons?|trigger|triggers|sets? off)\b", re.I
    ),
    "people": re.compile(r"^\s*(who|which (people|patients))\b|\bwho (gets|can|is|are)\b", re.I),
    "harm": re.compile(r"\b(side ?effects?|risks?|dangerous|safe|harm|complications?|what happens)\b", re.I),
    "mechanism": re.compile(r"^\s*(how (does|do|is|are|did)|what does .* do)\b", re.I),
    "treatment": re.compile(
        r"\b(treat|treated|treatment|treatments|therapy|meds|medicines?|drugs?|cure)\b", re.I
    ),
    "symptom": re.compile(r"\b(symptoms?|signs?|feel|look like|notice)\b", re.I),
}
_HAS = {
    "figure": re.compile(
        r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|half|percent|most|many|few)\b", re.I
    ),
    "time": re.compile(
        r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(years?|months?|weeks?|days?|"
        r"hours?)\b|\b(ages?|aged|years? old|childhood|adulthood)\b",
        re.I,
    ),  # fmt: skip
    "money": re.compile(
        r"\$|\b(cost|costs|costly|price|expensive|cheap|cheaper|dollars?|afford\w*|insurance)\b", re.I
    ),
    "reason": re.compile(
        r"(?<!these )(?<!this )\b(because|due to|caused by|causes?|since|as a result|result of|leads? to|limited by|"
        r"explains?|reasons?|risk factors?|triggers?|so that)\b",
        re.I,
    ),
    "people": re.compile(
        r"\b(women|men|children|adults|people|patients|ages?|aged|years? old|more common)\b", re.I
    ),
    "harm": re.compile(
        r"\b(side effects?|risks?|infections?|fever|reactions?|toxicity|syndrome|damage|serious)\b", re.I
    ),
    "mechanism": re.compile(
        r"\b(by|binds?|attacks?|destroys?|removes?|kills?|blocks?|works?|so that|which)\b", re.I
    ),
    "treatment": re.compile(
        r"\b(treat\w*|therap\w*|medicines?|medications?|drugs?|prednisone|steroids?|"
        r"corticosteroids?|immunosuppress\w*)\b",
        re.I,
    ),  # fmt: skip
    "symptom": re.compile(r"\b(symptoms?|signs?|pain|fatigue|rash|fever|weakness|swelling|tired\w*)\b", re.I),
}
KINDS = tuple(_ASKS)


def asks(question: str) -> dict[str, bool]:
    """What the question asks for, by kind (figure, time, money, reason, people, harm, …)."""
    return {kind: bool(pattern.search(question)) for kind, pattern in _ASKS.items()}


def has(sentence: str) -> dict[str, bool]:
    return {kind: bool(pattern.search(sentence)) for kind, pattern in _HAS.items()}


FEATURES: tuple[str, ...] = (
    "plain_sim",  # cosine(question, sentence)
    "titled_sim",  # cosine(question, "title: sentence")
    "heading_sim",  # cosine(question, the section heading the sentence sits under)
    "chunk_sim",  # cosine(question, the chunk)
    "plain_rel",  # plain_sim minus the best plain_sim among the candidates
    "heading_rel",
    "coverage",  # share of the question's content words in the sentence
    "titled_coverage",  # … in the sentence or its document's title (a slip allowed)
    "heading_coverage",  # … in the section heading
    "first_of_chunk",
    "position",  # 1 / (1 + the sentence's index in its chunk)
    "evidence_rank",  # 1 / (1 + the chunk's rank in the evidence)
    "context",  # the chunk was added beside the best one, not found by the search
    "definition",  # "what is X?" and the sentence says "X is a …"
    "lead_in",  # a lead-in left alone (ends in a colon)
    "back_reference",  # opens by pointing back ("It is …")
    "list_unit",
    "novelty",  # share of words neither the question nor the titles use (capped)
    "grade",  # Flesch-Kincaid grade above 8, scaled
    "words",  # length, scaled
    *(f"asks_{k}_has" for k in KINDS),  # the question asks for k and the sentence has k
    *(f"has_{k}" for k in KINDS),
)


@dataclass(frozen=True)
class LeadModel:
    """A linear scorer over standardised `FEATURES` rows; higher means more likely to answer."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    meta: dict[str, object]

    def score(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        return (((rows - self.mean) / self.scale) @ self.weights).astype(np.float32)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.names),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "weights": [round(float(x), 6) for x in self.weights],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LeadModel:
        names = tuple(str(n) for n in data["features"])  # type: ignore[attr-defined]
        if names != FEATURES:
            raise ValueError(
                "the model's features are not this code's FEATURES: retrain with tools.train_lead"
            )
        return cls(
            names,
            np.asarray(data["mean"], dtype=np.float32),
            np.asarray(data["scale"], dtype=np.float32),
            np.asarray(data["weights"], dtype=np.float32),
            dict(data.get("meta") or {}),  # type: ignore[call-overload]
        )


@functools.cache
def load_model(path: Path = MODEL_PATH) -> LeadModel | None:
    """The shipped model, or None when there is none (the answerer then uses its hand weights)."""
    try:
        return LeadModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Signals:
    """What the answerer measured for its kept candidates (one entry per candidate)."""

    plain_sim: np.ndarray
    titled_sim: np.ndarray
    heading_sim: np.ndarray
    chunk_sim: np.ndarray
    coverage: np.ndarray
    titled_coverage: np.ndarray
    heading_coverage: np.ndarray
    first_of_chunk: np.ndarray
    position: np.ndarray
    evidence_rank: np.ndarray
    context: np.ndarray
    definition: np.ndarray
    lead_in: np.ndarray
    back_reference: np.ndarray
    list_unit: np.ndarray
    novelty: np.ndarray
    grade: np.ndarray
    words: np.ndarray


def feature_rows(question: str, texts: list[str], signals: Signals) -> np.ndarray:
    """One `FEATURES` row per candidate text."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    wanted = asks(question)
    present = [has(t) for t in texts]
    columns: dict[str, np.ndarray] = {
        name: np.asarray(getattr(signals, name), dtype=np.float32)
        for name in FEATURES
        if hasattr(signals, name)
    }
    columns["plain_rel"] = columns["plain_sim"] - columns["plain_sim"].max()
    columns["heading_rel"] = columns["heading_sim"] - columns["heading_sim"].max()
    for kind in KINDS:
        columns[f"has_{kind}"] = np.array([p[kind] for p in present], dtype=np.float32)
        columns[f"asks_{kind}_has"] = columns[f"has_{kind}"] * float(wanted[kind])
    return np.stack([columns[name] for name in FEATURES], axis=1).astype(np.float32)
