"""The short CI version of bench/load.py: 10 chat sessions for 12 s against a real `autoimmune-qa chat`
server process on 127.0.0.1, half through the REST API and half through gradio_client."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import load_test, serve
from index.settings import Settings

pytestmark = pytest.mark.slow

SESSIONS = 10
SECONDS = 12
RSS_GROWTH_LIMIT_MB = 150  # first vs last quarter of the answers; a leak per answer would exceed it


def test_ten_sessions_for_twelve_seconds_without_errors(built_index: Settings, tmp_path: Path) -> None:
    with serve(built_index.index_dir, log=tmp_path / "server.log") as server:
        result = load_test(server, SESSIONS, SECONDS)
        assert server.process.poll() is None, "the server is still up after the run"
    rows = {row["path"]: row for row in result["rows"]}
    assert result["errors"] == [], result["errors"]
    assert rows["all"]["errors"] == 0
    assert rows["rest"]["sessions"] == rows["gradio"]["sessions"] == SESSIONS // 2
    assert rows["rest"]["questions"] >= 5 and rows["gradio"]["questions"] >= 5, rows
    assert rows["all"]["questions"] == rows["rest"]["questions"] + rows["gradio"]["questions"]
    assert 0 < rows["all"]["p50_ms"] <= rows["all"]["p95_ms"] <= rows["all"]["max_ms"]
    assert rows["all"]["per_s"] > 0
    memory = result["memory"]
    assert len(result["rss_series_mb"]) == rows["all"]["questions"]
    assert memory["growth_mb"] < RSS_GROWTH_LIMIT_MB, memory
    assert result["seconds"] < SECONDS + 30, "sessions stop asking when the time is up"
