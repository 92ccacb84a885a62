"""The citation support criterion against the hand-labelled pairs, with the real embedder."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.support import LABELS_PATH, SupportCriterion, agreement, load_labels, numbers, overlap
from index.embedder import get_embedder
from index.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def criterion() -> SupportCriterion:
    return SupportCriterion(get_embedder(Settings()))


def test_labels_are_a_real_sample() -> None:
    labels = load_labels(LABELS_PATH)
    assert len(labels) >= 30
    kinds = {row["kind"] for row in labels}
    assert {"verbatim", "paraphrase", "same-topic", "wrong-number"} <= kinds
    assert 0.3 < sum(row["supported"] for row in labels) / len(labels) < 0.7
    assert len({row["id"] for row in labels}) == len(labels)


def test_agreement_with_hand_labels(criterion: SupportCriterion) -> None:
    result = agreement(criterion, load_labels(LABELS_PATH))
    wrong = ", ".join(
        f"{d['id']} ({d['kind']}, cos {d['cosine']}, overlap {d['overlap']})" for d in result["disagreements"]
    )
    print(
        f"support criterion agreement: {result['agreement']:.3f} on {result['pairs']} pairs; wrong: {wrong}"
    )
    assert result["agreement"] >= 0.85, wrong


def test_verbatim_quote_supports_itself(criterion: SupportCriterion) -> None:
    sentence = "All five went into complete remission after the treatment."
    assert criterion([(sentence, sentence)]) == [True]
    assert criterion([]) == []


def test_signals() -> None:
    assert numbers("It costs $500,000 for five people, about 1.5 years.") == {"500000", "5", "1.5"}
    assert numbers("the new ones no longer attack") == set()
    assert overlap("B cells come back", "When B cells come back later, they are new.") == 1.0
    assert overlap("kidney swelling", "B cells") == 0.0


class FakeEmbedder:
    """Every text gets the same unit vector, so every cosine is 1; counts what it was asked to encode."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        self.encoded.extend(texts)
        return np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(texts), 1))


def test_cosine_only_where_it_decides() -> None:
    fake = FakeEmbedder()
    judge = SupportCriterion(fake)  # type: ignore[arg-type]
    verbatim = ("Five went into remission.", "Five went into remission.")
    paraphrase = ("Lupus is mostly a disease of women.", "Nine in ten people who have lupus are female.")
    wrong_number = ("Twelve went into remission.", "Five went into remission.")
    scores = judge.scores([verbatim, paraphrase, wrong_number])
    assert [s.supported for s in scores] == [True, True, False]
    assert fake.encoded == [paraphrase[0], paraphrase[1]]
    assert scores[0].cosine is None and scores[1].cosine == 1.0 and not scores[2].numbers_ok
