"""The lead-sentence model: its features, its file, and an answer that leads with its best sentence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.embedder import get_embedder
from index.settings import Settings
from retriever.candidates import candidates
from retriever.extractive import ExtractiveAnswerer
from retriever.lead import FEATURES, MODEL_PATH, LeadModel, asks, has, load_model
from retriever.types import Evidence
from retriever.weights import SHIPPED


def test_what_a_question_asks_for_is_matched_by_what_a_sentence_has() -> None:
    assert asks("how much does car t cost")["money"] and has("It costs about $500,000.")["money"]
    assert asks("how long does remission last")["time"] and has("She has been well for 5 years.")["time"]
    assert (
        asks("why do b cells come back")["reason"]
        and has("They return because the marrow makes more.")["reason"]
    )
    assert not asks("what is lupus")["money"]


def test_the_shipped_model_has_this_codes_features_and_round_trips() -> None:
    model = load_model()
    assert model is not None and model.names == FEATURES
    again = LeadModel.from_json(json.loads(json.dumps(model.to_json())))
    rows = np.random.default_rng(0).normal(size=(4, len(FEATURES))).astype(np.float32)
    assert np.allclose(model.score(rows), again.score(rows), atol=1e-4)
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        LeadModel.from_json(data)


def test_with_the_model_on_the_answer_opens_with_its_best_sentence() -> None:
    text = (
        "Lupus is a long-term disease of the immune system. It can affect the skin, joints and kidneys. "
        "CAR-T therapy for lupus costs about $500,000 for one treatment. Researchers hope simpler "
        "treatments will cost less."
    )
    ev = Evidence(chunk_id="d#a#0000", doc_id="d", text=text, score=0.6, title="CAR-T and lupus", start=0,
                  end=len(text), headings="CAR-T and lupus > What does CAR-T cost?")  # fmt: skip
    answerer = ExtractiveAnswerer(
        get_embedder(Settings()), max_sentences=3, min_score=0.0, use_lead_model=True
    )
    pool = candidates([ev], SHIPPED)
    kept, scored = answerer.score("how much does car t cost for lupus", pool)
    assert scored.rows is not None and scored.rows.shape == (len(kept), len(FEATURES))
    assert scored.lead is not None  # the shipped model scores every kept candidate
    result = answerer.answer("how much does car t cost for lupus", [ev], "patient")
    assert "$500,000" in result.answer.split("[1]")[0]
    off = ExtractiveAnswerer(get_embedder(Settings()), max_sentences=3, min_score=0.0, use_lead_model=False)
    assert off.score("how much does car t cost", pool)[1].lead is None
