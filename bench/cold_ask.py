"""A cold `autoimmune-qa ask` against the LangChain tutorial's cold retrieval, and warm ask latency.

Cold: each is a new process, timed by the parent from start to exit, alternated round by round:

- ours: `autoimmune-qa ask QUESTION --index DIR --json` (the default onnx backend: retrieval, the
  extractive answer, citation checks, the JSON printed);
- ours-torch: the same with AQA_EMBED_BACKEND=torch (for reference);
- peer: the tutorial's retrieval alone: import langchain-huggingface and langchain-chroma, load
  `HuggingFaceEmbeddings` on the same packaged model folder and the persisted Chroma, then
  `similarity_search(QUESTION, k=4)` (no answer is composed).

Both indexes are built before the clock starts, over the same documents (every k-th file of
../shared/corpus): ours by `ingest_paths`, the peer's by the tutorial pipeline (as in
bench/ingest_compare.py). The ONNX export is in the user's cache before the first round.

Warm: one process, the Assistant built and one question asked first; then each dev question
(eval/dev.jsonl) is asked once (the process warm, the question new), then all of them once more
(evidence seen before); then, as the chat and the API run, a new Assistant whose evidence texts were
embedded ahead (`retriever.prefill`, timed) asks each once. Wall time of `Assistant.ask` per question.

    python -m bench.cold_ask --rounds 5 --docs 60 --note "shared machine"
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import SHARED, summary_ms, table, write_result

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How much does CAR-T cost?"
TARGET_COLD_RATIO = 0.6
TARGET_WARM_P95_MS = 150.0

PEER_RETRIEVAL = """
import sys
from index.embedder import resolve_model_dir  # sets the offline switches before transformers loads
from index.settings import Settings
from langchain_chroma import Chroma
from langchain_huggingface import HuggingFaceEmbeddings

