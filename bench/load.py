"""Load: N concurrent chat sessions against a real `autoimmune-qa chat` server on 127.0.0.1.

The server runs in a subprocess on a free loopback port over a small index (default: `corpus/`,
ingested into a temporary folder). Half the sessions ask through the REST API (`POST /api/ask`,
httpx), half through `gradio_client` (the chat's `/ask` endpoint). Each session is a conversation:
it asks the development set's questions (`eval/dev.jsonl`) in turn from its own starting point,
sending its last two turns as history, until the time is up (or --max-questions are done). Reported:
errors (anything but a valid answer JSON), p50/p95 latency per path, throughput, and the server's
RSS after every answer (median of the first vs the last 100 answers, to show whether memory is flat).

    python -m bench.load --sessions 50 --seconds 120            # the benchmark; bench/results/load.json
    python -m bench.load --sessions 10 --seconds 15             # what tests/integration/test_load.py runs
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import summary_ms, table, write_result
from tools.procs import stop

ROOT = Path(__file__).resolve().parents[1]
HISTORY_MESSAGES = 4  # the last two turns go with each question
REQUEST_TIMEOUT = 300.0


# -- the server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (psutil when installed, else /proc/PID/status)."""
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except ImportError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def serve(
    index_dir: Path,
    *,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    extra_args: list[str] | None = None,
    timeout: float = 180,
) -> Iterator[Server]:
    """`autoimmune-qa chat` over an existing index, on a free port with the default host (127.0.0.1);
    yields once /api/health answers, stops the process afterwards. Its stderr goes to `log`."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "chat", "--index", str(index_dir), "--no-ingest"]
    command += ["--no-feedback", "--port", str(port), *(extra_args or [])]
    environment = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    sink = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            wait_until_healthy(url, process, timeout, (env or {}).get("AQA_AUTH"))
        except RuntimeError as exc:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{exc}; its log ends:\n{tail}") from None
        yield Server(url=url, port=port, process=process)
    finally:
        stop(process, 20)
        if log and not isinstance(sink, int):
            sink.close()


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float, auth: str | None) -> None:
    headers = {}
    if auth and ":" not in auth:
        headers["Authorization"] = f"Bearer {auth}"
    basic = tuple(auth.split(":", 1)) if auth and ":" in auth else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before it answered")
        try:
            response = httpx.get(url + "api/health", headers=headers, auth=basic, timeout=5)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server at {url} did not answer /api/health within {timeout:.0f} s")


def build_index(corpus: Path, folder: Path) -> Path:
    """Ingest `corpus` into `folder` (a fresh index) and return it."""
    from index.settings import Settings
    from ingest.pipeline import ingest_paths

    report = ingest_paths([corpus], Settings(index_dir=folder))
    if report.failed or not report.documents:
        raise RuntimeError(f"could not index {corpus}: {report.failed or 'no documents'}")
    return folder


# -- the sessions -----------------------------------------------------------------------------------


def dev_questions(path: Path = ROOT / "eval" / "dev.jsonl") -> list[tuple[str, str]]:
    """(question, audience) pairs from the development set; a conversation's turns in order."""
    pairs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        audience = item.get("audience") or "patient"
        pairs += [(q, audience) for q in (item.get("turns") or [item["question"]])]
    return pairs


@dataclass
class Outcome:
    """One question: which path, how long, whether the answer was valid, the server's RSS after it."""

    path: str
    seconds: float
    ok: bool
    refused: bool = False
    error: str = ""
    rss_mb: float = 0.0
    finished_at: float = 0.0


@dataclass
class Run:
    """What all sessions share: the outcomes in completion order, the time limit and the question cap."""

    pid: int
    deadline: float
    max_questions: int
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def more(self) -> bool:
        with self.lock:
            return time.monotonic() < self.deadline and len(self.outcomes) < self.max_questions

    def add(self, outcome: Outcome) -> None:
        try:
            outcome.rss_mb = rss_mb(self.pid)
        except (OSError, RuntimeError):  # the server is gone: the answer is an error anyway
            outcome.rss_mb = 0.0
        outcome.finished_at = time.monotonic()
        with self.lock:
            self.outcomes.append(outcome)


