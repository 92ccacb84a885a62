"""The ingest pipeline's performance plumbing: time breakdown, background preparation, bulk batches.

No timing assertions: these check that the fast path builds exactly the index the plain path builds.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer

from index.embedder import get_embedder
from index.settings import Settings
from index.store import open_store
from ingest import pipeline
from ingest.pipeline import Ingestor, ingest_paths

pytestmark = pytest.mark.slow

PARTS = ["parse", "chunk", "embed", "write", "bm25", "model_load", "wait", "write_wait"]


def index_rows(settings: Settings) -> dict[str, Any]:
    store = open_store(settings)
    chunks = store.chunks().get(include=["metadatas", "documents", "embeddings"])  # type: ignore[union-attr]
    docs = store.documents().get(include=["metadatas"])
    return {
        "chunks": dict(
            zip(chunks["ids"], zip(chunks["metadatas"], chunks["documents"], strict=True), strict=True)
        ),
        "vectors": dict(zip(chunks["ids"], np.asarray(chunks["embeddings"]), strict=True)),
        "records": dict(zip(docs["ids"], docs["metadatas"], strict=True)),
    }


def test_report_breaks_the_time_down(fixture_corpus: Path, settings: Settings) -> None:
    report = ingest_paths([fixture_corpus], settings)
    data = report.to_dict()
    for part in PARTS:
        assert data[f"{part}_seconds"] >= 0.0
    assert report.chunk_seconds > 0 and report.embed_seconds > 0 and report.write_seconds > 0
    # embedding, the BM25 rebuild and waiting for batches or the writer happen one after another
    waits = report.wait_seconds + report.write_wait_seconds
    assert report.embed_seconds + report.bm25_seconds + waits <= report.seconds
    # parsing and chunking happen on one background thread, writing on another, within the same run
    assert report.parse_seconds + report.chunk_seconds <= report.seconds
    assert report.write_seconds <= report.seconds
    assert "embed" in report.breakdown() and "write" in report.breakdown()


def test_background_batches_build_the_same_index_as_one_document_at_a_time(
    fixture_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = Settings(index_dir=tmp_path / "fast")
    monkeypatch.setattr(pipeline, "FIRST_BATCH_CHUNKS", 2)  # several batches through all three threads
    monkeypatch.setattr(pipeline, "EMBED_BATCH_CHUNKS", 3)
    assert Ingestor(fast).run([fixture_corpus]).added == 5
    plain = Settings(index_dir=tmp_path / "plain")
    monkeypatch.setattr(pipeline, "EMBED_BATCH_CHUNKS", 1)  # every document its own batch and writes
    report = Ingestor(plain, background=False).run([fixture_corpus])
    assert report.added == 5
    a, b = index_rows(fast), index_rows(plain)
    assert a["chunks"] == b["chunks"]  # same ids, texts and metadata
    assert a["records"] == b["records"]
    for chunk_id, vector in a["vectors"].items():  # batches pad differently: equal up to rounding
        assert np.allclose(vector, b["vectors"][chunk_id], atol=1e-5)


def test_error_while_preparing_stops_the_run_and_keeps_the_batches_written(
    fixture_corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_chunk = pipeline.chunk_document
    calls = []

    def chunk_then_fail(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("chunker broke")
        return real_chunk(*args, **kwargs)

    monkeypatch.setattr(pipeline, "chunk_document", chunk_then_fail)
    monkeypatch.setattr(pipeline, "EMBED_BATCH_CHUNKS", 1)
    with pytest.raises(RuntimeError, match="chunker broke"):
        Ingestor(settings).run([fixture_corpus])
    assert not [t for t in threading.enumerate() if t.name == "ingest-prepare"]
    # the documents chunked before the failure were committed, each in its own batch
    assert open_store(settings).documents().count() == 2

    monkeypatch.setattr(pipeline, "chunk_document", real_chunk)
    report = ingest_paths([fixture_corpus], settings)
    assert (report.added, report.unchanged) == (3, 2)


def test_error_while_writing_stops_the_run_and_keeps_the_batches_written(
    fixture_corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = Ingestor._write_batch
    calls = []

    def write_then_fail(self: Ingestor, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real_write(self, *args, **kwargs)

    monkeypatch.setattr(Ingestor, "_write_batch", write_then_fail)
    monkeypatch.setattr(pipeline, "EMBED_BATCH_CHUNKS", 1)
    with pytest.raises(RuntimeError, match="disk full"):
        Ingestor(settings).run([fixture_corpus])
    assert not [t for t in threading.enumerate() if t.name in ("ingest-prepare", "ingest-write")]
    assert open_store(settings).documents().count() == 2  # the two batches written before the failure

    monkeypatch.setattr(Ingestor, "_write_batch", real_write)
    report = ingest_paths([fixture_corpus], settings)
    assert (report.added, report.unchanged) == (3, 2)


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_word_pieces_are_counted_untruncated_after_encoding(settings: Settings, backend: str) -> None:
    embedder = get_embedder(settings.model_copy(update={"embed_backend": backend}))
    long_text = "Lupus is an autoimmune disease that can affect the skin, joints and kidneys. " * 40
    embedder.encode([long_text])  # encoding truncates with the backend's own tokenizer
    reference = Tokenizer.from_file(str(embedder.model_dir / "tokenizer.json"))
    reference.no_truncation()
    reference.no_padding()  # tokenizer.json pads to a fixed 128
    assert embedder.count_wordpieces([long_text, "lupus"]) == [
        len(e.ids) for e in reference.encode_batch([long_text, "lupus"])
    ]
    assert embedder.count_wordpieces([long_text])[0] > embedder.max_seq_length
