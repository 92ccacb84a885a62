"""How many citations of the project's articles name one or two sources, each with a link or a publisher.

Reads the JSON lines of `autoimmune-qa ask --batch QUESTIONS.jsonl --json` (one answer per line) and
prints the share. A citation shows the sources its quote is marked with (or names); when it singles
out none, the reader sees all of the article's sources, and that is what is counted.

    .venv/bin/autoimmune-qa ask --batch eval/corpus_questions.jsonl --index /tmp/idx --json > answers.jsonl
    .venv/bin/python corpus/tools/citation_sources.py answers.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def shown_sources(citation: dict) -> list[str]:
    """The "publisher | title | date | url" lines a citation shows as what its quote is based on."""
    upstream = citation.get("upstream") or []
    named = int(citation.get("upstream_named") or 0)
    return upstream[:named] if named else upstream


def well_named(line: str) -> bool:
    publisher, _title, _date, url = ([*(p.strip() for p in line.split("|")), "", "", "", ""])[:4]
    return url.startswith(("http://", "https://")) or bool(publisher)


def summarise(answers: list[dict]) -> dict[str, object]:
    counts: Counter[int] = Counter()
    good = total = 0
    for answer in answers:
        for citation in answer.get("citations") or []:
            if not str(citation.get("doc_id", "")).startswith("aqa-"):
                continue
            shown = shown_sources(citation)
            counts[len(shown)] += 1
            total += 1
            good += 1 <= len(shown) <= 2 and all(well_named(line) for line in shown)
    return {
        "article_citations": total,
        "one_or_two_named_sources": good,
        "share": round(good / total, 3) if total else None,
        "sources_shown": dict(sorted(counts.items())),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    lines = Path(argv[0]).read_text(encoding="utf-8").splitlines()
    answers = [json.loads(line) for line in lines if line.strip().startswith("{")]
    print(json.dumps(summarise(answers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
