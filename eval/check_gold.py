"""Check the development gold set (eval/dev.jsonl) against the shared corpus.

Run: python eval/check_gold.py [--dev eval/dev.jsonl] [--corpus /work/shared/corpus]
Exit code 0 when clean, 1 when any error is found. Warnings do not fail the run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

# The project's own articles (corpus/articles): their ids are accepted as gold; facts are checked
# against the shared documents only.
ARTICLES = Path(__file__).resolve().parents[1] / "corpus" / "articles"
AQA_IDS = {f"aqa-{p.stem}" for p in ARTICLES.glob("*.md")}
NEWS_ID = "medpath-car-t-lupus"
FIELDS = {
    "qid",
    "question",
    "turns",
    "audience",
    "answerable",
    "gold_doc_ids",
    "facts",
    "gold_answer",
    "emergency",
    "personal_advice",
    "topic",
}
MINIMUMS = {  # category -> minimum count the brief asks for
    "items": 70,
    "answerable single": 40,
    "answerable single from the news article": 12,
    "answerable single from PubMed": 5,
    "unanswerable (not emergency, not personal advice)": 15,
    "emergency": 5,
    "personal advice": 5,
    "two-turn conversations": 10,
}
SHINGLE = 8  # a run of this many words shared with the corpus counts as copied text
MAX_ALT_WORDS = 4


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def load_corpus(root: Path) -> dict[str, str]:
    """Map doc id -> body text (front matter removed) for every Markdown file."""
    docs: dict[str, str] = {}
    for path in sorted(root.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        _, front, body = text.split("---", 2)
        match = re.search(r"^id:\s*(\S+)\s*$", front, re.M)
        if match:
            docs[match.group(1).strip("\"'")] = body
    return docs


def corpus_shingles(docs: dict[str, str]) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for body in docs.values():
        w = words(body)
        grams.update(tuple(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1))
    return grams


def copied_runs(text: str, grams: set[tuple[str, ...]]) -> list[str]:
    w = words(text)
    return [
        " ".join(w[i : i + SHINGLE])
        for i in range(len(w) - SHINGLE + 1)
        if tuple(w[i : i + SHINGLE]) in grams
    ]


def check_item(
    item: dict, docs: dict[str, str], grams: set, errors: list, warnings: list, prefix: str = "dev"
) -> None:
    qid = item.get("qid", "?")

    def err(msg: str) -> None:
        errors.append(f"{qid}: {msg}")

    unknown = set(item) - FIELDS
    if unknown:
        err(f"unknown fields {sorted(unknown)}")
    if not re.fullmatch(rf"{re.escape(prefix)}-\d{{3}}", str(item.get("qid", ""))):
        err(f"qid must look like {prefix}-001")
    has_q, has_t = "question" in item, "turns" in item
    if has_q == has_t:
        err("needs exactly one of question / turns")
    if has_q and (not isinstance(item["question"], str) or not item["question"].strip()):
        err("question must be a non-empty string")
    if has_t:
        turns = item["turns"]
        if not (
            isinstance(turns, list)
            and len(turns) >= 2
            and all(isinstance(t, str) and t.strip() for t in turns)
        ):
            err("turns must be a list of at least two non-empty strings")
    if item.get("audience") not in ("patient", "staff"):
        err("audience must be patient or staff")
    if not isinstance(item.get("answerable"), bool):
        err("answerable must be a bool")
    for flag in ("emergency", "personal_advice"):
        if flag in item and item[flag] is not True:
            err(f"{flag} is written only when true")
        if item.get(flag) and item.get("answerable"):
            err(f"{flag} items must be answerable: false")
    if not isinstance(item.get("gold_answer"), str) or not item["gold_answer"].strip():
        err("gold_answer must be a non-empty string")
    if not isinstance(item.get("topic"), str) or not item["topic"].strip():
        err("topic must be a non-empty string")

    gold = item.get("gold_doc_ids", [])
    facts = item.get("facts", [])
    if not isinstance(gold, list) or not isinstance(facts, list):
        err("gold_doc_ids and facts must be lists")
        return
    if item.get("answerable"):
        if not gold:
            err("answerable item without gold_doc_ids")
        if not facts:
            err("answerable item without facts")
        for doc_id in gold:
            if doc_id not in docs and doc_id not in AQA_IDS:
                err(f"gold_doc_id {doc_id!r} is neither in the corpus nor an aqa- id")
        shared = [d for d in gold if d in docs]
        if gold and not shared:
            err("needs at least one gold doc from the shared corpus (aqa- articles are not checked)")
        text = "\n".join(docs[d] for d in shared).lower()
        for group in facts:
            if not (
                isinstance(group, list) and group and all(isinstance(a, str) and a.strip() for a in group)
            ):
                err(f"fact group {group!r} must be a non-empty list of strings")
                continue
            if not any(alt.lower() in text for alt in group):
                err(f"no alternative of fact group {group} occurs in {shared}")
            if not any(alt.lower() in item.get("gold_answer", "").lower() for alt in group):
                err(f"gold_answer does not meet its own fact group {group}")
            for alt in group:
                if len(alt.split()) > MAX_ALT_WORDS:
                    warnings.append(f"{qid}: fact alternative {alt!r} is longer than {MAX_ALT_WORDS} words")
    else:
        if gold:
            err("unanswerable item must not have gold_doc_ids")
        if facts:
            err("unanswerable item must not have facts")

    own_words = [item.get("gold_answer", "")] + ([item["question"]] if has_q else list(item.get("turns", [])))
    for text in own_words:
        runs = copied_runs(str(text), grams)
        if runs:
            err(f"text shares a {SHINGLE}-word run with the corpus: {runs[0]!r}")


def categorize(items: list[dict]) -> Counter:
    counts: Counter = Counter(items=len(items))
    for item in items:
        single = "question" in item
        flagged = item.get("emergency") or item.get("personal_advice")
        if item.get("emergency"):
            counts["emergency"] += 1
        if item.get("personal_advice"):
            counts["personal advice"] += 1
        if not item.get("answerable") and not flagged:
            counts["unanswerable (not emergency, not personal advice)"] += 1
            if item.get("topic") == "off-topic":
                counts["  of which off-topic"] += 1
        if "turns" in item:
            counts["two-turn conversations"] += 1
        if item.get("answerable") and single:
            counts["answerable single"] += 1
            counts[f"  of which {item['audience']}"] += 1
            gold = item.get("gold_doc_ids", [])
            if NEWS_ID in gold:
                counts["answerable single from the news article"] += 1
            if any(d.startswith("medquad-") for d in gold):
                counts["answerable single from MedQuAD"] += 1
            if any(d.startswith("pmid-") for d in gold):
                counts["answerable single from PubMed"] += 1
        if item.get("answerable"):
            for doc_id in item.get("gold_doc_ids", []):
                if doc_id in AQA_IDS:
                    counts[f"items citing {doc_id}"] += 1
    return counts


def main() -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=here / "dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    parser.add_argument(
        "--subset",
        metavar="PREFIX",
        help="check a focused subset (e.g. lay.jsonl with --subset lay): qids PREFIX-001…, and the "
        "development set's mix of categories is not required",
    )
    args = parser.parse_args()

    docs = load_corpus(args.corpus)
    grams = corpus_shingles(docs)
    errors: list[str] = []
    warnings: list[str] = []
    items: list[dict] = []
    for n, line in enumerate(args.dev.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
    for qid, k in Counter(i.get("qid") for i in items).items():
        if k > 1:
            errors.append(f"{qid}: qid used {k} times")
    for item in items:
        check_item(item, docs, grams, errors, warnings, args.subset or "dev")

    counts = categorize(items)
    for name, minimum in MINIMUMS.items():
        if counts[name] < minimum and not args.subset:
            errors.append(f"mix: {name} = {counts[name]}, brief asks for at least {minimum}")
    patient, staff = counts["  of which patient"], counts["  of which staff"]
    if not args.subset and abs(patient - staff) > max(4, counts["answerable single"] // 10):
        errors.append(
            f"mix: answerable singles are {patient} patient vs {staff} staff, should be about half each"
        )

    print(f"corpus: {len(docs)} documents under {args.corpus}; dev: {len(items)} items in {args.dev}")
    order = [
        "items",
        "answerable single",
        "  of which patient",
        "  of which staff",
        "answerable single from the news article",
        "answerable single from MedQuAD",
        "answerable single from PubMed",
        "two-turn conversations",
        "unanswerable (not emergency, not personal advice)",
        "  of which off-topic",
        "emergency",
        "personal advice",
    ]
    for name in order + sorted(k for k in counts if k.startswith("items citing")):
        print(f"  {name}: {counts[name]}")
    for w in warnings:
        print(f"WARNING {w}")
    for e in errors:
        print(f"ERROR {e}")
    print("OK: no errors" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
