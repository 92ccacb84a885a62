"""Patient and staff answers differ: plain sentences and glossary explanations vs figures and length."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from index.embedder import Embedder
from retriever.audience import (
    explain_terms,
    explanations_text,
    readability_penalty,
    sentence_limit,
)
from retriever.extractive import ExtractiveAnswerer
from retriever.types import Evidence
from retriever.weights import SHIPPED

GLOSSARY = Path(__file__).resolve().parents[2] / "corpus" / "glossary.yaml"

PLAIN = "After the treatment the lupus went into remission for all of them."
DENSE = (
    "Following chimeric antigen receptor administration, all 5 systemic lupus erythematosus patients "
    "achieved sustained drug-free complete remission with normalisation of serological parameters."
)


class EqualEmbedder:
    """Every text gets the same vector: all candidates score alike, so only the audience decides."""

    dimension = 8

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


class NearEmbedder:
    """Texts share a common direction plus their own: near-equal scores, none redundant."""

    dimension = 64

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        rows = []
        for text in texts:
            seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
            own = np.random.default_rng(seed).normal(size=self.dimension)
            own[0] = 0.0
            own /= np.linalg.norm(own)
            common = np.zeros(self.dimension)
            common[0] = 1.0
            rows.append(0.8 * common + 0.6 * own)
        return np.asarray(rows, dtype=np.float32)


def evidence(text: str, doc_id: str) -> Evidence:
    return Evidence(chunk_id=f"{doc_id}#h#0000", doc_id=doc_id, text=text, score=0.6, title=doc_id)


def test_readability_penalty_grows_with_long_sentences_and_long_words() -> None:
    assert readability_penalty("The cells came back and did not attack the body.") == 0.0
    assert readability_penalty(DENSE) > 0.03
    assert readability_penalty(" ".join([DENSE] * 4)) == SHIPPED.audience.max_penalty
    assert readability_penalty("Lupus can hurt the skin, the joints and the kidneys.") == 0.0


def test_sentence_limits_per_audience() -> None:
    assert sentence_limit("patient", 3) == 3
    assert sentence_limit("patient", 5, staff_extra=1) == 3  # patients: at most 3, whatever the setting
    assert sentence_limit("staff", 3, staff_extra=1) == 4


def test_near_equal_candidates_go_to_the_plain_one_for_patients_and_the_figure_for_staff() -> None:
    answerer = ExtractiveAnswerer(cast(Embedder, EqualEmbedder()), max_sentences=1, min_score=0.0)
    pool = [evidence(DENSE, "dense"), evidence(PLAIN, "plain")]
    question = "lupus remission"
    assert answerer.answer(question, pool, "patient").citations[0].doc_id == "plain"
    assert answerer.answer(question, pool, "staff").citations[0].doc_id == "dense"


def test_staff_answers_may_be_one_sentence_longer() -> None:
    places = ["kidneys", "skin", "joints", "heart", "lungs", "blood", "brain", "eyes",
              "liver", "nerves", "muscles", "bones", "spleen", "gut", "mouth", "ears"]  # fmt: skip
    # each sentence names two places no other sentence names: none repeats another (`repeats`)
    sentences = [f"Lupus remission showed in the {a} and {b} of group {i}." for i, (a, b) in
                 enumerate(zip(places[0::2], places[1::2], strict=True))]  # fmt: skip
    pool = [evidence(s, f"doc-{i}") for i, s in enumerate(sentences)]
    answerer = ExtractiveAnswerer(
        cast(Embedder, NearEmbedder()), max_sentences=3, min_score=0.0, staff_extra_sentences=1
    )
    assert len(answerer.answer("lupus remission", pool, "patient").citations) == 3
    assert len(answerer.answer("lupus remission", pool, "staff").citations) == 4
    answerer.max_sentences = 5  # patients never get more than patient_max_sentences (3)
    assert len(answerer.answer("lupus remission", pool, "patient").citations) == 3
    assert len(answerer.answer("lupus remission", pool, "staff").citations) == 6


def test_patient_answers_explain_up_to_two_glossary_terms_in_order_of_use() -> None:
    text = "The B cells were removed. Most patients reached remission, and a flare was rare. [1]"
    found = explain_terms(text, "what happened after CAR-T?", GLOSSARY)
    assert [e["term"] for e in found] == ["B cell", "remission"]
    assert all(e["definition"] and len(e["definition"]) < 400 for e in found)
    rendered = explanations_text(found)
    assert rendered.startswith("What the words mean:") and "- remission: " in rendered


def test_terms_the_question_names_are_not_explained_again() -> None:
    found = explain_terms("Lupus can go into remission.", "what is remission in lupus?", GLOSSARY)
    assert found == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Most people with SLE are women.", "systemic lupus erythematosus"),
        ("BiTEs may not reach deep into tissues.", "bispecific T-cell engager (BiTE)"),
        ("Patients get chemo first.", "chemotherapy"),
    ],
)
def test_aliases_and_short_forms_are_recognised(text: str, term: str) -> None:
    assert [e["term"] for e in explain_terms(text, "", GLOSSARY)] == [term]


def test_short_forms_need_capitals() -> None:
    assert explain_terms("She takes 15 mg a day and ms Smith agrees.", "", GLOSSARY) == []
