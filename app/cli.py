"""`autoimmune-qa`: ingest documents, ask questions (one or a batch), run the chat."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from app import cli_eval, cli_fetch
from app.questions import check_question_length
from errors import UserError
from index.settings import Settings, load_settings

log = logging.getLogger("autoimmune_qa")


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    return load_settings(index_dir=getattr(args, "index", None), **extra)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import ingest_paths

    settings = _settings(args)
    paths = [Path(p) for p in args.paths]
    if not any(p.exists() for p in paths):
        raise UserError(f"no such file or folder: {', '.join(args.paths)}; check the path")
    report = ingest_paths(paths, settings, progress=not args.json)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, {report.removed} removed, "
            f"{len(report.skipped)} skipped, {len(report.failed)} failed; {report.chunks} chunks embedded "
            f"({report.truncated} truncated) in {report.seconds:.1f} s; {report.documents} documents in the index"
        )
        if report.chunks:
            print(f"  time: {report.breakdown()}")
        for path in report.skipped:
            print(f"  skipped (not a document type, or a README/SOURCES/LICENSE note): {path}")
        for failure in report.failed:
            print(f"  failed: {failure['path']}: {failure['error']}", file=sys.stderr)
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def _read_batch(path: Path, max_chars: int) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UserError(f"batch file '{path}' does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read batch file '{path}': {exc}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}, line {number}: not valid JSON ({exc.msg}); fix that line") from None
        turns = item.get("turns") if isinstance(item, dict) else None
        valid_turns = isinstance(turns, list) and turns and all(isinstance(t, str) for t in turns)
        if not isinstance(item, dict) or not (isinstance(item.get("question"), str) or valid_turns):
            raise UserError(f"{path}, line {number}: needs a 'question' string or a 'turns' list of strings")
        for text in [item["question"]] if isinstance(item.get("question"), str) else item["turns"]:
            check_question_length(text, max_chars, f"{path}, line {number}: the question")
        if item.get("audience") not in (None, "patient", "staff"):
            raise UserError(f"{path}, line {number}: 'audience' must be 'patient' or 'staff'")
        item.setdefault("qid", f"line-{number}")
        items.append(item)
    return items


def cmd_ask(args: argparse.Namespace) -> int:
    from app.render import answer_text
    from retriever.chain import Assistant
    from retriever.filters import parse_filters

    if bool(args.question) == bool(args.batch):
        raise UserError("give either a QUESTION or --batch FILE.jsonl")
    settings = _settings(args, audience=args.audience)
    filters = parse_filters(
        source=args.source,
        topic=args.topic,
        audience=args.doc_audience,
        date_from=args.since,
        date_to=args.until,
    )
    if args.question:
        check_question_length(args.question, settings.max_question_chars)
    items = _read_batch(Path(args.batch), settings.max_question_chars) if args.batch else []
    assistant = Assistant(settings)
    if not args.batch:
        result = assistant.ask(args.question, None, None, filters)
        print(json.dumps(result.model_dump(), ensure_ascii=False) if args.json else answer_text(result))
        return 0
    for item in items:
        audience = item.get("audience")
        result = (
            assistant.ask_turns(item["turns"], audience, filters)
            if item.get("turns")
            else assistant.ask(item["question"], None, audience, filters)
        )
        print(json.dumps({"qid": item["qid"], **result.model_dump()}, ensure_ascii=False), flush=True)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from app.api import parse_auth, serve
    from ingest.pipeline import ingest_paths
    from retriever.chain import Assistant

    settings = _settings(
        args,
        host=args.host,
        port=args.port,
        corpus_dir=args.corpus,
        dev_view=True if args.dev else None,
        feedback=False if args.no_feedback else None,
        feedback_db=args.feedback_db,
    )
    parse_auth(settings.auth.get_secret_value() if settings.auth else None)  # a bad AQA_AUTH fails here
    # A named index (--index, AQA_INDEX_DIR) is the user's: the bundled corpus goes into it only when
    # asked for by name (--corpus, AQA_CORPUS_DIR); the default index gets it at every start.
    named = args.index is not None or "AQA_INDEX_DIR" in os.environ
    asked = args.corpus is not None or "AQA_CORPUS_DIR" in os.environ
    if not args.no_ingest and named and not asked:
        print(
            f"Using the index at {settings.index_dir} as it is (pass --corpus {settings.corpus_dir} to add "
            "the bundled articles to it)",
            file=sys.stderr,
        )
    elif not args.no_ingest:
        if settings.corpus_dir.is_dir():
            print(
                f"Bringing the index at {settings.index_dir} up to date with {settings.corpus_dir}/ …",
                file=sys.stderr,
            )
            report = ingest_paths([settings.corpus_dir], settings, progress=True)
            print(
                f"index: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
                f"{report.removed} removed, {len(report.failed)} failed",
                file=sys.stderr,
            )
            for failure in report.failed:
                print(f"  failed: {failure['path']}: {failure['error']}", file=sys.stderr)
        else:
            print(
                f"corpus folder '{settings.corpus_dir}' not found; using the index as it is", file=sys.stderr
            )
    assistant = Assistant(settings)
    base = f"http://{settings.host}:{settings.port}"
    extras = [
        f"feedback to {settings.feedback_db}" if settings.feedback else "feedback off",
        "auth on" if settings.auth else "no auth",
    ]
    print(
        f"autoimmune-qa chat on {base}/ (REST API {base}/api/ask, docs {base}/docs; {', '.join(extras)}). "
        "Ctrl+C to stop.",
        file=sys.stderr,
    )
    serve(settings, assistant)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autoimmune-qa", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_index(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", metavar="DIR", help="index folder (env AQA_INDEX_DIR, default .index/)")

    p = sub.add_parser("ingest", help="add, update and remove documents in the index")
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders (.md .txt .html .pdf .jsonl[.gz])"
    )
    with_index(p)
    p.add_argument("--json", action="store_true", help="print one JSON summary")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="?", help="the question")
    p.add_argument("--batch", metavar="FILE.jsonl", help='one {"qid","question"} or {"qid","turns"} per line')
    p.add_argument("--audience", choices=["patient", "staff"], help="who the answer is for")
    with_index(p)
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--source", action="append", help="only evidence from this source (repeatable)")
    p.add_argument("--topic", action="append", help="only documents with this topic (repeatable)")
    p.add_argument(
        "--doc-audience", choices=["patient", "staff"], help="only documents written for this audience"
    )
    p.add_argument("--since", metavar="DATE", help="only documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", metavar="DATE", help="only documents dated on or before")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="start the chat and its REST API (indexes corpus/ first)")
    with_index(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument(
        "--corpus",
        type=Path,
        help="corpus folder indexed at start (default corpus/; a named --index only with this)",
    )
    p.add_argument("--no-ingest", action="store_true", help="use the index as it is")
    p.add_argument("--dev", action="store_true", help="show the developer view (chunks, scores, timings)")
    p.add_argument("--no-feedback", action="store_true", help="no thumbs up/down or comments (AQA_FEEDBACK)")
    p.add_argument(
        "--feedback-db",
        type=Path,
        metavar="FILE",
        help="SQLite file for feedback (env AQA_FEEDBACK_DB, default .feedback/feedback.sqlite3)",
    )
    p.set_defaults(func=cmd_chat)
    cli_eval.register(sub)
    cli_fetch.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"autoimmune-qa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