embeddings = HuggingFaceEmbeddings(model_name=str(resolve_model_dir(Settings())), model_kwargs={"device": "cpu"})
store = Chroma(persist_directory=sys.argv[1], embedding_function=embeddings, collection_name="peer_chunks")
docs = store.similarity_search(sys.argv[2], k=4)
print(len(docs))
"""


def build_indexes(files: list[Path], work: Path) -> tuple[Path, Path]:
    """Ours (ingest_paths) and the peer's (the tutorial pipeline) over the same documents."""
    from bench.ingest_compare import PEER_CHUNK_OVERLAP, PEER_CHUNK_SIZE, load_documents
    from index.embedder import resolve_model_dir
    from index.settings import Settings
    from ingest.pipeline import ingest_paths

    ours = work / "ours"
    report = ingest_paths(files, Settings(index_dir=ours, chroma_host=None))
    if report.failed:
        raise SystemExit(f"cold_ask: ingest failed for {report.failed[:3]}")
    peer = work / "peer"
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embeddings = HuggingFaceEmbeddings(
        model_name=str(resolve_model_dir(Settings())), model_kwargs={"device": "cpu"}
    )
    docs = [LCDocument(page_content=d.text, metadata={"source": d.path}) for d in load_documents(files)]
    splits = RecursiveCharacterTextSplitter(
        chunk_size=PEER_CHUNK_SIZE, chunk_overlap=PEER_CHUNK_OVERLAP
    ).split_documents(docs)
    Chroma.from_documents(
        splits, embedding=embeddings, persist_directory=str(peer), collection_name="peer_chunks"
    )
    return ours, peer


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cold_ask: {command[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def cold_rounds(ours: Path, peer: Path, rounds: int, with_torch: bool) -> dict[str, list[float]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AQA_")}
    cli = str(Path(sys.executable).with_name("autoimmune-qa"))
    commands = {
        "ours": ([cli, "ask", QUESTION, "--index", str(ours), "--json"], env),
        "peer": ([sys.executable, "-c", PEER_RETRIEVAL, str(peer), QUESTION], env),
    }
    if with_torch:
        commands["ours_torch"] = (commands["ours"][0], {**env, "AQA_EMBED_BACKEND": "torch"})
    for command, run_env in commands.values():  # one untimed run each: files in the page cache
        timed(command, run_env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else names[::-1]:
            times[name].append(timed(*commands[name]))
            print(f"[cold] {name} {times[name][-1]:.2f} s", file=sys.stderr, flush=True)
    return times


def warm_asks(ours: Path, limit: int) -> dict[str, Any]:
    from index.settings import Settings
    from retriever.chain import Assistant

    items = [json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").read_text().splitlines() if line]
    questions = [(i["question"], i.get("audience", "patient")) for i in items if i.get("question")][:limit]
    assistant = Assistant(Settings(index_dir=ours, chroma_host=None))
    assistant.ask(QUESTION, audience="patient")  # the process is warm: model, index, BM25 loaded
    first, again, prefilled = [], [], []
    for times in (first, again):
        for question, audience in questions:
            started = time.perf_counter()
            assistant.ask(question, audience=audience)
            times.append(time.perf_counter() - started)
    # as the chat and the API run: a new Assistant whose evidence texts were embedded ahead
    assistant = Assistant(Settings(index_dir=ours, chroma_host=None))
    assistant.ask(QUESTION, audience="patient")
    started = time.perf_counter()
    prefill = assistant.start_prefill()
    assert prefill is not None, "prefill is off (AQA_PREFILL_SENTENCES=0?)"
    prefill.start().join()
    prefill_s = time.perf_counter() - started
    for question, audience in questions:
        started = time.perf_counter()
        assistant.ask(question, audience=audience)
        prefilled.append(time.perf_counter() - started)
    return {
        "questions": len(questions),
        "first_ms": summary_ms(first),
        "again_ms": summary_ms(again),
        "prefill": {**prefill.status(), "seconds": round(prefill_s, 1)},
        "first_after_prefill_ms": summary_ms(prefilled),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=60, help="every k-th file of ../shared/corpus, N in all")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=50, help="dev questions for the warm asks")
    parser.add_argument("--no-torch", action="store_true", help="leave out ours with the torch backend")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--note", default="", help="what to know about the run (e.g. a shared machine)")
    args = parser.parse_args(argv)

    from bench.ingest_compare import select_files
    from index.embedder import get_embedder
    from index.settings import Settings

    get_embedder(Settings())  # the ONNX export exists before anything is timed
    files = select_files([SHARED / "corpus"], args.docs)
    (ROOT / "bench" / ".work").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cold-ask-", dir=ROOT / "bench" / ".work"))
    try:
        ours, peer = build_indexes(files, work)
        cold = cold_rounds(ours, peer, args.rounds, not args.no_torch)
        warm = warm_asks(ours, args.questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = {name: statistics.median(times) for name, times in cold.items()}
    ratio = round(median["ours"] / median["peer"], 3)
    rows = [
        {
            "process": name,
            "median_s": round(median[name], 2),
            "min_s": round(min(times), 2),
            "max_s": round(max(times), 2),
            "all_s": [round(t, 2) for t in times],
        }
        for name, times in cold.items()
    ]
    targets = {
        "cold_ask_vs_peer_retrieval": {
            "target": f"<= {TARGET_COLD_RATIO}",
            "value": ratio,
            "met": ratio <= TARGET_COLD_RATIO,
        },
        "warm_ask_p95_ms": {
            "target": f"<= {TARGET_WARM_P95_MS}",
            "value": warm["first_ms"]["p95"],
            "met": warm["first_ms"]["p95"] <= TARGET_WARM_P95_MS,
        },
        "warm_ask_p95_ms_chat_and_api": {  # evidence texts embedded ahead, as `serve` does
            "target": f"<= {TARGET_WARM_P95_MS}",
            "value": warm["first_after_prefill_ms"]["p95"],
            "met": warm["first_after_prefill_ms"]["p95"] <= TARGET_WARM_P95_MS,
        },
    }
    print(table(rows, ["process", "median_s", "min_s", "max_s", "all_s"]))
    print(
        f"warm ask over {warm['questions']} dev questions: first {warm['first_ms']}, again {warm['again_ms']}; "
        f"after prefill ({warm['prefill']}) {warm['first_after_prefill_ms']}"
    )
    for name, t in targets.items():
        print(f"target {name}: {t['value']} (want {t['target']}) {'met' if t['met'] else 'NOT met'}")
    path = write_result(
        args.out,
        "cold_ask",
        {
            "question": QUESTION,
            "files": len(files),
            "rounds": args.rounds,
            "cold": rows,
            "ours_vs_peer_median": ratio,
            "warm": warm,
            "targets": targets,
            "notes": args.note,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
