"""`autoimmune-qa eval` and `eval-compare`: score the assistant on a gold set, and compare two runs."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

DEFAULT_RUNS = Path("eval-runs")


def cmd_eval(args: argparse.Namespace) -> int:
    """Run the gold set, write metrics.json, results.jsonl and report.html, print the headline table."""
    from evaluation.runner import run_eval, summary_table

    out = Path(args.out) if args.out else DEFAULT_RUNS / datetime.now().strftime("%Y%m%d-%H%M%S")
    run = run_eval(
        Path(args.gold),
        out_dir=out,
        index=args.index,
        audience=args.audience,
        config=[pair for group in args.config or [] for pair in group],
        progress=True,
        prefill=args.prefill,
    )
    print(summary_table(run.metrics))
    print(
        f"{run.metrics['items']} questions in {run.metrics['run_seconds']:.1f} s; wrote metrics.json, "
        f"results.jsonl and report.html to {out}"
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two run folders, write compare.json and compare.html, print the table."""
    from evaluation.compare import compare_runs, text_table, write_comparison

    run_a, run_b = Path(args.run_a), Path(args.run_b)
    out = Path(args.out) if args.out else DEFAULT_RUNS / f"compare-{run_a.name}-vs-{run_b.name}"
    result = compare_runs(run_a, run_b)
    write_comparison(result, out)
    print(text_table(result))
    print(f"wrote compare.json and compare.html to {out}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `eval` and `eval-compare` subcommands to the CLI's subparsers."""
    p = sub.add_parser(
        "eval", help="score the assistant on a gold set (metrics.json, results.jsonl, report.html)"
    )
    p.add_argument(
        "gold", metavar="GOLD.jsonl", help="gold set, one JSON object per line (see eval/README.md)"
    )
    p.add_argument("--index", metavar="DIR", help="index folder (env AQA_INDEX_DIR, default .index/)")
    p.add_argument(
        "--audience",
        choices=["patient", "staff"],
        help="ask every question as this audience (default: each item's own audience, else the setting)",
    )
    p.add_argument("--out", metavar="DIR", help=f"output folder (default {DEFAULT_RUNS}/DATE-TIME)")
    p.add_argument(
        "--config",
        metavar="NAME=VALUE",
        nargs="+",
        action="append",
        help="override a setting for this run, e.g. top_k=10 min_evidence_score=0.3 (top_k defaults to 10 here)",
    )
    p.add_argument(
        "--prefill",
        action="store_true",
        help="embed the index's evidence sentences before the first question, as the chat and the API do "
        "once started, so the latencies are those of a warm chat (a saved prefill is reused)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-compare", help="compare two eval runs: paired wins and losses, significance")
    p.add_argument("run_a", metavar="RUN_A", help="folder of the first (baseline) run")
    p.add_argument("run_b", metavar="RUN_B", help="folder of the second run")
    p.add_argument("--out", metavar="DIR", help=f"output folder (default {DEFAULT_RUNS}/compare-A-vs-B)")
    p.set_defaults(func=cmd_compare)
