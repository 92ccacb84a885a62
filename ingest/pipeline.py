"""Incremental ingest: hash each document, embed only new or changed ones, drop what disappeared.

Documents stream through in batches of about EMBED_BATCH_CHUNKS chunks, in three stages on three
threads: one reads, hashes and chunks the next batch, the calling thread embeds the current one, and
a writer thread writes the previous one to Chroma. Memory holds a few batches, not the corpus, and
parsing, chunking and writing hide behind embedding. The first batch is small, so embedding starts
while the rest of the corpus is still being chunked.

Write order per batch keeps the index whole at every moment: the new versions' chunks are written
first (ids carry the hash), then the old versions' chunks are deleted, then the document records are
updated. A run killed in between leaves the old records, so the next run redoes that batch; a kill
loses at most the batches in flight.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25 import open_lexical
from index.embedder import Embedder, get_embedder, model_id_of, resolve_model_dir
from index.schema import CHUNKER_VERSION, Chunk, Document, chunk_metadata, embed_text, filter_fields
from index.settings import Settings
from index.store import Store, open_store
from ingest.chunking import chunk_document
from ingest.loaders import LoadError, SourceFile, discover, load_source
from ingest.report import IngestReport
from ingest.threads import Writer, in_background

# Chunks gathered across documents for one encode call. sentence-transformers sorts each call's texts
# by length before batching, so a larger call pads less: on ../shared/corpus 1,024 pads 1.6 % more
# word pieces than one call over everything, 256 pads 6 %. It is also what a kill can lose.
EMBED_BATCH_CHUNKS = 1024
FIRST_BATCH_CHUNKS = 128  # nothing else overlaps the first batch's chunking: keep it short
PREPARED_AHEAD = 1  # batches the background thread may have ready beyond the one being embedded
WRITES_QUEUED = 1  # embedded batches that may wait for the writer beyond the one being written
RECORD_VECTOR = np.ones((1, 1), dtype=np.float32)  # document records need a vector; theirs means nothing


def document_hash(document: Document, settings: Settings, model_id: str) -> str:
    """Changes whenever the text, the metadata or anything that shapes the chunks changes."""
    recipe = {
        "chunker": CHUNKER_VERSION,
        "chunk_tokens": settings.chunking.chunk_tokens,
        "overlap": settings.chunking.chunk_overlap_tokens,
        "model": model_id,
    }
    meta = {k: v for k, v in asdict(document).items() if k not in {"text", "path"}}
    if not meta["source_spans"]:  # documents without source markers keep the hashes they had
        del meta["source_spans"]
    payload = (
        json.dumps([recipe, meta], sort_keys=True, default=str).encode() + b"\0" + document.text.encode()
    )
    return hashlib.sha256(payload).hexdigest()


def model_id_for(settings: Settings) -> str:
    """The id the index records for the settings' embedding model, without loading the model."""
    return model_id_of(resolve_model_dir(settings), settings.embedding.embed_quantize)


@dataclass
class _Pending:
    """A new or changed document, chunked, waiting to be embedded."""

    document: Document
    doc_hash: str
    root: str
    is_update: bool
    chunks: list[Chunk] = field(default_factory=list)


@dataclass
class _Batch:
    """Work for one encode call and one round of writes."""

    pending: list[_Pending] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # embedded texts, in pending/chunk order
    truncated: int = 0
    refreshed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # unchanged, moved

    def add(self, pending: _Pending) -> None:
        self.pending.append(pending)
        self.texts += [embed_text(pending.document, c) for c in pending.chunks]

    def __bool__(self) -> bool:
        return bool(self.pending or self.refreshed)


@dataclass
class _Scan:
    """What reading the sources found besides the batches; complete once the batches are."""

    seen_ids: dict[str, str] = field(default_factory=dict)  # doc id → path it came from
    failed_paths: set[str] = field(default_factory=set)


