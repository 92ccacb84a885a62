"""Ingest every NIH MedQuAD document, then answer questions over them: ingest at scale, resumable.

../shared/bench/medquad_all.jsonl.gz holds 5,486 documents (22.5 M characters, about 40,000 chunks).
The gzip is streamed record by record through the normal pipeline (`ingest.pipeline.Ingestor`), so
memory holds a few batches, not the corpus; RSS is sampled every half second. The pipeline commits
each batch of about 1,024 chunks (chunks, then document records) and skips every document whose hash
is already recorded, so after Ctrl-C or a kill, `--resume` continues where the run stopped and loses
at most the batches in flight. Then it asks a set of questions (retrieval and extractive answer
latency, dense and hybrid) over the index.

    python -m bench.scale_ingest                  # fresh index in bench/.work/scale/index (~30 min)
    python -m bench.scale_ingest --resume         # after an interruption: continue in that index
    python -m bench.scale_ingest --limit 50       # smoke run: the first 50 documents, own index
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import SHARED, RssSampler, peak_rss_mb, table, write_result

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED / "bench" / "medquad_all.jsonl.gz"
WORK = ROOT / "bench" / ".work" / "scale"

# Questions of the kind MedQuAD answers; with --limit only some of their topics are in the index.
QUESTIONS = [
    "What are the treatments for adult acute lymphoblastic leukemia?",  # in the first records too
    "What are the symptoms of lupus?",
    "How is rheumatoid arthritis treated?",
    "What causes multiple sclerosis?",
    "Is celiac disease inherited?",
    "What is the outlook for people with myasthenia gravis?",
    "How many people are affected by Sjogren syndrome?",
    "What tests diagnose type 1 diabetes?",
    "What are the signs of Graves disease?",
    "How can kidney disease be prevented?",
    "What are the genetic changes related to cystic fibrosis?",
    "Who is at risk for psoriasis?",
    "What is scleroderma?",
    "How is vasculitis diagnosed?",
    "What research is being done on Parkinson's disease?",
    "What are the stages of breast cancer?",
    "How is hepatitis C spread?",
    "What is the treatment for Addison disease?",
    "What are the complications of inflammatory bowel disease?",
    "What should I do if I think I have shingles?",
]


def first_records(data: Path, limit: int, folder: Path) -> Path:
    """The first `limit` records of the gzip, streamed into their own gzip (same ids, same text)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"medquad_first{limit}.jsonl.gz"
    if not target.exists():
        partial = target.with_name(target.name + ".part")
        written = 0
        with gzip.open(data, "rb") as src, gzip.open(partial, "wb") as dst:
            for line in src:
                if written >= limit:
                    break
                if line.strip():
                    dst.write(line)
                    written += 1
        partial.rename(target)
    return target


def ask(settings: Any, modes: list[str], n_questions: int) -> dict[str, Any]:
    """Retrieval and extractive-answer latency per mode, and the top hit of the first questions."""
    from bench.query_latency import measure
    from index.embedder import get_embedder
    from index.store import open_store
    from retriever.search import IndexRetriever

    asked = QUESTIONS[:n_questions]
    latency = {mode: measure(settings, mode, asked) for mode in modes}
    retriever = IndexRetriever(store=open_store(settings), embedder=get_embedder(settings), settings=settings)
    samples = []
    for question in asked[:3]:
        evidence = retriever.search(question)
        top = evidence[0] if evidence else None
        samples.append(
            {
                "question": question,
                "top_title": top.title if top else "",
                "top_score": round(top.score, 3) if top else None,
            }
        )
    return {"questions": len(asked), "latency": latency, "samples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--index", type=Path, default=None, help="default: bench/.work/scale/index[-firstN]")
    parser.add_argument("--resume", action="store_true", help="continue in the existing index")
    parser.add_argument(
        "--batch-chunks",
        type=int,
        default=None,
        help="chunks per encode call and commit (default: the pipeline's)",
    )
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--modes", nargs="+", default=["dense", "hybrid"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    from index.settings import Settings
    from index.store import open_store
    from ingest import pipeline
    from ingest.pipeline import Ingestor

    if args.batch_chunks:
        pipeline.EMBED_BATCH_CHUNKS = args.batch_chunks

    started = time.perf_counter()
    data = first_records(args.data, args.limit, WORK) if args.limit else args.data
    index = args.index or WORK / ("index" if not args.limit else f"index-first{args.limit}")
    resumed = args.resume and index.exists()
    if index.exists() and not args.resume:
        shutil.rmtree(index)
    settings = Settings(index_dir=index, cache_dir=WORK / "cache", chroma_host=None)
    print(f"ingesting {data} into {index}{' (resuming)' if resumed else ''}", file=sys.stderr)

    with RssSampler() as rss:
        ingestor = Ingestor(settings, progress=True)
        try:
            report = ingestor.run([data])
        except KeyboardInterrupt:
            done = open_store(settings).documents().count()
            print(
                f"\ninterrupted after {time.perf_counter() - started:.0f} s with {done} documents committed; "
                f"run `python -m bench.scale_ingest --resume{f' --limit {args.limit}' if args.limit else ''}"
                f"{f' --index {args.index}' if args.index else ''}` to continue",
                file=sys.stderr,
            )
            return 130
        ingest_wall = time.perf_counter() - started
        chunks_in_index = open_store(settings).chunks(create=False).count()  # type: ignore[union-attr]
        ingest_peak = rss.peak_mb
        queries = ask(settings, args.modes, args.questions) if args.questions else {}

    ingest = {k: v for k, v in report.to_dict().items() if k not in {"skipped", "failed"}}
    ingest["failed"] = report.failed[:20]
    rows = [
        {
            "documents": report.documents,
            "chunks_in_index": chunks_in_index,
            "embedded_now": report.chunks,
            "unchanged": report.unchanged,
            "failed": len(report.failed),
            "seconds": round(report.seconds, 1),
            "chunks_per_s": ingest["chunks_per_second"],
            "parse_s": ingest["parse_seconds"],
            "chunk_s": ingest["chunk_seconds"],
            "embed_s": ingest["embed_seconds"],
            "write_s": ingest["write_seconds"],
            "bm25_s": ingest["bm25_seconds"],
            "model_load_s": ingest["model_load_seconds"],
            "peak_rss_mb": ingest_peak,
        }
    ]
    print(table(rows, list(rows[0])))
    query_rows = [
        {
            "mode": mode,
            **{f"{what}_{k}": v for what in ("retrieve_ms", "answer_ms") for k, v in r[what].items()},
        }
        for mode, r in queries.get("latency", {}).items()
    ]
    if query_rows:
        print(table(query_rows, list(query_rows[0])))
        for sample in queries["samples"]:
            print(f"  {sample['question']} → {sample['top_title']} ({sample['top_score']})")
    path = write_result(
        args.out,
        "scale_ingest" if not args.limit else f"scale_ingest_first{args.limit}",
        {
            "data": str(args.data),
            "limit": args.limit,
            "index": str(index),
            "resumed": resumed,
            "batch_chunks": pipeline.EMBED_BATCH_CHUNKS,
            "ingest_wall_seconds": round(ingest_wall, 1),
            "chunks_in_index": chunks_in_index,
            "peak_rss_mb_sampled": ingest_peak,
            "peak_rss_mb_process": peak_rss_mb(),
            "rss_timeline_mb": rss.timeline,
            "ingest": ingest,
            "queries": queries,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
