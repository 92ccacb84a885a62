"""What an ingest run did: documents added, updated, unchanged, removed, skipped and failed, chunks
written, and where the time went."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0  # chunks embedded and written in this run
    truncated: int = 0  # of those, chunks longer than the embedder reads
    documents: int = 0  # documents in the index after the run
    seconds: float = 0.0
    # Where the time went. Reading, parsing and hashing files (parse) and chunking with the word-piece
    # checks (chunk) run on one background thread and Chroma writes (write) on another, beside embed,
    # so with more than one batch they overlap it; wait is how long embedding waited for the next batch
    # to be ready, write_wait how long it waited for the writer to take an embedded batch.
    parse_seconds: float = 0.0
    chunk_seconds: float = 0.0
    embed_seconds: float = 0.0
    write_seconds: float = 0.0  # Chroma upserts and deletes
    bm25_seconds: float = 0.0
    model_load_seconds: float = 0.0
    wait_seconds: float = 0.0
    write_wait_seconds: float = 0.0

    @property
    def truncated_share(self) -> float:
        return self.truncated / self.chunks if self.chunks else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["truncated_share"] = round(self.truncated_share, 6)
        for key, value in data.items():
            if key.endswith("seconds"):
                data[key] = round(value, 3)
        data["chunks_per_second"] = (
            round(self.chunks / self.seconds, 2) if self.seconds and self.chunks else 0.0
        )
        return data

    def breakdown(self) -> str:
        """One line for people: where the seconds went."""
        parts = [
            f"parse {self.parse_seconds:.2f}",
            f"chunk {self.chunk_seconds:.2f}",
            f"embed {self.embed_seconds:.2f}",
            f"write {self.write_seconds:.2f}",
            f"BM25 {self.bm25_seconds:.2f}",
        ]
        if self.model_load_seconds:
            parts.append(f"model load {self.model_load_seconds:.2f}")
        return (
            f"{', '.join(parts)} s (parse and chunk on a second thread, writes on a third, beside embedding)"
        )
