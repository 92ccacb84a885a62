"""The answer reader (`retriever/models/reader.npz`): exported once to ONNX with scores as torch gives
them, reading what a question asks, and off with a clear warning where it cannot run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedder import get_embedder
from index.settings import Settings
from retriever import reader as reader_module
from retriever.answerers import make_answerer
from retriever.extractive import ExtractiveAnswerer
from retriever.reader import load_reader, read_weights
from retriever.weights import SHIPPED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> reader_module.Reader:
    return load_reader(tmp_path_factory.mktemp("reader-cache"))


def test_the_shipped_weights_are_small_and_say_how_they_were_made() -> None:
    assert reader_module.WEIGHTS.stat().st_size < 30e6
    arrays, meta = read_weights(reader_module.WEIGHTS)
    assert meta["seed"] == 0 and meta["trained_layers"] == 3 and meta["pool_groups"] > 0
    assert all(a.dtype == np.float16 for a in arrays.values())


@pytest.mark.parametrize(
    ("question", "answer", "others"),
    [
        (  # the same three sentences, a different ask: the reader reads the ask, not the subject
            "how is myasthenia gravis treated",
            "Treatment includes medicines that improve the signal between nerve and muscle.",
            [
                "Myasthenia gravis is a chronic autoimmune disease that causes weakness in the skeletal muscles.",
                "Antibodies block or destroy the receptors for acetylcholine at the junction between nerve and muscle.",
            ],
        ),
        (
            "what is myasthenia gravis",
            "Myasthenia gravis is a chronic autoimmune disease that causes weakness in the skeletal muscles.",
            [
                "Antibodies block or destroy the receptors for acetylcholine at the junction between nerve and muscle.",
                "Treatment includes medicines that improve the signal between nerve and muscle.",
            ],
        ),
        (
            "how many ppl with lupus have had car t so far",
            "Over 40 lupus patients worldwide have now received CAR-T-cell therapy.",
            [
                "CAR-T cell therapy uses a patient's own T cells, engineered to attack B cells.",
                "Lupus is an autoimmune disease in which the immune system attacks healthy tissue.",
            ],
        ),
    ],
)
def test_the_sentence_that_answers_scores_above_ones_on_the_same_subject(
    reader: reader_module.Reader, question: str, answer: str, others: list[str]
) -> None:
    scores = reader.score(question, [*others, answer])
    assert scores.shape == (3,) and scores.dtype == np.float32
    assert int(np.argmax(scores)) == 2, scores


def test_an_export_is_reused_and_a_score_does_not_depend_on_its_batch(
    reader: reader_module.Reader, tmp_path: Path
) -> None:
    again = load_reader(reader.onnx_path.parent)
    assert again.onnx_path == reader.onnx_path
    texts = ["Lupus can affect the kidneys.", "About 1.3 million US adults have RA, an autoimmune disease."]
    together = reader.score("how common is ra", texts)
    alone = np.concatenate(
        [again.score("how common is ra", [t]) for t in texts]
    )  # not `reader`'s kept scores
    assert np.allclose(together, alone, atol=1e-4)
    assert reader.score("anything", []).shape == (0,)


def test_a_pair_read_before_is_not_read_again_and_the_kept_scores_are_bounded(
    reader: reader_module.Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A personal question's general answer is drafted twice (before and after dose sentences are
    withheld) and read the same sentences both times: the second reading comes from the kept scores."""
    question = "does ivig cause headaches"
    first = reader.score(question, ["IVIG can cause headaches.", "Lupus can affect the kidneys."])
    read: list[list[str]] = []
    scored = reader._scored
    monkeypatch.setattr(reader, "_scored", lambda q, texts: read.append(texts) or scored(q, texts))
    again = reader.score(
        question,
        ["Lupus can affect the kidneys.", "Rituximab is given by infusion.", "IVIG can cause headaches."],
    )
    assert read == [["Rituximab is given by infusion."]]  # only the pair not read before
    assert again[0] == first[1] and again[2] == first[0]
    assert reader.score("another question", ["IVIG can cause headaches."]).shape == (1,)
    assert len(read) == 2  # the same sentence with another question is another pair
    monkeypatch.setattr(reader_module, "SCORES_KEPT", 2)
    reader.score(question, ["One more sentence to read."])
    assert len(reader._kept) == 2


def test_a_question_longer_than_the_pair_keeps_its_end_and_is_scored(reader: reader_module.Reader) -> None:
    """A long message that ends with its question once stopped the answer with a truncation error."""
    story = "I was diagnosed years ago and have tried many things with my doctors over a long time. " * 12
    texts = ["Lupus can affect the kidneys.", "CAR-T cell therapy puts most lupus patients into remission."]
    long = reader.score(story + "does car t put lupus into remission", texts)
    assert long.shape == (2,) and np.all(np.isfinite(long)) and long[1] > long[0]


