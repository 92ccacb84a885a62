"""Chroma server mode beside embedded mode: ingest, query latency, and concurrent clients.

Starts a real `chroma run --path TMP --host 127.0.0.1 --port FREE` (the chroma CLI beside this
Python, as tests/integration/test_chroma_server.py does), then on the same documents (default: 50 of
../shared/corpus, every k-th file) measures, for the server (AQA_CHROMA_HOST) and an embedded index:

- ingest: our pipeline into each, the model loaded once beforehand (embedding costs the same in both
  modes; write_s is where the store shows);
- query latency over the development questions: `IndexRetriever.search` (embed the question, then
  Chroma) and the Chroma query alone (the same precomputed question vectors), p50/p95;
- concurrency: 1, 2, 4 client processes querying the server at once with precomputed vectors (so the
  clients load the store, not the embedder), and for comparison the same number of threads in one
  process on the embedded index (an embedded index belongs to one process): queries/s, p50/p95.

    python -m bench.chroma_server
    python -m bench.chroma_server --limit 20 --queries 30 --clients 1 2 --out /tmp/results   # smoke
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import SHARED, dir_size_mb, summary_ms, table, write_result
from tools.procs import stop

ROOT = Path(__file__).resolve().parents[1]
CHROMA = Path(sys.executable).with_name("chroma")
HEARTBEAT = "/api/v2/heartbeat"
STARTUP_SECONDS = 60
CLIENT = [sys.executable, "-m", "bench.chroma_server", "--client"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(data: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A `chroma run` on a free loopback port until the block ends; yields (port, process)."""
    import httpx

    if not CHROMA.exists():
        raise SystemExit(f"chroma_server: no chroma executable next to {sys.executable}")
    port = free_port()
    log = data.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise SystemExit(
                    f"chroma run exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
                )
            try:
                if httpx.get(f"http://127.0.0.1:{port}{HEARTBEAT}", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"chroma run did not answer within {STARTUP_SECONDS} s")
            time.sleep(0.2)
        yield port, proc
    finally:
        stop(proc, 15)


def server_peak_rss_mb(proc: subprocess.Popen[bytes]) -> float:
    """The server's peak RSS (VmHWM) while it still runs."""
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


# ---- the measurements -----------------------------------------------------------------------------


def ingest(settings: Any, files: list[Path]) -> dict[str, Any]:
    from ingest.pipeline import Ingestor

    report = Ingestor(settings).run(files)
    return {
        "docs": report.added,
        "chunks": report.chunks,
        "seconds": round(report.seconds, 2),
        "chunks_per_s": round(report.chunks / report.seconds, 2) if report.seconds else 0.0,
        "embed_s": round(report.embed_seconds, 2),
        "write_s": round(report.write_seconds, 3),
        "bm25_s": round(report.bm25_seconds, 3),
    }


def store_query(collection: Any, vector: list[float], n: int) -> float:
    started = time.perf_counter()
    collection.query(query_embeddings=[vector], n_results=n, include=["documents", "metadatas", "distances"])
    return time.perf_counter() - started


def query_latency(settings: Any, asked: list[str], vectors: list[list[float]]) -> dict[str, Any]:
    """IndexRetriever.search end to end (with the extractive answer), and the Chroma query alone."""
    from bench.query_latency import measure
    from index.store import open_store

    searched = measure(settings, "dense", asked)
    collection = open_store(settings).chunks(create=False)
    n = min(settings.candidates, collection.count())  # type: ignore[union-attr]
    store_query(collection, vectors[0], n)  # warm up
    alone = [store_query(collection, v, n) for v in vectors]
    return {
        "search_ms": searched["retrieve_ms"],
        "answer_ms": searched["answer_ms"],
        "store_query_ms": summary_ms(alone),
    }


def concurrent_server(port: int, collection: str, vectors_file: Path, clients: int, per_client: int) -> Any:
    """`clients` processes, released together, each sending `per_client` queries."""
    go = vectors_file.with_name(f"go-{clients}")
    procs = [
        subprocess.Popen(
            [*CLIENT, str(port), collection, str(vectors_file), str(per_client), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for _ in range(clients)
    ]
    ready = [vectors_file.with_name(f"ready-{p.pid}") for p in procs]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready):
        if time.monotonic() > deadline or any(p.poll() not in (None, 0) for p in procs):
            raise SystemExit("chroma_server: a client did not start")
        time.sleep(0.05)
    go.touch()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    return concurrency_summary(results)


def concurrent_embedded(settings: Any, vectors: list[list[float]], threads: int, per_client: int) -> Any:
    """The same load as threads of one process on the embedded index."""
    from index.store import open_store

    collection = open_store(settings).chunks(create=False)
    n = min(settings.candidates, collection.count())  # type: ignore[union-attr]
    store_query(collection, vectors[0], n)

    def client(offset: int) -> dict[str, Any]:
        started = time.perf_counter()
        latencies = [
            store_query(collection, vectors[(offset + i) % len(vectors)], n) for i in range(per_client)
        ]
        return {"start": started, "end": time.perf_counter(), "latencies": latencies}

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(client, range(threads)))
    return concurrency_summary(results)


