"""The int8 embedder: close to the full-precision vectors, and an index remembers which one made it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from errors import UserError
from index.embedder import get_embedder
from index.settings import Settings, load_settings
from ingest.pipeline import ingest_paths
from retriever.chain import Assistant

SENTENCES = [
    "CAR-T cells were given to five people with severe lupus.",
    "Teclistamab is a bispecific T-cell engager used for multiple myeloma.",
    "Lupus nephritis is inflammation of the kidneys caused by lupus.",
]


def test_int8_vectors_are_close_to_full_precision_and_labelled() -> None:
    full = get_embedder(Settings(embed_backend="torch"))
    int8 = get_embedder(Settings(embed_backend="torch", embed_quantize="int8"))
    assert int8 is not full and int8.model_id == full.model_id + "+int8"
    a, b = full.encode(SENTENCES), int8.encode(SENTENCES)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    # the ranking of sentences against a question survives quantization
    question = "which drug brings T cells to B cells?"
    assert np.argmax(a @ full.encode([question])[0]) == np.argmax(b @ int8.encode([question])[0]) == 1


def test_an_index_is_updated_only_with_the_embedder_that_built_it(
    fixture_corpus: Path, tmp_path: Path
) -> None:
    settings = Settings(index_dir=tmp_path / "idx", embed_backend="torch", embed_quantize="int8")
    report = ingest_paths([fixture_corpus], settings)
    assert report.chunks > 0
    answer = Assistant(settings).ask("What is teclistamab?", audience="staff")
    assert not answer.refused and answer.citations
    full = Settings(index_dir=tmp_path / "idx")  # the default onnx fp32 embedder
    with pytest.raises(UserError, match=r"built with embedding model .*\+int8"):
        ingest_paths([fixture_corpus], full)
    with pytest.raises(UserError, match=r"built with embedding model .*\+int8.*vectors do not mix"):
        Assistant(full).ask("What is teclistamab?", audience="staff")


def test_int8_needs_the_torch_backend() -> None:
    with pytest.raises(UserError, match="AQA_EMBED_QUANTIZE.*AQA_EMBED_BACKEND=torch"):
        load_settings(embed_quantize="int8")