class Ingestor:
    """Runs one ingest over some paths against one store."""

    def __init__(
        self, settings: Settings, store: Store | None = None, progress: bool = False, background: bool = True
    ) -> None:
        self.settings = settings
        self.store = store or open_store(settings)
        self.progress = progress
        self.background = background  # False: prepare batches on the calling thread (same result)
        self._embedder: Embedder | None = None
        self._embedder_lock = threading.Lock()
        self._load_seconds = 0.0

    @property
    def embedder(self) -> Embedder:
        with self._embedder_lock:
            if self._embedder is None:  # loaded only when something must be embedded
                started = time.perf_counter()
                self._embedder = get_embedder(self.settings)
                self._load_seconds = time.perf_counter() - started
            return self._embedder

    @property
    def model_loaded(self) -> bool:
        return self._embedder is not None

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        model_id = model_id_for(self.settings)
        chunks_col = self.store.chunks(model_id)
        docs_col = self.store.documents()
        manifest = self._manifest(docs_col)

        sources, missing = discover(list(paths))
        report.failed += [{"path": str(p), "error": why} for p, why in missing]
        roots = {str(s.root) for s in sources if s.root.is_dir()} | {
            str(s.path) for s in sources if s.root == s.path.parent
        }
        scan = _Scan()
        bar = _progress_bar(self.progress)
        batches = self._batches(sources, manifest, model_id, scan, report, bar)
        write = functools.partial(self._write_batch, chunks_col=chunks_col, docs_col=docs_col, report=report)
        writer = Writer(write, WRITES_QUEUED) if self.background else None
        if self.background:
            batches = in_background(batches, PREPARED_AHEAD)
        finished = False
        try:
            while True:
                waited = time.perf_counter()
                batch = next(batches, None)
                report.wait_seconds += time.perf_counter() - waited
                if batch is None:
                    break
                vectors = self._embed(batch, report)
                if writer is None:
                    write(batch, vectors)
                else:
                    waited = time.perf_counter()
                    writer.put(batch, vectors)
                    report.write_wait_seconds += time.perf_counter() - waited
            finished = True
        finally:
            batches.close()
            if writer is not None:  # the batches already embedded are written, even after an error
                writer.close(raise_error=finished)
            bar(None)

        written = time.perf_counter()
        report.removed = self._remove_missing(
            manifest, scan.seen_ids, scan.failed_paths, roots, chunks_col, docs_col
        )
        report.documents = docs_col.count()
        report.write_seconds += time.perf_counter() - written
        rebuilt = time.perf_counter()
        open_lexical(self.store, self.settings)  # rebuilt only when the documents changed
        report.bm25_seconds = time.perf_counter() - rebuilt
        report.model_load_seconds = self._load_seconds
        report.seconds = time.perf_counter() - started
        return report

    def _batches(
        self,
        sources: list[SourceFile],
        manifest: dict[str, dict[str, Any]],
        model_id: str,
        scan: _Scan,
        report: IngestReport,
        bar: Callable[[int | None], None],
    ) -> Generator[_Batch, None, None]:
        """Read, hash and chunk the sources; yield a batch whenever it holds EMBED_BATCH_CHUNKS chunks.
        Only this generator touches the report's parse, chunk, skipped, failed and unchanged fields."""
        batch = _Batch()
        yielded = 0
        for source in sources:
            if source.kind is None:
                report.skipped.append(str(source.path))
                continue
            for item, doc_hash in self._parsed(source, model_id, report):
                bar(1)
                if isinstance(item, LoadError):
                    report.failed.append({"path": str(source.path), "error": str(item)})
                    scan.failed_paths.add(str(source.path))
                    continue
                if item.doc_id in scan.seen_ids:
                    report.failed.append(
                        {
                            "path": str(source.path),
                            "error": f"duplicate id '{item.doc_id}' (also in {scan.seen_ids[item.doc_id]}); "
                            "give one of them another id",
                        }
                    )
                    continue
                scan.seen_ids[item.doc_id] = str(source.path)
                record = manifest.get(item.doc_id)
                if record and record.get("doc_hash") == doc_hash:
                    report.unchanged += 1
                    if record.get("root") != str(source.root) or record.get("path") != item.path:
                        batch.refreshed.append(
                            (item.doc_id, self._record(item, doc_hash, source.root, record))
                        )
                    continue
                pending = _Pending(item, doc_hash, str(source.root), is_update=record is not None)
                self._chunk(pending, batch, report)
                if len(batch.texts) >= (
                    EMBED_BATCH_CHUNKS if yielded else min(FIRST_BATCH_CHUNKS, EMBED_BATCH_CHUNKS)
                ):
                    yield batch
                    yielded += 1
                    batch = _Batch()
        if batch:
            yield batch

    def _parsed(
        self, source: SourceFile, model_id: str, report: IngestReport
    ) -> Iterator[tuple[Document | LoadError, str]]:
        """The source's documents (or errors) with their hashes; the time counts as parse time."""
        items = load_source(source)
        while True:
            started = time.perf_counter()
            item = next(items, None)
            doc_hash = document_hash(item, self.settings, model_id) if isinstance(item, Document) else ""
            report.parse_seconds += time.perf_counter() - started
            if item is None:
                return
            yield item, doc_hash

    def _chunk(self, pending: _Pending, batch: _Batch, report: IngestReport) -> None:
        embedder = self.embedder  # the first call loads the model: not chunking time
        started = time.perf_counter()
        pending.chunks = chunk_document(
            pending.document,
            pending.doc_hash,
            self.settings.chunking.chunk_tokens,
            self.settings.chunking.chunk_overlap_tokens,
            embedder.count_wordpieces,
            embedder.max_seq_length,
        )
        first = len(batch.texts)
        batch.add(pending)
        counts = embedder.count_wordpieces(batch.texts[first:])
        batch.truncated += sum(n > embedder.max_seq_length for n in counts)
        report.chunk_seconds += time.perf_counter() - started

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

    def _embed(self, batch: _Batch, report: IngestReport) -> np.ndarray:
        if not batch.texts:
            return np.zeros((0, 1), dtype=np.float32)
        started = time.perf_counter()
        vectors = self.embedder.encode(batch.texts)
        report.embed_seconds += time.perf_counter() - started
        return vectors

    def _write_batch(
        self, batch: _Batch, vectors: np.ndarray, chunks_col: Any, docs_col: Any, report: IngestReport
    ) -> None:
        """Write an embedded batch in bulk: new chunks, old versions' deletion, records. Only this
        method touches the report's write, chunks, truncated, added and updated fields."""
        started = time.perf_counter()
        max_batch = _max_batch(chunks_col)
        ids = [c.chunk_id for p in batch.pending for c in p.chunks]
        docs = [c.text for p in batch.pending for c in p.chunks]
        metas = [chunk_metadata(p.document, c, p.doc_hash) for p in batch.pending for c in p.chunks]
        for i in range(0, len(ids), max_batch):
            chunks_col.upsert(
                ids=ids[i : i + max_batch],
                embeddings=vectors[i : i + max_batch],
                documents=docs[i : i + max_batch],
                metadatas=metas[i : i + max_batch],  # type: ignore[arg-type]
            )
        # Only now that the new chunks are in do the old versions' chunks go. Hashes are unique per
        # document (the id is hashed too), so "not one of this batch's hashes" means "not this version".
        for i in range(0, len(batch.pending), max_batch):
            part = batch.pending[i : i + max_batch]
            chunks_col.delete(
                where={
                    "$and": [
                        {"doc_id": {"$in": [p.document.doc_id for p in part]}},
                        {"doc_hash": {"$nin": [p.doc_hash for p in part]}},
                    ]
                }
            )
        records = batch.refreshed + [
            (p.document.doc_id, {**self._record(p.document, p.doc_hash, p.root), "chunks": len(p.chunks)})
            for p in batch.pending
        ]
        for i in range(0, len(records), max_batch):
            part_records = records[i : i + max_batch]
            docs_col.upsert(
                ids=[doc_id for doc_id, _ in part_records],
                embeddings=np.ones((len(part_records), 1), dtype=np.float32),
                metadatas=[record for _, record in part_records],  # type: ignore[arg-type]
            )
        report.write_seconds += time.perf_counter() - started
        report.chunks += len(ids)
        report.truncated += batch.truncated
        report.updated += sum(p.is_update for p in batch.pending)
        report.added += sum(not p.is_update for p in batch.pending)

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
        step = _max_batch(chunks_col)
        for i in range(0, len(gone), step):
            part = gone[i : i + step]
            chunks_col.delete(where={"doc_id": {"$in": part}})  # chunks first: a kill keeps the record
            docs_col.delete(ids=part)
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