def concurrency_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [x for r in results for x in r["latencies"]]
    span = max(r["end"] for r in results) - min(r["start"] for r in results)
    return {
        "queries": len(latencies),
        "seconds": round(span, 2),
        "queries_per_s": round(len(latencies) / span, 1) if span else 0.0,
        **{f"latency_{k}": v for k, v in summary_ms(latencies).items()},
    }


def client_main(port: int, collection_name: str, vectors_file: Path, per_client: int, go: Path) -> int:
    """One client process: connect, warm up, say ready, wait for go, query, print the timings."""
    import os

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(
        host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection(collection_name)
    vectors = json.loads(vectors_file.read_text())
    n = min(30, collection.count())
    store_query(collection, vectors[0], n)
    vectors_file.with_name(f"ready-{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.005)
    started = time.perf_counter()
    offset = os.getpid()
    latencies = [store_query(collection, vectors[(offset + i) % len(vectors)], n) for i in range(per_client)]
    # perf_counter is CLOCK_MONOTONIC on Linux: comparable across the processes of one machine
    print(json.dumps({"start": started, "end": time.perf_counter(), "latencies": latencies}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=Path, nargs="+", default=[SHARED / "corpus"])
    parser.add_argument("--limit", type=int, default=50, help="every k-th file, N in all (0: all)")
    parser.add_argument("--queries", type=int, default=100, help="questions timed per mode")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--per-client", type=int, default=200, help="queries each concurrent client sends")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--client", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        port, name, vectors_file, per_client, go = args.client
        return client_main(int(port), name, Path(vectors_file), int(per_client), Path(go))

    from bench.ingest_compare import select_files
    from bench.query_latency import questions
    from index.embedder import get_embedder
    from index.settings import Settings

    files = select_files(args.docs, args.limit or None)
    asked = questions(args.queries)
    (ROOT / "bench" / ".work").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="chroma-server-", dir=ROOT / "bench" / ".work"))
    try:
        embedded = Settings(index_dir=work / "embedded", cache_dir=work / "cache-embedded", chroma_host=None)
        embedder = get_embedder(embedded)
        vectors = [v.tolist() for v in embedder.encode(asked)]
        vectors_file = work / "vectors.json"
        vectors_file.write_text(json.dumps(vectors))
        with chroma_server(work / "server-data") as (port, proc):
            server = embedded.model_copy(
                update={"chroma_host": "127.0.0.1", "chroma_port": port, "cache_dir": work / "cache-server"}
            )
            modes = {"embedded": embedded, "server": server}
            ingested = {name: ingest(s, files) for name, s in modes.items()}
            latency = {name: query_latency(s, asked, vectors) for name, s in modes.items()}
            concurrency: list[dict[str, Any]] = []
            for n in args.clients:
                row = concurrent_server(port, server.collection, vectors_file, n, args.per_client)
                concurrency.append({"mode": "server", "clients": f"{n} processes", **row})
                row = concurrent_embedded(embedded, vectors, n, args.per_client)
                concurrency.append({"mode": "embedded", "clients": f"{n} threads", **row})
            server_rss = server_peak_rss_mb(proc)
        sizes = {"embedded": dir_size_mb(work / "embedded"), "server": dir_size_mb(work / "server-data")}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        {
            "mode": name,
            **ingested[name],
            "search_p50": latency[name]["search_ms"]["p50"],
            "search_p95": latency[name]["search_ms"]["p95"],
            "store_p50": latency[name]["store_query_ms"]["p50"],
            "store_p95": latency[name]["store_query_ms"]["p95"],
            "index_mb": sizes[name],
        }
        for name in modes
    ]
    print(table(rows, list(rows[0])))
    print(table(concurrency, list(concurrency[0])))
    print(f"chroma server peak RSS {server_rss} MB")
    path = write_result(
        args.out,
        "chroma_server",
        {
            "files": len(files),
            "questions": len(asked),
            "per_client": args.per_client,
            "modes": rows,
            "latency": latency,
            "concurrency": concurrency,
            "server_peak_rss_mb": server_rss,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
