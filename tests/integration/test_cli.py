"""`autoimmune-qa` as a person runs it: a real subprocess, one index built once through the CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

CLI = Path(sys.executable).with_name("autoimmune-qa")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORT_KEYS = {"added", "updated", "unchanged", "removed", "skipped", "failed", "chunks", "seconds"}
ANSWER_KEYS = {
    "question",
    "answer",
    "citations",
    "retrieved",
    "refused",
    "refusal_reason",
    "audience",
    "timings_ms",
}
CITATION_KEYS = {"n", "doc_id", "chunk_id", "title", "url", "source", "quote", "score"}
RETRIEVED_KEYS = {"doc_id", "chunk_id", "score"}
TIMING_KEYS = {"retrieve", "answer", "total"}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AQA_")}
    env.update(extra)
    return env


def run_cli(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180) -> Run:
    done = subprocess.run(
        [str(CLI), *map(str, args)],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _json_lines(stdout: str) -> list[dict[str, Any]]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(p, dict) for p in parsed), stdout
    return parsed


def _check_answer(data: dict[str, Any]) -> None:
    assert set(data) >= ANSWER_KEYS, sorted(ANSWER_KEYS - set(data))
    assert isinstance(data["refused"], bool)
    for citation in data["citations"]:
        assert set(citation) >= CITATION_KEYS, sorted(CITATION_KEYS - set(citation))
    for hit in data["retrieved"]:
        assert set(hit) >= RETRIEVED_KEYS, sorted(RETRIEVED_KEYS - set(hit))
    assert set(data["timings_ms"]) >= TIMING_KEYS
    assert data["timings_ms"]["total"] >= data["timings_ms"]["retrieve"] >= 0
    numbers = {c["n"] for c in data["citations"]}
    for n in map(int, re.findall(r"\[(\d+)\]", data["answer"])):
        assert n in numbers, f"[{n}] in the answer has no citation: {data}"


@dataclass
class BuiltIndex:
    path: Path
    work: Path
    report: Run


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    """The fixture corpus ingested once through `autoimmune-qa ingest --json`."""
    work = tmp_path_factory.mktemp("cli")
    index = work / "index"
    report = run_cli("ingest", FIXTURES / "corpus", "--index", index, "--json", cwd=work)
    return BuiltIndex(index, work, report)


def _assert_user_error(run: Run, code: int = 2, mentions: str = "") -> None:
    assert run.returncode == code, run
    assert "Traceback" not in run.stderr, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("autoimmune-qa: error: "), run.stderr
    assert mentions in lines[0], lines[0]


def test_ingest_json_report(cli_index: BuiltIndex) -> None:
    run = cli_index.report
    assert run.returncode == 0, run
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, run.stdout
    report = json.loads(lines[0])
    assert set(report) >= REPORT_KEYS, sorted(REPORT_KEYS - set(report))
    assert report["added"] == 5
    assert (report["updated"], report["unchanged"], report["removed"]) == (0, 0, 0)
    assert report["failed"] == [] and report["skipped"] == []
    assert report["chunks"] >= 5


def test_ask_json_cites_verbatim(cli_index: BuiltIndex) -> None:
    run = run_cli(
        "ask",
        "How do CAR-T cells work against lupus, and what do they cost?",
        "--index",
        cli_index.path,
        "--json",
        cwd=cli_index.work,
    )
    assert run.returncode == 0, run
    assert "Traceback" not in run.stderr
    (data,) = _json_lines(run.stdout)
    _check_answer(data)
    assert data["refused"] is False and data["refusal_reason"] is None
    assert data["audience"] == "patient"
    assert data["citations"]
    assert re.search(r"\[\d+\]", data["answer"])

    from index.settings import Settings
    from index.store import open_store

    store = open_store(Settings(index_dir=cli_index.path), create=False)
    chunks = store.chunks(create=False)
    assert chunks is not None
    cited = list(dict.fromkeys(c["chunk_id"] for c in data["citations"]))  # two quotes may share a chunk
    got = chunks.get(ids=cited, include=["documents", "metadatas"])
    text_of = {
        i: (doc, meta) for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }
    for citation in data["citations"]:
        assert citation["chunk_id"] in text_of, citation
        text, meta = text_of[citation["chunk_id"]]
        assert meta["doc_id"] == citation["doc_id"]
        assert citation["quote"] in text, (citation["quote"], text)


def test_ask_batch(cli_index: BuiltIndex, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    items = [
        {"qid": "q-one", "question": "What is lupus nephritis?"},
        {"qid": "q-turns", "turns": ["What is CAR-T therapy for lupus?", "how much does it cost?"]},
        {"qid": "q-staff", "question": "What is a bispecific T-cell engager?", "audience": "staff"},
    ]
    batch.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    run = run_cli("ask", "--batch", batch, "--index", cli_index.path, "--json", cwd=cli_index.work)
    assert run.returncode == 0, run
    assert "Traceback" not in run.stderr
    results = _json_lines(run.stdout)
    assert [r["qid"] for r in results] == ["q-one", "q-turns", "q-staff"]
    for result in results:
        _check_answer(result)
    one, turns, staff = results
    assert one["audience"] == "patient" and not one["refused"]
    assert "nested/kidney" in {c["doc_id"] for c in one["citations"]}
    assert turns["question"] == "how much does it cost?"
    assert "car-t" in turns["standalone_question"].lower()
    assert staff["audience"] == "staff"


def test_missing_index_is_a_user_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-index"
    run = run_cli("ask", "What is lupus?", "--index", missing, "--json", cwd=tmp_path)
    _assert_user_error(run, mentions="there is no index")
    assert run.stdout == ""
    assert not missing.exists(), "asking must not create an empty index"


def test_missing_batch_file_is_a_user_error(cli_index: BuiltIndex, tmp_path: Path) -> None:
    run = run_cli("ask", "--batch", tmp_path / "nope.jsonl", "--index", cli_index.path, cwd=tmp_path)
    _assert_user_error(run, mentions="nope.jsonl")


def test_batch_line_not_json_is_a_user_error(cli_index: BuiltIndex, tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text('{"qid": "ok", "question": "What is lupus?"}\n{not json\n', encoding="utf-8")
    run = run_cli("ask", "--batch", batch, "--index", cli_index.path, "--json", cwd=tmp_path)
    _assert_user_error(run, mentions="line 2")
    assert run.stdout == "", "a bad batch is rejected before anything is answered"


def test_invalid_env_value_is_a_user_error(cli_index: BuiltIndex, tmp_path: Path) -> None:
    run = run_cli("ask", "What is lupus?", "--index", cli_index.path, cwd=tmp_path, env=_env(AQA_TOP_K="abc"))
    _assert_user_error(run, mentions="AQA_TOP_K")


def test_ingest_of_only_missing_paths_is_a_user_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    run = run_cli("ingest", missing, "--index", tmp_path / "index", "--json", cwd=tmp_path)
    _assert_user_error(run, mentions="no-such-corpus")
    assert not (tmp_path / "index").exists()


def test_ingest_reports_a_missing_path_and_ingests_the_rest(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file.md"
    good = tmp_path / "good.md"
    good.write_text(
        "# Lupus\n\nLupus is an autoimmune disease that can affect the kidneys.\n", encoding="utf-8"
    )
    run = run_cli("ingest", missing, good, "--index", tmp_path / "index", "--json", cwd=tmp_path)
    assert run.returncode == 0, run
    assert "Traceback" not in run.stderr
    (report,) = _json_lines(run.stdout)
    assert report["added"] == 1
    assert [f["path"] for f in report["failed"]] == [str(missing)]
