"""Add the project's own articles to the gold ids of dev-set items they answer.

An article in corpus/articles restates facts of the shared documents it lists in `sources:`. For an
answerable item, the article is a correct source too when it names one of the item's gold shared
documents among its sources and states every fact group of the item (some alternative of each group
occurs in its body). Run after the articles change:

    python eval/link_articles.py eval/dev.jsonl corpus/articles
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from ingest.markers import strip_source_markers


def load_articles(folder: Path) -> dict[str, tuple[set[str], str]]:
    """article id → (shared ids it cites, lower-cased body)."""
    articles = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front)
        shared = {str(s.get("shared_id")) for s in meta.get("sources") or [] if s.get("shared_id")}
        body = strip_source_markers(body, meta.get("sources"))[0]  # the text as indexed
        articles[str(meta["id"])] = (shared, body.lower())
    return articles


def link(item: dict, articles: dict[str, tuple[set[str], str]]) -> list[str]:
    gold = list(item.get("gold_doc_ids") or [])
    facts = item.get("facts") or []
    if not item.get("answerable", True) or not gold or not facts:
        return gold
    shared_gold = {g for g in gold if not g.startswith("aqa-")}
    for article_id, (cites, body) in articles.items():
        if article_id in gold or not (cites & shared_gold):
            continue
        if all(any(alt.lower() in body for alt in group) for group in facts):
            gold.append(article_id)
    return gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path)
    parser.add_argument("articles", type=Path)
    args = parser.parse_args(argv)
    articles = load_articles(args.articles)
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    out, added = [], 0
    for line in lines:
        if not line.strip():
            continue
        item = json.loads(line)
        before = len(item.get("gold_doc_ids") or [])
        if item.get("gold_doc_ids") is not None:
            item["gold_doc_ids"] = link(item, articles)
        added += len(item.get("gold_doc_ids") or []) - before
        out.append(json.dumps(item, ensure_ascii=False))
    args.gold.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{added} article ids added to {args.gold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
