"""What the answer reader costs the answer step, on captured evidence with the sentence vectors cached.

The chat and the API embed the evidence's sentences ahead (`retriever.prefill`), so a warm answer
step there is the extractive answerer's choice plus, with the reader on, the reader's model calls.
This asks a gold file once through the real assistant (`evaluation.replay.capture`: the evidence
and every candidate sentence's vector), then answers every captured question again, in turn with
the reader off, as shipped (`reader_window`: only the sentences that can overtake the hand-chosen
opener are read, at most `reader_max_read`), with other caps (`--caps`) and reading every kept
sentence, after one warm-up pass of each. It reports the
answer step's p50 / p95 and how many sentences the reader read per question.

    python -m bench.answer_reader --index DIR [--gold eval/dev.jsonl] [--caps 3 4 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, cast

from bench.common import summary_ms, table, write_result
from evaluation import replay
from retriever.reader import Reader
from retriever.weights import SHIPPED

ROOT = Path(__file__).resolve().parents[1]


class _Counting:
    """The reader, counting the sentences it is given."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.read: list[int] = []

    def score(self, question: str, texts: list[str]) -> Any:
        self.read.append(len(texts))
        return self.reader.score(question, texts)


def run(data: replay.Capture, reader: Reader | None, window: float, cap: int) -> dict[str, Any]:
    counting = _Counting(reader) if reader is not None else None
    weights = SHIPPED.model_copy(update={"reader_window": window, "reader_max_read": cap})
    answerer = replay.answerer_for(data, weights=weights, reader=cast(Reader, counting))
    for r in data.records:  # warm-up: the sentence-vector cache filled, the sessions' first runs done
        answerer.answer(r.question, r.evidence, r.audience)
    if counting is not None:
        counting.read.clear()
    times = []
    for r in data.records:
        start = time.perf_counter()
        answerer.answer(r.question, r.evidence, r.audience)
        times.append(time.perf_counter() - start)
    read = counting.read if counting is not None else []
    return {
        "answer_ms": summary_ms(times),
        "sentences_read_mean": round(sum(read) / len(read), 2) if read else 0.0,
        "questions": len(times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True, help="an index of ../shared/corpus + corpus/")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--caps", type=int, nargs="*", default=[], help="also time these reader_max_read caps"
    )
    args = parser.parse_args(argv)
    data = replay.capture(args.gold, args.index)
    reader = replay._reader()
    rows = []
    settings = [
        ("reader off", None, SHIPPED.reader_window, 0),
        (f"as shipped (window {SHIPPED.reader_window}, cap {SHIPPED.reader_max_read})", reader,
         SHIPPED.reader_window, SHIPPED.reader_max_read),
        *((f"window {SHIPPED.reader_window}, cap {k}", reader, SHIPPED.reader_window, k) for k in args.caps),
        ("every kept sentence read", reader, 0.0, 0),
    ]  # fmt: skip
    for name, use, window, cap in settings:
        result = run(data, use, window, cap)
        rows.append({"setting": name, **result})
        print(f"{name}: answer p50 {result['answer_ms']['p50']} / p95 {result['answer_ms']['p95']} ms, "
              f"{result['sentences_read_mean']} sentences read per question", flush=True)  # fmt: skip
    flat = [
        {"setting": r["setting"], "p50 ms": r["answer_ms"]["p50"], "p95 ms": r["answer_ms"]["p95"],
         "read": r["sentences_read_mean"]}
        for r in rows
    ]  # fmt: skip
    print(table(flat, ["setting", "p50 ms", "p95 ms", "read"]))
    path = write_result(args.out, "answer_reader", {"gold": str(args.gold), "rows": rows})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
