"""Calibrate the refusal threshold (`min_evidence_score`) on the development gold set.

Every answerable and unanswerable item of the gold file (emergency and personal-advice items are left
to the guardrails) is asked with refusals switched off; the threshold chosen is the highest one that
refuses no answerable question, and the table shows the trade-off around it.

    python eval/calibrate.py eval/dev.jsonl --index /path/to/index-of-shared-corpus-and-corpus
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from index.settings import load_settings
from retriever.chain import Assistant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="write the per-item scores here")
    args = parser.parse_args(argv)

    items = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if not i.get("emergency") and not i.get("personal_advice")]
    assistant = Assistant(load_settings(index_dir=args.index, min_evidence_score=-1.0))
    rows = []
    for item in items:
        audience = item.get("audience")
        result = (
            assistant.ask_turns(item["turns"], audience)
            if item.get("turns")
            else assistant.ask(item["question"], None, audience)
        )
        gold = set(item.get("gold_doc_ids") or [])
        top5 = [r.doc_id for r in result.retrieved[:5]]
        rows.append(
            {
                "qid": item["qid"],
                "answerable": item.get("answerable", True),
                "score": result.evidence_score,
                "hit5": bool(gold & set(top5)) if gold else None,
            }
        )
    answerable = sorted(r["score"] for r in rows if r["answerable"])
    unanswerable = sorted(r["score"] for r in rows if not r["answerable"])
    chosen = round(answerable[0] - 0.005, 3) if answerable else 0.0
    print(f"{len(answerable)} answerable, {len(unanswerable)} unanswerable items")
    print(f"answerable scores:   min {answerable[0]:.3f}  median {statistics.median(answerable):.3f}")
    print(f"unanswerable scores: max {unanswerable[-1]:.3f}  median {statistics.median(unanswerable):.3f}")
    print("threshold  refused(unanswerable)  false_refusals(answerable)")
    for t in sorted({chosen, *(round(x / 100, 2) for x in range(30, 62, 2))}):
        refused = sum(s < t for s in unanswerable) / len(unanswerable)
        false = sum(s < t for s in answerable) / len(answerable)
        print(
            f"{t:9.3f}  {refused:21.2f}  {false:26.2f}{'  <- highest with no false refusal' if t == chosen else ''}"
        )
    hits = [r["hit5"] for r in rows if r["hit5"] is not None]
    print(f"hit@5 over answerable: {sum(hits) / len(hits):.3f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