ANSWER_KEYS = {"question", "answer", "citations", "refused", "refusal_reason", "retrieved", "timings_ms"}


def _check_answer(body: Any) -> tuple[bool, bool, str]:
    """(ok, refused, error) for what a path returned: a valid answer JSON or not."""
    if not isinstance(body, dict) or not set(body) >= ANSWER_KEYS:
        return False, False, f"not an answer: {str(body)[:200]}"
    if not body["refused"] and not body["citations"]:
        return False, False, f"an answer without citations: {body['answer'][:200]}"
    return True, bool(body["refused"]), ""


def run_session(number: int, path: str, url: str, run: Run, questions: list[tuple[str, str]]) -> None:
    """One conversation through `path` ("rest" or "gradio") until the run says stop."""
    try:
        ask: _RestAsker | _GradioAsker = _RestAsker(url) if path == "rest" else _GradioAsker(url)
    except Exception as exc:
        run.add(Outcome(path, 0.0, False, error=f"cannot connect: {type(exc).__name__}: {exc}"))
        return
    history: list[dict[str, str]] = []
    at = number * 7  # sessions start at different questions
    try:
        while run.more():
            question, audience = questions[at % len(questions)]
            at += 1
            started = time.monotonic()
            try:
                body = ask(question, history[-HISTORY_MESSAGES:], audience)
                ok, refused, error = _check_answer(body)
            except Exception as exc:  # every failure is counted, none ends the run
                ok, refused, error = False, False, f"{type(exc).__name__}: {str(exc)[:200]}"
                body = {}
            run.add(Outcome(path, time.monotonic() - started, ok, refused, error))
            if ok:
                history += [
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": str(body["answer"])},
                ]
    finally:
        ask.close()


class _RestAsker:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT)

    def __call__(self, question: str, history: list[dict[str, str]], audience: str) -> Any:
        body = {"question": question, "history": history, "audience": audience}
        response = self.client.post("/api/ask", json=body)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def close(self) -> None:
        self.client.close()


class _GradioAsker:
    def __init__(self, url: str) -> None:
        from gradio_client import Client

        self.client = Client(url, verbose=False, analytics_enabled=False, download_files=False)

    def __call__(self, question: str, history: list[dict[str, str]], audience: str) -> Any:
        return self.client.predict(question, history, audience, api_name="/ask")

    def close(self) -> None:
        self.client.close()


# -- running and reporting --------------------------------------------------------------------------


