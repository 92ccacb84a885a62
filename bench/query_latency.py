"""Retrieval and answer latency as the index grows (1k, 10k, 100k chunks).

The chunks of a real index (default: ../shared/corpus, built on first use) are replicated with a small
random perturbation of their vectors and new ids until each size is reached, then written straight
into a fresh Chroma collection of the same schema (the embedder is not run for the copies: HNSW and
BM25 search time depend on the number and spread of vectors, not on what the copies say). Questions
are the development gold set's; each is asked once to warm up, then timed. Retrieval is timed as the
assistant retrieves: the top k plus the chunks beside the best one (`search_with_context`). The extractive answer
is timed cold: its sentence-vector cache is emptied before every question.

    python -m bench.query_latency --sizes 1000 10000 100000 --out bench/results
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import SHARED, summary_ms, table, write_result
from index.bm25 import rebuild
from index.embedder import get_embedder
from index.settings import Settings
from index.store import open_store
from ingest.pipeline import ingest_paths
from retriever.answerers import make_answerer
from retriever.extractive import ExtractiveAnswerer, SentenceVectors
from retriever.search import IndexRetriever

ROOT = Path(__file__).resolve().parents[1]


def base_index(work: Path) -> Settings:
    settings = Settings(index_dir=work / "base")
    ingest_paths([SHARED / "corpus", ROOT / "corpus"], settings)
    return settings


def read_all(settings: Settings) -> dict[str, Any]:
    got = open_store(settings).chunks().get(include=["embeddings", "documents", "metadatas"])  # type: ignore[union-attr]
    return {
        "ids": got["ids"],
        "vectors": np.asarray(got["embeddings"]),
        "docs": got["documents"],
        "metas": got["metadatas"],
    }


def build_scaled(base: dict[str, Any], size: int, folder: Path, seed: int = 7) -> Settings:
    """An index of `size` chunks: the base chunks, then perturbed copies (new doc ids per copy)."""
    shutil.rmtree(folder, ignore_errors=True)
    settings = Settings(index_dir=folder)
    store = open_store(settings)
    chunks = store.chunks("sentence-transformers/all-MiniLM-L6-v2")
    docs = store.documents()
    rng = np.random.default_rng(seed)
    n = len(base["ids"])
    written = 0
    copy = 0
    while written < size:
        take = min(n, size - written)
        vectors = base["vectors"][:take]
        if copy:
            vectors = vectors + rng.normal(0, 0.02, vectors.shape)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        metas = [dict(m, doc_id=f"{m['doc_id']}~{copy}") if copy else dict(m) for m in base["metas"][:take]]
        ids = [f"{i}~{copy}" if copy else i for i in base["ids"][:take]]
        for start in range(0, take, 4000):
            end = start + 4000
            chunks.upsert(ids=ids[start:end], embeddings=vectors[start:end].astype(np.float32),  # type: ignore[union-attr]
                          documents=base["docs"][:take][start:end], metadatas=metas[start:end])  # fmt: skip
        doc_ids = sorted({m["doc_id"] for m in metas})
        for start in range(0, len(doc_ids), 4000):
            part = doc_ids[start : start + 4000]
            docs.upsert(ids=part, embeddings=np.ones((len(part), 1), dtype=np.float32),
                        metadatas=[{"doc_hash": f"bench{copy}", "root": "bench"} for _ in part])  # fmt: skip
        written += take
        copy += 1
    rebuild(store, settings)
    return settings


def questions(limit: int) -> list[str]:
    items = [
        json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").read_text().splitlines() if line.strip()
    ]
    return [i["question"] for i in items if i.get("question")][:limit]


def measure(settings: Settings, mode: str, asked: list[str]) -> dict[str, Any]:
    tuned = settings.model_copy(update={"retrieval": mode})
    retriever = IndexRetriever(store=open_store(tuned), embedder=get_embedder(tuned), settings=tuned)
    answerer = make_answerer(tuned)
    retriever.search(asked[0])  # warm up: loads the BM25 copy and the HNSW index
    retrieve, answer = [], []
    for question in asked:
        started = time.perf_counter()
        evidence = retriever.search_with_context(question)  # as the assistant asks: with the context chunks
        if isinstance(answerer, ExtractiveAnswerer):  # cold: no sentence vector from earlier questions
            answerer.vectors = SentenceVectors(answerer.embedder)
        middle = time.perf_counter()
        answerer.answer(question, evidence, "staff")
        retrieve.append(middle - started)
        answer.append(time.perf_counter() - middle)
    return {"retrieve_ms": summary_ms(retrieve), "answer_ms": summary_ms(answer)}


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for mode in sorted({r["mode"] for r in rows}):
        pts = [r for r in rows if r["mode"] == mode]
        ax.plot(
            [r["chunks"] for r in pts],
            [r["retrieve_p95"] for r in pts],
            marker="o",
            label=f"{mode} retrieve p95",
        )
    pts = [r for r in rows if r["mode"] == "dense"]
    ax.plot(
        [r["chunks"] for r in pts], [r["answer_p95"] for r in pts], marker="s", label="extractive answer p95"
    )
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("ms")
    ax.axhline(100, color="grey", linestyle=":", label="100 ms")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--modes", nargs="+", default=["dense", "hybrid"])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    base = read_all(base_index(args.work))
    asked = questions(args.questions)
    rows = []
    for size in args.sizes:
        started = time.perf_counter()
        settings = build_scaled(base, size, args.work / f"scaled-{size}")
        build_s = time.perf_counter() - started
        for mode in args.modes:
            result = measure(settings, mode, asked)
            rows.append(
                {
                    "chunks": size,
                    "mode": mode,
                    "retrieve_p50": result["retrieve_ms"]["p50"],
                    "retrieve_p95": result["retrieve_ms"]["p95"],
                    "answer_p50": result["answer_ms"]["p50"],
                    "answer_p95": result["answer_ms"]["p95"],
                    "build_s": round(build_s, 1),
                }
            )
            print(table(rows[-1:], list(rows[-1])), file=sys.stderr)
    columns = ["chunks", "mode", "retrieve_p50", "retrieve_p95", "answer_p50", "answer_p95", "build_s"]
    print(table(rows, columns))
    args.out.mkdir(parents=True, exist_ok=True)
    plot(rows, args.out / "query_latency.png")
    path = write_result(args.out, "query_latency", {"questions": len(asked), "rows": rows})
    print(f"wrote {path} and {args.out / 'query_latency.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
