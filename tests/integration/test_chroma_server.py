"""Ingest and ask against a real Chroma server (`chroma run`) on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from errors import UserError
from index.settings import Settings
from ingest.pipeline import ingest_paths
from retriever.chain import Assistant
from tools.procs import stop

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).with_name("chroma")
HEARTBEAT = "/api/v2/heartbeat"  # chromadb 1.x serves only the v2 API (v1 answers "deprecated")
STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_heartbeat(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    url = f"http://127.0.0.1:{port}{HEARTBEAT}"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"chroma run exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            response = httpx.get(url, timeout=2.0)
            if response.status_code == 200 and "nanosecond heartbeat" in response.json():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"chroma server on port {port} did not answer {HEARTBEAT} within {STARTUP_SECONDS} s:\n"
        f"{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A `chroma run` process on a free loopback port; yields the port, always terminated."""
    assert CHROMA.exists(), f"no chroma executable next to {sys.executable}"
    base = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = base / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(base / "data"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_for_heartbeat(proc, port, log)
        yield port
    finally:
        stop(proc, 15)


def test_ingest_reingest_and_ask_through_server(
    chroma_server: int, fixture_corpus: Path, tmp_path: Path
) -> None:
    settings = Settings(
        index_dir=tmp_path / "unused",
        cache_dir=tmp_path / "cache",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server,
    )

    first = ingest_paths([fixture_corpus], settings)
    assert first.failed == []
    assert first.skipped == []
    # car-t.md, bites.txt, nested/kidney.html and the two records of records.jsonl
    assert (first.added, first.updated, first.unchanged, first.removed) == (5, 0, 0, 0)
    assert first.chunks >= 5
    assert first.documents == 5
    assert not (tmp_path / "unused").exists(), "server mode must not create a local index folder"

    second = ingest_paths([fixture_corpus], settings)
    assert second.failed == []
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 5, 0)
    assert second.chunks == 0
    assert second.embed_seconds == 0.0
    assert second.documents == 5

    result = Assistant(settings).ask("How much does CAR-T cost for cancer?", audience="staff")
    assert not result.refused, result
    assert result.audience == "staff"
    cost = [c for c in result.citations if c.doc_id == "fx-car-t" and "$500,000" in c.quote]
    assert cost, result.citations
    assert f"[{cost[0].n}]" in result.answer


def test_unreachable_server_is_a_user_error(tmp_path: Path, fixture_corpus: Path) -> None:
    # A socket bound but never listening: connections to its port are refused, and no one can take it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        settings = Settings(index_dir=tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port)
        with pytest.raises(UserError, match=rf"cannot reach the Chroma server at 127\.0\.0\.1:{port}"):
            ingest_paths([fixture_corpus], settings)
        with pytest.raises(UserError, match="chroma run"):
            Assistant(settings)
