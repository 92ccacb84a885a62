"""`autoimmune-qa fetch`: download the source catalog into Markdown files for `ingest`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.fetch import FetchResult


def seconds(value: str) -> float:
    number = float(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return number


def positive_seconds(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return number


def count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return number


def _progress(number: int, total: int, result: FetchResult) -> None:
    detail = f"{result.chars} chars" if result.status == "ok" else result.reason
    print(f"[{number}/{total}] {result.id}: {result.status} ({detail})", file=sys.stderr, flush=True)


def cmd_fetch(args: argparse.Namespace) -> int:
    from ingest.fetch import FetchOptions, fetch_all, load_catalog, report_table, select

    entries = select(load_catalog(Path(args.catalog)), args.only)
    options = FetchOptions(out=Path(args.out), delay=args.delay, timeout=args.timeout, retries=args.retries)
    results = fetch_all(entries, options, progress=None if args.json else _progress)
    ok = sum(r.status == "ok" for r in results)
    if args.json:
        summary = {"ok": ok, "failed": len(results) - ok, "out": str(options.out)}
        print(json.dumps({**summary, "results": [r.to_dict() for r in results]}, ensure_ascii=False))
    else:
        print(report_table(results))
    return 0 if ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `fetch` subcommand to the CLI's subparsers."""
    p = sub.add_parser("fetch", help="download the catalog's public sources as Markdown for ingest")
    p.add_argument("--catalog", default="corpus/sources.yaml", metavar="FILE", help="source catalog (YAML)")
    p.add_argument(
        "--out", default="fetched", metavar="DIR", help="folder for <id>.md files (default fetched/)"
    )
    p.add_argument("--only", nargs="+", metavar="ID", help="fetch only these catalog ids")
    p.add_argument(
        "--delay",
        type=seconds,
        default=1.0,
        metavar="SECONDS",
        help="pause between requests to one host (default 1)",
    )
    p.add_argument(
        "--timeout",
        type=positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="timeout of each request (default 30)",
    )
    p.add_argument(
        "--retries",
        type=count,
        default=2,
        metavar="N",
        help="extra attempts after a timeout, 5xx or 429 (default 2)",
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(func=cmd_fetch)
