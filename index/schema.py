"""The index contract: what a document and a chunk are, and how they are stored in Chroma.

Both `ingest` (writes) and `retriever` (reads) import this module; change it with care: a change to
`CHUNKER_VERSION` or to the metadata fields means every document is re-embedded on the next ingest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

# Bump when chunking or the embedded text changes: document hashes include it, so re-ingest replaces all.
CHUNKER_VERSION = "8"  # 8: a footnote number after a period ends a sentence (7: a list is not cut from its lead-in when a chunk can end before it; 6: "MS." ends a sentence, a sentence may open in **bold**)
# The records collection holds one row per document (hash, path, root); its vectors are a dummy [1.0].
DOCS_COLLECTION_SUFFIX = "_documents"
HNSW_SPACE = "cosine"


@dataclass(frozen=True)
class SourceSpan:
    """A run of a project article, `text[start:end]`, and the keys of the sources it restates
    (its `[^key]` markers, which the loader strips from the text)."""

    start: int
    end: int
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A parsed source document: its text and what a citation needs to name it."""

    doc_id: str
    text: str
    title: str
    path: str
    url: str = ""
    source: str = ""
    license: str = ""
    date: str = ""
    topics: tuple[str, ...] = ()
    publisher: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    source_spans: tuple[SourceSpan, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A slice of a document, `text == document.text[start:end]`, with its heading path."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    headings: tuple[str, ...] = ()
    n_tokens: int = 0

    @property
    def heading_path(self) -> str:
        return " > ".join(self.headings)


def chunk_id_for(doc_id: str, doc_hash: str, index: int) -> str:
    """Chunk ids carry the document's hash, so a new version never overwrites the old one in place."""
    return f"{doc_id}#{doc_hash[:12]}#{index:04d}"


def embed_text(document: Document, chunk: Chunk) -> str:
    """The text embedded for a chunk: title and heading path give the slice its context."""
    context = " > ".join([document.title, *(h for h in chunk.headings if h != document.title)])
    return f"{context}\n{chunk.text}"


def chunk_metadata(document: Document, chunk: Chunk, doc_hash: str) -> dict[str, Any]:
    """The metadata stored with each chunk in Chroma (flat scalars only)."""
    return {
        "doc_id": document.doc_id,
        "doc_hash": doc_hash,
        "title": document.title,
        "url": document.url,
        "source": document.source,
        "publisher": document.publisher,
        "license": document.license,
        "date": document.date,
        "topics": "; ".join(document.topics),
        "path": document.path,
        "headings": chunk.heading_path,
        "start": chunk.start,
        "end": chunk.end,
        "chunk_index": chunk.index,
        "upstream": upstream_sources(document),
        "source_spans": source_spans_json(document, chunk),
        **filter_fields(document),
    }


def filter_fields(document: Document) -> dict[str, Any]:
    """Metadata the retrieval filters use: lower-case topic and audience tags, the date as YYYYMMDD."""
    fields: dict[str, Any] = {}
    topics = sorted({t.strip().lower() for t in document.topics if t.strip()})
    if topics:
        fields["topic_tags"] = topics
    audience = document.extra.get("audience")
    if isinstance(audience, str):
        audience = [audience]
    if isinstance(audience, list) and audience:
        fields["audience_tags"] = sorted({str(a).strip().lower() for a in audience if str(a).strip()})
    date = date_number(document.date)
    if date:
        fields["date_num"] = date
    return fields


def date_number(date: str) -> int:
    """'2024-05-01' → 20240501, '2019' → 20190000; 0 when there is no year."""
    match = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date or "")
    if not match:
        return 0
    year, month, day = match.group(1), match.group(2) or "0", match.group(3) or "0"
    return int(year) * 10000 + int(month) * 100 + int(day)


def _listed_sources(document: Document) -> list[dict[str, Any]]:
    sources = document.extra.get("sources")
    if not isinstance(sources, list):
        return []
    return [s for s in sources if isinstance(s, dict) and s.get("title")]


def upstream_sources(document: Document) -> str:
    """For the project's own articles: the public sources each one is grounded in, one line each."""
    lines = []
    for source in _listed_sources(document):
        parts = [str(source.get(k) or "").strip() for k in ("publisher", "title", "date", "url")]
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def source_spans_json(document: Document, chunk: Chunk) -> str:
    """The source spans that overlap the chunk, as JSON `[[start, end, [line, ...]], ...]`: document
    offsets, and the lines of `upstream_sources` each span restates; "" when there are none."""
    if not document.source_spans:
        return ""
    line_of = {str(s.get("key")): n for n, s in enumerate(_listed_sources(document)) if s.get("key")}
    rows = [
        [span.start, span.end, [line_of[k] for k in span.keys if k in line_of]]
        for span in document.source_spans
        if span.start < chunk.end and span.end > chunk.start
    ]
    return json.dumps(rows, separators=(",", ":")) if rows else ""
