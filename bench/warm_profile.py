"""Where a warm `ask` spends its time on questions new to the process, step by step.

One process builds the Assistant on an existing index and asks one question (model, index and BM25
copy loaded); then each of the first N dev questions (eval/dev.jsonl) is asked once. The chain's
steps and the model calls inside them are wrapped with timers, so each question's wall time splits
into: condense, screen, search (its query embedding, the Chroma query, BM25), answer (the coverage
check, candidate preselection, the answer's sentence embedding, citation checking, finishing).
Step times include the embedding inside them; `embed_*` rows say how much of that was the model.

    python -m bench.warm_profile --index /tmp/both --questions 50
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import percentile, table, write_result

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = "How much does CAR-T cost?"


class Timers:
    """Milliseconds per named step for the question being asked; `where` names the enclosing step."""

    def __init__(self) -> None:
        self.now: dict[str, float] = defaultdict(float)
        self.texts: dict[str, int] = defaultdict(int)
        self.stack: list[str] = []

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.step(name):
                return original(*args, **kwargs)

        is_static = isinstance(inspect.getattr_static(owner, attribute), staticmethod)
        setattr(owner, attribute, staticmethod(timed) if is_static else timed)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.stack.append(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.now[name] += (time.perf_counter() - started) * 1000
            self.stack.pop()

    def wrap_encode(self, embedder: Any) -> None:
        """The embedder's calls, named by the step that made them, with the texts they embedded."""
        original: Callable[..., Any] = embedder.encode

        def encode(texts: list[str], batch_size: int | None = None) -> Any:
            name = f"embed in {self.stack[-1] if self.stack else '?'}"
            self.texts[name] += len(texts)
            started = time.perf_counter()
            try:
                return original(texts, batch_size)
            finally:
                self.now[name] += (time.perf_counter() - started) * 1000

        embedder.encode = encode

    def take(self) -> tuple[dict[str, float], dict[str, int]]:
        got, texts = dict(self.now), dict(self.texts)
        self.now.clear()
        self.texts.clear()
        return got, texts


def instrument(assistant: Any, timers: Timers) -> None:
    import retriever.chain as chain
    import retriever.extractive as extractive
    import retriever.search as search
    import retriever.steps as steps

    for name in ("draft", "check_citations", "finish", "_uncovered"):
        timers.wrap(steps, name, name)
    for name in ("condense", "screen_question", "search", "answer"):  # bound when the chain is built
        timers.wrap(chain, name, name)
    timers.wrap(extractive, "candidates", "candidates")
    timers.wrap(extractive.ExtractiveAnswerer, "score", "score")
    timers.wrap(search.IndexRetriever, "_dense", "chroma query")
    timers.wrap(search.IndexRetriever, "_fetch", "chroma get")
    timers.wrap(search.IndexRetriever, "_neighbours", "neighbours")
    lexical = assistant.retriever._lexical()
    timers.wrap(type(lexical), "search", "bm25")
    timers.wrap_encode(assistant.retriever.embedder)
    assistant.chain = chain.build_chain(assistant.retriever, assistant.answerer, assistant.vocabulary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--name", default="warm_profile")
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)

    from index.settings import Settings
    from retriever.chain import Assistant

    items = [json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").read_text().splitlines() if line]
    questions = [(i["question"], i.get("audience", "patient")) for i in items if i.get("question")]
    questions = questions[: args.questions]
    assistant = Assistant(Settings(index_dir=args.index, chroma_host=None))
    assistant.ask(WARM_UP, audience="patient")
    timers = Timers()
    instrument(assistant, timers)
    timers.take()
    rows: list[dict[str, Any]] = []
    for question, audience in questions:
        started = time.perf_counter()
        assistant.ask(question, audience=audience)
        total = (time.perf_counter() - started) * 1000
        steps, texts = timers.take()
        rows.append({"question": question[:60], "total": total, "steps": steps, "texts": texts})
    names = sorted({n for r in rows for n in r["steps"]})
    summary = []
    for name in ["total", *names]:
        values = [r["total"] if name == "total" else r["steps"].get(name, 0.0) for r in rows]
        texts = [r["texts"].get(name, 0) for r in rows]
        summary.append(
            {
                "step": name,
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "mean_ms": round(sum(values) / len(values), 1),
                "texts_mean": round(sum(texts) / len(texts), 1) if any(texts) else "",
            }
        )
    slowest = sorted(rows, key=lambda r: -r["total"])[:5]
    print(table(summary, ["step", "p50_ms", "p95_ms", "mean_ms", "texts_mean"]))
    for r in slowest:
        top = sorted(r["steps"].items(), key=lambda kv: -kv[1])[:6]
        print(f"{r['total']:.0f} ms  {r['question']!r}: " + ", ".join(f"{k} {v:.0f}" for k, v in top))
    path = write_result(
        args.out,
        args.name,
        {
            "index": str(args.index),
            "questions": len(rows),
            "summary": summary,
            "rows": rows,
            "notes": args.note,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
