"""Incremental ingest: hash each document, embed only new or changed ones, drop what disappeared.

Write order per document keeps the index whole at every moment: the new version's chunks are written
first (ids carry the hash), then the old version's chunks are deleted, then the document record is
updated. A run killed in between leaves the old record, so the next run redoes that document.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25 import open_lexical
from index.embedder import Embedder, get_embedder
from index.schema import CHUNKER_VERSION, Chunk, Document, chunk_metadata, embed_text, filter_fields
from index.settings import Settings
from index.store import Store, open_store
from ingest.chunking import chunk_document
from ingest.loaders import LoadError, discover, load_source

EMBED_BATCH_CHUNKS = 256
RECORD_VECTOR = np.ones(
    (1, 1), dtype=np.float32
)  # document records need a vector; theirs means nothing  # chunks gathered across documents before one encode call


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
    embed_seconds: float = 0.0

    @property
    def truncated_share(self) -> float:
        return self.truncated / self.chunks if self.chunks else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["truncated_share"] = round(self.truncated_share, 6)
        data["seconds"] = round(self.seconds, 3)
        data["embed_seconds"] = round(self.embed_seconds, 3)
        data["chunks_per_second"] = (
            round(self.chunks / self.seconds, 2) if self.seconds and self.chunks else 0.0
        )
        return data


def document_hash(document: Document, settings: Settings, model_id: str) -> str:
    """Changes whenever the text, the metadata or anything that shapes the chunks changes."""
    recipe = {
        "chunker": CHUNKER_VERSION,
        "chunk_tokens": settings.chunk_tokens,
        "overlap": settings.chunk_overlap_tokens,
        "model": model_id,
    }
    meta = {k: v for k, v in asdict(document).items() if k not in {"text", "path"}}
    payload = (
        json.dumps([recipe, meta], sort_keys=True, default=str).encode() + b"\0" + document.text.encode()
    )
    return hashlib.sha256(payload).hexdigest()


@dataclass
class _Batch:
    """New or changed documents waiting for one encode call."""

    items: list[_Pending] = field(default_factory=list)
    size: int = 0  # chunks

    def add(self, pending: _Pending) -> None:
        self.items.append(pending)
        self.size += len(pending.chunks)

    def take(self) -> list[_Pending]:
        items, self.items, self.size = self.items, [], 0
        return items


@dataclass
class _Pending:
    document: Document
    doc_hash: str
    root: str
    is_update: bool
    chunks: list[Chunk] = field(default_factory=list)


class Ingestor:
    """Runs one ingest over some paths against one store."""

    def __init__(self, settings: Settings, store: Store | None = None, progress: bool = False) -> None:
        self.settings = settings
        self.store = store or open_store(settings)
        self.progress = progress
        self._embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:  # loaded only when something must be embedded
            self._embedder = get_embedder(self.settings)
        return self._embedder

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        model_id = self._model_id()
        chunks_col = self.store.chunks(model_id)
        docs_col = self.store.documents()
        manifest = self._manifest(docs_col)

        sources, missing = discover(list(paths))
        report.failed += [{"path": str(p), "error": why} for p, why in missing]
        roots = {str(s.root) for s in sources if s.root.is_dir()} | {
            str(s.path) for s in sources if s.root == s.path.parent
        }
        seen_ids: dict[str, str] = {}
        failed_paths: set[str] = set()
        batch = _Batch()
        bar = _progress_bar(self.progress)

        # Documents stream through: each new or changed one is chunked at once and embedded with the
        # next full batch, so memory holds one batch, not the corpus.
        for source in sources:
            if source.kind is None:
                report.skipped.append(str(source.path))
                continue
            for item in load_source(source):
                bar(1)
                if isinstance(item, LoadError):
                    report.failed.append({"path": str(source.path), "error": str(item)})
                    failed_paths.add(str(source.path))
                    continue
                if item.doc_id in seen_ids:
                    report.failed.append(
                        {
                            "path": str(source.path),
                            "error": f"duplicate id '{item.doc_id}' (also in {seen_ids[item.doc_id]}); "
                            "give one of them another id",
                        }
                    )
                    continue
                seen_ids[item.doc_id] = str(source.path)
                doc_hash = document_hash(item, self.settings, model_id)
                record = manifest.get(item.doc_id)
                if record and record.get("doc_hash") == doc_hash:
                    report.unchanged += 1
                    if record.get("root") != str(source.root) or record.get("path") != item.path:
                        docs_col.upsert(
                            ids=[item.doc_id],
                            embeddings=RECORD_VECTOR,
                            metadatas=[self._record(item, doc_hash, source.root, record)],
                        )
                    continue
                pending = _Pending(item, doc_hash, str(source.root), is_update=record is not None)
                pending.chunks = self._chunk(pending)
                batch.add(pending)
                if batch.size >= EMBED_BATCH_CHUNKS:
                    self._write_batch(batch.take(), chunks_col, docs_col, report)
        if batch.items:
            self._write_batch(batch.take(), chunks_col, docs_col, report)
        bar(None)

        report.removed = self._remove_missing(manifest, seen_ids, failed_paths, roots, chunks_col, docs_col)
        report.documents = docs_col.count()
        open_lexical(self.store, self.settings)  # rebuilt only when the documents changed
        report.seconds = time.perf_counter() - started
        return report

    def _model_id(self) -> str:
        from index.embedder import resolve_model_dir

        path = resolve_model_dir(self.settings)
        if self._embedder is not None:
            return self._embedder.model_id
        from index.embedder import packaged_model_dir

        return (
            "sentence-transformers/all-MiniLM-L6-v2"
            if path.resolve() == packaged_model_dir().resolve()
            else path.name
        )

    @staticmethod
    def _manifest(docs_col: Any) -> dict[str, dict[str, Any]]:
        got = docs_col.get(include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"] or [], strict=False)}

    @staticmethod
    def _record(
        document: Document, doc_hash: str, root: Path | str, old: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        record = dict(old or {})
        record.update(
            {
                "doc_hash": doc_hash,
                "path": document.path,
                "root": str(root),
                "title": document.title,
                "source": document.source,
                **filter_fields(document),
            }
        )
        return record

    def _chunk(self, pending: _Pending) -> list[Chunk]:
        return chunk_document(
            pending.document,
            pending.doc_hash,
            self.settings.chunk_tokens,
            self.settings.chunk_overlap_tokens,
            self.embedder.count_wordpieces,
            self.embedder.max_seq_length,
        )

    def _write_batch(
        self,
        batch: list[_Pending],
        chunks_col: Any,
        docs_col: Any,
        report: IngestReport,
    ) -> None:
        texts = [embed_text(p.document, c) for p in batch for c in p.chunks]
        report.truncated += sum(
            n > self.embedder.max_seq_length for n in self.embedder.count_wordpieces(texts)
        )
        started = time.perf_counter()
        vectors = self.embedder.encode(texts)
        report.embed_seconds += time.perf_counter() - started
        offset = 0
        max_batch = _max_batch(chunks_col)
        for pending in batch:
            n = len(pending.chunks)
            ids = [c.chunk_id for c in pending.chunks]
            docs = [c.text for c in pending.chunks]
            metas = [chunk_metadata(pending.document, c, pending.doc_hash) for c in pending.chunks]
            for i in range(0, n, max_batch):
                chunks_col.upsert(
                    ids=ids[i : i + max_batch],
                    embeddings=vectors[offset + i : offset + min(i + max_batch, n)],
                    documents=docs[i : i + max_batch],
                    metadatas=metas[i : i + max_batch],  # type: ignore[arg-type]
                )
            offset += n
            # Only now that the new chunks are in do the old version's chunks go.
            chunks_col.delete(
                where={"$and": [{"doc_id": pending.document.doc_id}, {"doc_hash": {"$ne": pending.doc_hash}}]}
            )
            record = self._record(pending.document, pending.doc_hash, pending.root)
            record["chunks"] = n
            docs_col.upsert(ids=[pending.document.doc_id], embeddings=RECORD_VECTOR, metadatas=[record])
            report.chunks += n
            if pending.is_update:
                report.updated += 1
            else:
                report.added += 1

    @staticmethod
    def _remove_missing(
        manifest: dict[str, dict[str, Any]],
        seen_ids: dict[str, str],
        failed_paths: set[str],
        roots: set[str],
        chunks_col: Any,
        docs_col: Any,
    ) -> int:
        """Documents that were ingested from one of these roots and are gone now (not merely unreadable)."""
        gone = [
            doc_id
            for doc_id, record in manifest.items()
            if doc_id not in seen_ids
            and record.get("root") in roots
            and record.get("path") not in failed_paths
        ]
        for doc_id in gone:
            chunks_col.delete(where={"doc_id": doc_id})
            docs_col.delete(ids=[doc_id])
        return len(gone)


def _max_batch(collection: Any) -> int:
    try:
        return int(collection._client.get_max_batch_size())
    except Exception:
        return 1000


def _progress_bar(enabled: bool) -> Callable[[int | None], None]:
    """A tqdm counter of documents on stderr when asked for and stderr is a terminal; None closes it."""
    if not enabled or not sys.stderr.isatty():
        return lambda _n: None
    from tqdm import tqdm

    bar = tqdm(unit="doc", desc="ingest", file=sys.stderr)

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)

    return update


def ingest_paths(paths: list[Path], settings: Settings, progress: bool = False) -> IngestReport:
    return Ingestor(settings, progress=progress).run(paths)
