"""Warm ask with the ONNX embedder's two ways of using the cores, alternated question by question.

- batches: each run on one thread, the sorted batches side by side (the default, `index/onnx_embedder.py`);
- operations: each run on all cores (intra-op threads, not spinning), the batches one after another,
  the answer's batches of `--operations-batch` texts (the embedder before 2026-12-02, batches of 4).

One process builds two Assistants on the same index (each with its own sentence-vector cache), asks
one question of each, then asks each dev question once of both, the order swapped every question,
so a drifting load hits both alike. Wall time of `Assistant.ask`; the answers are compared.

    python -m bench.warm_threads --index DIR --questions 100
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import summary_ms, write_result

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = "How much does CAR-T cost?"


def operations_embedder(embedder: Any) -> Any:
    """A copy of the ONNX embedder whose runs take every core and whose batches run in turn."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = embedder.workers
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    other = copy.copy(embedder)
    other._session = ort.InferenceSession(
        str(embedder.onnx_path), options, providers=["CPUExecutionProvider"]
    )
    other.workers = 1
    return other


def assistant_with(index: Path, embedder: Any) -> Any:
    from index.settings import Settings
    from retriever.chain import Assistant, build_chain

    assistant = Assistant(Settings(index_dir=index, chroma_host=None))
    assistant.retriever.embedder = embedder
    assistant.answerer.embedder = embedder
    assistant.answerer.vectors.embedder = embedder
    assistant.chain = build_chain(assistant.retriever, assistant.answerer, assistant.vocabulary)
    return assistant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--operations-batch", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)

    import retriever.extractive as extractive
    from index.embedder import get_embedder
    from index.settings import Settings

    embedder = get_embedder(Settings())
    if embedder.backend != "onnx":
        raise SystemExit("warm_threads: the onnx backend is not available here")
    batch = {"batches": extractive.ANSWER_BATCH, "operations": args.operations_batch}
    assistants = {
        "batches": assistant_with(args.index, embedder),
        "operations": assistant_with(args.index, operations_embedder(embedder)),
    }
    for name, assistant in assistants.items():
        assistant.answerer.vectors.batch_size = batch[name]
        assistant.ask(WARM_UP, audience="patient")
    items = [json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").read_text().splitlines() if line]
    questions = [(i["question"], i.get("audience", "patient")) for i in items if i.get("question")]
    times: dict[str, list[float]] = {name: [] for name in assistants}
    same = 0
    for n, (question, audience) in enumerate(questions[: args.questions]):
        got = {}
        for name in list(assistants) if n % 2 == 0 else list(assistants)[::-1]:
            started = time.perf_counter()
            answer = assistants[name].ask(question, audience=audience)
            times[name].append(time.perf_counter() - started)
            got[name] = (answer.answer, [c.chunk_id for c in answer.citations])
        same += got["batches"] == got["operations"]
    ratio = float(np.median(np.array(times["batches"]) / np.array(times["operations"])))
    result = {
        "index": str(args.index),
        "questions": len(times["batches"]),
        "answer_batch": batch,
        "ms": {name: summary_ms(t) for name, t in times.items()},
        "median_ratio_batches_to_operations": round(ratio, 3),
        "same_answers": same,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "notes": args.note,
    }
    print(json.dumps(result, indent=1))
    print(f"wrote {write_result(args.out, 'warm_threads', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