def load_test(
    server: Server,
    sessions: int,
    seconds: float,
    *,
    rest_share: float = 0.5,
    max_questions: int = 20_000,
    questions: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Run `sessions` conversations against `server` for `seconds`; the summary as a dict."""
    questions = questions or dev_questions()
    warm = _RestAsker(server.url)
    warm(questions[0][0], [], questions[0][1])  # the first answer pays for lazy loading, not counted
    warm.close()
    rest = round(sessions * rest_share)
    paths = ["rest"] * rest + ["gradio"] * (sessions - rest)
    rss_start = rss_mb(server.pid)
    load_samples: list[float] = []
    started = time.monotonic()
    run = Run(pid=server.pid, deadline=started + seconds, max_questions=max_questions)
    threads = [
        threading.Thread(target=run_session, args=(i, p, server.url, run, questions), daemon=True)
        for i, p in enumerate(paths)
    ]
    for t in threads:
        t.start()
    hard_stop = run.deadline + REQUEST_TIMEOUT + 30  # past it a stuck request is abandoned
    while any(t.is_alive() for t in threads) and time.monotonic() < hard_stop:
        load_samples.append(os.getloadavg()[0])
        time.sleep(1)
    wall = time.monotonic() - started
    return summarise(run.outcomes, wall, sessions, paths, rss_start, load_samples)


def summarise(
    outcomes: list[Outcome],
    wall: float,
    sessions: int,
    paths: list[str],
    rss_start: float,
    load_samples: list[float],
) -> dict[str, Any]:
    rows = []
    for name in ("rest", "gradio", "all"):
        chosen = [o for o in outcomes if name in ("all", o.path)]
        rows.append(
            {
                "path": name,
                "sessions": sessions if name == "all" else paths.count(name),
                "questions": len(chosen),
                "errors": sum(not o.ok for o in chosen),
                "refused": sum(o.refused for o in chosen),
                **{f"{k}_ms": v for k, v in summary_ms([o.seconds for o in chosen]).items()},
                "per_s": round(len(chosen) / wall, 2) if wall else 0.0,
            }
        )
    window = min(100, max(1, len(outcomes) // 4))
    rss = [o.rss_mb for o in outcomes]
    first = statistics.median(rss[:window]) if rss else 0.0
    last = statistics.median(rss[-window:]) if rss else 0.0
    middle = statistics.median(rss[len(rss) // 2 - window // 2 :][:window]) if rss else 0.0
    memory = {
        "window": window,
        "start_mb": round(rss_start, 1),
        "first_window_mb": round(first, 1),
        "last_window_mb": round(last, 1),
        "growth_mb": round(last - first, 1),
        "second_half_growth_mb": round(last - middle, 1),  # past the ramp-up: what a leak would add
        "peak_mb": round(max(rss, default=rss_start), 1),
    }
    errors = [f"{o.path}: {o.error}" for o in outcomes if not o.ok]
    return {
        "sessions": sessions,
        "seconds": round(wall, 1),
        "rows": rows,
        "memory": memory,
        "load_average": {
            "mean": round(statistics.fmean(load_samples), 2) if load_samples else None,
            "max": round(max(load_samples), 2) if load_samples else None,
        },
        "errors": errors[:20],
        "rss_series_mb": [round(r, 1) for r in rss],  # after each answer, in completion order
    }


def report(result: dict[str, Any]) -> str:
    columns = ["path", "sessions", "questions", "errors", "refused", "p50_ms", "p95_ms", "max_ms", "per_s"]
    m = result["memory"]
    lines = [
        table(result["rows"], columns),
        "",
        f"server RSS: {m['start_mb']} MB at start; median {m['first_window_mb']} MB over the first "
        f"{m['window']} answers, {m['last_window_mb']} MB over the last {m['window']} "
        f"(growth {m['growth_mb']:+} MB; {m['second_half_growth_mb']:+} MB over the second half); "
        f"peak {m['peak_mb']} MB",
        f"load average (1 min) during the run: mean {result['load_average']['mean']}, "
        f"max {result['load_average']['max']}; {result['seconds']} s wall",
    ]
    lines += [f"error: {e}" for e in result["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent chat sessions (default 50)")
    parser.add_argument("--seconds", type=float, default=120, help="how long sessions keep asking")
    parser.add_argument("--rest-share", type=float, default=0.5, help="share of sessions using REST")
    parser.add_argument("--max-questions", type=int, default=20_000, help="stop after this many answers")
    parser.add_argument("--index", type=Path, help="an existing index (default: corpus/ indexed afresh)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="what to index without --index")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aqa-load-") as work:
        index_dir = args.index.resolve() if args.index else build_index(args.corpus, Path(work) / "index")
        with serve(index_dir, log=Path(work) / "server.log") as server:
            print(
                f"server {server.url} (pid {server.pid}); {args.sessions} sessions for {args.seconds:.0f} s"
            )
            result = load_test(
                server,
                args.sessions,
                args.seconds,
                rest_share=args.rest_share,
                max_questions=args.max_questions,
            )
    print(report(result))
    path = write_result(args.out, "load", {"index": str(args.index or args.corpus), **result})
    print(f"wrote {path}")
    return 1 if any(row["errors"] for row in result["rows"]) else 0


if __name__ == "__main__":
    sys.exit(main())