def test_the_answerer_adds_the_reader_only_with_a_weight(reader: reader_module.Reader) -> None:
    from retriever.candidates import Candidate
    from retriever.types import Evidence

    text = (
        "Myasthenia gravis is a chronic autoimmune disease that causes weakness in the skeletal muscles. "
        "Treatment includes medicines that improve the signal between nerve and muscle."
    )
    evidence = Evidence(chunk_id="c1", doc_id="d1", text=text, score=0.6, title="Myasthenia gravis")
    cut = text.index("Treatment")
    pool = [
        Candidate(evidence, 0, text[: cut - 1], 0, cut - 1),
        Candidate(evidence, 0, text[cut:], cut, len(text), index=1),
    ]
    embedder = get_embedder(Settings())
    plain = ExtractiveAnswerer(embedder, reader=reader)  # shipped weights: w_reader as shipped
    off = ExtractiveAnswerer(embedder, weights=SHIPPED.model_copy(update={"w_reader": 0.0}), reader=reader)
    on = ExtractiveAnswerer(embedder, weights=SHIPPED.model_copy(update={"w_reader": 1.0}), reader=reader)
    question = "how is myasthenia gravis treated"
    _, without = off.score(question, pool)
    _, with_reader = on.score(question, pool)
    assert (with_reader.choice - without.choice)[1] > (with_reader.choice - without.choice)[0]
    assert np.isclose((with_reader.choice - without.choice).sum(), 1.0, atol=1e-5)  # a softmax, × 1.0
    assert plain.reader is reader


def test_settings_turn_it_on_and_a_missing_file_turns_it_off_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(embed_cache_dir=tmp_path / "cache", reader=True)
    monkeypatch.setattr(reader_module, "WEIGHTS", tmp_path / "missing.npz")
    answerer = make_answerer(settings)
    assert isinstance(answerer, ExtractiveAnswerer) and answerer.reader is None
    assert "the answer reader is off" in capsys.readouterr().err
    assert isinstance(make_answerer(Settings(reader=False)), ExtractiveAnswerer)


class _Counting:
    def __init__(self, reader: reader_module.Reader) -> None:
        self.reader, self.read = reader, []  # type: ignore[var-annotated]

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        self.read += texts
        return self.reader.score(question, texts)


def test_the_reader_picks_the_first_sentence_reading_only_those_that_could_lead(
    reader: reader_module.Reader,
) -> None:
    from retriever.types import Evidence

    own = (
        "Myasthenia gravis is a chronic autoimmune disease that causes weakness in the skeletal muscles. "
        "The weakness gets worse with activity and improves with rest. "
        # not worded as a treatment sentence ("Treatment includes …" opens by itself since session 32)
        "Medicines that improve the signal between nerve and muscle help most people. "
        "Some people also have the thymus gland removed."
    )
    other = (
        "The thymus gland lies in the upper chest beneath the breastbone. "
        "It is part of the immune system and grows until puberty."
    )
    evidence = [
        Evidence(chunk_id="c1", doc_id="d1", text=own, score=0.6, title="Myasthenia gravis"),
        Evidence(chunk_id="c2", doc_id="d2", text=other, score=0.3, title="Thymus"),
    ]
    embedder = get_embedder(Settings())
    counting = _Counting(reader)
    question = "how is myasthenia gravis treated"
    with_reader = ExtractiveAnswerer(embedder, reader=counting).answer(question, evidence, "patient")  # type: ignore[arg-type]
    hand = ExtractiveAnswerer(embedder).answer(question, evidence, "patient")
    assert hand.answer.startswith(
        "Myasthenia gravis is a chronic"
    )  # the hand score leads with the definition
    assert with_reader.answer.startswith("Medicines that improve the signal")
    # the thymus page's sentences score too far below the opener to overtake it: they are not read
    assert counting.read and all(text in own for text in counting.read)
    # the reader's pick has to beat the opener's blended score by reader_margin (the blend gains at most 0.3)
    strict = SHIPPED.model_copy(update={"reader_margin": 0.5})
    held = ExtractiveAnswerer(embedder, weights=strict, reader=reader).answer(question, evidence, "patient")
    assert held.answer.startswith("Myasthenia gravis is a chronic")


def test_a_cap_reads_the_opener_and_the_best_of_the_rest_only(reader: reader_module.Reader) -> None:
    from retriever.types import Evidence

    text = (
        "Myasthenia gravis is a chronic autoimmune disease that causes weakness in the skeletal muscles. "
        "The weakness gets worse with activity and improves with rest. "
        "Treatment includes medicines that improve the signal between nerve and muscle. "
        "Some people with myasthenia gravis also have the thymus gland removed."
    )
    evidence = [Evidence(chunk_id="c1", doc_id="d1", text=text, score=0.6, title="Myasthenia gravis")]
    embedder = get_embedder(Settings())
    wide = SHIPPED.model_copy(update={"reader_window": 1.0})
    every, capped = _Counting(reader), _Counting(reader)
    question = "how is myasthenia gravis treated"
    ExtractiveAnswerer(embedder, weights=wide, reader=every).answer(question, evidence, "patient")  # type: ignore[arg-type]
    capped_weights = wide.model_copy(update={"reader_max_read": 2})
    ExtractiveAnswerer(embedder, weights=capped_weights, reader=capped).answer(question, evidence, "patient")  # type: ignore[arg-type]
    assert len(every.read) == 4 and len(capped.read) == 2
    assert capped.read[0].startswith("Myasthenia gravis is a chronic")  # the hand-chosen opener, read first
